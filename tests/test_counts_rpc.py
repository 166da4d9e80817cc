"""Blind counting over the real JSON-RPC endpoint, with the demo session counted by `counter`."""

import http.cookiejar
import json
import urllib.error
import urllib.request

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
        "running.inventory.count.line",
        "search",
        [("count_id", "=", count_id), ("is_my_recount", "=", True)],
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


def _uid(admin_client, login):
    [uid] = admin_client.execute("res.users", "search", [("login", "=", login)])
    return uid


def _draft_session(admin_client, logins=("counter", "counter2")):
    """A draft session counting a new product with 4 on hand, assigned to the counters."""
    from .test_guarantees_rpc import _stocked_product

    product_id = _stocked_product(admin_client, quantity=4)
    count_id = admin_client.execute(
        "running.inventory.count",
        "create",
        {
            "warehouse_id": admin_client.execute("stock.warehouse", "search", [], limit=1)[0],
            "product_ids": [(6, 0, [product_id])],
            "counter_ids": [(6, 0, [_uid(admin_client, login) for login in logins])],
        },
    )
    return count_id


def _refused(call, *args, **kwargs):
    with pytest.raises(RpcError) as error:
        call(*args, **kwargs)
    return error.value


def test_first_counter_does_not_learn_the_recount(odoo_server, admin_client):
    """Hole 8a: counted 1 of 4, the line goes to counter2's recount; counter still reads it as
    counted by them, finds nothing searching or grouping by status, and is refused as for any
    counted line."""
    count_id = _draft_session(admin_client)
    admin_client.execute("running.inventory.count", "action_start", [count_id])
    counter, counter2 = _client(odoo_server, "counter"), _client(odoo_server, "counter2")
    auditor = _client(odoo_server, "auditor")
    [line_id] = counter.execute(
        "running.inventory.count.line", "search", [("count_id", "=", count_id)]
    )
    counter.execute("running.inventory.count.line", "write", [line_id], {"quantity_counted": 1})
    counter.execute("running.inventory.count", "action_count_done", [count_id])
    fields = ["status", "quantity_counted", "is_counted", "counter_id", "is_my_recount"]
    [seen] = counter.execute("running.inventory.count.line", "read", [line_id], fields)
    assert (seen["status"], seen["quantity_counted"], seen["is_counted"]) == ("counted", 1.0, True)
    assert (seen["counter_id"][0], seen["is_my_recount"]) == (_uid(admin_client, "counter"), False)
    [web] = counter.execute(
        "running.inventory.count", "web_read", [count_id],
        {"line_to_recount_count": {}, "line_ids": {"fields": {"status": {}}}},
    )  # fmt: skip
    assert web["line_to_recount_count"] == 0
    assert web["line_ids"] == [{"id": line_id, "status": "counted"}]
    in_session = [("count_id", "=", count_id)]
    line_model = "running.inventory.count.line"
    assert counter.execute(line_model, "search", in_session + [("status", "=", "to_recount")]) == []
    assert counter.execute(line_model, "search", in_session + [("status", "=", "counted")]) == [
        line_id
    ]
    assert (
        counter.execute(
            "running.inventory.count", "search", [("line_ids.status", "=", "to_recount")]
        )
        == []
    )
    error = _refused(
        counter.execute, line_model, "formatted_read_group", in_session, ["status"], ["__count"]
    )
    assert error.name == "odoo.exceptions.AccessError"
    error = _refused(counter.execute, line_model, "write", [line_id], {"quantity_counted": 4})
    assert "another counter must recount what you counted" in error.message
    # The auditor and the recounter see the recount.
    [audited] = auditor.execute(line_model, "read", [line_id], ["status", "quantity_counted"])
    assert audited == {"id": line_id, "status": "to_recount", "quantity_counted": 0.0}
    [recount] = counter2.execute(line_model, "read", [line_id], ["status", "is_my_recount"])
    assert (recount["status"], recount["is_my_recount"]) == ("to_recount", True)
    messages = auditor.execute(
        "mail.message", "search_read",
        [("model", "=", "running.inventory.count"), ("res_id", "=", count_id)], ["body"],
    )  # fmt: skip
    assert all("recount" not in message["body"] for message in messages)


