from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _get_perpetual_invoiced_cost(self, quantity, pool):
        # A point of sale order's invoice has no sale line: its cost of goods sold is what its
        # pickings posted on goods delivered not invoiced for the product, not today's cost.
        orders = self.move_id.sudo().pos_order_ids
        if self.sale_line_ids or not orders:
            return super()._get_perpetual_invoiced_cost(quantity, pool)
        return super()._get_perpetual_invoiced_cost(
            quantity, self._get_perpetual_pos_delivered(orders)
        )

    def _get_perpetual_pos_delivered(self, orders):
        """[quantity, value] the pickings of the point of sale `orders` delivered of this
        line's product and posted on goods delivered not invoiced (returns deducted)."""
        self.ensure_one()
        product = self.product_id.with_company(self.company_id)
        gdni = product._require_perpetual_account(
            product._get_perpetual_accounts_cached({}), "gdni"
        )
        moves = orders.picking_ids.move_ids.filtered(
            lambda m: m.product_id == product and m.state == "done"
        )
        lines = self.sudo().search(
            [
                ("stock_move_id", "in", moves.ids),
                ("account_id", "=", gdni.id),
                ("parent_state", "=", "posted"),
            ]
        )
        return [sum(lines.mapped("quantity")), sum(lines.mapped("balance"))]
