//! The tables: names, columns, types, descriptions and keys, declared once.
//! Arrow schemas, the Frictionless descriptor and the README's data
//! dictionary are all generated from these declarations.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, TimeUnit};

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// UTF-8 text.
    Text,
    /// A count or position, never negative, written as a signed 32-bit
    /// integer (INT32: every engine reads it the same).
    U32,
    /// A count or offset, never negative, written as a signed 64-bit integer (INT64).
    U64,
    /// A 64-bit hash, written as a signed 64-bit integer (the unsigned
    /// hash's two's complement bits).
    Hash,
    /// Calendar date.
    Date,
    /// Date and time without time zone, microseconds.
    Timestamp,
    /// 64-bit float.
    F64,
    /// true/false.
    Bool,
}

impl Type {
    fn arrow(self) -> DataType {
        match self {
            Type::Text => DataType::Utf8,
            Type::U32 => DataType::Int32,
            Type::U64 | Type::Hash => DataType::Int64,
            Type::Date => DataType::Date32,
            Type::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
            Type::F64 => DataType::Float64,
            Type::Bool => DataType::Boolean,
        }
    }

    /// Frictionless Table Schema type name.
    pub fn frictionless(self) -> &'static str {
        match self {
            Type::Text => "string",
            Type::U32 | Type::U64 | Type::Hash => "integer",
            Type::Date => "date",
            Type::Timestamp => "datetime",
            Type::F64 => "number",
            Type::Bool => "boolean",
        }
    }
}

/// One column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// snake_case name.
    pub name: &'static str,
    /// Type.
    pub ty: Type,
    /// Whether it may be null.
    pub nullable: bool,
    /// What it holds.
    pub description: &'static str,
}

/// A foreign key: `columns` reference `table`'s `references`.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    /// Columns of this table.
    pub columns: &'static [&'static str],
    /// Referenced table.
    pub table: &'static str,
    /// Referenced columns.
    pub references: &'static [&'static str],
}

/// One table.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// File stem and resource name.
    pub name: &'static str,
    /// What a row is.
    pub description: &'static str,
    /// Row order, in words.
    pub order: &'static str,
    /// Columns in order.
    pub columns: &'static [Column],
    /// Primary key.
    pub primary_key: &'static [&'static str],
    /// Foreign keys.
    pub foreign_keys: &'static [ForeignKey],
    /// Parquet row-group size in rows.
    pub row_group_rows: usize,
}

impl TableSpec {
    /// Arrow schema of the table.
    pub fn arrow_schema(&self) -> Arc<Schema> {
        Arc::new(Schema::new(self.columns.iter().map(|c| Field::new(c.name, c.ty.arrow(), c.nullable)).collect::<Vec<_>>()))
    }
}

const fn col(name: &'static str, ty: Type, description: &'static str) -> Column {
    Column { name, ty, nullable: false, description }
}
const fn opt(name: &'static str, ty: Type, description: &'static str) -> Column {
    Column { name, ty, nullable: true, description }
}
const SENTENCES: &str = "Sentences with at least one counted token: UAX #29 sentence boundaries, not broken after abbreviations such as Mr., Dr., St., No. 10, e.g. or initials.";
const MEAN_SENTENCE: &str = "n_tokens / n_sentences; null without sentences.";
const TTR: &str = "Type/token ratio, n_types / n_tokens; null without tokens.";
const MATTR: &str =
    "Moving-average type/token ratio (Covington & McFall 2010), window 50 tokens; the plain ratio for shorter texts; null without tokens.";
const FLESCH: &str = "Flesch reading ease, 206.835 − 1.015·(words/sentences) − 84.6·(syllables/words), over tokens of class word (syllables by vowel groups, see README); English texts only, else null.";
const TERM: &str =
    "The counted form: NFKC-normalised, fully case-folded (Unicode default case folding), typographic apostrophes folded to '.";
const DOC_FK: ForeignKey = ForeignKey { columns: &["doc_id"], table: "documents", references: &["doc_id"] };
const COMMENT_FK: ForeignKey = ForeignKey { columns: &["comment_id"], table: "comments", references: &["comment_id"] };

