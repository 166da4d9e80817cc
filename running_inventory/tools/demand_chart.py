# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The data of the demand chart of a demand-driven rule: its window's history, min and max.

The chart shows the net demand the rule's min and max were computed from (the same daily series
as tools/demand_statistics.py: returns netted, a day never below zero, outliers NOT capped, so
that the buyer sees the day that was capped), per day for windows up to
:data:`DAILY_CHART_MAX_DAYS` days, per week (7-day buckets ending yesterday, the oldest one
shorter when the window is not a multiple of 7) beyond. Min and max are drawn as reference
lines at the rule's current values.
"""

from datetime import timedelta

# Windows longer than this are charted per week: 90 bars are unreadable in a form.
DAILY_CHART_MAX_DAYS = 31


def demand_chart_data(daily, window_days, today, minimum, maximum):
    """The chart of one rule.

    :param daily: {days before today: (delivered, returned)} (see tools/demand_history.py)
    :param window_days: the rule's history window
    :param today: the date the window ends before (yesterday is its last day)
    :return: {"period": "day" | "week", "labels": [first day of each bar, ISO], "demand":
        [net demand of each bar], "min": minimum, "max": maximum}, oldest bar first
    """
    nothing = (0.0, 0.0)
    net = {
        days_ago: max(daily.get(days_ago, nothing)[0] - daily.get(days_ago, nothing)[1], 0.0)
        for days_ago in range(1, window_days + 1)
    }
    step = 1 if window_days <= DAILY_CHART_MAX_DAYS else 7
    labels, demand = [], []
    # Buckets counted back from yesterday: days_ago 1..step is the newest bucket.
    for newest in range(((window_days - 1) // step) * step + 1, 0, -step):
        oldest = min(newest + step - 1, window_days)
        labels.append((today - timedelta(days=oldest)).isoformat())
        demand.append(sum(net[days_ago] for days_ago in range(newest, oldest + 1)))
    return {
        "period": "day" if step == 1 else "week",
        "labels": labels,
        "demand": demand,
        "min": minimum,
        "max": maximum,
    }
