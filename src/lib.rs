//! Orchestration of the hustings pipeline: find the input files, read their
//! pages (hustings-sources), run each through parse → clean → tokenise in
//! parallel, and hand the records, in input order, to the exporter.
//!
//! [`process`] is the whole per-document pipeline as a pure function of a
//! file's relative path and bytes; [`run`] adds discovery, parallelism,
//! corpus statistics and export.

pub mod cpu;
mod discover;
mod document;
mod feed;
mod paths;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use discover::{Filter, Input, discover};
pub use document::{process, process_page, process_with};
use hustings_export::{Exporter, Formats};
use hustings_tokenize::Vocabulary;
use rayon::prelude::*;

/// What a run does.
#[derive(Debug, Clone)]
pub struct Config {
    /// Folder searched recursively for inputs.
    pub input: PathBuf,
    /// Which of its files are read (`--include`, `--exclude`).
    pub filter: Filter,
    /// Which record fields hold a page's text, URL, title and date.
    pub fields: hustings_sources::Fields,
    /// A compressed stream expanding more than this many times is stopped (`--max-ratio`).
    pub max_ratio: u64,
    /// Folder the tables replace.
    pub output: PathBuf,
    /// Worker threads; `None` for one per core.
    pub threads: Option<usize>,
    /// Formats to write.
    pub formats: Formats,
    /// A line in at least this many documents is boilerplate (`repeated-line`); 0 turns learning off.
    pub repeat_min: u32,
    /// Bigrams seen fewer times are left out of `bigrams`.
    pub bigram_min: u64,
    /// Write the `tokens` table.
    pub tokens: bool,
    /// Process only this shard of the inputs, into `output/part-K-of-N/`,
    /// writing partial corpus tables for the merge.
    pub shard: Option<Shard>,
    /// Take the repeated lines from this merged first pass
    /// (`repeated_lines.parquet`) instead of learning them.
    pub repeated_lines: Option<PathBuf>,
    /// Write empty tables when no input could be read, instead of failing.
    pub allow_empty: bool,
    /// A page file larger than this many bytes is refused with an `errors` row.
    pub max_file_bytes: u64,
    /// Bytes of corpus-wide counts (vocabulary, bigrams) held in memory
    /// before they are spilled to disk as sorted runs; 0 spills after every
    /// document.
    pub vocab_memory: usize,
}

/// The default vocabulary budget: 1 GiB, some two million distinct terms
/// with their bigrams; the benchmark corpora stay far below it.
pub const DEFAULT_VOCAB_MEMORY: usize = 1 << 30;

/// The default per-file limit: 64 MiB, a thousand times a long web page.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 << 20;

/// The default cap on a compressed stream's expansion: 200 times (text
/// compresses 3 to 20 times; a decompression bomb a thousand and more).
pub const DEFAULT_MAX_RATIO: u64 = 200;

impl Config {
    /// How pages are read out of the inputs.
    fn sources(&self) -> hustings_sources::Options {
        hustings_sources::Options {
            limits: hustings_sources::Limits { max_page: self.max_file_bytes, max_ratio: self.max_ratio },
            fields: self.fields.clone(),
        }
    }
}

/// Shard `k` of `n` (1-based): the inputs whose path hashes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 1..=n.
    pub k: u32,
    /// Number of shards.
    pub n: u32,
}

