from odoo.tests import tagged

from .common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestConsignedGoods(PerpetualValuationCommon):
    """Goods received with an owner (consignment) are not the company's assets: they never
    reach its books, whatever the product's cost method."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.company.account_stock_valuation_id
        cls.consignor = cls.env["res.partner"].create(
            {"name": "Consignor", "company_id": cls.company.id}
        )

    def _receive_consigned(self, product, quantity):
        return self._make_in_move(
            product, quantity, create_picking=True, owner_id=self.consignor.id
        )

    def _owned_value(self, product):
        product.invalidate_recordset(["qty_available", "total_value"])
        value = product.with_context(owners=[False, self.company.partner_id.id]).total_value
        product.invalidate_recordset(["qty_available", "total_value"])
        return value

    def test_fifo_consigned_receipt_stays_off_the_books(self):
        product = self._create_product("fifo", name="FIFO on consignment")
        self._make_in_move(product, 10, 10.0)
        consigned = self._receive_consigned(product, 5)
        self.assertFalse(consigned.account_move_id)
        self.assertFalse(consigned.is_in, "Odoo does not value a receipt of others' goods")
        # The next receipt of the company's own goods posts its own value only: nothing for
        # the consigned units that Odoo's FIFO figure counts in.
        receipt = self._make_in_move(product, 10, 12.0)
        self.assertMovementEntry(
            receipt, [(self.stock, 120, 0, 10), (self.account_grni, 0, 120, -10)], product
        )
        self.assertLines(
            self._stock_lines(product), [(self.stock, 100, 0, 10), (self.stock, 120, 0, 10)]
        )
        self.assertEqual(self._owned_value(product), 220.0)
        self.assertGreater(
            product.total_value, 220.0, "Odoo's FIFO value counts the consigned units"
        )
        self.assertBooksHold(product)

    def test_average_cost_consigned_receipt_stays_off_the_books(self):
        product = self._create_product("average", name="AVCO on consignment")
        self._make_in_move(product, 10, 10.0)
        self._receive_consigned(product, 5)
        receipt = self._make_in_move(product, 10, 16.0)
        self.assertMovementEntry(
            receipt, [(self.stock, 160, 0, 10), (self.account_grni, 0, 160, -10)], product
        )
        self.assertEqual(product.total_value, 260.0)
        self.assertBooksHold(product)
