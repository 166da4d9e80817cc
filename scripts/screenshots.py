#!/usr/bin/env python3
# Copyright 2026 running_inventory contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screenshots of each demo role's main screen, from a running demo server (`make run`).

Logs in as each demo user over JSON-RPC, opens their main screen in headless Chromium (driven
over the DevTools protocol, as Odoo's own browser tests do), waits until the web client has
drawn it and saves it as running_inventory/static/description/screenshot_<name>.png.

    .venv/bin/python scripts/screenshots.py --url http://localhost:8069 --db running_inventory_demo

Options: --width / --height (1400 x 900 by default: the narrowest desktop the screens are
made readable at), --only NAME to retake one screenshot, --out DIR.
"""

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "running_inventory" / "static" / "description"

SCROLL_TO_CHART = (
    "document.querySelector('.modal .o_running_inventory_demand_chart')"
    ".scrollIntoView({block: 'center'})"
)

# (file name, login, path in the web client, CSS selector that says the screen is drawn,
#  JavaScript run once the view is drawn, e.g. to open a record, and, optional, JavaScript run
#  once the selector is there, e.g. to scroll to it). Each password is the login.
SCREENS = [
    ("admin", "admin", "/odoo/inventory", ".o_running_inventory_headline_card", None),
    (
        "buyer",
        "admin",
        "/odoo/demand-driven-rules",
        ".o_data_row",
        None,
    ),
    (
        "buyer_rule",
        "admin",
        "/odoo/demand-driven-rules",
        ".modal .o_running_inventory_demand_chart canvas:not(.d-none)",
        "document.querySelector('.o_data_row button[name=action_open_demand_form]').click()",
        SCROLL_TO_CHART,
    ),
    (
        "accountant",
        "accountant",
        "/odoo/action-running_inventory.running_inventory_reconciliation_action",
        ".o_data_row, .o_view_nocontent",
        None,
    ),
    (
        "ledger",
        "accountant",
        "/odoo/action-running_inventory.running_inventory_ledger_action",
        ".o_group_header",
        None,
    ),
    ("counter", "counter", "/odoo/count-sessions", ".o_data_row, .o_view_nocontent", None),
    ("auditor", "auditor", "/odoo/inventory", ".o_running_inventory_headline_card", None),
    (
        "settings",
        "admin",
        "/odoo/settings#account",
        "#perpetual_valuation_mode",
        "document.querySelector('#perpetual_valuation_mode').scrollIntoView({block: 'center'})",
    ),
]


def session_id(url, db, login):
    """The session cookie of ``login`` (password = login) after JSON-RPC authentication."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"db": db, "login": login, "password": login},
    }
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=60) as response:
        answer = json.load(response)
    if answer.get("error") or not answer.get("result", {}).get("uid"):
        sys.exit(f"{login} cannot log in to {db}: {answer.get('error')}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


class Browser:
    """One headless Chromium, one page, driven over the DevTools protocol."""

    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="ri_screenshots_")
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or shutil.which("chromium-browser") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _attempt in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            page = next(target for target in json.load(answer) if target["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=60):
        deadline = time.time() + timeout
        check = f"!!document.querySelector({json.dumps(selector)})"
        while time.time() < deadline:
            if self.evaluate(check):
                return
            time.sleep(0.25)
        raise TimeoutError(f"{selector} not drawn in {timeout} s")

    def screenshot(self, url, cookie, path, selector, script, after=None):
        self.call("Network.clearBrowserCookies")
        self.call("Network.setCookie", name="session_id", value=cookie, url=url.split("/odoo")[0])
        self.call("Page.navigate", url=url)
        self.wait_for(selector if not script else ".o_action_manager .o_view_controller")
        if script:
            time.sleep(1)
            self.evaluate(script)
            self.wait_for(selector)
        if after:
            self.evaluate(after)
        time.sleep(1.5)  # let the charts finish drawing and the notifications fade
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="running_inventory_demo")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--only", help="take only this screenshot (e.g. buyer)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    browser = Browser(args.width, args.height)
    sessions = {}
    try:
        for name, login, path, selector, script, *after in SCREENS:
            if args.only and name != args.only:
                continue
            if login not in sessions:
                sessions[login] = session_id(args.url, args.db, login)
            target = args.out / f"screenshot_{name}.png"
            browser.screenshot(
                f"{args.url}{path}", sessions[login], target, selector, script, *after
            )
            print(f"{target.relative_to(ROOT)}  ({login}, {path})")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