/// `documents`: one row per page read.
pub const DOCUMENTS: TableSpec = TableSpec {
    name: "documents",
    description: "One row per input page that could be read: its metadata, cleaned article text and counts.",
    order: "source_path, then (for files of many pages) file order: archive members and records as the file holds them",
    columns: &[
        col(
            "doc_id",
            Type::Text,
            "Stable id: 16 hex digits of SHA-256 over the source path, a NUL byte and source_sha256; for a page inside a file of many, over the source path, a NUL byte, source_record, a NUL byte and source_sha256.",
        ),
        col(
            "source_path",
            Type::Text,
            "Path of the input file relative to the input folder, '/'-separated; a backslash in a name is written `\\\\` and a byte that is not UTF-8 `\\xHH`, so the raw name can be recovered.",
        ),
        opt(
            "source_record",
            Type::Text,
            "Where in the file the page is, for files of many pages: the archive member's path (escaped as source_path), the record (`line=N` of JSON lines, `row=N` of CSV or Parquet, counted from 1 after the header; `record=<WARC-Record-ID>` of WET), or both as `member#record`; null for a file that is one page.",
        ),
        opt(
            "url",
            Type::Text,
            "The page's address, from its record (JSON lines, CSV or Parquet field, WET WARC-Target-URI); null for bare files.",
        ),
        opt("site", Type::Text, "Site name where the page states one (banner, header line, footer); else the host of url, without `www.`."),
        opt("title", Type::Text, "Headline."),
        opt("standfirst", Type::Text, "Sub-headline under the title, where the page has one."),
        opt("author", Type::Text, "Author named by a byline or author box."),
        opt("published_date", Type::Date, "Publication date: the record's date field where it gives one, else the date the page gives."),
        opt(
            "fetched_at",
            Type::Timestamp,
            "When the page was fetched, from its record (WET WARC-Date, a fetch-time field such as Dolma's `created`), in UTC as written; null when not given.",
        ),
        opt("language", Type::Text, "ISO 639-1 code of the body's language (whatlang), null when unsure."),
        col("body_text", Type::Text, "Cleaned article text; paragraphs separated by a blank line, list items one per line starting '• '."),
        col("n_paragraphs", Type::U32, "Paragraphs in body_text (a list counts as one)."),
        col("n_comments", Type::U32, "Rows of this document in comments."),
        col("n_tokens", Type::U64, "Tokens in body_text (every class but punctuation)."),
        col("n_types", Type::U64, "Distinct terms in body_text."),
        col("n_sentences", Type::U64, SENTENCES),
        opt("mean_sentence_length", Type::F64, MEAN_SENTENCE),
        opt("type_token_ratio", Type::F64, TTR),
        opt("mattr", Type::F64, MATTR),
        opt("flesch_reading_ease", Type::F64, FLESCH),
        col("n_boilerplate", Type::U32, "Rows of this document in boilerplate."),
        col("n_edits", Type::U32, "Rows of this document in edits."),
        col("encoding", Type::Text, "Encoding the file was decoded from."),
        col("source_bytes", Type::U64, "Size of the input file in bytes (of the page's own bytes for a page inside a file of many)."),
        col(
            "source_sha256",
            Type::Text,
            "SHA-256 of the input file (of the page's own bytes for a page inside a file of many), lower-case hex.",
        ),
        opt(
            "from_record",
            Type::Text,
            "The columns filled from the page's record rather than read from its text (url, title, published_date, fetched_at), ','-separated; null when none.",
        ),
        opt("warnings", Type::Text, "What the parser was unsure of, '; '-separated; null when nothing."),
    ],
    primary_key: &["doc_id"],
    foreign_keys: &[],
    row_group_rows: 4096,
};

/// `comments`: one row per reader comment.
pub const COMMENTS: TableSpec = TableSpec {
    name: "comments",
    description: "One row per reader comment, in page order.",
    order: "document order, then position",
    columns: &[
        col("comment_id", Type::Text, "Stable id: '<doc_id>-c<position>'."),
        col("doc_id", Type::Text, "The page the comment is on."),
        col("position", Type::U32, "1-based position in page order."),
        opt("parent_id", Type::Text, "comment_id of the comment this one replies to; null when not a reply."),
        col("depth", Type::U32, "0 for a top-level comment, 1 for a reply, 2 for a reply to a reply…"),
        opt("author", Type::Text, "Commenter's name as shown; null when the page shows none."),
        opt("posted_at", Type::Timestamp, "When it was posted, as printed (no time zone); null when not shown."),
        opt("language", Type::Text, "ISO 639-1 code of the comment's language, null when unsure."),
        col("text", Type::Text, "Cleaned comment text; paragraphs separated by a blank line."),
        col("n_paragraphs", Type::U32, "Paragraphs in text."),
        col("n_tokens", Type::U64, "Tokens in text (every class but punctuation)."),
        col("n_types", Type::U64, "Distinct terms in text."),
        col("n_sentences", Type::U64, SENTENCES),
        opt("mean_sentence_length", Type::F64, MEAN_SENTENCE),
        opt("type_token_ratio", Type::F64, TTR),
        opt("mattr", Type::F64, MATTR),
        opt("flesch_reading_ease", Type::F64, FLESCH),
    ],
    primary_key: &["comment_id"],
    foreign_keys: &[DOC_FK, ForeignKey { columns: &["parent_id"], table: "comments", references: &["comment_id"] }],
    row_group_rows: 16384,
};

