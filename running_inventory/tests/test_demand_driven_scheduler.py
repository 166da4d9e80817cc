"""Odoo orders from the computed min and max; the cron, the chatter and the access rights.

Every product sells 10 a day over a 10-day window (ADD 10, sigma 0) and is bought from a vendor
with a 5-day delay; the company's days to purchase are 2: L = 7, min = 10 * 7 = 70, and with the
default 7-day review period max = 70 + 10 * 7 = 140.
"""

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common_reorder import FROZEN_NOW, DemandDrivenCase, days_ago


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestDemandDrivenScheduler(DemandDrivenCase):
    @classmethod
    def _create_selling_product(cls, name, on_hand, **product_vals):
        product = cls._create_product(name, delay=5, **product_vals)
        cls._deliver(product, {day: 10 for day in range(1, 11)})
        cls._set_on_hand(product, on_hand)
        return product

    def _purchase_lines(self, product):
        return self.env["purchase.order.line"].search([("product_id", "=", product.id)])

    def test_scheduler_orders_up_to_the_computed_max(self):
        """An automatic rule, run by the scheduler's procurement of orderpoints.

        Bought by packs of 6: max = 140 rounded up to the pack: 144. min = 70.
        On hand 20 and a delivery of 15 planned tomorrow: Odoo's forecast is 20 - 15 = 5,
        below the min, so Odoo orders max - forecast = 144 - 5 = 139, rounded up to its
        purchase unit: 24 packs of 6 = 144 units.
        """
        product = self._create_selling_product("Scheduled", 20, purchase_uom=self.pack_6)
        planned = self.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": 15,
                "location_id": self.warehouse.lot_stock_id.id,
                "location_dest_id": self.customers.id,
                "date": days_ago(-1),
            }
        )
        planned._action_confirm()
        rule = self._create_rule(product, demand_history_days=10, trigger="auto")
        rule.action_recompute_demand()
        self.assertDemand(rule, "computed", minimum=70.0, maximum=144.0)
        self.assertEqual(rule.qty_forecast, 5.0)

        rule._procure_orderpoint_confirm(company_id=self.company)

        line = self._purchase_lines(product)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.order_id.partner_id, self.vendor)
        self.assertEqual(line.order_id.origin, rule.name)
        self.assertEqual(line.product_uom_id, self.pack_6)
        self.assertEqual(line.product_qty, 24.0)
        self.assertEqual(line.product_uom_qty, 144.0)
        self.assertEqual(line.order_id.state, "draft")

    def test_replenishment_order_button(self):
        """Manual rules ordered from the replenishment screen.

        On hand 60 is below the min of 70: Odoo orders 140 - 60 = 80 units.
        On hand 100 is above it: nothing to order.
        """
        short = self._create_selling_product("Short", 60)
        enough = self._create_selling_product("Enough", 100)
        short_rule = self._create_rule(short, demand_history_days=10, trigger="manual")
        enough_rule = self._create_rule(enough, demand_history_days=10, trigger="manual")
        (short_rule | enough_rule).action_recompute_demand()
        self.assertDemand(short_rule, "computed", minimum=70.0, maximum=140.0)
        self.assertEqual(short_rule.qty_to_order, 80.0)
        self.assertEqual(enough_rule.qty_to_order, 0.0)
        # 60 / 10 = 6 days of cover, less than the 7 days an order placed today takes.
        self.assertEqual(short_rule.demand_days_of_cover, 6.0)
        self.assertTrue(short_rule.demand_stockout_risk)
        self.assertFalse(enough_rule.demand_stockout_risk)

        short_rule.action_replenish()

        self.assertEqual(self._purchase_lines(short).product_qty, 80.0)
        self.assertFalse(self._purchase_lines(enough))

    def test_cron_recomputes_every_rule_once_a_day_in_batches(self):
        products = [self._create_selling_product(f"Cron {index}", 0) for index in range(3)]
        rules = self.env["stock.warehouse.orderpoint"].concat(
            *(self._create_rule(product, demand_history_days=10) for product in products)
        )
        manual = self._create_rule(
            products[0], self.warehouse_2, demand_driven=False, product_min_qty=1, product_max_qty=2
        )
        self.env.flush_all()

        # The cron commits after each batch: run it on a test cursor, as Odoo's cron tests do.
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            orderpoints = self.env(cr=cr)["stock.warehouse.orderpoint"]
            orderpoints._cron_recompute_demand_driven(batch_size=2)
            self.assertFalse(orderpoints.search(orderpoints._get_demand_recompute_domain()))
        self.env.invalidate_all()

        for rule in rules:
            self.assertDemand(rule, "computed", minimum=70.0, maximum=140.0)
        self.assertEqual(manual.demand_state, "pending")
        self.assertEqual(manual.product_min_qty, 1.0)

    def test_chatter_logs_each_change_of_min_and_max(self):
        product = self._create_selling_product("Chatter", 0)
        rule = self._create_rule(product, demand_history_days=10)
        template = product.product_tmpl_id

        def notes():
            return template.message_ids.filtered(lambda m: "Reorder rule" in str(m.body))

        rule.action_recompute_demand()
        self.assertEqual(len(notes()), 1)
        self.assertIn("min 0.00 → 70.00, max 0.00 → 140.00 Units.", notes().body)
        self.assertIn("Recomputed from demand: ADD 10.00/day", notes().body)

        rule.action_recompute_demand()  # same demand, same min and max: nothing to log
        self.assertEqual(len(notes()), 1)

        rule.write({"demand_driven": False})
        rule.write({"product_min_qty": 50})
        self.assertEqual(len(notes()), 2)
        self.assertIn("min 70.00 → 50.00, max 140.00 → 140.00 Units.", notes()[0].body)
        self.assertNotIn("Recomputed", notes()[0].body)

    def test_only_inventory_managers_recompute(self):
        product = self._create_selling_product("Rights", 0)
        rule = self._create_rule(product, demand_history_days=10)
        stock_user = self.env["res.users"].create(
            {
                "name": "Stock User",
                "login": "demand_stock_user",
                "group_ids": [(6, 0, self.env.ref("stock.group_stock_user").ids)],
            }
        )
        stock_manager = self.env["res.users"].create(
            {
                "name": "Stock Manager",
                "login": "demand_stock_manager",
                "group_ids": [(6, 0, self.env.ref("stock.group_stock_manager").ids)],
            }
        )
        with self.assertRaises(AccessError):
            rule.with_user(stock_user).action_recompute_demand()
        self.assertEqual(rule.demand_state, "pending")

        rule.with_user(stock_manager).action_recompute_demand()
        self.assertDemand(rule, "computed", minimum=70.0, maximum=140.0)
