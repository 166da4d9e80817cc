from . import running_inventory_interim_report
