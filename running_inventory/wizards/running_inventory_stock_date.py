from odoo import api, fields, models
from odoo.exceptions import UserError

from ..report.running_inventory_ledger import VALUE_GROUPS
from ..tools.bulk import end_of_day, insert_records
from ..tools.rpc import rpc_record
from ..tools.stock_valuation import split_by_quantity


class RunningInventoryStockDate(models.TransientModel):
    """Stock at a past date: the ledger up to that day, or what was on hand at its end per
    product, location and lot, at Odoo's own value of that day (``to_date`` valuation)."""

    _name = "running.inventory.stock.date"
    _description = "Stock at Date"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("running.inventory.stock.date.line", "wizard_id", readonly=True)

    def _check_date(self):
        self.ensure_one()
        if self.date > fields.Date.context_today(self):
            raise UserError(self.env._("Choose a date up to today."))

    @api.readonly
    @rpc_record
    def action_open_ledger(self):
        """The running ledger up to the end of the day (UTC, as Odoo's ``to_date`` valuation
        reads a date)."""
        self._check_date()
        moment = end_of_day(self.date)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_ledger_action"
        )
        action["domain"] = [("date", "<=", moment), ("company_id", "=", self.company_id.id)]
        action["display_name"] = self.env._(
            "Stock Ledger up to %(date)s", date=fields.Date.to_string(self.date)
        )
        return action

    @rpc_record
    def action_open_stock(self):
        """On hand at the end of the day, per product, location and lot, with its value."""
        self._check_date()
        self._fill_lines(self.env["running.inventory.valuation"]._get_moment(self.date))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_stock_date_line_action"
        )
        action["domain"] = [("wizard_id", "=", self.id)]
        action["display_name"] = self.env._(
            "Stock at %(date)s", date=fields.Date.to_string(self.date)
        )
        return action

    def _fill_lines(self, moment):
        """One line per product, location and lot in stock at `moment` (None: now); a
        product's value at that moment (Odoo's) is shared between its lines by quantity, as
        Odoo values the share of a warehouse."""
        self.ensure_one()
        self.line_ids.sudo().unlink()
        rows = self._get_line_rows(moment)
        insert_records(self.env["running.inventory.stock.date.line"].sudo(), rows)
        self.invalidate_recordset(["line_ids"])

    def _get_line_rows(self, moment):
        self.ensure_one()
        stocks = self.env["running.inventory.valuation"]._get_stock_at_date(
            self.company_id, moment, by_location=True
        )
        rows = []
        for stock in stocks.values():
            rows += self._prepare_line_rows(stock)
        return rows

    @api.model
    @api.readonly
    def get_stock_at_date(self, date):
        """What Stock at Date lists for `date` in the current company, without storing it:
        one dict per product, location and lot (ids, quantity, Odoo's value of that day). A
        read-only call, served by the database replica where there is one (db_replica_host).
        """
        self.check_access("read")
        try:
            day = fields.Date.to_date(date) if isinstance(date, str) else None
        except ValueError:
            day = None
        if not day:
            raise UserError(self.env._("Give the date as YYYY-MM-DD, not %(date)r.", date=date))
        wizard = self.new({"date": day})
        wizard._check_date()
        rows = wizard._get_line_rows(
            self.env["running.inventory.valuation"]._get_moment(wizard.date)
        )
        return [{key: row[key] for key in row if key != "wizard_id"} for row in rows]

    def _prepare_line_rows(self, stock):
        self.ensure_one()
        values = split_by_quantity(stock.value, stock.quantities, self.company_id.currency_id.round)
        return [
            {
                "wizard_id": self.id,
                "company_id": self.company_id.id,
                "product_id": stock.product_id,
                "categ_id": stock.categ_id,
                "location_id": location_id,
                "lot_id": lot_id,
                "quantity": quantity,
                "value": values[location_id, lot_id],
            }
            for (location_id, lot_id), quantity in stock.quantities.items()
        ]


class RunningInventoryStockDateLine(models.TransientModel):
    _name = "running.inventory.stock.date.line"
    _description = "Stock at Date: Line"
    _order = "product_id, location_id, lot_id"

    wizard_id = fields.Many2one(
        "running.inventory.stock.date", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(digits="Product Unit", readonly=True)
    value = fields.Monetary(readonly=True, groups=VALUE_GROUPS)
    unit_cost = fields.Monetary(compute="_compute_unit_cost", aggregator=None, groups=VALUE_GROUPS)

    @api.depends("quantity", "value")
    def _compute_unit_cost(self):
        for line in self:
            line.unit_cost = line.value / line.quantity if line.quantity else 0.0
