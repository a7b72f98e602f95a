//! Bytes to page structure.
//!
//! [`parse`] decodes a scraped page ([`decode`]: BOMs, UTF-8, UTF-16,
//! Windows-1252, refusing binary and empty input) and reads it into a
//! [`Page`]: site, title, standfirst, author, date and tags; the article body
//! as [`Block`]s; the comment thread as [`RawComment`]s; and every line it took
//! out, with the rule that took it and its byte span in the source. Text stays
//! raw here — `hustings-clean` repairs and normalises it.
//!
//! Parsing never fails on text: a page it cannot fully read still yields a
//! `Page`, with `warnings` saying what was uncertain.
//!
//! ```
//! let page = hustings_parse::parse(b"Latest post on Left Futures\n\nA title\n\nBody text here.\n").unwrap();
//! assert_eq!(page.site.as_deref(), Some("Left Futures"));
//! assert_eq!(page.title.as_deref(), Some("A title"));
//! assert_eq!(page.body.len(), 1);
//! ```

pub mod dates;
pub mod decode;
pub mod headline;
pub mod knowledge;
pub mod lines;
mod page;
pub mod records;
pub mod rules;
pub mod thread;

pub use decode::{DecodeError, Decoded};
pub use knowledge::RepeatedLines;
pub use page::{Block, BlockKind, Page, RawComment, structure};

/// Decode `bytes` and read the page's structure, with nothing learned from
/// the rest of the corpus.
pub fn parse(bytes: &[u8]) -> Result<Page, DecodeError> {
    parse_with(bytes, &RepeatedLines::default())
}

/// Decode `bytes` and read the page's structure, treating lines that recur
/// across the corpus (`repeated`, from a first pass) as boilerplate.
pub fn parse_with(bytes: &[u8], repeated: &RepeatedLines) -> Result<Page, DecodeError> {
    decode::decode(bytes).map(|d| structure(d, repeated))
}
