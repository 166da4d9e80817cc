from odoo import api, models
from odoo.tools import ormcache


class AccountAccount(models.Model):
    _inherit = "account.account"

    def write(self, vals):
        if {"account_stock_variation_id", "reconcile", "account_type"} & set(vals):
            # Part of the categories' perpetual accounts, and of what the perpetual entries
            # store on their lines: both cached.
            self.env.registry.clear_cache()
        return super().write(vals)

    @api.model
    @ormcache("account_id")
    def _is_reconcilable_account(self, account_id):
        """Whether lines on this account carry a residual (Odoo's own rule)."""
        account = self.sudo().browse(account_id)
        return account.reconcile or account.account_type in (
            "asset_receivable",
            "liability_payable",
        )
