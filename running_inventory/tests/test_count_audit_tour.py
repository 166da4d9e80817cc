# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

COUNTER = "base.group_user,running_inventory.group_inventory_counter"


class CountTourCommon(HttpCase):
    """A company of its own (so the demo sessions stay out of the lists), its warehouse with
    two products on the shelf, recounts above 50 %."""

    @classmethod
    def _setup_company(cls, name, products):
        cls.company = cls.env["res.company"].create(
            {"name": name, "count_threshold_quantity_percent": 50.0}
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)])
        cls.products = cls.env["product.product"]
        for product_name, barcode, quantity in products:
            product = cls.env["product.product"].create(
                {"name": product_name, "is_storable": True, "barcode": barcode}
            )
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.warehouse.lot_stock_id, quantity
            )
            cls.products |= product

    @classmethod
    def _user(cls, login, name, groups=COUNTER):
        return new_test_user(
            cls.env,
            login=login,
            name=name,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )


@tagged("post_install", "-at_install")
class TestCountAuditTour(CountTourCommon):
    """The auditor's daily path in a real browser: plans a session for one counter, who counts
    one line off; the recount goes to the second counter, who recounts and submits; the auditor
    approves and opens the adjustment list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_company(
            "Audit Company",
            [("Audit Apple", "AUDIT-APPLE", 4), ("Audit Banana", "AUDIT-BANANA", 3)],
        )
        cls.warehouse.name = "Audit WH"
        cls.auditor = cls._user(
            "tour_auditor",
            "Audit Auditor",
            "base.group_user,running_inventory.group_inventory_auditor",
        )
        cls.counter = cls._user("tour_counter_1", "Audit Counter One")
        cls.counter_2 = cls._user("tour_counter_2", "Audit Counter Two")

    def test_auditor_plans_and_approves_a_count_with_a_recount(self):
        self.start_tour(
            "/odoo/count-sessions", "running_inventory_audit_plan_tour", login="tour_auditor"
        )
        count = self.env["running.inventory.count"].search([("company_id", "=", self.company.id)])
        self.assertRecordValues(count, [{"state": "in_progress", "counter_ids": self.counter.ids}])
        self.start_tour(
            "/odoo/count-sessions", "running_inventory_audit_count_tour", login="tour_counter_1"
        )
        apple = count.line_ids.filtered(lambda line: line.product_id.name == "Audit Apple")
        self.assertRecordValues(
            apple, [{"status": "to_recount", "recount_user_id": self.counter_2.id}]
        )
        self.start_tour(
            "/odoo/count-sessions", "running_inventory_audit_recount_tour", login="tour_counter_2"
        )
        self.assertEqual(count.state, "to_approve")
        self.start_tour(
            "/odoo/count-sessions", "running_inventory_audit_approve_tour", login="tour_auditor"
        )
        self.assertRecordValues(count, [{"state": "done", "user_approved_id": self.auditor.id}])
        self.assertEqual(count.move_ids.mapped("quantity"), [1.0], "5 apples found of 4")
        self.assertEqual(
            [(entry.kind, entry.user_id, entry.quantity) for entry in apple.entry_ids],
            [("count", self.counter, 1.0), ("recount", self.counter_2, 5.0)],
        )


@tagged("post_install", "-at_install")
class TestCountPhoneTour(CountTourCommon):
    """The counter on a phone-sized, touch screen (as Odoo's mobile tests run): the scan field
    counts the shelf."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_company(
            "Phone Company", [("Phone Pear", "PHONE-PEAR", 2), ("Phone Plum", "PHONE-PLUM", 1)]
        )
        cls.counter = cls._user("tour_phone_counter", "Phone Counter")
        cls.count = cls.env["running.inventory.count"].create(
            {
                "name": "COUNT/PHONE",
                "warehouse_id": cls.warehouse.id,
                "counter_ids": [Command.set(cls.counter.ids)],
            }
        )
        cls.count.action_start()

    def test_counter_scans_on_a_phone(self):
        self.start_tour(
            "/odoo/count-sessions", "running_inventory_count_phone_tour", login="tour_phone_counter"
        )
        self.assertEqual(self.count.state, "counted")
        self.assertEqual(
            {
                line.product_id.name: (line.quantity_counted, line.counter_id)
                for line in self.count.line_ids
            },
            {"Phone Pear": (2.0, self.counter), "Phone Plum": (1.0, self.counter)},
        )
