from odoo.tests import tagged

from ..models import running_inventory_valuation as valuation_module
from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestStockValuationAtDate(LedgerCommon):
    """running.inventory.valuation gives Odoo's own ``to_date`` quantity and value, for every
    cost method, at every day of a history with bills re-valuing receipts, a bill dated after
    the receipt's day, changes of cost, counts, returns and scraps."""

    def _check_every_day(self, products, days=6):
        for days_ago in range(days, -1, -1):
            self.assertStockAtDate(products, self._end_of_day(days_ago))

    def test_standard(self):
        product = self._create_product_before("standard", "Standard at date")
        self._history(product)
        self._check_every_day(product)

    def test_average(self):
        product = self._create_product_before("average", "Average at date")
        self._history(product)
        self._check_every_day(product)

    def test_fifo(self):
        product = self._create_product_before("fifo", "Fifo at date")
        self._history(product)
        self._check_every_day(product)

    def test_many_products_at_once(self):
        products = self.env["product.product"]
        for cost_method in ("standard", "average", "fifo"):
            products |= self._create_product_before(cost_method, f"Batch {cost_method}")
        for product in products:
            self._history(product)
        self._check_every_day(products)

    def test_many_products_in_chunks(self):
        """The moves are read in one pass, a chunk at a time (bounded memory): chunks of one
        move, each product's moves spread over several, give Odoo's own figures too; with
        the default chunk, valuing three products costs the queries of one (a FIFO one:
        FIFO products have a query of their own, for consigned goods)."""
        products = self.env["product.product"]
        for cost_method in ("standard", "average", "fifo"):
            products |= self._create_product_before(cost_method, f"Chunked {cost_method}")
        for product in products:
            self._history(product)
        Valuation = self.env["running.inventory.valuation"]
        at = self._end_of_day(1)
        Valuation._get_stock_at_date(self.company, at, products)
        queries = self.env.cr.sql_log_count
        Valuation._get_stock_at_date(self.company, at, products[2:])
        one = self.env.cr.sql_log_count - queries
        queries = self.env.cr.sql_log_count
        Valuation._get_stock_at_date(self.company, at, products)
        self.assertEqual(self.env.cr.sql_log_count - queries, one)
        self.patch(valuation_module, "STOCK_AT_DATE_CHUNK", 1)
        self._check_every_day(products, days=2)

    def test_planner_settings_are_set_back(self):
        """Stock at Date turns PostgreSQL's JIT off and plans its cursor for the whole result;
        the transaction's settings are as they were afterwards."""
        product = self._create_product_before("fifo", "Settings at date")
        self._history(product)
        cr = self.env.cr
        cr.execute("SET LOCAL jit = on")
        cr.execute("SET LOCAL cursor_tuple_fraction = 0.25")
        stocks = self.env["running.inventory.valuation"]._get_stock_at_date(
            self.company, self._end_of_day(1), product
        )
        self.assertIn(product.id, stocks)
        cr.execute("SELECT current_setting('jit'), current_setting('cursor_tuple_fraction')")
        self.assertEqual(cr.fetchone(), ("on", "0.25"))

    def test_negative_stock(self):
        """Delivered before received: Odoo's replay takes the receipt's cost once stock is
        back; FIFO values a negative quantity at the last receipt's price."""
        products = self.env["product.product"]
        for cost_method in ("average", "fifo"):
            product = self._create_product_before(cost_method, f"Negative {cost_method}")
            with self._on_day(3):
                self._make_in_move(product, 2, unit_cost=10.0)
            with self._on_day(2):
                self._make_out_move(product, 5)
            with self._on_day(1):
                self._make_in_move(product, 6, unit_cost=14.0)
            products |= product
        self._check_every_day(products, days=4)

    def test_products_valued_by_lot(self):
        """Valued by lot: Odoo computes them itself (the sum of its lots' values)."""
        product = self._create_product_before(
            "fifo", "Lot valued", tracking="lot", lot_valuated=True
        )
        lot_a, lot_b = self.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in ("LV-A", "LV-B")]
        )
        with self._on_day(2):
            self._make_in_move(product, 4, unit_cost=3.0, lot_ids=[lot_a, lot_b])
        with self._on_day(1):
            self._make_in_move(product, 2, unit_cost=6.0, lot_ids=[lot_b])
            self._make_out_move(product, 1, lot_ids=[lot_a])
        self._check_every_day(product, days=3)

    def test_default_products_are_those_moved_by_the_company(self):
        moved = self._create_product_before("average", "Moved")
        idle = self._create_product_before("average", "Idle")
        with self._on_day(1):
            self._make_in_move(moved, 3, unit_cost=7.0)
        stocks = self.env["running.inventory.valuation"]._get_stock_at_date(
            self.company, self._end_of_day(0)
        )
        self.assertIn(moved.id, stocks)
        self.assertNotIn(idle.id, stocks)
        self.assertEqual((stocks[moved.id].quantity, stocks[moved.id].value), (3, 21))
        self.assertFalse(
            self.env["running.inventory.valuation"]._get_stock_at_date(
                self.company, self._end_of_day(2)
            )
        )
