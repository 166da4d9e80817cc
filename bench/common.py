"""Shared by the benchmarks: an Odoo environment on a database, and a probe for time and SQL
queries. Benchmarks print figures; they do not pass or fail."""

import argparse
import os
import statistics
import time
from contextlib import contextmanager

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--config", default=os.environ.get("ODOO_CONF"), help="Odoo configuration")
    parser.add_argument("--database", default=os.environ.get("BENCH_DB"))
    return parser.parse_args()


@contextmanager
def odoo_env(config_file, database):
    """A superuser environment whose work is rolled back at the end: the benchmark leaves the
    database as it found it."""
    config.parse_config(["-c", config_file, "-d", database, "--log-level=warn"])
    registry = Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        try:
            yield env
        finally:
            cr.rollback()


class Probe:
    """Seconds and SQL queries of each call, as the ORM would send them to PostgreSQL."""

    def __init__(self, env):
        self.env = env
        self.samples = []

    def __call__(self, function, *args, **kwargs):
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        start = time.perf_counter()
        result = function(*args, **kwargs)
        self.env.flush_all()
        self.samples.append((time.perf_counter() - start, self.env.cr.sql_log_count - queries))
        return result

    def median(self, skip=0):
        """Median seconds and queries, leaving out the first `skip` (warm-up) samples."""
        samples = self.samples[skip:] or self.samples
        return (
            statistics.median(seconds for seconds, _ in samples),
            statistics.median(queries for _, queries in samples),
        )

    def total(self):
        return sum(seconds for seconds, _ in self.samples), sum(q for _, q in self.samples)


def ratio(with_mode, without):
    return with_mode / without if without else float("nan")
