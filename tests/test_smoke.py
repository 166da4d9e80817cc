"""The demo database, used from outside as a user or an integration would."""

import urllib.request

from .odoo_server import JsonRpcClient


def test_login_page_is_served(odoo_server):
    with urllib.request.urlopen(f"{odoo_server.url}/web/login", timeout=30) as response:
        assert response.status == 200
        assert b"login" in response.read().lower()


def test_admin_logs_in_over_jsonrpc(admin_client):
    user = admin_client.execute("res.users", "read", [admin_client.uid], ["login"])
    assert user[0]["login"] == "admin"


def test_wrong_password_is_refused(odoo_server):
    client = JsonRpcClient(odoo_server.url, odoo_server.database)
    assert client.login("admin", "not-the-password") is False


def test_running_inventory_is_installed(admin_client):
    modules = admin_client.execute(
        "ir.module.module", "search_read", [("name", "=", "running_inventory")], fields=["state"]
    )
    assert modules == [{"id": modules[0]["id"], "state": "installed"}]


def test_demo_counter_and_auditor_have_their_roles(admin_client):
    users = admin_client.execute(
        "res.users",
        "search_read",
        [("login", "in", ["counter", "auditor"])],
        fields=["login", "all_group_ids"],
    )
    groups = {
        xmlid: admin_client.execute(
            "ir.model.data", "check_object_reference", "running_inventory", xmlid
        )[1]
        for xmlid in ("group_inventory_counter", "group_inventory_auditor")
    }
    by_login = {user["login"]: set(user["all_group_ids"]) for user in users}
    assert groups["group_inventory_counter"] in by_login["counter"]
    assert groups["group_inventory_auditor"] not in by_login["counter"]
    assert {groups["group_inventory_counter"], groups["group_inventory_auditor"]} <= by_login[
        "auditor"
    ]
