from odoo import models


class RunningInventoryPosting(models.AbstractModel):
    _inherit = "running.inventory.posting"

    def _get_perpetual_origin_date(self, origin):
        # A landed cost has its own accounting date, which Odoo's own landed cost entry takes.
        if origin and origin._name == "stock.landed.cost" and origin.date:
            return origin.date
        return super()._get_perpetual_origin_date(origin)
