from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.valuation_line import MOVEMENT, REVALUATION, ValuationLine

# Written by the posting service only (their write guard, `_check_perpetual_marker_write`).
POSTING_MARKERS = frozenset({"valuation_posting"})


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
    # Odoo passes 'stock_move_id' as this field's label.
    account_move_id = fields.Many2one(string="Journal Entry")
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

    # The demand history of a batch of reorder rules reads its products' done moves over a
    # window of days. Without this index PostgreSQL ANDs the product and date indexes, and the
    # date part grows with the whole history (bench/bench_scale.py, 2,000 rules: 0.13 s at
    # 300,000 moves, 0.39 s at 3,000,000; 0.11 s at both with it).
    _done_product_date_idx = models.Index("(product_id, date) WHERE state = 'done'")

    def write(self, vals):
        self._check_perpetual_marker_write(vals)
        return super().write(vals)

    def _check_perpetual_marker_write(self, vals):
        """The posting state says the books hold the movement: only the posting service (or
        the superuser) sets it, a user clearing it would have the movement posted again."""
        posting = self.env["running.inventory.posting"]
        if POSTING_MARKERS.intersection(vals) and not posting._may_write_markers():
            raise AccessError(
                self.env._(
                    "The perpetual valuation state of a stock move is set by its posting only."
                )
            )

    def _action_done(self, cancel_backorder=False):
        posting = self.env["running.inventory.posting"]
        with posting._validating_movements():
            moves = super()._action_done(cancel_backorder=cancel_backorder)
        # Posted once Odoo has finished valuing the moves: for FIFO, Odoo updates the cost of
        # what remains after stock_account's own posting hook (`_create_account_move`).
        posting._post_movements(moves)
        return moves

    # ------------------------------------------------------------------
    # Hooks of the posting service: what a movement posts
    # ------------------------------------------------------------------

    def _get_perpetual_movement_lines(self, accounts):
        """The lines this done move posts (`ValuationLine`): what enters the valued stock, what
        leaves it, or what crosses stock accounts within it.

        :param accounts: the product's perpetual accounts (`_get_perpetual_accounts_cached`)
        """
        self.ensure_one()
        if self.is_in or self.is_out:
            return self._prepare_perpetual_incoming_lines(
                accounts
            ) + self._prepare_perpetual_outgoing_lines(accounts)
        return self._prepare_perpetual_transfer_lines(accounts)

    def _get_perpetual_order_lines(self):
        """The order lines whose interim accounts these moves feed, one recordset per model
        (`running.inventory.posting._post_interim_clearing` clears the settled ones)."""
        return [self.purchase_line_id, self.sale_line_id]

    def _get_perpetual_counterpart_account(self, location, accounts, incoming):
        """The account facing the stock account for goods coming from / going to `location`."""
        self.ensure_one()
        product = self.product_id
        if location.usage == "supplier":
            return product._require_perpetual_account(accounts, "grni")
        if location.usage == "customer":
            return product._require_perpetual_account(accounts, "gdni")
        if location.usage == "transit" and not location.valuation_account_id:
            # Inter-company transit: the documents between the companies settle it.
            return product._require_perpetual_account(accounts, "grni" if incoming else "gdni")
        account = location._get_perpetual_external_account()
        if account:
            return account
        raise UserError(
            self.env._(
                "Perpetual valuation of %(product)s: the location %(location)s (%(company)s) has "
                "no Stock Valuation Account, and its company none for its kind (inventory gains "
                "and losses, production WIP). Set one on the location or the company to post "
                "what enters or leaves the stock through it.",
                product=product.display_name,
                location=location.display_name,
                company=self.company_id.display_name,
            )
        )

    def _get_perpetual_gap_account(self, source, accounts):
        """Where the gap between the stock value (standard cost) and the counterpart goes."""
        product = self.product_id
        if source.usage == "supplier":
            return product._require_perpetual_account(accounts, "price_difference")
        if source.usage == "customer":
            return product._require_perpetual_account(accounts, "expense")
        return product._require_perpetual_account(accounts, "stock_variation")

    def _get_perpetual_interim_link(self, counterpart, accounts):
        """(journal item field, order line id) tying an interim line to the purchase / sale
        line it waits an invoice for, or None."""
        self.ensure_one()
        if self.purchase_line_id and counterpart == accounts["grni"]:
            return ("interim_purchase_line_id", self.purchase_line_id.id)
        if self.sale_line_id and counterpart == accounts["gdni"]:
            return ("interim_sale_line_id", self.sale_line_id.id)
        return None

    def _get_perpetual_counterpart_value(self):
        """Odoo's value of the done move that its counterpart (vendor, customer, location)
        carries: the whole value by default. A module adding value from another document
        (landed costs) takes its share out, and posts it against that document's account."""
        self.ensure_one()
        return self.value

    def _get_perpetual_movement_date(self):
        """The date of the movement, or the accounting date an inventory adjustment forces."""
        self.ensure_one()
        date = self.env.context.get("force_period_date") or fields.Date.context_today(
            self, self.date
        )
        return fields.Date.to_date(date)

    def _get_perpetual_reference(self):
        self.ensure_one()
        return self.reference or self.display_name

    # ------------------------------------------------------------------
    # Lines of a movement
    # ------------------------------------------------------------------

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
        counterpart_value = self._get_perpetual_counterpart_value()
        for (stock_account, source), quantity in quantities.items():
            move_value = counterpart_value * quantity / total_quantity
            stock_value = (
                self._get_perpetual_standard_unit_cost() * quantity
                if self.product_id.cost_method == "standard"
                else move_value
            )
            counterpart = self._get_perpetual_counterpart_account(source, accounts, incoming=True)
            lines += self._prepare_perpetual_pair(
                accounts, stock_account, stock_value, quantity, counterpart, move_value
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
                accounts, stock_account, -value, -quantity, counterpart, -value, delivery=True
            )
        return lines

    def _prepare_perpetual_transfer_lines(self, accounts):
        """Internal transfers post only between locations valued on different accounts,
        at the unit cost of what is moved."""
        self.ensure_one()
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
                accounts, to_account, value, quantity, from_account, value, between_stocks=True
            )
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

    def _get_perpetual_standard_unit_cost(self):
        """Unit cost Odoo values the stock on hand at: the lot's when valued by lot."""
        self.ensure_one()
        if self.product_id.lot_valuated and len(self.lot_ids) == 1:
            return self.lot_ids.standard_price
        return self.product_id.standard_price

    def _prepare_perpetual_line(self, account, amount, quantity=0.0, kind=MOVEMENT, **values):
        """A `ValuationLine` of this movement, rounded to the company currency."""
        self.ensure_one()
        product = self.product_id
        return ValuationLine(
            account_id=account.id,
            amount=self.company_id.currency_id.round(amount),
            quantity=quantity,
            kind=kind,
            product_id=product.id,
            uom_id=product.uom_id.id,
            stock_move_id=self.id,
            label=values.pop("label", None)
            or f"{self._get_perpetual_reference()} - {product.name}",
            **values,
        )

    def _prepare_perpetual_pair(
        self,
        accounts,
        stock_account,
        stock_value,
        quantity,
        counterpart,
        counterpart_value,
        kind=MOVEMENT,
        delivery=False,
        between_stocks=False,
    ):
        """The stock line (debited by `stock_value`) and its counterpart (credited by
        `counterpart_value`).

        :param delivery: goods leaving: the stock line takes the rounding of Odoo's cost
        :param between_stocks: the counterpart is a stock account too (a transfer)
        """
        partner = (self.picking_id.partner_id or self.partner_id).commercial_partner_id
        return [
            self._prepare_perpetual_line(
                stock_account,
                stock_value,
                quantity,
                kind,
                on_stock_account=True,
                takes_rounding=delivery,
            ),
            self._prepare_perpetual_line(
                counterpart,
                -counterpart_value,
                -quantity,
                kind,
                partner_id=partner.id or None,
                on_stock_account=between_stocks,
                interim_link=self._get_perpetual_interim_link(counterpart, accounts),
            ),
        ]

    def _prepare_perpetual_gap(self, stock_value, move_value, gap_account, kind=MOVEMENT):
        """The difference between the stock value and the counterpart (standard costing)."""
        self.ensure_one()
        currency = self.company_id.currency_id
        gap = currency.round(move_value) - currency.round(stock_value)
        if currency.is_zero(gap):
            return []
        label = self.env._(
            "%(reference)s - %(product)s: difference to the standard cost",
            reference=self._get_perpetual_reference(),
            product=self.product_id.name,
        )
        return [self._prepare_perpetual_line(gap_account, gap, kind=kind, label=label)]

    # ------------------------------------------------------------------
    # Value changes after the movement
    # ------------------------------------------------------------------

    def _read_perpetual_posted_by_move(self):
        """Balance and quantity posted so far per (stock move, account), and per (stock move,
        None) on all accounts together."""
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
        posted = {}
        for move_id, account_id, balance, quantity in rows:
            posted[move_id, account_id] = (balance, quantity)
            # All accounts together: (move id, None).
            total_balance, total_quantity = posted.get((move_id, None), (0.0, 0.0))
            posted[move_id, None] = (total_balance + balance, total_quantity + quantity)
        return posted

    def _get_perpetual_valued_side(self):
        """(move lines, sign, stock location, external location) of a done valued move: +1
        for goods that came in, -1 for goods that left; None for a transfer."""
        self.ensure_one()
        if self.is_in:
            move_lines = self._get_in_move_lines()
            return move_lines, 1, move_lines[:1].location_dest_id, move_lines[:1].location_id
        if self.is_out:
            move_lines = self._get_out_move_lines()
            return move_lines, -1, move_lines[:1].location_id, move_lines[:1].location_dest_id
        return None

    def _get_perpetual_value_change_lines(self, posted, accounts):
        """The change of this movement since it was posted: its counterpart follows Odoo's
        value of the move, its stock line the quantity (a corrected done quantity).

        :param posted: {(move id, account id): (balance, quantity)} posted so far
        """
        self.ensure_one()
        side = self._get_perpetual_valued_side()
        if not side:
            return []
        move_lines, sign, stock_location, external = side
        stock_account = stock_location._get_perpetual_stock_account(accounts)
        counterpart = self._get_perpetual_counterpart_account(external, accounts, incoming=sign > 0)
        currency = self.company_id.currency_id
        value_change = (
            currency.round(sign * self._get_perpetual_counterpart_value())
            + posted.get((self.id, counterpart.id), (0.0, 0.0))[0]
        )
        quantity = sign * sum(move_lines.mapped("quantity_product_uom"))
        quantity_change = quantity - self._get_perpetual_posted_stock_quantity(posted, counterpart)
        if not self._is_perpetual_value_changed(sign, value_change, quantity_change):
            return []
        stock_change = (
            self._get_perpetual_standard_unit_cost() * quantity_change
            if self.product_id.cost_method == "standard"
            else value_change
        )
        lines = self._prepare_perpetual_pair(
            accounts,
            stock_account,
            stock_change,
            quantity_change,
            counterpart,
            value_change,
            kind=REVALUATION,
        )
        gap_account = self._get_perpetual_gap_account(external, accounts)
        return lines + self._prepare_perpetual_gap(
            stock_change, value_change, gap_account, kind=REVALUATION
        )

    def _get_perpetual_posted_stock_quantity(self, posted, counterpart):
        """The quantity this movement posted on the stock: all it posted but its counterpart's
        (its other lines carry values only), on whichever stock account valued the product
        then; a change of category moves the product's stock to another account, not the
        lines of its movements."""
        self.ensure_one()
        return (
            posted.get((self.id, None), (0.0, 0.0))[1]
            - posted.get((self.id, counterpart.id), (0.0, 0.0))[1]
        )

    def _is_perpetual_value_changed(self, sign, value_change, quantity_change):
        currency = self.company_id.currency_id
        if self.valuation_posting == "zero_value":
            return not currency.is_zero(value_change)
        if sign < 0 and self.product_uom.is_zero(quantity_change):
            # A delivery is valued once; its delivery cost only changes with its quantity.
            return False
        return not (
            currency.is_zero(value_change) and self.product_id.uom_id.is_zero(quantity_change)
        )
