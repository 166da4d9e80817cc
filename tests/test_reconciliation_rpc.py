"""The month-end sign-off of a stock reconciliation over the real JSON-RPC endpoint: the demo
accountant validates it, a stock user cannot; once validated it is locked (no recompute, no
adjustment, no change) until the accountant reverses the validation, which the chatter keeps."""

import uuid

import pytest

from .odoo_server import RpcError
from .test_posting_rpc import _client, _user

ACCESS_ERROR = "odoo.exceptions.AccessError"
USER_ERROR = "odoo.exceptions.UserError"
MODEL = "running.inventory.reconciliation"


def _refused(call, *args, **kwargs):
    with pytest.raises(RpcError) as error:
        call(*args, **kwargs)
    return error.value


@pytest.fixture
def stock_user(odoo_server, admin_client):
    login = f"stock_user_{uuid.uuid4().hex[:6]}"
    _user(admin_client, login, ["stock.group_stock_user"])
    return _client(odoo_server, login)


def test_accountant_validates_then_only_reverses(odoo_server, admin_client, stock_user):
    accountant = _client(odoo_server, "accountant")
    [accountant_id] = accountant.execute("res.users", "search", [("login", "=", "accountant")])
    reconciliation = accountant.execute(MODEL, "create", {})
    accountant.execute(MODEL, "action_compute", [reconciliation])

    # A stock user neither validates nor reverses.
    for method in ("action_validate", "action_reset_validation"):
        assert _refused(stock_user.execute, MODEL, method, [reconciliation]).name == ACCESS_ERROR

    accountant.execute(MODEL, "action_validate", [reconciliation])
    fnames = ["state", "validated_by_id", "odoo_value", "balance", "difference", "computed_on"]
    [validated] = accountant.execute(MODEL, "read", [reconciliation], fnames)
    assert validated["state"] == "validated"
    assert validated["validated_by_id"][0] == accountant_id

    # Locked: recompute, adjust, change or delete are refused with a clear message.
    for method in ("action_compute", "action_open_adjust", "action_validate", "unlink"):
        error = _refused(accountant.execute, MODEL, method, [reconciliation])
        assert error.name == USER_ERROR, method
        assert "is validated" in error.message, method
    error = _refused(accountant.execute, MODEL, "write", [reconciliation], {"date": "2020-01-31"})
    assert error.name == USER_ERROR
    error = _refused(accountant.execute, MODEL, "write", [reconciliation], {"state": "done"})
    assert error.name == ACCESS_ERROR
    wizard = accountant.execute(
        "running.inventory.reconciliation.adjust",
        "create",
        {"reconciliation_id": reconciliation},
    )
    error = _refused(
        accountant.execute, "running.inventory.reconciliation.adjust", "action_post", [wizard]
    )
    assert error.name == USER_ERROR
    assert accountant.execute(MODEL, "read", [reconciliation], fnames) == [validated]

    # Reversed by the accountant: unlocked, and the chatter names who did what.
    accountant.execute(MODEL, "action_reset_validation", [reconciliation])
    [reset] = accountant.execute(MODEL, "read", [reconciliation], ["state", "validated_by_id"])
    assert reset == {"id": reconciliation, "state": "done", "validated_by_id": False}
    messages = accountant.execute(
        "mail.message",
        "search_read",
        [("model", "=", MODEL), ("res_id", "=", reconciliation)],
        ["body"],
    )
    assert any("reversed by Alice Accountant" in message["body"] for message in messages)
    accountant.execute(MODEL, "action_compute", [reconciliation])
