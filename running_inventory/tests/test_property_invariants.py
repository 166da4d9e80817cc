"""The invariants of the accounting contract hold after every step of random sequences of
purchases, bills, sales, invoices, returns, counts, scraps, cost and category changes, across
the three cost methods. The default run is short; PERPETUAL_HYPOTHESIS_EXAMPLES raises it,
e.g. 200."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from .common_property import EXAMPLES, PropertyScenarioCommon, cost_methods, movement_steps

operations = st.lists(st.one_of(*movement_steps), min_size=4, max_size=12)


@tagged("post_install", "-at_install")
class TestPropertyInvariants(PropertyScenarioCommon):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    @given(cost_method=cost_methods, steps=operations)
    def test_invariants_hold_after_every_step(self, cost_method, steps):
        self._run_example(cost_method, steps)

    def test_short_product_through_categories(self):
        for cost_method in ("standard", "average", "fifo"):
            with self.subTest(cost_method=cost_method), self.env.cr.savepoint() as savepoint:
                self._run_scenario(
                    cost_method,
                    [
                        ("deliver", 2),
                        ("bill", 0, 1.0),
                        ("vendor_return", 0, 1),
                        ("deliver", 6),
                        ("scrap", 1),
                        ("vendor_return", 0, 1),
                        ("cost", 1.37),
                        ("recategorise", "fifo", False),
                        ("count", 2),
                        ("recategorise", "standard", True),
                        ("recategorise", "average", True),
                        ("deliver", 5),
                    ],
                )
                savepoint.rollback()
                self.env.invalidate_all()

    def test_bill_after_a_category_change(self):
        """Found by the property test: a receipt posted on one stock account, the product moved
        to a category with another, then a bill: the receipt's quantity is on the books
        already, on the former account, and is not posted again."""
        self._run_example(
            "standard",
            [
                ("count", 2),
                ("cost", 36.63),
                ("receive", 4, 5.77),
                ("scrap", 1),
                ("recategorise", "standard", True),
                ("vendor_return", 1, 3),
                ("bill", 4, 1.11),
                ("cost", 1.84),
            ],
        )
