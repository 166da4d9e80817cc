from collections import defaultdict

from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def _accumulate_amounts(self, data):
        # Odoo adds its own stock lines for its "at invoicing" mode only; perpetual products'
        # pickings posted their delivery already: the closing takes their cost of goods sold
        # off goods delivered not invoiced, never off stock a second time (the lines are made
        # with Odoo's stock lines, in `_create_stock_valuation_lines`).
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
        """What the pickings posted on goods delivered not invoiced (returns negative), per
        product: the closing debits each product's expense account with it and credits goods
        delivered not invoiced, with the product and its quantity, so that the interim account
        nets to zero in value and in quantity."""
        moves = self.sudo()._get_perpetual_uninvoiced_moves()
        cost_of_sales = defaultdict(lambda: {"amount": 0.0, "quantity": 0.0})
        data["perpetual_cost_of_sales"] = cost_of_sales
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
                ["balance:sum", "quantity:sum"],
            )
        )
        for move, account, balance, quantity in posted:
            gdni, expense = gdni_of[move]
            if account != gdni:
                continue
            amounts = cost_of_sales[expense, gdni, move.product_id]
            amounts["amount"] += balance
            amounts["quantity"] += quantity
        return data

    def _create_stock_valuation_lines(self, data):
        data = super()._create_stock_valuation_lines(data)
        data["MoveLine"].create(self._prepare_perpetual_cost_of_sales_lines(data))
        return data

    def _prepare_perpetual_cost_of_sales_lines(self, data):
        """The closing's cost of goods sold lines: per product, debit its expense account and
        credit goods delivered not invoiced."""
        vals = []
        for (expense, gdni, product), amounts in data.get("perpetual_cost_of_sales", {}).items():
            amount = self.company_id.currency_id.round(amounts["amount"])
            if self.company_id.currency_id.is_zero(amount):
                continue
            common = {
                "move_id": self.move_id.id,
                "product_id": product.id,
                "product_uom_id": product.uom_id.id,
                "name": self.env._("%(product)s: cost of sales", product=product.display_name),
            }
            vals += [
                self._debit_amounts(
                    {**common, "account_id": expense.id, "quantity": amounts["quantity"]},
                    amount,
                    amount,
                    force_company_currency=True,
                ),
                self._credit_amounts(
                    {**common, "account_id": gdni.id, "quantity": -amounts["quantity"]},
                    amount,
                    amount,
                    force_company_currency=True,
                ),
            ]
        return vals
