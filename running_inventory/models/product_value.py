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
        posting = self.env["running.inventory.posting"]
        on_moves = self.filtered("move_id")
        posting._post_value_changes(
            on_moves.move_id,
            remainder_key=lambda product: product._get_perpetual_price_difference_key(),
        )
        for company, on_cost in (self - on_moves).grouped("company_id").items():
            posting.with_company(company)._post_cost_changes(
                on_cost.product_id | on_cost.lot_id.product_id
            )
