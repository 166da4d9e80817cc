from . import account_move
from . import stock_move
