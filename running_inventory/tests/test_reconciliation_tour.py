# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReconciliationTour(HttpCase):
    """The accountant's month-end in a real browser: the reconciliation, the difference a line
    typed by hand makes, the adjusting entry, the recomputed figures, the sign-off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.accountant = new_test_user(
            cls.env,
            login="tour_accountant",
            groups="account.group_account_manager,account.group_account_user,"
            "stock.group_stock_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.stock = company.account_stock_valuation_id
        cls.variation = cls.stock.account_stock_variation_id
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Shelf",
                "is_storable": True,
                "standard_price": 10.0,
                "categ_id": cls.env.ref("product.product_category_goods").id,
            }
        )
        journal = cls.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", company.id)], limit=1
        )
        cls.manual = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "ref": "Tour shelf typed by hand",
                "line_ids": [
                    Command.create(
                        {
                            "name": "Tour shelf",
                            "account_id": cls.stock.id,
                            "product_id": cls.product.id,
                            "debit": 40.0,
                        }
                    ),
                    Command.create(
                        {"name": "Tour shelf", "account_id": cls.variation.id, "credit": 40.0}
                    ),
                ],
            }
        )
        cls.manual.action_post()
        # Whatever else the database holds is reconciled already: this month's difference is
        # the line typed by hand.
        earlier = cls.env["running.inventory.reconciliation"].create({"name": "SR/EARLIER"})
        earlier.action_compute()
        others = earlier.difference_ids.filtered(
            lambda d: d.is_adjustable and d.product_id != cls.product
        )
        if others:
            cls.env["running.inventory.reconciliation.adjust"].with_context(
                default_reconciliation_id=earlier.id,
                active_model="running.inventory.reconciliation.difference",
                active_ids=others.ids,
            ).create({}).action_post()
        cls.reconciliation = cls.env["running.inventory.reconciliation"].create({"name": "SR/TOUR"})

    def test_accountant_closes_the_month(self):
        self.start_tour(
            "/odoo/action-running_inventory.running_inventory_reconciliation_action",
            "running_inventory_reconciliation_tour",
            login="tour_accountant",
        )
        reconciliation = self.reconciliation
        self.assertEqual(reconciliation.state, "validated")
        self.assertEqual(reconciliation.validated_by_id, self.accountant)
        self.assertEqual(reconciliation.difference, 0.0)
        entry = reconciliation.adjustment_move_ids
        self.assertEqual(entry.state, "posted")
        self.assertEqual(
            sorted((line.account_id.id, line.debit, line.credit) for line in entry.line_ids),
            sorted([(self.stock.id, 0.0, 40.0), (self.variation.id, 40.0, 0.0)]),
        )
        stock_line = entry.line_ids.filtered(lambda line: line.account_id == self.stock)
        self.assertEqual(stock_line.product_id, self.product)
