from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

DEMO_PRODUCTS = (
    "product_product_shelving_demo",
    "product_product_chair_demo",
    "product_product_paper_demo",
    "product_product_lamp_demo",
    "product_product_caster_demo",
    "product_product_standing_desk_demo",
)


@tagged("post_install", "-at_install")
class TestDemoTruth(TransactionCase):
    """The demo database as a new user meets it at first login (make test builds it fresh,
    with the bridges and their demo data)."""

    def test_demo_reconciliation_agrees_with_the_books(self):
        reconciliation = self.env.ref("running_inventory.running_inventory_reconciliation_demo")
        self.assertEqual(reconciliation.state, "done")
        # Computed after every demo flow: the books it shows are the accounts' balances.
        for line in reconciliation.account_line_ids:
            [(balance,)] = self.env["account.move.line"]._read_group(
                [
                    ("account_id", "=", line.account_id.id),
                    ("company_id", "=", reconciliation.company_id.id),
                    ("parent_state", "=", "posted"),
                    ("date", "<=", reconciliation.date),
                ],
                [],
                ["balance:sum"],
            )
            self.assertEqual(line.balance, reconciliation.currency_id.round(balance))
        self.assertEqual(
            reconciliation.balance, sum(reconciliation.account_line_ids.mapped("balance"))
        )
        # The line typed by hand was found and adjusted: stock and books agree.
        self.assertEqual(reconciliation.difference, 0.0)
        self.assertFalse(reconciliation.has_difference)
        self.assertEqual(reconciliation.odoo_value, reconciliation.balance)
        self.assertEqual(len(reconciliation.adjustment_move_ids), 1)
        # And as a new reconciliation computes it now.
        fresh = self.env["running.inventory.reconciliation"].create({})
        fresh.action_compute()
        self.assertEqual(
            (fresh.odoo_value, fresh.balance, fresh.difference),
            (reconciliation.odoo_value, reconciliation.balance, 0.0),
        )

    def test_goods_delivered_not_invoiced_are_open_sale_lines(self):
        """The demo's goods delivered not invoiced are the sale lines still to invoice, as the
        open items report lists them: the demand history's deliveries were invoiced."""
        gdni = self.env["running.inventory.interim.report"].search(
            [("kind", "=", "gdni"), ("company_id", "=", self.env.company.id)]
        )
        self.assertTrue(gdni)
        self.assertFalse(gdni.filtered(lambda item: not item.sale_line_id))
        [(balance,)] = self.env["account.move.line"]._read_group(
            [
                ("account_id", "in", gdni.account_id.ids),
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
            ],
            [],
            ["balance:sum"],
        )
        self.assertEqual(self.env.company.currency_id.round(balance), sum(gdni.mapped("balance")))
        history = [
            self.env.ref(f"running_inventory.product_product_{name}_demo")
            for name in ("chair", "paper", "lamp", "caster")
        ]
        self.assertFalse(gdni.filtered(lambda item: item.product_id in history))

    def test_accountant_has_full_accounting_features(self):
        accountant = self.env.ref("running_inventory.res_users_accountant_demo")
        admin = self.env.ref("base.user_admin")
        for user in (accountant, admin):
            self.assertTrue(user.has_group("account.group_account_user"), user.login)
            self.assertTrue(user.has_group("account.group_account_readonly"), user.login)
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for xmlid in (
                "account.menu_action_move_journal_line_form",
                "account.menu_action_account_moves_all",
                "running_inventory.running_inventory_reconciliation_menu",
                "running_inventory.running_inventory_interim_report_menu_accounting",
            ):
                self.assertIn(self.env.ref(xmlid).id, menus, f"{user.login}: {xmlid}")

    def test_every_demo_product_has_a_category(self):
        # The products of data files (Odoo's, the addon's, the bridges'), not those tests make.
        data = self.env["ir.model.data"].search([("model", "=", "product.product")])
        products = (
            self.env["product.product"]
            .with_context(active_test=False)
            .browse(data.mapped("res_id"))
        )
        self.assertIn(self.env.ref("running_inventory.product_product_chair_demo"), products)
        self.assertFalse(products.filtered(lambda p: not p.categ_id).mapped("display_name"))

    def test_demo_products_never_at_negative_stock(self):
        products = [self.env.ref(f"running_inventory.{xmlid}").id for xmlid in DEMO_PRODUCTS]
        # The quantity in internal locations after each done move, in date order.
        rows = self.env.execute_query(
            SQL(
                """
                SELECT product_id, MIN(on_hand) FROM (
                    SELECT move.product_id, SUM(
                               CASE WHEN dest.usage = 'internal' THEN move.quantity ELSE 0 END
                             - CASE WHEN source.usage = 'internal' THEN move.quantity ELSE 0 END
                           ) OVER (PARTITION BY move.product_id ORDER BY move.date, move.id)
                               AS on_hand
                      FROM stock_move move
                      JOIN stock_location source ON source.id = move.location_id
                      JOIN stock_location dest ON dest.id = move.location_dest_id
                     WHERE move.state = 'done' AND move.product_id = ANY(%s)
                ) history GROUP BY product_id
                """,
                products,
            )
        )
        self.assertEqual(len(rows), len(products))
        self.assertEqual({product: lowest for product, lowest in rows if lowest < 0}, {})
