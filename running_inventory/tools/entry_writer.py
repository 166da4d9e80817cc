"""Posted stock entries written in a few statements: the direct entry writer.

Every validated stock move posts an entry, inside the validation. Odoo's ``create`` +
``_post`` of a miscellaneous entry costs about 60 queries and 45 ms here, more than the
validation of a one-line picking itself. The direct writer stores the same rows with one INSERT
for the entry and one for its lines, and logs the entry's creation in the chatter as
``mail.thread.create`` does (``account.move._log_perpetual_entry_creation``).

It is only used where it is provably the same entry (``account.move
._get_direct_entry_writer_blockers`` and ``_can_write_perpetual_entry_directly``): every stored
column of ``account.move`` and ``account.move.line``, and every override of the methods that
make an entry, come from the modules reviewed below; the journal does not hash its entries; the
company's audit trail is not restrictive; the system parameter
``running_inventory.direct_entry_writer`` is not ``False``. Anything else goes through Odoo's
ORM. ``tests/test_entry_writer.py`` compares both paths row by row, chatter included.
"""

from odoo.tools import SQL

PARAMETER = "running_inventory.direct_entry_writer"

# Methods whose overrides change what making an entry stores or logs.
ENTRY_METHODS = {
    "account.move": (
        "create",
        "write",
        "_post",
        "_creation_message",
        "_creation_subtype",
        "_message_auto_subscribe_followers",
        "_track_template",
    ),
    "account.move.line": ("create", "write"),
}

# Modules whose overrides of ENTRY_METHODS were read for this writer, and why the entry it
# writes is the one they would make.
REVIEWED_OVERRIDES = {
    "base": "the model itself",
    "mail": "chatter of a new record: follower and creation message, logged the same way",
    "account": "the entry and its lines: the rows written are the ORM's, column by column",
    "analytic": "normalises analytic distributions: stock entries carry none",
    "purchase": "logs the purchase orders of a bill: a stock entry has no purchase line",
    "sale": "reconciles invoices with transaction payments: invoices only",
    "purchase_stock": "price difference lines of bills: purchase documents only",
    "stock_account": "cost of goods sold lines of invoices and receipts valued by a bill: "
    "invoices and bills only",
    "running_inventory": "perpetual valuation of bills and invoices: purchase and sale "
    "documents only",
}

# Modules whose stored fields of account.move / account.move.line are empty (or the default
# the writer sets) on a miscellaneous stock entry.
REVIEWED_FIELDS = {
    None,  # the ORM's own columns (id, create_uid, ...)
    "base",
    "mail",
    "portal",
    "utm",
    "analytic",
    "account",
    "account_payment",
    "account_edi_ubl_cii",
    "purchase",
    "sale",
    "stock_account",
    "purchase_stock",
    "sale_stock",
    "running_inventory",
    # wip_production_ids: a many2many (no column), set on manufacturing WIP entries only.
    "mrp_account",
    # landed_costs_ids: a one2many (no column); is_landed_costs_line: a plain boolean that only
    # vendor bill lines set (NULL otherwise, through the ORM too).
    "stock_landed_costs",
    # pos_order_ids, pos_payment_ids, pos_session_ids, pos_refunded_invoice_ids: relations (no
    # column); reversed_pos_order_id: set on the entries of POS refunds only.
    "point_of_sale",
}


def registry_blockers(env):
    """Why the direct writer cannot be used with the modules of this registry: overrides or
    stored fields from modules not reviewed above. Empty when it can."""
    blockers = []
    for model_name, methods in ENTRY_METHODS.items():
        model_class = type(env[model_name])
        blockers += method_blockers(model_class, methods)
        blockers += field_blockers(env[model_name])
    return blockers


def method_blockers(model_class, methods):
    """Overrides of `methods` in the class hierarchy of a registry model, by unreviewed modules."""
    blockers = []
    for method in methods:
        for klass in model_class.__mro__:
            module = getattr(klass, "_module", None)
            if method in vars(klass) and module and module not in REVIEWED_OVERRIDES:
                blockers.append(f"{model_class._name}.{method} overridden by {module}")
    return blockers


def field_blockers(model):
    blockers = []
    for field in model._fields.values():
        # Relations without a column (one2many, many2many) leave the row as it is, and are
        # empty on a new entry whoever writes it.
        if not field.store or not field.column_type:
            continue
        modules = set(getattr(field, "_modules", None) or (field._module,))
        for module in sorted(modules - REVIEWED_FIELDS, key=str):
            blockers.append(f"{model._name}.{field.name} stored by {module}")
    return blockers


