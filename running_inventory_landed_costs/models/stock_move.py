from collections import defaultdict
from dataclasses import replace

from odoo import models
from odoo.exceptions import UserError

from odoo.addons.running_inventory.tools.valuation_line import REVALUATION


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_perpetual_landed_costs(self):
        """The validated landed cost adjustments Odoo adds to the value of this receipt (none
        when its value was set by hand: Odoo then leaves the landed costs out)."""
        self.ensure_one()
        adjustments = self.env["stock.valuation.adjustment.lines"]
        if not self.is_in or self.env["product.value"].sudo().search_count(
            [("move_id", "=", self.id)], limit=1
        ):
            return adjustments
        return self._get_landed_cost().get(self, adjustments)

    def _get_perpetual_counterpart_value(self):
        # The vendor's side (GRNI) carries the purchase value only: the landed costs are
        # posted against their own account.
        value = super()._get_perpetual_counterpart_value()
        return value - sum(self._get_perpetual_landed_costs().mapped("additional_landed_cost"))

    def _get_perpetual_value_change_lines(self, posted, accounts):
        lines = super()._get_perpetual_value_change_lines(posted, accounts)
        return lines + self._prepare_perpetual_landed_cost_lines(posted, accounts)

    def _prepare_perpetual_landed_cost_lines(self, posted, accounts):
        """What the validated landed costs add to this receipt and is not posted yet: debit
        stock for the share on the goods still on hand; for the share on goods already
        delivered, goods delivered not invoiced while their sale line waits for its invoice,
        cost of goods sold otherwise; credit the landed cost line's account. The posting
        service then trues the stock account up to Odoo's value (AVCO shares), against cost of
        goods sold too."""
        adjustments = self._get_perpetual_landed_costs()
        if not adjustments:
            return []
        move_lines = self._get_in_move_lines()
        stock_account = move_lines[:1].location_dest_id._get_perpetual_stock_account(accounts)
        amounts, names = self._group_perpetual_landed_costs(adjustments, stock_account)
        quantity = sum(move_lines.mapped("quantity_product_uom"))
        on_hand_ratio = min(max(self.remaining_qty / quantity, 0.0), 1.0) if quantity else 0.0
        delivered_quantity = quantity * (1 - on_hand_ratio)
        not_invoiced = self._get_perpetual_delivered_not_invoiced(delivered_quantity)
        currency = self.company_id.currency_id
        lines = []
        for account, amount in amounts.items():
            change = currency.round(amount + posted.get((self.id, account.id), (0.0, 0.0))[0])
            if currency.is_zero(change):
                continue
            label = self.env._(
                "%(reference)s - %(product)s: landed costs %(costs)s",
                reference=self._get_perpetual_reference(),
                product=self.product_id.name,
                costs=", ".join(sorted(names[account])),
            )
            on_hand = currency.round(change * on_hand_ratio)
            lines += [
                self._prepare_perpetual_line(
                    stock_account, on_hand, kind=REVALUATION, label=label, on_stock_account=True
                ),
                *self._prepare_perpetual_delivered_share_lines(
                    change - on_hand, delivered_quantity, not_invoiced, accounts, label
                ),
                self._prepare_perpetual_line(account, -change, kind=REVALUATION, label=label),
            ]
        return [line for line in lines if line.amount]

    def _prepare_perpetual_delivered_share_lines(
        self, amount, delivered_quantity, not_invoiced, accounts, label
    ):
        """The landed costs' share on the goods of this receipt already delivered: on goods
        delivered not invoiced for the quantities whose sale line waits for its invoice (the
        invoice then takes it to cost of goods sold), the rest on cost of goods sold.

        Not the receipt's own lines (no stock_move_id): what is posted per receipt and account
        tells what of its landed costs is posted, even on a shared account."""
        currency = self.company_id.currency_id
        lines = []
        left = amount
        for sale_line, waiting in not_invoiced.items():
            share = currency.round(amount * waiting / delivered_quantity)
            left -= share
            gdni = self.product_id._require_perpetual_account(accounts, "gdni")
            lines.append(
                replace(
                    self._prepare_perpetual_line(gdni, share, kind=REVALUATION, label=label),
                    stock_move_id=None,
                    partner_id=sale_line.order_id.partner_id.commercial_partner_id.id,
                    interim_link=("interim_sale_line_id", sale_line.id),
                )
            )
        expense = self.product_id._require_perpetual_account(accounts, "expense")
        lines.append(
            replace(
                self._prepare_perpetual_line(expense, left, kind=REVALUATION, label=label),
                stock_move_id=None,
            )
        )
        return lines

    def _get_perpetual_delivered_not_invoiced(self, delivered_quantity):
        """{sale line: quantity} of the goods of this receipt already delivered that wait for
        their invoice. The deliveries that took the receipt's goods are taken as those of the
        product since the receipt, oldest first (FIFO; for AVCO any split of the same
        quantity is as good), and of each sale line the quantity not invoiced yet."""
        self.ensure_one()
        if self.product_id.uom_id.compare(delivered_quantity, 0) <= 0:
            return {}
        deliveries = self.search(
            [
                ("product_id", "=", self.product_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "done"),
                ("is_out", "=", True),
                ("date", ">=", self.date),
            ],
            order="date, id",
        )
        taken = defaultdict(float)
        left = delivered_quantity
        for delivery in deliveries:
            if self.product_id.uom_id.compare(left, 0) <= 0:
                break
            quantity = min(delivery._get_valued_qty(), left)
            left -= quantity
            if delivery.sale_line_id:
                taken[delivery.sale_line_id] += quantity
        waiting = {}
        for sale_line, quantity in taken.items():
            open_quantity = sale_line.product_uom_id._compute_quantity(
                sale_line.qty_delivered - sale_line._get_perpetual_posted_invoiced_quantity(),
                self.product_id.uom_id,
            )
            if self.product_id.uom_id.compare(min(quantity, open_quantity), 0) > 0:
                waiting[sale_line] = min(quantity, open_quantity)
        return waiting

    def _group_perpetual_landed_costs(self, adjustments, stock_account):
        """({account: amount}, {account: landed cost names}) of the adjustments."""
        amounts = defaultdict(float)
        names = defaultdict(set)
        for adjustment in adjustments:
            account = adjustment.cost_line_id._get_perpetual_account(stock_account)
            if not account:
                raise UserError(
                    self.env._(
                        "Landed cost %(cost)s: set an account on its line %(line)s.",
                        cost=adjustment.cost_id.display_name,
                        line=adjustment.cost_line_id.display_name,
                    )
                )
            amounts[account] += adjustment.additional_landed_cost
            names[account].add(adjustment.cost_id.name)
        return amounts, names
