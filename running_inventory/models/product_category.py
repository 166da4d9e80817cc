from odoo import fields, models

from .res_company import PERPETUAL


class ProductCategory(models.Model):
    _inherit = "product.category"

    property_valuation = fields.Selection(
        selection_add=[(PERPETUAL, "Perpetual (at each movement)")],
        # Uninstalling: the categories fall back to their company's valuation.
        ondelete={PERPETUAL: "set null"},
    )
    property_stock_grni_account_id = fields.Many2one(
        "account.account",
        string="Goods Received Not Invoiced Account",
        company_dependent=True,
        ondelete="restrict",
        check_company=True,
        help="Perpetual valuation: interim account between the receipt and the vendor bill. "
        "Empty: the company's.",
    )
    property_stock_gdni_account_id = fields.Many2one(
        "account.account",
        string="Goods Delivered Not Invoiced Account",
        company_dependent=True,
        ondelete="restrict",
        check_company=True,
        help="Perpetual valuation: interim account between the delivery and the customer "
        "invoice. Empty: the company's.",
    )
    delivered_price_difference_to_cogs = fields.Boolean(
        string="Price Differences of Delivered Goods to COGS",
        help="Perpetual valuation: when a bill changes the value of goods that have already "
        "left the stock, post that part to the cost of goods sold instead of the price "
        "difference account.",
    )

    def write(self, vals):
        if vals.get("property_valuation") == PERPETUAL and not self.env.context.get(
            "perpetual_go_live"
        ):
            switching = self.filtered(lambda c: c.property_valuation != PERPETUAL)
            if switching:
                products = self.env["product.product"].search(
                    [("categ_id", "child_of", switching.ids)]
                )
                self.env.company._check_perpetual_without_stock(products)
        return super().write(vals)
