"""The audit-count guarantees over the real JSON-RPC endpoint, as a counter, an auditor and an
accountant of the demo database reach them from outside: what a blind counter may read, the
one approval gate for inventory adjustments, the fields only actions change."""

import uuid

import pytest

from .odoo_server import JsonRpcClient, RpcError
from .test_posting_rpc import NO_SMS, _receipt, _ref, _user

ACCESS_ERROR = "odoo.exceptions.AccessError"
PRODUCT_FIGURES = ["qty_available", "virtual_available", "free_qty", "incoming_qty", "total_value"]


def _client(odoo_server, login):
    client = JsonRpcClient(odoo_server.url, odoo_server.database)
    assert client.login(login, login), f"demo user {login} / {login}"
    return client


def _refused(call, *args, **kwargs):
    """The error the server answers with (the call must fail)."""
    with pytest.raises(RpcError) as error:
        call(*args, **kwargs)
    return error.value


def _search_as_counter(counter, domain):
    """Products a counter finds with `domain`; none when refused (with mrp installed, Odoo's
    own kit check of a quantity search reads bills of materials, which counters may not)."""
    try:
        return counter.execute("product.product", "search", domain)
    except RpcError as error:
        assert error.name == ACCESS_ERROR
        return []


def _stocked_product(admin, quantity=4):
    """A new product received into the main warehouse's stock: its id."""
    picking_id, product_id = _receipt(admin, f"Counted widget {uuid.uuid4().hex[:6]}", quantity)
    admin.execute("stock.picking", "button_validate", [picking_id], **NO_SMS)
    return product_id


def _session(admin, product_id, counter_logins=("counter",)):
    """A started session counting the product, assigned to the counters: its id."""
    counters = admin.execute("res.users", "search", [("login", "in", list(counter_logins))])
    count_id = admin.execute(
        "running.inventory.count",
        "create",
        {
            "warehouse_id": admin.execute("stock.warehouse", "search", [], limit=1)[0],
            "product_ids": [(6, 0, [product_id])],
            "counter_ids": [(6, 0, counters)],
        },
    )
    admin.execute("running.inventory.count", "action_start", [count_id])
    return count_id


@pytest.fixture
def counted(odoo_server, admin_client):
    """A product with 4 on hand, its quant, its move and a session counting it."""
    product_id = _stocked_product(admin_client)
    return {
        "product": product_id,
        "quants": admin_client.execute(
            "stock.quant",
            "search",
            [("product_id", "=", product_id), ("location_id.usage", "=", "internal")],
        ),
        "moves": admin_client.execute("stock.move", "search", [("product_id", "=", product_id)]),
        "move_lines": admin_client.execute(
            "stock.move.line", "search", [("product_id", "=", product_id)]
        ),
        "count": _session(admin_client, product_id),
    }


def test_counter_reads_no_stock_figure(odoo_server, counted):
    counter = _client(odoo_server, "counter")
    # Quants and move lines: Odoo lets every employee read them, a counter finds none.
    assert counter.execute("stock.quant", "search_read", [], ["quantity"]) == []
    error = _refused(counter.execute, "stock.quant", "read", counted["quants"], ["quantity"])
    assert error.name == ACCESS_ERROR
    assert counter.execute("stock.move.line", "search_read", [], ["quantity"]) == []
    error = _refused(counter.execute, "stock.move.line", "read", counted["move_lines"])
    assert error.name == ACCESS_ERROR
    assert counter.execute("report.stock.quantity", "search_read", [], ["product_qty"]) == []
    # Moves, the forecast report, the stock ledger, Stock at Date: no access at all.
    for model, method, args in [
        ("stock.move", "read", [counted["moves"], ["quantity"]]),
        ("stock.move", "search_read", [[]]),
        ("running.inventory.ledger", "search_read", [[]]),
        ("running.inventory.stock.date", "create", [{}]),
        ("running.inventory.stock.date.line", "search_read", [[]]),
    ]:
        assert _refused(counter.execute, model, method, *args).name == ACCESS_ERROR, model
    # The products and lots they count: names and barcodes, no figure.
    product = counter.execute("product.product", "read", [counted["product"]], ["barcode"])
    assert product[0]["id"] == counted["product"]
    for fname in PRODUCT_FIGURES:
        error = _refused(counter.execute, "product.product", "read", [counted["product"]], [fname])
        assert error.name == ACCESS_ERROR, fname
    # Searching by quantity tells nothing either: to a counter, nothing is in stock.
    in_stock = [("id", "=", counted["product"]), ("qty_available", ">", 0)]
    for domain in (in_stock, [*in_stock[:1], ("qty_available", "=", 4)]):
        assert _search_as_counter(counter, domain) == [], domain
    assert "qty_available" not in counter.execute("product.product", "fields_get", [], ["type"])
    error = _refused(counter.execute, "stock.lot", "search_read", [], ["product_qty"])
    assert error.name == ACCESS_ERROR
    assert counter.execute("stock.lot", "search_read", [], ["name"], limit=1)


