"""The demand chart of a demand-driven rule: the data the widget draws, from known histories,
and the rule's form that shows it."""

from lxml import etree

from odoo.tests import Form, freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common_reorder import FROZEN_NOW, DemandDrivenCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestDemandChart(DemandDrivenCase):
    def test_daily_chart_of_a_short_window(self):
        """A 7-day window (2025-06-23 .. 2025-06-29): one bar per day, oldest first; a return
        of 3 of day 2's delivery nets it (8 - 3 = 5); today and day 8 are outside the window.

        4 days of 7 without demand: intermittent above 80 % so that min and max are computed.
        ADD = 15 / 7 = 2.142857, sigma = sqrt(44.857 / 7) = 2.5314, L = 5 + 2 = 7,
        SS = 1.6449 * 2.5314 * sqrt(7) = 11.017: min = 15 + 11.017 -> 27, max = 27 + 15 = 42.
        """
        product = self._create_product("Charted Daily", delay=5)
        delivery = self._deliver_picking(product, 8, days=2)
        self._return_picking(delivery, 3, days=1)
        self._deliver(product, {3: 6, 1: 4, 0: 50, 8: 50})
        rule = self._create_rule(product, demand_history_days=7, demand_intermittent_share=80.0)
        rule.action_recompute_demand()

        chart = rule.demand_chart
        self.assertEqual(chart["period"], "day")
        self.assertEqual(
            chart["labels"],
            [
                "2025-06-23",
                "2025-06-24",
                "2025-06-25",
                "2025-06-26",
                "2025-06-27",
                "2025-06-28",
                "2025-06-29",
            ],
        )
        self.assertEqual(chart["demand"], [0.0, 0.0, 0.0, 0.0, 6.0, 5.0, 4.0])
        self.assertEqual((rule.product_min_qty, rule.product_max_qty), (27.0, 42.0))
        self.assertEqual((chart["min"], chart["max"]), (27.0, 42.0))

    def test_weekly_chart_of_the_default_window(self):
        """The default 90-day window is charted in 13 weeks: 12 full weeks ending yesterday
        and, oldest, the 6 days 85..90 days ago (2025-04-01 .. 2025-04-06).

        10 a day every day: a full week is 70, the oldest bucket 60. Day 91 is outside.
        ADD = 10, sigma = 0, L = 7: min = 70, max = 70 + 10 * 7 = 140.
        """
        product = self._create_product("Charted Weekly", delay=5)
        history = {day: 10 for day in range(1, 92)}
        self._deliver(product, history)
        rule = self._create_rule(product)
        rule.action_recompute_demand()

        chart = rule.demand_chart
        self.assertEqual(chart["period"], "week")
        self.assertEqual(len(chart["labels"]), 13)
        self.assertEqual(chart["labels"][0], "2025-04-01")
        self.assertEqual(chart["labels"][1], "2025-04-07")
        self.assertEqual(chart["labels"][-1], "2025-06-23")
        self.assertEqual(chart["demand"], [60.0] + [70.0] * 12)
        self.assertEqual((chart["min"], chart["max"]), (70.0, 140.0))

    def test_not_demand_driven_has_no_chart(self):
        product = self._create_product("Not Charted")
        self._deliver(product, {1: 5})
        rule = self._create_rule(product, demand_driven=False)
        self.assertFalse(rule.demand_chart)

    def test_charts_of_several_rules_in_one_query(self):
        """The chart of many rules reads their history once, not once per rule."""
        products = [self._create_product(f"Charted {index}") for index in range(3)]
        for index, product in enumerate(products):
            self._deliver(product, {1: index + 1})
        rules = self.env["stock.warehouse.orderpoint"].concat(
            *(self._create_rule(product, demand_history_days=7) for product in products)
        )
        rules.invalidate_recordset(["demand_chart"])
        with self.assertQueryCount(__system__=1):
            charts = [rule.demand_chart for rule in rules]
        self.assertEqual([chart["demand"][-1] for chart in charts], [1.0, 2.0, 3.0])

    def test_form_shows_the_chart(self):
        """The rule's form (with the demand-chart widget) loads and carries the chart."""
        product = self._create_product("Charted Form")
        self._deliver(product, {1: 5})
        rule = self._create_rule(product, demand_history_days=7)
        form = Form(rule, view="stock.view_warehouse_orderpoint_form")
        self.assertEqual(form.demand_chart["demand"][-1], 5.0)
        arch = self.env["stock.warehouse.orderpoint"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('widget="running_inventory_demand_chart"', arch)

    def test_demand_driven_action_shows_every_rule(self):
        """Our action opens on the demand-driven rules, manual and automatic, to reorder or not."""
        manual = self._create_rule(self._create_product("Manual"), trigger="manual")
        auto = self._create_rule(self._create_product("Auto"), trigger="auto")
        self._create_rule(self._create_product("Classic"), demand_driven=False)
        action = self.env.ref("running_inventory.stock_warehouse_orderpoint_action_demand_driven")
        self.assertEqual(action.context, "{'search_default_filter_demand_driven': 1}")
        search = self.env["stock.warehouse.orderpoint"].get_views(
            [(action.search_view_id.id, "search")]
        )["views"]["search"]["arch"]
        domain = (
            etree.fromstring(search)
            .xpath("//filter[@name='filter_demand_driven']")[0]
            .get("domain")
        )
        found = self.env["stock.warehouse.orderpoint"].search(
            safe_eval(domain) + [("warehouse_id", "=", self.warehouse.id)]
        )
        self.assertEqual(found, manual | auto)
