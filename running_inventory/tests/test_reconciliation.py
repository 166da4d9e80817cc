from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestReconciliation(LedgerCommon):
    """The reconciliation as a document: accounts and products, goods not invoiced, the
    month-end print, the daily check, who may do what, and its cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.perpetual_valuation_date = fields.Datetime.now() - timedelta(days=30)
        cls.stock = cls.account_stock_valuation
        cls.auditor = cls._create_user("ledger_auditor", "account.group_account_readonly")

    def test_stock_held_on_a_location_account(self):
        """Goods at a location valuing its stock on its own account: the product's value is
        shared between the accounts by quantity, and each agrees with its books."""
        consignment = self.env["account.account"].create(
            {"name": "Stock at consignee", "code": "110190", "account_type": "asset_current"}
        )
        consignee = self.env["stock.location"].create(
            {
                "name": "Consignee",
                "location_id": self.stock_location.location_id.id,
                "usage": "internal",
                "valuation_account_id": consignment.id,
            }
        )
        product = self._create_product_before("average", "Consigned")
        with self._on_day(2):
            self._make_in_move(product, 10, unit_cost=6.0)
        with self._on_day(1):
            self._move(product, 4, self.stock_location, consignee)
        reconciliation = self._reconcile()
        lines = reconciliation.line_ids.filtered(lambda line: line.product_id == product)
        self.assertEqual(
            sorted(
                (line.account_id, line.quantity, line.odoo_value, line.balance) for line in lines
            ),
            sorted([(self.stock, 6, 36, 36), (consignment, 4, 24, 24)]),
        )
        self.assertFalse(reconciliation.has_difference)
        self.assertEqual(reconciliation.account_line_ids.account_id, self.stock | consignment)

    def test_category_filter(self):
        products = {
            cost_method: self._create_product_before(cost_method, f"Filter {cost_method}")
            for cost_method in ("average", "fifo")
        }
        for product in products.values():
            self._make_in_move(product, 1, unit_cost=3.0)
        reconciliation = self._reconcile(category_ids=[Command.set(products["fifo"].categ_id.ids)])
        self.assertEqual(reconciliation.line_ids.product_id, products["fifo"])
        self.assertEqual(reconciliation.odoo_value, 3.0)

    def test_goods_received_or_delivered_not_invoiced(self):
        product = self._create_product_before("average", "Not invoiced")
        with self._on_day(3):
            order = self._purchase(product, 10, 12.0)
            self._receive(order)
        with self._on_day(2):
            self._bill_now(order, quantity=4)
            sale = self._sell(product, 5)
            self._deliver(sale)
        reconciliation = self._reconcile()
        items = {item.kind: item for item in reconciliation.interim_ids}
        self.assertEqual(set(items), {"grni", "gdni"})
        grni, gdni = items["grni"], items["gdni"]
        self.assertEqual(
            (grni.purchase_line_id, grni.order_name, grni.partner_id, grni.product_id),
            (order.order_line, order.name, self.vendor, product),
        )
        self.assertEqual((grni.quantity, grni.value, grni.age), (6, 72, 3))
        self.assertEqual(grni.date_first, fields.Date.today() - timedelta(days=3))
        self.assertEqual(
            (gdni.sale_line_id, gdni.quantity, gdni.value, gdni.age), (sale.order_line, 5, 60, 2)
        )
        # At the end of the receipt's day, nothing was billed yet.
        earlier = self._reconcile(3)
        self.assertEqual(
            [(item.kind, item.quantity, item.value, item.age) for item in earlier.interim_ids],
            [("grni", 10, 120, 0)],
        )
        # Settled lines are not open items.
        with self._on_day(1):
            self._bill_now(order, quantity=6)
            self._invoice(sale)
        self.assertFalse(self._reconcile().interim_ids)

    def test_drill_down(self):
        """From a difference to the records behind it; from a product line to its journal
        items and its ledger up to the date."""
        product = self._create_product_before("average", "Drilled")
        with self._on_day(2):
            receipt = self._make_in_move(product, 2, unit_cost=5.0)
            entry = self._manual_entry(self.stock, 3.0, product)
        with self._on_day(1):
            self._make_out_move(product, 1)
        reconciliation = self._reconcile(2)
        action = reconciliation.difference_ids.action_open_records()
        self.assertEqual(action["res_model"], "account.move.line")
        manual_line = entry.line_ids.filtered(lambda line: line.account_id == self.stock)
        self.assertEqual(self.env["account.move.line"].search(action["domain"]), manual_line)
        line = reconciliation.line_ids.filtered(lambda line: line.product_id == product)
        items = self.env["account.move.line"].search(line.action_open_journal_items()["domain"])
        self.assertEqual(
            items,
            manual_line
            | receipt.valuation_line_ids.filtered(lambda item: item.account_id == self.stock),
        )
        rows = self.env["running.inventory.ledger"].search(line.action_open_ledger()["domain"])
        self.assertEqual(rows.stock_move_id, receipt)
        action = reconciliation.action_open_differences()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]), reconciliation.difference_ids
        )

    def test_month_end_print(self):
        product = self._create_product_before("fifo", "Printed")
        self._make_in_move(product, 2, unit_cost=5.0)
        self._manual_entry(self.stock, 7.0, product)
        reconciliation = self._reconcile(user=self.accountant)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_qweb_html("running_inventory.report_stock_reconciliation", reconciliation.ids)[
                0
            ]
            .decode()
        )
        for text in (reconciliation.name, "Printed", self.stock.code, "Journal item outside"):
            self.assertIn(text, html)
        self.assertIn("-7.00", html.replace("\ufeff", ""))

    def test_daily_check_gives_the_accountant_an_activity(self):
        self.company.stock_reconciliation_user_id = self.account_manager
        product = self._create_product_before("average", "Checked daily")
        self._make_in_move(product, 3, unit_cost=4.0)
        Reconciliation = self.env["running.inventory.reconciliation"]
        first = Reconciliation._run_company_check(self.company)
        self.assertEqual((first.kind, first.has_difference), ("check", False))
        self.assertFalse(first.activity_ids)
        self._manual_entry(self.stock, 11.0, product)
        second = Reconciliation._run_company_check(self.company)
        self.assertEqual(self._causes(second), [("manual_entry", -11.0)])
        # A check keeps only the products that differ (and the totals of every account).
        self.assertEqual(second.line_ids.product_id, product)
        self.assertEqual(second.odoo_value, 12.0)
        self.assertEqual(second.activity_ids.user_id, self.account_manager)
        self.assertEqual(second.activity_ids.summary, "Stock and books differ")
        # The same difference the next day: recorded, no new activity.
        third = Reconciliation._run_company_check(self.company)
        self.assertTrue(third.has_difference)
        self.assertFalse(third.activity_ids)
        # The scheduled action checks every company in perpetual valuation once a day (it
        # commits per company: on its own cursor, as ir.cron runs it): this one is done today.
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self.env(cr=cr)["running.inventory.reconciliation"]._cron_check()
        self.env.invalidate_all()
        self.assertEqual(
            Reconciliation.search_count(
                [("company_id", "=", self.company.id), ("kind", "=", "check")]
            ),
            3,
        )
        self.assertFalse(Reconciliation._get_companies_to_check())

    def test_without_responsible_the_first_accounting_administrator(self):
        self.assertFalse(self.company.stock_reconciliation_user_id)
        user = self.company._get_stock_reconciliation_user()
        self.assertTrue(user.has_group("account.group_account_manager"))
        self.assertIn(self.company, user.company_ids)

    def test_rights(self):
        product = self._create_product_before("average", "Rights")
        self._make_in_move(product, 1, unit_cost=2.0)
        self._manual_entry(self.stock, 1.0, product)
        Reconciliation = self.env["running.inventory.reconciliation"]
        with self.assertRaises(AccessError):
            Reconciliation.with_user(self.stock_user).search([])
        # Accountants reconcile; adjusting the books is for accounting administrators.
        reconciliation = self._reconcile(user=self.accountant)
        self.assertTrue(reconciliation.line_ids.with_user(self.accountant).read(["difference"]))
        with self.assertRaises(AccessError):
            self._adjust(reconciliation, user=self.accountant)
        # Auditors read and print, but do not compute.
        self.assertEqual(reconciliation.with_user(self.auditor).difference, -1.0)
        with self.assertRaises(AccessError):
            reconciliation.with_user(self.auditor).action_compute()
        entry = self._adjust(reconciliation, user=self.account_manager)
        self.assertEqual(entry.state, "posted")
        self.assertFalse(self._reconcile(user=self.accountant).has_difference)

    def test_company_isolation(self):
        mine = self._reconcile(user=self.accountant)
        other = (
            self.env["running.inventory.reconciliation"]
            .sudo()
            .create({"company_id": self.other_company.id})
        )
        other.action_compute()
        visible = self.env["running.inventory.reconciliation"].with_user(self.accountant).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        self.assertFalse(other.line_ids.product_id & mine.line_ids.product_id)

    def test_query_count_does_not_depend_on_the_number_of_products(self):
        products = self.env["product.product"]

        def reconcile_queries(count):
            nonlocal products
            for index in range(count):
                cost_method = ("standard", "average", "fifo")[index % 3]
                product = self._create_product_before(cost_method, f"Count {count} {index}")
                # Yesterday, not a minute after now: near midnight (in the user's time zone)
                # the entries would be dated tomorrow, and the differences "cut off".
                with self._on_day(1):
                    self._make_in_move(product, 2, unit_cost=3.0)
                    self._make_out_move(product, 1)
                    self._manual_entry(self.stock, 1.0, product)
                products |= product
            reconciliation = self.env["running.inventory.reconciliation"].create({})
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            reconciliation.action_compute()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(reconciliation.difference_ids.product_id, products)
            return queries

        self.assertEqual(reconcile_queries(3), reconcile_queries(9))
