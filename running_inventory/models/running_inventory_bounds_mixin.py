# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..tools.bounds import raise_if_out_of_bounds


class RunningInventoryBoundsMixin(models.AbstractModel):
    """Numbers a user types within their bounds, refused with a message before Odoo rounds them
    (see tools/bounds.py): models list ``{field name: (lowest, highest)}`` in `_number_bounds`."""

    _name = "running.inventory.bounds.mixin"
    _description = "Finite Numbers within Bounds"

    _number_bounds = {}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            raise_if_out_of_bounds(self, vals, self._number_bounds)
        return super().create(vals_list)

    def write(self, vals):
        raise_if_out_of_bounds(self, vals, self._number_bounds)
        return super().write(vals)
