from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, index_exists

from .res_company import PERPETUAL

# What ties a journal item to the perpetual valuation: written by its posting service only
# (`_check_perpetual_marker_values`); the engine reads them to know what the books hold.
PERPETUAL_MARKERS = frozenset(
    {"stock_move_id", "stock_valuation_kind", "interim_purchase_line_id", "interim_sale_line_id"}
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    stock_move_id = fields.Many2one(
        "stock.move",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The stock movement whose value this journal item posts.",
    )
    stock_valuation_kind = fields.Selection(
        [
            ("movement", "Stock movement"),
            ("revaluation", "Revaluation"),
            ("opening", "Opening balance"),
            ("interim_clearing", "Interim account clearing"),
            ("invoice_cost", "Cost of goods invoiced"),
            ("reconciliation", "Reconciliation adjustment"),
        ],
        string="Stock Valuation Posting",
        readonly=True,
        copy=False,
        help="Set on the journal items posted by the perpetual valuation.",
    )

    interim_purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Purchase Line Awaiting Bill",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="Goods received not invoiced: the purchase line this interim item belongs to.",
    )
    interim_sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Line Awaiting Invoice",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="Goods delivered not invoiced: the sale line this interim item belongs to.",
    )

    def init(self):
        result = super().init()
        # The perpetual valuation reads, at every validation, the balance it has posted per
        # product and account: an index-only scan keeps that read flat as the history grows.
        if not index_exists(self.env.cr, "account_move_line_stock_valuation_balance_index"):
            self.env.cr.execute(
                SQL(
                    """
                    CREATE INDEX account_move_line_stock_valuation_balance_index
                        ON account_move_line (product_id, account_id, company_id)
                        INCLUDE (balance, quantity)
                     WHERE stock_valuation_kind IS NOT NULL AND parent_state = 'posted'
                    """
                )
            )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(name) for vals in vals_list for name in PERPETUAL_MARKERS):
            self._check_perpetual_marker_values()
        return super().create(vals_list)

    def write(self, vals):
        if PERPETUAL_MARKERS.intersection(vals):
            self._check_perpetual_marker_values()
        return super().write(vals)

    def _check_perpetual_marker_values(self):
        """A journal item marked as the perpetual valuation's is counted as posted by it: a
        user setting or clearing the mark would have the engine post a value twice or never."""
        if not self.env["running.inventory.posting"]._may_write_markers():
            raise AccessError(
                self.env._(
                    "The perpetual valuation fields of journal items (stock move, valuation "
                    "posting, interim order line) are set by the stock valuation only."
                )
            )

    def _compute_account_id(self):
        result = super()._compute_account_id()
        # Perpetual valuation: a vendor bill clears goods received not invoiced; the stock
        # account was debited at the receipt.
        for line in self:
            if not line.move_id.is_purchase_document() or not line._eligible_for_stock_account():
                continue
            product = line.with_company(line.company_id).product_id
            if product.valuation == PERPETUAL:
                accounts = product.product_tmpl_id.get_product_accounts(
                    fiscal_pos=line.move_id.fiscal_position_id
                )
                if accounts["grni"]:
                    line.account_id = accounts["grni"]
        return result

    def _get_perpetual_invoiced_cost(self, quantity, pool):
        """Cost of `quantity` (product UoM; negative for a credit note) of this invoice line,
        taken from what its sale line has delivered and not invoiced yet.

        :param pool: [quantity, value] delivered not invoiced for the sale line, updated
        """
        self.ensure_one()
        currency = self.company_currency_id
        pool_quantity, pool_value = pool
        product = self.product_id
        # Goods delivered (or returned) and not invoiced yet go at the cost they moved at;
        # quantities invoiced ahead of the goods take the current cost, and the delivery
        # settles the difference when the sale line is done.
        same_direction = (quantity > 0 and pool_quantity > 0) or (
            quantity < 0 and pool_quantity < 0
        )
        from_pool = min(abs(quantity), abs(pool_quantity)) if same_direction else 0.0
        from_pool = from_pool if quantity > 0 else -from_pool
        cost = pool_value * from_pool / pool_quantity if from_pool else 0.0
        cost += (quantity - from_pool) * product.standard_price
        cost = currency.round(cost)
        pool[0] -= quantity
        pool[1] -= cost
        return cost

    def _prepare_perpetual_invoice_cost_pair(self, quantity, cost, sale_line):
        self.ensure_one()
        if self.company_currency_id.is_zero(cost):
            return []
        move = self.move_id
        accounts = self.product_id.product_tmpl_id._get_perpetual_accounts(
            required=("gdni", "expense")
        )
        expense = move.fiscal_position_id.map_account(accounts["expense"])
        amount_currency = move.company_currency_id._convert(
            cost, move.currency_id, move.company_id, move.invoice_date or move.date
        )
        common = {
            "name": (self.name or "")[:64],
            "move_id": move.id,
            "partner_id": move.commercial_partner_id.id,
            "product_id": self.product_id.id,
            "product_uom_id": self.product_id.uom_id.id,
            "display_type": "cogs",
            "tax_ids": [],
            "cogs_origin_id": self.id,
            "currency_id": move.currency_id.id,
            "stock_valuation_kind": "invoice_cost",
        }
        return [
            {
                **common,
                "account_id": accounts["gdni"].id,
                "quantity": -quantity,
                "balance": -cost,
                "amount_currency": -amount_currency,
                "interim_sale_line_id": sale_line.id,
            },
            {
                **common,
                "account_id": expense.id,
                "quantity": quantity,
                "balance": cost,
                "amount_currency": amount_currency,
                "analytic_distribution": self.analytic_distribution,
            },
        ]

    # ------------------------------------------------------------------
    # Interim accounts per purchase / sale line
    # ------------------------------------------------------------------

    def _get_perpetual_posted_quantity(self, uom):
        """Quantity of these invoice lines on posted documents, credit notes deducted, in `uom`
        (Odoo's own `qty_invoiced` also counts drafts, which post nothing yet)."""
        quantity = 0.0
        for line in self.filtered(lambda line: line.parent_state == "posted"):
            sign = -1 if line.move_id.move_type in ("in_refund", "out_refund") else 1
            quantity += sign * line.product_uom_id._compute_quantity(line.quantity, uom)
        return quantity

    def _get_perpetual_interim_balances(self, link_field, order_lines):
        """Posted balance and quantity of the interim items of `order_lines` (grouped)."""
        if not order_lines:
            return {}
        groups = self.sudo()._read_group(
            [(link_field, "in", order_lines.ids), ("parent_state", "=", "posted")],
            [link_field],
            ["balance:sum", "quantity:sum"],
        )
        return {
            line.with_env(order_lines.env): (balance, quantity)
            for line, balance, quantity in groups
        }
