from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_perpetual_movement_lines(self, accounts):
        if not self.is_dropship:
            return super()._get_perpetual_movement_lines(accounts)
        return self._prepare_perpetual_dropship_lines(accounts)

    def _prepare_perpetual_dropship_lines(self, accounts):
        """Goods going from the vendor straight to the customer (or back): debit goods
        delivered not invoiced, credit goods received not invoiced, at the purchase value;
        the vendor bill and the customer invoice clear them. A return reverses it."""
        self.ensure_one()
        quantity = self._get_valued_qty()
        if self.product_id.uom_id.is_zero(quantity):
            return []
        # Odoo does not store a dropship's value at validation: it is the purchase value (or
        # the bill's, once billed).
        value = self.value or self.sudo()._get_value()
        sign = -1 if self._is_dropshipped_returned() else 1
        product = self.product_id
        gdni = product._require_perpetual_account(accounts, "gdni")
        grni = product._require_perpetual_account(accounts, "grni")
        partner = (self.picking_id.partner_id or self.partner_id).commercial_partner_id
        return [
            self._prepare_perpetual_line(
                gdni,
                sign * value,
                sign * quantity,
                partner_id=partner.id or None,
                interim_link=self._get_perpetual_interim_link(gdni, accounts),
            ),
            self._prepare_perpetual_line(
                grni,
                -sign * value,
                -sign * quantity,
                partner_id=self.purchase_line_id.partner_id.commercial_partner_id.id or None,
                interim_link=self._get_perpetual_interim_link(grni, accounts),
            ),
        ]
