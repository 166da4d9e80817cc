from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _eligible_for_stock_account(self):
        # Odoo leaves dropshipped goods out of the stock accounting (their bill is an expense).
        # In perpetual valuation their bill clears goods received not invoiced and their
        # invoice takes the cost of goods sold from goods delivered not invoiced, as for goods
        # that went through the stock.
        if super()._eligible_for_stock_account():
            return True
        product = self.product_id.with_company(self.company_id)
        return bool(
            product.is_storable
            and product._is_perpetual()
            and self._get_stock_moves().filtered("is_dropship")
        )
