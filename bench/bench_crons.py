"""Benchmark: the audit-count crons on 100,000 products, run as ir.cron runs them (issue 12).

Data (built once in $BENCH_DB, committed), as a BENCH-ONLY SHORTCUT in SQL, not through the UI:
BENCH_CRON_PRODUCTS (default 100,000) storable products, each with 100 units in the first
warehouse's stock and one done delivery to a customer 30 days ago (1 to 50 units: the ABC
classes have values to rank), and a count plan for that warehouse.

Each cron is run through ``ir.cron.method_direct_trigger`` (the scheduler's own job runner:
batches committed with ``_commit_progress``, at least 10 calls and 10 seconds per run, then
``partially done`` and rescheduled at once), run after run until it is done. For each run it
prints its seconds (Odoo's default limit_time_real is 120 s per run), the SQL queries, and the
progress Odoo recorded (done, remaining).
Figures, not pass/fail. Run with `make bench` (BENCH=crons for this one only).
"""

import os
import sys
import time
from datetime import timedelta

from common import parse_args

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

PRODUCTS = int(os.environ.get("BENCH_CRON_PRODUCTS", "100000"))
PREFIX = "BENCH-CRON-"
ORIGIN = "BENCH-CRON"
LIMIT_TIME_REAL = 120


def env_of(cr):
    """The superuser on `cr`, in UTC, without chatter tracking."""
    return api.Environment(cr, SUPERUSER_ID, {"tz": "UTC", "tracking_disable": True})


def ensure_data(registry):
    with registry.cursor() as cr:
        env = env_of(cr)
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        count = env["product.product"].search_count([("default_code", "=like", PREFIX + "%")])
        if count < PRODUCTS:
            insert_data(env, warehouse, PRODUCTS - count, count)
        plan = env["running.inventory.count.plan"].search([("warehouse_id", "=", warehouse.id)])
        if not plan:
            plan = env["running.inventory.count.plan"].create({"warehouse_id": warehouse.id})
        cr.commit()
        return plan.id


