from odoo.tests import tagged

from .common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestCategoryChange(PerpetualValuationCommon):
    """A product that changes category, or whose category changes stock account, takes what
    the books hold of it to the new account at once; a product that enters the perpetual
    valuation gets its opening entry then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.company.account_stock_valuation_id
        cls.stock_raw = cls.stock.copy({"code": "110150", "name": "Stock of raw materials"})
        cls.category_raw = cls.env["product.category"].create(
            {
                "name": "Raw materials",
                "property_cost_method": "average",
                "property_valuation": "perpetual",
                "property_stock_valuation_account_id": cls.stock_raw.id,
            }
        )
        cls.variation = cls.stock.account_stock_variation_id

    def _category_entry(self, product):
        return (
            self.env["account.move.line"]
            .search(
                [
                    ("product_id", "=", product.id),
                    ("move_id.ref", "=", "Change of product category"),
                ]
            )
            .move_id
        )

    def test_product_moved_to_a_category_with_another_stock_account(self):
        product = self._create_product("average", name="Copper wire")
        self._make_in_move(product, 10, 10.0)
        product.categ_id = self.category_raw
        entry = self._category_entry(product)
        self.assertEqual(entry.state, "posted")
        self.assertLines(entry.line_ids, [(self.stock_raw, 100, 0, 10), (self.stock, 0, 100, -10)])
        self.assertEqual(entry.journal_id, self.company.account_stock_journal_id)
        # The next delivery leaves from the new account; nothing is left on the old one.
        out = self._make_out_move(product, 4)
        self.assertMovementEntry(out, [(self.account_gdni, 40, 0, 4), (self.stock_raw, 0, 40, -4)])
        old_lines = self._stock_lines(product).filtered(lambda line: line.account_id == self.stock)
        self.assertEqual(sum(old_lines.mapped("balance")), 0.0)
        self.assertEqual(sum(old_lines.mapped("quantity")), 0.0)
        self.assertBooksHold(product)

    def test_category_changes_its_stock_account(self):
        category = self.category_perpetual["fifo"].copy({"name": "Cables"})
        product = self._create_product("fifo", name="Cable", categ_id=category.id)
        self._make_in_move(product, 5, 8.0)
        category.property_stock_valuation_account_id = self.stock_raw
        self.assertLines(
            self._category_entry(product).line_ids,
            [(self.stock_raw, 40, 0, 5), (self.stock, 0, 40, -5)],
        )
        self.assertBooksHold(product)

    def test_product_moved_to_another_cost_method(self):
        product = self._create_product("average", name="Brass fitting")
        self._make_in_move(product, 10, 10.0)
        self._make_in_move(product, 10, 20.0)
        self._make_out_move(product, 10)  # 10 left at an average of 15
        product.categ_id = self.category_perpetual["fifo"]
        # FIFO values the 10 left at the last receipt's 20: the stock account follows at once,
        # against stock variation.
        self.assertEqual(product.total_value, 200.0)
        self.assertLines(
            self._category_entry(product).line_ids,
            [(self.stock, 50, 0, 0), (self.variation, 0, 50, 0)],
        )
        self.assertBooksHold(product)

    def test_product_enters_the_perpetual_valuation_with_its_opening(self):
        periodic = self.env["product.category"].create(
            {
                "name": "Periodic",
                "property_cost_method": "average",
                "property_valuation": "periodic",
            }
        )
        product = self._create_product("average", name="Periodic bolt", categ_id=periodic.id)
        receipt = self._make_in_move(product, 6, 5.0)
        self.assertFalse(receipt.account_move_id, "periodic: nothing posted at the movement")
        product.categ_id = self.category_raw
        self.assertLines(
            self._category_entry(product).line_ids,
            [(self.stock_raw, 30, 0, 6), (self.variation, 0, 30, 0)],
        )
        out = self._make_out_move(product, 2)
        self.assertMovementEntry(out, [(self.account_gdni, 10, 0, 2), (self.stock_raw, 0, 10, -2)])
        lines = self._stock_lines(product)
        self.assertEqual(sum(lines.mapped("balance")), product.total_value)
        self.assertEqual(sum(lines.mapped("quantity")), product.qty_available)
        self.assertEqual(self.company._action_close_stock_valuation(), [])

    def test_category_change_without_stock_posts_nothing(self):
        product = self._create_product("average", name="Never received")
        product.categ_id = self.category_raw
        self.assertFalse(self._category_entry(product))

    def test_never_received_fifo_product_moved_to_average_then_sold_short(self):
        """Found by the property test: a FIFO product never received has no stock anywhere
        when it moves to an average category; sold short after that, Odoo values it at the
        cost it carried (10), as the books do, not at an empty average of 0."""
        product = self._create_product("fifo", name="Never received, then average")
        with self._moment():
            product.categ_id = self.category_perpetual["average"]
        carried = self.env["product.value"].search([("product_id", "=", product.id)])
        self.assertEqual(carried.mapped("value"), [10.0])
        delivery = self._make_out_move(product, 3)
        self.assertMovementEntry(
            delivery, [(self.account_gdni, 30, 0, 3), (self.stock, 0, 30, -3)], product
        )
        self.assertEqual(product.total_value, -30.0)
        self.assertBooksHold(product)

    _initial_method = "standard"

    def test_negative_stock_through_categories_of_each_cost_method(self):
        """Found by the property test: a product sold short, then moved to FIFO, to standard
        and to average, each with its own stock account; a delivery after that leaves the
        books on Odoo's value."""
        stock_standard = self.stock.copy({"code": "110191", "name": "Stock at standard"})
        stock_average = self.stock.copy({"code": "110192", "name": "Stock at average"})
        standard = self.category_perpetual["standard"].copy(
            {
                "name": "Standard, own account",
                "property_stock_valuation_account_id": stock_standard.id,
            }
        )
        average = self.category_perpetual["average"].copy(
            {
                "name": "Average, own account",
                "property_stock_valuation_account_id": stock_average.id,
            }
        )
        product = self._create_product(self._initial_method, name="Short product")
        self._make_out_move(product, 2)
        self._make_out_move(product, 6)
        self._scrap(product, 1)
        with self._moment():
            product.standard_price = 1.37
        self.assertBooksHold(product)
        for category in (self.category_perpetual["fifo"], standard, average):
            with self._moment():
                product.categ_id = category
            self.assertBooksHold(product)
        self._make_out_move(product, 5)
        self.assertBooksHold(product)
