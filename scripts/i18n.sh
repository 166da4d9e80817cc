#!/usr/bin/env bash
# `make i18n`: each addon's translation template (i18n/<addon>.pot) exported by Odoo itself
# (`odoo-bin i18n export`) from a fresh database where the addons are installed without demo data.
source "$(dirname "$0")/lib.sh"
setup_all
I18N_DB=${I18N_DB:-${TEST_DB}_i18n}
addons=$(product_addons_csv)
step "Creating a fresh database $I18N_DB with $addons (no demo data)"
drop_db "$I18N_DB"
odoo_db init "$I18N_DB" >/dev/null
odoo_bin -d "$I18N_DB" -i "$addons" --stop-after-init --log-level=warn
step "Exporting the translation templates"
# shellcheck disable=SC2046
"$PY" "$ODOO_PATH/odoo-bin" i18n export -c "$ODOO_CONF" -d "$I18N_DB" $(product_addons)
drop_db "$I18N_DB"
