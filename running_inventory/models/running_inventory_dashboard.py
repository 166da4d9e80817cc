# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The headline figures on top of the Inventory overview: counts due, counts to approve, the
difference between stock and books, products at risk of stockout.

Each figure is given only to the users who may read the records behind it (the count
sessions, the reconciliations, the reorder rules), never to a blind counter, and opens the list
of those records. The figures take a constant number of queries, whatever the number of
sessions or rules.
"""

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

from .running_inventory_blind_mixin import COUNTER_GROUP, STOCK_USER_GROUP

COUNT_OPEN_STATES = ("draft", "in_progress", "counted")


class RunningInventoryDashboard(models.AbstractModel):
    _name = "running.inventory.dashboard"
    _description = "Running Inventory Headline Figures"

    @api.model
    def get_headline_figures(self):
        """The cards the current user may see, in the order they are shown.

        :return: a list of {"key", "label", "value" (a number), "display" (the text shown),
            "level" ("muted" | "info" | "warning" | "danger"), "action" (a window action)}
        """
        user = self.env.user
        if user.has_group(COUNTER_GROUP) and not user.has_group(STOCK_USER_GROUP):
            return []  # a blind counter: no stock figure
        cards = []
        if self.env["running.inventory.count"].has_access("read"):
            cards += self._get_count_cards()
        if self.env["running.inventory.reconciliation"].has_access("read"):
            cards += self._get_reconciliation_cards()
        if self.env["stock.warehouse.orderpoint"].has_access("read"):
            cards += self._get_stockout_cards()
        return cards

    @api.model
    def _card(self, key, label, value, level, action, display=None):
        """One headline figure (see :meth:`get_headline_figures`)."""
        return {
            "key": key,
            "label": label,
            "value": value,
            "display": str(value) if display is None else display,
            "level": level,
            "action": action,
        }

    @api.model
    def _count_action(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_count_action"
        )
        action.update(name=name, domain=domain, context={})
        return action

    @api.model
    def _get_count_cards(self):
        """Sessions not counted yet and due by today; sessions waiting for approval. ONE
        grouped query for both."""
        today = fields.Date.context_today(self)
        due_domain = [("state", "in", COUNT_OPEN_STATES), ("date_due", "<=", today)]
        approve_domain = [("state", "=", "to_approve")]
        counts = dict(
            self.env["running.inventory.count"]._read_group(
                [
                    "|",
                    ("state", "=", "to_approve"),
                    "&",
                    ("state", "in", COUNT_OPEN_STATES),
                    ("date_due", "<=", today),
                ],
                ["state"],
                ["__count"],
            )
        )
        due = sum(counts.get(state, 0) for state in COUNT_OPEN_STATES)
        to_approve = counts.get("to_approve", 0)
        cards = []
        for key, label, value, level, domain in (
            ("counts_due", self.env._("Counts Due"), due, "warning", due_domain),
            (
                "counts_to_approve",
                self.env._("Counts to Approve"),
                to_approve,
                "info",
                approve_domain,
            ),
        ):
            action = self._count_action(label, domain)
            cards.append(self._card(key, label, value, level if value else "muted", action))
        return cards

    @api.model
    def _get_reconciliation_cards(self):
        """The difference of the company's latest computed reconciliation (ONE query)."""
        company = self.env.company
        latest = self.env["running.inventory.reconciliation"].search(
            [("company_id", "=", company.id), ("state", "=", "done")],
            order="date desc, id desc",
            limit=1,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.running_inventory_reconciliation_action"
        )
        if not latest:
            action["context"] = {}
            label = self.env._("Stock vs Books")
            return [
                self._card(
                    "stock_vs_books", label, 0.0, "muted", action, self.env._("Not reconciled")
                )
            ]
        action.update(res_id=latest.id, views=[(False, "form")], view_mode="form")
        difference = latest.difference
        label = self.env._("Stock vs Books on %(date)s", date=format_date(self.env, latest.date))
        display = format_amount(self.env, difference, latest.currency_id)
        level = "muted" if latest.currency_id.is_zero(difference) else "danger"
        return [self._card("stock_vs_books", label, difference, level, action, display)]

    @api.model
    def _get_stockout_cards(self):
        """Products whose demand-driven rule projects a stockout before an order placed today
        would arrive: one search of the rules, one grouped read of their stock."""
        rules = self.env["stock.warehouse.orderpoint"].search(
            [("demand_driven", "=", True), ("demand_add", ">", 0.0)]
        )
        at_risk = rules._filter_stockout_risk()
        products = at_risk.product_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "running_inventory.stock_warehouse_orderpoint_action_demand_driven"
        )
        action.update(
            name=self.env._("At Risk of Stockout"), domain=[("id", "in", at_risk.ids)], context={}
        )
        return [
            self._card(
                "stockout_risk",
                action["name"],
                len(products),
                "danger" if products else "muted",
                action,
            )
        ]
