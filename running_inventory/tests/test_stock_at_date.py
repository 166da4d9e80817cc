from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestStockAtDate(LedgerCommon):
    """Stock at Date: what was on hand at the end of a past day per product, location and lot,
    at Odoo's own value of that day (its ``to_date`` valuation), and the ledger up to then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_warehouse = cls.env["stock.warehouse"].create(
            {"name": "Other Warehouse", "code": "OWH", "company_id": cls.company.id}
        )
        cls.other_stock = cls.other_warehouse.lot_stock_id

    def _stock_at(self, days_ago, user=None):
        env = self.env(user=user) if user else self.env
        form = Form(env["running.inventory.stock.date"])
        form.date = fields.Date.today() - timedelta(days=days_ago)
        wizard = form.save()
        action = wizard.action_open_stock()
        return env["running.inventory.stock.date.line"].search(action["domain"])

    def test_stock_per_product_is_odoo_value_at_date(self):
        products = self.env["product.product"]
        for cost_method in ("standard", "average", "fifo"):
            product = self._create_product_before(cost_method, f"At date {cost_method}")
            self._history(product)
            products |= product
        for days_ago in range(6, -1, -1):
            lines = self._stock_at(days_ago)
            for product in products:
                quantity, value = self._odoo_stock(product, self._end_of_day(days_ago))
                own = lines.filtered(lambda line, p=product: line.product_id == p)
                self.assertAlmostEqual(sum(own.mapped("quantity")), quantity, places=4)
                self.assertAlmostEqual(sum(own.mapped("value")), value, places=2)

    def test_stock_per_location_and_warehouse(self):
        """Each location has its quantity at the date; the value of a warehouse's share is
        Odoo's own value of that warehouse (``warehouse_id`` context)."""
        product = self._create_product_before("average", "At date per warehouse")
        with self._on_day(3):
            self._make_in_move(product, 10, unit_cost=6.0)
        with self._on_day(2):
            self._move(product, 4, self.stock_location, self.other_stock)
            self._make_in_move(product, 10, unit_cost=9.0)
        with self._on_day(1):
            self._move(product, 2, self.other_stock, self.stock_location)
        for days_ago in (3, 2, 1, 0):
            at = self._end_of_day(days_ago)
            lines = self._stock_at(days_ago)
            for warehouse in (self.warehouse, self.other_warehouse):
                line = lines.filtered(lambda line, w=warehouse: line.location_id == w.lot_stock_id)
                odoo = product.with_context(to_date=at, warehouse_id=warehouse.id)
                self.assertAlmostEqual(
                    sum(line.mapped("quantity")),
                    odoo._with_valuation_context().qty_available,
                    places=4,
                )
                self.assertAlmostEqual(sum(line.mapped("value")), odoo.total_value, places=2)

    def test_stock_per_lot(self):
        """Per lot at a past date. (Odoo's own ``lot_id`` + ``to_date`` quantity is no reference
        there: it takes back the later moves of every lot, not only the lot's.)"""
        product = self._create_product_before("fifo", "At date lots", tracking="lot")
        lot_a, lot_b = self.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in ("AT-A", "AT-B")]
        )
        with self._on_day(2):
            self._make_in_move(product, 6, unit_cost=3.0, lot_ids=[lot_a, lot_b])
        with self._on_day(1):
            self._make_out_move(product, 2, lot_ids=[lot_a])
        for days_ago, expected in ((2, {"AT-A": 3, "AT-B": 3}), (1, {"AT-A": 1, "AT-B": 3})):
            lines = self._stock_at(days_ago).filtered(lambda line: line.product_id == product)
            self.assertEqual({line.lot_id.name: line.quantity for line in lines}, expected)
            self.assertAlmostEqual(
                sum(lines.mapped("value")),
                self._odoo_stock(product, self._end_of_day(days_ago))[1],
                places=2,
            )
        lines = self._stock_at(0).filtered(lambda line: line.product_id == product)
        for line in lines:
            self.assertEqual(
                line.quantity, product.with_context(lot_id=line.lot_id.id).qty_available
            )

    def test_ledger_up_to_date(self):
        product = self._create_product_before("average", "At date ledger")
        with self._on_day(2):
            self._make_in_move(product, 3, unit_cost=6.0)
        with self._on_day(1):
            self._make_out_move(product, 1)
        wizard = self.env["running.inventory.stock.date"].create(
            {"date": fields.Date.today() - timedelta(days=2)}
        )
        action = wizard.action_open_ledger()
        rows = self.env["running.inventory.ledger"].search(
            action["domain"] + [("product_id", "=", product.id)]
        )
        self.assertEqual((rows.quantity, rows.running_value), (3, 18))

    def test_a_future_date_is_refused(self):
        wizard = self.env["running.inventory.stock.date"].create(
            {"date": fields.Date.today() + timedelta(days=1)}
        )
        with self.assertRaises(UserError):
            wizard.action_open_stock()

    def test_stock_users_see_quantities_only(self):
        product = self._create_product_before("average", "At date rights")
        with self._on_day(1):
            self._make_in_move(product, 3, unit_cost=6.0)
        lines = self._stock_at(0, user=self.stock_user)
        own = lines.filtered(lambda line: line.product_id == product)
        self.assertEqual(own.quantity, 3)
        with self.assertRaises(AccessError):
            own.read(["value"])
        self.assertEqual(own.with_user(self.accountant).value, 18)
