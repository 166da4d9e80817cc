"""Blind counting over the real JSON-RPC endpoint, with the demo session counted by `counter`."""

import pytest

from .odoo_server import JsonRpcClient, RpcError

HIDDEN = ["quantity_snapshot", "quantity_expected", "quantity_difference", "value_difference"]


def _client(odoo_server, login):
    client = JsonRpcClient(odoo_server.url, odoo_server.database)
    assert client.login(login, login), f"demo user {login} / {login}"
    return client


def _demo_lines(client):
    return client.execute(
        "running.inventory.count.line", "search", [("count_id.state", "=", "in_progress")]
    )


def test_counter_cannot_read_expected_quantities(odoo_server):
    counter = _client(odoo_server, "counter")
    lines = _demo_lines(counter)
    assert lines, "the demo session is in progress and assigned to counter"
    values = counter.execute("running.inventory.count.line", "read", lines)
    assert values and not set(HIDDEN) & set(values[0])
    for fname in HIDDEN:
        with pytest.raises(RpcError) as error:
            counter.execute("running.inventory.count.line", "read", lines, [fname])
        assert error.value.name == "odoo.exceptions.AccessError"
    with pytest.raises(RpcError) as error:
        counter.execute(
            "running.inventory.count.line",
            "formatted_read_group",
            [],
            ["count_id"],
            ["quantity_difference:sum"],
        )
    assert error.value.name == "odoo.exceptions.AccessError"


def test_auditor_reads_expected_quantities(odoo_server):
    auditor = _client(odoo_server, "auditor")
    lines = _demo_lines(auditor)
    values = auditor.execute("running.inventory.count.line", "read", lines, HIDDEN)
    assert all(value["quantity_expected"] == value["quantity_snapshot"] for value in values)
