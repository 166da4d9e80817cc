"""Benchmark: a large warehouse's history at two sizes (issue 12).

SMALL = 10,000 products / 300,000 done movements, LARGE = 100,000 products / 3,000,000, with
their perpetual journal items, lots on a tenth of the products, three warehouses, the three cost
methods (bench/scale_data.py generates them in bulk SQL, once, in the database
``$BENCH_SCALE_DB_<size>``, kept and reused). Each size runs in a process of its own (so that
its peak memory is its own); every measurement is rolled back. Per size it prints, for each
step, seconds, SQL queries and the peak resident memory of the process during the step:

1. the running ledger up to a date: totals per product, first page with running balances,
   one product's full history;
2. Stock at Date (quantity and Odoo's value of every product) at a past date and today;
3. the stock reconciliation at that date and today, with its causes;
4. a count session over the first warehouse's quants (up to 50,000): create and snapshot,
   record counts, submit, approve adjusting one line in ten (Odoo's own ``_apply_inventory``
   and ``_action_done`` shown apart);
5. ABC classification of every warehouse's plan, demand-driven recompute of every rule;
6. posting: a one-line receipt and delivery of a product with 100, 10,000 and 100,000 prior
   moves, per cost method, perpetual and periodic (the mode's added cost), and the time spent
   in the perpetual posting service itself (on ``${BENCH_SCALE_DB}_postings``, a database of
   its own generated once and vacuumed; each validation rolled back);
7. the anchor: Odoo's own value of the products at the same dates (``total_value`` and
   ``qty_available`` with ``to_date``, as ``res.company.stock_value`` reads it), on a sample
   of ANCHOR_SAMPLE products spread over the cost methods, scaled to all the products (Odoo
   values product by product: its cost is linear in their number).

Before measuring, the data is checked against the addon's own figures: the reconciliation
today finds no difference, the ledger's quantities equal the quants, Stock at Date equals
Odoo's value on the sample. The last line, ``SCALE:``, gives the ratios of the issue's
targets. Figures, not pass/fail. ``make bench`` (BENCH=scale for this one only;
BENCH_SCALE_SIZES="small" for one size).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import scale_data
from common import parse_args

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tests import new_test_user
from odoo.tools import SQL, config

SIZES = {"small": 10_000, "large": 100_000}
AT_DAYS_AGO = 180
ANCHOR_SAMPLE = int(os.environ.get("BENCH_SCALE_ANCHOR", "600"))
COUNT_MAX = 50_000
PRIORS = (100, 10_000, 100_000)
POSTING_ROUNDS = int(os.environ.get("BENCH_SCALE_POSTINGS", "3"))
RESULTS = Path(os.environ.get("BENCH_SCALE_RESULTS", ".state/bench"))
log = scale_data.log


def bench_env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tz": "UTC", "tracking_disable": True})


def peak_reset():
    """Start a new high-water mark of the process's resident memory (Linux)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Meter:
    """Seconds, SQL queries and peak MB of each named step, from a cold cache."""

    def __init__(self, env):
        self.env = env
        self.figures = {}

    @contextmanager
    def step(self, name):
        env = self.env
        env.flush_all()
        env.invalidate_all()
        peak_reset()
        queries, start = env.cr.sql_log_count, time.perf_counter()
        yield
        env.flush_all()
        self.figures[name] = [
            time.perf_counter() - start,
            env.cr.sql_log_count - queries,
            peak_mb(),
        ]
        seconds, queries, peak = self.figures[name]
        log(f"      {name:42} {seconds:9.2f} s {queries:9,} q {peak:6.0f} MB")


