from . import running_inventory_count_accuracy
from . import running_inventory_ledger
from . import running_inventory_interim_report
