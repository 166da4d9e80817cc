"""Random sequences of purchases, bills, sales, invoices, returns, counts, scraps, cost
changes and category changes, across the three cost methods, for property tests: the
invariants of the accounting contract must hold after every step. The bridges add their own
steps (landed costs, manufacturing orders) to these."""

import os

from hypothesis import strategies as st

from .common import PerpetualValuationCommon

EXAMPLES = int(os.environ.get("PERPETUAL_HYPOTHESIS_EXAMPLES", "8"))

prices = st.decimals(min_value="0.50", max_value="40.00", places=2).map(float)
quantities = st.integers(min_value=1, max_value=9)
cost_methods = st.sampled_from(["standard", "average", "fifo"])
movement_steps = (
    st.tuples(st.just("receive"), quantities, prices),
    st.tuples(st.just("bill"), st.integers(0, 5), prices),
    st.tuples(st.just("deliver"), quantities),
    st.tuples(st.just("invoice"), st.integers(0, 5)),
    st.tuples(st.just("customer_return"), st.integers(0, 5), quantities),
    st.tuples(st.just("vendor_return"), st.integers(0, 5), quantities),
    st.tuples(st.just("count"), st.integers(-3, 3)),
    st.tuples(st.just("scrap"), st.integers(1, 2)),
    st.tuples(st.just("cost"), prices),
    st.tuples(st.just("recategorise"), cost_methods, st.booleans()),
)


class PropertyScenarioCommon(PerpetualValuationCommon):
    """Runs a scenario, a list of steps ("name", *arguments) calling `_step_<name>`, on a new
    product, and checks the books after each step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Categories of each cost method with a stock account of their own, for the steps that
        # move the product between categories.
        stock = cls.company.account_stock_valuation_id
        cls.category_own_account = {
            cost_method: cls.category_perpetual[cost_method].copy(
                {
                    "name": f"Perpetual {cost_method}, own stock account",
                    "property_stock_valuation_account_id": stock.copy(
                        {"code": f"11019{index}", "name": f"Stock at {cost_method}"}
                    ).id,
                }
            )
            for index, cost_method in enumerate(("standard", "average", "fifo"))
        }

    def _run_scenario(self, cost_method, steps):
        product = self._create_product(cost_method, standard_price=10.0)
        self.purchases, self.sales = [], []
        for step in steps:
            getattr(self, f"_step_{step[0]}")(product, *step[1:])
            self._assert_scenario_books(product)

    def _run_example(self, cost_method, steps):
        """One example in a savepoint rolled back at the end, on its own product."""
        with self.env.cr.savepoint(flush=False) as savepoint:
            try:
                self._run_scenario(cost_method, steps)
            finally:
                savepoint.rollback()
                self.env.invalidate_all()

    def _assert_scenario_books(self, product):
        self.assertBooksHold(
            product,
            self.env["purchase.order"].union(*self.purchases).order_line,
            self.env["sale.order"].union(*self.sales).order_line,
        )

    def _step_receive(self, product, quantity, price):
        order = self._purchase(product, quantity, price)
        self._receive(order)
        self.purchases.append(order)

    def _step_bill(self, product, index, price):
        if not self.purchases:
            return
        order = self.purchases[index % len(self.purchases)]
        line = order.order_line
        to_bill = line.qty_received - line._get_perpetual_posted_invoiced_quantity()
        if to_bill > 0 and not order.invoice_ids.filtered(lambda m: m.state == "draft"):
            self._bill(order, quantity=to_bill, price_unit=price)

    def _step_deliver(self, product, quantity):
        order = self._sell(product, quantity)
        self._deliver(order)
        self.sales.append(order)

    def _step_invoice(self, product, index):
        if not self.sales:
            return
        order = self.sales[index % len(self.sales)]
        line = order.order_line
        if line.qty_delivered - line._get_perpetual_posted_invoiced_quantity() > 0:
            self._invoice(order)

    def _step_customer_return(self, product, index, quantity):
        if self.sales:
            self._return_some(self.sales[index % len(self.sales)], quantity, "outgoing")

    def _step_vendor_return(self, product, index, quantity):
        if self.purchases:
            self._return_some(self.purchases[index % len(self.purchases)], quantity, "incoming")

    def _return_some(self, order, quantity, picking_code):
        picking = order.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_id.code == picking_code
        )[:1]
        returnable = picking.move_ids.quantity - sum(
            picking.move_ids.returned_move_ids.filtered(lambda m: m.state == "done").mapped(
                "quantity"
            )
        )
        if picking and returnable > 0:
            self._return(picking, min(quantity, returnable))

    def _step_count(self, product, delta):
        on_hand = product.with_context(location=self.stock_location.id).qty_available
        if delta and on_hand + delta >= 0:
            self._count(product, on_hand + delta)

    def _step_scrap(self, product, quantity):
        self._scrap(product, quantity)

    def _step_cost(self, product, price):
        if product.cost_method != "fifo":
            with self._moment():
                product.standard_price = price

    def _step_recategorise(self, product, cost_method, own_account):
        categories = self.category_own_account if own_account else self.category_perpetual
        with self._moment():
            product.categ_id = categories[cost_method]
