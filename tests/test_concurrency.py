"""Two users act on the same records at the same moment, over JSON-RPC against a live server in
prefork mode (each call served by its own worker): two validating pickings of one product, two
approving one count session. Every movement gets exactly one entry, and the books still hold."""

import threading

from .odoo_server import JsonRpcClient, RpcError
from .test_guarantees_rpc import _client, _session
from .test_posting_rpc import _receipt

PICKINGS_PER_CLIENT = 4
QUANTITY = 3
NO_SMS = {"context": {"skip_sms": True}}


def _ref(client, xmlid):
    module, name = xmlid.split(".")
    return client.execute("ir.model.data", "check_object_reference", module, name)[1]


def _picking(client, product_id, picking_type_id, source_id, destination_id, quantity):
    picking_id = client.execute(
        "stock.picking",
        "create",
        {
            "picking_type_id": picking_type_id,
            "location_id": source_id,
            "location_dest_id": destination_id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": product_id,
                        "product_uom_qty": quantity,
                        "location_id": source_id,
                        "location_dest_id": destination_id,
                    },
                )
            ],
        },
    )
    client.execute("stock.picking", "action_confirm", [picking_id])
    return picking_id


def test_concurrent_validations_post_each_movement_once(odoo_server, admin_client):
    client = admin_client
    warehouse = client.execute(
        "stock.warehouse",
        "search_read",
        [],
        fields=["lot_stock_id", "in_type_id", "out_type_id"],
        limit=1,
    )[0]
    stock_id = warehouse["lot_stock_id"][0]
    supplier_id = _ref(client, "stock.stock_location_suppliers")
    customer_id = _ref(client, "stock.stock_location_customers")
    product_id = client.execute(
        "product.product",
        "create",
        {
            "name": "Concurrent widget",
            "is_storable": True,
            "categ_id": _ref(client, "running_inventory.product_category_furniture_demo"),
            "standard_price": 10.0,
        },
    )
    receipt = _picking(
        client,
        product_id,
        warehouse["in_type_id"][0],
        supplier_id,
        stock_id,
        2 * PICKINGS_PER_CLIENT * QUANTITY,
    )
    client.execute("stock.picking", "button_validate", [receipt], **NO_SMS)
    deliveries = [
        _picking(client, product_id, warehouse["out_type_id"][0], stock_id, customer_id, QUANTITY)
        for _ in range(2 * PICKINGS_PER_CLIENT)
    ]
    client.execute("stock.picking", "action_assign", deliveries)
    # Picked, as an operator scans the goods before validating: Odoo frees the reservations of
    # unpicked transfers when concurrent validations compete for the same quant.
    delivery_moves = client.execute("stock.move", "search", [("picking_id", "in", deliveries)])
    client.execute("stock.move", "write", delivery_moves, {"picked": True})

    start = threading.Barrier(2)
    errors = []

    def validate(pickings):
        user = JsonRpcClient(odoo_server.url, odoo_server.database)
        user.login("admin", "admin")
        start.wait()
        for picking_id in pickings:
            try:
                user.execute("stock.picking", "button_validate", [picking_id], **NO_SMS)
            except (RpcError, OSError) as error:  # reported below, with the picking
                errors.append((picking_id, error))

    threads = [threading.Thread(target=validate, args=(deliveries[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors

    moves = client.execute(
        "stock.move",
        "search_read",
        [("product_id", "=", product_id)],
        fields=["state", "valuation_posting", "account_move_id"],
    )
    assert len(moves) == 1 + 2 * PICKINGS_PER_CLIENT
    assert {move["state"] for move in moves} == {"done"}
    # No move lacks its entry ...
    assert {move["valuation_posting"] for move in moves} == {"posted"}
    assert all(move["account_move_id"] for move in moves)
    # ... and none has two: one stock line and one counterpart per movement.
    lines = client.execute(
        "account.move.line",
        "search_read",
        [("product_id", "=", product_id), ("stock_valuation_kind", "=", "movement")],
        fields=["stock_move_id", "account_id", "balance", "quantity", "parent_state"],
    )
    per_move = {}
    for line in lines:
        per_move.setdefault(line["stock_move_id"][0], []).append(line)
    assert sorted(per_move) == sorted(move["id"] for move in moves)
    assert all(len(move_lines) == 2 for move_lines in per_move.values())
    assert {line["parent_state"] for line in lines} == {"posted"}

    # The stock account holds Odoo's value and quantity of the product.
    product = client.execute(
        "product.product", "read", [product_id], ["total_value", "qty_available"]
    )[0]
    stock_account = client.execute(
        "res.company",
        "read",
        [client.execute("res.users", "read", [client.uid], ["company_id"])[0]["company_id"][0]],
        ["account_stock_valuation_id"],
    )[0]["account_stock_valuation_id"][0]
    on_stock = [
        line
        for line in client.execute(
            "account.move.line",
            "search_read",
            [
                ("product_id", "=", product_id),
                ("account_id", "=", stock_account),
                ("parent_state", "=", "posted"),
            ],
            fields=["balance", "quantity"],
        )
    ]
    assert round(sum(line["balance"] for line in on_stock), 2) == round(product["total_value"], 2)
    assert sum(line["quantity"] for line in on_stock) == product["qty_available"] == 0


def test_two_auditors_approving_one_session_adjust_once(odoo_server, admin_client):
    """Two auditors approve the same count session at the same moment, each served by its own
    worker: the difference is applied once, with one entry."""
    picking_id, product_id = _receipt(admin_client, "Concurrently counted widget", 100)
    admin_client.execute("stock.picking", "button_validate", [picking_id], **NO_SMS)
    count_id = _session(admin_client, product_id)
    counter = _client(odoo_server, "counter")
    [line_id] = counter.execute(
        "running.inventory.count.line", "search", [("count_id", "=", count_id)]
    )
    # 1 unit short of 100 at 10: within the default thresholds (5 %, 100), no recount.
    counter.execute("running.inventory.count.line", "write", [line_id], {"quantity_counted": 99})
    counter.execute("running.inventory.count", "action_count_done", [count_id])
    admin_client.execute("running.inventory.count", "action_submit", [count_id])

    start = threading.Barrier(2)
    outcomes = []

    def approve(login, password):
        auditor = JsonRpcClient(odoo_server.url, odoo_server.database)
        auditor.login(login, password)
        start.wait()
        try:
            auditor.execute("running.inventory.count", "action_approve", [count_id])
            outcomes.append("approved")
        except RpcError as error:
            outcomes.append(error.name)

    threads = [
        threading.Thread(target=approve, args=credentials)
        for credentials in (("auditor", "auditor"), ("admin", "admin"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sorted(outcomes) == ["approved", "odoo.exceptions.UserError"], outcomes

    adjustments = admin_client.execute(
        "stock.move",
        "search_read",
        [("product_id", "=", product_id), ("is_inventory", "=", True)],
        fields=["quantity", "state", "account_move_id"],
    )
    assert [(move["quantity"], move["state"]) for move in adjustments] == [(1.0, "done")]
    entry_lines = admin_client.execute(
        "account.move.line",
        "search_read",
        [("move_id", "=", adjustments[0]["account_move_id"][0])],
        fields=["balance", "quantity"],
    )
    assert sorted((line["balance"], line["quantity"]) for line in entry_lines) == [
        (-10.0, -1.0),
        (10.0, 1.0),
    ]
    on_hand = admin_client.execute("product.product", "read", [product_id], ["qty_available"])
    assert on_hand[0]["qty_available"] == 99.0
