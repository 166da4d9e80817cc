from odoo.tests import tagged

from .common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestWorkedExampleAvco(PerpetualValuationCommon):
    """shared/spec/postings.md, "A worked example (AVCO, generic chart, one company)", step by
    step through Odoo's documents, to the cent."""

    def test_worked_example(self):
        product = self._create_product("average", name="Widget")
        stock, grni, gdni = self.account_stock_valuation, self.account_grni, self.account_gdni
        cogs, gain_loss = self.account_cogs, self.account_gain_loss

        # 1. Receive PO1 10 @ 12, PO2 10 @ 16: 20 units, value 280, average 14.
        po1 = self._purchase(product, 10, 12.0)
        receipt1 = self._receive(po1)
        self.assertMovementEntry(
            receipt1.move_ids, [(stock, 120, 0, 10), (grni, 0, 120, -10)], product
        )
        po2 = self._purchase(product, 10, 16.0)
        receipt2 = self._receive(po2)
        self.assertMovementEntry(
            receipt2.move_ids, [(stock, 160, 0, 10), (grni, 0, 160, -10)], product
        )
        self.assertEqual(
            (product.qty_available, product.total_value, product.standard_price), (20, 280, 14)
        )
        purchase_lines = po1.order_line | po2.order_line
        self.assertBooksHold(product, purchase_lines)

        # 2. Bill PO1 at 12; bill PO2 at 17, which re-values the receipt by 10: GRNI is 0.
        bill1 = self._bill(po1)
        self.assertLines(
            bill1.line_ids.filtered(lambda line: line.account_id == grni), [(grni, 120, 0, 10)]
        )
        bill2 = self._bill(po2, price_unit=17.0)
        self.assertLines(
            bill2.line_ids.filtered(lambda line: line.account_id == grni), [(grni, 170, 0, 10)]
        )
        revaluation = receipt2.move_ids.valuation_line_ids.filtered(
            lambda line: line.stock_valuation_kind == "revaluation"
        )
        self.assertLines(revaluation, [(stock, 10, 0, 0), (grni, 0, 10, 0)])
        self.assertEqual(self._interim_balance(grni), 0.0)
        self.assertEqual(
            (product.qty_available, product.total_value, product.standard_price), (20, 290, 14.5)
        )
        self.assertBooksHold(product, purchase_lines)

        # 3. Deliver 12 at 14.50 (174); invoice 12 @ 50: COGS 174 from GDNI.
        so = self._sell(product, 12, 50.0)
        delivery = self._deliver(so)
        self.assertMovementEntry(
            delivery.move_ids, [(gdni, 174, 0, 12), (stock, 0, 174, -12)], product
        )
        invoice = self._invoice(so)
        self.assertLines(
            invoice.line_ids.filtered(lambda line: line.display_type != "cogs"),
            [(self.account_receivable, 600, 0, 0), (self.account_income, 0, 600, 12)],
        )
        self.assertLines(
            invoice.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(cogs, 174, 0, 12), (gdni, 0, 174, -12)],
        )
        self.assertEqual(self._interim_balance(gdni), 0.0)
        self.assertEqual((product.qty_available, product.total_value), (8, 116))
        self.assertBooksHold(product, purchase_lines, so.order_line)

        # 4. Count 13 where 8 are expected: a gain of 5 at 14.50.
        count = self._count(product, 13)
        self.assertMovementEntry(count, [(stock, 72.5, 0, 5), (gain_loss, 0, 72.5, -5)], product)
        self.assertEqual((product.qty_available, product.total_value), (13, 188.5))
        self.assertBooksHold(product, purchase_lines, so.order_line)

        # 5. Scrap 1.
        scrap = self._scrap(product, 1)
        self.assertMovementEntry(scrap, [(gain_loss, 14.5, 0, 1), (stock, 0, 14.5, -1)], product)
        self.assertEqual((product.qty_available, product.total_value), (12, 174))
        self.assertBooksHold(product, purchase_lines, so.order_line)

        # 6. The customer returns 2, at the cost they left at; the credit note reverses COGS.
        customer_return = self._return(delivery, 2)
        self.assertMovementEntry(
            customer_return.move_ids, [(stock, 29, 0, 2), (gdni, 0, 29, -2)], product
        )
        credit_note = self._refund(invoice, quantity=2)
        self.assertLines(
            credit_note.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(gdni, 29, 0, 2), (cogs, 0, 29, -2)],
        )
        self.assertEqual(self._interim_balance(gdni), 0.0)
        self.assertEqual((product.qty_available, product.total_value), (14, 203))
        self.assertBooksHold(product, purchase_lines, so.order_line)


