from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestPerpetualMovements(PerpetualValuationCommon):
    """One movement or document case per test: the exact lines it posts, then the invariants."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_product("average", name="Avco item")
        cls.stock = cls.account_stock_valuation
        cls.variation = cls.stock.account_stock_variation_id

    def _stock_up(self, quantity=10, price_unit=10.0, product=None):
        order = self._purchase(product or self.product, quantity, price_unit)
        self._receive(order)
        self._bill(order)
        return order

    def test_installed_company_is_perpetual_with_its_accounts(self):
        company = self.company
        self.assertEqual(company.inventory_valuation, "perpetual")
        self.assertEqual(self.product.valuation, "perpetual")
        self.assertEqual(self.account_grni.account_type, "liability_current")
        self.assertEqual(self.account_gdni.account_type, "asset_current")
        self.assertTrue(self.account_price_diff)
        self.assertEqual(self.account_gain_loss.name, "Inventory Gains and Losses")
        # Odoo's own locations are left alone: an account on them would make Odoo's own
        # perpetual-at-invoicing mode post at each movement.
        self.assertFalse(self.scrap_location.valuation_account_id)
        self.assertFalse(self.inventory_location.valuation_account_id)
        self.assertEqual(
            self.env["product.product"].search(
                [("valuation", "=", "perpetual"), ("id", "=", self.product.id)]
            ),
            self.product,
        )

    def test_vendor_return_and_refund(self):
        order = self._stock_up(10, 10.0)
        receipt = order.picking_ids
        vendor_return = self._return(receipt, 3)
        self.assertMovementEntry(
            vendor_return.move_ids,
            [(self.account_grni, 30, 0, 3), (self.stock, 0, 30, -3)],
            self.product,
        )
        # The refund is at 11 a unit. Odoo nets refunds into the receipt's value: 100 - 33 for
        # 7 units + 3 at the order price = 97. GRNI follows the receipt (+3) and clears; the
        # stock takes Odoo's new value of the 7 on hand (67.90 instead of 70): the 3 returned
        # had left at 10 instead of 9.70, so 0.90 of the 3 go to price difference.
        refund = self._create_refund_for(order, 3, 11.0)
        self.assertLines(
            refund.line_ids.filtered(lambda line: line.account_id == self.account_grni),
            [(self.account_grni, 0, 33, 3)],  # Odoo keeps refund quantities positive
        )
        revaluation = self.env["account.move.line"].search(
            [("stock_valuation_kind", "=", "revaluation"), ("product_id", "=", self.product.id)]
        )
        self.assertLines(
            revaluation,
            [
                (self.stock, 0, 3, 0),
                (self.account_grni, 3, 0, 0),
                (self.stock, 0.9, 0, 0),
                (self.account_price_diff, 0, 0.9, 0),
            ],
        )
        self.assertEqual(self.product.total_value, 67.9)
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=order.order_line), 0
        )
        self.assertBooksHold(self.product, order.order_line)

    def _create_refund_for(self, order, quantity, price_unit):
        refund = self.env["account.move"].create(
            {
                "move_type": "in_refund",
                "partner_id": order.partner_id.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": quantity,
                            "price_unit": price_unit,
                            "purchase_line_id": order.order_line.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    def test_bill_before_receipt(self):
        self.product.purchase_method = "purchase"
        order = self._purchase(self.product, 10, 10.0)
        bill = self._bill(order, price_unit=11.0)
        # Until the goods come, GRNI holds a debit: billed, not received.
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=order.order_line), 110
        )
        self.assertLines(
            bill.line_ids.filtered(lambda line: line.account_id == self.account_grni),
            [(self.account_grni, 110, 0, 10)],
        )
        receipt = self._receive(order)
        # Odoo values the receipt from the bill already posted.
        self.assertMovementEntry(
            receipt.move_ids, [(self.stock, 110, 0, 10), (self.account_grni, 0, 110, -10)]
        )
        self.assertEqual(self._interim_balance(self.account_grni), 0)
        self.assertBooksHold(self.product, order.order_line)

    def test_invoice_before_delivery(self):
        self._stock_up(10, 12.0)
        self.product.invoice_policy = "order"
        order = self._sell(self.product, 5)
        invoice = self._invoice(order)
        # Invoiced ahead of the goods: cost of the day (average 12).
        self.assertLines(
            invoice.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(self.account_cogs, 60, 0, 5), (self.account_gdni, 0, 60, -5)],
        )
        self.assertEqual(
            self._interim_balance(self.account_gdni, interim_sale_line_id=order.order_line), -60
        )
        # A second receipt at 18 raises the average to 15 before the goods leave; delivering
        # at 15 settles the line and the difference to the invoiced cost goes to COGS.
        second = self._purchase(self.product, 10, 18.0)
        self._receive(second)
        delivery = self._deliver(order)
        self.assertMovementEntry(
            delivery.move_ids, [(self.account_gdni, 75, 0, 5), (self.stock, 0, 75, -5)]
        )
        clearing = (
            self.env["account.move.line"]
            .search(
                [
                    ("stock_valuation_kind", "=", "interim_clearing"),
                    ("interim_sale_line_id", "!=", False),
                ]
            )
            .move_id.line_ids
        )
        self.assertLines(clearing, [(self.account_gdni, 0, 15, 0), (self.account_cogs, 15, 0, 0)])
        self.assertEqual(
            self._interim_balance(self.account_gdni, interim_sale_line_id=order.order_line), 0
        )
        self.assertBooksHold(self.product, second.order_line, order.order_line)

    def test_partial_receipts_bills_and_backorder(self):
        order = self._purchase(self.product, 10, 10.0)
        first = self._receive(order, 4)
        self.assertMovementEntry(
            first.move_ids, [(self.stock, 40, 0, 4), (self.account_grni, 0, 40, -4)]
        )
        backorder = order.picking_ids - first
        self.assertEqual(backorder.move_ids.product_uom_qty, 6)
        self._bill(order, quantity=4)
        self.assertEqual(self._interim_balance(self.account_grni), 0)
        self.assertBooksHold(self.product, order.order_line)
        second = self._receive(order)
        self.assertMovementEntry(
            second.move_ids, [(self.stock, 60, 0, 6), (self.account_grni, 0, 60, -6)]
        )
        # The last 6 are billed at 11. Odoo spreads what the line is billed (40 + 66 = 106)
        # over its receipts by quantity: 42.40 and 63.60; the receipts' GRNI follows each one.
        self._bill(order, price_unit=11.0)
        self.assertEqual((first.move_ids.value, second.move_ids.value), (42.4, 63.6))
        revaluation = (first | second).move_ids.valuation_line_ids.filtered(
            lambda line: line.stock_valuation_kind == "revaluation"
        )
        self.assertLines(
            revaluation,
            [
                (self.stock, 2.4, 0, 0),
                (self.account_grni, 0, 2.4, 0),
                (self.stock, 3.6, 0, 0),
                (self.account_grni, 0, 3.6, 0),
            ],
        )
        self.assertEqual(self.product.total_value, 106)
        self.assertEqual(self._interim_balance(self.account_grni), 0)
        self.assertBooksHold(self.product, order.order_line)

    def test_bill_after_partial_delivery_splits_stock_and_price_difference(self):
        order = self._purchase(self.product, 10, 10.0)
        self._receive(order)
        sale = self._sell(self.product, 4)
        self._deliver(sale)
        # Billed at 12: the receipt is worth 120 instead of 100; 6 units on hand take 12 of it,
        # the 4 delivered take 8, which go to price difference.
        self._bill(order, price_unit=12.0)
        receipt = order.picking_ids.move_ids
        revaluation = self.env["account.move.line"].search(
            [("product_id", "=", self.product.id), ("stock_valuation_kind", "=", "revaluation")]
        )
        self.assertLines(
            revaluation,
            [
                (self.stock, 20, 0, 0),
                (self.account_grni, 0, 20, 0),
                (self.stock, 0, 8, 0),
                (self.account_price_diff, 8, 0, 0),
            ],
        )
        self.assertEqual(receipt.value, 120)
        self.assertEqual(self.product.total_value, 72)
        self.assertBooksHold(self.product, order.order_line, sale.order_line)

    def test_bill_after_delivery_to_cogs_where_the_category_says_so(self):
        self.product.categ_id.delivered_price_difference_to_cogs = True
        order = self._purchase(self.product, 10, 10.0)
        self._receive(order)
        self._deliver(self._sell(self.product, 4))
        self._bill(order, price_unit=12.0)
        remainder = self.env["account.move.line"].search(
            [
                ("product_id", "=", self.product.id),
                ("stock_valuation_kind", "=", "revaluation"),
                ("account_id", "not in", (self.stock | self.account_grni).ids),
            ]
        )
        self.assertLines(remainder, [(self.account_cogs, 8, 0, 0)])

    def test_foreign_currency_purchase_is_valued_in_company_currency(self):
        self._use_multi_currencies()  # EUR at 1 today: use a rate of 2 for this test
        eur = self.other_currency
        eur.rate_ids.filtered(lambda rate: rate.name == fields.Date.today()).rate = 2.0
        order = self._purchase(self.product, 10, 30.0, currency=eur)
        receipt = self._receive(order)
        # 300 EUR at 2 EUR per USD: 150 USD.
        self.assertMovementEntry(
            receipt.move_ids, [(self.stock, 150, 0, 10), (self.account_grni, 0, 150, -10)]
        )
        bill = self._bill(order)
        self.assertEqual(bill.currency_id, eur)
        self.assertLines(
            bill.line_ids.filtered(lambda line: line.account_id == self.account_grni),
            [(self.account_grni, 150, 0, 10)],
        )
        self.assertEqual(self._interim_balance(self.account_grni), 0)
        self.assertBooksHold(self.product, order.order_line)

    def test_lots_are_reachable_from_the_entry(self):
        product = self._create_product("fifo", name="Lot item", tracking="lot")
        lots = self.env["stock.lot"].create(
            [
                {"name": name, "product_id": product.id, "company_id": self.company.id}
                for name in ("L1", "L2")
            ]
        )
        move = self._make_in_move(product, 6, unit_cost=5.0, lot_ids=lots)
        entry = self.assertMovementEntry(
            move, [(self.stock, 30, 0, 6), (self.account_grni, 0, 30, -6)], product
        )
        self.assertEqual(entry.line_ids.stock_move_id, move)
        self.assertEqual(entry.line_ids.stock_move_id.move_line_ids.lot_id, lots)
        out = self._make_out_move(product, 2, lot_ids=lots[:1])
        self.assertMovementEntry(
            out, [(self.account_gdni, 10, 0, 2), (self.stock, 0, 10, -2)], product
        )
        self.assertEqual(out.account_move_id.line_ids.stock_move_id.lot_ids, lots[:1])
        self.assertBooksHold(product)

    def test_serial_numbers(self):
        product = self._create_product("average", name="Serial item", tracking="serial")
        serials = self.env["stock.lot"].create(
            [
                {"name": f"SN{i}", "product_id": product.id, "company_id": self.company.id}
                for i in range(3)
            ]
        )
        self._make_in_move(product, 3, unit_cost=100.0, lot_ids=serials)
        out = self._make_out_move(product, 1, lot_ids=serials[:1])
        self.assertMovementEntry(
            out, [(self.account_gdni, 100, 0, 1), (self.stock, 0, 100, -1)], product
        )
        self.assertBooksHold(product)

    def test_internal_transfer_on_the_same_account_posts_nothing(self):
        self._stock_up()
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": self.stock_location.id}
        )
        move = self._make_out_move(self.product, 4, location_dest_id=shelf.id)
        self.assertFalse(move.account_move_id)
        self.assertFalse(move.valuation_posting)
        self.assertBooksHold(self.product)

    def test_internal_transfer_between_accounts_reclassifies(self):
        self._stock_up(10, 10.0)
        consignment_account = self.env["account.account"].create(
            {"name": "Stock at consignee", "code": "110199", "account_type": "asset_current"}
        )
        consignee = self.env["stock.location"].create(
            {
                "name": "Consignee",
                "usage": "internal",
                "location_id": self.warehouse.view_location_id.id,
                "valuation_account_id": consignment_account.id,
            }
        )
        move = self._make_out_move(self.product, 4, location_dest_id=consignee.id)
        self.assertMovementEntry(
            move, [(consignment_account, 40, 0, 4), (self.stock, 0, 40, -4)], self.product
        )
        # Delivering from the consignee's stock credits its account.
        out = self._make_out_move(self.product, 1, location_id=consignee.id)
        self.assertMovementEntry(
            out, [(self.account_gdni, 10, 0, 1), (consignment_account, 0, 10, -1)]
        )
        self.assertBooksHold(self.product)

    def test_inventory_loss(self):
        self._stock_up(10, 10.0)
        count = self._count(self.product, 7)
        self.assertMovementEntry(
            count, [(self.account_gain_loss, 30, 0, 3), (self.stock, 0, 30, -3)]
        )
        self.assertBooksHold(self.product)

    def test_zero_valued_receipt_posts_nothing_but_is_listed(self):
        product = self._create_product("average", name="Free sample", standard_price=0.0)
        move = self._make_in_move(product, 5)
        self.assertEqual(move.valuation_posting, "zero_value")
        self.assertFalse(move.account_move_id)
        self.assertBooksHold(product)

    def test_negative_stock_is_revalued_when_goods_come_back(self):
        # 5 delivered with nothing on hand, at the current cost of 10; then 10 received at 12:
        # Odoo values the 5 that remain at 12 (60), so the 5 delivered early cost 10 more.
        sale = self._sell(self.product, 5)
        self._deliver(sale)
        self.assertEqual(self.product.total_value, -50)
        order = self._purchase(self.product, 10, 12.0)
        receipt = self._receive(order)
        self.assertMovementEntry(
            receipt.move_ids,
            [
                (self.stock, 120, 0, 10),
                (self.account_grni, 0, 120, -10),
                (self.stock, 0, 10, 0),
                (self.account_cogs, 10, 0, 0),
            ],
        )
        self.assertEqual(self.product.total_value, 60)
        self.assertBooksHold(self.product, order.order_line, sale.order_line)

    def test_entry_goes_to_the_first_open_date_after_a_lock_date(self):
        self._stock_up(10, 10.0)
        today = fields.Date.today()
        self.company.fiscalyear_lock_date = today - timedelta(days=1)
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "location_id": self.stock_location.id,
                    "inventory_quantity": 12,
                    "accounting_date": today - timedelta(days=40),
                }
            )
        )
        quant.action_apply_inventory()
        entry = (
            self.env["stock.move"]
            .search([("product_id", "=", self.product.id), ("is_inventory", "=", True)])
            .account_move_id
        )
        self.assertGreater(entry.date, self.company.fiscalyear_lock_date)
        self.assertEqual(entry.date, today)
        self.assertBooksHold(self.product)

    def test_missing_account_stops_the_validation_and_leaves_nothing(self):
        self.company.account_stock_grni_id = False
        order = self._purchase(self.product, 10, 10.0)
        picking = order.picking_ids
        with self.assertRaises(UserError) as error:
            self._validate(picking)
        message = str(error.exception)
        self.assertIn("Goods Received Not Invoiced Account", message)
        self.assertIn(self.product.categ_id.display_name, message)
        self.assertIn(self.company.display_name, message)
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(picking.move_ids.account_move_id)
        self.assertFalse(
            self.env["account.move.line"].search([("product_id", "=", self.product.id)])
        )

    def test_account_changes_apply_to_the_next_movement(self):
        order = self._purchase(self.product, 4, 10.0)
        self._receive(order, 1)
        # The category gets its own GRNI account, then its stock account's variation changes,
        # then the company's GRNI changes (the category one removed): each is used at once.
        own_grni = self.account_grni.copy({"code": "211077", "name": "GRNI furniture"})
        self.product.categ_id.property_stock_grni_account_id = own_grni
        second = self._receive(order, 1)
        self.assertEqual(
            second.move_ids.account_move_id.line_ids.account_id,
            self.stock | own_grni,
        )
        company_grni = self.account_grni.copy({"code": "211078", "name": "GRNI company"})
        self.product.categ_id.property_stock_grni_account_id = False
        self.company.account_stock_grni_id = company_grni
        third = self._receive(order, 1)
        self.assertEqual(
            third.move_ids.account_move_id.line_ids.account_id,
            self.stock | company_grni,
        )

    def test_validating_again_posts_nothing_twice(self):
        order = self._purchase(self.product, 10, 10.0)
        receipt = self._receive(order)
        entry = receipt.move_ids.account_move_id
        receipt.move_ids._action_done()
        self.env["running.inventory.posting"]._post_movements(receipt.move_ids)
        self.assertEqual(receipt.move_ids.account_move_id, entry)
        self.assertEqual(
            len(self.env["account.move.line"].search([("product_id", "=", self.product.id)])), 2
        )

    def test_bill_reset_to_draft_and_posted_again(self):
        order = self._purchase(self.product, 10, 10.0)
        self._receive(order)
        bill = self._bill(order, price_unit=12.0)
        lines_before = self.env["account.move.line"].search_count(
            [("product_id", "=", self.product.id)]
        )
        stock_before = self.product.total_value
        bill.button_draft()
        bill.action_post()
        self.assertEqual(
            self.env["account.move.line"].search_count([("product_id", "=", self.product.id)]),
            lines_before,
        )
        self.assertEqual(self.product.total_value, stock_before)
        self.assertEqual(self._interim_balance(self.account_grni), 0)
        self.assertBooksHold(self.product, order.order_line)

    def test_invoice_cancelled_and_posted_again(self):
        self._stock_up(10, 10.0)
        sale = self._sell(self.product, 4)
        self._deliver(sale)
        invoice = self._invoice(sale)
        invoice.button_draft()
        self.assertFalse(invoice.line_ids.filtered(lambda line: line.display_type == "cogs"))
        self.assertEqual(self._interim_balance(self.account_gdni), 40)
        invoice.button_cancel()
        invoice.button_draft()
        invoice.action_post()
        self.assertLines(
            invoice.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(self.account_cogs, 40, 0, 4), (self.account_gdni, 0, 40, -4)],
        )
        self.assertEqual(self._interim_balance(self.account_gdni), 0)
        self.assertBooksHold(self.product, sale_lines=sale.order_line)

    def test_manual_value_on_a_receipt(self):
        order = self._purchase(self.product, 10, 10.0)
        receipt = self._receive(order)
        self._deliver(self._sell(self.product, 5))
        # The receipt is corrected to 110: 5 on hand take 5, the 5 delivered go to price diff.
        with self._moment():
            receipt.move_ids.value_manual = 110
        revaluation = receipt.move_ids.valuation_line_ids.filtered(
            lambda line: line.stock_valuation_kind == "revaluation"
        )
        self.assertLines(revaluation, [(self.stock, 10, 0, 0), (self.account_grni, 0, 10, 0)])
        self.assertEqual(self.product.total_value, 55)
        self.assertBooksHold(self.product)

    def test_average_cost_set_by_hand(self):
        self._stock_up(10, 10.0)
        with self._moment():
            self.product.standard_price = 12.5
        revaluation = self.env["account.move.line"].search(
            [("product_id", "=", self.product.id), ("stock_valuation_kind", "=", "revaluation")]
        )
        self.assertLines(revaluation, [(self.stock, 25, 0, 0), (self.variation, 0, 25, 0)])
        self.assertBooksHold(self.product)

    def test_done_quantity_corrected(self):
        order = self._purchase(self.product, 10, 10.0)
        receipt = self._receive(order)
        receipt.move_ids.move_line_ids.quantity = 8
        correction = receipt.move_ids.valuation_line_ids.filtered(
            lambda line: line.stock_valuation_kind == "revaluation"
        )
        self.assertLines(correction, [(self.stock, 0, 20, -2), (self.account_grni, 20, 0, 2)])
        self.assertEqual(self.product.total_value, 80)
        self.assertBooksHold(self.product, order.order_line)

    def test_move_created_done_posts(self):
        """A movement that never goes through a validation (created as done by an import or
        another module, its lines added after) posts like any other."""
        self._stock_up(10, 10.0)
        with self._moment():
            move = self.env["stock.move"].create(
                {
                    "product_id": self.product.id,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.scrap_location.id,
                    "product_uom": self.uom.id,
                    "product_uom_qty": 3,
                    "state": "done",
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "location_id": self.stock_location.id,
                                "location_dest_id": self.scrap_location.id,
                                "quantity": 3,
                                "picked": True,
                            }
                        )
                    ],
                }
            )
        self.assertEqual(self.product.qty_available, 7)
        self.assertMovementEntry(
            move, [(self.account_gain_loss, 30, 0, 3), (self.stock, 0, 30, -3)], self.product
        )
        self.assertBooksHold(self.product)


@tagged("post_install", "-at_install")
class TestPerpetualMultiCompany(PerpetualValuationCommon):
    def test_each_company_posts_in_its_own_books(self):
        other = self.other_company
        self.assertEqual(other.inventory_valuation, "perpetual")
        product = self._create_product("average", company_id=False)
        product.categ_id.with_company(other).property_cost_method = "average"
        self._make_in_move(product, 5, unit_cost=10.0)
        other_env = self.env(context=dict(self.env.context, allowed_company_ids=other.ids))
        other_warehouse = other_env["stock.warehouse"].search(
            [("company_id", "=", other.id)], limit=1
        )
        other_move = other_env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": 3,
                "location_id": self.supplier_location.id,
                "location_dest_id": other_warehouse.lot_stock_id.id,
                "value_manual": 36.0,
            }
        )
        other_move._action_confirm()
        other_move._action_assign()
        other_move.picked = True
        other_move._action_done()
        entry = other_move.account_move_id
        self.assertEqual(entry.company_id, other)
        self.assertEqual(entry.journal_id, other.account_stock_journal_id)
        self.assertEqual(
            sorted((line.account_id, line.balance, line.quantity) for line in entry.line_ids),
            sorted(
                [
                    (other.account_stock_valuation_id, 36.0, 3.0),
                    (other.account_stock_grni_id, -36.0, -3.0),
                ]
            ),
        )
        self.assertNotEqual(other.account_stock_grni_id, self.company.account_stock_grni_id)
        # A user of the first company never sees the other's entries.
        user = self.env["res.users"].create(
            {
                "name": "Accountant A",
                "login": "accountant_a",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "group_ids": [Command.set(self.env.ref("account.group_account_manager").ids)],
            }
        )
        own_entry = product.stock_move_ids.filtered(
            lambda m: m.company_id == self.company
        ).account_move_id
        visible = (
            self.env["account.move"].with_user(user).search([("id", "in", (entry | own_entry).ids)])
        )
        self.assertEqual(visible, own_entry)

    def test_goods_between_companies_through_transit(self):
        """Each company posts its own side of goods sent through Odoo's inter-company transit:
        the sender a delivery, the receiver a receipt."""
        other = self.other_company
        transit = self.env.ref("stock.stock_location_inter_company")
        product = self._create_product("average", company_id=False)
        product.categ_id.with_company(other).property_cost_method = "average"
        self._make_in_move(product, 5, unit_cost=10.0)
        sent = self._make_out_move(product, 2, location_dest_id=transit.id)
        self.assertMovementEntry(
            sent,
            [(self.account_gdni, 20, 0, 2), (self.company.account_stock_valuation_id, 0, 20, -2)],
        )
        other_env = self.env(context=dict(self.env.context, allowed_company_ids=other.ids))
        other_stock = (
            other_env["stock.warehouse"]
            .search([("company_id", "=", other.id)], limit=1)
            .lot_stock_id
        )
        received = other_env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": 2,
                "location_id": transit.id,
                "location_dest_id": other_stock.id,
                "price_unit": 10.0,
                "value_manual": 20.0,
            }
        )
        received._action_confirm()
        received._action_assign()
        received.quantity = 2
        received.picked = True
        with self._moment():
            received._action_done()
        entry = received.account_move_id
        self.assertEqual(entry.company_id, other)
        self.assertEqual(
            sorted((line.account_id.id, line.balance, line.quantity) for line in entry.line_ids),
            sorted(
                [
                    (other.account_stock_valuation_id.id, 20.0, 2.0),
                    (other.account_stock_grni_id.id, -20.0, -2.0),
                ]
            ),
        )
        self.assertBooksHold(product)
