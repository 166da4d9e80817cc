from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.running_inventory.tests.common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestPerpetualPointOfSale(PerpetualValuationCommon):
    """Point of sale pickings post debit GDNI / credit stock; the session closing takes the
    cost of goods sold of orders not invoiced off GDNI, an order's invoice its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.account_stock_valuation
        cls.product = cls._create_product("average", name="Lamp", available_in_pos=True)
        cash_journal = cls.env["account.journal"].create(
            {"name": "Shop cash", "code": "SHOPC", "type": "cash", "company_id": cls.company.id}
        )
        cls.cash = cls.env["pos.payment.method"].create(
            {"name": "Cash", "journal_id": cash_journal.id, "company_id": cls.company.id}
        )
        cls.config = cls.env["pos.config"].create(
            {"name": "Shop", "company_id": cls.company.id, "payment_method_ids": cls.cash.ids}
        )

    def _stock(self):
        order = self._purchase(self.product, 10, 10.0)
        self._receive(order)
        self._bill(order)
        order = self._purchase(self.product, 10, 16.0)
        self._receive(order)
        self._bill(order)

    def _open(self):
        self.config.open_ui()
        session = self.config.current_session_id
        session.set_opening_control(0, None)
        return session

    def _order(self, session, quantity, price=30.0, invoiced=False, ship_later=False):
        total = quantity * price
        data = {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "pricelist_id": self.config.pricelist_id.id,
            "lines": [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "qty": quantity,
                        "price_unit": price,
                        "price_subtotal": total,
                        "price_subtotal_incl": total,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
            "partner_id": self.customer.id,
            "session_id": session.id,
            "payment_ids": [
                Command.create(
                    {
                        "amount": total,
                        "name": fields.Datetime.now(),
                        "payment_method_id": self.cash.id,
                    }
                )
            ],
            "uuid": "00000-000-%04d%d%d%d" % (abs(quantity), invoiced, quantity < 0, ship_later),
            "user_id": self.env.uid,
            "to_invoice": invoiced,
            "shipping_date": fields.Date.to_string(fields.Date.today()) if ship_later else False,
        }
        with self._moment():
            result = self.env["pos.order"].sync_from_ui([data])
        return self.env["pos.order"].browse([o["id"] for o in result["pos.order"]])

    def _close(self, session):
        with self._moment():
            cash = sum(session.order_ids.payment_ids.mapped("amount"))
            session.post_closing_cash_details(cash)
            session.close_session_from_ui()
        self.assertEqual(session.state, "closed")

    def _assert_closing_cost(self, session, cost, quantity):
        """Close `session`: its entry debits COGS and credits GDNI with `cost` for `quantity`
        of the product, nothing on stock; GDNI is cleared in value and quantity, the books
        hold."""
        self._close(session)
        accounts = self.account_gdni | self.account_cogs | self.stock
        lines = session.move_id.line_ids.filtered(lambda line: line.account_id in accounts)
        self.assertLines(
            lines,
            [(self.account_cogs, cost, 0, quantity), (self.account_gdni, 0, cost, -quantity)],
        )
        self.assertEqual(lines.product_id, self.product)
        self.assertEqual(self._interim_balance(self.account_gdni), 0)
        gdni_lines = self.env["account.move.line"].search(
            [("account_id", "=", self.account_gdni.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(sum(gdni_lines.mapped("quantity")), 0)
        self.assertFalse(self._open_gdni_items())
        self.assertBooksHold(self.product)

    def _open_gdni_items(self):
        """The session's goods delivered not invoiced as the open items report lists them."""
        return self.env["running.inventory.interim.report"].search(
            [("account_id", "=", self.account_gdni.id), ("company_id", "=", self.company.id)]
        )

    def test_session_closing_posts_cost_of_sales_against_gdni(self):
        """20 lamps at an average 13; 4 sold: the picking credits stock 52 against GDNI, the
        closing debits COGS 52 against GDNI, and nothing else on stock."""
        self._stock()
        session = self._open()
        order = self._order(session, 4)
        self.assertMovementEntry(
            order.picking_ids.move_ids, [(self.account_gdni, 52, 0, 4), (self.stock, 0, 52, -4)]
        )
        # Open until the session closes: one item of the session and product.
        self.assertEqual(
            [(item.product_id, item.balance) for item in self._open_gdni_items()],
            [(self.product, 52)],
        )
        self._assert_closing_cost(session, 52, 4)

    def test_invoiced_order_costs_its_picking(self):
        """FIFO: 4 of the 10 lamps at 10 delivered, 40; the invoice's COGS is what its picking
        delivered at, not the cost of the day (the 16 left at 13.75: 55); the closing leaves
        the invoiced order alone."""
        self.product.categ_id = self.category_perpetual["fifo"]
        self._stock()
        session = self._open()
        order = self._order(session, 4, invoiced=True)
        self.assertMovementEntry(
            order.picking_ids.move_ids, [(self.account_gdni, 40, 0, 4), (self.stock, 0, 40, -4)]
        )
        self.assertEqual(round(self.product.standard_price, 2), 13.75)
        invoice = order.account_move
        self.assertEqual(invoice.state, "posted")
        cost_lines = invoice.line_ids.filtered(lambda line: line.display_type == "cogs")
        self.assertLines(
            cost_lines, [(self.account_cogs, 40, 0, 4), (self.account_gdni, 0, 40, -4)]
        )
        self._close(session)
        self.assertFalse(
            session.move_id.line_ids.filtered(lambda line: line.account_id == self.account_gdni)
        )
        self.assertEqual(self._interim_balance(self.account_gdni), 0)
        self.assertFalse(self._open_gdni_items())
        self.assertBooksHold(self.product)

    def test_return_in_the_session_nets_the_cost_of_sales(self):
        """4 lamps sold and 1 brought back in the session: the return's picking debits stock
        13 against GDNI; the closing's COGS against GDNI is the net 39."""
        self._stock()
        session = self._open()
        self._order(session, 4)
        back = self._order(session, -1)
        self.assertMovementEntry(
            back.picking_ids.move_ids, [(self.stock, 13, 0, 1), (self.account_gdni, 0, 13, -1)]
        )
        self._assert_closing_cost(session, 39, 3)

    def test_order_shipped_later_is_cost_of_sales_when_it_leaves(self):
        """An order shipped later is sold at the closing; its goods leave afterwards, straight
        to cost of goods sold (3 lamps at an average 13: 39), with nothing left on GDNI."""
        self._stock()
        session = self._open()
        order = self._order(session, 3, ship_later=True)
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertNotEqual(picking.state, "done")
        self._close(session)
        accounts = self.account_gdni | self.account_cogs | self.stock
        self.assertFalse(
            session.move_id.line_ids.filtered(lambda line: line.account_id in accounts)
        )
        self._validate(picking)
        self.assertMovementEntry(
            picking.move_ids, [(self.account_cogs, 39, 0, 3), (self.stock, 0, 39, -3)]
        )
        self.assertEqual(self._interim_balance(self.account_gdni), 0)
        self.assertBooksHold(self.product)

    def test_stock_updated_at_closing(self):
        """A company that updates stock at the session closing: the closing makes the picking,
        which posts debit GDNI / credit stock, and its entry takes the cost of sales off GDNI
        (4 lamps at an average 13: 52)."""
        self._stock()
        self.company.point_of_sale_update_stock_quantities = "closing"
        session = self._open()
        self.assertTrue(session.update_stock_at_closing)
        order = self._order(session, 4)
        self.assertFalse(order.picking_ids)
        self._assert_closing_cost(session, 52, 4)
        picking = session.picking_ids
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.pos_order_id)
        self.assertMovementEntry(
            picking.move_ids, [(self.account_gdni, 52, 0, 4), (self.stock, 0, 52, -4)]
        )
