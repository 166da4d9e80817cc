"""Odoo 19's valuation of one product at a date, on data read in bulk.

stock_account computes a product's value at a date (``product.with_context(to_date=...)
.total_value``, ``product.product._compute_value``) by reading the product's moves and manual
values with several queries, then replaying them: standard price at the date times the
quantity, the average cost replayed move by move (``_run_avco``), or the FIFO stack of the last
receipts (``_run_fifo``). The functions here apply the same rules, in the same order and with
the same edge cases, to records the caller has read for many products at once; they never
query. ``running.inventory.valuation`` reads the data and proves in its tests that the result
is Odoo's own figure.
"""

from collections import deque
from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class ValuedMove:
    """A done move of one product as Odoo's replay sees it.

    :param value: the move's value at the valuation date (``stock.move._get_value(at_date)``)
    :param stored_value: ``stock.move.value`` as stored (Odoo's extrapolations use it)
    :param valued_qty: ``stock.move._get_valued_qty()``, in the product's unit
    :param quantity: ``stock.move.quantity``, in the move's unit
    :param today_figures: Odoo values it at a past date from today's figures
    """

    id: int
    date: datetime
    is_in: bool
    is_out: bool
    is_dropship: bool
    valued_qty: float
    quantity: float
    stored_value: float
    value: float = 0.0
    today_figures: bool = False  # valued at the date with today's cost or return value


@dataclass(slots=True)
class ManualValue:
    """A ``product.value`` of the product itself (a cost set by hand), not of a move or lot."""

    id: int
    date: datetime
    value: float


def average_cost_value(moves, manual_values, quantity_on_hand):
    """``product.product._run_avco(at_date)[1]``: the value of an average-cost product.

    :param moves: the product's valued moves up to the date, in Odoo's order (date, id)
    :param manual_values: its manual costs up to the date, in order (date, id)
    :param quantity_on_hand: its valued quantity at the date (used when a manual cost is the
        last word, as Odoo does)
    """
    incoming = [move for move in moves if move.is_in or move.is_dropship]
    # A cost set by hand after the last receipt is the average cost from then on.
    if manual_values and (not incoming or manual_values[-1].date > incoming[-1].date):
        return manual_values[-1].value * quantity_on_hand
    pending = deque(manual_values)
    quantity = average = total = 0.0
    for move in moves:
        while pending and move.date >= pending[0].date:
            average = pending.popleft().value
            total = average * quantity
        if move.is_in or move.is_dropship:
            previous = quantity
            quantity += move.valued_qty
            if previous > 0:
                total += move.value
                average = total / quantity
            else:
                # Stock coming back from zero or below takes the cost of what comes in.
                average = move.value / move.valued_qty if move.valued_qty else average
                total = average * quantity
        if move.is_out or move.is_dropship:
            total -= move.valued_qty * average
            quantity -= move.valued_qty
    return total


def fifo_value(incoming, quantity, standard_price, compare, at_date=True):
    """``product.product._run_fifo(quantity, at_date)``: the value of the last `quantity`
    units received, for a FIFO product.

    :param incoming: the product's incoming moves up to the date, in order (date, id)
    :param quantity: the valued quantity at the date (also the size of Odoo's FIFO stack)
    :param standard_price: the product's current cost, for what no receipt explains
    :param compare: the product unit's ``compare`` (Odoo compares quantities at its rounding)
    :param at_date: valued at a past date (else today: a negative stock at today's cost)
    """
    if compare(quantity, 0) <= 0:
        last_in = incoming[-1] if incoming and at_date else None
        if not last_in:
            return quantity * standard_price
        unit_price = last_in.stored_value / last_in.valued_qty if last_in.valued_qty else 0.0
        return quantity * unit_price
    stack, on_first_move = _fifo_stack(incoming, quantity, compare)
    cost = 0.0
    last_move = None
    while quantity > 0 and stack:
        move = stack.popleft()
        last_move = move
        if on_first_move:
            in_qty = on_first_move
            in_value = move.value * in_qty / move.valued_qty
            on_first_move = 0
        else:
            in_qty = move.valued_qty
            in_value = move.value
        if in_qty > quantity:
            in_value = in_value * quantity / in_qty
            in_qty = quantity
        cost += in_value
        quantity -= in_qty
    # More on hand than the receipts explain: extrapolated at the last known price.
    if quantity > 0:
        if last_move and last_move.quantity:
            cost += quantity * (last_move.stored_value / last_move.quantity)
        else:
            cost += quantity * standard_price
    return cost


def _fifo_stack(incoming, size, compare):
    """``_run_fifo_get_stack``: the latest receipts that hold `size` units, oldest first, and
    how much of the oldest one is still on hand."""
    stack = deque()
    on_first_move = 0.0
    for move in reversed(incoming):
        if compare(size, 0) <= 0:
            break
        stack.appendleft(move)
        on_first_move = min(move.valued_qty, size)
        size -= move.valued_qty
    return stack, on_first_move


def standard_price_at(manual_values, at, current_price):
    """``product.product._get_standard_price_at_date``: the last cost set up to `at`, else the
    first one ever set, else the current cost.

    :param manual_values: every manual cost of the product, in order (date, id)
    """
    before = [value for value in manual_values if value.date <= at]
    if before:
        return before[-1].value
    if manual_values:
        return manual_values[0].value
    return current_price


def split_by_quantity(total, quantities, rounding):
    """Share `total` between keys in proportion to `quantities` ({key: quantity}), each share
    rounded with `rounding` (a function), the last key (in sorted order) taking what is left,
    so that the shares add up to `total`."""
    keys = sorted(quantities, key=sort_key)
    if not keys:
        return {}
    whole = sum(quantities.values())
    shares = {}
    remaining = total
    for key in keys[:-1]:
        share = rounding(total * quantities[key] / whole) if whole else 0.0
        shares[key] = share
        remaining -= share
    shares[keys[-1]] = rounding(remaining)
    return shares


def sort_key(key):
    """Keys (ids, or tuples of ids, any of them None) in a stable order."""
    parts = key if isinstance(key, tuple) else (key,)
    return tuple((part is None, part or 0) for part in parts)
