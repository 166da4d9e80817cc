from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.rpc import rpc_record
from ..tools.stock_valuation import split_by_quantity
from ..tools.valuation_sql import valued_location_sql
from .product_category import PRODUCT_ACCOUNTS
from .res_company import PERPETUAL
from .running_inventory_blind_mixin import PRODUCT_STOCK_FIGURES


class StockPosition:
    """Where the stock of a batch of products is, and what the perpetual valuation has posted
    for it (`product.product._read_perpetual_position`).

    :param quantities: quantity on hand per (product, stock valuation account)
    :param replayed: the products whose value Odoo must replay (see `_read_perpetual_position`)
    :param posted: balance posted so far per (product id, stock account id)
    :param consigned: the FIFO products of which the company also holds goods owned by others
    """

    __slots__ = ("_on_hand", "consigned", "posted", "quantities", "replayed")

    def __init__(self, quantities, replayed, posted, consigned=None):
        self.quantities = quantities
        self.replayed = replayed
        self.posted = posted
        self.consigned = consigned if consigned is not None else replayed.browse()
        self._on_hand = defaultdict(float)
        for (product, _account), quantity in quantities.items():
            self._on_hand[product.id] += quantity

    def on_hand(self, product_id):
        """Quantity on hand of the product in all its stock accounts."""
        return self._on_hand[product_id]


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "running.inventory.blind.mixin"]

    # Blind counting: what a counter may not read of the products it counts.
    _blind_figure_fields = PRODUCT_STOCK_FIGURES

    def _read_perpetual_position(self, accounts_cache=None, deliveries=None):
        """Where the stock of these products is, and what the perpetual valuation has posted for
        them: one round trip, at each validation.

        - Quantity on hand per (product, stock valuation account) in the current company, as
          Odoo's valuation counts it (`_with_valuation_context`): valued internal and transit
          locations, the company's own stock only. Goods owned by others (consignment) are
          never the company's assets, whatever the cost method (Odoo's FIFO value counts
          them: the reconciliation names that difference).
        - The balance posted so far per (product id, stock account id), by the perpetual
          valuation only: a manual entry on a stock account stays a difference for the
          reconciliation to explain, it is never absorbed by a movement. One row per product
          and account (`running.inventory.posted.balance`), whatever the history's length.
        - For `deliveries` (AVCO deliveries being posted): the products whose moves Odoo's
          valuation will see in another order (a receipt already done sorts after them).

        :return: `StockPosition`
        """
        if not self:
            return StockPosition(defaultdict(float), self.browse(), {})
        accounts_cache = {} if accounts_cache is None else accounts_cache
        self.env["stock.quant"].flush_model(
            ["product_id", "location_id", "owner_id", "quantity", "company_id"]
        )
        self.env["stock.move"].flush_model(["product_id", "state", "is_in", "date"])
        self.env["account.move.line"].flush_model(
            [
                "product_id",
                "account_id",
                "company_id",
                "balance",
                "quantity",
                "parent_state",
                "stock_valuation_kind",
            ]
        )
        rows = self.env.execute_query(
            SQL(
                "%s UNION ALL %s",
                self._perpetual_quantities_query(deliveries),
                self._perpetual_posted_balances_query(accounts_cache),
            )
        )
        return self._make_perpetual_position(rows, accounts_cache)

    def _perpetual_quantities_query(self, deliveries):
        """Rows ('quant', product, location, owner, quantity, replayed) of the stock on hand.
        A quant counted but not applied has no quantity: it holds nothing."""
        first = min(deliveries, key=lambda m: (m.date, m.id)) if deliveries else None
        replay = (
            SQL(
                """
                quant.product_id = ANY(%(delivered)s) AND EXISTS(
                    SELECT 1 FROM stock_move move
                     WHERE move.product_id = quant.product_id
                       AND move.state = 'done' AND move.is_in
                       AND (move.date, move.id) > (%(date)s, %(id)s))
                """,
                delivered=deliveries.product_id.ids,
                date=first.date,
                id=first.id,
            )
            if first
            else SQL("FALSE")
        )
        return SQL(
            """
            SELECT 'quant', quant.product_id, quant.location_id, quant.owner_id,
                   COALESCE(SUM(quant.quantity), 0), %(replay)s
              FROM stock_quant quant
              JOIN stock_location location ON location.id = quant.location_id
             WHERE quant.product_id = ANY(%(products)s)
               AND quant.company_id = %(company)s
               AND %(valued)s
             GROUP BY quant.product_id, quant.location_id, quant.owner_id
            """,
            products=self.ids,
            company=self.env.company.id,
            valued=valued_location_sql("location"),
            replay=replay,
        )

    def _perpetual_posted_balances_query(self, accounts_cache):
        """Rows ('posted', product, account, NULL, balance, FALSE) of what the perpetual
        valuation posted on the products' stock accounts (`running.inventory.posted.balance`:
        one row per product and account, whatever the history)."""
        category_accounts = {
            product._get_perpetual_accounts_cached(accounts_cache)["stock_valuation"].id
            for product in self
        }
        company = self.env.company.id
        return SQL(
            """
            SELECT 'posted', posted.product_id, posted.account_id, NULL, posted.balance, FALSE
              FROM running_inventory_posted_balance posted
             WHERE posted.product_id = ANY(%(products)s)
               AND posted.company_id = %(company)s
               AND (posted.account_id = ANY(%(accounts)s) OR posted.account_id IN (
                    SELECT valuation_account_id FROM stock_location location
                     WHERE location.company_id = %(company)s AND %(valued)s))
            """,
            products=self.ids,
            company=company,
            accounts=list(category_accounts),
            valued=valued_location_sql("location"),
        )

    def _make_perpetual_position(self, rows, accounts_cache):
        company_partner = self.env.company.partner_id.id
        products = {product.id: product for product in self}
        locations = self.env["stock.location"].browse({row[2] for row in rows if row[0] == "quant"})
        quantities, replayed, posted, consigned = defaultdict(float), set(), {}, set()
        for kind, product_id, location_id, owner_id, amount, replay_product in rows:
            if kind == "posted":
                posted[product_id, location_id] = amount  # location_id holds the account here
                continue
            product = products[product_id]
            if replay_product:
                replayed.add(product_id)
            if owner_id and owner_id != company_partner:
                if product.cost_method == "fifo" and amount:
                    consigned.add(product_id)
                continue
            product_accounts = product._get_perpetual_accounts_cached(accounts_cache)
            account = locations.browse(location_id)._get_perpetual_stock_account(product_accounts)
            quantities[product, account] += amount
        return StockPosition(
            quantities, self.browse(replayed), posted, consigned=self.browse(consigned)
        )

    def _get_perpetual_stock_values(self, position):
        """Odoo's own stock value per (product id, account id), in cents, for the position.

        Odoo values the stock on hand at standard price x quantity for standard costing; for
        AVCO and FIFO it keeps `standard_price` equal to the value on hand divided by the
        quantity each time it (re)values a move (`_update_standard_price`), so the same product
        gives its `total_value` without replaying the product's history. Lot-valued products
        ask Odoo (`total_value`), since their value is the sum of their lots', and so do
        the position's replayed products (AVCO deliveries that Odoo replays in another order).
        A FIFO product also holding consigned goods is valued on the company's own goods only:
        Odoo's FIFO stack sized on the quantity it owns (the `owners` context that
        `_with_valuation_context` applies to the other cost methods).
        """
        currency = self.env.company.currency_id
        quantities_by_product = defaultdict(dict)
        for (product, account), quantity in position.quantities.items():
            quantities_by_product[product][account.id] = quantity
        values = {}
        for product in self:
            by_account = quantities_by_product.get(product) or {}
            total_quantity = sum(by_account.values())
            if product in position.consigned:
                total_value = product.with_context(
                    owners=[False, self.env.company.partner_id.id]
                ).total_value
            elif product.lot_valuated or product in position.replayed:
                total_value = product.total_value
            else:
                total_value = currency.round(product.standard_price * total_quantity)
            shares = split_by_quantity(total_value, by_account, currency.round)
            values.update({(product.id, account_id): share for account_id, share in shares.items()})
        return values

    @api.readonly
    @rpc_record
    def action_open_running_ledger(self):
        """The running stock ledger of this product."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_ledger_action"
        )
        action["domain"] = [("product_id", "=", self.id)]
        action["context"] = {}
        return action

    def _carry_cost_into_average(self):
        """Products that just took the average cost method keep the cost they carried.

        Odoo's AVCO starts from the product's recorded costs (`product.value`) and its
        receipts; a product born FIFO has no recorded cost, so with no receipt (stock sold
        short) Odoo's average is 0 and the stock the books hold at the product's cost would be
        worth nothing, while `standard_price` still shows that cost. Recording it as the cost
        at the change, as Odoo records a cost set by hand, keeps the value continuous.
        """
        carried = self.filtered(
            lambda p: (
                p.cost_method == "average"
                and p._is_perpetual()
                and not p.currency_id.is_zero(p.standard_price)
                and not p._run_avco()[0]
            )
        )
        self.env["product.value"].sudo().create(
            [
                {
                    "product_id": product.id,
                    "value": product.standard_price,
                    "company_id": self.env.company.id,
                    "date": fields.Datetime.now(),
                    "description": self.env._(
                        "Cost carried over to the average cost method: %(cost)s",
                        cost=product.standard_price,
                    ),
                }
                for product in carried
            ]
        )

    def _is_perpetual(self):
        self.ensure_one()
        return self.is_storable and self.valuation == PERPETUAL

    def _get_perpetual_price_difference_key(self):
        """Where a bill's change of value goes once the goods have left the stock."""
        self.ensure_one()
        return "expense" if self.categ_id.delivered_price_difference_to_cogs else "price_difference"

    # ------------------------------------------------------------------
    # Accounts
    # ------------------------------------------------------------------

    def _get_perpetual_accounts_cached(self, cache):
        """`product.template._get_perpetual_accounts`, once per category and company in a batch.

        What the perpetual valuation posts to is set on the category or the company (stock
        valuation, interim, price difference, stock variation accounts, stock journal); only the
        expense account can be the product's own, and `_require_perpetual_account` reads it
        from the product.
        """
        self.ensure_one()
        key = (self.categ_id, self.env.company)
        if key not in cache:
            ids = self.env["product.category"]._get_perpetual_account_ids(
                self.categ_id.id, self.env.company.id
            )
            accounts = {
                name: self.env[
                    "account.journal" if name == "stock_journal" else "account.account"
                ].browse(account_id)
                for name, account_id in ids.items()
            }
            if not (accounts.get("stock_valuation") and accounts.get("stock_journal")):
                self.product_tmpl_id._get_perpetual_accounts()  # says what is missing
            cache[key] = accounts
        return cache[key]

    def _require_perpetual_account(self, accounts, key):
        """`accounts[key]`, or a clear error naming what is missing and where to set it."""
        self.ensure_one()
        if key in PRODUCT_ACCOUNTS:
            return self.product_tmpl_id._get_perpetual_accounts(required=(key,))[key]
        if not accounts.get(key):
            self.product_tmpl_id._get_perpetual_accounts(required=(key,))
        return accounts[key]
