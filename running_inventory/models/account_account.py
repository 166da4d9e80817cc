from odoo import models


class AccountAccount(models.Model):
    _inherit = "account.account"

    def write(self, vals):
        if "account_stock_variation_id" in vals:
            # Part of the categories' perpetual accounts, which are cached.
            self.env.registry.clear_cache()
        return super().write(vals)
