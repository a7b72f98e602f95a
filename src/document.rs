//! One page through parse → clean → tokenise: a pure function of where it
//! came from (file, and member or record), its bytes and what its record
//! says of it.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use hustings_clean::OffsetMap;
use hustings_core::{Comment, Date, DateTime, Document, TextStats, TokenRecord, doc_id_from_digest, hex};
use hustings_parse::{DecodeError, Decoded, RepeatedLines};
use hustings_sources::{Limits, Meta};
use sha2::{Digest, Sha256};

use crate::Config;
use crate::discover::Input;
use crate::feed::Task;

/// What became of one page (or input that yields none).
pub(crate) struct Outcome {
    pub source_path: String,
    pub source_record: Option<String>,
    /// The kind of input it came from, for the summary.
    pub kind: String,
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

/// The bytes of a file that is one page, decompressed if it is compressed.
pub(crate) fn read_input(input: &Input, max: u64, limits: &Limits) -> Result<Vec<u8>, String> {
    match input {
        Input::File { path, kind, .. } if kind.codec == hustings_sources::Codec::None => read_capped(path, max),
        Input::File { path, kind, .. } => hustings_sources::read_page(path, kind.codec, limits),
        Input::Refused { message, .. } => Err(message.clone()),
    }
}

/// Read (where the worker reads it) and process one page; never panics on bad input.
pub(crate) fn load_and_process(task: Task<'_>, repeated: &RepeatedLines, config: &Config, limits: &Limits) -> Outcome {
    let tokens = config.tokens;
    let label = |input: &Input| match input {
        Input::File { kind, .. } => kind.label(),
        Input::Refused { .. } => String::new(),
    };
    let failed = |input: &Input, record: Option<String>, kind: &'static str, message: String| Outcome {
        source_path: input.rel().to_owned(),
        source_record: record,
        kind: label(input),
        bytes: 0,
        read: false,
        result: Err((kind, message)),
    };
    let (input, record, bytes, meta) = match task {
        Task::Input(input @ Input::Refused { kind, message, .. }) => return failed(input, None, kind, message.clone()),
        Task::Input(input) => match read_input(input, config.max_file_bytes, limits) {
            Ok(bytes) => (input, None, bytes, Meta::default()),
            Err(e) => return failed(input, None, "error", e),
        },
        Task::Page(input, page) => (input, page.record, page.bytes, page.meta),
        Task::Failed(input, f) => return failed(input, f.record, f.kind, f.message),
    };
    let rel = input.rel();
    // A bug that panics on one page must not sink the run: it becomes that
    // page's error row. The corpus knowledge is read-only.
    let attempt = std::panic::catch_unwind(AssertUnwindSafe(|| process_page(rel, record.as_deref(), &bytes, &meta, repeated, tokens)));
    let result = match attempt {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => Err(("error", e.to_string())),
        Err(panic) => Err(("error", format!("internal error, please report it: {}", panic_message(panic.as_ref())))),
    };
    Outcome { source_path: rel.to_owned(), source_record: record, kind: label(input), bytes: bytes.len() as u64, read: true, result }
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
    process_page(rel, None, bytes, &Meta::default(), repeated, tokens)
}