class Spy:
    """Time and queries spent inside methods of Odoo's (outermost calls only)."""

    def __init__(self, env, targets):
        self.env, self.targets, self.spent, self.depth, self.saved = env, targets, {}, 0, []

    def __enter__(self):
        for model, method in self.targets:
            cls = type(self.env[model])
            original = getattr(cls, method)
            self.saved.append((cls, method, original))
            setattr(cls, method, self.wrap(f"{model}.{method}", original))
        return self

    def __exit__(self, *exc):
        for cls, method, original in self.saved:
            setattr(cls, method, original)

    def wrap(self, label, original):
        spy = self

        def wrapper(records, *args, **kwargs):
            if spy.depth:
                return original(records, *args, **kwargs)
            spy.depth += 1
            cr = records.env.cr
            queries, start = cr.sql_log_count, time.perf_counter()
            try:
                return original(records, *args, **kwargs)
            finally:
                spy.depth -= 1
                seconds, count = spy.spent.get(label, (0.0, 0))
                spy.spent[label] = (
                    seconds + time.perf_counter() - start,
                    count + cr.sql_log_count - queries,
                )

        return wrapper


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def ensure_data(registry, products):
    with registry.cursor() as cr:
        env = bench_env(cr)
        base = scale_data.ensure_base(env)
        # The reorder rules are the last table generated: all or nothing.
        have = env["stock.warehouse.orderpoint"].search_count(
            [("product_id.default_code", "=like", scale_data.PREFIX + "0%")]
        )
        if have != products:
            assert not have, f"{have:,} products where {products:,} are expected: drop the DB"
            started = time.perf_counter()
            scale_data.generate(env, base, products)
            log(f"    generated in {time.perf_counter() - started:.0f} s")
        return base


def database_size(registry):
    with registry.cursor() as cr:
        cr.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cr.fetchone()[0]


# ----------------------------------------------------------------------
# Checks: the data ties out with the addon's own figures
# ----------------------------------------------------------------------


def check(env, sample):
    company = env.company
    Valuation = env["running.inventory.valuation"]
    today = Valuation._get_stock_at_date(company)
    ledger = env["running.inventory.ledger"]._read_group(
        [("company_id", "=", company.id)], ["product_id"], ["quantity:sum"]
    )
    quants = dict(
        env.execute_query(
            SQL(
                """
                SELECT quant.product_id, SUM(quant.quantity) FROM stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                 WHERE location.usage = 'internal' GROUP BY 1
                """
            )
        )
    )
    ledger_off = sum(
        1 for product, quantity in ledger if abs(quantity - float(quants.get(product.id, 0))) > 1e-6
    )
    stock_off = sum(
        1 for pid, stock in today.items() if abs(stock.quantity - float(quants.get(pid, 0))) > 1e-6
    )
    reconciliation = reconcile(env, date.today())
    moment = at_moment()
    past = Valuation._get_stock_at_date(company, moment, sample)
    anchor_off = 0
    for when, ours in ((False, today), (moment, past)):
        for product in sample.with_context(to_date=when):
            if abs(product.total_value - ours[product.id].value) > 0.01:
                anchor_off += 1
    figures = {
        "products": len(today),
        "ledger_vs_quants": ledger_off,
        "stock_at_date_vs_quants": stock_off,
        "reconciliation_difference": reconciliation.difference,
        "reconciliation_differences": len(reconciliation.difference_ids),
        "stock_value_today": sum(stock.value for stock in today.values()),
        "book_balance_today": reconciliation.balance,
        "anchor_vs_ours": anchor_off,
    }
    env.cr.rollback()
    return figures


# ----------------------------------------------------------------------
# Steps
# ----------------------------------------------------------------------


def at_moment():
    at = date.today() - timedelta(days=AT_DAYS_AGO)
    return datetime.combine(at, datetime.max.time()).replace(microsecond=0)


def reconcile(env, day):
    reconciliation = env["running.inventory.reconciliation"].create({"date": day})
    reconciliation.action_compute()
    return reconciliation


