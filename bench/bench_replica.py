"""The reads of the addon served by a real streaming replica (issue 12).

scripts/replica.sh starts a PostgreSQL primary and its hot standby of their own (ports 5440 and
5441); this script puts an Odoo database with the addon on the primary (a copy of
$REPLICA_SOURCE_DB from the main cluster, else a fresh install with demo data), starts Odoo on
it with ``db_replica_host``/``db_replica_port`` pointing at the standby and ``--workers=2``, and
calls over JSON-RPC, as the web client does: a reconciliation computed (read/write), then the
ledger, Stock at Date and the reconciliation's figures (read-only). For each call it prints
the SQL statements each server ran for the database (pg_stat_statements, which each server
keeps of its own) and the figures read. A read served by the replica runs none on the primary.

Run as root: ``make bench BENCH=replica`` or ``.venv/bin/python bench/bench_replica.py``;
``--keep`` leaves Odoo's database and both clusters running (``scripts/replica.sh down`` stops
them, ``purge`` deletes them).
"""

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent
REPLICA_SH = ROOT / "scripts" / "replica.sh"
REPLICA_DIR = Path(os.environ.get("REPLICA_DIR", "/var/tmp/ri_replica"))
PRIMARY_PORT = int(os.environ.get("PRIMARY_PORT", "5440"))
STANDBY_PORT = int(os.environ.get("STANDBY_PORT", "5441"))
DATABASE = os.environ.get("REPLICA_DB", "running_inventory_replica")
HTTP_PORT = int(os.environ.get("REPLICA_HTTP_PORT", "8479"))
ODOO_BIN = os.environ.get("ODOO_BIN", "/opt/odoo/odoo-bin")
SIGNALING = 'FROM "orm_signaling_registry"'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.environ.get("ODOO_CONF"), help="Odoo configuration")
    parser.add_argument("--database", help="ignored: the replica has a database of its own")
    parser.add_argument("--keep", action="store_true", help="leave Odoo's data and both servers")
    return parser.parse_args()


def server(port, dbname="postgres"):
    """The superuser, over the clusters' own socket (trusted locally, see scripts/replica.sh)."""
    return psycopg2.connect(host=str(REPLICA_DIR), port=port, user="postgres", dbname=dbname)


def sql_value(port, query, params=(), dbname="postgres"):
    with server(port, dbname) as conn, conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchone()[0]


def statements(port):
    """{statement: calls} of what this server ran for the database (pg_stat_statements)."""
    with server(port) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT query, calls FROM pg_stat_statements"
            " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = %s)",
            [DATABASE],
        )
        return dict(cr.fetchall())


def ran_since(before, after):
    """{statement: calls} run between two snapshots of `statements`."""
    return {
        query: calls - before.get(query, 0)
        for query, calls in after.items()
        if calls > before.get(query, 0)
    }


def odoo_config(base_config):
    """The configuration of the run: the main one's addons, the replica's servers."""
    parser = configparser.ConfigParser()
    if base_config:
        parser.read(base_config)
    options = dict(parser["options"]) if parser.has_section("options") else {}
    options.update(
        {
            "db_host": "localhost",
            "db_port": str(PRIMARY_PORT),
            "db_user": "odoo",
            "db_password": "odoo",
            "db_replica_host": "localhost",
            "db_replica_port": str(STANDBY_PORT),
            "data_dir": str(REPLICA_DIR / "odoo-data"),
            "http_interface": "127.0.0.1",
            "http_port": str(HTTP_PORT),
            "gevent_port": str(HTTP_PORT + 1),
            "workers": "2",
            "max_cron_threads": "0",
            "dbfilter": f"^{DATABASE}$",
            "list_db": "False",
            "log_level": "warn",
            "logfile": str(REPLICA_DIR / "odoo.log"),
        }
    )
    options.setdefault("addons_path", f"/opt/odoo/odoo/addons,/opt/odoo/addons,{ROOT}")
    path = REPLICA_DIR / "odoo.conf"
    parser = configparser.ConfigParser()
    parser["options"] = options
    with open(path, "w") as file:
        parser.write(file)
    shutil.chown(path, "postgres")
    return path, options


def database_ready():
    if not sql_value(
        PRIMARY_PORT, "SELECT count(*) FROM pg_database WHERE datname = %s", [DATABASE]
    ):
        return False
    return bool(
        sql_value(
            PRIMARY_PORT,
            "SELECT count(*) FROM ir_module_module"
            " WHERE name = 'running_inventory' AND state = 'installed'",
            dbname=DATABASE,
        )
    )