/// `document_tags`: tags and categories.
pub const DOCUMENT_TAGS: TableSpec = TableSpec {
    name: "document_tags",
    description: "One row per tag or category a page lists.",
    order: "document order, then position",
    columns: &[
        col("doc_id", Type::Text, "The page."),
        col("position", Type::U32, "1-based position among the page's tags."),
        col("tag", Type::Text, "The tag as written (cleaned)."),
    ],
    primary_key: &["doc_id", "position"],
    foreign_keys: &[DOC_FK],
    row_group_rows: 65536,
};

/// `token_counts`: term counts per text.
pub const TOKEN_COUNTS: TableSpec = TableSpec {
    name: "token_counts",
    description: "One row per distinct term per text, a text being an article body or one comment.",
    order: "document order, body before comments, comments by position, then term",
    columns: &[
        col("text_id", Type::Text, "doc_id for the article body, comment_id for a comment."),
        col("doc_id", Type::Text, "The page."),
        opt("comment_id", Type::Text, "The comment; null for the article body."),
        col("term", Type::Text, TERM),
        col("class", Type::Text, "word, number, url, email, mention, hashtag or emoji (punctuation is not counted)."),
        col("count", Type::U64, "Occurrences of the term in the text."),
    ],
    primary_key: &["text_id", "term"],
    foreign_keys: &[DOC_FK, COMMENT_FK],
    row_group_rows: 131072,
};

/// `vocabulary`: corpus-wide term statistics.
pub const VOCABULARY: TableSpec = TableSpec {
    name: "vocabulary",
    description: "One row per distinct term in the corpus.",
    order: "term",
    columns: &[
        col("term", Type::Text, "The term, as in token_counts."),
        col("class", Type::Text, "Token class; a term seen with several classes gets the alphabetically first."),
        col("stem", Type::Text, "Snowball stem (rust-stemmers) in stem_language; the term itself where no stemmer applies."),
        opt(
            "stem_language",
            Type::Text,
            "ISO 639-1 code of the stemmer: the language most texts containing the word are in (ties: the first code); null for non-words, for words only in texts of undetected language, and for languages without a Snowball stemmer.",
        ),
        col("is_stopword", Type::Bool, "On the bundled Snowball English stopword list (crates/tokenize/data/stopwords-en.txt)."),
        col("n_occurrences", Type::U64, "Occurrences over all texts (n_body + n_comment)."),
        col("n_body", Type::U64, "Occurrences in article bodies."),
        col("n_comment", Type::U64, "Occurrences in comments."),
        col("n_documents", Type::U64, "Documents whose body or comments contain the term."),
        col("n_texts", Type::U64, "Texts (bodies and comments) containing the term."),
        col("idf", Type::F64, "ln(texts in the corpus / n_texts); the corpus's texts are every document's body and every comment."),
    ],
    primary_key: &["term"],
    foreign_keys: &[],
    row_group_rows: 131072,
};

const TERM1_FK: ForeignKey = ForeignKey { columns: &["term1"], table: "vocabulary", references: &["term"] };
const TERM2_FK: ForeignKey = ForeignKey { columns: &["term2"], table: "vocabulary", references: &["term"] };
const TERM_FK: ForeignKey = ForeignKey { columns: &["term"], table: "vocabulary", references: &["term"] };