def insert_data(env, warehouse, missing, start):
    """BENCH-ONLY SHORTCUT: products, quants and deliveries in bulk SQL."""
    print(f"    inserting {missing:,} products, their quants and deliveries with SQL (once)")
    values = {
        "company": env.company.id,
        "stock": warehouse.lot_stock_id.id,
        "customer": env.ref("stock.stock_location_customers").id,
        "uom": env.ref("uom.product_uom_unit").id,
        "categ": env.ref("product.product_category_goods", raise_if_not_found=False).id
        or env["product.category"].search([], limit=1).id,
        "prefix": PREFIX,
        "origin": ORIGIN,
        "start": start,
        "stop": start + missing - 1,
        "date": fields.Datetime.now() - timedelta(days=30),
    }
    env.cr.execute(
        SQL(
            """
            WITH templates AS (
                INSERT INTO product_template (name, type, is_storable, uom_id, categ_id,
                                              service_tracking, tracking, active, sale_ok,
                                              purchase_ok, default_code, create_uid,
                                              create_date, write_uid, write_date)
                SELECT jsonb_build_object('en_US', 'Bench cron ' || i), 'consu', TRUE,
                       %(uom)s, %(categ)s, 'no', 'none', TRUE, TRUE, TRUE,
                       %(prefix)s || lpad(i::text, 6, '0'), 1, now(), 1, now()
                  FROM generate_series(%(start)s, %(stop)s) AS i
             RETURNING id, default_code
            )
            INSERT INTO product_product (product_tmpl_id, default_code, active, standard_price,
                                         create_uid, create_date, write_uid, write_date)
            SELECT id, default_code, TRUE,
                   jsonb_build_object(%(company)s::text, 5 + id %% 20), 1, now(), 1, now()
              FROM templates
            """,
            **values,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_move (company_id, product_id, product_uom, location_id,
                                    location_dest_id, procure_method, product_uom_qty,
                                    product_qty, quantity, state, picked, date, reference,
                                    origin, is_out, create_uid, create_date, write_uid,
                                    write_date)
            SELECT %(company)s, p.id, %(uom)s, %(stock)s, %(customer)s, 'make_to_stock',
                   1 + p.id %% 50, 1 + p.id %% 50, 1 + p.id %% 50, 'done', TRUE, %(date)s,
                   'BC/' || p.id, %(origin)s, TRUE, 1, now(), 1, now()
              FROM product_product p
             WHERE p.default_code LIKE %(prefix)s || '%%'
               AND NOT EXISTS (SELECT FROM stock_move m WHERE m.product_id = p.id)
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
            SELECT p.id, %(company)s, %(stock)s, 100, 0, now(), 1, now(), 1, now()
              FROM product_product p
             WHERE p.default_code LIKE %(prefix)s || '%%'
               AND NOT EXISTS (SELECT FROM stock_quant q WHERE q.product_id = p.id)
            """,
            **values,
        )
    )
    for table in ("product_product", "product_template", "stock_move", "stock_quant"):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.cr.commit()
    env.registry.clear_cache()


def run_cron(registry, xmlid, prepare, is_done):
    """Run the cron as the scheduler does, run after run, until `is_done(env)`."""
    print(f"\n{xmlid}")
    with registry.cursor() as cr:
        prepare(env_of(cr))
        cr.commit()
    for run in range(1, 6):
        with registry.cursor() as cr:
            start = time.perf_counter()
            env_of(cr).ref(xmlid).method_direct_trigger()
            seconds = time.perf_counter() - start
        with registry.cursor() as cr:  # what the cron's own transactions committed
            done = is_done(env_of(cr))
        verdict = "under" if seconds < LIMIT_TIME_REAL else "OVER"
        print(
            f"    run {run}: {seconds:6.1f} s ({verdict} Odoo's default limit_time_real, "
            f"{LIMIT_TIME_REAL} s), {'done' if done else 'to be resumed'}"
        )
        if done:
            return


def main():
    sys.stdout.reconfigure(line_buffering=True)
    args = parse_args(__doc__.splitlines()[0])
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    print(f"Crons on {PRODUCTS:,} products")
    plan_id = ensure_data(registry)

    def reset_abc(env):
        plan = env["running.inventory.count.plan"].browse(plan_id)
        plan.abc_date = fields.Datetime.now() - timedelta(days=7)
        other = env["running.inventory.count.plan"].search([("id", "!=", plan_id)])
        other.abc_date = fields.Datetime.now()

    def reset_proposals(env):
        plan = env["running.inventory.count.plan"].browse(plan_id)
        env["running.inventory.count"].search([("plan_id", "=", plan_id)]).unlink()
        plan.proposal_date = False
        other = env["running.inventory.count.plan"].search([("id", "!=", plan_id)])
        other.proposal_date = fields.Date.today()

    def plan(env):
        return env["running.inventory.count.plan"].browse(plan_id)

    run_cron(
        registry,
        "running_inventory.running_inventory_count_plan_cron_abc",
        reset_abc,
        lambda env: plan(env).abc_date.date() == fields.Date.today(),
    )
    with registry.cursor() as cr:
        counts = {
            abc: len(
                plan(env_of(cr)).classification_ids.filtered(
                    lambda row, abc=abc: row.abc_class == abc
                )
            )
            for abc in "abc"
        }
        print(f"    classes: {counts}")
    run_cron(
        registry,
        "running_inventory.running_inventory_count_plan_cron_propose",
        reset_proposals,
        lambda env: plan(env).proposal_date == fields.Date.today(),
    )
    with registry.cursor() as cr:
        counts = env_of(cr)["running.inventory.count"].search([("plan_id", "=", plan_id)])
        print(f"    {len(counts)} sessions proposed, {len(counts.product_ids):,} products")

    def reset_checks(env):
        if not env.company.perpetual_valuation_date:
            env.company._perpetual_activate()
        checks = env["running.inventory.reconciliation"].search(
            [("kind", "=", "check"), ("date", "=", fields.Date.context_today(env.user))]
        )
        checks.activity_ids.unlink()
        checks.unlink()

    run_cron(
        registry,
        "running_inventory.ir_cron_stock_reconciliation_check",
        reset_checks,
        lambda env: not env["running.inventory.reconciliation"]._get_companies_to_check(),
    )
    with registry.cursor() as cr:
        checks = env_of(cr)["running.inventory.reconciliation"].search(
            [("kind", "=", "check")], order="id desc", limit=1
        )
        print(
            f"    {checks.name}: stock {checks.odoo_value:,.2f}, books {checks.balance:,.2f}, "
            f"{checks.difference_count} differences"
        )


if __name__ == "__main__":
    main()
