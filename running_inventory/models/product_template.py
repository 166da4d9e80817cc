from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.rpc import rpc_record
from .res_company import PERPETUAL
from .running_inventory_blind_mixin import PRODUCT_STOCK_FIGURES


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "running.inventory.blind.mixin"]

    # Blind counting: what a counter may not read of the products it counts.
    _blind_figure_fields = PRODUCT_STOCK_FIGURES

    valuation = fields.Selection(selection_add=[(PERPETUAL, "Perpetual (at each movement)")])

    def _search_valuation(self, operator, value):
        if operator == "=" and value == PERPETUAL:
            # Odoo's search only knows its own two modes; the domain is the same shape.
            return [
                "|",
                ("categ_id.property_valuation", "=", PERPETUAL),
                "&",
                "|",
                ("categ_id.property_valuation", "=", False),
                ("categ_id", "=", False),
                ("company_id.inventory_valuation", "=", PERPETUAL),
            ]
        return super()._search_valuation(operator, value)

    def write(self, vals):
        if "categ_id" not in vals:
            return super().write(vals)
        former_accounts = self._read_perpetual_stock_accounts()
        former_cost_methods = {template: template.cost_method for template in self}
        result = super().write(vals)
        # Odoo re-values a product on a change of its category's cost method, not on a move
        # to a category of another method; its value must be the new method's before posting.
        revalued = self.filtered(
            lambda t: t.valuation == PERPETUAL and t.cost_method != former_cost_methods[t]
        ).product_variant_ids
        revalued._update_standard_price()
        # Where the goods are, and in the current company even without stock: goods sold
        # short there next are valued at the cost carried, not at an empty average.
        for company in self.env.company.union(*former_accounts):
            revalued.with_company(company)._carry_cost_into_average()
        self.env["running.inventory.posting"]._post_stock_account_changes(former_accounts)
        return result

    def _read_perpetual_stock_accounts(self):
        """{company: {variant: stock valuation account}} in each company holding stock of
        these products: the account valuing each variant there (empty where the product is not
        in the perpetual valuation). Read before a change of category, to post the move from
        one account to the other after it. From the templates' category: a variant's
        `categ_id` already shows the category being written."""
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id.product_tmpl_id", "in", self.ids),
                    ("location_id.usage", "in", ("internal", "transit")),
                    ("company_id", "!=", False),
                ],
                ["company_id", "product_id"],
            )
        )
        Category = self.env["product.category"]
        accounts = defaultdict(dict)
        for company, product in groups:
            template = product.product_tmpl_id.with_company(company)
            stock_account = template.env["account.account"]
            if template.is_storable and template.valuation == PERPETUAL:
                account_ids = Category._get_perpetual_account_ids(template.categ_id.id, company.id)
                stock_account = stock_account.browse(account_ids.get("stock_valuation"))
            accounts[company][product] = stock_account
        return accounts

    def _get_product_accounts(self):
        accounts = super()._get_product_accounts()
        company = self.env.company
        accounts.update(
            {
                "grni": self._get_category_account("property_stock_grni_account_id")
                or company.account_stock_grni_id,
                "gdni": self._get_category_account("property_stock_gdni_account_id")
                or company.account_stock_gdni_id,
                "price_difference": self._get_category_account(
                    "property_price_difference_account_id"
                ),
            }
        )
        return accounts

    def _get_category_account(self, field_name):
        """A category account property, or its company default for a product without category
        (as stock_account reads the stock valuation account)."""
        category = self.categ_id
        return category[field_name] or category._fields[field_name].get_company_dependent_fallback(
            category
        )

    def _get_perpetual_accounts(self, required=()):
        """The accounts the perpetual mode posts to, checked: a missing one stops the operation.

        :param required: the keys of `_get_product_accounts` the caller is about to use.
        """
        self.ensure_one()
        accounts = self.get_product_accounts()
        labels = {
            "stock_valuation": self.env._("Stock Valuation Account"),
            "stock_variation": self.env._(
                "Stock Variation Account (on the stock valuation account)"
            ),
            "stock_journal": self.env._("Stock Journal"),
            "grni": self.env._("Goods Received Not Invoiced Account"),
            "gdni": self.env._("Goods Delivered Not Invoiced Account"),
            "expense": self.env._("Expense Account (cost of goods sold)"),
            "price_difference": self.env._("Price Difference Account"),
        }
        missing = [
            labels[key]
            for key in ("stock_valuation", "stock_journal", *required)
            if not accounts[key]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Perpetual valuation of %(product)s cannot be posted: set the %(accounts)s on "
                    "the product category %(category)s or on the company %(company)s.",
                    product=self.display_name,
                    accounts=", ".join(missing),
                    category=self.categ_id.display_name,
                    company=self.env.company.display_name,
                )
            )
        return accounts

    @api.readonly
    @rpc_record
    def action_open_running_ledger(self):
        """The running stock ledger of this product's variants."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_ledger_action"
        )
        action["domain"] = [("product_tmpl_id", "=", self.id)]
        action["context"] = {"search_default_group_product": self.product_variant_count > 1}
        return action
