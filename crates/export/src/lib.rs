//! The only crate that knows Arrow, Parquet and CSV.
//!
//! An [`Exporter`] writes the pipeline's tables into a temporary folder next
//! to the output folder, one [`TableWriter`] per table (see [`schema`] for
//! every column), and on [`Exporter::finish`] adds `datapackage.json` (a
//! Frictionless Data Package descriptor generated from the same
//! declarations) and `manifest.json` (tool version, SHA-256 and row count of
//! every file), then swaps the folder into place. A run that fails or is
//! dropped before `finish` leaves the previous output untouched.
//!
//! Output is deterministic: no run times, host names or absolute paths are
//! written, and row order is the order rows are pushed.
//!
//! Rows are encoded where the documents are made, into [`Encoded`] blocks;
//! each per-document table's writer is a [`Lane`] on the run's thread pool
//! (see [`Exporter::on_pool`]), so appending a block only queues it, and the
//! table's bytes are encoded, compressed and written on the workers, one
//! block after the other in the order appended.

mod columns;
mod descriptor;
mod lane;
mod outdir;
pub mod schema;
mod writer;

use schema::TableSpec;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hustings_core::{
    BigramEntry, Document, KeynessEntry, PartialBigram, PartialTerm, PartialTermLanguage, TextStats, VocabEntry, comment_id,
};
pub use lane::Lane;
pub use outdir::{OutputDir, remove_temporaries, stopping};
pub use writer::{BATCH_ROWS, Cell, FileDigest, RowBlock, TableWriter};

/// An export failure, saying which file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The Parquet writer refused.
    #[error("{path}: parquet: {message}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// The CSV writer refused.
    #[error("{path}: csv: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// Another run holds the output's lock.
    #[error("another hustings run is writing {output} (it holds {lock}); wait for it to finish or choose another --output")]
    Busy {
        /// The output folder.
        output: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// A row did not fit its table (a bug, reported rather than panicking).
    #[error("schema mismatch: {0}")]
    Schema(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.to_owned(), source }
    }
    pub(crate) fn parquet(path: &Path, e: impl std::fmt::Display) -> Error {
        Error::Parquet { path: path.to_owned(), message: e.to_string() }
    }
    pub(crate) fn csv(path: &Path, e: impl std::fmt::Display) -> Error {
        Error::Csv { path: path.to_owned(), message: e.to_string() }
    }
}

/// Which file formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Write `<table>.csv`.
    pub csv: bool,
    /// Write `<table>.parquet`.
    pub parquet: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats { csv: true, parquet: true }
    }
}

impl Formats {
    /// Parse a comma-separated list such as `csv,parquet`.
    pub fn parse(list: &str) -> Result<Formats, String> {
        let mut f = Formats { csv: false, parquet: false };
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item.to_ascii_lowercase().as_str() {
                "csv" => f.csv = true,
                "parquet" => f.parquet = true,
                other => {
                    return Err(format!("unknown format {other:?} (expected csv and/or parquet)"));
                }
            }
        }
        if !f.csv && !f.parquet {
            return Err("no format given (expected csv and/or parquet)".into());
        }
        Ok(f)
    }
}

/// Row counts of a finished export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows per table, in [`schema::TABLES`] order.
    pub rows: Vec<(&'static str, u64)>,
    /// CPU time each per-document table file's writer took on the pool, by
    /// file name, in table order: work done in order, one job at a time, so
    /// its share bounds the speed-up however many workers there are.
    pub writer_cpu: Vec<(String, Duration)>,
}

impl Summary {
    /// Rows of `table`.
    pub fn rows_of(&self, table: &str) -> u64 {
        self.rows.iter().find(|(t, _)| *t == table).map_or(0, |r| r.1)
    }
}

/// Writes every table of one run.
pub struct Exporter {
    formats: Formats,
    /// The per-document tables, in [`Encoded`]'s order.
    tables: Vec<Table>,
    /// Last, so that it is dropped (and the temporary folder removed) after
    /// the lanes have stopped writing into it.
    out: OutputDir,
}