impl Shard {
    /// Parse `K/N`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or_else(|| format!("--shard {s:?}: expected K/N, e.g. 2/4"))?;
        let k: u32 = k.trim().parse().map_err(|e| format!("--shard {s:?}: K: {e}"))?;
        let n: u32 = n.trim().parse().map_err(|e| format!("--shard {s:?}: N: {e}"))?;
        if n == 0 || k == 0 || k > n {
            return Err(format!("--shard {s:?}: K must be between 1 and N"));
        }
        Ok(Shard { k, n })
    }

    /// Whether the input at relative path `rel` belongs to this shard: the
    /// first 8 bytes of SHA-256 of the path, modulo N. Stable across runs,
    /// machines and input order.
    pub fn holds(&self, rel: &str) -> bool {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(rel.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % u64::from(self.n) == u64::from(self.k - 1)
    }

    /// The shard's folder name, `part-K-of-N`.
    pub fn folder(&self) -> String {
        format!("part-{}-of-{}", self.k, self.n)
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Input files found (including those that failed).
    pub files: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Documents written.
    pub documents: u64,
    /// Comments written.
    pub comments: u64,
    /// Tokens counted in bodies and comments.
    pub tokens: u64,
    /// Rows in the errors table (inputs, members or records).
    pub errors: u64,
    /// Documents by the kind of input they came from (`txt`, `jsonl.gz`,
    /// `tar.zst`…), in name order.
    pub kinds: Vec<(String, u64)>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Temporary folders of interrupted runs removed before this one began.
    pub stale_removed: u64,
    /// Times the vocabulary passed its budget and was written to disk.
    pub spills: u64,
    /// CPU seconds of each thread still running at the end of the run: the
    /// main thread (which writes the tables) and the workers.
    pub thread_cpu: Vec<cpu::ThreadCpu>,
    /// CPU time each per-document table file's writer took on the workers
    /// (part of their time above), by file: each is written in order, one
    /// block at a time, so the largest bounds the speed-up however many
    /// cores there are.
    pub writer_cpu: Vec<(String, std::time::Duration)>,
}

/// Something that stops a run (as opposed to a bad input, which is a row in `errors`).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The input folder is missing, not a folder or unreadable.
    #[error("input folder {0}: {1}")]
    Input(PathBuf, String),
    /// The output would replace or sit inside the input.
    #[error("{0}")]
    Overlap(String),
    /// Nothing could be read: the previous output is left as it was.
    #[error("{0}")]
    NoInput(String),
    /// The thread pool could not start.
    #[error("thread pool: {0}")]
    Threads(String),
    /// Writing the tables failed.
    #[error(transparent)]
    Export(#[from] hustings_export::Error),
    /// The merged first pass could not be read (the error names the file).
    #[error("--repeated-lines: {0}")]
    RepeatedLines(hustings_export::Error),
}

/// A failure to write or read the vocabulary's spilled runs, naming their folder.
fn spill_error(exporter: &Exporter, e: std::io::Error) -> RunError {
    RunError::Export(hustings_export::Error::Io { path: exporter.scratch_dir(), source: e })
}

impl RunError {
    /// The process exit code: 2 for a command that must not run as given
    /// (like a usage error), 1 for a run that failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::Overlap(_) => 2,
            _ => 1,
        }
    }
}

/// Pages of the first pass (line keys) processed in parallel at a time.
const CHUNK: usize = 64;

/// A chunk also ends once its pages add up to this many bytes, so that large
/// pages (up to `--max-file-mb` each) do not multiply the memory by 64.
const CHUNK_BYTES: u64 = 64 << 20;

/// Parts the reading thread may have ready before they are taken.
const READ_AHEAD: usize = 2;

/// Each distinct page content's distinct line keys, chunk by chunk, in input
/// order. The pages of files of many are read on a thread of their own, a
/// chunk or two ahead.
fn for_each_content(pool: &rayon::ThreadPool, inputs: &[Input], config: &Config, mut f: impl FnMut([u8; 32], Vec<u64>)) {
    use sha2::{Digest, Sha256};
    let keys_of = |b: &[u8]| -> ([u8; 32], Vec<u64>) { (Sha256::digest(b).into(), hustings_parse::knowledge::line_keys(b)) };
    let options = config.sources();
    let mut seen = std::collections::HashSet::new();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(READ_AHEAD);
        scope.spawn(|| feed::feed(inputs, &options, config.shard, CHUNK, CHUNK_BYTES, move |part| tx.send(part).is_ok()));
        for part in rx {
            let keys: Vec<Option<([u8; 32], Vec<u64>)>> = pool.install(|| {
                part.tasks
                    .par_iter()
                    .map(|task| match task {
                        feed::Task::Input(input) => {
                            document::read_input(input, config.max_file_bytes, &options.limits).ok().map(|b| keys_of(&b))
                        }
                        feed::Task::Page(_, page) => Some(keys_of(&page.bytes)),
                        feed::Task::Failed(..) => None,
                    })
                    .collect()
            });
            for (digest, k) in keys.into_iter().flatten() {
                if seen.insert(digest) {
                    f(digest, k);
                }
            }
        }
    });
}

/// Files per part: one worker's task, its rows one block.
const PART: usize = 16;

