from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _get_perpetual_gdni_balances(self):
        """Goods delivered not invoiced per sale line: {line: (balance, quantity)}.

        Positive: delivered and not invoiced yet (a debit on the interim asset); negative:
        invoiced ahead of the goods, or returned and not credited yet."""
        return self.env["account.move.line"]._get_perpetual_interim_balances(
            "interim_sale_line_id", self
        )

    def _get_perpetual_gdni_pools(self):
        """{line: [quantity, value]} still delivered and not invoiced, for invoice costing."""
        return {
            line: [quantity, balance]
            for line, (balance, quantity) in self._get_perpetual_gdni_balances().items()
        }

    def _get_perpetual_posted_invoiced_quantity(self):
        self.ensure_one()
        return self.invoice_lines._get_perpetual_posted_quantity(self.product_uom_id)

    def _is_perpetual_settled(self):
        """Delivered and invoiced in full, by posted documents."""
        self.ensure_one()
        return bool(self.qty_delivered) and not self.product_uom_id.compare(
            self.qty_delivered, self._get_perpetual_posted_invoiced_quantity()
        )

    def _post_perpetual_gdni_clearing(self):
        """A sale line delivered and invoiced in full has nothing left on goods delivered not
        invoiced: what remains is cost of goods sold (an invoice ahead of the goods took the
        cost of the day; the delivery's actual cost settles it)."""
        lines = self.filtered(
            lambda line: (
                line.product_id
                and line.with_company(line.company_id).product_id._is_perpetual()
                and line._is_perpetual_settled()
            )
        )
        if lines:
            self.env["account.move.line"]._post_perpetual_interim_clearing(
                lines._get_perpetual_gdni_balances(),
                "gdni",
                "interim_sale_line_id",
                lambda line: "expense",
            )