def test_counter_counts_from_their_own_app(odoo_server, admin_client, counted):
    counter = _client(odoo_server, "counter")
    menus = counter.execute("ir.ui.menu", "load_menus", False)
    root = menus[str(_ref(admin_client, "running_inventory.running_inventory_count_menu_root"))]
    action_id = _ref(admin_client, "running_inventory.running_inventory_count_action")
    assert root["action_id"] == action_id
    assert str(_ref(admin_client, "stock.menu_stock_root")) not in menus
    # The form as the web client loads it.
    views = counter.execute(
        "running.inventory.count", "get_views", [[False, "form"], [False, "list"]]
    )
    assert "quantity_expected" not in views["models"]["running.inventory.count.line"]["fields"]
    session = counter.execute(
        "running.inventory.count",
        "web_read",
        [counted["count"]],
        {
            "state": {},
            "move_count": {},
            "line_ids": {
                "fields": {
                    "product_id": {"fields": {"display_name": {}}},
                    "location_id": {"fields": {"display_name": {}}},
                    "lot_id": {"fields": {"display_name": {}}},
                    "product_uom_id": {"fields": {"display_name": {}}},
                    "quantity_counted": {},
                    "status": {},
                }
            },
        },
    )[0]
    assert session["state"] == "in_progress"
    [line] = session["line_ids"]
    assert line["product_id"]["id"] == counted["product"]
    counter.execute(
        "running.inventory.count.line", "write", [line["id"]], {"quantity_counted": 4.0}
    )
    counter.execute("running.inventory.count", "action_count_done", [counted["count"]])
    [line] = counter.execute(
        "running.inventory.count.line", "read", [line["id"]], ["status", "quantity_counted"]
    )
    assert (line["status"], line["quantity_counted"]) == ("counted", 4.0)


def test_auditor_keeps_full_sight(odoo_server, counted):
    auditor = _client(odoo_server, "auditor")
    [quant] = auditor.execute("stock.quant", "read", counted["quants"], ["quantity"])
    assert quant["quantity"] == 4.0
    [product] = auditor.execute("product.product", "read", [counted["product"]], PRODUCT_FIGURES)
    assert product["qty_available"] == 4.0
    in_stock = [("id", "=", counted["product"]), ("qty_available", ">", 0)]
    assert auditor.execute("product.product", "search", in_stock) == [counted["product"]]
    assert auditor.execute("stock.move", "read", counted["moves"], ["quantity"])[0]["quantity"] == 4
    assert auditor.execute(
        "running.inventory.ledger", "search", [("product_id", "=", counted["product"])]
    )


def _count_quant(client, quant_id, quantity):
    client.execute("stock.quant", "write", [quant_id], {"inventory_quantity": quantity})
    return client.execute("stock.quant", "action_apply_inventory", [quant_id])


def _on_hand(admin, quant_id):
    return admin.execute("stock.quant", "read", [quant_id], ["quantity"])[0]["quantity"]


