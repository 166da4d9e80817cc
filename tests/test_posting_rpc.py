"""The perpetual valuation over the real JSON-RPC endpoint: its markers are not for users to
write, and a movement and its entry commit together or not at all (a database error while the
entry is written, a server killed in the middle of a validation)."""

import threading
import time
import uuid

import psycopg2
import pytest

from .odoo_server import JsonRpcClient, OdooServer, RpcError

NO_SMS = {"context": {"skip_sms": True}}


def _ref(client, xmlid):
    module, name = xmlid.split(".")
    return client.execute("ir.model.data", "check_object_reference", module, name)[1]


def _user(admin, login, groups):
    admin.execute(
        "res.users",
        "create",
        {
            "name": login,
            "login": login,
            "password": login,
            "group_ids": [(6, 0, [_ref(admin, group) for group in groups])],
        },
    )


def _client(server, login):
    client = JsonRpcClient(server.url, server.database)
    assert client.login(login, login)
    return client


def _receipt(client, name, quantity=4):
    """A confirmed receipt of a new perpetual product: (picking id, product id)."""
    warehouse = client.execute(
        "stock.warehouse", "search_read", [], fields=["lot_stock_id", "in_type_id"], limit=1
    )[0]
    supplier_id = _ref(client, "stock.stock_location_suppliers")
    product_id = client.execute(
        "product.product",
        "create",
        {
            "name": name,
            "is_storable": True,
            "categ_id": _ref(client, "running_inventory.product_category_furniture_demo"),
            "standard_price": 10.0,
        },
    )
    stock_id = warehouse["lot_stock_id"][0]
    picking_id = client.execute(
        "stock.picking",
        "create",
        {
            "picking_type_id": warehouse["in_type_id"][0],
            "location_id": supplier_id,
            "location_dest_id": stock_id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": product_id,
                        "product_uom_qty": quantity,
                        "location_id": supplier_id,
                        "location_dest_id": stock_id,
                    },
                )
            ],
        },
    )
    client.execute("stock.picking", "action_confirm", [picking_id])
    return picking_id, product_id


def _state(client, picking_id, product_id):
    picking = client.execute("stock.picking", "read", [picking_id], ["state"])[0]
    lines = client.execute("account.move.line", "search", [("product_id", "=", product_id)])
    return picking["state"], lines


@pytest.fixture
def roles(odoo_server, admin_client):
    suffix = uuid.uuid4().hex[:6]
    logins = {"stock": f"stock_user_{suffix}", "accountant": f"accountant_{suffix}"}
    _user(admin_client, logins["stock"], ["stock.group_stock_user"])
    _user(
        admin_client,
        logins["accountant"],
        ["account.group_account_manager", "stock.group_stock_user"],
    )
    return {role: _client(odoo_server, login) for role, login in logins.items()}


def test_posting_markers_are_not_for_users(admin_client, roles):
    picking_id, product_id = _receipt(admin_client, "Marked widget")
    admin_client.execute("stock.picking", "button_validate", [picking_id], **NO_SMS)
    move_id = admin_client.execute("stock.move", "search", [("picking_id", "=", picking_id)])
    lines = admin_client.execute("account.move.line", "search", [("product_id", "=", product_id)])
    assert len(lines) == 2

    with pytest.raises(RpcError) as error:
        roles["stock"].execute("stock.move", "write", move_id, {"valuation_posting": False})
    assert error.value.name == "odoo.exceptions.AccessError"
    for values in ({"stock_valuation_kind": False}, {"stock_move_id": False}):
        with pytest.raises(RpcError) as error:
            roles["accountant"].execute("account.move.line", "write", lines, values)
        assert error.value.name == "odoo.exceptions.AccessError"
    # A manual entry cannot pass itself off as a posting of the valuation either.
    journal_id = admin_client.execute(
        "account.journal", "search", [("type", "=", "general")], limit=1
    )[0]
    account_ids = admin_client.execute("account.move.line", "read", lines, ["account_id"])
    with pytest.raises(RpcError) as error:
        roles["accountant"].execute(
            "account.move",
            "create",
            {
                "journal_id": journal_id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "account_id": line["account_id"][0],
                            "debit": amount,
                            "credit": 0.0 if amount else 5.0,
                            "product_id": product_id,
                            "stock_valuation_kind": "movement",
                        },
                    )
                    for line, amount in zip(account_ids, (5.0, 0.0), strict=True)
                ],
            },
        )
    assert error.value.name == "odoo.exceptions.AccessError"

    move = admin_client.execute("stock.move", "read", move_id, ["valuation_posting"])[0]
    assert move["valuation_posting"] == "posted"
    kinds = admin_client.execute("account.move.line", "read", lines, ["stock_valuation_kind"])
    assert {line["stock_valuation_kind"] for line in kinds} == {"movement"}


