# The project's entry points; each one sets up what is missing (see scripts/lib.sh).
.PHONY: run test lint bench setup drop-demo

run:  ## Odoo with a demo database on http://localhost:8069 (admin / admin)
	@bash scripts/run.sh

test:  ## fresh test database, addon tests (pytest-odoo), then product tests over JSON-RPC
	@bash scripts/test.sh

lint:  ## ruff and pylint-odoo
	@bash scripts/lint.sh

bench:  ## benchmarks (figures, not pass/fail)
	@bash scripts/bench.sh

setup:  ## Odoo, PostgreSQL, virtualenv and configuration only
	@bash -c 'source scripts/lib.sh && setup_all'

drop-demo:  ## forget the demo database; the next `make run` creates it again
	@bash -c 'source scripts/lib.sh && setup_all && drop_db "$$DEMO_DB"'