def test_physical_inventory_goes_through_the_approval_gate(odoo_server, admin_client, counted):
    login = f"stock_user_{uuid.uuid4().hex[:6]}"
    _user(admin_client, login, ["stock.group_stock_user"])
    stock_user = _client(odoo_server, login)
    [quant_id] = counted["quants"]
    # Within the demo plan's thresholds (5 %, 100.00): applied as in Odoo.
    _count_quant(stock_user, quant_id, 4.1)
    assert _on_hand(admin_client, quant_id) == 4.1
    # Over them: not by a stock user, not by the auditor who counted it.
    error = _refused(_count_quant, stock_user, quant_id, 10.0)
    assert error.name == "odoo.exceptions.UserError"
    auditor = _client(odoo_server, "auditor")
    error = _refused(_count_quant, auditor, quant_id, 10.0)
    assert error.name == "odoo.exceptions.UserError"
    assert "recount thresholds" in error.message
    assert _on_hand(admin_client, quant_id) == 4.1
    # Another auditor, who did not count it, applies the auditor's count.
    admin_client.execute("stock.quant", "action_apply_inventory", [quant_id])
    assert _on_hand(admin_client, quant_id) == 10.0
    # The product's "quantity on hand" goes through the same gate: who sets it counted it.
    error = _refused(
        admin_client.execute,
        "product.product",
        "write",
        [counted["product"]],
        {"qty_available": 50},
    )
    assert error.name == "odoo.exceptions.UserError"
    assert _on_hand(admin_client, quant_id) == 10.0


def test_session_states_and_thresholds_change_through_actions_only(odoo_server, counted):
    auditor = _client(odoo_server, "auditor")
    count = counted["count"]
    for vals in [
        {"state": "to_approve"},
        {"state": "done", "user_approved_id": auditor.uid, "date_done": "2020-01-01 00:00:00"},
        {"threshold_quantity_percent": 0.0},
        {"threshold_value": 0.0},
        {"date_start": "2020-01-01 00:00:00"},
    ]:
        error = _refused(auditor.execute, "running.inventory.count", "write", [count], vals)
        assert error.name == ACCESS_ERROR, vals
    error = _refused(auditor.execute, "running.inventory.count", "write", [count], {"blind": False})
    assert error.name == "odoo.exceptions.UserError"
    [session] = auditor.execute(
        "running.inventory.count", "read", [count], ["state", "blind", "threshold_value"]
    )
    assert session == {"id": count, "state": "in_progress", "blind": True, "threshold_value": 100}
    # A cancelled session stays cancelled.
    auditor.execute("running.inventory.count", "action_cancel", [count])
    error = _refused(
        auditor.execute, "running.inventory.count", "write", [count], {"state": "to_approve"}
    )
    assert error.name == ACCESS_ERROR
    error = _refused(auditor.execute, "running.inventory.count", "action_approve", [count])
    assert error.name == "odoo.exceptions.UserError"


def test_reconciliation_figures_are_computed_only(odoo_server, admin_client):
    accountant = _client(odoo_server, "accountant")
    reconciliation = accountant.execute("running.inventory.reconciliation", "create", {})
    accountant.execute("running.inventory.reconciliation", "action_compute", [reconciliation])
    fnames = ["state", "difference", "odoo_value", "balance"]
    [before] = accountant.execute(
        "running.inventory.reconciliation", "read", [reconciliation], fnames
    )
    assert before["state"] == "done"
    for vals in [{"difference": 0.0}, {"odoo_value": 1.0}, {"balance": 2.0}, {"state": "draft"}]:
        error = _refused(
            accountant.execute, "running.inventory.reconciliation", "write", [reconciliation], vals
        )
        assert error.name == ACCESS_ERROR, vals
    error = _refused(
        accountant.execute, "running.inventory.reconciliation", "create", {"odoo_value": 5.0}
    )
    assert error.name == ACCESS_ERROR
    [after] = accountant.execute(
        "running.inventory.reconciliation", "read", [reconciliation], fnames
    )
    assert after == before


