from collections import defaultdict

from odoo import models
from odoo.tools import SQL

from .res_company import PERPETUAL


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _get_perpetual_stock_quantities(self, accounts_cache=None, deliveries=None):
        """Quantity on hand per (product, stock valuation account) in the current company.

        Counts what Odoo's valuation counts (`_with_valuation_context`): valued internal and
        transit locations of the company, and for non-FIFO products only the company's own
        stock, not consigned quants.

        :param deliveries: AVCO deliveries being posted; the products that Odoo's valuation will
            see in another order (see `stock.move._get_perpetual_replayed_products`) are returned
            too
        :return: (quantities, replayed products)
        """
        company = self.env.company
        quantities = defaultdict(float)
        if not self:
            return quantities, self.browse()
        first = min(deliveries, key=lambda m: (m.date, m.id)) if deliveries else None
        self.env["stock.quant"].flush_model(
            ["product_id", "location_id", "owner_id", "quantity", "company_id"]
        )
        self.env["stock.move"].flush_model(["product_id", "state", "is_in", "date"])
        # One grouped read at each validation: where the stock of each product is and, for AVCO
        # deliveries, whether a receipt already done sorts after them in Odoo's replay.
        rows = self.env.execute_query(
            SQL(
                """
                SELECT quant.product_id, quant.location_id, quant.owner_id, SUM(quant.quantity),
                       %(replay)s
                  FROM stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                 WHERE quant.product_id = ANY(%(products)s)
                   AND quant.company_id = %(company)s
                   AND location.usage IN ('internal', 'transit')
                 GROUP BY quant.product_id, quant.location_id, quant.owner_id
                """,
                products=self.ids,
                company=company.id,
                replay=SQL(
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
                else SQL("FALSE"),
            )
        )
        accounts_cache = {} if accounts_cache is None else accounts_cache
        products = {product.id: product for product in self}
        locations = self.env["stock.location"].browse({row[1] for row in rows})
        replayed = set()
        for product_id, location_id, owner_id, quantity, replay in rows:
            product = products[product_id]
            if replay:
                replayed.add(product_id)
            if owner_id and owner_id != company.partner_id.id and product.cost_method != "fifo":
                continue
            product_accounts = product._get_perpetual_accounts_cached(accounts_cache)
            account = locations.browse(location_id)._get_perpetual_stock_account(product_accounts)
            quantities[product, account] += quantity
        return quantities, self.browse(replayed)

    def _get_perpetual_stock_values(self, quantities, replayed_products=None):
        """Odoo's own stock value per (product, account), in cents, for the quantities given.

        Odoo values the stock on hand at standard price x quantity for standard costing; for
        AVCO and FIFO it keeps `standard_price` equal to the value on hand divided by the
        quantity each time it (re)values a move (`_update_standard_price`), so the same product
        gives its `total_value` without replaying the product's history. Lot-valued products
        ask Odoo (`total_value`), since their value is the sum of their lots', and so do
        `replayed_products` (see `stock.move._get_perpetual_replayed_products`).
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

    def _get_perpetual_posted_balances(self, accounts):
        """What the perpetual valuation has posted so far per (product, account): balance and
        quantity. Only its own journal items count: a manual entry on a stock account stays a
        difference for the reconciliation to explain, it is never absorbed by a movement."""
        if not self or not accounts:
            return {}
        self.env["account.move.line"].flush_model(
            ["product_id", "account_id", "company_id", "balance", "quantity", "parent_state"]
        )
        # Raw SQL on purpose: runs at every validation and must stay an index-only scan
        # (account_move_line_stock_valuation_balance_index), whatever the product's history.
        rows = self.env.execute_query(
            SQL(
                """
                SELECT product_id, account_id, SUM(balance), SUM(quantity)
                  FROM account_move_line
                 WHERE product_id = ANY(%s)
                   AND account_id = ANY(%s)
                   AND company_id = %s
                   AND stock_valuation_kind IS NOT NULL
                   AND parent_state = 'posted'
                 GROUP BY product_id, account_id
                """,
                self.ids,
                accounts.ids,
                self.env.company.id,
            )
        )
        product_by_id = {product.id: product for product in self}
        account_by_id = {account.id: account for account in accounts}
        return {
            (product_by_id[product_id], account_by_id[account_id]): (balance, quantity)
            for product_id, account_id, balance, quantity in rows
        }

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
        """`product.template._get_perpetual_accounts`, once per template and batch."""
        self.ensure_one()
        template = self.product_tmpl_id
        if template not in cache:
            cache[template] = template._get_perpetual_accounts()
        return cache[template]

    def _require_perpetual_account(self, accounts, key):
        self.ensure_one()
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
        :param net_quantities: quantity each product gained in stock through the movements
        :param remainder_key: function(product) -> key of `_get_product_accounts`
        :param deliveries: the AVCO deliveries among the movements, if any
        :return: the extra lines
        """
        net_quantities = net_quantities or {}
        currency = self.env.company.currency_id
        quantities, replayed_products = self._get_perpetual_stock_quantities(
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
        stock_accounts = self.env["account.account"].browse(
            {account_id for (_product_id, account_id) in (*targets, *pending)}
        )
        posted = {
            (product.id, account.id): balance
            for (product, account), (balance, _quantity) in self._get_perpetual_posted_balances(
                stock_accounts
            ).items()
        }
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
            gained = net_quantities.get(product, 0.0)
            quantity_before = quantity_by_product[product_id] - gained
            came_back_from_negative = gained > 0 and product.uom_id.compare(quantity_before, 0) < 0
            adjustments += product._prepare_perpetual_residual(
                stock_accounts.browse(account_id),
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
