# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Queries of the count session, the ABC classification and the demand-driven recompute do
not grow with the number of products, quants or rules (issue 12): each path is measured on a
few and on many more, from a cold cache, and must cost the same number of queries (Odoo's own
per-record calls, `_apply_inventory` of the adjusted lines, the lead time of each rule, are
measured apart: they are Odoo's cost).
"""

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common_counts import AUDITOR, COUNTER, RunningInventoryCountCommon
from .common_reorder import FROZEN_NOW, DemandDrivenCase

# Odoo's lead time and vendor of a reorder rule, computed rule by rule by Odoo itself.
ODOO_RULE_METHODS = [
    ("stock.rule", "_get_lead_days"),
    ("product.product", "_select_seller"),
]


class QueryMeter:
    """Queries of a block, from a cold cache, its writes flushed."""

    def __init__(self, env):
        self.env = env

    def __call__(self, function, *args, **kwargs):
        self.env.flush_all()
        self.env.invalidate_all()
        # Odoo's ormcaches (a user's companies, access rules) as cold in each measure.
        self.env.registry.clear_cache()
        before = self.env.cr.sql_log_count
        function(*args, **kwargs)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before


class OdooShare:
    """Queries spent inside Odoo's own per-record methods (outermost calls only; with `flush`,
    what they leave to flush too): Odoo's share, measured apart from ours."""

    def __init__(self, env, targets, flush=False):
        self.env, self.targets, self.queries, self.depth, self.saved = env, targets, 0, 0, []
        self.flush = flush

    def __enter__(self):
        for model, method in self.targets:
            cls = type(self.env[model])
            self.saved.append((cls, method, getattr(cls, method)))
            setattr(cls, method, self._wrap(getattr(cls, method)))
        return self

    def __exit__(self, *exc):
        for cls, method, original in reversed(self.saved):
            setattr(cls, method, original)

    def _wrap(self, original):
        share = self

        def wrapper(records, *args, **kwargs):
            if share.depth:
                return original(records, *args, **kwargs)
            share.depth += 1
            before = records.env.cr.sql_log_count
            try:
                result = original(records, *args, **kwargs)
                if share.flush:
                    records.env.flush_all()
                return result
            finally:
                share.depth -= 1
                share.queries += records.env.cr.sql_log_count - before

        return wrapper


@tagged("post_install", "-at_install")
class TestCountScaleQueries(RunningInventoryCountCommon):
    def _stock_products(self, number, tag, packages=0):
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Scale {tag} {index}",
                    "is_storable": True,
                    "standard_price": 10.0,
                    "categ_id": self.category_standard.id,
                }
                for index in range(number)
            ]
        )
        quant = self.env["stock.quant"]
        for index, product in enumerate(products):
            quant._update_available_quantity(product, (self.shelf_1, self.shelf_2)[index % 2], 30)
        if packages:
            boxes = self.env["stock.package"].create(
                [{"name": f"Scale {tag} box {index}"} for index in range(packages)]
            )
            for product in products:
                for box in boxes:
                    quant._update_available_quantity(product, self.shelf_1, 30, package_id=box)
        return products

    def _session_queries(self, number, packages=0):
        """Queries of each step of a session over `number` products (one quant each, and one
        per package)."""
        tag = f"{number}-{packages}"
        products = self._stock_products(number, tag, packages)
        # Users of their own: each session starts with its users' caches as cold.
        counter = self._create_user(f"scale_counter_{tag}", COUNTER)
        auditor, approver = (self._create_user(f"scale_{role}_{tag}", AUDITOR) for role in "ab")
        meter = QueryMeter(self.env)
        figures = {}
        count = (
            self.env["running.inventory.count"]
            .with_user(auditor)
            .create(
                {
                    "warehouse_id": self.warehouse.id,
                    "location_ids": [Command.set((self.shelf_1 | self.shelf_2).ids)],
                    "product_ids": [Command.set(products.ids)],
                    "counter_ids": [Command.set(counter.ids)],
                }
            )
        )
        figures["snapshot"] = meter(count.action_start)
        lines = count.sudo().line_ids
        self.assertEqual(len(lines), number * (1 + packages))
        pairs = [
            [line.id, line.quantity_expected - (1 if index % 2 == 0 else 0)]
            for index, line in enumerate(lines)
        ]
        as_counter = count.with_user(counter)
        figures["record counts"] = meter(as_counter.record_counts, pairs)
        figures["count done and submit"] = meter(
            lambda: (as_counter.action_count_done(), as_counter.action_submit())
        )
        with OdooShare(self.env, [("stock.quant", "_apply_inventory")], flush=True) as odoo:
            total = meter(count.with_user(approver).action_approve)
        self.assertEqual(count.state, "done")
        self.assertEqual(len(count.sudo().move_ids), (len(lines) + 1) // 2)
        figures["approve, ours"] = total - odoo.queries
        figures["approve, Odoo's _apply_inventory"] = odoo.queries
        return figures

    def test_count_session_queries_do_not_depend_on_the_number_of_quants(self):
        # 8 and 330 lines: the ORM would insert and update the second 100 at a time; both are
        # read in one prefetch (1,000 records).
        self._session_queries(2)
        few, many = self._session_queries(4, 1), self._session_queries(30, 10)
        for step in ("snapshot", "record counts", "count done and submit", "approve, ours"):
            self.assertEqual(few[step], many[step], step)

    def _abc_queries(self, number):
        """Queries of the ABC classification of a warehouse whose `number` products moved."""
        warehouse = self.env["stock.warehouse"].create(
            {"name": f"ABC {number}", "code": f"AB{number}", "company_id": self.company.id}
        )
        for index in range(number):
            product = self._create_product(f"ABC {number} {index}")
            self._receive(product, 100, warehouse.lot_stock_id, date=self._months_ago(3))
            self._deliver(product, 1 + index, warehouse.lot_stock_id, date=self._months_ago(1))
        plan = self.env["running.inventory.count.plan"].create({"warehouse_id": warehouse.id})
        meter = QueryMeter(self.env)
        queries = meter(plan._compute_abc_classification)
        self.assertEqual(len(plan.classification_ids), number)
        return queries

    def test_abc_classification_queries_do_not_depend_on_the_number_of_products(self):
        self._abc_queries(2)
        self.assertEqual(self._abc_queries(4), self._abc_queries(12))


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestDemandScaleQueries(DemandDrivenCase):
    def _recompute_queries(self, number):
        """Queries of the demand-driven recompute of `number` rules, each with its demand."""
        rules = self.env["stock.warehouse.orderpoint"]
        for index in range(number):
            product = self._create_product(f"Demand {number} {index}", delay=3 + index % 3)
            self._deliver(product, {day: 5 + (day + index) % 4 for day in range(1, 31)})
            rules |= self._create_rule(product, demand_history_days=30)
        meter = QueryMeter(self.env)
        with OdooShare(self.env, ODOO_RULE_METHODS) as odoo:
            queries = meter(rules._recompute_demand_driven) - odoo.queries
        self.assertEqual(set(rules.mapped("demand_state")), {"computed"})
        return queries

    def test_demand_recompute_queries_do_not_grow_with_the_number_of_rules(self):
        """Our queries do not grow with the rules; Odoo's lead time and vendor of each rule
        (its `_get_lead_days` and `_select_seller`, about ten queries a rule) are Odoo's share.
        Ours moves by a few queries with what Odoo's calls prefetch for the rules after them."""
        self._recompute_queries(2)
        many = self._recompute_queries(12)
        self.assertLessEqual(many, self._recompute_queries(4))
