"""Issue 11 bounds of demand-driven rules, and the cron's batches (issue 12).

Every product sells 10 a day over a 10-day window and is bought with a 5-day delay plus 2 days
to purchase: L = 7, min = 70, max = 140 (see test_demand_driven_scheduler.py).
"""

import math

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from .common_reorder import FROZEN_NOW, DemandDrivenCase

HOSTILE_FLOATS = (math.nan, math.inf, -math.inf, 1e300)


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestDemandBounds(DemandDrivenCase):
    @classmethod
    def _create_selling_product(cls, name):
        product = cls._create_product(name, delay=5)
        cls._deliver(product, {day: 10 for day in range(1, 11)})
        return product

    def _assert_refused(self, rule, field_name, value):
        with (
            self.subTest(field=field_name, value=value),
            self.assertRaises(ValidationError) as error,
            self.env.cr.savepoint(),
        ):
            rule.write({field_name: value})
        label = rule._fields[field_name].string
        self.assertIn(label, str(error.exception))
        self.assertRegex(str(error.exception), "must be a (finite )?number")

    def test_non_finite_and_absurd_numbers_are_refused_at_write(self):
        rule = self._create_rule(self._create_product("Hostile"))
        for field_name in (
            "demand_service_level",
            "demand_lead_days_manual",
            "demand_lead_days_stddev",
            "demand_outlier_k",
            "demand_intermittent_share",
            "demand_rounding_multiple",
        ):
            for value in HOSTILE_FLOATS:
                self._assert_refused(rule, field_name, value)
        for field_name, value in (
            ("demand_history_days", 3651),
            ("demand_history_days", 1_000_000),
            ("demand_history_days", 6),
            ("demand_review_days", 366),
            ("demand_review_days", -1),
            ("demand_lead_days_manual", 366.0),
            ("demand_lead_days_manual", -0.5),
            ("demand_service_level", 0.5),
            ("demand_service_level", 100.0),
            ("demand_intermittent_share", 100.5),
        ):
            self._assert_refused(rule, field_name, value)
        rule.invalidate_recordset()
        self.assertEqual(rule.demand_history_days, 90)
        self.assertEqual(rule.demand_service_level, 95.0)

    def test_create_is_refused_too(self):
        product = self._create_product("Hostile create")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._create_rule(product, demand_history_days=1_000_000)
        self.assertFalse(
            self.env["stock.warehouse.orderpoint"].search([("product_id", "=", product.id)])
        )

    def test_the_bounds_themselves_are_accepted(self):
        rule = self._create_rule(self._create_selling_product("Edges"))
        rule.write(
            {
                "demand_history_days": 3650,
                "demand_review_days": 365,
                "demand_lead_days_manual": 365.0,
                "demand_lead_days_stddev": 365.0,
                "demand_service_level": 99.99,
            }
        )
        rule.action_recompute_demand()
        self.assertEqual(rule.demand_state, "intermittent")  # 10 days of 3650 sell
        rule.write({"demand_history_days": 7, "demand_service_level": 50.0})
        rule.action_recompute_demand()
        self.assertEqual(rule.demand_state, "computed")
        self.assertEqual(rule.demand_safety_stock, 0.0)  # z = 0 at 50 %, sigma 0

    def _store_bypassing_bounds(self, rule, column, value):
        """A rule stored before the bounds existed (or by another program), through SQL."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_warehouse_orderpoint SET %s = %s WHERE id = %s",
                SQL.identifier(column),
                value,
                rule.id,
            )
        )
        rule.invalidate_recordset()

    def _run_cron(self, batch_size, **context):
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            orderpoints = self.env(cr=cr, context=dict(self.env.context, **context))
            orderpoints["stock.warehouse.orderpoint"]._cron_recompute_demand_driven(
                batch_size=batch_size
            )
        self.env.invalidate_all()

    def test_cron_skips_a_bad_rule_and_recomputes_the_rest(self):
        """A window of 1,000,000 days (out of the dates Python has) and a NaN service level,
        stored before the bounds existed: both are logged and left; the batch's others are
        recomputed, and the cron ends (it does not loop on the bad rules)."""
        rules = self.env["stock.warehouse.orderpoint"].concat(
            *(
                self._create_rule(
                    self._create_selling_product(f"Batch {i}"), demand_history_days=10
                )
                for i in range(4)
            )
        )
        self._store_bypassing_bounds(rules[1], "demand_history_days", 1_000_000)
        self._store_bypassing_bounds(rules[2], "demand_service_level", math.nan)
        with self.assertLogs(
            "odoo.addons.running_inventory.models.stock_warehouse_orderpoint", "WARNING"
        ) as logs:
            self._run_cron(batch_size=10)
        self.assertEqual(len(logs.records), 2)
        self.assertIn(f"rule {rules[1].id} not recomputed", logs.output[0])
        for rule in rules[0] | rules[3]:
            self.assertDemand(rule, "computed", minimum=70.0, maximum=140.0)
        for rule in rules[1] | rules[2]:
            self.assertEqual(rule.demand_state, "pending")
            self.assertFalse(rule.demand_computed_on)

    def test_cron_cut_short_resumes_without_doing_a_batch_twice(self):
        """Five rules, batches of two, and a run whose time is up after its first batch: it
        stops there, committed. The next run does the three others only: the first batch's
        rules, whose min is changed by hand in between, keep that min."""
        rules = self.env["stock.warehouse.orderpoint"].concat(
            *(
                self._create_rule(
                    self._create_selling_product(f"Resume {i}"), demand_history_days=10
                )
                for i in range(5)
            )
        )
        cron = self.env.ref("running_inventory.ir_cron_recompute_demand_driven_orderpoint")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0})
        self.env.flush_all()
        self._run_cron(
            batch_size=2, ir_cron_progress_id=progress.id, cron_id=cron.id, cron_end_time=0.0
        )
        first = rules.filtered(lambda rule: rule.demand_state == "computed")
        self.assertEqual(first, rules[:2])  # by id: the first batch, and only it
        self.assertEqual((progress.done, progress.remaining), (2, 3))

        first.with_context(tracking_disable=True).write({"product_min_qty": 1.0})
        self.env.flush_all()
        self._run_cron(batch_size=2)
        for rule in rules[2:]:
            self.assertDemand(rule, "computed", minimum=70.0, maximum=140.0)
        for rule in first:
            self.assertEqual(rule.product_min_qty, 1.0)
