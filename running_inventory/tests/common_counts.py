# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import Form, new_test_user

from odoo.addons.stock_account.tests.common import TestStockValuationCommon

COUNTER = "running_inventory.group_inventory_counter"
AUDITOR = "running_inventory.group_inventory_auditor"


class CountFactoryMixin:
    """Factories for audit-count tests; they need cls.company, cls.warehouse, cls.stock_location,
    cls.customer_location and cls.supplier_location."""

    @classmethod
    def _create_user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,{group}",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _create_product(cls, name, cost=10.0, **vals):
        return cls.env["product.product"].create(
            {"name": name, "is_storable": True, "standard_price": cost, **vals}
        )

    @classmethod
    def _create_location(cls, name, parent=None, **vals):
        return cls.env["stock.location"].create(
            {
                "name": name,
                "usage": "internal",
                "location_id": (parent or cls.stock_location).id,
                **vals,
            }
        )

    @classmethod
    def _move(cls, product, quantity, source, destination, date=None, lot=None, package=None):
        """A done move, as a transfer would leave it; dated in the past when `date` is given."""
        move = cls.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": quantity,
                "product_uom": product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "company_id": cls.company.id,
            }
        )
        move._action_confirm()
        move.move_line_ids.unlink()
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "quantity": quantity,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "lot_id": lot.id if lot else False,
                    "result_package_id": package.id if package else False,
                }
            )
        ]
        move.picked = True
        move._action_done()
        if date:
            move.date = date
            move.move_line_ids.date = date
        return move

    @classmethod
    def _receive(cls, product, quantity, location, **kwargs):
        return cls._move(product, quantity, cls.supplier_location, location, **kwargs)

    @classmethod
    def _deliver(cls, product, quantity, location, **kwargs):
        return cls._move(product, quantity, location, cls.customer_location, **kwargs)

    @classmethod
    def _months_ago(cls, months):
        return fields.Datetime.now() - relativedelta(months=months)

    @classmethod
    def _create_count(cls, user, locations, products=None, counters=None, **vals):
        """A session created by `user` (an auditor) through the form, as in Inventory."""
        form = Form(cls.env["running.inventory.count"].with_user(user))
        form.warehouse_id = cls.warehouse
        form.location_ids.clear()
        for location in locations:
            form.location_ids.add(location)
        for product in products or []:
            form.product_ids.add(product)
        for counter in counters or []:
            form.counter_ids.add(counter)
        for fname, value in vals.items():
            setattr(form, fname, value)
        return form.save().with_user(cls.env.user)

    def _enter_counts(self, count, user, quantities, found=()):
        """`user` types quantities in the session form: {(product, location, lot): quantity}
        (location and lot may be None for the only line of a product); `found` adds lines for
        goods found but not expected: (product, location, quantity).
        """
        with Form(count.with_user(user)) as form:
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    quantity = self._quantity_for(line, quantities)
                    if quantity is not None:
                        line.quantity_counted = quantity
            for product, location, quantity in found:
                with form.line_ids.new() as line:
                    line.location_id = location
                    line.product_id = product
                    line.quantity_counted = quantity

    @staticmethod
    def _quantity_for(line, quantities):
        for (product, location, lot), quantity in quantities.items():
            if (
                line.product_id == product
                and (location is None or line.location_id == location)
                and (lot is None or line.lot_id == lot)
            ):
                return quantity
        return None

    def _line(self, count, product, location=None, lot=None):
        lines = count.sudo().line_ids.filtered(
            lambda line: (
                line.product_id == product
                and (location is None or line.location_id == location)
                and (lot is None or line.lot_id == lot)
            )
        )
        self.assertEqual(len(lines), 1, "one line per product, location and lot")
        return lines


class RunningInventoryCountCommon(CountFactoryMixin, TestStockValuationCommon):
    """A company with Odoo's generic chart and standard-cost products (TestStockValuationCommon),
    its warehouse with two shelves, two counters and two auditors. The company's thresholds:
    a recount above 15 % of the expected quantity or 100 of value.
    """

    @classmethod
    def _create_company(cls, **create_values):
        # The other companies TestStockValuationCommon creates need no chart here.
        return super(TestStockValuationCommon, cls)._create_company(**create_values)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # The company in the perpetual mode, as the install puts the companies of the time (a
        # company created later stays in Odoo's); its categories as TestStockValuationCommon
        # made them.
        company = cls.company.with_company(cls.company)
        categories = company.env["product.category"].search([])
        valuations = {category: category.property_valuation for category in categories}
        cls.company._perpetual_activate()
        for category, valuation in valuations.items():
            category.property_valuation = valuation
        cls.company.write(
            {"count_threshold_quantity_percent": 15.0, "count_threshold_value": 100.0}
        )
        cls.shelf_1 = cls._create_location("Shelf 1")
        cls.shelf_2 = cls._create_location("Shelf 2")
        cls.counter_1 = cls._create_user("counter_1", COUNTER)
        cls.counter_2 = cls._create_user("counter_2", COUNTER)
        cls.auditor_1 = cls._create_user("auditor_1", AUDITOR)
        cls.auditor_2 = cls._create_user("auditor_2", AUDITOR)

    @classmethod
    def _create_product(cls, name, cost=10.0, **vals):
        return super()._create_product(name, cost, categ_id=cls.category_standard.id, **vals)