/// One per-document table's writers: a lane per format, so that its CSV and
/// its Parquet file are written at the same time.
struct Table {
    name: &'static str,
    csv: Option<Lane<TableWriter>>,
    parquet: Option<Lane<TableWriter>>,
}

impl Table {
    fn create(dir: &Path, spec: TableSpec, formats: Formats) -> Result<Table, Error> {
        let lane = |f: Formats| TableWriter::create(dir, spec, f).map(|w| Lane::new(w, None));
        Ok(Table {
            name: spec.name,
            csv: if formats.csv { Some(lane(Formats { csv: true, parquet: false })?) } else { None },
            parquet: if formats.parquet { Some(lane(Formats { csv: false, parquet: true })?) } else { None },
        })
    }
}

/// The per-document tables' writers, done with their lanes, in table order.
struct Written {
    writers: Vec<TableWriter>,
    cpu: Vec<(String, Duration)>,
}

/// The lexical-measure cells of a text: mean sentence length, type/token
/// ratio, MATTR and (for English) Flesch reading ease.
fn measures(s: &TextStats, language: Option<&str>) -> [Cell<'static>; 4] {
    let flesch = if language == Some("en") { s.flesch_reading_ease() } else { None };
    [Cell::F64(s.mean_sentence_length()), Cell::F64(s.type_token_ratio()), Cell::F64(s.mattr), Cell::F64(flesch)]
}

/// The per-document tables' rows of a run of documents, encoded for their
/// files on whichever thread made them; [`Exporter::append`] writes them,
/// in the order the blocks are appended.
pub struct Encoded {
    documents: RowBlock,
    comments: RowBlock,
    tags: RowBlock,
    token_counts: RowBlock,
    boilerplate: RowBlock,
    edits: RowBlock,
    errors: RowBlock,
    tokens: Option<RowBlock>,
}

impl Encoded {
    /// Empty blocks for `formats`; `tokens` adds the `tokens` table's.
    pub fn new(formats: Formats, tokens: bool) -> Encoded {
        let b = |spec| RowBlock::new(spec, formats);
        Encoded {
            documents: b(schema::DOCUMENTS),
            comments: b(schema::COMMENTS),
            tags: b(schema::DOCUMENT_TAGS),
            token_counts: b(schema::TOKEN_COUNTS),
            boilerplate: b(schema::BOILERPLATE),
            edits: b(schema::EDITS),
            errors: b(schema::ERRORS),
            tokens: tokens.then(|| b(schema::TOKENS)),
        }
    }

