from . import demand_statistics
from . import stock_valuation
from . import bulk
from . import demand_history
from . import demand_explanation
from . import demand_demo
from . import large_reads
