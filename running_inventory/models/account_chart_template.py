from odoo import models

from .res_company import PERPETUAL


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        """A chart loaded after the install (a new company) leaves the company in Odoo's own
        mode: the install put the companies of the time in the perpetual mode; a later one goes
        live through the go-live wizard. A company already in the mode gets the accounts it
        needs from its new chart."""
        result = super()._post_load_data(template_code, company, template_data)
        company = company or self.env.company
        if company.inventory_valuation == PERPETUAL:
            company._perpetual_setup_accounts()
        return result
