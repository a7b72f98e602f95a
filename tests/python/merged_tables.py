"""Helpers shared by the sharded-run tests (test_sharded.py: DuckDB merge;
test_spark.py: the Spark job): which shard a path falls in, and the check
that a merged table is a single run's table."""

import hashlib
import math

import pyarrow.parquet as pq


def shard_of(rel, n):
    """The shard `hustings run --shard K/N` gives a path: SHA-256, first 8 bytes big-endian, mod N, 1-based."""
    return int.from_bytes(hashlib.sha256(rel.encode()).digest()[:8], "big") % n + 1


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def assert_same_table(single, merged, table, label):
    """`merged/<table>.parquet` has `single/<table>.parquet`'s columns with the same
    types, no null in a column the single run declares required, and its rows in
    the same order (floating-point scores to 1e-9 relative)."""
    a, b = pq.read_table(single / f"{table}.parquet"), pq.read_table(merged / f"{table}.parquet")
    assert [(f.name, str(f.type)) for f in a.schema] == [(f.name, str(f.type)) for f in b.schema], f"{label}/{table}: columns or types differ"
    # DuckDB and Spark write every column as optional; the values keep the promise.
    for f in a.schema:
        if not f.nullable:
            assert b.column(f.name).null_count == 0, f"{label}/{table}.{f.name}: nulls in a required column"
    ra, rb = a.to_pylist(), b.to_pylist()
    assert len(ra) == len(rb), f"{label}/{table}: {len(ra)} rows in one run, {len(rb)} merged"
    for i, (x, y) in enumerate(zip(ra, rb)):
        bad = [k for k in x if not same(x[k], y[k])]
        assert not bad, f"{label}/{table} row {i}: {[(k, x[k], y[k]) for k in bad]}"
