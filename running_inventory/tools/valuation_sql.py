"""The valuation rules of Odoo's stock_account, written once for the addon's SQL.

The ledger, Stock at Date, the reconciliation and the posting read stock in bulk with SQL;
each rule they share is here, next to the Python method of Odoo's it mirrors, so that a
change of rule is made in one place.
"""

from odoo.tools import SQL


def valued_location_sql(location):
    """``stock.location._should_be_valued()``: a location whose stock the company values
    (internal and transit locations of a company).

    :param location: the table alias of a ``stock_location`` row
    """
    alias = SQL.identifier(location)
    return SQL("(%s.company_id IS NOT NULL AND %s.usage IN ('internal', 'transit'))", alias, alias)


def owned_by_company_sql(owner, company_partner):
    """Not ``stock.move.line._should_exclude_for_valuation()``: stock the company owns (no
    owner, or the company itself), as opposed to consigned goods (``owner_id``).

    :param owner: SQL of the owner column (``quant.owner_id``, ``line.owner_id``)
    :param company_partner: SQL of the company's partner id
    """
    return SQL("(%s IS NULL OR %s = %s)", owner, owner, company_partner)
