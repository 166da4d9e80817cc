from odoo import fields, models


class StockLocation(models.Model):
    # Counters read the locations they count, not the weight of what they hold (the quants
    # and move lines these figures come from are hidden too).
    _name = "stock.location"
    _inherit = ["stock.location", "running.inventory.blind.mixin"]

    _blind_figure_fields = frozenset({"net_weight", "forecast_weight", "is_empty"})

    # Odoo's field re-qualifies what leaves the stock for adjustment, scrap and production
    # locations. Perpetual valuation also reads it on internal and transit locations: stock held
    # there is valued on that account instead of the product category's (goods in transit,
    # consignment at a customer, ...), and transfers across such locations post a reclassification.
    valuation_account_id = fields.Many2one(
        help="Adjustment, scrap and production locations: the counterpart of the stock valuation "
        "account for what enters or leaves the stock through this location (empty: the "
        "company's inventory gains and losses, or production WIP account).\n"
        "Internal and transit locations (perpetual valuation): the account on which the stock "
        "held here is valued, instead of the product category's stock valuation account."
    )

    def _get_perpetual_external_account(self):
        """The account facing the stock for goods that enter from or leave to this location
        when it is not valued (inventory adjustment, scrap, production): its own Stock
        Valuation Account, else the company's account for its kind."""
        self.ensure_one()
        if self.valuation_account_id:
            return self.valuation_account_id
        company = self.company_id or self.env.company
        if self.usage == "inventory":
            return company.account_inventory_gain_loss_id
        if self.usage == "production":
            return company.account_production_wip_account_id
        return self.env["account.account"]

    def _get_perpetual_stock_account(self, accounts):
        """The account valuing the stock held in this location, given the product's accounts."""
        self.ensure_one()
        return self.valuation_account_id or accounts["stock_valuation"]