class _Trigger:
    """A PostgreSQL trigger on journal items of one product, written straight into the test
    database: the database itself fails (or stalls) while the entry is written."""

    def __init__(self, database, product_name, action):
        self.database = database
        self.name = f"ri_fault_{uuid.uuid4().hex[:8]}"
        self.product_name = product_name
        self.action = action

    def __enter__(self):
        with psycopg2.connect(dbname=self.database) as conn, conn.cursor() as cr:
            cr.execute(
                f"""
                CREATE FUNCTION {self.name}() RETURNS trigger AS $$
                BEGIN
                    IF NEW.name LIKE '%%' || %s || '%%' THEN {self.action}; END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql;
                CREATE TRIGGER {self.name} BEFORE INSERT ON account_move_line
                   FOR EACH ROW EXECUTE FUNCTION {self.name}();
                """,
                [self.product_name],
            )
        return self

    def __exit__(self, *exc):
        with psycopg2.connect(dbname=self.database) as conn, conn.cursor() as cr:
            cr.execute(f"DROP TRIGGER IF EXISTS {self.name} ON account_move_line")
            cr.execute(f"DROP FUNCTION IF EXISTS {self.name}()")


def test_database_error_while_posting_leaves_nothing_done(odoo_server, admin_client):
    picking_id, product_id = _receipt(admin_client, "Faulty widget")
    action = "RAISE EXCEPTION 'disk full (simulated)'"
    with _Trigger(odoo_server.database, "Faulty widget", action), pytest.raises(RpcError) as error:
        admin_client.execute("stock.picking", "button_validate", [picking_id], **NO_SMS)
    assert "disk full" in error.value.message
    assert _state(admin_client, picking_id, product_id) == ("assigned", [])
    moves = admin_client.execute(
        "stock.move", "search_read", [("picking_id", "=", picking_id)], fields=["state"]
    )
    assert {move["state"] for move in moves} == {"assigned"}
    # Once the database is well again, the same validation posts.
    admin_client.execute("stock.picking", "button_validate", [picking_id], **NO_SMS)
    state, lines = _state(admin_client, picking_id, product_id)
    assert (state, len(lines)) == ("done", 2)


def test_server_killed_mid_validation_leaves_nothing_done(odoo_server):
    server = OdooServer(odoo_server.database).start()
    try:
        admin = _client(server, "admin")
        picking_id, product_id = _receipt(admin, "Stalled widget")
        with _Trigger(odoo_server.database, "Stalled widget", "PERFORM pg_sleep(10)"):
            thread = threading.Thread(
                target=_validate_ignoring_the_crash, args=(server, picking_id), daemon=True
            )
            thread.start()
            _wait_for_sleeping_backend(odoo_server.database)
            server.kill()  # the worker dies while writing the entry
            _wait_for_no_sleeping_backend(odoo_server.database)
    finally:
        server.stop()
    # Another server (the suites' own) finds the receipt as it was before.
    admin = _client(odoo_server, "admin")
    assert _state(admin, picking_id, product_id) == ("assigned", [])


def _validate_ignoring_the_crash(server, picking_id):
    client = _client(server, "admin")
    try:
        client.execute("stock.picking", "button_validate", [picking_id], **NO_SMS)
    except (RpcError, OSError):  # the server dies under this call
        pass


def _sleeping_backends(database):
    with psycopg2.connect(dbname=database) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = %s AND query ILIKE '%%account_move_line%%'"
            " AND wait_event = 'PgSleep'",
            [database],
        )
        return cr.fetchone()[0]


def _wait_for_sleeping_backend(database, timeout=120):
    deadline = time.monotonic() + timeout
    while not _sleeping_backends(database):
        assert time.monotonic() < deadline, "the validation never reached the entry"
        time.sleep(0.2)


def _wait_for_no_sleeping_backend(database, timeout=60):
    # PostgreSQL notices the client is gone once the statement ends, and rolls back.
    deadline = time.monotonic() + timeout
    while _sleeping_backends(database):
        assert time.monotonic() < deadline, "the killed worker's transaction is still running"
        time.sleep(0.5)
