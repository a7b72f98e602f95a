//! Corpus knowledge: lines that recur across many pages.
//!
//! A first pass over the corpus ([`line_keys`] per page, summed into a
//! [`RepeatedLines`]) counts in how many documents each normalised line
//! occurs, as CCNet does for its line deduplication. The second pass treats
//! a line seen in at least `min_docs` documents as boilerplate (rule
//! `repeated-line`, with the count), whatever it says.
//!
//! Normalisation: lower case, digits to `0`, punctuation dropped, whitespace
//! collapsed. Lines longer than [`MAX_LINE`] bytes are not counted: furniture
//! is short, and a long paragraph shared by pages is quotation or a
//! duplicated article, which is not ours to delete.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::decode::decode;
use crate::lines::{is_space_byte, split_lines};

/// Longest line (in bytes, trimmed) that is counted.
pub const MAX_LINE: usize = 200;

/// A stable 64-bit key of a line's normalised form (FNV-1a), or `None` for
/// lines that are empty after normalisation or too long to count.
///
/// ASCII bytes are normalised without decoding (for them, alphanumeric,
/// numeric, lower case and white space are the ASCII classes); other
/// characters by their Unicode properties.
pub fn line_key(line: &str) -> Option<u64> {
    let line = line.trim();
    if line.is_empty() || line.len() > MAX_LINE {
        return None;
    }
    let mut key = Normalised { hash: 0xcbf2_9ce4_8422_2325, any: false, pending_space: false };
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() {
                key.word_char(&[if b.is_ascii_digit() { b'0' } else { b.to_ascii_lowercase() }]);
            } else if is_space_byte(b) {
                key.pending_space = true;
            }
        } else {
            let c = line[i..].chars().next().unwrap_or_default();
            i += c.len_utf8();
            if c.is_alphanumeric() {
                let c = if c.is_numeric() { '0' } else { c };
                for lc in c.to_lowercase() {
                    key.word_char(lc.encode_utf8(&mut [0u8; 4]).as_bytes());
                }
            } else if c.is_whitespace() {
                key.pending_space = true;
            }
        }
    }
    key.any.then_some(key.hash)
}

/// A line's normalised form as it is hashed (FNV-1a), one character at a time.
struct Normalised {
    hash: u64,
    /// Whether a word character has been hashed.
    any: bool,
    /// Whether white space came since the last word character.
    pending_space: bool,
}

impl Normalised {
    fn feed(&mut self, b: u8) {
        self.hash ^= u64::from(b);
        self.hash = self.hash.wrapping_mul(0x0100_0000_01b3);
    }

    /// Hash a word character's UTF-8, after one space if white space came
    /// between it and the previous one.
    fn word_char(&mut self, utf8: &[u8]) {
        if self.pending_space && self.any {
            self.feed(b' ');
        }
        self.pending_space = false;
        self.any = true;
        utf8.iter().for_each(|&b| self.feed(b));
    }
}

/// The distinct line keys of a page's bytes (empty when it is not text).
pub fn line_keys(bytes: &[u8]) -> Vec<u64> {
    let Ok(decoded) = decode(bytes) else {
        return Vec::new();
    };
    let mut keys: Vec<u64> = split_lines(&decoded.text).iter().filter_map(|l| line_key(l.content.slice(&decoded.text))).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// How many documents each line occurs in, and the threshold for boilerplate.
#[derive(Debug, Clone, Default)]
pub struct RepeatedLines {
    // Lookups only, never iterated into output: a fast hasher is safe.
    counts: HashMap<u64, u32, RandomState>,
    min_docs: u32,
}

impl RepeatedLines {
    /// An empty table: nothing is learned.
    pub fn new(min_docs: u32) -> RepeatedLines {
        RepeatedLines { counts: HashMap::default(), min_docs }
    }

    /// A table of counts made elsewhere (the merged first pass of a sharded run).
    pub fn from_counts(min_docs: u32, counts: impl IntoIterator<Item = (u64, u32)>) -> RepeatedLines {
        let mut table = RepeatedLines { counts: counts.into_iter().collect(), min_docs };
        table.prune();
        table
    }

    /// Count one document's distinct line keys.
    pub fn add(&mut self, keys: &[u64]) {
        for &k in keys {
            *self.counts.entry(k).or_insert(0) += 1;
        }
    }

    /// Keep only the lines at or above the threshold (frees the rest).
    pub fn prune(&mut self) {
        let min = self.min_docs.max(1);
        self.counts.retain(|_, n| *n >= min);
        self.counts.shrink_to_fit();
    }

    /// In how many documents `line` occurs, if that makes it boilerplate.
    pub fn repeats(&self, line: &str) -> Option<u32> {
        if self.min_docs == 0 || self.counts.is_empty() {
            return None;
        }
        let n = *self.counts.get(&line_key(line)?)?;
        (n >= self.min_docs).then_some(n)
    }

    /// Number of distinct lines held.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_case_digits_punctuation_and_space() {
        assert_eq!(line_key("© 2024 Left Futures | Powered by WordPress"), line_key("© 2019 left futures  powered by wordpress!"));
        assert_ne!(line_key("Share this"), line_key("Share that"));
        assert_eq!(line_key("  ---  "), None);
        assert_eq!(line_key(&"x".repeat(MAX_LINE + 1)), None);
    }

    /// The normalisation by characters alone, as `line_key` did before its ASCII path.
    fn key_by_chars(line: &str) -> Option<u64> {
        let line = line.trim();
        if line.is_empty() || line.len() > MAX_LINE {
            return None;
        }
        let mut norm = String::new();
        let mut pending_space = false;
        for c in line.chars() {
            if c.is_alphanumeric() {
                if pending_space && !norm.is_empty() {
                    norm.push(' ');
                }
                pending_space = false;
                norm.extend(if c.is_numeric() { '0' } else { c }.to_lowercase());
            } else if c.is_whitespace() {
                pending_space = true;
            }
        }
        (!norm.is_empty()).then(|| norm.bytes().fold(0xcbf2_9ce4_8422_2325, |h: u64, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)))
    }

    #[test]
    fn ascii_path_keys_as_characters_do() {
        let lines = [
            "© 2024 Left Futures | Powered by WordPress",
            "Posted by  Jo\u{0B}Bloggs\x0c on 12/03/2011 at 9:15pm",
            "Ünïcödé ÀND ascii ½ ² ٣ mixed—dash\u{A0}nbsp\u{2003}em",
            "İstanbul ΣΊΣΥΦΟΣ straße ǅ",
            "\u{1F600} emoji only \u{85} next-line \u{1C}unit sep",
            "tab\there\rcr",
            "!!!",
        ];
        for line in lines {
            assert_eq!(line_key(line), key_by_chars(line), "{line:?}");
        }
    }

    #[test]
    fn threshold_and_counts() {
        let mut r = RepeatedLines::new(3);
        for _ in 0..3 {
            r.add(&line_keys(b"Home | News | Sport\nA different article every time\n"));
        }
        r.add(&line_keys(b"Home | News | Sport\n"));
        r.add(&line_keys(b"Only once here\n"));
        r.prune();
        assert_eq!(r.repeats("home | news | sport"), Some(4));
        assert_eq!(r.repeats("A different article every time"), Some(3));
        assert_eq!(r.repeats("Only once here"), None);
        assert_eq!(RepeatedLines::new(3).repeats("Home | News | Sport"), None);
    }
}
