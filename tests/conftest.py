import os

import pytest

from .odoo_server import JsonRpcClient, OdooServer


@pytest.fixture(scope="session")
def odoo_server():
    """The test database (installed by `make test`, with demo data) served on a free local port."""
    database = os.environ.get("TEST_DB", "running_inventory_test")
    server = OdooServer(database).start()
    yield server
    server.stop()


@pytest.fixture
def admin_client(odoo_server):
    client = JsonRpcClient(odoo_server.url, odoo_server.database)
    assert client.login("admin", "admin"), "admin / admin must log in to the demo database"
    return client
