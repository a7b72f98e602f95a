"""The dialect layer (scripts/hustings_merge.py): how it reads the shipped merge
SQL, what it refuses, and that the shipped files keep to the portable subset."""

import pathlib
import re
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import hustings_merge as hm  # noqa: E402

SHIPPED = sorted((ROOT / "sql").glob("merge_*.sql"))


def test_split_keeps_quotes_and_drops_comments():
    text = "-- a comment; with a semicolon\nCREATE TABLE a AS SELECT 'x;y' AS s, 'it''s -- no comment' AS t; -- tail\n\nCREATE TEMPORARY VIEW b AS\n  SELECT 1 AS n;\n"
    got = hm.split(text)
    assert got == [("CREATE TABLE a AS SELECT 'x;y' AS s, 'it''s -- no comment' AS t", 2), ("CREATE TEMPORARY VIEW b AS SELECT 1 AS n", 4)]


def test_parse_kinds_placeholders_and_inputs():
    stmts = hm.parse(
        "CREATE TEMPORARY VIEW v AS SELECT * FROM parts_documents;\nCREATE TABLE out AS SELECT * FROM v JOIN parts_comments ON true WHERE n >= {k};",
        {"k": 3},
    )
    assert [(s.kind, s.name, s.line) for s in stmts] == [("view", "v", 1), ("table", "out", 2)]
    assert stmts[1].select.endswith("n >= 3")
    assert hm.inputs(stmts) == ["documents", "comments"]


@pytest.mark.parametrize(
    "text, values, message",
    [
        ("COPY (SELECT 1) TO 'x.parquet';", {}, "f.sql:1: expected CREATE TEMPORARY VIEW or CREATE TABLE ... AS SELECT, found 'COPY (SELECT 1)'"),
        ("\n\nCREATE TEMP TABLE t AS SELECT 1;", {}, "f.sql:3: expected CREATE TEMPORARY VIEW"),
        ("CREATE TABLE t AS SELECT {n};", {}, "f.sql: no value for placeholder {n}"),
        ("CREATE TABLE t AS SELECT {n};", {"n": "1; DROP"}, "f.sql: placeholder {n} must be an integer"),
        ("CREATE TABLE t AS SELECT 1", {}, "f.sql:1: statement without a closing ';'"),
        ("CREATE TABLE t AS SELECT 'open;", {}, "f.sql:1: unterminated string"),
    ],
)
def test_parse_refuses_with_file_and_line(text, values, message):
    with pytest.raises(hm.MergeError) as e:
        hm.parse(text, values, origin="f.sql")
    assert str(e.value).startswith(message)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_sql_keeps_to_the_portable_subset(path):
    """No engine-specific spelling: no read_parquet/COPY (the layer's job), no USING joins
    (Spark moves the key column first), no temp tables, no unsigned or HUGEINT types,
    no sort on a nullable locator without NULLS FIRST/LAST."""
    values = {"repeat_min": 3, "bigram_min": 2}
    stmts = hm.parse(path.read_text(), values, origin=path.name)
    assert any(s.kind == "table" for s in stmts)
    for s in stmts:
        upper = s.select.upper()
        for banned in ("READ_PARQUET", "COPY ", " USING ", "TEMP TABLE", "UINTEGER", "UBIGINT", "HUGEINT", "::", '"'):
            assert banned not in upper, f"{path.name}:{s.line}: {banned.strip()} in {s.name}"
        if "ORDER BY" in upper:
            order = upper.rsplit("ORDER BY", 1)[1]
            assert not re.search(r"SOURCE_RECORD(?!\s+NULLS)", order), f"{path.name}:{s.line}: {s.name} sorts source_record without NULLS FIRST/LAST"


def write(path, table):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def test_duckdb_runs_a_file_over_parts(tmp_path):
    parts = tmp_path / "parts"
    write(parts / "part-1-of-2/line_keys.parquet", pa.table({"line_key": pa.array([5, 7], pa.int64()), "content_sha256": ["a", "a"]}))
    write(parts / "part-2-of-2/line_keys.parquet", pa.table({"line_key": pa.array([7, 9], pa.int64()), "content_sha256": ["b", "b"]}))
    hm.merge_lines(hm.DuckDB(), parts, tmp_path / "out", repeat_min=2)
    got = pq.read_table(tmp_path / "out/repeated_lines.parquet")
    assert got.to_pylist() == [{"line_key": 7, "n_documents": 2}]
    assert str(got.schema.field("n_documents").type) == "int32"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["repeated_lines.parquet"]


def test_missing_parts_name_the_file(tmp_path):
    with pytest.raises(hm.MergeError, match=r"merge_lines.sql: no .*/part-\*/line_keys.parquet: run the shards first"):
        hm.merge_lines(hm.DuckDB(), tmp_path / "nothing", tmp_path / "out")
    with pytest.raises(hm.MergeError, match=r"part-\*/documents.parquet: run the shards first"):
        hm.merge_tables(hm.DuckDB(), tmp_path / "nothing", tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_engine_error_names_file_statement_and_keeps_old_output(tmp_path):
    parts = tmp_path / "parts"
    # Part tables without the columns the merge reads: the engine's binder error, placed.
    stmts = hm.parse((ROOT / "sql/merge_tables.sql").read_text(), {"bigram_min": 2})
    for name in hm.inputs(stmts):
        write(parts / f"part-1-of-1/{name}.parquet", pa.table({"x": [1]}))
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.parquet").write_bytes(b"old")
    with pytest.raises(hm.MergeError, match=r"merge_tables.sql:\d+: view doc_order: .*doc_id"):
        hm.merge_tables(hm.DuckDB(), parts, out)
    assert sorted(p.name for p in out.iterdir()) == ["documents.parquet"]
    assert (out / "documents.parquet").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_duckdb_memory_limit():
    with pytest.raises(hm.MergeError, match=r"--memory-limit 'lots': .*Memory"):
        hm.DuckDB(memory_limit="lots")
    engine = hm.DuckDB(memory_limit="200MB")
    (limit,) = engine.con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit.replace(" ", "") in ("190.7MiB", "200.0MB", "200MB")
