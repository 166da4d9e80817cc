from odoo import models


class StockLandedCostLines(models.Model):
    _inherit = "stock.landed.cost.lines"

    def _get_perpetual_account(self, stock_account):
        """The account a perpetual landed cost is credited to: the line's account, or the cost
        product's expense account where the line names none or names the stock account itself
        (Odoo proposes the stock account on landed costs created from a bill, whose line is on
        the expense account when the goods are valued at each movement)."""
        self.ensure_one()
        if self.account_id and self.account_id != stock_account:
            return self.account_id
        return self.product_id.product_tmpl_id.with_company(
            self.cost_id.company_id
        )._get_product_accounts()["expense"]
