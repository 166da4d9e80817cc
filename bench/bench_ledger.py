"""Benchmark: the running ledger at a date and the stock reconciliation, for 1,000 and 10,000
products.

Data (built once in $BENCH_DB, committed): ten perpetual product categories (standard, average
and FIFO costing in turn) of 1,000 products each, created with the ORM; and, as a BENCH-ONLY
SHORTCUT, their history inserted with SQL, not through the UI: 30 done movements per product over
the last 360 days (15 receipts of 10 units, 15 deliveries of 8, one move line each: 300,000
movements), the quants they leave, and the perpetual valuation's journal entries for them,
written by the valuation's own writer (``account.move._create_posted_stock_entries``: per day
and 1,000 products one entry, a stock line and a GRNI or GDNI line per movement, stamped with
the time of their movement). Every 200th product's last movement is left without entry and every
250th product gets a line typed by hand on its stock account, so that the reconciliation has
differences to explain.

Each measurement runs in its own transaction, rolled back afterwards, from a cold cache, for
one category (1,000 products) and for all ten (10,000):
1. Stock at Date, 180 days ago: on hand per product, location and lot with Odoo's value;
2. the ledger up to that date: totals per product (read_group), the first page of rows with
   their running balances (search_read, 80 rows, latest first), and those rows read again by
   id;
3. the reconciliation at that date, and today (computed and stored, with every product line).
After a warm-up run, each size is measured BENCH_ROUNDS times (default 3), interleaved; the
fastest run is printed.
Figures, not pass/fail. Run with `make bench` (BENCH=ledger for this one only).
"""

import os
import time
from datetime import date, datetime, timedelta

from common import parse_args

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

CATEGORIES = 10
PER_CATEGORY = 1_000
MOVES_PER_PRODUCT = 30
DAYS_BETWEEN_MOVES = 12
AT_DAYS_AGO = 180
SIZES = (1, CATEGORIES)  # categories measured: 1,000 and 10,000 products
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PREFIX = "BENCH-LEDGER-"
ORIGIN = "BENCH-LEDGER"
COST_METHODS = ("standard", "average", "fifo")


def log(message):
    print(message, flush=True)


def bench_env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tz": "UTC", "tracking_disable": True})


# ----------------------------------------------------------------------
# Data, built once
# ----------------------------------------------------------------------


def ensure_data(registry):
    with registry.cursor() as cr:
        env = bench_env(cr)
        assert env.company.inventory_valuation == "perpetual", "the bench database is perpetual"
        categories = ensure_categories(env)
        if env["product.product"].search_count([("default_code", "=like", PREFIX + "%")]) < (
            CATEGORIES * PER_CATEGORY
        ):
            create_products(env, categories)
        if not env.execute_query(SQL("SELECT 1 FROM stock_move WHERE origin = %s LIMIT 1", ORIGIN)):
            insert_history(env)
        return categories.ids


def ensure_categories(env):
    Category = env["product.category"]
    categories = Category.search([("name", "=like", "Bench ledger %")], order="name")
    if len(categories) < CATEGORIES:
        categories.unlink()
        categories = Category.create(
            [
                {
                    "name": f"Bench ledger {index:02d}",
                    "property_cost_method": COST_METHODS[index % 3],
                    "property_valuation": "perpetual",
                }
                for index in range(CATEGORIES)
            ]
        )
        env.cr.commit()
    return categories


def create_products(env, categories):
    log(f"    creating {CATEGORIES * PER_CATEGORY:,} products with the ORM (once)")
    env["product.product"].search([("default_code", "=like", PREFIX + "%")]).unlink()
    for position, category in enumerate(categories):
        env["product.product"].create(
            [
                {
                    "name": f"Bench ledger product {index:05d}",
                    "default_code": f"{PREFIX}{index:05d}",
                    "is_storable": True,
                    "categ_id": category.id,
                    "standard_price": 5 + index % 20,
                    "supplier_taxes_id": [Command.clear()],
                    "taxes_id": [Command.clear()],
                }
                for index in range(position * PER_CATEGORY, (position + 1) * PER_CATEGORY)
            ]
        )
        env.cr.commit()
        log(f"      {(position + 1) * PER_CATEGORY:,}")


