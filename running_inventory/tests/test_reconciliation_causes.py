from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestReconciliationCauses(LedgerCommon):
    """Each cause of a difference between stock and books, made on purpose: its classification,
    its amount and the records behind it; after the adjusting entry, no difference is left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company went live a month ago: what happens in the tests is after go-live.
        cls.company.perpetual_valuation_date = fields.Datetime.now() - timedelta(days=30)
        cls.stock = cls.account_stock_valuation

    def assertAgree(self, reconciliation, product=None):
        self.assertEqual(self._causes(reconciliation, product), [])
        lines = reconciliation.line_ids
        if product:
            lines = lines.filtered(lambda line: line.product_id == product)
        self.assertTrue(lines)
        self.assertEqual(set(lines.mapped("difference")), {0.0})

    def test_books_agree_every_day_for_each_cost_method(self):
        products = self.env["product.product"]
        for cost_method in ("standard", "average", "fifo"):
            product = self._create_product_before(cost_method, f"Agree {cost_method}")
            self._history_without_cost_moves(product)
            products |= product
        for days_ago in range(5, -1, -1):
            reconciliation = self._reconcile(days_ago)
            self.assertFalse(reconciliation.has_difference, f"{days_ago} days ago")
            for product in products:
                line = reconciliation.line_ids.filtered(
                    lambda line, p=product: line.product_id == p
                )
                quantity, value = self._odoo_stock(product, self._end_of_day(days_ago))
                self.assertEqual(line.account_id, self.stock)
                self.assertAlmostEqual(line.quantity, quantity)
                self.assertAlmostEqual(line.odoo_value, value, places=2)
                self.assertAlmostEqual(line.balance, value, places=2)
        account = reconciliation.account_line_ids.filtered(lambda a: a.account_id == self.stock)
        self.assertEqual(account.difference, 0.0)
        self.assertEqual(account.odoo_value, reconciliation.odoo_value)

    def test_movement_without_entry_then_adjusted(self):
        """A category left out of perpetual valuation: its receipt posts nothing; once the
        category is fixed, the reconciliation finds the movement and its value."""
        category = self.env["product.category"].create(
            {
                "name": "Forgotten",
                "property_cost_method": "average",
                "property_valuation": "periodic",
            }
        )
        product = self._create_product_before("average", "Forgotten", categ_id=category.id)
        receipt = self._make_in_move(product, 10, unit_cost=12.0)
        self.assertFalse(receipt.valuation_posting)
        with self.env["res.company"]._going_live():
            category.property_valuation = "perpetual"
        reconciliation = self._reconcile()
        self.assertEqual(self._causes(reconciliation, product), [("unposted_move", 120.0)])
        difference = reconciliation.difference_ids
        self.assertEqual(difference.stock_move_ids, receipt)
        self.assertEqual(difference.account_id, self.stock)
        self.assertTrue(difference.is_adjustable)
        self.assertEqual(reconciliation.difference, 120.0)

        entry = self._adjust(reconciliation)
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.stock_reconciliation_id, reconciliation)
        self.assertIn(reconciliation.name, entry.ref)
        variation = self.stock.account_stock_variation_id
        # The movement is posted late, with its quantity, and tied to the entry from now on.
        self.assertLines(entry.line_ids, [(self.stock, 120, 0, 10), (variation, 0, 120, -10)])
        stock_line = entry.line_ids.filtered(lambda line: line.account_id == self.stock)
        self.assertEqual(
            (stock_line.stock_valuation_kind, stock_line.stock_move_id),
            ("reconciliation", receipt),
        )
        self.assertEqual((receipt.valuation_posting, receipt.account_move_id), ("posted", entry))
        self.assertEqual(difference.adjustment_move_id, entry)
        self.assertFalse(difference.is_adjustable)
        with self.assertRaises(UserError):
            self._adjust(reconciliation, difference)
        self.assertAgree(self._reconcile(), product)
        # The perpetual valuation counts the adjustment as its own from then on.
        self._make_out_move(product, 4)
        self.assertBooksHold(product)
        self.assertAgree(self._reconcile(), product)

    def test_manual_entry_on_the_stock_account_then_reversed(self):
        product = self._create_product_before("fifo", "Manual entry")
        self._make_in_move(product, 5, unit_cost=8.0)
        entry = self._manual_entry(self.stock, 50.0, product)
        reconciliation = self._reconcile()
        self.assertEqual(self._causes(reconciliation, product), [("manual_entry", -50.0)])
        manual_line = entry.line_ids.filtered(lambda line: line.account_id == self.stock)
        self.assertEqual(reconciliation.difference_ids.journal_item_ids, manual_line)

        adjustment = self._adjust(reconciliation, account_id=self.account_expense.id)
        # Reversed with its quantity, outside the perpetual valuation, as it was made.
        self.assertLines(
            adjustment.line_ids, [(self.stock, 0, 50, -1), (self.account_expense, 50, 0, 1)]
        )
        self.assertEqual(set(adjustment.line_ids.mapped("stock_valuation_kind")), {False})
        self.assertAgree(self._reconcile(), product)
        self._make_out_move(product, 1)
        self.assertBooksHold(product)

    def test_manual_entry_without_product(self):
        product = self._create_product_before("standard", "Items without product")
        self._make_in_move(product, 2)
        self._manual_entry(self.stock, -30.0)
        reconciliation = self._reconcile()
        difference = reconciliation.difference_ids
        self.assertEqual((difference.cause, difference.amount), ("manual_entry", 30.0))
        self.assertFalse(difference.product_id)
        account = reconciliation.account_line_ids.filtered(lambda a: a.account_id == self.stock)
        self.assertEqual((account.balance_without_product, account.difference), (-30.0, 30.0))
        self._adjust(reconciliation)
        self.assertFalse(self._reconcile().has_difference)

    def test_value_change_not_posted(self):
        """A cost written outside Odoo's screens (here in SQL): Odoo's value moves, the books
        do not."""
        product = self._create_product_before("average", "Cost in SQL")
        self._make_in_move(product, 10, unit_cost=12.0)
        with self._moment():
            self.env.cr.execute(
                SQL(
                    """INSERT INTO product_value (product_id, value, company_id, date, user_id)
                       VALUES (%s, 15.0, %s, %s, %s) RETURNING id""",
                    product.id,
                    self.company.id,
                    fields.Datetime.now(),
                    self.env.uid,
                )
            )
            value_id = self.env.cr.fetchone()[0]
            self.env.invalidate_all()
            # As Odoo keeps the average cost when it values stock itself (no value record).
            product.with_context(disable_auto_revaluation=True).standard_price = 15.0
        self.assertEqual(product.total_value, 150.0)
        reconciliation = self._reconcile()
        self.assertEqual(self._causes(reconciliation, product), [("value_not_posted", 30.0)])
        self.assertEqual(reconciliation.difference_ids.product_value_ids.ids, [value_id])
        self._adjust(reconciliation)
        self.assertAgree(self._reconcile(), product)
        self._make_out_move(product, 2)
        self.assertBooksHold(product)

    def test_rounding(self):
        product = self._create_product_before("average", "Rounding")
        receipt = self._make_in_move(product, 3, unit_cost=10.0)
        stock_line = receipt.valuation_line_ids.filtered(lambda line: line.account_id == self.stock)
        counterpart = receipt.valuation_line_ids - stock_line
        for line, change in ((stock_line, 0.01), (counterpart, -0.01)):
            self.env.cr.execute(
                SQL(
                    """UPDATE account_move_line
                          SET balance = balance + %(change)s,
                              debit = GREATEST(balance + %(change)s, 0),
                              credit = GREATEST(-(balance + %(change)s), 0)
                        WHERE id = %(id)s""",
                    change=change,
                    id=line.id,
                )
            )
        self.env.invalidate_all()
        reconciliation = self._reconcile()
        self.assertEqual(self._causes(reconciliation, product), [("rounding", -0.01)])
        self._adjust(reconciliation)
        self.assertAgree(self._reconcile(), product)

    def test_entry_dated_after_the_date(self):
        """A receipt at 22:00 UTC yesterday, validated by a user in Tokyo, is today's in their
        books (entries are dated in the user's time zone); Odoo's value at the end of
        yesterday (UTC) has the goods. It corrects itself: nothing to adjust."""
        product = self._create_product_before("fifo", "Cut-off")
        self.env.user.tz = "Asia/Tokyo"
        with self._on_day(1, hour=22):
            receipt = self._make_in_move(product, 4, unit_cost=5.0)
        self.assertEqual(receipt.account_move_id.date, fields.Date.today())
        reconciliation = self._reconcile(1)
        self.assertEqual(self._causes(reconciliation, product), [("cut_off", 20.0)])
        difference = reconciliation.difference_ids
        self.assertEqual(difference.stock_move_ids, receipt)
        self.assertFalse(difference.is_adjustable)
        wizard = (
            self.env["running.inventory.reconciliation.adjust"]
            .with_context(default_reconciliation_id=reconciliation.id)
            .create({})
        )
        self.assertFalse(wizard.difference_ids)
        # Even selected in a list, it is not adjusted.
        with self.assertRaises(UserError):
            self._adjust(reconciliation, difference)
        self.assertAgree(self._reconcile(), product)

    def test_odoo_values_a_past_day_at_todays_cost(self):
        """A count gain is valued at the cost of its day, and so are the books; Odoo's value of
        that day, asked today, takes today's cost. The reconciliation names it."""
        product = self._create_product_before("average", "Today's cost")
        with self._on_day(3):
            self._make_in_move(product, 10, unit_cost=10.0)
        with self._on_day(2):
            gain = self._count(product, 12)
        with self._on_day(1):
            self._make_in_move(product, 8, unit_cost=19.0)
        # Two days ago the books hold 12 x 10; Odoo values the gain at today's cost:
        # (100 + 20 + 152) / 20 = 13.60, that is 2 x 3.60 more.
        self.assertEqual(product.standard_price, 13.6)
        reconciliation = self._reconcile(2)
        self.assertEqual(self._causes(reconciliation, product), [("current_cost", 7.2)])
        self.assertEqual(reconciliation.difference_ids.stock_move_ids, gain)
        self.assertFalse(reconciliation.difference_ids.is_adjustable)
        self.assertAgree(self._reconcile(), product)

    def test_before_go_live(self):
        """Stock of a category that went live later: before its opening entry, the books have
        none of it."""
        category = self.env["product.category"].create(
            {"name": "Late", "property_cost_method": "fifo", "property_valuation": "periodic"}
        )
        product = self._create_product_before("fifo", "Late", categ_id=category.id)
        with self._on_day(3):
            receipt = self._make_in_move(product, 6, unit_cost=4.0)
        form = Form(self.env["stock.valuation.go.live"])
        form.category_ids.add(category)
        form.save().action_go_live()
        reconciliation = self._reconcile(2)
        self.assertEqual(self._causes(reconciliation, product), [("before_go_live", 24.0)])
        self.assertEqual(reconciliation.difference_ids.stock_move_ids, receipt)
        self.assertFalse(reconciliation.difference_ids.is_adjustable)
        self.assertAgree(self._reconcile(), product)

    def test_causes_add_up(self):
        """Several causes on one product: each its own amount, together the difference. The
        product's next movement posts what its stock account missed, not what was typed by
        hand."""
        category = self.env["product.category"].create(
            {"name": "Several", "property_cost_method": "average", "property_valuation": "periodic"}
        )
        product = self._create_product_before("average", "Several causes", categ_id=category.id)
        self._make_in_move(product, 2, unit_cost=7.0)
        with self.env["res.company"]._going_live():
            category.property_valuation = "perpetual"
        self._manual_entry(self.stock, 5.0, product)
        reconciliation = self._reconcile()
        self.assertEqual(
            self._causes(reconciliation, product), [("manual_entry", -5.0), ("unposted_move", 14.0)]
        )
        line = reconciliation.line_ids.filtered(lambda line: line.product_id == product)
        self.assertEqual(line.difference, 9.0)
        self.assertEqual(sum(line.difference_ids.mapped("amount")), 9.0)
        manual = reconciliation.difference_ids.filtered(lambda d: d.cause == "manual_entry")
        self._adjust(reconciliation, manual)
        self.assertEqual(self._causes(self._reconcile(), product), [("unposted_move", 14.0)])
        self._make_in_move(product, 3, unit_cost=7.0)
        self.assertAgree(self._reconcile(), product)

    def test_adjusting_entry_respects_the_lock_date(self):
        product = self._create_product_before("average", "Locked adjustment")
        with self._on_day(5):
            self._make_in_move(product, 1, unit_cost=3.0)
            self._manual_entry(self.stock, 2.0, product)
        reconciliation = self._reconcile(4)
        self.company.fiscalyear_lock_date = fields.Date.today() - timedelta(days=2)
        entry = self._adjust(reconciliation)
        self.assertGreater(entry.date, self.company.fiscalyear_lock_date)
        self.assertLessEqual(entry.date, fields.Date.today())
        self.assertEqual(self._causes(self._reconcile(4), product), [("manual_entry", -2.0)])
        self.assertAgree(self._reconcile(), product)
