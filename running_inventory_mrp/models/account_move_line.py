from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _get_perpetual_invoiced_cost(self, quantity, pool):
        # A kit's sale line delivered its components: what waits on goods delivered not
        # invoiced is counted in components, the invoice in kits.
        per_kit = self._get_perpetual_kit_component_quantity()
        if not per_kit:
            return super()._get_perpetual_invoiced_cost(quantity, pool)
        kit_pool = [pool[0] / per_kit, pool[1]]
        cost = super()._get_perpetual_invoiced_cost(quantity, kit_pool)
        pool[0], pool[1] = kit_pool[0] * per_kit, kit_pool[1]
        return cost

    def _get_perpetual_kit_component_quantity(self):
        """Quantity of components one unit of this line's kit delivers (0: not a kit)."""
        self.ensure_one()
        product = self.product_id
        bom = (
            self.env["mrp.bom"]
            ._bom_find(product, company_id=self.company_id.id, bom_type="phantom")
            .get(product)
        )
        if not bom:
            return 0.0
        _boms, lines = bom.explode(product, 1.0)
        return sum(
            bom_line.product_uom_id._compute_quantity(data["qty"], bom_line.product_id.uom_id)
            for bom_line, data in lines
        )
