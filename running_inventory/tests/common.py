from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import Form

from odoo.addons.stock_account.tests.common import TestStockValuationCommon


class PerpetualValuationCommon(TestStockValuationCommon):
    """A fresh company on the generic chart, in perpetual valuation (the addon sets it up when
    the chart is loaded), with one perpetual category per cost method, and factories for the
    documents that move goods and value: purchases, sales, bills, invoices, counts, scraps.

    Goods move on a test clock that advances a minute per validation (`_moment`): Odoo orders a
    product's moves and manual costs by date, to the second, then by id, to value them, so
    operations done within the same second would be valued in an order no warehouse ever saw.
    A cost set by hand after movements takes a moment too.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        company = cls.company
        cls.account_grni = company.account_stock_grni_id
        cls.account_gdni = company.account_stock_gdni_id
        cls.account_price_diff = cls.env["ir.default"]._get(
            "product.category", "property_price_difference_account_id", company_id=company.id
        )
        cls.account_price_diff = cls.env["account.account"].browse(cls.account_price_diff)
        cls.account_gain_loss = company.account_inventory_gain_loss_id
        cls.account_cogs = company.expense_account_id
        cls.scrap_location = cls.env["stock.location"].search(
            [("usage", "=", "inventory"), ("company_id", "=", company.id), ("name", "=", "Scrap")],
            limit=1,
        )
        cls.category_perpetual = {
            cost_method: cls.env["product.category"].create(
                {
                    "name": f"Perpetual {cost_method}",
                    "property_cost_method": cost_method,
                    "property_valuation": "perpetual",
                }
            )
            for cost_method in ("standard", "average", "fifo")
        }
        cls.customer = cls.env["res.partner"].create(
            {"name": "Test Customer", "company_id": company.id}
        )

    def _moment(self):
        """A frozen clock a minute after the previous operation of the test (or after now)."""
        self._clock = max(
            getattr(self, "_clock", None) or fields.Datetime.now(), fields.Datetime.now()
        )
        self._clock += timedelta(minutes=1)
        return freeze_time(self._clock)

    def _make_in_move(self, *args, **kwargs):
        with self._moment():
            return super()._make_in_move(*args, **kwargs)

    def _make_out_move(self, *args, **kwargs):
        with self._moment():
            return super()._make_out_move(*args, **kwargs)

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------

    @classmethod
    def _create_product(cls, cost_method="average", name=None, **values):
        return cls.env["product.product"].create(
            {
                "name": name or f"Perpetual {cost_method} product",
                "is_storable": True,
                "categ_id": cls.category_perpetual[cost_method].id,
                "uom_id": cls.uom.id,
                "standard_price": 10.0,
                "list_price": 50.0,
                "supplier_taxes_id": [Command.clear()],
                "taxes_id": [Command.clear()],
                **values,
            }
        )

    def _purchase(self, product, quantity, price_unit, currency=None, partner=None):
        order = self.env["purchase.order"].create(
            {
                "partner_id": (partner or self.vendor).id,
                "currency_id": (currency or self.company.currency_id).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": quantity,
                            "price_unit": price_unit,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        return order

    def _validate(self, picking, quantity=None, backorder=True):
        """Validate a picking for `quantity` of its single product (default: all)."""
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if quantity is None else quantity
            move.picked = True
        with self._moment():
            picking.with_context(cancel_backorder=not backorder)._action_done()
        return picking

    def _receive(self, order, quantity=None):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))[:1]
        return self._validate(picking, quantity)

    def _bill(self, order, quantity=None, price_unit=None, post=True, date=None):
        action = order.action_create_invoice()
        bill = self.env["account.move"].browse(action["res_id"])
        bill.invoice_date = date or fields.Date.today()
        line = bill.invoice_line_ids
        if quantity is not None:
            line.quantity = quantity
        if price_unit is not None:
            line.price_unit = price_unit
        if post:
            bill.action_post()
        return bill

    def _sell(self, product, quantity, price_unit=50.0):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "price_unit": price_unit,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _deliver(self, order, quantity=None):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))[:1]
        return self._validate(picking, quantity)

    def _invoice(self, order, post=True):
        invoice = order._create_invoices()
        if post:
            invoice.action_post()
        return invoice

    def _return(self, picking, quantity):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=picking.ids, active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = quantity
        action = wizard.action_create_returns()
        return_picking = self.env["stock.picking"].browse(action["res_id"])
        return self._validate(return_picking, quantity)

    def _count(self, product, counted_quantity, location=None):
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": product.id,
                    "location_id": (location or self.stock_location).id,
                    "inventory_quantity": counted_quantity,
                }
            )
        )
        with self._moment():
            quant.action_apply_inventory()
        return self.env["stock.move"].search(
            [("product_id", "=", product.id), ("is_inventory", "=", True)], order="id desc", limit=1
        )

    def _scrap(self, product, quantity):
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": product.id,
                "scrap_qty": quantity,
                "location_id": self.stock_location.id,
                "company_id": self.company.id,
            }
        )
        with self._moment():
            scrap.action_validate()
        return scrap.move_ids

    # ------------------------------------------------------------------
    # Assertions
    # ------------------------------------------------------------------

    def assertLines(self, lines, expected):
        """`lines` are exactly `expected`: (account, debit, credit, quantity), any order,
        amounts to the cent; every line carries `product` when expected names it."""
        actual = sorted(
            (
                line.account_id.code,
                round(line.debit, 2),
                round(line.credit, 2),
                round(line.quantity, 4),
            )
            for line in lines
        )
        wanted = sorted(
            (account.code, round(debit, 2), round(credit, 2), round(quantity, 4))
            for account, debit, credit, quantity in expected
        )
        self.assertEqual(actual, wanted)

    def assertMovementEntry(self, moves, expected, product=None):
        """The entry posted for `moves` holds exactly `expected`."""
        entry = moves.account_move_id
        self.assertEqual(len(entry), 1, "one entry per validation")
        self.assertEqual(entry.state, "posted")
        self.assertEqual(set(moves.mapped("valuation_posting")), {"posted"})
        lines = entry.line_ids
        if product:
            self.assertEqual(lines.product_id, product)
        self.assertLines(lines, expected)
        return entry

    def _stock_lines(self, product):
        stock_accounts = self._stock_accounts()
        return self.env["account.move.line"].search(
            [
                ("product_id", "=", product.id),
                ("account_id", "in", stock_accounts.ids),
                ("parent_state", "=", "posted"),
                ("company_id", "=", self.company.id),
            ]
        )

    def _stock_accounts(self):
        internal = self.env["stock.location"].search(
            [("company_id", "=", self.company.id), ("usage", "in", ("internal", "transit"))]
        )
        categories = self.env["product.category"].with_company(self.company).search([])
        return (
            self.company.account_stock_valuation_id
            | internal.valuation_account_id
            | categories.property_stock_valuation_account_id
        )

    def _interim_balance(self, account, **domain):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
            + [(field, "=", value.id) for field, value in domain.items()]
        )
        return round(sum(lines.mapped("balance")), 2)

    def assertBooksHold(self, products, purchase_lines=None, sale_lines=None):
        """The invariants of the accounting contract (shared/spec/postings.md)."""
        self.env.flush_all()
        self.env.invalidate_all()
        company = self.company
        # 1. every done move of the products is posted or listed as zero-valued; every entry
        #    posted and balanced
        moves = self.env["stock.move"].search(
            [
                ("product_id", "in", products.ids),
                ("state", "=", "done"),
                ("company_id", "=", company.id),
            ]
        )
        valued = moves.filtered(lambda m: m.is_in or m.is_out)
        self.assertFalse(
            valued.filtered(lambda m: not m.valuation_posting), "valued moves without entry"
        )
        entries = (
            self.env["account.move.line"]
            .search([("product_id", "in", products.ids), ("stock_valuation_kind", "!=", False)])
            .move_id
        )
        for entry in entries:
            self.assertEqual(entry.state, "posted")
            self.assertAlmostEqual(sum(entry.line_ids.mapped("balance")), 0.0, places=2)
        # Odoo's `_with_valuation_context` as superuser takes every company's locations.
        valued_locations = self.env["stock.location"].search(
            [("is_valued_internal", "=", True), ("company_id", "=", company.id)]
        )
        for product in products:
            # Goods owned by others are never on the books (Odoo's FIFO value counts them:
            # the figure compared is Odoo's value of the company's own goods).
            # Odoo's valued locations are those of the allowed companies: this company's only.
            product = product.with_company(company).with_context(
                allowed_company_ids=company.ids, owners=[False, company.partner_id.id]
            )
            lines = self._stock_lines(product)
            # 2. the stock accounts hold Odoo's stock value, and the quantity on hand
            self.assertAlmostEqual(
                sum(lines.mapped("balance")),
                product.total_value,
                places=2,
                msg=f"stock account of {product.name} against Odoo's value",
            )
            zero_valued = valued.filtered(
                lambda m, p=product: m.product_id == p and m.valuation_posting == "zero_value"
            )
            zero_quantity = sum(m._get_valued_qty() * (1 if m.is_in else -1) for m in zero_valued)
            self.assertAlmostEqual(
                sum(lines.mapped("quantity")) + zero_quantity,
                product.with_context(location=valued_locations.ids).qty_available,
                places=4,
                msg=f"quantity on the stock account of {product.name}",
            )
            # `owners` is not a context key of Odoo's cached quantities and values.
            self.env.invalidate_all()
        # 3. interim accounts are zero once a line is received/delivered and invoiced in full
        for line in purchase_lines or []:
            if line._is_perpetual_settled():
                grni = self._interim_balance(self.account_grni, interim_purchase_line_id=line)
                self.assertEqual(grni, 0.0, f"GRNI of settled {line.display_name}")
        for line in sale_lines or []:
            if line._is_perpetual_settled():
                gdni = self._interim_balance(self.account_gdni, interim_sale_line_id=line)
                self.assertEqual(gdni, 0.0, f"GDNI of settled {line.display_name}")
        # 4. Odoo's own closing finds nothing to post
        self.assertEqual(company._action_close_stock_valuation(), [])
