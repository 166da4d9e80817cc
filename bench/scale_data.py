"""The data of bench_scale.py, generated once per size with set-based SQL (BENCH-ONLY SHORTCUT).

A few records are made with the ORM: three warehouses, one perpetual category per cost method,
a template product with a real validated receipt and delivery (so a real stock move, move line,
journal entry and journal items written by the perpetual valuation), a lot, a demand-driven
reorder rule and a count plan per warehouse. Everything else is cloned from those rows in SQL,
column by column (``clone``), one statement and one transaction per table, with the columns that
differ per row written by the generator: products and their templates, lots, done moves and
their move lines, quants left by the moves, one posted entry per move with its stock line and
its GRNI / GDNI line, the cost history (``product.value``), reorder rules.

Per product: MOVES done movements over DAYS days, receipts of 10 units and deliveries of 8 in
turn (never below zero), all at the product's one price, so that Odoo's value and the books
agree for the three cost methods. Half of the products live in the first warehouse, a quarter
in each other one; one product in ten (none of the first warehouse's) is tracked by lots, three
lots each.
"""

import time
from datetime import datetime, timedelta

from odoo import Command, fields, sql_db
from odoo.tools import SQL

PREFIX = "SCALE-"
MOVES = 30
DAYS = 360
COST_METHODS = ("standard", "average", "fifo")
LOTS = 3
COMMIT = True  # each table in its own transaction; False inside a rolled-back step


def log(message):
    print(message, flush=True)


def history_start():
    today = datetime.combine(fields.Date.today(), datetime.min.time())
    return today - timedelta(days=DAYS + 2)


# ----------------------------------------------------------------------
# Records made with the ORM
# ----------------------------------------------------------------------


def ensure_base(env):
    """Warehouses, categories, template rows: {name: id}; committed."""
    company = env.company
    if company.inventory_valuation != "perpetual":
        company._perpetual_activate()
        company.perpetual_valuation_date = history_start() - timedelta(days=1)
    Warehouse = env["stock.warehouse"]
    warehouses = Warehouse.search([("company_id", "=", company.id)], order="id")
    for index in range(len(warehouses), 3):
        warehouses |= Warehouse.create({"name": f"Scale {index}", "code": f"SC{index}"})
    Category = env["product.category"]
    categories = Category.search([("name", "=like", "Scale %")], order="id")
    if not categories:
        categories = Category.create(
            [
                {
                    "name": f"Scale {method}",
                    "property_cost_method": method,
                    "property_valuation": "perpetual",
                }
                for method in COST_METHODS
            ]
        )
    template = env["product.product"].search([("default_code", "=", PREFIX + "TEMPLATE")])
    if not template:
        template = make_template_rows(env, warehouses[0], categories[0])
    if not env["running.inventory.count.plan"].search_count([]):
        env["running.inventory.count.plan"].create([{"warehouse_id": w.id} for w in warehouses])
    env.cr.commit()
    rows = env.execute_query(
        SQL(
            """
            SELECT MIN(m.id) FILTER (WHERE m.is_in), MIN(m.id) FILTER (WHERE m.is_out)
              FROM stock_move m WHERE m.product_id = %s AND m.state = 'done'
            """,
            template.id,
        )
    )
    move_in, move_out = rows[0]
    return {
        "product": template.id,
        "move_in": move_in,
        "move_out": move_out,
        "lot": env["stock.lot"].search([("name", "=", PREFIX + "TEMPLATE-LOT")]).id,
        "orderpoint": env["stock.warehouse.orderpoint"]
        .search([("product_id", "=", template.id)], limit=1)
        .id,
        "warehouses": warehouses.ids,
        "categories": categories.ids,
    }


def make_template_rows(env, warehouse, category):
    """A product with a receipt and a delivery validated by Odoo: the rows cloned in SQL."""
    product = env["product.product"].create(
        {
            "name": "Scale template",
            "default_code": PREFIX + "TEMPLATE",
            "is_storable": True,
            "categ_id": category.id,
            "standard_price": 10.0,
            "supplier_taxes_id": [Command.clear()],
            "taxes_id": [Command.clear()],
        }
    )
    env["stock.lot"].create({"name": PREFIX + "TEMPLATE-LOT", "product_id": product.id})
    for incoming, quantity in ((True, 10), (False, 8)):
        picking = make_picking(env, warehouse, product, quantity, incoming)
        picking._action_done()
        assert picking.move_ids.account_move_id, "the template move is posted"
    env["stock.warehouse.orderpoint"].create(
        {
            "product_id": product.id,
            "location_id": warehouse.lot_stock_id.id,
            "trigger": "manual",
            "demand_driven": True,
        }
    )
    return product


