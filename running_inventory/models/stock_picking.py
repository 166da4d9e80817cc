from odoo import api, fields, models

from ..tools.rpc import rpc_record


class StockPicking(models.Model):
    _inherit = "stock.picking"

    perpetual_account_move_ids = fields.Many2many(
        "account.move",
        compute="_compute_perpetual_account_moves",
        string="Stock Valuation Entries",
        help="The journal entries that post the value of this transfer's movements: their "
        "movement entry and the revaluations that followed (a bill at another price, a "
        "landed cost, a corrected quantity).",
    )
    perpetual_account_move_count = fields.Integer(compute="_compute_perpetual_account_moves")

    @api.depends("move_ids.account_move_id", "move_ids.valuation_line_ids")
    def _compute_perpetual_account_moves(self):
        for picking in self:
            moves = picking.move_ids
            entries = moves.account_move_id | moves.valuation_line_ids.move_id
            picking.perpetual_account_move_ids = entries
            picking.perpetual_account_move_count = len(entries)

    @rpc_record
    def action_view_perpetual_account_moves(self):
        """The journal entries of this transfer's movements."""
        self.ensure_one()
        return self.env["account.move"]._get_perpetual_records_action(
            "account.action_move_journal_line",
            self.perpetual_account_move_ids,
            "account.view_move_form",
        )
