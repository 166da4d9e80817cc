# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RunningInventoryCountEntry(models.Model):
    """Every count and recount entered on a line, by whom and when: the audit trail of a session.

    Entries are written by the server only (see running.inventory.count.line._record_counts)
    and read by auditors only; a recount replaces the count on its line, never here.
    """

    _name = "running.inventory.count.entry"
    _description = "Count Entry"
    _order = "line_id, date, id"
    _rec_name = "line_id"

    line_id = fields.Many2one(
        "running.inventory.count.line", required=True, index=True, ondelete="cascade"
    )
    # Set at creation rather than related: thousands of entries at once stay linear.
    count_id = fields.Many2one("running.inventory.count", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    product_id = fields.Many2one(related="line_id.product_id")
    location_id = fields.Many2one(related="line_id.location_id")
    lot_id = fields.Many2one(related="line_id.lot_id")
    product_uom_id = fields.Many2one(related="line_id.product_uom_id")
    user_id = fields.Many2one("res.users", string="Counter", required=True, index=True)
    date = fields.Datetime(required=True)
    kind = fields.Selection([("count", "Count"), ("recount", "Recount")], required=True)
    quantity = fields.Float(string="Counted", digits="Product Unit", required=True)
    quantity_expected = fields.Float(
        string="Expected",
        digits="Product Unit",
        help="On hand when this count was entered.",
    )
    quantity_difference = fields.Float(
        string="Difference", digits="Product Unit", compute="_compute_quantity_difference"
    )

    def _compute_quantity_difference(self):
        for entry in self:
            entry.quantity_difference = entry.quantity - entry.quantity_expected