def make_picking(env, warehouse, product, quantity, incoming):
    """A confirmed one-line receipt (from vendors) or delivery (to customers), ready to
    validate."""
    stock = warehouse.lot_stock_id
    supplier = env.ref("stock.stock_location_suppliers")
    customer = env.ref("stock.stock_location_customers")
    source, destination = (supplier, stock) if incoming else (stock, customer)
    line = {
        "product_id": product.id,
        "product_uom_qty": quantity,
        "location_id": source.id,
        "location_dest_id": destination.id,
    }
    picking = env["stock.picking"].create(
        {
            "picking_type_id": (warehouse.in_type_id if incoming else warehouse.out_type_id).id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "move_ids": [Command.create(line)],
        }
    )
    picking.action_confirm()
    picking.move_ids.quantity = quantity
    picking.move_ids.picked = True
    return picking


# ----------------------------------------------------------------------
# Cloning rows in SQL
# ----------------------------------------------------------------------


def table_columns(env, table):
    return [
        row[0]
        for row in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = %s AND table_schema = current_schema()"
                " ORDER BY ordinal_position",
                table,
            )
        )
    ]


def clone(env, table, source, join, overrides):
    """INSERT INTO `table` one row per row of `source` (SQL of a set aliased ``g``), copying
    every column from the template row ``tpl`` (joined on `join`) but the `overrides`
    ({column: SQL}). Columns come from the database's catalogue, expressions from this file."""
    columns = [
        column for column in table_columns(env, table) if column != "id" or "id" in overrides
    ]
    values = [overrides.get(column, SQL("tpl.%s", SQL.identifier(column))) for column in columns]
    unknown = set(overrides) - set(columns)
    assert not unknown, f"{table} has no column {unknown}"
    started = time.perf_counter()
    # Bulk loading: the table's plain indexes are built again after the rows are in (one
    # sorted build instead of millions of insertions); unique ones and keys stay.
    indexes = (
        env.execute_query(
            SQL(
                """
            SELECT index.relname, pg_get_indexdef(index.oid)
              FROM pg_index info
              JOIN pg_class index ON index.oid = info.indexrelid
             WHERE info.indrelid = %s::regclass AND NOT info.indisunique
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = index.oid)
            """,
                table,
            )
        )
        if COMMIT
        else []
    )
    for index_name, _definition in indexes:
        env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(index_name)))
    # Foreign keys likewise: checked once for all rows when they are added back.
    foreign_keys = (
        env.execute_query(
            SQL(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'",
                table,
            )
        )
        if COMMIT
        else []
    )
    for key_name, _definition in foreign_keys:
        env.cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(table), SQL.identifier(key_name)
            )
        )
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM (%s) g JOIN %s tpl ON %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(", ").join(values),
            source,
            SQL.identifier(table),
            join,
        )
    )
    rows = env.cr.rowcount
    env.cr.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _index_name, definition in indexes:
        env.cr.execute(SQL(definition))  # PostgreSQL's own definition
    for key_name, definition in foreign_keys:
        env.cr.execute(
            SQL(
                "ALTER TABLE %s ADD CONSTRAINT %s %s",
                SQL.identifier(table),
                SQL.identifier(key_name),
                SQL(definition),  # PostgreSQL's own definition
            )
        )
    log(f"      {table}: {rows:,} rows in {time.perf_counter() - started:.0f} s")
    commit(env)


def commit(env):
    if COMMIT:
        env.cr.commit()


# ----------------------------------------------------------------------
# Generation
# ----------------------------------------------------------------------


def generate(env, base, products):
    """Products 0..products-1, their history and entries, committed table by table."""
    log(f"    generating {products:,} products, {products * MOVES:,} done moves (SQL, once)")
    spec = SQL(
        """
        SELECT i, nextval('product_template_id_seq') AS tmpl_id,
               nextval('product_product_id_seq') AS product_id,
               (%(categories)s)[1 + i %% 3] AS categ_id,
               CASE WHEN i %% 2 = 0 THEN 1 WHEN i %% 4 = 1 THEN 2 ELSE 3 END AS w,
               5 + i %% 20 AS price, i %% 10 = 1 AS tracked, %(moves)s AS moves, TRUE AS entries,
               i %% 3 = 2 AS fifo
          FROM generate_series(0, %(products)s - 1) AS i
        """,
        categories=base["categories"],
        moves=MOVES,
        products=products,
    )
    make_products(env, base, spec, "scale_spec")
    make_history(env, base, "scale_spec")
    make_rules(env, base, "scale_spec")
    env.cr.commit()
    vacuum(
        env,
        (
            "product_product",
            "stock_move",
            "stock_move_line",
            "stock_quant",
            "account_move_line",
            "account_move",
        ),
    )


