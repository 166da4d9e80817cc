from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools.rpc import checked_date, checked_flag, rpc_record
from ..tools.stock_valuation import split_by_quantity

PERPETUAL = "perpetual"
# Set while the go-live wizard (or the install) puts companies and categories in the perpetual
# mode. Not a context key: any RPC caller sets the context of their call.
_GOING_LIVE = ContextVar("running_inventory_going_live", default=False)
# What a recount threshold may be: a share of the expected quantity, an amount.
COUNT_THRESHOLD_BOUNDS = {
    "count_threshold_quantity_percent": (0, 1000),
    "count_threshold_value": (0, 10**12),
}


def sets_account_or_journal(records, vals):
    """Whether `vals` (of a write on `records`) set an account or a journal: what the
    perpetual accounts cached per category and company (`_get_perpetual_account_ids`) are."""
    fields_ = records._fields
    return any(
        name in fields_
        and fields_[name].type == "many2one"
        and fields_[name].comodel_name in ("account.account", "account.journal")
        for name in vals
    )


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "running.inventory.bounds.mixin"]
    _number_bounds = COUNT_THRESHOLD_BOUNDS

    inventory_valuation = fields.Selection(
        selection_add=[(PERPETUAL, "Perpetual (at each movement)")],
        ondelete={PERPETUAL: "set default"},
    )
    perpetual_valuation_date = fields.Datetime(
        string="Perpetual Valuation Since",
        readonly=True,
        help="When the company went live with perpetual valuation at each movement: movements "
        "done before have no journal entry of their own, the opening entry covers them.",
    )
    stock_reconciliation_user_id = fields.Many2one(
        "res.users",
        string="Stock Reconciliation Responsible",
        help="Gets an activity when the daily stock reconciliation finds a new difference "
        "between stock and books. Empty: the first accounting administrator of the company.",
    )

    account_stock_grni_id = fields.Many2one(
        "account.account",
        string="Goods Received Not Invoiced Account",
        check_company=True,
        help="Interim liability credited when goods are received and debited by the vendor bill.",
    )
    account_stock_gdni_id = fields.Many2one(
        "account.account",
        string="Goods Delivered Not Invoiced Account",
        check_company=True,
        help="Interim asset debited when goods are delivered and credited by the customer invoice.",
    )
    account_inventory_gain_loss_id = fields.Many2one(
        "account.account",
        string="Inventory Gains and Losses Account",
        check_company=True,
        help="Perpetual valuation: the counterpart of stock counted in or out, and of scrap, "
        "for inventory adjustment and scrap locations without a Stock Valuation Account of "
        "their own.",
    )

    # ------------------------------------------------------------------
    # Set-up of the perpetual mode
    # ------------------------------------------------------------------

    count_threshold_quantity_percent = fields.Float(
        string="Recount Above (Quantity %)",
        default=5.0,
        help="A counted quantity that differs from the expected quantity by more than this share "
        "of the expected quantity needs a recount by another counter. 0 disables the check.",
    )
    count_threshold_value = fields.Monetary(
        string="Recount Above (Value)",
        currency_field="currency_id",
        default=100.0,
        help="A count whose difference is worth more than this amount needs a recount by "
        "another counter. 0 disables the check.",
    )

    _count_threshold_positive = models.Constraint(
        "CHECK(count_threshold_quantity_percent >= 0 AND count_threshold_value >= 0)",
        "Recount thresholds cannot be negative.",
    )

    def write(self, vals):
        if vals.get("inventory_valuation") == PERPETUAL and not self._is_going_live():
            self.filtered(
                lambda c: c.inventory_valuation != PERPETUAL
            )._check_perpetual_without_stock()
        result = super().write(vals)
        if sets_account_or_journal(self, vals):
            # The perpetual accounts of categories fall back to the company's (cached).
            self.env.registry.clear_cache()
        return result

    @api.model
    @contextmanager
    def _going_live(self):
        """Let the code in this block put companies and categories with stock on hand in the
        perpetual mode, which their writes refuse otherwise. For the go-live wizard, which
        posts the opening value of that stock, and for companies without stock history."""
        token = _GOING_LIVE.set(True)
        try:
            yield
        finally:
            _GOING_LIVE.reset(token)

    @api.model
    def _is_going_live(self):
        return _GOING_LIVE.get()

    def _check_perpetual_without_stock(self, products=None):
        """Stock on hand reaches perpetual valuation through the go-live wizard, which posts
        its opening value; switching the mode alone would leave it out of the books."""
        for company in self:
            domain = [
                ("company_id", "=", company.id),
                ("location_id.is_valued_internal", "=", True),
                ("quantity", "!=", 0),
                ("product_id.is_storable", "=", True),
            ]
            if products is not None:
                domain.append(("product_id", "in", products.ids))
            if self.env["stock.quant"].sudo().search_count(domain, limit=1):
                raise UserError(
                    self.env._(
                        "%(company)s has stock on hand: go live with perpetual valuation from "
                        "Accounting > Configuration > Go Live: Perpetual Valuation, which posts "
                        "the opening stock value.",
                        company=company.display_name,
                    )
                )

    def _has_done_stock_moves(self):
        self.ensure_one()
        return bool(
            self.env["stock.move"]
            .sudo()
            .search_count([("company_id", "=", self.id), ("state", "=", "done")], limit=1)
        )

    def _perpetual_setup_accounts(self):
        """Create and set every account the perpetual mode needs, where missing.

        Works for any chart of accounts: new accounts take the first free code after an
        account of the same nature in the company's chart. Existing settings are kept.
        """
        for company in self.filtered("chart_template"):
            company = company.with_company(company)
            stock_account = company.account_stock_valuation_id
            if not stock_account or not company.account_stock_journal_id:
                # The chart template has no stock accounting at all: nothing to build on.
                continue
            variation = stock_account.account_stock_variation_id or company.expense_account_id
            payable = company.partner_id.with_company(company).property_account_payable_id
            if not company.account_stock_grni_id:
                company.account_stock_grni_id = company._perpetual_create_account(
                    company.env._("Goods Received Not Invoiced"), "liability_current", payable
                )
            if not company.account_stock_gdni_id:
                company.account_stock_gdni_id = company._perpetual_create_account(
                    company.env._("Goods Delivered Not Invoiced"), "asset_current", stock_account
                )
            company._perpetual_setup_price_difference_account(variation)
            company._perpetual_setup_location_accounts(variation)

    def _perpetual_create_account(self, name, account_type, next_to):
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        existing = Account.search(
            [*Account._check_company_domain(self), ("name", "=", name)], limit=1
        )
        if existing:
            return existing
        return Account.create(
            {
                "name": name,
                "code": Account._search_new_account_code(next_to.code or "1"),
                "account_type": account_type,
                "company_ids": [fields.Command.link(self.id)],
            }
        )

    def _perpetual_setup_price_difference_account(self, next_to):
        """Odoo's price difference account, as the default of every category."""
        self.ensure_one()
        Default = self.env["ir.default"].sudo()
        field = "property_price_difference_account_id"
        if Default._get("product.category", field, company_id=self.id):
            return
        account = self._perpetual_create_account(
            self.env._("Purchase Price Differences"), "expense_direct_cost", next_to
        )
        Default.set("product.category", field, account.id, company_id=self.id)

    def _perpetual_setup_location_accounts(self, next_to):
        """The company's inventory gains and losses account, for what is counted or scrapped.
        Odoo's own locations are left as they are: a Stock Valuation Account set on them
        would make Odoo's own "Perpetual (at invoicing)" mode post at each movement too."""
        self.ensure_one()
        if not self.account_inventory_gain_loss_id:
            self.account_inventory_gain_loss_id = self._perpetual_create_account(
                self.env._("Inventory Gains and Losses"), "expense", next_to
            )

    def _perpetual_activate(self):
        """Put the companies and all their product categories in the perpetual mode.

        Only for companies without stock history: a company with stock on hand goes live
        through the go-live wizard, which posts the opening entry first.
        """
        self._perpetual_setup_accounts()
        categories = self.env["product.category"].with_context(active_test=False).search([])
        with self._going_live():
            for company in self:
                company.inventory_valuation = PERPETUAL
                company.perpetual_valuation_date = (
                    company.perpetual_valuation_date or fields.Datetime.now()
                )
                company._set_category_defaults()
                categories.with_company(company).property_valuation = PERPETUAL

    def _get_perpetual_accounting_date(self, date, journal):
        """`date`, or the first open date after a lock date (Odoo's own accounting-date rule)."""
        self.ensure_one()
        # Runs at each validation: a date after every lock date of the company and its parents
        # cannot be locked (exceptions only lift locks), so Odoo's full check is only needed
        # near a lock date. A stock entry has no tax and is in a miscellaneous journal.
        locks = [
            lock
            for company in self.sudo().parent_ids
            for lock in (company.fiscalyear_lock_date, company.hard_lock_date)
            if lock
        ]
        if not locks or date > max(locks):
            return date
        lock_dates = self._get_violated_lock_dates(date, False, journal)
        if not lock_dates:
            return date
        draft = self.env["account.move"].new(
            {"journal_id": journal.id, "date": date, "move_type": "entry", "company_id": self.id}
        )
        return draft._get_accounting_date(date, False, lock_dates=lock_dates)

    # ------------------------------------------------------------------
    # Odoo's closing
    # ------------------------------------------------------------------
    # stock_value and stock_accounting_value answer {account record: amount}, which no RPC
    # answer can carry (a TypeError while Odoo writes the answer, after the method ran): they
    # are server-side only, refused to clients with an AccessError.

    @api.private
    def stock_value(self, accounts_by_product=None, at_date=None):
        value_by_account = super().stock_value(accounts_by_product, at_date=at_date)
        if self.inventory_valuation != PERPETUAL:
            return value_by_account
        # Odoo values each product on its category's account; the share of stock held in
        # locations with an account of their own is valued there.
        accounts_by_product = accounts_by_product or self._get_accounts_by_product()
        for (product, account), value in self._get_perpetual_location_values(
            accounts_by_product, at_date
        ).items():
            value_by_account[accounts_by_product[product]["valuation"]] -= value
            value_by_account[account] += value
        return value_by_account

    @api.private
    def stock_accounting_value(self, accounts_by_product=None, at_date=None):
        balance_by_account = super().stock_accounting_value(accounts_by_product, at_date=at_date)
        location_accounts = self._get_perpetual_account_locations().valuation_account_id
        if self.inventory_valuation != PERPETUAL or not location_accounts:
            return balance_by_account
        domain = Domain(
            [
                ("account_id", "in", location_accounts.ids),
                ("company_id", "=", self.id),
                ("parent_state", "=", "posted"),
            ]
        )
        if at_date:
            domain &= Domain("date", "<=", at_date)
        for account, balance in self.env["account.move.line"]._read_group(
            domain, ["account_id"], ["balance:sum"]
        ):
            balance_by_account[account] += balance
        return balance_by_account

    def _get_perpetual_account_locations(self):
        """Internal and transit locations valuing their stock on an account of their own."""
        self.ensure_one()
        return self.env["stock.location"].search(
            [
                ("company_id", "=", self.id),
                ("is_valued_internal", "=", True),
                ("valuation_account_id", "!=", False),
            ]
        )

    def _get_perpetual_location_values(self, accounts_by_product, at_date=None):
        """Odoo's value of what locations with their own stock account hold, per (product,
        account): the product's value shared by quantity between those accounts and the
        category's (as Odoo values a warehouse's share)."""
        self.ensure_one()
        locations = self._get_perpetual_account_locations()
        products = self.env["product.product"].union(*accounts_by_product)
        held = defaultdict(dict)  # {product: {location account: quantity}}
        for account, account_locations in locations.grouped("valuation_account_id").items():
            quantities = products.with_context(
                location=account_locations.ids, to_date=at_date
            )._compute_quantities_dict(None, None, None, to_date=at_date)
            for product in products:
                if quantities[product.id]["qty_available"]:
                    held[product][account] = quantities[product.id]["qty_available"]
        values = {}
        for product, by_account in held.items():
            product = product.with_context(to_date=at_date)
            total_quantity = product._with_valuation_context().qty_available
            if product.uom_id.is_zero(total_quantity):
                continue
            quantities = {account.id: quantity for account, quantity in by_account.items()}
            category_account = accounts_by_product[product]["valuation"].id
            quantities[category_account] = quantities.get(category_account, 0.0) + (
                total_quantity - sum(by_account.values())
            )
            shares = split_by_quantity(product.total_value, quantities, self.currency_id.round)
            values.update({(product, account): shares[account.id] for account in by_account})
        return values

    def _get_continental_realtime_variation_vals(
        self, accounts_by_product, at_date=None, extra_aml_vals_list=None
    ):
        # At each movement the stock variation is already posted (to COGS through the interim
        # accounts, to gain/loss, ...): there is no variation of the period left to post.
        if self.inventory_valuation == PERPETUAL:
            return []
        return super()._get_continental_realtime_variation_vals(
            accounts_by_product, at_date=at_date, extra_aml_vals_list=extra_aml_vals_list
        )

    @api.model
    def _cron_post_stock_valuation(self):
        # Odoo's daily/monthly closing targets periodic valuation; a perpetual company is
        # closed at every movement and must not get an automatic closing entry.
        perpetual = self.search(Domain("inventory_valuation", "=", PERPETUAL))
        return super(
            ResCompany, self.with_context(stock_closing_excluded_company_ids=perpetual.ids)
        )._cron_post_stock_valuation()

    @rpc_record
    def action_close_stock_valuation(self, at_date=None, auto_post=False):
        checked_date(self.env, at_date, "at_date")
        checked_flag(self.env, auto_post, "auto_post")
        if self.id in self.env.context.get("stock_closing_excluded_company_ids", ()):
            return False
        return super().action_close_stock_valuation(at_date=at_date, auto_post=auto_post)

    # ------------------------------------------------------------------
    # Stock reconciliation
    # ------------------------------------------------------------------

    def _get_stock_reconciliation_user(self):
        """The first internal accounting administrator of the company."""
        self.ensure_one()
        return self.env["res.users"].search(
            [
                ("group_ids", "in", self.env.ref("account.group_account_manager").ids),
                ("company_ids", "in", self.ids),
                ("share", "=", False),
                ("id", "!=", self.env.ref("base.user_root").id),
            ],
            order="id",
            limit=1,
        )
