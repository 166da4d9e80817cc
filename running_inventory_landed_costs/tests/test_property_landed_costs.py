"""The invariants of the accounting contract hold after every step of random sequences of
the core's movements with landed costs validated on random receipts among them."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from odoo.addons.running_inventory.tests.common_property import (
    EXAMPLES,
    PropertyScenarioCommon,
    movement_steps,
    prices,
)

from .common import LandedCostFactories

operations = st.lists(
    st.one_of(*movement_steps, st.tuples(st.just("landed_cost"), st.integers(0, 5), prices)),
    min_size=4,
    max_size=12,
)


@tagged("post_install", "-at_install")
class TestPropertyLandedCosts(LandedCostFactories, PropertyScenarioCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_freight()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    # Odoo applies landed costs to AVCO and FIFO products only.
    @given(cost_method=st.sampled_from(["average", "fifo"]), steps=operations)
    def test_invariants_hold_with_landed_costs(self, cost_method, steps):
        self._run_example(cost_method, steps)

    def _step_landed_cost(self, product, index, amount):
        receipts = [
            picking
            for order in self.purchases
            for picking in order.picking_ids
            if picking.state == "done" and picking.picking_type_id.code == "incoming"
        ]
        if not receipts or product.cost_method == "standard":
            return
        self._landed_cost(receipts[index % len(receipts)], amount)
