# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Running Inventory - Manufacturing",
    "summary": "Perpetual valuation of manufacturing: WIP cleared for every done order",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "author": "running_inventory contributors",
    "website": "https://github.com/running-inventory/running_inventory",
    "license": "LGPL-3",
    "depends": ["running_inventory", "mrp_account"],
    "demo": ["demo/mrp_production_demo.xml"],
    "auto_install": True,
}
