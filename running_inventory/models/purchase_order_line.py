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
        """Quantity on posted invoices (credit notes deducted): Odoo's own `qty_invoiced`
        also counts drafts, which post nothing yet."""
        self.ensure_one()
        quantity = 0.0
        for line in self.invoice_lines.filtered(lambda line: line.parent_state == "posted"):
            sign = -1 if line.move_id.move_type == "in_refund" else 1
            quantity += sign * line.product_uom_id._compute_quantity(
                line.quantity, self.product_uom_id
            )
        return quantity

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
