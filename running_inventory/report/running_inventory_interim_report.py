# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL, frozendict

BUCKETS = (
    ("amount_0_30", 0, 30),
    ("amount_31_60", 31, 60),
    ("amount_61_90", 61, 90),
    ("amount_over_90", 91, None),
)


class RunningInventoryInterimReport(models.Model):
    """Aged open items of goods received not invoiced (GRNI) and delivered not invoiced
    (GDNI), today: one row per purchase or sale line whose interim journal items do not net
    to zero (and one per journal item on these accounts that belongs to no order line), with
    its balance in the bucket of its age, counted from its oldest movement (the oldest item
    when the document came before the goods).

    The order lines that net to zero are left out, so the total of the rows per account is
    the account's balance. A SQL view: the report groups every posted journal item of the
    interim accounts by order line in one query, which the ORM cannot express.
    """

    _name = "running.inventory.interim.report"
    _description = "Aged Goods Received / Delivered Not Invoiced"
    _auto = False
    _order = "open_since, id"
    _rec_name = "order_name"
    _depends = frozendict(
        {
            "account.move.line": (
                "account_id",
                "balance",
                "company_id",
                "date",
                "interim_purchase_line_id",
                "interim_sale_line_id",
                "parent_state",
                "partner_id",
                "product_id",
                "stock_move_id",
            ),
            "res.company": ("account_stock_grni_id", "account_stock_gdni_id"),
        }
    )

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    kind = fields.Selection(
        [("grni", "Received not invoiced"), ("gdni", "Delivered not invoiced")], readonly=True
    )
    purchase_line_id = fields.Many2one("purchase.order.line", readonly=True)
    sale_line_id = fields.Many2one("sale.order.line", readonly=True)
    order_name = fields.Char(string="Document", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    open_since = fields.Date(readonly=True, help="The oldest movement of the document.")
    age = fields.Integer(string="Age (Days)", readonly=True, aggregator="max")
    age_bucket = fields.Selection(
        [
            ("0_30", "0-30 days"),
            ("31_60", "31-60 days"),
            ("61_90", "61-90 days"),
            ("over_90", "Over 90 days"),
        ],
        string="Age",
        readonly=True,
    )
    balance = fields.Monetary(
        readonly=True,
        help="The balance of the document's items on the account: a credit (negative) is owed "
        "to a vendor once billed, a debit (positive) is cost still to invoice.",
    )
    amount_0_30 = fields.Monetary(string="0-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_over_90 = fields.Monetary(string="Older", readonly=True)

    @api.model
    def _get_other_document_key(self):
        """The document an interim item of no purchase or sale line belongs to, as an SQL
        expression over ``aml`` (the journal item): its items net to zero once settled. Here
        the item alone; a bridge names the documents of its app (a point of sale session)."""
        return SQL("'i' || aml.id")

    @property
    def _table_query(self):
        return SQL(
            """
            WITH item AS (
                SELECT aml.id, aml.company_id, aml.account_id, aml.date, aml.balance,
                       aml.partner_id, aml.product_id, aml.stock_move_id,
                       aml.interim_purchase_line_id, aml.interim_sale_line_id,
                       CASE WHEN aml.interim_purchase_line_id IS NOT NULL THEN 'grni'
                            WHEN aml.interim_sale_line_id IS NOT NULL THEN 'gdni'
                            WHEN aml.account_id = company.account_stock_grni_id THEN 'grni'
                            ELSE 'gdni' END AS kind,
                       -- One group per order line; an item of no order line on its own.
                       CASE WHEN aml.interim_purchase_line_id IS NOT NULL
                                 THEN 'p' || aml.interim_purchase_line_id
                            WHEN aml.interim_sale_line_id IS NOT NULL
                                 THEN 's' || aml.interim_sale_line_id
                            ELSE %(other_document_key)s END AS document_key
                  FROM account_move_line aml
                  JOIN res_company company ON company.id = aml.company_id
                 WHERE aml.parent_state = 'posted'
                   AND (aml.interim_purchase_line_id IS NOT NULL
                        OR aml.interim_sale_line_id IS NOT NULL
                        OR aml.account_id IN (company.account_stock_grni_id,
                                              company.account_stock_gdni_id))
            ), document AS (
                SELECT MIN(item.id) AS id, item.company_id, item.account_id, item.kind,
                       MIN(item.interim_purchase_line_id) AS purchase_line_id,
                       MIN(item.interim_sale_line_id) AS sale_line_id,
                       MIN(item.partner_id) AS item_partner_id,
                       MIN(item.product_id) AS item_product_id,
                       COALESCE(MIN(item.date) FILTER (WHERE item.stock_move_id IS NOT NULL),
                                MIN(item.date)) AS open_since,
                       SUM(item.balance) AS balance
                  FROM item
                 GROUP BY item.company_id, item.account_id, item.kind, item.document_key
                HAVING SUM(item.balance) != 0
            ), aged AS (
                SELECT document.*, CURRENT_DATE - document.open_since AS age
                  FROM document
            )
            SELECT aged.id, aged.company_id, company.currency_id, aged.account_id, aged.kind,
                   aged.purchase_line_id, aged.sale_line_id,
                   COALESCE(purchase.name, sale.name, entry.name) AS order_name,
                   COALESCE(purchase.partner_id, sale.partner_id, aged.item_partner_id)
                       AS partner_id,
                   COALESCE(purchase_line.product_id, sale_line.product_id,
                            aged.item_product_id) AS product_id,
                   aged.open_since, aged.age, aged.balance,
                   CASE WHEN aged.age <= 30 THEN '0_30' WHEN aged.age <= 60 THEN '31_60'
                        WHEN aged.age <= 90 THEN '61_90' ELSE 'over_90' END AS age_bucket,
                   %(buckets)s
              FROM aged
              JOIN res_company company ON company.id = aged.company_id
              JOIN account_move_line first_item ON first_item.id = aged.id
              JOIN account_move entry ON entry.id = first_item.move_id
              LEFT JOIN purchase_order_line purchase_line
                     ON purchase_line.id = aged.purchase_line_id
              LEFT JOIN purchase_order purchase ON purchase.id = purchase_line.order_id
              LEFT JOIN sale_order_line sale_line ON sale_line.id = aged.sale_line_id
              LEFT JOIN sale_order sale ON sale.id = sale_line.order_id
            """,
            other_document_key=self._get_other_document_key(),
            buckets=SQL(", ").join(
                SQL(
                    "CASE WHEN aged.age >= %s AND (%s IS NULL OR aged.age <= %s) "
                    "THEN aged.balance ELSE 0 END AS %s",
                    low,
                    high,
                    high,
                    SQL.identifier(name),
                )
                for name, low, high in BUCKETS
            ),
        )
