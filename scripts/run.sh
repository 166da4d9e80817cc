#!/usr/bin/env bash
# `make run`: Odoo on http://localhost:$HTTP_PORT with a demo database where running_inventory,
# its bridge addons and their demo data are installed (login admin / admin). The database is
# created once, then reused.
source "$(dirname "$0")/lib.sh"
setup_all

# The addons' code as it is now; an existing demo database is updated when it changed.
addons=$(product_addons_csv)
mapfile -t addon_dirs < <(product_addons)
addon_hash=$(cd "$ROOT" && find "${addon_dirs[@]}" -type f -not -path '*/__pycache__/*' -print0 |
    sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
hash_file=$STATE/$DEMO_DB.addon-hash
if ! db_has_module "$DEMO_DB" running_inventory; then
    drop_db "$DEMO_DB"
    step "Creating the demo database $DEMO_DB with $addons and demo data (a few minutes, once)"
    odoo_db init "$DEMO_DB" --with-demo >/dev/null
    odoo_bin -d "$DEMO_DB" -i "$addons" --stop-after-init --log-level=warn
    echo "$addon_hash" >"$hash_file"
elif [ "$(cat "$hash_file" 2>/dev/null)" != "$addon_hash" ]; then
    step "The addons changed since $DEMO_DB was last updated: updating them in it"
    # -i installs a bridge that is new since then, -u updates the installed ones.
    odoo_bin -d "$DEMO_DB" -i "$addons" -u "$addons" --stop-after-init --log-level=warn
    echo "$addon_hash" >"$hash_file"
else
    info "Reusing the demo database $DEMO_DB (drop it with: make drop-demo)"
fi

port_in_use "$HTTP_PORT" && die "Port $HTTP_PORT is already in use (another Odoo?). Stop it, or choose another port: HTTP_PORT=8070 make run"
step "Starting Odoo on http://localhost:$HTTP_PORT (Ctrl-C stops it)"
# Odoo runs in the foreground (it gets Ctrl-C); a watcher prints the address once it answers.
(
    for _ in $(seq 1 300); do
        kill -0 $$ 2>/dev/null || exit 0
        if "$PY" -c "import urllib.request; urllib.request.urlopen('http://localhost:$HTTP_PORT/web/login', timeout=2)" 2>/dev/null; then
            printf '\n\033[1;32mrunning_inventory is ready: http://localhost:%s  (login admin / admin)\033[0m\n\n' "$HTTP_PORT"
            exit 0
        fi
        sleep 1
    done
) &
exec "$PY" "$ODOO_PATH/odoo-bin" -c "$ODOO_CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-port="$HTTP_PORT" --log-level=warn
