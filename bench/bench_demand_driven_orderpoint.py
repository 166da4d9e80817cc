"""Benchmark: recompute 1,000 and 10,000 demand-driven reorder rules.

Data (built once in $BENCH_DB, committed): 10,000 storable products bought from one vendor
(5-day delay), one demand-driven rule each at the main warehouse, created with the ORM; and,
as a BENCH-ONLY SHORTCUT, their history inserted with SQL (INSERT ... SELECT over
generate_series, not through the UI): a done delivery on about 60 % of the last 90 days per
product (540,000 moves), 1 % of them partly returned (origin_returned_move_id set), and the
stock on hand as quants (one product in ten has none, so Odoo has something to order).

Each measurement runs in its own transaction, rolled back afterwards, from a cold cache:
1. the history read alone (the one grouped query; the rules' fields are read before);
2. the recomputation: history, statistics, lead times, explanations, in-cache writes and the
   chatter notes;
3. the flush: the UPDATEs of the rules, and Odoo's own recomputation of the stored fields that
   depend on min and max (qty_to_order_computed, deadline_date), which Odoo does per rule for
   the rules below their new minimum (stock_orderpoint.py, _get_qty_to_order);
4. a second recomputation with the same history (the daily cron's usual case: min and max do
   not change, so only the demand figures are written).

Each size is measured BENCH_ROUNDS times (default 3), interleaved; the fastest run of each phase
is printed. Figures, not pass/fail. Run with `make bench`.
"""

import os
import sys
import time
from datetime import date

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

PRODUCTS = 10_000
SIZES = (1_000, 10_000)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PHASES = (
    ("history", "history read (one grouped query)"),
    ("recompute", "recompute (history + statistics + writes + chatter)"),
    ("flush", "flush (UPDATEs + Odoo's dependent recomputes)"),
    ("rerun", "second run, same demand (recompute + flush)"),
)
DAYS = 90
PREFIX = "BENCH-DD-"
CHUNK = 1_000


def log(message):
    print(message, flush=True)


def bench_env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tz": "UTC", "tracking_disable": True})


def ensure_data(registry):
    with registry.cursor() as cr:
        env = bench_env(cr)
        products = env["product.product"].search([("default_code", "=like", PREFIX + "%")])
        if len(products) < PRODUCTS:
            create_products(env, len(products))
        rules = env["stock.warehouse.orderpoint"].search_count(
            [("product_id.default_code", "=like", PREFIX + "%"), ("demand_driven", "=", True)]
        )
        if rules < PRODUCTS:
            create_rules(env)
        if not env.execute_query(SQL("SELECT 1 FROM stock_move WHERE origin = %s LIMIT 1", PREFIX)):
            insert_history(env)


def create_products(env, existing):
    log(f"    creating {PRODUCTS - existing:,} products with the ORM (once)")
    vendor = env["res.partner"].search([("name", "=", "Bench Vendor")], limit=1) or env[
        "res.partner"
    ].create({"name": "Bench Vendor"})
    buy = env.ref("purchase_stock.route_warehouse0_buy")
    for start in range(existing, PRODUCTS, CHUNK):
        env["product.product"].create(
            [
                {
                    "name": f"Bench product {index:05d}",
                    "default_code": f"{PREFIX}{index:05d}",
                    "is_storable": True,
                    "route_ids": [Command.link(buy.id)],
                    "seller_ids": [Command.create({"partner_id": vendor.id, "delay": 5})],
                }
                for index in range(start, min(start + CHUNK, PRODUCTS))
            ]
        )
        env.cr.commit()
        log(f"      {min(start + CHUNK, PRODUCTS):,}")


def create_rules(env):
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    products = env["product.product"].search(
        [("default_code", "=like", PREFIX + "%"), ("orderpoint_ids", "=", False)], order="id"
    )
    log(f"    creating {len(products):,} demand-driven rules with the ORM (once)")
    for start in range(0, len(products), CHUNK):
        env["stock.warehouse.orderpoint"].create(
            [
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "trigger": "manual",
                    "demand_driven": True,
                }
                for product in products[start : start + CHUNK]
            ]
        )
        env.cr.commit()
        log(f"      {min(start + CHUNK, len(products)):,}")


