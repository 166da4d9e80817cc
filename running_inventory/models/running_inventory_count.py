# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools.rpc import rpc_record, rpc_records

AUDITOR_GROUP = "running_inventory.group_inventory_auditor"
# The count session whose approval applies the inventory adjustments, while it applies them:
# its moves are created with it (stock.quant). Not a context key: any RPC caller sets the
# context of their call, and would file their adjustments under a session.
APPROVING_COUNT = ContextVar("running_inventory_approving_count", default=None)
COUNTER_GROUP = "running_inventory.group_inventory_counter"
# What a counter may change on a session: the lines (each line checks what it accepts) and the
# scanning helpers. Everything else moves through the action methods.
COUNTER_WRITABLE_FIELDS = {"line_ids", "scan_barcode", "scan_location_id", "_barcode_scanned"}
# What only the workflow actions set, for every user but the superuser: the state machine, the
# approval and the thresholds the session was started with.
ACTION_FIELDS = {
    "state",
    "date_start",
    "date_counted",
    "date_done",
    "user_approved_id",
    "threshold_quantity_percent",
    "threshold_value",
}


class RunningInventoryCount(models.Model):
    """A count session: counters count a set of locations, an auditor approves.

    Starting the session snapshots the expected quantity of every quant in scope, one line per
    product, location, lot, package and owner. Counters enter what they find; with blind counting
    (the default) expected quantities and variances are fields of the auditor group only, so the
    server refuses them to counters whatever the client asks. A count whose variance is over the
    thresholds is recounted by another counter. An auditor who did not count approves: the
    differences are applied through Odoo's inventory adjustment (`stock.quant._apply_inventory`),
    which posts them like any inventory adjustment.
    """

    _name = "running.inventory.count"
    _description = "Count Session"
    _inherit = ("mail.thread", "mail.activity.mixin", "barcodes.barcode_events_mixin")
    _order = "date_due desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_progress", "In Progress"),
            ("counted", "Counted"),
            ("to_approve", "To Approve"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        index=True,
        check_company=True,
        default=lambda self: self._default_warehouse_id(),
        tracking=True,
    )
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    plan_id = fields.Many2one(
        "running.inventory.count.plan",
        string="Count Plan",
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
        readonly=True,
    )
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        compute="_compute_location_ids",
        store=True,
        readonly=False,
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', warehouse_id)]",
        help="Locations to count, with their sublocations.",
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        domain="[('is_storable', '=', True)]",
        help="Products to count; leave empty to count everything in the locations.",
    )
    counter_ids = fields.Many2many(
        "res.users",
        string="Counters",
        domain=lambda self: self.env["running.inventory.count.plan"]._get_counter_domain(),
        tracking=True,
        help="Counters assigned to this session; when empty, any counter may count it.",
    )
    date_due = fields.Date(
        string="Due Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    blind = fields.Boolean(
        string="Blind Count",
        default=True,
        tracking=True,
        help="Counters never see expected quantities or variances.",
    )
    include_zero_stock = fields.Boolean(
        string="Zero-Stock Confirmation",
        help="Products in the list without stock get a line to confirm that none is left.",
    )
    threshold_quantity_percent = fields.Float(
        string="Recount Above (Quantity %)",
        readonly=True,
        help="Set when the session starts, from the warehouse's count plan or the company.",
    )
    threshold_value = fields.Monetary(string="Recount Above (Value)", readonly=True)
    date_start = fields.Datetime(string="Snapshot Taken", readonly=True, copy=False, tracking=True)
    date_counted = fields.Datetime(
        string="Counting Finished", readonly=True, copy=False, tracking=True
    )
    date_done = fields.Datetime(string="Approved On", readonly=True, copy=False, tracking=True)
    user_approved_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False, tracking=True
    )
    line_ids = fields.One2many("running.inventory.count.line", "count_id", string="Lines")
    line_count = fields.Integer(compute="_compute_line_stats")
    line_to_count_count = fields.Integer(string="Lines to Count", compute="_compute_line_stats")
    line_to_recount_count = fields.Integer(string="Lines to Recount", compute="_compute_line_stats")
    is_ready_to_submit = fields.Boolean(
        compute="_compute_line_stats",
        help="Counted, and no line waits for a recount by anyone.",
    )
    counted_user_ids = fields.Many2many(
        "res.users",
        string="Counted By",
        compute="_compute_counted_user_ids",
        help="Everyone who entered a count or a recount in this session.",
    )
    entry_ids = fields.One2many(
        "running.inventory.count.entry",
        "count_id",
        string="Count History",
        readonly=True,
        groups=AUDITOR_GROUP,
    )
    move_ids = fields.One2many(
        "stock.move",
        "count_id",
        string="Adjustments",
        readonly=True,
        groups="stock.group_stock_user",
    )
    move_count = fields.Integer(compute="_compute_move_count")
    variance_value = fields.Monetary(
        compute="_compute_variance",
        groups=AUDITOR_GROUP,
        help="Sum of the value of the differences (gains minus losses).",
    )
    line_over_threshold_count = fields.Integer(
        string="Lines over Threshold", compute="_compute_variance", groups=AUDITOR_GROUP
    )
    # Floor entry: a scan field for keyboards and scanners that type, the barcode handler for
    # scanners anywhere on the form. Both only prepare the lines; saving the form records them.
    scan_barcode = fields.Char(
        string="Scan", store=False, help="Scan or type a location, product or lot barcode."
    )
    scan_location_id = fields.Many2one(
        "stock.location",
        string="Scanning In",
        store=False,
        help="The location the scanned products are in (scan the location's barcode).",
    )

    @api.model
    def _default_warehouse_id(self):
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )

    @api.depends("warehouse_id")
    def _compute_location_ids(self):
        for count in self:
            if count.warehouse_id and not count.location_ids:
                count.location_ids = count.warehouse_id.lot_stock_id

    @api.depends_context("uid")
    @api.depends("state", "line_ids.status")
    def _compute_line_stats(self):
        """Lines to recount as the user may know them: all for an auditor, a counter's own
        recounts for a counter (who must not learn which of their counts went to a recount)."""
        stats = defaultdict(dict)
        lines = self.env["running.inventory.count.line"]
        for count, status, number in lines.sudo()._read_group(
            [("count_id", "in", self.ids)], ["count_id", "status"], ["__count"]
        ):
            stats[count][status] = number
        masked = self._is_recount_masked()
        for count in self:
            count_stats = stats[count.sudo()]
            count.line_count = sum(count_stats.values())
            # A counter may always submit a counted session: whether recounts wait is the
            # auditors' to know (the approval waits for them).
            count.is_ready_to_submit = count.state == "counted" and (
                masked or not count_stats.get("to_recount")
            )
        if masked:
            mine = dict(
                lines.sudo()._read_group(
                    [("count_id", "in", self.ids)] + lines._get_my_recount_domain(),
                    ["count_id"],
                    ["__count"],
                )
            )
            for count in self:
                stats[count.sudo()]["to_recount"] = mine.get(count.sudo(), 0)
        for count in self:
            count_stats = stats[count.sudo()]
            count.line_to_count_count = count_stats.get("to_count", 0)
            count.line_to_recount_count = count_stats.get("to_recount", 0)

    @api.depends_context("uid")
    def _compute_counted_user_ids(self):
        # A counter reads the first counters only: a recounter's name would tell them that
        # some count went to a recount.
        domain = [("count_id", "in", self.ids)]
        if self._is_recount_masked():
            domain.append(("kind", "=", "count"))
        groups = dict(
            self.env["running.inventory.count.entry"]
            .sudo()
            ._read_group(domain, ["count_id"], ["user_id:array_agg"])
        )
        for count in self:
            count.counted_user_ids = self.env["res.users"].browse(groups.get(count.sudo(), []))

    def _compute_move_count(self):
        # How many adjustments, not what they moved: counters, who may not read moves, see it.
        counts = dict(
            self.env["stock.move"]
            .sudo()
            ._read_group([("count_id", "in", self.ids)], ["count_id"], ["__count"])
        )
        for count in self:
            count.move_count = counts.get(count, 0)

    @api.depends("line_ids.value_difference", "line_ids.is_over_threshold")
    def _compute_variance(self):
        values = defaultdict(float)
        over = defaultdict(int)
        for count, is_over, value, number in self.env["running.inventory.count.line"]._read_group(
            [("count_id", "in", self.ids)],
            ["count_id", "is_over_threshold"],
            ["value_difference:sum", "__count"],
        ):
            values[count] += value
            over[count] += number if is_over else 0
        for count in self:
            count.variance_value = values[count]
            count.line_over_threshold_count = over[count]

    @api.constrains("warehouse_id", "location_ids")
    def _check_locations_in_warehouse(self):
        for count in self:
            wrong = count.location_ids.filtered(
                lambda loc, count=count: (
                    loc.usage != "internal" or loc.warehouse_id != count.warehouse_id
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Session %(count)s counts internal locations of its warehouse only, "
                        "not %(locations)s.",
                        count=count.display_name,
                        locations=", ".join(wrong.mapped("complete_name")),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: who may change what
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("running.inventory.count")
        return super().create(vals_list)

    def write(self, vals):
        self._ensure_write_allowed(vals)
        return super().write(vals)

    def _ensure_write_allowed(self, vals):
        """Done sessions are read-only; counters change lines only; the scope of a session
        (warehouse, locations, products) is fixed once its snapshot is taken.
        """
        changed = {fname for fname in vals if not fname.startswith(("message_", "activity_"))}
        if not changed:
            return
        if any(count.state == "done" for count in self):
            raise UserError(self.env._("An approved count session can no longer be changed."))
        if self.env.su:
            return
        if changed & ACTION_FIELDS:
            raise AccessError(
                self.env._(
                    "A count session's %(fields)s change through its actions only (start, "
                    "counting done, submit, approve, cancel).",
                    fields=", ".join(
                        self._fields[fname].string for fname in sorted(changed & ACTION_FIELDS)
                    ),
                )
            )
        if not self.env.user.has_group(AUDITOR_GROUP) and changed - COUNTER_WRITABLE_FIELDS:
            raise AccessError(
                self.env._(
                    "Only an Inventory Auditor can change a count session's %(fields)s.",
                    fields=", ".join(
                        self._fields[fname].string
                        for fname in sorted(changed - COUNTER_WRITABLE_FIELDS)
                    ),
                )
            )
        frozen = changed & {
            "warehouse_id",
            "location_ids",
            "product_ids",
            "include_zero_stock",
            "blind",
        }
        if frozen and any(count.state != "draft" for count in self):
            raise UserError(
                self.env._(
                    "The scope of a session and its blind counting cannot change once its "
                    "snapshot is taken."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(count.state != "draft" for count in self):
            raise UserError(
                self.env._(
                    "Only draft sessions can be deleted; cancel a started one, its counts "
                    "stay in the audit trail."
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _ensure_state(self, *states):
        wrong = self.filtered(lambda count: count.state not in states)
        if wrong:
            state_names = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(counts)s must be %(states)s for this.",
                    counts=", ".join(wrong.mapped("name")),
                    states=self.env._(" or ").join(state_names[state] for state in states),
                )
            )

    def _is_recount_masked(self):
        """Whether the current user reads the sessions without what varies with the recount
        decision: counters do (they must not learn that their count was off), auditors and
        inventory managers do not."""
        return not self.env.su and not self.env.user.has_group(AUDITOR_GROUP)

    def _ensure_auditor(self):
        if not self.env.su and not self.env.user.has_group(AUDITOR_GROUP):
            raise AccessError(self.env._("Only an Inventory Auditor can do this."))

    @rpc_records
    def action_start(self):
        """Takes the snapshot: one line per quant in scope, with its quantity now. An auditor
        starts a session (counters count the sessions started for them)."""
        self._ensure_state("draft")
        self._ensure_auditor()
        self.check_access("write")
        now = fields.Datetime.now()
        for count in self:
            quantity_percent, value = count._get_thresholds()
            count.sudo().write(
                {
                    "state": "in_progress",
                    "date_start": now,
                    "threshold_quantity_percent": quantity_percent,
                    "threshold_value": value,
                }
            )
        self.env["running.inventory.count.line"].sudo()._create_snapshot_lines(
            [vals for count in self for vals in count._prepare_snapshot_line_vals_list(now)]
        )
        return True

    @rpc_record
    def record_counts(self, counts):
        """Records many counts at once, for handheld scanners and imports over RPC.

        :param counts: list of ``[line_id, counted quantity]`` pairs, lines of this session
        :return: True
        """
        self.ensure_one()
        if not isinstance(counts, list | tuple) or not all(
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and isinstance(pair[0], int)
            and isinstance(pair[1], int | float)
            and not isinstance(pair[1], bool)
            for pair in counts
        ):
            raise ValidationError(
                self.env._("Counts are a list of [line id, counted quantity] pairs.")
            )
        quantities = {line_id: float(quantity) for line_id, quantity in counts}
        if len(quantities) != len(counts):
            raise ValidationError(self.env._("Each line is counted once per call."))
        lines = self.env["running.inventory.count.line"].browse(list(quantities))
        if lines - self.line_ids:
            raise ValidationError(
                self.env._(
                    "Lines %(ids)s are not lines of %(count)s.",
                    ids=(lines - self.line_ids).ids,
                    count=self.name,
                )
            )
        lines._record_counts({line: quantities[line.id] for line in lines})
        return True

    @rpc_records
    def action_count_done(self):
        """Closes counting. Lines over the thresholds go to a recount by another counter."""
        self._ensure_state("in_progress")
        self.check_access("write")
        for count in self:
            if count.line_to_count_count:
                raise UserError(
                    self.env._(
                        "%(count)s still has %(number)s lines to count. Count them, or confirm "
                        "a zero on the products you did not find.",
                        count=count.name,
                        number=count.line_to_count_count,
                    )
                )
        lines = self.sudo().line_ids
        to_recount = lines.filtered(
            lambda line: line.status == "counted" and line.is_over_threshold
        )
        to_recount._flag_recount()
        self.sudo().write({"state": "counted", "date_counted": fields.Datetime.now()})
        for count in self:
            count._message_counting_done()
        return True

    def _message_counting_done(self):
        """Who counted; not which lines go to a recount: the first counters read this chatter
        too (the auditors find the recounts on the lines and in the Count History)."""
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "Counting finished by %(user)s; counted by %(counters)s.",
                user=self.env.user.name,
                counters=", ".join(self.sudo().counted_user_ids.mapped("name")),
            )
        )

    @rpc_records
    def action_submit(self):
        """Sends the counts to the auditors. A counter's submission goes through whether or not
        recounts still wait (they are recounted in the submitted session, and the approval
        waits for them): refusing it would tell the first counter that their count was off.
        An auditor is told what waits."""
        self._ensure_state("counted")
        self.check_access("write")
        if not self._is_recount_masked():
            self.sudo()._ensure_recounted()
        self.sudo().write({"state": "to_approve"})
        return True

    def _ensure_recounted(self):
        for count in self:
            if count.line_to_recount_count:
                raise UserError(
                    self.env._(
                        "%(count)s still has %(number)s lines to recount.",
                        count=count.name,
                        number=count.line_to_recount_count,
                    )
                )

    @rpc_records
    def action_approve(self):
        """Applies the differences as inventory adjustments. An auditor approves; never one who
        counted in the session.
        """
        self._ensure_state("to_approve")
        self._ensure_auditor()
        self.check_access("write")
        for count in self:
            if self.env.user in count.counted_user_ids:
                raise UserError(
                    self.env._(
                        "You counted in %(count)s: another auditor must approve it.",
                        count=count.name,
                    )
                )
        self.sudo()._ensure_recounted()
        for count in self:
            count.with_company(count.company_id)._apply_differences()
        self.sudo().write(
            {"state": "done", "date_done": fields.Datetime.now(), "user_approved_id": self.env.uid}
        )
        return True

    @rpc_records
    def action_cancel(self):
        self._ensure_state("draft", "in_progress", "counted", "to_approve")
        self._ensure_auditor()
        self.check_access("write")
        self.sudo().write({"state": "cancel"})
        return True

    # ------------------------------------------------------------------
    # Views and reports
    # ------------------------------------------------------------------
    @api.readonly
    @rpc_record
    def action_view_moves(self):
        """The adjustments as a list of their moves (Odoo's Moves Analysis opens on a pivot)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Adjustments of %(count)s", count=self.name),
            "res_model": "stock.move",
            "view_mode": "list,form",
            "views": [(self.env.ref("stock.view_move_tree").id, "list"), (False, "form")],
            "search_view_id": [self.env.ref("stock.view_move_search").id],
            "domain": [("count_id", "=", self.id)],
            "context": {"create": False},
        }

    @rpc_records
    def action_print_count_sheet(self):
        return self.env.ref("running_inventory.running_inventory_count_sheet_report").report_action(
            self
        )

    # ------------------------------------------------------------------
    # Snapshot
    # ------------------------------------------------------------------
    def _get_thresholds(self):
        self.ensure_one()
        plan = self.plan_id or self.env["running.inventory.count.plan"].search(
            [("warehouse_id", "=", self.warehouse_id.id)], limit=1
        )
        if plan:
            return plan._get_thresholds()
        return (
            self.company_id.count_threshold_quantity_percent,
            self.company_id.count_threshold_value,
        )

    def _get_snapshot_quant_domain(self):
        self.ensure_one()
        domain = Domain(
            [
                ("location_id", "child_of", self.location_ids.ids),
                ("location_id.usage", "=", "internal"),
                ("product_id.is_storable", "=", True),
                ("quantity", "!=", 0),
            ]
        )
        if self.product_ids:
            domain &= Domain("product_id", "in", self.product_ids.ids)
        return domain

    def _prepare_snapshot_line_vals_list(self, date):
        """One line per product/location/lot/package/owner with stock now, plus one line at the
        first location for each listed product without stock when zero-stock confirmation is on.
        """
        self.ensure_one()
        if not self.location_ids:
            raise UserError(
                self.env._("Choose the locations to count in %(count)s.", count=self.name)
            )
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                self._get_snapshot_quant_domain(),
                ["location_id", "product_id", "lot_id", "package_id", "owner_id"],
                ["quantity:sum"],
            )
        )
        products = self.env["product.product"].concat(*(group[1] for group in groups))
        if self.include_zero_stock:
            products |= self.product_ids
        classes = self._get_abc_classes(products)
        costs = self._get_unit_costs(products)
        # Groups come sorted by location, then product: the order to walk the shelves in.
        vals_list = [
            {
                "count_id": self.id,
                "sequence": sequence,
                "location_id": location.id,
                "product_id": product.id,
                "lot_id": lot.id,
                "package_id": package.id,
                "owner_id": owner.id,
                "quantity_snapshot": quantity,
                "date_snapshot": date,
                "abc_class": classes.get(product),
                "unit_cost": costs[product],
            }
            for sequence, (location, product, lot, package, owner, quantity) in enumerate(groups)
        ]
        if self.include_zero_stock:
            stocked = {vals["product_id"] for vals in vals_list}
            missing = self.product_ids.filtered(lambda product: product.id not in stocked)
            zero_stock = self._prepare_zero_stock_line_vals_list(missing, date, classes, costs)
            for sequence, vals in enumerate(zero_stock, start=len(vals_list)):
                vals["sequence"] = sequence
            vals_list += zero_stock
        return vals_list

    def _prepare_zero_stock_line_vals_list(self, products, date, classes, costs):
        """Lines to confirm that none of these products is left, at the first location."""
        self.ensure_one()
        return [
            {
                "count_id": self.id,
                "location_id": self.location_ids[:1].id,
                "product_id": product.id,
                "quantity_snapshot": 0.0,
                "date_snapshot": date,
                "abc_class": classes.get(product),
                "unit_cost": costs[product],
            }
            for product in products
        ]

    def _get_abc_classes(self, products):
        """{product: its current ABC class in this session's warehouse}"""
        self.ensure_one()
        classifications = (
            self.env["running.inventory.abc.classification"]
            .sudo()
            .search_fetch(
                [
                    ("warehouse_id", "=", self.warehouse_id.id),
                    ("plan_id.active", "=", True),
                    ("product_id", "in", products.ids),
                ],
                ["product_id", "abc_class"],
            )
        )
        return {cls.product_id: cls.abc_class for cls in classifications}

    def _get_unit_costs(self, products):
        self.ensure_one()
        products = products.with_company(self.company_id).sudo()
        return dict(zip(products, products.mapped("standard_price"), strict=True))

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------
    def _apply_differences(self):
        """Sets each differing quant's inventory quantity to its quantity now plus the counted
        difference (moves done since the count stay accounted for), then applies them all at once
        through Odoo's inventory adjustment. The adjustment moves carry the session's name.
        """
        self.ensure_one()
        self.line_ids._prefetch_for_counting()
        lines = self.line_ids.filtered(
            lambda line: not line.product_uom_id.is_zero(line.quantity_difference)
        )
        if not lines:
            return
        quants = lines._get_adjustment_quants()
        # One access check for all, then per-quant values written in one batched flush.
        quants.check_access("write")
        for line, quant in zip(lines, quants, strict=True):
            quant.sudo().inventory_quantity = quant.quantity + line.quantity_difference
        # The moves are created with their session (stock.quant._get_inventory_move_values):
        # linking them afterwards would update them 100 at a time.
        token = APPROVING_COUNT.set(self.id)
        try:
            quants.with_context(inventory_name=self.name)._apply_inventory()
        finally:
            APPROVING_COUNT.reset(token)

    # ------------------------------------------------------------------
    # Floor entry
    # ------------------------------------------------------------------
    @api.onchange("scan_barcode")
    def _onchange_scan_barcode(self):
        if self.scan_barcode:
            barcode, self.scan_barcode = self.scan_barcode, False
            return self.on_barcode_scanned(barcode)

    @rpc_record
    def on_barcode_scanned(self, barcode):
        """A location barcode sets where the next scans are; a product or lot barcode adds one
        unit to its line there, or to a new line when it was not expected.
        """
        if not isinstance(barcode, str):
            raise UserError(self.env._("A barcode is a text."))
        if self.state not in ("in_progress", "counted", "to_approve"):
            return self._scan_warning(self.env._("This session is not being counted."))
        location = self.env["stock.location"].search(
            [("barcode", "=", barcode), ("id", "child_of", self.location_ids.ids)], limit=1
        )
        if location:
            self.scan_location_id = location
            return None
        product, lot = self._find_scanned_product(barcode)
        if not product:
            return self._scan_warning(
                self.env._(
                    "No location, product or lot matches barcode %(barcode)s.", barcode=barcode
                )
            )
        line = self._find_scanned_line(product, lot)
        if line:
            line.quantity_counted = (line.quantity_counted if line.is_counted else 0.0) + 1
            # Shown as counted at once; saving the form records the count.
            line.is_counted = True
            return None
        if self.state != "in_progress":
            return self._scan_warning(
                self.env._(
                    "%(product)s is not on the lines to recount.", product=product.display_name
                )
            )
        self._add_scanned_line(product, lot)
        return None

    def _add_scanned_line(self, product, lot):
        """A line for goods found where the session did not expect them, counted one."""
        self.line_ids += self.env["running.inventory.count.line"].new(
            {
                "count_id": self.id,
                "product_id": product.id,
                "lot_id": lot.id,
                "location_id": (self.scan_location_id or self.location_ids[:1]).id,
                "quantity_counted": 1,
            }
        )

    def _scan_warning(self, message):
        return {"warning": {"title": self.env._("Scan"), "message": message}}

    def _find_scanned_product(self, barcode):
        product = self.env["product.product"].search(
            [("barcode", "=", barcode), ("is_storable", "=", True)], limit=1
        )
        if product:
            return product, self.env["stock.lot"]
        lot = self.env["stock.lot"].search(
            [
                ("name", "=", barcode),
                ("company_id", "in", [self.company_id.id, False]),
            ],
            limit=1,
        )
        return lot.product_id, lot

    def _find_scanned_line(self, product, lot):
        lines = self.line_ids.filtered(
            lambda line: (
                line.product_id == product
                and (not lot or line.lot_id == lot)
                and (self.state == "in_progress" or line._is_scanned_recount())
            )
        )
        if self.scan_location_id:
            lines = lines.filtered(lambda line: line.location_id == self.scan_location_id)
        return lines[:1]