def create_database(config_path, options):
    source = os.environ.get("REPLICA_SOURCE_DB")
    env = dict(os.environ, PGPASSWORD="odoo")
    if source:
        print(f"Copying {source} from the main cluster to the primary as {DATABASE}", flush=True)
        subprocess.run(
            ["createdb", "-h", "localhost", "-p", str(PRIMARY_PORT), "-U", "odoo", DATABASE],
            env=env,
            check=True,
        )
        dump = subprocess.Popen(
            ["pg_dump", "-h", "localhost", "-p", "5432", "-U", "odoo", "-Fc", source],
            env=env,
            stdout=subprocess.PIPE,
        )
        subprocess.run(
            ["pg_restore", "-h", "localhost", "-p", str(PRIMARY_PORT), "-U", "odoo", "-O",
             "-d", DATABASE],
            env=env,
            stdin=dump.stdout,
            check=True,
        )  # fmt: skip
        dump.wait()
        filestore = Path(os.environ.get("REPLICA_SOURCE_FILESTORE", ""))
        if filestore.is_dir():
            target = Path(options["data_dir"]) / "filestore" / DATABASE
            shutil.copytree(filestore, target, dirs_exist_ok=True)
        updating = ["-u", "running_inventory"]
    else:
        print(f"Installing running_inventory with demo data in {DATABASE} (primary)", flush=True)
        updating = ["-i", "running_inventory", "--with-demo"]
    subprocess.run(
        [sys.executable, ODOO_BIN, "-c", str(config_path), "-d", DATABASE, *updating,
         "--workers=0", "--stop-after-init"],
        check=True,
    )  # fmt: skip


