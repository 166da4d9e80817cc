from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import PerpetualValuationCommon

# What legitimately differs between two entries: identity, number and timestamps.
IGNORED_COLUMNS = {
    "id",
    "move_id",
    "name",
    "sequence_number",
    "move_name",
    "create_date",
    "write_date",
}


@tagged("post_install", "-at_install")
class TestEntryWriter(PerpetualValuationCommon):
    """The perpetual entries are written in a few statements (account.move
    `_create_posted_stock_entries`); they must be the rows Odoo's create + _post would store.
    If an Odoo update adds or changes a stored field, this test says which."""

    def _entry(self, lines):
        return {
            "journal": self.company.account_stock_journal_id,
            "date": fields.Date.today(),
            "ref": "WH/IN/00042",
            "lines": lines,
        }

    def _receipt_lines(self, product, amount=10.0):
        return [
            {
                "account_id": self.account_stock_valuation.id,
                "balance": amount,
                "product_id": product.id,
            },
            {"account_id": self.account_grni.id, "balance": -amount, "product_id": product.id},
        ]

    def _rows(self, table, column, record_id):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s WHERE %s = %s ORDER BY id",
                SQL.identifier(table),
                SQL.identifier(column),
                record_id,
            )
        )
        names = [description[0] for description in self.env.cr.description]
        return [
            {
                name: value
                for name, value in zip(names, row, strict=True)
                if name not in IGNORED_COLUMNS
            }
            for row in self.env.cr.fetchall()
        ]

    def test_lean_entry_is_the_orm_entry(self):
        product = self._create_product("average")
        reconcilable = self.account_grni.copy({"code": "211099", "reconcile": True})
        entry = self._entry(
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "balance": 123.45,
                    "name": "WH/IN/00042 - item",
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "quantity": 3.0,
                    "stock_valuation_kind": "movement",
                },
                {
                    "account_id": reconcilable.id,
                    "balance": -120.0,
                    "name": "WH/IN/00042 - item",
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "quantity": -3.0,
                    "partner_id": self.vendor.id,
                    "stock_valuation_kind": "movement",
                },
                {
                    "account_id": self.account_price_diff.id,
                    "balance": -3.45,
                    "name": "difference",
                    "stock_valuation_kind": "movement",
                },
            ]
        )
        Move = self.env["account.move"]
        orm = Move.with_context(stock_entry_use_orm=True)._create_posted_stock_entries([entry])
        lean = Move._create_posted_stock_entries([entry])
        self.assertEqual(
            self._rows("account_move", "id", lean.id), self._rows("account_move", "id", orm.id)
        )
        self.assertEqual(
            self._rows("account_move_line", "move_id", lean.id),
            self._rows("account_move_line", "move_id", orm.id),
        )
        # Numbered in the journal's sequence, after the ORM's entry.
        self.assertEqual(lean.sequence_prefix, orm.sequence_prefix)
        self.assertEqual(lean.sequence_number, orm.sequence_number + 1)
        # The ORM reads it as any posted entry.
        self.assertEqual(lean.state, "posted")
        self.assertEqual(lean.amount_total, 123.45)
        self.assertEqual(lean.line_ids.mapped("balance"), [123.45, -120.0, -3.45])

    def test_entries_of_several_dates_and_a_retry_on_a_taken_number(self):
        product = self._create_product("average")
        lines = self._receipt_lines(product)
        Move = self.env["account.move"]
        first = Move._create_posted_stock_entries([self._entry(lines)])
        # Another transaction took the next number meanwhile: the writer takes the one after.
        self.env.cr.precommit.data.get("sequence.mixin", {}).clear()
        taken = Move.with_context(stock_entry_use_orm=True)._create_posted_stock_entries(
            [self._entry(lines)]
        )
        self.env.cr.precommit.data.get("sequence.mixin", {}).clear()
        second = Move._create_posted_stock_entries([self._entry(lines)])
        self.assertEqual(
            [first.sequence_number, taken.sequence_number, second.sequence_number],
            [first.sequence_number, first.sequence_number + 1, first.sequence_number + 2],
        )

    def test_numbering_follows_the_journal_across_periods_and_renamed_sequences(self):
        product = self._create_product("average")
        lines = self._receipt_lines(product)
        Move = self.env["account.move"]
        today = fields.Date.today()
        first = Move._create_posted_stock_entries([self._entry(lines)])
        second = Move._create_posted_stock_entries([self._entry(lines)])
        self.assertEqual(second.sequence_prefix, first.sequence_prefix)
        self.assertEqual(second.sequence_number, first.sequence_number + 1)
        # A month later: Odoo's numbering starts the month again.
        next_month = fields.Date.add(today, months=1)
        later = Move._create_posted_stock_entries([{**self._entry(lines), "date": next_month}])
        self.assertEqual(later.sequence_number, 1)
        self.assertIn(f"{next_month.year}/{next_month.month:02d}", later.name)
        # Someone renamed the last entry of the month into another series: Odoo continues the
        # series of the journal's last entry, and so do the perpetual entries.
        renamed = Move.with_context(stock_entry_use_orm=True)._create_posted_stock_entries(
            [self._entry(lines)]
        )
        renamed.button_draft()
        renamed.name = f"STOCK/{today.year}/{today.month:02d}/0041"
        renamed.action_post()
        after = Move._create_posted_stock_entries([self._entry(lines)])
        self.assertEqual(after.name, f"STOCK/{today.year}/{today.month:02d}/0042")

    def test_unbalanced_entry_is_refused(self):
        lines = [
            {"account_id": self.account_stock_valuation.id, "balance": 10.0},
            {"account_id": self.account_grni.id, "balance": -9.0},
        ]
        with self.assertRaises(UserError):
            self.env["account.move"]._create_posted_stock_entries([self._entry(lines)])

    def test_hashed_journal_goes_through_the_orm(self):
        journal = self.company.account_stock_journal_id
        journal.restrict_mode_hash_table = True
        product = self._create_product("average")
        move = self._make_in_move(product, 2, unit_cost=5.0)
        entry = move.account_move_id
        self.assertEqual(entry.journal_id, journal)
        self.assertEqual(entry.state, "posted")
        self.assertTrue(entry.inalterable_hash, "entries of a hashed journal are hashed")
