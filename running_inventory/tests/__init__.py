from . import test_install
from . import test_demand_statistics
from . import test_demand_driven_orderpoint
from . import test_demand_driven_scheduler
