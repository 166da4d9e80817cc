# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockLot(models.Model):
    """Counters read the lots they count, never what the lots hold."""

    _name = "stock.lot"
    _inherit = ["stock.lot", "running.inventory.blind.mixin"]

    _blind_figure_fields = frozenset({"product_qty", "avg_cost", "total_value", "delivery_count"})
