# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The crons of audit counts and of the reconciliation, in committed batches (issue 12).

Each is cut short after its first batch (its time is up: ``cron_end_time`` in the past, as
ir.cron sets it), then run again: the second run does the rest and nothing of the first batch
again, and the whole equals what one uninterrupted run gives.
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common_counts import RunningInventoryCountCommon
from .common_ledger import LedgerCommon


class CronRunMixin:
    def _run_cron(self, xmlid, method, cut_short=False, **kwargs):
        """Run the cron's method on its own cursor, as ir.cron does (it commits per batch).

        :param cut_short: run it as ir.cron with a progress whose time is up after the first
            batch; return that progress
        """
        cron = self.env.ref(xmlid)
        context, progress = {}, None
        if cut_short:
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0})
            context = {"ir_cron_progress_id": progress.id, "cron_id": cron.id, "cron_end_time": 0}
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = self.env(cr=cr, context=dict(self.env.context, **context))
            queries = cr.sql_log_count
            getattr(env[cron.model_id.model], method)(**kwargs)
            self.queries = cr.sql_log_count - queries
        self.env.invalidate_all()
        return progress


@tagged("post_install", "-at_install")
class TestCountCronBatches(CronRunMixin, RunningInventoryCountCommon):
    """Products 1 to 5 consumed 500, 300, 100, 60 and 40 (at a cost of 10) and are stocked,
    with products 6 and 7 stocked and not consumed: seven products to classify."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.p = {n: cls._create_product(f"Batch {n}", cost=10.0) for n in range(1, 8)}
        for product in cls.p.values():
            cls._receive(product, 100, cls.shelf_1, date=cls._months_ago(3))
        for n, quantity in ((1, 50), (2, 30), (3, 10), (4, 6), (5, 4)):
            cls._deliver(cls.p[n], quantity, cls.shelf_1, date=cls._months_ago(1))
        cls.plan = cls.env["running.inventory.count.plan"].create(
            {"warehouse_id": cls.warehouse.id, "counter_ids": [(6, 0, cls.counter_1.ids)]}
        )
        # Only this session's plans are due: the database's others are done for today.
        cls.env["running.inventory.count.plan"].search([("id", "!=", cls.plan.id)]).write(
            {"abc_date": fields.Datetime.now(), "proposal_date": fields.Date.today()}
        )

    def _rows(self):
        return [
            (row.product_id, row.abc_class, row.rank, row.consumption_value, row.value_percent)
            for row in self.plan.classification_ids.sorted("rank")
        ]

    def _second_plan(self):
        """A second warehouse with the seven products in stock, and its plan."""
        warehouse = self.env["stock.warehouse"].create(
            {"name": "Second", "code": "WHB", "company_id": self.company.id}
        )
        for product in self.p.values():
            self._receive(product, 10, warehouse.lot_stock_id)
        return self.env["running.inventory.count.plan"].create({"warehouse_id": warehouse.id})

    def _classified_yesterday(self, plans):
        plans._compute_abc_classification()
        yesterday = fields.Datetime.now() - timedelta(days=1)
        plans.classification_ids.date = yesterday
        plans.abc_date = yesterday
        return yesterday

    def test_abc_cron_cut_short_resumes_without_doing_a_batch_twice(self):
        """Two plans classified yesterday (seven rows each). Today's run, in batches of two, is
        cut short (its time is up after its first batch): it finishes the plan it ranked (four
        batches, each committed) and leaves the second plan to the next run, which writes that
        one only."""
        plan_2 = self._second_plan()
        yesterday = self._classified_yesterday(self.plan | plan_2)
        old_rows = (self.plan | plan_2).classification_ids
        old_rows_2 = plan_2.classification_ids
        self.assertEqual(len(old_rows), 14)
        cron = "running_inventory.running_inventory_count_plan_cron_abc"

        progress = self._run_cron(
            cron, "_cron_compute_abc_classification", cut_short=True, batch_size=2
        )
        self.assertEqual((progress.done, progress.remaining), (7, 1))
        first = self.plan.classification_ids
        self.assertEqual(len(first), 7)
        self.assertFalse(first & old_rows)
        self.assertGreater(self.plan.abc_date, yesterday)
        self.assertEqual(plan_2.classification_ids, old_rows_2)
        self.assertEqual(plan_2.abc_date, yesterday)

        progress = self._run_cron(
            cron, "_cron_compute_abc_classification", cut_short=True, batch_size=2
        )
        self.assertEqual((progress.done, progress.remaining), (7, 0))
        self.assertEqual(self.plan.classification_ids, first, "the first plan is not redone")
        self.assertFalse(plan_2.classification_ids & old_rows)
        self.assertGreater(plan_2.abc_date, yesterday)
        batched = self._rows()
        self.assertEqual(
            [(row[0], row[1], row[2]) for row in batched],
            [(self.p[n], abc, n) for n, abc in enumerate("aabbccc", start=1)],
        )
        # One uninterrupted run gives the same classes.
        self.plan._compute_abc_classification()
        self.assertEqual(self._rows(), batched)

    def test_abc_cron_stopped_inside_a_plan_writes_only_the_rest(self):
        """A run killed inside the plan (at limit_time_real, a restart) after committing its
        first batch, the two best products: the next run keeps those two rows and writes the
        five others only, in batches of two (3 batches), and dates the plan."""
        yesterday = self._classified_yesterday(self.plan)
        old_rows = self.plan.classification_ids
        self.plan._write_abc_rows(self.plan._get_abc_ranking()[:2])  # what the killed run wrote
        first = self.plan.classification_ids - old_rows
        self.assertEqual(first.product_id, self.p[1] | self.p[2])
        self.assertEqual(self.plan.abc_date, yesterday, "not dated before its last batch")

        progress = self._run_cron(
            "running_inventory.running_inventory_count_plan_cron_abc",
            "_cron_compute_abc_classification",
            cut_short=True,
            batch_size=2,
        )
        self.assertEqual((progress.done, progress.remaining), (5, 0))
        self.assertEqual(len(self.plan.classification_ids), 7)
        self.assertLessEqual(first, self.plan.classification_ids, "the first batch is kept")
        self.assertFalse(self.plan.classification_ids & old_rows)
        self.assertGreater(self.plan.abc_date, yesterday)
        batched = self._rows()
        self.plan._compute_abc_classification()
        self.assertEqual(self._rows(), batched)

    def test_abc_cron_batch_costs_the_same_queries_whatever_its_size(self):
        """Each batch costs the same few queries whatever its number of products: seven
        batches of one cost six batches more than one of seven, twice what four batches of
        two cost more (after a first run, which fills the registry's caches)."""
        cron = "running_inventory.running_inventory_count_plan_cron_abc"
        queries = {}
        for size in (7, 7, 2, 1):
            self.plan.classification_ids.unlink()
            self.plan.abc_date = False
            self._run_cron(cron, "_cron_compute_abc_classification", batch_size=size)
            self.assertEqual(len(self.plan.classification_ids), 7)
            queries[size] = self.queries
        per_batch = (queries[2] - queries[7]) / 3
        self.assertEqual(queries[1] - queries[7], 6 * per_batch)
        self.assertLessEqual(per_batch, 6)

    def test_abc_cron_drops_the_products_no_longer_ranked(self):
        """A product with a class in the plan, neither stocked nor consumed any more: its row
        goes with the plan's last batch."""
        gone = self._create_product("Gone", cost=10.0)
        self.env["running.inventory.abc.classification"].create(
            {
                "plan_id": self.plan.id,
                "product_id": gone.id,
                "abc_class": "a",
                "rank": 1,
                "date": fields.Datetime.now() - timedelta(days=8),
            }
        )
        self._run_cron(
            "running_inventory.running_inventory_count_plan_cron_abc",
            "_cron_compute_abc_classification",
            batch_size=3,
        )
        self.assertEqual(len(self.plan.classification_ids), 7)
        self.assertNotIn(gone, self.plan.classification_ids.product_id)

    def _sessions(self, plans):
        counts = self.env["running.inventory.count"].search([("plan_id", "in", plans.ids)])
        return counts, {
            plan: sorted(
                tuple(sorted(count.product_ids.ids)) for count in counts if count.plan_id == plan
            )
            for plan in plans
        }

    def test_proposal_cron_cut_short_resumes_without_doing_a_plan_twice(self):
        """Two plans (two warehouses); a run cut short after its first plan proposes that
        plan's sessions only. The next run proposes the second plan's, not the first's again,
        and the sessions are those of one uninterrupted run."""
        plan_2 = self._second_plan()
        plans = self.plan | plan_2
        cron = "running_inventory.running_inventory_count_plan_cron_propose"

        progress = self._run_cron(cron, "_cron_propose_counts", cut_short=True)
        self.assertEqual((progress.done, progress.remaining), (1, 1))
        first, by_plan = self._sessions(plans)
        self.assertTrue(first)
        self.assertEqual(first.plan_id, self.plan)
        self.assertEqual(self.plan.proposal_date, fields.Date.today())
        self.assertFalse(plan_2.proposal_date)

        self._run_cron(cron, "_cron_propose_counts")
        counts, batched = self._sessions(plans)
        self.assertEqual(counts.plan_id, plans)
        self.assertEqual(counts.filtered(lambda count: count.plan_id == self.plan), first)
        self.assertEqual(batched[self.plan], by_plan[self.plan])
        # The same day, nothing more; one uninterrupted run proposes the same sessions.
        self._run_cron(cron, "_cron_propose_counts")
        self.assertEqual(self._sessions(plans)[0], counts)
        counts.unlink()
        plans.proposal_date = False
        self._run_cron(cron, "_cron_propose_counts")
        self.assertEqual(self._sessions(plans)[1], batched)


@tagged("post_install", "-at_install")
class TestReconciliationCronBatches(CronRunMixin, LedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.perpetual_valuation_date = fields.Datetime.now() - timedelta(days=30)

    def _checks_of_today(self, companies):
        return self.env["running.inventory.reconciliation"].search(
            [
                ("company_id", "in", companies.ids),
                ("kind", "=", "check"),
                ("date", "=", fields.Date.context_today(self.env.user)),
            ]
        )

    @staticmethod
    def _figures(check):
        return (
            check.company_id,
            check.odoo_value,
            check.balance,
            check.difference,
            sorted(difference._get_key() for difference in check.difference_ids),
        )

    def test_check_cron_cut_short_resumes_without_checking_a_company_twice(self):
        """A manual entry on a product makes the test company differ. A run cut short after
        its first company checks it only; the next checks the others, once each, with the
        figures of a check computed at once."""
        product = self._create_product_before("average", "Checked")
        with self._on_day(2):
            self._make_in_move(product, 2, unit_cost=6.0)
        self._manual_entry(self.account_stock_valuation, 5.0, product)
        Reconciliation = self.env["running.inventory.reconciliation"]
        companies = Reconciliation._get_companies_to_check()
        self.assertIn(self.company, companies)
        self.assertGreaterEqual(len(companies), 2)
        cron = "running_inventory.ir_cron_stock_reconciliation_check"

        progress = self._run_cron(cron, "_cron_check", cut_short=True)
        self.assertEqual((progress.done, progress.remaining), (1, len(companies) - 1))
        first = self._checks_of_today(companies)
        self.assertEqual(first.company_id, companies[0])

        self._run_cron(cron, "_cron_check")
        checks = self._checks_of_today(companies)
        self.assertEqual(len(checks), len(companies))
        self.assertEqual(checks.company_id, companies)
        self.assertIn(first, checks)
        self.assertFalse(Reconciliation._get_companies_to_check())
        mine = checks.filtered(lambda check: check.company_id == self.company)
        self.assertEqual(mine.difference, -5.0)
        # Each check has the figures of one computed at once, for its company.
        for check in checks:
            again = Reconciliation.with_company(check.company_id)._run_company_check(
                check.company_id
            )
            self.assertEqual(self._figures(again), self._figures(check))
