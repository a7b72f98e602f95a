-- hustings: merge the shards' tokens tables (runs with --tokens only).
-- Portable SQL for DuckDB and Spark SQL; conventions in scripts/hustings_merge.py.
CREATE TABLE tokens AS
SELECT t.*
FROM parts_tokens AS t
JOIN parts_documents AS o ON o.doc_id = t.doc_id
LEFT JOIN parts_comments AS c ON c.comment_id = t.comment_id
ORDER BY o.source_path, o.source_record NULLS LAST, c.position NULLS FIRST, t.index;
