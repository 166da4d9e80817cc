# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged

from .common_counts import RunningInventoryCountCommon


@tagged("post_install", "-at_install")
class TestCountScan(RunningInventoryCountCommon):
    """Floor entry: the scan field takes location, product and lot barcodes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("stock.group_production_lot")
        cls.shelf_2.barcode = "SHELF-2"
        cls.chair = cls._create_product("Chair", barcode="SCAN-CHAIR")
        cls.lamp = cls._create_product("Lamp", tracking="lot")
        cls.lamp_lot = cls.env["stock.lot"].create(
            {"name": "LAMP-7", "product_id": cls.lamp.id, "company_id": cls.company.id}
        )
        cls._receive(cls.chair, 2, cls.shelf_1)
        cls._receive(cls.chair, 3, cls.shelf_2)
        cls._receive(cls.lamp, 1, cls.shelf_1, lot=cls.lamp_lot)
        cls.count = cls._create_count(cls.auditor_1, [cls.stock_location])
        cls.count.with_user(cls.auditor_1).action_start()

    def test_scans_increment_lines_and_add_found_goods(self):
        with Form(self.count.with_user(self.counter_1)) as form:
            form.scan_barcode = "SCAN-CHAIR"  # no location scanned yet: the first chair line
            form.scan_barcode = "SHELF-2"
            self.assertEqual(form.scan_location_id, self.shelf_2)
            form.scan_barcode = "SCAN-CHAIR"
            form.scan_barcode = "SCAN-CHAIR"
            form.scan_barcode = "LAMP-7"  # the lamp is expected on shelf 1, found on shelf 2
            with self.assertLogs("odoo.tests.form.onchange", "WARNING"):
                form.scan_barcode = "NOTHING-LIKE-THIS"
            self.assertFalse(form.scan_barcode)
        self.assertRecordValues(
            self._line(self.count, self.chair, self.shelf_1),
            [{"quantity_counted": 1.0, "status": "counted", "counter_id": self.counter_1.id}],
        )
        self.assertEqual(self._line(self.count, self.chair, self.shelf_2).quantity_counted, 2.0)
        found = self._line(self.count, self.lamp, self.shelf_2)
        self.assertRecordValues(
            found,
            [{"lot_id": self.lamp_lot.id, "quantity_counted": 1.0, "is_unexpected": True,
              "quantity_snapshot": 0.0, "status": "counted"}],
        )  # fmt: skip
        self.assertEqual(self._line(self.count, self.lamp, self.shelf_1).status, "to_count")
        self.assertEqual(self.count.sudo().line_ids[-1], found, "found goods come last")

    def test_scans_only_while_counting(self):
        """A scanner types anywhere on the form (barcode handler): the server checks the state."""
        self.count.with_user(self.auditor_1).action_cancel()
        result = self.count.with_user(self.counter_1).on_barcode_scanned("SCAN-CHAIR")
        self.assertIn("not being counted", result["warning"]["message"])
        self.assertFalse(self.count.sudo().line_ids.filtered("is_counted"))