/// The document a page yields: `record` is where in the file `rel` it was
/// (for files of many pages), `meta` what its record says of it, which
/// beats what the parser reads from the page (the `from_record` column
/// lists what it filled).
pub fn process_page(
    rel: &str,
    record: Option<&str>,
    bytes: &[u8],
    meta: &Meta,
    repeated: &RepeatedLines,
    tokens: bool,
) -> Result<Document, DecodeError> {
    let sha = Sha256::digest(bytes);
    let source_sha256 = hex(&sha);
    let mut id_hash = Sha256::new();
    id_hash.update(rel.as_bytes());
    id_hash.update([0u8]);
    if let Some(record) = record {
        id_hash.update(record.as_bytes());
        id_hash.update([0u8]);
    }
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
    let mut from_record = Vec::new();
    if meta.url.is_some() {
        from_record.push("url");
    }
    let title = match &meta.title {
        Some(t) => {
            from_record.push("title");
            Some(t.clone())
        }
        None => clean.title,
    };
    let published_date = match meta.date.as_deref().map(|d| (d, parse_iso(d))) {
        Some((_, Some((date, _)))) => {
            from_record.push("published_date");
            Some(date)
        }
        Some((d, None)) => {
            warnings.push(format!("record date {d:?} is not an ISO 8601 date: the page's own is kept"));
            page.published
        }
        None => page.published,
    };
    let fetched_at = match meta.fetched.as_deref().map(|d| (d, parse_iso(d))) {
        Some((_, Some((date, time)))) => {
            from_record.push("fetched_at");
            let (h, m, s) = time.unwrap_or((0, 0, 0));
            DateTime::new(date, h, m, s)
        }
        Some((d, None)) => {
            warnings.push(format!("record fetch time {d:?} is not an ISO 8601 date"));
            None
        }
        None => None,
    };
    let site = clean.site.or_else(|| meta.url.as_deref().and_then(host));
    Ok(Document {
        doc_id,
        source_path: rel.to_owned(),
        source_record: record.map(str::to_owned),
        url: meta.url.clone(),
        fetched_at,
        from_record,
        source_bytes: bytes.len() as u64,
        source_sha256,
        encoding: page.decoded.encoding,
        site,
        title,
        standfirst: clean.standfirst,
        author: clean.author,
        published_date,
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

/// Hour, minute, second.
type Clock = (u32, u32, u32);

/// `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS]`
/// (anything after, fractions or a zone, is not read).
fn parse_iso(s: &str) -> Option<(Date, Option<Clock>)> {
    let s = s.trim();
    let num = |a: usize, b: usize| s.get(a..b).filter(|p| p.bytes().all(|c| c.is_ascii_digit())).and_then(|p| p.parse::<u32>().ok());
    if s.len() < 10 || s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
        return None;
    }
    let date = Date::from_ymd(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    let rest = &s[10..];
    let time = if rest.starts_with(['T', ' ']) && rest.len() >= 6 && rest.as_bytes()[3] == b':' {
        let second = if rest.len() >= 9 && rest.as_bytes()[6] == b':' { num(17, 19)? } else { 0 };
        Some((num(11, 13)?, num(14, 16)?, second))
    } else {
        None
    };
    Some((date, time))
}

/// The host of a URL, without `www.`: the site of a page that names none.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.strip_prefix("www.").unwrap_or(host).to_ascii_lowercase();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_times_are_read_and_others_are_not() {
        let d = |y, m, day| Date::from_ymd(y, m, day).expect("a date");
        assert_eq!(parse_iso("2011-02-03"), Some((d(2011, 2, 3), None)));
        assert_eq!(parse_iso("2023-01-27T21:38:46Z"), Some((d(2023, 1, 27), Some((21, 38, 46)))));
        assert_eq!(parse_iso("2023-01-27 21:38"), Some((d(2023, 1, 27), Some((21, 38, 0)))));
        for bad in ["", "3 Feb 2011", "2011-02-30", "2011/02/03", "20110203", "2023-01-27T2x:38"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn hosts_lose_scheme_port_user_and_www() {
        assert_eq!(host("http://www.Example.org/a/b?c").as_deref(), Some("example.org"));
        assert_eq!(host("https://u:p@blog.example.co.uk:8080/x").as_deref(), Some("blog.example.co.uk"));
        assert_eq!(host("not a url"), None);
        assert_eq!(host("file:///tmp/x"), None);
    }

    #[test]
    fn a_record_s_metadata_beats_the_page_and_says_so() {
        let page = b"The Page Title\n\nA body paragraph long enough to be read as the article body of the page.\n";
        let meta = Meta {
            url: Some("http://www.blog.example/2011/post".into()),
            title: Some("Record Title".into()),
            date: Some("2011-02-03".into()),
            fetched: Some("2023-01-27T21:38:46Z".into()),
        };
        let doc = process_page("f.jsonl", Some("line=2"), page, &meta, &RepeatedLines::default(), false).expect("a page");
        assert_eq!(doc.title.as_deref(), Some("Record Title"));
        assert_eq!(doc.published_date, Date::from_ymd(2011, 2, 3));
        assert_eq!(doc.fetched_at.map(|t| t.micros_since_epoch()), Some(1_674_855_526_000_000));
        assert_eq!(doc.site.as_deref(), Some("blog.example"));
        assert_eq!(doc.from_record, ["url", "title", "published_date", "fetched_at"]);
        let bare = process_page("f.jsonl", Some("line=2"), page, &Meta::default(), &RepeatedLines::default(), false).expect("a page");
        assert!(bare.from_record.is_empty() && bare.url.is_none() && bare.fetched_at.is_none());
        assert_ne!(bare.doc_id, process("f.jsonl", page).expect("a page").doc_id, "the record is part of the id");
    }
}
