from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestReconciliationAdjustingOnce(LedgerCommon):
    """An adjusting entry closes its differences for every reconciliation of its date and
    company, also when the accountant dated it later: a second reconciliation of that date
    names it and offers nothing to adjust again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.perpetual_valuation_date = fields.Datetime.now() - timedelta(days=30)
        cls.stock = cls.account_stock_valuation

    def test_adjustment_dated_later_is_not_offered_again(self):
        product = self._create_product_before("fifo", "Adjusted once")
        with self._on_day(3):
            self._make_in_move(product, 5, unit_cost=8.0)
        manual = self._manual_entry(self.stock, -15.0, product=product)
        self.assertTrue(manual)
        first = self._reconcile()
        self.assertEqual(self._causes(first, product), [("manual_entry", 15.0)])
        # Posted as of tomorrow: today's books do not hold it yet.
        entry = self._adjust(first, date=fields.Date.today() + timedelta(days=1))
        self.assertEqual(entry.date, fields.Date.today() + timedelta(days=1))

        second = self._reconcile()
        # The difference is still there at today's date, and named as before, but tied to the
        # entry that corrects it: nothing to adjust a second time.
        self.assertEqual(self._causes(second, product), [("manual_entry", 15.0)])
        difference = second.difference_ids.filtered(lambda d: d.product_id == product)
        self.assertEqual(difference.adjustment_move_id, entry)
        self.assertFalse(difference.is_adjustable)
        with self.assertRaises(UserError):
            self._adjust(second, difference)
        # From the entry's date on, the books agree.
        with self._frozen(fields.Datetime.now() + timedelta(days=1)):
            third = self._reconcile()
        self.assertEqual(self._causes(third, product), [])
