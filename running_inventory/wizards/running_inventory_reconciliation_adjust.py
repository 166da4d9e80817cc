from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.running_inventory_reconciliation import ADJUSTABLE_CAUSES, CAUSES
from ..tools.rpc import rpc_record


class RunningInventoryReconciliationAdjust(models.TransientModel):
    """Post the adjusting entry of differences of a stock reconciliation.

    Each difference moves its product's stock account by its amount against the account the
    accountant chooses, in one entry dated at the reconciliation's date (or the first open
    date after a lock date) and linked to the reconciliation. The entry goes through Odoo's own
    posting (create and post), not the perpetual valuation's fast writer: it is a rare,
    deliberate act, and gets Odoo's checks, numbering, chatter and audit trail.

    What the stock account keeps in step with Odoo's value (a movement or value change that was
    not posted, rounding) is posted as a reconciliation adjustment, which the perpetual
    valuation counts as its own from then on. A journal item outside the valuation (a manual
    entry) is reversed outside it too, so that the valuation keeps ignoring both.
    """

    _name = "running.inventory.reconciliation.adjust"
    _description = "Adjust Stock Reconciliation Differences"
    _check_company_auto = True

    reconciliation_id = fields.Many2one(
        "running.inventory.reconciliation", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="reconciliation_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    difference_ids = fields.Many2many(
        "running.inventory.reconciliation.difference",
        "running_inventory_reconciliation_adjust_difference_rel",
        "adjust_id",
        "difference_id",
        string="Differences",
        compute="_compute_difference_ids",
        store=True,
        readonly=False,
        domain="[('reconciliation_id', '=', reconciliation_id), ('adjustment_move_id', '=', False),"
        f" ('cause', 'in', {list(ADJUSTABLE_CAUSES)})]",
    )
    account_id = fields.Many2one(
        "account.account",
        string="Counterpart Account",
        required=True,
        check_company=True,
        compute="_compute_account_id",
        store=True,
        precompute=True,
        readonly=False,
        help="Where the adjustments go: stock variation by default.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        required=True,
        check_company=True,
        domain="[('type', '=', 'general')]",
        compute="_compute_journal_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    date = fields.Date(
        compute="_compute_date", store=True, precompute=True, readonly=False, required=True
    )
    accounting_date = fields.Date(
        compute="_compute_accounting_date",
        help="The date, or the first open date after a lock date.",
    )
    amount = fields.Monetary(compute="_compute_amount", string="Total Adjustment")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        selected = self._get_selected_differences()
        if selected and not values.get("reconciliation_id"):
            values["reconciliation_id"] = selected[:1].reconciliation_id.id
        return values

    def _get_selected_differences(self):
        """The differences selected in a list, when the wizard is opened from one."""
        if self.env.context.get("active_model") != "running.inventory.reconciliation.difference":
            return self.env["running.inventory.reconciliation.difference"]
        return self.env["running.inventory.reconciliation.difference"].browse(
            self.env.context.get("active_ids") or []
        )

    @api.depends("reconciliation_id")
    def _compute_difference_ids(self):
        selected = self._get_selected_differences()
        for wizard in self:
            differences = selected or wizard.reconciliation_id.difference_ids
            wizard.difference_ids = differences.filtered(
                lambda d, w=wizard: d.is_adjustable and d.reconciliation_id == w.reconciliation_id
            )

    @api.depends("reconciliation_id")
    def _compute_account_id(self):
        for wizard in self:
            company = wizard.company_id
            wizard.account_id = (
                company.account_stock_valuation_id.account_stock_variation_id
                or company.expense_account_id
            )

    @api.depends("reconciliation_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = wizard.company_id.account_stock_journal_id

    @api.depends("reconciliation_id")
    def _compute_date(self):
        for wizard in self:
            wizard.date = wizard.reconciliation_id.date

    @api.depends("date", "journal_id")
    def _compute_accounting_date(self):
        for wizard in self:
            wizard.accounting_date = (
                wizard.company_id._get_perpetual_accounting_date(wizard.date, wizard.journal_id)
                if wizard.date and wizard.journal_id
                else wizard.date
            )

    @api.depends("difference_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.difference_ids.mapped("amount"))

    @rpc_record
    def action_post(self):
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group("account.group_account_manager")):
            raise AccessError(self.env._("Only an accounting administrator can adjust the books."))
        self.reconciliation_id._ensure_not_validated()
        differences = self._get_valid_differences()
        entry = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_entry_vals(differences))
        )
        entry.action_post()
        differences.sudo().adjustment_move_id = entry
        self._mark_moves_posted(differences, entry)
        self.reconciliation_id.message_post(
            body=self.env._(
                "Adjusting entry %(entry)s posted for %(count)s difference(s).",
                entry=entry._get_html_link(),
                count=len(differences),
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": entry.id,
            "views": [(False, "form")],
        }

    def _get_valid_differences(self):
        differences = self.difference_ids.filtered(lambda d: not d.currency_id.is_zero(d.amount))
        if not differences:
            raise UserError(self.env._("Select the differences to adjust."))
        wrong = differences.filtered(
            lambda d: d.reconciliation_id != self.reconciliation_id or not d.is_adjustable
        )
        if wrong:
            raise UserError(
                self.env._(
                    "These differences cannot be adjusted (already adjusted, or their cause "
                    "corrects itself): %(causes)s",
                    causes=", ".join(
                        f"{d.product_id.display_name or d.account_id.display_name}: "
                        f"{dict(CAUSES)[d.cause]}"
                        for d in wrong
                    ),
                )
            )
        return differences

    def _prepare_entry_vals(self, differences):
        reconciliation = self.reconciliation_id
        lines = []
        for difference in differences:
            for stock_line in self._prepare_stock_lines(difference):
                lines += [
                    Command.create(stock_line),
                    Command.create(
                        {
                            "name": stock_line["name"],
                            "product_id": stock_line["product_id"],
                            "account_id": self.account_id.id,
                            "quantity": -stock_line["quantity"],
                            "debit": stock_line["credit"],
                            "credit": stock_line["debit"],
                        }
                    ),
                ]
        return {
            "move_type": "entry",
            "journal_id": self.journal_id.id,
            "date": self.accounting_date,
            "ref": self.env._(
                "Stock reconciliation %(name)s at %(date)s",
                name=reconciliation.name,
                date=fields.Date.to_string(reconciliation.date),
            ),
            "stock_reconciliation_id": reconciliation.id,
            "line_ids": lines,
        }

    def _prepare_stock_lines(self, difference):
        """The stock account lines of one difference. A movement that posted nothing gets a
        line of its own, with its quantity, tied to it (it is posted from then on); journal
        items outside the valuation are reversed with their quantity."""
        currency = self.currency_id
        name = self.env._(
            "%(reconciliation)s: %(cause)s",
            reconciliation=self.reconciliation_id.name,
            cause=dict(CAUSES)[difference.cause],
        )
        common = {
            "name": name,
            "product_id": difference.product_id.id,
            "account_id": difference.account_id.id,
            "stock_valuation_kind": "reconciliation",
        }
        if difference.cause == "unposted_move" and difference.stock_move_ids:
            parts = [
                (move, currency.round(move.value if move.is_in else -move.value))
                for move in difference.stock_move_ids
            ]
            # The difference is the rounded sum: the last movement takes what rounding leaves.
            parts[-1] = (
                parts[-1][0],
                currency.round(parts[-1][1] + difference.amount - sum(part[1] for part in parts)),
            )
            return [
                {
                    **common,
                    **self._amount_vals(amount),
                    "stock_move_id": move.id,
                    "quantity": move._get_valued_qty() * (1 if move.is_in else -1),
                }
                for move, amount in parts
            ]
        if difference.cause == "manual_entry":
            common["stock_valuation_kind"] = False
            quantity = -sum(difference.journal_item_ids.mapped("quantity"))
        else:
            quantity = 0.0
        return [{**common, **self._amount_vals(difference.amount), "quantity": quantity}]

    @staticmethod
    def _amount_vals(amount):
        return {"debit": max(amount, 0.0), "credit": max(-amount, 0.0)}

    def _mark_moves_posted(self, differences, entry):
        """Movements that posted nothing are posted by the adjusting entry."""
        moves = differences.filtered(lambda d: d.cause == "unposted_move").stock_move_ids
        moves.sudo().write({"valuation_posting": "posted", "account_move_id": entry.id})
