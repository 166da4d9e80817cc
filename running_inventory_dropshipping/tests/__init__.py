from . import test_dropshipping