/// `bigrams`: adjacent term pairs and their association scores.
pub const BIGRAMS: TableSpec = TableSpec {
    name: "bigrams",
    description: "One row per pair of terms adjacent within a sentence, seen at least --bigram-min times (default 2) in the corpus. Adjacent means consecutive once punctuation is set aside, as quanteda's tokens_remove then tokens_ngrams do; f(x) below is vocabulary.n_occurrences and N the number of counted tokens in the corpus.",
    order: "term1, term2",
    columns: &[
        col("term1", Type::Text, "First term."),
        col("term2", Type::Text, "Second term."),
        col("n_occurrences", Type::U64, "f(xy): occurrences of the pair over all texts."),
        col("n_documents", Type::U64, "Documents where the pair occurs."),
        col("pmi", Type::F64, "Pointwise mutual information, log2(f(xy)·N / (f(x)·f(y)))."),
        col("log_dice", Type::F64, "logDice (Rychlý 2008), 14 + log2(2·f(xy) / (f(x) + f(y)))."),
    ],
    primary_key: &["term1", "term2"],
    foreign_keys: &[TERM1_FK, TERM2_FK],
    row_group_rows: 131072,
};

/// `keyness`: article bodies against comments.
pub const KEYNESS: TableSpec = TableSpec {
    name: "keyness",
    description: "One row per term: how much more often it is used in article bodies than in comments, or the reverse. a = n_body, b = n_comment, c = total_body, d = total_comment.",
    order: "log_likelihood descending, then term",
    columns: &[
        col("term", Type::Text, "The term, as in vocabulary."),
        col("class", Type::Text, "Token class."),
        col("n_body", Type::U64, "a: occurrences in article bodies."),
        col("n_comment", Type::U64, "b: occurrences in comments."),
        col("total_body", Type::U64, "c: counted tokens in all article bodies."),
        col("total_comment", Type::U64, "d: counted tokens in all comments."),
        col(
            "log_likelihood",
            Type::F64,
            "Dunning's G² = 2(a·ln(a/E1) + b·ln(b/E2)), E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), a zero count adding 0; 0 when either side is empty. Above 3.84, p < 0.05; above 10.83, p < 0.001 (1 d.f.).",
        ),
        opt("log_ratio", Type::F64, "Hardie's log ratio, log2((a/c) / (b/d)), a zero count taken as 0.5; null when either side is empty."),
        opt("key_for", Type::Text, "body or comment: the side where the term's relative frequency is higher; null when equal."),
    ],
    primary_key: &["term"],
    foreign_keys: &[TERM_FK],
    row_group_rows: 131072,
};

/// `tokens`: every token occurrence (only with `--tokens`).
pub const TOKENS: TableSpec = TableSpec {
    name: "tokens",
    description: "One row per token occurrence, punctuation included; written only with --tokens. byte_start..byte_end slices documents.body_text (comment_id null) or comments.text; source_start..source_end is where the token came from in the source file (for a token inside a repaired stretch, the whole stretch; for an inserted list bullet, an empty range).",
    order: "document order, body before comments, then index",
    columns: &[
        col("text_id", Type::Text, "doc_id for the article body, comment_id for a comment."),
        col("doc_id", Type::Text, "The page."),
        opt("comment_id", Type::Text, "The comment; null for the article body."),
        col("sentence", Type::U32, "Sentence number in the text, from 0."),
        col("index", Type::U32, "Token number in the text, from 0."),
        col("term", Type::Text, TERM),
        col("surface", Type::Text, "The token as written in the cleaned text."),
        col("class", Type::Text, "word, number, url, email, mention, hashtag, emoji or punct."),
        col("byte_start", Type::U64, "Start in the cleaned text, in bytes."),
        col("byte_end", Type::U64, "End (exclusive) in the cleaned text, in bytes."),
        col("source_start", Type::U64, "Start in the source file, in bytes."),
        col("source_end", Type::U64, "End (exclusive) in the source file, in bytes."),
    ],
    primary_key: &["text_id", "index"],
    foreign_keys: &[DOC_FK, COMMENT_FK],
    row_group_rows: 262144,
};

