"""Demand-driven reorder rules of the demo database, used over JSON-RPC as an integration would."""

import pytest

from .odoo_server import JsonRpcClient, RpcError


def _xmlid(client, xmlid):
    module, name = xmlid.split(".")
    return client.execute("ir.model.data", "check_object_reference", module, name)[1]


def test_demo_rules_are_computed_at_install(admin_client):
    rules = admin_client.execute(
        "stock.warehouse.orderpoint",
        "search_read",
        [("demand_driven", "=", True), ("product_id.default_code", "=like", "DD-%")],
        fields=["product_id", "demand_state", "product_min_qty", "demand_explanation"],
    )
    states = sorted(rule["demand_state"] for rule in rules)
    assert states == ["computed", "computed", "computed", "intermittent", "no_history"]
    computed = [rule for rule in rules if rule["demand_state"] == "computed"]
    assert all(rule["product_min_qty"] > 0 for rule in computed)
    assert all("Min = ADD × L + safety stock" in rule["demand_explanation"] for rule in computed)


def test_replenishment_list_shows_cover_and_stockout(admin_client):
    views = admin_client.execute(
        "stock.warehouse.orderpoint",
        "get_views",
        [(_xmlid(admin_client, "stock.view_warehouse_orderpoint_tree_editable"), "list")],
    )
    arch = views["views"]["list"]["arch"]
    for name in ("demand_days_of_cover", "demand_stockout_date", "action_recompute_demand"):
        assert name in arch
    chair = _xmlid(admin_client, "running_inventory.stock_warehouse_orderpoint_chair_demo")
    [rule] = admin_client.execute(
        "stock.warehouse.orderpoint",
        "read",
        [chair],
        ["qty_on_hand", "demand_add", "demand_days_of_cover", "demand_stockout_date"],
    )
    assert rule["demand_days_of_cover"] == pytest.approx(
        rule["qty_on_hand"] / rule["demand_add"], abs=0.05
    )
    assert rule["demand_stockout_date"]


def test_manager_recomputes_and_stock_user_cannot(admin_client, odoo_server):
    chair = _xmlid(admin_client, "running_inventory.stock_warehouse_orderpoint_chair_demo")
    action = admin_client.execute("stock.warehouse.orderpoint", "action_recompute_demand", [chair])
    assert action["tag"] == "display_notification"

    counter = JsonRpcClient(odoo_server.url, odoo_server.database)
    assert counter.login("counter", "counter")
    with pytest.raises(RpcError) as error:
        counter.execute("stock.warehouse.orderpoint", "action_recompute_demand", [chair])
    assert error.value.name == "odoo.exceptions.AccessError"


def test_rules_that_are_not_demand_driven_are_refused(admin_client):
    product = admin_client.execute(
        "product.product", "create", {"name": "Plain rule product", "is_storable": True}
    )
    plain = admin_client.execute(
        "stock.warehouse.orderpoint",
        "create",
        {"product_id": product, "product_min_qty": 2, "product_max_qty": 4},
    )
    with pytest.raises(RpcError) as error:
        admin_client.execute("stock.warehouse.orderpoint", "action_recompute_demand", [plain])
    assert error.value.name == "odoo.exceptions.UserError"
    [rule] = admin_client.execute(
        "stock.warehouse.orderpoint", "read", [plain], ["product_min_qty", "demand_state"]
    )
    assert (rule["product_min_qty"], rule["demand_state"]) == (2, "pending")


@pytest.mark.parametrize(
    ("field_name", "value"),
    [
        ("demand_history_days", 1_000_000),
        ("demand_service_level", float("nan")),
        ("demand_lead_days_manual", float("inf")),
        ("demand_lead_days_stddev", float("-inf")),
        ("demand_lead_days_manual", 1e300),
    ],
)
def test_absurd_parameters_give_a_clean_error(admin_client, field_name, value):
    """Over JSON-RPC (NaN and Infinity as JSON's NaN/Infinity literals): a ValidationError with
    its message, not a server error, and nothing written."""
    product = admin_client.execute(
        "product.product", "create", {"name": f"Bounds {field_name}", "is_storable": True}
    )
    rule = admin_client.execute(
        "stock.warehouse.orderpoint", "create", {"product_id": product, "demand_driven": True}
    )
    with pytest.raises(RpcError) as error:
        admin_client.execute("stock.warehouse.orderpoint", "write", [rule], {field_name: value})
    assert error.value.name == "odoo.exceptions.ValidationError"
    assert "number" in error.value.message
    with pytest.raises(RpcError) as error:
        admin_client.execute(
            "stock.warehouse.orderpoint",
            "create",
            {"product_id": product, "demand_driven": True, field_name: value},
        )
    assert error.value.name == "odoo.exceptions.ValidationError"
    [stored] = admin_client.execute(
        "stock.warehouse.orderpoint",
        "search_read",
        [("product_id", "=", product)],
        fields=["demand_history_days", "demand_service_level", "demand_lead_days_manual"],
    )
    assert (stored["id"], stored["demand_history_days"], stored["demand_service_level"]) == (
        rule,
        90,
        95.0,
    )
    assert stored["demand_lead_days_manual"] == 0.0
