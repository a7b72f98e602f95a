//! Words, sentences and per-text statistics.
//!
//! [`tokens`] splits text at Unicode UAX #29 word boundaries
//! (unicode-segmentation), keeping URLs, e-mail addresses, @mentions and
//! #hashtags whole, and classes every token ([`TokenClass`]). [`term`] is the
//! token's counted form: NFKC-normalised, lower-cased, with typographic
//! apostrophes folded to `'`. [`analyse`] gives a text's [`TextStats`]:
//! tokens and types of every class but punctuation, sentences (UAX #29), and
//! the per-term counts that make up the `token_counts` table.
//!
//! ```
//! let stats = hustings_tokenize::analyse("Labour’s NEC met. Labour's MPs didn't! See https://example.org/x.");
//! assert_eq!(stats.n_sentences, 3);
//! let labour = stats.terms.iter().find(|t| t.term == "labour's").unwrap();
//! assert_eq!(labour.count, 2);
//! assert!(stats.terms.iter().any(|t| t.term == "https://example.org/x"));
//! ```

mod language;
mod vocabulary;

use std::borrow::Cow;
use std::collections::HashMap;

pub use hustings_core::{TermCount, TextStats, TokenClass};
pub use language::language;
pub use vocabulary::Vocabulary;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// One token of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as written.
    pub surface: &'a str,
    /// Byte offset in the text.
    pub start: usize,
    /// Its class.
    pub class: TokenClass,
}

/// The tokens of `text`, whitespace left out, punctuation included.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut skip_to = 0;
    let mut run = Run::default();
    for (start, seg) in text.split_word_bound_indices() {
        if start < skip_to {
            continue;
        }
        if start >= run.end {
            run = Run::at(text, start);
        }
        if let Some((end, class)) = whole_token(text, start, seg, &run) {
            out.push(Token { surface: &text[start..end], start, class });
            skip_to = end;
            continue;
        }
        if seg.chars().all(char::is_whitespace) {
            continue;
        }
        out.push(Token { surface: seg, start, class: classify(seg) });
    }
    out
}

/// The whitespace-free run a segment sits in, measured once per run so each
/// segment's look-ahead is O(1) however long the run.
#[derive(Debug, Default)]
struct Run {
    /// End of the run.
    end: usize,
    /// End of the run without its trailing punctuation.
    trimmed_end: usize,
    /// Offset of the run's last '@'.
    last_at: Option<usize>,
}

impl Run {
    fn at(text: &str, start: usize) -> Run {
        let rest = &text[start..];
        let end = start + rest.find(char::is_whitespace).unwrap_or(rest.len());
        let trimmed_end = start + trim_trailing_punct(&text[start..end]).len();
        let last_at = text[start..end].rfind('@').map(|i| start + i);
        Run { end, trimmed_end, last_at }
    }
}

/// Longest e-mail address (RFC 5321).
const MAX_EMAIL: usize = 254;

/// A URL, e-mail address, mention or hashtag starting at `start`: its end and class.
fn whole_token(text: &str, start: usize, seg: &str, run: &Run) -> Option<(usize, TokenClass)> {
    let first = seg.as_bytes().first()?;
    // The rest of the run from this segment, without trailing punctuation.
    let rest_of_run = &text[start..run.trimmed_end.max(start)];
    match first {
        b'h' | b'H' | b'w' | b'W' => {
            let lower = rest_of_run.get(..8).unwrap_or(rest_of_run).to_ascii_lowercase();
            let is_url = lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.");
            (is_url && rest_of_run.len() > 8).then_some((start + rest_of_run.len(), TokenClass::Url))
        }
        b'@' | b'#' => {
            let rest = &text[start..];
            let name_len: usize = rest[1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .map(char::len_utf8)
                .sum();
            let has_letter = rest[1..1 + name_len].chars().any(char::is_alphabetic);
            let preceded = text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric());
            let class = if *first == b'@' { TokenClass::Mention } else { TokenClass::Hashtag };
            (name_len > 0 && has_letter && !preceded).then_some((start + 1 + name_len, class))
        }
        _ if seg.chars().next().is_some_and(char::is_alphanumeric)
            && run.last_at.is_some_and(|at| at >= start && at < start + rest_of_run.len())
            && rest_of_run.len() <= MAX_EMAIL =>
        {
            is_email(rest_of_run).then_some((start + rest_of_run.len(), TokenClass::Email))
        }
        _ => None,
    }
}

