# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_counts import RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountAccuracy(RunningInventoryCountCommon):
    """Accuracy of an approved session, at a cost of 10 for everything:

    ======== ===== ======== ======== ===================== ==========
    product  class expected counted  counter               tolerance
    ======== ===== ======== ======== ===================== ==========
    A        A     2        2        counter 1             within
    B        B     9        9        counter 1             within
    C        B     9        8        counter 1             within (11 %)
    D        C     10       5 then 6 counter 1 (recount 2) over (40 %)
    ======== ===== ======== ======== ===================== ==========

    Record accuracy 3 / 4 = 75 %; value accuracy 1 - (10 + 40) / (20 + 90 + 90 + 100).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a, cls.b, cls.c, cls.d = (cls._create_product(name) for name in "ABCD")
        for product, sold in ((cls.a, 8), (cls.b, 1), (cls.c, 1), (cls.d, 0)):
            cls._receive(product, 10, cls.shelf_1 if product != cls.d else cls.shelf_2)
            if sold:
                cls._deliver(product, sold, cls.shelf_1, date=cls._months_ago(1))
        plan = cls.env["running.inventory.count.plan"].create({"warehouse_id": cls.warehouse.id})
        plan._compute_abc_classification()
        cls.count = cls._create_count(cls.auditor_1, [cls.stock_location])
        cls.count.with_user(cls.auditor_1).action_start()

    def _approve(self):
        self._enter_counts(
            self.count,
            self.counter_1,
            {(self.a, None, None): 2, (self.b, None, None): 9, (self.c, None, None): 8,
             (self.d, None, None): 5},
        )  # fmt: skip
        self.count.with_user(self.counter_1).action_count_done()
        self._enter_counts(self.count, self.counter_2, {(self.d, None, None): 6})
        self.count.with_user(self.counter_2).action_submit()
        self.count.with_user(self.auditor_1).action_approve()

    def _accuracy(self, groupby):
        report = self.env["running.inventory.count.accuracy"].with_user(self.auditor_2)
        return {
            group: (round(record, 2), round(value, 2), lines)
            for group, record, value, lines in report._read_group(
                [("count_id", "=", self.count.id)],
                [groupby],
                ["record_accuracy:avg", "value_accuracy:avg", "line_count:sum"],
            )
        }

    def test_only_approved_counts(self):
        report = self.env["running.inventory.count.accuracy"]
        self.assertFalse(report.search([("count_id", "=", self.count.id)]))
        self._approve()
        self.assertEqual(len(report.search([("count_id", "=", self.count.id)])), 4)

    def test_accuracy_by_warehouse_class_counter_location(self):
        self._approve()
        self.assertEqual(self._accuracy("warehouse_id"), {self.warehouse: (75.0, 83.33, 4)})
        self.assertEqual(
            self._accuracy("abc_class"),
            {"a": (100.0, 100.0, 1), "b": (100.0, 94.44, 2), "c": (0.0, 60.0, 1)},
        )
        # A mismatch is the first counter's, not the recounter's.
        self.assertEqual(self._accuracy("counter_id"), {self.counter_1: (75.0, 83.33, 4)})
        self.assertEqual(
            self._accuracy("recounter_id"),
            {self.env["res.users"]: (100.0, 95.0, 3), self.counter_2: (0.0, 60.0, 1)},
        )
        self.assertEqual(
            self._accuracy("location_id"),
            {self.shelf_1: (100.0, 95.0, 3), self.shelf_2: (0.0, 60.0, 1)},
        )
        by_month = self.env["running.inventory.count.accuracy"].formatted_read_group(
            [("count_id", "=", self.count.id)], ["date:month"], ["record_accuracy:avg"]
        )
        self.assertEqual([group["record_accuracy:avg"] for group in by_month], [75.0])
