#!/usr/bin/env bash
# `make test`: a fresh test database with running_inventory and its bridge addons (and Odoo's demo
# data, which the root suites use), then the addons' tests through pytest-odoo, then the root
# tests/ suites that drive a live server over JSON-RPC, then Odoo's own suites with the addons
# installed (scripts/test_odoo.sh, `make test-odoo`). Exits non-zero on any failure, or if no test
# ran.
source "$(dirname "$0")/lib.sh"
setup_all
ensure_chromium

addons=$(product_addons_csv)
mapfile -t test_dirs < <(product_test_dirs)
step "Creating a fresh test database $TEST_DB with $addons"
drop_db "$TEST_DB"
odoo_db init "$TEST_DB" --with-demo >/dev/null
# A bridge brings the Odoo app it bridges (its dependency) with it.
odoo_bin -d "$TEST_DB" -i "$addons" --stop-after-init --log-level=warn

export ODOO_CONF TEST_DB ODOO_PATH
cd "$ROOT"
status=0
step "Addon tests (pytest-odoo): ${test_dirs[*]}"
# --odoo-http serves the test database for the browser tours (HttpCase).
"$VENV/bin/pytest" -p no:cacheprovider --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" --odoo-http \
    --junitxml="$STATE/addon-tests.xml" "${test_dirs[@]}" "$@" || status=$?
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
step "Odoo's own suites with the addons (make test-odoo)"
bash "$ROOT/scripts/test_odoo.sh" || status=$((status ? status : $?))
exit $status
