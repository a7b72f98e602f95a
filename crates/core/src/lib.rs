//! Record types shared by every hustings stage.
//!
//! This crate owns the vocabulary the pipeline speaks: [`Span`]s into a source
//! page, calendar values ([`Date`], [`DateTime`]), the stable identifiers
//! ([`doc_id_from_digest`], [`comment_id`]) and the finished records — [`Document`],
//! [`Comment`], [`Removed`] (a boilerplate line or block) and [`Edit`] (one
//! text repair) — that `export` turns into tables. It does no I/O and knows
//! nothing of serialisation formats.
//!
//! ```
//! use hustings_core::{Date, comment_id};
//! let d = Date::from_ymd(2012, 4, 26).unwrap();
//! assert_eq!(d.to_string(), "2012-04-26");
//! assert_eq!(comment_id("3cd8318704b17162", 3), "3cd8318704b17162-c3");
//! ```

mod calendar;
mod records;

pub use calendar::{Date, DateTime};
pub use records::{
    BigramCount, BigramEntry, Comment, Document, Edit, KeynessEntry, PartialBigram, PartialTerm, PartialTermLanguage, Removed, TermCount,
    TextStats, TokenClass, TokenRecord, VocabEntry,
};

/// A half-open byte range `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Number of bytes covered.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The slice of `text` this span covers, or `""` when out of range.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// The identifier of a document: 16 hex digits of the SHA-256 of its
/// `/`-separated relative source path, a NUL byte and its raw bytes.
///
/// It depends only on what the file is and where it sits under the input
/// folder, never on run order or thread count. The hashing itself lives with
/// the caller (this crate has no dependencies); this function formats it.
pub fn doc_id_from_digest(digest: &[u8]) -> String {
    let mut s = String::with_capacity(16);
    for b in digest.iter().take(8) {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The identifier of the comment at 1-based `position` in document `doc_id`.
pub fn comment_id(doc_id: &str, position: u32) -> String {
    format!("{doc_id}-c{position}")
}

/// Lower-case hex of arbitrary bytes (used for SHA-256 digests).
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_formatted_stably() {
        assert_eq!(doc_id_from_digest(&[0xab, 0x01, 2, 3, 4, 5, 6, 7, 8, 9]), "ab01020304050607");
        assert_eq!(comment_id("ab", 12), "ab-c12");
        assert_eq!(hex(&[0, 255]), "00ff");
    }

    #[test]
    fn span_slices_safely() {
        let s = Span::new(2, 5);
        assert_eq!(s.slice("hello world"), "llo");
        assert_eq!(Span::new(3, 99).slice("abc"), "");
        assert_eq!(s.len(), 3);
        assert!(Span::new(4, 4).is_empty());
    }
}
