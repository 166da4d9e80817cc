# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBuyerTour(HttpCase):
    """The buyer's path in a real browser: Inventory > Operations > Demand-Driven Rules (an
    automatic and a manual rule both listed), one rule's explanation and demand chart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warehouse = cls.env.ref("stock.warehouse0")
        vendor = cls.env["res.partner"].create({"name": "Tour Vendor"})
        products = cls.env["product.product"].create(
            [
                {
                    "name": name,
                    "is_storable": True,
                    "route_ids": [
                        Command.link(cls.env.ref("purchase_stock.route_warehouse0_buy").id)
                    ],
                    "seller_ids": [Command.create({"partner_id": vendor.id, "delay": 5})],
                }
                for name in ("Tour Chair", "Tour Manual Stapler")
            ]
        )
        customers = cls.env.ref("stock.stock_location_customers")
        moves = cls.env["stock.move"].create(
            [
                {
                    "product_id": products[0].id,
                    "product_uom_qty": 10.0 + days % 3,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": customers.id,
                }
                for days in range(1, 31)
            ]
        )
        moves._action_confirm()
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        moves._action_done()
        now = fields.Datetime.now()
        for days, move in enumerate(moves, start=1):
            move.date = now - timedelta(days=days)
        cls.rules = cls.env["stock.warehouse.orderpoint"].create(
            [
                {
                    "product_id": product.id,
                    "warehouse_id": warehouse.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "demand_driven": True,
                    "demand_history_days": 30,
                    "trigger": trigger,
                }
                for product, trigger in zip(products, ("auto", "manual"), strict=True)
            ]
        )
        cls.rules.action_recompute_demand()

    def test_buyer_reads_a_demand_driven_rule(self):
        self.assertEqual(self.rules[0].demand_state, "computed")
        self.start_tour("/odoo", "running_inventory_buyer_tour", login="admin")
