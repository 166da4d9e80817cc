# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_counts import RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountFlow(RunningInventoryCountCommon):
    """A session from the auditor's form to the approved adjustment, through each role's own
    rights: counter 1 counts, an over-threshold line goes to counter 2, auditor 1 approves.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Counted goods valued at each movement: approving posts the gains and losses.
        cls.category_standard = cls.env["product.category"].create(
            {
                "name": "Counted goods",
                "property_cost_method": "standard",
                "property_valuation": "perpetual",
            }
        )
        cls.env.user.group_ids |= cls.env.ref("stock.group_production_lot")
        cls.chair = cls._create_product("Chair", cost=10.0)
        cls.desk = cls._create_product("Desk", cost=5.0)
        cls.lamp = cls._create_product("Lamp", cost=20.0, tracking="lot")
        cls.found = cls._create_product("Stool", cost=7.0)
        cls.lamp_lot = cls.env["stock.lot"].create(
            {"name": "LAMP-1", "product_id": cls.lamp.id, "company_id": cls.company.id}
        )
        cls._receive(cls.chair, 10, cls.shelf_1)
        cls._receive(cls.desk, 20, cls.shelf_2)
        cls._receive(cls.lamp, 4, cls.shelf_1, lot=cls.lamp_lot)
        cls.inventory_loss = cls.chair.with_company(cls.company).property_stock_inventory

    def test_full_flow(self):
        count = self._create_count(
            self.auditor_1,
            [self.stock_location],
            counters=[self.counter_1, self.counter_2],
        )
        self.assertEqual(count.state, "draft")
        self.assertTrue(count.name.startswith("COUNT/"))

        count.with_user(self.auditor_1).action_start()
        self.assertEqual(count.state, "in_progress")
        self.assertRecordValues(
            count.sudo().line_ids.sorted(lambda line: line.product_id.name),
            [
                {"product_id": self.chair.id, "location_id": self.shelf_1.id, "lot_id": False,
                 "quantity_snapshot": 10.0, "status": "to_count"},
                {"product_id": self.desk.id, "location_id": self.shelf_2.id, "lot_id": False,
                 "quantity_snapshot": 20.0, "status": "to_count"},
                {"product_id": self.lamp.id, "location_id": self.shelf_1.id,
                 "lot_id": self.lamp_lot.id, "quantity_snapshot": 4.0, "status": "to_count"},
            ],
        )  # fmt: skip
        self.assertEqual(
            count.sudo().line_ids.mapped(lambda line: (line.location_id, line.product_id)),
            [(self.shelf_1, self.chair), (self.shelf_1, self.lamp), (self.shelf_2, self.desk)],
            "lines in walking order: by location, then product",
        )
        self.assertEqual(count.threshold_quantity_percent, 15.0)
        self.assertEqual(count.threshold_value, 100.0)

        # Counter 1: one more chair (10 %, within tolerance), 8 desks missing (40 %: recount),
        # the lamps right, and a stool nobody expected.
        self._enter_counts(
            count,
            self.counter_1,
            {(self.chair, None, None): 11, (self.desk, None, None): 12, (self.lamp, None, None): 4},
            found=[(self.found, self.shelf_1, 2)],
        )
        stool = self._line(count, self.found)
        self.assertTrue(stool.is_unexpected)
        self.assertEqual(stool.quantity_snapshot, 0.0)
        self.assertEqual(stool.counter_id, self.counter_1)
        count.with_user(self.counter_1).action_count_done()
        self.assertEqual(count.state, "counted")
        desk = self._line(count, self.desk)
        self.assertEqual(desk.status, "to_recount")
        self.assertFalse(desk.is_counted, "the first count is cleared for a blind recount")
        self.assertEqual(stool.status, "to_recount", "nothing was expected: any find is over")
        self.assertEqual(
            (count.sudo().line_ids - desk - stool).mapped("status"),
            ["counted"] * 2,
            "within tolerance",
        )
        # The auditor is told what waits; the first counter's Submit goes through as when no
        # line is recounted (refusing it would tell them their count was off), and the
        # approval waits for the recount.
        with self.assertRaisesRegex(UserError, "still has 2 lines to recount"):
            count.with_user(self.auditor_1).action_submit()
        self.assertTrue(count.with_user(self.counter_1).is_ready_to_submit)
        count.with_user(self.counter_1).action_submit()
        self.assertEqual(count.state, "to_approve")
        with self.assertRaisesRegex(UserError, "still has 2 lines to recount"):
            count.with_user(self.auditor_1).action_approve()

        # The recount is for another counter. The first counter still reads the desk as they
        # counted it (blind recount): counted, 12, read-only in their form.
        as_first = desk.with_user(self.counter_1)
        self.assertEqual(
            as_first.read(["status", "quantity_counted", "is_counted", "counter_id"])[0],
            {"id": desk.id, "status": "counted", "quantity_counted": 12.0, "is_counted": True,
             "counter_id": (self.counter_1.id, self.counter_1.display_name)},
        )  # fmt: skip
        with self.assertRaisesRegex(AssertionError, "readonly"):
            self._enter_counts(count, self.counter_1, {(self.desk, None, None): 19})
        with self.assertRaisesRegex(UserError, "another counter must recount"):
            as_first.write({"quantity_counted": 19})
        self._enter_counts(
            count, self.counter_2, {(self.desk, None, None): 18, (self.found, None, None): 2}
        )
        self.assertRecordValues(
            desk,
            [{"status": "recounted", "quantity_counted": 18.0, "quantity_difference": -2.0,
              "counter_id": self.counter_2.id, "value_difference": -10.0}],
        )  # fmt: skip
        # Nor who wrote the line last: the recounter's write reads as their own count.
        first_entry = desk.entry_ids.filtered(lambda entry: entry.kind == "count")
        self.assertEqual(
            as_first.read(["write_uid", "write_date"])[0],
            {"id": desk.id, "write_uid": (self.counter_1.id, self.counter_1.display_name),
             "write_date": first_entry.date},
        )  # fmt: skip
        with self.assertRaises(AccessError):
            as_first.search([("write_uid", "=", self.counter_2.id)])
        self.assertEqual(
            [(entry.kind, entry.user_id, entry.quantity) for entry in desk.entry_ids],
            [("count", self.counter_1, 12.0), ("recount", self.counter_2, 18.0)],
            "both counts stay in the audit trail",
        )
        self.assertEqual(count.state, "to_approve")
        self.assertEqual(count.counted_user_ids, self.counter_1 | self.counter_2)
        self.assertEqual(
            count.with_user(self.counter_1).counted_user_ids,
            self.counter_1,
            "a counter reads the first counters only, not who recounted",
        )

        count.with_user(self.auditor_1).action_approve()
        self.assertEqual(count.state, "done")
        self.assertEqual(count.user_approved_id, self.auditor_1)
        self.assertTrue(count.date_done)

        # Odoo's inventory adjustment: one done move per difference, named after the session.
        moves = count.move_ids.sorted(lambda move: move.product_id.name)
        self.assertRecordValues(
            moves,
            [
                {"product_id": self.chair.id, "quantity": 1.0, "is_inventory": True,
                 "location_id": self.inventory_loss.id, "location_dest_id": self.shelf_1.id,
                 "state": "done", "reference": count.name},
                {"product_id": self.desk.id, "quantity": 2.0, "is_inventory": True,
                 "location_id": self.shelf_2.id, "location_dest_id": self.inventory_loss.id,
                 "state": "done", "reference": count.name},
                {"product_id": self.found.id, "quantity": 2.0, "is_inventory": True,
                 "location_id": self.inventory_loss.id, "location_dest_id": self.shelf_1.id,
                 "state": "done", "reference": count.name},
            ],
        )  # fmt: skip
        # One entry for the approval, through the perpetual valuation: each difference at its
        # standard cost, against the inventory gains and losses account.
        entry = count.move_ids.account_move_id
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.state, "posted")
        stock = self.company.account_stock_valuation_id.code
        gain_loss_account = self.inventory_loss.company_id.account_inventory_gain_loss_id
        self.assertEqual(gain_loss_account.name, "Inventory Gains and Losses")
        gain_loss = gain_loss_account.code
        self.assertEqual(
            sorted(
                (line.product_id.name, line.account_id.code, line.debit, line.credit, line.quantity)
                for line in entry.line_ids
            ),
            sorted(
                [
                    ("Chair", stock, 10.0, 0.0, 1.0),
                    ("Chair", gain_loss, 0.0, 10.0, -1.0),
                    ("Desk", gain_loss, 10.0, 0.0, 2.0),
                    ("Desk", stock, 0.0, 10.0, -2.0),
                    ("Stool", stock, 14.0, 0.0, 2.0),
                    ("Stool", gain_loss, 0.0, 14.0, -2.0),
                ]
            ),
        )
        quants = self.env["stock.quant"]
        self.assertEqual(quants._get_available_quantity(self.chair, self.shelf_1), 11.0)
        self.assertEqual(quants._get_available_quantity(self.desk, self.shelf_2), 18.0)
        self.assertEqual(quants._get_available_quantity(self.found, self.shelf_1), 2.0)
        self.assertEqual(
            quants._get_available_quantity(self.lamp, self.shelf_1, lot_id=self.lamp_lot), 4.0
        )

        # The chatter says who counted, not which lines were recounted (the first counter reads
        # it too): the recounts are in the auditors' Count History.
        bodies = "\n".join(count.message_ids.mapped("body"))
        self.assertIn("Counting finished by counter_1", bodies)
        self.assertNotIn("Desk", bodies)
        self.assertEqual(
            count.entry_ids.filtered(lambda entry: entry.kind == "recount").user_id, self.counter_2
        )

        # Done is final.
        with self.assertRaises(UserError):
            count.with_user(self.auditor_2).write({"date_due": "2030-01-01"})
        with self.assertRaises(UserError):
            desk.with_user(self.auditor_2).write({"quantity_counted": 20})
        with self.assertRaises(UserError):
            count.with_user(self.auditor_2).action_cancel()
        # An adjustment of Odoo's Physical Inventory is not filed under the session, whatever
        # the context its caller sends.
        quant = quants.search(
            [("product_id", "=", self.chair.id), ("location_id", "=", self.shelf_1.id)]
        )
        quant.with_context(inventory_mode=True).inventory_quantity = 12
        quant.with_context(running_inventory_count_id=count.id).action_apply_inventory()
        self.assertEqual(quants._get_available_quantity(self.chair, self.shelf_1), 12.0)
        self.assertEqual(len(count.move_ids), 3)

    def test_chatter_tracks_the_approval(self):
        count = self._create_count(self.auditor_1, [self.stock_location])
        count.with_user(self.auditor_1).action_start()
        self._enter_counts(
            count,
            self.counter_1,
            {(self.chair, None, None): 10, (self.desk, None, None): 20, (self.lamp, None, None): 4},
        )
        count.with_user(self.counter_1).action_count_done()
        count.with_user(self.counter_1).action_submit()
        tracked = count.with_user(self.auditor_1).with_context(
            tracking_disable=False, mail_notrack=False
        )
        # Tracking is written when a transaction commits, and skips records created in it:
        # run the commit hooks as separate requests would.
        self.env.cr.precommit.run()
        tracked.action_approve()
        self.env.cr.precommit.run()
        values = count.message_ids.tracking_value_ids
        approver = values.filtered(lambda value: value.field_id.name == "user_approved_id")
        self.assertEqual(approver.new_value_char, self.auditor_1.name)
        self.assertEqual(approver.mail_message_id.author_id, self.auditor_1.partner_id)
        self.assertIn("date_done", values.field_id.mapped("name"))
        self.assertFalse(count.move_ids, "counted as expected: nothing to adjust")
