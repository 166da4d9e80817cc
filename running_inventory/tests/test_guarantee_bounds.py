# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestGuaranteeBounds(TransactionCase):
    def test_line_being_added_without_product_is_not_over_threshold(self):
        """ "Add a line" in a session's form: the new line has no product, hence no unit yet."""
        count = self.env["running.inventory.count"].new(
            {"threshold_quantity_percent": 5.0, "threshold_value": 100.0}
        )
        line = self.env["running.inventory.count.line"].new({"count_id": count.id})
        self.assertFalse(line.is_over_threshold)
