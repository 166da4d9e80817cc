from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    # Odoo's field re-qualifies what leaves the stock for adjustment, scrap and production
    # locations. Perpetual valuation also reads it on internal and transit locations: stock held
    # there is valued on that account instead of the product category's (goods in transit,
    # consignment at a customer, ...), and transfers across such locations post a reclassification.
    valuation_account_id = fields.Many2one(
        help="Adjustment, scrap and production locations: the counterpart of the stock valuation "
        "account for what enters or leaves the stock through this location.\n"
        "Internal and transit locations (perpetual valuation): the account on which the stock "
        "held here is valued, instead of the product category's stock valuation account."
    )

    def _get_perpetual_stock_account(self, accounts):
        """The account valuing the stock held in this location, given the product's accounts."""
        self.ensure_one()
        return self.valuation_account_id or accounts["stock_valuation"]