def insert_history(env):
    """BENCH-ONLY SHORTCUT: moves, move lines and quants in bulk SQL, then the valuation's
    entries through its own writer."""
    log("    inserting 300,000 movements with SQL (bench-only shortcut, once)")
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    values = {
        "company": env.company.id,
        "stock": warehouse.lot_stock_id.id,
        "supplier": env.ref("stock.stock_location_suppliers").id,
        "customer": env.ref("stock.stock_location_customers").id,
        "prefix": PREFIX + "%",
        "origin": ORIGIN,
        "moves": MOVES_PER_PRODUCT,
        "start": datetime.combine(date.today(), datetime.min.time())
        - timedelta(days=MOVES_PER_PRODUCT * DAYS_BETWEEN_MOVES),
        "step": DAYS_BETWEEN_MOVES,
    }
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_move (company_id, product_id, product_uom, location_id,
                                    location_dest_id, procure_method, product_uom_qty,
                                    product_qty, quantity, state, picked, date, reference,
                                    origin, value, price_unit, is_in, is_out, is_dropship,
                                    create_uid, create_date, write_uid, write_date)
            SELECT %(company)s, p.id, t.uom_id,
                   CASE WHEN j %% 2 = 0 THEN %(supplier)s ELSE %(stock)s END,
                   CASE WHEN j %% 2 = 0 THEN %(stock)s ELSE %(customer)s END,
                   'make_to_stock', k.quantity, k.quantity, k.quantity, 'done', TRUE,
                   %(start)s::timestamp + j * %(step)s * INTERVAL '1 day'
                       + INTERVAL '10 hours' + (p.id %% 3600) * INTERVAL '1 second',
                   'BL/' || p.id || '/' || j, %(origin)s, k.quantity * k.price, k.price,
                   j %% 2 = 0, j %% 2 = 1, FALSE, 1, now(), 1, now()
              FROM product_product p
              JOIN product_template t ON t.id = p.product_tmpl_id
             CROSS JOIN generate_series(0, %(moves)s - 1) AS j
             CROSS JOIN LATERAL (
                 SELECT CASE WHEN j %% 2 = 0 THEN 10 ELSE 8 END AS quantity,
                        5 + substring(p.default_code FROM 14)::integer %% 20 AS price
             ) k
             WHERE p.default_code LIKE %(prefix)s
            """,
            **values,
        )
    )
    log(f"      {env.cr.rowcount:,} moves")
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_move_line (move_id, company_id, product_id, product_uom_id,
                                         location_id, location_dest_id, quantity,
                                         quantity_product_uom, picked, date, state,
                                         create_uid, create_date, write_uid, write_date)
            SELECT id, company_id, product_id, product_uom, location_id, location_dest_id,
                   quantity, quantity, TRUE, date, 'done', 1, now(), 1, now()
              FROM stock_move WHERE origin = %(origin)s
            """,
            **values,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_quant (product_id, company_id, location_id, quantity,
                                     reserved_quantity, in_date, create_uid, create_date,
                                     write_uid, write_date)
            SELECT product_id, %(company)s, %(stock)s,
                   SUM(CASE WHEN is_in THEN quantity ELSE -quantity END), 0, now(),
                   1, now(), 1, now()
              FROM stock_move WHERE origin = %(origin)s
             GROUP BY product_id
            """,
            **values,
        )
    )
    env.cr.commit()
    post_entries(env)
    env.cr.execute("ANALYZE stock_move")
    env.cr.execute("ANALYZE stock_move_line")
    env.cr.execute("ANALYZE account_move_line")
    env.cr.commit()


def post_entries(env):
    """The perpetual valuation's entries of the movements, written by its own writer."""
    log("    posting their entries through the perpetual valuation's writer (once)")
    company = env.company
    journal = company.account_stock_journal_id
    stock, grni, gdni = (
        company.account_stock_valuation_id,
        company.account_stock_grni_id,
        company.account_stock_gdni_id,
    )
    rows = env.execute_query(
        SQL(
            """
            SELECT move.id, move.product_id, move.product_uom, move.date::date, move.is_in,
                   move.quantity, move.value, move.reference,
                   substring(product.default_code FROM 14)::integer
              FROM stock_move move
              JOIN product_product product ON product.id = move.product_id
             WHERE move.origin = %s
             ORDER BY move.date::date, move.product_id
            """,
            ORIGIN,
        )
    )
    batches = {}
    for move_id, product_id, uom_id, day, is_in, quantity, value, reference, index in rows:
        last_move = reference.endswith(f"/{MOVES_PER_PRODUCT - 1}")
        if last_move and index % 200 == 0:
            continue  # left without entry on purpose
        sign = 1 if is_in else -1
        common = {
            "product_id": product_id,
            "product_uom_id": uom_id,
            "stock_move_id": move_id,
            "stock_valuation_kind": "movement",
            "name": reference,
        }
        lines = batches.setdefault((day, index // PER_CATEGORY), [])
        lines += [
            {
                **common,
                "account_id": stock.id,
                "balance": sign * value,
                "quantity": sign * quantity,
            },
            {
                **common,
                "account_id": (grni if is_in else gdni).id,
                "balance": -sign * value,
                "quantity": -sign * quantity,
            },
        ]
    Move = env["account.move"]
    for count, ((day, _category), lines) in enumerate(sorted(batches.items()), 1):
        entry = Move._create_posted_stock_entries(
            [{"journal": journal, "date": day, "ref": ORIGIN, "lines": lines}]
        )
        env.execute_query(
            SQL(
                """
                UPDATE stock_move SET account_move_id = %s, valuation_posting = 'posted'
                 WHERE id = ANY(%s)
                """,
                entry.id,
                list({line["stock_move_id"] for line in lines}),
            )
        )
        if count % 50 == 0:
            env.cr.commit()
            log(f"      {count:,} / {len(batches):,} entries")
    # As if each entry had been posted when its goods moved (the writer stamps the time of this
    # run): the reconciliation reads when the valuation last posted for a product.
    env.cr.execute(
        SQL(
            """
            UPDATE account_move_line aml SET create_date = move.date
              FROM stock_move move
             WHERE move.id = aml.stock_move_id AND move.origin = %s
            """,
            ORIGIN,
        )
    )
    post_manual_lines(env, journal, stock)
    env.cr.commit()


def post_manual_lines(env, journal, stock):
    """A line typed by hand on the stock account of every 250th product."""
    products = env["product.product"].search([("default_code", "=like", PREFIX + "%")])
    typed = products.filtered(lambda p: int(p.default_code[len(PREFIX) :]) % 250 == 0)
    variation = stock.account_stock_variation_id or env.company.expense_account_id
    lines = []
    for product in typed:
        common = {"product_id": product.id, "name": "Typed by hand", "quantity": 0.0}
        lines += [
            {**common, "account_id": stock.id, "balance": 5.0},
            {**common, "account_id": variation.id, "balance": -5.0},
        ]
    env["account.move"]._create_posted_stock_entries(
        [{"journal": journal, "date": date.today(), "ref": "Bench typed by hand", "lines": lines}]
    )


# ----------------------------------------------------------------------
# Measurements
# ----------------------------------------------------------------------


def measure(registry, category_ids, size):
    """Figures for the products of the first `size` categories; rolled back afterwards."""
    with registry.cursor() as cr:
        env = bench_env(cr)
        company = env.company
        categories = env["product.category"].browse(category_ids[:size])
        products = env["product.product"].search([("categ_id", "in", categories.ids)])
        at_date = date.today() - timedelta(days=AT_DAYS_AGO)
        moment = datetime.combine(at_date, datetime.max.time()).replace(microsecond=0)
        Ledger = env["running.inventory.ledger"]
        domain = [("product_id", "in", products.ids), ("date", "<=", moment)]
        figures = {}

        def phase(name, function):
            env.invalidate_all()
            queries, start = cr.sql_log_count, time.perf_counter()
            result = function()
            env.flush_all()
            figures[name] = (time.perf_counter() - start, cr.sql_log_count - queries)
            return result

        phase(
            "stock_at_date",
            lambda: env["running.inventory.valuation"]._get_stock_at_date(
                company, moment, products, by_location=True
            ),
        )
        phase(
            "ledger_totals",
            lambda: Ledger._read_group(domain, ["product_id"], ["quantity:sum", "value:sum"]),
        )
        page_fields = [
            "date",
            "reference",
            "quantity",
            "running_quantity",
            "value",
            "running_value",
        ]
        phase("ledger_page", lambda: Ledger.search_read(domain, page_fields, limit=80))
        rows = Ledger.search(domain, limit=80)
        phase("ledger_rows", lambda: rows.read(page_fields))

        def reconcile(day):
            reconciliation = env["running.inventory.reconciliation"].create(
                {"date": day, "category_ids": [Command.set(categories.ids)]}
            )
            reconciliation.action_compute()
            return reconciliation

        past = phase("reconciliation_past", lambda: reconcile(at_date))
        today = phase("reconciliation_today", lambda: reconcile(date.today()))
        moves = env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM stock_move WHERE state = 'done' AND product_id = ANY(%s)",
                products.ids,
            )
        )[0][0]
        causes = {}
        for cause in today.difference_ids.mapped("cause"):
            causes[cause] = causes.get(cause, 0) + 1
        figures["checks"] = (len(products), moves, len(past.line_ids), causes, today.difference)
        cr.rollback()
        return figures


