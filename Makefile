# Kring in two commands (README.md):
#   make demo   install what runs, migrate, load the demo data, run Kring and its task worker
#   make test   ruff, migrations, translations, imports, types, and the whole suite on SQLite
#               and PostgreSQL
# Other targets: make install (what runs), make install-dev (also tests and tools), make locks
# (regenerate both locks after editing pyproject.toml), make messages (extract and compile
# translations), make lint, make test-sqlite, make test-postgres, make clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Written after a successful install; make reinstalls only when a lock or pyproject changes.
# requirements.lock holds what runs; requirements-dev.lock holds the same pins plus the tests
# and tools, so a development install also satisfies the runtime stamp.
STAMP := $(VENV)/.kring-installed
DEV_STAMP := $(VENV)/.kring-dev-installed
PIP := $(BIN)/python -m pip --disable-pip-version-check
COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11

.PHONY: demo test install install-dev locks messages lint test-sqlite test-postgres clean

# For another address: make demo DEMO_ARGS=--bind=127.0.0.1:8001
demo: $(STAMP)
	$(BIN)/kring demo $(DEMO_ARGS)

test: $(DEV_STAMP)
	scripts/test.sh

install: $(STAMP)

install-dev: $(DEV_STAMP)

# A Python of 3.11 or newer, and a venv whose pip works (created or recreated when not).
define ensure_venv
@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
  echo "Kring needs Python 3.11 or newer; '$(PYTHON)' is: $$($(PYTHON) --version 2>&1)." >&2; \
  echo "Install a newer Python and run, for example: make demo PYTHON=python3.12" >&2; \
  exit 1; }
@if ! $(BIN)/python -m pip --version >/dev/null 2>&1; then \
  rm -rf $(VENV); \
  echo "Creating $(VENV) with $$($(PYTHON) --version)"; \
  $(PYTHON) -m venv $(VENV) || { \
    echo "Could not create $(VENV). On Debian or Ubuntu: apt-get install python3-venv" >&2; \
    rm -rf $(VENV); exit 1; }; \
fi
endef

$(STAMP): requirements.lock pyproject.toml
	$(ensure_venv)
	$(PIP) install --quiet --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	@touch $@

$(DEV_STAMP): requirements-dev.lock requirements.lock pyproject.toml
	$(ensure_venv)
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	$(PIP) install --quiet --no-deps -e .
	@touch $(STAMP) $@

# After editing the dependencies in pyproject.toml. The dev lock is compiled against the
# runtime lock, so that both pin every shared package to the same version.
locks: $(DEV_STAMP)
	$(COMPILE) -o requirements.lock
	$(COMPILE) --extra test --extra dev --constraint requirements.lock -o requirements-dev.lock
	$(MAKE) install-dev

# Extract the interface strings into src/kring/locale/nl and compile them (needs gettext).
messages: $(DEV_STAMP)
	$(BIN)/python scripts/check_translations.py --update

lint: $(DEV_STAMP)
	scripts/test.sh ruff

test-sqlite: $(DEV_STAMP)
	scripts/test.sh sqlite

test-postgres: $(DEV_STAMP)
	scripts/test.sh postgres

clean:
	rm -rf $(VENV) var
