# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reads served read-only, as Odoo serves them from its database replica (issue 12).

The web client calls a model's method through /web/dataset/call_kw or call_button; Odoo
serves it on a read-only cursor (the replica's, with db_replica_host) when the method is
decorated ``@api.readonly`` (web.controllers.dataset.DataSet._call_kw_readonly), and retries
it on a read/write cursor, with a warning, if it writes. In tests, that read-only cursor is a
``SET TRANSACTION READ ONLY`` one: a read that wrote would log that retry.
"""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

RETRY_LOGGER = "odoo.http"


@tagged("post_install", "-at_install")
class TestReadonlyReads(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.product = cls.env["product.product"].search(
            [("is_storable", "=", True), ("company_id", "in", (False, cls.company.id))], limit=1
        )
        cls.reconciliation = cls.env["running.inventory.reconciliation"].create(
            {"date": fields.Date.today() - timedelta(days=1)}
        )
        cls.reconciliation.action_compute()
        cls.plan = cls.env["running.inventory.count.plan"].search([], limit=1)
        cls.orderpoint = cls.env["stock.warehouse.orderpoint"].search([], limit=1)

    def setUp(self):
        super().setUp()
        self.authenticate("admin", "admin")

    def _is_readonly(self, model, method):
        """Odoo's own test (DataSet._call_kw_readonly): the first class of the model's MRO
        whose method says whether it is read-only."""
        for cls in type(self.env[model]).mro():
            function = getattr(cls, method, None)
            if function is not None and hasattr(function, "_readonly"):
                return function._readonly
        return False

    def _call(self, model, method, args=(), kwargs=None, route="call_kw"):
        """Call as the web client does, asserting Odoo serves it read-only: the method is in
        the read-only set, and it never writes (no retry on a read/write cursor)."""
        self.assertTrue(self._is_readonly(model, method), f"{model}.{method} is not read-only")
        with self.assertNoLogs(RETRY_LOGGER, "WARNING"):
            return self.make_jsonrpc_request(
                f"/web/dataset/{route}/{model}.{method}",
                {"model": model, "method": method, "args": list(args), "kwargs": kwargs or {}},
            )

    def test_ledger_is_read_readonly(self):
        ledger = "running.inventory.ledger"
        spec = {"product_id": {}, "quantity": {}, "running_quantity": {}, "running_value": {}}
        page = self._call(
            ledger, "web_search_read", kwargs={"domain": [], "specification": spec, "limit": 80}
        )
        self.assertEqual(page["length"], self.env[ledger].search_count([]))
        totals = self._call(
            ledger,
            "formatted_read_group",
            kwargs={"domain": [], "groupby": ["product_id"], "aggregates": ["value:sum"]},
        )
        self.assertTrue(totals)
        action = self._call(
            "product.product", "action_open_running_ledger", [self.product.ids], route="call_button"
        )
        self.assertEqual(action["res_model"], ledger)
        self._call(
            "product.template",
            "action_open_running_ledger",
            [self.product.product_tmpl_id.ids],
            route="call_button",
        )

    def test_stock_at_date_is_read_readonly(self):
        Wizard = self.env["running.inventory.stock.date"]
        Valuation = self.env["running.inventory.valuation"]
        for date in (fields.Date.today() - timedelta(days=30), fields.Date.today()):
            rows = self._call(Wizard._name, "get_stock_at_date", [fields.Date.to_string(date)])
            self.assertEqual(
                len(rows),
                len(Wizard.new({"date": date})._get_line_rows(Valuation._get_moment(date))),
            )
        self.assertTrue(rows)
        self.assertEqual(
            set(rows[0]),
            {"company_id", "product_id", "categ_id", "location_id", "lot_id", "quantity", "value"},
        )
        wizard = Wizard.create({"date": fields.Date.today() - timedelta(days=3)})
        action = self._call(Wizard._name, "action_open_ledger", [wizard.ids], route="call_button")
        self.assertEqual(action["res_model"], "running.inventory.ledger")
        for bad in ("garbage", None, 3, fields.Date.to_string(fields.Date.today() + timedelta(1))):
            with self.assertRaises(UserError):
                Wizard.get_stock_at_date(bad)
        # Stock at Date as the screen does it stores its lines: read/write.
        self.assertFalse(self._is_readonly(Wizard._name, "action_open_stock"))

    def test_reconciliation_figures_are_read_readonly(self):
        model = "running.inventory.reconciliation"
        spec = {
            "odoo_value": {},
            "balance": {},
            "difference": {},
            "line_ids": {"fields": {"product_id": {}, "odoo_value": {}, "balance": {}}},
            "difference_ids": {"fields": {"cause": {}, "amount": {}}},
        }
        [figures] = self._call(
            model, "web_read", [self.reconciliation.ids], {"specification": spec}
        )
        self.assertEqual(figures["odoo_value"], self.reconciliation.odoo_value)
        self.assertEqual(len(figures["line_ids"]), len(self.reconciliation.line_ids))
        self._call(model, "action_open_differences", [self.reconciliation.ids], route="call_button")
        line = self.reconciliation.line_ids[:1]
        self.assertTrue(line, "the demo company has stock to reconcile")
        line_model = "running.inventory.reconciliation.line"
        for method in ("action_open_ledger", "action_open_journal_items"):
            self._call(line_model, method, [line.ids], route="call_button")
        if difference := self.reconciliation.difference_ids[:1]:
            self._call(
                difference._name, "action_open_records", [difference.ids], route="call_button"
            )
        self.assertTrue(self._is_readonly(difference._name, "action_open_records"))
        # Computing or checking writes the figures: never read-only.
        for method in ("action_compute", "action_open_adjust"):
            self.assertFalse(self._is_readonly(model, method))

    def test_counts_and_demand_are_read_readonly(self):
        accuracy = self._call(
            "running.inventory.count.accuracy",
            "formatted_read_group",
            kwargs={"domain": [], "groupby": ["abc_class"], "aggregates": ["__count"]},
        )
        self.assertIsInstance(accuracy, list)
        plan_model = "running.inventory.count.plan"
        for method in ("action_view_classification", "action_view_counts"):
            self._call(plan_model, method, [self.plan.ids], route="call_button")
        for method in ("action_compute_abc_classification", "action_propose_counts"):
            self.assertFalse(self._is_readonly(plan_model, method))
        rule = "stock.warehouse.orderpoint"
        self._call(rule, "action_open_demand_form", [self.orderpoint.ids], route="call_button")
        self._call(
            rule,
            "web_read",
            [self.orderpoint.ids],
            {"specification": {"demand_explanation": {}, "demand_state": {}}},
        )
        self.assertFalse(self._is_readonly(rule, "action_recompute_demand"))
