"""The Inventory overview's headline figures over the real JSON-RPC endpoint, as the demo
users reach them: a counter gets none of them, an auditor the counts and the stockout risk,
the admin all four; the computation's parts are private."""

import pytest

from .odoo_server import JsonRpcClient, RpcError

DASHBOARD = "running.inventory.dashboard"


def _client(odoo_server, login):
    client = JsonRpcClient(odoo_server.url, odoo_server.database)
    assert client.login(login, login), f"demo user {login} / {login}"
    return client


def _keys(client):
    return [card["key"] for card in client.execute(DASHBOARD, "get_headline_figures")]


def test_counter_gets_no_figure(odoo_server):
    assert _keys(_client(odoo_server, "counter")) == []


def test_auditor_gets_counts_and_stockout_risk(odoo_server):
    assert _keys(_client(odoo_server, "auditor")) == [
        "counts_due",
        "counts_to_approve",
        "stockout_risk",
    ]


def test_admin_gets_every_figure(admin_client):
    cards = admin_client.execute(DASHBOARD, "get_headline_figures")
    assert [card["key"] for card in cards] == [
        "counts_due",
        "counts_to_approve",
        "stock_vs_books",
        "stockout_risk",
    ]
    for card in cards:
        assert card["action"]["type"] == "ir.actions.act_window"


@pytest.mark.parametrize(
    "method", ["_get_count_cards", "_get_reconciliation_cards", "_get_stockout_cards"]
)
def test_parts_are_private(odoo_server, method):
    counter = _client(odoo_server, "counter")
    with pytest.raises(RpcError):
        counter.execute(DASHBOARD, method)
