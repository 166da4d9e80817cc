# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Running Inventory",
    "summary": "Perpetual stock accounting at each movement, a running stock ledger, "
    "audit counts and demand-driven reorder rules",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "author": "running_inventory contributors",
    "website": "https://github.com/running-inventory/running_inventory",
    "license": "LGPL-3",
    "depends": ["stock_account", "purchase_stock", "sale_stock"],
    "data": [
        "security/running_inventory_security.xml",
        "security/running_inventory_count_security.xml",
        "security/running_inventory_ledger_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/stock_valuation_go_live_views.xml",
        "views/product_category_views.xml",
        "views/stock_location_views.xml",
        "views/stock_move_views.xml",
        "views/account_move_line_views.xml",
        "data/ir_cron_data.xml",
        "views/stock_warehouse_orderpoint_views.xml",
        "data/running_inventory_count_data.xml",
        "views/running_inventory_count_views.xml",
        "views/running_inventory_count_plan_views.xml",
        "views/running_inventory_abc_classification_views.xml",
        "report/running_inventory_count_accuracy_views.xml",
        "report/running_inventory_count_reports.xml",
        "report/running_inventory_count_templates.xml",
        "report/running_inventory_ledger_views.xml",
        "views/product_template_views.xml",
        "views/product_product_views.xml",
    ],
    "post_init_hook": "post_init_hook",
    "demo": [
        "demo/res_users_demo.xml",
        "demo/perpetual_valuation_demo.xml",
        "demo/stock_warehouse_orderpoint_demo.xml",
        "demo/running_inventory_count_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "running_inventory/static/tests/tours/*.js",
        ],
    },
}