def entry_row(env, entry, total):
    """The ``account_move`` row of a posted miscellaneous entry, as the ORM stores it."""
    journal = entry.journal
    company = journal.company_id
    currency = company.currency_id
    row = {
        "journal_id": journal.id,
        "company_id": company.id,
        "currency_id": currency.id,
        "date": entry.date,
        "ref": entry.ref or None,
        "state": "posted",
        "move_type": "entry",
        "auto_post": "no",
        "payment_state": "not_paid",
        "invoice_date_due": entry.date,
        # Odoo's own value for an entry without partner, read where the row is written.
        "invoice_partner_display_name": SQL(
            "replace(%s, '%%s', (SELECT partner.name FROM res_users users"
            " JOIN res_partner partner ON partner.id = users.partner_id WHERE users.id = %s))",
            env._("#Created by: %s"),  # pylint: disable=translation-positional-used
            env.uid,
        ),
        "amount_total": total,
        "amount_total_signed": total,
        "amount_total_in_currency_signed": total,
        "made_sequence_gap": False,
        "is_manually_modified": False,
        "always_tax_exigible": True,
        "checked": True,
        "posted_before": True,
        **{
            name: 0.0
            for name in (
                "amount_untaxed",
                "amount_tax",
                "amount_residual",
                "amount_untaxed_signed",
                "amount_untaxed_in_currency_signed",
                "amount_tax_signed",
                "amount_residual_signed",
                "invoice_currency_rate",
            )
        },
    }
    if entry.origin_move_id:
        row["perpetual_origin_move_id"] = entry.origin_move_id
    return {**row, **log_columns(env)}


def line_rows(env, entry, move_id, name, reconcilable):
    """The ``account_move_line`` rows of the entry's lines, as the ORM stores them.

    :param reconcilable: ids of the accounts whose lines carry a residual
    """
    journal = entry.journal
    company = journal.company_id
    currency = company.currency_id
    common = {
        "move_id": move_id,
        "move_name": name,
        "journal_id": journal.id,
        "company_id": company.id,
        "company_currency_id": currency.id,
        "currency_id": currency.id,
        "date": entry.date,
        "ref": entry.ref or None,
        "parent_state": "posted",
        "display_type": "product",
        "sequence": 100,
        "reconciled": False,
        "price_unit": 0.0,
        "discount": 0.0,
        "is_storno": False,
        "deductible_amount": 100.0,
        "no_followup": journal.type == "general",
        **log_columns(env),
    }
    rows = []
    for line in entry.lines:
        values = line.to_journal_item_values()
        balance = currency.round(values.pop("balance"))
        residual = balance if line.account_id in reconcilable else 0.0
        rows.append(
            {
                **common,
                **values,
                "debit": max(balance, 0.0),
                "credit": max(-balance, 0.0),
                "balance": balance,
                "amount_currency": balance,
                "amount_residual": residual,
                "amount_residual_currency": residual,
                "price_subtotal": balance,
                "price_total": balance,
            }
        )
    return rows


def log_columns(env):
    now = env.cr.now()
    return {"create_uid": env.uid, "write_uid": env.uid, "create_date": now, "write_date": now}


def insert_rows(model, rows, log_exceptions=True):
    """INSERT `rows` (dicts of column values, or SQL) into `model`'s table; return their ids."""
    columns = sorted(set().union(*rows))
    # The ORM's convention: False stands for NULL in any column but a boolean one.
    nullable = {column for column in columns if model._fields[column].type != "boolean"}
    params = []
    for row in rows:
        for column in columns:
            value = row.get(column)
            params.append(None if column in nullable and value is False else value)
    # Placeholders written once for all rows (composing an SQL object per value costs a
    # millisecond per entry); values are parameters, column names come from the code.
    placeholders = ", ".join("(" + ", ".join("%s" for _column in columns) + ")" for _row in rows)
    query = SQL(
        "INSERT INTO %s (%s) VALUES " + placeholders + " RETURNING id",
        SQL.identifier(model._table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
        *params,
    )
    model.env.cr.execute(query, log_exceptions=log_exceptions)
    return [row[0] for row in model.env.cr.fetchall()]
