from odoo import models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    def _get_perpetual_grni_balances(self):
        """Goods received not invoiced per purchase line: {line: (balance, quantity)}.

        Negative: received and not billed yet (a credit on the interim liability); positive:
        billed ahead of the goods."""
        return self.env["account.move.line"]._get_perpetual_interim_balances(
            "interim_purchase_line_id", self
        )

    def _get_perpetual_posted_invoiced_quantity(self):
        self.ensure_one()
        return self.invoice_lines._get_perpetual_posted_quantity(self.product_uom_id)

    def _is_perpetual_settled(self):
        """Received and invoiced in full, by posted documents."""
        self.ensure_one()
        return bool(self.qty_received) and not self.product_uom_id.compare(
            self.qty_received, self._get_perpetual_posted_invoiced_quantity()
        )

    def _post_perpetual_grni_clearing(self):
        """A purchase line received and billed in full owes nothing on goods received not
        invoiced: what is left there is a price difference (receipt value against bill, a
        return against its refund, exchange rates)."""
        lines = self.filtered(
            lambda line: (
                line.product_id
                and line.with_company(line.company_id).product_id._is_perpetual()
                and line._is_perpetual_settled()
            )
        )
        if lines:
            self.env["account.move.line"]._post_perpetual_interim_clearing(
                lines._get_perpetual_grni_balances(),
                "grni",
                "interim_purchase_line_id",
                lambda line: line.product_id._get_perpetual_price_difference_key(),
            )
