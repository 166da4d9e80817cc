from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.res_company import PERPETUAL
from ..tools.rpc import rpc_record
from ..tools.valuation_line import OPENING, ValuationLine


class StockValuationGoLive(models.TransientModel):
    """Switch a company (or some of its product categories) with stock on hand to perpetual
    valuation at each movement: one opening entry brings the stock value to the books, per
    product, so that they tie out with Odoo's valuation from the first movement on."""

    _name = "stock.valuation.go.live"
    _description = "Go Live with Perpetual Valuation"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    company_live_since = fields.Datetime(
        compute="_compute_company_live_since",
        help="When the company went live: then only its categories still valued otherwise "
        "can go live.",
    )
    category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Go live for these categories only. Empty: the whole company.",
    )
    date = fields.Date(string="Opening Date", required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        required=True,
        check_company=True,
        domain="[('type', '=', 'general')]",
        default=lambda self: self.env.company.account_stock_journal_id,
    )
    counterpart_account_id = fields.Many2one(
        "account.account",
        string="Opening Counterpart",
        required=True,
        check_company=True,
        default=lambda self: self._default_counterpart_account(),
        help="Credited with the opening stock value (less what the stock accounts already "
        "hold from periodic closings). Default: the stock variation account.",
    )
    line_ids = fields.One2many(
        "stock.valuation.go.live.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        string="Opening Stock",
    )
    total_value = fields.Monetary(
        compute="_compute_line_ids", store=True, currency_field="currency_id"
    )

    def _default_counterpart_account(self):
        company = self.env.company
        return (
            company.account_stock_valuation_id.account_stock_variation_id
            or company.expense_account_id
        )

    @api.depends("company_id")
    def _compute_company_live_since(self):
        for wizard in self:
            company = wizard.company_id.with_company(wizard.company_id)
            wizard.company_live_since = (
                company.inventory_valuation == PERPETUAL and company.perpetual_valuation_date
            )

    def _get_products(self):
        self.ensure_one()
        domain = [("is_storable", "=", True), ("company_id", "in", (False, self.company_id.id))]
        if self.category_ids:
            domain.append(("categ_id", "child_of", self.category_ids.ids))
        products = self.env["product.product"].with_company(self.company_id).search(domain)
        # Products already live posted their opening value: going live again leaves them out.
        return products.filtered(lambda product: product.valuation != PERPETUAL)

    @api.depends("company_id", "category_ids")
    def _compute_line_ids(self):
        for wizard in self:
            products = wizard._get_products()
            position = products._read_perpetual_position()
            quantities = position.quantities
            values = products._get_perpetual_stock_values(position)
            wizard.line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "product_id": product.id,
                        "account_id": account.id,
                        "quantity": quantities[product, account],
                        "value": values.get((product.id, account.id), 0.0),
                    }
                )
                for (product, account) in sorted(quantities, key=lambda key: (key[0].id, key[1].id))
                if not product.uom_id.is_zero(quantities[product, account])
            ]
            wizard.total_value = sum(wizard.line_ids.mapped("value"))

    @rpc_record
    def action_go_live(self):
        self.ensure_one()
        if not (
            self.env.is_superuser() or self.env.user.has_group("account.group_account_manager")
        ):
            raise UserError(self.env._("Only an accounting administrator can go live."))
        company = self.company_id.with_company(self.company_id)
        self._ensure_not_live()
        self._check_open_period()
        company._perpetual_setup_accounts()
        wizard = self.with_company(company)
        with company._going_live():
            entry = wizard._post_opening_entry()
            wizard._switch_mode()
        company.perpetual_valuation_date = fields.Datetime.now()
        if not entry:
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": entry.id,
            "views": [(False, "form")],
        }

    def _ensure_not_live(self):
        """Going live twice would post the opening value twice: refused for the whole of a
        company already in the perpetual mode, and for categories that all are (a company in
        the perpetual mode may still bring a periodic category live)."""
        company = self.company_id.with_company(self.company_id)
        if not self.category_ids and company.inventory_valuation == PERPETUAL:
            raise UserError(
                self.env._(
                    "%(company)s already values its stock at each movement: it went live on "
                    "%(date)s.",
                    company=company.display_name,
                    date=company.perpetual_valuation_date,
                )
            )
        if not self.category_ids:
            return
        categories = (
            self.env["product.category"]
            .with_company(company)
            .search([("id", "child_of", self.category_ids.ids)])
        )
        if all(category.property_valuation == PERPETUAL for category in categories):
            raise UserError(
                self.env._(
                    "%(categories)s already value their stock at each movement.",
                    categories=", ".join(self.category_ids.mapped("display_name")),
                )
            )

    def _check_open_period(self):
        lock_dates = self.company_id._get_violated_lock_dates(self.date, False, self.journal_id)
        if lock_dates:
            raise UserError(
                self.env._(
                    "The opening date %(date)s is in a locked period (%(locks)s): choose a date "
                    "after it.",
                    date=self.date,
                    locks=self.env["res.company"]._format_lock_dates(lock_dates),
                )
            )

    def _switch_mode(self):
        if self.category_ids:
            categories = self.env["product.category"].search(
                [("id", "child_of", self.category_ids.ids)]
            )
            categories.property_valuation = PERPETUAL
        else:
            self.company_id._perpetual_activate()

    def _post_opening_entry(self):
        return (
            self.env["running.inventory.posting"]
            .sudo()
            ._post_lines(
                self._prepare_opening_lines(),
                self.journal_id,
                self.date,
                self.env._("Opening stock value (perpetual valuation)"),
            )
        )

    def _prepare_opening_lines(self):
        """The value of each product on its stock account, against the counterpart; for the
        whole company, what the stock accounts already hold from periodic closings or from
        Odoo's perpetual-at-invoicing mode is taken back first, since it is now per product."""
        currency = self.currency_id
        name = self.env._("Opening stock value")
        lines = [
            ValuationLine(
                account_id=line.account_id.id,
                amount=currency.round(line.value),
                label=name,
                kind=OPENING,
                product_id=line.product_id.id,
                uom_id=line.product_id.uom_id.id,
                quantity=line.quantity,
                on_stock_account=True,
            )
            for line in self.line_ids
        ]
        if not self.category_ids:
            lines += [
                ValuationLine(
                    account_id=account.id,
                    amount=-currency.round(balance),
                    label=self.env._("Stock value before perpetual valuation"),
                    kind=OPENING,
                )
                for account, balance in self._get_stock_account_balances().items()
            ]
        total = currency.round(sum(line.amount for line in lines))
        if not currency.is_zero(total):
            lines.append(
                ValuationLine(
                    account_id=self.counterpart_account_id.id,
                    amount=-total,
                    label=name,
                    kind=OPENING,
                )
            )
        return lines

    def _get_stock_account_balances(self):
        """What the stock accounts hold before going live (posted, up to the opening date)."""
        accounts = self.line_ids.account_id | self.company_id.account_stock_valuation_id
        accounts |= self.company_id._get_perpetual_account_locations().valuation_account_id
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "in", accounts.ids),
                    ("company_id", "=", self.company_id.id),
                    ("parent_state", "=", "posted"),
                    ("date", "<=", self.date),
                    # What the perpetual valuation posted (categories already live) is per
                    # product already: not taken back.
                    ("stock_valuation_kind", "=", False),
                ],
                ["account_id"],
                ["balance:sum"],
            )
        )
        return {account: balance for account, balance in groups if balance}


class StockValuationGoLiveLine(models.TransientModel):
    _name = "stock.valuation.go.live.line"
    _description = "Opening Stock Value of a Product"

    wizard_id = fields.Many2one("stock.valuation.go.live", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    product_id = fields.Many2one("product.product", required=True)
    account_id = fields.Many2one("account.account", string="Stock Account", required=True)
    quantity = fields.Float(digits="Product Unit")
    value = fields.Monetary(currency_field="currency_id")
