# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_counts import COUNTER, RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountRecountAssignment(RunningInventoryCountCommon):
    """A line sent to a recount goes to a named counter who did not count it, who then finds it
    among their lines, even when the session was assigned to the first counter only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chair = cls._create_product("Chair", cost=10.0)
        cls.desk = cls._create_product("Desk", cost=5.0)
        cls._receive(cls.chair, 10, cls.shelf_1)
        cls._receive(cls.desk, 4, cls.shelf_2)
        cls.counter_3 = cls._create_user("counter_3", COUNTER)

    def _counted_off(self):
        """Counter 1 alone on the session counts 2 chairs of 10: over the thresholds."""
        count = self._create_count(self.auditor_1, [self.stock_location], counters=[self.counter_1])
        count.with_user(self.auditor_1).action_start()
        self._enter_counts(
            count, self.counter_1, {(self.chair, None, None): 2, (self.desk, None, None): 4}
        )
        count.with_user(self.counter_1).action_count_done()
        return count

    def test_recount_goes_to_another_counter_end_to_end(self):
        count = self._counted_off()
        chair, desk = self._line(count, self.chair), self._line(count, self.desk)
        self.assertRecordValues(
            chair | desk,
            [
                {"status": "to_recount", "recount_user_id": self.counter_2.id},
                {"status": "counted", "recount_user_id": False},
            ],
        )
        # The recounter opens the session, whose counters stay as the auditor set them (a
        # new name there would tell the first counter that a count was off).
        self.assertEqual(count.counter_ids, self.counter_1)
        sessions = self.env["running.inventory.count"].with_user(self.counter_2)
        self.assertEqual(sessions.search([("id", "=", count.id)]), count)
        self.assertEqual(sessions.search([("line_ids.is_my_recount", "=", True)]), count)
        lines = self.env["running.inventory.count.line"].with_user(self.counter_2)
        self.assertEqual(lines.search([("is_my_recount", "=", True)]), chair)
        self.assertFalse(
            self.env["running.inventory.count.line"]
            .with_user(self.counter_3)
            .search([("is_my_recount", "=", True)])
        )
        with self.assertRaisesRegex(UserError, "another counter must recount"):
            chair.with_user(self.counter_1).write({"quantity_counted": 10})
        with self.assertRaises(AccessError, msg="counter 3 is not on the session"):
            chair.with_user(self.counter_3).write({"quantity_counted": 10})
        chair.with_user(self.counter_2).write({"quantity_counted": 10})
        self.assertRecordValues(chair, [{"status": "recounted", "counter_id": self.counter_2.id}])
        count.with_user(self.counter_2).action_submit()
        count.with_user(self.auditor_1).action_approve()
        self.assertEqual(count.state, "done")
        self.assertFalse(count.move_ids, "the recount found the 10 chairs: nothing to adjust")

    def test_auditor_chooses_the_recounter(self):
        count = self._counted_off()
        chair = self._line(count, self.chair)
        with self.assertRaisesRegex(UserError, "another counter must recount"):
            chair.with_user(self.auditor_1).write({"recount_user_id": self.counter_1.id})
        with self.assertRaises(AccessError):
            chair.with_user(self.counter_2).write({"recount_user_id": self.counter_3.id})
        chair.with_user(self.auditor_1).write({"recount_user_id": self.counter_3.id})
        self.assertEqual(chair.recount_user_id, self.counter_3)
        self.assertEqual(count.counter_ids, self.counter_1)
        sessions = self.env["running.inventory.count"]
        self.assertEqual(sessions.with_user(self.counter_3).search([("id", "=", count.id)]), count)
        # Counter 2, no longer recounting it, no longer opens the session.
        self.assertFalse(sessions.with_user(self.counter_2).search([("id", "=", count.id)]))
        with self.assertRaises(AccessError):
            chair.with_user(self.counter_2).write({"quantity_counted": 10})
        chair.with_user(self.counter_3).write({"quantity_counted": 3})
        desk = self._line(count, self.desk)
        with self.assertRaisesRegex(UserError, "waiting for a recount"):
            desk.with_user(self.auditor_1).write({"recount_user_id": self.counter_2.id})

    def test_auditor_request_assigns_a_recounter(self):
        count = self._counted_off()
        desk = self._line(count, self.desk)
        desk.with_user(self.auditor_1).action_request_recount()
        self.assertRecordValues(
            desk, [{"status": "to_recount", "recount_user_id": self.counter_2.id}]
        )
