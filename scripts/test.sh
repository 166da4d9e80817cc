#!/usr/bin/env bash
# `make test`: a fresh test database with running_inventory (and Odoo's demo data, which the
# root suites use), then the addon's tests through pytest-odoo, then the root tests/ suites that
# drive a live server over JSON-RPC. Exits non-zero on any failure, or if no test ran.
source "$(dirname "$0")/lib.sh"
setup_all
ensure_chromium

step "Creating a fresh test database $TEST_DB with running_inventory"
drop_db "$TEST_DB"
odoo_db init "$TEST_DB" --with-demo >/dev/null
odoo_bin -d "$TEST_DB" -i running_inventory --stop-after-init --log-level=warn

export ODOO_CONF TEST_DB ODOO_PATH
cd "$ROOT"
status=0
step "Addon tests (pytest-odoo): running_inventory/tests"
# --odoo-http serves the test database for the browser tours (HttpCase).
"$VENV/bin/pytest" -p no:cacheprovider --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" --odoo-http \
    --junitxml="$STATE/addon-tests.xml" running_inventory/tests "$@" || status=$?
step "Product tests against a live server (JSON-RPC): tests/"
"$VENV/bin/pytest" -p no:cacheprovider -p no:odoo --junitxml="$STATE/product-tests.xml" tests || status=$((status ? status : $?))

# pytest exits 5 when it collected nothing; make sure both suites really ran something.
"$PY" - "$STATE/addon-tests.xml" "$STATE/product-tests.xml" <<'PYEOF' || status=$((status ? status : 1))
import sys
import xml.etree.ElementTree as ET

for path in sys.argv[1:]:
    suite = ET.parse(path).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    ran = int(suite.get("tests", 0)) - int(suite.get("skipped", 0))
    print(f"    {path}: {ran} tests ran, {suite.get('failures')} failures, {suite.get('errors')} errors")
    if ran == 0:
        print(f"error: no test ran in {path}", file=sys.stderr)
        sys.exit(1)
PYEOF
exit $status
