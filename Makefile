# Kring in two commands (README.md):
#   make demo   install, migrate, load the demo data, run Kring and its task worker
#   make test   ruff, migrations, translations, and the whole suite on SQLite and PostgreSQL
# Other targets: make install, make messages (extract and compile translations),
# make lint, make test-sqlite, make test-postgres, make clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Written after a successful install; make reinstalls only when the lock or pyproject changes.
STAMP := $(VENV)/.kring-installed
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: demo test install messages lint test-sqlite test-postgres clean

# For another address: make demo DEMO_ARGS=--bind=127.0.0.1:8001
demo: $(STAMP)
	$(BIN)/kring demo $(DEMO_ARGS)

test: $(STAMP)
	scripts/test.sh

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
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
	$(PIP) install --quiet --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	@touch $@

# Extract the interface strings into src/kring/locale/nl and compile them (needs gettext).
messages: $(STAMP)
	$(BIN)/python scripts/check_translations.py --update

lint: $(STAMP)
	scripts/test.sh ruff

test-sqlite: $(STAMP)
	scripts/test.sh sqlite

test-postgres: $(STAMP)
	scripts/test.sh postgres

clean:
	rm -rf $(VENV) var
