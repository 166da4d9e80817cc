# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestScreenLabels(TransactionCase):
    """Settings that name each valuation mode in full; lists whose names are not cut."""

    def _arch(self, model, view_type):
        views = self.env[model].get_views([(False, view_type)])["views"]
        return etree.fromstring(views[view_type]["arch"])

    def test_valuation_modes_read_in_full(self):
        labels = dict(
            self.env["res.config.settings"]
            ._fields["inventory_valuation"]
            ._description_selection(self.env)
        )
        self.assertEqual(
            labels,
            {
                "periodic": "Periodic (at closing)",
                "real_time": "Perpetual (at invoicing)",
                "perpetual": "Perpetual (at each movement)",
            },
        )
        arch = self._arch("res.config.settings", "form")
        (field,) = arch.xpath(
            "//setting[@id='perpetual_valuation_mode']//field[@name='inventory_valuation']"
        )
        self.assertEqual(field.get("widget"), "radio")
        explained = "".join(arch.xpath("//setting[@id='perpetual_valuation_mode']//li//text()"))
        for label in labels.values():
            self.assertIn(label, explained)
        settings = Form(self.env["res.config.settings"])
        self.assertIn(settings.inventory_valuation, labels)

    def test_name_columns_keep_their_width(self):
        ledger = self._arch("running.inventory.ledger", "list")
        self.assertEqual(ledger.xpath("//field[@name='product_id']/@width"), ["200px"])
        orderpoints = self.env["stock.warehouse.orderpoint"].get_views(
            [(self.env.ref("stock.view_warehouse_orderpoint_tree_editable").id, "list")]
        )["views"]["list"]["arch"]
        self.assertEqual(
            etree.fromstring(orderpoints).xpath("//field[@name='product_id']/@width"), ["260px"]
        )
