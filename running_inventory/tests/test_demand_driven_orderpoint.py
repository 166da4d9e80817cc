"""Demand-driven min and max from deterministic histories, computed by hand in each test.

Notation: ADD is the average daily demand, sigma its population standard deviation over the
window's days, L the lead time in days, z the service level's quantile, SS the safety stock.
The company's days to purchase are 2, so a vendor's delay of d days gives L = d + 2.
"""

import math
from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common_reorder import FROZEN_NOW, TODAY, Z_95, DemandDrivenCase, days_ago

Z_99 = 2.3263478740408408


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestDemandDrivenOrderpoint(DemandDrivenCase):
    def test_constant_demand(self):
        """10 a day for the 90 days of the default window; today and day 91 are outside.

        ADD = 900 / 90 = 10, sigma = 0, L = 5 + 2 = 7, SS = z * 0 * sqrt(7) = 0
        min = 10 * 7 + 0 = 70; max = 70 + 10 * 7 (review period) = 140.
        On hand 150: 150 / 10 = 15 days of cover, stockout on 2025-07-15.
        """
        product = self._create_product("Constant", delay=5)
        history = {day: 10 for day in range(1, 91)}
        history.update({0: 100, 91: 100})
        self._deliver(product, history)
        self._set_on_hand(product, 150)
        rule = self._create_rule(product)
        self.assertEqual(rule.demand_history_days, 90)
        self.assertEqual(rule.demand_service_level, 95.0)

        rule.action_recompute_demand()

        self.assertDemand(rule, "computed", add=10.0, sigma=0.0, minimum=70.0, maximum=140.0)
        self.assertEqual(rule.demand_lead_days, 7.0)
        self.assertEqual(rule.demand_safety_stock, 0.0)
        self.assertEqual(rule.demand_zero_share, 0.0)
        self.assertEqual(rule.demand_days_of_cover, 15.0)
        self.assertEqual(rule.demand_stockout_date, TODAY + timedelta(days=15))
        explanation = rule.demand_explanation
        self.assertIn("900.00 Units delivered or consumed, 0.00 returned", explanation)
        self.assertIn("ADD = 900.00 / 90 = 10.00 Units/day", explanation)
        self.assertIn("Lead time L = 7.00 days", explanation)
        self.assertIn("z = 1.645", explanation)
        self.assertIn("Min = ADD × L + safety stock = 10.00 × 7.00 + 0.00 = 70.00", explanation)
        self.assertIn("Max = Min + ADD × review period = 70.00 + 10.00 × 7 = 140.00", explanation)

    def test_variable_demand(self):
        """15 on odd days ago, 5 on even ones, over a 10-day window; vendor's delay 2.

        ADD = (5 * 15 + 5 * 5) / 10 = 10; every day is 5 away from 10: sigma = 5. L = 2 + 2 = 4.
        95 %: SS = 1.6449 * 5 * sqrt(4) = 16.449; min = 10 * 4 + 16.449 = 56.449 -> 57;
              max = 57 + 10 * 5 = 107.
        99 %: SS = 2.3263 * 5 * 2 = 23.263; min = 63.263 -> 64; max = 64 + 50 = 114.
        Lead time sigma_L = 2 days at 95 %:
              SS = z * sqrt(L * sigma^2 + ADD^2 * sigma_L^2) = 1.6449 * sqrt(4 * 25 + 100 * 4)
                 = 1.6449 * sqrt(500) = 36.780; min = 76.780 -> 77; max = 77 + 50 = 127.
        """
        product = self._create_product("Variable", delay=2)
        self._deliver(product, {day: 15 if day % 2 else 5 for day in range(1, 11)})
        rule = self._create_rule(product, demand_history_days=10, demand_review_days=5)

        rule.action_recompute_demand()
        self.assertDemand(rule, "computed", add=10.0, sigma=5.0, minimum=57.0, maximum=107.0)
        self.assertAlmostEqual(rule.demand_safety_stock, Z_95 * 5 * 2, places=2)
        self.assertEqual(rule.demand_lead_days, 4.0)

        rule.demand_service_level = 99.0
        rule.action_recompute_demand()
        self.assertAlmostEqual(rule.demand_safety_stock, Z_99 * 5 * 2, places=2)
        self.assertDemand(rule, "computed", minimum=64.0, maximum=114.0)

        rule.write({"demand_service_level": 95.0, "demand_lead_days_stddev": 2.0})
        rule.action_recompute_demand()
        self.assertAlmostEqual(rule.demand_safety_stock, Z_95 * math.sqrt(500), places=2)
        self.assertDemand(rule, "computed", minimum=77.0, maximum=127.0)
        self.assertIn("Safety stock = z × √(L × σ² + ADD² × σL²)", rule.demand_explanation)

    def test_outliers_capped(self):
        """9 days of 10 and one day of 100 (4 days ago) over a 10-day window.

        Raw: mean = 190 / 10 = 19; squares: 9 * (10 - 19)^2 + (100 - 19)^2 = 729 + 6561 = 7290,
        sigma = sqrt(729) = 27.
        k = 4: cap = 19 + 4 * 27 = 127, nothing above it: ADD 19, sigma 27.
        k = 2: cap = 19 + 2 * 27 = 73: the 100 becomes 73. ADD = (90 + 73) / 10 = 16.3;
               squares: 9 * 6.3^2 + 56.7^2 = 357.21 + 3214.89 = 3572.1, sigma = sqrt(357.21) = 18.9.
        Lead time set on the rule: L = 9, sqrt(L) = 3.
        SS = 1.6449 * 18.9 * 3 = 93.263; min = 16.3 * 9 + 93.263 = 239.963 -> 240;
        max = 240 + 16.3 * 10 = 403.
        """
        product = self._create_product("Outliers", delay=30)
        self._deliver(product, {day: 100 if day == 4 else 10 for day in range(1, 11)})
        rule = self._create_rule(
            product,
            demand_history_days=10,
            demand_review_days=10,
            demand_outlier_k=4.0,
            demand_lead_days_manual=9.0,
        )

        rule.action_recompute_demand()
        self.assertDemand(rule, "computed", add=19.0, sigma=27.0)
        self.assertIn(
            "Outliers: none above mean + k × σ = 19.00 + 4.00 × 27.00", rule.demand_explanation
        )

        rule.demand_outlier_k = 2.0
        rule.action_recompute_demand()
        self.assertDemand(rule, "computed", add=16.3, sigma=18.9, minimum=240.0, maximum=403.0)
        self.assertEqual(rule.demand_lead_days, 9.0)
        self.assertAlmostEqual(rule.demand_safety_stock, Z_95 * 18.9 * 3, places=2)
        explanation = rule.demand_explanation
        self.assertIn("1 day(s) above mean + k × σ = 19.00 + 2.00 × 27.00 = 73.00", explanation)
        self.assertIn("ADD = 163.00 / 10 = 16.30", explanation)
        self.assertIn("Lead time L = 9.00 days, set on the rule.", explanation)

    def test_returns_netted_and_what_counts_as_demand(self):
        """Over a 10-day window, 10 delivered each day, and around it:

        - day 3's delivery (a picking) is returned by 4 with Odoo's wizard 1 day ago: counted
          on day 3, which nets 6;
        - a customer returns 2 without a return document 5 days ago: day 5 nets 8;
        - day 12's delivery is returned by 5 two days ago: it returns demand from outside the
          window and is ignored;
        - 3 are consumed by production 7 days ago: day 7 is 13;
        - moving 50 to a shelf of the warehouse, sending 30 to the other warehouse and
          receiving 200 from the vendor are no demand.
        Net = 100 + 3 - 4 - 2 = 97; ADD = 9.7.
        Squares around 9.7: 7 days of 10 give 7 * 0.09 = 0.63, day 3 (6) 13.69, day 5 (8) 2.89,
        day 7 (13) 10.89: 28.1 / 10 = 2.81, sigma = sqrt(2.81) = 1.676.
        """
        product = self._create_product("Returns", delay=5)
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": self.warehouse.lot_stock_id.id}
        )
        stock = self.warehouse.lot_stock_id
        self._deliver(product, {day: 10 for day in (1, 2, 4, 5, 6, 7, 8, 9, 10)})
        delivery_day_3 = self._deliver_picking(product, 10, days=3)
        delivery_day_12 = self._deliver_picking(product, 10, days=12)
        self._return_picking(delivery_day_3, 4, days=1)
        self._return_picking(delivery_day_12, 5, days=2)
        self._done_moves(
            [
                (product, self.customers, stock, 2, days_ago(5)),
                (product, stock, self.production, 3, days_ago(7)),
                (product, stock, shelf, 50, days_ago(4)),
                (product, stock, self.warehouse_2.lot_stock_id, 30, days_ago(6)),
                (product, self.suppliers, stock, 200, days_ago(8)),
            ]
        )
        rule = self._create_rule(product, demand_history_days=10)

        rule.action_recompute_demand()

        self.assertDemand(rule, "computed", add=9.7, sigma=math.sqrt(2.81))
        self.assertAlmostEqual(rule.demand_stddev, 1.68, places=2)
        self.assertIn(
            "103.00 Units delivered or consumed, 6.00 returned, net 97.00 Units",
            rule.demand_explanation,
        )

    def test_no_history_and_intermittent_keep_min_max(self):
        """No demand in the window, or demand on too few days: a state, no made-up numbers.

        "Intermittent" means more days without demand than the rule's threshold (50 % by
        default): 3 deliveries of 10 in a 10-day window leave 7 days of 10 (70 %) without.
        With the threshold at 80 %, the same history is computed: ADD = 30 / 10 = 3,
        squares 3 * 7^2 + 7 * 3^2 = 210, sigma = sqrt(21) = 4.583.
        """
        silent = self._create_product("Silent", delay=5)
        self._deliver(silent, {100: 50})  # outside the 90-day window
        self._done_moves([(silent, self.suppliers, self.warehouse.lot_stock_id, 40, days_ago(3))])
        sporadic = self._create_product("Sporadic", delay=5)
        self._deliver(sporadic, {2: 10, 5: 10, 9: 10})
        silent_rule = self._create_rule(silent, product_min_qty=3, product_max_qty=9)
        sporadic_rule = self._create_rule(
            sporadic, demand_history_days=10, product_min_qty=4, product_max_qty=12
        )
        (silent_rule | sporadic_rule).action_recompute_demand()

        self.assertDemand(silent_rule, "no_history", add=0.0, minimum=3.0, maximum=9.0)
        self.assertEqual(silent_rule.demand_days_of_cover, 0.0)
        self.assertFalse(silent_rule.demand_stockout_date)
        self.assertIn("No demand in the window", silent_rule.demand_explanation)
        self.assertDemand(sporadic_rule, "intermittent", add=3.0, minimum=4.0, maximum=12.0)
        self.assertEqual(sporadic_rule.demand_zero_share, 70.0)
        self.assertEqual(sporadic_rule.demand_safety_stock, 0.0)
        self.assertIn("Intermittent demand: 70.0 %", sporadic_rule.demand_explanation)

        sporadic_rule.demand_intermittent_share = 80.0
        sporadic_rule.action_recompute_demand()
        self.assertDemand(sporadic_rule, "computed", add=3.0, sigma=math.sqrt(21))

    def test_no_lead_time(self):
        """A bought product without vendor: Odoo would use 365 days; the rule says why instead."""
        product = self._create_product("No vendor", vendor=False)
        self._deliver(product, {day: 10 for day in range(1, 11)})
        rule = self._create_rule(
            product, demand_history_days=10, product_min_qty=1, product_max_qty=2
        )
        rule.action_recompute_demand()
        self.assertDemand(rule, "no_lead_time", add=10.0, minimum=1.0, maximum=2.0)
        self.assertIn("it has no vendor", rule.demand_explanation)

        # With a lead time set on the rule: min = 10 * 3 = 30, max = 30 + 10 * 7 = 100.
        rule.demand_lead_days_manual = 3.0
        rule.action_recompute_demand()
        self.assertDemand(rule, "computed", minimum=30.0, maximum=100.0)

    def test_stock_rules_computed_in_batch_are_odoos(self):
        """The stock rules the recomputation reads (``rule_ids``, computed by Odoo once for
        the whole batch) are those Odoo computes rule by rule: bought with or without vendor,
        through the warehouse's buy route (which Odoo keeps only for products with a vendor),
        a two-step reception, an explicit route."""
        self.warehouse_2.reception_steps = "two_steps"
        with_vendor = self._create_product("With vendor", delay=5)
        other_vendor = self._create_product("Other vendor", delay=9)
        without_vendor = self._create_product("Without vendor", vendor=False)
        (with_vendor | without_vendor).route_ids = False  # the warehouses' buy route only
        rules = self.env["stock.warehouse.orderpoint"].concat(
            *(
                self._create_rule(product, warehouse)
                for product in (with_vendor, other_vendor, without_vendor)
                for warehouse in (self.warehouse, self.warehouse_2)
            ),
            self._create_rule(self._create_product("Explicit route"), route_id=self.buy_route.id),
        )
        rules.invalidate_recordset(["rule_ids"])
        rules._recompute_demand_driven()
        in_batch = {rule: rule.rule_ids for rule in rules}
        for rule in rules:
            rule.invalidate_recordset(["rule_ids"])
            alone = self.env["stock.warehouse.orderpoint"].browse(rule.id)
            self.assertEqual(alone.rule_ids, in_batch[rule], rule.product_id.name)
        self.assertEqual(in_batch[rules[0]].mapped("action"), ["buy"])
        self.assertNotIn("buy", in_batch[rules[4]].mapped("action"))

    def test_units_and_packaging_rounding(self):
        """Deliveries in dozens of a product kept in units; bought by packs of 6.

        1 dozen a day = 12 units a day: ADD 12, sigma 0. L = 1 + 2 = 3: min = 36, rounded up to
        the rule's multiple of 5: 40. max = 40 + 12 * 6 = 112:
        - rounded up to the vendor's pack of 6: 114 (19 packs);
        - with the rule's Multiple set to the dozen: 120 (10 dozens).
        """
        product = self._create_product(
            "Dozens",
            delay=1,
            purchase_uom=self.pack_6,
            packagings=self.pack_6 | self.dozen,
        )
        self._deliver(product, {day: 1 for day in range(1, 11)}, uom=self.dozen)
        rule = self._create_rule(
            product, demand_history_days=10, demand_review_days=6, demand_rounding_multiple=5
        )

        rule.action_recompute_demand()
        self.assertDemand(rule, "computed", add=12.0, sigma=0.0, minimum=40.0, maximum=114.0)
        self.assertIn("rounded up to the packaging Pack of 6 (6.00 Units)", rule.demand_explanation)

        rule.replenishment_uom_id = self.dozen
        rule.action_recompute_demand()
        self.assertDemand(rule, "computed", minimum=40.0, maximum=120.0)

    def test_several_warehouses_in_one_read(self):
        """One product, one rule per warehouse, each with its own demand; one history query.

        Warehouse 1: 10 a day: ADD 10, sigma 0, L = 5 + 2 = 7: min = 70, max = 70 + 70 = 140.
        Warehouse 2: 15 and 5 on alternate days: ADD 10, sigma 5:
        SS = 1.6449 * 5 * sqrt(7) = 21.759; min = 70 + 21.759 = 91.759 -> 92; max = 92 + 70 = 162.
        The 25 moved from warehouse 1 to warehouse 2 are demand for neither.
        """
        product = self._create_product("Two warehouses", delay=5)
        self._deliver(product, {day: 10 for day in range(1, 11)})
        self._deliver(
            product, {day: 15 if day % 2 else 5 for day in range(1, 11)}, warehouse=self.warehouse_2
        )
        self._done_moves(
            [
                (
                    product,
                    self.warehouse.lot_stock_id,
                    self.warehouse_2.lot_stock_id,
                    25,
                    days_ago(3),
                )
            ]
        )
        rule_1 = self._create_rule(product, demand_history_days=10)
        rule_2 = self._create_rule(product, self.warehouse_2, demand_history_days=10)
        rules = rule_1 | rule_2
        self.env.flush_all()

        with self.assertQueryCount(1):
            history = rules._read_demand_history(TODAY)
        with self.assertQueryCount(1):
            rule_1._read_demand_history(TODAY)
        self.assertEqual(len(history[product.id, self.warehouse.id]), 10)
        self.assertEqual(history[product.id, self.warehouse_2.id][1], (15.0, 0.0))

        rules.action_recompute_demand()
        self.assertDemand(rule_1, "computed", add=10.0, sigma=0.0, minimum=70.0, maximum=140.0)
        self.assertDemand(rule_2, "computed", add=10.0, sigma=5.0, minimum=92.0, maximum=162.0)

    def test_days_follow_the_user_timezone(self):
        """A delivery at 23:30 UTC yesterday is today in Brussels (UTC+2 in summer).

        10 a day at noon for 10 days, plus 10 on 2025-06-29 at 23:30 UTC.
        In UTC that day has 20: ADD = 110 / 10 = 11. In Brussels it falls on today, outside the
        window: ADD = 100 / 10 = 10.
        """
        product = self._create_product("Timezone", delay=5)
        self._deliver(product, {day: 10 for day in range(1, 11)})
        self._done_moves(
            [
                (
                    product,
                    self.warehouse.lot_stock_id,
                    self.customers,
                    10,
                    days_ago(1, hour=23, minute=30),
                )
            ]
        )
        rule = self._create_rule(product, demand_history_days=10)
        rule.action_recompute_demand()
        self.assertDemand(rule, "computed", add=11.0)
        rule.with_context(tz="Europe/Brussels").action_recompute_demand()
        self.assertDemand(rule, "computed", add=10.0)

    def test_rules_not_demand_driven_are_never_touched(self):
        product = self._create_product("Manual and driven", delay=5)
        self._deliver(product, {day: 10 for day in range(1, 11)})
        driven = self._create_rule(product, demand_history_days=10)
        manual = self._create_rule(
            product, self.warehouse_2, demand_driven=False, product_min_qty=3, product_max_qty=9
        )
        (driven | manual).action_recompute_demand()
        self.assertEqual(driven.demand_state, "computed")
        self.assertEqual((manual.product_min_qty, manual.product_max_qty), (3.0, 9.0))
        self.assertEqual(manual.demand_state, "pending")
        self.assertFalse(manual.demand_computed_on)
        with self.assertRaises(UserError):
            manual.action_recompute_demand()

    def test_parameters_are_validated(self):
        product = self._create_product("Parameters")
        rule = self._create_rule(product)
        for field_name, value in (
            ("demand_history_days", 3),
            ("demand_service_level", 40.0),
            ("demand_service_level", 100.0),
            ("demand_review_days", -1),
            ("demand_outlier_k", -2.0),
            ("demand_intermittent_share", 120.0),
        ):
            with (
                self.subTest(field=field_name, value=value),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                rule.write({field_name: value})

    def test_form_makes_min_and_max_computed(self):
        """In the rule's form, a demand-driven rule's min and max are read-only."""
        product = self._create_product("Form")
        with Form(self.env["stock.warehouse.orderpoint"]) as form:
            form.product_id = product
            form.product_min_qty = 5
            form.product_max_qty = 10
            form.demand_driven = True
            form.demand_history_days = 30
            with self.assertRaises(AssertionError):
                form.product_min_qty = 6
        rule = form.record
        self.assertTrue(rule.demand_driven)
        self.assertEqual(rule.demand_history_days, 30)
