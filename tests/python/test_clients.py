"""Load every table with DuckDB, pandas (pyarrow) and frictionless; check keys,
types, invariants, and that CSV and Parquet carry the same rows.

The folder checked is $HUSTINGS_DATA (default: the committed data/).
"""

import json
import os
import pathlib
import re
import subprocess

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(os.environ.get("HUSTINGS_DATA", ROOT / "data"))
PACKAGE = json.loads((DATA / "datapackage.json").read_text())
MANIFEST = json.loads((DATA / "manifest.json").read_text())
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
TABLES = list(RESOURCES)

DUCK_TYPES = {"string": "VARCHAR", "date": "DATE", "datetime": "TIMESTAMP", "number": "DOUBLE", "boolean": "BOOLEAN"}


def duck_type(field):
    if field["type"] == "integer":
        return {"int32": "INTEGER", "int64": "BIGINT"}[field["x_arrow_type"]]
    return DUCK_TYPES[field["type"]]


def csv_relation(con, name):
    fields = RESOURCES[name]["schema"]["fields"]
    columns = ", ".join(f"'{f['name']}': '{duck_type(f)}'" for f in fields)
    return f"read_csv('{DATA / (name + '.csv')}', header=true, columns={{{columns}}}, quote='\"', escape='\"')"


def pq_relation(name):
    return f"read_parquet('{DATA / (name + '.parquet')}')"


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    for name in TABLES:
        c.execute(f"CREATE VIEW {name} AS SELECT * FROM {pq_relation(name)}")
        c.execute(f"CREATE VIEW {name}_csv AS SELECT * FROM {csv_relation(c, name)}")
    return c


def test_manifest_lists_every_table_with_row_counts(con):
    assert [t["name"] for t in MANIFEST["tables"]] == TABLES
    for t in MANIFEST["tables"]:
        (n,) = con.execute(f"SELECT count(*) FROM {t['name']}").fetchone()
        assert n == t["rows"], t["name"]
        assert {f["path"] for f in t["files"]} == {t["name"] + ".csv", t["name"] + ".parquet"}


@pytest.mark.parametrize("name", TABLES)
def test_csv_and_parquet_carry_the_same_rows(con, name):
    cols = [f for f in RESOURCES[name]["schema"]["fields"]]
    # An empty cell is null in CSV; Parquet keeps '' for an empty text.
    sel = ", ".join(
        f"coalesce({f['name']}, '') AS {f['name']}" if f["type"] == "string" else f["name"] for f in cols
    )
    a = con.execute(f"SELECT {sel} FROM {name}").fetchall()
    b = con.execute(f"SELECT {sel} FROM {name}_csv").fetchall()
    assert a == b, f"{name}: CSV and Parquet differ (same order expected)"


@pytest.mark.parametrize("name", TABLES)
def test_pandas_reads_both_formats(name):
    df = pd.read_parquet(DATA / f"{name}.parquet", engine="pyarrow")
    csv = pd.read_csv(DATA / f"{name}.csv", keep_default_na=False, na_values=[""], dtype=str)
    assert list(df.columns) == [f["name"] for f in RESOURCES[name]["schema"]["fields"]]
    assert list(csv.columns) == list(df.columns)
    assert len(df) == len(csv)


def test_parquet_logical_types_and_compression():
    import pyarrow as pa

    schema = pq.read_schema(DATA / "documents.parquet")
    assert schema.field("published_date").type == pa.date32()
    # Signed integers, which every engine reads the same (Spark, BigQuery, R, pandas).
    assert schema.field("n_tokens").type == pa.int64()
    assert schema.field("n_paragraphs").type == pa.int32()
    for name in TABLES:
        for field in pq.read_schema(DATA / f"{name}.parquet"):
            assert not pa.types.is_unsigned_integer(field.type), f"{name}.{field.name} is {field.type}"
    assert schema.field("title").type == pa.string()
    assert pq.read_schema(DATA / "comments.parquet").field("posted_at").type == pa.timestamp("us")
    for name in TABLES:
        meta = pq.ParquetFile(DATA / f"{name}.parquet").metadata
        for rg in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                assert meta.row_group(rg).column(c).compression == "ZSTD", name
        # Nothing of the run (time, host, paths) is embedded.
        kv = {k.decode(): v for k, v in (meta.metadata or {}).items()}
        assert set(kv) <= {"ARROW:schema"}, kv.keys()


