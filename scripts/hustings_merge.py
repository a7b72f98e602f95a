"""The shard merge, written once in portable SQL and run by DuckDB or Spark SQL.

The merge SQL in sql/merge_*.sql is a portable subset both engines mean the
same by; this module is the whole dialect layer. A file is a list of
statements ending in `;` (`--` comments allowed), and keeps three
conventions:

- `parts_<table>` names every shard's `<table>.parquet`
  (PARTS/part-*/<table>.parquet) read as one table. DuckDB: a view over
  `read_parquet(glob)`; Spark: `spark.read.parquet(glob)` as a temporary view.
- `CREATE TEMPORARY VIEW <name> AS <select>` is an intermediate result,
  computed once: DuckDB `CREATE TEMP TABLE`, Spark `CACHE TABLE <name> AS`.
- `CREATE TABLE <name> AS <select>` is an output, OUT/<name>.parquet, one
  file, zstd, rows in the select's order: DuckDB `COPY (<select>) TO`; Spark
  writes the DataFrame as one partition (which keeps the sort) and renames
  its one part file to <name>.parquet.

`{placeholders}` are integers filled in before the statements run. Anything
else is refused with the file and the statement's line.

    merge_lines(engine, parts, out, repeat_min)   -> OUT/repeated_lines.parquet
    merge_tables(engine, parts, out, bigram_min)  -> OUT/<table>.parquet, swapped in whole
"""

import glob
import os
import pathlib
import re
import shutil

SQL = pathlib.Path(__file__).resolve().parents[1] / "sql"

_VIEW = re.compile(r"CREATE\s+TEMPORARY\s+VIEW\s+([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+(.*)\Z", re.S | re.I)
_TABLE = re.compile(r"CREATE\s+TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+(.*)\Z", re.S | re.I)
_PARTS = re.compile(r"\bparts_([A-Za-z0-9_]+)\b")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class MergeError(Exception):
    """A merge that cannot run: a bad SQL file, missing parts, a failed write."""


class Statement:
    def __init__(self, kind, name, select, line):
        self.kind, self.name, self.select, self.line = kind, name, select, line

    def __repr__(self):
        return f"Statement({self.kind!r}, {self.name!r}, line {self.line})"


def split(text, origin="<sql>"):
    """The statements of `text`: `;`-terminated, comments dropped, quotes respected."""
    out, buf, line, start = [], [], 1, None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == "'":
            j = i + 1
            while True:
                j = text.find("'", j)
                if j < 0:
                    raise MergeError(f"{origin}:{line}: unterminated string")
                if text.startswith("''", j):
                    j += 2
                    continue
                break
            buf.append(text[i : j + 1])
            line += text.count("\n", i, j + 1)
            if start is None:
                start = line
            i = j + 1
            continue
        if ch == ";":
            stmt = " ".join("".join(buf).split())
            if stmt:
                out.append((stmt, start))
            buf, start = [], None
            i += 1
            continue
        if ch == "\n":
            line += 1
        elif start is None and not ch.isspace():
            start = line
        buf.append(ch)
        i += 1
    if "".join(buf).strip():
        raise MergeError(f"{origin}:{start}: statement without a closing ';'")
    return out


