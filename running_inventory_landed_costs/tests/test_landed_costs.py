from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.running_inventory.tests.common import PerpetualValuationCommon

from .common import LandedCostFactories


@tagged("post_install", "-at_install")
class TestPerpetualLandedCosts(LandedCostFactories, PerpetualValuationCommon):
    """A landed cost posts at its validation: stock for the goods on hand, cost of goods sold
    for the goods already delivered, against the landed cost line's account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.account_stock_valuation
        cls._create_freight()

    def _entries_of(self, cost):
        return self.env["account.move"].search(
            [("ref", "=", cost.name), ("company_id", "=", self.company.id)]
        )

    def test_fifo_partly_delivered(self):
        """The issue's case: 10 received at 10, 4 delivered and invoiced, then 30 of freight.
        Odoo values the 6 on hand at 78 (60 + 6/10 of 30): the books follow at validation."""
        product = self._create_product("fifo", name="Fifo item")
        order = self._purchase(product, 10, 10.0)
        receipt = self._receive(order)
        self._bill(order)
        sale = self._sell(product, 4)
        self._deliver(sale)
        self._invoice(sale)
        cost = self._landed_cost(receipt, 30.0)
        # Odoo's own landed cost entry is for products valued at invoicing only: the landed
        # cost's Journal Entry is ours, which links back to it.
        entry = self._entries_of(cost)
        self.assertEqual(len(entry), 1)
        self.assertEqual(cost.account_move_id, entry)
        self.assertEqual(entry.posted_landed_cost_ids, cost)
        self.assertEqual(entry.action_view_posted_landed_costs()["res_id"], cost.id)
        self.assertEqual(entry.state, "posted")
        self.assertLines(
            entry.line_ids,
            [
                (self.stock, 18, 0, 0),
                (self.account_cogs, 12, 0, 0),
                (self.account_freight, 0, 30, 0),
            ],
        )
        self.assertEqual(entry.line_ids.product_id, product)
        self.assertAlmostEqual(product.total_value, 78.0)
        self.assertBooksHold(product, order.order_line, sale.order_line)
        # Nothing is posted twice: the receipt's value changes again post nothing.
        self.env["running.inventory.posting"]._post_value_changes(receipt.move_ids)
        self.assertEqual(len(self._entries_of(cost)), 1)
        self.assertEqual(
            self.env["account.move.line"].search_count(
                [("product_id", "=", product.id), ("stock_valuation_kind", "=", "revaluation")]
            ),
            3,
        )
        # A later delivery takes the landed cost's unit cost out of stock (13 a unit).
        sale2 = self._sell(product, 6)
        self._deliver(sale2)
        self._invoice(sale2)
        self.assertLines(
            sale2.picking_ids.move_ids.account_move_id.line_ids,
            [(self.account_gdni, 78, 0, 6), (self.stock, 0, 78, -6)],
        )
        self.assertBooksHold(product, order.order_line, sale.order_line | sale2.order_line)

    def test_share_on_goods_delivered_not_invoiced_waits_on_gdni(self):
        """4 of 10 delivered and not invoiced when 30 of freight lands: their 12 wait on goods
        delivered not invoiced, on their sale line, and the invoice takes them to cost of
        goods sold with the goods' own 40."""
        product = self._create_product("fifo", name="Fifo item")
        order = self._purchase(product, 10, 10.0)
        receipt = self._receive(order)
        sale = self._sell(product, 4)
        self._deliver(sale)
        # Dated as the landed cost, as Odoo dates its own landed cost entry.
        landed_on = fields.Date.context_today(self.env.user) - timedelta(days=3)
        cost = self._landed_cost(receipt, 30.0, date=landed_on)
        entry = self._entries_of(cost)
        self.assertEqual(entry.date, landed_on)
        self.assertLines(
            entry.line_ids,
            [
                (self.stock, 18, 0, 0),
                (self.account_gdni, 12, 0, 0),
                (self.account_freight, 0, 30, 0),
            ],
        )
        gdni_line = entry.line_ids.filtered(lambda line: line.account_id == self.account_gdni)
        self.assertEqual(gdni_line.interim_sale_line_id, sale.order_line)
        self.assertEqual(
            self._interim_balance(self.account_gdni, interim_sale_line_id=sale.order_line), 52
        )
        self.assertBooksHold(product, order.order_line, sale.order_line)
        invoice = self._invoice(sale)
        self.assertLines(
            self.env["account.move.line"].search(
                [
                    ("move_id", "=", invoice.id),
                    ("account_id", "in", (self.account_cogs | self.account_gdni).ids),
                ]
            ),
            [(self.account_cogs, 52, 0, 4), (self.account_gdni, 0, 52, -4)],
        )
        self.assertEqual(
            self._interim_balance(self.account_gdni, interim_sale_line_id=sale.order_line), 0
        )
        self.assertBooksHold(product, order.order_line, sale.order_line)

    def test_average_all_on_hand_then_bill(self):
        """All goods on hand: the whole landed cost goes to stock. The bill that comes after it
        at another price clears goods received not invoiced without the landed cost."""
        product = self._create_product("average", name="Avco item")
        order = self._purchase(product, 10, 10.0)
        receipt = self._receive(order)
        cost = self._landed_cost(receipt, 20.0)
        self.assertLines(
            self._entries_of(cost).line_ids,
            [(self.stock, 20, 0, 0), (self.account_freight, 0, 20, 0)],
        )
        self.assertAlmostEqual(product.total_value, 120.0)
        self.assertBooksHold(product, order.order_line)
        bill = self._bill(order, price_unit=11.0)
        grni_line = order.order_line
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=grni_line), 0
        )
        self.assertLines(
            self.env["account.move"].search([("ref", "=", bill.display_name)]).line_ids,
            [(self.stock, 10, 0, 0), (self.account_grni, 0, 10, 0)],
        )
        self.assertAlmostEqual(product.total_value, 130.0)
        self.assertFalse(
            self.env["account.move.line"].search(
                [("account_id", "=", self.account_grni.id), ("name", "ilike", "landed")]
            )
        )
        self.assertBooksHold(product, order.order_line)

    def test_line_on_the_stock_account_takes_the_expense_account(self):
        """Odoo proposes the stock account on landed costs made from a bill; in perpetual
        valuation the bill's line is on the cost product's expense account, which the landed
        cost credits."""
        product = self._create_product("average", name="Avco item")
        order = self._purchase(product, 5, 10.0)
        receipt = self._receive(order)
        self._bill(order)
        cost = self._landed_cost(receipt, 10.0, account=self.stock)
        expense = self.freight.product_tmpl_id.with_company(self.company)._get_product_accounts()[
            "expense"
        ]
        self.assertTrue(expense)
        self.assertLines(
            self._entries_of(cost).line_ids, [(self.stock, 10, 0, 0), (expense, 0, 10, 0)]
        )
        self.assertBooksHold(product, order.order_line)
