"""`make sharded` (N shard processes + the shipped merge SQL run by DuckDB) gives
the same tables as `make pipeline` on the same input: same columns with the
same types, same rows in the same order; floating-point scores agree to 1e-9 (relative)."""

import pathlib
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest
from merged_tables import assert_same_table, shard_of

ROOT = pathlib.Path(__file__).resolve().parents[2]
TABLES = ["documents", "comments", "document_tags", "token_counts", "vocabulary", "bigrams", "keyness", "boilerplate", "edits", "errors", "tokens"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sharded")
    corpus = tmp / "in"
    corpus.mkdir()
    for src in list((ROOT / "seeds").glob("*.txt")) + list((ROOT / "tests/fixtures/shapes").glob("*.txt")):
        shutil.copy(src, corpus / src.name)
    (corpus / "empty.txt").write_bytes(b"")  # an errors row
    # A byte-identical copy of a page in another shard: the merged first pass
    # must count it once, as a single run does (with --repeat-min 2 a double
    # count would turn the page's own lines into repeated-line boilerplate).
    first = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0]
    copy = next(f"copy-{i}.txt" for i in range(100) if shard_of(f"copy-{i}.txt", 3) != shard_of(first, 3))
    shutil.copy(ROOT / "seeds" / first, corpus / copy)
    single, sharded = tmp / "single", tmp / "sharded"
    flags = "--tokens --bigram-min 1 --repeat-min 2"
    subprocess.run(["make", "-s", "-C", str(ROOT), "pipeline", f"INPUT={corpus}", f"OUTPUT={single}", f"PIPELINE_FLAGS={flags}"], check=True)
    subprocess.run(
        ["make", "-s", "-C", str(ROOT), "sharded", "N=3", f"INPUT={corpus}", f"OUTPUT={sharded}", "REPEAT_MIN=2", "BIGRAM_MIN=1", "SHARD_FLAGS=--tokens"],
        check=True,
    )
    return single, sharded


@pytest.mark.parametrize("table", TABLES)
def test_sharded_run_equals_single_run(outputs, table):
    single, sharded = outputs
    assert_same_table(single, sharded, table, "sharded")

def test_part_files_read_as_one_dataset(outputs):
    _, sharded = outputs
    import duckdb
    import pyarrow.dataset as ds

    parts = pathlib.Path(str(sharded) + ".parts") / "tables"
    files = sorted(str(p) for p in parts.glob("part-*/documents.parquet"))
    assert len(files) == 3
    n_arrow = ds.dataset(files, format="parquet").count_rows()
    (n_duck,) = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{parts}/part-*/documents.parquet')").fetchone()
    assert n_arrow == n_duck == pq.read_table(sharded / "documents.parquet").num_rows
