from collections import defaultdict

from odoo import api, fields, models

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
            moves = production.move_raw_ids | production.move_finished_ids
            production.valuation_variance_move_id = production._post_perpetual_wip_clearing(
                moves, production.product_id, production.name, production.workorder_ids
            )

    @api.model
    def _post_perpetual_wip_clearing(self, moves, product, reference, workorders):
        """The entry clearing what the done `moves` (an order's, an unbuild's) left on WIP,
        with the labour of `workorders`, for a perpetual `product`; None if nothing is left."""
        company = moves.company_id[:1] or self.env.company
        product = product.with_company(company)
        if not product._is_perpetual():
            return None
        posting = self.env["running.inventory.posting"].with_company(company).sudo()
        accounts = product._get_perpetual_accounts_cached({})
        locations = (moves.location_id | moves.location_dest_id).filtered(
            lambda location: location.usage == "production"
        )
        wip = (locations[:1] or product.property_stock_production)._get_perpetual_external_account()
        # Read and written as the posting service: whoever marks the order done posts it.
        service = self.with_env(posting.env)
        lines = service._prepare_perpetual_labour_lines(workorders, product, accounts, wip)
        lines += service._prepare_perpetual_variance_lines(moves, product, accounts, wip, lines)
        if not lines:
            return None
        journal = accounts["stock_journal"]
        date = company._get_perpetual_accounting_date(fields.Date.context_today(service), journal)
        return posting._post_lines(lines, journal, date, reference)[:1]

    @api.model
    def _get_perpetual_wip_balance(self, moves, wip):
        """What the done `moves` posted on the WIP account."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", wip.id),
                ("stock_move_id", "in", moves.filtered(lambda m: m.state == "done").ids),
                ("parent_state", "=", "posted"),
            ]
        )
        return sum(lines.mapped("balance"))

    @api.model
    def _prepare_perpetual_labour_lines(self, workorders, product, accounts, wip):
        currency = product.company_id.currency_id or self.env.company.currency_id
        common = {"kind": REVALUATION, "product_id": product.id, "uom_id": product.uom_id.id}
        labour = defaultdict(float)
        for workorder in workorders:
            account = workorder.workcenter_id.expense_account_id or accounts["expense"]
            labour[account] += currency.round(workorder._cal_cost())
        lines = []
        for account, amount in labour.items():
            if not currency.is_zero(amount):
                label = self.env._("%(order)s - Labour", order=workorders[:1].production_id.name)
                lines += [
                    ValuationLine(account_id=wip.id, amount=amount, label=label, **common),
                    ValuationLine(account_id=account.id, amount=-amount, label=label, **common),
                ]
        return lines

    @api.model
    def _prepare_perpetual_variance_lines(self, moves, product, accounts, wip, labour_lines):
        currency = self.env.company.currency_id
        balance = currency.round(
            self._get_perpetual_wip_balance(moves, wip)
            + sum(line.amount for line in labour_lines if line.account_id == wip.id)
        )
        if currency.is_zero(balance):
            return []
        common = {"kind": REVALUATION, "product_id": product.id, "uom_id": product.uom_id.id}
        variance = product._require_perpetual_account(accounts, "price_difference")
        label = self.env._("%(product)s: production variance", product=product.display_name)
        return [
            ValuationLine(account_id=wip.id, amount=-balance, label=label, **common),
            ValuationLine(account_id=variance.id, amount=balance, label=label, **common),
        ]