def test_frictionless_validates_the_package():
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:20]


KEYS = [
    ("comments", "doc_id", "documents", "doc_id"),
    ("comments", "parent_id", "comments", "comment_id"),
    ("document_tags", "doc_id", "documents", "doc_id"),
    ("token_counts", "doc_id", "documents", "doc_id"),
    ("token_counts", "comment_id", "comments", "comment_id"),
    ("boilerplate", "doc_id", "documents", "doc_id"),
    ("edits", "doc_id", "documents", "doc_id"),
    ("edits", "comment_id", "comments", "comment_id"),
]


@pytest.mark.parametrize("child,col,parent,pcol", KEYS)
def test_foreign_keys_hold(con, child, col, parent, pcol):
    (orphans,) = con.execute(
        f"SELECT count(*) FROM {child} c WHERE c.{col} IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{pcol} = c.{col})"
    ).fetchone()
    assert orphans == 0


KEYED = [n for n in TABLES if RESOURCES[n]["schema"].get("primaryKey")]


def test_entity_tables_declare_primary_keys():
    assert {"documents", "comments", "token_counts", "vocabulary", "boilerplate", "document_tags"} <= set(KEYED)


@pytest.mark.parametrize("name", KEYED)
def test_primary_keys_are_unique(con, name):
    pk = RESOURCES[name]["schema"]["primaryKey"]
    cols = ", ".join(pk)
    (dups,) = con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {name} GROUP BY ALL HAVING count(*) > 1)").fetchone()
    assert dups == 0


def test_counts_add_up(con):
    bad = con.execute(
        """
        SELECT d.doc_id FROM documents d
        LEFT JOIN (SELECT doc_id, sum(count) AS n FROM token_counts WHERE comment_id IS NULL GROUP BY doc_id) t USING (doc_id)
        WHERE coalesce(t.n, 0) <> d.n_tokens
        UNION ALL
        SELECT c.comment_id FROM comments c
        LEFT JOIN (SELECT comment_id, sum(count) AS n FROM token_counts GROUP BY comment_id) t USING (comment_id)
        WHERE coalesce(t.n, 0) <> c.n_tokens
        UNION ALL
        SELECT d.doc_id FROM documents d
        WHERE d.n_comments <> (SELECT count(*) FROM comments c WHERE c.doc_id = d.doc_id)
        """
    ).fetchall()
    assert bad == []
    (diff,) = con.execute(
        """SELECT count(*) FROM vocabulary v FULL JOIN
           (SELECT term, sum(count) AS n, count(DISTINCT doc_id) AS docs, count(*) AS texts FROM token_counts GROUP BY term) t
           USING (term) WHERE v.n_occurrences IS DISTINCT FROM t.n OR v.n_documents IS DISTINCT FROM t.docs
           OR v.n_texts IS DISTINCT FROM t.texts"""
    ).fetchone()
    assert diff == 0


def readme_blocks(lang):
    text = (ROOT / "README.md").read_text()
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_readme_duckdb_queries_run(tmp_path):
    blocks = readme_blocks("sql")
    assert blocks, "README has no sql block"
    # Queries over the optional tokens table run on a --tokens run of the seeds.
    binary = ROOT / "target" / "release" / "hustings"
    tokens_dir = tmp_path / "data-tokens"
    subprocess.run([str(binary), "run", "-q", "--tokens", "--input", str(ROOT / "seeds"), "--output", str(tokens_dir)], check=True)
    c = duckdb.connect()
    cwd = os.getcwd()
    os.chdir(DATA.parent)
    try:
        for sql in blocks:
            sql = sql.replace("'data/", f"'{DATA.name}/").replace("'data-tokens/", f"'{tokens_dir}/")
            rows = c.execute(sql).fetchall()
            assert rows, sql
    finally:
        os.chdir(cwd)


def test_readme_pandas_snippet_runs():
    blocks = readme_blocks("python")
    assert blocks, "README has no python block"
    cwd = os.getcwd()
    os.chdir(DATA.parent)
    try:
        for code in blocks:
            scope = {}
            exec(code.replace('"data/', f'"{DATA.name}/'), scope)
    finally:
        os.chdir(cwd)
