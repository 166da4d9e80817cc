from odoo import models


class PurchaseOrderLine(models.Model):
    """Goods received not invoiced, per purchase line (negative: received and not billed yet,
    a credit on the interim liability; positive: billed ahead of the goods)."""

    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "running.inventory.interim.mixin"]

    def _get_perpetual_moved_quantity(self):
        self.ensure_one()
        return self.qty_received

    def _get_perpetual_interim_link_field(self):
        return "interim_purchase_line_id"

    def _get_perpetual_interim_account_key(self):
        return "grni"

    def _get_perpetual_clearing_account_key(self):
        """A settled line's balance left on goods received not invoiced is a price
        difference (receipt value against bill, a return against its refund, exchange rates)."""
        self.ensure_one()
        return self.product_id._get_perpetual_price_difference_key()
