from . import running_inventory_count_accuracy
from . import running_inventory_ledger
from . import running_inventory_interim_report
from . import report_running_inventory_report_count_variance
