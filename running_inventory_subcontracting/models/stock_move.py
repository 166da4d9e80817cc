from odoo import models

from odoo.addons.running_inventory.tools.valuation_line import MOVEMENT, REVALUATION


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_perpetual_subcontracted_receipt(self):
        """The subcontracted receipt (vendor's side) this finished move of a subcontracting
        order feeds, or an empty recordset. Odoo validates the receipt, then marks the order
        done: the receipt is done when the order's moves are posted."""
        self.ensure_one()
        if not self.production_id.subcontractor_id:
            return self.browse()
        return self.move_dest_ids.filtered(lambda m: m.is_subcontract and m.state == "done")[-1:]

    def _get_perpetual_subcontracting_service(self):
        """The subcontractor's service in Odoo's value of this finished move: the order's
        extra cost per unit (the bill's price, or the purchase's until billed)."""
        self.ensure_one()
        if not self._get_perpetual_subcontracted_receipt():
            return 0.0
        quantity = self.product_uom._compute_quantity(self.quantity, self.product_id.uom_id)
        return self.company_id.currency_id.round(self.production_id.extra_cost * quantity)

    def _prepare_perpetual_incoming_lines(self, accounts):
        # Finished goods of a subcontracting order: WIP only received the components (from
        # the subcontractor's location); the service is the vendor's, credited on GRNI and
        # tied to the purchase line its bill clears.
        lines = super()._prepare_perpetual_incoming_lines(accounts)
        service = self._get_perpetual_subcontracting_service()
        if not service or not lines:
            return lines
        wip = self._get_perpetual_subcontracting_wip(accounts)
        grni = self.product_id._require_perpetual_account(accounts, "grni")
        result = []
        for line in lines:
            if line.account_id == wip.id and not line.on_stock_account and line.quantity:
                line = line.with_amount(line.amount + service)
            result.append(line)
        quantity = sum(self._get_in_move_lines().mapped("quantity_product_uom"))
        result.append(self._prepare_perpetual_service_line(grni, -service, -quantity))
        return result

    def _get_perpetual_subcontracting_wip(self, accounts):
        """The account facing the stock for the finished goods: the production's WIP."""
        move_lines = self._get_in_move_lines()
        return self._get_perpetual_counterpart_account(
            move_lines[:1].location_id, accounts, incoming=True
        )

    def _prepare_perpetual_service_line(self, grni, amount, quantity=0.0, kind=MOVEMENT):
        """The subcontractor's service on GRNI, tied to the receipt's purchase line."""
        receipt = self._get_perpetual_subcontracted_receipt()
        partner = receipt.purchase_line_id.partner_id or receipt.picking_id.partner_id
        return self._prepare_perpetual_line(
            grni,
            amount,
            quantity,
            kind,
            partner_id=partner.commercial_partner_id.id or None,
            label=self.env._(
                "%(reference)s - %(product)s: subcontracting service",
                reference=receipt._get_perpetual_reference(),
                product=self.product_id.name,
            ),
            interim_link=(
                ("interim_purchase_line_id", receipt.purchase_line_id.id)
                if receipt.purchase_line_id
                else None
            ),
        )

    def _get_perpetual_value_change_lines(self, posted, accounts):
        # A bill of the service re-values the finished move (Odoo takes the bill's price):
        # the change is the vendor's, on GRNI, not the components' on WIP.
        if not (self.is_in and self._get_perpetual_subcontracting_service()):
            return super()._get_perpetual_value_change_lines(posted, accounts)
        grni = self.product_id._require_perpetual_account(accounts, "grni")
        wip = self._get_perpetual_subcontracting_wip(accounts)
        currency = self.company_id.currency_id
        change = currency.round(
            self.value
            + posted.get((self.id, wip.id), (0.0, 0.0))[0]
            + posted.get((self.id, grni.id), (0.0, 0.0))[0]
        )
        if currency.is_zero(change):
            return []
        if self.product_id.cost_method == "standard":
            target = self.product_id._require_perpetual_account(accounts, "price_difference")
            first = self._prepare_perpetual_line(target, change, kind=REVALUATION)
        else:
            stock_location = self._get_in_move_lines()[:1].location_dest_id
            first = self._prepare_perpetual_line(
                stock_location._get_perpetual_stock_account(accounts),
                change,
                kind=REVALUATION,
                on_stock_account=True,
            )
        return [first, self._prepare_perpetual_service_line(grni, -change, kind=REVALUATION)]

    def _get_perpetual_order_lines(self):
        # The subcontracted receipt's purchase line waits on the service credited above.
        order_lines = super()._get_perpetual_order_lines()
        receipts = self.filtered("production_id.subcontractor_id").move_dest_ids.filtered(
            "is_subcontract"
        )
        return [order_lines[0] | receipts.purchase_line_id, *order_lines[1:]]
