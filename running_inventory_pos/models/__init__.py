from . import account_move_line
from . import pos_session
from . import stock_move
