from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.bulk import insert_records


class RunningInventoryReconciliationInterim(models.Model):
    """An open item of goods received not invoiced (per purchase line) or delivered not
    invoiced (per sale line) at the reconciliation's date: the quantity and value moved and not
    invoiced yet, and since when."""

    _name = "running.inventory.reconciliation.interim"
    _description = "Stock Reconciliation: Not Invoiced"
    _order = "reconciliation_id, kind, date_first, id"

    reconciliation_id = fields.Many2one(
        "running.inventory.reconciliation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [("grni", "Received not invoiced"), ("gdni", "Delivered not invoiced")],
        required=True,
        readonly=True,
    )
    purchase_line_id = fields.Many2one("purchase.order.line", readonly=True)
    sale_line_id = fields.Many2one("sale.order.line", readonly=True)
    order_name = fields.Char(string="Order", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    quantity = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="Received (delivered) less invoiced, in the product's unit; negative when "
        "invoiced ahead of the goods.",
    )
    value = fields.Monetary(
        readonly=True,
        help="Goods received not invoiced: owed to the vendor once billed (credit balance). "
        "Goods delivered not invoiced: cost still to invoice (debit balance).",
    )
    date_first = fields.Date(
        string="Open Since", readonly=True, help="The oldest movement not invoiced yet."
    )
    age = fields.Integer(string="Age (Days)", readonly=True, aggregator="max")

    @api.model
    def _store_open_items(self, reconciliation):
        """Store the open items of `reconciliation` (one query to read, one to write)."""
        groups = defaultdict(list)
        for row in self._read_interim_rows(reconciliation):
            groups[row[0], row[1]].append(row)
        rows = []
        for (kind, _order_line_id), order_rows in groups.items():
            item = self._prepare_open_item(reconciliation, kind, order_rows)
            if item:
                rows.append(item)
        insert_records(self.sudo(), rows)

    @api.model
    def _read_interim_rows(self, reconciliation):
        """Interim items up to the date per order line, day, unit and whether a movement posted
        them; quantities signed as the goods go (invoices and credit notes included)."""
        return self.env.execute_query(
            SQL(
                """
                WITH item AS (
                    SELECT CASE WHEN aml.interim_purchase_line_id IS NOT NULL THEN 'grni'
                                ELSE 'gdni' END AS kind,
                           COALESCE(aml.interim_purchase_line_id, aml.interim_sale_line_id)
                               AS order_line_id,
                           aml.account_id, aml.date, aml.product_uom_id,
                           aml.stock_move_id IS NOT NULL AS is_movement, aml.balance,
                           CASE WHEN aml.stock_valuation_kind IS NULL
                                     AND entry.move_type IN ('in_refund', 'out_refund')
                                THEN -aml.quantity ELSE aml.quantity END AS quantity
                      FROM account_move_line aml
                      JOIN account_move entry ON entry.id = aml.move_id
                     WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                       AND aml.date <= %(day)s
                       AND (aml.interim_purchase_line_id IS NOT NULL
                            OR aml.interim_sale_line_id IS NOT NULL)
                )
                SELECT item.kind, item.order_line_id, item.account_id, item.date,
                       item.is_movement, SUM(item.balance), SUM(item.quantity),
                       COALESCE(purchase.name, sale.name),
                       COALESCE(purchase.partner_id, sale.partner_id),
                       item.product_uom_id, template.uom_id,
                       COALESCE(purchase_line.product_id, sale_line.product_id)
                  FROM item
                  LEFT JOIN purchase_order_line purchase_line
                         ON item.kind = 'grni' AND purchase_line.id = item.order_line_id
                  LEFT JOIN purchase_order purchase ON purchase.id = purchase_line.order_id
                  LEFT JOIN sale_order_line sale_line
                         ON item.kind = 'gdni' AND sale_line.id = item.order_line_id
                  LEFT JOIN sale_order sale ON sale.id = sale_line.order_id
                  JOIN product_product product
                    ON product.id = COALESCE(purchase_line.product_id, sale_line.product_id)
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 GROUP BY item.kind, item.order_line_id, item.account_id, item.date,
                          item.is_movement, purchase.name, sale.name, purchase.partner_id,
                          sale.partner_id, item.product_uom_id, template.uom_id,
                          purchase_line.product_id, sale_line.product_id
                 ORDER BY item.date
                """,
                company=reconciliation.company_id.id,
                day=reconciliation.date,
            )
        )

    @api.model
    def _prepare_open_item(self, reconciliation, kind, rows):
        """The open item of one order line, or None when it is settled. Goods received
        (delivered) are matched with invoices first in, first out to date the oldest open
        movement."""
        currency = reconciliation.currency_id
        first = rows[0]
        product_uom = self.env["uom.uom"].browse(first[10])
        # GRNI: receipts credit the account; GDNI: deliveries debit it.
        sign = -1 if kind == "grni" else 1
        value = sign * sum(row[5] for row in rows)
        moved, invoiced = [], 0.0
        for row in rows:
            uom = self.env["uom.uom"].browse(row[9]) if row[9] else product_uom
            quantity = sign * uom._compute_quantity(row[6], product_uom, round=False)
            if row[4]:
                moved.append((row[3], quantity))
            else:
                invoiced -= quantity
        quantity = sum(quantity for _date, quantity in moved) - invoiced
        if currency.is_zero(value) and product_uom.is_zero(quantity):
            return None
        date_first = self._get_open_since(moved, invoiced, rows)
        return {
            "reconciliation_id": reconciliation.id,
            "company_id": reconciliation.company_id.id,
            "kind": kind,
            "purchase_line_id": first[1] if kind == "grni" else None,
            "sale_line_id": first[1] if kind == "gdni" else None,
            "order_name": first[7],
            "partner_id": first[8],
            "product_id": first[11],
            "account_id": first[2],
            "quantity": product_uom.round(quantity),
            "value": currency.round(value),
            "date_first": date_first,
            "age": (reconciliation.date - date_first).days,
        }

    @api.model
    def _get_open_since(self, moved, invoiced, rows):
        remaining = invoiced
        for date, quantity in moved:
            if remaining < quantity:
                return date
            remaining -= quantity
        return rows[0][3]
