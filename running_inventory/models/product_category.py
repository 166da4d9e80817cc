from odoo import api, fields, models
from odoo.tools import ormcache

from .res_company import PERPETUAL, sets_account_or_journal

# Accounts a product can set for itself, over its category's.
PRODUCT_ACCOUNTS = ("income", "expense")


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

    @api.model
    @ormcache("category_id", "company_id")
    def _get_perpetual_account_ids(self, category_id, company_id):
        """Ids of the accounts (and stock journal) a product of this category posts to in the
        perpetual valuation: Odoo's own computation for a product with no account of its own.

        Cached for the registry: every validation needs them, and Odoo reads a dozen company
        properties to compute them. Setting an account or journal on a category or a company,
        or an account's variation account, clears the cache (ir.default does it itself, for
        the companies' defaults of the category fields).
        """
        template = (
            self.env["product.template"]
            .with_company(company_id)
            .new({"categ_id": category_id or False})
        )
        return {
            key: account.id
            for key, account in template.get_product_accounts().items()
            if key not in PRODUCT_ACCOUNTS
        }

    def write(self, vals):
        if vals.get("property_valuation") == PERPETUAL and not (
            self.env["res.company"]._is_going_live()
        ):
            switching = self.filtered(lambda c: c.property_valuation != PERPETUAL)
            if switching:
                products = self.env["product.product"].search(
                    [("categ_id", "child_of", switching.ids)]
                )
                self.env.company._check_perpetual_without_stock(products)
        revalued = self._get_perpetual_products_revalued_by(vals)
        former_accounts = (
            revalued.product_tmpl_id._read_perpetual_stock_accounts()
            if "property_stock_valuation_account_id" in vals
            else {}
        )
        result = super().write(vals)
        if sets_account_or_journal(self, vals):
            # `_get_perpetual_account_ids` caches what these fields are.
            self.env.registry.clear_cache()
        posting = self.env["running.inventory.posting"]
        if former_accounts:
            posting._post_stock_account_changes(former_accounts)
        elif "property_cost_method" in vals and revalued:
            # Odoo re-values the products with the new method (`_update_standard_price`).
            revalued._carry_cost_into_average()
            posting._post_cost_changes(revalued)
        return result

    def _get_perpetual_products_revalued_by(self, vals):
        """The products whose stock a change of these categories moves to another account or
        values otherwise."""
        changed = self.browse()
        if "property_stock_valuation_account_id" in vals:
            changed |= self.filtered(
                lambda c: (
                    c.property_stock_valuation_account_id.id
                    != vals["property_stock_valuation_account_id"]
                )
            )
        if "property_cost_method" in vals:
            changed |= self.filtered(
                lambda c: c.property_cost_method != vals["property_cost_method"]
            )
        if not changed:
            return self.env["product.product"]
        return self.env["product.product"].search([("categ_id", "in", changed.ids)])
