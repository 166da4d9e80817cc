# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCountTour(HttpCase):
    """The counter's flow in a real browser: their Stock Counts app (they are no Inventory
    users), the session assigned to them, one typed count and three scans, Counting Done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {"name": "Tour Company", "count_threshold_quantity_percent": 50.0}
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)])
        cls.counter = new_test_user(
            cls.env,
            login="tour_counter",
            groups="base.group_user,running_inventory.group_inventory_counter",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        product = cls.env["product.product"]
        cls.apple = product.create({"name": "Tour Apple", "is_storable": True})
        cls.banana = product.create(
            {"name": "Tour Banana", "is_storable": True, "barcode": "TOUR-BANANA"}
        )
        quant = cls.env["stock.quant"]
        quant._update_available_quantity(cls.apple, cls.warehouse.lot_stock_id, 4)
        quant._update_available_quantity(cls.banana, cls.warehouse.lot_stock_id, 3)
        cls.count = cls.env["running.inventory.count"].create(
            {
                "name": "COUNT/TOUR",
                "warehouse_id": cls.warehouse.id,
                "counter_ids": [Command.set(cls.counter.ids)],
            }
        )
        cls.count.action_start()

    def test_counter_counts_from_the_inventory_menu(self):
        self.start_tour("/odoo", "running_inventory_count_tour", login="tour_counter")
        self.assertEqual(self.count.state, "counted")
        lines = self.count.sudo().line_ids
        self.assertEqual(
            {line.product_id: (line.quantity_counted, line.counter_id) for line in lines},
            {self.apple: (5.0, self.counter), self.banana: (3.0, self.counter)},
        )
        self.assertEqual(lines.mapped("quantity_expected"), [4.0, 3.0])
        self.assertEqual(lines.mapped("status"), ["counted", "counted"])
