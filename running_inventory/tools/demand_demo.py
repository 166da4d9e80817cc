# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data only: the done deliveries the demand-driven demo rules are computed from."""

from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import float_round


def create_demand_demo_history(env, location, product, quantities, partner=None):
    """Done deliveries of ``product`` from ``location`` to customers, ``quantities[i]`` on the
    day ``i + 1`` days ago (nothing on days with 0). Odoo dates a move when it is done; the
    history is back-dated afterwards, one write per day.

    With ``partner``, the deliveries are those of one sale order of that customer, invoiced
    once delivered: the goods delivered are then cost of goods sold, not left as goods
    delivered not invoiced that no invoice would ever clear.

    :return: the ids of the moves, the opening inventory that stocks them first
    """
    product = env["product.product"].browse(product)
    location = env["stock.location"].browse(location)
    customer = env.ref("stock.stock_location_customers")
    today = fields.Datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
    order = env["sale.order"]
    if partner:
        total = sum(quantity for quantity in quantities if quantity > 0)
        order = order.create(
            {
                "partner_id": partner,
                "date_order": today - timedelta(days=len(quantities) + 1),
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": total,
                            "price_unit": product.list_price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
    vals_list, dates = [], []
    for days_ago, quantity in enumerate(quantities, start=1):
        if float_round(quantity, precision_digits=6) <= 0:
            continue
        dates.append(today - timedelta(days=days_ago))
        vals_list.append(
            {
                "product_id": product.id,
                "product_uom_qty": quantity,
                "location_id": location.id,
                "location_dest_id": customer.id,
                "origin": order.name or "Demand history (demo)",
                "sale_line_id": order.order_line.id,
                "partner_id": order.partner_id.id,
            }
        )
    if not vals_list:
        return []
    # The goods were on the shelf before they left: an opening inventory the day before the
    # first delivery, so that the history never shows negative stock.
    opening = env["stock.move"].create(
        {
            "product_id": product.id,
            "product_uom_qty": sum(vals["product_uom_qty"] for vals in vals_list),
            "location_id": product.with_company(location.company_id).property_stock_inventory.id,
            "location_dest_id": location.id,
            "is_inventory": True,
            "origin": "Opening stock (demo)",
        }
    )
    moves = opening | env["stock.move"].create(vals_list)
    dates.insert(0, dates[-1] - timedelta(days=1))
    moves._action_confirm()
    for move in moves:
        move.quantity = move.product_uom_qty
    moves.picked = True
    moves._action_done()
    moves_by_date = defaultdict(lambda: env["stock.move"])
    for move, date in zip(moves, dates, strict=True):
        moves_by_date[date] |= move
    for date, dated_moves in moves_by_date.items():
        dated_moves.write({"date": date})
    if order:
        # The line's quantity is delivered already: confirming launches no procurement.
        order.action_confirm()
        order._create_invoices().action_post()
    return moves.ids
