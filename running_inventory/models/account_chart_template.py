from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        result = super()._post_load_data(template_code, company, template_data)
        company = company or self.env.company
        # A company getting its chart now has no stock history yet (or keeps its mode if it
        # has one, and goes live through the go-live wizard).
        if company._has_done_stock_moves():
            company._perpetual_setup_accounts()
        else:
            company._perpetual_activate()
        return result
