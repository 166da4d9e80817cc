from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.rpc import rpc_record
from ..tools.stock_valuation import sort_key, split_by_quantity
from .running_inventory_reconciliation import ADJUSTABLE_CAUSES, CAUSES, ROUNDING_TOLERANCE


class RunningInventoryReconciliationDifference(models.Model):
    """Part of a product's difference between stock and books, with its cause and the records
    behind it. The parts of a product line add up to its difference.

    - Before go-live: the date is before the product went live with perpetual valuation (its
      opening entry, which brings the books to Odoo's value of that moment).
    - Movement without entry: a valued movement was not posted (the product was not in
      perpetual valuation then, or its configuration was fixed afterwards), and no later posting
      for the product (which brings its stock accounts to Odoo's value) took it in.
    - Journal item outside the valuation: items on the stock account that the perpetual
      valuation did not post (manual entries, items without product).
    - Entry dated across the date: a movement on one side of the date, its entry on the other
      (a lock date moved it, or the user's time zone put it on another day).
    - Odoo's value at today's cost: at a past date, Odoo values movements taken at the product's
      cost (count gains, receipts without order) and returns at today's figures, not the ones
      of their day, which the books hold.
    - Goods owned by others in Odoo's value: Odoo's FIFO value counts the consigned goods the
      company holds (``owner_id``); they are not its assets and the books never hold them.
    - Value change not posted: what remains beyond rounding: Odoo's value changed and no entry
      followed (a cost or a value changed outside Odoo's screens, a bill dated before the date
      but posted after it).
    - Rounding: what remains within two units of the currency's rounding.

    A part that an adjusting entry already corrects, dated after the date (chosen later, or
    moved by a lock date), is tied to that entry: no reconciliation of the date offers it again.
    """

    _name = "running.inventory.reconciliation.difference"
    _description = "Stock Reconciliation: Difference"
    _order = "reconciliation_id, account_id, product_id, cause"

    reconciliation_id = fields.Many2one(
        "running.inventory.reconciliation", required=True, ondelete="cascade", index=True
    )
    line_id = fields.Many2one(
        "running.inventory.reconciliation.line", ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", readonly=True)
    account_id = fields.Many2one("account.account", string="Stock Account", readonly=True)
    cause = fields.Selection(CAUSES, required=True, readonly=True)
    amount = fields.Monetary(
        readonly=True, help="What this cause adds to the difference (stock value less books)."
    )
    is_adjustable = fields.Boolean(compute="_compute_is_adjustable")
    adjustment_move_id = fields.Many2one("account.move", string="Adjusting Entry", readonly=True)
    stock_move_ids = fields.Many2many(
        "stock.move",
        "running_inventory_reconciliation_difference_stock_move_rel",
        "difference_id",
        "move_id",
        string="Movements",
        readonly=True,
    )
    journal_item_ids = fields.Many2many(
        "account.move.line",
        "running_inventory_reconciliation_difference_aml_rel",
        "difference_id",
        "aml_id",
        string="Journal Items",
        readonly=True,
    )
    product_value_ids = fields.Many2many(
        "product.value",
        "running_inventory_reconciliation_difference_value_rel",
        "difference_id",
        "value_id",
        string="Value Changes",
        readonly=True,
    )

    @api.depends("cause", "adjustment_move_id")
    def _compute_is_adjustable(self):
        for difference in self:
            difference.is_adjustable = (
                difference.cause in ADJUSTABLE_CAUSES and not difference.adjustment_move_id
            )

    def _get_key(self):
        self.ensure_one()
        return (self.product_id.id, self.account_id.id, self.cause)

    @api.readonly
    @rpc_record
    def action_open_records(self):
        """The movements, journal items or value changes behind this difference."""
        self.ensure_one()
        for field_name, model in (
            ("stock_move_ids", "stock.move"),
            ("journal_item_ids", "account.move.line"),
            ("product_value_ids", "product.value"),
        ):
            if self[field_name]:
                return {
                    "type": "ir.actions.act_window",
                    "name": dict(CAUSES)[self.cause],
                    "res_model": model,
                    "view_mode": "list,form",
                    "domain": [("id", "in", self[field_name].ids)],
                }
        return self.line_id.action_open_journal_items()

    # ------------------------------------------------------------------
    # Explaining a reconciliation's differences
    # ------------------------------------------------------------------

    @api.model
    def _explain(self, reconciliation, moment, lines, products, books, settings):
        """The causes of the differences of `lines` ({(product id, account id): line}): a list
        of dicts with product_id, account_id, cause, amount and the ids of the records behind
        it (move_ids, aml_ids, product_value_ids)."""
        currency = reconciliation.currency_id
        differing = {
            key: line for key, line in lines.items() if not currency.is_zero(line["difference"])
        }
        if not differing:
            return []
        product_ids = sorted({product_id for product_id, _ in differing if product_id})
        context = {
            "reconciliation": reconciliation,
            "moment": moment,
            "openings": self._read_openings(reconciliation, product_ids),
            "unposted": self._read_unposted_moves(reconciliation, moment, product_ids, settings),
            "cut_off": self._read_cut_off(reconciliation, moment, product_ids, settings),
            "current_cost": self._split_current_cost(currency, lines, products),
            "consigned": self._split_consigned_value(currency, lines, products),
            "adjusted_later": self._read_adjusted_later(reconciliation, product_ids, settings),
        }
        causes = []
        for key, line in sorted(differing.items(), key=lambda item: sort_key(item[0])):
            causes += self._explain_line(key, line, books.get(key), context)
        self._add_value_change_records(reconciliation, moment, causes, products, settings)
        return causes

    @api.model
    def _explain_line(self, key, line, book, context):
        product_id = key[0]
        currency = context["reconciliation"].currency_id
        difference = line["difference"]
        if product_id is None:
            return [self._cause(key, "manual_entry", difference, aml_ids=book["manual_ids"])]
        unposted = context["unposted"].get(key, [])
        opening = context["openings"].get(product_id)
        if opening and context["moment"] < opening:
            move_ids = [move_id for move_id, _date, _value in unposted]
            return [self._cause(key, "before_go_live", difference, move_ids=move_ids)]
        cut_off_amount, cut_off_moves = context["cut_off"].get(key, (0.0, []))
        current_cost_amount, current_cost_moves = context["current_cost"].get(key, (0.0, []))
        parts = [
            self._cause(
                key,
                "manual_entry",
                -book["manual"] if book else 0.0,
                aml_ids=book["manual_ids"] if book else [],
            ),
            self._cause(
                key,
                "unposted_move",
                sum(value for _move_id, _date, value in unposted),
                move_ids=[move_id for move_id, _date, _value in unposted],
            ),
            self._cause(key, "cut_off", cut_off_amount, move_ids=cut_off_moves),
            self._cause(key, "current_cost", current_cost_amount, move_ids=current_cost_moves),
            self._cause(key, "consigned", context["consigned"].get(key, 0.0)),
        ]
        parts = [part for part in parts if not currency.is_zero(part["amount"])]
        residual = currency.round(difference - sum(part["amount"] for part in parts))
        if not currency.is_zero(residual):
            tolerance = currency.rounding * ROUNDING_TOLERANCE
            cause = "rounding" if abs(residual) <= tolerance + 1e-9 else "value_not_posted"
            parts.append(self._cause(key, cause, residual))
        self._mark_adjusted_later(parts, context["adjusted_later"].get(key), currency)
        return parts

    @api.model
    def _mark_adjusted_later(self, parts, adjusted, currency):
        """Parts that an adjusting entry dated after the date already corrects (`adjusted`:
        (amount, entry id)) are tied to it, so that they are never adjusted twice."""
        if not adjusted:
            return
        adjustable = [part for part in parts if part["cause"] in ADJUSTABLE_CAUSES]
        amount, entry_id = adjusted
        if adjustable and currency.is_zero(sum(part["amount"] for part in adjustable) - amount):
            for part in adjustable:
                part["adjustment_move_id"] = entry_id

    @api.model
    def _cause(self, key, cause, amount, move_ids=(), aml_ids=(), product_value_ids=()):
        return {
            "product_id": key[0],
            "account_id": key[1],
            "cause": cause,
            "amount": amount,
            "move_ids": list(move_ids),
            "aml_ids": list(aml_ids),
            "product_value_ids": list(product_value_ids),
        }

    @api.model
    def _read_openings(self, reconciliation, product_ids):
        """{product id: when its opening entry was posted}, for products that went live with
        stock on hand (go-live wizard)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT product_id, MIN(create_date) FROM account_move_line
                 WHERE company_id = %s AND product_id = ANY(%s)
                   AND stock_valuation_kind = 'opening' AND parent_state = 'posted'
                 GROUP BY product_id
                """,
                reconciliation.company_id.id,
                product_ids,
            )
        )
        return dict(rows)

    @api.model
    def _read_unposted_moves(self, reconciliation, moment, product_ids, settings):
        """{(product id, account id): [(move id, date, value)]}: valued moves done up to
        `moment` that posted nothing, and that no later posting of the perpetual valuation
        for the product took in (each one brings the stock accounts to Odoo's value of the
        moment); value signed as they change the stock (Odoo's value)."""
        rows = self.env.execute_query(
            SQL(
                """
                WITH synced AS (%(synced)s)
                SELECT move.id, move.product_id, move.date,
                       CASE WHEN move.is_in THEN move.value ELSE -move.value END,
                       CASE WHEN move.is_in THEN move.location_dest_id ELSE move.location_id END,
                       template.categ_id
                  FROM stock_move move
                  JOIN product_product product ON product.id = move.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                  LEFT JOIN synced ON synced.product_id = move.product_id
                 WHERE move.company_id = %(company)s AND move.state = 'done'
                   AND move.date <= %(moment)s
                   AND (move.is_in OR move.is_out) AND move.valuation_posting IS NULL
                   AND move.product_id = ANY(%(products)s)
                   AND (synced.moment IS NULL OR move.date >= synced.moment)
                 ORDER BY move.date, move.id
                """,
                company=reconciliation.company_id.id,
                products=product_ids,
                moment=moment,
                synced=self._synced_sql(reconciliation, product_ids, settings),
            )
        )
        unposted = defaultdict(list)
        for move_id, product_id, date, value, location_id, categ_id in rows:
            account_id = settings["location"].get(location_id) or settings["category"].get(categ_id)
            unposted[product_id, account_id].append((move_id, date, value or 0.0))
        return unposted

    @api.model
    def _synced_sql(self, reconciliation, product_ids, settings):
        """Per product, when the perpetual valuation last brought its stock accounts to Odoo's
        value (any posting of a movement, a revaluation or the opening does), up to the date:
        what happened before is in the books."""
        return SQL(
            """
            SELECT aml.product_id, MAX(aml.create_date) AS moment
              FROM account_move_line aml
             WHERE aml.company_id = %s AND aml.product_id = ANY(%s)
               AND aml.account_id = ANY(%s)
               AND aml.stock_valuation_kind IN ('movement', 'revaluation', 'opening')
               AND aml.parent_state = 'posted' AND aml.date <= %s
             GROUP BY aml.product_id
            """,
            reconciliation.company_id.id,
            product_ids,
            list(settings["accounts"]),
            reconciliation.date,
        )

    @api.model
    def _read_cut_off(self, reconciliation, moment, product_ids, settings):
        """{(product id, account id): (amount, move ids)}: movements on one side of the date
        whose entry is on the other. Odoo's value holds a movement of the date whose entry comes
        later (+), and not a later movement whose entry is dated before (-)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.product_id, aml.account_id, move.id,
                       SUM(CASE WHEN move.date <= %(moment)s THEN aml.balance
                                ELSE -aml.balance END)
                  FROM account_move_line aml
                  JOIN stock_move move ON move.id = aml.stock_move_id
                 WHERE aml.company_id = %(company)s AND aml.account_id = ANY(%(accounts)s)
                   AND aml.parent_state = 'posted' AND aml.stock_valuation_kind = 'movement'
                   AND aml.product_id = ANY(%(products)s)
                   AND ((move.date <= %(moment)s AND aml.date > %(day)s)
                        OR (move.date > %(moment)s AND aml.date <= %(day)s))
                 GROUP BY aml.product_id, aml.account_id, move.id
                """,
                moment=moment,
                day=reconciliation.date,
                company=reconciliation.company_id.id,
                accounts=list(settings["accounts"]),
                products=product_ids,
            )
        )
        cut_off = defaultdict(lambda: [0.0, []])
        for product_id, account_id, move_id, amount in rows:
            cut_off[product_id, account_id][0] += amount
            cut_off[product_id, account_id][1].append(move_id)
        return {key: tuple(value) for key, value in cut_off.items()}

    @api.model
    def _read_adjusted_later(self, reconciliation, product_ids, settings):
        """{(product id, account id): (amount, entry id)}: adjusting entries of a
        reconciliation of this date or before, dated after it (a date chosen later, or a lock
        date): the difference they correct is already corrected, it is never offered again."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.product_id, aml.account_id, SUM(aml.balance), MAX(aml.move_id)
                  FROM account_move_line aml
                  JOIN account_move entry ON entry.id = aml.move_id
                  JOIN running_inventory_reconciliation adjusted
                    ON adjusted.id = entry.stock_reconciliation_id
                 WHERE aml.company_id = %(company)s AND aml.account_id = ANY(%(accounts)s)
                   AND aml.parent_state = 'posted' AND aml.product_id = ANY(%(products)s)
                   AND aml.date > %(day)s AND adjusted.date <= %(day)s
                 GROUP BY aml.product_id, aml.account_id
                """,
                day=reconciliation.date,
                company=reconciliation.company_id.id,
                accounts=list(settings["accounts"]),
                products=product_ids,
            )
        )
        return {
            (product_id, account_id): (amount, ids) for product_id, account_id, amount, ids in rows
        }

    @api.model
    def _split_current_cost(self, currency, lines, products):
        """{(product id, account id): (amount, move ids)}: what Odoo's value at the date owes to
        today's figures, shared between the product's accounts like its value."""
        shares = self._split_like_value(
            currency,
            lines,
            {pid: stock.value - stock.value_recorded for pid, stock in products.items()},
        )
        return {key: (share, products[key[0]].revalued_move_ids) for key, share in shares.items()}

    @api.model
    def _split_consigned_value(self, currency, lines, products):
        """{(product id, account id): amount}: what Odoo's value at the date counts of goods
        owned by others, shared between the product's accounts like its value."""
        return self._split_like_value(
            currency, lines, {pid: stock.consigned_value for pid, stock in products.items()}
        )

    @api.model
    def _split_like_value(self, currency, lines, amounts):
        """{(product id, account id): share} of each product's amount ({product id: amount}),
        shared between its accounts by the quantity each holds, as its value is."""
        quantities = defaultdict(dict)
        for (product_id, account_id), line in lines.items():
            if product_id in amounts:
                quantities[product_id][account_id] = line["quantity"]
        result = {}
        for product_id, amount in amounts.items():
            amount = currency.round(amount)
            if currency.is_zero(amount) or not quantities[product_id]:
                continue
            for account_id, share in split_by_quantity(
                amount, quantities[product_id], currency.round
            ).items():
                result[product_id, account_id] = share
        return result

    @api.model
    def _add_value_change_records(self, reconciliation, moment, causes, products, settings):
        """Behind a value change not posted: the costs set on the product since the perpetual
        valuation last posted for it, and the movements whose Odoo value is not what was posted
        for them."""
        open_causes = [cause for cause in causes if cause["cause"] == "value_not_posted"]
        if not open_causes:
            return
        product_ids = sorted({cause["product_id"] for cause in open_causes})
        company_id = reconciliation.company_id.id
        values = self.env.execute_query(
            SQL(
                """
                WITH synced AS (%(synced)s)
                SELECT value.product_id, value.id FROM product_value value
                  LEFT JOIN synced ON synced.product_id = value.product_id
                 WHERE value.product_id = ANY(%(products)s) AND value.move_id IS NULL
                   AND value.company_id = %(company)s AND value.date <= %(moment)s
                   AND (synced.moment IS NULL OR value.date >= synced.moment)
                """,
                products=product_ids,
                company=company_id,
                moment=moment,
                synced=self._synced_sql(reconciliation, product_ids, settings),
            )
        )
        moves = self._read_moves_off_books(reconciliation, moment, product_ids, products, settings)
        by_product = defaultdict(lambda: ([], []))
        for product_id, value_id in values:
            by_product[product_id][0].append(value_id)
        for product_id, move_id in moves:
            by_product[product_id][1].append(move_id)
        for cause in open_causes:
            cause["product_value_ids"], cause["move_ids"] = by_product[cause["product_id"]]

    @api.model
    def _read_moves_off_books(self, reconciliation, moment, product_ids, products, settings):
        """(product id, move id) of average-cost and FIFO movements whose Odoo value (as
        stored) is not what was posted on the stock accounts for them."""
        valued_by_move = [
            product_id
            for product_id in product_ids
            if product_id in products and products[product_id].cost_method != "standard"
        ]
        if not valued_by_move:
            return []
        currency = reconciliation.currency_id
        return self.env.execute_query(
            SQL(
                """
                SELECT move.product_id, move.id
                  FROM stock_move move
                  JOIN account_move_line aml ON aml.stock_move_id = move.id
                 WHERE move.company_id = %(company)s AND move.product_id = ANY(%(products)s)
                   AND move.state = 'done' AND move.date <= %(moment)s
                   AND move.valuation_posting = 'posted'
                   AND aml.account_id = ANY(%(accounts)s) AND aml.parent_state = 'posted'
                   AND aml.stock_valuation_kind IS NOT NULL AND aml.date <= %(day)s
                 GROUP BY move.product_id, move.id, move.value, move.is_in
                HAVING ABS(CASE WHEN move.is_in THEN move.value ELSE -move.value END
                           - SUM(aml.balance)) > %(tolerance)s
                """,
                company=reconciliation.company_id.id,
                products=valued_by_move,
                moment=moment,
                accounts=list(settings["accounts"]),
                day=reconciliation.date,
                tolerance=currency.rounding * ROUNDING_TOLERANCE,
            )
        )
