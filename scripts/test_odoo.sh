#!/usr/bin/env bash
# `make test-odoo`: Odoo's own test suites of the apps running_inventory works with, as a gate.
# A fresh database without demo data (Odoo 19's default, which its tests are written for) with
# running_inventory, its bridges and those apps, then the apps' own tests through pytest-odoo
# (scripts/odoo_suites.py). Every test must pass except those listed in
# tests/odoo_expected_failures.txt (`node id  # reason`); a listed test that passes, or that does
# not run, fails the run too.
#   --odoo-only   the same database and tests without running_inventory, for comparison
# Other arguments go to pytest (e.g. -k, -x, a node id).
source "$(dirname "$0")/lib.sh"
setup_all
ensure_chromium

ODOO_SUITES=(
    stock_account purchase_stock sale_stock stock_landed_costs stock_dropshipping mrp_account
    point_of_sale mrp_subcontracting_account
)
ODOO_TEST_DB=${ODOO_TEST_DB:-${TEST_DB}_odoo}
modules=$(IFS=,; echo "${ODOO_SUITES[*]}")
gate=(--odoo-expected-failures="$ROOT/tests/odoo_expected_failures.txt")
if [ "${1:-}" = --odoo-only ]; then
    shift
    gate=()
else
    modules="$(product_addons_csv),$modules"
fi

step "Creating a fresh database $ODOO_TEST_DB with $modules (no demo data)"
drop_db "$ODOO_TEST_DB"
odoo_db init "$ODOO_TEST_DB" >/dev/null
odoo_bin -d "$ODOO_TEST_DB" -i "$modules" --stop-after-init --log-level=warn

test_dirs=()
for module in "${ODOO_SUITES[@]}"; do test_dirs+=("$ODOO_PATH/addons/$module/tests"); done
step "Odoo's own tests (pytest-odoo): ${ODOO_SUITES[*]}"
cd "$ROOT"
# Node ids are relative to Odoo's addons folder: stock_account/tests/test_x.py::Class::test_y.
# --odoo-http serves the database, as Odoo's own test runner does (HttpCase, tours).
PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/pytest" -p no:cacheprovider \
    -p odoo_suites --rootdir="$ODOO_PATH/addons" --odoo-config="$ODOO_CONF" \
    --odoo-database="$ODOO_TEST_DB" --odoo-http "${gate[@]}" \
    --odoo-suites-summary="$STATE/odoo-tests-summary.txt" --junitxml="$STATE/odoo-tests.xml" \
    "${test_dirs[@]}" "$@"
