from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "running_inventory")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "19.0.1.0.0")

    def test_audit_groups_chain(self):
        """Auditor implies Counter and Inventory / User; a counter is no Inventory / User
        (blind counting, issue 11)."""
        counter = self.env.ref("running_inventory.group_inventory_counter")
        auditor = self.env.ref("running_inventory.group_inventory_auditor")
        stock_user = self.env.ref("stock.group_stock_user")
        self.assertEqual(counter.implied_ids, self.env.ref("base.group_user"))
        self.assertEqual(auditor.implied_ids, counter | stock_user)
        self.assertNotIn(stock_user, counter.all_implied_ids)
        self.assertIn(stock_user, auditor.all_implied_ids)
        self.assertNotIn(auditor, counter.all_implied_ids)
        self.assertEqual(auditor.privilege_id, counter.privilege_id)
        self.assertEqual(counter.privilege_id.name, "Inventory Audit")

    def test_user_in_counter_group_gets_no_stock_rights(self):
        counter = self.env.ref("running_inventory.group_inventory_counter")
        user = self.env["res.users"].create(
            {"name": "Counter", "login": "test_counter", "group_ids": [(6, 0, counter.ids)]}
        )
        self.assertFalse(user.has_group("stock.group_stock_user"))
        self.assertFalse(user.has_group("running_inventory.group_inventory_auditor"))
        self.assertFalse(self.env["stock.move"].with_user(user).has_access("read"))
        self.assertFalse(self.env["stock.quant"].with_user(user).search([]))


@tagged("post_install", "-at_install")
class TestCompanyCreatedLater(TransactionCase):
    """A company created after the install keeps Odoo's own mode (and Odoo's own tests of it
    pass); it goes live with perpetual valuation through the go-live wizard."""

    def test_new_company_keeps_odoo_mode_until_it_goes_live(self):
        company = self.env["res.company"].create({"name": "Created Later"})
        self.env["account.chart.template"]._load("generic_coa", company, install_demo=False)
        self.env.user.company_ids = [(4, company.id)]
        category = self.env["product.category"].create({"name": "Later goods"})
        self.assertEqual(company.inventory_valuation, "periodic")
        self.assertEqual(category.with_company(company).property_valuation, "periodic")
        self.assertFalse(company.account_stock_grni_id)
        self.assertFalse(company.account_inventory_gain_loss_id)

        wizard = (
            self.env["stock.valuation.go.live"]
            .with_company(company)
            .create({"company_id": company.id})
        )
        wizard.action_go_live()
        self.assertEqual(company.inventory_valuation, "perpetual")
        self.assertEqual(category.with_company(company).property_valuation, "perpetual")
        self.assertEqual(company.account_stock_grni_id.account_type, "liability_current")
        self.assertEqual(company.account_inventory_gain_loss_id.name, "Inventory Gains and Losses")
