# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_counts import RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountNotCounted(RunningInventoryCountCommon):
    """A line nobody counted is not a line counted zero: on the screen, in the variances and at
    approval; the highlighted buttons are the ones that can succeed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chair = cls._create_product("Chair", cost=10.0)
        cls.desk = cls._create_product("Desk", cost=5.0)
        cls._receive(cls.chair, 10, cls.shelf_1)
        cls._receive(cls.desk, 4, cls.shelf_2)

    def _started(self):
        count = self._create_count(self.auditor_1, [self.stock_location])
        count.with_user(self.auditor_1).action_start()
        return count

    def test_zero_counted_differs_from_not_counted(self):
        count = self._started()
        chair, desk = self._line(count, self.chair), self._line(count, self.desk)
        self.assertRecordValues(
            chair | desk,
            [
                {"is_counted": False, "quantity_counted": 0.0, "quantity_difference": 0.0},
                {"is_counted": False, "quantity_counted": 0.0, "quantity_difference": 0.0},
            ],
        )
        self.assertFalse(chair.is_over_threshold, "not counted is no variance yet")
        # A zero typed in the form is a count: the chairs are gone.
        self._enter_counts(count, self.counter_1, {(self.chair, None, None): 0})
        self.assertRecordValues(
            chair | desk,
            [
                {"is_counted": True, "status": "counted", "quantity_difference": -10.0},
                {"is_counted": False, "status": "to_count", "quantity_difference": 0.0},
            ],
        )
        self.assertTrue(chair.is_over_threshold)
        self.assertEqual(count.line_to_count_count, 1)
        with self.assertRaisesRegex(UserError, "1 lines to count"):
            count.with_user(self.counter_1).action_count_done()
        self.assertEqual(count.state, "in_progress")

    def test_screen_tells_not_counted_from_zero(self):
        """The counted column shows "Not counted" (empty) until counted: the widget reads
        is_counted; the counting buttons are highlighted only when they can succeed."""
        arch = (
            self.env["running.inventory.count"]
            .with_user(self.counter_1)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        form = etree.fromstring(arch)
        [counted] = form.xpath("//field[@name='line_ids']//field[@name='quantity_counted']")
        self.assertEqual(counted.get("widget"), "running_inventory_counted_quantity")
        self.assertTrue(form.xpath("//field[@name='line_ids']//field[@name='is_counted']"))
        [submit] = form.xpath("//button[@name='action_submit']")
        self.assertEqual(submit.get("class"), "oe_highlight")
        self.assertEqual(submit.get("invisible"), "not is_ready_to_submit")
        highlighted = form.xpath("//button[@name='action_count_done'][@class='oe_highlight']")
        self.assertIn("or line_to_count_count", highlighted[0].get("invisible"))

    def test_submit_with_recounts_pending_explains(self):
        count = self._started()
        self._enter_counts(
            count,
            self.counter_1,
            {(self.chair, None, None): 2, (self.desk, None, None): 4},
        )
        count.with_user(self.counter_1).action_count_done()
        self.assertEqual(self._line(count, self.chair).status, "to_recount")
        self.assertEqual(count.line_to_recount_count, 1)
        # The auditor is told what waits; counters are offered Submit as when nothing is
        # recounted (the first counter must not learn that their count was off).
        with self.assertRaisesRegex(UserError, "still has 1 lines to recount"):
            count.with_user(self.auditor_1).action_submit()
        self.assertEqual(count.state, "counted")
        as_auditor = count.with_user(self.auditor_1)
        self.assertEqual(
            (as_auditor.is_ready_to_submit, as_auditor.line_to_recount_count), (False, 1)
        )
        as_first = count.with_user(self.counter_1)
        self.assertEqual((as_first.is_ready_to_submit, as_first.line_to_recount_count), (True, 0))
        as_recounter = count.with_user(self.counter_2)
        self.assertEqual(
            (as_recounter.is_ready_to_submit, as_recounter.line_to_recount_count), (True, 1)
        )
        count.with_user(self.counter_1).action_submit()
        self.assertEqual(count.state, "to_approve")
        with self.assertRaisesRegex(UserError, "still has 1 lines to recount"):
            count.with_user(self.auditor_1).action_approve()
        # The recount goes on in the submitted session; then the auditor approves.
        self._line(count, self.chair).with_user(self.counter_2).write({"quantity_counted": 10})
        count.invalidate_recordset()
        self.assertEqual(count.with_user(self.auditor_1).line_to_recount_count, 0)
        count.with_user(self.auditor_1).action_approve()
        self.assertEqual(count.state, "done")
