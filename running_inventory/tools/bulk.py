"""Writing report rows in bulk.

A reconciliation or a stock report at a date stores one row per product (and location, lot):
thousands of rows, which the ORM would insert 100 at a time. These rows are plain report data
(no computed fields, no constraints beyond the columns'), so they are written with one INSERT
of arrays, whatever their number; and rows written by the thousand (count lines) are updated
with one UPDATE from arrays.
"""

from datetime import datetime, time

from odoo.tools import SQL

ARRAY_TYPES = {
    "many2one": "int4",
    "integer": "int4",
    "float": "float8",
    "monetary": "numeric",
    "char": "varchar",
    "text": "text",
    "selection": "varchar",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
}


def insert_records(model, rows):
    """Insert `rows` (dicts of stored, non-relational-list fields) into `model`'s table, with
    Odoo's log columns; return the new ids, in order."""
    if not rows:
        return []
    columns = sorted(set().union(*rows))
    env = model.env
    now = env.cr.now()
    arrays = [
        SQL(
            "%s::%s[]",
            [row.get(column) for row in rows],
            SQL(ARRAY_TYPES[model._fields[column].type]),
        )
        for column in columns
    ]
    log_columns = ("create_uid", "create_date", "write_uid", "write_date")
    query = SQL(
        "INSERT INTO %s (%s, %s) SELECT *, %s, %s, %s, %s FROM unnest(%s) RETURNING id",
        SQL.identifier(model._table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
        SQL(", ").join(SQL.identifier(column) for column in log_columns),
        env.uid,
        now,
        env.uid,
        now,
        SQL(", ").join(arrays),
    )
    ids = [row[0] for row in env.execute_query(query)]
    model.invalidate_model()
    return ids


def update_rows(model, fnames, rows):
    """Update the columns `fnames` of `model`'s rows: `rows` are (id, *values) tuples, values in
    their column's format. One UPDATE from arrays whatever their number (the ORM writes 100 rows
    per statement); for plain columns only (no translation, no parent path)."""
    if not rows:
        return
    fields = [model._fields[fname] for fname in fnames]
    arrays = [SQL("%s::int4[]", [row[0] for row in rows])] + [
        SQL("%s::%s[]", [row[index] for row in rows], SQL(field.column_type[1]))
        for index, field in enumerate(fields, start=1)
    ]
    model.env.execute_query(
        SQL(
            "UPDATE %(table)s SET %(assignments)s FROM unnest(%(arrays)s) AS __tmp(id, %(columns)s)"
            " WHERE %(table)s.id = __tmp.id",
            table=SQL.identifier(model._table),
            assignments=SQL(", ").join(
                SQL("%s = __tmp.%s", SQL.identifier(fname), SQL.identifier(fname))
                for fname in fnames
            ),
            arrays=SQL(", ").join(arrays),
            columns=SQL(", ").join(SQL.identifier(fname) for fname in fnames),
        )
    )


def insert_relations(model, field_name, pairs):
    """Link records of `model` through its many2many `field_name`: `pairs` are (record id,
    linked id); one INSERT whatever their number."""
    if not pairs:
        return
    field = model._fields[field_name]
    model.env.execute_query(
        SQL(
            "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int4[], %s::int4[])"
            " ON CONFLICT DO NOTHING",
            SQL.identifier(field.relation),
            SQL.identifier(field.column1),
            SQL.identifier(field.column2),
            [pair[0] for pair in pairs],
            [pair[1] for pair in pairs],
        )
    )
    model.invalidate_model([field_name])


def end_of_day(date):
    """The last second of `date`, the moment Odoo's ``to_date`` valuation reads a day at."""
    return datetime.combine(date, time(23, 59, 59))
