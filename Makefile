# hustings — the two commands: `make pipeline` and `make test`.

INPUT ?= seeds
OUTPUT ?= data
THREADS ?=
CARGO ?= cargo
PYTHON ?= python3
VENV ?= .venv
BIN := target/release/hustings
THREADS_FLAG := $(if $(THREADS),--threads $(THREADS),)

.PHONY: all build pipeline report screenshots sharded sharded-duckdb sharded-spark spark test-spark test test-rust test-clients venv clean bench bench-micro

all: pipeline

build:
	$(CARGO) build --release --locked

## Turn every page under $(INPUT) into tables in $(OUTPUT), and their report.
pipeline: build
	$(BIN) run --input "$(INPUT)" --output "$(OUTPUT)" $(THREADS_FLAG) $(PIPELINE_FLAGS)
	$(BIN) report --tables "$(OUTPUT)" --output "$(OUTPUT)/report.html"

## The HTML report of the tables in $(OUTPUT) (default data/report.html).
report: build
	$(BIN) report --tables "$(OUTPUT)" --output "$(OUTPUT)/report.html"

CHROMIUM ?= chromium
SHOT = $(CHROMIUM) --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1000

## The README's two screenshots of data/report.html (top, and the audit part), by headless Chromium.
screenshots: report
	mkdir -p docs
	$(SHOT) --screenshot=docs/report-top.png "file://$(CURDIR)/$(OUTPUT)/report.html" 2>/dev/null
	$(SHOT) --screenshot=docs/report-audit.png "file://$(CURDIR)/$(OUTPUT)/report.html#only-audit" 2>/dev/null

N ?= 4
REPEAT_MIN ?= 3
BIGRAM_MIN ?= 2
ENGINE ?= duckdb
PARTS = $(OUTPUT).parts
SPARK_MEMORY ?= 4g
MERGE_MEMORY ?=
MERGE_MEMORY_FLAG := $(if $(MERGE_MEMORY),--memory-limit $(MERGE_MEMORY),)

## The pipeline as N separate shard processes, as a cluster would run it:
## first pass per shard, merged; second pass per shard with the merged
## lines; partial tables merged into $(OUTPUT)/*.parquet. The merges are the
## SQL in sql/, run by DuckDB (ENGINE=duckdb) or, with ENGINE=spark, the
## whole sequence is one Spark job in local mode (scripts/spark_job.py, the
## shards as its N tasks). Equal to `make pipeline` on the same input
## (tests/python/test_sharded.py, tests/python/test_spark.py).
sharded: sharded-$(ENGINE)

sharded-duckdb: build venv
	rm -rf "$(PARTS)"
	seq 1 $(N) | xargs -P $(N) -I{} $(BIN) learn -q --format parquet --input "$(INPUT)" --output "$(PARTS)/lines" --shard {}/$(N)
	$(VENV)/bin/python scripts/merge.py lines --parts "$(PARTS)/lines" --out "$(PARTS)" --repeat-min $(REPEAT_MIN)
	seq 1 $(N) | xargs -P $(N) -I{} $(BIN) run -q --format parquet --input "$(INPUT)" --output "$(PARTS)/tables" --shard {}/$(N) \
		--repeat-min $(REPEAT_MIN) --repeated-lines "$(PARTS)/repeated_lines.parquet" $(SHARD_FLAGS)
	$(VENV)/bin/python scripts/merge.py tables --parts "$(PARTS)/tables" --out "$(OUTPUT)" --bigram-min $(BIGRAM_MIN) $(MERGE_MEMORY_FLAG)

sharded-spark: build spark
	PATH="$(abspath $(VENV))/bin:$$PATH" PYTHONWARNINGS=ignore::FutureWarning spark-submit --master "local[$(N)]" --driver-memory $(SPARK_MEMORY) \
		--driver-java-options "-Dlog4j2.configurationFile=file:$(CURDIR)/scripts/spark-log4j2.properties" scripts/spark_job.py \
		--bin "$(BIN)" --input "$(INPUT)" --output "$(OUTPUT)" --shards $(N) \
		--repeat-min $(REPEAT_MIN) --bigram-min $(BIGRAM_MIN) -- $(SHARD_FLAGS)

$(VENV)/.installed: tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

## The Python clients (DuckDB, pandas/pyarrow, frictionless) in a virtual environment.
venv: $(VENV)/.installed

$(VENV)/.spark-installed: $(VENV)/.installed tests/requirements-spark.txt
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements-spark.txt
	touch $@

## PySpark (pinned, ~490 MB installed with its jars) in the same environment; Spark needs Java 17 or newer.
spark: $(VENV)/.spark-installed

## Every test: Rust unit and end-to-end tests, then the real-client checks.
test: build venv test-rust test-clients

test-rust:
	$(CARGO) test --release --locked --workspace

test-clients: build venv
	$(VENV)/bin/python -m pytest -q -rs tests/python --ignore tests/python/test_spark.py

## The Spark job (local mode) against single runs; installs PySpark, skips plainly without Java.
test-spark: build spark
	$(CARGO) build --release --locked -p hustings-bench --bin gen-corpus
	$(VENV)/bin/python -m pytest -q -rs tests/python/test_spark.py

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

