from odoo.tests import tagged
from odoo.tools import SQL

from .common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestPostedBalance(PerpetualValuationCommon):
    """The posted balance per product and account (running.inventory.posted.balance), kept by
    triggers on account_move_line, always equals the sum of the perpetual journal items on
    posted entries: on every path that changes them, the ORM's and SQL's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_product("standard", name="Balanced item")
        cls.stock = cls.account_stock_valuation

    def _kept(self):
        """{(account, company): (balance, quantity)} the table holds for the product."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT account_id, company_id, balance, quantity
                  FROM running_inventory_posted_balance
                 WHERE product_id = %s AND (balance <> 0 OR quantity <> 0)
                """,
                self.product.id,
            )
        )
        return {
            (account, company): (balance, quantity) for account, company, balance, quantity in rows
        }

    def _summed(self):
        """The same, summed from the journal items."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT account_id, company_id, SUM(balance), SUM(COALESCE(quantity, 0))
                  FROM account_move_line
                 WHERE product_id = %s AND stock_valuation_kind IS NOT NULL
                   AND parent_state = 'posted'
                 GROUP BY account_id, company_id
                HAVING SUM(balance) <> 0 OR SUM(COALESCE(quantity, 0)) <> 0
                """,
                self.product.id,
            )
        )
        return {
            (account, company): (balance, quantity) for account, company, balance, quantity in rows
        }

    def _receive_ten(self):
        """A receipt of 10 at 10; (its move, the account its entry credits)."""
        receipt = self._make_in_move(self.product, 10, unit_cost=10.0)
        return receipt, receipt.account_move_id.line_ids.account_id - self.stock

    def _deliver(self, quantity):
        """A delivery; the account its entry debits."""
        delivery = self._make_out_move(self.product, quantity)
        return delivery.account_move_id.line_ids.account_id - self.stock

    def assertKept(self, expected):
        """The table holds `expected` {account: (balance, quantity)}, and so do the items."""
        company = self.company.id
        expected = {(account.id, company): values for account, values in expected.items()}
        self.assertEqual(self._kept(), expected)
        self.assertEqual(self._summed(), expected)

    def test_movements_add_to_the_balance(self):
        _receipt, supplied = self._receive_ten()
        self.assertKept({self.stock: (100.0, 10.0), supplied: (-100.0, -10.0)})
        delivered = self._deliver(4)
        self.assertKept(
            {self.stock: (60.0, 6.0), supplied: (-100.0, -10.0), delivered: (40.0, 4.0)}
        )

    def test_entry_reset_to_draft_cancelled_and_posted_again(self):
        receipt, supplied = self._receive_ten()
        delivered = self._deliver(4)
        entry = receipt.account_move_id
        # Odoo recomputes the items' parent_state: no write() on account.move.line runs.
        entry.button_draft()
        self.assertKept({self.stock: (-40.0, -4.0), delivered: (40.0, 4.0)})
        entry.button_cancel()
        self.assertKept({self.stock: (-40.0, -4.0), delivered: (40.0, 4.0)})
        entry.button_draft()
        entry.action_post()
        self.assertKept(
            {self.stock: (60.0, 6.0), supplied: (-100.0, -10.0), delivered: (40.0, 4.0)}
        )

    def test_journal_items_changed_in_sql(self):
        """Another module's SQL on the journal items: an account, an amount, a deletion."""
        receipt, supplied = self._receive_ten()
        stock_line = receipt.account_move_id.line_ids.filtered(
            lambda line: line.account_id == self.stock
        )
        other = self.account_gain_loss
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE account_move_line SET account_id = %s WHERE id = %s",
                other.id,
                stock_line.id,
            )
        )
        self.assertKept({other: (100.0, 10.0), supplied: (-100.0, -10.0)})
        self.env.cr.execute(
            SQL("UPDATE account_move_line SET balance = 90 WHERE id = %s", stock_line.id)
        )
        self.assertKept({other: (90.0, 10.0), supplied: (-100.0, -10.0)})
        self.env.cr.execute(SQL("DELETE FROM account_move_line WHERE id = %s", stock_line.id))
        self.env.invalidate_all()
        self.assertKept({supplied: (-100.0, -10.0)})

    def test_a_manual_entry_on_the_stock_account_is_not_counted(self):
        """What the valuation did not post stays a difference for the reconciliation."""
        _receipt, supplied = self._receive_ten()
        manual = self.env["account.move"].create(
            {
                "journal_id": self.company.account_stock_journal_id.id,
                "line_ids": [
                    (0, 0, {"account_id": self.stock.id, "product_id": self.product.id,
                            "debit": 5.0}),
                    (0, 0, {"account_id": supplied.id, "product_id": self.product.id,
                            "credit": 5.0}),
                ],
            }
        )  # fmt: skip
        manual.action_post()
        self.assertKept({self.stock: (100.0, 10.0), supplied: (-100.0, -10.0)})

    def test_a_statement_changing_no_amount_leaves_the_balances_alone(self):
        """Writing the items' residuals or labels locks no balance row (no new row version),
        so that it cannot collide with a concurrent validation of the product."""
        receipt, _supplied = self._receive_ten()
        self.env.flush_all()
        versions = SQL(
            "SELECT array_agg(ctid::text ORDER BY id) FROM running_inventory_posted_balance"
            " WHERE product_id = %s",
            self.product.id,
        )
        before = self.env.execute_query(versions)
        self.env.cr.execute(
            SQL(
                "UPDATE account_move_line SET name = name || ' (seen)' WHERE move_id = %s",
                receipt.account_move_id.id,
            )
        )
        self.assertEqual(self.env.execute_query(versions), before)

    def test_rebuild_gives_the_balances_the_triggers_kept(self):
        """The first install of the triggers on an existing history sums it once."""
        self._receive_ten()
        self._deliver(3)
        kept = self._kept()
        self.env["running.inventory.posted.balance"]._rebuild_posted_balances()
        self.assertEqual(self._kept(), kept)
        self.assertEqual(kept[self.stock.id, self.company.id], (70.0, 7.0))

    def test_uninstall_drops_the_triggers_and_reinstall_sums_the_history(self):
        """The uninstall hook's drop leaves journal items free of the triggers; installing
        them again sums what was posted meanwhile."""
        Balance = self.env["running.inventory.posted.balance"]
        triggers = SQL(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s",
            "running_inventory_posted_balance_%",
        )
        self.assertEqual(self.env.execute_query(triggers), [(3,)])
        Balance._drop_balance_triggers()
        self.assertEqual(self.env.execute_query(triggers), [(0,)])
        self._receive_ten()
        self.assertEqual(self._kept(), {})
        Balance._install_balance_triggers()
        self.assertEqual(self.env.execute_query(triggers), [(3,)])
        self.assertEqual(self._kept()[self.stock.id, self.company.id], (100.0, 10.0))
        self.assertEqual(self._kept(), self._summed())