/// A part also ends once its files add up to this many bytes.
const PART_BYTES: u64 = 16 << 20;

/// Parts begun and not yet written, per worker.
const IN_FLIGHT: usize = 4;

/// A few consecutive pages, done on one worker.
struct Done {
    rows: hustings_export::Encoded,
    tally: Tally,
    vocabulary: Vocabulary,
}

/// What a part adds to the run's summary.
#[derive(Default)]
struct Tally {
    files: u64,
    bytes: u64,
    readable: u64,
    documents: u64,
    comments: u64,
    tokens: u64,
    errors: u64,
    /// Documents by kind of input.
    kinds: std::collections::BTreeMap<String, u64>,
    /// The first few errors, for the message of a run that read nothing.
    first_errors: Vec<String>,
}

/// Read, process and encode a part's pages, in order.
fn process_part(
    part: feed::Part<'_>,
    repeated: &hustings_parse::RepeatedLines,
    config: &Config,
    mut rows: hustings_export::Encoded,
) -> Result<Done, hustings_export::Error> {
    let mut tally = Tally { files: part.files_done, ..Tally::default() };
    let mut vocabulary = Vocabulary::new();
    let limits = config.sources().limits;
    for task in part.tasks {
        let outcome = document::load_and_process(task, repeated, config, &limits);
        tally.bytes += outcome.bytes;
        tally.readable += u64::from(outcome.read);
        match outcome.result {
            Ok(doc) => {
                tally.documents += 1;
                tally.comments += doc.comments.len() as u64;
                tally.tokens += doc.body_stats.n_tokens + doc.comments.iter().map(|c| c.stats.n_tokens).sum::<u64>();
                *tally.kinds.entry(outcome.kind).or_default() += 1;
                // In memory: a part's vocabulary cannot fail to spill.
                vocabulary.add(&doc).map_err(|e| hustings_export::Error::Schema(format!("vocabulary: {e}")))?;
                rows.document(&doc)?;
            }
            Err((kind, message)) => {
                tally.errors += 1;
                if tally.first_errors.len() < 3 {
                    let at = outcome.source_record.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                    tally.first_errors.push(format!("{}{at}: {message}", outcome.source_path));
                }
                rows.error(&outcome.source_path, outcome.source_record.as_deref(), kind, &message)?;
            }
        }
    }
    Ok(Done { rows, tally, vocabulary })
}

/// Times the parts' vocabularies are merged two by two before the corpus
/// counts take them: up to 2^3 = 8 parts (128 pages) each.
const MERGE_LEVELS: usize = 3;

/// The parts' vocabularies merged two by two on the workers, up to
/// [`MERGE_LEVELS`] times, before the corpus counts' lane adds them: the
/// lane, which takes one at a time, then sees an eighth as many, their
/// repeated terms already summed. The counts do not depend on the order of
/// merging (the tables are sorted, the sums exact), so merges are taken as
/// they finish.
struct MergeTree<'a> {
    pool: &'a rayon::ThreadPool,
    lane: &'a hustings_export::Lane<Vocabulary>,
    scratch: &'a Path,
    /// A vocabulary waiting for its pair, per level.
    carry: Vec<Option<Vocabulary>>,
    tx: std::sync::mpsc::Sender<(usize, Vocabulary)>,
    rx: std::sync::mpsc::Receiver<(usize, Vocabulary)>,
    /// Merges begun and not yet taken back.
    pending: usize,
}

