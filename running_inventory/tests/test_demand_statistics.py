"""The arithmetic alone (no database): series, outlier cap, z, safety stock, rounding."""

import math

from odoo.tests import BaseCase, tagged

from ..tools.demand_statistics import (
    round_up,
    safety_stock,
    service_level_z,
    summarize_daily_demand,
)


@tagged("post_install", "-at_install")
class TestDemandStatistics(BaseCase):
    def test_returns_net_a_day_but_never_below_zero(self):
        """Days: 10 - 4 = 6, 0 - 3 -> 0 (not -3), 8. Net 14 over 3 days; 1 day without demand."""
        demand = summarize_daily_demand([10, 0, 8], [4, 3, 0], outlier_k=3)
        self.assertEqual((demand.delivered, demand.returned, demand.net), (18, 7, 14))
        self.assertEqual(demand.zero_days, 1)
        self.assertAlmostEqual(demand.zero_share, 1 / 3)
        self.assertAlmostEqual(demand.average, 14 / 3)

    def test_outlier_cap_uses_the_raw_figures(self):
        """[10] * 9 + [100]: mean 19, sigma 27; k = 2 caps at 73: ADD 16.3, sigma 18.9."""
        demand = summarize_daily_demand([10] * 9 + [100], [0] * 10, outlier_k=2)
        self.assertEqual((demand.raw_average, demand.raw_stddev, demand.cap), (19, 27, 73))
        self.assertEqual(demand.capped_days, 1)
        self.assertAlmostEqual(demand.counted, 163)
        self.assertAlmostEqual(demand.average, 16.3)
        self.assertAlmostEqual(demand.stddev, 18.9)

    def test_no_cap_when_k_is_zero_or_demand_constant(self):
        self.assertIsNone(summarize_daily_demand([10, 100], [0, 0], outlier_k=0).cap)
        self.assertIsNone(summarize_daily_demand([10, 10], [0, 0], outlier_k=3).cap)

    def test_z_from_the_normal_law(self):
        self.assertAlmostEqual(service_level_z(95), 1.6448536, places=6)
        self.assertAlmostEqual(service_level_z(99), 2.3263479, places=6)
        self.assertEqual(service_level_z(50), 0.0)

    def test_safety_stock(self):
        """z * sigma * sqrt(L) without lead-time variability; z * sqrt(L s^2 + ADD^2 sL^2) with."""
        self.assertAlmostEqual(safety_stock(2.0, 5.0, 9.0), 2 * 5 * 3)
        self.assertAlmostEqual(
            safety_stock(2.0, 5.0, 4.0, average=10.0, lead_days_stddev=2.0),
            2 * math.sqrt(4 * 25 + 100 * 4),
        )

    def test_round_up_is_float_safe(self):
        self.assertEqual(round_up(36.0, 12.0), 36.0)
        self.assertEqual(round_up(0.1 + 0.2, 0.1), 0.3)
        self.assertEqual(round_up(112.0, 6.0), 114.0)
        self.assertEqual(round_up(56.45, 1.0), 57.0)
        self.assertEqual(round_up(7.5, 0.0), 7.5)
