from . import running_inventory_count_accuracy