def insert_history(env):
    """BENCH-ONLY SHORTCUT: bulk SQL inserts of done moves and quants, not through the UI."""
    log("    inserting the history with SQL (bench-only shortcut, once)")
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    values = {
        "company": env.company.id,
        "stock": warehouse.lot_stock_id.id,
        "customer": env.ref("stock.stock_location_customers").id,
        "prefix": PREFIX + "%",
        "origin": PREFIX,
        "days": DAYS,
        "today": date.today(),
    }
    # Deliveries: on ~60 % of the days, 1 to 20 units, from pseudo-random but fixed arithmetic.
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_move (company_id, product_id, product_uom, location_id,
                                    location_dest_id, procure_method, product_uom_qty,
                                    product_qty, quantity, state, picked, date, origin,
                                    create_uid, create_date, write_uid, write_date)
            SELECT %(company)s, p.id, t.uom_id, %(stock)s, %(customer)s, 'make_to_stock',
                   1 + (p.id * 7 + d * 13) %% 20, 1 + (p.id * 7 + d * 13) %% 20,
                   1 + (p.id * 7 + d * 13) %% 20, 'done', TRUE,
                   %(today)s::date - d + interval '11 hours', %(origin)s,
                   1, now(), 1, now()
              FROM product_product p
              JOIN product_template t ON t.id = p.product_tmpl_id
             CROSS JOIN generate_series(1, %(days)s) AS d
             WHERE p.default_code LIKE %(prefix)s
               AND (p.id * 31 + d * 17) %% 10 < 6
            """,
            **values,
        )
    )
    log(f"      {env.cr.rowcount:,} deliveries")
    # Returns: a quarter of every hundredth delivery, from the customer, three days later.
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_move (company_id, product_id, product_uom, location_id,
                                    location_dest_id, procure_method, product_uom_qty,
                                    product_qty, quantity, state, picked, date, origin,
                                    origin_returned_move_id,
                                    create_uid, create_date, write_uid, write_date)
            SELECT company_id, product_id, product_uom, location_dest_id, location_id,
                   'make_to_stock', CEIL(quantity / 4), CEIL(quantity / 4), CEIL(quantity / 4),
                   'done', TRUE, date + interval '3 days', %(origin)s, id, 1, now(), 1, now()
              FROM stock_move
             WHERE origin = %(origin)s AND id %% 100 = 0 AND date < %(today)s::date - 3
            """,
            **values,
        )
    )
    log(f"      {env.cr.rowcount:,} returns")
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_quant (product_id, company_id, location_id, quantity,
                                     reserved_quantity, in_date, create_uid, create_date,
                                     write_uid, write_date)
            SELECT p.id, %(company)s, %(stock)s, CASE WHEN p.id %% 10 = 0 THEN 0 ELSE 500 END,
                   0, now(), 1, now(), 1, now()
              FROM product_product p
             WHERE p.default_code LIKE %(prefix)s
            """,
            **values,
        )
    )
    env.cr.execute("ANALYZE stock_move")
    env.cr.commit()


def measure(registry, count):
    """Figures for the first ``count`` rules; everything is rolled back afterwards."""
    with registry.cursor() as cr:
        env = bench_env(cr)
        rules = env["stock.warehouse.orderpoint"].search(
            [("product_id.default_code", "=like", PREFIX + "%"), ("demand_driven", "=", True)],
            order="id",
            limit=count,
        )
        moves = env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM stock_move WHERE state = 'done' AND product_id = ANY(%s)",
                rules.product_id.ids,
            )
        )[0][0]
        figures = {}

        def phase(name, function, cold=True):
            if cold:
                env.invalidate_all()
            queries, start = cr.sql_log_count, time.perf_counter()
            function()
            figures[name] = (time.perf_counter() - start, cr.sql_log_count - queries)

        today = date.today()
        # The history read alone: the rules' own fields are read first (the ORM reads records
        # 1,000 at a time), so that the figure is the history query itself.
        env.invalidate_all()
        rules.fetch(["product_id", "warehouse_id", "demand_history_days"])
        phase("history", lambda: rules._read_demand_history(today), cold=False)
        phase("recompute", rules._recompute_demand_driven)
        phase("flush", env.flush_all, cold=False)
        states = dict.fromkeys(rules.mapped("demand_state"), 0)
        for state in rules.mapped("demand_state"):
            states[state] += 1
        phase("rerun", lambda: (rules._recompute_demand_driven(), env.flush_all()))
        cr.rollback()
    return moves, figures, states


def main():
    database = os.environ.get("BENCH_DB", "running_inventory_bench")
    odoo.tools.config.parse_config(["-c", os.environ["ODOO_CONF"], "-d", database])
    registry = Registry(database)
    ensure_data(registry)
    # Each size is measured ROUNDS times, interleaved, and the fastest run of each phase is kept:
    # the machine is shared, and the slowest runs measure the neighbours.
    results, described = {}, {}
    for _round in range(ROUNDS):
        for count in SIZES:
            moves, figures, states = measure(registry, count)
            described[count] = (moves, states)
            best = results.setdefault(count, figures)
            for name, (seconds, queries) in figures.items():
                best[name] = min(best[name], (seconds, queries))
    for count in SIZES:
        moves, states = described[count]
        log(f"\n  {count:,} rules over {moves:,} done movements of their products")
        log(f"    rule states: {states}; fastest of {ROUNDS} runs")
        for name, label in PHASES:
            seconds, queries = results[count][name]
            log(f"    {label:<55} {seconds:8.2f} s {queries:8,} queries")
    small, large = SIZES
    log(f"\n  ratio {large:,} / {small:,} rules (time; the target is at most 12)")
    for name, _label in PHASES:
        (small_s, small_q), (large_s, large_q) = results[small][name], results[large][name]
        log(f"    {name:<10} {large_s / small_s:6.2f}x time, queries {small_q:,} -> {large_q:,}")
    total = {
        count: sum(results[count][name][0] for name in ("recompute", "flush")) for count in SIZES
    }
    log(f"    recompute + flush: {total[large] / total[small]:.2f}x time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
