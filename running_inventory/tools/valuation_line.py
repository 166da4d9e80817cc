"""What the perpetual valuation posts, before it is written as journal entries.

The posting service (``running.inventory.posting``) collects lines from the documents that
moved goods or changed their value, trues them up to Odoo's stock value, groups them into
entries and writes them. In between, a line is a small immutable value: a step that changes
one returns a new line (``dataclasses.replace``), it never edits the caller's.
"""

import datetime
from dataclasses import dataclass, replace

# account.move.line.stock_valuation_kind
MOVEMENT = "movement"
REVALUATION = "revaluation"
OPENING = "opening"
INTERIM_CLEARING = "interim_clearing"


@dataclass(frozen=True, slots=True)
class ValuationLine:
    """One journal item of the perpetual valuation, in company currency.

    :param account_id: the account it posts to
    :param amount: the signed balance, rounded to the company currency (debit positive)
    :param label: the journal item's label
    :param kind: why it is posted (``account.move.line.stock_valuation_kind``)
    :param product_id: the product whose value it carries
    :param uom_id: the product's unit (quantities are in it)
    :param quantity: signed quantity entering (positive) or leaving (negative) the account;
        zero on value-only lines (revaluations, differences, clearings)
    :param stock_move_id: the movement it posts, if any
    :param partner_id: the vendor or customer facing the movement
    :param on_stock_account: the line is on a stock valuation account: it moves what the books
        hold of Odoo's stock value (the true-up compares these with Odoo's figure)
    :param takes_rounding: a delivery's stock line: Odoo costs a delivery unrounded and rounds
        the value on hand once, the cent between the two belongs to the delivery
    :param interim_link: (journal item field, order line id) for an interim line waiting for
        its bill or invoice, e.g. ("interim_purchase_line_id", 7)
    """

    account_id: int
    amount: float
    label: str
    kind: str
    product_id: int | None = None
    uom_id: int | None = None
    quantity: float = 0.0
    stock_move_id: int | None = None
    partner_id: int | None = None
    on_stock_account: bool = False
    takes_rounding: bool = False
    interim_link: tuple[str, int] | None = None

    def with_amount(self, amount):
        return replace(self, amount=amount)

    def is_posted(self, moves_with_value):
        """Whether the line goes into the entry: any line with an amount, and a stock line of
        a movement that posts a value (a unit cost of zero still moves quantity)."""
        return bool(self.amount) or (
            self.on_stock_account and self.stock_move_id in moves_with_value
        )

    def to_journal_item_values(self):
        """The ``account.move.line`` values of the line (balance in company currency)."""
        values = {
            "account_id": self.account_id,
            "balance": self.amount,
            "name": self.label,
            "stock_valuation_kind": self.kind,
            "product_id": self.product_id or False,
            "product_uom_id": self.uom_id or False,
            "quantity": self.quantity,
            "stock_move_id": self.stock_move_id or False,
            "partner_id": self.partner_id or False,
        }
        if self.interim_link:
            field_name, order_line_id = self.interim_link
            values[field_name] = order_line_id
        return values


@dataclass(frozen=True, slots=True)
class ValuationEntry:
    """The lines of one journal entry: one stock journal, one accounting date.

    :param journal: ``account.journal``
    :param stock_move_ids: the movements it posts (their entry once written)
    :param origin_move_id: the bill or invoice that caused it, if any
    """

    journal: object
    date: datetime.date
    ref: str | None
    lines: tuple[ValuationLine, ...]
    stock_move_ids: tuple[int, ...] = ()
    origin_move_id: int | None = None

    @property
    def balance(self):
        return sum(line.amount for line in self.lines)
