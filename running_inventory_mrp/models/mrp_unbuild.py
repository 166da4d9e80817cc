from odoo import fields, models

from odoo.addons.running_inventory.tools.rpc import rpc_record


class MrpUnbuild(models.Model):
    _inherit = "mrp.unbuild"

    valuation_variance_move_id = fields.Many2one(
        "account.move",
        string="Production Variance Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Perpetual valuation: the entry that clears what the unbuild left on work in "
        "progress (for standard cost, the gap between the finished product's standard value "
        "and the components' value).",
    )

    @rpc_record  # malformed ids: a UserError, not a traceback
    def action_unbuild(self):
        result = super().action_unbuild()
        production = self.env["mrp.production"]
        for unbuild in self.filtered(
            lambda u: u.state == "done" and not u.valuation_variance_move_id
        ):
            unbuild.valuation_variance_move_id = production._post_perpetual_wip_clearing(
                unbuild.produce_line_ids | unbuild.consume_line_ids,
                unbuild.product_id,
                unbuild.name,
                production.env["mrp.workorder"],
            )
        return result
