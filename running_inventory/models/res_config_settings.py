# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    count_threshold_quantity_percent = fields.Float(
        related="company_id.count_threshold_quantity_percent", readonly=False
    )
    count_threshold_value = fields.Monetary(
        related="company_id.count_threshold_value", readonly=False
    )