/// `boilerplate`: what was taken out of the pages.
pub const BOILERPLATE: TableSpec = TableSpec {
    name: "boilerplate",
    description: "One row per line removed from a page's text, with the rule that removed it: page furniture (kind boilerplate), lines whose content went into a metadata column (metadata) and comment-thread structure (structure).",
    order: "document order, then byte_start",
    columns: &[
        col("doc_id", Type::Text, "The page."),
        col("byte_start", Type::U64, "Start of the line in the source file, in bytes."),
        col("byte_end", Type::U64, "End of the line (exclusive) in the source file, in bytes."),
        col("kind", Type::Text, "boilerplate, metadata or structure."),
        col("rule", Type::Text, "The rule that removed it (see README)."),
        col("text", Type::Text, "The line, whitespace-normalised."),
        opt("repeats", Type::U32, "For rule repeated-line: in how many documents of the corpus the line occurs; null otherwise."),
    ],
    primary_key: &["doc_id", "byte_start"],
    foreign_keys: &[DOC_FK],
    row_group_rows: 65536,
};

/// `edits`: repairs made to the text.
pub const EDITS: TableSpec = TableSpec {
    name: "edits",
    description: "One row per repair made to a page's text (spaces, mojibake, invisible characters, hard wraps, Unicode NFC).",
    order: "document order, then byte_start, then kind",
    columns: &[
        col("doc_id", Type::Text, "The page."),
        opt("comment_id", Type::Text, "The comment edited; null outside comments."),
        col("kind", Type::Text, "space, mojibake, invisible, control, hard-wrap or nfc."),
        col("byte_start", Type::U64, "Start of the replaced text in the source file, in bytes."),
        col("byte_end", Type::U64, "End (exclusive) of the replaced text in the source file, in bytes."),
        col("before", Type::Text, "The text as it was."),
        col("after", Type::Text, "The text as it is now (empty when removed)."),
    ],
    primary_key: &[],
    foreign_keys: &[DOC_FK, COMMENT_FK],
    row_group_rows: 65536,
};

/// `errors`: inputs that could not be processed.
pub const ERRORS: TableSpec = TableSpec {
    name: "errors",
    description: "One row per input that could not be processed, and why.",
    order: "source_path, then file order",
    columns: &[
        col("source_path", Type::Text, "Path relative to the input folder, '/'-separated, escaped as in documents.source_path."),
        opt(
            "source_record",
            Type::Text,
            "The member or record of that file that failed, as in documents.source_record; null when it is the whole file.",
        ),
        col(
            "kind",
            Type::Text,
            "error (could not be read, decompressed or decoded) or skipped (not a regular file, or not a kind of file that is read).",
        ),
        col("message", Type::Text, "What went wrong."),
    ],
    primary_key: &[],
    foreign_keys: &[],
    row_group_rows: 65536,
};

/// `line_keys`: the first pass of a sharded run, one shard's share.
pub const LINE_KEYS: TableSpec = TableSpec {
    name: "line_keys",
    description: "Partial (hustings learn): one row per distinct line key per distinct file content in the shard; the merge counts distinct contents per key across shards.",
    order: "content_sha256, line_key",
    columns: &[
        col("content_sha256", Type::Text, "SHA-256 of the file, so identical files in different shards count once."),
        col(
            "line_key",
            Type::Hash,
            "Hash of the normalised line (lower case, digits as 0, spaces collapsed; lines of at most 200 bytes), a 64-bit hash written as a signed integer.",
        ),
    ],
    primary_key: &["content_sha256", "line_key"],
    foreign_keys: &[],
    row_group_rows: 262144,
};

/// `repeated_lines`: the merged first pass, read by `--repeated-lines`.
pub const REPEATED_LINES: TableSpec = TableSpec {
    name: "repeated_lines",
    description: "Merged first pass (sql/merge_lines.sql): lines found in at least --repeat-min distinct documents of the corpus.",
    order: "line_key",
    columns: &[col("line_key", Type::Hash, "As in line_keys."), col("n_documents", Type::U32, "Distinct file contents holding the line.")],
    primary_key: &["line_key"],
    foreign_keys: &[],
    row_group_rows: 262144,
};

/// `vocabulary_part`: one shard's term counts.
pub const VOCABULARY_PART: TableSpec = TableSpec {
    name: "vocabulary_part",
    description: "Partial (hustings run --shard): one shard's counts per term. Summed over shards they give vocabulary's counts exactly (a document lies wholly in one shard).",
    order: "term",
    columns: &[
        col("term", Type::Text, "The term."),
        col("class", Type::Text, "Token class (the alphabetically first seen, as in vocabulary)."),
        col("is_stopword", Type::Bool, "As in vocabulary."),
        col("n_body", Type::U64, "Occurrences in this shard's bodies."),
        col("n_comment", Type::U64, "Occurrences in this shard's comments."),
        col("n_documents", Type::U64, "This shard's documents containing the term."),
        col("n_texts", Type::U64, "This shard's texts containing the term."),
    ],
    primary_key: &["term"],
    foreign_keys: &[],
    row_group_rows: 131072,
};

