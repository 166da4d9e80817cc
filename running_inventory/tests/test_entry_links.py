from odoo.tests import tagged

from .common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestEntryLinks(PerpetualValuationCommon):
    """Entries that explain themselves: each names the document that caused it, and links go
    both ways between the transfer, its movements, the bill and the entries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_product("average", name="Linked item")
        cls.stock = cls.account_stock_valuation

    def _revaluation_entry(self, product=None):
        lines = self.env["account.move.line"].search(
            [
                ("product_id", "=", (product or self.product).id),
                ("stock_valuation_kind", "=", "revaluation"),
            ]
        )
        self.assertEqual(len(lines.move_id), 1)
        return lines.move_id

    def test_receipt_and_its_entry_link_both_ways(self):
        order = self._purchase(self.product, 10, 10.0)
        receipt = self._receive(order)
        entry = self.assertMovementEntry(
            receipt.move_ids, [(self.stock, 100, 0, 10), (self.account_grni, 0, 100, -10)]
        )
        self.assertEqual(entry.ref, receipt.name)
        self.assertTrue(entry.is_perpetual_valuation_entry)
        self.assertEqual(receipt.perpetual_account_move_ids, entry)
        self.assertEqual(receipt.perpetual_account_move_count, 1)
        action = receipt.action_view_perpetual_account_moves()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", entry.id))
        self.assertEqual(entry.perpetual_picking_ids, receipt)
        self.assertEqual(entry.perpetual_stock_move_ids, receipt.move_ids)
        action = entry.action_view_perpetual_pickings()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.picking", receipt.id))
        action = entry.action_view_perpetual_stock_moves()
        self.assertEqual(action["res_model"], "stock.move")
        self.assertEqual(action["domain"], [("id", "in", receipt.move_ids.ids)])

    def test_bill_at_another_price_names_the_bill_and_links_back(self):
        order = self._purchase(self.product, 10, 10.0)
        receipt = self._receive(order)
        bill = self._bill(order, price_unit=12.0)
        revaluation = self._revaluation_entry()
        self.assertLines(
            revaluation.line_ids.filtered("stock_valuation_kind"),
            [(self.stock, 20, 0, 0), (self.account_grni, 0, 20, 0)],
        )
        self.assertEqual(revaluation.ref, bill.name)
        self.assertEqual(revaluation.perpetual_origin_move_id, bill)
        self.assertIn(revaluation, bill.perpetual_valuation_move_ids)
        action = bill.action_view_perpetual_valuation_entries()
        self.assertEqual(action["domain"], [("id", "in", bill.perpetual_valuation_move_ids.ids)])
        # The revaluation is the receipt's too: the transfer lists both of its entries.
        self.assertEqual(revaluation.perpetual_picking_ids, receipt)
        self.assertEqual(
            receipt.perpetual_account_move_ids, receipt.move_ids.account_move_id | revaluation
        )
        self.assertEqual(receipt.perpetual_account_move_count, 2)
        action = receipt.action_view_perpetual_account_moves()
        self.assertEqual(action["domain"], [("id", "in", receipt.perpetual_account_move_ids.ids)])

    def test_value_set_on_a_receipt_names_the_receipt(self):
        order = self._purchase(self.product, 10, 10.0)
        receipt = self._receive(order)
        with self._moment():
            receipt.move_ids.value_manual = 110
        revaluation = self._revaluation_entry()
        self.assertLines(
            revaluation.line_ids, [(self.stock, 10, 0, 0), (self.account_grni, 0, 10, 0)]
        )
        self.assertEqual(revaluation.ref, f"Revaluation: {receipt.name}")
        self.assertEqual(revaluation.perpetual_picking_ids, receipt)

    def test_cost_change_names_the_product(self):
        order = self._purchase(self.product, 10, 10.0)
        self._receive(order)
        with self._moment():
            self.product.standard_price = 12.5
        revaluation = self._revaluation_entry()
        variation = self.stock.account_stock_variation_id
        self.assertLines(revaluation.line_ids, [(self.stock, 25, 0, 0), (variation, 0, 25, 0)])
        self.assertEqual(revaluation.ref, "Cost change: Linked item")
        self.assertFalse(revaluation.perpetual_picking_ids)

    def test_interim_clearing_at_the_delivery_names_the_order(self):
        stock_up = self._purchase(self.product, 10, 12.0)
        self._receive(stock_up)
        self._bill(stock_up)
        self.product.invoice_policy = "order"
        order = self._sell(self.product, 5)
        self._invoice(order)
        # Invoiced at the average of 12, delivered at 15 after a receipt at 18: delivering
        # settles the line and clears the 15 left on GDNI to COGS.
        self._receive(self._purchase(self.product, 10, 18.0))
        self._deliver(order)
        clearing = self.env["account.move.line"].search(
            [
                ("interim_sale_line_id", "=", order.order_line.id),
                ("stock_valuation_kind", "=", "interim_clearing"),
            ]
        )
        self.assertLines(
            clearing.move_id.line_ids,
            [(self.account_gdni, 0, 15, 0), (self.account_cogs, 15, 0, 0)],
        )
        self.assertEqual(clearing.move_id.ref, f"Interim clearing: {order.name}")

    def test_entry_fields_read_in_accounting_words(self):
        self.assertEqual(self.env["stock.move"]._fields["account_move_id"].string, "Journal Entry")
        arch = self.env.ref("account.view_move_form")._get_combined_arch()
        columns = arch.xpath("//field[@name='line_ids']/list")[0]
        for name in ("product_id", "quantity"):
            column = columns.xpath(f"field[@name='{name}']")[0]
            self.assertIsNone(column.get("optional"), f"{name} is not an optional column")
            self.assertEqual(
                column.get("column_invisible"), "not parent.is_perpetual_valuation_entry"
            )
