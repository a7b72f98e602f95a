-- hustings: merge the first pass of N shards (DuckDB; runs unchanged in Spark SQL
-- or Trino with their Parquet readers in place of read_parquet).
-- A line is furniture when at least {repeat_min} distinct file contents hold it;
-- identical files count once even when they sit in different shards.
-- Placeholders: {parts} (folder of part-K-of-N/ folders), {out}, {repeat_min}.
COPY (
    SELECT line_key, CAST(count(DISTINCT content_sha256) AS INTEGER) AS n_documents
    FROM read_parquet('{parts}/part-*/line_keys.parquet')
    GROUP BY line_key
    HAVING count(DISTINCT content_sha256) >= greatest({repeat_min}, 1)
    ORDER BY line_key
) TO '{out}/repeated_lines.parquet' (FORMAT parquet, COMPRESSION zstd);
