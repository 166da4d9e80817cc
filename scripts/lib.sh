# shellcheck shell=bash
# Shared by the project's entry points (scripts/*.sh). Sourced, not run.
# Everything machine-specific lives in $STATE (git-ignored): config, filestore, logs, stamps.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
ODOO_BRANCH=19.0
ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}
VENV=$ROOT/.venv
STATE=$ROOT/.state
ODOO_CONF=$STATE/odoo.conf
PY=$VENV/bin/python
DEMO_DB=${DEMO_DB:-running_inventory_demo}
TEST_DB=${TEST_DB:-running_inventory_test}
HTTP_PORT=${HTTP_PORT:-8069}

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
    printf '\033[31merror:\033[0m %s\n' "$*" >&2
    exit 1
}
is_root_on_debian() { [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }

apt_install() {
    # Installs the Debian packages given that are not installed yet.
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    step "Installing Debian packages: ${missing[*]}"
    apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
        die "apt-get could not install ${missing[*]}; install them and run again."
}

ensure_odoo() {
    if [ -f "$ODOO_PATH/odoo/release.py" ]; then
        local serie
        serie=$(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\),.*/\1.\2/p" "$ODOO_PATH/odoo/release.py")
        [ "$serie" = "$ODOO_BRANCH" ] || die "Odoo at $ODOO_PATH is version $serie; running_inventory needs $ODOO_BRANCH. Set ODOO_PATH to an Odoo $ODOO_BRANCH Community checkout."
        return 0
    fi
    step "Odoo $ODOO_BRANCH not found at $ODOO_PATH: shallow clone of $ODOO_GIT_URL (branch $ODOO_BRANCH)"
    command -v git >/dev/null || die "git is missing. Install git, or put Odoo $ODOO_BRANCH Community at $ODOO_PATH (or set ODOO_PATH)."
    if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
        die "$ODOO_PATH exists but holds no Odoo (no odoo/release.py). Empty it, or set ODOO_PATH to an Odoo $ODOO_BRANCH Community checkout."
    fi
    if ! git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_PATH"; then
        rm -rf "$ODOO_PATH"
        die "Could not clone $ODOO_GIT_URL into $ODOO_PATH (no network, or no write access).
       Provide Odoo $ODOO_BRANCH Community yourself: a checkout of $ODOO_GIT_URL, branch $ODOO_BRANCH,
       with odoo-bin and odoo/release.py at its top, at $ODOO_PATH or anywhere with ODOO_PATH=/that/path."
    fi
}

# Bump when the way the venv is built changes, so that existing venvs are rebuilt.
VENV_RECIPE=1

requirements_stamp() {
    cat "$ODOO_PATH/requirements.txt" "$ROOT/requirements.txt" | sha1sum | cut -d' ' -f1
    echo "$ODOO_PATH recipe $VENV_RECIPE"
}

pip_install() {
    # This machine's pip.conf may name local indexes that do not exist; their warnings are noise.
    "$PY" -m pip install --quiet "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

ensure_venv() {
    local stamp=$VENV/.requirements-stamp
    if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(requirements_stamp)" ]; then
        return 0
    fi
    local python=${PYTHON:-python3}
    command -v "$python" >/dev/null || die "python3 is missing: install Python 3.10 to 3.12 (with venv and headers)."
    "$python" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' ||
        die "Odoo $ODOO_BRANCH's pinned requirements need Python 3.10 to 3.12; $python is $("$python" --version 2>&1). Set PYTHON=/path/to/python3.11."
    if is_root_on_debian; then
        # Headers to build psycopg2 and python-ldap from source.
        apt_install build-essential python3-dev libpq-dev libldap2-dev libsasl2-dev
    fi
    step "Building the virtualenv in $VENV (Odoo's requirements, then the project's; a few minutes the first time)"
    [ -x "$PY" ] || "$python" -m venv "$VENV"
    pip_install --upgrade pip wheel 'setuptools<70'
    # Odoo pins cbor2==5.4.2 for Python < 3.12: its sdist needs pkg_resources at build time and then
    # builds as version 0.0.0. 5.6.2 (Odoo's own pin for 3.12) works; see DEVELOPERS.md.
    sed -e 's/^cbor2==5\.4\.2/cbor2==5.6.2/' "$ODOO_PATH/requirements.txt" >"$STATE/odoo-requirements.txt"
    info "Odoo's requirements ($ODOO_PATH/requirements.txt)"
    pip_install --no-build-isolation -r "$STATE/odoo-requirements.txt" ||
        die "pip could not install Odoo's requirements (see above). On Debian: apt-get install libpq-dev libldap2-dev libsasl2-dev python3-dev."
    info "the project's requirements (requirements.txt)"
    pip_install -r "$ROOT/requirements.txt" || die "pip could not install requirements.txt (see above)."
    # Make `import odoo` work in the venv (pytest-odoo, benchmarks) without installing Odoo into it.
    "$PY" - "$ODOO_PATH" <<'PYEOF'
import sys, sysconfig, pathlib
pathlib.Path(sysconfig.get_paths()["purelib"], "odoo-path.pth").write_text(sys.argv[1] + "\n")
PYEOF
    requirements_stamp >"$stamp"
}

ensure_chromium() {
    # Odoo's browser tests (HttpCase.start_tour) drive a headless Chromium; without one they skip.
    local bin
    for bin in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$bin" >/dev/null && return 0
    done
    if is_root_on_debian; then
        apt_install chromium
    else
        info "No Chromium found: the browser tours will be skipped. Install chromium (Debian: apt-get install chromium)."
    fi
}

pg_can_connect() {
    "$PY" - <<'PYEOF' 2>/dev/null
import psycopg2
psycopg2.connect(dbname="postgres").close()
PYEOF
}

ensure_postgres() {
    if [ -n "${PGHOST:-}" ] || [ -n "${PGUSER:-}" ]; then
        info "PostgreSQL: using PGHOST=${PGHOST:-<socket>} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)} from the environment"
        pg_can_connect || die "Cannot connect to PostgreSQL with PGHOST/PGPORT/PGUSER/PGPASSWORD as set. The role must log in and create databases (and not be 'postgres', which Odoo refuses)."
        return 0
    fi
    if ! is_root_on_debian; then
        export PGHOST=${PGHOST:-localhost}
        pg_can_connect || die "No PostgreSQL reachable. Set PGHOST, PGPORT, PGUSER and PGPASSWORD for a role that can create databases (not 'postgres': Odoo refuses it). Run as root on Debian to have PostgreSQL installed and started for you."
        info "PostgreSQL: using PGHOST=$PGHOST as $(id -un)"
        return 0
    fi
    command -v pg_lsclusters >/dev/null || apt_install postgresql
    local cluster
    cluster=$(pg_lsclusters --no-header | head -n1)
    if [ -z "$cluster" ]; then
        local version
        version=$(ls /usr/lib/postgresql | sort -n | tail -n1)
        step "Creating PostgreSQL cluster $version/main"
        pg_createcluster "$version" main >/dev/null
        cluster=$(pg_lsclusters --no-header | head -n1)
    fi
    read -r pg_version pg_name pg_port pg_status _ <<<"$cluster"
    if [ "$pg_status" != online ]; then
        step "Starting PostgreSQL $pg_version/$pg_name"
        pg_ctlcluster "$pg_version" "$pg_name" start
    fi
    # Odoo refuses the 'postgres' superuser: it gets a role of its own.
    if [ "$(su postgres -c "psql -p $pg_port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'odoo'\"")" != 1 ]; then
        step "Creating PostgreSQL role odoo"
        su postgres -c "psql -p $pg_port -qc \"CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'\""
    fi
    export PGHOST=localhost PGPORT=$pg_port PGUSER=odoo PGPASSWORD=odoo
    pg_can_connect || die "PostgreSQL $pg_version/$pg_name is up but role odoo cannot connect on localhost:$pg_port."
}

write_config() {
    mkdir -p "$STATE/data"
    cat >"$ODOO_CONF" <<CONF
; Written by scripts/lib.sh on each run: edit the script, not this file.
[options]
addons_path = $ODOO_PATH/odoo/addons,$ODOO_PATH/addons,$ROOT
data_dir = $STATE/data
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = ${PGPASSWORD:-False}
admin_passwd = admin
http_interface = 127.0.0.1
log_level = warn
CONF
}

ensure_wkhtmltopdf() {
    # Odoo prints PDF reports (count sheets, the stock reconciliation) with wkhtmltopdf.
    command -v wkhtmltopdf >/dev/null && return 0
    if is_root_on_debian; then
        apt_install wkhtmltopdf
    else
        info "wkhtmltopdf is missing: Odoo shows reports as HTML and cannot print PDFs."
    fi
}

setup_all() {
    mkdir -p "$STATE"
    ensure_odoo
    ensure_venv
    ensure_postgres
    ensure_wkhtmltopdf
    write_config
}

# The product's addons: running_inventory, then its bridges to other Odoo apps (every
# running_inventory_* folder at the repository root with a manifest), one a line.
product_addons() {
    local manifest
    echo running_inventory
    for manifest in "$ROOT"/running_inventory_*/__manifest__.py; do
        if [ -f "$manifest" ]; then basename "$(dirname "$manifest")"; fi
    done
}
product_addons_csv() { product_addons | paste -sd, -; }

# The product's test folders (relative to $ROOT), for the addons that have one.
product_test_dirs() {
    local addon
    for addon in $(product_addons); do
        if [ -d "$ROOT/$addon/tests" ]; then echo "$addon/tests"; fi
    done
}

odoo_bin() { "$PY" "$ODOO_PATH/odoo-bin" -c "$ODOO_CONF" "$@"; }
odoo_db() { "$PY" "$ODOO_PATH/odoo-bin" db -c "$ODOO_CONF" "$@"; }

db_exists() {
    "$PY" - "$1" <<'PYEOF'
import sys, psycopg2
with psycopg2.connect(dbname="postgres") as conn, conn.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[1]])
    sys.exit(0 if cr.fetchone() else 1)
PYEOF
}

db_has_module() {
    "$PY" - "$1" "$2" <<'PYEOF' 2>/dev/null
import sys, psycopg2
with psycopg2.connect(dbname=sys.argv[1]) as conn, conn.cursor() as cr:
    cr.execute("SELECT 1 FROM ir_module_module WHERE name = %s AND state = 'installed'", [sys.argv[2]])
    sys.exit(0 if cr.fetchone() else 1)
PYEOF
}

drop_db() { db_exists "$1" && odoo_db drop "$1" >/dev/null 2>&1 || true; }

port_in_use() {
    "$PY" -c 'import socket, sys; s = socket.socket(); sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0)' "$1"
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
