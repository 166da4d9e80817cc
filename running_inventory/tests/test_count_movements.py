# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common_counts import RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountMovements(RunningInventoryCountCommon):
    """Goods keep moving while a session is counted: what moved between the snapshot and a
    count is expected, and what moves between the count and the approval stays on the books.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chair = cls._create_product("Chair", cost=10.0)
        cls.desk = cls._create_product("Desk", cost=5.0)
        cls._receive(cls.chair, 10, cls.shelf_1)
        cls._receive(cls.desk, 6, cls.shelf_1)
        cls._receive(cls.desk, 4, cls.shelf_2)
        cls.quants = cls.env["stock.quant"]

    def _started_session(self):
        count = self._create_count(self.auditor_1, [self.stock_location])
        count.with_user(self.auditor_1).action_start()
        return count

    def _approve(self, count):
        count.with_user(self.counter_1).action_count_done()
        count.with_user(self.counter_1).action_submit()
        count.with_user(self.auditor_1).action_approve()

    def test_delivery_during_count_is_no_variance(self):
        count = self._started_session()
        self._deliver(self.chair, 3, self.shelf_1)
        self._enter_counts(count, self.counter_1, {(self.chair, None, None): 7,
                                                   (self.desk, None, None): None})  # fmt: skip
        line = self._line(count, self.chair)
        self.assertRecordValues(
            line,
            [{"quantity_snapshot": 10.0, "quantity_moved": -3.0, "quantity_expected": 7.0,
              "quantity_counted": 7.0, "quantity_difference": 0.0, "is_over_threshold": False}],
        )  # fmt: skip

    def test_internal_transfer_during_count_is_no_variance(self):
        count = self._started_session()
        self._move(self.desk, 2, self.shelf_1, self.shelf_2)
        self._enter_counts(
            count,
            self.counter_1,
            {(self.desk, self.shelf_1, None): 4, (self.desk, self.shelf_2, None): 6,
             (self.chair, None, None): 10},
        )  # fmt: skip
        self.assertEqual(self._line(count, self.desk, self.shelf_1).quantity_moved, -2.0)
        self.assertEqual(self._line(count, self.desk, self.shelf_2).quantity_moved, 2.0)
        self.assertEqual(count.sudo().line_ids.mapped("quantity_difference"), [0.0] * 3)
        self._approve(count)
        self.assertFalse(count.move_ids)

    def test_moves_after_the_count_stay_on_the_books(self):
        """Snapshot 10, 3 delivered, 6 counted (one missing), then 5 received: the approval
        removes the missing one from the 12 on hand, not from the snapshot.
        """
        count = self._started_session()
        self._deliver(self.chair, 3, self.shelf_1)
        self._enter_counts(
            count,
            self.counter_1,
            {(self.chair, None, None): 6, (self.desk, self.shelf_1, None): 6,
             (self.desk, self.shelf_2, None): 4},
        )  # fmt: skip
        self._receive(self.chair, 5, self.shelf_1)
        self._approve(count)
        self.assertRecordValues(
            count.move_ids,
            [{"product_id": self.chair.id, "quantity": 1.0, "location_id": self.shelf_1.id}],
        )
        self.assertEqual(self.quants._get_available_quantity(self.chair, self.shelf_1), 11.0)
