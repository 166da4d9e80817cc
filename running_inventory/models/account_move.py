from psycopg2 import errors as pgerrors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Numbering formats of the stock journals, per database, journal and month: deriving one costs
# Odoo's sequence mixin ~3 ms and several queries, at every validation otherwise.
# (database, journal id, year, month) -> (format string, format values, prefix, first, last day)
_STOCK_SEQUENCE_FORMATS = {}


class AccountMove(models.Model):
    _inherit = "account.move"

    stock_reconciliation_id = fields.Many2one(
        "running.inventory.reconciliation",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The stock reconciliation whose differences this entry adjusts.",
    )

    # ------------------------------------------------------------------
    # Posted stock valuation entries, written in a few statements
    # ------------------------------------------------------------------

    @api.model
    def _create_posted_stock_entries(self, entries):
        """Create and post the journal entries of the perpetual valuation.

        Every validated stock move posts an entry, so this runs inside each picking
        validation. Odoo's `create` + `_post` costs about 40 queries and 45 ms per entry here,
        more than the validation of a one-line picking itself; the perpetual mode must add at
        most a few. The entries are therefore written with one INSERT for the entry and one
        for its lines, holding exactly the values the ORM stores for a posted miscellaneous
        entry (test_entry_writer compares both column by column). They keep every guarantee
        of Odoo's posting that applies to them: the journal sequence (same numbering and the
        same locking as `_locked_increment`), balanced lines in company currency, lock dates
        (the caller passes a date from `_get_accounting_date`). Journals that hash their
        entries, or any entry the fast path does not cover, go through the ORM.

        :param entries: list of dicts with journal (account.journal), date, ref and lines,
            each line a dict with account_id, name, balance (company currency, rounded) and any
            other account.move.line field of a simple type.
        :return: the posted account.move records, in the order of `entries`
        """
        moves = self.browse()
        for entry in entries:
            self._check_stock_entry_balanced(entry)
            if self._stock_entry_needs_orm(entry):
                moves |= self._create_posted_stock_entry_orm(entry)
            else:
                moves |= self.browse(self._insert_posted_stock_entry(entry))
        return moves

    @api.model
    def _check_stock_entry_balanced(self, entry):
        currency = entry["journal"].company_id.currency_id
        if not currency.is_zero(sum(line["balance"] for line in entry["lines"])):
            raise UserError(
                self.env._(
                    "The stock valuation entry %(ref)s is not balanced.", ref=entry.get("ref") or ""
                )
            )

    @api.model
    def _stock_entry_needs_orm(self, entry):
        journal = entry["journal"]
        return bool(journal.restrict_mode_hash_table or self.env.context.get("stock_entry_use_orm"))

    @api.model
    def _create_posted_stock_entry_orm(self, entry):
        lines = [
            Command.create(
                {
                    **{key: value for key, value in line.items() if key != "balance"},
                    "debit": max(line["balance"], 0.0),
                    "credit": max(-line["balance"], 0.0),
                }
            )
            for line in entry["lines"]
        ]
        move = self.create(
            {
                "journal_id": entry["journal"].id,
                "date": entry["date"],
                "ref": entry.get("ref"),
                "move_type": "entry",
                "line_ids": lines,
            }
        )
        move._post(soft=False)
        return move

    @api.model
    def _insert_posted_stock_entry(self, entry):
        journal = entry["journal"]
        company = journal.company_id
        currency = company.currency_id
        date = entry["date"]
        lines = entry["lines"]
        total = currency.round(sum(line["balance"] for line in lines if line["balance"] > 0))
        now = self.env.cr.now()
        uid = self.env.uid
        move_values = {
            "journal_id": journal.id,
            "company_id": company.id,
            "currency_id": currency.id,
            "date": date,
            "ref": entry.get("ref") or None,
            "state": "posted",
            "move_type": "entry",
            "auto_post": "no",
            "payment_state": "not_paid",
            "invoice_date_due": date,
            # Odoo's own value for an entry without partner, read where the row is written.
            "invoice_partner_display_name": SQL(
                "replace(%s, '%%s', (SELECT partner.name FROM res_users users"
                " JOIN res_partner partner ON partner.id = users.partner_id WHERE users.id = %s))",
                self.env._("#Created by: %s"),  # pylint: disable=translation-positional-used
                uid,
            ),
            "amount_untaxed": 0.0,
            "amount_tax": 0.0,
            "amount_total": total,
            "amount_residual": 0.0,
            "amount_untaxed_signed": 0.0,
            "amount_untaxed_in_currency_signed": 0.0,
            "amount_tax_signed": 0.0,
            "amount_total_signed": total,
            "amount_total_in_currency_signed": total,
            "amount_residual_signed": 0.0,
            "invoice_currency_rate": 0.0,
            "made_sequence_gap": False,
            "is_manually_modified": False,
            "always_tax_exigible": True,
            "checked": True,
            "posted_before": True,
            "create_uid": uid,
            "write_uid": uid,
            "create_date": now,
            "write_date": now,
        }
        move_id, name = self._insert_stock_entry_with_sequence(journal, date, move_values)
        Account = self.env["account.account"]
        reconcilable = {
            account_id
            for account_id in {line["account_id"] for line in lines}
            if Account._is_reconcilable_account(account_id)
        }
        line_rows = []
        for line in lines:
            balance = currency.round(line["balance"])
            residual = balance if line["account_id"] in reconcilable else 0.0
            line_rows.append(
                {
                    "quantity": 1.0,
                    **{key: value for key, value in line.items() if key != "balance"},
                    "move_id": move_id,
                    "move_name": name,
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "company_currency_id": currency.id,
                    "currency_id": currency.id,
                    "date": date,
                    "ref": entry.get("ref") or None,
                    "parent_state": "posted",
                    "display_type": "product",
                    "sequence": 100,
                    "debit": max(balance, 0.0),
                    "credit": max(-balance, 0.0),
                    "balance": balance,
                    "amount_currency": balance,
                    "amount_residual": residual,
                    "amount_residual_currency": residual,
                    "reconciled": False,
                    "price_unit": 0.0,
                    "discount": 0.0,
                    "is_storno": False,
                    "price_subtotal": balance,
                    "price_total": balance,
                    "deductible_amount": 100.0,
                    "no_followup": journal.type == "general",
                    "create_uid": uid,
                    "write_uid": uid,
                    "create_date": now,
                    "write_date": now,
                }
            )
        self._insert_rows("account_move_line", line_rows)
        # Rows written outside the ORM: drop what its cache holds of their inverse relations.
        self.env["stock.move"].invalidate_model(["valuation_line_ids"])
        return move_id

    @api.model
    def _insert_stock_entry_with_sequence(self, journal, date, move_values):
        """Insert the posted entry under the journal's next number.

        Same numbering and locking as `sequence.mixin._locked_increment`: inserting a posted
        entry takes the lock on the unique (name, journal) index entry; a transaction that
        finds the number taken once the other one committed retries with the next one.
        """
        draft = self.new({"journal_id": journal.id, "date": date, "move_type": "entry"})
        format_string, format_values = self._get_stock_entry_sequence_format(draft)
        cache = draft._get_sequence_cache()
        seq = format_values.pop("seq")
        cache_key = (format_string.format(**format_values, seq=0), journal)
        if cache_key in cache:
            cache[cache_key] += 1
            name = format_string.format(**format_values, seq=cache[cache_key])
            return self._insert_stock_entry_row(move_values, draft, name), name
        with self.env.cr.savepoint(flush=False) as savepoint:
            while True:
                seq += 1
                name = format_string.format(**format_values, seq=seq)
                try:
                    move_id = self._insert_stock_entry_row(move_values, draft, name)
                except pgerrors.UniqueViolation:
                    savepoint.rollback()
                    continue
                cache[cache_key] = seq
                return move_id, name

    @api.model
    def _get_stock_entry_sequence_format(self, draft):
        """Odoo's format of the next number of `draft`'s journal at its date.

        Derived by Odoo (`_get_next_sequence_format`) once per journal and month in this
        process; afterwards one query checks that the journal's last entry of the period still
        has the same prefix (Odoo takes the prefix of the last entry) and takes the highest
        number of that prefix. A new period, a renamed sequence, or a journal numbering refunds,
        payments or self-billing apart go through Odoo's derivation.
        """
        journal, date = draft.journal_id, draft.date
        fast = not (journal.refund_sequence or journal.payment_sequence or journal.is_self_billing)
        key = (self.env.cr.dbname, journal.id, date.year, date.month)
        cached = _STOCK_SEQUENCE_FORMATS.get(key) if fast else None
        if cached and cached[3] <= date <= cached[4]:
            format_string, format_values, prefix, first_day, last_day = cached
            self.flush_model(["name", "sequence_prefix", "sequence_number", "journal_id", "date"])
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT last.sequence_prefix,
                           (SELECT MAX(sequence_number) FROM account_move
                             WHERE journal_id = %(journal)s
                               AND sequence_prefix = last.sequence_prefix
                               AND date BETWEEN %(first)s AND %(last)s)
                      FROM (SELECT sequence_prefix FROM account_move
                             WHERE journal_id = %(journal)s AND name != '/'
                               AND date BETWEEN %(first)s AND %(last)s
                          ORDER BY id DESC LIMIT 1) last
                    """,
                    journal=journal.id,
                    first=first_day,
                    last=last_day,
                )
            )
            if rows and rows[0][0] == prefix:
                return format_string, {**format_values, "seq": rows[0][1] or 0}
        format_string, format_values = draft._get_next_sequence_format()
        if fast:
            sample = format_string.format(**format_values)
            reset = draft._deduce_sequence_number_reset(sample)
            first_day, last_day, *_dummy = draft._get_sequence_date_range(reset)
            draft.name = sample
            draft._compute_split_sequence()
            _STOCK_SEQUENCE_FORMATS[key] = (
                format_string,
                {name: value for name, value in format_values.items() if name != "seq"},
                draft.sequence_prefix,
                first_day,
                last_day,
            )
        return format_string, format_values

    @api.model
    def _insert_stock_entry_row(self, move_values, draft, name):
        draft.name = name
        draft._compute_split_sequence()
        values = {
            **move_values,
            "name": name,
            "sequence_prefix": draft.sequence_prefix,
            "sequence_number": draft.sequence_number,
        }
        return self._insert_rows("account_move", [values], log_exceptions=False)[0]

    @api.model
    def _insert_rows(self, table, rows, log_exceptions=True):
        model = self.env["account.move.line" if table == "account_move_line" else "account.move"]
        columns = sorted(set().union(*rows))
        # The ORM's convention: False stands for NULL in any column but a boolean one.
        nullable = {column for column in columns if model._fields[column].type != "boolean"}
        params = []
        for row in rows:
            for column in columns:
                value = row.get(column)
                params.append(None if column in nullable and value is False else value)
        # Placeholders written once for all rows (composing an SQL object per value costs a
        # millisecond per entry); values are parameters, column names come from the code.
        placeholders = ", ".join(
            "(" + ", ".join("%s" for _column in columns) + ")" for _row in rows
        )
        query = SQL(
            "INSERT INTO %s (%s) VALUES " + placeholders + " RETURNING id",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(column) for column in columns),
            *params,
        )
        self.env.cr.execute(query, log_exceptions=log_exceptions)
        return [row[0] for row in self.env.cr.fetchall()]

    # ------------------------------------------------------------------
    # Perpetual valuation around vendor bills and customer invoices
    # ------------------------------------------------------------------

    @api.model
    def _post_perpetual_lines(self, lines, accounts_cache, date=None):
        """Post lines of the perpetual valuation that are not tied to a movement date
        (revaluations, clearings): in each product's stock journal, dated `date` (default
        today) or the first open date after it."""
        lines = [line for line in lines if line["balance"]]
        if not lines:
            return self.browse()
        date = date or fields.Date.context_today(self)
        entries = {}
        for line in lines:
            product = self.env["product.product"].browse(line["product_id"])
            journal = product._get_perpetual_accounts_cached(accounts_cache)["stock_journal"]
            entry = entries.setdefault(
                journal,
                {
                    "journal": journal,
                    "date": journal.company_id._get_perpetual_accounting_date(date, journal),
                    "ref": self.env.context.get("perpetual_ref"),
                    "lines": [],
                },
            )
            entry["lines"].append(
                {
                    key: value
                    for key, value in line.items()
                    if key not in ("is_stock", "absorbs_rounding", "keep")
                }
            )
        return self._create_posted_stock_entries(list(entries.values()))

    def _post(self, soft=True):
        self._link_perpetual_bill_lines()
        posted = super()._post(soft=soft)
        posted._post_perpetual_bill_revaluation()
        posted._post_perpetual_interim_clearing()
        return posted

    def button_draft(self):
        result = super().button_draft()
        # A bill back in draft no longer clears its receipts (and a re-posted one clears them
        # again): the settled lines it leaves are cleared from their new balance next time.
        self.filtered(lambda m: m.state == "draft")._post_perpetual_interim_clearing()
        return result

    def _link_perpetual_bill_lines(self):
        """Vendor bill lines on goods received not invoiced belong to their purchase line."""
        for line in self.filtered(lambda m: m.is_purchase_document()).invoice_line_ids:
            if line.purchase_line_id and not line.interim_purchase_line_id:
                grni = line.product_id.product_tmpl_id.with_company(
                    line.company_id
                )._get_product_accounts()["grni"]
                if grni and line.account_id == grni:
                    line.interim_purchase_line_id = line.purchase_line_id

    def _post_perpetual_bill_revaluation(self):
        """Odoo values a receipt from its bill (AVCO, FIFO, and the receipt's value in standard
        costing): the receipts' counterpart on goods received not invoiced follows, the stock
        account follows Odoo's stock value, and the part of goods already delivered goes to
        price difference (or COGS where the category says so)."""
        bills = self.filtered(lambda m: m.is_purchase_document())
        receipts = bills.invoice_line_ids.purchase_line_id.move_ids.filtered(
            lambda m: m.state == "done" and (m.is_in or m.is_out)
        )
        receipts._post_perpetual_value_changes(
            remainder_key=lambda product: product._get_perpetual_price_difference_key()
        )

    def _post_perpetual_interim_clearing(self):
        lines = self.invoice_line_ids
        lines.purchase_line_id._post_perpetual_grni_clearing()
        lines.sale_line_ids._post_perpetual_gdni_clearing()

    def _stock_account_prepare_realtime_out_lines_vals(self):
        # Odoo's anglo-saxon lines for its own modes, and ours: perpetual products' cost of
        # goods sold, taken from goods delivered not invoiced.
        return (
            super()._stock_account_prepare_realtime_out_lines_vals()
            + self._prepare_perpetual_invoice_cost_lines()
        )

    def _stock_account_prepare_anglo_saxon_in_lines_vals(self):
        # Odoo's price difference lines move a standard-cost bill line from the stock account
        # to price difference. In perpetual valuation the bill line is on goods received not
        # invoiced and the price difference is posted against the receipt's value instead.
        return [
            vals
            for vals in super()._stock_account_prepare_anglo_saxon_in_lines_vals()
            if not self.env["product.product"]
            .browse(vals["product_id"])
            .with_company(self.env["account.move"].browse(vals["move_id"]).company_id)
            ._is_perpetual()
        ]

    def _prepare_perpetual_invoice_cost_lines(self):
        """Cost of goods sold of customer invoices (and credit notes) in perpetual valuation:
        debit COGS, credit goods delivered not invoiced, at the cost the goods were delivered
        at. Like Odoo's own COGS lines they are 'cogs' lines: removed when the invoice goes
        back to draft, computed again when it is posted."""
        vals_list = []
        invoices = self.filtered(lambda m: m.is_sale_document(include_receipts=True))
        pools = invoices.invoice_line_ids.sale_line_ids._get_perpetual_gdni_pools()
        for invoice in invoices:
            invoice = invoice.with_company(invoice.company_id)
            sign = -1 if invoice.move_type == "out_refund" else 1
            for line in invoice.invoice_line_ids:
                product = line.product_id
                if (
                    not product
                    or not product._is_perpetual()
                    or not line._eligible_for_stock_account()
                ):
                    continue
                quantity = sign * line.product_uom_id._compute_quantity(
                    line.quantity, product.uom_id
                )
                sale_line = line.sale_line_ids[:1]
                cost = line._get_perpetual_invoiced_cost(
                    quantity, pools.setdefault(sale_line, [0.0, 0.0])
                )
                vals_list += line._prepare_perpetual_invoice_cost_pair(quantity, cost, sale_line)
        return vals_list
