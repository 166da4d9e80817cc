from odoo import Command
from odoo.tests import tagged

from odoo.addons.running_inventory.tests.common import PerpetualValuationCommon


@tagged("post_install", "-at_install")
class TestPerpetualSubcontracting(PerpetualValuationCommon):
    """A subcontracted receipt: stock (Odoo's value of the finished move) against GRNI for the
    subcontractor's service and the components consumed from the subcontractor's location."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.account_stock_valuation
        cls.wip = cls.company.account_production_wip_account_id
        cls.subcontractor = cls.env["res.partner"].create(
            {"name": "Subcontractor", "company_id": cls.company.id}
        )
        cls.component = cls._create_product("average", name="Component")
        cls.finished = cls._create_product("average", name="Subcontracted table")
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.finished.product_tmpl_id.id,
                "product_qty": 1.0,
                "type": "subcontract",
                "subcontractor_ids": [Command.link(cls.subcontractor.id)],
                "bom_line_ids": [
                    Command.create({"product_id": cls.component.id, "product_qty": 3.0})
                ],
            }
        )

    def _resupply(self, quantity):
        """Send components to the subcontractor: stock to the subcontracting location."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.subcontracting_resupply_type_id.id,
                "partner_id": self.subcontractor.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.company.subcontracting_location_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.component.id,
                            "product_uom_qty": quantity,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.company.subcontracting_location_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return self._validate(picking)

    def _subcontract(self, quantity, price_unit):
        """Buy the finished product from the subcontractor and receive it."""
        order = self._purchase(self.finished, quantity, price_unit, partner=self.subcontractor)
        receipt = self._receive(order)
        production = receipt.move_ids.move_orig_ids.production_id
        self.assertEqual(production.state, "done")
        return order, receipt, production

    def _wip_balance(self, production):
        """What the order's moves and its variance entry leave on WIP."""
        moves = production.move_raw_ids | production.move_finished_ids
        variance = production.valuation_variance_move_id.line_ids.filtered(
            lambda line: line.account_id == self.wip
        )
        on_moves = production._get_perpetual_wip_balance(moves, self.wip)
        return round(on_moves + sum(variance.mapped("balance")), 2)

    def _stock_components(self):
        order = self._purchase(self.component, 10, 11.0)
        self._receive(order)
        resupply = self._resupply(3)
        # Components sent to the subcontractor stay on the books: nothing posts.
        self.assertFalse(resupply.move_ids.account_move_id)
        return order

    def test_receipt_credits_the_service_on_grni_and_the_components(self):
        """3 components at 11 sent to the subcontractor, a table bought for a service of 90:
        stock 123 against GRNI 90 (the purchase line's) and the components' 33, which WIP
        received from the subcontractor's location."""
        order = self._stock_components()
        po, receipt, production = self._subcontract(1, 90.0)
        self.assertMovementEntry(
            production.move_raw_ids, [(self.wip, 33, 0, 3), (self.stock, 0, 33, -3)]
        )
        self.assertEqual(
            production.move_raw_ids.location_id, self.company.subcontracting_location_id
        )
        entry = self.assertMovementEntry(
            production.move_finished_ids,
            [(self.stock, 123, 0, 1), (self.wip, 0, 33, -1), (self.account_grni, 0, 90, -1)],
        )
        grni_line = entry.line_ids.filtered(lambda line: line.account_id == self.account_grni)
        self.assertEqual(grni_line.interim_purchase_line_id, po.order_line)
        self.assertEqual(grni_line.partner_id, self.subcontractor)
        # The receipt itself moves the table within the valued stock: no entry of its own.
        self.assertFalse(receipt.move_ids.account_move_id)
        self.assertFalse(production.valuation_variance_move_id)
        self.assertEqual(self._wip_balance(production), 0)
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=po.order_line), -90
        )
        bill = self._bill(po)
        self.assertLines(
            bill.line_ids.filtered(lambda line: line.account_id == self.account_grni),
            [(self.account_grni, 90, 0, 1)],
        )
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=po.order_line), 0
        )
        self.assertBooksHold(self.component | self.finished, order.order_line | po.order_line)

    def test_standard_cost_receipt_variance_on_wip(self):
        """A table at a standard 150: stock 150, GRNI 90 for the service; WIP takes the rest
        (60) against the 33 of components and the order's variance clears the 27 left."""
        self.finished.categ_id = self.category_perpetual["standard"]
        self.finished.standard_price = 150.0
        order = self._stock_components()
        po, _receipt, production = self._subcontract(1, 90.0)
        self.assertMovementEntry(
            production.move_finished_ids,
            [(self.stock, 150, 0, 1), (self.wip, 0, 60, -1), (self.account_grni, 0, 90, -1)],
        )
        self.assertLines(
            production.valuation_variance_move_id.line_ids,
            [(self.wip, 27, 0, 0), (self.account_price_diff, 0, 27, 0)],
        )
        self.assertEqual(self._wip_balance(production), 0)
        self._bill(po)
        self.assertBooksHold(self.component | self.finished, order.order_line | po.order_line)

    def test_second_receipt_posts_its_own_service(self):
        """Two receipts of one purchase line: each credits its share of the service."""
        order = self._purchase(self.component, 10, 11.0)
        self._receive(order)
        self._resupply(6)
        po = self._purchase(self.finished, 2, 90.0, partner=self.subcontractor)
        receipt = self._validate(po.picking_ids, 1)
        first = receipt.move_ids.move_orig_ids.production_id
        self.assertMovementEntry(
            first.move_finished_ids,
            [(self.stock, 123, 0, 1), (self.wip, 0, 33, -1), (self.account_grni, 0, 90, -1)],
        )
        backorder = po.picking_ids - receipt
        self._validate(backorder)
        second = backorder.move_ids.move_orig_ids.production_id
        self.assertMovementEntry(
            second.move_finished_ids,
            [(self.stock, 123, 0, 1), (self.wip, 0, 33, -1), (self.account_grni, 0, 90, -1)],
        )
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=po.order_line), -180
        )
        self._bill(po)
        self.assertBooksHold(self.component | self.finished, order.order_line | po.order_line)

    def test_service_billed_at_another_price(self):
        """Billed at 95 after a receipt valued with the purchase's 90: the bill's 5 left on
        the settled purchase line's GRNI is cleared to price difference."""
        order = self._stock_components()
        po, _receipt, production = self._subcontract(1, 90.0)
        self.assertMovementEntry(
            production.move_finished_ids,
            [(self.stock, 123, 0, 1), (self.wip, 0, 33, -1), (self.account_grni, 0, 90, -1)],
        )
        self._bill(po, price_unit=95.0)
        # The bill re-values the table (Odoo: 128): the 5 more on GRNI, against stock.
        revaluation = self.env["account.move.line"].search(
            [
                ("stock_move_id", "=", production.move_finished_ids.id),
                ("stock_valuation_kind", "=", "revaluation"),
            ]
        )
        self.assertLines(revaluation, [(self.stock, 5, 0, 0), (self.account_grni, 0, 5, 0)])
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=po.order_line), 0
        )
        self.assertBooksHold(self.component | self.finished, order.order_line | po.order_line)

    def test_return_to_the_subcontractor_stays_on_the_books(self):
        """A table returned to the subcontractor (Odoo sends it to the subcontractor's
        location, as its components are) stays the company's: nothing posts, the books
        hold."""
        order = self._stock_components()
        po, receipt, _production = self._subcontract(1, 90.0)
        self._bill(po)
        returned = self._return(receipt, 1)
        self.assertEqual(returned.state, "done")
        self.assertEqual(
            returned.move_ids.location_dest_id, self.company.subcontracting_location_id
        )
        self.assertFalse(returned.move_ids.account_move_id)
        self.assertEqual(
            self._interim_balance(self.account_grni, interim_purchase_line_id=po.order_line), 0
        )
        self.assertBooksHold(self.component | self.finished, order.order_line | po.order_line)
