from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestReconciliationValidation(LedgerCommon):
    """A computed month-end reconciliation is signed off (who, when) and locked: no recompute,
    no adjustment, no change; only its validation is reversed, and the chatter keeps it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.perpetual_valuation_date = fields.Datetime.now() - timedelta(days=30)
        cls.stock = cls.account_stock_valuation

    def _reconciliation_with_a_difference(self):
        product = self._create_product_before("average", "Validated item")
        self._make_in_move(product, 4, unit_cost=5.0)
        self._manual_entry(self.stock, 3.0, product)
        reconciliation = self._reconcile(user=self.account_manager)
        self.assertEqual(reconciliation.odoo_value, 20.0)
        self.assertEqual(reconciliation.balance, 23.0)
        self.assertEqual(reconciliation.difference, -3.0)
        return reconciliation

    def test_close_a_month_adjust_recompute_validate(self):
        reconciliation = self._reconciliation_with_a_difference()
        manager_reconciliation = reconciliation.with_user(self.account_manager)
        self._adjust(reconciliation, user=self.account_manager)
        # The figures shown predate the adjusting entry: validating them is refused.
        with self.assertRaisesRegex(UserError, "recompute it"):
            manager_reconciliation.action_validate()
        manager_reconciliation.action_compute()
        self.assertEqual(reconciliation.difference, 0.0)
        self.assertEqual(reconciliation.balance, 20.0)
        manager_reconciliation.action_validate()
        self.assertEqual(reconciliation.state, "validated")
        self.assertEqual(reconciliation.validated_by_id, self.account_manager)
        self.assertTrue(reconciliation.validated_on)

    def test_validated_is_locked(self):
        reconciliation = self._reconciliation_with_a_difference()
        reconciliation.with_user(self.account_manager).action_validate()
        figures = reconciliation.read(["odoo_value", "balance", "difference", "computed_on"])
        for user in (self.accountant, self.account_manager):
            locked = reconciliation.with_user(user)
            with self.assertRaisesRegex(UserError, "is validated"):
                locked.action_compute()
            with self.assertRaisesRegex(UserError, "is validated"):
                locked.write({"date": fields.Date.today() - timedelta(days=1)})
        with self.assertRaisesRegex(UserError, "is validated"):
            reconciliation.with_user(self.account_manager).action_open_adjust()
        with self.assertRaisesRegex(UserError, "is validated"):
            self._adjust(reconciliation, user=self.account_manager)
        with self.assertRaisesRegex(UserError, "is validated"):
            reconciliation.with_user(self.account_manager).unlink()
        with self.assertRaisesRegex(UserError, "is validated"):
            reconciliation.with_user(self.account_manager).action_validate()
        # The figures' own guard still refuses anyone writing them.
        with self.assertRaises(AccessError):
            reconciliation.with_user(self.account_manager).write({"state": "done"})
        self.assertEqual(
            reconciliation.read(["odoo_value", "balance", "difference", "computed_on"]), figures
        )
        self.assertFalse(reconciliation.adjustment_move_ids)

    def test_only_accounting_administrators_sign_off(self):
        reconciliation = self._reconciliation_with_a_difference()
        for user in (self.accountant, self.stock_user):
            with self.assertRaises(AccessError):
                reconciliation.with_user(user).action_validate()
        self.assertEqual(reconciliation.state, "done")
        reconciliation.with_user(self.account_manager).action_validate()
        with self.assertRaises(AccessError):
            reconciliation.with_user(self.accountant).action_reset_validation()
        self.assertEqual(reconciliation.state, "validated")

    def test_reverse_keeps_the_history(self):
        reconciliation = self._reconciliation_with_a_difference()
        reconciliation.with_user(self.account_manager).action_validate()
        validated_on = reconciliation.validated_on
        reconciliation.with_user(self.account_manager).action_reset_validation()
        self.assertEqual(reconciliation.state, "done")
        self.assertFalse(reconciliation.validated_by_id)
        self.assertFalse(reconciliation.validated_on)
        body = reconciliation.message_ids[:1].body
        self.assertIn(
            f"Validation by {self.account_manager.name} on "
            f"{fields.Datetime.to_string(validated_on)} reversed by {self.account_manager.name}",
            body,
        )
        # Unlocked: recomputed and adjusted again.
        reconciliation.with_user(self.accountant).action_compute()
        self.assertEqual(reconciliation.difference, -3.0)
        entry = self._adjust(reconciliation, user=self.account_manager)
        self.assertEqual(entry.state, "posted")
        with self.assertRaisesRegex(UserError, "is not validated"):
            reconciliation.with_user(self.account_manager).action_reset_validation()

    def test_draft_is_not_validated(self):
        draft = self.env["running.inventory.reconciliation"].create({})
        with self.assertRaisesRegex(UserError, "Compute the reconciliation"):
            draft.with_user(self.account_manager).action_validate()
