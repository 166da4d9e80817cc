from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestLedger(LedgerCommon):
    """The running stock ledger: running balances that are Odoo's own quantity and value at
    every date, per product, location and lot; the books behind each row; who may see what."""

    def assertRunningBalancesHold(self, product, days=6):
        """At the end of each day, the last row of the product gives Odoo's ``to_date``
        quantity and value, and so do the sums of the rows up to then."""
        for days_ago in range(days, -1, -1):
            at = self._end_of_day(days_ago)
            quantity, value = self._odoo_stock(product, at)
            rows = self._ledger(product, at)
            msg = f"{product.name} at {at}"
            self.assertAlmostEqual(sum(rows.mapped("quantity")), quantity, places=4, msg=msg)
            self.assertAlmostEqual(sum(rows.mapped("value")), value, places=2, msg=msg)
            if rows:
                self.assertAlmostEqual(rows[-1].running_quantity, quantity, places=4, msg=msg)
                self.assertAlmostEqual(rows[-1].running_value, value, places=2, msg=msg)

    def test_running_balances_standard(self):
        product = self._create_product_before("standard", "Ledger standard")
        self._history_without_cost_moves(product)
        self.assertRunningBalancesHold(product)

    def test_running_balances_average(self):
        product = self._create_product_before("average", "Ledger average")
        self._history_without_cost_moves(product)
        self.assertRunningBalancesHold(product)

    def test_running_balances_fifo(self):
        product = self._create_product_before("fifo", "Ledger fifo")
        self._history_without_cost_moves(product)
        self.assertRunningBalancesHold(product)

    def test_rows_of_a_purchase_and_a_sale(self):
        """Each row says what happened, with the entry that posted it; the bill's
        re-valuation is a row of its own, when it was posted, with no quantity."""
        product = self._create_product_before("average", "Ledger rows")
        with self._on_day(2):
            order = self._purchase(product, 10, 16.0)
            receipt = self._receive(order)
        with self._on_day(1):
            self._bill_now(order, price_unit=17.0)
            delivery = self._deliver(self._sell(product, 4))
        rows = self._ledger(product)
        self.assertEqual(
            [
                (
                    row.row_type,
                    row.reference,
                    row.quantity_in,
                    row.quantity_out,
                    row.running_quantity,
                    row.value_in,
                    row.value_out,
                    row.running_value,
                    row.unit_cost,
                )
                for row in rows
            ],
            [
                ("movement", receipt.name, 10, 0, 10, 160, 0, 160, 16),
                ("revaluation", receipt.name, 0, 0, 10, 10, 0, 170, 17),
                ("movement", delivery.name, 0, 4, 6, 0, 68, 102, 17),
            ],
        )
        self.assertEqual(rows[0].account_move_id, receipt.move_ids.account_move_id)
        self.assertEqual(rows[0].partner_id, self.vendor)
        self.assertEqual(rows[0].location_id, self.stock_location)
        self.assertEqual(rows[0].location_src_id, self.supplier_location)
        self.assertEqual(rows[0].stock_move_id, receipt.move_ids)
        self.assertEqual(rows[0].user_id, self.env.user)
        self.assertEqual(rows[2].partner_id, self.customer)
        self.assertEqual(rows[2].location_dest_id, self.customer_location)
        revaluation = receipt.move_ids.valuation_line_ids.filtered(
            lambda line: (
                line.stock_valuation_kind == "revaluation"
                and line.account_id == self.account_stock_valuation
            )
        )
        self.assertEqual(rows[1].account_move_id, revaluation.move_id)
        self.assertEqual(rows[1].stock_move_id, receipt.move_ids)

    def test_running_quantity_per_location(self):
        """An internal transfer is two rows: out of one location, into the other; each
        location has its running quantity, the product's is unchanged."""
        product = self._create_product_before("average", "Ledger transfer")
        shelf = self.env["stock.location"].create(
            {"name": "Shelf 1", "location_id": self.stock_location.id, "usage": "internal"}
        )
        with self._on_day(2):
            self._make_in_move(product, 10, unit_cost=5.0)
        with self._on_day(1):
            self._move(product, 4, self.stock_location, shelf)
        rows = self._ledger(product)
        self.assertEqual(
            [
                (row.location_id, row.quantity, row.running_quantity, row.running_quantity_location)
                for row in rows
            ],
            [
                (self.stock_location, 10, 10, 10),
                (self.stock_location, -4, 6, 6),
                (shelf, 4, 10, 4),
            ],
        )
        self.assertEqual(rows.mapped("value"), [50, 0, 0])
        self.assertEqual(rows[-1].running_value, 50)

    def test_running_quantity_per_lot(self):
        product = self._create_product_before("fifo", "Ledger lots", tracking="lot")
        lot_a, lot_b = self.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in ("LOT-A", "LOT-B")]
        )
        with self._on_day(2):
            self._make_in_move(product, 6, unit_cost=3.0, lot_ids=[lot_a, lot_b])
        with self._on_day(1):
            self._make_out_move(product, 2, lot_ids=[lot_a])
        rows = self._ledger(product)
        self.assertEqual(
            sorted((row.lot_id.name, row.quantity, row.running_quantity_lot) for row in rows),
            [("LOT-A", -2, 1), ("LOT-A", 3, 3), ("LOT-B", 3, 3)],
        )
        self.assertEqual(rows[-1].running_quantity, 4)
        self.assertAlmostEqual(rows[-1].running_value, 12)

    def test_products_not_in_perpetual_valuation_carry_odoo_move_values(self):
        category = self.env["product.category"].create(
            {
                "name": "Periodic",
                "property_cost_method": "average",
                "property_valuation": "periodic",
            }
        )
        product = self._create_product_before("average", "Ledger periodic", categ_id=category.id)
        with self._on_day(2):
            self._make_in_move(product, 10, unit_cost=5.0)
        with self._on_day(1):
            self._make_out_move(product, 3)
        rows = self._ledger(product)
        self.assertFalse(rows.account_move_id)
        self.assertEqual(rows.mapped("value"), [50, -15])
        self.assertEqual(rows[-1].running_value, 35)
        self.assertEqual(product.total_value, 35)

    def test_bulk_reads_give_the_rows_of_the_running_view(self):
        """Totals, counts and a page read the rows without the running columns
        (running_inventory_ledger_row): the same rows and values as the running view; a page's
        running balances are those of the whole history."""
        products = self._create_product_before("average", "Ledger bulk")
        products |= self._create_product_before("fifo", "Ledger bulk lots", tracking="lot")
        lot = self.env["stock.lot"].create({"name": "BULK-A", "product_id": products[1].id})
        with self._on_day(3):
            order = self._purchase(products[0], 10, 16.0)
            self._receive(order)
            self._make_in_move(products[1], 6, unit_cost=3.0, lot_ids=[lot])
        with self._on_day(2):
            self._bill_now(order, price_unit=17.0)
            self._deliver(self._sell(products[0], 4))
        with self._on_day(1):
            self._make_out_move(products[1], 2, lot_ids=[lot])
        columns = SQL(
            "id, company_id, date, sequence, reference, name, row_type, product_id, "
            "product_tmpl_id, categ_id, uom_id, lot_id, location_id, location_src_id, "
            "location_dest_id, partner_id, stock_move_id, picking_id, user_id, quantity, "
            "quantity_in, quantity_out, value, value_in, value_out, account_move_id, account_id"
        )
        rows = {
            view: self.env.execute_query(
                SQL(
                    "SELECT %s FROM %s WHERE product_id = ANY(%s) ORDER BY id",
                    columns,
                    SQL.identifier(view),
                    products.ids,
                )
            )
            for view in ("running_inventory_ledger", "running_inventory_ledger_row")
        }
        self.assertEqual(len(rows["running_inventory_ledger"]), 5)
        self.assertEqual(rows["running_inventory_ledger_row"], rows["running_inventory_ledger"])
        Ledger = self.env["running.inventory.ledger"]
        domain = [("product_id", "in", products.ids)]
        fnames = ["quantity", "value", "running_quantity", "running_value", "running_quantity_lot"]
        history = Ledger.search_read(domain, fnames)
        self.env.invalidate_all()
        self.assertEqual(Ledger.search_read(domain, fnames, limit=3), history[:3])
        self.assertEqual(Ledger.search_read(domain, fnames, offset=3, limit=3), history[3:])
        self.assertEqual(Ledger.search_count(domain), 5)
        totals = Ledger._read_group(domain, ["product_id"], ["quantity:sum", "value:sum"])
        self.assertEqual(
            [(product, quantity, value) for product, quantity, value in totals],
            [(products[0], 6, 6 * 17), (products[1], 4, 12)],
        )

    def test_reading_the_ledger_leaves_the_jit_setting_as_it_was(self):
        """The ledger reads without PostgreSQL's JIT, and puts the setting back."""
        self.env.cr.execute(SQL("SET LOCAL jit = on"))
        product = self._create_product_before("average", "Ledger jit")
        self._make_in_move(product, 2, unit_cost=3.0)
        Ledger = self.env["running.inventory.ledger"]
        rows = Ledger.search([("product_id", "=", product.id)])
        Ledger._read_group([("product_id", "=", product.id)], ["product_id"], ["quantity:sum"])
        Ledger.search_count([("product_id", "=", product.id)])
        self.env.invalidate_all()
        self.assertEqual(rows.running_value, 6)
        self.assertEqual(self.env.execute_query(SQL("SHOW jit")), [("on",)])

    def test_product_form_opens_its_ledger(self):
        product = self._create_product_before("average", "Ledger button")
        with self._on_day(1):
            self._make_in_move(product, 1, unit_cost=5.0)
        for record in (product, product.product_tmpl_id):
            action = record.action_open_running_ledger()
            self.assertEqual(action["res_model"], "running.inventory.ledger")
            rows = self.env["running.inventory.ledger"].search(action["domain"])
            self.assertEqual(rows.product_id, product)

    def test_stock_users_see_quantities_accountants_see_values(self):
        product = self._create_product_before("average", "Ledger rights")
        with self._on_day(1):
            self._make_in_move(product, 3, unit_cost=5.0)
        Ledger = self.env["running.inventory.ledger"]
        domain = [("product_id", "=", product.id)]
        rows = Ledger.with_user(self.stock_user).search_read(
            domain, ["quantity", "running_quantity", "product_id"]
        )
        self.assertEqual([(row["quantity"], row["running_quantity"]) for row in rows], [(3, 3)])
        for field_name in ("value", "running_value", "unit_cost", "account_move_id"):
            with self.assertRaises(AccessError):
                Ledger.with_user(self.stock_user).search_read(domain, [field_name])
        self.assertNotIn("running_value", Ledger.with_user(self.stock_user).fields_get())
        rows = Ledger.with_user(self.accountant).search_read(
            domain, ["running_value", "account_move_id"]
        )
        self.assertEqual(rows[0]["running_value"], 15)
        self.assertTrue(rows[0]["account_move_id"])

    def test_company_isolation(self):
        other = self.other_company
        self.env.user.company_ids = [Command.link(other.id)]
        product = self._create_product_before("average", "Ledger shared")
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)], limit=1)
        self._move(product, 7, self.supplier_location, warehouse.lot_stock_id, company=other)
        self._move(product, 2, self.supplier_location, self.stock_location)
        Ledger = self.env["running.inventory.ledger"]
        domain = [("product_id", "=", product.id)]
        both = Ledger.with_context(allowed_company_ids=[self.company.id, other.id]).search(domain)
        self.assertEqual(both.company_id, self.company | other)
        # Each company has its own running balance for the product.
        self.assertEqual(sorted(both.mapped("running_quantity")), [2, 7])
        # A user of one company sees that company's rows only.
        rows = Ledger.with_user(self.stock_user).search(domain)
        self.assertEqual((rows.company_id, rows.quantity), (self.company, 2))