def anchor_sample(env):
    products = env["product.product"].search(
        [("default_code", "=like", scale_data.PREFIX + "0%")], order="id"
    )
    step = max(1, len(products) // ANCHOR_SAMPLE)
    return products[::step][:ANCHOR_SAMPLE]


def step_ledger(env, meter):
    Ledger = env["running.inventory.ledger"]
    domain = [("company_id", "=", env.company.id), ("date", "<=", at_moment())]
    page = ["date", "reference", "quantity", "running_quantity", "value", "running_value"]
    with meter.step("1 ledger totals per product"):
        Ledger._read_group(domain, ["product_id"], ["quantity:sum", "value:sum"])
    with meter.step("1 ledger first page, running"):
        Ledger.search_read(domain, page, limit=80)
    product = env["product.product"].search(
        [("default_code", "=like", scale_data.PREFIX + "0%")], order="id desc", limit=1
    )
    with meter.step("1 ledger one product's history"):
        rows = Ledger.search_read([("product_id", "=", product.id)], page)
    assert len(rows) >= scale_data.MOVES, len(rows)


def step_stock_at_date(env, meter):
    Valuation = env["running.inventory.valuation"]
    with meter.step("2 stock at date, past"):
        Valuation._get_stock_at_date(env.company, at_moment(), by_location=True)
    with meter.step("2 stock at date, today"):
        Valuation._get_stock_at_date(env.company, None, by_location=True)


def step_reconciliation(env, meter):
    causes = {}
    for label, day in (
        ("past", date.today() - timedelta(days=AT_DAYS_AGO)),
        ("today", date.today()),
    ):
        with meter.step(f"3 reconciliation, {label}"):
            reconciliation = reconcile(env, day)
            reconciliation.difference_ids.mapped("cause")
        causes[label] = (
            len(reconciliation.line_ids),
            reconciliation.difference,
            len(reconciliation.difference_ids),
        )
    return causes


def step_count(env, meter, warehouse):
    company = env.company
    users = {
        role: new_test_user(
            env,
            login=f"scale_{role}",
            groups=f"base.group_user,running_inventory.group_inventory_{role}",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        for role in ("counter", "auditor")
    }
    Count = env["running.inventory.count"]
    with meter.step("4 count: create and snapshot"):
        count = Count.with_user(users["auditor"]).create(
            {"warehouse_id": warehouse.id, "counter_ids": [Command.set(users["counter"].ids)]}
        )
        count.action_start()
    lines = count.sudo().line_ids
    pairs = [
        # one unit short on one line in ten: within the recount thresholds (5 %, 100.00)
        [line.id, line.quantity_expected - (1 if index % 10 == 0 and big else 0)]
        for index, (line, big) in enumerate(
            zip(lines, [q >= 20 for q in lines.mapped("quantity_expected")], strict=True)
        )
    ]
    as_counter = count.with_user(users["counter"])
    with meter.step("4 count: record counts"):
        as_counter.record_counts(pairs)
    with meter.step("4 count: submit"):
        as_counter.action_count_done()
        as_counter.action_submit()
    targets = [("stock.quant", "_apply_inventory"), ("stock.move", "_action_done")]
    with Spy(env, targets) as spy, meter.step("4 count: approve (1 in 10)"):
        count.with_user(users["auditor"]).action_approve()
    assert count.state == "done", count.state
    return len(lines), len(count.move_ids), spy.spent


def step_replenishment(env, meter):
    plans = env["running.inventory.count.plan"].search([])
    with meter.step("5 ABC classification, every product"):
        plans._compute_abc_classification()
    rules = env["stock.warehouse.orderpoint"].search([("demand_driven", "=", True)])
    # Odoo's lead time and vendor of each rule, computed rule by rule by Odoo: printed apart.
    targets = [("stock.rule", "_get_lead_days"), ("product.product", "_select_seller")]
    with Spy(env, targets) as spy, meter.step("5 demand-driven recompute, every rule"):
        rules._recompute_demand_driven()
    return len(rules), spy.spent


def step_anchor(env, meter, sample, products):
    """Odoo's own figures on the sample; seconds and queries scaled to every product."""
    figures = {}
    for label, when in (("past", at_moment()), ("today", False)):
        name = f"7 Odoo total_value, {label}"
        with meter.step(name):
            for product in sample.with_context(to_date=when):
                product.qty_available  # noqa: B018 - Odoo's read, as stock_value does
                product.total_value  # noqa: B018
        seconds, queries, peak = meter.figures[name]
        scale = products / len(sample)
        meter.figures[name] = [seconds * scale, round(queries * scale), peak]
        figures[label] = len(sample)
    return figures


# ----------------------------------------------------------------------
# Posting with a product's history (6)
# ----------------------------------------------------------------------


POSTING_KEYS = [
    (method, prior, mode)
    for method in scale_data.COST_METHODS
    for prior in PRIORS
    for mode in ("perpetual", "periodic")
]


def ensure_postings_data(registry):
    """Step 6's products (one per cost method, prior moves and mode) and their history,
    generated once in a database of their own and kept, vacuumed as autovacuum keeps a
    production database: a history written in the measuring transaction has no visibility
    map yet, and its index-only scans read the table too (3.5 times slower at 100,000)."""
    with registry.cursor() as cr:
        env = bench_env(cr)
        base = scale_data.ensure_base(env)
        if env.execute_query(SQL("SELECT to_regclass('scale_posting_spec')"))[0][0]:
            return base
        categories = {
            (method, mode): env["product.category"]
            .create(
                {
                    "name": f"Scale posting {method} {mode}",
                    "property_cost_method": method,
                    "property_valuation": mode,
                }
            )
            .id
            for method in scale_data.COST_METHODS
            for mode in ("perpetual", "periodic")
        }
        values = ", ".join(
            f"({1_000_000 + n}, {categories[method, mode]}, {prior}, {mode == 'perpetual'},"
            f" {method == 'fifo'})"
            for n, (method, prior, mode) in enumerate(POSTING_KEYS)
        )
        spec = SQL(
            """
            SELECT i, nextval('product_template_id_seq') AS tmpl_id,
                   nextval('product_product_id_seq') AS product_id, categ_id, 1 AS w,
                   5 + i %% 20 AS price, FALSE AS tracked, moves, entries, fifo
              FROM (VALUES %s) AS k(i, categ_id, moves, entries, fifo)
            """,
            SQL(values),  # integers and booleans of this function
        )
        log(
            f"    step 6: {sum(k[1] for k in POSTING_KEYS):,} prior moves of"
            f" {len(POSTING_KEYS)} products (SQL, once)"
        )
        cr.commit()
        scale_data.make_products(env, base, spec, "scale_posting_spec")
        scale_data.make_history(env, base, "scale_posting_spec")
        cr.commit()
        scale_data.vacuum(
            env, ("product_product", "stock_move", "stock_move_line", "account_move_line")
        )
        return base


def step_postings(env, base):
    """{(method, prior, mode, incoming): (seconds, seconds in the posting service)}: medians
    of POSTING_ROUNDS validations, each rolled back."""
    products = dict(
        zip(
            POSTING_KEYS,
            [
                row[0]
                for row in env.execute_query(
                    SQL("SELECT product_id FROM scale_posting_spec ORDER BY i")
                )
            ],
            strict=True,
        )
    )
    keys = POSTING_KEYS
    warehouse = env["stock.warehouse"].browse(base["warehouses"][0])
    figures = {}
    service = [("running.inventory.posting", "_post_movements")]

    def validate(key, incoming):
        product = env["product.product"].browse(products[key])
        env.cr.execute("SAVEPOINT scale_posting")
        picking = scale_data.make_picking(env, warehouse, product, 1, incoming)
        env.flush_all()
        env.invalidate_all()
        with Spy(env, service) as spy:
            start = time.perf_counter()
            picking._action_done()
            env.flush_all()
            seconds = time.perf_counter() - start
        env.cr.execute("ROLLBACK TO SAVEPOINT scale_posting")
        env.invalidate_all()
        return seconds, sum(spent for spent, _queries in spy.spent.values())

    # The process's first validations fill its caches (accounts, sequences, the registry's
    # compiled queries: about 80 ms in the posting service). Warm them on the shortest
    # histories, unmeasured, so that the first key measured does not carry them.
    for key in keys:
        if key[1] == PRIORS[0]:
            for incoming in (True, False):
                validate(key, incoming)
    for rnd in range(POSTING_ROUNDS):
        for key in keys if rnd % 2 else keys[::-1]:
            for incoming in (True, False):
                figures.setdefault((key, incoming), []).append(validate(key, incoming))
    return {
        key: (
            statistics.median(seconds for seconds, _ in runs),
            statistics.median(in_service for _, in_service in runs),
        )
        for key, runs in figures.items()
    }


# ----------------------------------------------------------------------
# One size, in its own process
# ----------------------------------------------------------------------


def run_size(config_file, size):
    database = f"{scale_db()}_{size}"
    config.parse_config(["-c", config_file, "-d", database, "--log-level=warn"])
    registry = Registry(database)
    base = ensure_data(registry, SIZES[size])
    result = {"size": size, "database": database, "db_size": database_size(registry)}
    with registry.cursor() as cr:
        env = bench_env(cr)
        sample = anchor_sample(env)
        # The checks read everything twice: by default at SMALL only, where they prove the
        # generator (LARGE is made by the same statements).
        if size in os.environ.get("BENCH_SCALE_CHECK_AT", "small").split():
            log("    checking that the data ties out")
            result["checks"] = check(env, sample)
        else:
            result["checks"] = "not checked at this size (BENCH_SCALE_CHECK_AT)"
        log(f"    {result['checks']}")
    steps = (
        ("ledger", step_ledger),
        ("stock_at_date", step_stock_at_date),
        ("reconciliation", step_reconciliation),
        ("count", None),
        ("replenishment", step_replenishment),
        ("anchor", None),
    )
    figures = {}
    only = os.environ.get("BENCH_SCALE_STEPS")  # while developing: e.g. "count anchor"
    for name, function in steps:
        if only and name not in only.split():
            continue
        with registry.cursor() as cr:
            env = bench_env(cr)
            meter = Meter(env)
            if name == "count":
                warehouse = env["stock.warehouse"].browse(base["warehouses"][0])
                result["count"] = step_count(env, meter, warehouse)
            elif name == "anchor":
                step_anchor(env, meter, anchor_sample(env), SIZES[size])
            else:
                result[name] = function(env, meter)
            figures.update(meter.figures)
            cr.rollback()
        result["figures"] = figures
        save(result, "partial")
    result["figures"] = figures
    if only and "postings" not in only.split():
        save(result, only.replace(" ", "_"))
        return
    # Step 6 depends on the product's history, not on the database's size: it runs after
    # LARGE, by default, on a database of its own (see ensure_postings_data).
    if size in os.environ.get("BENCH_SCALE_POSTINGS_AT", "large").split():
        postings_registry = Registry(f"{scale_db()}_postings")
        postings_base = ensure_postings_data(postings_registry)
        with postings_registry.cursor() as cr:
            run_postings(bench_env(cr), postings_base, result)
            cr.rollback()
    if only:  # a part of the steps: kept apart from the full figures
        save(result, only.replace(" ", "_"))
        return
    save(result)
    print_size(result)


def save(result, kind=""):
    """The figures so far in .state/bench/scale_<size>[.partial].json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"scale_{result['size']}{'.' + kind if kind else ''}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=1, default=str))


def run_postings(env, base, result):
    peak_reset()
    postings = step_postings(env, base)
    result["postings_peak"] = peak_mb()
    result["postings"] = [
        [*key, incoming, seconds, in_service]
        for (key, incoming), (seconds, in_service) in postings.items()
    ]


def scale_db():
    return os.environ.get("BENCH_SCALE_DB", "running_inventory_bench_scale")


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def posting_overhead(result):
    """({(method, prior): perpetual - periodic seconds}, {(method, prior): seconds in the
    posting service, perpetual}, {(method, prior, mode, incoming): seconds}), receipt +
    delivery."""
    times, service = {}, defaultdict(float)
    for method, prior, mode, incoming, seconds, *in_service in result["postings"]:
        times[method, prior, mode, incoming] = seconds
        if mode == "perpetual":
            service[method, prior] += in_service[0] if in_service else float("nan")
    overhead = {
        (method, prior): sum(
            times[method, prior, "perpetual", incoming] - times[method, prior, "periodic", incoming]
            for incoming in (True, False)
        )
        for method in scale_data.COST_METHODS
        for prior in PRIORS
    }
    return overhead, dict(service), times


def log_odoo_share(spent, step):
    """The time and queries of Odoo's own methods inside a step (see Spy)."""
    for label, (seconds, queries) in spent.items():
        log(
            f"    Odoo's {label:33} {seconds:9.2f} {queries:9,}  "
            f"({100 * seconds / max(step[0], 1e-9):.0f}% of the time, "
            f"{100 * queries / max(step[1], 1):.0f}% of the queries)"
        )


def print_size(result):
    size = result["size"]
    log(
        f"\n{size.upper()}: {SIZES[size]:,} products, database {result['database']} "
        f"({result['db_size']}); checks {result['checks']}"
    )
    log(f"{'step':44} {'seconds':>9} {'queries':>9} {'peak MB':>8}")
    for name, (seconds, queries, peak) in result["figures"].items():
        log(f"{name:44} {seconds:9.2f} {queries:9,} {peak:8.0f}")
    if "count" in result:  # a run of some steps only (BENCH_SCALE_STEPS) may have none
        print_count(result)
    if "reconciliation" in result:
        log(f"  reconciliation (lines, difference, differences): {result['reconciliation']}")
    log(f"  anchor (7): Odoo on {ANCHOR_SAMPLE} products, scaled to {SIZES[size]:,}")
    if "postings" not in result:
        log("  6 posting: not measured in this run (BENCH_SCALE_POSTINGS_AT)")
        return
    print_postings(result)


def print_count(result):
    lines, adjusted, spent = result["count"]
    log(f"  count: {lines:,} lines, {adjusted:,} adjusted; inside approve:")
    log_odoo_share(spent, result["figures"]["4 count: approve (1 in 10)"])
    if isinstance(result.get("replenishment"), list | tuple):  # older runs saved a number
        rules, spent = result["replenishment"]
        if not spent:
            log(
                f"  demand-driven: {rules:,} rules; inside the recompute, no call to Odoo's"
                " lead time or vendor selection in this data"
            )
        else:
            log(f"  demand-driven: {rules:,} rules; inside the recompute:")
            log_odoo_share(spent, result["figures"]["5 demand-driven recompute, every rule"])


def print_postings(result):
    overhead, service, times = posting_overhead(result)
    log(
        f"  6 posting, ms per validation (median of {POSTING_ROUNDS}): receipt and delivery,"
        f" perpetual and periodic; added = perpetual - periodic, service = inside the perpetual"
        f" posting service (running.inventory.posting._post_movements), receipt + delivery;"
        f" peak {result['postings_peak']:.0f} MB"
    )
    log(
        f"    {'method':10} {'prior':>8} {'in perp':>8} {'in peri':>8} {'out perp':>8} "
        f"{'out peri':>8} {'added':>8} {'service':>8}"
    )
    for (method, prior), added in overhead.items():
        cells = [
            times[method, prior, mode, inc] * 1000
            for inc in (True, False)
            for mode in ("perpetual", "periodic")
        ]
        log(
            f"    {method:10} {prior:>8,} "
            + " ".join(f"{c:8.1f}" for c in cells)
            + f" {added * 1000:8.1f} {service[method, prior] * 1000:8.1f}"
        )


def ratio_text(numerator, denominator, digits=1):
    if numerator is None or not denominator:
        return "n/a"
    return f"{numerator / denominator:.{digits}f}x"


def scale_line(small, large, postings):
    """The verdict: the issue's ratios, "n/a" where a figure is missing."""
    sf, lf = small.get("figures", {}), large.get("figures", {})

    def seconds(figures, names):
        if not names or any(name not in figures for name in names):
            return None
        return sum(figures[name][0] for name in names)

    parts = []
    for step in "12345":
        names = [name for name in sf if name.startswith(step + " ")]
        queries = [sum(f[n][1] for n in names if n in f) for f in (sf, lf)]
        parts.append(
            f"{step} {ratio_text(seconds(lf, names), seconds(sf, names))} time"
            f" (q {queries[0]:,}->{queries[1]:,})"
        )
    anchor = {label: seconds(lf, [f"7 Odoo total_value, {label}"]) for label in ("past", "today")}
    ours = {
        "1": {"past": seconds(lf, ["1 ledger totals per product"])},
        "2": {label: seconds(lf, [f"2 stock at date, {label}"]) for label in ("past", "today")},
        "3": {label: seconds(lf, [f"3 reconciliation, {label}"]) for label in ("past", "today")},
    }
    parts.append(
        "Odoo/ours at LARGE "
        + " ".join(
            f"{step} "
            + "/".join(ratio_text(anchor[label], ours[step][label], 0) for label in dates)
            for step, dates in (("1", ["past"]), ("2", ["past", "today"]), ("3", ["past", "today"]))
        )
    )
    if postings:
        _overhead, service, _times = posting_overhead(postings)
        parts.append(
            "posting service 100k/100 "
            + " ".join(
                f"{m} {ratio_text(service[m, PRIORS[-1]], service[m, PRIORS[0]], 2)}"
                if service[m, PRIORS[0]] > 0
                else f"{m} n/a"
                for m in scale_data.COST_METHODS
            )
        )
    else:
        parts.append("posting n/a")
    peaks = [f[2] for f in lf.values()] + [postings.get("postings_peak", 0) if postings else 0]
    parts.append(f"peak {max(peaks):.0f} MB")
    return "SCALE: " + "; ".join(parts)


def load_results():
    """{size: figures}: the last full run of each size, else what its last run measured; and
    the last postings measured (step 6), at whichever size: the newest file that has them."""
    results, measured_postings = {}, []
    for size in SIZES:
        for kind in ("", ".partial"):
            path = RESULTS / f"scale_{size}{kind}.json"
            if path.exists():
                results[size] = json.loads(path.read_text())
                results[size]["complete"] = not kind
                if results[size].get("postings"):
                    measured_postings.append((path.stat().st_mtime, results[size]))
                break
        # Steps measured again on their own (BENCH_SCALE_STEPS) are newer: theirs are taken.
        for path in sorted(RESULTS.glob(f"scale_{size}.*.json")):
            if size in results and path.suffixes[0] not in (".partial", ".postings"):
                results[size]["figures"].update(json.loads(path.read_text())["figures"])
        path = RESULTS / f"scale_{size}.postings.json"
        if path.exists():
            measured_postings.append((path.stat().st_mtime, json.loads(path.read_text())))
    postings = max(measured_postings, key=lambda pair: pair[0])[1] if measured_postings else None
    return results, postings


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--size":
        run_size(sys.argv[3], sys.argv[2])
        return
    if sys.argv[1:] == ["--report"]:
        sizes = []
    else:
        args = parse_args(__doc__)
        sizes = os.environ.get("BENCH_SCALE_SIZES", "small large").split()
    for size in sizes:
        log(f"  {size}: {SIZES[size]:,} products ({scale_db()}_{size})")
        subprocess.run(["nice", sys.executable, __file__, "--size", size, args.config], check=True)
    results, postings = load_results()
    for size in SIZES:
        if size in results and (size not in sizes or not results[size]["complete"]):
            log(f"\n(last {'' if results[size]['complete'] else 'partial '}run of {size})")
            print_size(results[size])
    if postings and not postings.get("figures"):
        log(f"\n(postings measured on the {postings['size']} database)")
        print_postings(postings)
    if len(results) == 2:
        log("")
        log(scale_line(results["small"], results["large"], postings))


if __name__ == "__main__":
    main()
