# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockPackage(models.Model):
    """Counters read the packages they count, not their contents' quantities or weight."""

    _name = "stock.package"
    _inherit = ["stock.package", "running.inventory.blind.mixin"]

    # `weight`: the delivery module's, computed from the quants.
    _blind_figure_fields = frozenset({"content_description", "weight"})
