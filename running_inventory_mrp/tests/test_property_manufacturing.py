"""The invariants of the accounting contract hold after every step of random sequences of
the core's movements of a component with manufacturing orders and unbuilds of a product made
of it, whatever the finished product's cost method; every done order leaves nothing on WIP."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.tests import tagged

from odoo.addons.running_inventory.tests.common_property import (
    EXAMPLES,
    PropertyScenarioCommon,
    cost_methods,
    movement_steps,
    quantities,
)

from .common import ManufacturingFactories

operations = st.lists(
    st.one_of(
        *movement_steps,
        st.tuples(st.just("manufacture"), quantities),
        st.tuples(st.just("unbuild"), st.integers(0, 5), st.integers(1, 3)),
    ),
    min_size=4,
    max_size=12,
)


@tagged("post_install", "-at_install")
class TestPropertyManufacturing(ManufacturingFactories, PropertyScenarioCommon):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    @given(cost_method=cost_methods, finished_method=cost_methods, steps=operations)
    def test_invariants_hold_with_manufacturing(self, cost_method, finished_method, steps):
        self.finished_method = finished_method
        self._run_example(cost_method, steps)

    def _run_scenario(self, cost_method, steps):
        self.productions = []
        self.finished = self._create_product(
            self.finished_method, name="Made product", standard_price=30.0
        )
        self.bom = None
        return super()._run_scenario(cost_method, steps)

    def _assert_scenario_books(self, product):
        result = super()._assert_scenario_books(product)
        self.assertBooksHold(self.finished)
        wip = self.company.account_production_wip_account_id
        for production in self.productions:
            lines = self.env["account.move.line"].search(
                [
                    ("account_id", "=", wip.id),
                    ("parent_state", "=", "posted"),
                    "|",
                    ("stock_move_id", "in", production.move_raw_ids.ids),
                    "|",
                    ("stock_move_id", "in", production.move_finished_ids.ids),
                    ("move_id", "=", production.valuation_variance_move_id.id),
                ]
            )
            self.assertAlmostEqual(
                sum(lines.mapped("balance")), 0.0, places=2, msg=f"WIP of {production.name}"
            )
        return result

    def _step_manufacture(self, product, quantity):
        if not self.bom:
            self.bom = self.env["mrp.bom"].create(
                {
                    "product_tmpl_id": self.finished.product_tmpl_id.id,
                    "product_qty": 1.0,
                    "bom_line_ids": [Command.create({"product_id": product.id, "product_qty": 2})],
                }
            )
        production = self._produce(self.bom, quantity)
        self.productions.append(production)

    def _step_unbuild(self, product, index, quantity):
        on_hand = self.finished.with_context(location=self.stock_location.id).qty_available
        if not self.productions or on_hand < quantity:
            return
        production = self.productions[index % len(self.productions)]
        quantity = min(quantity, production.qty_produced)
        unbuild = self.env["mrp.unbuild"].create(
            {
                "product_id": self.finished.id,
                "mo_id": production.id,
                "product_qty": quantity,
                "product_uom_id": self.finished.uom_id.id,
            }
        )
        with self._moment():
            unbuild.action_unbuild()
