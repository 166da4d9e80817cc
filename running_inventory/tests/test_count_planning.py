# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common_counts import RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountPlanning(RunningInventoryCountCommon):
    """ABC classes from a generated year of consumption, and the sessions the plan proposes.

    At a cost of 10, products 1 to 5 consumed 500, 300, 100, 60 and 40 in the last months
    (total 1000): 1 and 2 make the first 80 % (A), 3 and 4 the next 15 % (B), 5 the rest (C).
    Product 6 was consumed 14 months ago only, product 7 moved inside the warehouse and 8 was
    written off by an inventory adjustment: none of that is consumption, they are C.
    Product 9 consumed everything it had, at no cost: C, and out of stock.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.p = {n: cls._create_product(f"Product {n}", cost=10.0) for n in range(1, 9)}
        cls.p[9] = cls._create_product("Product 9", cost=0.0)
        for product in cls.p.values():
            cls._receive(product, 100, cls.shelf_1, date=cls._months_ago(15))
        for n, quantity, months_ago in (
            (1, 30, 5), (1, 20, 2), (2, 30, 4), (3, 10, 6), (4, 6, 8), (5, 4, 1), (9, 100, 2)
        ):  # fmt: skip
            cls._deliver(cls.p[n], quantity, cls.shelf_1, date=cls._months_ago(months_ago))
        cls._deliver(cls.p[6], 100, cls.shelf_1, date=cls._months_ago(14))
        cls._receive(cls.p[6], 10, cls.shelf_1)
        cls._move(cls.p[7], 50, cls.shelf_1, cls.shelf_2, date=cls._months_ago(2))
        inventory_loss = cls.p[8].with_company(cls.company).property_stock_inventory
        cls._move(cls.p[8], 50, cls.shelf_1, inventory_loss, date=cls._months_ago(2))
        # Product 1 is also on shelf 2: it makes two lines.
        cls._move(cls.p[1], 5, cls.shelf_1, cls.shelf_2)
        form = Form(cls.env["running.inventory.count.plan"].with_user(cls.auditor_1))
        form.warehouse_id = cls.warehouse
        form.counter_ids.add(cls.counter_1)
        cls.plan = form.save()

    def _classes(self):
        return {
            cls.product_id: cls.abc_class
            for cls in self.plan.classification_ids
            if cls.product_id in self.p.values()
        }

    def _counted_history(self, days_ago_by_product):
        """Approved counts of these products, `days` ago, as the planner finds them."""
        count = (
            self.env["running.inventory.count"]
            .sudo()
            .create(
                {
                    "warehouse_id": self.warehouse.id,
                    "location_ids": [(6, 0, self.plan.location_ids.ids)],
                    "product_ids": [(6, 0, [product.id for product in days_ago_by_product])],
                }
            )
        )
        count.action_start()
        now = fields.Datetime.now()
        for line in count.line_ids:
            line.date_counted = now - timedelta(days=days_ago_by_product[line.product_id])
        count.state = "done"
        return count

    def test_abc_classes_from_history(self):
        self.plan.with_user(self.auditor_1).action_compute_abc_classification()
        p = self.p
        self.assertEqual(
            self._classes(),
            {p[1]: "a", p[2]: "a", p[3]: "b", p[4]: "b", p[5]: "c", p[6]: "c", p[7]: "c",
             p[8]: "c", p[9]: "c"},
        )  # fmt: skip
        first = self.plan.classification_ids[0]
        self.assertRecordValues(
            first,
            [{"product_id": p[1].id, "rank": 1, "consumption_value": 500.0,
              "value_percent": 50.0, "cumulative_percent": 50.0}],
        )  # fmt: skip
        self.assertTrue(self.plan.abc_date)
        self.assertEqual(set(self.plan.classification_ids.mapped("date")), {self.plan.abc_date})

    def test_abc_thresholds_are_configurable(self):
        self.plan.write({"abc_percent_a": 50.0, "abc_percent_b": 45.0, "abc_months": 3})
        self.plan._compute_abc_classification()
        p = self.p
        # Three months back: product 1 sold 20 (200), product 5 sold 4 (40); the rest is older.
        # 5 comes after 83 % of the value: B when A is 50 % and B 45 %.
        classes = self._classes()
        self.assertEqual((classes[p[1]], classes[p[5]], classes[p[2]]), ("a", "b", "c"))
        with self.assertRaises(ValidationError):
            self.plan.abc_percent_b = 60.0

    def test_first_proposal_takes_each_class_daily_share(self):
        """Never counted: A (2 products, every 30 days), B (2, 90) and C (5 stocked, 365) each
        give ceil(size / frequency) = 1 product a day, the best ranked first."""
        counts = self.plan.with_user(self.auditor_1).action_propose_counts()
        counts = self.env["running.inventory.count"].search(counts["domain"])
        self.assertEqual(len(counts), 1)
        self.assertEqual(counts.product_ids, self.p[1] | self.p[3] | self.p[5])
        self.assertRecordValues(
            counts,
            [{"plan_id": self.plan.id, "warehouse_id": self.warehouse.id, "state": "draft",
              "blind": True, "date_due": fields.Date.context_today(self.plan)}],
        )  # fmt: skip
        self.assertEqual(counts.counter_ids, self.counter_1)
        # The next run leaves the open session's products alone.
        second = self.plan._propose_counts()
        self.assertEqual(second.product_ids, self.p[2] | self.p[4] | self.p[6])

    def test_due_products_follow_the_last_counts(self):
        p = self.p
        self._counted_history({p[1]: 40, p[2]: 10, p[3]: 100, p[5]: 400})
        self.plan._compute_abc_classification()
        # A: 1 is overdue (40 > 30), 2 is not. B: 4 was never counted, it goes before 3.
        # C: 6, never counted, goes before 5 (counted 400 days ago).
        self.assertEqual(self.plan._get_due_products(), p[1] | p[4] | p[6])
        self.plan.frequency_a = 50
        self.assertEqual(self.plan._get_due_products(), p[4] | p[6])

    def test_sessions_split_by_lines_never_by_product(self):
        self.plan.write({"max_lines": 2, "frequency_c": 1})
        self.plan._compute_abc_classification()
        counts = self.plan._propose_counts()
        # Products 1 and 7, on both shelves, fill a session each; C is all due at one day.
        self.assertEqual(
            [count.product_ids for count in counts],
            [self.p[1], self.p[3] | self.p[5], self.p[6], self.p[7], self.p[8]],
        )
        counts.action_start()
        for count in counts:
            keys = [(line.product_id, line.location_id) for line in count.line_ids]
            self.assertEqual(len(keys), len(set(keys)), "a product is counted once per location")
            self.assertLessEqual(len(count.line_ids), 2)

    def test_zero_stock_confirmation(self):
        self.plan.write({"frequency_c": 1})
        self.plan._compute_abc_classification()
        self.assertNotIn(self.p[9], self.plan._get_due_products(), "out of stock: not counted")
        self.plan.include_zero_stock = True
        counts = self.plan._propose_counts()
        count = counts.filtered(lambda count: self.p[9] in count.product_ids)
        self.assertTrue(count.include_zero_stock)
        count.action_start()
        line = self._line(count, self.p[9])
        self.assertEqual((line.location_id, line.quantity_snapshot), (self.stock_location, 0.0))

    def _run_cron(self, method):
        """The crons commit per batch: run them on their own cursor, as ir.cron does."""
        self.env["running.inventory.count.plan"].search([("id", "!=", self.plan.id)]).write(
            {"abc_date": fields.Datetime.now(), "proposal_date": fields.Date.today()}
        )
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            getattr(self.env(cr=cr)["running.inventory.count.plan"], method)()
        self.env.invalidate_all()

    def test_cron_classifies_and_proposes(self):
        self._run_cron("_cron_propose_counts")
        self.assertTrue(self.plan.abc_date, "a plan never classified is classified first")
        self.assertEqual(len(self.plan.count_ids), 1)
        self.plan.abc_date = fields.Datetime.now() - timedelta(days=7)
        self._run_cron("_cron_compute_abc_classification")
        self.assertEqual(self.plan.abc_date.date(), fields.Date.today())
        self.assertEqual(self._classes()[self.p[1]], "a")

    def test_thresholds_come_from_the_plan_or_the_company(self):
        count = self._create_count(self.auditor_1, [self.stock_location])
        self.assertEqual(count._get_thresholds(), (15.0, 100.0))
        self.plan.write(
            {"threshold_override": True, "threshold_quantity_percent": 2.0, "threshold_value": 0.0}
        )
        count.action_start()
        self.assertEqual((count.threshold_quantity_percent, count.threshold_value), (2.0, 0.0))
