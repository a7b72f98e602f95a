-- hustings: merge N shards' part folders into the tables one run writes.
-- Portable SQL, run unchanged by DuckDB and Spark SQL through
-- scripts/hustings_merge.py, whose docstring gives the three conventions:
-- parts_<table> reads every shard's <table>.parquet; CREATE TEMPORARY VIEW
-- is an intermediate step; CREATE TABLE <name> AS writes <name>.parquet.
-- Kept to what both engines mean the same by: explicit ON joins (USING
-- reorders columns in Spark), NULLS FIRST/LAST spelt out (the engines'
-- defaults differ), every sum cast to its column's type, aliased subqueries.
-- Per-document tables are unions in document order; the corpus-wide tables
-- are computed from the shards' partial sums with the formulas of the README.
-- Placeholder: {bigram_min}.

CREATE TEMPORARY VIEW doc_order AS
SELECT doc_id, source_path, source_record FROM parts_documents;

CREATE TABLE documents AS
SELECT * FROM parts_documents
ORDER BY source_path, source_record NULLS LAST;

CREATE TABLE comments AS
SELECT c.* FROM parts_comments AS c JOIN doc_order AS o ON o.doc_id = c.doc_id
ORDER BY o.source_path, o.source_record NULLS LAST, c.position;

CREATE TABLE document_tags AS
SELECT t.* FROM parts_document_tags AS t JOIN doc_order AS o ON o.doc_id = t.doc_id
ORDER BY o.source_path, o.source_record NULLS LAST, t.position;

CREATE TABLE token_counts AS
SELECT t.* FROM parts_token_counts AS t
JOIN doc_order AS o ON o.doc_id = t.doc_id
LEFT JOIN parts_comments AS c ON c.comment_id = t.comment_id
ORDER BY o.source_path, o.source_record NULLS LAST, c.position NULLS FIRST, t.term;

CREATE TABLE boilerplate AS
SELECT b.* FROM parts_boilerplate AS b JOIN doc_order AS o ON o.doc_id = b.doc_id
ORDER BY o.source_path, o.source_record NULLS LAST, b.byte_start;

CREATE TABLE edits AS
SELECT e.* FROM parts_edits AS e JOIN doc_order AS o ON o.doc_id = e.doc_id
ORDER BY o.source_path, o.source_record NULLS LAST, e.byte_start, e.byte_end, e.kind;

CREATE TABLE errors AS
SELECT * FROM parts_errors
ORDER BY source_path, source_record NULLS LAST, kind, message;

-- Corpus totals: texts are bodies and comments; tokens are counted tokens.
CREATE TEMPORARY VIEW totals AS
SELECT CAST(d.n + c.n AS BIGINT) AS n_texts,
       CAST(d.tokens AS BIGINT) AS body_tokens,
       CAST(c.tokens AS BIGINT) AS comment_tokens
FROM (SELECT count(*) AS n, coalesce(sum(n_tokens), 0) AS tokens FROM parts_documents) AS d
CROSS JOIN (SELECT count(*) AS n, coalesce(sum(n_tokens), 0) AS tokens FROM parts_comments) AS c;

CREATE TEMPORARY VIEW vocab AS
SELECT term,
       min(class) AS class,
       bool_or(is_stopword) AS is_stopword,
       CAST(sum(n_body) AS BIGINT) AS n_body,
       CAST(sum(n_comment) AS BIGINT) AS n_comment,
       CAST(sum(n_documents) AS BIGINT) AS n_documents,
       CAST(sum(n_texts) AS BIGINT) AS n_texts
FROM parts_vocabulary_part
GROUP BY term;

-- The stem is the word's stem in the language most of its texts are in
-- (ties: the first code); no stem where that language has no stemmer.
CREATE TEMPORARY VIEW stems AS
SELECT term, language, stem FROM (
    SELECT term, language, stem,
           row_number() OVER (PARTITION BY term ORDER BY n_texts DESC, language) AS pick
    FROM (
        SELECT term, language, min(stem) AS stem, sum(n_texts) AS n_texts
        FROM parts_term_languages_part
        GROUP BY term, language
    ) AS by_language
) AS ranked
WHERE pick = 1;

CREATE TABLE vocabulary AS
SELECT v.term, v.class,
       coalesce(s.stem, v.term) AS stem,
       CASE WHEN s.stem IS NULL THEN NULL ELSE s.language END AS stem_language,
       v.is_stopword,
       CAST(v.n_body + v.n_comment AS BIGINT) AS n_occurrences,
       v.n_body, v.n_comment, v.n_documents, v.n_texts,
       ln(CAST(t.n_texts AS DOUBLE) / CAST(v.n_texts AS DOUBLE)) AS idf
FROM vocab AS v
LEFT JOIN stems AS s ON s.term = v.term AND v.class = 'word'
CROSS JOIN totals AS t
ORDER BY v.term;

-- PMI = log2(f(xy)·N / (f(x)·f(y))); logDice = 14 + log2(2·f(xy) / (f(x) + f(y))).
CREATE TABLE bigrams AS
SELECT b.term1, b.term2, b.n_occurrences, b.n_documents,
       log2(CAST(b.n_occurrences AS DOUBLE) * CAST(t.body_tokens + t.comment_tokens AS DOUBLE)
            / (CAST(x.n_body + x.n_comment AS DOUBLE) * CAST(y.n_body + y.n_comment AS DOUBLE))) AS pmi,
       14.0 + log2(2.0 * CAST(b.n_occurrences AS DOUBLE)
            / (CAST(x.n_body + x.n_comment AS DOUBLE) + CAST(y.n_body + y.n_comment AS DOUBLE))) AS log_dice
FROM (
    SELECT term1, term2, CAST(sum(n_occurrences) AS BIGINT) AS n_occurrences, CAST(sum(n_documents) AS BIGINT) AS n_documents
    FROM parts_bigrams_part
    GROUP BY term1, term2
    HAVING sum(n_occurrences) >= greatest({bigram_min}, 1)
) AS b
JOIN vocab AS x ON x.term = b.term1
JOIN vocab AS y ON y.term = b.term2
CROSS JOIN totals AS t
ORDER BY b.term1, b.term2;

-- Keyness, bodies (a of c tokens) against comments (b of d): Dunning's G²
-- and Hardie's log ratio (a zero count taken as 0.5 in the ratio only).
CREATE TABLE keyness AS
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
           t.body_tokens AS total_body, t.comment_tokens AS total_comment,
           CAST(v.n_body AS DOUBLE) AS a, CAST(v.n_comment AS DOUBLE) AS b,
           CAST(t.body_tokens AS DOUBLE) AS c, CAST(t.comment_tokens AS DOUBLE) AS d
    FROM vocab AS v CROSS JOIN totals AS t
) AS k
ORDER BY log_likelihood DESC, term;
