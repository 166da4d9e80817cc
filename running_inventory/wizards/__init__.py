from . import stock_valuation_go_live
from . import running_inventory_stock_date
from . import running_inventory_reconciliation_adjust
