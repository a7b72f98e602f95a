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

use crate::decode::decode;
use crate::lines::split_lines;

/// Longest line (in bytes, trimmed) that is counted.
pub const MAX_LINE: usize = 200;

/// A stable 64-bit key of a line's normalised form (FNV-1a), or `None` for
/// lines that are empty after normalisation or too long to count.
pub fn line_key(line: &str) -> Option<u64> {
    let line = line.trim();
    if line.is_empty() || line.len() > MAX_LINE {
        return None;
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut any = false;
    let mut pending_space = false;
    let mut feed = |b: u8| {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    };
    for c in line.chars() {
        if c.is_alphanumeric() {
            if pending_space && any {
                feed(b' ');
            }
            pending_space = false;
            any = true;
            let c = if c.is_numeric() { '0' } else { c };
            for lc in c.to_lowercase() {
                let mut buf = [0u8; 4];
                lc.encode_utf8(&mut buf).bytes().for_each(&mut feed);
            }
        } else if c.is_whitespace() {
            pending_space = true;
        }
    }
    any.then_some(hash)
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
    counts: HashMap<u64, u32>,
    min_docs: u32,
}

impl RepeatedLines {
    /// An empty table: nothing is learned.
    pub fn new(min_docs: u32) -> RepeatedLines {
        RepeatedLines { counts: HashMap::new(), min_docs }
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
