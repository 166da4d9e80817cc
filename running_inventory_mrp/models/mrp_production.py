from collections import defaultdict

from odoo import fields, models

from odoo.addons.running_inventory.tools.valuation_line import REVALUATION, ValuationLine


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    valuation_variance_move_id = fields.Many2one(
        "account.move",
        string="Production Variance Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Perpetual valuation: the entry that clears the order's work in progress (labour "
        "of its work orders, and the production variance between what the order consumed and "
        "the value of what it produced).",
    )

    def _post_inventory(self, cancel_backorder=False):
        result = super()._post_inventory(cancel_backorder=cancel_backorder)
        self.filtered(lambda mo: mo.state == "done")._post_perpetual_production_variance()
        return result

    def _post_perpetual_production_variance(self):
        """Clear the work in progress of done orders of perpetual products: debit WIP with
        the labour of the work orders (credit their work centers' expense accounts), then
        move what WIP still holds for the order (for standard cost, the gap between what was
        consumed and the standard value of what was produced) to the price difference
        account of the finished product's category."""
        for production in self.filtered(lambda mo: not mo.valuation_variance_move_id):
            product = production.product_id.with_company(production.company_id)
            if not product._is_perpetual():
                continue
            posting = (
                self.env["running.inventory.posting"].with_company(production.company_id).sudo()
            )
            production = production.with_env(posting.env)
            accounts = product._get_perpetual_accounts_cached({})
            lines = production._prepare_perpetual_variance_lines(product, accounts)
            if not lines:
                continue
            journal = accounts["stock_journal"]
            date = production.company_id._get_perpetual_accounting_date(
                fields.Date.context_today(production), journal
            )
            entry = posting._post_lines(lines, journal, date, production.name)
            production.valuation_variance_move_id = entry[:1]

    def _get_perpetual_wip_account(self):
        self.ensure_one()
        return self.production_location_id._get_perpetual_external_account()

    def _get_perpetual_wip_balance(self, wip):
        """What the order's movements posted on the WIP account."""
        moves = (self.move_raw_ids | self.move_finished_ids).filtered(lambda m: m.state == "done")
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", wip.id),
                ("stock_move_id", "in", moves.ids),
                ("parent_state", "=", "posted"),
            ]
        )
        return sum(lines.mapped("balance"))

    def _prepare_perpetual_variance_lines(self, product, accounts):
        self.ensure_one()
        currency = self.company_id.currency_id
        wip = self._get_perpetual_wip_account()
        common = {"kind": REVALUATION, "product_id": product.id, "uom_id": product.uom_id.id}
        lines = []
        labour = defaultdict(float)
        for workorder in self.workorder_ids:
            account = workorder.workcenter_id.expense_account_id or accounts["expense"]
            labour[account] += currency.round(workorder._cal_cost())
        label = self.env._("%(order)s - Labour", order=self.name)
        for account, amount in labour.items():
            if not currency.is_zero(amount):
                lines += [
                    ValuationLine(account_id=wip.id, amount=amount, label=label, **common),
                    ValuationLine(account_id=account.id, amount=-amount, label=label, **common),
                ]
        balance = currency.round(
            self._get_perpetual_wip_balance(wip) + sum(line.amount for line in lines)
        )
        if not currency.is_zero(balance):
            variance = product._require_perpetual_account(accounts, "price_difference")
            label = self.env._("%(order)s - Production variance", order=self.name)
            lines += [
                ValuationLine(account_id=wip.id, amount=-balance, label=label, **common),
                ValuationLine(account_id=variance.id, amount=balance, label=label, **common),
            ]
        return lines
