# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

import psycopg2

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL, frozendict

from ..tools.valuation_sql import owned_by_company_sql, valued_location_sql

VALUE_GROUPS = "account.group_account_readonly,account.group_account_invoice"

# The aggregator of the running columns: a group shows the balance after its last row (the
# closing balance), read only where it is one balance: {field: the columns it runs over}.
# A group of several products (a category, a month) shows none: their closings are not one row.
LAST_AGGREGATOR = "last"
RUNNING_PARTITIONS = {
    "running_quantity": ("company_id", "product_id"),
    "running_value": ("company_id", "product_id"),
    "unit_cost": ("company_id", "product_id"),
    "running_quantity_location": ("company_id", "product_id", "location_id"),
    "running_quantity_lot": ("company_id", "product_id", "lot_id"),
}

# The ledger's rows without the running columns: a view of its own (see init), read where no
# running column is asked for.
ROWS_VIEW = "running_inventory_ledger_row"
ROWS_CONTEXT_KEY = "running_inventory_ledger_rows"

ROW_TYPES = [
    ("movement", "Movement"),
    ("revaluation", "Revaluation"),
    ("opening", "Opening balance"),
    ("reconciliation", "Reconciliation adjustment"),
    ("other", "Other valuation"),
]


class RunningInventoryLedger(models.Model):
    """The running stock ledger: every done movement of a storable product, with running
    quantity and value.

    One row per move line and per side of it that is in the company's valued stock (a receipt
    or a delivery gives one row, an internal transfer two: out of one location, into the other).
    Values are those of the books for perpetual products: each movement row carries its share of
    the stock-account lines the perpetual valuation posted for the movement; what it posted on
    the stock accounts afterwards (revaluations of the movement, changes of cost, the opening
    entry, reconciliation adjustments) are rows of their own, with a value and no quantity, at
    the moment they were posted. The running value is then the balance of the stock accounts
    for the product, which the perpetual valuation keeps on Odoo's own value. Products valued
    otherwise carry Odoo's own move value (``stock.move.value``, signed).

    The running columns are window functions over each product's history; see ``init`` for the
    query plan they rely on.
    """

    _name = "running.inventory.ledger"
    _description = "Running Stock Ledger"
    _auto = False
    _order = "date desc, sequence desc, id desc"
    _rec_name = "reference"
    _depends = frozendict(
        {
            "stock.move": (
                "state",
                "date",
                "reference",
                "company_id",
                "value",
                "is_in",
                "is_out",
                "valuation_posting",
                "account_move_id",
                "picking_id",
                "partner_id",
            ),
            "stock.move.line": (
                "move_id",
                "product_id",
                "lot_id",
                "location_id",
                "location_dest_id",
                "quantity_product_uom",
                "owner_id",
            ),
            "account.move.line": (
                "stock_move_id",
                "stock_valuation_kind",
                "balance",
                "quantity",
                "account_id",
                "product_id",
                "parent_state",
                "date",
            ),
            "product.product": ("product_tmpl_id",),
            "product.template": ("categ_id", "uom_id", "is_storable"),
            "product.category": ("property_valuation", "property_stock_valuation_account_id"),
            "stock.location": ("usage", "company_id", "valuation_account_id"),
            "res.company": ("inventory_valuation", "account_stock_valuation_id"),
        }
    )

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Datetime(readonly=True)
    sequence = fields.Integer(
        readonly=True, help="At the same moment, movements come before value changes."
    )
    reference = fields.Char(readonly=True)
    name = fields.Char(string="Description", readonly=True)
    row_type = fields.Selection(ROW_TYPES, string="Type", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number", readonly=True)
    location_id = fields.Many2one(
        "stock.location",
        readonly=True,
        help="The location of the company whose stock the row changes.",
    )
    location_src_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_dest_id = fields.Many2one("stock.location", string="To", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    stock_move_id = fields.Many2one("stock.move", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        readonly=True,
        help="Movements: who last changed the movement line, normally who validated it. "
        "Value rows: who posted the journal item.",
    )
    quantity = fields.Float(digits="Product Unit", readonly=True)
    quantity_in = fields.Float(string="In", digits="Product Unit", readonly=True)
    quantity_out = fields.Float(string="Out", digits="Product Unit", readonly=True)
    running_quantity = fields.Float(
        digits="Product Unit",
        aggregator=LAST_AGGREGATOR,
        readonly=True,
        help="On hand after this row, for the product in the company.",
    )
    running_quantity_location = fields.Float(
        string="Running Quantity (Location)",
        digits="Product Unit",
        aggregator=LAST_AGGREGATOR,
        readonly=True,
        help="On hand after this row, for the product in this location.",
    )
    running_quantity_lot = fields.Float(
        string="Running Quantity (Lot)",
        digits="Product Unit",
        aggregator=LAST_AGGREGATOR,
        readonly=True,
        help="On hand after this row, for the product's lot or serial number.",
    )
    value = fields.Monetary(readonly=True, groups=VALUE_GROUPS)
    value_in = fields.Monetary(readonly=True, groups=VALUE_GROUPS)
    value_out = fields.Monetary(readonly=True, groups=VALUE_GROUPS)
    running_value = fields.Monetary(
        aggregator=LAST_AGGREGATOR,
        readonly=True,
        groups=VALUE_GROUPS,
        help="Stock value of the product after this row: the balance of its stock accounts for "
        "perpetual products, the sum of Odoo's move values otherwise.",
    )
    unit_cost = fields.Monetary(
        aggregator=LAST_AGGREGATOR,
        readonly=True,
        groups=VALUE_GROUPS,
        help="Running value divided by running quantity, after this row.",
    )
    account_move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, groups=VALUE_GROUPS
    )
    account_id = fields.Many2one(
        "account.account", string="Stock Account", readonly=True, groups=VALUE_GROUPS
    )

    # ------------------------------------------------------------------
    # Reading the view
    # ------------------------------------------------------------------

    def _fetch_query(self, query, fields):
        if self._ids:
            # Rows read by id (the ORM's fetch): PostgreSQL cannot push a filter on the id
            # below the window functions, it can a filter on the product (see init).
            query.add_where(
                SQL(
                    "%s = ANY(%s)",
                    SQL.identifier(self._table, "product_id"),
                    self._get_row_products(),
                )
            )
        with self._without_jit():
            return super()._fetch_query(query, fields)

    @property
    def _table_sql(self):
        """The rows without the running columns (ROWS_VIEW) where the reading asks for none of
        them (see search_fetch): the same rows and columns, without the windows."""
        table_sql = super()._table_sql
        if not self.env.context.get(ROWS_CONTEXT_KEY):
            return table_sql
        return SQL().join(
            [SQL.identifier(ROWS_VIEW), *(SQL(to_flush=field) for field in table_sql.to_flush)]
        )

    @api.model
    def _reads_running(self, domains, specs=()):
        """Whether the `domains` or the order / groupby / aggregate `specs` name a running
        column."""
        names = [spec for spec in specs if spec]
        names += [
            condition.field_expr
            for domain in domains
            for condition in Domain(domain or []).iter_conditions()
            if isinstance(condition.field_expr, str)
        ]
        return any(running in name for name in names for running in RUNNING_PARTITIONS)

    def _rows_only(self):
        """This model reading ROWS_VIEW (see _table_sql)."""
        return self.with_context(**{ROWS_CONTEXT_KEY: True})

    @api.model
    def search_fetch(self, domain, field_names=None, offset=0, limit=None, order=None):
        """Searches that neither filter nor sort on a running column read the rows without
        them (ROWS_VIEW): PostgreSQL cannot push a filter on the date (or on anything but the
        product and company) below the windows, so that searching the view up to a date would
        compute every product's running balances over its whole history first. A page with
        running columns (the list view's) is searched so, then its running balances computed
        over the history of the page's products only (see _fetch_query)."""
        fields = self._determine_fields_to_fetch(field_names)
        running = any(field.name in RUNNING_PARTITIONS for field in fields)
        if self._reads_running([domain], [order]) or (running and not limit):
            return super().search_fetch(domain, field_names, offset, limit, order)
        rows = self._rows_only()
        with self._without_jit():
            if not running:
                records = super(RunningInventoryLedger, rows).search_fetch(
                    domain, field_names, offset, limit, order
                )
                return records.with_env(self.env)
            query = rows._search(domain, offset=offset, limit=limit, order=order or self._order)
            records = self.browse(query.get_result_ids())
        records.fetch(field_names)
        return records

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        model = self
        if not self._reads_running([domain, having], [*groupby, *aggregates, order]):
            model = self._rows_only()  # the rows without the windows (see search_fetch)
        with model._without_jit():
            return super(RunningInventoryLedger, model)._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The running columns aggregate as their closing balance (see RUNNING_PARTITIONS):
        the value of the group's last row in the ledger's order, when the group's rows are
        one running balance; empty otherwise. The web client asks a monetary column's
        ``sum_currency`` too: the same closing balance, never a sum of balances."""
        fname, _sep, func = aggregate_spec.partition(":")
        if fname not in RUNNING_PARTITIONS or func not in (LAST_AGGREGATOR, "sum_currency"):
            return super()._read_group_select(aggregate_spec, query)
        if func == "sum_currency" and self._fields[fname].aggregator != LAST_AGGREGATOR:
            return super()._read_group_select(aggregate_spec, query)
        self._check_field_access(self._fields[fname], "read")
        column = self._field_to_sql(self._table, fname, query)
        partition = SQL(", ").join(
            self._field_to_sql(self._table, name, query) for name in RUNNING_PARTITIONS[fname]
        )
        order = SQL(", ").join(
            SQL("%s DESC", self._field_to_sql(self._table, name, query))
            for name in ("date", "sequence", "id")
        )
        return SQL(
            "CASE WHEN COUNT(DISTINCT ROW(%(partition)s)) = 1 "
            "THEN (ARRAY_AGG(%(column)s ORDER BY %(order)s))[1] END",
            partition=partition,
            column=column,
            order=order,
        )

    @api.model
    def search_count(self, domain, limit=None):
        model = self if self._reads_running([domain]) else self._rows_only()
        with self._without_jit():
            return super(RunningInventoryLedger, model).search_count(domain, limit=limit)

    def _get_row_products(self):
        """The products of these rows, from their ids: a movement row is a move line's
        (id * 4, + 1 for its second end), a value row a journal item's (id * 4 + 2)."""
        line_ids = [row_id // 4 for row_id in self._ids if row_id % 4 != 2]
        aml_ids = [row_id // 4 for row_id in self._ids if row_id % 4 == 2]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT product_id FROM stock_move_line WHERE id = ANY(%s)
                 UNION
                SELECT product_id FROM account_move_line WHERE id = ANY(%s)
                """,
                line_ids,
                aml_ids,
            )
        )
        return [row[0] for row in rows]

    @contextmanager
    def _without_jit(self):
        """PostgreSQL compiles the plan of a ledger over a long history with its JIT (the
        plan's estimated cost is far over jit_optimize_above_cost): measured on 300,000
        movements, the compilation took 2 s out of 4.5 s, and 2 s on a query of 0.25 s for
        1,000 products. The ledger's own queries run without it; the setting is restored."""
        cr = self.env.cr
        cr.execute(SQL("SELECT current_setting('jit')"))
        previous = cr.fetchone()[0]
        cr.execute(SQL("SET LOCAL jit = off"))
        try:
            yield
        except psycopg2.Error:
            raise  # the transaction is aborted, and its settings with it
        except Exception:
            cr.execute(SQL("SELECT set_config('jit', %s, TRUE)", previous))
            raise
        cr.execute(SQL("SELECT set_config('jit', %s, TRUE)", previous))

    # ------------------------------------------------------------------
    # The view
    # ------------------------------------------------------------------

    def init(self):
        """The views and the index they need: the ledger, and its rows without the running
        columns (ROWS_VIEW), which the bulk reads take (see search_fetch).

        Every window is partitioned by product (and company), so PostgreSQL pushes a filter on
        the product (the product form's button, a product search) below the windows: the rows
        of other products are never read. Odoo's indexes on stock_move_line (product_id,
        move_id) and the perpetual valuation's account_move_line_stock_valuation_balance_index
        (product_id, ...) WHERE stock_valuation_kind IS NOT NULL find a product's rows; each
        movement row then reads the stock-account lines posted for its movement through
        account_move_line_stock_movement_index below, an index-only scan.
        """
        cr = self.env.cr
        if not tools.index_exists(cr, "account_move_line_stock_movement_index"):
            cr.execute(
                SQL(
                    """
                    CREATE INDEX account_move_line_stock_movement_index
                        ON account_move_line (stock_move_id)
                        INCLUDE (balance, quantity, account_id, company_id)
                     WHERE stock_valuation_kind = 'movement' AND parent_state = 'posted'
                    """
                )
            )
        tools.drop_view_if_exists(cr, self._table)
        tools.drop_view_if_exists(cr, ROWS_VIEW)
        # The rows alone, read in bulk (totals up to a date, a page's search: see search_fetch):
        # the stock-account lines of all the movements are summed once, per movement and
        # direction, and joined to them (a hash join), rather than looked up movement by
        # movement, which at 3,000,000 movements was most of the time.
        cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    %(ledger_rows)s
                    SELECT %(columns)s FROM ledger_row row
                )
                """,
                table=SQL.identifier(ROWS_VIEW),
                ledger_rows=self._ledger_rows_sql(self._posted_per_movement_sql()),
                columns=self._row_columns_sql(),
            )
        )
        # The ledger with its running columns, read for one product or a few (a filter on the
        # product goes below the windows): each movement reads its own stock-account lines.
        cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    %(ledger_rows)s
                    SELECT %(columns)s,
                           SUM(row.quantity) OVER product_window AS running_quantity,
                           CASE WHEN row.location_id IS NOT NULL THEN SUM(row.quantity) OVER (
                               PARTITION BY row.company_id, row.product_id, row.location_id
                               ORDER BY row.date, row.sequence, row.id)
                               END AS running_quantity_location,
                           CASE WHEN row.lot_id IS NOT NULL THEN SUM(row.quantity) OVER (
                               PARTITION BY row.company_id, row.product_id, row.lot_id
                               ORDER BY row.date, row.sequence, row.id) END AS running_quantity_lot,
                           SUM(row.value) OVER product_window AS running_value,
                           SUM(row.value) OVER product_window
                               / NULLIF(SUM(row.quantity) OVER product_window, 0) AS unit_cost
                      FROM ledger_row row
                    WINDOW product_window AS (
                        PARTITION BY row.company_id, row.product_id
                        ORDER BY row.date, row.sequence, row.id)
                )
                """,
                table=SQL.identifier(self._table),
                ledger_rows=self._ledger_rows_sql(self._posted_of_movement_sql()),
                columns=self._row_columns_sql(),
            )
        )

    @api.model
    def _ledger_rows_sql(self, posted):
        """The common table expressions of a ledger view, down to `ledger_row` (movement rows,
        with the stock-account lines of `posted`, and value rows)."""
        return SQL(
            """
            WITH %(settings)s,
            movement AS NOT MATERIALIZED (%(movement)s),
            ledger_row AS (
                %(movement_rows)s
                UNION ALL
                %(value_rows)s
            )
            """,
            settings=self._settings_sql(),
            movement=self._movement_sql(),
            movement_rows=self._movement_rows_sql(posted),
            value_rows=self._value_rows_sql(),
        )

    @api.model
    def _row_columns_sql(self):
        """The columns of a ledger row (`row`) that are not running balances."""
        return SQL(
            """
            row.*,
            GREATEST(row.quantity, 0) AS quantity_in,
            GREATEST(-row.quantity, 0) AS quantity_out,
            GREATEST(row.value, 0) AS value_in,
            GREATEST(-row.value, 0) AS value_out
            """
        )

    @api.model
    def _settings_sql(self):
        """Common table expressions `category_setting` (per category and company: valuation
        mode and stock valuation account, company-dependent values with their defaults, as
        ``product.template._get_product_accounts`` reads them; a NULL category for products
        without one) and `stock_account` (the accounts on which a company values stock: its
        own, its categories', its locations')."""
        return SQL(
            """
            category_setting AS (
                SELECT category.id AS categ_id, company.id AS company_id,
                       COALESCE(category.property_valuation ->> company.id::text,
                                %(default_valuation)s, company.inventory_valuation) AS valuation,
                       COALESCE((category.property_stock_valuation_account_id
                                 ->> company.id::text)::integer,
                                %(default_account)s::integer,
                                company.account_stock_valuation_id) AS account_id
                  FROM product_category category
                 CROSS JOIN res_company company
                 UNION ALL
                -- Products without category: the company's mode, the default account.
                SELECT NULL, company.id, company.inventory_valuation,
                       COALESCE(%(default_account)s::integer, company.account_stock_valuation_id)
                  FROM res_company company
            ),
            stock_account AS (
                SELECT company_id, account_id FROM category_setting
                 WHERE account_id IS NOT NULL
                 UNION
                SELECT id, account_stock_valuation_id FROM res_company
                 WHERE account_stock_valuation_id IS NOT NULL
                 UNION
                SELECT company_id, valuation_account_id FROM stock_location location
                 WHERE %(valued)s AND valuation_account_id IS NOT NULL
            )
            """,
            valued=valued_location_sql("location"),
            default_valuation=self._category_default_sql("property_valuation"),
            default_account=self._category_default_sql("property_stock_valuation_account_id"),
        )

    @api.model
    def _category_default_sql(self, field_name):
        """The default of a company-dependent category field for `company` (ir.default),
        as text."""
        return SQL(
            """
            (SELECT NULLIF(ir_default.json_value::jsonb #>> '{}', 'false')
               FROM ir_default
               JOIN ir_model_fields field ON field.id = ir_default.field_id
              WHERE field.model = 'product.category' AND field.name = %s
                AND ir_default.user_id IS NULL AND ir_default.condition IS NULL
                AND (ir_default.company_id = company.id OR ir_default.company_id IS NULL)
              ORDER BY ir_default.company_id NULLS LAST
              LIMIT 1)
            """,
            field_name,
        )

    @api.model
    def _movement_sql(self):
        """Done move lines of storable products, with which of their ends is valued stock.
        Goods owned by others (consignment) are not the company's stock: left out, as Odoo's
        valuation leaves them out."""
        return SQL(
            """
            SELECT line.id AS line_id, line.move_id, line.product_id, line.lot_id,
                   line.location_id AS location_src_id, line.location_dest_id,
                   line.quantity_product_uom AS line_quantity, line.write_uid,
                   move.company_id, move.date, move.reference, move.picking_id,
                   move.value AS move_value, move.is_in, move.is_out,
                   move.valuation_posting, move.account_move_id,
                   COALESCE(picking.partner_id, move.partner_id) AS partner_id,
                   template.id AS product_tmpl_id, template.categ_id, template.uom_id,
                   %(source_valued)s AS from_stock,
                   %(destination_valued)s AS to_stock,
                   setting.valuation = 'perpetual' AS is_perpetual
              FROM stock_move_line line
              JOIN stock_move move ON move.id = line.move_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN stock_location source ON source.id = line.location_id
              JOIN stock_location destination ON destination.id = line.location_dest_id
              JOIN res_company line_company ON line_company.id = line.company_id
              LEFT JOIN stock_picking picking ON picking.id = move.picking_id
              LEFT JOIN category_setting setting
                     ON COALESCE(setting.categ_id, 0) = COALESCE(template.categ_id, 0)
                    AND setting.company_id = move.company_id
             WHERE move.state = 'done'
               AND template.is_storable
               AND %(owned)s
            """,
            source_valued=valued_location_sql("source"),
            destination_valued=valued_location_sql("destination"),
            owned=owned_by_company_sql(SQL("line.owner_id"), SQL("line_company.partner_id")),
        )

    @api.model
    def _movement_rows_sql(self, posted):
        """One row per move line and valued end: out of the stock at its source, into the
        stock at its destination (in that order, for a transfer). The value of a row is its
        share (by quantity) of what the perpetual valuation posted on the stock accounts for the
        movement in that direction; for products not in perpetual valuation, its share of Odoo's
        move value. `posted`: the join of those sums (`_posted_of_movement_sql`,
        `_posted_per_movement_sql`)."""
        return SQL(
            """
            SELECT side.line_id * 4 + side.side AS id, side.company_id, side.date,
                   0 AS sequence, side.reference, side.reference AS name, 'movement' AS row_type,
                   side.product_id, side.product_tmpl_id, side.categ_id, side.uom_id,
                   side.lot_id, side.location_id, side.location_src_id, side.location_dest_id,
                   side.partner_id, side.move_id AS stock_move_id, side.picking_id,
                   side.write_uid AS user_id,
                   side.direction * side.line_quantity AS quantity,
                   COALESCE(CASE
                       WHEN side.valuation_posting IS NOT NULL
                           THEN posted.balance * side.line_quantity / NULLIF(posted.quantity, 0)
                       WHEN side.is_perpetual THEN 0
                       WHEN side.direction > 0 AND side.is_in
                           THEN side.move_value * side.line_quantity / NULLIF(%(in_quantity)s, 0)
                       WHEN side.direction < 0 AND side.is_out
                           THEN -side.move_value * side.line_quantity / NULLIF(%(out_quantity)s, 0)
                   END, 0) AS value,
                   CASE WHEN side.valuation_posting = 'posted'
                        THEN side.account_move_id END AS account_move_id,
                   posted.account_id
              FROM (
                  SELECT movement.*, end_.side, end_.direction, end_.location_id
                    FROM movement
                   CROSS JOIN LATERAL (
                        VALUES (0, -1, movement.location_src_id, movement.from_stock),
                               (1, 1, movement.location_dest_id, movement.to_stock)
                   ) AS end_(side, direction, location_id, valued)
                   WHERE end_.valued
              ) side
              %(posted)s
            """,
            in_quantity=self._move_quantity_sql(incoming=True),
            out_quantity=self._move_quantity_sql(incoming=False),
            posted=posted,
        )

    @api.model
    def _posted_lines_sql(self):
        """The conditions of the stock-account lines (`aml`) the perpetual valuation posted
        for a movement."""
        return SQL(
            """
              FROM account_move_line aml
              JOIN stock_account
                ON stock_account.company_id = aml.company_id
               AND stock_account.account_id = aml.account_id
             WHERE aml.stock_valuation_kind = 'movement'
               AND aml.parent_state = 'posted'
            """
        )

    @api.model
    def _posted_of_movement_sql(self):
        """The join `posted` of `_movement_rows_sql`, for a few products: each movement side's
        stock-account lines in its direction, read through account_move_line_stock_movement_index
        (see init)."""
        return SQL(
            """
            LEFT JOIN LATERAL (
                SELECT SUM(aml.balance) AS balance, SUM(ABS(aml.quantity)) AS quantity,
                       MIN(aml.account_id) AS account_id
                %(lines)s
                   AND aml.stock_move_id = side.move_id
                   AND SIGN(aml.quantity) = side.direction
            ) posted ON side.valuation_posting IS NOT NULL
            """,
            lines=self._posted_lines_sql(),
        )

    @api.model
    def _posted_per_movement_sql(self):
        """The join `posted` of `_movement_rows_sql`, for all the products: the same sums,
        grouped per movement and direction once."""
        return SQL(
            """
            LEFT JOIN (
                SELECT aml.stock_move_id, SIGN(aml.quantity) AS direction,
                       SUM(aml.balance) AS balance, SUM(ABS(aml.quantity)) AS quantity,
                       MIN(aml.account_id) AS account_id
                %(lines)s
                   AND aml.stock_move_id IS NOT NULL
                 GROUP BY aml.stock_move_id, SIGN(aml.quantity)
            ) posted ON side.valuation_posting IS NOT NULL
                    AND posted.stock_move_id = side.move_id
                    AND posted.direction = side.direction
            """,
            lines=self._posted_lines_sql(),
        )

    @api.model
    def _move_quantity_sql(self, incoming):
        """The quantity of the movement of `side` into (out of) the valued stock: its lines
        from outside to inside (inside to outside). Read only for products not in perpetual
        valuation."""
        source = valued_location_sql("other_source")
        destination = valued_location_sql("other_destination")
        direction = (
            SQL("NOT %s AND %s", source, destination)
            if incoming
            else SQL("%s AND NOT %s", source, destination)
        )
        return SQL(
            """
            (SELECT SUM(other.quantity_product_uom)
               FROM stock_move_line other
               JOIN stock_location other_source ON other_source.id = other.location_id
               JOIN stock_location other_destination
                 ON other_destination.id = other.location_dest_id
              WHERE other.move_id = side.move_id AND %s)
            """,
            direction,
        )

    @api.model
    def _value_rows_sql(self):
        """The perpetual valuation's other stock-account lines: revaluations, the opening
        entry, reconciliation adjustments, and movement lines no move line can carry (a
        movement whose lines are gone, a line without quantity). Dated
        when they were posted, within their accounting day, and never before their movement."""
        return SQL(
            """
            SELECT aml.id * 4 + 2, aml.company_id,
                   GREATEST(aml.date::timestamp, move.date, LEAST(aml.create_date,
                            aml.date::timestamp + INTERVAL '1 day' - INTERVAL '1 second')),
                   1, COALESCE(move.reference, aml.move_name), aml.name,
                   CASE WHEN aml.stock_valuation_kind IN ('revaluation', 'opening',
                                                          'reconciliation')
                        THEN aml.stock_valuation_kind ELSE 'other' END,
                   aml.product_id, product.product_tmpl_id, template.categ_id, template.uom_id,
                   NULL, CASE WHEN move.is_out THEN move.location_id
                              ELSE move.location_dest_id END,
                   move.location_id, move.location_dest_id, aml.partner_id, aml.stock_move_id,
                   move.picking_id, aml.create_uid, 0.0, aml.balance, aml.move_id, aml.account_id
              FROM (
                  -- Not (a movement's line with a quantity and move lines to carry it), in two
                  -- parts, so that the second is an anti-join (one pass over the movements'
                  -- lines, or an index probe per line for a few products), not a probe per
                  -- journal item of the whole history.
                  SELECT %(columns)s FROM account_move_line aml
                   WHERE aml.stock_valuation_kind IS NOT NULL AND aml.parent_state = 'posted'
                     AND (aml.stock_valuation_kind != 'movement' OR aml.quantity = 0)
                   UNION ALL
                  SELECT %(columns)s FROM account_move_line aml
                   WHERE aml.stock_valuation_kind = 'movement' AND aml.parent_state = 'posted'
                     AND (aml.quantity != 0 OR aml.quantity IS NULL)
                     AND NOT EXISTS (SELECT 1 FROM stock_move_line line
                                      WHERE line.move_id = aml.stock_move_id)
              ) aml
              JOIN stock_account
                ON stock_account.company_id = aml.company_id
               AND stock_account.account_id = aml.account_id
              JOIN product_product product ON product.id = aml.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              LEFT JOIN stock_move move ON move.id = aml.stock_move_id
            """,
            columns=SQL(
                "aml.id, aml.company_id, aml.date, aml.create_date, aml.move_name, aml.name, "
                "aml.stock_valuation_kind, aml.product_id, aml.partner_id, aml.stock_move_id, "
                "aml.create_uid, aml.balance, aml.move_id, aml.account_id"
            ),
        )
