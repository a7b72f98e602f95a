-- hustings: merge the shards' tokens tables (runs with --tokens only).
-- Placeholders: {parts}, {out}.
COPY (SELECT t.* FROM read_parquet('{parts}/part-*/tokens.parquet') AS t
      JOIN (SELECT doc_id, source_path, source_record FROM read_parquet('{parts}/part-*/documents.parquet')) AS o USING (doc_id)
      LEFT JOIN (SELECT comment_id, position FROM read_parquet('{parts}/part-*/comments.parquet')) AS c ON c.comment_id = t.comment_id
      ORDER BY o.source_path, o.source_record, c.position NULLS FIRST, t.index)
TO '{out}/tokens.parquet' (FORMAT parquet, COMPRESSION zstd);
