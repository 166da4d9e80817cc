# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.orm.models import UPDATE_BATCH_SIZE

from ..tools.bulk import insert_records, update_rows
from ..tools.rpc import rpc_records
from .running_inventory_count import AUDITOR_GROUP, COUNTER_GROUP
from .running_inventory_count_plan import ABC_CLASSES

# What a line is keyed on, like a quant (see stock.quant._gather).
QUANT_KEY_FIELDS = ("product_id", "location_id", "lot_id", "package_id", "owner_id")
# Far above any shelf, far below what the adjustment moves' arithmetic overflows on.
MAX_COUNTED_QUANTITY = 1e12
# What a counter who counted a line first reads of it while it is recounted: their own count
# (and as its last writer themselves, when they counted: the recounter's write would tell).
COUNTER_MASKED_FIELDS = (
    "status",
    "quantity_counted",
    "is_counted",
    "counter_id",
    "date_counted",
    "write_uid",
    "write_date",
)
# What a counter may give when adding a line for goods found but not expected.
FOUND_LINE_FIELDS = {*QUANT_KEY_FIELDS, "count_id", "quantity_counted"}


class RunningInventoryCountLine(models.Model):
    """One product, location, lot, package and owner to count in a session.

    `quantity_snapshot` is the quantity when the line was snapshotted (session start, or when a
    counter added the line). When a count is entered, `quantity_expected` becomes the quantity
    on hand at that moment: the snapshot plus the moves done since (`quantity_moved`), so goods
    that moved during the count make no variance. The expected quantities, the variances and the
    values belong to the auditor group: counters cannot read them in any way (blind counting).
    """

    _name = "running.inventory.count.line"
    _description = "Count Line"
    _order = "count_id, sequence, id"
    _check_company_auto = True

    count_id = fields.Many2one(
        "running.inventory.count",
        string="Session",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="count_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    count_state = fields.Selection(related="count_id.state", string="Session Status")
    blind = fields.Boolean(related="count_id.blind")
    sequence = fields.Integer(
        readonly=True, help="The counting order: by location, then product, at the snapshot."
    )
    status = fields.Selection(
        [
            ("to_count", "To Count"),
            ("counted", "Counted"),
            ("to_recount", "To Recount"),
            ("recounted", "Recounted"),
        ],
        default="to_count",
        required=True,
        readonly=True,
        index=True,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_storable', '=', True)]",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    tracking = fields.Selection(related="product_id.tracking")
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        index=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    package_id = fields.Many2one("stock.package", index="btree_not_null", check_company=True)
    owner_id = fields.Many2one("res.partner", index="btree_not_null")
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    is_unexpected = fields.Boolean(
        string="Found",
        readonly=True,
        help="Added while counting: goods found that the snapshot did not list.",
    )
    date_snapshot = fields.Datetime(string="Snapshot Taken", readonly=True)
    quantity_counted = fields.Float(string="Counted", digits="Product Unit")
    is_counted = fields.Boolean(readonly=True)
    counter_id = fields.Many2one("res.users", string="Counted By", readonly=True)
    # Who recounts: chosen when the line goes to a recount, among the counters who did not count
    # it; an auditor may choose another. Auditors' only: the first counter must not learn that
    # their count went to a recount.
    recount_user_id = fields.Many2one(
        "res.users",
        string="Recount By",
        index="btree_not_null",
        groups=AUDITOR_GROUP,
        domain=lambda self: self.env["running.inventory.count.plan"]._get_counter_domain(),
        help="The counter who recounts this line; another counter than the one who counted it.",
    )
    is_my_recount = fields.Boolean(
        string="To Recount by Me",
        compute="_compute_is_my_recount",
        search="_search_is_my_recount",
        help="This line waits for a recount by you.",
    )
    date_counted = fields.Datetime(string="Counted On", readonly=True)
    # Blind counting: everything below that tells what the system expects is for auditors.
    quantity_snapshot = fields.Float(
        string="Snapshot", digits="Product Unit", readonly=True, groups=AUDITOR_GROUP
    )
    quantity_moved = fields.Float(
        string="Moved Since Snapshot",
        digits="Product Unit",
        readonly=True,
        groups=AUDITOR_GROUP,
        help="Net quantity moved in (+) or out (-) of the location between the snapshot and the "
        "count.",
    )
    quantity_expected = fields.Float(
        string="Expected",
        digits="Product Unit",
        readonly=True,
        groups=AUDITOR_GROUP,
        help="On hand when counted: the snapshot plus the moves since.",
    )
    quantity_difference = fields.Float(
        string="Difference",
        digits="Product Unit",
        compute="_compute_quantity_difference",
        store=True,
        groups=AUDITOR_GROUP,
    )
    unit_cost = fields.Float(digits="Product Price", readonly=True, groups=AUDITOR_GROUP)
    value_expected = fields.Monetary(
        string="Expected Value",
        compute="_compute_values",
        store=True,
        groups=AUDITOR_GROUP,
    )
    value_difference = fields.Monetary(
        string="Difference Value",
        compute="_compute_values",
        store=True,
        groups=AUDITOR_GROUP,
    )
    is_over_threshold = fields.Boolean(
        string="Over Threshold",
        compute="_compute_is_over_threshold",
        store=True,
        groups=AUDITOR_GROUP,
    )
    entry_ids = fields.One2many(
        "running.inventory.count.entry", "line_id", string="Count History", groups=AUDITOR_GROUP
    )
    quantity_expected_visible = fields.Float(
        string="Expected Quantity",
        digits="Product Unit",
        compute="_compute_quantity_expected_visible",
        help="The expected quantity, shown to counters only when the session is not blind.",
    )

    _key_unique = models.UniqueIndex(
        "(count_id, product_id, location_id, COALESCE(lot_id, 0), COALESCE(package_id, 0), "
        "COALESCE(owner_id, 0))",
        "A product is counted once per location, lot, package and owner in a session.",
    )

    @api.depends("is_counted", "quantity_counted", "quantity_expected")
    def _compute_quantity_difference(self):
        for line in self:
            line.quantity_difference = (
                line.quantity_counted - line.quantity_expected if line.is_counted else 0.0
            )

    @api.depends("quantity_expected", "quantity_difference", "unit_cost", "currency_id")
    def _compute_values(self):
        for line in self:
            currency = line.currency_id or self.env.company.currency_id
            line.value_expected = currency.round(line.quantity_expected * line.unit_cost)
            line.value_difference = currency.round(line.quantity_difference * line.unit_cost)

    @api.depends(
        "quantity_difference",
        "quantity_expected",
        "value_difference",
        "count_id.threshold_quantity_percent",
        "count_id.threshold_value",
    )
    def _compute_is_over_threshold(self):
        for line in self:
            line.is_over_threshold = line._is_over_threshold()

    def _is_over_threshold(self):
        self.ensure_one()
        # A line being added in the form has no product (nor unit) yet: nothing to compare.
        if not self.product_uom_id or self.product_uom_id.is_zero(self.quantity_difference):
            return False
        percent = self.count_id.threshold_quantity_percent
        value = self.count_id.threshold_value
        over_quantity = percent > 0 and (
            self.product_uom_id.is_zero(self.quantity_expected)
            or abs(self.quantity_difference) * 100.0 > percent * abs(self.quantity_expected)
        )
        currency = self.currency_id or self.env.company.currency_id
        over_value = value > 0 and currency.compare_amounts(abs(self.value_difference), value) > 0
        return over_quantity or over_value

    @api.depends_context("uid")
    @api.depends("status", "recount_user_id")
    def _compute_is_my_recount(self):
        mine = self.sudo().filtered_domain(self._get_my_recount_domain())
        for line in self:
            line.is_my_recount = line in mine

    def _search_is_my_recount(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        # A subquery: counters may not search the auditors' recount_user_id themselves.
        domain = Domain("id", "in", self.sudo()._search(self._get_my_recount_domain()))
        return domain if (True in value) == (operator == "in") else ~domain

    def _get_my_recount_domain(self):
        return Domain("status", "=", "to_recount") & Domain("recount_user_id", "=", self.env.uid)

    # ------------------------------------------------------------------
    # Blind recounts: a first counter reads their own count, not the recount
    # ------------------------------------------------------------------
    def _is_recount_masked(self):
        """Whether the current user reads these lines' recount status masked: counters do,
        auditors and the superuser do not."""
        return not self.env.su and not self.env.user.has_group(AUDITOR_GROUP)

    def _get_masked_first_counts(self):
        """{line id: the current user's first count entry} for the lines in a recount that
        this user counted first: they read them as they counted them."""
        entries = (
            self.env["running.inventory.count.entry"]
            .sudo()
            .search(
                [
                    ("line_id", "in", self.ids),
                    ("line_id.status", "in", ("to_recount", "recounted")),
                    ("user_id", "=", self.env.uid),
                    ("kind", "=", "count"),
                ],
                order="date, id",
            )
        )
        return {entry.line_id.id: entry for entry in entries}

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load)
        masked = set(fnames) & set(COUNTER_MASKED_FIELDS)
        if not masked or not self._is_recount_masked():
            return result
        first_counts = self._get_masked_first_counts()
        for vals in result:
            entry = first_counts.get(vals["id"])
            if entry:
                user = entry.user_id
                shown = {
                    "status": "counted",
                    "quantity_counted": entry.quantity,
                    "is_counted": True,
                    "counter_id": (user.id, user.display_name) if load else user.id,
                    "date_counted": entry.date,
                    "write_uid": (user.id, user.display_name) if load else user.id,
                    "write_date": entry.date,
                }
                vals.update({fname: shown[fname] for fname in masked})
        return result

    @api.model
    def _search(self, domain, *args, **kwargs):
        if self._is_recount_masked():
            domain = Domain(domain).map_conditions(self._mask_status_condition)
        return super()._search(domain, *args, **kwargs)

    def _mask_status_condition(self, condition):
        """A counter searching the status finds the lines they counted first, now in a recount,
        as counted; they do not search who wrote a line last, nor when."""
        if condition.field_expr.split(".")[0] in ("write_uid", "write_date"):
            raise AccessError(
                self.env._("Count lines are searched by their last writer by auditors.")
            )
        if condition.field_expr != "status":
            return condition
        operator, value = condition.operator, condition.value
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            raise AccessError(self.env._("Search the status of count lines by its values."))
        masked = Domain(
            "id",
            "in",
            self.sudo()._search(
                [
                    ("status", "in", ("to_recount", "recounted")),
                    ("entry_ids", "any", [("user_id", "=", self.env.uid), ("kind", "=", "count")]),
                ]
            ),
        )
        counted_matches = ("counted" in value) == (operator == "in")
        return (~masked & condition) | (masked if counted_matches else Domain.FALSE)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), *args, **kwargs):
        if self._is_recount_masked() and any(
            spec.split(":")[0] in COUNTER_MASKED_FIELDS for spec in (*groupby, *aggregates)
        ):
            raise AccessError(
                self.env._("Count lines are grouped by their status and counts by auditors.")
            )
        return super()._read_group(domain, groupby, aggregates, *args, **kwargs)

    @api.depends("count_id.blind")
    def _compute_quantity_expected_visible(self):
        for line in self:
            line.quantity_expected_visible = (
                0.0 if line.count_id.blind else line.sudo().quantity_expected
            )

    # ------------------------------------------------------------------
    # CRUD: counters enter counts, nothing else
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su and all("quantity_snapshot" in vals for vals in vals_list):
            # The snapshot taken by action_start.
            for vals in vals_list:
                vals.setdefault("quantity_expected", vals["quantity_snapshot"])
            return super().create(vals_list)
        # Lines added while counting, for goods the snapshot did not list.
        counted = [vals.pop("quantity_counted", None) for vals in vals_list]
        vals_list = self._prepare_found_line_vals_list(vals_list)
        lines = super(RunningInventoryCountLine, self.sudo()).create(vals_list).sudo(self.env.su)
        to_record = {
            line: quantity
            for line, quantity in zip(lines, counted, strict=True)
            if quantity is not None
        }
        if to_record:
            lines.browse([line.id for line in to_record])._record_counts(to_record)
        return lines

    @api.model
    def _create_snapshot_lines(self, vals_list):
        """The lines of a snapshot, tens of thousands at once: one INSERT (tools/bulk), where
        the ORM inserts 100 rows per statement. Their stored computed fields are then computed
        by their compute methods and written in one UPDATE (see _write_multi).

        :param vals_list: the values of the lines, as _prepare_snapshot_line_vals_list gives
        """
        if not vals_list:
            return self.browse()
        counts = self.env["running.inventory.count"].browse(
            {vals["count_id"] for vals in vals_list}
        )
        companies = {count.id: count.company_id.id for count in counts}
        many2one = {fname for fname, field in self._fields.items() if field.type == "many2one"}
        rows = [
            {
                "status": "to_count",
                "is_counted": False,
                "is_unexpected": False,
                "quantity_counted": 0.0,
                "quantity_moved": 0.0,
                "quantity_expected": vals["quantity_snapshot"],
                "company_id": companies[vals["count_id"]],
            }
            | {
                fname: (value or None) if fname in many2one else value
                for fname, value in vals.items()
            }
            for vals in vals_list
        ]
        lines = self.browse(insert_records(self, rows))
        lines._prefetch_for_counting()
        counts.invalidate_recordset(
            ["line_ids", "line_count", "line_to_count_count", "line_to_recount_count"]
        )
        for fname in (
            "quantity_difference",
            "value_expected",
            "value_difference",
            "is_over_threshold",
        ):
            self.env.add_to_compute(self._fields[fname], lines)
        return lines

    def _prepare_found_line_vals_list(self, vals_list):
        """Checks the lines a counter adds while counting and completes them with their
        snapshot: what the system holds for them now (usually nothing).
        """
        if not self.env.su:
            extra = {fname for vals in vals_list for fname in vals} - FOUND_LINE_FIELDS
            if extra:
                raise AccessError(
                    self.env._(
                        "A count line added while counting takes a product, a location, a lot, "
                        "a package, an owner and a counted quantity only, not %(fields)s.",
                        fields=", ".join(sorted(extra)),
                    )
                )
        self.check_access("create")
        counts = self.env["running.inventory.count"].browse(
            {vals["count_id"] for vals in vals_list}
        )
        counts.check_access("write")
        # New records to check and key the lines before creating them.
        new_lines = self.sudo().concat(*(self.sudo().new(vals) for vals in vals_list))
        new_lines._ensure_found_lines_valid()
        current = new_lines._get_current_quantities()
        last = dict(
            self.sudo()._read_group(
                [("count_id", "in", counts.ids)], ["count_id"], ["sequence:max"]
            )
        )
        now = fields.Datetime.now()
        result = []
        for vals, new_line in zip(vals_list, new_lines, strict=True):
            count, product = new_line.count_id, new_line.product_id
            quantity = current.get(new_line._get_quant_key(), 0.0)
            last[count] = last.get(count, 0) + 1
            result.append(
                dict(
                    vals,
                    sequence=last[count],
                    quantity_snapshot=quantity,
                    quantity_expected=quantity,
                    date_snapshot=now,
                    is_unexpected=True,
                    abc_class=count._get_abc_classes(product).get(product),
                    unit_cost=count._get_unit_costs(product)[product],
                )
            )
        return result

    def _ensure_found_lines_valid(self):
        for line in self:
            count = line.count_id
            if count.state != "in_progress":
                raise UserError(
                    self.env._(
                        "Lines can be added to %(count)s only while it is being counted.",
                        count=count.name,
                    )
                )
            if not any(line.location_id._child_of(location) for location in count.location_ids):
                raise UserError(
                    self.env._(
                        "%(location)s is not among the locations counted in %(count)s.",
                        location=line.location_id.display_name,
                        count=count.name,
                    )
                )
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise UserError(
                    self.env._(
                        "Lot %(lot)s is a lot of %(lot_product)s, not of %(product)s.",
                        lot=line.lot_id.name,
                        lot_product=line.lot_id.product_id.display_name,
                        product=line.product_id.display_name,
                    )
                )
            if not line.product_id.is_storable:
                raise UserError(
                    self.env._(
                        "%(product)s is not tracked in stock: there is nothing to count.",
                        product=line.product_id.display_name,
                    )
                )

    def write(self, vals):
        if any(line.count_id.state == "done" for line in self):
            raise UserError(self.env._("The lines of an approved session can no longer change."))
        if self.env.su:
            return super().write(vals)
        if set(vals) == {"recount_user_id"}:
            return self._assign_recount_user(self.env["res.users"].browse(vals["recount_user_id"]))
        if set(vals) - {"quantity_counted"}:
            raise AccessError(
                self.env._(
                    "On a count line, you can enter the counted quantity only; the rest is set "
                    "by the snapshot."
                )
            )
        quantity = vals["quantity_counted"]
        if not isinstance(quantity, int | float) or isinstance(quantity, bool):
            raise ValidationError(self.env._("A counted quantity is a number."))
        self._record_counts(dict.fromkeys(self, float(quantity)))
        return True

    def _write_multi(self, vals_list):
        """Lines are written by the thousand (counts recorded at once, the snapshot's computed
        values): one UPDATE per set of columns (tools/bulk), where the ORM writes 100 rows per
        statement. Lines have no translated, company-dependent or parent-path column."""
        if len(self) <= UPDATE_BATCH_SIZE:
            return super()._write_multi(vals_list)
        log_vals = {"write_uid": self.env.uid, "write_date": self.env.cr.now()}
        updates = defaultdict(list)
        for line_id, vals in zip(self._ids, vals_list, strict=True):
            fnames, row = zip(*sorted((log_vals | vals).items()), strict=True)
            updates[fnames].append((line_id, *row))
        for fnames, rows in updates.items():
            update_rows(self, fnames, rows)
        return None

    @api.ondelete(at_uninstall=False)
    def _unlink_except_counting(self):
        if any(line.count_id.state != "draft" for line in self):
            raise UserError(
                self.env._(
                    "Count lines stay in the audit trail: count a line you added by mistake as "
                    "zero instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # Counting
    # ------------------------------------------------------------------
    @rpc_records
    def action_count_zero(self):
        """Confirms that none is there (zero-stock confirmation, or goods not found)."""
        return self.write({"quantity_counted": 0.0})

    @rpc_records
    def action_request_recount(self):
        """An auditor sends lines back to a recount by a counter who did not count them."""
        self.env["running.inventory.count"]._ensure_auditor()
        self.check_access("write")
        wrong = self.filtered(
            lambda line: (
                line.count_id.state not in ("counted", "to_approve")
                or line.status not in ("counted", "recounted")
            )
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only counted lines of a session that finished counting can go to a recount."
                )
            )
        # The session keeps its state and its chatter says nothing: the first counters read
        # both. The approval waits for the recount; the Count History keeps who recounted.
        self.sudo()._flag_recount()
        return True

    def _flag_recount(self):
        """Clears the lines' counts for a recount; their entries keep the first count. Each line
        goes to a counter who did not count it (see _get_default_recounters)."""
        self.write(
            {
                "status": "to_recount",
                "quantity_counted": 0.0,
                "is_counted": False,
                "counter_id": False,
                "date_counted": False,
            }
        )
        first_counters = self._get_first_counters()
        for line, recounter in self._get_default_recounters(first_counters).items():
            if line.recount_user_id and line.recount_user_id.id not in first_counters.get(line, []):
                continue
            line.recount_user_id = recounter

    def _get_first_counters(self):
        """{line: ids of the users who entered its first count}, in one query."""
        return dict(
            self.env["running.inventory.count.entry"]
            .sudo()
            ._read_group(
                [("line_id", "in", self.ids), ("kind", "=", "count")],
                ["line_id"],
                ["user_id:array_agg"],
            )
        )

    def _get_default_recounters(self, first_counters):
        """{line: the counter who recounts it}: the session's counters first, then the company's,
        counters before auditors (an auditor who counts may not approve), never one who counted
        the line. Empty for a line no other counter can recount."""
        users = self.env["res.users"].sudo()
        company_counters = users.search(
            self.env["running.inventory.count.plan"]._get_counter_domain()
            + [("company_ids", "in", self.company_id.ids)],
            order="id",
        )
        result = {}
        for line in self:
            candidates = line.count_id.counter_ids.sorted("id") | company_counters.filtered(
                lambda user, company=line.company_id: company in user.company_ids
            )
            candidates = candidates.filtered(
                lambda user, line=line: user.id not in first_counters.get(line, [])
            ).sorted(lambda user: user.has_group(AUDITOR_GROUP))
            if candidates:
                result[line] = candidates[0]
        return result

    def _assign_recount_user(self, user):
        """An auditor chooses who recounts these lines."""
        self.env["running.inventory.count"]._ensure_auditor()
        self.check_access("write")
        lines = self.sudo()
        if any(line.status != "to_recount" for line in lines):
            raise UserError(self.env._("Only lines waiting for a recount can be reassigned."))
        if user and not user.has_group(COUNTER_GROUP):
            raise UserError(self.env._("%(user)s is no Inventory Counter.", user=user.display_name))
        first_counters = lines._get_first_counters()
        own = lines.filtered(lambda line: user.id in first_counters.get(line, []))
        if own:
            raise UserError(
                self.env._(
                    "%(user)s counted %(lines)s: another counter must recount it.",
                    user=user.display_name,
                    lines=", ".join(own._get_line_labels()),
                )
            )
        lines.write({"recount_user_id": user.id})  # sudo: past the counters' write guard
        # Nothing in the session's chatter: the first counters read it (the lines and the
        # Count History tell the auditors who recounts and who recounted).
        return True

    def _record_counts(self, quantity_by_line):
        """Records what the current user counted on these lines, in one pass for all of them:
        one read of the quants on hand now, one batched write, one batched history insert.

        :param quantity_by_line: {line: counted quantity, in the product's unit}
        """
        self.check_access("write")
        if any(quantity < 0 for quantity in quantity_by_line.values()):
            raise ValidationError(self.env._("A counted quantity cannot be negative."))
        if not all(
            math.isfinite(quantity) and quantity <= MAX_COUNTED_QUANTITY
            for quantity in quantity_by_line.values()
        ):
            raise ValidationError(
                self.env._(
                    "A counted quantity is a finite number up to %(maximum)s.",
                    maximum=f"{MAX_COUNTED_QUANTITY:,.0f}",
                )
            )
        user = self.env.user
        # Counters may not write the expected quantities: the server writes them.
        lines = self.sudo()
        lines._prefetch_for_counting()
        lines._ensure_can_count(user)
        current = lines._get_current_quantities()
        now = fields.Datetime.now()
        entries = []
        for line in lines:
            expected = current.get(line._get_quant_key(), 0.0)
            vals = line._prepare_count_vals(quantity_by_line[line], expected, user, now)
            entries.append(line._prepare_entry_vals(vals))
            line.write(vals)
        # The history of tens of thousands of counts: plain rows, one INSERT (tools/bulk).
        insert_records(self.env["running.inventory.count.entry"].sudo(), entries)
        lines.invalidate_model(["entry_ids"])
        lines.count_id.invalidate_model(["entry_ids", "counted_user_ids"])

    def _prefetch_for_counting(self):
        """Reads the lines and their products' units in one query each: walking tens of
        thousands of lines would read them 1,000 at a time (Odoo's prefetch)."""
        self.fetch()
        self.product_id.fetch(["uom_id"])

    def _prepare_count_vals(self, quantity, expected, user, date):
        self.ensure_one()
        is_recount = self.status in ("to_recount", "recounted")
        return {
            "quantity_counted": quantity,
            "is_counted": True,
            "status": "recounted" if is_recount else "counted",
            "counter_id": user.id,
            "date_counted": date,
            "quantity_moved": expected - self.quantity_snapshot,
            "quantity_expected": expected,
        }

    def _prepare_entry_vals(self, count_vals):
        self.ensure_one()
        return {
            "line_id": self.id,
            "count_id": self.count_id.id,
            "company_id": self.company_id.id,
            "user_id": count_vals["counter_id"],
            "date": count_vals["date_counted"],
            "kind": "recount" if count_vals["status"] == "recounted" else "count",
            "quantity": count_vals["quantity_counted"],
            "quantity_expected": count_vals["quantity_expected"],
        }

    def _ensure_can_count(self, user):
        """Counting happens while the session is in progress; recounts once it is counted, and
        by someone who did not enter the first count.
        """
        for line in self:
            state = line.count_id.state
            if (state == "in_progress" and line.status in ("to_count", "counted")) or (
                state in ("counted", "to_approve") and line.status in ("to_recount", "recounted")
            ):
                continue
            raise line._cannot_count_error()
        others = self.filtered(
            lambda line: line.status == "counted" and line.counter_id and line.counter_id != user
        )
        if others:
            raise UserError(
                self.env._(
                    "%(counter)s counted %(line)s: a count is changed by whoever entered it; "
                    "an auditor can ask for a recount.",
                    counter=others[0].counter_id.name,
                    line=others._get_line_labels()[0],
                )
            )
        self.filtered(lambda line: line.status in ("to_recount", "recounted"))._ensure_can_recount(
            user
        )

    def _is_scanned_recount(self):
        """Whether a scan in a counted session adds to this line: a recount of the scanning
        counter (the first counter's lines read as counted), or any recount for an auditor."""
        self.ensure_one()
        if self.is_my_recount:
            return True
        return not self._is_recount_masked() and self.sudo().status in ("to_recount", "recounted")

    def _cannot_count_error(self):
        self.ensure_one()
        return UserError(
            self.env._(
                "%(line)s cannot be counted by you now: counts are entered while the session is "
                "in progress; once it is counted, another counter must recount what you counted.",
                line=self._get_line_labels()[0],
            )
        )

    def _ensure_can_recount(self, user):
        """A recount is by the counter it is assigned to, never by one who counted the line."""
        recounts = self
        if not recounts:
            return
        first_counters = recounts._get_first_counters()
        own = recounts.filtered(lambda line: user.id in first_counters.get(line, []))
        if own:
            # The same error as for any counted line: a counter does not learn it is recounted.
            raise own[0]._cannot_count_error()
        others = recounts.filtered(
            lambda line: line.recount_user_id and line.recount_user_id != user
        )
        if others:
            raise UserError(
                self.env._(
                    "%(line)s is to be recounted by %(user)s; an auditor can assign it to you.",
                    line=others._get_line_labels()[0],
                    user=others[0].recount_user_id.name,
                )
            )

    # ------------------------------------------------------------------
    # Quants
    # ------------------------------------------------------------------
    def _get_quant_key(self):
        self.ensure_one()
        return tuple(self[fname].id for fname in QUANT_KEY_FIELDS)

    def _get_current_quantities(self):
        """{quant key: quantity on hand now} for these lines' exact locations, in one query."""
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", self.product_id.ids),
                    ("location_id", "in", self.location_id.ids),
                ],
                list(QUANT_KEY_FIELDS),
                ["quantity:sum"],
            )
        )
        return {tuple(record.id for record in group[:-1]): group[-1] for group in groups}

    def _get_adjustment_quants(self):
        """The quant each line adjusts, in the lines' order; empty quants are created for goods
        found where the system had none, as Odoo's inventory mode does.
        """
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", self.product_id.ids),
                ("location_id", "in", self.location_id.ids),
            ]
        )
        by_key = {}
        for quant in quants:
            by_key.setdefault(tuple(quant[fname].id for fname in QUANT_KEY_FIELDS), quant)
        missing = self.filtered(lambda line: line._get_quant_key() not in by_key)
        if missing:
            new_quants = self.env["stock.quant"].create(
                [
                    {fname: line[fname].id for fname in QUANT_KEY_FIELDS}
                    | {"inventory_quantity_set": False}
                    for line in missing
                ]
            )
            by_key.update(zip((line._get_quant_key() for line in missing), new_quants, strict=True))
        return self.env["stock.quant"].concat(*(by_key[line._get_quant_key()] for line in self))

    def _get_line_labels(self):
        return [
            " / ".join(
                name
                for name in (
                    line.product_id.display_name,
                    line.lot_id.name,
                    line.package_id.name,
                    line.location_id.display_name,
                )
                if name
            )
            for line in self
        ]
