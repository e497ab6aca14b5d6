# Two commands for a newcomer (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip>=24"
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/recruitwatch --home .home/demo demo

test: $(STAMP)
	$(VENV)/bin/ruff check recruitwatch tests bench scripts
	$(VENV)/bin/pytest

bench: $(STAMP)
	bench/run

clean:
	rm -rf $(VENV) .home
