from . import test_manufacturing
from . import test_property_manufacturing