impl<'a> MergeTree<'a> {
    fn new(pool: &'a rayon::ThreadPool, lane: &'a hustings_export::Lane<Vocabulary>, scratch: &'a Path) -> MergeTree<'a> {
        let (tx, rx) = std::sync::mpsc::channel();
        MergeTree { pool, lane, scratch, carry: (0..MERGE_LEVELS).map(|_| None).collect(), tx, rx, pending: 0 }
    }

    /// Take a vocabulary of `level` merges: pair it, or hand it to the lane.
    fn add(&mut self, level: usize, v: Vocabulary) -> Result<(), hustings_export::Error> {
        let Some(slot) = self.carry.get_mut(level) else {
            return self.absorb(v);
        };
        match slot.take() {
            None => *slot = Some(v),
            Some(mut a) => {
                let tx = self.tx.clone();
                self.pending += 1;
                self.pool.spawn(move || {
                    a.merge(v);
                    let _ = tx.send((level + 1, a));
                });
            }
        }
        Ok(())
    }

    fn absorb(&self, v: Vocabulary) -> Result<(), hustings_export::Error> {
        let scratch = self.scratch.to_owned();
        self.lane.submit(move |all| all.absorb(v).map_err(|e| hustings_export::Error::Io { path: scratch, source: e }))
    }

    /// Take the merges that have finished.
    fn poll(&mut self) -> Result<(), hustings_export::Error> {
        while let Ok((level, v)) = self.rx.try_recv() {
            self.pending -= 1;
            self.add(level, v)?;
        }
        Ok(())
    }

    /// Wait for every merge, and hand what is left to the lane.
    fn finish(mut self) -> Result<(), hustings_export::Error> {
        while self.pending > 0 {
            let Ok((level, v)) = self.rx.recv() else { break };
            self.pending -= 1;
            self.add(level, v)?;
        }
        for v in std::mem::take(&mut self.carry).into_iter().flatten() {
            self.absorb(v)?;
        }
        Ok(())
    }
}

/// The first pass: in how many documents each line occurs. Identical files
/// count once (by content hash), so a page scraped twice does not teach its
/// own text as furniture.
fn learn_repeated_lines(pool: &rayon::ThreadPool, inputs: &[Input], config: &Config) -> hustings_parse::RepeatedLines {
    let min_docs = config.repeat_min;
    let mut repeated = hustings_parse::RepeatedLines::new(min_docs);
    if min_docs == 0 {
        return repeated;
    }
    for_each_content(pool, inputs, config, |_, keys| repeated.add(&keys));
    repeated.prune();
    repeated
}

/// Before anything is touched: the input is a readable folder, and the
/// output neither is it, nor lies inside it, nor holds it.
fn check_paths(config: &Config) -> Result<(), RunError> {
    let input = &config.input;
    match std::fs::metadata(input) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(RunError::Input(input.to_owned(), "not a folder".into())),
        Err(e) => return Err(RunError::Input(input.to_owned(), e.to_string())),
    }
    if let Err(e) = std::fs::read_dir(input) {
        return Err(RunError::Input(input.to_owned(), format!("cannot list the folder: {e}")));
    }
    match paths::overlap(input, &config.output) {
        Ok(None) => Ok(()),
        Ok(Some(why)) => Err(RunError::Overlap(why)),
        Err(e) => Err(RunError::Input(input.to_owned(), format!("cannot resolve the path: {e}"))),
    }
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, RunError> {
    // Named, so a CPU report can tell the workers from the writer.
    let mut builder = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("hustings-w{i}"));
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    builder.build().map_err(|e| RunError::Threads(e.to_string()))
}

/// The inputs of a run: every file under the input folder that the globs
/// admit, or the shard's share (files of many pages are shared by page, as
/// they are read).
fn inputs(config: &Config) -> Vec<Input> {
    let mut inputs = discover(&config.input, &config.filter);
    if let Some(shard) = config.shard {
        inputs.retain(|i| i.holds_many() || shard.holds(i.rel()));
    }
    inputs
}

/// Where a run writes: the output folder, or its `part-K-of-N/` for a shard.
fn output_dir(config: &Config) -> Result<PathBuf, RunError> {
    match config.shard {
        Some(s) => {
            std::fs::create_dir_all(&config.output).map_err(|e| hustings_export::Error::Io { path: config.output.clone(), source: e })?;
            Ok(config.output.join(s.folder()))
        }
        None => Ok(config.output.clone()),
    }
}

/// The first pass of a sharded run, on its own (`hustings learn`): each
/// distinct file content's distinct line keys, written as `line_keys` into
/// `output/part-K-of-N/` (or `output/` without a shard). sql/merge_lines.sql
/// turns every shard's file into the `repeated_lines` table that
/// `--repeated-lines` reads. Returns the rows written.
pub fn learn(config: &Config) -> Result<u64, RunError> {
    check_paths(config)?;
    let pool = thread_pool(config.threads)?;
    let inputs = inputs(config);
    let mut rows: Vec<(String, u64)> = Vec::new();
    for_each_content(&pool, &inputs, config, |digest, keys| {
        let sha = hustings_core::hex(&digest);
        rows.extend(keys.into_iter().map(|k| (sha.clone(), k)));
    });
    // In the order the table is written in: the keys as signed integers.
    rows.sort_unstable_by(|a, b| a.0.cmp(&b.0).then((a.1 as i64).cmp(&(b.1 as i64))));
    hustings_export::write_line_keys(&output_dir(config)?, config.formats, &rows)?;
    Ok(rows.len() as u64)
}

