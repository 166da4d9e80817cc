from odoo import models

from odoo.addons.running_inventory.tools.rpc import rpc_records


class StockLandedCost(models.Model):
    _inherit = "stock.landed.cost"

    @rpc_records  # malformed ids: a UserError, not a traceback
    def button_validate(self):
        # Odoo posts its own landed cost entry for products valued "at invoicing" only; for
        # perpetual products the posting service posts the landed cost as a value change of the
        # receipts it applies to (see stock.move._prepare_perpetual_landed_cost_lines).
        result = super().button_validate()
        posting = self.env["running.inventory.posting"]
        for cost in self.filtered(lambda c: c.state == "done"):
            entries = posting._post_value_changes(
                cost.valuation_adjustment_lines.move_id,
                remainder_key=lambda product: "expense",
                origin=cost,
            )
            cost._link_perpetual_entry(entries)
        return result

    def _link_perpetual_entry(self, entries):
        """The landed cost's Journal Entry is the one posting it, where Odoo posted none (its
        products are all perpetual): the landed cost and its entry then link both ways."""
        self.ensure_one()
        if entries and not self.account_move_id:
            self.account_move_id = entries[:1]
