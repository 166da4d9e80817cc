from contextlib import contextmanager
from datetime import datetime, time, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields

from .common import PerpetualValuationCommon


class LedgerCommon(PerpetualValuationCommon):
    """Perpetual valuation with a history over several days, and Odoo's own figures at a date.

    ``_on_day(n)`` moves the test clock to ``n`` days ago (8:00 UTC, a minute per operation):
    the moves, bills, costs and entries of the block are dated that day. "At a date" means the
    end of that day, as Odoo's own ``to_date`` valuation reads it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = cls._create_user("ledger_stock_user", "stock.group_stock_user")
        cls.accountant = cls._create_user(
            "ledger_accountant", "stock.group_stock_user", "account.group_account_invoice"
        )
        cls.account_manager = cls._create_user(
            "ledger_account_manager", "stock.group_stock_user", "account.group_account_manager"
        )

    @classmethod
    def _create_user(cls, login, *groups):
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login.replace("_", " ").title(),
                    "login": login,
                    "company_id": cls.company.id,
                    "company_ids": [Command.set(cls.company.ids)],
                    "group_ids": [Command.set([cls.env.ref(group).id for group in groups])],
                }
            )
        )

    # ------------------------------------------------------------------
    # Clock
    # ------------------------------------------------------------------

    @contextmanager
    def _on_day(self, days_ago, hour=8):
        """Operations in the block happen `days_ago` days ago from `hour` (UTC), a minute
        apart."""
        day = fields.Date.today() - timedelta(days=days_ago)
        self._day_clock = datetime.combine(day, time(hour, 0))
        try:
            yield
        finally:
            self._day_clock = None

    def _moment(self):
        if getattr(self, "_day_clock", None):
            self._day_clock += timedelta(minutes=1)
            clock = self._day_clock
        else:
            super()._moment()
            clock = self._clock
        return self._frozen(clock)

    @contextmanager
    def _frozen(self, clock):
        """Python's clock and the transaction's (creation dates of records, of journal items
        written in SQL) stopped at `clock`, as Odoo's own tests do."""
        with freeze_time(clock), patch.object(self.env.cr, "now", lambda: clock):
            yield

    @staticmethod
    def _end_of_day(days_ago):
        return datetime.combine(fields.Date.today() - timedelta(days=days_ago), time(23, 59, 59))

    # ------------------------------------------------------------------
    # Documents at a moment of the clock
    # ------------------------------------------------------------------

    def _create_product_before(self, cost_method, name, days_ago=6, **values):
        """A product created `days_ago` days ago: its first cost is dated before its moves."""
        with self._on_day(days_ago), self._moment():
            return self._create_product(cost_method, name=name, **values)

    def _bill_now(self, order, **kwargs):
        with self._moment():
            return self._bill(order, date=fields.Date.today(), **kwargs)

    def _set_cost(self, product, cost):
        with self._moment():
            product.standard_price = cost

    def _history(self, product):
        """Five days of a product's life: purchases at two prices, a bill re-valuing a
        receipt, a sale, a count, a change of cost, a receipt without order, a customer return
        and a scrap, and a bill arriving after the receipt's day. Returns the purchase and
        sale lines."""
        with self._on_day(5):
            po1, po2 = self._purchase(product, 10, 12.0), self._purchase(product, 10, 16.0)
            self._receive(po1)
            self._receive(po2)
        with self._on_day(4):
            self._bill_now(po1)
            self._bill_now(po2, price_unit=17.0)
        with self._on_day(3):
            so = self._sell(product, 12)
            delivery = self._deliver(so)
            self._count(product, 13)
            po3 = self._purchase(product, 5, 20.0)
            self._receive(po3)
        with self._on_day(2):
            self._set_cost(product, 18.0)
            self._make_in_move(product, 4, unit_cost=21.0)
        with self._on_day(1):
            self._return(delivery, 2)
            self._scrap(product, 1)
            self._bill_now(po3, price_unit=22.0)
        return (po1 | po2 | po3).order_line, so.order_line

    def _history_without_cost_moves(self, product):
        """Like `_history`, without incoming moves valued at the product's cost (a count gain):
        Odoo's ``to_date`` valuation takes today's cost for those, whatever the cost was that
        day, so the books of that day cannot show it (see test_reconciliation_causes)."""
        with self._on_day(5):
            po1, po2 = self._purchase(product, 10, 12.0), self._purchase(product, 10, 16.0)
            self._receive(po1)
            self._receive(po2)
        with self._on_day(4):
            self._bill_now(po1)
            self._bill_now(po2, price_unit=17.0)
        with self._on_day(3):
            so = self._sell(product, 12)
            delivery = self._deliver(so)
            self._scrap(product, 1)
            po3 = self._purchase(product, 5, 20.0)
            self._receive(po3)
        with self._on_day(2):
            self._set_cost(product, 18.0)
            self._make_in_move(product, 4, unit_cost=21.0)
        with self._on_day(1):
            self._return(delivery, 2)
            self._count(product, 15)
            self._bill_now(po3, price_unit=22.0)
        return (po1 | po2 | po3).order_line, so.order_line

    def _move(self, product, quantity, source, destination, company=None):
        """A done move of `quantity` from `source` to `destination` (no picking)."""
        company = company or self.company
        move = (
            self.env["stock.move"]
            .with_company(company)
            .create(
                {
                    "product_id": product.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": quantity,
                    "company_id": company.id,
                }
            )
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = quantity
        move.picked = True
        with self._moment():
            move._action_done()
        return move

    def _ledger(self, products, at=None):
        """The ledger rows of `products` up to `at`, oldest first."""
        domain = [("product_id", "in", products.ids)]
        if at:
            domain.append(("date", "<=", at))
        return self.env["running.inventory.ledger"].search(domain, order="date, sequence, id")

    # ------------------------------------------------------------------
    # Odoo's own figures
    # ------------------------------------------------------------------

    def _odoo_stock(self, product, at):
        """Odoo's valued quantity and value of `product` at `at` (``to_date``); at the end of
        today, its valuation of today (no ``to_date``)."""
        product = product.with_company(self.company)
        if at < fields.Datetime.now():
            product = product.with_context(to_date=at)
        return product._with_valuation_context().qty_available, product.total_value

    def assertStockAtDate(self, products, at):
        """The set-based valuation gives Odoo's own quantity and value at `at`."""
        self.env.flush_all()
        self.env.invalidate_all()
        stocks = self.env["running.inventory.valuation"]._get_stock_at_date(
            self.company, at if at < fields.Datetime.now() else None, products
        )
        for product in products:
            quantity, value = self._odoo_stock(product, at)
            stock = stocks.get(product.id)
            self.assertAlmostEqual(
                stock.quantity if stock else 0.0, quantity, places=4, msg=f"{product.name} {at}"
            )
            self.assertAlmostEqual(
                stock.value if stock else 0.0, value, places=2, msg=f"{product.name} {at}"
            )
        return stocks

    # ------------------------------------------------------------------
    # Reconciliation
    # ------------------------------------------------------------------

    def _reconcile(self, days_ago=0, user=None, **values):
        """A reconciliation at the end of the day `days_ago` days ago, computed."""
        env = self.env(user=user) if user else self.env
        reconciliation = env["running.inventory.reconciliation"].create(
            {"date": fields.Date.today() - timedelta(days=days_ago), **values}
        )
        reconciliation.action_compute()
        return reconciliation

    def _causes(self, reconciliation, product=None):
        """[(cause, amount)] of the reconciliation (of `product`), in a stable order."""
        differences = reconciliation.difference_ids
        if product is not None:
            differences = differences.filtered(lambda d: d.product_id == product)
        return sorted((d.cause, round(d.amount, 2)) for d in differences)

    def _adjust(self, reconciliation, differences=None, user=None, **values):
        """Post the adjusting entry of `differences` (default: every adjustable one)."""
        env = self.env(user=user) if user else self.env
        context = {"default_reconciliation_id": reconciliation.id}
        if differences is not None:
            context.update(
                active_model="running.inventory.reconciliation.difference",
                active_ids=differences.ids,
            )
        wizard = (
            env["running.inventory.reconciliation.adjust"].with_context(**context).create(values)
        )
        action = wizard.action_post()
        return env["account.move"].browse(action["res_id"])

    def _manual_entry(self, account, amount, product=None, counterpart=None):
        """A journal entry typed by hand: `amount` on `account` (for `product`)."""
        journal = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company.id)], limit=1
        )
        counterpart = counterpart or self.account_stock_valuation.account_stock_variation_id
        with self._moment():
            entry = self._create_manual_entry(journal, account, amount, product, counterpart)
            entry.action_post()
        return entry

    def _create_manual_entry(self, journal, account, amount, product, counterpart):
        return self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "line_ids": [
                    Command.create(
                        {
                            "name": "Typed by hand",
                            "account_id": account.id,
                            "product_id": product.id if product else False,
                            "debit": max(amount, 0.0),
                            "credit": max(-amount, 0.0),
                        }
                    ),
                    Command.create(
                        {
                            "name": "Typed by hand",
                            "account_id": counterpart.id,
                            "debit": max(-amount, 0.0),
                            "credit": max(amount, 0.0),
                        }
                    ),
                ],
            }
        )
