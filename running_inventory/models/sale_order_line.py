from odoo import models


class SaleOrderLine(models.Model):
    """Goods delivered not invoiced, per sale line (positive: delivered and not invoiced yet,
    a debit on the interim asset; negative: invoiced ahead of the goods, or returned and not
    credited yet)."""

    _name = "sale.order.line"
    _inherit = ["sale.order.line", "running.inventory.interim.mixin"]

    def _get_perpetual_moved_quantity(self):
        self.ensure_one()
        return self.qty_delivered

    def _get_perpetual_interim_link_field(self):
        return "interim_sale_line_id"

    def _get_perpetual_interim_account_key(self):
        return "gdni"

    def _get_perpetual_clearing_account_key(self):
        """A settled line's balance left on goods delivered not invoiced is cost of goods sold
        (an invoice ahead of the goods took the cost of the day; the delivery settles it)."""
        return "expense"

    def _get_perpetual_gdni_pools(self):
        """{line: [quantity, value]} still delivered and not invoiced, for invoice costing."""
        return {
            line: [quantity, balance]
            for line, (balance, quantity) in self._get_perpetual_interim_balances().items()
        }
