from odoo import fields, models
from odoo.tools import SQL

# The journal items a posted balance sums: those of the perpetual valuation, on posted entries.
COUNTED = (
    "stock_valuation_kind IS NOT NULL AND parent_state = 'posted'"
    " AND product_id IS NOT NULL AND account_id IS NOT NULL"
)
TRIGGERS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}
FUNCTION = "running_inventory_posted_balance_apply"


def trigger_name(event):
    return f"running_inventory_posted_balance_{event.lower()}"


class RunningInventoryPostedBalance(models.Model):
    """What the perpetual valuation has posted so far, per product, account and company: the
    sum of its journal items on posted entries.

    Each validation brings the product's stock accounts to Odoo's stock value, so it needs
    what they hold (`product.product._read_perpetual_position`). Summing the product's history
    costs as much as the history is long (15 to 20 ms at 100,000 movements); this balance reads
    one row whatever the history.

    It is kept by PostgreSQL, not by the ORM: statement triggers on account_move_line add each
    statement's change (new rows less old ones) in the same transaction. Journal items change
    on paths no ORM override sees: Odoo recomputes `parent_state` when an entry is posted,
    reset to draft or cancelled, and other modules write them in SQL. A trigger sees them all,
    and rolls back with them. No one writes the rows otherwise (no access right does), and
    `test_posted_balance` checks them against the journal items' own sum after each path.
    """

    _name = "running.inventory.posted.balance"
    _description = "Perpetual Valuation: Posted Balance"
    _log_access = False
    _order = "product_id, account_id"

    # A row outlives its journal items (a balance back to zero): it never blocks deleting them.
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, index=True, ondelete="cascade"
    )
    account_id = fields.Many2one(
        "account.account", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True)

    _product_account_company_unique = models.Constraint(
        "UNIQUE(product_id, account_id, company_id)",
        "A product has one posted balance per account and company.",
    )

    def init(self):
        # After every table of the registry exists: the triggers read account_move_line's
        # columns of this addon (stock_valuation_kind).
        self.pool.post_init(self._install_balance_triggers)

    def _install_balance_triggers(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT count(*) FROM pg_trigger WHERE tgname IN %s",
                tuple(map(trigger_name, TRIGGERS)),
            )
        )
        installed = cr.fetchone()[0] == len(TRIGGERS)
        cr.execute(SQL(self._balance_function_sql()))
        for event, referencing in TRIGGERS.items():
            name = trigger_name(event)
            cr.execute(
                SQL(
                    f"""
                    DROP TRIGGER IF EXISTS {name} ON account_move_line;
                    CREATE TRIGGER {name} AFTER {event} ON account_move_line
                        {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()
                    """
                )
            )
        if not installed:
            self._rebuild_posted_balances()

    def _balance_function_sql(self):
        """The trigger function: each statement's change of the counted journal items, added
        per key. Keys whose change nets to zero are left alone, so that a statement touching
        no amount (a reconciliation writing residuals) locks no balance."""
        change = {
            "INSERT": f"SELECT product_id, account_id, company_id, balance, quantity"
            f" FROM new_rows WHERE {COUNTED}",
            "DELETE": f"SELECT product_id, account_id, company_id, -balance, -quantity"
            f" FROM old_rows WHERE {COUNTED}",
        }
        change["UPDATE"] = f"{change['INSERT']} UNION ALL {change['DELETE']}"
        branches = "\n".join(
            f"""
            {"IF" if index == 0 else "ELSIF"} TG_OP = '{event}' THEN
                INSERT INTO running_inventory_posted_balance AS posted
                       (product_id, account_id, company_id, balance, quantity)
                SELECT product_id, account_id, company_id, SUM(balance),
                       SUM(COALESCE(quantity, 0))
                  FROM ({rows}) AS change(product_id, account_id, company_id, balance, quantity)
                 GROUP BY product_id, account_id, company_id
                HAVING SUM(balance) <> 0 OR SUM(COALESCE(quantity, 0)) <> 0
                    ON CONFLICT (product_id, account_id, company_id) DO UPDATE
                   SET balance = posted.balance + EXCLUDED.balance,
                       quantity = posted.quantity + EXCLUDED.quantity;"""
            for index, (event, rows) in enumerate(change.items())
        )
        return f"""
            CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $function$
            BEGIN
                {branches}
                END IF;
                RETURN NULL;
            END
            $function$
        """

    def _rebuild_posted_balances(self):
        """The balances from the journal items, once, when the triggers are first installed
        (an upgrade from a version without them; a fresh install has no items yet)."""
        self.env.cr.execute(
            SQL(
                f"""
                DELETE FROM running_inventory_posted_balance;
                INSERT INTO running_inventory_posted_balance
                       (product_id, account_id, company_id, balance, quantity)
                SELECT product_id, account_id, company_id, SUM(balance),
                       SUM(COALESCE(quantity, 0))
                  FROM account_move_line
                 WHERE {COUNTED}
                 GROUP BY product_id, account_id, company_id
                """
            )
        )
        self.env.invalidate_all()

    def _drop_balance_triggers(self):
        """At uninstall: the triggers would write a table about to be dropped."""
        for event in TRIGGERS:
            self.env.cr.execute(
                SQL(f"DROP TRIGGER IF EXISTS {trigger_name(event)} ON account_move_line")
            )
        self.env.cr.execute(SQL(f"DROP FUNCTION IF EXISTS {FUNCTION}()"))
