from collections import defaultdict

from odoo import models
from odoo.tools import SQL

from .product_category import PRODUCT_ACCOUNTS
from .res_company import PERPETUAL


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _read_perpetual_position(self, accounts_cache=None, deliveries=None):
        """Where the stock of these products is, and what the perpetual valuation has posted for
        them: one round trip, at each validation.

        - Quantity on hand per (product, stock valuation account) in the current company, as
          Odoo's valuation counts it (`_with_valuation_context`): valued internal and transit
          locations, and for non-FIFO products the company's own stock only, not consigned
          quants.
        - The balance posted so far per (product id, stock account id), by the perpetual
          valuation only: a manual entry on a stock account stays a difference for the
          reconciliation to explain, it is never absorbed by a movement. An index-only scan
          (account_move_line_stock_valuation_balance_index), flat as the history grows.
        - For `deliveries` (AVCO deliveries being posted): the products whose moves Odoo's
          valuation will see in another order (a receipt already done sorts after them).

        :return: (quantities, replayed products, posted balances)
        """
        company = self.env.company
        quantities = defaultdict(float)
        if not self:
            return quantities, self.browse(), {}
        accounts_cache = {} if accounts_cache is None else accounts_cache
        category_accounts = {
            product._get_perpetual_accounts_cached(accounts_cache)["stock_valuation"].id
            for product in self
        }
        first = min(deliveries, key=lambda m: (m.date, m.id)) if deliveries else None
        self.env["stock.quant"].flush_model(
            ["product_id", "location_id", "owner_id", "quantity", "company_id"]
        )
        self.env["stock.move"].flush_model(["product_id", "state", "is_in", "date"])
        self.env["account.move.line"].flush_model(
            ["product_id", "account_id", "company_id", "balance", "parent_state"]
        )
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
        rows = self.env.execute_query(
            SQL(
                """
                SELECT 'quant', quant.product_id, quant.location_id, quant.owner_id,
                       SUM(quant.quantity), %(replay)s
                  FROM stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                 WHERE quant.product_id = ANY(%(products)s)
                   AND quant.company_id = %(company)s
                   AND location.usage IN ('internal', 'transit')
                 GROUP BY quant.product_id, quant.location_id, quant.owner_id
                 UNION ALL
                SELECT 'posted', line.product_id, line.account_id, NULL, SUM(line.balance), FALSE
                  FROM account_move_line line
                 WHERE line.product_id = ANY(%(products)s)
                   AND line.company_id = %(company)s
                   AND line.stock_valuation_kind IS NOT NULL
                   AND line.parent_state = 'posted'
                   AND (line.account_id = ANY(%(accounts)s) OR line.account_id IN (
                        SELECT valuation_account_id FROM stock_location
                         WHERE company_id = %(company)s AND usage IN ('internal', 'transit')))
                 GROUP BY line.product_id, line.account_id
                """,
                products=self.ids,
                company=company.id,
                accounts=list(category_accounts),
                replay=replay,
            )
        )
        products = {product.id: product for product in self}
        locations = self.env["stock.location"].browse({row[2] for row in rows if row[0] == "quant"})
        replayed, posted = set(), {}
        for kind, product_id, location_id, owner_id, amount, replay_product in rows:
            if kind == "posted":
                posted[product_id, location_id] = amount  # location_id holds the account here
                continue
            product = products[product_id]
            if replay_product:
                replayed.add(product_id)
            if owner_id and owner_id != company.partner_id.id and product.cost_method != "fifo":
                continue
            product_accounts = product._get_perpetual_accounts_cached(accounts_cache)
            account = locations.browse(location_id)._get_perpetual_stock_account(product_accounts)
            quantities[product, account] += amount
        return quantities, self.browse(replayed), posted

    def _get_perpetual_stock_values(self, quantities, replayed_products=None):
        """Odoo's own stock value per (product, account), in cents, for the quantities given.

        Odoo values the stock on hand at standard price x quantity for standard costing; for
        AVCO and FIFO it keeps `standard_price` equal to the value on hand divided by the
        quantity each time it (re)values a move (`_update_standard_price`), so the same product
        gives its `total_value` without replaying the product's history. Lot-valued products
        ask Odoo (`total_value`), since their value is the sum of their lots', and so do
        `replayed_products` (AVCO deliveries that Odoo replays in another order, see
        `_read_perpetual_position`).
        """
        currency = self.env.company.currency_id
        values = {}
        quantities_by_product = defaultdict(dict)
        for (product, account), quantity in quantities.items():
            quantities_by_product[product][account] = quantity
        for product in self:
            by_account = quantities_by_product.get(product) or {}
            total_quantity = sum(by_account.values())
            if product.lot_valuated or product in (replayed_products or ()):
                total_value = product.total_value
            else:
                total_value = currency.round(product.standard_price * total_quantity)
            values.update(product._split_value_by_account(total_value, by_account, total_quantity))
        return values

    def _split_value_by_account(self, total_value, quantity_by_account, total_quantity):
        """Share a value in cents between accounts in proportion to their quantities, so that
        the shares add up to the total exactly (the last account takes the rounding)."""
        self.ensure_one()
        currency = self.env.company.currency_id
        if len(quantity_by_account) <= 1 or not total_quantity:
            account = next(iter(quantity_by_account), None)
            return {(self, account): total_value} if account else {}
        shares = {}
        remaining = total_value
        accounts = sorted(quantity_by_account, key=lambda a: a.id)
        for account in accounts[:-1]:
            share = currency.round(total_value * quantity_by_account[account] / total_quantity)
            shares[self, account] = share
            remaining -= share
        shares[self, accounts[-1]] = currency.round(remaining)
        return shares

    def action_open_running_ledger(self):
        """The running stock ledger of this product."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_ledger_action"
        )
        action["domain"] = [("product_id", "=", self.id)]
        action["context"] = {}
        return action

    def _is_perpetual(self):
        self.ensure_one()
        return self.is_storable and self.valuation == PERPETUAL

    def _get_perpetual_price_difference_key(self):
        """Where a bill's change of value goes once the goods have left the stock."""
        self.ensure_one()
        return "expense" if self.categ_id.delivered_price_difference_to_cogs else "price_difference"

    def _post_perpetual_revaluation(self):
        """Bring the stock accounts of these products to Odoo's stock value after a change of
        cost (standard price, average cost or lot cost set by hand): stock against stock
        variation, for what is on hand."""
        products = self.filtered(lambda p: p._is_perpetual())
        if not products:
            return
        accounts_cache = {}
        lines = products._prepare_perpetual_adjustment_lines([], accounts_cache)
        self.env["account.move"]._post_perpetual_lines(lines, accounts_cache)

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

    # ------------------------------------------------------------------
    # Keeping the stock accounts on Odoo's stock value
    # ------------------------------------------------------------------

    def _prepare_perpetual_adjustment_lines(
        self, lines, accounts_cache, net_quantities=None, remainder_key=None, deliveries=None
    ):
        """Lines that bring each stock account, per product, to Odoo's stock value.

        After the lines of the movements, the stock account of a product must hold Odoo's own
        value of what is on hand (`total_value`). What separates them is:
        - rounding: Odoo values an AVCO/FIFO delivery at the unrounded cost and rounds the
          value on hand once; that cent goes with the delivery (it is part of its cost);
        - goods delivered before they were received: when stock comes back from negative,
          Odoo revalues what was delivered at the new cost; that goes to cost of goods sold;
        - any other change of Odoo's value: to `remainder_key`'s account (a bill revaluing a
          receipt of goods partly delivered: price difference), by default stock variation.

        :param lines: the lines about to be posted (signed balances); a rounding cent is added
            to the delivery it belongs to, in place
        :param net_quantities: quantity each product (id) gained in stock through the movements
        :param remainder_key: function(product) -> key of `_get_product_accounts`
        :param deliveries: the AVCO deliveries among the movements, if any
        :return: the extra lines
        """
        net_quantities = net_quantities or {}
        currency = self.env.company.currency_id
        quantities, replayed_products, posted = self._read_perpetual_position(
            accounts_cache, deliveries
        )
        targets = {
            (product.id, account.id): value
            for (product, account), value in self._get_perpetual_stock_values(
                quantities, replayed_products
            ).items()
        }
        quantity_by_product = defaultdict(float)
        for (product, _account), quantity in quantities.items():
            quantity_by_product[product.id] += quantity
        pending = defaultdict(float)
        for line in lines:
            if line["is_stock"]:
                pending[line["product_id"], line["account_id"]] += line["balance"]
        adjustments = []
        for product_id, account_id in sorted({*targets, *pending, *posted}):
            residual = currency.round(
                targets.get((product_id, account_id), 0.0)
                - posted.get((product_id, account_id), 0.0)
                - pending[product_id, account_id]
            )
            if currency.is_zero(residual):
                continue
            product = self.browse(product_id)
            gained = net_quantities.get(product_id, 0.0)
            quantity_before = quantity_by_product[product_id] - gained
            came_back_from_negative = gained > 0 and product.uom_id.compare(quantity_before, 0) < 0
            adjustments += product._prepare_perpetual_residual(
                self.env["account.account"].browse(account_id),
                residual,
                lines,
                accounts_cache,
                came_back_from_negative=came_back_from_negative,
                remainder_key=remainder_key(product) if remainder_key else "stock_variation",
            )
        return adjustments

    def _prepare_perpetual_residual(
        self,
        stock_account,
        residual,
        lines,
        accounts_cache,
        came_back_from_negative=False,
        remainder_key="stock_variation",
    ):
        self.ensure_one()
        currency = self.env.company.currency_id
        own_lines = [
            line
            for line in lines
            if line["product_id"] == self.id and line["account_id"] == stock_account.id
        ]
        # Each rounded amount may be off by half a cent: beyond that, it is not rounding.
        is_rounding = abs(residual) <= currency.rounding * (len(own_lines) + 2) / 2
        absorbing = [line for line in own_lines if line["absorbs_rounding"]]
        if is_rounding and absorbing and not came_back_from_negative:
            line = max(absorbing, key=lambda line: abs(line["balance"]))
            counterpart = next(
                other
                for other in lines
                if other["stock_move_id"] == line["stock_move_id"]
                and other["product_id"] == self.id
                and not other["is_stock"]
            )
            line["balance"] = currency.round(line["balance"] + residual)
            counterpart["balance"] = currency.round(counterpart["balance"] - residual)
            return []
        accounts = self._get_perpetual_accounts_cached(accounts_cache)
        if came_back_from_negative:
            counterpart_account = self._require_perpetual_account(accounts, "expense")
            name = self.env._(
                "%(product)s: revaluation of goods delivered before receipt",
                product=self.display_name,
            )
        elif remainder_key == "stock_variation":
            counterpart_account = self._require_perpetual_account(accounts, remainder_key)
            name = self.env._(
                "%(product)s: revaluation to Odoo's stock value", product=self.display_name
            )
        else:
            counterpart_account = self._require_perpetual_account(accounts, remainder_key)
            name = self.env._(
                "%(product)s: value change of goods no longer in stock", product=self.display_name
            )
        return self._prepare_perpetual_revaluation_pair(
            stock_account, residual, counterpart_account, name
        )

    def _prepare_perpetual_revaluation_pair(self, stock_account, amount, counterpart, name):
        self.ensure_one()
        common = {
            "product_id": self.id,
            "product_uom_id": self.uom_id.id,
            "quantity": 0.0,
            "stock_move_id": False,
            "stock_valuation_kind": "revaluation",
            "name": name,
            "absorbs_rounding": False,
            "keep": False,
        }
        return [
            {**common, "account_id": stock_account.id, "balance": amount, "is_stock": True},
            {**common, "account_id": counterpart.id, "balance": -amount, "is_stock": False},
        ]
