"""Reading the whole stock history at once (Stock at Date, the reconciliation).

Stock at Date replays every product's moves in order. Reading them per batch of products
costs a scan of the whole move history per batch, where a product's moves are spread over
the table (as they are in production): at 100,000 products, five scans where 10,000 need one.
A PostgreSQL cursor (``DECLARE``) reads them once, in order, and hands them over a chunk at a
time, so that the memory held stays bounded. A cursor without ``WITH HOLD`` lives in the
current transaction (and is closed with it), reads what the transaction sees, and is allowed
on a read-only replica; so is a setting changed for the transaction (``set_config``).
"""

from contextlib import contextmanager
from itertools import count

from odoo.tools import SQL

_cursor_numbers = count(1)


@contextmanager
def planner_settings(cr, **settings):
    """Run the block with PostgreSQL settings changed, then set them back as they were.

    Changed for the transaction only (``set_config(..., true)``): when the block raises, they
    are not set back here (the transaction may be aborted), but its end, or the rollback of
    the savepoint around it, undoes them."""
    names = sorted(settings)
    cr.execute(
        SQL(
            "SELECT %s",
            SQL(", ").join(SQL("current_setting(%s)", name) for name in names),
        )
    )
    before = dict(zip(names, cr.fetchone(), strict=True))

    def set_all(values):
        cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("set_config(%s, %s, true)", name, str(values[name])) for name in names
                ),
            )
        )

    set_all(settings)
    yield
    set_all(before)


@contextmanager
def without_jit(cr):
    """PostgreSQL's JIT compiles a plan's expressions once its cost passes
    ``jit_optimize_above_cost`` (a few million rows here), whatever the expressions are: for
    Stock at Date at 3,000,000 moves, compiling plain filters and sums took 4 of its
    heaviest query's 9 seconds (``EXPLAIN ANALYZE`` on bench/bench_scale.py's data)."""
    with planner_settings(cr, jit="off"):
        yield


def read_in_chunks(cr, query, size):
    """Yield the rows of `query` (an SQL object), `size` rows at a time, in its order.

    The plan is made for the whole result (``cursor_tuple_fraction`` 1 while declaring), not
    for its first rows: a cursor's default plan favours a fast start, which here would mean
    reading the moves through their indexes one by one.
    """
    name = SQL.identifier(f"running_inventory_chunks_{next(_cursor_numbers)}")
    with planner_settings(cr, cursor_tuple_fraction=1):
        cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", name, query))
    while True:
        cr.execute(SQL("FETCH FORWARD %s FROM %s", size, name))
        rows = cr.fetchall()
        if rows:
            yield rows
        if len(rows) < size:
            break
    cr.execute(SQL("CLOSE %s", name))
