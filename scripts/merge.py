#!/usr/bin/env python3
"""Run the shipped merge SQL (sql/*.sql) in DuckDB over shards' part folders.

  merge.py lines  --parts DIR --out DIR [--repeat-min 3]
      sql/merge_lines.sql: DIR/part-*/line_keys.parquet -> OUT/repeated_lines.parquet
  merge.py tables --parts DIR --out DIR [--bigram-min 2]
      sql/merge_tables.sql (+ merge_tokens.sql when the parts have tokens):
      DIR/part-*/ -> OUT/<table>.parquet, the tables one run writes

The SQL files are plain DuckDB SQL with {placeholders}; this script only
fills them in. Output appears atomically: it is written to a temporary
folder beside OUT and renamed into place.
"""

import argparse
import glob
import os
import pathlib
import shutil
import sys

import duckdb

SQL = pathlib.Path(__file__).resolve().parents[1] / "sql"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["lines", "tables"])
    ap.add_argument("--parts", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeat-min", type=int, default=3)
    ap.add_argument("--bigram-min", type=int, default=2)
    args = ap.parse_args()
    parts = pathlib.Path(args.parts).resolve()
    want = "line_keys.parquet" if args.step == "lines" else "documents.parquet"
    if not glob.glob(str(parts / "part-*" / want)):
        sys.exit(f"merge: no {parts}/part-*/{want}: run the shards first")
    out = pathlib.Path(args.out).resolve()
    if args.step == "lines":
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / f".repeated_lines.tmp-{os.getpid()}"
        tmp.mkdir()
        run(SQL / "merge_lines.sql", parts=parts, out=tmp, repeat_min=args.repeat_min)
        os.replace(tmp / "repeated_lines.parquet", out / "repeated_lines.parquet")
        tmp.rmdir()
        return
    tmp = out.parent / f".{out.name}.merge-tmp-{os.getpid()}"
    tmp.mkdir(parents=True)
    try:
        run(SQL / "merge_tables.sql", parts=parts, out=tmp, bigram_min=args.bigram_min)
        if glob.glob(str(parts / "part-*" / "tokens.parquet")):
            run(SQL / "merge_tokens.sql", parts=parts, out=tmp)
        # Never half-written: the old tables move aside, the new ones move in.
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def run(path, **values):
    sql = path.read_text()
    for k, v in values.items():
        sql = sql.replace("{" + k + "}", str(v))
    duckdb.connect().execute(sql)


if __name__ == "__main__":
    main()
