//! Words, sentences and per-text statistics.
//!
//! [`tokens`] splits text at Unicode UAX #29 word boundaries (computed in
//! `segment` for common lines, by unicode-segmentation for the rest, with the
//! same result), keeping URLs, e-mail addresses, @mentions and
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
mod lexicon;
mod segment;
mod sentences;
mod spill;
mod vocabulary;

use std::borrow::Cow;
use std::collections::HashMap;

use hustings_core::{BigramCount, Span};
pub use hustings_core::{PartialBigram, PartialTerm, PartialTermLanguage};
pub use hustings_core::{TermCount, TextStats, TokenClass, TokenRecord};
pub use language::language;
pub use lexicon::{is_stopword, stem};
pub use sentences::{ABBREVIATIONS, sentence_spans};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
use unicode_properties::{EmojiStatus, UnicodeEmoji};
pub use vocabulary::{CorpusTables, PartialTables, Rows, Vocabulary};

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
    segment::each_word_bound(text, |start, seg| {
        if start < skip_to {
            return;
        }
        if start >= run.end {
            run = Run::at(text, start);
        }
        if let Some((end, class)) = whole_token(text, start, seg, &mut run) {
            out.push(Token { surface: &text[start..end], start, class });
            skip_to = end;
            return;
        }
        if seg.chars().all(char::is_whitespace) {
            return;
        }
        out.push(Token { surface: seg, start, class: classify(seg) });
    });
    out
}

/// The whitespace-free run a segment sits in, measured once per run so each
/// segment's look-ahead is O(1) however long the run.
#[derive(Debug, Default)]
struct Run {
    /// End of the run.
    end: usize,
    /// End of the run without its trailing punctuation, once a URL or an
    /// e-mail address is looked for in it.
    trimmed_end: Option<usize>,
    /// Offset of the run's last '@'.
    last_at: Option<usize>,
}

impl Run {
    fn at(text: &str, start: usize) -> Run {
        let rest = &text[start..];
        let end = start + next_whitespace(rest).unwrap_or(rest.len());
        let last_at = text.as_bytes()[start..end].iter().rposition(|&b| b == b'@').map(|i| start + i);
        Run { end, trimmed_end: None, last_at }
    }

    /// The rest of the run from `start`, without trailing punctuation.
    fn rest_from<'t>(&mut self, text: &'t str, start: usize) -> &'t str {
        let trimmed = *self.trimmed_end.get_or_insert_with(|| start + trim_trailing_punct(&text[start..self.end]).len());
        &text[start..trimmed.max(start)]
    }
}

/// Offset of the first whitespace character in `s`: `s.find(char::is_whitespace)`,
/// decoding only the non-ASCII characters.
fn next_whitespace(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if matches!(b, b'\t'..=b'\r' | b' ') {
                return Some(i);
            }
            i += 1;
        } else {
            let c = s[i..].chars().next()?;
            if c.is_whitespace() {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }
    None
}

/// Longest e-mail address (RFC 5321).
const MAX_EMAIL: usize = 254;

/// A URL, e-mail address, mention or hashtag starting at `start`: its end and class.
fn whole_token(text: &str, start: usize, seg: &str, run: &mut Run) -> Option<(usize, TokenClass)> {
    let first = seg.as_bytes().first()?;
    match first {
        b'h' | b'H' | b'w' | b'W' => {
            // The rest of the run from this segment, without trailing punctuation.
            let rest_of_run = run.rest_from(text, start);
            let starts =
                |prefix: &str| rest_of_run.as_bytes().get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()));
            let is_url = starts("http://") || starts("https://") || starts("www.");
            (is_url && rest_of_run.len() > 8).then_some((start + rest_of_run.len(), TokenClass::Url))
        }
        b'@' | b'#' => {
            let rest = &text[start..];
            let name_len: usize = rest[1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').map(char::len_utf8).sum();
            let has_letter = rest[1..1 + name_len].chars().any(char::is_alphabetic);
            let preceded = text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric());
            let class = if *first == b'@' { TokenClass::Mention } else { TokenClass::Hashtag };
            (name_len > 0 && has_letter && !preceded).then_some((start + 1 + name_len, class))
        }
        _ if run.last_at.is_some_and(|at| at >= start) && seg.chars().next().is_some_and(char::is_alphanumeric) => {
            let rest_of_run = run.rest_from(text, start);
            let at_inside = run.last_at.is_some_and(|at| at < start + rest_of_run.len());
            (at_inside && rest_of_run.len() <= MAX_EMAIL && is_email(rest_of_run)).then_some((start + rest_of_run.len(), TokenClass::Email))
        }
        _ => None,
    }
}