@tagged("post_install", "-at_install")
class TestWorkedExampleFifoStandard(PerpetualValuationCommon):
    """The same six steps for FIFO and for standard costing. The amounts are worked out here,
    from Odoo's own valuation rules, before the test checks them."""

    def test_worked_example_fifo(self):
        product = self._create_product("fifo", name="Fifo widget")
        stock, grni, gdni = self.account_stock_valuation, self.account_grni, self.account_gdni
        cogs, gain_loss = self.account_cogs, self.account_gain_loss
        # 1. Layers: 10 @ 12 (120), 10 @ 16 (160).
        po1, po2 = self._purchase(product, 10, 12.0), self._purchase(product, 10, 16.0)
        self._receive(po1)
        self._receive(po2)
        self.assertEqual(product.total_value, 280)
        # 2. Bill PO2 at 17: its layer becomes 170; everything is on hand, all of it to stock.
        self._bill(po1)
        self._bill(po2, price_unit=17.0)
        self.assertEqual(product.total_value, 290)
        self.assertEqual(self._interim_balance(grni), 0.0)
        purchase_lines = po1.order_line | po2.order_line
        self.assertBooksHold(product, purchase_lines)
        # 3. Deliver 12, first in first out: 10 @ 12 + 2 @ 17 = 154; 8 @ 17 = 136 remain.
        so = self._sell(product, 12)
        delivery = self._deliver(so)
        self.assertMovementEntry(
            delivery.move_ids, [(gdni, 154, 0, 12), (stock, 0, 154, -12)], product
        )
        invoice = self._invoice(so)
        self.assertLines(
            invoice.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(cogs, 154, 0, 12), (gdni, 0, 154, -12)],
        )
        self.assertEqual(product.total_value, 136)
        # 4. Count 13: the 5 found are valued at the current cost, 136 / 8 = 17: 85.
        count = self._count(product, 13)
        self.assertMovementEntry(count, [(stock, 85, 0, 5), (gain_loss, 0, 85, -5)], product)
        # 5. Scrap 1: the oldest layer left, PO2's, at 17.
        scrap = self._scrap(product, 1)
        self.assertMovementEntry(scrap, [(gain_loss, 17, 0, 1), (stock, 0, 17, -1)], product)
        self.assertEqual(product.total_value, 204)
        # 6. Return 2 at the cost they left at: 154 x 2 / 12 = 25.67; the credit note the same.
        customer_return = self._return(delivery, 2)
        self.assertMovementEntry(
            customer_return.move_ids, [(stock, 25.67, 0, 2), (gdni, 0, 25.67, -2)], product
        )
        credit_note = self._refund(invoice, quantity=2)
        self.assertLines(
            credit_note.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(gdni, 25.67, 0, 2), (cogs, 0, 25.67, -2)],
        )
        self.assertEqual(product.total_value, 229.67)
        self.assertEqual(self._interim_balance(gdni), 0.0)
        self.assertBooksHold(product, purchase_lines, so.order_line)

    def test_worked_example_standard(self):
        product = self._create_product("standard", name="Standard widget", standard_price=15.0)
        stock, grni, gdni = self.account_stock_valuation, self.account_grni, self.account_gdni
        cogs, gain_loss, price_diff = (
            self.account_cogs,
            self.account_gain_loss,
            self.account_price_diff,
        )
        # 1. Stock at standard (15), GRNI at the purchase price, the gap to price difference.
        po1 = self._purchase(product, 10, 12.0)
        receipt1 = self._receive(po1)
        self.assertMovementEntry(
            receipt1.move_ids, [(stock, 150, 0, 10), (grni, 0, 120, -10), (price_diff, 0, 30, 0)]
        )
        po2 = self._purchase(product, 10, 16.0)
        receipt2 = self._receive(po2)
        self.assertMovementEntry(
            receipt2.move_ids, [(stock, 150, 0, 10), (grni, 0, 160, -10), (price_diff, 10, 0, 0)]
        )
        # 2. Bill PO2 at 17: the receipt is now worth 170 to Odoo, stock stays at standard;
        #    GRNI follows the receipt, the 10 are a price difference.
        self._bill(po1)
        self._bill(po2, price_unit=17.0)
        revaluation = receipt2.move_ids.valuation_line_ids.filtered(
            lambda line: line.stock_valuation_kind == "revaluation"
        )
        self.assertLines(revaluation, [(grni, 0, 10, 0), (price_diff, 10, 0, 0)])
        self.assertEqual(self._interim_balance(grni), 0.0)
        self.assertEqual(product.total_value, 300)
        purchase_lines = po1.order_line | po2.order_line
        self.assertBooksHold(product, purchase_lines)
        # 3. Deliver 12 at 15 = 180; invoice them.
        so = self._sell(product, 12)
        delivery = self._deliver(so)
        self.assertMovementEntry(
            delivery.move_ids, [(gdni, 180, 0, 12), (stock, 0, 180, -12)], product
        )
        invoice = self._invoice(so)
        self.assertLines(
            invoice.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(cogs, 180, 0, 12), (gdni, 0, 180, -12)],
        )
        # 4. Count 13 (+5 at 15); 5. scrap 1; 6. return 2 at 15, credit them.
        self.assertMovementEntry(
            self._count(product, 13), [(stock, 75, 0, 5), (gain_loss, 0, 75, -5)], product
        )
        self.assertMovementEntry(
            self._scrap(product, 1), [(gain_loss, 15, 0, 1), (stock, 0, 15, -1)], product
        )
        customer_return = self._return(delivery, 2)
        self.assertMovementEntry(customer_return.move_ids, [(stock, 30, 0, 2), (gdni, 0, 30, -2)])
        self._refund(invoice, quantity=2)
        self.assertEqual(product.total_value, 210)
        self.assertBooksHold(product, purchase_lines, so.order_line)
        # A new standard price re-values the 14 units on hand: 14 x (16 - 15) = 14.
        with self._moment():
            product.standard_price = 16.0
        variation = self.account_stock_valuation.account_stock_variation_id
        revaluation = self.env["account.move.line"].search(
            [("product_id", "=", product.id), ("stock_valuation_kind", "=", "revaluation")],
            order="id desc",
            limit=2,
        )
        self.assertLines(revaluation, [(stock, 14, 0, 0), (variation, 0, 14, 0)])
        self.assertEqual(product.total_value, 224)
        self.assertBooksHold(product, purchase_lines, so.order_line)
