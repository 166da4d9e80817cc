from odoo import Command
from odoo.tests import Form, tagged

from odoo.addons.running_inventory.tests.common import PerpetualValuationCommon

from .common import ManufacturingFactories


@tagged("post_install", "-at_install")
class TestPerpetualManufacturing(ManufacturingFactories, PerpetualValuationCommon):
    """Components consumed: Dr WIP / Cr stock; goods produced: Dr stock / Cr WIP at Odoo's
    value; what WIP keeps for a done order goes to the production variance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.account_stock_valuation
        cls.wip = cls.company.account_production_wip_account_id
        cls.component = cls._create_product("average", name="Component")
        cls.finished_standard = cls._create_product(
            "standard", name="Standard table", standard_price=50.0
        )
        cls.finished_average = cls._create_product("average", name="Average table")

    def _bom(self, product, component_qty=2.0, **values):
        return self.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1.0,
                "bom_line_ids": [
                    Command.create({"product_id": self.component.id, "product_qty": component_qty})
                ],
                **values,
            }
        )

    def _wip_balance(self, production):
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.wip.id),
                ("parent_state", "=", "posted"),
                "|",
                (
                    "stock_move_id",
                    "in",
                    (production.move_raw_ids | production.move_finished_ids).ids,
                ),
                ("move_id", "=", production.valuation_variance_move_id.id),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)

    def _stock_components(self):
        order = self._purchase(self.component, 10, 11.0)
        self._receive(order)
        self._bill(order)
        return order

    def test_standard_cost_order_variance(self):
        """The issue's case: 2 components at 11 make a table at a standard 50. WIP would
        keep -28; the production variance takes it."""
        order = self._stock_components()
        production = self._produce(self._bom(self.finished_standard), 1)
        self.assertMovementEntry(
            production.move_raw_ids, [(self.wip, 22, 0, 2), (self.stock, 0, 22, -2)]
        )
        self.assertMovementEntry(
            production.move_finished_ids, [(self.stock, 50, 0, 1), (self.wip, 0, 50, -1)]
        )
        self.assertLines(
            production.valuation_variance_move_id.line_ids,
            [(self.wip, 28, 0, 0), (self.account_price_diff, 0, 28, 0)],
        )
        self.assertEqual(self._wip_balance(production), 0)
        self.assertBooksHold(self.component | self.finished_standard, order.order_line)
        # Posted once: the order's posting again finds nothing left on WIP.
        variance = production.valuation_variance_move_id
        production._post_perpetual_production_variance()
        self.assertEqual(production.valuation_variance_move_id, variance)

    def test_average_cost_order_clears_wip_without_variance(self):
        order = self._stock_components()
        production = self._produce(self._bom(self.finished_average), 2)
        self.assertMovementEntry(
            production.move_raw_ids, [(self.wip, 44, 0, 4), (self.stock, 0, 44, -4)]
        )
        self.assertMovementEntry(
            production.move_finished_ids, [(self.stock, 44, 0, 2), (self.wip, 0, 44, -2)]
        )
        self.assertFalse(production.valuation_variance_move_id)
        self.assertEqual(self._wip_balance(production), 0)
        self.assertBooksHold(self.component | self.finished_average, order.order_line)

    def test_unbuild_reverses_the_order(self):
        order = self._stock_components()
        production = self._produce(self._bom(self.finished_standard), 1)
        unbuild = self.env["mrp.unbuild"].create(
            {"product_id": self.finished_standard.id, "mo_id": production.id, "product_qty": 1}
        )
        with self._moment():
            unbuild.action_unbuild()
        self.assertEqual(unbuild.state, "done")
        # Odoo links both the finished goods taken and the components given back on unbuild_id.
        moves = unbuild.produce_line_ids
        consumed = moves.filtered(lambda m: m.product_id == self.finished_standard)
        self.assertMovementEntry(consumed, [(self.wip, 50, 0, 1), (self.stock, 0, 50, -1)])
        self.assertMovementEntry(moves - consumed, [(self.stock, 22, 0, 2), (self.wip, 0, 22, -2)])
        self.assertLines(
            unbuild.valuation_variance_move_id.line_ids,
            [(self.wip, 0, 28, 0), (self.account_price_diff, 28, 0, 0)],
        )
        wip = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.wip.id),
                ("parent_state", "=", "posted"),
                ("product_id", "in", (self.component | self.finished_standard).ids),
            ]
        )
        self.assertEqual(round(sum(wip.mapped("balance")), 2), 0)
        self.assertEqual(self.component.qty_available, 10)
        self.assertBooksHold(self.component | self.finished_standard, order.order_line)

    def test_kit_sold_posts_per_component(self):
        """A kit (phantom bill of materials) delivers its components: each posts Dr GDNI /
        Cr stock at its cost; the invoice's cost of goods sold is their delivered cost."""
        order = self._stock_components()
        # Odoo values a storable kit's "stock" (what its components could make) at the kit's
        # own cost in its closing: a kit carries no cost of its own.
        kit = self._create_product("average", name="Kit", standard_price=0.0)
        self._bom(kit, component_qty=3.0, type="phantom")
        sale = self._sell(kit, 2)
        picking = self._deliver(sale)
        self.assertEqual(picking.move_ids.product_id, self.component)
        self.assertMovementEntry(
            picking.move_ids, [(self.account_gdni, 66, 0, 6), (self.stock, 0, 66, -6)]
        )
        invoice = self._invoice(sale)
        self.assertLines(
            invoice.line_ids.filtered(lambda line: line.display_type == "cogs"),
            [(self.account_cogs, 66, 0, 2), (self.account_gdni, 0, 66, -2)],
        )
        self.assertEqual(
            self._interim_balance(self.account_gdni, interim_sale_line_id=sale.order_line), 0
        )
        # A kit holds no stock of its own (Odoo's figure for it is its components'), so the
        # books are checked on the components.
        self.assertBooksHold(self.component, order.order_line, sale.order_line)

    def test_kit_with_a_cost_of_its_own_is_not_valued_beside_its_components(self):
        """A kit given a cost of 25: Odoo values what its 10 components could make (3 kits)
        at that cost; in the perpetual mode its stock is its components' alone, and Odoo's
        closing proposes nothing for the kit."""
        order = self._stock_components()
        kit = self._create_product("average", name="Kit with a cost", standard_price=25.0)
        self._bom(kit, component_qty=3.0, type="phantom")
        self.assertEqual(kit.qty_available, 3)
        self.assertNotIn(kit, self.company._get_accounts_by_product())
        self.assertBooksHold(self.component, order.order_line)

    def test_by_product_takes_its_cost_share(self):
        """A by-product with a 25% cost share: finished goods and by-product both enter stock
        against WIP at Odoo's values, which clears WIP."""
        order = self._stock_components()
        by_product = self._create_product("average", name="Offcut")
        bom = self._bom(self.finished_average)
        bom.byproduct_ids = [
            Command.create({"product_id": by_product.id, "product_qty": 1.0, "cost_share": 25.0})
        ]
        production = self._produce(bom, 2)
        entry = self.assertMovementEntry(
            production.move_finished_ids,
            [
                (self.stock, 33, 0, 2),
                (self.wip, 0, 33, -2),
                (self.stock, 11, 0, 2),
                (self.wip, 0, 11, -2),
            ],
        )
        self.assertEqual(
            entry.line_ids.filtered(lambda line: line.balance == 11).product_id, by_product
        )
        self.assertFalse(production.valuation_variance_move_id)
        self.assertEqual(self._wip_balance(production), 0)
        self.assertBooksHold(self.component | self.finished_average | by_product, order.order_line)

    def test_scrap_during_an_order(self):
        """A component scrapped from an order in progress posts as a scrap (Dr scrap / Cr
        stock), not on WIP; the order still clears WIP."""
        order = self._stock_components()
        bom = self._bom(self.finished_average)
        form = Form(self.env["mrp.production"])
        form.product_id = self.finished_average
        form.bom_id = bom
        form.product_qty = 1
        production = form.save()
        production.action_confirm()
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.component.id,
                "scrap_qty": 1,
                "production_id": production.id,
                "location_id": production.location_src_id.id,
                "company_id": self.company.id,
            }
        )
        with self._moment():
            scrap.action_validate()
        self.assertMovementEntry(
            scrap.move_ids,
            [(self.account_gain_loss, 11, 0, 1), (self.stock, 0, 11, -1)],
        )
        with Form(production) as form:
            form.qty_producing = 1
        production.move_raw_ids.filtered(lambda m: m.state != "done").picked = True
        with self._moment():
            production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertEqual(self._wip_balance(production), 0)
        self.assertFalse(production.valuation_variance_move_id)
        self.assertBooksHold(self.component | self.finished_average, order.order_line)
