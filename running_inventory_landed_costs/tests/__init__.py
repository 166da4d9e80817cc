from . import test_landed_costs
from . import test_property_landed_costs
