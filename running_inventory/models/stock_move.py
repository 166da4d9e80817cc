# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    count_id = fields.Many2one(
        "running.inventory.count",
        string="Count Session",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The approved count session whose difference this inventory adjustment applies.",
    )