def vacuum(env, tables):
    """VACUUM (ANALYZE) the tables just loaded: statistics for the planner, and the visibility
    map without which an index-only scan reads the table too (a database in production is
    vacuumed by autovacuum; a bulk load is not yet). VACUUM runs outside a transaction: on a
    connection of its own, in autocommit."""
    with sql_db.db_connect(env.cr.dbname).cursor() as cr:
        cr._cnx.autocommit = True
        try:
            for table in tables:
                cr.execute(SQL("VACUUM (ANALYZE) %s", SQL.identifier(table)))
        finally:
            cr._cnx.autocommit = False


def make_products(env, base, spec, name):
    """Templates, variants, lots and cost history of the products in `spec`, kept in the
    table `name` (product index, ids, category, warehouse, price, tracked, moves, entries,
    fifo)."""
    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(name)))
    env.cr.execute(SQL("CREATE TABLE %s AS %s", SQL.identifier(name), spec))
    env.cr.execute(SQL("CREATE INDEX ON %s (product_id)", SQL.identifier(name)))
    commit(env)
    table = SQL.identifier(name)
    tmpl_id = base["product"]
    tmpl = env["product.product"].browse(tmpl_id).product_tmpl_id.id
    clone(
        env,
        "product_template",
        SQL("SELECT * FROM %s", table),
        SQL("tpl.id = %s", tmpl),
        {
            "id": SQL("g.tmpl_id"),
            "name": SQL("jsonb_build_object('en_US', 'Scale product ' || lpad(g.i::text, 6, '0'))"),
            "categ_id": SQL("g.categ_id"),
            "tracking": SQL("CASE WHEN g.tracked THEN 'lot' ELSE 'none' END"),
        },
    )
    clone(
        env,
        "product_product",
        SQL("SELECT * FROM %s", table),
        SQL("tpl.id = %s", tmpl_id),
        {
            "id": SQL("g.product_id"),
            "product_tmpl_id": SQL("g.tmpl_id"),
            "default_code": SQL("%s || lpad(g.i::text, 6, '0')", PREFIX),
            "standard_price": SQL("jsonb_build_object(%s, g.price::float)", str(env.company.id)),
        },
    )
    clone(
        env,
        "stock_lot",
        SQL(
            "SELECT s.*, k FROM %s s CROSS JOIN generate_series(0, %s - 1) k WHERE s.tracked",
            table,
            LOTS,
        ),
        SQL("tpl.id = %s", base["lot"]),
        {
            "name": SQL("'L' || g.i || '-' || g.k"),
            "product_id": SQL("g.product_id"),
        },
    )
    value_id = env.execute_query(
        SQL("SELECT MIN(id) FROM product_value WHERE product_id = %s AND move_id IS NULL", tmpl_id)
    )[0][0]
    # The cost history Odoo writes when a product is created with a cost (standard, average).
    clone(
        env,
        "product_value",
        SQL("SELECT s.* FROM %s s WHERE NOT s.fifo", table),
        SQL("tpl.id = %s", value_id),
        {
            "product_id": SQL("g.product_id"),
            "value": SQL("g.price"),
            "date": SQL("%s", history_start()),
        },
    )


