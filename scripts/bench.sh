#!/usr/bin/env bash
# `make bench`: runs every bench/bench_*.py against a bench database with running_inventory
# (created once without demo data, updated to the current code on each run). A benchmark runs in
# bench/, gets `--config <odoo.conf> --database <db>`, prints its figures and leaves the database
# as it found it. Figures, not pass or fail. BENCH=counts runs the scripts whose name has "counts".
source "$(dirname "$0")/lib.sh"
setup_all
BENCH_DB=${BENCH_DB:-running_inventory_bench}

if ! db_has_module "$BENCH_DB" running_inventory; then
    drop_db "$BENCH_DB"
    step "Creating the bench database $BENCH_DB with running_inventory (once)"
    odoo_db init "$BENCH_DB" >/dev/null
    odoo_bin -d "$BENCH_DB" -i running_inventory --stop-after-init --log-level=warn
else
    step "Updating running_inventory in the bench database $BENCH_DB"
    odoo_bin -d "$BENCH_DB" -u running_inventory --stop-after-init --log-level=warn
fi

status=0
for script in "$ROOT"/bench/bench_*.py; do
    [ -n "${BENCH:-}" ] && [[ "$script" != *"$BENCH"* ]] && continue
    step "$(basename "$script")"
    (cd "$ROOT/bench" && "$PY" "$script" --config "$ODOO_CONF" --database "$BENCH_DB") || status=1
done
exit $status
