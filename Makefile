# hustings — the two commands: `make pipeline` and `make test`.

INPUT ?= seeds
OUTPUT ?= data
THREADS ?=
CARGO ?= cargo
PYTHON ?= python3
VENV ?= .venv
BIN := target/release/hustings
THREADS_FLAG := $(if $(THREADS),--threads $(THREADS),)

.PHONY: all build pipeline test test-rust test-clients venv clean bench bench-micro

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

BENCH_MB ?= 200,20
BENCH_REPEAT ?= 3

## Benchmark the full pipeline against the bare program and DuckDB on a
## generated corpus (BENCH_MB sizes in MB; report in target/bench/report.md).
bench: venv
	$(CARGO) build --release --locked -p hustings -p hustings-bench
	$(VENV)/bin/python scripts/bench.py --mb $(BENCH_MB) --repeat $(BENCH_REPEAT) $(THREADS_FLAG)
	$(CARGO) bench --locked --bench stages

## Per-stage micro-benchmarks (divan), throughput in bytes.
bench-micro:
	$(CARGO) bench --locked --bench stages

