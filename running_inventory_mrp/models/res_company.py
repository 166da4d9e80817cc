from odoo import models

from odoo.addons.running_inventory.models.res_company import PERPETUAL


class ResCompany(models.Model):
    _inherit = "res.company"

    def _get_accounts_by_product(self, products=None):
        # A kit's stock is its components' (Odoo computes its quantity from theirs): in the
        # perpetual mode the books hold the components, and Odoo's closing must not value the
        # kit's computed quantity at the kit's own cost beside them.
        accounts_by_product = super()._get_accounts_by_product(products)
        if self.inventory_valuation != PERPETUAL or not accounts_by_product:
            return accounts_by_product
        products = self.env["product.product"].concat(*accounts_by_product)
        kits = self.env["mrp.bom"]._bom_find(products, company_id=self.id, bom_type="phantom")
        return {
            product: accounts
            for product, accounts in accounts_by_product.items()
            if not (kits.get(product) and product._is_perpetual())
        }
