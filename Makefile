# Hexie: two commands do all set-up (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint demo clean bench-smoke

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.installed-dev: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/.installed $@

run: $(BIN)/.installed
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py load_demo
	PORT=$(PORT) $(BIN)/python manage.py serve

test: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy hexie
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest -n 2

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy hexie
	$(BIN)/lint-imports --no-cache

# Every bench at small sizes against PostgreSQL (bench/README.md); BENCH_SMOKE_URL picks the database,
# which must be named hexie_bench* (it is dropped and recreated).
BENCH_SMOKE_URL ?= postgres://postgres@127.0.0.1:5432/hexie_bench_smoke
bench-smoke: $(BIN)/.installed
	$(BIN)/python bench/smoke.py --url $(BENCH_SMOKE_URL)

clean:
	rm -rf $(VENV) var
