#!/usr/bin/env bash
# A PostgreSQL primary and its streaming hot standby, both on this machine, of their own: the
# shared cluster on 5432 is left alone (it holds every benchmark database; pg_basebackup copies a
# whole cluster, and a standby of it would need its configuration changed under the others).
#
#   scripts/replica.sh up      create (once) and start both; idempotent
#   scripts/replica.sh status  ports, roles (primary / standby), replication state
#   scripts/replica.sh down    stop both, keep their data for the next `up`
#   scripts/replica.sh purge   stop both and delete their data
#
# Run as root (or as postgres): the clusters run as postgres, under $REPLICA_DIR. The primary
# listens on $PRIMARY_PORT, the standby on $STANDBY_PORT (localhost only); Odoo's role
# odoo/odoo is created on the primary and reaches the standby by replication.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
REPLICA_DIR=${REPLICA_DIR:-/var/tmp/ri_replica}
PRIMARY_PORT=${PRIMARY_PORT:-5440}
STANDBY_PORT=${STANDBY_PORT:-5441}
PRIMARY=$REPLICA_DIR/primary
STANDBY=$REPLICA_DIR/standby
REPLICATION_ROLE=ri_replicator
REPLICATION_PASSWORD=ri_replicator

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
pg() { as_postgres "$PG_BIN/$1" "${@:2}"; }
psql_at() {  # psql_at PORT SQL: one value, as the superuser, over the clusters' own socket
    as_postgres env PGOPTIONS='-c client_min_messages=warning' \
        psql -h "$REPLICA_DIR" -p "$1" -U postgres -d postgres -XAtqc "$2"
}
running() { [ -f "$1/postmaster.pid" ] && pg pg_ctl -D "$1" status >/dev/null 2>&1; }
start() {  # start DATADIR LOG
    running "$1" || pg pg_ctl -D "$1" -l "$2" -w -t 60 start >/dev/null
}

init_primary() {
    [ -f "$PRIMARY/PG_VERSION" ] && return
    mkdir -p "$REPLICA_DIR"
    chown postgres: "$REPLICA_DIR"
    pg initdb -D "$PRIMARY" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat <<EOF | as_postgres tee -a "$PRIMARY/postgresql.conf" >/dev/null
# scripts/replica.sh
port = $PRIMARY_PORT
listen_addresses = 'localhost'
unix_socket_directories = '$REPLICA_DIR'
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
hot_standby = on
shared_buffers = 128MB
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
EOF
}

ensure_primary_roles() {
    # The replication role may stream from localhost; its pg_hba line is added once.
    local hba="host replication $REPLICATION_ROLE 127.0.0.1/32 scram-sha-256"
    if ! grep -qxF "$hba" "$PRIMARY/pg_hba.conf"; then
        echo "$hba" | as_postgres tee -a "$PRIMARY/pg_hba.conf" >/dev/null
        pg pg_ctl -D "$PRIMARY" reload >/dev/null
    fi
    psql_at "$PRIMARY_PORT" "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$REPLICATION_ROLE') THEN
            CREATE ROLE $REPLICATION_ROLE LOGIN REPLICATION PASSWORD '$REPLICATION_PASSWORD';
        END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odoo') THEN
            CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo';
        END IF;
    END \$\$" >/dev/null
    # What each server ran, per database (bench/bench_replica.py reads it on both).
    psql_at "$PRIMARY_PORT" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
}

init_standby() {
    [ -f "$STANDBY/PG_VERSION" ] && return
    # A copy of the primary, streaming its WAL while copying (-X stream), configured as its
    # standby (-R: standby.signal and primary_conninfo in postgresql.auto.conf).
    as_postgres env PGPASSWORD="$REPLICATION_PASSWORD" "$PG_BIN/pg_basebackup" \
        -h localhost -p "$PRIMARY_PORT" -U "$REPLICATION_ROLE" -D "$STANDBY" -R -X stream \
        --checkpoint=fast
    echo "port = $STANDBY_PORT" | as_postgres tee -a "$STANDBY/postgresql.conf" >/dev/null
}

wait_standby() {
    local i
    for i in $(seq 1 60); do
        if [ "$(psql_at "$STANDBY_PORT" 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] &&
            [ "$(psql_at "$PRIMARY_PORT" 'SELECT count(*) FROM pg_stat_replication' 2>/dev/null)" -ge 1 ]; then
            return 0
        fi
        sleep 1
    done
    echo "the standby on port $STANDBY_PORT does not stream from the primary" >&2
    return 1
}

status() {
    echo "primary: port $PRIMARY_PORT, in recovery: $(psql_at "$PRIMARY_PORT" 'SELECT pg_is_in_recovery()')"
    echo "standby: port $STANDBY_PORT, in recovery: $(psql_at "$STANDBY_PORT" 'SELECT pg_is_in_recovery()')"
    echo "replication: $(psql_at "$PRIMARY_PORT" "SELECT string_agg(application_name || ' ' || state || ' ' || sync_state, ', ') FROM pg_stat_replication")"
}

case "${1:-up}" in
    up)
        init_primary
        start "$PRIMARY" "$REPLICA_DIR/primary.log"
        ensure_primary_roles
        init_standby
        start "$STANDBY" "$REPLICA_DIR/standby.log"
        wait_standby
        status
        ;;
    status) status ;;
    down)
        for data in "$STANDBY" "$PRIMARY"; do
            running "$data" && pg pg_ctl -D "$data" -m fast -w stop >/dev/null
        done
        echo "stopped (data kept in $REPLICA_DIR)"
        ;;
    purge)
        "$0" down
        rm -rf "$REPLICA_DIR"
        echo "removed $REPLICA_DIR"
        ;;
    *)
        echo "usage: $0 up|status|down|purge" >&2
        exit 2
        ;;
esac
