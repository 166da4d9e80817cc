"""The arithmetic of demand-driven reorder rules, kept apart from the ORM.

Pure functions over a daily demand series: the model reads the history, these functions turn
it into the figures a buyer reads in the rule's explanation (see readme/CONFIGURE.md):

- the series has one value per calendar day of the window, days without demand counting as
  zero; returns are netted and a day never goes below zero;
- outliers are capped once: days above ``mean + k * sigma`` (figures of the raw series) are
  brought down to that cap, then ADD and sigma are computed on the capped series;
- sigma is the population standard deviation of the daily series (the window is the whole
  population we describe, not a sample of it);
- safety stock is ``z * sqrt(L * sigma**2 + ADD**2 * sigma_L**2)``, which is ``z * sigma * sqrt(L)``
  when the lead time does not vary (sigma_L = 0).
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

from odoo.tools import float_round


@dataclass(frozen=True)
class DailyDemand:
    """The figures of one product's daily demand at one warehouse over a window."""

    days: int
    delivered: float  # delivered or consumed over the window
    returned: float  # returned over the window (netted on the delivery's day when known)
    net: float  # sum of the daily net demand (days never below zero)
    zero_days: int  # days without demand
    raw_average: float  # mean of the daily series before capping outliers
    raw_stddev: float
    cap: float | None  # raw_average + k * raw_stddev; None when outliers are not capped
    capped_days: int  # days brought down to the cap
    counted: float  # sum of the daily series once capped: ADD = counted / days
    average: float  # ADD: average daily demand, outliers capped
    stddev: float  # sigma of the daily demand, outliers capped

    @property
    def zero_share(self):
        """Share of the window's days without demand, from 0 to 1."""
        return self.zero_days / self.days if self.days else 1.0


def mean_and_stddev(values):
    """Mean and population standard deviation of ``values`` (floats, not Fractions: fast)."""
    count = len(values)
    if not count:
        return 0.0, 0.0
    mean = math.fsum(values) / count
    variance = math.fsum((value - mean) ** 2 for value in values) / count
    return mean, math.sqrt(variance)


def summarize_daily_demand(delivered, returned, outlier_k):
    """Figures of a daily series given as two lists of the same length (one item per day).

    :param delivered: quantity delivered or consumed on each day of the window
    :param returned: quantity returned, counted on the day of the delivery it returns
    :param outlier_k: days above mean + k * sigma are capped; 0 disables the cap
    """
    net = [max(out - back, 0.0) for out, back in zip(delivered, returned, strict=True)]
    raw_average, raw_stddev = mean_and_stddev(net)
    cap = raw_average + outlier_k * raw_stddev if outlier_k > 0 and raw_stddev > 0 else None
    capped = net if cap is None else [min(value, cap) for value in net]
    average, stddev = mean_and_stddev(capped)
    return DailyDemand(
        days=len(net),
        delivered=math.fsum(delivered),
        returned=math.fsum(returned),
        net=math.fsum(net),
        zero_days=sum(1 for value in net if value <= 0.0),
        raw_average=raw_average,
        raw_stddev=raw_stddev,
        cap=cap,
        capped_days=0 if cap is None else sum(1 for value in net if value > cap),
        counted=math.fsum(capped),
        average=average,
        stddev=stddev,
    )


def service_level_z(service_level):
    """The z of a service level given in percent (95.0 -> 1.6449), from the normal law."""
    return NormalDist().inv_cdf(service_level / 100.0)


def safety_stock(z, stddev, lead_days, average=0.0, lead_days_stddev=0.0):
    """``z * sqrt(L * sigma**2 + ADD**2 * sigma_L**2)``: demand and lead-time variability."""
    return z * math.sqrt(lead_days * stddev**2 + (average * lead_days_stddev) ** 2)


def round_up(quantity, multiple):
    """``quantity`` rounded up to a multiple of ``multiple`` (float-safe: 36 / 12 is 3, not 4)."""
    if multiple <= 0:
        return quantity
    return float_round(quantity, precision_rounding=multiple, rounding_method="UP")
