from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain, groupby
from operator import itemgetter

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.bulk import end_of_day
from ..tools.large_reads import read_in_chunks, without_jit
from ..tools.stock_valuation import (
    ManualValue,
    ValuedMove,
    average_cost_value,
    fifo_value,
    standard_price_at,
)
from ..tools.valuation_sql import owned_by_company_sql, valued_location_sql

# Moves read per chunk by _get_stock_at_date (a chunk's products are replayed, then freed).
STOCK_AT_DATE_CHUNK = 100_000


@dataclass(slots=True)
class ProductStock:
    """A product's valued quantity and Odoo's value of it at a date (company currency)."""

    product_id: int
    cost_method: str
    categ_id: int = 0
    quantity: float = 0.0
    value: float = 0.0
    # {(location id, lot id): quantity} of the valued stock at the date
    quantities: dict = field(default_factory=dict)
    # Odoo values some incoming moves at a past date with today's figures (the product's cost
    # today, the returned delivery's value today): the value with the moves as recorded, and
    # those moves, say how much of `value` that is.
    value_recorded: float = 0.0
    revalued_move_ids: list = field(default_factory=list)
    # Odoo's FIFO value counts goods owned by others (consignment) that the company holds;
    # the books never do: how much of `value` they are.
    consigned_quantity: float = 0.0
    consigned_value: float = 0.0