def _web_session(odoo_server, login):
    """An opener logged in to the web client, as a browser is."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    payload = {
        "jsonrpc": "2.0",
        "params": {"db": odoo_server.database, "login": login, "password": login},
    }
    request = urllib.request.Request(
        f"{odoo_server.url}/web/session/authenticate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=120) as response:
        assert json.load(response).get("result", {}).get("uid"), f"{login} logs in"
    return opener


def _report_status(opener, url):
    try:
        with opener.open(url, timeout=300) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_variance_report_is_for_auditors(odoo_server, admin_client):
    """Hole 8b: the variance report renders for an auditor; a counter of the session is refused
    on the server, before any line is counted as after."""
    count_id = _draft_session(admin_client)
    admin_client.execute("running.inventory.count", "action_start", [count_id])
    url = f"{odoo_server.url}/report/html/running_inventory.report_count_variance/{count_id}"
    status, body = _report_status(_web_session(odoo_server, "counter"), url)
    assert status != 200 and "Expected" not in body
    status, body = _report_status(_web_session(odoo_server, "auditor"), url)
    assert status == 200 and "Count Variances" in body
    sheet = f"{odoo_server.url}/report/html/running_inventory.report_count_sheet/{count_id}"
    assert _report_status(_web_session(odoo_server, "counter"), sheet)[0] == 200


def test_counter_neither_starts_nor_overwrites(odoo_server, admin_client):
    """Hole 8c: a counter cannot start a draft session, nor overwrite another counter's count;
    so the other counter can still recount it."""
    count_id = _draft_session(admin_client)
    counter, counter2 = _client(odoo_server, "counter"), _client(odoo_server, "counter2")
    error = _refused(counter.execute, "running.inventory.count", "action_start", [count_id])
    assert error.name == "odoo.exceptions.AccessError"
    [state] = admin_client.execute("running.inventory.count", "read", [count_id], ["state"])
    assert state["state"] == "draft"
    _client(odoo_server, "auditor").execute("running.inventory.count", "action_start", [count_id])
    line_model = "running.inventory.count.line"
    [line_id] = counter.execute(line_model, "search", [("count_id", "=", count_id)])
    counter.execute(line_model, "write", [line_id], {"quantity_counted": 1})
    error = _refused(counter2.execute, line_model, "write", [line_id], {"quantity_counted": 7})
    assert error.name == "odoo.exceptions.UserError" and "counted" in error.message
    error = _refused(
        counter2.execute, "running.inventory.count", "record_counts", [count_id], [[line_id, 7]]
    )
    assert error.name == "odoo.exceptions.UserError"
    counter.execute(line_model, "write", [line_id], {"quantity_counted": 2})  # their own count
    counter.execute("running.inventory.count", "action_count_done", [count_id])
    counter2.execute(line_model, "write", [line_id], {"quantity_counted": 4})
    [line] = admin_client.execute(line_model, "read", [line_id], ["status", "quantity_counted"])
    assert line == {"id": line_id, "status": "recounted", "quantity_counted": 4.0}


def _as_first_counter(counter, count_id):
    """What the first counter reads of a session: its fields, and whether Submit shows."""
    [session] = counter.execute(
        "running.inventory.count",
        "read",
        [count_id],
        ["state", "line_to_recount_count", "counted_user_ids", "counter_ids", "is_ready_to_submit"],
    )
    del session["id"]
    return session


def _chatter(admin_client, count_id):
    """The session's chatter as anyone reading it sees it: authors, bodies, tracked changes."""
    messages = admin_client.execute(
        "mail.message",
        "search_read",
        [("model", "=", "running.inventory.count"), ("res_id", "=", count_id)],
        ["author_id", "body", "message_type", "tracking_value_ids"],
        order="id",
    )
    tracked = {
        value["id"]: (value["field_id"][1], value["old_value_char"], value["new_value_char"])
        for value in admin_client.execute(
            "mail.tracking.value",
            "read",
            [value_id for message in messages for value_id in message["tracking_value_ids"]],
            ["field_id", "old_value_char", "new_value_char"],
        )
    }
    return [
        (
            message["author_id"],
            message["body"],
            message["message_type"],
            sorted(tracked[value_id] for value_id in message["tracking_value_ids"]),
        )
        for message in messages
    ]


