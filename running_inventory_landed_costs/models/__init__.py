from . import account_move
from . import stock_landed_cost
from . import stock_landed_cost_lines
from . import stock_move
from . import running_inventory_posting
