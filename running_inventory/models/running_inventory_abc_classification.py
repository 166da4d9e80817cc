# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .running_inventory_count_plan import ABC_CLASSES


class RunningInventoryAbcClassification(models.Model):
    """The ABC class of a product in a warehouse, as its count plan last computed it.

    Recomputing a plan replaces its rows; each row keeps the date of the computation. Count lines
    copy the class at the start of their session, so accuracy by class stays historical.
    """

    _name = "running.inventory.abc.classification"
    _description = "ABC Classification"
    _order = "plan_id, rank"
    _rec_name = "product_id"

    plan_id = fields.Many2one(
        "running.inventory.count.plan", required=True, index=True, ondelete="cascade"
    )
    warehouse_id = fields.Many2one(related="plan_id.warehouse_id", store=True, index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="cascade")
    abc_class = fields.Selection(ABC_CLASSES, string="Class", required=True, index=True)
    rank = fields.Integer(required=True)
    consumption_value = fields.Monetary(
        string="Issued Value",
        help="Value of what left the warehouse over the plan's window (to customers, production "
        "or other warehouses; not netted of returns), at the product's cost. Not the demand "
        "quantity of demand-driven reorder rules: see tools/demand_history.py.",
    )
    value_percent = fields.Float(string="Share of Value (%)", aggregator="sum")
    cumulative_percent = fields.Float(string="Cumulative Share (%)", aggregator="max")
    date = fields.Datetime(string="Classified On", required=True)

    _product_unique = models.Constraint(
        "UNIQUE(plan_id, product_id)", "A product has one class per count plan."
    )
