//! Orchestration of the hustings pipeline: find the input files, run each
//! through parse → clean → tokenise in parallel, and hand the records, in
//! input order, to the exporter.
//!
//! [`process`] is the whole per-document pipeline as a pure function of a
//! file's relative path and bytes; [`run`] adds discovery, parallelism,
//! corpus statistics and export.

mod discover;
mod document;

use std::path::PathBuf;
use std::time::Instant;

pub use discover::{Input, discover};
pub use document::{process, process_with};
use hustings_export::{Exporter, Formats};
use hustings_tokenize::Vocabulary;
use rayon::prelude::*;

/// What a run does.
#[derive(Debug, Clone)]
pub struct Config {
    /// Folder searched recursively for `*.txt`.
    pub input: PathBuf,
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
    /// Inputs in the errors table.
    pub errors: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Something that stops a run (as opposed to a bad input, which is a row in `errors`).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The input folder is missing or not a folder.
    #[error("input folder {0}: {1}")]
    Input(PathBuf, String),
    /// The thread pool could not start.
    #[error("thread pool: {0}")]
    Threads(String),
    /// Writing the tables failed.
    #[error(transparent)]
    Export(#[from] hustings_export::Error),
}

/// Files processed in parallel at a time; bounds memory to this many documents.
const CHUNK: usize = 64;

/// The first pass: in how many documents each line occurs. Identical files
/// count once (by content hash), so a page scraped twice does not teach its
/// own text as furniture.
fn learn_repeated_lines(pool: &rayon::ThreadPool, inputs: &[Input], min_docs: u32) -> hustings_parse::RepeatedLines {
    use sha2::{Digest, Sha256};
    let mut repeated = hustings_parse::RepeatedLines::new(min_docs);
    if min_docs == 0 {
        return repeated;
    }
    let mut seen = std::collections::HashSet::new();
    for chunk in inputs.chunks(CHUNK) {
        let keys: Vec<Option<([u8; 32], Vec<u64>)>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|input| match input {
                    Input::File { path, .. } => std::fs::read(path)
                        .ok()
                        .map(|b| (Sha256::digest(&b).into(), hustings_parse::knowledge::line_keys(&b))),
                    Input::Refused { .. } => None,
                })
                .collect()
        });
        for (digest, k) in keys.into_iter().flatten() {
            if seen.insert(digest) {
                repeated.add(&k);
            }
        }
    }
    repeated.prune();
    repeated
}

/// Run the pipeline. `progress` is called after each file with (done, total).
pub fn run(config: &Config, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<RunSummary, RunError> {
    let start = Instant::now();
    match std::fs::metadata(&config.input) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(RunError::Input(config.input.clone(), "not a folder".into())),
        Err(e) => return Err(RunError::Input(config.input.clone(), e.to_string())),
    }
    let inputs = discover(&config.input);
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = config.threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().map_err(|e| RunError::Threads(e.to_string()))?;

    let repeated = learn_repeated_lines(&pool, &inputs, config.repeat_min);
    let mut exporter = Exporter::create(&config.output, config.formats, config.tokens)?;
    let mut vocab = Vocabulary::new();
    let mut summary = RunSummary { files: inputs.len() as u64, ..RunSummary::default() };
    let total = inputs.len() as u64;
    let mut done = 0u64;
    for chunk in inputs.chunks(CHUNK) {
        let results: Vec<document::Outcome> = pool.install(|| chunk.par_iter().map(|i| document::load_and_process(i, &repeated, config.tokens)).collect());
        for outcome in results {
            summary.bytes += outcome.bytes;
            match outcome.result {
                Ok(doc) => {
                    summary.documents += 1;
                    summary.comments += doc.comments.len() as u64;
                    summary.tokens += doc.body_stats.n_tokens + doc.comments.iter().map(|c| c.stats.n_tokens).sum::<u64>();
                    vocab.add(&doc);
                    exporter.document(&doc)?;
                }
                Err((kind, message)) => {
                    summary.errors += 1;
                    exporter.error(&outcome.source_path, kind, &message)?;
                }
            }
            done += 1;
            progress(done, total);
        }
    }
    let tables = vocab.finish(config.bigram_min);
    exporter.finish(&tables.vocabulary, &tables.bigrams, &tables.keyness)?;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}
