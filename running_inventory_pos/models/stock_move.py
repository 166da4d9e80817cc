from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_perpetual_counterpart_account(self, location, accounts, incoming):
        # A point of sale order shipped later is sold at its session's closing, which books
        # its revenue but not its goods (they have not left yet, as in Odoo's own closing):
        # when they leave, with no invoice to wait for, they are cost of goods sold at once.
        if location.usage == "customer" and self._is_perpetual_pos_shipped_later_sale():
            return self.product_id._require_perpetual_account(accounts, "expense")
        return super()._get_perpetual_counterpart_account(location, accounts, incoming)

    def _is_perpetual_pos_shipped_later_sale(self):
        """Goods of a point of sale order shipped later and not invoiced."""
        self.ensure_one()
        order = self.picking_id.pos_order_id
        return bool(order.shipping_date and not order.to_invoice)
