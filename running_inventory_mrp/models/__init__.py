from . import mrp_production
from . import mrp_unbuild