class Client:
    """JSON-RPC as the web client calls: a session, then /web/dataset/call_kw|call_button."""

    def __init__(self, url):
        self.url = url
        self.session = requests.Session()
        self.ids = 0

    def rpc(self, route, params):
        self.ids += 1
        response = self.session.post(
            self.url + route,
            json={"jsonrpc": "2.0", "method": "call", "id": self.ids, "params": params},
            timeout=600,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"]

    def login(self):
        self.rpc(
            "/web/session/authenticate", {"db": DATABASE, "login": "admin", "password": "admin"}
        )

    def call(self, model, method, *args, button=False, **kwargs):
        route = "call_button" if button else "call_kw"
        return self.rpc(
            f"/web/dataset/{route}/{model}.{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def wait_for_http(process):
    for _i in range(120):
        if process.poll() is not None:
            raise RuntimeError(f"Odoo stopped: see {REPLICA_DIR / 'odoo.log'}")
        try:
            if requests.get(f"http://127.0.0.1:{HTTP_PORT}/web/health", timeout=10).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError("Odoo did not answer")


def wait_for_replay():
    """Until the standby has replayed all the primary wrote."""
    target = sql_value(PRIMARY_PORT, "SELECT pg_current_wal_lsn()::text")
    for _i in range(100):
        if sql_value(STANDBY_PORT, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
            return
        time.sleep(0.1)
    raise RuntimeError("the standby lags")


def master_checks(on_primary):
    """Registry signaling checks of Odoo's prefork master in `on_primary` (it runs one on the
    primary, BEGIN, SELECT, COMMIT, before it spawns a worker: here each time it respawns its
    websocket worker, which needs gevent's plugins); a request checks on its own cursor."""
    return sum(calls for query, calls in on_primary.items() if SIGNALING in query)


def measured(label, function, rows):
    """Run `function`; record the statements each server ran for it and its seconds."""
    before = statements(PRIMARY_PORT), statements(STANDBY_PORT)
    start = time.perf_counter()
    result, figures = function()
    seconds = time.perf_counter() - start
    after = statements(PRIMARY_PORT), statements(STANDBY_PORT)
    on_primary = ran_since(before[0], after[0])
    on_standby = ran_since(before[1], after[1])
    checks = master_checks(on_primary)
    primary = sum(on_primary.values()) - 3 * checks
    rows.append((label, primary, sum(on_standby.values()), seconds, figures, checks))
    return result


def run_calls(client):
    rows = []
    today = date.today()
    past = today - timedelta(days=30)
    for _i in range(4):  # both workers load the registry (from the primary) first
        client.call("res.users", "search_read", [], ["name"], limit=1)

    def compute():
        reconciliation = "running.inventory.reconciliation"
        [rec_id] = client.call(reconciliation, "create", [{"date": today.isoformat()}])
        client.call(reconciliation, "action_compute", [rec_id], button=True)
        return rec_id, f"reconciliation {rec_id} computed"

    rec_id = measured("reconciliation computed (read/write)", compute, rows)
    wait_for_replay()

    def ledger_page():
        spec = {"product_id": {}, "date": {}, "quantity": {}, "running_quantity": {},
                "running_value": {}}  # fmt: skip
        page = client.call("running.inventory.ledger", "web_search_read", domain=[],
                           specification=spec, limit=80)  # fmt: skip
        return page, f"{page['length']} ledger rows, first page of {len(page['records'])}"

    def ledger_totals():
        groups = client.call(
            "running.inventory.ledger", "formatted_read_group", domain=[],
            groupby=["product_id"], aggregates=["quantity:sum", "value:sum"],
        )  # fmt: skip
        value = sum(group["value:sum"] or 0.0 for group in groups)
        return groups, f"{len(groups)} products, total value {value:,.2f}"

    def stock_at(day):
        def call():
            lines = client.call(
                "running.inventory.stock.date", "get_stock_at_date", day.isoformat()
            )
            value = sum(line["value"] for line in lines)
            quantity = sum(line["quantity"] for line in lines)
            return lines, f"{len(lines)} lines, quantity {quantity:,.2f}, value {value:,.2f}"

        return call

    def figures():
        spec = {"name": {}, "odoo_value": {}, "balance": {}, "difference": {},
                "difference_count": {}, "line_ids": {"fields": {"difference": {}}}}  # fmt: skip
        [rec] = client.call("running.inventory.reconciliation", "web_read", [rec_id],
                            specification=spec)  # fmt: skip
        return rec, (
            f"{rec['name']}: stock {rec['odoo_value']:,.2f}, books {rec['balance']:,.2f}, "
            f"difference {rec['difference']:,.2f} ({rec['difference_count']} causes, "
            f"{len(rec['line_ids'])} lines)"
        )

    def ledger_action():
        [line] = client.call("running.inventory.reconciliation.line", "search_read",
                             [("reconciliation_id", "=", rec_id)], ["id"], limit=1)  # fmt: skip
        action = client.call("running.inventory.reconciliation.line", "action_open_ledger",
                             [line["id"]], button=True)  # fmt: skip
        return action, f"{action['res_model']}, domain {action['domain']}"

    measured("ledger: first page with running balances", ledger_page, rows)
    measured("ledger: totals per product", ledger_totals, rows)
    measured(f"Stock at Date {past}", stock_at(past), rows)
    measured(f"Stock at Date {today} (today)", stock_at(today), rows)
    measured("reconciliation figures as shown", figures, rows)
    measured("a reconciliation line's ledger (button)", ledger_action, rows)
    return rows


def main():
    args = parse_args()
    if os.geteuid() != 0:
        print("bench_replica: not run, it needs root (its clusters run as postgres).")
        return
    subprocess.run([str(REPLICA_SH), "up"], check=True)
    config_path, options = odoo_config(args.config)
    if not database_ready():
        create_database(config_path, options)
    print(
        f"Standby on {STANDBY_PORT} in recovery: "
        f"{sql_value(STANDBY_PORT, 'SELECT pg_is_in_recovery()', dbname=DATABASE)}; "
        f"primary on {PRIMARY_PORT}: {sql_value(PRIMARY_PORT, 'SELECT pg_is_in_recovery()')}"
    )
    # Odoo's own output (its websocket worker needs gevent's plugins) goes to its log.
    with open(REPLICA_DIR / "odoo-stderr.log", "w") as output:
        process = subprocess.Popen(
            [sys.executable, ODOO_BIN, "-c", str(config_path), "-d", DATABASE],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_http(process)
        client = Client(f"http://127.0.0.1:{HTTP_PORT}")
        client.login()
        for port in (PRIMARY_PORT, STANDBY_PORT):
            sql_value(port, "SELECT pg_stat_statements_reset() IS NULL")
        rows = run_calls(client)
    finally:
        process.terminate()
        process.wait(30)
    print(f"\nOdoo --workers=2, db_port={PRIMARY_PORT}, db_replica_port={STANDBY_PORT}")
    print(f"{'call':<45} {'primary':>8} {'standby':>8} {'seconds':>8}  figures")
    for label, primary, standby, seconds, figures, _checks in rows:
        print(f"{label:<45} {primary:>8} {standby:>8} {seconds:>8.2f}  {figures}")
    reads = rows[1:]
    checks = sum(row[5] for row in rows)
    print(
        f"(statements: per server, for the database, from pg_stat_statements; not counted: "
        f"{checks} registry signaling check(s) of Odoo's prefork master on the primary)"
    )
    served = all(row[1] == 0 and row[2] > 0 for row in reads)
    print(
        "REPLICA: "
        + (
            "every read served by the standby, none on the primary"
            if served
            else "NOT ALL READS ON THE STANDBY"
        )
    )
    if not args.keep:
        subprocess.run([str(REPLICA_SH), "down"], check=True)


if __name__ == "__main__":
    main()
