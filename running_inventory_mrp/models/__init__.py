from . import account_move_line
from . import mrp_production
from . import mrp_unbuild
from . import res_company
