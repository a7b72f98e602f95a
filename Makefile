# hustings — the two commands: `make pipeline` and `make test`.

INPUT ?= seeds
OUTPUT ?= data
THREADS ?=
CARGO ?= cargo
PYTHON ?= python3
VENV ?= .venv
BIN := target/release/hustings
THREADS_FLAG := $(if $(THREADS),--threads $(THREADS),)

.PHONY: all build pipeline test test-rust test-clients venv clean

all: pipeline

build:
	$(CARGO) build --release --locked

## Turn every *.txt under $(INPUT) into tables in $(OUTPUT).
pipeline: build
	$(BIN) run --input "$(INPUT)" --output "$(OUTPUT)" $(THREADS_FLAG)

$(VENV)/.installed: tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

## The Python clients (DuckDB, pandas/pyarrow, frictionless) in a virtual environment.
venv: $(VENV)/.installed

## Every test: Rust unit and end-to-end tests, then the real-client checks.
test: build venv test-rust test-clients

test-rust:
	$(CARGO) test --release --locked --workspace

test-clients: build venv
	$(VENV)/bin/python -m pytest -q tests/python

clean:
	rm -rf $(VENV) target
