from . import test_install
from . import test_worked_example
from . import test_movements