def parse(text, values, origin="<sql>"):
    """The typed statements of a merge SQL text, placeholders filled in."""

    def fill(m):
        key = m.group(1)
        if key not in values:
            raise MergeError(f"{origin}: no value for placeholder {{{key}}}")
        value = values[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise MergeError(f"{origin}: placeholder {{{key}}} must be an integer, not {value!r}")
        return str(value)

    statements = []
    for stmt, line in split(text, origin):
        stmt = _PLACEHOLDER.sub(fill, stmt)
        for kind, pattern in (("view", _VIEW), ("table", _TABLE)):
            m = pattern.match(stmt)
            if m:
                statements.append(Statement(kind, m.group(1), m.group(2), line))
                break
        else:
            head = " ".join(stmt.split()[:3])
            raise MergeError(
                f"{origin}:{line}: expected CREATE TEMPORARY VIEW or CREATE TABLE ... AS SELECT, found {head!r}"
            )
    return statements


def inputs(statements):
    """The part tables the statements read, in first-use order."""
    seen = []
    for s in statements:
        for name in _PARTS.findall(s.select):
            if name not in seen:
                seen.append(name)
    return seen


def run_file(engine, path, parts, out, values):
    """Run one merge SQL file: register its part tables, then each statement in order."""
    path = pathlib.Path(path)
    statements = parse(path.read_text(), values, origin=str(path))
    for name in inputs(statements):
        pattern = str(pathlib.Path(parts) / "part-*" / f"{name}.parquet")
        files = sorted(glob.glob(pattern))
        if not files:
            raise MergeError(f"{path.name}: no {pattern}: run the shards first")
        engine.register(f"parts_{name}", files)
    for s in statements:
        try:
            if s.kind == "view":
                engine.view(s.name, s.select)
            else:
                engine.write(s.select, pathlib.Path(out) / f"{s.name}.parquet")
        except MergeError:
            raise
        except Exception as e:  # the engine's own error, given its place
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise MergeError(f"{path}:{s.line}: {s.kind} {s.name}: {first}") from e
    return [s.name for s in statements if s.kind == "table"]


def merge_lines(engine, parts, out, repeat_min=3):
    """sql/merge_lines.sql: OUT/repeated_lines.parquet, replaced atomically."""
    out = pathlib.Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".repeated_lines.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        run_file(engine, SQL / "merge_lines.sql", pathlib.Path(parts).resolve(), tmp, {"repeat_min": repeat_min})
        os.replace(tmp / "repeated_lines.parquet", out / "repeated_lines.parquet")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def merge_tables(engine, parts, out, bigram_min=2):
    """sql/merge_tables.sql (+ merge_tokens.sql when the shards wrote tokens): OUT/<table>.parquet.

    Never half-written: the tables are written to a folder beside OUT, then
    the old OUT moves aside and the new one moves in."""
    parts = pathlib.Path(parts).resolve()
    if not glob.glob(str(parts / "part-*" / "documents.parquet")):
        raise MergeError(f"no {parts}/part-*/documents.parquet: run the shards first")
    out = pathlib.Path(out).resolve()
    tmp = out.parent / f".{out.name}.merge-tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        run_file(engine, SQL / "merge_tables.sql", parts, tmp, {"bigram_min": bigram_min})
        if glob.glob(str(parts / "part-*" / "tokens.parquet")):
            run_file(engine, SQL / "merge_tokens.sql", parts, tmp, {})
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def _quote(path):
    return "'" + str(path).replace("'", "''") + "'"


class DuckDB:
    """The merge in one DuckDB process (in memory, spilling as DuckDB does)."""

    name = "duckdb"

    def __init__(self, connection=None, memory_limit=None):
        import duckdb

        self.con = connection or duckdb.connect()
        if memory_limit:
            # Past it DuckDB spills to its temporary folder; default: 80% of RAM.
            try:
                self.con.execute(f"SET memory_limit = {_quote(memory_limit)}")
            except duckdb.Error as e:
                raise MergeError(f"--memory-limit {memory_limit!r}: {str(e).splitlines()[0]}") from e

    def register(self, name, files):
        listed = ", ".join(_quote(f) for f in files)
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet([{listed}])")

    def view(self, name, select):
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")

    def write(self, select, path):
        self.con.execute(f"COPY ({select}) TO {_quote(path)} (FORMAT parquet, COMPRESSION zstd)")


class Spark:
    """The merge in Spark SQL. Paths are read and written through `file://`:
    the parts and the output live on a filesystem the driver and every
    executor mount at the same path (as the shards' own output does)."""

    name = "spark"

    def __init__(self, session):
        self.spark = session

    @staticmethod
    def uri(path):
        # Not Path.as_uri(): Hadoop does not undo percent-encoding.
        return "file://" + os.path.abspath(path)

    def register(self, name, files):
        self.spark.read.parquet(*(self.uri(f) for f in files)).createOrReplaceTempView(name)

    def view(self, name, select):
        self.spark.sql(f"UNCACHE TABLE IF EXISTS {name}")
        self.spark.sql(f"CACHE TABLE {name} AS {select}")

    def write(self, select, path):
        path = pathlib.Path(path)
        folder = path.parent / f".{path.stem}.spark-{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        # One partition keeps a global ORDER BY's order: the sorted ranges are
        # concatenated in partition order, never shuffled.
        frame = self.spark.sql(select).coalesce(1)
        frame.write.option("compression", "zstd").parquet(self.uri(folder))
        files = sorted(glob.glob(str(folder / "part-*.parquet")))
        if len(files) != 1:
            raise MergeError(f"{path.name}: Spark wrote {len(files)} part files into {folder}, expected one")
        os.replace(files[0], path)
        shutil.rmtree(folder)


def spark_session(app="hustings-merge", master=None):
    """A Spark session set for the merge: UTC, zstd Parquet, micros timestamps."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    for key, value in {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.compression.codec": "zstd",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
        "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
        "spark.sql.ansi.enabled": "true",
        "spark.ui.showConsoleProgress": "false",
        # PySpark's Python workers warn that pandas 3 is untested; the merge
        # and the shard tasks use no pandas.
        "spark.executorEnv.PYTHONWARNINGS": "ignore::FutureWarning",
    }.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
