# Two commands for a newcomer (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

# npm installs the dashboard's chart libraries (package.json) into node_modules/, from where the
# server serves them; without npm the pages still work, with tables instead of charts.
$(STAMP): pyproject.toml package.json
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip>=24"
	$(VENV)/bin/pip install --quiet -e '.[test]'
	if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent; \
	else echo "npm not found: the dashboard will show tables without charts"; fi
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/recruitwatch --home .home/demo demo --serve

test: $(STAMP)
	$(VENV)/bin/ruff check recruitwatch tests bench scripts
	$(VENV)/bin/pytest

bench: $(STAMP)
	$(VENV)/bin/pip install --quiet -e '.[test,bench]'
	bench/run

clean:
	rm -rf $(VENV) .home
