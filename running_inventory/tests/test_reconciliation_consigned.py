from odoo.tests import tagged

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestReconciliationConsigned(LedgerCommon):
    """Odoo's FIFO value counts the consigned goods a company holds; the books never do. The
    reconciliation names that part of the difference, at any date, and offers no adjustment
    for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.account_stock_valuation
        cls.consignor = cls.env["res.partner"].create(
            {"name": "Consignor", "company_id": cls.company.id}
        )

    def test_consigned_goods_in_odoo_fifo_value(self):
        product = self._create_product_before("fifo", "Consigned FIFO")
        with self._on_day(3):
            self._make_in_move(product, 10, unit_cost=10.0)
        with self._on_day(2):
            self._make_in_move(product, 5, create_picking=True, owner_id=self.consignor.id)
        with self._on_day(1):
            self._make_in_move(product, 4, unit_cost=12.0)
        before = self._reconcile(days_ago=3)
        self.assertFalse(before.has_difference)
        for days_ago, odoo_value in ((2, 150.0), (1, 208.0), (0, 208.0)):
            reconciliation = self._reconcile(days_ago=days_ago)
            line = reconciliation.line_ids.filtered(lambda line: line.product_id == product)
            self.assertEqual(line.odoo_value, odoo_value, f"{days_ago} days ago")
            self.assertEqual(line.balance, odoo_value - 50.0 if days_ago == 2 else 148.0)
            self.assertEqual(
                self._causes(reconciliation, product),
                [("consigned", line.odoo_value - line.balance)],
                f"{days_ago} days ago",
            )
            self.assertFalse(reconciliation.difference_ids.is_adjustable)
