-- hustings: merge N shards' part folders into the tables one run would write
-- (DuckDB; tested with DuckDB only, see README "Beyond one machine").
-- Per-document tables are unions in document order; the corpus-wide tables
-- are computed from the shards' partial sums with the formulas of the README.
-- Placeholders: {parts} (folder of part-K-of-N/ folders), {out}, {bigram_min}.

CREATE TEMP VIEW documents AS SELECT * FROM read_parquet('{parts}/part-*/documents.parquet');
CREATE TEMP VIEW comments AS SELECT * FROM read_parquet('{parts}/part-*/comments.parquet');
CREATE TEMP VIEW doc_order AS SELECT doc_id, source_path, source_record FROM documents;

COPY (SELECT * FROM documents ORDER BY source_path, source_record)
TO '{out}/documents.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (SELECT c.* FROM comments AS c JOIN doc_order AS o USING (doc_id) ORDER BY o.source_path, o.source_record, c.position)
TO '{out}/comments.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (SELECT t.* FROM read_parquet('{parts}/part-*/document_tags.parquet') AS t JOIN doc_order AS o USING (doc_id)
      ORDER BY o.source_path, o.source_record, t.position)
TO '{out}/document_tags.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (SELECT t.* FROM read_parquet('{parts}/part-*/token_counts.parquet') AS t
      JOIN doc_order AS o USING (doc_id)
      LEFT JOIN comments AS c ON c.comment_id = t.comment_id
      ORDER BY o.source_path, o.source_record, c.position NULLS FIRST, t.term)
TO '{out}/token_counts.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (SELECT b.* FROM read_parquet('{parts}/part-*/boilerplate.parquet') AS b JOIN doc_order AS o USING (doc_id)
      ORDER BY o.source_path, o.source_record, b.byte_start)
TO '{out}/boilerplate.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (SELECT e.* FROM read_parquet('{parts}/part-*/edits.parquet') AS e JOIN doc_order AS o USING (doc_id)
      ORDER BY o.source_path, o.source_record, e.byte_start, e.byte_end, e.kind)
TO '{out}/edits.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (SELECT * FROM read_parquet('{parts}/part-*/errors.parquet') ORDER BY source_path, source_record, kind, message)
TO '{out}/errors.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Corpus totals: texts are bodies and comments; tokens are counted tokens.
CREATE TEMP TABLE totals AS SELECT
    (SELECT count(*) FROM documents) + (SELECT count(*) FROM comments) AS n_texts,
    (SELECT coalesce(sum(n_tokens), 0) FROM documents) AS body_tokens,
    (SELECT coalesce(sum(n_tokens), 0) FROM comments) AS comment_tokens;

CREATE TEMP TABLE vocab AS
SELECT term,
       min(class) AS class,
       bool_or(is_stopword) AS is_stopword,
       CAST(sum(n_body) AS BIGINT) AS n_body,
       CAST(sum(n_comment) AS BIGINT) AS n_comment,
       CAST(sum(n_documents) AS BIGINT) AS n_documents,
       CAST(sum(n_texts) AS BIGINT) AS n_texts
FROM read_parquet('{parts}/part-*/vocabulary_part.parquet')
GROUP BY term;

-- The stem is the word's stem in the language most of its texts are in
-- (ties: the first code); no stem where that language has no stemmer.
CREATE TEMP TABLE stems AS
SELECT term, language, stem FROM (
    SELECT term, language, any_value(stem) AS stem,
           row_number() OVER (PARTITION BY term ORDER BY sum(n_texts) DESC, language) AS rank
    FROM read_parquet('{parts}/part-*/term_languages_part.parquet')
    GROUP BY term, language
) WHERE rank = 1;

COPY (
    SELECT v.term, v.class,
           coalesce(s.stem, v.term) AS stem,
           CASE WHEN s.stem IS NULL THEN NULL ELSE s.language END AS stem_language,
           v.is_stopword,
           CAST(v.n_body + v.n_comment AS BIGINT) AS n_occurrences,
           v.n_body, v.n_comment, v.n_documents, v.n_texts,
           ln(t.n_texts / v.n_texts) AS idf
    FROM vocab AS v
    LEFT JOIN stems AS s ON s.term = v.term AND v.class = 'word'
    CROSS JOIN totals AS t
    ORDER BY v.term
) TO '{out}/vocabulary.parquet' (FORMAT parquet, COMPRESSION zstd);

-- PMI = log2(f(xy)·N / (f(x)·f(y))); logDice = 14 + log2(2·f(xy) / (f(x) + f(y))).
COPY (
    SELECT b.term1, b.term2, b.n_occurrences, b.n_documents,
           log2(CAST(b.n_occurrences AS DOUBLE) * CAST(t.body_tokens + t.comment_tokens AS DOUBLE)
                / (CAST(x.n_body + x.n_comment AS DOUBLE) * CAST(y.n_body + y.n_comment AS DOUBLE))) AS pmi,
           14.0 + log2(2.0 * CAST(b.n_occurrences AS DOUBLE)
                / (CAST(x.n_body + x.n_comment AS DOUBLE) + CAST(y.n_body + y.n_comment AS DOUBLE))) AS log_dice
    FROM (
        SELECT term1, term2, CAST(sum(n_occurrences) AS BIGINT) AS n_occurrences, CAST(sum(n_documents) AS BIGINT) AS n_documents
        FROM read_parquet('{parts}/part-*/bigrams_part.parquet')
        GROUP BY term1, term2
        HAVING sum(n_occurrences) >= greatest({bigram_min}, 1)
    ) AS b
    JOIN vocab AS x ON x.term = b.term1
    JOIN vocab AS y ON y.term = b.term2
    CROSS JOIN totals AS t
    ORDER BY b.term1, b.term2
) TO '{out}/bigrams.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Keyness, bodies (a of c tokens) against comments (b of d): Dunning's G²
-- and Hardie's log ratio (a zero count taken as 0.5 in the ratio only).
COPY (
    SELECT term, class, n_body, n_comment, total_body, total_comment,
           CASE WHEN c > 0 AND d > 0 THEN
               2.0 * ((CASE WHEN a > 0 THEN a * ln(a / (c * (a + b) / (c + d))) ELSE 0.0 END)
                    + (CASE WHEN b > 0 THEN b * ln(b / (d * (a + b) / (c + d))) ELSE 0.0 END))
           ELSE 0.0 END AS log_likelihood,
           CASE WHEN c > 0 AND d > 0 THEN log2((greatest(a, 0.5) / c) / (greatest(b, 0.5) / d)) END AS log_ratio,
           CASE WHEN c = 0 OR d = 0 THEN NULL
                WHEN CAST(n_body AS DECIMAL(38,0)) * total_comment > CAST(n_comment AS DECIMAL(38,0)) * total_body THEN 'body'
                WHEN CAST(n_body AS DECIMAL(38,0)) * total_comment < CAST(n_comment AS DECIMAL(38,0)) * total_body THEN 'comment'
           END AS key_for
    FROM (
        SELECT v.term, v.class, v.n_body, v.n_comment,
               CAST(t.body_tokens AS BIGINT) AS total_body, CAST(t.comment_tokens AS BIGINT) AS total_comment,
               CAST(v.n_body AS DOUBLE) AS a, CAST(v.n_comment AS DOUBLE) AS b,
               CAST(t.body_tokens AS DOUBLE) AS c, CAST(t.comment_tokens AS DOUBLE) AS d
        FROM vocab AS v CROSS JOIN totals AS t
    )
    ORDER BY log_likelihood DESC, term
) TO '{out}/keyness.parquet' (FORMAT parquet, COMPRESSION zstd);
