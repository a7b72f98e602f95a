-- hustings: merge the first pass of N shards into the repeated lines.
-- Portable SQL, run unchanged by DuckDB and Spark SQL through
-- scripts/hustings_merge.py (see its docstring for the three conventions:
-- parts_<table> reads every shard's <table>.parquet, CREATE TEMPORARY VIEW
-- is a step, CREATE TABLE <name> AS writes <name>.parquet).
-- A line is furniture when at least {repeat_min} distinct file contents hold
-- it; identical files count once even when they sit in different shards.
CREATE TABLE repeated_lines AS
SELECT line_key, CAST(count(DISTINCT content_sha256) AS INTEGER) AS n_documents
FROM parts_line_keys
GROUP BY line_key
HAVING count(DISTINCT content_sha256) >= greatest({repeat_min}, 1)
ORDER BY line_key;