fn trim_trailing_punct(s: &str) -> &str {
    s.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '’', '”', '»', '>'])
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty() && local.chars().all(|c| c.is_alphanumeric() || "._+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    local_ok
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| tld.chars().all(char::is_alphabetic))
}

/// Whether `seg` is an emoji (UTS #51): it holds a character shown as emoji
/// by default (`Emoji_Presentation`), or an emoji character followed by the
/// emoji variation selector U+FE0F. Text-style pictographs such as ©, ™ or ★
/// are symbols (`punct`).
fn is_emoji(seg: &str) -> bool {
    let mut prev_emoji = false;
    for c in seg.chars() {
        let status = c.emoji_status();
        if matches!(
            status,
            EmojiStatus::EmojiPresentation
                | EmojiStatus::EmojiPresentationAndModifierBase
                | EmojiStatus::EmojiPresentationAndEmojiComponent
                | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
        ) || (c == '\u{FE0F}' && prev_emoji)
        {
            return true;
        }
        prev_emoji = c.is_emoji_char();
    }
    false
}

fn classify(seg: &str) -> TokenClass {
    if seg.chars().any(char::is_alphabetic) {
        TokenClass::Word
    } else if seg.chars().any(|c| c.is_numeric()) && !is_emoji(seg) {
        TokenClass::Number
    } else if is_emoji(seg) {
        TokenClass::Emoji
    } else {
        TokenClass::Punct
    }
}

/// The counted form of a token: NFKC-normalised, fully case-folded (Unicode
/// default case folding, so "STRASSE" and "Straße" are both "strasse"), with
/// typographic apostrophes folded to `'`.
pub fn term(surface: &str) -> Cow<'_, str> {
    if surface.is_ascii() {
        if surface.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(surface.to_ascii_lowercase());
        }
        return Cow::Borrowed(surface);
    }
    let nfkc: String = surface.nfkc().map(|c| if matches!(c, '’' | 'ʼ' | '‘') { '\'' } else { c }).collect();
    let folded = caseless::default_case_fold_str(&nfkc);
    // Folding can decompose ("ǰ" → "ǰ"); put the result back in NFKC.
    if is_nfkc_quick(folded.chars()) == IsNormalized::Yes { Cow::Owned(folded) } else { Cow::Owned(folded.nfkc().collect()) }
}

/// Window of the moving-average type/token ratio.
pub const MATTR_WINDOW: usize = 50;

/// Token statistics of one text.
pub fn analyse(text: &str) -> TextStats {
    analyse_text(text, false).0
}

/// Token statistics of one text and its token occurrences (with
/// [`TokenRecord::source`] set to the range in `text`: the caller maps it).
pub fn analyse_with_tokens(text: &str) -> (TextStats, Vec<TokenRecord>) {
    analyse_text(text, true)
}

