# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

COUNTER_GROUP = "running_inventory.group_inventory_counter"
STOCK_USER_GROUP = "stock.group_stock_user"
# Models whose records give away what is in stock: a blind counter reaches none of them, neither
# directly (record rules, access rights) nor through a field of a model it may read.
STOCK_FIGURE_MODELS = frozenset(
    {"stock.quant", "stock.move", "stock.move.line", "stock.warehouse.orderpoint"}
)

# What product.product and product.template tell of their stock, beyond the relations above.
PRODUCT_STOCK_FIGURES = frozenset(
    {
        "qty_available",
        "virtual_available",
        "free_qty",
        "incoming_qty",
        "outgoing_qty",
        "nbr_moves_in",
        "nbr_moves_out",
        "nbr_reordering_rules",
        "reordering_min_qty",
        "reordering_max_qty",
        "avg_cost",
        "total_value",
    }
)


class RunningInventoryBlindMixin(models.AbstractModel):
    """Hides the stock figures of a model a counter reads (names, barcodes, lots) from counters.

    An Inventory Counter who is not an Inventory / User counts blind: the quantities, values and
    movement counts of the products and lots they count are fields they may not read or search
    (`_has_field_access`, Odoo's hook for per-field rights), like any field with ``groups``.
    Models list their figures in `_blind_figure_fields`; every relation to the stock models is
    hidden too.
    """

    _name = "running.inventory.blind.mixin"
    _description = "Stock Figures Hidden from Counters"

    _blind_figure_fields = frozenset()

    @api.model
    def _has_field_access(self, field, operation):
        if not super()._has_field_access(field, operation):
            return False
        if self.env.su or not (
            field.name in self._blind_figure_fields
            or getattr(field, "comodel_name", None) in STOCK_FIGURE_MODELS
        ):
            return True
        return not self._is_blind_counter()

    @api.model
    def _is_blind_counter(self):
        """A counter without Inventory / User rights: counts without knowing what to expect."""
        user = self.env.user
        return user.has_group(COUNTER_GROUP) and not user.has_group(STOCK_USER_GROUP)
