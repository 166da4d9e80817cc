from . import test_manufacturing
