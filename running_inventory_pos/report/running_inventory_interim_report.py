from odoo import api, models
from odoo.tools import SQL


class RunningInventoryInterimReport(models.Model):
    _inherit = "running.inventory.interim.report"

    @api.model
    def _get_other_document_key(self):
        """A point of sale's goods delivered not invoiced: the session's pickings debit them,
        its closing (orders not invoiced) and its orders' invoices credit them, per product.
        One document per session and product, settled once the session is closed."""
        return SQL(
            """COALESCE(
                (SELECT 'pos' || picking.pos_session_id || '-' || aml.product_id
                   FROM stock_move move
                   JOIN stock_picking picking ON picking.id = move.picking_id
                  WHERE move.id = aml.stock_move_id AND picking.pos_session_id IS NOT NULL),
                (SELECT 'pos' || MIN(session.id) || '-' || aml.product_id
                   FROM pos_session session WHERE session.move_id = aml.move_id),
                (SELECT 'pos' || MIN(pos_order.session_id) || '-' || aml.product_id
                   FROM pos_order WHERE pos_order.account_move = aml.move_id),
                %s)""",
            super()._get_other_document_key(),
        )
