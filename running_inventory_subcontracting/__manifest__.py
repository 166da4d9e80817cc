# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Running Inventory - Subcontracting",
    "summary": "Perpetual valuation of subcontracting: the service against GRNI, the "
    "components from the subcontractor's stock",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "author": "running_inventory contributors",
    "website": "https://github.com/running-inventory/running_inventory",
    "license": "LGPL-3",
    "depends": ["running_inventory_mrp", "mrp_subcontracting_account"],
    "demo": ["demo/subcontracting_demo.xml"],
    "auto_install": True,
}
