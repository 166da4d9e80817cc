from odoo import api, models


class ProductValue(models.Model):
    _inherit = "product.value"

    @api.model_create_multi
    def create(self, vals_list):
        values = super().create(vals_list)
        values._post_perpetual_revaluation()
        return values

    def _post_perpetual_revaluation(self):
        """Odoo has re-valued the stock from these manual values: post the change.

        A value set on a move re-values that movement (its counterpart follows, what was
        already delivered goes to price difference); a new standard, average or lot cost
        re-values what is on hand, against stock variation."""
        on_moves = self.filtered("move_id")
        on_moves.move_id._post_perpetual_value_changes(
            remainder_key=lambda product: product._get_perpetual_price_difference_key()
        )
        on_cost = self - on_moves
        (on_cost.product_id | on_cost.lot_id.product_id)._post_perpetual_revaluation()
