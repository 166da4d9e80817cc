# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import warnings

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_counts import RunningInventoryCountCommon

HIDDEN_LINE_FIELDS = [
    "quantity_snapshot",
    "quantity_moved",
    "quantity_expected",
    "quantity_difference",
    "unit_cost",
    "value_expected",
    "value_difference",
    "is_over_threshold",
    "entry_ids",
]


@tagged("post_install", "-at_install")
class TestCountBlind(RunningInventoryCountCommon):
    """Blind counting is the server's business: whatever a counter's client asks for (the calls
    below are the ones JSON-RPC exposes), expected quantities and variances do not come back.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chair = cls._create_product("Chair", cost=10.0)
        cls._receive(cls.chair, 10, cls.shelf_1)
        cls.count = cls._create_count(cls.auditor_1, [cls.stock_location], counters=[cls.counter_1])
        cls.count.with_user(cls.auditor_1).action_start()
        cls.count.sudo().line_ids.with_user(cls.counter_1).write({"quantity_counted": 7})
        cls.line = cls.count.sudo().line_ids.with_user(cls.env.user)
        cls.lines = cls.env["running.inventory.count.line"]
        # Export is a right of its own; with it, the fields are still refused.
        (cls.counter_1 | cls.auditor_1).write(
            {"group_ids": [Command.link(cls.env.ref("base.group_allow_export").id)]}
        )

    def test_counter_reads_refused(self):
        lines = self.lines.with_user(self.counter_1)
        line = self.line.with_user(self.counter_1)
        domain = [("count_id", "=", self.count.id)]
        for fname in HIDDEN_LINE_FIELDS:
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    line.read([fname])
                with self.assertRaises(AccessError):
                    lines.search_read(domain, [fname])
                with self.assertRaises(AccessError):
                    line.web_read({fname: {}})
                with self.assertRaises(AccessError):
                    lines.web_search_read(domain, {fname: {}})
                with self.assertRaises(AccessError):
                    line.export_data([fname])
                with self.assertRaises(AccessError):
                    lines.search([(fname, "!=", False)])
                with self.assertRaises(AccessError):
                    line.mapped(fname)  # the ORM refuses even in Python
        for aggregate in (
            "quantity_expected:sum",
            "quantity_difference:sum",
            "value_difference:sum",
        ):
            with self.subTest(aggregate=aggregate):
                with self.assertRaises(AccessError):
                    lines.formatted_read_group(domain, ["count_id"], [aggregate])
                with self.assertRaises(AccessError), warnings.catch_warnings():
                    # Deprecated since 19.0, still served over RPC.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    lines.read_group(domain, [aggregate], ["count_id"])
        with self.assertRaises(AccessError):
            lines.formatted_read_group(domain, ["is_over_threshold"], ["__count"])
        with self.assertRaises(AccessError):
            lines.search(domain, order="quantity_difference desc")

    def test_counter_reads_without_fields_leave_them_out(self):
        """Reading "everything" returns only what a counter may see."""
        line = self.line.with_user(self.counter_1)
        values = line.read()[0]
        self.assertEqual(values["quantity_counted"], 7.0)
        self.assertFalse(set(HIDDEN_LINE_FIELDS) & set(values))
        fields = self.lines.with_user(self.counter_1).fields_get()
        self.assertFalse(set(HIDDEN_LINE_FIELDS) & set(fields))
        self.assertEqual(line.quantity_expected_visible, 0.0, "blind: nothing to show")

    def test_counter_views_leave_them_out(self):
        views = (
            self.env["running.inventory.count"]
            .with_user(self.counter_1)
            .get_views([(False, "form"), (False, "list")])
        )
        form_arch = views["views"]["form"]["arch"]
        self.assertIn('name="quantity_counted"', form_arch)
        for fname in ("quantity_expected", "quantity_difference", "value_difference", "entry_ids"):
            self.assertNotIn(f'name="{fname}"', form_arch)
        self.assertNotIn('name="variance_value"', views["views"]["list"]["arch"])

    def test_counter_cannot_read_session_variances_history_or_accuracy(self):
        count = self.count.with_user(self.counter_1)
        for fname in ("variance_value", "line_over_threshold_count", "entry_ids"):
            with self.assertRaises(AccessError):
                count.read([fname])
        with self.assertRaises(AccessError):
            self.env["running.inventory.count.entry"].with_user(self.counter_1).search_read([])
        with self.assertRaises(AccessError):
            self.env["running.inventory.count.accuracy"].with_user(self.counter_1).search_read([])

    def test_auditor_reads_everything(self):
        line = self.line.with_user(self.auditor_1)
        self.assertEqual(
            line.read(["quantity_snapshot", "quantity_expected", "quantity_difference"])[0],
            {"id": line.id, "quantity_snapshot": 10.0, "quantity_expected": 10.0,
             "quantity_difference": -3.0},
        )  # fmt: skip
        self.assertEqual(line.value_difference, -30.0)
        groups = self.lines.with_user(self.auditor_1).formatted_read_group(
            [("count_id", "=", self.count.id)], ["count_id"], ["quantity_difference:sum"]
        )
        self.assertEqual(groups[0]["quantity_difference:sum"], -3.0)
        self.assertEqual(line.export_data(["quantity_expected"])["datas"], [[10.0]])
        self.assertEqual(self.count.with_user(self.auditor_1).variance_value, -30.0)
        self.assertEqual(line.entry_ids.quantity, 7.0)

    def test_count_sheet_blind_and_open(self):
        """The printed sheet has no expected quantities for a blind session."""
        report = self.env["ir.actions.report"].with_user(self.counter_1)
        html = report._render_qweb_html("running_inventory.report_count_sheet", self.count.ids)[
            0
        ].decode()
        self.assertIn("Chair", html)
        self.assertNotIn("Expected", html)

        self.count.sudo().blind = False
        self.assertEqual(self.line.with_user(self.counter_1).quantity_expected_visible, 10.0)
        html = report._render_qweb_html("running_inventory.report_count_sheet", self.count.ids)[
            0
        ].decode()
        self.assertIn("Expected", html)

    def test_variance_report_is_for_auditors(self):
        report = self.env["ir.actions.report"]
        with self.assertRaises(AccessError):
            report.with_user(self.counter_1)._render_qweb_html(
                "running_inventory.report_count_variance", self.count.ids
            )
        html = (
            report.with_user(self.auditor_1)
            ._render_qweb_html("running_inventory.report_count_variance", self.count.ids)[0]
            .decode()
        )
        self.assertIn("Chair", html)
        self.assertIn("-30.00", html.replace("\ufeff", ""))
