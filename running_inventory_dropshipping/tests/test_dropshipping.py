from odoo import Command
from odoo.tests import tagged

from odoo.addons.running_inventory.tests.common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestPerpetualDropshipping(PerpetualValuationCommon):
    """A dropship posts goods delivered not invoiced against goods received not invoiced at
    the purchase value; the bill and the invoice clear them; a return reverses it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.account_stock_valuation
        cls.product = cls._create_product(
            "average",
            name="Dropshipped desk",
            route_ids=[Command.set(cls.env.ref("stock_dropshipping.route_drop_shipping").ids)],
            seller_ids=[Command.create({"partner_id": cls.vendor.id, "price": 8.0})],
        )

    def _dropship(self, quantity):
        sale = self._sell(self.product, quantity, price_unit=12.0)
        order = sale._get_purchase_orders()
        self.assertEqual(len(order), 1)
        order.order_line.tax_ids = [Command.clear()]
        order.button_confirm()
        picking = sale.picking_ids
        self.assertTrue(picking.is_dropship)
        self._validate(picking)
        return sale, order, picking

    def test_dropship_billed_and_invoiced(self):
        sale, order, picking = self._dropship(5)
        entry = self.assertMovementEntry(
            picking.move_ids,
            [(self.account_gdni, 40, 0, 5), (self.account_grni, 0, 40, -5)],
            self.product,
        )
        self.assertEqual(
            entry.line_ids.filtered(
                lambda line: line.account_id == self.account_gdni
            ).interim_sale_line_id,
            sale.order_line,
        )
        self.assertEqual(
            entry.line_ids.filtered(
                lambda line: line.account_id == self.account_grni
            ).interim_purchase_line_id,
            order.order_line,
        )
        # No stock account is touched: the goods never were in stock.
        self.assertFalse(self._stock_lines(self.product))
        bill = self._bill(order)
        self.assertLines(bill.invoice_line_ids, [(self.account_grni, 40, 0, 5)])
        invoice = self._invoice(sale)
        self.assertLines(
            invoice.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(self.account_cogs, 40, 0, 5), (self.account_gdni, 0, 40, -5)],
        )
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=order.order_line), 0
        )
        self.assertEqual(
            self._interim_balance(self.account_gdni, interim_sale_line_id=sale.order_line), 0
        )
        self.assertBooksHold(self.product, order.order_line, sale.order_line)

    def test_bill_at_another_price_and_invoice_first(self):
        sale, order, _picking = self._dropship(5)
        self._invoice(sale)
        self._bill(order, price_unit=9.0)
        # The bill's 5 above the purchase value is a price difference once the line is settled.
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=order.order_line), 0
        )
        self.assertEqual(
            self._interim_balance(self.account_gdni, interim_sale_line_id=sale.order_line), 0
        )
        settled = self.env["account.move.line"].search(
            [
                ("product_id", "=", self.product.id),
                ("stock_valuation_kind", "=", "interim_clearing"),
                ("account_id", "=", self.account_price_diff.id),
            ]
        )
        self.assertEqual(round(sum(settled.mapped("balance")), 2), 5.0)
        self.assertBooksHold(self.product, order.order_line, sale.order_line)

    def test_dropship_return_reverses(self):
        sale, order, picking = self._dropship(5)
        returned = self._return(picking, 2)
        self.assertMovementEntry(
            returned.move_ids,
            [(self.account_gdni, 0, 16, -2), (self.account_grni, 16, 0, 2)],
            self.product,
        )
        self.assertEqual(
            self._interim_balance(self.account_gdni, interim_sale_line_id=sale.order_line), 24
        )
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=order.order_line),
            -24,
        )
        self.assertBooksHold(self.product, order.order_line, sale.order_line)
