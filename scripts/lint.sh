#!/usr/bin/env bash
# `make lint`: ruff (lint and format check) and pylint-odoo on the addon and the project's Python.
source "$(dirname "$0")/lib.sh"
mkdir -p "$STATE"
ensure_odoo
ensure_venv
cd "$ROOT"
status=0
step "ruff check"
"$VENV/bin/ruff" check . || status=1
step "ruff format --check"
"$VENV/bin/ruff" format --check . || status=1
step "pylint-odoo"
"$VENV/bin/pylint" --rcfile=.pylintrc running_inventory || status=1
exit $status
