# Two entry points: `make demo` (set up, then triage an example case) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test lint bench clean

# durable-rules 2.0.28's C extension calls PyEval_CallObject, which Python 3.13 removed;
# defining it as its replacement lets the unchanged source build there.
DURABLE_CC := gcc -DPyEval_CallObject(f,a)=PyObject_CallObject(f,a)

$(BIN)/scr: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	if $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 13))'; then \
	    CC='$(DURABLE_CC)' $(BIN)/python -m pip install --quiet -e '.[all,test]'; \
	else \
	    $(BIN)/python -m pip install --quiet -e '.[all,test]'; \
	fi
	touch $(BIN)/scr

setup: $(BIN)/scr

demo: setup
	$(BIN)/scr triage cases/death-neglect-factor-2008.yaml

test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/scr rules check
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python benchmarks/triage_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .mypy_cache .import_linter_cache
