# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import Form, tagged

from .common_counts import RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountLineForm(RunningInventoryCountCommon):
    """Adding and editing lines in the session form, with every field half-filled, as an
    auditor (who sees Over Threshold and the values) and as a counter: no crash, and the
    Adjustments open as a list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("stock.group_production_lot")
        cls.auditor_1.group_ids |= cls.env.ref("stock.group_production_lot")
        cls.chair = cls._create_product("Chair", cost=10.0)
        cls.lamp = cls._create_product("Lamp", cost=20.0, tracking="lot")
        cls.lamp_lot = cls.env["stock.lot"].create(
            {"name": "LAMP-9", "product_id": cls.lamp.id, "company_id": cls.company.id}
        )
        cls._receive(cls.chair, 10, cls.shelf_1)

    def test_half_filled_lines_do_not_crash(self):
        count = self._create_count(self.auditor_1, [self.stock_location])
        count.with_user(self.auditor_1).action_start()
        stool = self._create_product("Stool", cost=7.0)
        for user, product, lot in (
            (self.auditor_1, self.lamp, self.lamp_lot),
            (self.counter_1, stool, self.env["stock.lot"]),
        ):
            with Form(count.with_user(user)) as form, form.line_ids.new() as line:
                # A quantity before anything else, then a product, removed and set again.
                line.quantity_counted = 3
                line.location_id = self.shelf_2
                line.product_id = product
                line.product_id = self.env["product.product"]
                line.quantity_counted = 0
                line.product_id = product
                if lot:
                    line.lot_id = lot
                line.quantity_counted = 3
        self.assertRecordValues(
            self._line(count, self.lamp) | self._line(count, stool),
            [{"lot_id": self.lamp_lot.id, "location_id": self.shelf_2.id, "quantity_counted": 3,
              "is_unexpected": True, "counter_id": self.auditor_1.id, "is_over_threshold": True},
             {"lot_id": False, "location_id": self.shelf_2.id, "quantity_counted": 3,
              "is_unexpected": True, "counter_id": self.counter_1.id, "is_over_threshold": True}],
        )  # fmt: skip
        with Form(count.with_user(self.auditor_1)) as form, form.line_ids.edit(0) as line:
            line.quantity_counted = 0
            line.quantity_counted = 12
        self.assertRecordValues(
            self._line(count, self.chair),
            [{"quantity_counted": 12.0, "is_counted": True, "is_over_threshold": True}],
        )

    def test_adjustments_open_as_a_list(self):
        count = self._create_count(self.auditor_1, [self.stock_location])
        count.with_user(self.auditor_1).action_start()
        self._enter_counts(count, self.counter_1, {(self.chair, None, None): 9})
        count.with_user(self.counter_1).action_count_done()
        count.with_user(self.counter_1).action_submit()
        count.with_user(self.auditor_1).action_approve()
        action = count.with_user(self.auditor_1).action_view_moves()
        self.assertEqual([view_type for _view, view_type in action["views"]], ["list", "form"])
        self.assertEqual(self.env["stock.move"].search(action["domain"]).mapped("quantity"), [1.0])
        arch = self.env["running.inventory.count.accuracy"].get_views([(False, "graph")])
        self.assertEqual(etree.fromstring(arch["views"]["graph"]["arch"]).get("type"), "bar")
        accuracy = self.env.ref("running_inventory.running_inventory_count_accuracy_action")
        self.assertEqual(accuracy.view_mode.split(",")[0], "pivot")
