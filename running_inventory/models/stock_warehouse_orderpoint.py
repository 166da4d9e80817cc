# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demand-driven min and max on Odoo's own reorder rules.

A demand-driven rule computes its minimum and maximum from the done outgoing movements of its
product at its warehouse; Odoo's scheduler and replenishment screen keep doing the ordering from
them. The recomputation reads the history of all the rules it processes in one grouped query.
"""

import math
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_round, format_date, get_lang

from ..tools.demand_statistics import (
    round_up,
    safety_stock,
    service_level_z,
    summarize_daily_demand,
)

# Rules recomputed per transaction by the cron (one history query and one commit per batch).
DEMAND_CRON_BATCH_SIZE = 2000
# Context key: the recomputation logs its min/max changes itself, once for the whole batch.
NO_MIN_MAX_LOG = "running_inventory_no_min_max_log"


class DemandFormat:
    """Numbers and dates as the buyer reads them, set up once per recomputation.

    ``formatLang`` and ``format_date`` look the language up at each call, too slow for the
    thirty figures of ten thousand explanations. Thousands are grouped by three.
    """

    def __init__(self, env):
        lang = get_lang(env)
        self._env = env
        self._separators = str.maketrans(
            {",": lang.thousands_sep or "", ".": lang.decimal_point or "."}
        )
        self._dates = {}

    def num(self, value, digits=2):
        return f"{value:,.{digits}f}".translate(self._separators)

    def date(self, day):
        if day not in self._dates:
            self._dates[day] = format_date(self._env, day)
        return self._dates[day]


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    # Parameters, set by the buyer.
    demand_driven = fields.Boolean(
        "Demand-Driven",
        help="Compute the minimum and maximum of this rule from the demand of the product at "
        "its warehouse (deliveries and consumption, returns netted), instead of typing them.",
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

    @api.constrains(
        "demand_history_days",
        "demand_service_level",
        "demand_review_days",
        "demand_lead_days_manual",
        "demand_lead_days_stddev",
        "demand_outlier_k",
        "demand_intermittent_share",
        "demand_rounding_multiple",
    )
    def _check_demand_parameters(self):
        for orderpoint in self:
            if orderpoint.demand_history_days < 7:
                raise ValidationError(
                    self.env._(
                        "The history window of %(rule)s must be at least 7 days.",
                        rule=orderpoint.display_name,
                    )
                )
            if not 50.0 <= orderpoint.demand_service_level <= 99.99:
                raise ValidationError(
                    self.env._(
                        "The service level of %(rule)s must be between 50 and 99.99 %%.",
                        rule=orderpoint.display_name,
                    )
                )
            if (
                min(
                    orderpoint.demand_review_days,
                    orderpoint.demand_lead_days_manual,
                    orderpoint.demand_lead_days_stddev,
                    orderpoint.demand_outlier_k,
                    orderpoint.demand_rounding_multiple,
                )
                < 0
                or not 0.0 <= orderpoint.demand_intermittent_share <= 100.0
            ):
                raise ValidationError(
                    self.env._(
                        "The demand parameters of %(rule)s cannot be negative, and the "
                        "intermittent share is a percentage (0 to 100).",
                        rule=orderpoint.display_name,
                    )
                )

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

    def write(self, vals):
        """Log each change of min or max on the product's chatter (rules have no chatter)."""
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
        its time is up, leaves the rest to its next run (ir.cron progress).
        """
        domain = self._get_demand_recompute_domain()
        orderpoints = self.search(domain, limit=batch_size, order="id")
        while orderpoints:
            orderpoints._recompute_demand_driven()
            remaining = self.search_count(domain)
            if not self.env["ir.cron"]._commit_progress(len(orderpoints), remaining=remaining):
                break
            orderpoints = self.search(domain, limit=batch_size, order="id")

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

    def _recompute_demand_driven(self):
        """Recompute the demand-driven rules of ``self``; the others are never touched.

        One query reads the history of all of them, stock rules are resolved once per group
        of alike rules (:meth:`_prefill_demand_rule_ids`); min and max are written only where
        they change, and the changes are logged on the products' chatter in one batch.
        """
        orderpoints = self.filtered("demand_driven")
        if not orderpoints:
            return
        today = fields.Date.context_today(self)
        history = orderpoints._read_demand_history(today)
        orderpoints._prefill_demand_rule_ids()
        fmt = DemandFormat(self.env)
        now = fields.Datetime.now()
        before = {op.id: (op.product_min_qty, op.product_max_qty) for op in orderpoints}
        for orderpoint in orderpoints.with_context(**{NO_MIN_MAX_LOG: True}):
            daily = history.get((orderpoint.product_id.id, orderpoint.warehouse_id.id), {})
            vals = orderpoint._prepare_demand_vals(daily, today, fmt)
            vals["demand_computed_on"] = now
            for fname in ("product_min_qty", "product_max_qty"):
                if (
                    fname in vals
                    and orderpoint.product_uom.compare(vals[fname], orderpoint[fname]) == 0
                ):
                    del vals[fname]
            orderpoint.write(vals)
        orderpoints._log_min_max_changes(before, from_demand=True)

    def _read_demand_history(self, today):
        """Daily demand of the (product, warehouse) of every rule in ``self``, in ONE query.

        :return: {(product_id, warehouse_id): {days before today: (delivered, returned)}} in
            the product's unit, over the longest window of ``self`` (calendar days of the
            user's timezone; yesterday is 1).
        """
        if not self:
            return {}
        pairs = sorted({(op.product_id.id, op.warehouse_id.id) for op in self})
        tz = self.env.tz
        first_day = today - timedelta(days=max(self.mapped("demand_history_days")))

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        for model, fnames in (
            ("stock.move", ["state", "product_id", "product_uom", "quantity", "date"]),
            ("stock.move", ["location_id", "location_dest_id", "origin_returned_move_id"]),
            ("stock.location", ["usage", "warehouse_id"]),
            ("product.product", ["product_tmpl_id"]),
            ("product.template", ["uom_id"]),
            ("uom.uom", ["factor"]),
        ):
            self.env[model].flush_model(fnames)
        # Raw SQL because this is bulk work the ORM cannot group in one read: returns are
        # signed, dated on the delivery they return (origin_returned_move_id) and charged to its
        # warehouse, and each move's quantity is converted to its product's unit. The number of
        # queries does not depend on the number of rules; every value is a parameter.
        query = SQL(
            """
            WITH pair AS (
                SELECT * FROM unnest(%(products)s::int[], %(warehouses)s::int[])
                    AS pair(product_id, warehouse_id)
            ), flow AS (
                -- deliveries and consumption: from the warehouse to a customer or production
                SELECT m.product_id, src.warehouse_id, m.date AS day_date,
                       m.quantity * move_unit.factor / product_unit.factor AS delivered,
                       0.0 AS returned
                  FROM stock_move m
                  JOIN stock_location src ON src.id = m.location_id
                  JOIN stock_location dest ON dest.id = m.location_dest_id
                  JOIN uom_uom move_unit ON move_unit.id = m.product_uom
                  JOIN product_product product ON product.id = m.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                  JOIN uom_uom product_unit ON product_unit.id = tmpl.uom_id
                 WHERE m.state = 'done'
                   AND m.product_id = ANY(%(products)s)
                   AND m.date >= %(date_from)s AND m.date < %(date_to)s
                   AND src.usage = 'internal'
                   AND dest.usage IN ('customer', 'production')
                UNION ALL
                -- returns from a customer, or of a consumption, into the warehouse
                SELECT m.product_id, COALESCE(orig_src.warehouse_id, dest.warehouse_id),
                       COALESCE(orig.date, m.date),
                       0.0,
                       m.quantity * move_unit.factor / product_unit.factor
                  FROM stock_move m
                  JOIN stock_location src ON src.id = m.location_id
                  JOIN stock_location dest ON dest.id = m.location_dest_id
                  JOIN uom_uom move_unit ON move_unit.id = m.product_uom
                  JOIN product_product product ON product.id = m.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                  JOIN uom_uom product_unit ON product_unit.id = tmpl.uom_id
             LEFT JOIN stock_move orig ON orig.id = m.origin_returned_move_id
             LEFT JOIN stock_location orig_src ON orig_src.id = orig.location_id
                 WHERE m.state = 'done'
                   AND m.product_id = ANY(%(products)s)
                   AND m.date >= %(date_from)s
                   AND COALESCE(orig.date, m.date) >= %(date_from)s
                   AND COALESCE(orig.date, m.date) < %(date_to)s
                   AND dest.usage = 'internal'
                   AND (src.usage = 'customer'
                        OR (src.usage = 'production' AND m.origin_returned_move_id IS NOT NULL))
            )
            SELECT flow.product_id, flow.warehouse_id,
                   %(today)s::date
                   - (flow.day_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS days_ago,
                   SUM(flow.delivered), SUM(flow.returned)
              FROM flow
              JOIN pair ON pair.product_id = flow.product_id
                       AND pair.warehouse_id = flow.warehouse_id
          GROUP BY flow.product_id, flow.warehouse_id, days_ago
            """,
            products=[product_id for product_id, _warehouse_id in pairs],
            warehouses=[warehouse_id for _product_id, warehouse_id in pairs],
            date_from=utc(first_day),
            date_to=utc(today),
            today=today,
            tz=tz.zone,
        )
        history = defaultdict(dict)
        for product_id, warehouse_id, days_ago, delivered, returned in self.env.execute_query(
            query
        ):
            history[product_id, warehouse_id][days_ago] = (delivered, returned)
        return history

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
        vals["demand_explanation"] = self._get_demand_explanation(
            vals["demand_state"], figures, fmt
        )
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

    def _prefill_demand_rule_ids(self):
        """Resolve Odoo's ``rule_ids`` of ``self`` once per group of alike reorder rules.

        Odoo computes ``rule_ids`` rule by rule, with a query each (its cache key calls the
        product's ``get_total_routes``): a query per rule for the lead times, the days to order
        and the quantities to order of thousands of rules. What it computes,
        ``product._get_rules_from_location(location, route_ids=route)``, depends on the
        location, the rule's route, the routes of the product and of its category, and the
        warehouse routes Odoo keeps for the product (``stock.rule._filter_warehouse_routes``,
        where purchase_stock and mrp drop the buy and manufacture routes of a product without
        vendor or bill of materials). Rules sharing those inputs share their stock rules: they
        are resolved once and put in the cache of ``rule_ids``, as Odoo's compute would, for
        Odoo's own computations of this transaction too. Rules already in cache are kept.
        """
        field = self._fields["rule_ids"]
        orderpoints = self.filtered(lambda op: op.product_id and op.location_id)
        Rule = self.env["stock.rule"]
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "in", orderpoints.company_id.ids)]
        )
        warehouse_routes = [(wh, route) for wh in warehouses for route in wh.route_ids]
        resolved, values = {}, []
        for orderpoint in orderpoints:
            product = orderpoint.product_id
            key = (
                orderpoint.location_id.id,
                orderpoint.route_id.id,
                frozenset((product.route_ids | product.categ_id.total_route_ids).ids),
                frozenset(
                    (warehouse.id, route.id)
                    for warehouse, route in warehouse_routes
                    if Rule._filter_warehouse_routes(product, warehouse, route)
                ),
            )
            if key not in resolved:
                resolved[key] = product._get_rules_from_location(
                    orderpoint.location_id, route_ids=orderpoint.route_id
                )._ids
            values.append(resolved[key])
        field._insert_cache(orderpoints, values)

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
    # Explanation and chatter
    # ------------------------------------------------------------------

    def _get_demand_explanation(self, state, figures, fmt):
        """The buyer's reading of the recomputation: figures and formulas with their numbers."""
        self.ensure_one()
        num = fmt.num
        demand = figures["demand"]
        uom = self.product_uom.name
        lines = [
            self.env._(
                "Demand at %(warehouse)s over %(days)s days (%(first)s to %(last)s): "
                "%(delivered)s %(uom)s delivered or consumed, %(returned)s returned, "
                "net %(net)s %(uom)s.",
                warehouse=self.warehouse_id.name,
                days=demand.days,
                first=fmt.date(figures["first_day"]),
                last=fmt.date(figures["last_day"]),
                delivered=num(demand.delivered),
                returned=num(demand.returned),
                net=num(demand.net),
                uom=uom,
            )
        ]
        kept = {"min": num(self.product_min_qty), "max": num(self.product_max_qty), "uom": uom}
        if state == "no_history":
            lines.append(
                self.env._(
                    "No demand in the window: min and max are left as they are "
                    "(%(min)s and %(max)s %(uom)s).",
                    **kept,
                )
            )
            return "\n".join(lines)
        lines.append(self._get_demand_series_explanation(demand, fmt))
        if state == "intermittent":
            lines.append(
                self.env._(
                    "Intermittent demand: %(share)s %% of the days have no demand, above the "
                    "%(limit)s %% threshold. A daily average and σ do not describe such demand; "
                    "min and max are left as they are (%(min)s and %(max)s %(uom)s).",
                    share=num(demand.zero_share * 100, 1),
                    limit=num(self.demand_intermittent_share, 1),
                    **kept,
                )
            )
            return "\n".join(lines)
        lines.append(self._get_demand_lead_time_explanation(figures["lead"], fmt))
        if state == "computed":
            lines.extend(self._get_demand_min_max_explanation(demand, figures, fmt))
        return "\n".join(lines)

    def _get_demand_series_explanation(self, demand, fmt):
        num = fmt.num
        if demand.cap is None:
            outliers = self.env._("Outliers: not capped.")
        elif demand.capped_days:
            outliers = self.env._(
                "Outliers: %(count)s day(s) above mean + k × σ = %(mean)s + %(k)s × %(sigma)s "
                "= %(cap)s, capped to %(cap)s.",
                count=demand.capped_days,
                mean=num(demand.raw_average),
                k=num(self.demand_outlier_k),
                sigma=num(demand.raw_stddev),
                cap=num(demand.cap),
            )
        else:
            outliers = self.env._(
                "Outliers: none above mean + k × σ = %(mean)s + %(k)s × %(sigma)s = %(cap)s.",
                mean=num(demand.raw_average),
                k=num(self.demand_outlier_k),
                sigma=num(demand.raw_stddev),
                cap=num(demand.cap),
            )
        return self.env._(
            "Average daily demand ADD = %(net)s / %(days)s = %(add)s %(uom)s/day, standard "
            "deviation σ = %(sigma)s; %(zero)s day(s) of %(days)s without demand. %(outliers)s",
            net=num(demand.counted),
            days=demand.days,
            add=num(demand.average),
            uom=self.product_uom.name,
            sigma=num(demand.stddev),
            zero=demand.zero_days,
            outliers=outliers,
        )

    def _get_demand_lead_time_explanation(self, lead, fmt):
        num = fmt.num
        if lead["manual"]:
            return self.env._(
                "Lead time L = %(days)s days, set on the rule.", days=num(lead["days"])
            )
        if lead.get("no_vendor"):
            return self.env._(
                "No lead time: the rule buys the product but it has no vendor. Add a vendor "
                "to the product, or set a lead time override on the rule."
            )
        if lead["days"] <= 0:
            return self.env._(
                "No lead time: neither a vendor's delay nor a route delay applies to this rule. "
                "Set a lead time override on the rule."
            )
        return self.env._(
            "Lead time L = %(days)s days, Odoo's lead time for this rule: vendor's delay "
            "%(vendor)s days + %(other)s days (days to purchase, route delays).",
            days=num(lead["days"]),
            vendor=num(lead["vendor_days"]),
            other=num(lead["days"] - lead["vendor_days"]),
        )

    def _get_demand_min_max_explanation(self, demand, figures, fmt):
        num = fmt.num
        uom = self.product_uom.name
        common = {
            "z": num(figures["z"], 3),
            "sigma": num(demand.stddev),
            "lead": num(figures["lead"]["days"]),
            "add": num(demand.average),
            "safety": num(figures["safety"]),
            "step": num(figures["step"]),
            "min": num(figures["min"]),
            "uom": uom,
        }
        if self.demand_lead_days_stddev:
            safety = self.env._(
                "Safety stock = z × √(L × σ² + ADD² × σL²) = %(z)s × √(%(lead)s × %(sigma)s² + "
                "%(add)s² × %(lead_sigma)s²) = %(safety)s %(uom)s.",
                lead_sigma=num(self.demand_lead_days_stddev),
                **common,
            )
        else:
            safety = self.env._(
                "Safety stock = z × σ × √L = %(z)s × %(sigma)s × √%(lead)s = %(safety)s %(uom)s.",
                **common,
            )
        if figures["packaging"]:
            max_rounding = self.env._(
                "rounded up to the packaging %(packaging)s (%(qty)s %(uom)s)",
                packaging=figures["packaging"].name,
                qty=num(figures["pack_qty"]),
                uom=uom,
            )
        else:
            max_rounding = self.env._("rounded up to a multiple of %(step)s %(uom)s", **common)
        return [
            self.env._(
                "Service level %(level)s %% gives z = %(z)s.",
                level=num(self.demand_service_level),
                **common,
            ),
            safety,
            self.env._(
                "Min = ADD × L + safety stock = %(add)s × %(lead)s + %(safety)s = %(raw)s, "
                "rounded up to a multiple of %(step)s %(uom)s: %(min)s %(uom)s.",
                raw=num(figures["min_raw"]),
                **common,
            ),
            self.env._(
                "Max = Min + ADD × review period = %(min)s + %(add)s × %(review)s = %(raw)s, "
                "%(rounding)s: %(max)s %(uom)s.",
                review=self.demand_review_days,
                raw=num(figures["max_raw"]),
                rounding=max_rounding,
                max=num(figures["max"]),
                **common,
            ),
        ]

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
            change = self.env._(
                "Reorder rule %(rule)s (%(location)s): min %(old_min)s → %(new_min)s, "
                "max %(old_max)s → %(new_max)s %(uom)s.",
                rule=orderpoint.name,
                location=orderpoint.location_id.display_name,
                old_min=num(old_min),
                new_min=num(orderpoint.product_min_qty),
                old_max=num(old_max),
                new_max=num(orderpoint.product_max_qty),
                uom=uom.name,
            )
            if from_demand:
                change += " " + self.env._(
                    "Recomputed from demand: ADD %(add)s/day, σ %(sigma)s, lead time %(lead)s "
                    "days, service level %(level)s %%.",
                    add=num(orderpoint.demand_add),
                    sigma=num(orderpoint.demand_stddev),
                    lead=num(orderpoint.demand_lead_days),
                    level=num(orderpoint.demand_service_level),
                )
            lines_by_template[orderpoint.product_id.product_tmpl_id].append(change)
        if not lines_by_template:
            return
        templates = self.env["product.template"].concat(*lines_by_template)
        templates._message_log_batch(
            bodies={
                template.id: Markup("<br/>").join(lines)
                for template, lines in lines_by_template.items()
            }
        )

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    @api.model
    def _create_demand_demo_history(self, location, product, quantities):
        """Demo data only (demo/stock_warehouse_orderpoint_demo.xml): done deliveries of
        ``product`` from ``location`` to customers, ``quantities[i]`` on the day ``i + 1``
        days ago (nothing on days with 0). Odoo dates a move when it is done; the history is
        back-dated afterwards, one write per day.
        """
        product = self.env["product.product"].browse(product)
        location = self.env["stock.location"].browse(location)
        customer = self.env.ref("stock.stock_location_customers")
        today = fields.Datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
        vals_list, dates = [], []
        for days_ago, quantity in enumerate(quantities, start=1):
            if float_round(quantity, precision_digits=6) <= 0:
                continue
            dates.append(today - timedelta(days=days_ago))
            vals_list.append(
                {
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                    "location_id": location.id,
                    "location_dest_id": customer.id,
                    "origin": "Demand history (demo)",
                }
            )
        moves = self.env["stock.move"].create(vals_list)
        moves._action_confirm()
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        moves._action_done()
        moves_by_date = defaultdict(lambda: self.env["stock.move"])
        for move, date in zip(moves, dates, strict=True):
            moves_by_date[date] |= move
        for date, dated_moves in moves_by_date.items():
            dated_moves.write({"date": date})
        return moves.ids
