#!/usr/bin/env python3
"""Merge shards' part folders with the shipped SQL (sql/*.sql), in DuckDB or Spark SQL.

  merge.py lines  --parts DIR --out DIR [--repeat-min 3] [--engine duckdb|spark] [--memory-limit 1GB]
      sql/merge_lines.sql: DIR/part-*/line_keys.parquet -> OUT/repeated_lines.parquet
  merge.py tables --parts DIR --out DIR [--bigram-min 2] [--engine duckdb|spark] [--memory-limit 1GB]
      sql/merge_tables.sql (+ merge_tokens.sql when the parts have tokens):
      DIR/part-*/ -> OUT/<table>.parquet, the tables one run writes

The SQL is written once; scripts/hustings_merge.py runs it in either engine
(`--engine spark` uses the Spark session spark-submit gives, or a local
one). Output appears atomically: it is written beside OUT and renamed into
place. A failure is one line naming the SQL file, the statement and why.
"""

import argparse
import sys

import hustings_merge as hm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["lines", "tables"])
    ap.add_argument("--parts", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeat-min", type=int, default=3)
    ap.add_argument("--bigram-min", type=int, default=2)
    ap.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    ap.add_argument("--memory-limit", help="DuckDB's memory limit, e.g. 1GB (default 80%% of RAM; past it, it spills to disk)")
    args = ap.parse_args()
    if args.memory_limit and args.engine == "spark":
        ap.error("--memory-limit is DuckDB's; give Spark its memory with spark-submit --driver-memory")
    try:
        engine = hm.Spark(hm.spark_session()) if args.engine == "spark" else hm.DuckDB(memory_limit=args.memory_limit)
        if args.step == "lines":
            hm.merge_lines(engine, args.parts, args.out, args.repeat_min)
        else:
            hm.merge_tables(engine, args.parts, args.out, args.bigram_min)
    except hm.MergeError as e:
        sys.exit(f"merge: {e}")


if __name__ == "__main__":
    main()
