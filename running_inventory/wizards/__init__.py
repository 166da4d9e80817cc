from . import stock_valuation_go_live
