# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.bulk import insert_records
from ..tools.rpc import rpc_record, rpc_records

ABC_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]
# Where goods go when a warehouse consumes them: sold, used in production, sent to another
# warehouse. Inventory losses and scrap are not consumption.
CONSUMPTION_USAGES = ("customer", "production", "transit", "internal")
OPEN_COUNT_STATES = ("draft", "in_progress", "counted", "to_approve")
# Products classified per transaction by the ABC cron (two queries and one commit per batch).
ABC_CRON_BATCH_SIZE = 20000


class RunningInventoryCountPlan(models.Model):
    """How one warehouse is cycle counted.

    The plan ranks the products of its warehouse in ABC classes by the value they consumed over a
    trailing window, then proposes count sessions for the products that are due: each class has
    its count frequency, and each run proposes that class's daily share (its size divided by its
    frequency), most overdue first, so that the counts spread evenly over the period.
    """

    _name = "running.inventory.count.plan"
    _description = "Cycle Count Plan"
    _inherit = ("mail.thread", "running.inventory.bounds.mixin")
    _order = "warehouse_id"
    _check_company_auto = True
    # What a user types, refused per field before Odoo rounds it (NaN, ±Infinity, texts,
    # absurd figures); the shares' sum is a constraint.
    _number_bounds = {
        "abc_percent_a": (0, 100),
        "abc_percent_b": (0, 100),
        "threshold_quantity_percent": (0, 1000),
        "threshold_value": (0, 10**12),
    }

    active = fields.Boolean(default=True, tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, index=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        compute="_compute_location_ids",
        store=True,
        readonly=False,
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', warehouse_id)]",
        help="Locations to count, with their sublocations. Default: the warehouse's stock.",
    )
    counter_ids = fields.Many2many(
        "res.users",
        string="Counters",
        domain=lambda self: self._get_counter_domain(),
        help="Counters assigned to the sessions this plan proposes.",
    )
    # ABC classification
    abc_months = fields.Integer(
        string="Consumption Window (Months)", default=12, required=True, tracking=True
    )
    abc_percent_a = fields.Float(string="Class A (% of Value)", default=80.0, tracking=True)
    abc_percent_b = fields.Float(string="Class B (% of Value)", default=15.0, tracking=True)
    abc_percent_c = fields.Float(string="Class C (% of Value)", compute="_compute_abc_percent_c")
    abc_date = fields.Datetime(string="Classified On", readonly=True, copy=False)
    proposal_date = fields.Date(
        string="Sessions Proposed On",
        readonly=True,
        copy=False,
        help="The day the scheduled action last proposed this plan's due sessions.",
    )
    classification_ids = fields.One2many(
        "running.inventory.abc.classification", "plan_id", string="ABC Classes", readonly=True
    )
    classification_count = fields.Integer(compute="_compute_classification_count")
    # Frequencies and sessions
    frequency_a = fields.Integer(string="Count Class A Every (Days)", default=30, tracking=True)
    frequency_b = fields.Integer(string="Count Class B Every (Days)", default=90, tracking=True)
    frequency_c = fields.Integer(string="Count Class C Every (Days)", default=365, tracking=True)
    include_zero_stock = fields.Boolean(
        string="Zero-Stock Confirmation",
        tracking=True,
        help="Also count due products the system believes out of stock, to confirm none is left.",
    )
    max_lines = fields.Integer(
        string="Maximum Lines per Session",
        default=200,
        tracking=True,
        help="Proposed sessions are split to stay under this number of lines; the lines of one "
        "product are never split across sessions.",
    )
    blind = fields.Boolean(
        string="Blind Counts",
        default=True,
        tracking=True,
        help="Counters never see expected quantities or variances.",
    )
    threshold_override = fields.Boolean(
        string="Own Recount Thresholds",
        tracking=True,
        help="Use these thresholds instead of the company's for this warehouse.",
    )
    threshold_quantity_percent = fields.Float(string="Recount Above (Quantity %)", tracking=True)
    threshold_value = fields.Monetary(string="Recount Above (Value)", tracking=True)
    count_ids = fields.One2many("running.inventory.count", "plan_id", string="Sessions")
    count_count = fields.Integer(compute="_compute_count_count")

    _warehouse_unique = models.UniqueIndex(
        "(warehouse_id) WHERE active", "A warehouse has one active count plan."
    )
    _frequencies_positive = models.Constraint(
        "CHECK(frequency_a > 0 AND frequency_b > 0 AND frequency_c > 0)",
        "Count frequencies are numbers of days, at least 1.",
    )
    _max_lines_positive = models.Constraint(
        "CHECK(max_lines > 0)", "A session needs room for at least one line."
    )
    _abc_months_positive = models.Constraint(
        "CHECK(abc_months > 0)", "The consumption window is at least one month."
    )
    _thresholds_positive = models.Constraint(
        "CHECK(threshold_quantity_percent >= 0 AND threshold_value >= 0)",
        "Recount thresholds cannot be negative.",
    )

    @api.model
    def _get_counter_domain(self):
        counter_group = self.env.ref("running_inventory.group_inventory_counter")
        return [("share", "=", False), ("all_group_ids", "in", counter_group.ids)]

    @api.depends("warehouse_id")
    def _compute_location_ids(self):
        for plan in self:
            if plan.warehouse_id and not plan.location_ids:
                plan.location_ids = plan.warehouse_id.lot_stock_id

    @api.depends("abc_percent_a", "abc_percent_b")
    def _compute_abc_percent_c(self):
        for plan in self:
            plan.abc_percent_c = 100.0 - plan.abc_percent_a - plan.abc_percent_b

    def _compute_classification_count(self):
        counts = dict(
            self.env["running.inventory.abc.classification"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.classification_count = counts.get(plan, 0)

    def _compute_count_count(self):
        counts = dict(
            self.env["running.inventory.count"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.count_count = counts.get(plan, 0)

    @api.depends("warehouse_id")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = plan.warehouse_id.display_name or self.env._("New Count Plan")

    @api.constrains(
        "abc_percent_a", "abc_percent_b", "threshold_quantity_percent", "threshold_value"
    )
    def _check_finite_figures(self):
        """NaN passes SQL checks (NaN >= 0 is true in PostgreSQL) and infinities break the
        arithmetic: shares and thresholds are finite numbers."""
        for plan in self:
            for fname in self._number_bounds:
                if not math.isfinite(plan[fname]):
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(plan)s must be a finite number.",
                            field=self._fields[fname]._description_string(self.env),
                            plan=plan.display_name,
                        )
                    )

    @api.constrains("abc_percent_a", "abc_percent_b")
    def _check_abc_percents(self):
        for plan in self:
            if (
                min(plan.abc_percent_a, plan.abc_percent_b) < 0
                or plan.abc_percent_a + plan.abc_percent_b > 100
            ):
                raise ValidationError(
                    self.env._(
                        "The shares of classes A and B are between 0 and 100 %% and add up to "
                        "100 %% at most (plan %(plan)s).",
                        plan=plan.display_name,
                    )
                )

    @api.constrains("warehouse_id", "location_ids")
    def _check_locations_in_warehouse(self):
        for plan in self:
            wrong = plan.location_ids.filtered(
                lambda loc, plan=plan: (
                    loc.usage != "internal" or loc.warehouse_id != plan.warehouse_id
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Count plan %(plan)s counts internal locations of its own warehouse only, "
                        "not %(locations)s.",
                        plan=plan.display_name,
                        locations=", ".join(wrong.mapped("complete_name")),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @rpc_record
    def action_compute_abc_classification(self):
        self.check_access("write")
        self._compute_abc_classification()
        return self.action_view_classification()

    @rpc_records
    def action_propose_counts(self):
        self.check_access("write")
        counts = self._propose_counts()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_count_action"
        )
        action["domain"] = [("id", "in", counts.ids)]
        return action

    @api.readonly
    @rpc_record
    def action_view_classification(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_abc_classification_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        return action

    @api.readonly
    @rpc_record
    def action_view_counts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_count_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {
            "default_plan_id": self.id,
            "default_warehouse_id": self.warehouse_id.id,
        }
        return action

    @api.model
    def _cron_compute_abc_classification(self, batch_size=ABC_CRON_BATCH_SIZE):
        """Reclassify every active plan not classified today, `batch_size` products per
        transaction (ir.cron progress).

        Each batch replaces the classes of its products and is committed. The run's time is
        looked at between plans (a plan's ranking, one read of its whole consumption, is paid
        once per run): when it is up, the plans left go to the next run. A run stopped inside a
        plan (killed at limit_time_real, a restart) is resumed by the next one, which ranks the
        plan again and writes only the products its classification has not written yet (those
        whose row is newer than the plan's Classified On): no batch is done twice. The plan's
        last batch drops the products no longer ranked and dates the plan. The progress counts
        products, plus one for each plan not started yet.
        """
        plans = self.search(self._get_abc_due_domain(), order="id")
        for index, plan in enumerate(plans, start=1):
            if not plan._classify_in_batches(batch_size, plans_left=len(plans) - index):
                return

    def _classify_in_batches(self, batch_size, plans_left):
        """Write the plan's classification not written yet, one committed batch at a time.

        :param plans_left: plans the cron classifies after this one (for its progress)
        :return: whether the cron run has time left
        """
        self.ensure_one()
        ranking = self._get_abc_ranking()
        todo = self._get_abc_rows_to_write(ranking)
        batches = [todo[start : start + batch_size] for start in range(0, len(todo), batch_size)]
        left, time_left = len(todo), True
        for batch in batches or [[]]:
            self._write_abc_rows(batch)
            left -= len(batch)
            if not left:
                self._finish_abc_classification(ranking)
            remaining = left + plans_left
            time_left = self.env["ir.cron"]._commit_progress(len(batch), remaining=remaining)
        return time_left

    @api.model
    def _get_abc_due_domain(self):
        """Active plans not classified since the start of today (UTC)."""
        start_of_today = datetime.combine(fields.Date.today(), time.min)
        return ["|", ("abc_date", "=", False), ("abc_date", "<", start_of_today)]

    @api.model
    def _cron_propose_counts(self):
        """Propose the due sessions of every active plan not proposed today, one plan per
        transaction (ir.cron progress): a run cut short leaves the plans not done to the next
        run, and a plan done is not proposed twice the same day."""
        today = fields.Date.context_today(self)
        plans = self.search(
            ["|", ("proposal_date", "=", False), ("proposal_date", "<", today)], order="id"
        )
        for index, plan in enumerate(plans, start=1):
            plan._propose_counts()
            plan.proposal_date = today
            if not self.env["ir.cron"]._commit_progress(1, remaining=len(plans) - index):
                return

    # ------------------------------------------------------------------
    # ABC classification
    # ------------------------------------------------------------------
    def _compute_abc_classification(self):
        """Replaces the plans' ABC classes by fresh ones, dated now (at once: the cron does it
        in batches, see _cron_compute_abc_classification)."""
        for plan in self:
            ranking = plan._get_abc_ranking()
            plan._write_abc_rows(ranking)
            plan._finish_abc_classification(ranking)

    def _get_abc_ranking(self):
        """The plan's classification values, best first (see _rank_products)."""
        self.ensure_one()
        values = self._get_consumption_values()
        return self._rank_products(values, self._get_stocked_products())

    def _get_abc_rows_to_write(self, ranking):
        """The rows of `ranking` the classification under way has not written yet: a row newer
        than the plan's Classified On was written by it (in an earlier, cut short cron run)."""
        self.ensure_one()
        domain = [("plan_id", "=", self.id)]
        if self.abc_date:
            domain.append(("date", ">", self.abc_date))
        groups = self.env["running.inventory.abc.classification"]._read_group(
            domain, ["product_id"]
        )
        written = {product.id for (product,) in groups}
        return [vals for vals in ranking if vals["product_id"] not in written]

    def _write_abc_rows(self, rows):
        """Replace the classes of the rows' products by these rows, dated now.

        Tens of thousands of plain rows per batch (no computed field, no constraint but the
        unique product): one DELETE and one INSERT of arrays (tools/bulk), as report rows.
        """
        self.ensure_one()
        if not rows:
            return
        classification = self.env["running.inventory.abc.classification"]
        classification.flush_model()
        self.env.execute_query(
            SQL(
                "DELETE FROM %s WHERE plan_id = %s AND product_id = ANY(%s)",
                SQL.identifier(classification._table),
                self.id,
                [vals["product_id"] for vals in rows],
            )
        )
        plan_vals = {
            "plan_id": self.id,
            "warehouse_id": self.warehouse_id.id,
            "company_id": self.company_id.id,
            "date": fields.Datetime.now(),
        }
        insert_records(classification, [dict(vals, **plan_vals) for vals in rows])

    def _finish_abc_classification(self, ranking):
        """Drop the classes of products no longer ranked and date the plan."""
        self.ensure_one()
        ranked = [vals["product_id"] for vals in ranking]
        self.env["running.inventory.abc.classification"].search(
            [("plan_id", "=", self.id), ("product_id", "not in", ranked)]
        ).unlink()
        self.abc_date = fields.Datetime.now()

    def _get_consumption_domain(self, date_from):
        self.ensure_one()
        warehouse = self.warehouse_id
        return Domain(
            [
                ("state", "=", "done"),
                ("date", ">=", date_from),
                ("is_inventory", "=", False),
                ("scrap_id", "=", False),
                ("product_id.is_storable", "=", True),
                ("location_id.warehouse_id", "=", warehouse.id),
                ("location_dest_id.usage", "in", CONSUMPTION_USAGES),
                ("location_dest_id.warehouse_id", "!=", warehouse.id),
            ]
        )

    def _get_consumption_values(self):
        """The consumption value of each product over the plan's window: the quantity that left
        the warehouse for customers, production or other warehouses, at the product's current
        cost (the classic annual usage value, independent of the valuation method).

        :return: {product: value}
        """
        self.ensure_one()
        date_from = fields.Datetime.now() - relativedelta(months=self.abc_months)
        groups = self.env["stock.move"]._read_group(
            self._get_consumption_domain(date_from), ["product_id"], ["product_qty:sum"]
        )
        products = self.env["product.product"].browse([product.id for product, _qty in groups])
        products = products.with_company(self.company_id)
        costs = dict(zip(products.ids, products.mapped("standard_price"), strict=True))
        return {product: qty * costs[product.id] for product, qty in groups}

    def _get_stocked_products(self):
        self.ensure_one()
        groups = self.env["stock.quant"]._read_group(
            [
                ("location_id", "child_of", self.location_ids.ids),
                ("product_id.is_storable", "=", True),
                ("quantity", ">", 0),
            ],
            ["product_id"],
        )
        return self.env["product.product"].concat(*(product for (product,) in groups))

    def _rank_products(self, values, stocked):
        """Ranks products by consumption value. A product is in class A when the products ranked
        above it make less than the A share of the total value, in B when they make less than the
        A and B shares together, else in C; so the top product is always A. Stocked products
        that consumed nothing are C.

        :param values: {product: consumption value}
        :param stocked: products with stock in the plan's locations
        :return: list of classification values, best first
        """
        self.ensure_one()
        total = sum(value for value in values.values() if value > 0)
        ranked = sorted(values.items(), key=lambda item: (-item[1], item[0].id))
        ranked += [(product, 0.0) for product in stocked if product not in values]
        result, cumulative = [], 0.0
        for rank, (product, value) in enumerate(ranked, start=1):
            share = 100.0 * value / total if total and value > 0 else 0.0
            if value <= 0:
                abc_class = "c"
            elif cumulative < self.abc_percent_a:
                abc_class = "a"
            elif cumulative < self.abc_percent_a + self.abc_percent_b:
                abc_class = "b"
            else:
                abc_class = "c"
            cumulative += share
            result.append(
                {
                    "product_id": product.id,
                    "abc_class": abc_class,
                    "rank": rank,
                    "consumption_value": value,
                    "value_percent": share,
                    "cumulative_percent": cumulative,
                }
            )
        return result

    # ------------------------------------------------------------------
    # Proposals
    # ------------------------------------------------------------------
    def _propose_counts(self):
        """Creates the count sessions for what is due in each plan.

        :return: the new sessions, in draft
        """
        vals_list = []
        for plan in self:
            if not plan.abc_date:
                plan._compute_abc_classification()
            vals_list += plan._prepare_count_vals_list(plan._get_due_products())
        return self.env["running.inventory.count"].create(vals_list)

    def _get_due_products(self):
        """The products to count now, most overdue first: for each class, at most its daily
        share (class size / frequency, rounded up) among the products never counted in this
        warehouse or last counted at least a frequency ago, leaving out products already in an
        open session.
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        classification = self.classification_ids
        # Sets of ids: `record in recordset` scans the recordset (100,000 products, each).
        if not self.include_zero_stock:
            stocked = set(self._get_stocked_products().ids)
            classification = classification.filtered(lambda cls: cls.product_id.id in stocked)
        last_counted = self._get_last_count_dates(classification.product_id)
        busy = set(self._get_products_in_open_counts().ids)
        due = self.env["product.product"]
        for abc_class, _label in ABC_CLASSES:
            members = classification.filtered(lambda cls, abc=abc_class: cls.abc_class == abc)
            frequency = self[f"frequency_{abc_class}"]
            quota = math.ceil(len(members) / frequency)
            candidates = [
                (last_counted.get(cls.product_id), cls.rank, cls.product_id)
                for cls in members
                if cls.product_id.id not in busy
                and (
                    cls.product_id not in last_counted
                    or last_counted[cls.product_id] + timedelta(days=frequency) <= today
                )
            ]
            # Never counted first (by rank), then the oldest count first.
            candidates.sort(key=lambda item: (item[0] is not None, item[0] or today, item[1]))
            due |= self.env["product.product"].concat(*(item[2] for item in candidates[:quota]))
        return due

    def _get_last_count_dates(self, products):
        """{product: date of its last approved count in this plan's warehouse}"""
        self.ensure_one()
        groups = self.env["running.inventory.count.line"]._read_group(
            [
                ("count_id.warehouse_id", "=", self.warehouse_id.id),
                ("count_id.state", "=", "done"),
                ("product_id", "in", products.ids),
                ("date_counted", "!=", False),
            ],
            ["product_id"],
            ["date_counted:max"],
        )
        return {product: date.date() for product, date in groups}

    def _get_products_in_open_counts(self):
        self.ensure_one()
        open_counts = self.env["running.inventory.count"].search(
            [("warehouse_id", "=", self.warehouse_id.id), ("state", "in", OPEN_COUNT_STATES)]
        )
        line_groups = self.env["running.inventory.count.line"]._read_group(
            [("count_id", "in", open_counts.ids)], ["product_id"]
        )
        return open_counts.product_ids.concat(*(product for (product,) in line_groups))

    def _prepare_count_vals_list(self, products):
        """Packs the due products into sessions of at most `max_lines` expected lines, never
        splitting one product's lines across sessions.
        """
        self.ensure_one()
        line_counts = dict(
            self.env["stock.quant"]._read_group(
                [
                    ("location_id", "child_of", self.location_ids.ids),
                    ("product_id", "in", products.ids),
                    ("quantity", "!=", 0),
                ],
                ["product_id"],
                ["__count"],
            )
        )
        batches, batch, size = [], self.env["product.product"], 0
        for product in products:
            lines = max(line_counts.get(product, 0), 1)
            if batch and size + lines > self.max_lines:
                batches.append(batch)
                batch, size = self.env["product.product"], 0
            batch |= product
            size += lines
        if batch:
            batches.append(batch)
        return [self._prepare_count_vals(batch) for batch in batches]

    def _prepare_count_vals(self, products):
        self.ensure_one()
        return {
            "plan_id": self.id,
            "company_id": self.company_id.id,
            "warehouse_id": self.warehouse_id.id,
            "location_ids": [Command.set(self.location_ids.ids)],
            "product_ids": [Command.set(products.ids)],
            "counter_ids": [Command.set(self.counter_ids.ids)],
            "blind": self.blind,
            "include_zero_stock": self.include_zero_stock,
            "date_due": fields.Date.context_today(self),
        }

    def _get_thresholds(self):
        """(quantity %, value) above which a count needs a recount, for this plan's warehouse."""
        self.ensure_one()
        if self.threshold_override:
            return self.threshold_quantity_percent, self.threshold_value
        return (
            self.company_id.count_threshold_quantity_percent,
            self.company_id.count_threshold_value,
        )
