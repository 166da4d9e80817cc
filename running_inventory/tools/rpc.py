"""Record ids as RPC clients send them, checked before the addon's own methods use them.

Odoo's dispatcher builds the records of a call from whatever ids the client sends
(``model.browse(ids)``): nested lists (``[[1]]``), strings or out-of-range integers then fail
deep in the ORM with a TypeError or a database error, and an empty list fails a method that
works on one record with Odoo's ValueError ("Expected singleton"): tracebacks, not messages.
The addon's public methods are decorated with :func:`rpc_records` (or :func:`rpc_record` for
one record), which refuses them first with a UserError. Odoo's own ORM methods are Odoo's.
The addon's overrides of Odoo's other public methods check the parameters a client may send
(:func:`checked_date`, :func:`checked_flag`) before
Odoo's code uses them.
"""

import datetime
import functools

from odoo import fields
from odoo.exceptions import UserError
from odoo.orm.identifiers import NewId

MAX_ID = 2**31 - 1  # record ids are PostgreSQL integers


def raise_if_malformed(records, one=False):
    """Raise a UserError unless `records` are made of record ids (and are one record when
    `one`)."""
    malformed = [
        record_id
        for record_id in records._ids
        if not isinstance(record_id, NewId)
        and not (record_id.__class__ is int and 0 < record_id <= MAX_ID)
    ]
    if malformed:
        raise UserError(
            records.env._(
                "%(ids)s are not record ids of %(model)s.",
                ids=str(malformed)[:80],
                model=records._description,
            )
        )
    if one and len(records) != 1:
        raise UserError(
            records.env._(
                "This action works on one record of %(model)s at a time (%(count)s given).",
                model=records._description,
                count=len(records),
            )
        )


def rpc_records(method):
    """Decorate a public method of records: malformed ids refused with a UserError."""

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        raise_if_malformed(self)
        return method(self, *args, **kwargs)

    return checked


def rpc_record(method):
    """Decorate a public method of one record: malformed ids, or not one record, refused with
    a UserError."""

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        raise_if_malformed(self, one=True)
        return method(self, *args, **kwargs)

    return checked


def checked_date(env, value, name):
    """`value` unchanged when it is empty, a date, a datetime or a text Odoo reads as one;
    otherwise a UserError naming the parameter `name` (Odoo's own methods that take a date
    fail on anything else with a TypeError or a ValueError deep in their code)."""
    if value is None or value is False or isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) <= 32 and _reads_as_date(value):
        return value
    raise UserError(env._("%(name)s is a date, not %(value)s.", name=name, value=str(value)[:40]))


def _reads_as_date(text):
    try:
        fields.Datetime.to_datetime(text)
    except ValueError:
        return False
    return True


def checked_flag(env, value, name):
    """`value` unchanged when it is a boolean (or empty); otherwise a UserError."""
    if value is None or isinstance(value, bool):
        return value
    raise UserError(
        env._("%(name)s is true or false, not %(value)s.", name=name, value=str(value)[:40])
    )
