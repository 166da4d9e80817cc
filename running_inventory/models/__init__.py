from . import stock_warehouse_orderpoint