    /// Add a document and its child rows.
    pub fn document(&mut self, doc: &Document) -> Result<(), Error> {
        use Cell::{Date, Text, Timestamp, U32, U64};
        let id = doc.doc_id.as_str();
        let warnings = (!doc.warnings.is_empty()).then(|| doc.warnings.join("; "));
        let from_record = (!doc.from_record.is_empty()).then(|| doc.from_record.join(","));
        let s = &doc.body_stats;
        let [m1, m2, m3, m4] = measures(s, doc.language);
        self.documents.push(&[
            Text(Some(id)),
            Text(Some(&doc.source_path)),
            Text(doc.source_record.as_deref()),
            Text(doc.url.as_deref()),
            Text(doc.site.as_deref()),
            Text(doc.title.as_deref()),
            Text(doc.standfirst.as_deref()),
            Text(doc.author.as_deref()),
            Date(doc.published_date),
            Timestamp(doc.fetched_at),
            Text(doc.language),
            Text(Some(&doc.body_text)),
            U32(Some(doc.n_paragraphs)),
            U32(Some(doc.comments.len() as u32)),
            U64(Some(s.n_tokens)),
            U64(Some(s.n_types)),
            U64(Some(s.n_sentences)),
            m1,
            m2,
            m3,
            m4,
            U32(Some(doc.removed.len() as u32)),
            U32(Some(doc.edits.len() as u32)),
            Text(Some(doc.encoding)),
            U64(Some(doc.source_bytes)),
            Text(Some(&doc.source_sha256)),
            Text(from_record.as_deref()),
            Text(warnings.as_deref()),
        ])?;
        for (i, tag) in doc.tags.iter().enumerate() {
            self.tags.push(&[Text(Some(id)), U32(Some(i as u32 + 1)), Text(Some(tag))])?;
        }
        for t in &s.terms {
            self.token_counts.push(&[
                Text(Some(id)),
                Text(Some(id)),
                Text(None),
                Text(Some(&t.term)),
                Text(Some(t.class.as_str())),
                U64(Some(t.count)),
            ])?;
        }
        let ids: Vec<String> = doc.comments.iter().map(|c| comment_id(id, c.position)).collect();
        for (c, cid) in doc.comments.iter().zip(&ids) {
            let parent = c.parent.map(|p| comment_id(id, p));
            let [m1, m2, m3, m4] = measures(&c.stats, c.language);
            self.comments.push(&[
                Text(Some(cid)),
                Text(Some(id)),
                U32(Some(c.position)),
                Text(parent.as_deref()),
                U32(Some(c.depth)),
                Text(c.author.as_deref()),
                Timestamp(c.posted_at),
                Text(c.language),
                Text(Some(&c.text)),
                U32(Some(c.n_paragraphs)),
                U64(Some(c.stats.n_tokens)),
                U64(Some(c.stats.n_types)),
                U64(Some(c.stats.n_sentences)),
                m1,
                m2,
                m3,
                m4,
            ])?;
        }
        for (c, cid) in doc.comments.iter().zip(&ids) {
            for t in &c.stats.terms {
                self.token_counts.push(&[
                    Text(Some(cid)),
                    Text(Some(id)),
                    Text(Some(cid)),
                    Text(Some(&t.term)),
                    Text(Some(t.class.as_str())),
                    U64(Some(t.count)),
                ])?;
            }
        }
        if let Some(w) = &mut self.tokens {
            for (comment, t) in &doc.tokens {
                let (text, cid) = match comment {
                    None => (doc.body_text.as_str(), None),
                    Some(p) => match doc.comments.get((*p as usize).wrapping_sub(1)) {
                        Some(c) => (c.text.as_str(), Some(&ids[*p as usize - 1])),
                        None => {
                            return Err(Error::Schema(format!("{}: token of missing comment {p}", doc.source_path)));
                        }
                    },
                };
                let surface = text
                    .get(t.text_span.start..t.text_span.end)
                    .ok_or_else(|| Error::Schema(format!("{}: token offsets outside the text", doc.source_path)))?;
                w.push(&[
                    Text(Some(cid.map_or(id, String::as_str))),
                    Text(Some(id)),
                    Text(cid.map(String::as_str)),
                    U32(Some(t.sentence)),
                    U32(Some(t.index)),
                    Text(Some(&t.term)),
                    Text(Some(surface)),
                    Text(Some(t.class.as_str())),
                    U64(Some(t.text_span.start as u64)),
                    U64(Some(t.text_span.end as u64)),
                    U64(Some(t.source.start as u64)),
                    U64(Some(t.source.end as u64)),
                ])?;
            }
        }
        for r in &doc.removed {
            self.boilerplate.push(&[
                Text(Some(id)),
                U64(Some(r.source.start as u64)),
                U64(Some(r.source.end as u64)),
                Text(Some(r.kind)),
                Text(Some(r.rule)),
                Text(Some(&r.text)),
                U32(r.repeats),
            ])?;
        }
        for e in &doc.edits {
            let cid = e.comment.map(|p| comment_id(id, p));
            self.edits.push(&[
                Text(Some(id)),
                Text(cid.as_deref()),
                Text(Some(e.kind)),
                U64(Some(e.source.start as u64)),
                U64(Some(e.source.end as u64)),
                Text(Some(&e.before)),
                Text(Some(&e.after)),
            ])?;
        }
        Ok(())
    }