def test_counts_and_plans_take_finite_sane_numbers(odoo_server, admin_client, counted):
    counter = _client(odoo_server, "counter")
    [line] = counter.execute(
        "running.inventory.count.line", "search", [("count_id", "=", counted["count"])]
    )
    for quantity in [1e300, 1e13]:
        error = _refused(
            counter.execute,
            "running.inventory.count",
            "record_counts",
            [counted["count"]],
            [[line, quantity]],
        )
        assert error.name == "odoo.exceptions.ValidationError", quantity
    auditor = _client(odoo_server, "auditor")
    plan = auditor.execute("running.inventory.count.plan", "search", [], limit=1)
    fnames = ["abc_percent_a", "abc_percent_b", "threshold_quantity_percent", "threshold_value"]
    labels = auditor.execute("running.inventory.count.plan", "fields_get", fnames, ["string"])
    for fname in fnames:
        label = labels[fname]["string"]
        for value in [float("nan"), float("inf"), float("-inf"), -1.0, 1e300, "5"]:
            error = _refused(
                auditor.execute, "running.inventory.count.plan", "write", plan, {fname: value}
            )
            assert error.name == "odoo.exceptions.ValidationError", (fname, value)
            assert f"{label} must be a number from 0 to" in error.message, (fname, value)
    # A found line takes lots of its own product only.
    other_product = _stocked_product(admin_client)
    lot = admin_client.execute(
        "stock.lot", "create", {"name": "ALIEN", "product_id": other_product}
    )
    error = _refused(
        counter.execute,
        "running.inventory.count.line",
        "create",
        {
            "count_id": counted["count"],
            "product_id": counted["product"],
            "location_id": admin_client.execute(
                "stock.warehouse", "search_read", [], ["lot_stock_id"], limit=1
            )[0]["lot_stock_id"][0],
            "lot_id": lot,
            "quantity_counted": 1.0,
        },
    )
    assert error.name == "odoo.exceptions.UserError"
    assert "not of" in error.message


def test_company_count_thresholds_take_finite_sane_numbers(odoo_server, admin_client):
    [admin] = admin_client.execute("res.users", "read", [admin_client.uid], ["company_id"])
    company = [admin["company_id"][0]]
    fnames = ["count_threshold_quantity_percent", "count_threshold_value"]
    [before] = admin_client.execute("res.company", "read", company, fnames)
    hostile = [float("nan"), float("inf"), float("-inf"), -1.0, 1e300, "5", [5]]
    for fname in fnames:
        for value in hostile:
            error = _refused(admin_client.execute, "res.company", "write", company, {fname: value})
            assert error.name == "odoo.exceptions.ValidationError", (fname, value)
            assert "must be a number from 0 to" in error.message
            # The settings screen, which rounds the amount before the company does.
            error = _refused(admin_client.execute, "res.config.settings", "create", {fname: value})
            assert error.name == "odoo.exceptions.ValidationError", (fname, value)
    assert admin_client.execute("res.company", "read", company, fnames) == [before]
    # Sane values still go through, from the settings as from the company.
    settings = admin_client.execute(
        "res.config.settings", "create", {"count_threshold_quantity_percent": 7.5}
    )
    admin_client.execute("res.config.settings", "execute", [settings])
    [after] = admin_client.execute("res.company", "read", company, fnames)
    assert after["count_threshold_quantity_percent"] == 7.5
    admin_client.execute("res.company", "write", company, {f: before[f] for f in fnames})


def _periodic_company_with_stock(admin):
    """A new company in Odoo's periodic mode with stock on hand, and a category of its own
    product: (company id, category id)."""
    suffix = uuid.uuid4().hex[:6]
    company = admin.execute("res.company", "create", {"name": f"Periodic {suffix}"})
    admin.execute("res.users", "write", [admin.uid], {"company_ids": [(4, company)]})
    in_company = {"context": {"allowed_company_ids": [company]}}
    category = admin.execute("product.category", "create", {"name": f"Periodic {suffix}"})
    product = admin.execute(
        "product.product",
        "create",
        {"name": f"Periodic widget {suffix}", "is_storable": True, "categ_id": category},
    )
    warehouse_id = admin.execute(
        "stock.warehouse",
        "create",
        {"name": f"Periodic {suffix}", "code": suffix[:5], "company_id": company},
        **in_company,
    )
    [warehouse] = admin.execute(
        "stock.warehouse", "read", [warehouse_id], ["lot_stock_id"], **in_company
    )
    quant = admin.execute(
        "stock.quant",
        "create",
        {
            "product_id": product,
            "location_id": warehouse["lot_stock_id"][0],
            "inventory_quantity": 3.0,
        },
        context={"allowed_company_ids": [company], "inventory_mode": True},
    )
    admin.execute("stock.quant", "action_apply_inventory", [quant], **in_company)
    return company, category


