//! Reading pages out of the files people keep them in.
//!
//! This crate owns what an input *is*: which kind a file is from its name
//! ([`Kind::of`]), how it is decompressed (gzip, zstd, bzip2, xz), and how its
//! pages come out of it — one page for a text file; every page member of a
//! tar or zip archive, streamed; one page per JSON line, CSV row or Parquet
//! row, with the URL, title and dates the record gives beside the text; one
//! page per conversion record of a Common Crawl WET file. It also owns the
//! caps that keep a hostile input from taking the machine ([`Limits`]: bytes
//! per page, expansion ratio of a compressed stream).
//!
//! [`read`] hands every page of a file, or what went wrong with it, to a
//! sink in file order, never holding more than one page (and a reader's
//! buffers) in memory. Nothing here parses pages: the bytes go to the
//! pipeline's parse stage as they are.

mod archive;
mod kind;
mod limit;
mod records;
mod wet;

use std::path::Path;

pub use kind::{Codec, Format, KNOWN, Kind};
pub use limit::{Limits, RATIO_FLOOR};
pub use records::{DATE_FIELDS, FETCHED_FIELDS, Fields, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS};

/// Metadata a record gives beside its text (as written there).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The page's address.
    pub url: Option<String>,
    /// Its headline.
    pub title: Option<String>,
    /// When it was published.
    pub date: Option<String>,
    /// When it was fetched (WET `WARC-Date`, a crawler's timestamp).
    pub fetched: Option<String>,
}

/// One page read out of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where in the file it was: `None` for a file that is one page, else the
    /// archive member's path, the record (`line=12`, `row=3`,
    /// `record=<urn:uuid:…>`), or both (`docs/a.jsonl#line=12`).
    pub record: Option<String>,
    /// The page's text, undecoded.
    pub bytes: Vec<u8>,
    /// What the record says of it.
    pub meta: Meta,
}

/// A page, member or file that could not be read, for the `errors` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Where in the file (as in [`Page::record`]); `None` for the file itself.
    pub record: Option<String>,
    /// `error` (could not be read) or `skipped` (not something that is read).
    pub kind: &'static str,
    /// What went wrong.
    pub message: String,
}

/// What an input yields, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A page.
    Page(Page),
    /// Something that could not be read; the rest of the file still is, when it can be.
    Failed(Failure),
}

/// How to read records and how much an input may expand to.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The caps.
    pub limits: Limits,
    /// Which record fields hold what.
    pub fields: Fields,
}

pub(crate) fn failed(record: Option<String>, message: String) -> Item {
    Item::Failed(Failure { record, kind: "error", message })
}

pub(crate) fn skipped(record: Option<String>, message: String) -> Item {
    Item::Failed(Failure { record, kind: "skipped", message })
}

/// `member#record`, `member` or `record`.
pub(crate) fn locate(member: Option<&str>, record: &str) -> String {
    match member {
        Some(m) => format!("{m}#{record}"),
        None => record.to_owned(),
    }
}

/// Every page of the file at `path`, which is of kind `kind`, handed to
/// `sink` in file order; what cannot be read is handed over as a
/// [`Item::Failed`] (with `record: None` when it is the whole file), and
/// whatever can still be read after it is.
pub fn read(path: &Path, kind: Kind, options: &Options, sink: &mut dyn FnMut(Item)) {
    let limits = &options.limits;
    match kind.format {
        Format::Page => sink(match read_page(path, kind.codec, limits) {
            Ok(bytes) => Item::Page(Page { record: None, bytes, meta: Meta::default() }),
            Err(message) => failed(None, message),
        }),
        Format::Zip => archive::read_zip(path, options, sink),
        Format::Parquet => records::read_parquet(path, options, sink),
        Format::JsonLines | Format::Csv | Format::Wet | Format::Tar => {
            let file = match std::fs::File::open(path) {
                Ok(f) => f,
                Err(e) => return sink(failed(None, format!("cannot read: {e}"))),
            };
            let stream = match limit::decoder(kind.codec, file, limits) {
                Ok(s) => s,
                Err(e) => return sink(failed(None, format!("cannot decompress: {e}"))),
            };
            read_stream(kind.format, stream, None, options, sink);
        }
    }
}

/// The pages of a stream that is not seekable: a file through its
/// decompressor, or an archive member.
pub(crate) fn read_stream(format: Format, stream: impl std::io::Read, member: Option<&str>, options: &Options, sink: &mut dyn FnMut(Item)) {
    let buffered = std::io::BufReader::with_capacity(64 << 10, stream);
    match format {
        Format::JsonLines => records::read_jsonl(buffered, member, options, sink),
        Format::Csv => records::read_csv(buffered, member, options, sink),
        Format::Wet => wet::read_wet(buffered, member, &options.limits, sink),
        Format::Tar => archive::read_tar(buffered, options, sink),
        Format::Page | Format::Zip | Format::Parquet => {
            sink(failed(member.map(str::to_owned), "internal error: not a stream format".into()));
        }
    }
}

/// A file that is one page, decompressed, refused past the page limit.
pub fn read_page(path: &Path, codec: Codec, limits: &Limits) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let stream = limit::decoder(codec, file, limits).map_err(|e| format!("cannot decompress: {e}"))?;
    limits.read_page("the decompressed page", stream)
}

/// A member name as the tables write paths: a backslash is `\\`, a byte
/// that is not UTF-8 `\xHH`.
pub fn escape_name(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            if ch == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(ch);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}
