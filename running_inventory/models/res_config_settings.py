from odoo import fields, models

from ..tools.rpc import rpc_record
from .res_company import COUNT_THRESHOLD_BOUNDS


# Odoo's settings live in models/ (OCA layout); a mixin in _inherit makes pylint-odoo take
# them for a wizard of the addon's own.
class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "running.inventory.bounds.mixin"]
    # Checked here too: the settings convert (round) the values before the company does.
    _number_bounds = COUNT_THRESHOLD_BOUNDS

    inventory_valuation = fields.Selection(
        related="company_id.inventory_valuation", readonly=False, string="Inventory Valuation"
    )
    perpetual_valuation_date = fields.Datetime(related="company_id.perpetual_valuation_date")
    account_stock_journal_id = fields.Many2one(
        related="company_id.account_stock_journal_id", readonly=False
    )
    account_stock_valuation_id = fields.Many2one(
        related="company_id.account_stock_valuation_id", readonly=False
    )
    account_stock_grni_id = fields.Many2one(
        related="company_id.account_stock_grni_id", readonly=False
    )
    account_stock_gdni_id = fields.Many2one(
        related="company_id.account_stock_gdni_id", readonly=False
    )
    account_inventory_gain_loss_id = fields.Many2one(
        related="company_id.account_inventory_gain_loss_id", readonly=False
    )

    count_threshold_quantity_percent = fields.Float(
        related="company_id.count_threshold_quantity_percent", readonly=False
    )
    count_threshold_value = fields.Monetary(
        related="company_id.count_threshold_value", readonly=False
    )

    @rpc_record
    def action_open_perpetual_go_live(self):
        self.ensure_one()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.stock_valuation_go_live_action"
        )

    stock_reconciliation_user_id = fields.Many2one(
        related="company_id.stock_reconciliation_user_id", readonly=False
    )
