# The project's entry points; each one sets up what is missing (see scripts/lib.sh).
.PHONY: run test test-odoo lint bench i18n setup drop-demo

run:  ## Odoo with a demo database on http://localhost:8069 (admin / admin)
	@bash scripts/run.sh

test:  ## fresh test database, addon tests (pytest-odoo), product tests over JSON-RPC, then test-odoo
	@bash scripts/test.sh

test-odoo:  ## Odoo's own suites of stock_account, purchase_stock, sale_stock, mrp... with the addons
	@bash scripts/test_odoo.sh

lint:  ## ruff and pylint-odoo
	@bash scripts/lint.sh

bench:  ## benchmarks (figures, not pass/fail)
	@bash scripts/bench.sh

i18n:  ## the addons' translation templates (i18n/*.pot), exported by Odoo
	@bash scripts/i18n.sh

setup:  ## Odoo, PostgreSQL, virtualenv and configuration only
	@bash -c 'source scripts/lib.sh && setup_all'

drop-demo:  ## forget the demo database; the next `make run` creates it again
	@bash -c 'source scripts/lib.sh && setup_all && drop_db "$$DEMO_DB"'
