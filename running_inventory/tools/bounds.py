"""Numbers a user types, checked before Odoo converts them.

A Float field with digits and a Monetary field round what they are given when it enters the
cache: NaN then fails with a ValueError and ±Infinity with an OverflowError, a traceback for the
user instead of a message; NaN also passes SQL checks (NaN >= 0 is true in PostgreSQL). Values
are checked in the ``vals`` of ``create`` and ``write``, before that conversion.
"""

import math

from odoo.exceptions import ValidationError


def raise_if_out_of_bounds(model, vals, bounds):
    """Raise a ValidationError unless every value of ``vals`` for a field of ``bounds`` is a
    finite number within its bounds (empty is zero, as Odoo stores it).

    :param model: the model the values are for (its env translates, its fields name them)
    :param vals: the values of a ``create`` or ``write``
    :param bounds: ``{field name: (lowest, highest)}``
    """
    for fname in bounds.keys() & vals.keys():
        value = vals[fname]
        if value is None or value is False:
            continue
        lowest, highest = bounds[fname]
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and lowest <= value <= highest
        ):
            continue
        raise ValidationError(
            model.env._(
                "%(field)s must be a number from %(lowest)s to %(highest)s (it is %(value)s).",
                field=model._fields[fname]._description_string(model.env),
                lowest=f"{lowest:,}",
                highest=f"{highest:,}",
                value=str(value)[:40],
            )
        )


def raise_if_not_finite(model, vals, fnames):
    """Raise a ValidationError naming the field unless every value of ``vals`` for a field of
    ``fnames`` is a finite number (or empty): for the fields whose range is Odoo's own, or
    checked by a constraint after the record is written.

    :param model: the model the values are for
    :param vals: the values of a ``create`` or ``write``
    :param fnames: the names of the fields to check
    """
    for fname in set(fnames) & vals.keys():
        value = vals[fname]
        if value is None or value is False:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            continue
        raise ValidationError(
            model.env._(
                "%(field)s must be a finite number (it is %(value)s).",
                field=model._fields[fname]._description_string(model.env),
                value=str(value)[:40],
            )
        )
