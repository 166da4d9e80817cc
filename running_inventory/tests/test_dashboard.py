# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

COUNTER = "running_inventory.group_inventory_counter"
AUDITOR = "running_inventory.group_inventory_auditor"


@tagged("post_install", "-at_install")
class TestHeadlineFigures(TransactionCase):
    """The Inventory overview's headline figures, exactly, in a company of their own; who gets
    which of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Headline Company"})
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)])
        cls.stock = cls.warehouse.lot_stock_id

        def user(login, groups):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )

        cls.auditor = user("headline_auditor", f"base.group_user,{AUDITOR}")
        cls.counter = user("headline_counter", f"base.group_user,{COUNTER}")
        cls.stock_user = user("headline_stock_user", "base.group_user,stock.group_stock_user")
        cls.manager = user(
            "headline_manager",
            f"base.group_user,stock.group_stock_manager,{AUDITOR},account.group_account_manager",
        )
        cls.Dashboard = cls.env["running.inventory.dashboard"]

    def _figures(self, user):
        cards = self.Dashboard.with_user(user).with_company(self.company).get_headline_figures()
        return {card["key"]: card for card in cards}

    def _counts(self):
        """Sessions: due yesterday (draft), due today (in progress), due tomorrow (not due),
        counted and due (due), two to approve, one done, one cancelled."""
        today = fields.Date.context_today(self.env.user)
        states_and_days = [
            ("draft", -1),
            ("in_progress", 0),
            ("draft", 1),
            ("counted", -3),
            ("to_approve", -5),
            ("to_approve", 2),
            ("done", -2),
            ("cancel", -2),
        ]
        counts = self.env["running.inventory.count"].create(
            [
                {"warehouse_id": self.warehouse.id, "date_due": today + timedelta(days=days)}
                for _state, days in states_and_days
            ]
        )
        for count, (state, _days) in zip(counts, states_and_days, strict=True):
            count.sudo().write({"state": state})
        return counts

    def _rules(self, number):
        """``number`` demand-driven rules, every other one at risk: 10 on hand at 5 a day
        (2 days of cover) for a lead time of 3 days (at risk) or 1 day (not)."""
        products = self.env["product.product"].create(
            [{"name": f"Headline {index}", "is_storable": True} for index in range(number)]
        )
        for product in products:
            self.env["stock.quant"]._update_available_quantity(product, self.stock, 10.0)
        rules = self.env["stock.warehouse.orderpoint"].create(
            [
                {
                    "product_id": product.id,
                    "warehouse_id": self.warehouse.id,
                    "location_id": self.stock.id,
                    "company_id": self.company.id,
                    "demand_driven": True,
                }
                for product in products
            ]
        )
        for index, rule in enumerate(rules):
            rule.sudo().write({"demand_add": 5.0, "demand_lead_days": 3.0 if index % 2 else 1.0})
        return rules

    def test_figures_of_an_auditor_and_manager(self):
        counts = self._counts()
        rules = self._rules(4)
        self.env["running.inventory.reconciliation"].sudo().create(
            [
                {
                    "company_id": self.company.id,
                    "date": fields.Date.today() - timedelta(days=40),
                    "state": "done",
                    "difference": 999.0,
                },
                {
                    "company_id": self.company.id,
                    "date": fields.Date.today() - timedelta(days=10),
                    "state": "done",
                    "difference": -125.5,
                },
                {
                    "company_id": self.company.id,
                    "date": fields.Date.today(),
                    "state": "draft",
                    "difference": 1.0,
                },
            ]
        )
        figures = self._figures(self.manager)
        self.assertEqual(
            list(figures), ["counts_due", "counts_to_approve", "stock_vs_books", "stockout_risk"]
        )
        self.assertEqual(figures["counts_due"]["value"], 3)
        self.assertEqual(figures["counts_to_approve"]["value"], 2)
        self.assertEqual(figures["stock_vs_books"]["value"], -125.5)
        self.assertEqual(figures["stockout_risk"]["value"], 2)
        # Each figure opens the records behind it.
        Count = self.env["running.inventory.count"].with_user(self.manager)
        due = Count.search(figures["counts_due"]["action"]["domain"])
        self.assertEqual(due, counts[0] | counts[1] | counts[3])
        approve = Count.search(figures["counts_to_approve"]["action"]["domain"])
        self.assertEqual(approve, counts[4] | counts[5])
        reconciliation = self.env["running.inventory.reconciliation"].browse(
            figures["stock_vs_books"]["action"]["res_id"]
        )
        self.assertEqual(reconciliation.difference, -125.5)
        at_risk = (
            self.env["stock.warehouse.orderpoint"]
            .with_user(self.manager)
            .search(figures["stockout_risk"]["action"]["domain"])
        )
        self.assertEqual(at_risk, rules[1] | rules[3])
        self.assertEqual(figures["stockout_risk"]["level"], "danger")
        # The same rules as the form's own risk, from Odoo's on-hand quantity.
        self.assertEqual(rules.filtered("demand_stockout_risk"), rules[1] | rules[3])

    def test_who_gets_which_figure(self):
        self._counts()
        self.assertEqual(self._figures(self.counter), {})
        self.assertEqual(
            list(self._figures(self.auditor)), ["counts_due", "counts_to_approve", "stockout_risk"]
        )
        self.assertEqual(list(self._figures(self.stock_user)), ["stockout_risk"])

    def test_no_reconciliation_yet(self):
        figures = self._figures(self.manager)
        self.assertEqual(figures["stock_vs_books"]["value"], 0.0)
        self.assertEqual(figures["stock_vs_books"]["level"], "muted")

    def _queries(self, call):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        call()
        return self.env.cr.sql_log_count - before

    def test_constant_number_of_queries(self):
        """As many queries for 8 sessions and 2 rules as for 16 sessions and 10 rules."""
        self._counts()
        self._rules(2)
        Dashboard = self.Dashboard.with_user(self.manager).with_company(self.company)
        Dashboard.get_headline_figures()  # warm the caches of the registry
        small = self._queries(Dashboard.get_headline_figures)
        self._counts()
        self._rules(8)
        Dashboard.get_headline_figures()  # creating records cleared some of those caches
        large = self._queries(Dashboard.get_headline_figures)
        self.assertEqual(large, small)
        self.assertEqual(self._figures(self.manager)["stockout_risk"]["value"], 5)
