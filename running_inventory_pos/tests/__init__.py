from . import test_point_of_sale