/// `term_languages_part`: per term and language, the texts and the stem.
pub const TERM_LANGUAGES_PART: TableSpec = TableSpec {
    name: "term_languages_part",
    description: "Partial (hustings run --shard): for each word and each detected language of texts containing it, how many such texts, and the word's Snowball stem in that language. The merge picks the language with most texts (ties: the first code) for vocabulary.stem.",
    order: "term, language",
    columns: &[
        col("term", Type::Text, "The term."),
        col("language", Type::Text, "ISO 639-1 code of texts containing it."),
        col("n_texts", Type::U64, "Such texts in this shard."),
        opt("stem", Type::Text, "Snowball stem in that language; null without a stemmer for it."),
    ],
    primary_key: &["term", "language"],
    foreign_keys: &[],
    row_group_rows: 131072,
};

/// `bigrams_part`: one shard's bigram counts, unfiltered.
pub const BIGRAMS_PART: TableSpec = TableSpec {
    name: "bigrams_part",
    description: "Partial (hustings run --shard): every bigram of the shard with its counts, before --bigram-min (which applies to the merged sums).",
    order: "term1, term2",
    columns: &[
        col("term1", Type::Text, "First term."),
        col("term2", Type::Text, "Second term."),
        col("n_occurrences", Type::U64, "Occurrences in this shard."),
        col("n_documents", Type::U64, "This shard's documents where it occurs."),
    ],
    primary_key: &["term1", "term2"],
    foreign_keys: &[],
    row_group_rows: 131072,
};

/// The partial tables of sharded runs, documented after [`TABLES`].
pub const PARTIAL_TABLES: &[TableSpec] = &[LINE_KEYS, REPEATED_LINES, VOCABULARY_PART, TERM_LANGUAGES_PART, BIGRAMS_PART];

/// Every table, in the order they are documented.
pub const TABLES: &[TableSpec] =
    &[DOCUMENTS, COMMENTS, DOCUMENT_TAGS, TOKEN_COUNTS, VOCABULARY, BIGRAMS, KEYNESS, TOKENS, BOILERPLATE, EDITS, ERRORS];

/// The README's data dictionary, rendered from the declarations above.
pub fn dictionary_markdown() -> String {
    let mut s = String::new();
    for t in TABLES.iter().chain(PARTIAL_TABLES) {
        s.push_str(&format!("### `{}`\n\n{} Rows are ordered by {}.", t.name, t.description, t.order));
        if !t.primary_key.is_empty() {
            s.push_str(&format!(" Primary key: `{}`.", t.primary_key.join("`, `")));
        }
        s.push_str("\n\n| column | type | null | description |\n|---|---|---|---|\n");
        for c in t.columns {
            let ty = match c.ty {
                Type::Text => "string",
                Type::U32 => "int32",
                Type::U64 | Type::Hash => "int64",
                Type::Date => "date",
                Type::Timestamp => "timestamp",
                Type::F64 => "float64",
                Type::Bool => "bool",
            };
            let null = if c.nullable { "yes" } else { "" };
            let mut desc = c.description.to_string();
            if let Some(fk) = t.foreign_keys.iter().find(|fk| fk.columns == [c.name]) {
                desc.push_str(&format!(" → `{}.{}`", fk.table, fk.references.join(",")));
            }
            s.push_str(&format!("| `{}` | {} | {} | {} |\n", c.name, ty, null, desc.replace('|', "\\|")));
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_dictionary_is_current() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).expect("README.md");
        let dict = dictionary_markdown();
        assert!(
            readme.contains(&dict),
            "README.md's data dictionary is stale: regenerate it with `cargo run -p hustings-export --example dictionary`"
        );
    }

    #[test]
    fn schemas_are_consistent() {
        for t in TABLES.iter().chain(PARTIAL_TABLES) {
            let names: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
            for k in t.primary_key.iter().chain(t.foreign_keys.iter().flat_map(|f| f.columns)) {
                assert!(names.contains(k), "{}: key column {k} missing", t.name);
            }
            assert!(names.iter().all(|n| { n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') }));
        }
    }
}
