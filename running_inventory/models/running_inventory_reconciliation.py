from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.bulk import end_of_day, insert_records, insert_relations
from ..tools.rpc import rpc_record, rpc_records
from ..tools.stock_valuation import sort_key, split_by_quantity
from ..tools.valuation_sql import valued_location_sql

CAUSES = [
    ("before_go_live", "Before go-live"),
    ("unposted_move", "Movement without entry"),
    ("manual_entry", "Journal item outside the valuation"),
    ("cut_off", "Entry dated across the date"),
    ("current_cost", "Odoo's value at today's cost"),
    ("consigned", "Goods owned by others in Odoo's value"),
    ("value_not_posted", "Value change not posted"),
    ("rounding", "Rounding"),
]
# Causes an adjusting entry corrects. The others correct themselves: a cut-off when the entry's
# date comes, a go-live by its opening entry, today's cost when the date is today.
ADJUSTABLE_CAUSES = ("unposted_move", "manual_entry", "value_not_posted", "rounding")
# A residual of up to this many units of the currency's rounding is rounding.
ROUNDING_TOLERANCE = 2
ACCOUNTING_USER_GROUP = "account.group_account_invoice"
# Who signs a reconciliation off, and reverses a sign-off: who adjusts the books.
ACCOUNTING_MANAGER_GROUP = "account.group_account_manager"
# What action_compute stores: no user writes it (see _ensure_figures_untouched).
FIGURE_FIELDS = frozenset(
    {
        "state",
        "computed_on",
        "odoo_value",
        "balance",
        "difference",
        "difference_count",
        "has_difference",
        "validated_by_id",
        "validated_on",
        "computed_adjustment_count",
    }
)
# What a validated reconciliation keeps as it was signed off.
LOCKED_FIELDS = FIGURE_FIELDS | {"name", "date", "category_ids", "company_id", "kind"}