    /// Record an input (or one member or record of it) that could not be processed.
    pub fn error(&mut self, source_path: &str, source_record: Option<&str>, kind: &str, message: &str) -> Result<(), Error> {
        self.errors.push(&[Cell::Text(Some(source_path)), Cell::Text(source_record), Cell::Text(Some(kind)), Cell::Text(Some(message))])
    }
}

impl Exporter {
    /// Start an export that will replace `output` when finished; `tokens`
    /// adds the `tokens` table.
    ///
    /// Its writers run on the calling thread until [`Exporter::on_pool`].
    pub fn create(output: &Path, formats: Formats, tokens: bool) -> Result<Exporter, Error> {
        let out = OutputDir::create(output)?;
        let dir = out.path().to_owned();
        let mut specs = vec![
            schema::DOCUMENTS,
            schema::COMMENTS,
            schema::DOCUMENT_TAGS,
            schema::TOKEN_COUNTS,
            schema::BOILERPLATE,
            schema::EDITS,
            schema::ERRORS,
        ];
        specs.extend(tokens.then_some(schema::TOKENS));
        let tables = specs.into_iter().map(|spec| Table::create(&dir, spec, formats)).collect::<Result<_, _>>()?;
        Ok(Exporter { formats, tables, out })
    }

    /// Temporary folders of interrupted runs removed before this one began.
    pub fn stale_removed(&self) -> usize {
        self.out.stale_removed()
    }

    /// Write the per-document tables on `pool`'s workers from now on (each
    /// table's blocks in the order appended). Call before appending rows.
    pub fn on_pool(mut self, pool: &Arc<rayon::ThreadPool>) -> Exporter {
        for table in &mut self.tables {
            for lane in table.csv.iter_mut().chain(table.parquet.iter_mut()) {
                lane.set_pool(Arc::clone(pool));
            }
        }
        self
    }

    /// Wait for the per-document tables' writers to write what they were
    /// given, and how much CPU time each file's lane took.
    fn written(self) -> Result<(OutputDir, Written), Error> {
        let Exporter { tables, out, .. } = self;
        let mut written = Written { writers: Vec::new(), cpu: Vec::new() };
        for table in tables {
            for (lane, ext) in [(table.csv, "csv"), (table.parquet, "parquet")] {
                if let Some(lane) = lane {
                    let (writer, spent) = lane.finish()?;
                    // A Parquet lane's own thread may take on other work
                    // while its columns are encoded: count its critical path.
                    written.cpu.push((format!("{}.{ext}", table.name), writer.critical().unwrap_or(spent)));
                    written.writers.push(writer);
                }
            }
        }
        Ok((out, written))
    }

    /// An empty block of the per-document tables' rows for this export.
    pub fn encoder(&self) -> Encoded {
        Encoded::new(self.formats, self.tables.iter().any(|t| t.name == schema::TOKENS.name))
    }

    /// Write rows encoded by [`Exporter::encoder`]'s blocks, after those written so far.
    pub fn append(&mut self, rows: Encoded) -> Result<(), Error> {
        let Encoded { documents, comments, tags, token_counts, boilerplate, edits, errors, tokens } = rows;
        let blocks: Vec<RowBlock> =
            [documents, comments, tags, token_counts, boilerplate, edits, errors].into_iter().chain(tokens).collect();
        if blocks.len() != self.tables.len() {
            return Err(Error::Schema("a block with or without tokens appended to an export the other way".into()));
        }
        for (table, block) in self.tables.iter().zip(blocks) {
            if block.rows() == 0 {
                continue;
            }
            let (csv, parquet) = block.split();
            if let Some(lane) = &table.csv {
                lane.submit(move |w| w.append(csv))?;
            }
            if let Some(lane) = &table.parquet {
                lane.submit(move |w| w.append(parquet))?;
            }
        }
        Ok(())
    }