/// Run the pipeline. `progress` is called after each file with (done, total).
pub fn run(config: &Config, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<RunSummary, RunError> {
    let start = Instant::now();
    check_paths(config)?;
    let inputs = inputs(config);
    let pool = std::sync::Arc::new(thread_pool(config.threads)?);
    let repeated = match &config.repeated_lines {
        Some(path) => {
            let counts = hustings_export::read_repeated_lines(path).map_err(RunError::RepeatedLines)?;
            hustings_parse::RepeatedLines::from_counts(config.repeat_min, counts)
        }
        None => learn_repeated_lines(&pool, &inputs, config),
    };
    let mut exporter = Exporter::create(&output_dir(config)?, config.formats, config.tokens)?.on_pool(&pool);
    // The corpus counts are a lane too, fed by a merge tree on the workers.
    let scratch = exporter.scratch_dir();
    let vocab = hustings_export::Lane::new(Vocabulary::with_budget(config.vocab_memory, &scratch), Some(std::sync::Arc::clone(&pool)));
    let mut tree = MergeTree::new(&pool, &vocab, &scratch);
    let mut summary = RunSummary { files: inputs.len() as u64, stale_removed: exporter.stale_removed() as u64, ..RunSummary::default() };
    let (mut readable, mut first_errors) = (0u64, Vec::new());
    let mut kinds = std::collections::BTreeMap::<String, u64>::new();
    let total = inputs.len() as u64;
    let mut done = 0u64;
    // Parts of a few files each are done on the pool, as many at once as
    // keep every worker busy, while this thread puts the finished ones back
    // in input order: the workers do all the per-document work, encoding the
    // rows for the files and counting each part's vocabulary included; this
    // thread hands each part's rows to the tables' writers (lanes on the same
    // pool, which compress and write them) and adds the parts' vocabularies.
    // At most IN_FLIGHT parts per worker are held at once, whatever the input
    // size. Rows are written in input order whatever the thread count.
    let in_flight = IN_FLIGHT * pool.current_num_threads();
    let options = config.sources();
    let written: Result<(), RunError> = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<Done, hustings_export::Error>)>();
        // A part is begun only with a token, and the writer gives one back for each part it writes.
        let (give, take) = std::sync::mpsc::sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = give.send(());
        }
        let (pool, repeated, inputs, options) = (&*pool, &repeated, &inputs, &options);
        scope.spawn(move || {
            pool.in_place_scope(|s| {
                let mut i = 0;
                feed::feed(inputs, options, config.shard, PART, PART_BYTES, |part| {
                    if take.recv().is_err() {
                        return false; // the writer stopped on an error
                    }
                    let tx = tx.clone();
                    let n = i;
                    i += 1;
                    s.spawn(move |_| {
                        let done = process_part(part, repeated, config, hustings_export::Encoded::new(config.formats, config.tokens));
                        let _ = tx.send((n, done));
                    });
                    true
                });
            });
        });
        let mut finished = std::collections::BTreeMap::new();
        let mut next = 0;
        for (i, part) in rx {
            finished.insert(i, part);
            while let Some(part) = finished.remove(&next) {
                let part = part?;
                let t = part.tally;
                summary.bytes += t.bytes;
                summary.documents += t.documents;
                summary.comments += t.comments;
                summary.tokens += t.tokens;
                summary.errors += t.errors;
                for (kind, n) in t.kinds {
                    *kinds.entry(kind).or_default() += n;
                }
                readable += t.readable;
                first_errors.extend(t.first_errors.into_iter().take(3 - first_errors.len().min(3)));
                exporter.append(part.rows)?;
                tree.poll()?;
                tree.add(0, part.vocabulary)?;
                done += t.files;
                progress(done, total);
                next += 1;
                let _ = give.send(());
            }
        }
        tree.finish()?;
        Ok(())
    });
    written?;
    summary.kinds = kinds.into_iter().collect();
    // A shard may hold no inputs at all (a small corpus, many shards): that
    // is an empty part, not a failure. Inputs that all fail to be read are.
    let empty_shard = config.shard.is_some() && summary.files == 0;
    if readable == 0 && !config.allow_empty && !empty_shard {
        // Dropping the exporter removes its temporary folder: the old output stays.
        return Err(RunError::NoInput(format!(
            "no page could be read under {} ({} inputs found{}{}); the previous output is left as it was (--allow-empty writes empty tables)",
            config.input.display(),
            summary.files,
            if first_errors.is_empty() { "" } else { ": " },
            first_errors.join("; "),
        )));
    }
    let (vocab, vocab_cpu) = vocab.finish()?;
    summary.spills = vocab.spills() as u64;
    if config.shard.is_some() {
        let p = vocab.partials().map_err(|e| spill_error(&exporter, e))?;
        summary.writer_cpu = exporter.finish_partial(p.vocabulary, p.term_languages, p.bigrams)?.writer_cpu;
        summary.writer_cpu.push(("vocabulary".into(), vocab_cpu));
    } else {
        let t = vocab.finish(config.bigram_min).map_err(|e| spill_error(&exporter, e))?;
        summary.writer_cpu = exporter.finish(t.vocabulary, t.bigrams, t.keyness)?.writer_cpu;
        summary.writer_cpu.push(("vocabulary".into(), vocab_cpu));
    }
    summary.seconds = start.elapsed().as_secs_f64();
    // While the pool is alive: its workers' times go when they end.
    summary.thread_cpu = cpu::thread_cpu();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merge_tree_gives_the_counts_of_every_document_added_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).expect("seeds").map(|e| e.expect("entry").path()).collect();
        names.sort();
        let seeds: Vec<hustings_core::Document> =
            names.iter().map(|p| document::process("x", &std::fs::read(p).expect("read")).expect("a page")).collect();
        // 37 parts of one to three documents each: the tree's levels fill
        // unevenly and some vocabularies are left in its carries at the end.
        let parts: Vec<Vec<&hustings_core::Document>> =
            (0..37).map(|i| (0..=i % 3).map(|k| &seeds[(i + k) % seeds.len()]).collect()).collect();
        let table = |v: Vocabulary| {
            let t = v.finish(1).expect("in memory");
            let vocabulary = t.vocabulary.into_vec().expect("in memory");
            let bigrams = t.bigrams.into_vec().expect("in memory");
            (format!("{vocabulary:?}"), format!("{bigrams:?}"), t.n_texts, t.body_tokens, t.comment_tokens)
        };
        let mut one = Vocabulary::new();
        parts.iter().flatten().for_each(|d| one.add(d).expect("in memory"));
        let want = table(one);
        for threads in [1, 3] {
            let pool = std::sync::Arc::new(rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool"));
            let lane = hustings_export::Lane::new(Vocabulary::new(), Some(std::sync::Arc::clone(&pool)));
            let mut tree = MergeTree::new(&pool, &lane, Path::new("unused"));
            for part in &parts {
                let mut v = Vocabulary::new();
                part.iter().for_each(|d| v.add(d).expect("in memory"));
                tree.poll().expect("merged");
                tree.add(0, v).expect("taken");
            }
            tree.finish().expect("finished");
            let (all, _) = lane.finish().expect("absorbed");
            assert!(table(all) == want, "{threads} threads");
        }
    }

    #[test]
    fn chunks_end_at_64_files_or_64_mib() {
        let kind = hustings_sources::Kind::of("a.txt").expect("a kind");
        let file = |len| Input::File { path: PathBuf::new(), rel: String::new(), len, kind };
        let sizes = |inputs: &[Input]| {
            let mut out = Vec::new();
            feed::feed(inputs, &hustings_sources::Options::default(), None, CHUNK, CHUNK_BYTES, |p| {
                out.push(p.tasks.len());
                true
            });
            out
        };
        assert_eq!(sizes(&(0..130).map(|_| file(1000)).collect::<Vec<_>>()), [64, 64, 2]);
        let big: Vec<Input> = [40u64, 40, 10, 10, 70, 1].iter().map(|mb| file(mb << 20)).collect();
        assert_eq!(sizes(&big), [1, 3, 1, 1], "a file over the budget is a chunk of its own");
        assert!(sizes(&[]).is_empty());
    }
}
