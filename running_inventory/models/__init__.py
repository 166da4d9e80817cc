from . import res_company
from . import res_config_settings
from . import running_inventory_count_plan
from . import running_inventory_abc_classification
from . import running_inventory_count
from . import running_inventory_count_line
from . import running_inventory_count_entry
from . import stock_move
