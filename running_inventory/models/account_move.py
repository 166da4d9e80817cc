from psycopg2 import errors as pgerrors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, ormcache, str2bool

from ..tools import entry_writer
from ..tools.rpc import rpc_record, rpc_records

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
    perpetual_origin_move_id = fields.Many2one(
        "account.move",
        string="Stock Revalued By",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="Perpetual valuation: the bill or invoice whose posting changed the stock value "
        "this entry posts.",
    )
    perpetual_valuation_move_ids = fields.One2many(
        "account.move",
        "perpetual_origin_move_id",
        string="Stock Valuation Entries",
        readonly=True,
        help="Perpetual valuation: the entries that posted the stock value changes this "
        "document caused (receipts re-valued by a bill, interim accounts cleared).",
    )

    is_perpetual_valuation_entry = fields.Boolean(
        compute="_compute_perpetual_links",
        string="Perpetual Stock Valuation Entry",
    )
    perpetual_stock_move_ids = fields.Many2many(
        "stock.move",
        compute="_compute_perpetual_links",
        string="Stock Movements Valued",
    )
    perpetual_picking_ids = fields.Many2many(
        "stock.picking",
        compute="_compute_perpetual_links",
        string="Transfers Valued",
    )
    perpetual_picking_count = fields.Integer(compute="_compute_perpetual_links")

    # ------------------------------------------------------------------
    # Writing the perpetual valuation's entries
    # ------------------------------------------------------------------

    @api.model
    def _write_perpetual_entries(self, entries):
        """Create and post the journal entries of the perpetual valuation
        (`tools.valuation_line.ValuationEntry`): through Odoo's ORM, or the direct writer where
        it writes the same entry (`tools/entry_writer.py`).

        :return: the posted account.move records, in the order of `entries`
        """
        moves = self.browse()
        for entry in entries:
            self._check_perpetual_entry_balanced(entry)
            if self._can_write_perpetual_entry_directly(entry):
                moves |= self._insert_perpetual_entry(entry)
            else:
                moves |= self._create_perpetual_entry(entry)
        return moves

    @api.model
    def _check_perpetual_entry_balanced(self, entry):
        currency = entry.journal.company_id.currency_id
        if not currency.is_zero(entry.balance):
            raise UserError(
                self.env._(
                    "The stock valuation entry %(ref)s is not balanced.", ref=entry.ref or ""
                )
            )

    @api.model
    def _can_write_perpetual_entry_directly(self, entry):
        journal = entry.journal
        return not (
            journal.restrict_mode_hash_table
            or journal.company_id.restrictive_audit_trail
            or self.env.context.get("stock_entry_use_orm")
            or self._get_direct_entry_writer_blockers()
            or not str2bool(
                self.env["ir.config_parameter"].sudo().get_param(entry_writer.PARAMETER, "True")
            )
        )

    @api.model
    @ormcache()
    def _get_direct_entry_writer_blockers(self):
        """Why the direct writer is not used with the modules of this registry, decided once
        per registry load (installing a module loads a new registry): () when it is."""
        return tuple(entry_writer.registry_blockers(self.env))

    @api.model
    def _create_perpetual_entry(self, entry):
        """The entry through Odoo's ORM: the reference path, for any journal and module."""
        move = self.create(
            {
                "journal_id": entry.journal.id,
                "date": entry.date,
                "ref": entry.ref,
                "move_type": "entry",
                "perpetual_origin_move_id": entry.origin_move_id or False,
                "line_ids": [
                    Command.create(self._prepare_perpetual_item_vals(line)) for line in entry.lines
                ],
            }
        )
        move._post(soft=False)
        return move

    @api.model
    def _prepare_perpetual_item_vals(self, line):
        values = line.to_journal_item_values()
        balance = values.pop("balance")
        return {**values, "debit": max(balance, 0.0), "credit": max(-balance, 0.0)}

    @api.model
    def _insert_perpetual_entry(self, entry):
        """The entry written directly: the rows the ORM would store, and its chatter."""
        currency = entry.journal.company_id.currency_id
        total = currency.round(sum(line.amount for line in entry.lines if line.amount > 0))
        move_values = entry_writer.entry_row(self.env, entry, total)
        move_id, name = self._insert_stock_entry_with_sequence(
            entry.journal, entry.date, move_values
        )
        Account = self.env["account.account"]
        reconcilable = {
            line.account_id
            for line in entry.lines
            if Account._is_reconcilable_account(line.account_id)
        }
        line_rows = entry_writer.line_rows(self.env, entry, move_id, name, reconcilable)
        entry_writer.insert_rows(self.env["account.move.line"], line_rows)
        # Rows written outside the ORM: drop what its cache holds of their inverse relations.
        self.env["stock.move"].invalidate_model(["valuation_line_ids"])
        if entry.origin_move_id:
            self.invalidate_model(["perpetual_valuation_move_ids"])
        move = self.browse(move_id)
        move._log_perpetual_entry_creation()
        return move

    def _log_perpetual_entry_creation(self):
        """What `mail.thread.create` logs for entries the ORM creates, for entries written
        directly: their creator follows them, and the chatter says they were created."""
        context = self.env.context
        if context.get("tracking_disable"):
            return
        user = self.env.user
        if not context.get("mail_create_nosubscribe") and user.active and not user.share:
            self.env["mail.followers"]._insert_followers(
                self._name,
                self.ids,
                user.partner_id.ids,
                subtypes=None,
                customer_ids=[],
                check_existing=False,
            )
        if not context.get("mail_create_nolog"):
            self._message_log_batch(bodies={move.id: move._creation_message() for move in self})

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
            last_prefix, last_number = self._read_stock_entry_last_number(
                journal, first_day, last_day
            )
            if last_prefix == prefix:
                return format_string, {**format_values, "seq": last_number or 0}
        format_string, format_values = draft._get_next_sequence_format()
        if fast:
            _STOCK_SEQUENCE_FORMATS[key] = self._remember_stock_entry_format(
                draft, format_string, format_values
            )
        return format_string, format_values

    @api.model
    def _read_stock_entry_last_number(self, journal, first_day, last_day):
        """(prefix of the journal's last entry in the period, highest number of that prefix)."""
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
        return rows[0] if rows else (None, None)

    @api.model
    def _remember_stock_entry_format(self, draft, format_string, format_values):
        """(format string, format values, prefix, first day, last day) of the sequence period."""
        sample = format_string.format(**format_values)
        reset = draft._deduce_sequence_number_reset(sample)
        first_day, last_day, *_dummy = draft._get_sequence_date_range(reset)
        draft.name = sample
        draft._compute_split_sequence()
        values = {name: value for name, value in format_values.items() if name != "seq"}
        return format_string, values, draft.sequence_prefix, first_day, last_day

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
        return entry_writer.insert_rows(self, [values], log_exceptions=False)[0]

    # ------------------------------------------------------------------
    # Perpetual valuation around vendor bills and customer invoices
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        self._link_perpetual_bill_lines()
        # The cost of goods sold lines Odoo adds to invoices while posting carry our markers.
        with self.env["running.inventory.posting"]._writing_markers():
            posted = super()._post(soft=soft)
        posted._post_perpetual_document_valuation()
        return posted

    @rpc_records
    def button_draft(self):
        result = super().button_draft()
        # A bill back in draft no longer clears its receipts (and a re-posted one clears them
        # again): the settled lines it leaves are cleared from their new balance next time.
        self.filtered(lambda m: m.state == "draft")._post_perpetual_document_valuation()
        return result

    def _link_perpetual_bill_lines(self):
        """Vendor bill lines on goods received not invoiced belong to their purchase line."""
        to_link = self.env["account.move.line"]
        for line in self.filtered(lambda m: m.is_purchase_document()).invoice_line_ids:
            if line.purchase_line_id and not line.interim_purchase_line_id:
                grni = line.product_id.product_tmpl_id.with_company(
                    line.company_id
                )._get_product_accounts()["grni"]
                if grni and line.account_id == grni:
                    to_link |= line
        with self.env["running.inventory.posting"]._writing_markers():
            for line in to_link:
                line.interim_purchase_line_id = line.purchase_line_id

    def _post_perpetual_document_valuation(self):
        """What posting (or resetting) bills and invoices changes in the perpetual valuation:
        the receipts a bill re-values, and the interim accounts of the order lines it settles."""
        posting = self.env["running.inventory.posting"]
        for bill in self.filtered(lambda m: m.state == "posted" and m.is_purchase_document()):
            posting._post_value_changes(
                bill._get_perpetual_revalued_moves(),
                remainder_key=lambda product: product._get_perpetual_price_difference_key(),
                origin=bill,
            )
        # Once every bill has re-valued its receipts: what they leave on the interim accounts.
        for document in self:
            lines = document.invoice_line_ids
            posting._post_interim_clearing(lines.purchase_line_id, origin=document)
            posting._post_interim_clearing(lines.sale_line_ids, origin=document)

    def _get_perpetual_revalued_moves(self):
        """The done movements whose value Odoo takes from this bill (AVCO, FIFO, and the
        receipt's value in standard costing): its receipts and vendor returns."""
        self.ensure_one()
        return self.invoice_line_ids.purchase_line_id.move_ids.filtered(
            lambda m: m.state == "done" and (m.is_in or m.is_out)
        )

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

    # ------------------------------------------------------------------
    # Links of the perpetual valuation's entries to what caused them
    # ------------------------------------------------------------------

    @api.depends("line_ids.stock_move_id", "line_ids.stock_valuation_kind", "stock_move_ids")
    def _compute_perpetual_links(self):
        for move in self:
            lines = move.line_ids
            stock_moves = lines.stock_move_id | move.stock_move_ids
            move.is_perpetual_valuation_entry = any(lines.mapped("stock_valuation_kind"))
            move.perpetual_stock_move_ids = stock_moves
            move.perpetual_picking_ids = stock_moves.picking_id
            move.perpetual_picking_count = len(stock_moves.picking_id)

    @rpc_record
    def action_view_perpetual_pickings(self):
        """The transfers whose movements this entry values."""
        self.ensure_one()
        return self._get_perpetual_records_action(
            "stock.action_picking_tree_all", self.perpetual_picking_ids, "stock.view_picking_form"
        )

    @rpc_record
    def action_view_perpetual_stock_moves(self):
        """The stock movements this entry values."""
        self.ensure_one()
        return self._get_perpetual_records_action(
            "stock.stock_move_action", self.perpetual_stock_move_ids
        )

    @rpc_record
    def action_view_perpetual_valuation_entries(self):
        """The stock valuation entries this bill or invoice caused."""
        self.ensure_one()
        return self._get_perpetual_records_action(
            "account.action_move_journal_line", self.perpetual_valuation_move_ids
        )

    @api.model
    def _get_perpetual_records_action(self, action_xml_id, records, form_xml_id=None):
        """Odoo's window action `action_xml_id` on `records`: the form of a single one (when
        `form_xml_id` is given), else the list of them."""
        action = self.env["ir.actions.act_window"]._for_xml_id(action_xml_id)
        if form_xml_id and len(records) == 1:
            action.update(views=[(self.env.ref(form_xml_id).id, "form")], res_id=records.id)
        else:
            action["domain"] = [("id", "in", records.ids)]
        action["context"] = {"create": False}
        return action