PHASES = (
    ("stock_at_date", "Stock at Date (Odoo's value per product, location, lot)"),
    ("ledger_totals", "ledger up to the date: totals per product"),
    ("ledger_page", "ledger up to the date: first page, running balances"),
    ("ledger_rows", "ledger: 80 rows read again by id (the web client's reload)"),
    ("reconciliation_past", "reconciliation at the date"),
    ("reconciliation_today", "reconciliation today"),
)


def main():
    args = parse_args(__doc__)
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    category_ids = ensure_data(registry)
    # A first run fills Odoo's caches (defaults, access rules, ...), so that the figures
    # compare the work, not the warm-up.
    measure(registry, category_ids, SIZES[0])
    best = {}
    for _round in range(ROUNDS):
        for size in SIZES:
            figures = measure(registry, category_ids, size)
            best.setdefault(size, figures)
            for name, _label in PHASES:
                if figures[name][0] < best[size][name][0]:
                    best[size][name] = figures[name]
    small, large = (best[size] for size in SIZES)
    for size in SIZES:
        products, moves, lines, causes, difference = best[size]["checks"]
        log(
            f"{products:,} products, {moves:,} done moves; {lines:,} reconciliation lines; "
            f"today {difference:+,.2f} explained as {causes}"
        )
    log(f"\nAt {AT_DAYS_AGO} days ago and today; fastest of {ROUNDS} runs (seconds, SQL queries)")
    log(f"{'':58} {'1,000':>14} {'10,000':>14} {'time x':>8}")
    for name, label in PHASES:
        (small_s, small_q), (large_s, large_q) = small[name], large[name]
        log(
            f"{label:58} {small_s:8.3f} {small_q:5d} {large_s:8.3f} {large_q:5d}"
            f" {large_s / small_s:8.1f}"
        )


if __name__ == "__main__":
    main()
