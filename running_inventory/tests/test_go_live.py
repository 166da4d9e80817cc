from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestGoLive(PerpetualValuationCommon):
    """A company valued periodically, with stock on hand and a periodic closing already posted,
    goes live with perpetual valuation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Back to Odoo's periodic valuation, as a company that has been using Odoo for a while.
        cls.company.inventory_valuation = "periodic"
        categories = cls.env["product.category"].search([])
        categories.property_valuation = "periodic"
        cls.avco = cls._create_product("average", name="Old avco")
        cls.fifo = cls._create_product("fifo", name="Old fifo")
        cls.variation = cls.account_stock_valuation.account_stock_variation_id

    def _stock_periodically(self):
        self._make_in_move(self.avco, 10, unit_cost=12.0)
        self._make_in_move(self.fifo, 4, unit_cost=5.0)
        self.assertFalse(
            self.env["account.move.line"].search(
                [("product_id", "in", (self.avco | self.fifo).ids)]
            )
        )
        # Odoo's periodic closing books 120 + 20 on the stock account, without products.
        self._close(auto_post=True)
        self.assertEqual(self._interim_balance(self.account_stock_valuation), 140)

    def _wizard(self, **values):
        form = Form(self.env["stock.valuation.go.live"])
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_switching_the_mode_alone_is_refused_with_stock_on_hand(self):
        self._stock_periodically()
        with self.assertRaises(UserError):
            self.company.inventory_valuation = "perpetual"
        with self.assertRaises(UserError):
            self.avco.categ_id.property_valuation = "perpetual"

    def test_go_live_posts_the_opening_value_per_product(self):
        self._stock_periodically()
        wizard = self._wizard()
        self.assertEqual(
            sorted((line.product_id, line.quantity, line.value) for line in wizard.line_ids),
            sorted([(self.avco, 10, 120), (self.fifo, 4, 20)]),
        )
        self.assertEqual(wizard.total_value, 140)
        self.assertEqual(wizard.counterpart_account_id, self.variation)
        action = wizard.action_go_live()
        entry = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.journal_id, self.company.account_stock_journal_id)
        # Per product now, and what the periodic closing had booked without products, taken back.
        self.assertLines(
            entry.line_ids,
            [
                (self.account_stock_valuation, 120, 0, 10),
                (self.account_stock_valuation, 20, 0, 4),
                (self.account_stock_valuation, 0, 140, 0),
            ],
        )
        self.assertEqual(entry.line_ids.filtered("product_id").product_id, self.avco | self.fifo)
        self.assertEqual(self.company.inventory_valuation, "perpetual")
        self.assertEqual(self.avco.valuation, "perpetual")
        self.assertTrue(self.company.perpetual_valuation_date)
        # From now on every movement posts, and the books hold.
        out = self._make_out_move(self.avco, 3)
        self.assertMovementEntry(
            out, [(self.account_gdni, 36, 0, 3), (self.account_stock_valuation, 0, 36, -3)]
        )
        self.assertEqual(self._interim_balance(self.account_stock_valuation), 104)
        self.assertEqual(self.company._action_close_stock_valuation(), [])
        for product in self.avco | self.fifo:
            lines = self._stock_lines(product)
            self.assertAlmostEqual(sum(lines.mapped("balance")), product.total_value, places=2)
            self.assertAlmostEqual(sum(lines.mapped("quantity")), product.qty_available, places=4)

    def test_go_live_without_periodic_closing_credits_the_counterpart(self):
        self._make_in_move(self.avco, 10, unit_cost=12.0)
        opening = self.env["account.account"].create(
            {"name": "Opening balances", "code": "109999", "account_type": "equity"}
        )
        wizard = self._wizard(counterpart_account_id=opening)
        entry = self.env["account.move"].browse(wizard.action_go_live()["res_id"])
        self.assertLines(
            entry.line_ids, [(self.account_stock_valuation, 120, 0, 10), (opening, 0, 120, 0)]
        )

    def test_go_live_for_some_categories(self):
        self._make_in_move(self.avco, 10, unit_cost=12.0)
        self._make_in_move(self.fifo, 4, unit_cost=5.0)
        wizard = self._wizard()
        wizard.category_ids = [Command.set(self.avco.categ_id.ids)]
        self.assertEqual(wizard.line_ids.product_id, self.avco)
        entry = self.env["account.move"].browse(wizard.action_go_live()["res_id"])
        self.assertLines(
            entry.line_ids,
            [(self.account_stock_valuation, 120, 0, 10), (self.variation, 0, 120, 0)],
        )
        self.assertEqual(self.avco.valuation, "perpetual")
        self.assertEqual(self.fifo.valuation, "periodic")
        self.assertEqual(self.company.inventory_valuation, "periodic")

    def test_going_live_twice_posts_nothing_the_second_time(self):
        self._make_in_move(self.avco, 10, unit_cost=12.0)
        self._make_in_move(self.fifo, 4, unit_cost=5.0)
        categories = self.avco.categ_id.ids
        wizard = self._wizard()
        wizard.category_ids = [Command.set(categories)]
        wizard.action_go_live()
        entries = self.env["account.move"].search([("company_id", "=", self.company.id)])
        # The same categories again: refused, nothing posted.
        again = self._wizard()
        again.category_ids = [Command.set(categories)]
        self.assertFalse(again.line_ids)
        with self.assertRaisesRegex(UserError, "already value their stock"):
            again.action_go_live()
        # The whole company: the live product is left out, only the other one opens.
        company = self._wizard()
        self.assertEqual(company.line_ids.product_id, self.fifo)
        company.action_go_live()
        self.assertEqual(self.company.inventory_valuation, "perpetual")
        opening = self.env["account.move"].search(
            [("company_id", "=", self.company.id), ("id", "not in", entries.ids)]
        )
        self.assertEqual(len(opening), 1)
        self.assertEqual(opening.line_ids.filtered("product_id").product_id, self.fifo)
        self.assertLines(
            opening.line_ids,
            [(self.account_stock_valuation, 20, 0, 4), (self.variation, 0, 20, 0)],
        )
        # And the company once more: the form says since when it is live, and offers to go
        # live only for categories still valued otherwise, of which there are none: refused.
        again = self._wizard()
        self.assertEqual(again.company_live_since, self.company.perpetual_valuation_date)
        self.assertFalse(again.line_ids)
        with self.assertRaisesRegex(UserError, "already values its stock"):
            again.action_go_live()
        self.assertEqual(
            self.env["account.move"].search_count([("company_id", "=", self.company.id)]),
            len(entries) + 1,
        )

    def test_go_live_is_refused_in_a_locked_period(self):
        self._make_in_move(self.avco, 10, unit_cost=12.0)
        today = fields.Date.today()
        self.company.fiscalyear_lock_date = today - timedelta(days=1)
        wizard = self._wizard(date=today - timedelta(days=5))
        with self.assertRaises(UserError):
            wizard.action_go_live()
        self.assertEqual(self.company.inventory_valuation, "periodic")

    def test_only_an_accounting_administrator_goes_live(self):
        self._make_in_move(self.avco, 10, unit_cost=12.0)
        user = self.env["res.users"].create(
            {
                "name": "Stock manager",
                "login": "stock_manager_go_live",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "group_ids": [
                    Command.set(
                        (
                            self.env.ref("stock.group_stock_manager")
                            | self.env.ref("account.group_account_invoice")
                        ).ids
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.env["stock.valuation.go.live"].with_user(user).create({})
        wizard = self._wizard()
        with self.assertRaises(UserError):
            wizard.with_user(user).action_go_live()
