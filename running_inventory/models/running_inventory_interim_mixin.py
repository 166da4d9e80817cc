from odoo import models


class RunningInventoryInterimMixin(models.AbstractModel):
    """Order lines whose goods wait on an interim account for their bill or invoice (goods
    received / delivered not invoiced), as the posting service clears them
    (`running.inventory.posting._post_interim_clearing`).

    A model using it says how much has moved (`_get_perpetual_moved_quantity`), which interim
    account and journal item field are its own, and where a settled line's remainder goes.
    """

    _name = "running.inventory.interim.mixin"
    _description = "Order Line with an Interim Account"

    def _get_perpetual_moved_quantity(self):
        """Quantity received or delivered, in the line's unit."""
        raise NotImplementedError

    def _get_perpetual_interim_link_field(self):
        """The account.move.line field tying interim journal items to these lines."""
        raise NotImplementedError

    def _get_perpetual_interim_account_key(self):
        """The key of the interim account in the product's perpetual accounts."""
        raise NotImplementedError

    def _get_perpetual_clearing_account_key(self):
        """The key of the account taking what a settled line leaves on the interim account."""
        raise NotImplementedError

    def _get_perpetual_interim_balances(self):
        """Posted balance and quantity of the interim journal items per line:
        {line: (balance, quantity)}."""
        return self.env["account.move.line"]._get_perpetual_interim_balances(
            self._get_perpetual_interim_link_field(), self
        )

    def _filter_perpetual_settled(self):
        """The lines of perpetual products moved and invoiced in full, by posted documents."""
        return self.filtered(
            lambda line: (
                line.product_id
                and line.with_company(line.company_id).product_id._is_perpetual()
                and line._is_perpetual_settled()
            )
        )

    def _get_perpetual_posted_invoiced_quantity(self):
        self.ensure_one()
        return self.invoice_lines._get_perpetual_posted_quantity(self.product_uom_id)

    def _is_perpetual_settled(self):
        """Moved and invoiced in full, by posted documents."""
        self.ensure_one()
        moved = self._get_perpetual_moved_quantity()
        return bool(moved) and not self.product_uom_id.compare(
            moved, self._get_perpetual_posted_invoiced_quantity()
        )