fn trim_trailing_punct(s: &str) -> &str {
    s.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '’', '”', '»', '>'])
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    let local_ok = !local.is_empty() && local.chars().all(|c| c.is_alphanumeric() || "._+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    local_ok
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| tld.chars().all(char::is_alphabetic))
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

fn classify(seg: &str) -> TokenClass {
    if seg.chars().any(char::is_alphabetic) {
        TokenClass::Word
    } else if seg.chars().any(|c| c.is_numeric()) {
        TokenClass::Number
    } else if seg.chars().any(is_emoji) {
        TokenClass::Emoji
    } else {
        TokenClass::Punct
    }
}

/// The counted form of a token: NFKC, lower case, apostrophes folded to `'`.
pub fn term(surface: &str) -> Cow<'_, str> {
    if surface.is_ascii() {
        if surface.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(surface.to_ascii_lowercase());
        }
        return Cow::Borrowed(surface);
    }
    let folded: String = surface.nfkc().map(|c| if matches!(c, '’' | 'ʼ' | '‘') { '\'' } else { c }).collect();
    Cow::Owned(folded.to_lowercase())
}

/// Token statistics of one text.
pub fn analyse(text: &str) -> TextStats {
    let toks = tokens(text);
    let mut counts: HashMap<Cow<'_, str>, (TokenClass, u64)> = HashMap::new();
    let mut n_tokens = 0u64;
    for t in toks.iter().filter(|t| t.class != TokenClass::Punct) {
        n_tokens += 1;
        counts.entry(term(t.surface)).or_insert((t.class, 0)).1 += 1;
    }
    let mut terms: Vec<TermCount> =
        counts.into_iter().map(|(term, (class, count))| TermCount { term: term.into_owned(), class, count }).collect();
    terms.sort_unstable_by(|a, b| a.term.cmp(&b.term));
    // A plain loop: unicode-segmentation 1.13's sentence iterator underflows
    // in `size_hint` on empty input, which adaptors such as `filter().count()` call.
    let mut n_sentences = 0u64;
    if !text.is_empty() {
        for s in text.split_sentence_bounds() {
            if s.chars().any(|c| c.is_alphanumeric() || is_emoji(c)) {
                n_sentences += 1;
            }
        }
    }
    TextStats { n_tokens, n_types: terms.len() as u64, n_sentences, terms }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[(&str, &str)]) {
        let got: Vec<(&str, &str)> = tokens(text).iter().map(|t| (t.surface, t.class.as_str())).collect();
        assert_eq!(got, expect, "{text:?}");
        for t in tokens(text) {
            assert_eq!(&text[t.start..t.start + t.surface.len()], t.surface);
        }
    }

    #[test]
    fn token_classes() {
        check("Don't stop", &[("Don't", "word"), ("stop", "word")]);
        check("Labour’s 66 per cent.", &[("Labour’s", "word"), ("66", "number"), ("per", "word"), ("cent", "word"), (".", "punct")]);
        check("see www.progressonline.org.uk/x, ok", &[("see", "word"), ("www.progressonline.org.uk/x", "url"), (",", "punct"), ("ok", "word")]);
        check("mail jo.b@example.co.uk.", &[("mail", "word"), ("jo.b@example.co.uk", "email"), (".", "punct")]);
        check("@LukeAkehurst #LabourNEC", &[("@LukeAkehurst", "mention"), ("#LabourNEC", "hashtag")]);
        check("no #1 here", &[("no", "word"), ("#", "punct"), ("1", "number"), ("here", "word")]);
        check("ok 👍", &[("ok", "word"), ("👍", "emoji")]);
        check("3,000.5", &[("3,000.5", "number")]);
    }

    #[test]
    fn terms_fold_case_width_and_apostrophes() {
        assert_eq!(term("Labour’s"), "labour's");
        assert_eq!(term("ＬＡＢＯＵＲ"), "labour");
        assert_eq!(term("ÉCOLE"), "école");
        assert_eq!(term("ken"), "ken");
    }

    #[test]
    fn stats_add_up() {
        let s = analyse("Ken won. Ken lost? Boris won!\n\n• A list item");
        assert_eq!(s.n_tokens, 9);
        assert_eq!(s.n_sentences, 4);
        assert_eq!(s.terms.iter().map(|t| t.count).sum::<u64>(), s.n_tokens);
        assert_eq!(s.n_types, 7);
        assert_eq!(analyse("").n_sentences, 0);
    }
}
