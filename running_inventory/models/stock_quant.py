# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError

from ..tools.rpc import checked_date, rpc_records
from .running_inventory_count import APPROVING_COUNT, AUDITOR_GROUP


class StockQuant(models.Model):
    """One approval gate: Odoo's Physical Inventory follows the audit-count rules.

    In a company that uses audit counts (an active count plan), an adjustment within the recount
    thresholds applies as in Odoo; one over them is applied only by an Inventory Auditor who did
    not count it (neither the quant's last writer nor the user assigned to count it), or goes
    through a count session for its recount and approval. Count sessions apply their approved
    differences through `_apply_inventory` directly, after their own gate.
    """

    _inherit = "stock.quant"

    @rpc_records
    def action_apply_inventory(self, date=None):
        checked_date(self.env, date, "date")
        self._assert_inventory_approvable()
        return super().action_apply_inventory(date=date)

    def _apply_inventory(self, date=None):
        # Routes of Odoo's that apply without action_apply_inventory: the product's "quantity
        # on hand" inverse and "set to zero" in the inventory report.
        if self.env.context.get("from_inverse_qty") or self.env.context.get(
            "inventory_report_mode"
        ):
            self._assert_inventory_approvable()
        return super()._apply_inventory(date=date)

    def _get_inventory_move_values(
        self, qty, location_id, location_dest_id, package_id=False, package_dest_id=False
    ):
        # The adjustments of a count session's approval carry the session from their creation.
        vals = super()._get_inventory_move_values(
            qty, location_id, location_dest_id, package_id, package_dest_id
        )
        if count_id := APPROVING_COUNT.get():
            vals["count_id"] = count_id
        return vals

    @api.ondelete(at_uninstall=False)
    def _unlink_except_wrong_permission(self):
        # A stock manager deleting a quant counts it to zero (Odoo applies that count): the
        # same gate as any other count applied, the deleting user being who counted.
        if not self.env.is_superuser():
            counted = self.with_context(inventory_mode=True)
            counted.inventory_quantity = 0
            counted._assert_inventory_approvable()
        return super()._unlink_except_wrong_permission()

    def _assert_inventory_approvable(self):
        """Raises unless the current user may apply these counted quantities."""
        if self.env.su:
            return
        over = self._get_over_threshold_quants()
        if not over:
            return
        user = self.env.user
        if user.has_group(AUDITOR_GROUP):
            own = over.filtered(lambda quant: user in quant.write_uid | quant.user_id)
            if not own:
                return
            over = own
        raise UserError(
            self.env._(
                "The counted quantity of %(quants)s differs from the stock by more than the "
                "recount thresholds: count it in a count session, or ask an Inventory Auditor "
                "who did not count it to apply it.",
                quants=", ".join(
                    f"{quant.product_id.display_name} ({quant.location_id.display_name})"
                    for quant in over
                ),
            )
        )

    def _get_over_threshold_quants(self):
        """The quants of companies using audit counts whose counted difference is over the
        thresholds of their warehouse's count plan (or their company's).
        """
        plans = (
            self.env["running.inventory.count.plan"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
        )
        if not plans:
            return self.browse()
        plan_by_warehouse = {plan.warehouse_id: plan for plan in plans}
        audited = self.filtered(
            lambda quant: (
                quant.company_id in plans.company_id
                and not quant.product_uom_id.is_zero(quant.inventory_diff_quantity)
            )
        )
        return audited.filtered(
            lambda quant: quant._is_over_threshold(plan_by_warehouse.get(quant.warehouse_id))
        )

    def _is_over_threshold(self, plan):
        self.ensure_one()
        if plan:
            percent, value = plan._get_thresholds()
        else:
            percent = self.company_id.count_threshold_quantity_percent
            value = self.company_id.count_threshold_value
        difference = self.inventory_diff_quantity
        expected = self.quantity
        over_quantity = percent > 0 and (
            self.product_uom_id.is_zero(expected)
            or abs(difference) * 100.0 > percent * abs(expected)
        )
        cost = self.product_id.with_company(self.company_id).sudo().standard_price
        over_value = (
            value > 0
            and self.company_id.currency_id.compare_amounts(abs(difference * cost), value) > 0
        )
        return over_quantity or over_value
