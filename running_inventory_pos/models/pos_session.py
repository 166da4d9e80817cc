from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def _accumulate_amounts(self, data):
        # Odoo adds its own stock lines for its "at invoicing" mode only; perpetual products'
        # pickings posted their delivery already: the closing takes their cost of goods sold
        # off goods delivered not invoiced, never off stock a second time.
        data = super()._accumulate_amounts(data)
        return self._accumulate_perpetual_cost_of_sales(data)

    def _get_perpetual_uninvoiced_moves(self):
        """Done moves of perpetual products of the session's pickings whose orders are not
        invoiced (an invoice posts their cost of goods sold itself)."""
        self.ensure_one()
        orders = self.order_ids.filtered(lambda o: not o.is_invoiced and not o.shipping_date)
        pickings = orders.picking_ids | self.picking_ids.filtered(lambda p: not p.pos_order_id)
        return pickings.move_ids.filtered(
            lambda m: m.state == "done" and m.product_id.with_company(m.company_id)._is_perpetual()
        )

    def _accumulate_perpetual_cost_of_sales(self, data):
        """Debit each product's expense account, credit goods delivered not invoiced, with
        what the pickings posted on goods delivered not invoiced (returns negative)."""
        moves = self.sudo()._get_perpetual_uninvoiced_moves()
        if not moves:
            return data
        cache = {}
        gdni_of = {}
        for move in moves:
            product = move.product_id.with_company(move.company_id)
            accounts = product._get_perpetual_accounts_cached(cache)
            gdni_of[move] = (
                product._require_perpetual_account(accounts, "gdni"),
                product._require_perpetual_account(accounts, "expense"),
            )
        posted = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("stock_move_id", "in", moves.ids),
                    ("account_id", "in", [gdni.id for gdni, _expense in gdni_of.values()]),
                    ("parent_state", "=", "posted"),
                ],
                ["stock_move_id", "account_id"],
                ["balance:sum"],
            )
        )
        for move, account, balance in posted:
            gdni, expense = gdni_of[move]
            if account != gdni or self.currency_id.is_zero(balance):
                continue
            date = move.picking_id.date_done
            values = {"amount": balance}
            data["stock_expense"][expense] = self._update_amounts(
                data["stock_expense"][expense], values, date, force_company_currency=True
            )
            data["stock_valuation"][gdni] = self._update_amounts(
                data["stock_valuation"][gdni], values, date, force_company_currency=True
            )
        return data