    /// The folder for scratch files (the vocabulary's spilled runs), inside
    /// the temporary folder so that an interrupted run's are removed with it;
    /// it is removed before the commit.
    pub fn scratch_dir(&self) -> PathBuf {
        self.out.path().join(SCRATCH)
    }

    /// Finish a shard: write its partial corpus-wide tables (sums the merge
    /// adds up), the descriptor and the manifest, and put the folder in place.
    /// The rows may be read from the scratch folder, hence the `io::Result`s.
    pub fn finish_partial(
        self,
        vocabulary: impl IntoIterator<Item = std::io::Result<PartialTerm>>,
        term_languages: impl IntoIterator<Item = std::io::Result<PartialTermLanguage>>,
        bigrams: impl IntoIterator<Item = std::io::Result<PartialBigram>>,
    ) -> Result<Summary, Error> {
        use Cell::{Bool, Text, U64};
        let dir = self.out.path().to_owned();
        let scratch = self.scratch_dir();
        let spilled = |e| Error::io(&scratch, e);
        let mut vocab = TableWriter::create(&dir, schema::VOCABULARY_PART, self.formats)?;
        for row in vocabulary {
            let (term, class, stop, body, comment, docs, texts) = row.map_err(spilled)?;
            vocab.push(&[
                Text(Some(&term)),
                Text(Some(class.as_str())),
                Bool(Some(stop)),
                U64(Some(body)),
                U64(Some(comment)),
                U64(Some(docs)),
                U64(Some(texts)),
            ])?;
        }
        let mut langs = TableWriter::create(&dir, schema::TERM_LANGUAGES_PART, self.formats)?;
        for row in term_languages {
            let (term, language, texts, stem) = row.map_err(spilled)?;
            langs.push(&[Text(Some(&term)), Text(Some(language)), U64(Some(texts)), Text(stem.as_deref())])?;
        }
        let mut pairs = TableWriter::create(&dir, schema::BIGRAMS_PART, self.formats)?;
        for row in bigrams {
            let (t1, t2, n, docs) = row.map_err(spilled)?;
            pairs.push(&[Text(Some(&t1)), Text(Some(&t2)), U64(Some(n)), U64(Some(docs))])?;
        }
        let formats = self.formats;
        let (out, mut written) = self.written()?;
        written.writers.extend([vocab, langs, pairs]);
        Self::close(out, formats, written)
    }