class RunningInventoryReconciliation(models.Model):
    """A stock-to-ledger reconciliation of a company at a date.

    Per product and stock valuation account: Odoo's own stock value at the end of the day
    (running.inventory.valuation, the figure of Odoo's ``to_date`` valuation) against the
    balance of the journal items on that account for that product; the difference, explained
    by cause (running.inventory.reconciliation.difference) down to the movements and journal
    items behind it; totals per account; the goods received or delivered and not invoiced yet.
    The figures are a snapshot, computed in a fixed number of queries whatever the number of
    products, and kept for the month-end file (PDF) and for the adjusting entries posted from it.
    """

    _name = "running.inventory.reconciliation"
    _description = "Stock Reconciliation"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Stock and books at the end of this day (UTC), as Odoo values stock at a date.",
    )
    category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Reconcile these categories (and their children) only. Empty: every product.",
    )
    kind = fields.Selection(
        [("manual", "Manual"), ("check", "Scheduled check")],
        default="manual",
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Computed"), ("validated", "Validated")],
        default="draft",
        readonly=True,
        tracking=True,
        help="Validated: signed off, locked; it can no longer be recomputed or adjusted, only "
        "its validation reversed (kept in the chatter).",
    )
    validated_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    validated_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    computed_adjustment_count = fields.Integer(
        readonly=True,
        copy=False,
        help="The posted adjusting entries when the figures were computed: one posted since "
        "makes them stale until recomputed.",
    )
    computed_on = fields.Datetime(readonly=True)
    line_ids = fields.One2many(
        "running.inventory.reconciliation.line", "reconciliation_id", string="Products"
    )
    account_line_ids = fields.One2many(
        "running.inventory.reconciliation.account", "reconciliation_id", string="Accounts"
    )
    difference_ids = fields.One2many(
        "running.inventory.reconciliation.difference", "reconciliation_id", string="Differences"
    )
    interim_ids = fields.One2many(
        "running.inventory.reconciliation.interim",
        "reconciliation_id",
        string="Received / Delivered Not Invoiced",
    )
    adjustment_move_ids = fields.One2many(
        "account.move", "stock_reconciliation_id", string="Adjusting Entries", readonly=True
    )
    odoo_value = fields.Monetary(string="Stock Value", readonly=True, tracking=True)
    balance = fields.Monetary(string="Book Balance", readonly=True, tracking=True)
    difference = fields.Monetary(
        readonly=True, tracking=True, help="Stock value less book balance, over all accounts."
    )
    difference_count = fields.Integer(readonly=True)
    has_difference = fields.Boolean(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        self._ensure_figures_untouched({fname for vals in vals_list for fname in vals})
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._ensure_figures_untouched(set(vals))
        self._ensure_not_validated(set(vals))
        return super().write(vals)

    def unlink(self):
        self._ensure_not_validated(LOCKED_FIELDS)
        return super().unlink()

    def _ensure_not_validated(self, fnames=LOCKED_FIELDS):
        """A validated reconciliation is the signed-off month-end file: nothing of it changes
        but through the reversal of its validation (action_reset_validation)."""
        if self.env.context.get("reconciliation_validation") or not fnames & LOCKED_FIELDS:
            return
        validated = self.filtered(lambda r: r.state == "validated")
        if validated:
            raise UserError(
                self.env._(
                    "The reconciliation %(names)s is validated: it can no longer be recomputed, "
                    "adjusted or changed. Reverse its validation first, or create a new one.",
                    names=", ".join(validated.mapped("name")),
                )
            )

    def _ensure_figures_untouched(self, fnames):
        """The figures and the state are the computation's (action_compute), for every user but
        the superuser: a reconciliation prints what the books and the stock say."""
        touched = fnames & FIGURE_FIELDS
        if touched and not self.env.su:
            raise AccessError(
                self.env._(
                    "A reconciliation's %(fields)s are computed, not entered: recompute it.",
                    fields=", ".join(self._fields[fname].string for fname in sorted(touched)),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @rpc_records
    def action_compute(self):
        """(Re)compute the figures: every product line, the differences and their causes."""
        self._ensure_accounting_user()
        self._ensure_not_validated()
        for reconciliation in self:
            reconciliation._evaluate_figures()
        return True

    @rpc_record
    def action_open_adjust(self):
        """The adjusting entry for the selected (else all open) differences."""
        self.ensure_one()
        self._ensure_not_validated()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Adjust Differences"),
            "res_model": "running.inventory.reconciliation.adjust",
            "view_mode": "form",
            "target": "new",
            "context": {"default_reconciliation_id": self.id},
        }

    @api.readonly
    @rpc_record
    def action_open_differences(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_reconciliation_difference_action"
        )
        action["domain"] = [("reconciliation_id", "=", self.id)]
        return action

    @rpc_records
    def action_validate(self):
        """Sign the computed figures off: who and when; the reconciliation is locked."""
        self._ensure_accounting_manager()
        self._ensure_not_validated()
        for reconciliation in self:
            reconciliation._check_validable()
        self.sudo().with_context(reconciliation_validation=True).write(
            {
                "state": "validated",
                "validated_by_id": self.env.uid,
                "validated_on": fields.Datetime.now(),
            }
        )
        return True

    def _check_validable(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                self.env._(
                    "Compute the reconciliation %(name)s before validating it.", name=self.name
                )
            )
        if self._count_posted_adjustments() != self.computed_adjustment_count:
            raise UserError(
                self.env._(
                    "Adjusting entries were posted since the reconciliation %(name)s was "
                    "computed: recompute it, then validate the figures the books hold now.",
                    name=self.name,
                )
            )

    def _count_posted_adjustments(self):
        self.ensure_one()
        return len(self.adjustment_move_ids.filtered(lambda move: move.state == "posted"))

    @rpc_records
    def action_reset_validation(self):
        """Reverse a validation: the figures can be recomputed again; the chatter keeps who
        validated them, when, and who reversed it."""
        self._ensure_accounting_manager()
        for reconciliation in self:
            if reconciliation.state != "validated":
                raise UserError(
                    self.env._(
                        "The reconciliation %(name)s is not validated.", name=reconciliation.name
                    )
                )
            reconciliation.message_post(
                body=self.env._(
                    "Validation by %(user)s on %(date)s reversed by %(reverser)s.",
                    user=reconciliation.validated_by_id.name,
                    date=fields.Datetime.to_string(reconciliation.validated_on),
                    reverser=self.env.user.name,
                )
            )
        self.sudo().with_context(reconciliation_validation=True).write(
            {"state": "done", "validated_by_id": False, "validated_on": False}
        )
        return True

    def _ensure_accounting_manager(self):
        if not (self.env.su or self.env.user.has_group(ACCOUNTING_MANAGER_GROUP)):
            raise AccessError(
                self.env._("Only an accounting administrator can validate reconciliations.")
            )

    def _ensure_accounting_user(self):
        if not (self.env.su or self.env.user.has_group(ACCOUNTING_USER_GROUP)):
            raise AccessError(self.env._("Only accounting users can compute reconciliations."))

    @api.model
    def _demo_recompute_reconciliation(self):
        """Demo data only: compute the demo reconciliation again, at today, once the demo data
        of the addon (and of each bridge, installed after it) has posted its flows."""
        reconciliation = self.env.ref(
            "running_inventory.running_inventory_reconciliation_demo", raise_if_not_found=False
        )
        if reconciliation and reconciliation.state != "validated":
            reconciliation.date = fields.Date.context_today(reconciliation)
            reconciliation.action_compute()

    # ------------------------------------------------------------------
    # Scheduled check
    # ------------------------------------------------------------------

    @api.model
    def _cron_check(self):
        """Every day, for each company in perpetual valuation: reconcile at today, keep the
        differences, and give the responsible accountant an activity when a new one appears.

        One company per transaction (ir.cron progress; a company's reconciliation is a fixed
        number of set queries): a run cut short leaves the companies not checked today to the
        next run, which does not check a company twice the same day."""
        companies = self._get_companies_to_check()
        for index, company in enumerate(companies, start=1):
            self.with_company(company)._run_company_check(company)
            if not self.env["ir.cron"]._commit_progress(1, remaining=len(companies) - index):
                return

    @api.model
    def _get_companies_to_check(self):
        """The companies in perpetual valuation without a scheduled check of today."""
        checked = self._read_group(
            [("kind", "=", "check"), ("date", "=", fields.Date.context_today(self))],
            ["company_id"],
        )
        return self.env["res.company"].search(
            [
                ("perpetual_valuation_date", "!=", False),
                ("id", "not in", [company.id for (company,) in checked]),
            ],
            order="id",
        )

    @api.model
    def _run_company_check(self, company):
        check = self.create({"company_id": company.id, "kind": "check"})
        check._evaluate_figures(differences_only=True)
        previous = self.search(
            [("company_id", "=", company.id), ("kind", "=", "check"), ("id", "<", check.id)],
            limit=1,
            order="id desc",
        )
        known = {difference._get_key() for difference in previous.difference_ids}
        new = check.difference_ids.filtered(lambda d: d._get_key() not in known)
        if new:
            check._schedule_difference_activity(company, new)
        return check

    def _schedule_difference_activity(self, company, differences):
        self.ensure_one()
        user = company.stock_reconciliation_user_id or company._get_stock_reconciliation_user()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id or self.env.uid,
            summary=self.env._("Stock and books differ"),
            note=self.env._(
                "%(count)s new difference(s) between stock and books, %(amount)s in total.",
                count=len(differences),
                amount=self.currency_id.format(sum(differences.mapped("amount"))),
            ),
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _evaluate_figures(self, differences_only=False):
        """Compute and store the reconciliation, replacing earlier figures.

        :param differences_only: keep only the product lines that differ (scheduled checks)
        """
        self.ensure_one()
        self.env.flush_all()
        moment = end_of_day(self.date)
        self._clear_figures()
        settings = self._read_stock_settings()
        products = self._get_product_scope(moment, settings)
        books = self._read_book_balances(settings)
        lines = self._prepare_lines(products, books, settings)
        causes = self._explain_differences(moment, lines, products, books, settings)
        self._store_figures(lines, causes, differences_only)
        self.env["running.inventory.reconciliation.interim"]._store_open_items(self)
        self.sudo().write(
            {
                "state": "done",
                "computed_on": fields.Datetime.now(),
                "computed_adjustment_count": self._count_posted_adjustments(),
                **self._prepare_totals(lines, causes),
            }
        )

    def _clear_figures(self):
        """Earlier figures go at once (one statement per table, the lines can be thousands)."""
        for model in (
            "running.inventory.reconciliation.line",
            "running.inventory.reconciliation.account",
            "running.inventory.reconciliation.difference",
            "running.inventory.reconciliation.interim",
        ):
            self.env.execute_query(
                SQL(
                    "DELETE FROM %s WHERE reconciliation_id = %s",
                    SQL.identifier(self.env[model]._table),
                    self.id,
                )
            )
            self.env[model].invalidate_model()
        self.invalidate_recordset()

    def _read_stock_settings(self):
        """The company's stock valuation accounts: per product category (valuation mode and
        account, defaults included), per location valuing its stock on its own account, and the
        set of all of them (the accounts of the running ledger)."""
        Ledger = self.env["running.inventory.ledger"]
        company_id = self.company_id.id
        rows = self.env.execute_query(
            SQL(
                """
                WITH %(settings)s
                SELECT 'category', categ_id, account_id, valuation = 'perpetual'
                  FROM category_setting WHERE company_id = %(company)s
                 UNION ALL
                SELECT 'location', location.id, location.valuation_account_id, TRUE
                  FROM stock_location location
                 WHERE location.company_id = %(company)s AND %(valued)s
                   AND location.valuation_account_id IS NOT NULL
                 UNION ALL
                SELECT 'account', NULL, account_id, TRUE
                  FROM stock_account WHERE company_id = %(company)s
                """,
                settings=Ledger._settings_sql(),
                company=company_id,
                valued=valued_location_sql("location"),
            )
        )
        settings = {"category": {}, "perpetual": set(), "location": {}, "accounts": set()}
        for kind, record_id, account_id, flag in rows:
            if kind == "category":
                settings["category"][record_id] = account_id
                if flag:
                    settings["perpetual"].add(record_id)
            elif kind == "location":
                settings["location"][record_id] = account_id
            else:
                settings["accounts"].add(account_id)
        settings["categories"] = self._get_category_filter()
        return settings

    def _get_category_filter(self):
        if not self.category_ids:
            return None
        return set(
            self.env["product.category"]
            .with_context(active_test=False)
            .search([("id", "child_of", self.category_ids.ids)])
            .ids
        )

    def _get_product_scope(self, moment, settings):
        """{product id: ProductStock} of the perpetual products the company has moved, at
        `moment`, with Odoo's value and the quantity per location."""
        Valuation = self.env["running.inventory.valuation"]
        categories = settings["categories"]
        products = None
        if categories is not None:
            products = (
                self.env["product.product"]
                .sudo()
                .with_context(active_test=False)
                .search([("categ_id", "in", list(categories))])
            )
        stocks = Valuation._get_stock_at_date(
            self.company_id, Valuation._get_moment(self.date), products, by_location=True
        )
        return {
            product_id: stock
            for product_id, stock in stocks.items()
            if stock.categ_id in settings["perpetual"]
            and (categories is None or stock.categ_id in categories)
        }

    def _read_book_balances(self, settings):
        """{(product id or None, account id): {balance, manual, manual_ids, categ_id}}: posted
        journal items on the stock accounts up to the date (of the categories reconciled, and
        then none without product); `manual` is the part not posted by the perpetual valuation
        (no stock valuation kind)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.product_id, aml.account_id, template.categ_id, SUM(aml.balance),
                       COALESCE(SUM(aml.balance) FILTER (
                           WHERE aml.stock_valuation_kind IS NULL OR aml.product_id IS NULL), 0),
                       ARRAY_AGG(aml.id) FILTER (
                           WHERE aml.stock_valuation_kind IS NULL OR aml.product_id IS NULL)
                  FROM account_move_line aml
                  LEFT JOIN product_product product ON product.id = aml.product_id
                  LEFT JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE aml.company_id = %s AND aml.account_id = ANY(%s)
                   AND aml.parent_state = 'posted' AND aml.date <= %s AND %s
                 GROUP BY aml.product_id, aml.account_id, template.categ_id
                """,
                self.company_id.id,
                list(settings["accounts"]),
                self.date,
                SQL("TRUE")
                if settings["categories"] is None
                else SQL("template.categ_id = ANY(%s)", list(settings["categories"])),
            )
        )
        return {
            (product_id, account_id): {
                "balance": balance,
                "manual": manual,
                "manual_ids": manual_ids or [],
                "categ_id": categ_id,
            }
            for product_id, account_id, categ_id, balance, manual, manual_ids in rows
        }

    def _prepare_lines(self, products, books, settings):
        """{(product id, account id): line values}: Odoo's value of the product shared between
        its stock accounts by the quantity each holds (as the perpetual valuation does), against
        the book balance."""
        currency = self.currency_id
        lines = {}
        for product_id, stock in products.items():
            category_account = settings["category"].get(stock.categ_id)
            quantities = defaultdict(float)
            for (location_id, _lot_id), quantity in stock.quantities.items():
                quantities[settings["location"].get(location_id, category_account)] += quantity
            if not quantities:
                quantities[category_account] = 0.0
            values = split_by_quantity(stock.value, quantities, currency.round)
            for account_id, quantity in quantities.items():
                lines[product_id, account_id] = {
                    "product_id": product_id,
                    "categ_id": stock.categ_id,
                    "account_id": account_id,
                    "quantity": quantity,
                    "odoo_value": values[account_id],
                    "balance": 0.0,
                }
        for (product_id, account_id), book in books.items():
            line = lines.setdefault(
                (product_id, account_id),
                {
                    "product_id": product_id,
                    "categ_id": book["categ_id"],
                    "account_id": account_id,
                    "quantity": 0.0,
                    "odoo_value": 0.0,
                    "balance": 0.0,
                },
            )
            line["balance"] = currency.round(book["balance"])
        for line in lines.values():
            line["difference"] = currency.round(line["odoo_value"] - line["balance"])
        return lines

    def _explain_differences(self, moment, lines, products, books, settings):
        return self.env["running.inventory.reconciliation.difference"]._explain(
            self, moment, lines, products, books, settings
        )

    def _store_figures(self, lines, causes, differences_only):
        """Write the product lines, the totals per account and the differences with the
        records behind them, each table in one statement."""
        self.ensure_one()
        currency = self.currency_id
        base = {"reconciliation_id": self.id, "company_id": self.company_id.id}
        differing = {key for key, line in lines.items() if not currency.is_zero(line["difference"])}
        stored = [
            (key, {**base, **line})
            for key, line in sorted(lines.items(), key=lambda item: sort_key(item[0]))
            if not differences_only or key in differing
        ]
        line_ids = insert_records(
            self.env["running.inventory.reconciliation.line"].sudo(), [row for _, row in stored]
        )
        line_by_key = {key: line_id for (key, _), line_id in zip(stored, line_ids, strict=True)}
        insert_records(
            self.env["running.inventory.reconciliation.account"].sudo(),
            [{**base, **row} for row in self._prepare_account_rows(lines)],
        )
        Difference = self.env["running.inventory.reconciliation.difference"].sudo()
        difference_ids = insert_records(
            Difference,
            [
                {
                    **base,
                    "line_id": line_by_key.get((cause["product_id"], cause["account_id"])),
                    "product_id": cause["product_id"],
                    "account_id": cause["account_id"],
                    "cause": cause["cause"],
                    "amount": currency.round(cause["amount"]),
                    "adjustment_move_id": cause.get("adjustment_move_id"),
                }
                for cause in causes
            ],
        )
        for field_name, key in (
            ("stock_move_ids", "move_ids"),
            ("journal_item_ids", "aml_ids"),
            ("product_value_ids", "product_value_ids"),
        ):
            insert_relations(
                Difference,
                field_name,
                [
                    (difference_id, record_id)
                    for difference_id, cause in zip(difference_ids, causes, strict=True)
                    for record_id in cause.get(key, ())
                ],
            )

    def _prepare_account_rows(self, lines):
        currency = self.currency_id
        totals = defaultdict(lambda: defaultdict(float))
        for (product_id, account_id), line in lines.items():
            total = totals[account_id]
            total["odoo_value"] += line["odoo_value"]
            total["balance"] += line["balance"]
            total["product_count"] += 1 if product_id else 0
            if not product_id:
                total["balance_without_product"] += line["balance"]
        return [
            {
                "account_id": account_id,
                "odoo_value": currency.round(total["odoo_value"]),
                "balance": currency.round(total["balance"]),
                "difference": currency.round(total["odoo_value"] - total["balance"]),
                "balance_without_product": currency.round(total["balance_without_product"]),
                "product_count": int(total["product_count"]),
            }
            for account_id, total in totals.items()
        ]

    def _prepare_totals(self, lines, causes):
        currency = self.currency_id
        odoo_value = currency.round(sum(line["odoo_value"] for line in lines.values()))
        balance = currency.round(sum(line["balance"] for line in lines.values()))
        return {
            "odoo_value": odoo_value,
            "balance": balance,
            "difference": currency.round(odoo_value - balance),
            "difference_count": len(causes),
            "has_difference": bool(causes),
        }
