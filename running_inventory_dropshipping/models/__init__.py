from . import account_move_line
from . import stock_move
