# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demand of a product at a warehouse: what demand-driven reorder rules are computed from.

"Demand quantity" (this module) is not the ABC classification's "issued value"
(running.inventory.count.plan, ``_get_consumption_values``); the two answer different questions
and are named for what they are:

- **demand quantity** (reorder rules): the quantity the warehouse's own customers and production
  drew from its internal locations, per day, in the product's unit, returns netted on the day of
  the delivery they return. A transfer to another warehouse is not demand: the other warehouse's
  rule replenishes it, and counting it here would order the same goods twice.
- **issued value** (ABC classes, count planning): the value of everything that left the
  warehouse (to customers, production, transit or another warehouse; inventory losses and scrap
  excluded), at the product's current cost, returns not netted: how much a counting error on the
  product would be worth, not how much of it to buy.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo.tools import SQL

# Where demand goes from the warehouse's internal locations (see the module's docstring).
DEMAND_USAGES = ("customer", "production")

# Fields the query reads from the database: flushed before it runs.
_FLUSHED_FIELDS = (
    ("stock.move", ["state", "product_id", "product_uom", "quantity", "date"]),
    ("stock.move", ["location_id", "location_dest_id", "origin_returned_move_id"]),
    ("stock.location", ["usage", "warehouse_id"]),
    ("product.product", ["product_tmpl_id"]),
    ("product.template", ["uom_id"]),
    ("uom.uom", ["factor"]),
)

# Raw SQL because this is bulk work the ORM cannot group in one read: returns are signed, dated
# on the delivery they return (origin_returned_move_id) and charged to its warehouse, and each
# move's quantity is converted to its product's unit. The number of queries does not depend on
# the number of rules; every value is a parameter.
_DAILY_DEMAND_QUERY = """
    WITH pair AS (
        SELECT * FROM unnest(%(products)s::int[], %(warehouses)s::int[])
            AS pair(product_id, warehouse_id)
    ), flow AS (
        -- deliveries and consumption by production, from the warehouse's internal locations
        SELECT m.product_id, src.warehouse_id, m.date AS day_date,
               m.quantity * move_unit.factor / product_unit.factor AS delivered,
               0.0 AS returned
          FROM stock_move m
          JOIN stock_location src ON src.id = m.location_id
          JOIN stock_location dest ON dest.id = m.location_dest_id
          JOIN uom_uom move_unit ON move_unit.id = m.product_uom
          JOIN product_product product ON product.id = m.product_id
          JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
          JOIN uom_uom product_unit ON product_unit.id = tmpl.uom_id
         WHERE m.state = 'done'
           AND m.product_id = ANY(%(products)s)
           AND m.date >= %(date_from)s AND m.date < %(date_to)s
           AND src.usage = 'internal'
           AND dest.usage = ANY(%(demand_usages)s)
        UNION ALL
        -- returns from a customer, or of what production consumed, into the warehouse
        SELECT m.product_id, COALESCE(orig_src.warehouse_id, dest.warehouse_id),
               COALESCE(orig.date, m.date),
               0.0,
               m.quantity * move_unit.factor / product_unit.factor
          FROM stock_move m
          JOIN stock_location src ON src.id = m.location_id
          JOIN stock_location dest ON dest.id = m.location_dest_id
          JOIN uom_uom move_unit ON move_unit.id = m.product_uom
          JOIN product_product product ON product.id = m.product_id
          JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
          JOIN uom_uom product_unit ON product_unit.id = tmpl.uom_id
     LEFT JOIN stock_move orig ON orig.id = m.origin_returned_move_id
     LEFT JOIN stock_location orig_src ON orig_src.id = orig.location_id
         WHERE m.state = 'done'
           AND m.product_id = ANY(%(products)s)
           AND m.date >= %(date_from)s
           AND COALESCE(orig.date, m.date) >= %(date_from)s
           AND COALESCE(orig.date, m.date) < %(date_to)s
           AND dest.usage = 'internal'
           AND (src.usage = 'customer'
                OR (src.usage = 'production' AND m.origin_returned_move_id IS NOT NULL))
    )
    SELECT flow.product_id, flow.warehouse_id,
           %(today)s::date
           - (flow.day_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS days_ago,
           SUM(flow.delivered), SUM(flow.returned)
      FROM flow
      JOIN pair ON pair.product_id = flow.product_id
               AND pair.warehouse_id = flow.warehouse_id
  GROUP BY flow.product_id, flow.warehouse_id, days_ago
"""


def _utc(tz, day):
    """The UTC datetime at which ``day`` starts in the timezone ``tz``."""
    local = tz.localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def read_daily_demand(env, pairs, days, today):
    """Daily demand of the ``(product id, warehouse id)`` pairs over ``days`` days, ONE query.

    :param pairs: iterable of (product id, warehouse id)
    :param days: number of days before ``today`` to read (yesterday is day 1)
    :param today: the date of today in ``env``'s timezone (days are its calendar days)
    :return: {(product_id, warehouse_id): {days before today: (delivered, returned)}} in the
        product's unit
    """
    pairs = sorted(set(pairs))
    if not pairs:
        return {}
    for model, fnames in _FLUSHED_FIELDS:
        env[model].flush_model(fnames)
    tz = env.tz
    query = SQL(
        _DAILY_DEMAND_QUERY,
        products=[product_id for product_id, _warehouse_id in pairs],
        warehouses=[warehouse_id for _product_id, warehouse_id in pairs],
        demand_usages=list(DEMAND_USAGES),
        date_from=_utc(tz, today - timedelta(days=days)),
        date_to=_utc(tz, today),
        today=today,
        tz=tz.zone,
    )
    history = defaultdict(dict)
    for product_id, warehouse_id, days_ago, delivered, returned in env.execute_query(query):
        history[product_id, warehouse_id][days_ago] = (delivered, returned)
    return history