class RunningInventoryValuation(models.AbstractModel):
    """Odoo's own stock quantity and value at a date, for many products at once.

    Odoo values a product at a past date (``product.with_context(to_date=...).total_value``)
    with several queries per product, and more per incoming move (each one is valued again at
    that date). A company-wide reconciliation or a stock report at a date cannot afford that for
    thousands of products. Here a fixed number of grouped reads fetch the moves, manual values,
    quants and later movements of all the products, and the replays of
    ``tools.stock_valuation`` apply Odoo's rules per product in Python.

    Today, Odoo values stock from the moves' values as they are stored (``total_value`` without
    ``to_date``): pass ``at=None`` for that figure, the one the perpetual valuation keeps the
    stock accounts on. At a past date, Odoo values incoming moves again at that date, some of
    them from today's figures (see ``_value_incoming_moves``).

    What is exact (the tests compare with ``total_value`` for each cost method): quantities;
    standard cost; average cost and FIFO replays; an incoming move's value at the date when it
    comes from a value set by hand, a vendor bill or purchase price, the delivery it returns,
    or the product's cost (Odoo takes today's cost there, and so does this). Two cases are
    handed to Odoo itself, so that their cost grows with their number, never with the number
    of products: incoming moves whose value changed after the date (a bill or a value set by
    hand dated later: ``stock.move._get_value(at_date)``), and products valued by lot
    (``total_value``). Values Odoo takes from manufacturing orders or landed costs (mrp_account,
    stock_landed_costs, not dependencies of this addon) are taken as stored.
    """

    _name = "running.inventory.valuation"
    _description = "Stock Valuation at a Date"

    @api.model
    def _get_stock_at_date(self, company, at=None, products=None, by_location=False):
        """Odoo's valued quantity and value at `at` of the products of `company`.

        :param at: a datetime (UTC, as Odoo stores them): Odoo's ``to_date`` valuation of the
            same moment gives the same figures; None: today's valuation (no ``to_date``)
        :param products: product.product records; default: every storable product the company
            has moved (up to `at`)
        :param by_location: also split the quantities per (location, lot) in `quantities`
        :return: {product id: ProductStock}
        """
        company.ensure_one()
        self.env.flush_all()
        with without_jit(self.env.cr):
            stocks = self._value_stock_at_date(company, at, products, by_location)
        currency = company.currency_id
        for stock in stocks.values():
            stock.value = currency.round(stock.value)
            stock.value_recorded = currency.round(stock.value_recorded)
            stock.consigned_value = currency.round(stock.consigned_value)
        return stocks

    @api.model
    def _value_stock_at_date(self, company, at, products, by_location):
        """`_get_stock_at_date`, its values not rounded yet."""
        infos = self._read_product_infos(company, at, products)
        locations = self._get_valued_locations(company)
        stocks = {
            product_id: ProductStock(product_id, info["cost_method"], info["categ_id"])
            for product_id, info in infos.items()
        }
        # A few rows per product: read for all the products at once.
        self._read_quantities(company, at, infos, stocks, locations)
        if by_location:
            self._read_quantities_by_location(company, at, infos, stocks, locations)
        self._read_product_manual_values(company, infos)
        # Many moves per product: one pass over them in product order, replayed a chunk of
        # products at a time, so that the memory held stays bounded (bench/bench_scale.py
        # measured 1.8 GB for 100,000 products and 3,000,000 moves held at once).
        without_moves = set(stocks)
        for moves, sources in self._read_valued_moves(company, at, infos):
            self._value_incoming_moves(company, at, infos, moves, sources)
            self._value_products(infos, stocks, moves, at)
            without_moves.difference_update(moves)
        self._value_products(infos, stocks, dict.fromkeys(without_moves, ()), at)
        self._value_by_lots(company, at, infos, stocks)
        return stocks

    @api.model
    def _value_products(self, infos, stocks, moves, at):
        """Odoo's value at `at` of the products of `moves` ({product id: all its valued moves,
        valued at `at`}), but those valued by lot."""
        for product_id, product_moves in moves.items():
            if not infos[product_id]["lot_valuated"]:
                self._set_product_value(infos[product_id], stocks[product_id], product_moves, at)

    @api.model
    def _set_product_value(self, info, stock, moves, at):
        """Odoo's value, and the same replay with the moves it re-values at today's figures
        taken as recorded."""
        stock.value = stock.value_recorded = self._value_product_at(info, stock, moves, at)
        if stock.consigned_quantity and not info["uom"].is_zero(stock.consigned_quantity):
            owned = ProductStock(stock.product_id, stock.cost_method)
            owned.quantity = stock.quantity - stock.consigned_quantity
            stock.consigned_value = stock.value - self._value_product_at(info, owned, moves, at)
        revalued = [
            move for move in moves if move.today_figures and move.value != move.stored_value
        ]
        if not revalued or info["cost_method"] == "standard":
            return
        stock.revalued_move_ids = [move.id for move in revalued]
        today_values = {move.id: move.value for move in revalued}
        for move in revalued:
            move.value = move.stored_value
        stock.value_recorded = self._value_product_at(info, stock, moves, at)
        for move in revalued:
            move.value = today_values[move.id]

    # ------------------------------------------------------------------
    # Products
    # ------------------------------------------------------------------

    @api.model
    def _read_product_infos(self, company, at, products):
        """{product id: info}: unit, cost, cost method and category of each product."""
        Product = self.env["product.product"].sudo().with_company(company)
        if products is None:
            selection = SQL(
                """product.id IN (
                       SELECT move.product_id FROM stock_move move
                        WHERE move.company_id = %s AND move.state = 'done' AND %s)""",
                company.id,
                self._date_up_to(SQL("move.date"), at),
            )
        else:
            selection = SQL("product.id = ANY(%s)", products.ids)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT product.id, template.categ_id, template.uom_id, template.lot_valuated, %s
                  FROM product_product product
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE template.is_storable
                   AND (template.company_id IS NULL OR template.company_id = %s)
                   AND %s
                """,
                Product._field_to_sql("product", "standard_price"),
                company.id,
                selection,
            )
        )
        categories = self.env["product.category"].sudo().with_company(company)
        categories = categories.browse({row[1] for row in rows})
        cost_methods = {
            category.id: category.property_cost_method or company.cost_method
            for category in categories
        }
        uoms = self.env["uom.uom"].browse({row[2] for row in rows})
        return {
            product_id: {
                "id": product_id,
                "categ_id": categ_id,
                "uom": uoms.browse(uom_id),
                "lot_valuated": lot_valuated,
                "standard_price": standard_price or 0.0,
                "cost_method": cost_methods.get(categ_id) or company.cost_method,
            }
            for product_id, categ_id, uom_id, lot_valuated, standard_price in rows
        }

    @api.model
    def _get_moment(self, date):
        """The moment Odoo values stock at for `date`: the end of that day (UTC, as Odoo's
        ``to_date`` reads a date), or None (today's valuation) from today on."""
        return None if date >= fields.Date.today() else end_of_day(date)

    @api.model
    def _date_up_to(self, column, at):
        return SQL("%s <= %s", column, at) if at else SQL("TRUE")

    # ------------------------------------------------------------------
    # Quantities
    # ------------------------------------------------------------------

    @api.model
    def _get_valued_locations(self, company):
        """The locations whose stock Odoo values for the company (``is_valued_internal``) and
        the locations under them, as ``_get_domain_locations_new`` reads them."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT location.id
                  FROM stock_location location
                 WHERE EXISTS (
                        SELECT 1 FROM stock_location parent
                         WHERE parent.company_id = %s AND %s
                           AND parent.active
                           AND location.parent_path LIKE parent.parent_path || '%%')
                """,
                company.id,
                valued_location_sql("parent"),
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _read_quantities(self, company, at, infos, stocks, locations):
        """Odoo's ``qty_available`` at `at` in the valued locations (``_compute_quantities_dict``):
        the quants of today less the done moves after `at`. Goods owned by others count only
        for FIFO products, as ``_with_valuation_context`` does."""
        product_ids = list(infos)
        quants = self.env.execute_query(
            SQL(
                """
                SELECT quant.product_id, %s, COALESCE(SUM(quant.quantity), 0)
                  FROM stock_quant quant
                 WHERE quant.location_id = ANY(%s) AND quant.product_id = ANY(%s)
                 GROUP BY 1, 2
                """,
                owned_by_company_sql(SQL("quant.owner_id"), company.partner_id.id),
                locations,
                product_ids,
            )
        )
        quantities = defaultdict(float)
        for product_id, own, quantity in quants:
            if own or infos[product_id]["cost_method"] == "fifo":
                quantities[product_id] += quantity
            if not own and infos[product_id]["cost_method"] == "fifo":
                stocks[product_id].consigned_quantity += quantity
        self._read_consigned_moved_after(company, at, stocks, locations)
        if at and at < fields.Datetime.now():
            for product_id, uom_id, incoming, quantity in self._read_moves_after(
                at, product_ids, locations
            ):
                uom = self.env["uom.uom"].browse(uom_id)
                quantity = uom._compute_quantity(quantity, infos[product_id]["uom"])
                quantities[product_id] += -quantity if incoming else quantity
        for product_id, stock in stocks.items():
            stock.quantity = infos[product_id]["uom"].round(quantities[product_id])

    @api.model
    def _read_consigned_moved_after(self, company, at, stocks, locations):
        """The consigned quantity of FIFO products at `at`: today's less what moved after."""
        if not (at and at < fields.Datetime.now()):
            return
        fifo = [stock.product_id for stock in stocks.values() if stock.cost_method == "fifo"]
        if not fifo:
            return
        rows = self.env.execute_query(
            SQL(
                """
                SELECT line.product_id,
                       SUM(CASE WHEN line.location_dest_id = ANY(%(locations)s)
                                THEN -line.quantity_product_uom ELSE line.quantity_product_uom
                           END)
                  FROM stock_move_line line
                  JOIN stock_move move ON move.id = line.move_id
                 WHERE move.state = 'done' AND move.date > %(at)s
                   AND line.product_id = ANY(%(products)s) AND NOT %(owned)s
                   AND (line.location_id = ANY(%(locations)s))
                       != (line.location_dest_id = ANY(%(locations)s))
                 GROUP BY 1
                """,
                locations=locations,
                at=at,
                products=fifo,
                owned=owned_by_company_sql(SQL("line.owner_id"), company.partner_id.id),
            )
        )
        for product_id, quantity in rows:
            stocks[product_id].consigned_quantity += quantity

    @api.model
    def _read_moves_after(self, at, product_ids, locations):
        """Done moves after `at` entering or leaving the valued locations, per unit."""
        return self.env.execute_query(
            SQL(
                """
                SELECT move.product_id, move.product_uom,
                       move.location_dest_id = ANY(%(locations)s), SUM(move.quantity)
                  FROM stock_move move
                 WHERE move.state = 'done' AND move.date > %(at)s
                   AND move.product_id = ANY(%(products)s)
                   AND (move.location_id = ANY(%(locations)s))
                       != (move.location_dest_id = ANY(%(locations)s))
                 GROUP BY 1, 2, 3
                """,
                at=at,
                products=product_ids,
                locations=locations,
            )
        )

    @api.model
    def _read_quantities_by_location(self, company, at, infos, stocks, locations):
        """The valued quantity at `at` per location and lot: quants of today less the move
        lines done after `at` (lines carry the lot and the exact location)."""
        rows = self.env.execute_query(
            SQL(
                """
                WITH own AS (
                    SELECT quant.product_id, quant.location_id, quant.lot_id,
                           %(quant_owned)s AS own,
                           COALESCE(quant.quantity, 0) AS quantity
                      FROM stock_quant quant
                     WHERE quant.location_id = ANY(%(locations)s)
                       AND quant.product_id = ANY(%(products)s)
                     UNION ALL
                    SELECT line.product_id, side.location_id, line.lot_id,
                           %(line_owned)s,
                           side.sign * line.quantity_product_uom
                      FROM stock_move_line line
                      JOIN stock_move move ON move.id = line.move_id
                     CROSS JOIN LATERAL (VALUES (line.location_dest_id, -1), (line.location_id, 1))
                           AS side(location_id, sign)
                     WHERE move.state = 'done' AND move.date > %(at)s AND %(past)s
                       AND line.product_id = ANY(%(products)s)
                       AND side.location_id = ANY(%(locations)s)
                )
                SELECT product_id, location_id, lot_id, own, SUM(quantity)
                  FROM own
                 GROUP BY 1, 2, 3, 4
                """,
                quant_owned=owned_by_company_sql(SQL("quant.owner_id"), company.partner_id.id),
                line_owned=owned_by_company_sql(SQL("line.owner_id"), company.partner_id.id),
                locations=locations,
                products=list(infos),
                at=at,
                past=bool(at and at < fields.Datetime.now()),
            )
        )
        for product_id, location_id, lot_id, own, quantity in rows:
            info = infos[product_id]
            if (own or info["cost_method"] == "fifo") and not info["uom"].is_zero(quantity):
                by_location = stocks[product_id].quantities
                by_location[location_id, lot_id] = by_location.get((location_id, lot_id), 0.0)
                by_location[location_id, lot_id] += quantity

    # ------------------------------------------------------------------
    # Moves and their value at the date
    # ------------------------------------------------------------------

    @api.model
    def _read_valued_moves(self, company, at, infos):
        """The done valued moves up to `at`, in Odoo's order, with their valued quantity
        (``stock.move._get_valued_qty``) computed from their lines: yields
        ``_make_valued_moves`` of a chunk of products at a time, each product's moves whole."""
        # A row per move and valued line, in Odoo's order: one sort, the lines summed per move
        # in Python (grouping them per move in SQL costs a sort more, and a join).
        query = SQL(
            """
            SELECT move.id, move.product_id, move.date, move.value, move.is_in, move.is_out,
                   move.is_dropship, move.quantity, move.product_uom, move.purchase_line_id,
                   move.origin_returned_move_id, line.incoming, line.quantity
              FROM stock_move move
              LEFT JOIN (
                    SELECT line.move_id, COALESCE(line.quantity_product_uom, 0) AS quantity,
                           %(destination_valued)s AS incoming
                      FROM stock_move_line line
                      JOIN stock_location source ON source.id = line.location_id
                      JOIN stock_location destination ON destination.id = line.location_dest_id
                      JOIN res_company line_company ON line_company.id = line.company_id
                     WHERE line.picked AND %(owned)s
                       AND %(source_valued)s != %(destination_valued)s
                   ) line ON line.move_id = move.id
             WHERE move.company_id = %(company)s AND move.state = 'done' AND %(up_to)s
               AND (move.is_in OR move.is_out OR move.is_dropship)
               AND move.product_id = ANY(%(products)s)
             ORDER BY move.product_id, move.date, move.id
            """,
            company=company.id,
            up_to=self._date_up_to(SQL("move.date"), at),
            products=list(infos),
            source_valued=valued_location_sql("source"),
            destination_valued=valued_location_sql("destination"),
            owned=owned_by_company_sql(SQL("line.owner_id"), SQL("line_company.partner_id")),
        )
        pending = []
        for chunk in read_in_chunks(self.env.cr, query, STOCK_AT_DATE_CHUNK):
            rows = pending + chunk
            cut = len(rows)
            if len(chunk) == STOCK_AT_DATE_CHUNK:
                # not the last chunk: the last product's moves may go on in the next one
                while cut and rows[cut - 1][1] == rows[-1][1]:
                    cut -= 1
            pending = rows[cut:]
            if cut:
                yield self._make_valued_moves(rows[:cut], infos)
        if pending:
            yield self._make_valued_moves(pending, infos)

    @api.model
    def _make_valued_moves(self, rows, infos):
        """`_read_valued_moves`' rows as ({product id: [ValuedMove]}, {move id: its sources}).
        A move's valued quantity is that of its lines entering the valued locations, else of
        those leaving them (``_get_valued_qty``); a dropship without them, its quantity."""
        moves = defaultdict(list)
        sources = {}
        for move_id, move_rows in groupby(rows, key=itemgetter(0)):
            row = next(move_rows)
            _id, product_id, date, value, is_in, is_out, is_dropship, quantity, uom_id = row[:9]
            purchase_line_id, origin_id = row[9:11]
            in_lines = out_lines = 0
            in_qty = out_qty = 0.0
            for incoming, line_qty in chain([row[11:]], (other[11:] for other in move_rows)):
                if incoming:
                    in_lines += 1
                    in_qty += line_qty
                elif incoming is not None:
                    out_lines += 1
                    out_qty += line_qty
            if in_lines:
                valued_qty = in_qty
            elif out_lines:
                valued_qty = out_qty
            elif is_dropship:
                uom = self.env["uom.uom"].browse(uom_id)
                valued_qty = uom._compute_quantity(quantity, infos[product_id]["uom"])
            else:
                valued_qty = 0.0
            value = value or 0.0
            moves[product_id].append(
                ValuedMove(
                    move_id, date, is_in, is_out, is_dropship, valued_qty, quantity, value, value
                )
            )
            sources[move_id] = (product_id, purchase_line_id, origin_id)
        return moves, sources

    @api.model
    def _value_incoming_moves(self, company, at, infos, moves, sources):
        """Set each incoming move's value at `at`, as ``stock.move._get_value_data(at_date)``
        finds it: the last value set by hand up to `at`; else the vendor bills and purchase
        price (the stored value, unless a bill came after `at`); else the delivery it returns;
        else the product's current cost. Moves whose value changed after `at` are valued by
        Odoo itself. Today (`at` None), Odoo takes the stored values."""
        if at is None:
            return
        incoming = {
            move.id: move
            for product_moves in moves.values()
            for move in product_moves
            if move.is_in or move.is_dropship
        }
        manual = self._read_move_manual_values(list(incoming))
        billed_after = self._read_moves_billed_after(company, at, list(incoming))
        all_moves = {move.id: move for product_moves in moves.values() for move in product_moves}
        by_odoo = []
        for move_id, move in incoming.items():
            product_id, purchase_line_id, origin_id = sources[move_id]
            values = manual.get(move_id, [])
            before = [value for value in values if value.date <= at]
            if before:
                move.value = before[-1].value
            elif values or (purchase_line_id and move_id in billed_after):
                by_odoo.append(move_id)
            elif purchase_line_id:
                move.value = move.stored_value
            elif origin_id and self._is_returned_delivery(origin_id, all_moves):
                move.value = self._get_return_value(move, origin_id, all_moves)
                move.today_figures = True
            else:
                move.value = self._get_cost_value(infos[product_id], move, at)
                move.today_figures = True
        for move in (
            self.env["stock.move"]
            .sudo()
            .with_company(company)
            .with_context(allowed_company_ids=company.ids)
            .browse(by_odoo)
        ):
            incoming[move.id].value = move._get_value(at_date=at)

    @api.model
    def _is_returned_delivery(self, origin_id, all_moves):
        origin = all_moves.get(origin_id)
        if origin is not None:
            return origin.is_out
        return self.env["stock.move"].sudo().browse(origin_id).is_out

    @api.model
    def _get_return_value(self, move, origin_id, all_moves):
        """``_get_value_from_returns``: the returned delivery's value, for the quantity back."""
        origin = all_moves.get(origin_id)
        if origin is None:
            record = self.env["stock.move"].sudo().browse(origin_id)
            return record.value * move.valued_qty / record._get_valued_qty()
        return origin.stored_value * move.valued_qty / origin.valued_qty

    @api.model
    def _get_cost_value(self, info, move, at):
        """``_get_value_from_std_price``: the product's cost today (for standard costing, the
        cost at `at` only if today's is zero, as Odoo does)."""
        price = info["standard_price"]
        if not price and info["cost_method"] == "standard":
            price = standard_price_at(info["manual_values"], at, price)
        return price * move.valued_qty

    @api.model
    def _read_move_manual_values(self, move_ids):
        """{move id: [ManualValue]}: values set by hand on the moves, in order (date, id)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT move_id, id, date, value FROM product_value
                 WHERE move_id = ANY(%s)
                 ORDER BY date, id
                """,
                move_ids,
            )
        )
        values = defaultdict(list)
        for move_id, value_id, date, value in rows:
            values[move_id].append(ManualValue(value_id, date, value))
        return values

    @api.model
    def _read_moves_billed_after(self, company, at, move_ids):
        """Incoming moves whose purchase line has a posted bill dated after `at`."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT move.id
                  FROM stock_move move
                  JOIN account_move_line bill_line
                       ON bill_line.purchase_line_id = move.purchase_line_id
                 WHERE move.id = ANY(%s)
                   AND bill_line.parent_state = 'posted'
                   AND bill_line.date > %s
                """,
                move_ids,
                fields.Date.to_date(at),
            )
        )
        return {row[0] for row in rows}

    @api.model
    def _read_product_manual_values(self, company, infos):
        """Costs set by hand on the products: every company's for average cost (Odoo reads
        them as superuser), the company's own for standard costing (as its record rule lets
        Odoo read them). Sets `manual_values` on each info, in order (date, id)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT product_id, id, date, value, company_id FROM product_value
                 WHERE product_id = ANY(%s) AND move_id IS NULL AND lot_id IS NULL
                 ORDER BY date, id
                """,
                list(infos),
            )
        )
        for info in infos.values():
            info["manual_values"] = []
        for product_id, value_id, date, value, company_id in rows:
            info = infos[product_id]
            if info["cost_method"] != "standard" or company_id == company.id:
                info["manual_values"].append(ManualValue(value_id, date, value))

    # ------------------------------------------------------------------
    # Value per product
    # ------------------------------------------------------------------

    @api.model
    def _value_product_at(self, info, stock, moves, at):
        """``product.product._compute_value`` with ``to_date``, for one product."""
        uom = info["uom"]
        if uom.is_zero(stock.quantity):
            return 0.0
        if info["cost_method"] == "standard":
            price = info["standard_price"]
            if at:
                price = standard_price_at(info["manual_values"], at, price)
            return price * stock.quantity
        if info["cost_method"] == "average":
            manual_values = [value for value in info["manual_values"] if not at or value.date <= at]
            return average_cost_value(moves, manual_values, stock.quantity)
        incoming = [move for move in moves if move.is_in]
        return fifo_value(
            incoming, stock.quantity, info["standard_price"], uom.compare, at_date=bool(at)
        )

    @api.model
    def _value_by_lots(self, company, at, infos, stocks):
        """Products valued by lot: Odoo's own ``total_value`` (the sum of its lots' values)."""
        lot_valuated = [product_id for product_id, info in infos.items() if info["lot_valuated"]]
        if not lot_valuated:
            return
        products = (
            self.env["product.product"]
            .sudo()
            .with_company(company)
            .with_context(allowed_company_ids=company.ids, to_date=at or False)
            .browse(lot_valuated)
        )
        for product in products:
            stocks[product.id].value = product.total_value