def make_history(env, base, name):
    """Done moves, move lines, quants and the perpetual entries of the products in `name`."""
    table = SQL.identifier(name)
    warehouses = env["stock.warehouse"].browse(base["warehouses"])
    places = ", ".join(
        f"({n}, {w.id}, {w.lot_stock_id.id}, {w.in_type_id.id}, {w.out_type_id.id})"
        for n, w in enumerate(warehouses, 1)
    )
    supplier = env.ref("stock.stock_location_suppliers").id
    customer = env.ref("stock.stock_location_customers").id
    env.cr.execute("DROP TABLE IF EXISTS scale_moves")
    env.cr.execute("ANALYZE stock_lot")
    # One row per move to write, with the ids it will have.
    env.cr.execute(
        SQL(
            """
            CREATE TABLE scale_moves_raw AS
            SELECT nextval('stock_move_id_seq') AS id, s.entries,
                   s.product_id, s.i, j, j %% 2 = 0 AS is_in,
                   CASE WHEN j %% 2 = 0 THEN 10 ELSE 8 END AS qty,
                   s.price * CASE WHEN j %% 2 = 0 THEN 10 ELSE 8 END AS value, s.price,
                   %(start)s::timestamp + (j * %(days)s::float / s.moves) * INTERVAL '1 day'
                       + INTERVAL '8 hours' + (s.i %% 28800) * INTERVAL '1 second' AS date,
                   CASE WHEN j %% 2 = 0 THEN %(supplier)s ELSE p.stock END AS src,
                   CASE WHEN j %% 2 = 0 THEN p.stock ELSE %(customer)s END AS dst,
                   p.stock, p.warehouse_id,
                   CASE WHEN j %% 2 = 0 THEN p.in_type ELSE p.out_type END AS type_id,
                   lot.id AS lot_id
              FROM %(table)s s
              JOIN (VALUES %(places)s) AS p(n, warehouse_id, stock, in_type, out_type)
                   ON p.n = s.w
             CROSS JOIN generate_series(0, s.moves - 1) AS j
              LEFT JOIN stock_lot lot
                   ON s.tracked AND lot.product_id = s.product_id
                  AND lot.name = 'L' || s.i || '-' || (j / 2) %% %(lots)s
            """,
            start=history_start(),
            days=DAYS,
            supplier=supplier,
            customer=customer,
            lots=LOTS,
            table=table,
            places=SQL(places),  # integers of this function
        )
    )
    # One entry per day and thousand products (the valuation posts one per validation; the
    # books are the same, and a few thousand entries are written in seconds, not hours).
    env.cr.execute("DROP TABLE IF EXISTS scale_entries")
    env.cr.execute(
        """
        CREATE TABLE scale_entries AS
        SELECT nextval('account_move_id_seq') AS id, date::date AS day, i / 1000 AS block,
               MIN(date) AS date, SUM(value) AS value, bool_or(is_in) AS is_in
          FROM scale_moves_raw WHERE entries GROUP BY 2, 3
        """
    )
    env.cr.execute(
        """
        CREATE TABLE scale_moves AS
        SELECT raw.*, entry.id AS entry_id
          FROM scale_moves_raw raw
          LEFT JOIN scale_entries entry
               ON raw.entries AND entry.day = raw.date::date AND entry.block = raw.i / 1000
        """
    )
    env.cr.execute("DROP TABLE scale_moves_raw")
    env.cr.execute("CREATE INDEX ON scale_moves (id)")
    commit(env)
    entry_in, entry_out = template_entries(env, base)
    make_entries(env, entry_in, entry_out)
    move_name = SQL("'SCALE/' || g.id")
    line_in, line_out = (
        env.execute_query(SQL("SELECT MIN(id) FROM stock_move_line WHERE move_id = %s", base[key]))[
            0
        ][0]
        for key in ("move_in", "move_out")
    )
    clone(
        env,
        "stock_move",
        SQL("SELECT * FROM scale_moves"),
        SQL("tpl.id = CASE WHEN g.is_in THEN %s ELSE %s END", base["move_in"], base["move_out"]),
        {
            "id": SQL("g.id"),
            "product_id": SQL("g.product_id"),
            "location_id": SQL("g.src"),
            "location_dest_id": SQL("g.dst"),
            "location_final_id": SQL("NULL"),
            "warehouse_id": SQL("g.warehouse_id"),
            "picking_type_id": SQL("g.type_id"),
            "picking_id": SQL("NULL"),
            "date": SQL("g.date"),
            "create_date": SQL("g.date"),
            "write_date": SQL("g.date"),
            "reference": move_name,
            "origin": SQL("%s", PREFIX),
            "product_uom_qty": SQL("g.qty"),
            "product_qty": SQL("g.qty"),
            "quantity": SQL("g.qty"),
            "value": SQL("g.value"),
            "price_unit": SQL("g.price"),
            "account_move_id": SQL("g.entry_id"),
            "valuation_posting": SQL(
                "CASE WHEN g.entry_id IS NULL THEN tpl.valuation_posting ELSE 'posted' END"
            ),
        },
    )
    clone(
        env,
        "stock_move_line",
        SQL("SELECT * FROM scale_moves"),
        SQL("tpl.id = CASE WHEN g.is_in THEN %s ELSE %s END", line_in, line_out),
        {
            "move_id": SQL("g.id"),
            "product_id": SQL("g.product_id"),
            "location_id": SQL("g.src"),
            "location_dest_id": SQL("g.dst"),
            "picking_id": SQL("NULL"),
            "lot_id": SQL("g.lot_id"),
            "lot_name": SQL("NULL"),
            "date": SQL("g.date"),
            "create_date": SQL("g.date"),
            "write_date": SQL("g.date"),
            "quantity": SQL("g.qty"),
            "quantity_product_uom": SQL("g.qty"),
        },
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_quant (product_id, company_id, location_id, lot_id, quantity,
                                     reserved_quantity, in_date, create_uid, create_date,
                                     write_uid, write_date)
            SELECT product_id, %s, stock, lot_id,
                   SUM(CASE WHEN is_in THEN qty ELSE -qty END), 0, MIN(date), 1, now(), 1, now()
              FROM scale_moves
             GROUP BY product_id, stock, lot_id
            """,
            env.company.id,
        )
    )
    log(f"      stock_quant: {env.cr.rowcount:,} rows")
    commit(env)
    make_entry_lines(env, entry_in, entry_out)


def template_entries(env, base):
    entries = env.execute_query(
        SQL(
            "SELECT id, account_move_id FROM stock_move WHERE id IN (%s, %s)",
            base["move_in"],
            base["move_out"],
        )
    )
    entry_of = dict(entries)
    return entry_of[base["move_in"]], entry_of[base["move_out"]]


def make_entries(env, entry_in, entry_out):
    """The posted entries, cloned from the template's; their lines come once the moves exist
    (``make_entry_lines``)."""
    entry_name = SQL("'STJ/SCALE/' || g.id")
    clone(
        env,
        "account_move",
        SQL("SELECT * FROM scale_entries"),
        SQL("tpl.id = CASE WHEN g.is_in THEN %s ELSE %s END", entry_in, entry_out),
        {
            "id": SQL("g.id"),
            "name": entry_name,
            "ref": entry_name,
            "date": SQL("g.date::date"),
            "invoice_date_due": SQL("g.date::date"),
            "create_date": SQL("g.date"),
            "write_date": SQL("g.date"),
            "sequence_prefix": SQL("'SCALE/'"),
            "sequence_number": SQL("g.id"),
            "amount_total": SQL("g.value"),
            "amount_total_signed": SQL("g.value"),
            "amount_total_in_currency_signed": SQL("g.value"),
        },
    )


def make_entry_lines(env, entry_in, entry_out):
    """The stock line and the GRNI (receipt) or GDNI (delivery) line of each entry.
    Each template line keeps its sign; the amounts are the move's."""
    entry_name = SQL("'STJ/SCALE/' || g.entry_id")
    sign = SQL("sign(tpl.balance)")
    amount = SQL("sign(tpl.balance) * g.value")
    clone(
        env,
        "account_move_line",
        SQL("SELECT * FROM scale_moves WHERE entry_id IS NOT NULL"),
        SQL("tpl.move_id = CASE WHEN g.is_in THEN %s ELSE %s END", entry_in, entry_out),
        {
            "move_id": SQL("g.entry_id"),
            "move_name": entry_name,
            "ref": entry_name,
            "name": SQL("'SCALE/' || g.id"),
            "date": SQL("g.date::date"),
            "create_date": SQL("g.date"),
            "write_date": SQL("g.date"),
            "product_id": SQL("g.product_id"),
            "stock_move_id": SQL("g.id"),
            "quantity": SQL("%s * g.qty", sign),
            "balance": amount,
            "amount_currency": amount,
            "price_subtotal": amount,
            "price_total": amount,
            "debit": SQL("GREATEST(%s, 0)", amount),
            "credit": SQL("GREATEST(-(%s), 0)", amount),
            "amount_residual": SQL("CASE WHEN tpl.amount_residual != 0 THEN %s ELSE 0 END", amount),
            "amount_residual_currency": SQL(
                "CASE WHEN tpl.amount_residual_currency != 0 THEN %s ELSE 0 END", amount
            ),
        },
    )


def make_rules(env, base, name):
    """A demand-driven reorder rule per product, in its warehouse's stock."""
    warehouses = env["stock.warehouse"].browse(base["warehouses"])
    places = ", ".join(f"({n}, {w.id}, {w.lot_stock_id.id})" for n, w in enumerate(warehouses, 1))
    clone(
        env,
        "stock_warehouse_orderpoint",
        SQL(
            "SELECT s.*, p.* FROM %s s JOIN (VALUES %s) AS p(n, warehouse_id, stock) ON p.n = s.w",
            SQL.identifier(name),
            SQL(places),  # integers of this function
        ),
        SQL("tpl.id = %s", base["orderpoint"]),
        {
            "name": SQL("'SCALE-OP/' || g.i"),
            "product_id": SQL("g.product_id"),
            "warehouse_id": SQL("g.warehouse_id"),
            "location_id": SQL("g.stock"),
        },
    )
