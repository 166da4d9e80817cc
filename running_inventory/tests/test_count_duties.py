# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_counts import RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountDuties(RunningInventoryCountCommon):
    """Separation of duties: counters count, auditors who did not count approve."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chair = cls._create_product("Chair", cost=10.0)
        cls._receive(cls.chair, 10, cls.shelf_1)

    def _counted_session(self, counter):
        count = self._create_count(self.auditor_1, [self.stock_location])
        count.with_user(self.auditor_1).action_start()
        self._enter_counts(count, counter, {(self.chair, None, None): 10})
        count.with_user(counter).action_count_done()
        count.with_user(counter).action_submit()
        return count

    def test_counter_cannot_approve(self):
        count = self._counted_session(self.counter_1)
        with self.assertRaises(AccessError):
            count.with_user(self.counter_1).action_approve()
        with self.assertRaises(AccessError):
            count.with_user(self.counter_2).action_approve()
        self.assertEqual(count.state, "to_approve")

    def test_auditor_who_counted_cannot_approve(self):
        count = self._counted_session(self.auditor_1)
        with self.assertRaisesRegex(UserError, "another auditor must approve"):
            count.with_user(self.auditor_1).action_approve()
        count.with_user(self.auditor_2).action_approve()
        self.assertEqual(count.state, "done")
        self.assertEqual(count.user_approved_id, self.auditor_2)

    def test_counter_cannot_run_the_session(self):
        count = self._create_count(self.auditor_1, [self.stock_location], counters=[self.counter_1])
        as_counter = count.with_user(self.counter_1)
        with self.assertRaises(AccessError):
            as_counter.write({"counter_ids": [(4, self.counter_2.id)]})
        with self.assertRaises(AccessError):
            as_counter.write({"blind": False})
        with self.assertRaises(AccessError):
            as_counter.action_cancel()
        with self.assertRaises(AccessError):
            self.env["running.inventory.count"].with_user(self.counter_1).create(
                {"warehouse_id": self.warehouse.id}
            )
        with self.assertRaises(AccessError):
            as_counter.action_start()
        count.with_user(self.auditor_1).action_start()
        line = count.sudo().line_ids.with_user(self.counter_1)
        with self.assertRaises(AccessError):
            line.write({"quantity_snapshot": 99})
        with self.assertRaises(AccessError):
            line.write({"product_id": self.product.id})
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(AccessError):
            line.action_request_recount()

    def test_counter_sees_own_sessions_only(self):
        mine = self._create_count(self.auditor_1, [self.stock_location], counters=[self.counter_1])
        other = self._create_count(self.auditor_1, [self.stock_location], counters=[self.counter_2])
        pool = self._create_count(self.auditor_1, [self.stock_location])
        visible = (
            self.env["running.inventory.count"]
            .with_user(self.counter_1)
            .search([("id", "in", (mine | other | pool).ids)])
        )
        self.assertEqual(visible, mine | pool)
        with self.assertRaises(AccessError):
            other.with_user(self.counter_1).action_start()

    def test_auditor_sends_back_to_recount(self):
        count = self._counted_session(self.counter_1)
        line = count.sudo().line_ids
        line.with_user(self.auditor_1).action_request_recount()
        # The session stays submitted (its first counter reads nothing new); the approval
        # waits for the recount.
        self.assertEqual(count.state, "to_approve")
        self.assertEqual(line.status, "to_recount")
        with self.assertRaisesRegex(UserError, "still has 1 lines to recount"):
            count.with_user(self.auditor_2).action_approve()
        with self.assertRaises(UserError):
            line.with_user(self.counter_1).write({"quantity_counted": 10})
        line.with_user(self.counter_2).write({"quantity_counted": 10})
        self.assertEqual(line.status, "recounted")
        count.with_user(self.auditor_1).action_approve()
        self.assertEqual(count.state, "done")
        self.assertFalse(count.move_ids, "no difference, no adjustment")

    def test_counts_need_a_running_session(self):
        count = self._create_count(self.auditor_1, [self.stock_location])
        count.with_user(self.auditor_1).action_start()
        line = count.sudo().line_ids.with_user(self.counter_1)
        with self.assertRaisesRegex(UserError, "lines to count"):
            count.with_user(self.counter_1).action_count_done()
        line.action_count_zero()
        self.assertEqual((line.quantity_counted, line.status), (0.0, "counted"))
        with self.assertRaises(UserError):
            line.write({"quantity_counted": -1})
        count.with_user(self.auditor_1).action_cancel()
        with self.assertRaises(UserError):
            line.write({"quantity_counted": 3})
        with self.assertRaises(UserError):
            count.with_user(self.auditor_1).unlink()

    def test_record_counts_checks_its_input(self):
        """The batch entry is public (handhelds over RPC): it trusts nothing it is given."""
        count = self._create_count(self.auditor_1, [self.stock_location])
        other = self._create_count(self.auditor_1, [self.stock_location])
        (count | other).with_user(self.auditor_1).action_start()
        line, other_line = count.sudo().line_ids, other.sudo().line_ids
        as_counter = count.with_user(self.counter_1)
        for counts in (
            {line.id: 3},
            [[line.id, "3"]],
            [[line.id, 3, 4]],
            [[line.id, True]],
            [[line.id, 3], [line.id, 4]],
            [[other_line.id, 3]],
        ):
            with self.subTest(counts=counts), self.assertRaises(ValidationError):
                as_counter.record_counts(counts)
        as_counter.record_counts([[line.id, 8]])
        self.assertRecordValues(
            line, [{"quantity_counted": 8.0, "status": "counted", "quantity_difference": -2.0}]
        )
