from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class StockMove(models.Model):
    _inherit = "stock.move"

    valuation_posting = fields.Selection(
        [
            ("posted", "Posted"),
            ("zero_value", "Zero value: nothing to post"),
        ],
        string="Perpetual Valuation",
        copy=False,
        readonly=True,
        help="Posted: the journal entry of this movement is in Journal Entry.\n"
        "Zero value: the movement is done at no value, so it posts nothing; it still counts in "
        "the running ledger with its quantity.",
    )
    valuation_line_ids = fields.One2many(
        "account.move.line",
        "stock_move_id",
        string="Valuation Journal Items",
        readonly=True,
    )

    count_id = fields.Many2one(
        "running.inventory.count",
        string="Count Session",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The approved count session whose difference this inventory adjustment applies.",
    )

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # Posted once Odoo has finished valuing the moves: for FIFO, Odoo updates the cost of
        # what remains after stock_account's own posting hook (`_create_account_move`).
        moves._post_perpetual_valuation()
        return moves

    # ------------------------------------------------------------------
    # Posting at each movement
    # ------------------------------------------------------------------

    def _post_perpetual_valuation(self):
        """Post the journal entry of the done moves of products in perpetual valuation."""
        todo = self.filtered(lambda m: m.state == "done" and not m.valuation_posting)
        for company, moves in todo.grouped("company_id").items():
            # Whoever validates a picking posts its valuation, as in Odoo's own real-time mode.
            moves = moves.with_company(company).sudo()
            moves = moves.filtered(lambda m: m.product_id._is_perpetual())
            if moves:
                moves._post_perpetual_valuation_company()

    def _post_perpetual_valuation_company(self):
        """Post the moves of one company: one entry per journal and accounting date."""
        accounts_cache = {}
        lines = self._prepare_perpetual_movement_lines(accounts_cache)
        lines += self.product_id._prepare_perpetual_adjustment_lines(
            lines,
            accounts_cache,
            net_quantities=self._sum_perpetual_stock_quantities(lines),
            # Odoo replays an average-cost product's moves ordered by date (to the second),
            # then id: a delivery that sorts before a receipt already done (same second, lower
            # id, or back-dated) is valued there at another cost than the one Odoo gave it.
            deliveries=self.filtered(lambda m: m.is_out and m.product_id.cost_method == "average"),
        )
        lines = self._set_perpetual_zero_value(lines)
        if lines:
            entries = self._prepare_perpetual_entries(lines, accounts_cache)
            account_moves = self.env["account.move"]._create_posted_stock_entries(entries)
            for entry, account_move in zip(entries, account_moves, strict=True):
                entry["stock_moves"].write(
                    {"account_move_id": account_move.id, "valuation_posting": "posted"}
                )
        self.purchase_line_id._post_perpetual_grni_clearing()
        self.sale_line_id._post_perpetual_gdni_clearing()

    @staticmethod
    def _sum_perpetual_stock_quantities(lines):
        """Quantity each product (id) gains in stock through `lines` (transfers net to zero)."""
        quantities = defaultdict(float)
        for line in lines:
            if line["is_stock"]:
                quantities[line["product_id"]] += line["quantity"]
        return quantities

    def _set_perpetual_zero_value(self, lines):
        """A movement at zero value posts nothing and is marked so; the stock line of a valued
        movement keeps its quantity even when its amount is zero (e.g. a standard cost of 0).

        :return: the lines to post
        """
        valued = {line["stock_move_id"] for line in lines if line["balance"]}
        lines = [
            line
            for line in lines
            if line["balance"] or (line["keep"] and line["stock_move_id"] in valued)
        ]
        posting = {line["stock_move_id"] for line in lines if line["stock_move_id"]}
        zero_valued = self.filtered(lambda m: m.id not in posting and (m.is_in or m.is_out))
        zero_valued.valuation_posting = "zero_value"
        return lines

    def _prepare_perpetual_movement_lines(self, accounts_cache):
        lines = []
        for move in self:
            accounts = move.product_id._get_perpetual_accounts_cached(accounts_cache)
            lines += move._prepare_perpetual_incoming_lines(accounts)
            lines += move._prepare_perpetual_outgoing_lines(accounts)
            lines += move._prepare_perpetual_transfer_lines(accounts)
        return lines

    def _group_perpetual_quantities(self, move_lines, accounts, side):
        """Quantities of `move_lines` per (stock valuation account, external location).

        :param side: "in" (the stock account is the destination's) or "out" (the source's)
        """
        quantities = defaultdict(float)
        for move_line in move_lines:
            stock_location, external = (
                (move_line.location_dest_id, move_line.location_id)
                if side == "in"
                else (move_line.location_id, move_line.location_dest_id)
            )
            account = stock_location._get_perpetual_stock_account(accounts)
            quantities[account, external] += move_line.quantity_product_uom
        return quantities

    def _prepare_perpetual_incoming_lines(self, accounts):
        """Goods entering the valued stock: stock account against the source's account.

        The source's account takes Odoo's value of the move (the purchase price, the cost at
        which a returned delivery left, ...); the stock account takes what the move adds to
        Odoo's stock value, which for standard costing is the standard price; any gap goes to
        price difference (purchases), cost of goods sold (customer returns) or stock variation.
        """
        self.ensure_one()
        # is_in / is_out: Odoo's own direction of the done move, stored when it was done.
        move_lines = self._get_in_move_lines() if self.is_in else self.move_line_ids.browse()
        total_quantity = sum(move_lines.mapped("quantity_product_uom"))
        if not total_quantity:
            return []
        lines = []
        quantities = self._group_perpetual_quantities(move_lines, accounts, "in")
        for (stock_account, source), quantity in quantities.items():
            move_value = self.value * quantity / total_quantity
            stock_value = (
                self._get_perpetual_standard_unit_cost() * quantity
                if self.product_id.cost_method == "standard"
                else move_value
            )
            counterpart = self._get_perpetual_counterpart_account(source, accounts, incoming=True)
            lines += self._prepare_perpetual_pair(
                stock_account, stock_value, quantity, counterpart, move_value, accounts=accounts
            )
            gap_account = self._get_perpetual_gap_account(source, accounts)
            lines += self._prepare_perpetual_gap(stock_value, move_value, gap_account)
        return lines

    def _prepare_perpetual_outgoing_lines(self, accounts):
        """Goods leaving the valued stock, at Odoo's value of the move."""
        self.ensure_one()
        move_lines = self._get_out_move_lines() if self.is_out else self.move_line_ids.browse()
        total_quantity = sum(move_lines.mapped("quantity_product_uom"))
        if not total_quantity:
            return []
        lines = []
        quantities = self._group_perpetual_quantities(move_lines, accounts, "out")
        for (stock_account, destination), quantity in quantities.items():
            value = self.value * quantity / total_quantity
            counterpart = self._get_perpetual_counterpart_account(
                destination, accounts, incoming=False
            )
            lines += self._prepare_perpetual_pair(
                stock_account,
                -value,
                -quantity,
                counterpart,
                -value,
                absorbs_rounding=True,
                accounts=accounts,
            )
        return lines

    def _prepare_perpetual_transfer_lines(self, accounts):
        """Internal transfers post only between locations valued on different accounts,
        at the unit cost of what is moved."""
        self.ensure_one()
        if self.is_in or self.is_out:
            return []
        quantities = defaultdict(float)
        for move_line in self.move_line_ids:
            if not move_line.picked or move_line._should_exclude_for_valuation():
                continue
            source, destination = move_line.location_id, move_line.location_dest_id
            if not (source._should_be_valued() and destination._should_be_valued()):
                continue
            from_account = source._get_perpetual_stock_account(accounts)
            to_account = destination._get_perpetual_stock_account(accounts)
            if from_account != to_account:
                quantities[from_account, to_account] += move_line.quantity_product_uom
        lines = []
        for (from_account, to_account), quantity in quantities.items():
            value = self._get_perpetual_standard_unit_cost() * quantity
            lines += self._prepare_perpetual_pair(
                to_account,
                value,
                quantity,
                from_account,
                value,
                counterpart_is_stock=True,
                accounts=accounts,
            )
        return lines

    def _get_perpetual_standard_unit_cost(self):
        """Unit cost Odoo values the stock on hand at: the lot's when valued by lot."""
        self.ensure_one()
        if self.product_id.lot_valuated and len(self.lot_ids) == 1:
            return self.lot_ids.standard_price
        return self.product_id.standard_price

    def _prepare_perpetual_pair(
        self,
        stock_account,
        stock_value,
        quantity,
        counterpart,
        counterpart_value,
        *,
        accounts,
        counterpart_is_stock=False,
        absorbs_rounding=False,
        kind="movement",
    ):
        """The stock line and its counterpart (signed balances: stock debited by `stock_value`,
        counterpart credited by `counterpart_value`).

        :param accounts: the product's perpetual accounts (`_get_perpetual_accounts_cached`)
        """
        self.ensure_one()
        currency = self.company_id.currency_id
        common = {
            "product_id": self.product_id.id,
            "product_uom_id": self.product_id.uom_id.id,
            "stock_move_id": self.id,
            "stock_valuation_kind": kind,
            "name": f"{self.reference or self.display_name} - {self.product_id.name}",
        }
        partner = (self.picking_id.partner_id or self.partner_id).commercial_partner_id
        return [
            {
                **common,
                "account_id": stock_account.id,
                "balance": currency.round(stock_value),
                "quantity": quantity,
                "is_stock": True,
                "absorbs_rounding": absorbs_rounding,
                "keep": True,
            },
            {
                **common,
                **self._get_perpetual_interim_links(counterpart, accounts),
                "account_id": counterpart.id,
                "balance": -currency.round(counterpart_value),
                "quantity": -quantity,
                "partner_id": partner.id,
                "is_stock": counterpart_is_stock,
                "absorbs_rounding": False,
                "keep": counterpart_is_stock,
            },
        ]

    def _get_perpetual_interim_links(self, counterpart, accounts):
        """Tie interim lines to the purchase / sale line they wait an invoice for."""
        self.ensure_one()
        links = {}
        if self.purchase_line_id and counterpart == accounts["grni"]:
            links["interim_purchase_line_id"] = self.purchase_line_id.id
        if self.sale_line_id and counterpart == accounts["gdni"]:
            links["interim_sale_line_id"] = self.sale_line_id.id
        return links

    def _prepare_perpetual_gap(self, stock_value, move_value, gap_account, kind="movement"):
        self.ensure_one()
        currency = self.company_id.currency_id
        gap = currency.round(move_value) - currency.round(stock_value)
        if currency.is_zero(gap):
            return []
        return [
            {
                "account_id": gap_account.id,
                "balance": gap,
                "quantity": 0.0,
                "product_id": self.product_id.id,
                "product_uom_id": self.product_id.uom_id.id,
                "stock_move_id": self.id,
                "stock_valuation_kind": kind,
                "name": self.env._(
                    "%(reference)s - %(product)s: difference to the standard cost",
                    reference=self.reference or self.display_name,
                    product=self.product_id.name,
                ),
                "is_stock": False,
                "absorbs_rounding": False,
                "keep": False,
            }
        ]

    def _get_perpetual_counterpart_account(self, location, accounts, incoming):
        """The account facing the stock account for goods coming from / going to `location`."""
        self.ensure_one()
        product = self.product_id
        if location.usage == "supplier":
            return product._require_perpetual_account(accounts, "grni")
        if location.usage == "customer":
            return product._require_perpetual_account(accounts, "gdni")
        if location.valuation_account_id:
            return location.valuation_account_id
        if location.usage == "transit":
            # Inter-company transit: the documents between the companies settle it.
            return product._require_perpetual_account(accounts, "grni" if incoming else "gdni")
        raise UserError(
            self.env._(
                "Perpetual valuation of %(product)s: the location %(location)s (%(company)s) has "
                "no Stock Valuation Account. Set one on the location to post what enters or "
                "leaves the stock through it.",
                product=product.display_name,
                location=location.display_name,
                company=self.company_id.display_name,
            )
        )

    def _get_perpetual_gap_account(self, source, accounts):
        product = self.product_id
        if source.usage == "supplier":
            return product._require_perpetual_account(accounts, "price_difference")
        if source.usage == "customer":
            return product._require_perpetual_account(accounts, "expense")
        return product._require_perpetual_account(accounts, "stock_variation")

    def _prepare_perpetual_entries(self, lines, accounts_cache):
        """Group the lines in one entry per stock journal and accounting date."""
        moves_by_id = {move.id: move for move in self}
        dates = {}
        entries = {}
        for line in lines:
            move = moves_by_id.get(line["stock_move_id"]) or self[:1]
            product = self.env["product.product"].browse(line["product_id"])
            journal = product._get_perpetual_accounts_cached(accounts_cache)["stock_journal"]
            movement_date = move._get_perpetual_movement_date()
            if (journal, movement_date) not in dates:
                dates[journal, movement_date] = move.company_id._get_perpetual_accounting_date(
                    movement_date, journal
                )
            date = dates[journal, movement_date]
            entry = entries.setdefault(
                (journal, date),
                {"journal": journal, "date": date, "lines": [], "stock_moves": self.browse()},
            )
            entry["lines"].append(
                {
                    key: value
                    for key, value in line.items()
                    if key not in ("is_stock", "absorbs_rounding", "keep")
                }
            )
            if line["stock_move_id"]:
                entry["stock_moves"] |= move
        for entry in entries.values():
            references = {move.reference or move.display_name for move in entry["stock_moves"]}
            entry["ref"] = ", ".join(sorted(references))[:200] or None
        return list(entries.values())

    def _get_perpetual_movement_date(self):
        """The date of the movement, or the accounting date an inventory adjustment forces."""
        self.ensure_one()
        date = self.env.context.get("force_period_date") or fields.Date.context_today(
            self, self.date
        )
        return fields.Date.to_date(date)

    # ------------------------------------------------------------------
    # Value changes after the movement
    # ------------------------------------------------------------------

    def _post_perpetual_value_changes(self, remainder_key=None):
        """After Odoo re-valued these done moves (a bill, a value set by hand, a corrected
        quantity): the counterpart of each move follows its new value, and each product's
        stock account follows Odoo's stock value; what differs between the two (goods already
        delivered) goes to `remainder_key`'s account.

        :param remainder_key: function(product) -> key of `_get_product_accounts`
        """
        moves = self.filtered(lambda m: m.state == "done" and m.valuation_posting)
        for company, company_moves in moves.grouped("company_id").items():
            company_moves = company_moves.with_company(company).sudo()
            company_moves = company_moves.filtered(lambda m: m.product_id._is_perpetual())
            if company_moves:
                company_moves._post_perpetual_value_changes_company(remainder_key)

    def _post_perpetual_value_changes_company(self, remainder_key):
        accounts_cache = {}
        posted = self._get_perpetual_posted_by_move()
        lines = []
        for move in self:
            lines += move._prepare_perpetual_value_change_lines(posted, accounts_cache)
        if not lines:
            return
        lines += self.product_id._prepare_perpetual_adjustment_lines(
            lines, accounts_cache, remainder_key=remainder_key
        )
        account_moves = self.env["account.move"]._post_perpetual_lines(lines, accounts_cache)
        # A movement posted at zero value that gets a value now is posted from now on.
        revalued = self.filtered(
            lambda m: (
                m.valuation_posting == "zero_value"
                and any(line["stock_move_id"] == m.id for line in lines)
            )
        )
        if revalued and account_moves:
            revalued.write({"account_move_id": account_moves[0].id, "valuation_posting": "posted"})

    def _get_perpetual_posted_by_move(self):
        """Balance and quantity posted so far per (stock move, account)."""
        self.env["account.move.line"].flush_model(
            ["stock_move_id", "account_id", "balance", "quantity", "parent_state"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT stock_move_id, account_id, SUM(balance), SUM(quantity)
                  FROM account_move_line
                 WHERE stock_move_id = ANY(%s)
                   AND stock_valuation_kind IS NOT NULL
                   AND parent_state = 'posted'
                 GROUP BY stock_move_id, account_id
                """,
                self.ids,
            )
        )
        return {(move_id, account_id): (balance, qty) for move_id, account_id, balance, qty in rows}

    def _prepare_perpetual_value_change_lines(self, posted, accounts_cache):
        """The change of this movement since it was posted: its counterpart follows Odoo's
        value of the move, its stock line the quantity (a corrected done quantity).

        :param posted: {(move id, account id): (balance, quantity)} posted so far
        """
        self.ensure_one()
        currency = self.company_id.currency_id
        accounts = self.product_id._get_perpetual_accounts_cached(accounts_cache)
        if self.is_in:
            move_lines, sign = self._get_in_move_lines(), 1
            stock_location, external = move_lines[:1].location_dest_id, move_lines[:1].location_id
        elif self.is_out:
            move_lines, sign = self._get_out_move_lines(), -1
            stock_location, external = move_lines[:1].location_id, move_lines[:1].location_dest_id
        else:
            return []
        stock_account = stock_location._get_perpetual_stock_account(accounts)
        counterpart = self._get_perpetual_counterpart_account(external, accounts, incoming=sign > 0)
        value = currency.round(sign * self.value)
        value_change = value + posted.get((self.id, counterpart.id), (0.0, 0.0))[0]
        quantity = sign * sum(move_lines.mapped("quantity_product_uom"))
        quantity_change = quantity - posted.get((self.id, stock_account.id), (0.0, 0.0))[1]
        if self.valuation_posting == "zero_value":
            if currency.is_zero(value_change):
                return []
        elif sign < 0 and self.product_uom.is_zero(quantity_change):
            # A delivery is valued once; its delivery cost only changes with its quantity.
            return []
        if currency.is_zero(value_change) and self.product_id.uom_id.is_zero(quantity_change):
            return []
        stock_change = (
            self._get_perpetual_standard_unit_cost() * quantity_change
            if self.product_id.cost_method == "standard"
            else value_change
        )
        lines = self._prepare_perpetual_pair(
            stock_account,
            stock_change,
            quantity_change,
            counterpart,
            value_change,
            accounts=accounts,
            kind="revaluation",
        )
        gap_account = self._get_perpetual_gap_account(external, accounts)
        return lines + self._prepare_perpetual_gap(
            stock_change, value_change, gap_account, kind="revaluation"
        )
