from . import test_landed_costs
