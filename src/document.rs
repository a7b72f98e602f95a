//! One file through parse → clean → tokenise: a pure function of its
//! relative path and bytes.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use hustings_clean::OffsetMap;
use hustings_core::{Comment, Document, TextStats, TokenRecord, doc_id_from_digest, hex};
use hustings_parse::{DecodeError, Decoded, RepeatedLines};
use sha2::{Digest, Sha256};

use crate::Config;
use crate::discover::Input;

/// What became of one input.
pub(crate) struct Outcome {
    pub source_path: String,
    pub bytes: u64,
    /// Whether the file could be read (whatever its content).
    pub read: bool,
    pub result: Result<Document, (&'static str, String)>,
}

/// A file's bytes, refusing (before reading) one larger than `max` bytes:
/// the pipeline holds about ten times a page in memory while it works on it.
/// A file that grows past the limit while it is read is refused too.
pub(crate) fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mib = |n: u64| n as f64 / f64::from(1u32 << 20);
    let too_big = |n: u64| format!("file is {:.1} MiB, over the per-file limit of {:.1} MiB (--max-file-mb)", mib(n), mib(max));
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let len = file.metadata().map_err(|e| format!("cannot read: {e}"))?.len();
    if len > max {
        return Err(too_big(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Read and process one input; never panics on bad input.
pub(crate) fn load_and_process(input: &Input, repeated: &RepeatedLines, config: &Config) -> Outcome {
    let tokens = config.tokens;
    match input {
        Input::Refused { rel, kind, message } => {
            Outcome { source_path: rel.clone(), bytes: 0, read: false, result: Err((kind, message.clone())) }
        }
        Input::File { path, rel, .. } => match read_capped(path, config.max_file_bytes) {
            Err(e) => Outcome { source_path: rel.clone(), bytes: 0, read: false, result: Err(("error", e)) },
            Ok(bytes) => {
                // A bug that panics on one page must not sink the run: it
                // becomes that page's error row. The corpus knowledge is read-only.
                let attempt = std::panic::catch_unwind(AssertUnwindSafe(|| process_with(rel, &bytes, repeated, tokens)));
                let result = match attempt {
                    Ok(Ok(doc)) => Ok(doc),
                    Ok(Err(e)) => Err(("error", e.to_string())),
                    Err(panic) => Err(("error", format!("internal error, please report it: {}", panic_message(panic.as_ref())))),
                };
                Outcome { source_path: rel.clone(), bytes: bytes.len() as u64, read: true, result }
            }
        },
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic without a message".to_owned())
}

/// The document a file yields on its own (nothing learned from a corpus).
/// `rel` is its `/`-separated path relative to the input folder; the id is
/// derived from it and the file's SHA-256.
pub fn process(rel: &str, bytes: &[u8]) -> Result<Document, DecodeError> {
    process_with(rel, bytes, &RepeatedLines::default(), false)
}

/// The document a file yields, with lines that recur across the corpus
/// (from the first pass) treated as boilerplate; `tokens` keeps every token
/// occurrence for the `tokens` table.
pub fn process_with(rel: &str, bytes: &[u8], repeated: &RepeatedLines, tokens: bool) -> Result<Document, DecodeError> {
    let sha = Sha256::digest(bytes);
    let source_sha256 = hex(&sha);
    let mut id_hash = Sha256::new();
    id_hash.update(rel.as_bytes());
    id_hash.update([0u8]);
    id_hash.update(source_sha256.as_bytes());
    let doc_id = doc_id_from_digest(&id_hash.finalize());

    let page = hustings_parse::parse_with(bytes, repeated)?;
    let clean = hustings_clean::clean_page(&page);

    let body_text = clean.body.join("\n\n");
    let mut token_rows = Vec::new();
    let (body_stats, body_tokens) = analyse(&body_text, &clean.body_map, &page.decoded, tokens);
    token_rows.extend(body_tokens.into_iter().map(|t| (None, t)));
    let comments: Vec<Comment> = page
        .comments
        .iter()
        .zip(&clean.comments)
        .enumerate()
        .map(|(i, (raw, cc))| {
            let text = cc.paragraphs.join("\n\n");
            let (stats, comment_tokens) = analyse(&text, &cc.map, &page.decoded, tokens);
            token_rows.extend(comment_tokens.into_iter().map(|t| (Some(i as u32 + 1), t)));
            Comment {
                position: i as u32 + 1,
                parent: raw.parent.map(|p| p as u32 + 1),
                depth: raw.depth,
                author: cc.author.clone(),
                posted_at: raw.posted_at,
                language: hustings_tokenize::language(&text),
                stats,
                n_paragraphs: cc.paragraphs.len() as u32,
                text,
            }
        })
        .collect();
    let mut edits = clean.edits;
    edits.sort_by(|a, b| (a.source.start, a.source.end, a.kind).cmp(&(b.source.start, b.source.end, b.kind)));
    let mut warnings = page.warnings.clone();
    if page.decoded.replacements > 0 {
        warnings.push(format!("{} invalid byte sequences replaced with U+FFFD", page.decoded.replacements));
    }
    Ok(Document {
        doc_id,
        source_path: rel.to_owned(),
        source_bytes: bytes.len() as u64,
        source_sha256,
        encoding: page.decoded.encoding,
        site: clean.site,
        title: clean.title,
        standfirst: clean.standfirst,
        author: clean.author,
        published_date: page.published,
        language: hustings_tokenize::language(&body_text),
        tags: clean.tags,
        n_paragraphs: clean.body.len() as u32,
        body_text,
        body_stats,
        comments,
        removed: page.removed,
        edits,
        warnings,
        tokens: token_rows,
    })
}

/// A text's statistics and, when asked for, its tokens with their source
/// file offsets.
fn analyse(text: &str, map: &OffsetMap, decoded: &Decoded, keep: bool) -> (TextStats, Vec<TokenRecord>) {
    if !keep {
        return (hustings_tokenize::analyse(text), Vec::new());
    }
    let (stats, mut tokens) = hustings_tokenize::analyse_with_tokens(text);
    for t in &mut tokens {
        t.source = decoded.source_span(map.decoded_span(t.text_span));
    }
    (stats, tokens)
}
