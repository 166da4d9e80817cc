from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _get_perpetual_revalued_moves(self):
        # Odoo values a subcontracted product with its service's bill: the bill re-values the
        # finished moves of the orders its receipts made.
        moves = super()._get_perpetual_revalued_moves()
        receipts = self.invoice_line_ids.purchase_line_id.move_ids.filtered("is_subcontract")
        finished = receipts.move_orig_ids.filtered(
            lambda m: m.state == "done" and m.is_in and m.production_id.subcontractor_id
        )
        return moves | finished
