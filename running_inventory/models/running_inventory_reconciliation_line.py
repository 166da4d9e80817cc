from odoo import api, fields, models

from ..tools.bulk import end_of_day
from ..tools.rpc import rpc_record


class RunningInventoryReconciliationLine(models.Model):
    """One product on one stock valuation account in a reconciliation: Odoo's stock value
    against the book balance. A line without product holds the journal items on the account
    that name no product."""

    _name = "running.inventory.reconciliation.line"
    _description = "Stock Reconciliation: Product"
    _order = "reconciliation_id, account_id, product_id"

    reconciliation_id = fields.Many2one(
        "running.inventory.reconciliation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    account_id = fields.Many2one("account.account", string="Stock Account", readonly=True)
    quantity = fields.Float(
        digits="Product Unit", readonly=True, help="On hand at the date, on this account."
    )
    odoo_value = fields.Monetary(string="Stock Value", readonly=True)
    balance = fields.Monetary(string="Book Balance", readonly=True)
    difference = fields.Monetary(readonly=True, help="Stock value less book balance.")
    difference_ids = fields.One2many(
        "running.inventory.reconciliation.difference", "line_id", string="Causes"
    )

    @api.readonly
    @rpc_record
    def action_open_journal_items(self):
        """The journal items behind the book balance."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Journal Items"),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [
                ("company_id", "=", self.company_id.id),
                ("account_id", "=", self.account_id.id),
                ("product_id", "=", self.product_id.id),
                ("parent_state", "=", "posted"),
                ("date", "<=", self.reconciliation_id.date),
            ],
        }

    @api.readonly
    @rpc_record
    def action_open_ledger(self):
        """The product's running ledger up to the date."""
        self.ensure_one()
        action = self.product_id.action_open_running_ledger()
        action["domain"] += [
            ("company_id", "=", self.company_id.id),
            ("date", "<=", end_of_day(self.reconciliation_id.date)),
        ]
        return action
