# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    count_threshold_quantity_percent = fields.Float(
        string="Recount Above (Quantity %)",
        default=5.0,
        help="A counted quantity that differs from the expected quantity by more than this share "
        "of the expected quantity needs a recount by another counter. 0 disables the check.",
    )
    count_threshold_value = fields.Monetary(
        string="Recount Above (Value)",
        currency_field="currency_id",
        default=100.0,
        help="A count whose difference is worth more than this amount needs a recount by "
        "another counter. 0 disables the check.",
    )

    _count_threshold_positive = models.Constraint(
        "CHECK(count_threshold_quantity_percent >= 0 AND count_threshold_value >= 0)",
        "Recount thresholds cannot be negative.",
    )
