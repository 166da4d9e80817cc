from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_ledger import LedgerCommon


@tagged("post_install", "-at_install")
class TestLedgerDefaults(LedgerCommon):
    """What the ledger opens on: grouped by product, each group's closing balances (the last
    running balance, not a sum of balances), oldest row first, a graph of stock over time."""

    def _read_groups(self, user, domain, groupby):
        """The groups as the web client reads them: the aggregates fields_get announces."""
        Ledger = self.env["running.inventory.ledger"].with_user(user)
        fields = Ledger.fields_get(attributes=["aggregator", "currency_field", "type"])
        aggregates = []
        for name, field in fields.items():
            if field.get("aggregator") and field["type"] in ("integer", "float", "monetary"):
                aggregates.append(f"{name}:{field['aggregator']}")
                if field.get("currency_field"):
                    aggregates += [
                        f"{field['currency_field']}:array_agg_distinct",
                        f"{name}:sum_currency",
                    ]
        return Ledger.web_read_group(domain, groupby, list(dict.fromkeys(aggregates)))["groups"]

    def _two_products(self):
        """Receipt of 10 at 16, bill at 17 (+10), delivery of 4 (-68); and 3 in at 5."""
        first = self._create_product_before("average", "Ledger closing 1")
        second = self._create_product_before("average", "Ledger closing 2")
        with self._on_day(2):
            order = self._purchase(first, 10, 16.0)
            self._receive(order)
            self._make_in_move(second, 3, unit_cost=5.0)
        with self._on_day(1):
            self._bill_now(order, price_unit=17.0)
            self._deliver(self._sell(first, 4))
        return first, second

    def test_product_groups_show_their_closing_balances(self):
        first, second = self._two_products()
        groups = self._read_groups(
            self.accountant, [("product_id", "in", (first | second).ids)], ["product_id"]
        )
        figures = {
            group["product_id"][0]: (
                group["quantity_in:sum"],
                group["quantity_out:sum"],
                group["running_quantity:last"],
                group["value_in:sum"],
                group["value_out:sum"],
                group["running_value:last"],
                group["unit_cost:last"],
            )
            for group in groups
        }
        self.assertEqual(
            figures,
            {
                first.id: (10.0, 4.0, 6.0, 170.0, 68.0, 102.0, 17.0),
                second.id: (3.0, 0.0, 3.0, 15.0, 0.0, 15.0, 5.0),
            },
        )

    def test_closing_balance_of_a_period_is_the_last_row_of_its_product(self):
        """Up to 2 days ago (the wizard's Ledger up to Date): 10 on hand at 160."""
        first, _second = self._two_products()
        groups = self._read_groups(
            self.accountant,
            [("product_id", "=", first.id), ("date", "<=", self._end_of_day(2))],
            ["product_id"],
        )
        self.assertEqual(
            (groups[0]["running_quantity:last"], groups[0]["running_value:last"]), (10.0, 160.0)
        )

    def test_a_group_of_several_products_has_no_closing_balance(self):
        """A category holds several running balances: none of them is the group's."""
        first, second = self._two_products()
        groups = self._read_groups(
            self.accountant, [("product_id", "in", (first | second).ids)], ["categ_id"]
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["quantity_in:sum"], 13.0)
        self.assertFalse(groups[0]["running_quantity:last"])
        self.assertFalse(groups[0]["running_value:last"])

    def test_stock_users_read_closing_quantities_not_values(self):
        first, _second = self._two_products()
        groups = self._read_groups(self.stock_user, [("product_id", "=", first.id)], ["product_id"])
        self.assertEqual(groups[0]["running_quantity:last"], 6.0)
        self.assertNotIn("running_value:last", groups[0])
        with self.assertRaises(AccessError):
            self.env["running.inventory.ledger"].with_user(self.stock_user).web_read_group(
                [], ["product_id"], ["running_value:last"]
            )

    def test_list_oldest_first_graph_of_stock_over_time(self):
        Ledger = self.env["running.inventory.ledger"]
        action = self.env.ref("running_inventory.running_inventory_ledger_action")
        self.assertEqual(safe_eval(action.context), {"search_default_group_product": 1})
        views = Ledger.get_views([(False, "list"), (False, "graph")])["views"]
        list_arch = etree.fromstring(views["list"]["arch"])
        self.assertEqual(list_arch.get("default_order"), "date, sequence, id")
        graph = etree.fromstring(views["graph"]["arch"])
        self.assertEqual(
            (graph.get("type"), graph.get("cumulated"), graph.get("cumulated_start")),
            ("line", "1", "1"),
        )
        measures = graph.xpath("//field[@type='measure']/@name")
        self.assertEqual(measures[-1], "value")  # the last measure is the graph's
        first, _second = self._two_products()
        rows = Ledger.search([("product_id", "=", first.id)], order=list_arch.get("default_order"))
        self.assertEqual(rows.mapped("running_quantity"), [10.0, 10.0, 6.0])
