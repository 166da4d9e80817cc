# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Running Inventory - Landed Costs",
    "summary": "Perpetual valuation of landed costs: posted when the landed cost is validated",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "author": "running_inventory contributors",
    "website": "https://github.com/running-inventory/running_inventory",
    "license": "LGPL-3",
    "depends": ["running_inventory", "stock_landed_costs"],
    "data": ["views/account_move_views.xml"],
    "demo": ["demo/stock_landed_cost_demo.xml"],
    "auto_install": True,
}
