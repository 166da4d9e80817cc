from odoo import fields, models

from odoo.addons.running_inventory.tools.rpc import rpc_record


class AccountMove(models.Model):
    _inherit = "account.move"

    posted_landed_cost_ids = fields.One2many(
        "stock.landed.cost",
        "account_move_id",
        string="Landed Costs Posted",
        readonly=True,
        groups="stock.group_stock_manager",
        help="The landed costs this entry posts to the stock accounts.",
    )

    @rpc_record
    def action_view_posted_landed_costs(self):
        return self.posted_landed_cost_ids._get_records_action(name=self.env._("Landed Costs"))
