# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Running Inventory - Point of Sale",
    "summary": "Perpetual valuation of point of sale orders: cost of goods sold against goods "
    "delivered not invoiced at the session closing or on the order's invoice",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "author": "running_inventory contributors",
    "website": "https://github.com/running-inventory/running_inventory",
    "license": "LGPL-3",
    "depends": ["running_inventory", "point_of_sale"],
    "demo": ["demo/pos_session_demo.xml"],
    "auto_install": True,
}
