"""A live Odoo server and a JSON-RPC client, for the suites that use the product from outside."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """Odoo serving one database on a free local port, for the duration of a test session.

    As in production: prefork workers (separate processes, so that concurrent calls are
    served by different workers, each with its own cursor) and a cron worker.
    """

    def __init__(self, database, config=None, odoo_path=None, workers=2):
        self.database = database
        self.workers = workers
        self.config = config or os.environ.get("ODOO_CONF") or str(ROOT / ".state" / "odoo.conf")
        self.odoo_path = Path(odoo_path or os.environ.get("ODOO_PATH", "/opt/odoo"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = ROOT / ".state" / f"server-{self.port}.log"

    def start(self, timeout=120):
        cmd = [
            sys.executable,
            str(self.odoo_path / "odoo-bin"),
            f"--config={self.config}",
            f"--database={self.database}",
            f"--db-filter=^{self.database}$",
            f"--http-port={self.port}",
            f"--gevent-port={_free_port()}",
            f"--workers={self.workers}",
            "--max-cron-threads=1",
            "--log-level=warn",
        ]
        self.log.parent.mkdir(exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited while starting: see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/health", timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Odoo did not answer on {self.url} within {timeout} s: see {self.log}")

    def worker_pids(self):
        """The processes the server forked (HTTP, cron and gevent workers)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self):
        """Every process of the server killed at once (SIGKILL), as by the OOM killer or a
        power cut: nothing is rolled back by Odoo itself."""
        pids = self.worker_pids()
        self.process.kill()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


class RpcError(Exception):
    def __init__(self, error):
        self.error = error
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


class JsonRpcClient:
    """The classic /jsonrpc endpoint, as external integrations use it."""

    def __init__(self, url, database):
        self.url = url
        self.database = database
        self.uid = None
        self.password = None
        self._id = 0

    def call(self, service, method, *args):
        self._id += 1
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": self._id,
        }
        request = urllib.request.Request(
            f"{self.url}/jsonrpc",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            answer = json.load(response)
        if answer.get("error"):
            raise RpcError(answer["error"])
        return answer.get("result")  # a method returning None answers without a result

    def login(self, login, password):
        self.uid = self.call("common", "login", self.database, login, password)
        self.password = password
        return self.uid

    def execute(self, model, method, *args, **kwargs):
        return self.call(
            "object",
            "execute_kw",
            self.database,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )
