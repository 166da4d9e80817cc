# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Running Inventory - Dropshipping",
    "summary": "Perpetual valuation of dropships: goods delivered and received not invoiced",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "author": "running_inventory contributors",
    "website": "https://github.com/running-inventory/running_inventory",
    "license": "LGPL-3",
    "depends": ["running_inventory", "stock_dropshipping"],
    "demo": ["demo/sale_order_dropship_demo.xml"],
    "auto_install": True,
}
