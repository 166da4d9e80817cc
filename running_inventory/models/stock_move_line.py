from odoo import models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Odoo lets a done movement be corrected (its quantity, lots, locations, owner) and
    # re-values it: the perpetual valuation posts the correction.

    def _update_stock_move_value(self, old_qty_by_ml=None):
        # stock_account's hook after a move line is created or a valuation field written.
        result = super()._update_stock_move_value(old_qty_by_ml)
        posting = self.env["running.inventory.posting"]
        posting._post_value_changes(self.move_id)
        posting._post_movements_done_outside_validation(self.move_id)
        return result

    def unlink(self):
        # Odoo re-values nothing when a done move line is deleted; its quantity leaves the
        # books all the same.
        done_moves = self.move_id.filtered(lambda m: m.state == "done")
        result = super().unlink()
        self.env["running.inventory.posting"]._post_value_changes(done_moves.exists())
        return result
