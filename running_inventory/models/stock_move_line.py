from odoo import api, models

VALUATION_FIELDS = ("quantity", "location_id", "location_dest_id", "owner_id", "lot_id", "quant_id")


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Odoo lets a done movement be corrected (its quantity, lots, locations) and re-values it;
    # the perpetual valuation posts the correction.

    @api.model_create_multi
    def create(self, vals_list):
        move_lines = super().create(vals_list)
        move_lines._post_perpetual_done_corrections()
        return move_lines

    def write(self, vals):
        result = super().write(vals)
        if any(field in vals for field in VALUATION_FIELDS):
            self._post_perpetual_done_corrections()
        return result

    def unlink(self):
        moves = self.move_id.filtered(lambda m: m.state == "done")
        result = super().unlink()
        moves.exists()._post_perpetual_value_changes()
        return result

    def _post_perpetual_done_corrections(self):
        self.move_id.filtered(lambda m: m.state == "done")._post_perpetual_value_changes()