fn analyse_text(text: &str, keep: bool) -> (TextStats, Vec<TokenRecord>) {
    let toks = tokens(text);
    let raw_sentences = sentence_spans(text);
    // Which raw sentence each token is in.
    let mut in_sentence = Vec::with_capacity(toks.len());
    let mut r = 0;
    for t in &toks {
        while r + 1 < raw_sentences.len() && t.start >= raw_sentences[r].1 {
            r += 1;
        }
        in_sentence.push(r);
    }
    // Sentences are numbered among those with a counted token; a run of
    // punctuation alone belongs to the sentence before it.
    let mut counted = vec![false; raw_sentences.len()];
    for (t, &r) in toks.iter().zip(&in_sentence) {
        if t.class != TokenClass::Punct {
            counted[r] = true;
        }
    }
    let mut number = Vec::with_capacity(raw_sentences.len());
    let mut seen = 0u32;
    for &c in &counted {
        if c {
            seen += 1;
        }
        number.push(seen.saturating_sub(1));
    }

    // foldhash: several times faster than SipHash on short strings, and seeded per process.
    let hasher = foldhash::fast::RandomState::default;
    let mut ids: HashMap<Cow<'_, str>, u32, foldhash::fast::RandomState> = HashMap::with_capacity_and_hasher(toks.len() / 2, hasher());
    // Per term id: the class it was first seen with, its count, and its
    // syllables once seen as an ASCII word (an ASCII surface has the
    // term's letters, so the count is the same for every such occurrence).
    let mut entries: Vec<(TokenClass, u64, Option<u64>)> = Vec::new();
    let mut sequence: Vec<u32> = Vec::with_capacity(toks.len());
    let mut pairs: HashMap<(u32, u32), u64, foldhash::fast::RandomState> = HashMap::with_capacity_and_hasher(toks.len(), hasher());
    let mut previous: Option<(u32, u32)> = None; // (sentence, term id)
    let mut records = Vec::new();
    let (mut n_words, mut n_syllables) = (0u64, 0u64);
    // The folded form of a token that needs folding: one buffer, reused.
    let mut scratch = String::new();
    for (index, (t, &r)) in toks.iter().zip(&in_sentence).enumerate() {
        if t.class == TokenClass::Punct && !keep {
            continue;
        }
        let sentence = number[r];
        let ascii = t.surface.is_ascii();
        let plain = ascii && !t.surface.bytes().any(|b| b.is_ascii_uppercase());
        let key: &str = if plain {
            t.surface
        } else {
            scratch.clear();
            if ascii {
                // term()'s ASCII case, into the reused buffer.
                scratch.push_str(t.surface);
                scratch.make_ascii_lowercase();
            } else {
                scratch.push_str(&term(t.surface));
            }
            &scratch
        };
        if keep {
            records.push(TokenRecord {
                sentence,
                index: index as u32,
                text_span: Span::new(t.start, t.start + t.surface.len()),
                source: Span::new(t.start, t.start + t.surface.len()),
                term: key.to_owned(),
                class: t.class,
            });
        }
        if t.class == TokenClass::Punct {
            continue;
        }
        let id = match ids.get(key) {
            Some(&id) => id,
            None => {
                let id = entries.len() as u32;
                ids.insert(if plain { Cow::Borrowed(t.surface) } else { Cow::Owned(scratch.clone()) }, id);
                entries.push((t.class, 0, None));
                id
            }
        };
        let entry = &mut entries[id as usize];
        entry.1 += 1;
        if t.class == TokenClass::Word {
            n_words += 1;
            n_syllables += match entry.2 {
                Some(n) if ascii => n,
                _ => {
                    let n = syllables(t.surface);
                    if ascii {
                        entry.2 = Some(n);
                    }
                    n
                }
            };
        }
        sequence.push(id);
        if let Some((s, prev)) = previous
            && s == sentence
        {
            *pairs.entry((prev, id)).or_insert(0) += 1;
        }
        previous = Some((sentence, id));
    }

    // Renumber terms in sorted order so rows and bigram indices are deterministic.
    let mut order: Vec<(Cow<'_, str>, u32)> = ids.into_iter().collect();
    order.sort_unstable();
    let mut rank = vec![0u32; entries.len()];
    for (new, (_, old)) in order.iter().enumerate() {
        rank[*old as usize] = new as u32;
    }
    let mattr = moving_average_ttr(&sequence, entries.len(), MATTR_WINDOW);
    let mut bigrams: Vec<BigramCount> =
        pairs.into_iter().map(|((a, b), count)| BigramCount { first: rank[a as usize], second: rank[b as usize], count }).collect();
    bigrams.sort_unstable();
    let terms: Vec<TermCount> = order
        .into_iter()
        .map(|(term, old)| {
            let (class, count, _) = entries[old as usize];
            TermCount { term: term.into_owned(), class, count }
        })
        .collect();
    let stats = TextStats {
        n_tokens: sequence.len() as u64,
        n_types: terms.len() as u64,
        n_sentences: u64::from(seen),
        n_words,
        n_syllables,
        mattr,
        terms,
        bigrams,
    };
    (stats, records)
}

/// Moving-average type/token ratio (Covington & McFall 2010): the mean, over
/// every window of `window` consecutive tokens, of that window's
/// types/tokens. A text shorter than the window gets its plain ratio.
pub fn moving_average_ttr(sequence: &[u32], n_types: usize, window: usize) -> Option<f64> {
    if sequence.is_empty() || window == 0 {
        return None;
    }
    // Ids index the counts: never trust `n_types` to cover them.
    let n_types = sequence.iter().max().map_or(0, |&m| m as usize + 1).max(n_types);
    if sequence.len() <= window {
        let mut seen = vec![false; n_types];
        let distinct = sequence.iter().filter(|&&id| !std::mem::replace(&mut seen[id as usize], true)).count();
        return Some(distinct as f64 / sequence.len() as f64);
    }
    let mut counts = vec![0u32; n_types];
    let mut distinct = 0u64;
    for &id in &sequence[..window] {
        counts[id as usize] += 1;
        if counts[id as usize] == 1 {
            distinct += 1;
        }
    }
    // Sum integer type counts, divide once: exact and order-independent.
    let mut total = distinct;
    for i in window..sequence.len() {
        let out = sequence[i - window] as usize;
        counts[out] -= 1;
        if counts[out] == 0 {
            distinct -= 1;
        }
        let inc = sequence[i] as usize;
        counts[inc] += 1;
        if counts[inc] == 1 {
            distinct += 1;
        }
        total += distinct;
    }
    let windows = (sequence.len() - window + 1) as f64;
    Some(total as f64 / (windows * window as f64))
}

/// Syllables in an English word, by the usual rule of thumb: groups of
/// vowels (a e i o u y, accented or not) count one each; a final silent "e"
/// (but not "-le" after a consonant) does not count; every word has at least one.
pub fn syllables(word: &str) -> u64 {
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'à'..='æ' | 'è'..='ï' | 'ò'..='ö' | 'ù'..='ü');
    // One pass over the lower-cased letters, remembering the last three.
    let (mut groups, mut in_group, mut n) = (0u64, false, 0usize);
    let mut last = ['\0'; 3];
    let mut feed = |c: char| {
        let v = is_vowel(c);
        if v && !in_group {
            groups += 1;
        }
        in_group = v;
        last = [last[1], last[2], c];
        n += 1;
    };
    if word.is_ascii() {
        word.bytes().filter(u8::is_ascii_alphabetic).for_each(|b| feed(char::from(b.to_ascii_lowercase())));
    } else {
        word.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).for_each(feed);
    }
    if groups > 1 && n >= 2 && last[2] == 'e' && !is_vowel(last[1]) {
        let consonant_le = last[1] == 'l' && n >= 3 && !is_vowel(last[0]);
        if !consonant_le {
            groups -= 1;
        }
    }
    groups.max(1)
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
        check(
            "see www.progressonline.org.uk/x, ok",
            &[("see", "word"), ("www.progressonline.org.uk/x", "url"), (",", "punct"), ("ok", "word")],
        );
        check("mail jo.b@example.co.uk.", &[("mail", "word"), ("jo.b@example.co.uk", "email"), (".", "punct")]);
        check("@LukeAkehurst #LabourNEC", &[("@LukeAkehurst", "mention"), ("#LabourNEC", "hashtag")]);
        check("no #1 here", &[("no", "word"), ("#", "punct"), ("1", "number"), ("here", "word")]);
        check("ok 👍", &[("ok", "word"), ("👍", "emoji")]);
        check("👍🏽 ❤️ © ★ 1️⃣", &[("👍🏽", "emoji"), ("❤️", "emoji"), ("©", "punct"), ("★", "punct"), ("1️⃣", "emoji")]);
        check("3,000.5", &[("3,000.5", "number")]);
    }

    #[test]
    fn whitespace_is_found_as_char_is_whitespace_finds_it() {
        for s in ["", "abc", "ab cd", "é\u{a0}x", "x\u{3000}y", "a\u{b}b", "a\u{1f}b ", "“quoted”\u{2028}"] {
            assert_eq!(next_whitespace(s), s.find(char::is_whitespace), "{s:?}");
        }
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
