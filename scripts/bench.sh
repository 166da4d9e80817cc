#!/usr/bin/env bash
# `make bench`: every benchmark in bench/ against a database of its own (created once, with
# running_inventory and without demo data). Benchmarks print figures; they do not pass or fail.
source "$(dirname "$0")/lib.sh"
setup_all
BENCH_DB=${BENCH_DB:-running_inventory_bench}
if ! db_has_module "$BENCH_DB" running_inventory; then
    drop_db "$BENCH_DB"
    step "Creating the benchmark database $BENCH_DB"
    odoo_db init "$BENCH_DB" >/dev/null
    odoo_bin -d "$BENCH_DB" -i running_inventory --stop-after-init --log-level=warn
fi
for script in "$ROOT"/bench/bench_*.py; do
    [ -n "${BENCH:-}" ] && [[ "$script" != *"$BENCH"* ]] && continue
    step "$(basename "$script")"
    (cd "$ROOT/bench" && "$PY" "$script" --config "$ODOO_CONF" --database "$BENCH_DB")
done
