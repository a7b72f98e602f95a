"""`make sharded ENGINE=spark N=3` (the whole sharded pipeline as one Spark job in
local mode, merges in Spark SQL) gives the tables of one `hustings run`: the same
files, columns in the same order with the same types, the same rows in the same
order (floating-point scores to 1e-9 relative), and no null where a single run
declares a column required. Three corpora: the seeds, the shape fixtures, and a
generated corpus whose pages share lines (repeated-line boilerplate), with an
empty file (an errors row) and a byte-identical copy in another shard.

Run by `make test-spark` (which installs PySpark); skipped, saying why, when
PySpark or Java 17+ is missing."""

import os
import pathlib
import re
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest
from merged_tables import assert_same_table, shard_of

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / "target/release/hustings"
FLAGS = ["--tokens", "--bigram-min", "1", "--repeat-min", "2"]


def java_major():
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    except FileNotFoundError:
        return None
    m = re.search(r'version "(\d+)', out)
    return int(m.group(1)) if m else None


def _skip_reason():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed in this environment: `make test-spark` installs it"
    major = java_major()
    if major is None:
        return "no Java on PATH: Spark needs Java 17 or newer (Debian: openjdk-17-jre-headless)"
    if major < 17:
        return f"Java {major} on PATH: Spark 4 needs Java 17 or newer"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


def corpus_seeds(dest):
    shutil.copytree(ROOT / "seeds", dest)


def corpus_shapes(dest):
    shutil.copytree(ROOT / "tests/fixtures/shapes", dest)


def corpus_generated(dest):
    gen = ROOT / "target/release/gen-corpus"
    assert gen.exists(), f"{gen} is missing: `make test-spark` builds it (cargo build --release -p hustings-bench)"
    subprocess.run([gen, "--seeds", ROOT / "seeds", "--out", dest, "--mb", "1", "--seed", "16"], check=True, capture_output=True)
    (dest / "empty.txt").write_bytes(b"")
    pages = sorted(p for p in dest.rglob("*.txt") if p.stat().st_size)
    first = pages[0]
    rel = first.relative_to(dest).as_posix()
    name = next(f"copy-{i}.txt" for i in range(100) if shard_of(f"copy-{i}.txt", 3) != shard_of(rel, 3))
    shutil.copy(first, dest / name)


CORPORA = {"seeds": corpus_seeds, "shapes": corpus_shapes, "generated": corpus_generated}


@pytest.fixture(scope="module", params=list(CORPORA))
def runs(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"spark-{request.param}")
    corpus = tmp / "in"
    CORPORA[request.param](corpus)
    single, spark = tmp / "single", tmp / "spark"
    subprocess.run([BIN, "run", "-q", "--format", "parquet", "--input", corpus, "--output", single, *FLAGS], check=True)
    proc = subprocess.run(
        ["make", "-s", "-C", ROOT, "sharded", "ENGINE=spark", "N=3", f"INPUT={corpus}", f"OUTPUT={spark}", "REPEAT_MIN=2", "BIGRAM_MIN=1", "SHARD_FLAGS=--tokens"],
        capture_output=True,
        text=True,
    )
    said = proc.stdout + proc.stderr  # spark-submit passes the Python driver's stderr to its stdout
    assert proc.returncode == 0, said[-3000:]
    assert "spark_job: 3 shards into" in said
    return request.param, single, spark


def test_same_tables(runs):
    _, single, spark = runs
    names = sorted(p.name for p in single.glob("*.parquet"))
    assert names == sorted(p.name for p in spark.glob("*.parquet"))
    assert "tokens.parquet" in names
    # One file per table, no Spark folders or stray files left beside them.
    assert sorted(p.name for p in spark.iterdir()) == names


@pytest.mark.parametrize(
    "table",
    ["documents", "comments", "document_tags", "token_counts", "vocabulary", "bigrams", "keyness", "boilerplate", "edits", "errors", "tokens"],
)
def test_spark_job_equals_single_run(runs, table):
    corpus, single, spark = runs
    assert_same_table(single, spark, table, corpus)


def test_corpora_exercise_the_merge(runs):
    """The comparisons above are not vacuous: each corpus has comments and bigrams, and the
    generated one has repeated lines found across shards, an errors row and a duplicate page."""
    corpus, single, _ = runs
    assert pq.read_table(single / "comments.parquet").num_rows > 0
    assert pq.read_table(single / "bigrams.parquet").num_rows > 0
    if corpus == "generated":
        rules = pq.read_table(single / "boilerplate.parquet").column("rule").to_pylist()
        assert rules.count("repeated-line") > 100
        assert pq.read_table(single / "errors.parquet").num_rows >= 1


def test_failed_shard_names_itself_and_keeps_old_output(tmp_path):
    """A shard that fails stops the job with the shard and hustings' own message; the
    previous output stays as it was."""
    corpus = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", corpus)
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.parquet").write_bytes(b"old")
    proc = subprocess.run(
        ["make", "-s", "-C", ROOT, "sharded", "ENGINE=spark", "N=2", f"INPUT={corpus}", f"OUTPUT={out}", "SHARD_FLAGS=--vocab-memory lots"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    said = proc.stdout + proc.stderr
    assert re.search(r"spark_job: shard [12]/2: hustings run exited with status 2:\nhustings: cannot parse argument \"lots\"", said), said[-2000:]
    assert (out / "documents.parquet").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["documents.parquet"]


def test_binary_shipped_with_files(tmp_path):
    """The cluster recipe's way: `spark-submit --files .../hustings ... --bin hustings`,
    the tasks finding the binary among the shipped files, not on a path."""
    out = tmp_path / "out"
    env = dict(os.environ, PATH=f"{ROOT / '.venv/bin'}:{os.environ['PATH']}", PYTHONWARNINGS="ignore::FutureWarning")
    proc = subprocess.run(
        ["spark-submit", "--master", "local[2]", "--files", BIN, ROOT / "scripts/spark_job.py",
         "--input", ROOT / "seeds", "--output", out, "--shards", "2", "--bin", "hustings"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    said = proc.stdout + proc.stderr
    assert proc.returncode == 0, said[-3000:]
    single = tmp_path / "single"
    subprocess.run([BIN, "run", "-q", "--format", "parquet", "--input", ROOT / "seeds", "--output", single], check=True)
    for table in ("documents", "comments", "token_counts", "vocabulary", "bigrams"):
        assert_same_table(single, out, table, "shipped")
