#!/usr/bin/env bash
# `make bench`: the benchmarks in bench/ print figures (seconds, SQL queries); they do not pass
# or fail. They share a database $BENCH_DB without demo data, created once (and updated to the
# current code afterwards); each bench/bench_*.py builds the data it needs in it.
# BENCH=name runs only the benchmarks whose file name contains it.
source "$(dirname "$0")/lib.sh"
setup_all
BENCH_DB=${BENCH_DB:-running_inventory_bench}

if db_has_module "$BENCH_DB" running_inventory; then
    step "Updating running_inventory in the benchmark database $BENCH_DB"
    odoo_bin -d "$BENCH_DB" -u running_inventory --stop-after-init --log-level=warn
else
    drop_db "$BENCH_DB"
    step "Creating the benchmark database $BENCH_DB with running_inventory (no demo data)"
    odoo_db init "$BENCH_DB" >/dev/null
    odoo_bin -d "$BENCH_DB" -i running_inventory --stop-after-init --log-level=warn
fi

# bench_scale.py keeps the data of each size in a database of its own (generated once, then
# reused): ${BENCH_SCALE_DB}_small and _large, and _postings (step 6's histories), copies of
# ${BENCH_SCALE_DB}_base (running_inventory, no demo data). BENCH_SCALE_SIZES="small" measures one
# size only.
BENCH_SCALE_DB=${BENCH_SCALE_DB:-running_inventory_bench_scale}
BENCH_SCALE_SIZES=${BENCH_SCALE_SIZES:-small large}
if [ -z "${BENCH:-}" ] || [[ bench/bench_scale.py == *"$BENCH"* ]]; then
    # The base is updated too: a size generated later is a copy of it.
    if db_has_module "${BENCH_SCALE_DB}_base" running_inventory; then
        step "Updating running_inventory in ${BENCH_SCALE_DB}_base"
        odoo_bin -d "${BENCH_SCALE_DB}_base" -u running_inventory --stop-after-init --log-level=warn
    else
        drop_db "${BENCH_SCALE_DB}_base"
        step "Creating the scale benchmark's empty database ${BENCH_SCALE_DB}_base"
        odoo_db init "${BENCH_SCALE_DB}_base" >/dev/null
        odoo_bin -d "${BENCH_SCALE_DB}_base" -i running_inventory --stop-after-init --log-level=warn
    fi
    for size in $BENCH_SCALE_SIZES postings; do
        if db_has_module "${BENCH_SCALE_DB}_$size" running_inventory; then
            step "Updating running_inventory in ${BENCH_SCALE_DB}_$size"
            odoo_bin -d "${BENCH_SCALE_DB}_$size" -u running_inventory --stop-after-init --log-level=warn
        else
            drop_db "${BENCH_SCALE_DB}_$size"
            odoo_db duplicate "${BENCH_SCALE_DB}_base" "${BENCH_SCALE_DB}_$size" >/dev/null
        fi
    done
fi

export ODOO_CONF BENCH_DB BENCH_SCALE_DB BENCH_SCALE_SIZES
cd "$ROOT"
for script in bench/bench_*.py; do
    [ -n "${BENCH:-}" ] && [[ "$script" != *"$BENCH"* ]] && continue
    step "$script"
    "$PY" "$script" --config "$ODOO_CONF" --database "$BENCH_DB"
done