    fn close(out: OutputDir, formats: Formats, written: Written) -> Result<Summary, Error> {
        let Written { writers, cpu } = written;
        let dir = out.path().to_owned();
        let scratch = dir.join(SCRATCH);
        match std::fs::remove_dir_all(&scratch) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(&scratch, e)),
            _ => {}
        }
        let mut rows = Vec::new();
        for name in schema::TABLES.iter().chain(schema::PARTIAL_TABLES).map(|t| t.name) {
            if let Some(w) = writers.iter().find(|w| w.spec().name == name) {
                rows.push((name, w.rows()));
            }
        }
        let mut digests = Vec::new();
        for w in writers {
            digests.extend(w.finish()?);
        }
        let written: Vec<&str> = rows.iter().map(|r| r.0).collect();
        descriptor::write_datapackage(&dir, formats, &written)?;
        descriptor::write_manifest(&dir, formats, &rows, &digests)?;
        out.commit()?;
        Ok(Summary { rows, writer_cpu: cpu })
    }

    /// Write the corpus-wide tables, the descriptor and the manifest, and
    /// put the folder in place of the output. The rows may be read from the
    /// scratch folder, hence the `io::Result`s.
    pub fn finish(
        self,
        vocabulary: impl IntoIterator<Item = std::io::Result<VocabEntry>>,
        bigrams: impl IntoIterator<Item = std::io::Result<BigramEntry>>,
        keyness: impl IntoIterator<Item = std::io::Result<KeynessEntry>>,
    ) -> Result<Summary, Error> {
        use Cell::{Bool, F64, Text, U64};
        let dir = self.out.path().to_owned();
        let scratch = self.scratch_dir();
        let spilled = |e| Error::io(&scratch, e);
        let mut vocab = TableWriter::create(&dir, schema::VOCABULARY, self.formats)?;
        for v in vocabulary {
            let v = v.map_err(spilled)?;
            vocab.push(&[
                Text(Some(&v.term)),
                Text(Some(v.class.as_str())),
                Text(Some(&v.stem)),
                Text(v.stem_language),
                Bool(Some(v.is_stopword)),
                U64(Some(v.n_occurrences)),
                U64(Some(v.n_body)),
                U64(Some(v.n_comment)),
                U64(Some(v.n_documents)),
                U64(Some(v.n_texts)),
                F64(Some(v.idf)),
            ])?;
        }
        let mut pairs = TableWriter::create(&dir, schema::BIGRAMS, self.formats)?;
        for b in bigrams {
            let b = b.map_err(spilled)?;
            pairs.push(&[
                Text(Some(&b.term1)),
                Text(Some(&b.term2)),
                U64(Some(b.n_occurrences)),
                U64(Some(b.n_documents)),
                F64(Some(b.pmi)),
                F64(Some(b.log_dice)),
            ])?;
        }
        let mut key = TableWriter::create(&dir, schema::KEYNESS, self.formats)?;
        for k in keyness {
            let k = k.map_err(spilled)?;
            key.push(&[
                Text(Some(&k.term)),
                Text(Some(k.class.as_str())),
                U64(Some(k.n_body)),
                U64(Some(k.n_comment)),
                U64(Some(k.total_body)),
                U64(Some(k.total_comment)),
                F64(Some(k.log_likelihood)),
                F64(k.log_ratio),
                Text(k.key_for),
            ])?;
        }
        let formats = self.formats;
        let (out, mut written) = self.written()?;
        // The corpus-wide tables after token_counts, as in the manifest.
        let at = written.writers.iter().position(|w| w.spec().name == schema::TOKEN_COUNTS.name).map_or(0, |i| i + 1);
        written.writers.splice(at..at, [vocab, pairs, key]);
        Self::close(out, formats, written)
    }
}

/// The scratch folder's name inside the temporary folder.
const SCRATCH: &str = ".scratch";

/// Write a shard's first-pass partial, `line_keys`, into a folder that
/// replaces `output` atomically.
pub fn write_line_keys(output: &Path, formats: Formats, rows: &[(String, u64)]) -> Result<Summary, Error> {
    let out = OutputDir::create(output)?;
    let mut w = TableWriter::create(out.path(), schema::LINE_KEYS, formats)?;
    for (sha, key) in rows {
        w.push(&[Cell::Text(Some(sha)), Cell::Hash(Some(*key))])?;
    }
    Exporter::close(out, formats, Written { writers: vec![w], cpu: Vec::new() })
}

/// Read a merged first pass (`repeated_lines`: line_key, n_documents) as
/// written by sql/merge_lines.sql.
pub fn read_repeated_lines(path: &Path) -> Result<Vec<(u64, u32)>, Error> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Int32Type, Int64Type};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| Error::parquet(path, e))?
        .build()
        .map_err(|e| Error::parquet(path, e))?;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| Error::parquet(path, e))?;
        let (Some(keys), Some(counts)) = (batch.column_by_name("line_key"), batch.column_by_name("n_documents")) else {
            return Err(Error::Schema(format!("{}: expected columns line_key and n_documents", path.display())));
        };
        let (Some(keys), Some(counts)) = (keys.as_primitive_opt::<Int64Type>(), counts.as_primitive_opt::<Int32Type>()) else {
            return Err(Error::Schema(format!("{}: line_key must be INT64 and n_documents INT32", path.display())));
        };
        // The keys are unsigned hashes written as signed: take their bits back.
        out.extend(keys.values().iter().map(|&k| k as u64).zip(counts.values().iter().map(|&n| n.max(0) as u32)));
    }
    Ok(out)
}
