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


def test_demo_counters_finish_a_session_with_a_recount(odoo_server, admin_client):
    """Counter counts off, the recount goes to counter2 (not on the session until then), who
    recounts and submits; the auditor approves: with the two demo counters nothing is stuck."""
    from .test_guarantees_rpc import _stocked_product

    product_id = _stocked_product(admin_client, quantity=4)
    counter, counter2 = _client(odoo_server, "counter"), _client(odoo_server, "counter2")
    auditor = _client(odoo_server, "auditor")
    [counter_uid] = admin_client.execute("res.users", "search", [("login", "=", "counter")])
    [counter2_uid] = admin_client.execute("res.users", "search", [("login", "=", "counter2")])
    count_id = auditor.execute(
        "running.inventory.count",
        "create",
        {
            "warehouse_id": auditor.execute("stock.warehouse", "search", [], limit=1)[0],
            "product_ids": [(6, 0, [product_id])],
            "counter_ids": [(6, 0, [counter_uid])],
        },
    )
    auditor.execute("running.inventory.count", "action_start", [count_id])
    assert not counter2.execute("running.inventory.count", "search", [("id", "=", count_id)])
    [line_id] = counter.execute(
        "running.inventory.count.line", "search", [("count_id", "=", count_id)]
    )
    counter.execute("running.inventory.count", "record_counts", [count_id], [[line_id, 1.0]])
    counter.execute("running.inventory.count", "action_count_done", [count_id])
    [line] = auditor.execute(
        "running.inventory.count.line", "read", [line_id], ["status", "recount_user_id"]
    )
    assert (line["status"], line["recount_user_id"][0]) == ("to_recount", counter2_uid)
    assert counter2.execute(
        "running.inventory.count.line", "search", [("is_my_recount", "=", True)]
    ) == [line_id]
    with pytest.raises(RpcError) as error:
        counter.execute("running.inventory.count.line", "write", [line_id], {"quantity_counted": 4})
    assert error.value.name == "odoo.exceptions.UserError"
    counter2.execute("running.inventory.count.line", "write", [line_id], {"quantity_counted": 4})
    counter2.execute("running.inventory.count", "action_submit", [count_id])
    auditor.execute("running.inventory.count", "action_approve", [count_id])
    [session] = auditor.execute(
        "running.inventory.count", "read", [count_id], ["state", "move_count"]
    )
    assert (session["state"], session["move_count"]) == ("done", 0)
