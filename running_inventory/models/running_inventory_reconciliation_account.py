from odoo import fields, models


class RunningInventoryReconciliationAccount(models.Model):
    """A stock valuation account in a reconciliation: the totals of its products, and of the
    journal items on it without a product."""

    _name = "running.inventory.reconciliation.account"
    _description = "Stock Reconciliation: Account"
    _order = "reconciliation_id, account_id"

    reconciliation_id = fields.Many2one(
        "running.inventory.reconciliation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    account_id = fields.Many2one("account.account", string="Stock Account", readonly=True)
    product_count = fields.Integer(string="Products", readonly=True)
    odoo_value = fields.Monetary(string="Stock Value", readonly=True)
    balance = fields.Monetary(string="Book Balance", readonly=True)
    balance_without_product = fields.Monetary(
        string="Items Without Product",
        readonly=True,
        help="Part of the book balance on journal items that name no product.",
    )
    difference = fields.Monetary(readonly=True, help="Stock value less book balance.")
