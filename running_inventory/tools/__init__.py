from . import demand_statistics
