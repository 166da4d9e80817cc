from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..tools import entry_writer
from ..tools.valuation_line import ValuationEntry, ValuationLine
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
    # chatter: the record it belongs to, its own Message-Id and time
    "res_id",
    "message_id",
    "date",
}


@tagged("post_install", "-at_install")
class TestEntryWriter(PerpetualValuationCommon):
    """The perpetual entries are written in a few statements (account.move
    `_write_perpetual_entries`); they must be the rows Odoo's create + _post would store.
    If an Odoo update adds or changes a stored field, this test says which."""

    def _entry(self, lines, date=None):
        return ValuationEntry(
            journal=self.company.account_stock_journal_id,
            date=date or fields.Date.today(),
            ref="WH/IN/00042",
            lines=tuple(self._line(**line) for line in lines),
        )

    @staticmethod
    def _line(account_id, balance, name="", stock_valuation_kind="movement", **values):
        return ValuationLine(
            account_id=account_id,
            amount=balance,
            label=name,
            kind=stock_valuation_kind,
            product_id=values.get("product_id"),
            uom_id=values.get("product_uom_id"),
            quantity=values.get("quantity", 0.0),
            partner_id=values.get("partner_id"),
        )

    def _receipt_lines(self, product, amount=10.0):
        return [
            {
                "account_id": self.account_stock_valuation.id,
                "balance": amount,
                "product_id": product.id,
            },
            {"account_id": self.account_grni.id, "balance": -amount, "product_id": product.id},
        ]

    def _rows(self, table, column, value, condition=None):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s WHERE %s = %s AND %s ORDER BY id",
                SQL.identifier(table),
                SQL.identifier(column),
                value,
                condition or SQL("TRUE"),
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
        orm = Move.with_context(stock_entry_use_orm=True)._write_perpetual_entries([entry])
        lean = Move._write_perpetual_entries([entry])
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
        first = Move._write_perpetual_entries([self._entry(lines)])
        # Another transaction took the next number meanwhile: the writer takes the one after.
        self.env.cr.precommit.data.get("sequence.mixin", {}).clear()
        taken = Move.with_context(stock_entry_use_orm=True)._write_perpetual_entries(
            [self._entry(lines)]
        )
        self.env.cr.precommit.data.get("sequence.mixin", {}).clear()
        second = Move._write_perpetual_entries([self._entry(lines)])
        self.assertEqual(
            [first.sequence_number, taken.sequence_number, second.sequence_number],
            [first.sequence_number, first.sequence_number + 1, first.sequence_number + 2],
        )

    def test_numbering_follows_the_journal_across_periods_and_renamed_sequences(self):
        product = self._create_product("average")
        lines = self._receipt_lines(product)
        Move = self.env["account.move"]
        today = fields.Date.today()
        first = Move._write_perpetual_entries([self._entry(lines)])
        second = Move._write_perpetual_entries([self._entry(lines)])
        self.assertEqual(second.sequence_prefix, first.sequence_prefix)
        self.assertEqual(second.sequence_number, first.sequence_number + 1)
        # A month later: Odoo's numbering starts the month again.
        next_month = fields.Date.add(today, months=1)
        later = Move._write_perpetual_entries([self._entry(lines, date=next_month)])
        self.assertEqual(later.sequence_number, 1)
        self.assertIn(f"{next_month.year}/{next_month.month:02d}", later.name)
        # Someone renamed the last entry of the month into another series: Odoo continues the
        # series of the journal's last entry, and so do the perpetual entries.
        renamed = Move.with_context(stock_entry_use_orm=True)._write_perpetual_entries(
            [self._entry(lines)]
        )
        renamed.button_draft()
        renamed.name = f"STOCK/{today.year}/{today.month:02d}/0041"
        renamed.action_post()
        after = Move._write_perpetual_entries([self._entry(lines)])
        self.assertEqual(after.name, f"STOCK/{today.year}/{today.month:02d}/0042")

    def test_unbalanced_entry_is_refused(self):
        lines = [
            {"account_id": self.account_stock_valuation.id, "balance": 10.0},
            {"account_id": self.account_grni.id, "balance": -9.0},
        ]
        with self.assertRaises(UserError):
            self.env["account.move"]._write_perpetual_entries([self._entry(lines)])

    def test_hashed_journal_goes_through_the_orm(self):
        journal = self.company.account_stock_journal_id
        journal.restrict_mode_hash_table = True
        product = self._create_product("average")
        move = self._make_in_move(product, 2, unit_cost=5.0)
        entry = move.account_move_id
        self.assertEqual(entry.journal_id, journal)
        self.assertEqual(entry.state, "posted")
        self.assertTrue(entry.inalterable_hash, "entries of a hashed journal are hashed")

    # ------------------------------------------------------------------
    # Same chatter, and the ORM wherever the direct writer is not proven
    # ------------------------------------------------------------------

    def _accountant_env(self):
        """An inventory and accounting manager validating, with the chatter on, as the
        posting service runs (superuser rights, the user's identity)."""
        user = new_test_user(
            self.env,
            login="stock_accountant",
            groups="stock.group_stock_manager,account.group_account_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        # The chatter as a user has it: none of the tests' tracking and logging switches.
        return self.env(user=user, context={"allowed_company_ids": self.company.ids}, su=True)

    def test_direct_entry_has_the_orm_entry_chatter(self):
        env = self._accountant_env()
        product = self._create_product("average")
        entry = self._entry(self._receipt_lines(product))
        Move = env["account.move"]
        orm = Move.with_context(stock_entry_use_orm=True)._write_perpetual_entries([entry])
        direct = Move._write_perpetual_entries([entry])
        self.env.flush_all()
        self.env.cr.precommit.run()
        orm_messages = self._chatter("mail_message", orm)
        self.assertTrue(orm_messages, "the ORM logs the entry's creation")
        self.assertEqual(self._chatter("mail_message", direct), orm_messages)
        self.assertEqual(
            self._chatter("mail_followers", direct, "res_model"),
            self._chatter("mail_followers", orm, "res_model"),
        )
        self.assertEqual(direct.message_partner_ids, env.user.partner_id)

    def _chatter(self, table, move, model_column="model"):
        return self._rows(table, model_column, "account.move", SQL("res_id = %s", move.id))

    def test_fresh_database_uses_the_direct_writer(self):
        # running_inventory and the modules it depends on were all reviewed.
        self.assertEqual(self.env["account.move"]._get_direct_entry_writer_blockers(), ())

    def test_module_overriding_post_is_not_reviewed(self):
        registry_class = type(self.env["account.move"])

        class LocalisationMove(registry_class):
            """What a localisation module adding a step to posting looks like in a registry
            (not registered: only its class hierarchy is read)."""

            _register = False
            _module = "l10n_xx"
            _post = registry_class._post  # its own _post, as far as the hierarchy tells

        self.assertEqual(
            entry_writer.method_blockers(
                LocalisationMove, entry_writer.ENTRY_METHODS["account.move"]
            ),
            ["account.move._post overridden by l10n_xx"],
        )
        # With such a module, a receipt's entry goes through Odoo's create and _post.
        blockers = ("account.move._post overridden by l10n_xx",)
        Move = type(self.env["account.move"])
        self.env.registry.clear_cache()
        with (
            patch.object(entry_writer, "registry_blockers", return_value=list(blockers)),
            patch.object(Move, "_insert_perpetual_entry", side_effect=AssertionError("direct")),
            patch.object(
                Move,
                "_create_perpetual_entry",
                autospec=True,
                side_effect=Move._create_perpetual_entry,
            ) as orm,
        ):
            product = self._create_product("average")
            move = self._make_in_move(product, 2, unit_cost=5.0)
        self.env.registry.clear_cache()
        self.assertEqual(orm.call_count, 1)
        self.assertLines(
            move.account_move_id.line_ids,
            [(self.account_stock_valuation, 10, 0, 2), (self.account_grni, 0, 10, -2)],
        )

    def test_system_parameter_turns_the_direct_writer_off(self):
        self.env["ir.config_parameter"].set_param(entry_writer.PARAMETER, "False")
        Move = type(self.env["account.move"])
        with patch.object(Move, "_insert_perpetual_entry", side_effect=AssertionError("direct")):
            product = self._create_product("average")
            move = self._make_in_move(product, 3, unit_cost=4.0)
        self.assertLines(
            move.account_move_id.line_ids,
            [(self.account_stock_valuation, 12, 0, 3), (self.account_grni, 0, 12, -3)],
        )

    def test_restrictive_audit_trail_keeps_the_receipt_entry_trail(self):
        self.company.restrictive_audit_trail = True
        env = self._accountant_env()
        product = self._create_product("average")
        test_env, self.env = self.env, env(su=False)  # the accountant validates the receipt
        try:
            move = self._make_in_move(product, 2, unit_cost=5.0)
        finally:
            self.env = test_env
        entry = move.account_move_id.with_env(self.env)
        self.assertEqual(entry.create_uid, env.user)
        self.env.flush_all()
        self.env.cr.precommit.run()
        entry.invalidate_recordset(["audit_trail_message_ids"])
        self.assertEqual(
            entry.audit_trail_message_ids.mapped("account_audit_log_preview"),
            ["Journal Entry created\n"],
        )
        self.assertEqual(entry.audit_trail_message_ids.author_id, env.user.partner_id)
        with self.assertRaises(UserError):
            entry.with_env(env).unlink()
