# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL, frozendict

from ..models.running_inventory_count_plan import ABC_CLASSES


class RunningInventoryCountAccuracy(models.Model):
    """Inventory accuracy of approved counts, one row per count line.

    Record accuracy is the share of lines whose final count was within the session's recount
    thresholds; value accuracy is 1 - sum |difference value| / sum |expected value|. Both are
    ratios of sums, computed in SQL at every grouping level (see _read_group_select), so the
    pivot and graph show true ratios per warehouse, location, ABC class, counter or period.
    """

    _name = "running.inventory.count.accuracy"
    _description = "Inventory Accuracy"
    _auto = False
    _order = "date desc"
    _rec_name = "count_id"
    # What the view reads, flushed by the ORM before any search on it.
    _depends = frozendict(
        {
            "running.inventory.count": (
                "company_id",
                "warehouse_id",
                "state",
                "date_done",
                "user_approved_id",
            ),
            "running.inventory.count.line": (
                "count_id",
                "location_id",
                "product_id",
                "abc_class",
                "counter_id",
                "is_over_threshold",
                "value_expected",
                "value_difference",
            ),
            "running.inventory.count.entry": ("line_id", "user_id", "kind", "date"),
        }
    )

    count_id = fields.Many2one("running.inventory.count", string="Session", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    counter_id = fields.Many2one(
        "res.users",
        readonly=True,
        help="Who entered the first count: a mismatch is theirs, not the recounter's.",
    )
    recounter_id = fields.Many2one("res.users", string="Recounted By", readonly=True)
    user_approved_id = fields.Many2one("res.users", string="Approved By", readonly=True)
    date = fields.Datetime(string="Approved On", readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    within_count = fields.Integer(string="Lines within Tolerance", readonly=True)
    value_expected = fields.Monetary(string="Expected Value", readonly=True)
    value_difference = fields.Monetary(string="Net Difference Value", readonly=True)
    value_difference_abs = fields.Monetary(string="Gross Difference Value", readonly=True)
    record_accuracy = fields.Float(string="Record Accuracy (%)", aggregator="avg", readonly=True)
    value_accuracy = fields.Float(string="Value Accuracy (%)", aggregator="avg", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT line.id,
                           line.count_id,
                           session.company_id,
                           session.warehouse_id,
                           line.location_id,
                           line.product_id,
                           line.abc_class,
                           COALESCE(first_count.user_id, line.counter_id) AS counter_id,
                           recount.user_id AS recounter_id,
                           session.user_approved_id,
                           session.date_done AS date,
                           1 AS line_count,
                           CASE WHEN line.is_over_threshold THEN 0 ELSE 1 END AS within_count,
                           ABS(COALESCE(line.value_expected, 0)) AS value_expected,
                           COALESCE(line.value_difference, 0) AS value_difference,
                           ABS(COALESCE(line.value_difference, 0)) AS value_difference_abs,
                           CASE WHEN line.is_over_threshold THEN 0.0 ELSE 100.0 END
                               AS record_accuracy,
                           %(value_accuracy)s AS value_accuracy
                      FROM running_inventory_count_line line
                      JOIN running_inventory_count session ON session.id = line.count_id
                      -- The first count names the counter; the last recount, the recounter.
                      LEFT JOIN LATERAL (
                            SELECT entry.user_id
                              FROM running_inventory_count_entry entry
                             WHERE entry.line_id = line.id AND entry.kind = 'count'
                          ORDER BY entry.date, entry.id
                             LIMIT 1
                      ) first_count ON TRUE
                      LEFT JOIN LATERAL (
                            SELECT entry.user_id
                              FROM running_inventory_count_entry entry
                             WHERE entry.line_id = line.id AND entry.kind = 'recount'
                          ORDER BY entry.date DESC, entry.id DESC
                             LIMIT 1
                      ) recount ON TRUE
                     WHERE session.state = 'done'
                )
                """,
                table=SQL.identifier(self._table),
                value_accuracy=self._value_accuracy_sql(
                    SQL("ABS(COALESCE(line.value_difference, 0))"),
                    SQL("ABS(COALESCE(line.value_expected, 0))"),
                ),
            )
        )

    @staticmethod
    def _value_accuracy_sql(difference, expected):
        """100 * (1 - difference / expected), floored at 0; 100 when nothing was expected and
        nothing differed."""
        return SQL(
            "CASE WHEN %(expected)s = 0 THEN (CASE WHEN %(difference)s = 0 THEN 100.0 ELSE 0.0 END)"
            " ELSE GREATEST(0.0, 100.0 * (1 - %(difference)s / %(expected)s)) END",
            difference=difference,
            expected=expected,
        )

    def _read_group_select(self, aggregate_spec, query):
        """Accuracies are ratios of sums at every grouping level, not averages of row ratios."""
        if aggregate_spec == "record_accuracy:avg":
            return SQL(
                "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, "within_count", query),
                self._field_to_sql(self._table, "line_count", query),
            )
        if aggregate_spec == "value_accuracy:avg":
            return self._value_accuracy_sql(
                SQL("SUM(%s)", self._field_to_sql(self._table, "value_difference_abs", query)),
                SQL("SUM(%s)", self._field_to_sql(self._table, "value_expected", query)),
            )
        return super()._read_group_select(aggregate_spec, query)
