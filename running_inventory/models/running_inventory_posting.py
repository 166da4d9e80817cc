from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models

from ..tools.valuation_line import OPENING, REVALUATION, ValuationEntry, ValuationLine

# Set while the posting service writes its own markers (the entries' journal items, the moves'
# posting state): their write guards let it through. A context key would not do, since any RPC
# caller chooses the context it sends.
_WRITING_MARKERS = ContextVar("running_inventory_writing_markers", default=False)
# Set while Odoo validates movements (`stock.move._action_done`), which posts them once Odoo has
# valued them; outside it, a move line added to a done move posts that move as it stands.
_VALIDATING = ContextVar("running_inventory_validating", default=False)


class PostingRun:
    """What one posting computes once and its steps share: the perpetual accounts of each
    product category in the company (``product.product._get_perpetual_accounts_cached``)."""

    __slots__ = ("accounts_cache",)

    def __init__(self):
        self.accounts_cache = {}

    def accounts(self, product):
        return product._get_perpetual_accounts_cached(self.accounts_cache)


class RunningInventoryPosting(models.AbstractModel):
    """The perpetual valuation's posting service: the one place where journal entries of stock
    movements and stock value changes are made.

    Every posting follows the same sequence: collect what moved or changed value, as
    `ValuationLine` values the documents supply through their hooks; true the stock accounts up
    to Odoo's own stock value; drop what carries nothing; group the lines into one entry per
    stock journal and accounting date; write the entries; stamp the movements with their entry;
    clear the interim accounts of the purchase and sale lines now settled.

    The documents only supply their part (see the readme's "Extending" section):
    - ``stock.move._get_perpetual_movement_lines`` and ``_get_perpetual_value_change_lines``:
      what a movement posts, with ``_get_perpetual_counterpart_account``,
      ``_get_perpetual_gap_account`` and ``_get_perpetual_interim_link`` for the accounts and
      links facing the stock;
    - ``stock.location._get_perpetual_stock_account``: the account valuing what a location holds;
    - ``_filter_perpetual_settled``, ``_get_perpetual_interim_balances`` and
      ``_get_perpetual_clearing_account_key`` on the order lines that wait for a bill or invoice
      (``purchase.order.line``, ``sale.order.line``);
    - ``account.move._get_perpetual_revalued_moves``: the movements a bill re-values.
    """

    _name = "running.inventory.posting"
    _description = "Perpetual Valuation Posting"

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _post_movements(self, moves):
        """Post the done `moves` of perpetual products that have no entry yet."""
        todo = moves.filtered(lambda m: m.state == "done" and not m.valuation_posting)
        # Whoever validates a picking posts its valuation, as in Odoo's own real-time mode.
        for service, company_moves in self._split_by_company(todo):
            company_moves = company_moves.filtered(lambda m: m.product_id._is_perpetual())
            if company_moves:
                service._post_company_movements(company_moves)

    @api.model
    def _post_value_changes(self, moves, remainder_key=None, origin=None):
        """After Odoo re-valued these done and posted moves (a bill, a value set by hand, a
        corrected quantity): each movement's counterpart follows its new value and each
        product's stock account follows Odoo's stock value.

        :param remainder_key: function(product) -> key of the product's accounts taking what
            differs between the two (goods already delivered); default: stock variation
        :param origin: the document that caused the change (a bill), named by the entry
        :return: the entries posted
        """
        entries = self.env["account.move"]
        todo = moves.filtered(lambda m: m.state == "done" and m.valuation_posting)
        for service, company_moves in self._split_by_company(todo):
            company_moves = company_moves.filtered(lambda m: m.product_id._is_perpetual())
            if company_moves:
                entries |= service._post_company_value_changes(company_moves, remainder_key, origin)
        return entries.with_env(self.env)

    @api.model
    def _post_cost_changes(self, products):
        """Bring the stock accounts of these products to Odoo's stock value after a change of
        cost (standard price, average cost or lot cost set by hand), against stock variation."""
        service = self.sudo()
        products = products.with_env(service.env).filtered(lambda p: p._is_perpetual())
        if products:
            run = PostingRun()
            lines = service._true_up_to_stock_value([], products, run)
            ref = service.env._(
                "Cost change: %(products)s", products=", ".join(products.mapped("display_name"))
            )
            service._post_dated_lines(lines, run, ref=ref[:200])

    @api.model
    def _post_stock_account_changes(self, former_accounts):
        """After products changed category, or their category its stock valuation account:
        what the books hold of each product moves from the account that valued it to the one
        that values it now, at once (a product that enters the perpetual valuation gets its
        opening entry), and any change of Odoo's value (another cost method) follows.

        :param former_accounts: {company: {product.product: account.account}}, the stock
            valuation account each product was valued on in that company before the change
            (empty for a product that was not in the perpetual valuation)
        """
        for company, accounts_by_product in former_accounts.items():
            service = self.with_company(company).sudo()
            products = service.env["product.product"].concat(*accounts_by_product)
            products = products.with_env(service.env).filtered(lambda p: p._is_perpetual())
            if products:
                former = {
                    product.id: account.id for product, account in accounts_by_product.items()
                }
                service._post_company_stock_account_changes(products, former)

    @api.model
    def _post_interim_clearing(self, order_lines, origin=None):
        """Clear the interim account of the order lines (purchase, sale) that are received or
        delivered and invoiced in full: what is left there is a price difference or cost of
        goods sold."""
        for service, lines in self._split_by_company(order_lines):
            settled = lines._filter_perpetual_settled()
            if settled:
                service._post_company_interim_clearing(settled, origin)

    @api.model
    def _post_lines(self, lines, journal, date, ref):
        """Post lines prepared elsewhere (an opening entry) in one entry, as they are."""
        lines = [line for line in lines if line.amount]
        if not lines:
            return self.env["account.move"]
        entry = ValuationEntry(journal=journal, date=date, ref=ref, lines=tuple(lines))
        return self._write_entries([entry])

    @api.model
    @contextmanager
    def _writing_markers(self):
        """Let the code in this block write the perpetual valuation's markers (the journal
        items' kind and links, the moves' posting state), which their guards refuse to anyone
        else but the superuser. For the addon's own code paths only."""
        token = _WRITING_MARKERS.set(True)
        try:
            yield
        finally:
            _WRITING_MARKERS.reset(token)

    @api.model
    def _may_write_markers(self):
        return self.env.su or _WRITING_MARKERS.get()

    @api.model
    @contextmanager
    def _validating_movements(self):
        """Odoo is validating movements in this block: they are posted when it is done."""
        token = _VALIDATING.set(True)
        try:
            yield
        finally:
            _VALIDATING.reset(token)

    @api.model
    def _post_movements_done_outside_validation(self, moves):
        """Post the done and unposted `moves` that did not go through a validation (a move
        created as done, lines added to a done move by an import or another module)."""
        if _VALIDATING.get():
            return
        todo = moves.filtered(lambda m: m.state == "done" and not m.valuation_posting)
        # Odoo values a movement in `_action_done` (stock_account); one done without it has no
        # value yet: it gets the value that validation would have given it.
        for _service, company_moves in self._split_by_company(todo):
            company_moves.filtered(
                lambda m: m.product_id._is_perpetual() and (m.is_in or m.is_out) and not m.value
            )._set_value()
        self._post_movements(todo)

    # ------------------------------------------------------------------
    # The sequence, per company
    # ------------------------------------------------------------------

    def _post_company_movements(self, moves):
        run = PostingRun()
        lines = self._collect_movement_lines(moves, run)
        lines = self._true_up_to_stock_value(
            lines,
            moves.product_id,
            run,
            net_quantities=self._sum_stock_quantities(lines),
            # Odoo replays an average-cost product's moves ordered by date (to the second),
            # then id: a delivery that sorts before a receipt already done (same second, lower
            # id, or back-dated) is valued there at another cost than the one Odoo gave it.
            deliveries=moves.filtered(lambda m: m.is_out and m.product_id.cost_method == "average"),
        )
        lines = self._drop_lines_without_value(lines, moves)
        if lines:
            entries = self._group_movement_entries(lines, moves, run)
            account_moves = self._write_entries(entries)
            self._stamp_movements(entries, account_moves)
        for order_lines in moves._get_perpetual_order_lines():
            self._post_interim_clearing(order_lines)

    def _post_company_value_changes(self, moves, remainder_key, origin):
        run = PostingRun()
        posted = moves._read_perpetual_posted_by_move()
        lines = []
        for move in moves:
            lines += move._get_perpetual_value_change_lines(posted, run.accounts(move.product_id))
        if not lines:
            return self.env["account.move"]
        lines = self._true_up_to_stock_value(
            lines, moves.product_id, run, remainder_key=remainder_key
        )
        account_moves = self._post_dated_lines(
            lines,
            run,
            origin=origin,
            date=self._get_perpetual_origin_date(origin),
            ref=self._get_value_change_reference(moves),
        )
        # A movement posted at zero value that gets a value now is posted from now on.
        revalued_ids = {line.stock_move_id for line in lines}
        revalued = moves.filtered(
            lambda m: m.valuation_posting == "zero_value" and m.id in revalued_ids
        )
        if revalued and account_moves:
            self._stamp_moves(revalued, account_moves[0])
        return account_moves

    def _get_perpetual_origin_date(self, origin):
        """The accounting date of the entry a document causes (`origin`), where the document
        has its own that the entry must follow; False: the day it is posted."""
        return False

    def _post_company_stock_account_changes(self, products, former):
        run = PostingRun()
        entering = products.filtered(lambda p: not former[p.id])
        lines = self._prepare_reclassification_lines(products - entering, former, run)
        lines = self._true_up_to_stock_value(lines, products - entering, run)
        lines += self._prepare_opening_lines(entering, run)
        self._post_dated_lines(lines, run, ref=self.env._("Change of product category"))

    def _post_company_interim_clearing(self, order_lines, origin):
        run = PostingRun()
        lines = []
        for order_line, (
            balance,
            _quantity,
        ) in order_lines._get_perpetual_interim_balances().items():
            lines += self._prepare_interim_clearing_lines(order_line, balance, run)
        orders = ", ".join(sorted(set(order_lines.order_id.mapped("name"))))
        ref = self.env._("Interim clearing: %(orders)s", orders=orders)[:200]
        self._post_dated_lines(lines, run, origin=origin, ref=ref)

    def _collect_movement_lines(self, moves, run):
        lines = []
        for move in moves:
            lines += move._get_perpetual_movement_lines(run.accounts(move.product_id))
        return lines

    @staticmethod
    def _sum_stock_quantities(lines):
        """Quantity each product (id) gains in stock through `lines` (transfers net to zero)."""
        quantities = defaultdict(float)
        for line in lines:
            if line.on_stock_account:
                quantities[line.product_id] += line.quantity
        return quantities

    def _drop_lines_without_value(self, lines, moves):
        """A movement at zero value posts nothing and is marked so; the stock line of a valued
        movement keeps its quantity even when its amount is zero (e.g. a standard cost of 0)."""
        with_value = {line.stock_move_id for line in lines if line.amount}
        lines = [line for line in lines if line.is_posted(with_value)]
        posting = {line.stock_move_id for line in lines if line.stock_move_id}
        zero_valued = moves.filtered(lambda m: m.id not in posting and (m.is_in or m.is_out))
        if zero_valued:
            with self._writing_markers():
                zero_valued.valuation_posting = "zero_value"
        return lines

    # ------------------------------------------------------------------
    # Keeping the stock accounts on Odoo's stock value
    # ------------------------------------------------------------------

    def _true_up_to_stock_value(
        self, lines, products, run, net_quantities=None, remainder_key=None, deliveries=None
    ):
        """`lines`, and what brings each product's stock accounts to Odoo's stock value.

        After the lines of the movements, the stock account of a product must hold Odoo's own
        value of what is on hand (`total_value`). What separates them is:
        - rounding: Odoo values an AVCO/FIFO delivery at the unrounded cost and rounds the
          value on hand once; that cent goes with the delivery (it is part of its cost);
        - goods delivered before they were received: when stock comes back from negative,
          Odoo revalues what was delivered at the new cost; that goes to cost of goods sold;
        - any other change of Odoo's value: to `remainder_key`'s account (a bill revaluing a
          receipt of goods partly delivered: price difference), by default stock variation.

        :param net_quantities: quantity each product (id) gained in stock through the movements
        :param remainder_key: function(product) -> key of the product's perpetual accounts
        :param deliveries: the AVCO deliveries among the movements, if any
        :return: the lines to post (new values where a delivery took a rounding cent)
        """
        position = products._read_perpetual_position(run.accounts_cache, deliveries)
        targets = products._get_perpetual_stock_values(position)
        pending = defaultdict(float)
        for line in lines:
            if line.on_stock_account:
                pending[line.product_id, line.account_id] += line.amount
        adjustments = []
        for product_id, account_id in sorted({*targets, *pending, *position.posted}):
            residual = self.env.company.currency_id.round(
                targets.get((product_id, account_id), 0.0)
                - position.posted.get((product_id, account_id), 0.0)
                - pending[product_id, account_id]
            )
            lines, extra = self._settle_stock_residual(
                lines,
                products.browse(product_id),
                account_id,
                residual,
                run,
                gained=(net_quantities or {}).get(product_id, 0.0),
                on_hand=position.on_hand(product_id),
                remainder_key=remainder_key,
            )
            adjustments += extra
        return lines + adjustments

    def _settle_stock_residual(
        self, lines, product, account_id, residual, run, gained, on_hand, remainder_key
    ):
        """(lines, adjustment lines) for what separates a stock account from Odoo's value of
        `product` on it: a rounding cent given to a delivery among `lines`, or a revaluation.

        :param gained: quantity the product gained through the movements being posted
        :param on_hand: quantity on hand after them
        """
        if self.env.company.currency_id.is_zero(residual):
            return lines, []
        came_back_from_negative = gained > 0 and product.uom_id.compare(on_hand - gained, 0) < 0
        if not came_back_from_negative and self._is_rounding(
            residual, lines, product.id, account_id
        ):
            rounded = self._assign_rounding(lines, product.id, account_id, residual)
            if rounded is not None:
                return rounded, []
        if came_back_from_negative:
            key = "expense"
        else:
            key = remainder_key(product) if remainder_key else "stock_variation"
        return lines, self._prepare_stock_value_adjustment(product, account_id, residual, key, run)

    def _is_rounding(self, residual, lines, product_id, account_id):
        """Each rounded amount may be off by half a cent: beyond that, it is not rounding."""
        rounding = self.env.company.currency_id.rounding
        own = sum(
            1 for line in lines if (line.product_id, line.account_id) == (product_id, account_id)
        )
        return abs(residual) <= rounding * (own + 2) / 2

    def _assign_rounding(self, lines, product_id, account_id, residual):
        """`lines` with the rounding `residual` given to the largest delivery of the product
        from that stock account, and to its counterpart; None without such a delivery."""
        takers = [
            index
            for index, line in enumerate(lines)
            if line.takes_rounding
            and line.product_id == product_id
            and line.account_id == account_id
        ]
        if not takers:
            return None
        taker = max(takers, key=lambda index: abs(lines[index].amount))
        move_id = lines[taker].stock_move_id
        counterpart = next(
            index
            for index, line in enumerate(lines)
            if line.stock_move_id == move_id
            and line.product_id == product_id
            and not line.on_stock_account
        )
        currency = self.env.company.currency_id
        lines = list(lines)
        lines[taker] = lines[taker].with_amount(currency.round(lines[taker].amount + residual))
        lines[counterpart] = lines[counterpart].with_amount(
            currency.round(lines[counterpart].amount - residual)
        )
        return lines

    def _prepare_stock_value_adjustment(self, product, account_id, amount, counterpart_key, run):
        """The stock account of `product` moved by `amount` against `counterpart_key`'s account."""
        accounts = run.accounts(product)
        counterpart = product._require_perpetual_account(accounts, counterpart_key)
        if counterpart_key == "expense":
            label = self.env._(
                "%(product)s: revaluation of goods delivered before receipt",
                product=product.display_name,
            )
        elif counterpart_key == "stock_variation":
            label = self.env._(
                "%(product)s: revaluation to Odoo's stock value", product=product.display_name
            )
        else:
            label = self.env._(
                "%(product)s: value change of goods no longer in stock",
                product=product.display_name,
            )
        common = {"label": label, "kind": REVALUATION, "product_id": product.id}
        common["uom_id"] = product.uom_id.id
        return [
            ValuationLine(account_id=account_id, amount=amount, on_stock_account=True, **common),
            ValuationLine(account_id=counterpart.id, amount=-amount, **common),
        ]

    def _prepare_reclassification_lines(self, products, former, run):
        """What the perpetual valuation posted for each product on its former stock account,
        moved to the one that values it now: the balance and the quantity."""
        moved = {
            product: former[product.id]
            for product in products
            if former[product.id] != run.accounts(product)["stock_valuation"].id
        }
        lines = []
        for product, account, balance, quantity in self._read_posted_on_accounts(moved):
            label = self.env._(
                "%(product)s: reclassified from %(account)s",
                product=product.display_name,
                account=account.display_name,
            )
            common = {"label": label, "kind": REVALUATION, "product_id": product.id}
            common["uom_id"] = product.uom_id.id
            new_account = run.accounts(product)["stock_valuation"]
            lines += [
                # Off the stock accounts the true-up compares: the product has left it.
                ValuationLine(account_id=account.id, amount=-balance, quantity=-quantity, **common),
                ValuationLine(
                    account_id=new_account.id,
                    amount=balance,
                    quantity=quantity,
                    on_stock_account=True,
                    **common,
                ),
            ]
        return lines

    def _read_posted_on_accounts(self, account_by_product):
        """[(product, account, balance, quantity)] the perpetual valuation posted for each
        product on its account ({product: account id}), from its posted balances (kept by
        triggers on the journal items: read after the items are flushed)."""
        if not account_by_product:
            return []
        self.env["account.move.line"].flush_model()
        groups = (
            self.env["running.inventory.posted.balance"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", [product.id for product in account_by_product]),
                    ("account_id", "in", list(set(account_by_product.values()))),
                    ("company_id", "=", self.env.company.id),
                ],
                ["product_id", "account_id"],
                ["balance:sum", "quantity:sum"],
            )
        )
        return [
            (product.with_env(self.env), account.with_env(self.env), balance, quantity)
            for product, account, balance, quantity in groups
            if account.id == account_by_product[product]
        ]

    def _prepare_opening_lines(self, products, run):
        """The opening entry of products that enter the perpetual valuation with stock on
        hand: Odoo's value of it on their stock accounts, against stock variation."""
        if not products:
            return []
        position = products._read_perpetual_position(run.accounts_cache)
        targets = products._get_perpetual_stock_values(position)
        currency = self.env.company.currency_id
        lines = []
        for (product, account), quantity in sorted(
            position.quantities.items(), key=lambda item: (item[0][0].id, item[0][1].id)
        ):
            amount = currency.round(
                targets.get((product.id, account.id), 0.0)
                - position.posted.get((product.id, account.id), 0.0)
            )
            if currency.is_zero(amount) and not quantity:
                continue
            variation = product._require_perpetual_account(run.accounts(product), "stock_variation")
            common = {
                "label": self.env._(
                    "%(product)s: opening stock value", product=product.display_name
                ),
                "kind": OPENING,
                "product_id": product.id,
                "uom_id": product.uom_id.id,
            }
            lines += [
                ValuationLine(
                    account_id=account.id,
                    amount=amount,
                    quantity=quantity,
                    on_stock_account=True,
                    **common,
                ),
                ValuationLine(account_id=variation.id, amount=-amount, **common),
            ]
        return lines

    # ------------------------------------------------------------------
    # Interim accounts
    # ------------------------------------------------------------------

    def _prepare_interim_clearing_lines(self, order_line, balance, run):
        """The interim balance of a settled order line, moved to its clearing account."""
        currency = order_line.company_id.currency_id
        if currency.is_zero(balance):
            return []
        product = order_line.product_id
        accounts = run.accounts(product)
        interim = product._require_perpetual_account(
            accounts, order_line._get_perpetual_interim_account_key()
        )
        counterpart = product._require_perpetual_account(
            accounts, order_line._get_perpetual_clearing_account_key()
        )
        common = {
            "kind": "interim_clearing",
            "product_id": product.id,
            "uom_id": product.uom_id.id,
            "label": self.env._(
                "%(order)s - %(product)s: settled",
                order=order_line.order_id.name,
                product=product.display_name,
            ),
            "partner_id": order_line.order_id.partner_id.commercial_partner_id.id,
        }
        link = (order_line._get_perpetual_interim_link_field(), order_line.id)
        return [
            ValuationLine(account_id=interim.id, amount=-balance, interim_link=link, **common),
            ValuationLine(account_id=counterpart.id, amount=balance, **common),
        ]

    # ------------------------------------------------------------------
    # Entries
    # ------------------------------------------------------------------

    def _group_movement_entries(self, lines, moves, run):
        """One entry per stock journal and accounting date of the movements; a line that is
        not a movement's (a true-up) goes with the first movement."""
        moves_by_id = {move.id: move for move in moves}
        accounting_dates = {}
        grouped = defaultdict(list)
        for line in lines:
            move = moves_by_id.get(line.stock_move_id) or moves[:1]
            product = self.env["product.product"].browse(line.product_id)
            journal = run.accounts(product)["stock_journal"]
            movement_date = move._get_perpetual_movement_date()
            if (journal, movement_date) not in accounting_dates:
                accounting_dates[journal, movement_date] = (
                    move.company_id._get_perpetual_accounting_date(movement_date, journal)
                )
            grouped[journal, accounting_dates[journal, movement_date]].append(line)
        entries = []
        for (journal, date), entry_lines in grouped.items():
            move_ids = tuple(
                dict.fromkeys(line.stock_move_id for line in entry_lines if line.stock_move_id)
            )
            references = {moves_by_id[move_id]._get_perpetual_reference() for move_id in move_ids}
            entries.append(
                ValuationEntry(
                    journal=journal,
                    date=date,
                    ref=", ".join(sorted(references))[:200] or None,
                    lines=tuple(entry_lines),
                    stock_move_ids=move_ids,
                )
            )
        return entries

    def _get_value_change_reference(self, moves):
        """Reference of a revaluation caused by no document (a value set on a movement, a
        corrected quantity): the movements it re-values."""
        references = sorted({move._get_perpetual_reference() for move in moves})
        return self.env._("Revaluation: %(moves)s", moves=", ".join(references))[:200]

    def _post_dated_lines(self, lines, run, origin=None, date=None, ref=None):
        """Post lines that are not tied to a movement's date (value changes, clearings): in
        each product's stock journal, dated `date` (default today) or the first open date after
        it, referring to `origin` (or `ref`)."""
        lines = [line for line in lines if line.amount]
        if not lines:
            return self.env["account.move"]
        date = date or fields.Date.context_today(self)
        products = self.env["product.product"].browse({line.product_id for line in lines})
        grouped = defaultdict(list)
        for line in lines:
            grouped[run.accounts(products.browse(line.product_id))["stock_journal"]].append(line)
        entries = [
            ValuationEntry(
                journal=journal,
                date=journal.company_id._get_perpetual_accounting_date(date, journal),
                ref=origin.display_name if origin else ref,
                lines=tuple(journal_lines),
                origin_move_id=origin.id if origin and origin._name == "account.move" else None,
            )
            for journal, journal_lines in grouped.items()
        ]
        return self._write_entries(entries)

    def _write_entries(self, entries):
        with self._writing_markers():
            return self.env["account.move"].sudo()._write_perpetual_entries(entries)

    def _stamp_movements(self, entries, account_moves):
        for entry, account_move in zip(entries, account_moves, strict=True):
            if entry.stock_move_ids:
                self._stamp_moves(self.env["stock.move"].browse(entry.stock_move_ids), account_move)

    def _stamp_moves(self, moves, account_move):
        with self._writing_markers():
            moves.write({"account_move_id": account_move.id, "valuation_posting": "posted"})

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _split_by_company(self, records):
        """(service in the company as superuser, records in that env), per company."""
        for company, company_records in records.grouped("company_id").items():
            service = self.with_company(company).sudo()
            yield service, company_records.with_env(service.env)