def test_first_counter_does_not_learn_the_recount_from_the_session(odoo_server, admin_client):
    """Hole 8a at the session level: two sessions assigned to `counter` alone, one counted off
    (it goes to counter2's recount), one counted right. Over RPC the counter reads the same of
    both (state, lines to recount, who counted, counters, Submit), submits both alike, and the
    chatter says the same, before and after counter2's recount; the auditor is told what waits.
    """
    off, right = (
        _draft_session(admin_client, ("counter",)),
        _draft_session(admin_client, ("counter",)),
    )
    counter, counter2 = _client(odoo_server, "counter"), _client(odoo_server, "counter2")
    auditor = _client(odoo_server, "auditor")
    model, line_model = "running.inventory.count", "running.inventory.count.line"
    line_ids = {}
    for count_id, counted in ((off, 1.0), (right, 4.0)):
        auditor.execute(model, "action_start", [count_id])
        [line_ids[count_id]] = counter.execute(line_model, "search", [("count_id", "=", count_id)])
        counter.execute(model, "record_counts", [count_id], [[line_ids[count_id], counted]])
        counter.execute(model, "action_count_done", [count_id])
    [status] = auditor.execute(line_model, "read", [line_ids[off]], ["status"])
    assert status["status"] == "to_recount"
    expected = {
        "state": "counted",
        "line_to_recount_count": 0,
        "counted_user_ids": [_uid(admin_client, "counter")],
        "counter_ids": [_uid(admin_client, "counter")],
        "is_ready_to_submit": True,
    }
    assert _as_first_counter(counter, off) == _as_first_counter(counter, right) == expected
    # The auditor is told what waits, and may not approve before the recount.
    error = _refused(auditor.execute, model, "action_submit", [off])
    assert "still has 1 lines to recount" in error.message
    # The counter's Submit goes through alike.
    assert counter.execute(model, "action_submit", [off]) is True
    assert counter.execute(model, "action_submit", [right]) is True
    expected["state"], expected["is_ready_to_submit"] = "to_approve", False
    assert _as_first_counter(counter, off) == _as_first_counter(counter, right) == expected
    error = _refused(auditor.execute, model, "action_approve", [off])
    assert "still has 1 lines to recount" in error.message
    # counter2 is not on the session's counters, yet opens it for the recount.
    assert counter2.execute(model, "search", [("id", "=", off)]) == [off]
    assert counter2.execute(model, "search", [("id", "=", right)]) == []
    counter2.execute(line_model, "write", [line_ids[off]], {"quantity_counted": 4})
    assert _as_first_counter(counter, off) == _as_first_counter(counter, right) == expected
    # Nor does the line's last writer tell.
    for count_id in (off, right):
        [line] = counter.execute(line_model, "read", [line_ids[count_id]], ["write_uid"])
        assert line["write_uid"][0] == _uid(admin_client, "counter")
    assert _chatter(admin_client, off) == _chatter(admin_client, right)
    for count_id in (off, right):
        auditor.execute(model, "action_approve", [count_id])
    assert _chatter(admin_client, off) == _chatter(admin_client, right)
    [session] = auditor.execute(model, "read", [off], ["state", "counted_user_ids"])
    assert session["state"] == "done"
    assert sorted(session["counted_user_ids"]) == sorted(
        [_uid(admin_client, "counter"), _uid(admin_client, "counter2")]
    )
