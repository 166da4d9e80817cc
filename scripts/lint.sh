#!/usr/bin/env bash
# `make lint`: ruff (lint and format check) and pylint-odoo on the addons and the project's Python.
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
mapfile -t addon_dirs < <(product_addons)
"$VENV/bin/pylint" --rcfile=.pylintrc "${addon_dirs[@]}" || status=1
exit $status