def test_go_live_context_key_bypasses_nothing(odoo_server, admin_client):
    company, category = _periodic_company_with_stock(admin_client)
    forged = {"allowed_company_ids": [company], "perpetual_go_live": True}
    for model, record, vals in [
        ("res.company", company, {"inventory_valuation": "perpetual"}),
        ("product.category", category, {"property_valuation": "perpetual"}),
    ]:
        error = _refused(admin_client.execute, model, "write", [record], vals, context=forged)
        assert error.name == "odoo.exceptions.UserError", model
        assert "has stock on hand" in error.message
    [company_mode] = admin_client.execute("res.company", "read", [company], ["inventory_valuation"])
    assert company_mode["inventory_valuation"] != "perpetual"
    [category_mode] = admin_client.execute(
        "product.category", "read", [category], ["property_valuation"], context=forged
    )
    assert category_mode["property_valuation"] != "perpetual"


def test_deleting_a_quant_goes_through_the_approval_gate(odoo_server, admin_client, counted):
    login = f"stock_manager_{uuid.uuid4().hex[:6]}"
    _user(admin_client, login, ["stock.group_stock_manager"])
    manager = _client(odoo_server, login)
    [quant_id] = counted["quants"]
    # Odoo gives no one the right to delete quants...
    error = _refused(manager.execute, "stock.quant", "unlink", [quant_id])
    assert error.name == ACCESS_ERROR
    # ... but a database may give it to stock managers: Odoo then counts the deleted quant to
    # zero and applies it, 4 lost, over the demo plan's 5 %.
    access = admin_client.execute(
        "ir.model.access",
        "create",
        {
            "name": "stock managers delete quants",
            "model_id": _ref(admin_client, "stock.model_stock_quant"),
            "group_id": _ref(admin_client, "stock.group_stock_manager"),
            "perm_read": True,
            "perm_unlink": True,
        },
    )
    try:
        for client in (manager, admin_client):
            error = _refused(client.execute, "stock.quant", "unlink", [quant_id])
            assert error.name == "odoo.exceptions.UserError"
            assert "recount thresholds" in error.message
    finally:
        admin_client.execute("ir.model.access", "unlink", [access])
    assert _on_hand(admin_client, quant_id) == 4.0
    [quant] = admin_client.execute("stock.quant", "read", [quant_id], ["inventory_quantity_set"])
    assert not quant["inventory_quantity_set"]


def test_counter_derives_no_quantity_from_weights(odoo_server, admin_client, counted):
    admin_client.execute("product.product", "write", [counted["product"]], {"weight": 2.5})
    [quant] = admin_client.execute("stock.quant", "read", counted["quants"], ["location_id"])
    location = quant["location_id"][0]
    [weights] = admin_client.execute("stock.location", "read", [location], ["net_weight"])
    assert weights["net_weight"] >= 10.0  # the 4 counted, at 2.5 each
    counter = _client(odoo_server, "counter")
    assert counter.execute("stock.location", "read", [location], ["name"])
    for fname in ["net_weight", "forecast_weight", "is_empty", "quant_ids"]:
        error = _refused(counter.execute, "stock.location", "read", [location], [fname])
        assert error.name == ACCESS_ERROR, fname
    # Searching by emptiness tells nothing either: to a counter, every location is empty.
    domain = [("id", "=", location), ("is_empty", "=", False)]
    assert counter.execute("stock.location", "search", domain) == []
    assert "net_weight" not in counter.execute("stock.location", "fields_get", [], ["type"])
    package = admin_client.execute("stock.package", "create", {"name": "Counted crate"})
    for fname in ["content_description", "quant_ids", "contained_quant_ids"]:
        error = _refused(counter.execute, "stock.package", "read", [package], [fname])
        assert error.name == ACCESS_ERROR, fname
