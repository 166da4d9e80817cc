# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
import re

from odoo.exceptions import ValidationError
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

    def test_plan_figures_are_finite_per_field(self):
        """NaN and ±Infinity typed on a count plan: a ValidationError naming the field, before
        Odoo rounds the amount (a ValueError or OverflowError otherwise)."""
        plans = self.env["running.inventory.count.plan"]
        plan = plans.search([], limit=1) or plans.create(
            {"warehouse_id": self.env.ref("stock.warehouse0").id}
        )
        labels = {
            "abc_percent_a": "Class A (% of Value)",
            "abc_percent_b": "Class B (% of Value)",
            "threshold_quantity_percent": "Recount Above (Quantity %)",
            "threshold_value": "Recount Above (Value)",
        }
        for fname, label in labels.items():
            for value in (math.nan, math.inf, -math.inf):
                with (
                    self.subTest(fname=fname, value=value),
                    self.assertRaisesRegex(ValidationError, re.escape(f"{label} must be a number")),
                ):
                    plan.write({fname: value})
        plan.write({"threshold_value": 250.0, "threshold_quantity_percent": 12.5})
        self.assertEqual((plan.threshold_value, plan.threshold_quantity_percent), (250.0, 12.5))

    def test_reordering_rule_quantities_are_finite_per_field(self):
        rule = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.env["product.product"]
                .create({"name": "Bounded bolt", "is_storable": True})
                .id,
                "location_id": self.env.ref("stock.warehouse0").lot_stock_id.id,
            }
        )
        for fname in ("product_min_qty", "product_max_qty", "qty_to_order", "qty_to_order_manual"):
            label = rule._fields[fname]._description_string(self.env)
            for value in (math.nan, math.inf, -math.inf, "nan"):
                with (
                    self.subTest(fname=fname, value=value),
                    self.assertRaisesRegex(
                        ValidationError, re.escape(f"{label} must be a finite number")
                    ),
                ):
                    rule.write({fname: value})
        with self.assertRaisesRegex(ValidationError, "must be a finite number"):
            self.env["stock.warehouse.orderpoint"].create(
                {"product_id": rule.product_id.id, "product_min_qty": math.inf}
            )
