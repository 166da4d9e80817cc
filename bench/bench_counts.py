"""Count sessions at scale: create and start, enter counts, approve, for 500 and 5,000 quants.

Run with the project's virtualenv against a database where running_inventory is installed
(`make bench` does it):

    .venv/bin/python bench/bench_counts.py --config .state/odoo.conf --database BENCH_DB

Each size gets its own company, warehouse, products (one tenth of the quants) and bins (ten),
a counter and an auditor. One line in ten is counted one unit short: within the recount
thresholds, so approval adjusts one quant in ten. Everything runs in one transaction that is
rolled back: the database is left as found. Prints seconds and SQL queries per phase; a figure,
not a pass or fail.
"""

import argparse
import gc
import os
import time
from contextlib import contextmanager

import odoo
from odoo.tests import new_test_user
from odoo.tools import config

SIZES = (500, 5000)
BINS = 10
PHASES = (
    ("start", "create and start (snapshot)"),
    ("count", "enter counts (record_counts)"),
    ("close", "counting done, submit"),
    ("approve", "approve (adjust 1 line in 10)"),
)


class Meter:
    def __init__(self, env):
        self.env = env
        self.figures = {}

    @contextmanager
    def phase(self, name):
        """Times a phase as a request of its own: empty caches, everything flushed to SQL."""
        self.env.flush_all()
        self.env.invalidate_all()
        gc.collect()
        cr = self.env.cr
        queries, start = cr.sql_log_count, time.perf_counter()
        yield
        self.env.flush_all()
        self.figures[name] = (time.perf_counter() - start, cr.sql_log_count - queries)


def build_stock(env, size, tag):
    """A company with `size` quants of 100 units: size / BINS products in BINS bins."""
    company = env["res.company"].create({"name": f"Bench counts {tag}"})
    env.user.company_ids |= company
    env = env["base"].with_company(company).env
    # Odoo creates a new company's warehouse in tests and onboarding only.
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)]) or env[
        "stock.warehouse"
    ].create({"name": f"Bench {tag}", "code": f"B{tag}"[:5], "company_id": company.id})
    stock = warehouse.lot_stock_id
    bins = env["stock.location"].create(
        [{"name": f"Bin {n}", "location_id": stock.id, "usage": "internal"} for n in range(BINS)]
    )
    products = env["product.product"].create(
        [
            {"name": f"Bench {tag} {n}", "is_storable": True, "standard_price": 10.0}
            for n in range(size // BINS)
        ]
    )
    # Quants written directly: the benchmark measures counting, not receiving.
    env["stock.quant"].sudo().create(
        [
            {"product_id": product.id, "location_id": location.id, "quantity": 100.0}
            for product in products
            for location in bins
        ]
    )
    users = {}
    for role in ("counter", "auditor"):
        users[role] = new_test_user(
            env,
            login=f"bench_{role}_{tag}",
            groups=f"base.group_user,running_inventory.group_inventory_{role}",
            company_id=company.id,
            company_ids=[odoo.Command.set(company.ids)],
        )
    return warehouse, users


def run(env, size, tag):
    warehouse, users = build_stock(env, size, tag)
    meter = Meter(env)
    counts = env["running.inventory.count"]
    with meter.phase("start"):
        count = counts.with_user(users["auditor"]).create(
            {"warehouse_id": warehouse.id, "counter_ids": [odoo.Command.set(users["counter"].ids)]}
        )
        count.action_start()
    lines = count.sudo().line_ids
    assert len(lines) == size, f"{len(lines)} lines for {size} quants"
    pairs = [[line.id, 99.0 if index % 10 == 0 else 100.0] for index, line in enumerate(lines)]
    as_counter = count.with_user(users["counter"])
    with meter.phase("count"):
        as_counter.record_counts(pairs)
    with meter.phase("close"):
        as_counter.action_count_done()
        as_counter.action_submit()
    with meter.phase("approve"):
        count.with_user(users["auditor"]).action_approve()
    assert count.state == "done", count.state
    assert len(count.move_ids) == size // 10, len(count.move_ids)
    return meter.figures


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.environ.get("ODOO_CONF", ".state/odoo.conf"))
    parser.add_argument("--database", default=os.environ.get("BENCH_DB", "running_inventory_bench"))
    return parser.parse_args()


def main():
    args = parse_args()
    conf, database = args.config, args.database
    config.parse_config(["-c", conf, "-d", database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        try:
            run(env, 50, "warmup")  # caches and registry warm, not reported
            results = {size: run(env, size, str(size)) for size in SIZES}
        finally:
            cr.rollback()
    small, large = SIZES
    print(f"\nCount sessions ({database}): seconds and SQL queries per phase")
    header = f"{'phase':<34}{small:>7} quants{'':>9}{large:>7} quants{'':>9}{'time x':>8}"
    print(header)
    print("-" * len(header))
    totals = {size: [0.0, 0] for size in SIZES}
    for key, label in PHASES:
        cells = []
        for size in SIZES:
            seconds, queries = results[size][key]
            totals[size][0] += seconds
            totals[size][1] += queries
            cells.append(f"{seconds:>8.2f} s {queries:>7} q")
        ratio = results[large][key][0] / max(results[small][key][0], 1e-9)
        print(f"{label:<34}{cells[0]:>20}{cells[1]:>22}{ratio:>8.1f}")
    cells = [f"{totals[size][0]:>8.2f} s {totals[size][1]:>7} q" for size in SIZES]
    ratio = totals[large][0] / totals[small][0]
    print(f"{'total':<34}{cells[0]:>20}{cells[1]:>22}{ratio:>8.1f}")
    per_line = [(totals[size][1] / size, 1000 * totals[size][0] / size) for size in SIZES]
    print(
        f"per line: {per_line[0][0]:.2f} queries, {per_line[0][1]:.2f} ms at {small}; "
        f"{per_line[1][0]:.2f} queries, {per_line[1][1]:.2f} ms at {large}. "
        f"{large // small}x the lines took {ratio:.1f}x the time (target: at most 12x)."
    )


if __name__ == "__main__":
    main()
