from . import test_install
from . import test_worked_example
from . import test_movements
from . import test_entry_writer
from . import test_go_live
from . import test_property_invariants
