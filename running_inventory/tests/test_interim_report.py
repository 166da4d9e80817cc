from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestInterimReport(LedgerCommon):
    """The aged report of goods received / delivered not invoiced: one row per open order
    line, its balance in the bucket of its age, the total per account its balance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.perpetual_valuation_date = fields.Datetime.now() - timedelta(days=200)
        cls.stock = cls.account_stock_valuation

    def _bill_on_day(self, days_ago, order, **kwargs):
        with self._on_day(days_ago), self._moment():
            return self._bill(order, date=fields.Date.today() - timedelta(days=days_ago), **kwargs)

    def _receive_on_day(self, days_ago, order):
        with self._on_day(days_ago):
            return self._receive(order)

    def test_aged_open_items_tie_to_the_accounts(self):
        product = self._create_product_before("average", "Aged item", days_ago=120)
        # Received 100 days ago at 20, billed for 4 of 10 five days ago: 120 still open.
        partial = self._purchase(product, 10, 20.0)
        self._receive_on_day(100, partial)
        self._bill_on_day(5, partial, quantity=4)
        # Received 45 days ago at 10, not billed.
        unbilled = self._purchase(product, 10, 10.0)
        self._receive_on_day(45, unbilled)
        # Received and billed in full at 15: nothing open, not listed.
        settled = self._purchase(product, 2, 15.0)
        self._receive_on_day(50, settled)
        self._bill_on_day(40, settled)
        # Delivered 2 days ago at the average of 15 (330 for 22), not invoiced.
        sale = self._sell(product, 5)
        with self._on_day(2):
            self._deliver(sale)

        report = self.env["running.inventory.interim.report"].search(
            [("company_id", "=", self.company.id)]
        )
        rows = sorted(
            (
                row.kind,
                row.account_id,
                row.purchase_line_id or row.sale_line_id,
                row.partner_id,
                row.product_id,
                row.open_since,
                row.age_bucket,
                row.balance,
                (row.amount_0_30, row.amount_31_60, row.amount_61_90, row.amount_over_90),
            )
            for row in report
        )
        today = fields.Date.today()
        self.assertEqual(
            rows,
            sorted(
                [
                    (
                        "gdni",
                        self.account_gdni,
                        sale.order_line,
                        self.customer,
                        product,
                        today - timedelta(days=2),
                        "0_30",
                        75.0,
                        (75.0, 0.0, 0.0, 0.0),
                    ),
                    (
                        "grni",
                        self.account_grni,
                        partial.order_line,
                        self.vendor,
                        product,
                        today - timedelta(days=100),
                        "over_90",
                        -120.0,
                        (0.0, 0.0, 0.0, -120.0),
                    ),
                    (
                        "grni",
                        self.account_grni,
                        unbilled.order_line,
                        self.vendor,
                        product,
                        today - timedelta(days=45),
                        "31_60",
                        -100.0,
                        (0.0, -100.0, 0.0, 0.0),
                    ),
                ]
            ),
        )
        self.assertEqual(set(report.mapped("order_name")), {partial.name, unbilled.name, sale.name})
        # The totals per account are the accounts' balances.
        for account, total in ((self.account_grni, -220.0), (self.account_gdni, 75.0)):
            self.assertEqual(self._interim_balance(account), total)
            groups = self.env["running.inventory.interim.report"]._read_group(
                [("company_id", "=", self.company.id), ("account_id", "=", account.id)],
                [],
                [
                    "balance:sum",
                    "amount_0_30:sum",
                    "amount_31_60:sum",
                    "amount_61_90:sum",
                    "amount_over_90:sum",
                ],
            )
            balance, *buckets = groups[0]
            self.assertEqual(balance, total)
            self.assertEqual(round(sum(buckets), 2), total)

    def test_rights(self):
        Report = self.env["running.inventory.interim.report"]
        self.assertTrue(Report.with_user(self.accountant).search([("id", "=", 0)]) is not None)
        with self.assertRaises(AccessError):
            Report.with_user(self.stock_user).search([])
