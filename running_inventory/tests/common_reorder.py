"""Factories for the demand-driven reorder rule tests: warehouses, products bought from a
vendor, done movements dated N days ago, stock on hand, rules.

Time is frozen at FROZEN_NOW (UTC, tz UTC in the context): "today" is 2025-06-30, the window of
a rule is the N days before it, and a movement "d days ago" is dated at 12:00 on that day.
"""

from datetime import date, datetime, timedelta

from odoo import Command
from odoo.tests import Form, TransactionCase

FROZEN_NOW = "2025-06-30 12:00:00"
TODAY = date(2025, 6, 30)
# The z of the default 95 % service level: NormalDist().inv_cdf(0.95).
Z_95 = 1.6448536269514722


def days_ago(days, hour=12, minute=0):
    """The datetime (UTC, naive) of ``days`` days before TODAY at ``hour``:``minute``."""
    return datetime.combine(TODAY - timedelta(days=days), datetime.min.time()).replace(
        hour=hour, minute=minute
    )


class DemandDrivenCase(TransactionCase):
    """A company with two warehouses, a vendor, customers and a production location."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, tz="UTC"))
        cls.company = cls.env.company
        # Odoo's lead time of a bought product is the vendor's delay plus the days to purchase.
        cls.company.days_to_purchase = 2
        cls.warehouse = cls._create_warehouse("Demand Warehouse 1", "DW1")
        cls.warehouse_2 = cls._create_warehouse("Demand Warehouse 2", "DW2")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.suppliers = cls.env.ref("stock.stock_location_suppliers")
        cls.production = cls.env["stock.location"].search(
            [("usage", "=", "production"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Demand Test Vendor"})
        cls.buy_route = cls.env.ref("purchase_stock.route_warehouse0_buy")
        cls.unit = cls.env.ref("uom.product_uom_unit")
        cls.dozen = cls.env.ref("uom.product_uom_dozen")
        cls.pack_6 = cls.env.ref("uom.product_uom_pack_6")

    @classmethod
    def _create_warehouse(cls, name, code):
        return cls.env["stock.warehouse"].create(
            {"name": name, "code": code, "company_id": cls.company.id}
        )

    @classmethod
    def _create_product(cls, name, delay=5, purchase_uom=None, vendor=True, packagings=None):
        """A storable product in Units, bought (buy route) from the test vendor."""
        vals = {
            "name": name,
            "is_storable": True,
            "route_ids": [Command.link(cls.buy_route.id)],
            "uom_ids": [Command.set((packagings or cls.env["uom.uom"]).ids)],
        }
        if vendor:
            vals["seller_ids"] = [
                Command.create(
                    {
                        "partner_id": cls.vendor.id,
                        "delay": delay,
                        "price": 10.0,
                        "product_uom_id": (purchase_uom or cls.unit).id,
                    }
                )
            ]
        return cls.env["product.product"].create(vals)

    @classmethod
    def _create_rule(cls, product, warehouse=None, **vals):
        """A demand-driven reorder rule on the warehouse's stock location."""
        warehouse = warehouse or cls.warehouse
        return cls.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": product.id,
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "demand_driven": True,
                **vals,
            }
        )

    @classmethod
    def _done_moves(cls, moves_vals):
        """Done movements from ``(product, source, destination, quantity, date)`` tuples (an
        optional sixth item is the unit, a seventh the move it returns). Odoo dates a move
        when it is done: the dates are written afterwards, as a user back-dating history."""
        moves = cls.env["stock.move"].create(
            [
                {
                    "product_id": product.id,
                    "product_uom": (rest[0] if rest else product.uom_id).id,
                    "product_uom_qty": quantity,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "origin_returned_move_id": rest[1].id if len(rest) > 1 else False,
                }
                for product, source, destination, quantity, _date, *rest in moves_vals
            ]
        )
        moves._action_confirm()
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        moves._action_done()
        for move, vals in zip(moves, moves_vals, strict=True):
            move.date = vals[4]
        return moves

    @classmethod
    def _deliver(cls, product, quantities, warehouse=None, uom=None):
        """Done deliveries to customers: ``quantities`` is ``{days ago: quantity}``."""
        source = (warehouse or cls.warehouse).lot_stock_id
        return cls._done_moves(
            [
                (product, source, cls.customers, quantity, days_ago(days), uom or product.uom_id)
                for days, quantity in quantities.items()
            ]
        )

    @classmethod
    def _deliver_picking(cls, product, quantity, days, warehouse=None):
        """A done delivery order (a picking, so that Odoo's return wizard can return it)."""
        warehouse = warehouse or cls.warehouse
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": cls.customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": cls.customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking._action_done()
        picking.move_ids.date = days_ago(days)
        return picking

    @classmethod
    def _return_picking(cls, picking, quantity, days):
        """Return ``quantity`` of a done delivery with Odoo's return wizard, done ``days`` ago."""
        wizard = Form(
            cls.env["stock.return.picking"].with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = quantity
        returned = cls.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = quantity
        returned.move_ids.picked = True
        returned._action_done()
        returned.move_ids.date = days_ago(days)
        return returned

    @classmethod
    def _set_on_hand(cls, product, quantity, warehouse=None):
        """Stock on hand through an inventory adjustment (Odoo's standard path)."""
        cls.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": product.id,
                "location_id": (warehouse or cls.warehouse).lot_stock_id.id,
                "inventory_quantity": quantity,
            }
        ).action_apply_inventory()

    def assertDemand(self, rule, state, add=None, sigma=None, minimum=None, maximum=None):
        """One assertion per figure of the rule's last computation."""
        self.assertEqual(rule.demand_state, state)
        if add is not None:
            self.assertAlmostEqual(rule.demand_add, add, places=2)
        if sigma is not None:
            self.assertAlmostEqual(rule.demand_stddev, sigma, places=2)
        if minimum is not None:
            self.assertEqual(rule.product_min_qty, minimum)
        if maximum is not None:
            self.assertEqual(rule.product_max_qty, maximum)
