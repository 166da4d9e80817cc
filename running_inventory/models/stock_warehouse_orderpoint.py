# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demand-driven min and max on Odoo's own reorder rules.

A demand-driven rule computes its minimum and maximum from the demand of its product at its
warehouse (tools/demand_history.py, one grouped query for all the rules processed); Odoo's
scheduler and replenishment screen keep doing the ordering from them. The arithmetic is in
tools/demand_statistics.py, the buyer's explanation in tools/demand_explanation.py, the demo
history in tools/demand_demo.py.
"""

import logging
import math
from collections import defaultdict
from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import split_every

from ..tools.bounds import raise_if_not_finite
from ..tools.demand_chart import demand_chart_data
from ..tools.demand_demo import create_demand_demo_history
from ..tools.demand_explanation import DemandFormat, demand_explanation
from ..tools.demand_history import read_daily_demand
from ..tools.demand_statistics import (
    round_up,
    safety_stock,
    service_level_z,
    summarize_daily_demand,
)
from ..tools.rpc import rpc_record, rpc_records

_logger = logging.getLogger(__name__)

# Rules recomputed per transaction by the cron (one history query and one commit per batch).
DEMAND_CRON_BATCH_SIZE = 2000
# Context key: the recomputation logs its min/max changes itself, once for the whole batch.
NO_MIN_MAX_LOG = "running_inventory_no_min_max_log"
# The bounds of the parameters a buyer types: {field: (lowest, highest)}, both included.
DEMAND_PARAMETER_BOUNDS = {
    "demand_history_days": (7, 3650),
    "demand_service_level": (50.0, 99.99),
    "demand_review_days": (0, 365),
    "demand_lead_days_manual": (0.0, 365.0),
    "demand_lead_days_stddev": (0.0, 365.0),
    "demand_outlier_k": (0.0, 100.0),
    "demand_intermittent_share": (0.0, 100.0),
    "demand_rounding_multiple": (0.0, 1e9),
}

# Odoo's quantities of a rule, which a buyer types too.
ODOO_QUANTITY_FIELDS = ("product_min_qty", "product_max_qty", "qty_to_order", "qty_to_order_manual")


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    # Parameters, set by the buyer.
    demand_driven = fields.Boolean(
        "Demand-Driven",
        help="Compute the minimum and maximum of this rule from the demand of the product at "
        "its warehouse (deliveries to customers and consumption by production, returns netted; "
        "transfers to other warehouses are not demand), instead of typing them.",
    )
    demand_history_days = fields.Integer(
        "History Window",
        default=90,
        help="Number of past days (yesterday and before) whose demand is averaged; "
        "days without demand count as zero.",
    )
    demand_service_level = fields.Float(
        "Service Level (%)",
        default=95.0,
        digits=(5, 2),
        help="Probability of not running out during a replenishment lead time, from 50 to "
        "99.99 %. It sets the z of the safety stock (95 % gives z = 1.645).",
    )
    demand_review_days = fields.Integer(
        "Review Period",
        default=7,
        help="Days between two orders: the maximum is the minimum plus this many days of demand.",
    )
    demand_lead_days_manual = fields.Float(
        "Lead Time Override",
        digits=(16, 2),
        help="Lead time in days used instead of Odoo's lead time of the rule (vendor's delay, "
        "days to purchase, manufacturing or transfer delays of the route). 0 uses Odoo's.",
    )
    demand_lead_days_stddev = fields.Float(
        "Lead Time Variability",
        digits=(16, 2),
        help="Standard deviation of the lead time, in days (optional). It adds "
        "ADD² × σL² to the safety stock's variance.",
    )
    demand_outlier_k = fields.Float(
        "Outlier Cap (k)",
        default=3.0,
        digits=(16, 2),
        help="Days whose demand is above mean + k × σ are brought down to that cap before "
        "computing the average and σ. 0 keeps every day as it is.",
    )
    demand_intermittent_share = fields.Float(
        "Intermittent Above (%)",
        default=50.0,
        digits=(5, 2),
        help="When more than this share of the window's days have no demand, the demand is "
        "intermittent: the rule says so and keeps its minimum and maximum.",
    )
    demand_rounding_multiple = fields.Float(
        "Round To",
        default=1.0,
        digits="Product Unit",
        help="The minimum is rounded up to a multiple of this quantity (in the product's unit), "
        "and so is the maximum when there is no packaging to round it to. 0 rounds to the "
        "unit's precision only.",
    )

    # Results of the last recomputation.
    demand_state = fields.Selection(
        [
            ("pending", "Not Computed Yet"),
            ("computed", "Computed"),
            ("no_history", "No Demand History"),
            ("intermittent", "Intermittent Demand"),
            ("no_lead_time", "No Lead Time"),
        ],
        string="Demand Status",
        readonly=True,
        copy=False,
        default="pending",
    )
    demand_add = fields.Float(
        "Average Daily Demand", digits="Product Unit", readonly=True, copy=False
    )
    demand_stddev = fields.Float("Daily Demand σ", digits="Product Unit", readonly=True, copy=False)
    demand_zero_share = fields.Float(
        "Days Without Demand (%)", digits=(5, 2), readonly=True, copy=False
    )
    demand_lead_days = fields.Float("Lead Time Used", digits=(16, 2), readonly=True, copy=False)
    demand_safety_stock = fields.Float(
        "Safety Stock", digits="Product Unit", readonly=True, copy=False
    )
    demand_computed_on = fields.Datetime("Last Recomputation", readonly=True, copy=False)
    demand_explanation = fields.Text("How Min and Max Came Out", readonly=True, copy=False)
    demand_days_of_cover = fields.Float(
        "Days of Cover",
        compute="_compute_demand_cover",
        digits=(16, 1),
        help="On hand divided by the average daily demand.",
    )
    demand_stockout_date = fields.Date(
        "Projected Stockout",
        compute="_compute_demand_cover",
        help="Today plus the days of cover: when the stock on hand runs out at the average "
        "daily demand, before any replenishment.",
    )
    demand_stockout_risk = fields.Boolean(
        "Stockout Before Replenishment",
        compute="_compute_demand_cover",
        help="The projected stockout comes before an order placed today would arrive "
        "(today plus the lead time used).",
    )

    demand_chart = fields.Json(
        compute="_compute_demand_chart",
        help="The net demand of the rule's window, per day or per week, with its min and max.",
    )

    @api.constrains(*DEMAND_PARAMETER_BOUNDS)
    def _check_demand_parameters(self):
        for orderpoint in self:
            errors = orderpoint._get_demand_parameter_errors()
            if errors:
                raise ValidationError("\n".join(errors))

    def _get_demand_parameter_errors(self):
        """The messages of the parameters of this rule out of their bounds (finite numbers
        within :data:`DEMAND_PARAMETER_BOUNDS`); empty when they all are within."""
        self.ensure_one()
        errors = []
        for fname, (lowest, highest) in DEMAND_PARAMETER_BOUNDS.items():
            value = self[fname]
            if math.isfinite(value) and lowest <= value <= highest:
                continue
            errors.append(
                self.env._(
                    "%(parameter)s of %(rule)s must be a number from %(lowest)s to %(highest)s "
                    "(it is %(value)s).",
                    parameter=self._fields[fname]._description_string(self.env),
                    rule=self.display_name,
                    lowest=lowest,
                    highest=highest,
                    value=value,
                )
            )
        return errors

    @api.depends("qty_on_hand", "demand_add", "demand_driven", "demand_lead_days")
    def _compute_demand_cover(self):
        today = fields.Date.context_today(self)
        for orderpoint in self:
            if not orderpoint.demand_driven or orderpoint.demand_add <= 0:
                orderpoint.demand_days_of_cover = 0.0
                orderpoint.demand_stockout_date = False
                orderpoint.demand_stockout_risk = False
                continue
            cover = max(orderpoint.qty_on_hand, 0.0) / orderpoint.demand_add
            orderpoint.demand_days_of_cover = cover
            orderpoint.demand_stockout_date = today + timedelta(days=math.floor(cover))
            orderpoint.demand_stockout_risk = cover < orderpoint.demand_lead_days

    @api.depends(
        "demand_driven",
        "demand_history_days",
        "demand_computed_on",
        "product_min_qty",
        "product_max_qty",
        "product_id",
        "warehouse_id",
    )
    def _compute_demand_chart(self):
        """The chart of every demand-driven rule of ``self``, from ONE history query."""
        charted = self.filtered(lambda op: op.demand_driven and op.product_id and op.warehouse_id)
        (self - charted).demand_chart = False
        if not charted:
            return
        today = fields.Date.context_today(self)
        history = charted._read_demand_history(today)
        for orderpoint in charted:
            orderpoint.demand_chart = demand_chart_data(
                history.get((orderpoint.product_id.id, orderpoint.warehouse_id.id), {}),
                orderpoint.demand_history_days,
                today,
                orderpoint.product_min_qty,
                orderpoint.product_max_qty,
            )

    def _filter_stockout_risk(self):
        """The demand-driven rules of ``self`` whose stock on hand (in their location and its
        children, as Odoo's ``qty_on_hand``) runs out at the average daily demand before an
        order placed today would arrive (:meth:`_compute_demand_cover`'s risk), in a constant
        number of queries: Odoo's ``qty_on_hand`` also computes the forecast, rule by rule.
        """
        rules = self.filtered(lambda op: op.demand_driven and op.demand_add > 0)
        if not rules:
            return rules
        quantities = self.env["stock.quant"]._read_group(
            [
                ("product_id", "in", rules.product_id.ids),
                ("location_id", "child_of", rules.location_id.ids),
            ],
            ["product_id", "location_id"],
            ["quantity:sum"],
        )
        on_hand = defaultdict(float)
        for rule in rules:
            prefix = rule.location_id.parent_path
            on_hand[rule.id] = sum(
                quantity
                for product, location, quantity in quantities
                if product == rule.product_id and location.parent_path.startswith(prefix)
            )
        return rules.filtered(
            lambda op: max(on_hand[op.id], 0.0) / op.demand_add < op.demand_lead_days
        )

    @api.model_create_multi
    def create(self, vals_list):
        """Non-finite parameters refused before Odoo rounds them (see :meth:`write`)."""
        for vals in vals_list:
            self._raise_if_not_finite(vals)
        return super().create(vals_list)

    @api.model
    def _raise_if_not_finite(self, vals):
        """NaN, ±Infinity and texts refused before Odoo rounds them, which would fail with a
        ValueError or OverflowError (a traceback); the range is the constraint's (Odoo's for
        the minimum, maximum and quantity to order)."""
        raise_if_not_finite(self, vals, [*DEMAND_PARAMETER_BOUNDS, *ODOO_QUANTITY_FIELDS])

    def write(self, vals):
        """Log each change of min or max on the product's chatter (rules have no chatter);
        non-finite parameters are refused first."""
        self._raise_if_not_finite(vals)
        if {"product_min_qty", "product_max_qty"}.isdisjoint(vals) or self.env.context.get(
            NO_MIN_MAX_LOG
        ):
            return super().write(vals)
        before = {op.id: (op.product_min_qty, op.product_max_qty) for op in self}
        result = super().write(vals)
        self._log_min_max_changes(before)
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @rpc_records
    def action_recompute_demand(self):
        """Recompute min and max of the selected demand-driven rules (others are left alone)."""
        self.check_access("write")
        orderpoints = self.filtered("demand_driven")
        if not orderpoints:
            raise UserError(
                self.env._(
                    "None of the selected reorder rules is demand-driven: tick Demand-Driven "
                    "on a rule to have its min and max computed from its demand."
                )
            )
        orderpoints._recompute_demand_driven()
        counts = defaultdict(int)
        for orderpoint in orderpoints:
            counts[orderpoint.demand_state] += 1
        states = dict(self._fields["demand_state"]._description_selection(self.env))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if counts["computed"] == len(orderpoints) else "warning",
                "title": self.env._("Min and max recomputed from demand"),
                "message": ", ".join(
                    f"{states[state]}: {count}" for state, count in sorted(counts.items())
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.readonly
    @rpc_record
    def action_open_demand_form(self):
        """The rule's form, where its demand parameters and explanation are (lists are inline)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Demand-Driven Min and Max"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("stock.view_warehouse_orderpoint_form").id, "form")],
            "target": "new",
        }

    @api.model
    def _cron_recompute_demand_driven(self, batch_size=DEMAND_CRON_BATCH_SIZE):
        """Recompute every demand-driven rule not recomputed today, a batch per transaction.

        Each batch reads its history in one query; the cron commits after each batch and, when
        its time is up, leaves the rest to its next run (ir.cron progress), which starts with
        the rules not done yet. A rule that cannot be recomputed (parameters stored before their
        bounds existed, a lead time that cannot be read) is logged and left for the next day:
        the others of its batch are recomputed.
        """
        skipped = set()
        domain = self._get_demand_recompute_domain()
        while orderpoints := self.search(
            domain + [("id", "not in", list(skipped))], limit=batch_size, order="id"
        ):
            skipped.update(orderpoints._recompute_demand_driven(skip_failures=True).ids)
            remaining = self.search_count(domain + [("id", "not in", list(skipped))])
            done = len(orderpoints)
            if not self.env["ir.cron"]._commit_progress(done, remaining=remaining):
                break

    @api.model
    def _get_demand_recompute_domain(self):
        """Demand-driven rules not recomputed since the start of today (UTC)."""
        start_of_today = datetime.combine(fields.Date.today(), time.min)
        return [
            ("demand_driven", "=", True),
            "|",
            ("demand_computed_on", "=", False),
            ("demand_computed_on", "<", start_of_today),
        ]

    # ------------------------------------------------------------------
    # Recomputation
    # ------------------------------------------------------------------

    def _recompute_demand_driven(self, skip_failures=False):
        """Recompute the demand-driven rules of ``self``, DEMAND_CRON_BATCH_SIZE at a time: each
        batch is flushed and the caches freed after it, so that recomputing every rule of a large
        warehouse holds one batch's records and history in memory, not all of them (see
        :meth:`_recompute_demand_driven_batch`).

        :return: the rules left as they were because they could not be recomputed
        """
        if len(self) <= DEMAND_CRON_BATCH_SIZE:
            return self._recompute_demand_driven_batch(skip_failures)
        failed_ids = []
        for ids in split_every(DEMAND_CRON_BATCH_SIZE, self.ids):
            failed_ids += self.browse(ids)._recompute_demand_driven_batch(skip_failures).ids
            self.env.flush_all()
            self.env.invalidate_all()
        return self.browse(failed_ids)

    def _recompute_demand_driven_batch(self, skip_failures=False):
        """Recompute the demand-driven rules of ``self``; the others are never touched.

        One query reads the history of all of them; Odoo computes their stock rules
        (``rule_ids``) for the whole batch at once. Min and max are written only where they
        change, and the changes are logged on the products' chatter in one batch.

        :param skip_failures: a rule that cannot be recomputed is logged and left as it is
            instead of failing the whole batch (the cron)
        :return: the rules left as they were because they could not be recomputed
        """
        orderpoints = self.filtered("demand_driven")
        failed = self.browse()
        if skip_failures:
            failed = orderpoints._filter_invalid_demand_parameters()
            orderpoints -= failed
        if not orderpoints:
            return failed
        today = fields.Date.context_today(self)
        history = orderpoints._read_demand_history(today)
        fmt = DemandFormat(self.env)
        now = fields.Datetime.now()
        before = {op.id: (op.product_min_qty, op.product_max_qty) for op in orderpoints}
        for orderpoint in orderpoints.with_context(**{NO_MIN_MAX_LOG: True}):
            daily = history.get((orderpoint.product_id.id, orderpoint.warehouse_id.id), {})
            try:
                vals = orderpoint._prepare_demand_vals(daily, today, fmt)
            except (ArithmeticError, ValueError, UserError) as error:
                if not skip_failures:
                    raise
                _logger.warning("Demand-driven rule %s not recomputed: %s", orderpoint.id, error)
                failed |= orderpoint
                continue
            orderpoint.write(orderpoint._drop_unchanged_min_max(dict(vals, demand_computed_on=now)))
        orderpoints._log_min_max_changes(before, from_demand=True)
        return failed

    def _filter_invalid_demand_parameters(self):
        """The rules of ``self`` whose stored parameters are out of bounds, each logged."""
        invalid = self.browse()
        for orderpoint in self:
            errors = orderpoint._get_demand_parameter_errors()
            if errors:
                _logger.warning(
                    "Demand-driven rule %s not recomputed: %s", orderpoint.id, " ".join(errors)
                )
                invalid |= orderpoint
        return invalid

    def _drop_unchanged_min_max(self, vals):
        """``vals`` without the min or max that are equal to the rule's (in its unit)."""
        self.ensure_one()
        for fname in ("product_min_qty", "product_max_qty"):
            if fname in vals and self.product_uom.compare(vals[fname], self[fname]) == 0:
                del vals[fname]
        return vals

    def _read_demand_history(self, today):
        """Daily demand of the (product, warehouse) of every rule in ``self``, in ONE query,
        over the longest window of ``self`` (see :func:`..tools.demand_history.read_daily_demand`).
        """
        if not self:
            return {}
        return read_daily_demand(
            self.env,
            [(op.product_id.id, op.warehouse_id.id) for op in self],
            max(self.mapped("demand_history_days")),
            today,
        )

    def _prepare_demand_vals(self, daily, today, fmt):
        """Values of one rule from its daily history ``{days before today: (delivered,
        returned)}`` (see :meth:`_read_demand_history`).

        :param fmt: a :class:`DemandFormat`, shared by the rules of a recomputation
        """
        self.ensure_one()
        window = range(self.demand_history_days, 0, -1)  # oldest day first
        nothing = (0.0, 0.0)
        demand = summarize_daily_demand(
            [daily.get(days_ago, nothing)[0] for days_ago in window],
            [daily.get(days_ago, nothing)[1] for days_ago in window],
            self.demand_outlier_k,
        )
        figures = {
            "demand": demand,
            "first_day": today - timedelta(days=self.demand_history_days),
            "last_day": today - timedelta(days=1),
        }
        vals = {
            "demand_add": demand.average,
            "demand_stddev": demand.stddev,
            "demand_zero_share": demand.zero_share * 100.0,
            "demand_safety_stock": 0.0,
            "demand_lead_days": 0.0,
        }
        if self.product_uom.is_zero(demand.net):
            vals.update(demand_state="no_history", demand_add=0.0, demand_stddev=0.0)
        elif demand.zero_share * 100.0 > self.demand_intermittent_share:
            vals["demand_state"] = "intermittent"
        else:
            lead = self._get_demand_lead_time()
            figures["lead"] = lead
            vals["demand_lead_days"] = lead["days"]
            if lead["days"] <= 0:
                vals["demand_state"] = "no_lead_time"
            else:
                figures["packaging"], figures["pack_qty"] = self._get_demand_packaging()
                vals.update(self._prepare_demand_min_max_vals(demand, lead["days"], figures))
        vals["demand_explanation"] = demand_explanation(self, vals["demand_state"], figures, fmt)
        return vals

    def _prepare_demand_min_max_vals(self, demand, lead_days, figures):
        """Safety stock, min and max of a rule with enough demand and a lead time.

        Min is rounded up to the rule's multiple (or the unit's precision); max to the
        packaging found in ``figures`` (see :meth:`_get_demand_packaging`), else the multiple.
        """
        self.ensure_one()
        z = service_level_z(self.demand_service_level)
        safety = safety_stock(
            z, demand.stddev, lead_days, demand.average, self.demand_lead_days_stddev
        )
        min_raw = demand.average * lead_days + safety
        step = self.demand_rounding_multiple or self.product_uom.rounding
        min_qty = self.product_uom.round(round_up(min_raw, step))
        max_raw = min_qty + demand.average * self.demand_review_days
        max_qty = self.product_uom.round(round_up(max_raw, figures["pack_qty"] or step))
        figures.update(z=z, safety=safety, min_raw=min_raw, step=step, min=min_qty)
        figures.update(max_raw=max_raw, max=max_qty)
        return {
            "demand_state": "computed",
            "demand_safety_stock": safety,
            "product_min_qty": min_qty,
            "product_max_qty": max(max_qty, min_qty),
        }

    def _get_demand_lead_time(self):
        """Lead time in days: the override, else Odoo's lead time of the rule's route.

        Odoo's lead time is the one its scheduler uses (vendor's delay and days to purchase for
        a buy route, manufacturing delay with MRP, the delays of pull rules), without the
        replenishment horizon. A buy route without vendor has no lead time (Odoo would use 365
        days): the rule says so rather than computing a min for a year.
        """
        self.ensure_one()
        if self.demand_lead_days_manual:
            return {"days": self.demand_lead_days_manual, "manual": True}
        delays, _description = self.rule_ids.with_context(
            bypass_delay_description=True, bypass_global_horizon_days=True
        )._get_lead_days(self.product_id, **self._get_lead_days_values())
        if delays.get("no_vendor_found_delay"):
            return {"days": 0.0, "manual": False, "no_vendor": True}
        return {
            "days": delays["total_delay"],
            "manual": False,
            "vendor_days": delays.get("purchase_delay", 0.0),
        }

    def _get_demand_packaging(self):
        """The unit the maximum is rounded up to, and its quantity in the product's unit.

        The rule's Multiple when set, else the vendor's purchase unit when the rule buys: the
        units Odoo rounds the ordered quantity to.
        """
        self.ensure_one()
        product_uom = self.product_id.uom_id
        packaging = self.replenishment_uom_id
        if not packaging and "buy" in self.rule_ids.mapped("action"):
            seller = self.supplier_id or self.product_id.with_company(
                self.company_id
            )._select_seller(quantity=None)
            packaging = seller[:1].product_uom_id
        if not packaging or packaging == product_uom:
            return self.env["uom.uom"], 0.0
        return packaging, packaging._compute_quantity(1.0, product_uom, round=False)

    # ------------------------------------------------------------------
    # Chatter and demo data
    # ------------------------------------------------------------------

    def _log_min_max_changes(self, before, from_demand=False):
        """Post the changes of min and max of ``self`` on their products, one note per product.

        :param before: {orderpoint id: (min, max)} read before the change
        :param from_demand: the change comes from the demand-driven recomputation
        """
        num = DemandFormat(self.env).num
        lines_by_template = defaultdict(list)
        for orderpoint in self:
            old_min, old_max = before.get(orderpoint.id, (0.0, 0.0))
            uom = orderpoint.product_uom
            if (
                uom.compare(old_min, orderpoint.product_min_qty) == 0
                and uom.compare(old_max, orderpoint.product_max_qty) == 0
            ):
                continue
            note = orderpoint._get_min_max_change_note(old_min, old_max, num, from_demand)
            lines_by_template[orderpoint.product_id.product_tmpl_id].append(note)
        if not lines_by_template:
            return
        templates = self.env["product.template"].concat(*lines_by_template)
        templates._message_log_batch(
            bodies={
                template.id: Markup("<br/>").join(lines)
                for template, lines in lines_by_template.items()
            }
        )

    def _get_min_max_change_note(self, old_min, old_max, num, from_demand):
        """The line of the product's note for one change of this rule's min or max."""
        self.ensure_one()
        note = self.env._(
            "Reorder rule %(rule)s (%(location)s): min %(old_min)s → %(new_min)s, "
            "max %(old_max)s → %(new_max)s %(uom)s.",
            rule=self.name,
            location=self.location_id.display_name,
            old_min=num(old_min),
            new_min=num(self.product_min_qty),
            old_max=num(old_max),
            new_max=num(self.product_max_qty),
            uom=self.product_uom.name,
        )
        if from_demand:
            note += " " + self.env._(
                "Recomputed from demand: ADD %(add)s/day, σ %(sigma)s, lead time %(lead)s "
                "days, service level %(level)s %%.",
                add=num(self.demand_add),
                sigma=num(self.demand_stddev),
                lead=num(self.demand_lead_days),
                level=num(self.demand_service_level),
            )
        return note

    @api.model
    def _demo_create_demand_history(self, location, product, quantities, partner=None):
        """Demo data only (demo/stock_warehouse_orderpoint_demo.xml): see
        :func:`..tools.demand_demo.create_demand_demo_history`."""
        return create_demand_demo_history(self.env, location, product, quantities, partner)
