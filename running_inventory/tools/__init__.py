from . import demand_statistics
from . import stock_valuation
from . import bulk
