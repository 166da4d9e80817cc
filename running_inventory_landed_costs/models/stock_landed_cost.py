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
            posting._post_value_changes(
                cost.valuation_adjustment_lines.move_id,
                remainder_key=lambda product: "expense",
                origin=cost,
            )
        return result
