//! UAX #29 word and sentence boundaries, with a fast path for common text.
//!
//! unicode-segmentation looks every character up in its property tables;
//! on this corpus that lookup is most of the tokeniser's time. Almost every
//! line of a scraped English page is made of printable ASCII, Latin-1
//! letters and a handful of typographic marks (’ ‘ “ ” – — … £ € • and the
//! no-break space). For such lines this module applies the UAX #29 rules
//! itself, over those characters' properties written out below; any other
//! line goes to unicode-segmentation unchanged.
//!
//! Working line by line loses nothing: both algorithms always break after a
//! line feed or carriage return (WB3a/WB3b, SB4; CR LF stays together), and
//! none of their rules looks across one. The boundaries are those
//! unicode-segmentation gives on the whole text: the tests check it on every
//! line of the seeds and fixtures, on generated text over the fast alphabet
//! and the characters around it, and on the shared corpora when present.

use unicode_segmentation::UnicodeSegmentation;

/// The lines of `text`, each with its line break (CR, LF or CR LF).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut end = bytes[start..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(bytes.len(), |i| start + i + 1);
        if bytes[end - 1] == b'\r' && bytes.get(end) == Some(&b'\n') {
            end += 1;
        }
        let line = (start, &text[start..end]);
        start = end;
        Some(line)
    })
}

/// Word_Break values of the fast alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Letter,
    Numeric,
    /// MidNumLet and Single_Quote: `.` `'` `‘` `’`.
    MidNumLet,
    /// `:`
    MidLetter,
    /// `,` `;`
    MidNum,
    /// `_`
    ExtendNumLet,
    /// The space (WSegSpace).
    Space,
    Cr,
    Lf,
    /// Everything else in the alphabet, tab and no-break space included.
    Other,
}

/// Sentence_Break values of the fast alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sentence {
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Sep,
    Other,
}

/// Both properties of `c`, or `None` outside the fast alphabet.
#[inline]
fn properties(c: char) -> Option<(Word, Sentence)> {
    match ASCII.get(c as usize) {
        Some(p) => *p,
        None => lookup(c),
    }
}

/// [`lookup`] for the ASCII characters, as a table.
static ASCII: [Option<(Word, Sentence)>; 128] = {
    let mut table = [None; 128];
    let mut i = 0;
    while i < 128 {
        table[i] = lookup(i as u8 as char);
        i += 1;
    }
    table
};

const fn lookup(c: char) -> Option<(Word, Sentence)> {
    Some(match c {
        'a'..='z' => (Word::Letter, Sentence::Lower),
        'A'..='Z' => (Word::Letter, Sentence::Upper),
        '0'..='9' => (Word::Numeric, Sentence::Numeric),
        ' ' => (Word::Space, Sentence::Sp),
        '\t' | '\u{a0}' => (Word::Other, Sentence::Sp),
        '\n' => (Word::Lf, Sentence::Sep),
        '\r' => (Word::Cr, Sentence::Sep),
        '.' => (Word::MidNumLet, Sentence::ATerm),
        '\'' | '‘' | '’' => (Word::MidNumLet, Sentence::Close),
        '!' | '?' => (Word::Other, Sentence::STerm),
        '"' | '(' | ')' | '[' | ']' | '{' | '}' | '“' | '”' => (Word::Other, Sentence::Close),
        ':' => (Word::MidLetter, Sentence::SContinue),
        ',' | ';' => (Word::MidNum, Sentence::SContinue),
        '-' | '–' | '—' => (Word::Other, Sentence::SContinue),
        '_' => (Word::ExtendNumLet, Sentence::Other),
        '\u{21}'..='\u{7e}' | '£' | '€' | '…' | '•' => (Word::Other, Sentence::Other),
        'À'..='Ö' | 'Ø'..='Þ' => (Word::Letter, Sentence::Upper),
        'ß'..='ö' | 'ø'..='ÿ' => (Word::Letter, Sentence::Lower),
        _ => return None,
    })
}

fn in_alphabet(line: &str) -> bool {
    let bytes = line.as_bytes();
    match bytes.iter().position(|&b| b >= 0x80 || ASCII[b as usize].is_none()) {
        None => true,
        Some(i) => line[i..].chars().all(|c| properties(c).is_some()),
    }
}

/// The class and length of the character at byte `i` of `line` (a char
/// boundary), or `None` at its end.
#[inline]
fn word_at(line: &str, i: usize) -> Option<(Word, usize)> {
    let b = *line.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((ASCII[usize::from(b)].map_or(Word::Other, |p| p.0), 1));
    }
    line[i..].chars().next().map(|c| (word_of(c), c.len_utf8()))
}

fn word_of(c: char) -> Word {
    properties(c).map_or(Word::Other, |p| p.0)
}

fn sentence_of(c: char) -> Sentence {
    properties(c).map_or(Sentence::Other, |p| p.1)
}

/// Whether UAX #29 keeps `cur` in the same word as `prev` (WB3–WB13b over
/// the fast alphabet, which has no Extend, Format, ZWJ, Katakana, Hebrew
/// letters or regional indicators): `before` is the character before
/// `prev`, `after` the one after `cur`.
fn word_joins(before: Option<Word>, prev: Word, cur: Word, after: Option<Word>) -> bool {
    use Word::*;
    let mid_letter = |w: Option<Word>| matches!(w, Some(MidLetter | MidNumLet));
    let mid_num = |w: Option<Word>| matches!(w, Some(MidNum | MidNumLet));
    match (prev, cur) {
        (Cr, Lf) => true,
        (Cr | Lf, _) | (_, Cr | Lf) => false,
        (Space, Space) | (Letter | Numeric, Letter | Numeric) => true,
        (Letter | Numeric | ExtendNumLet, ExtendNumLet) | (ExtendNumLet, Letter | Numeric) => true,
        (Letter, _) if mid_letter(Some(cur)) && after == Some(Letter) => true,
        (_, Letter) if mid_letter(Some(prev)) && before == Some(Letter) => true,
        (Numeric, _) if mid_num(Some(cur)) && after == Some(Numeric) => true,
        (_, Numeric) if mid_num(Some(prev)) && before == Some(Numeric) => true,
        _ => false,
    }
}

/// Calls `f(start, segment)` for each UAX #29 word segment of `text`
/// (whitespace segments included), exactly as
/// `split_word_bound_indices` yields them.
pub fn each_word_bound<'a>(text: &'a str, mut f: impl FnMut(usize, &'a str)) {
    for (base, line) in lines(text) {
        if !in_alphabet(line) {
            line.split_word_bound_indices().for_each(|(i, seg)| f(base + i, seg));
            continue;
        }
        let mut seg_start = 0;
        let (mut before, mut prev): (Option<Word>, Option<Word>) = (None, None);
        // Each character's class is looked up once, as the look-ahead.
        let mut at = word_at(line, 0);
        let mut i = 0;
        while let Some((cur, len)) = at {
            let next = i + len;
            at = word_at(line, next);
            if let Some(p) = prev
                && !word_joins(before, p, cur, at.map(|a| a.0))
            {
                f(base + seg_start, &line[seg_start..i]);
                seg_start = i;
            }
            (before, prev, i) = (prev, Some(cur), next);
        }
        if seg_start < line.len() {
            f(base + seg_start, &line[seg_start..]);
        }
    }
}

/// Byte ranges of the UAX #29 sentences of `text`, as
/// `split_sentence_bound_indices` gives them.
pub fn raw_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (base, line) in lines(text) {
        if in_alphabet(line) {
            line_sentences(line, |s, e| out.push((base + s, base + e)));
        } else {
            line.split_sentence_bound_indices().for_each(|(i, seg)| out.push((base + i, base + i + seg.len())));
        }
    }
    out
}

/// SB6–SB11 over one line of the fast alphabet: a sentence can only end
/// after a terminator (`.` `!` `?`), its closing marks and spaces.
fn line_sentences(line: &str, mut push: impl FnMut(usize, usize)) {
    let bytes = line.as_bytes();
    // The line's break belongs to the last sentence (SB4, SB9–SB11).
    let content = line.trim_end_matches(['\n', '\r']).len();
    let char_at = |i: usize| line[i..].chars().next();
    let (mut start, mut i) = (0, 0);
    while i < content {
        let b = bytes[i];
        if !matches!(b, b'.' | b'!' | b'?') {
            i += 1;
            continue;
        }
        let next = char_at(i + 1).map(sentence_of);
        if b == b'.' {
            // SB6: "3.5"; SB7: "U.S. Army" (a letter, the stop, a capital).
            let prev = line[..i].chars().next_back().map(sentence_of);
            if next == Some(Sentence::Numeric) || (matches!(prev, Some(Sentence::Upper | Sentence::Lower)) && next == Some(Sentence::Upper))
            {
                i += 1;
                continue;
            }
        }
        // SB9, SB10: closing marks, then spaces, stay with the terminator.
        let mut j = i + 1;
        for class in [Sentence::Close, Sentence::Sp] {
            while let Some(c) = char_at(j).filter(|&c| sentence_of(c) == class) {
                j += c.len_utf8();
            }
        }
        if j >= content {
            break;
        }
        let at = char_at(j).map_or(Sentence::Other, sentence_of);
        // SB8a: a comma, dash or another terminator continues the sentence.
        if matches!(at, Sentence::SContinue | Sentence::ATerm | Sentence::STerm) {
            i = j;
            continue;
        }
        // SB8: after a full stop, a lower-case letter before any other
        // letter or terminator continues it ("etc. and").
        if b == b'.' {
            let first = line[j..content]
                .chars()
                .map(sentence_of)
                .find(|s| matches!(s, Sentence::Upper | Sentence::Lower | Sentence::Sep | Sentence::ATerm | Sentence::STerm));
            if first == Some(Sentence::Lower) {
                i = j;
                continue;
            }
        }
        push(start, j);
        start = j;
        i = j;
    }
    if start < line.len() {
        push(start, line.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails where the two algorithms differ on `text`.
    fn assert_same(text: &str) {
        let mut ours = Vec::new();
        each_word_bound(text, |i, s| ours.push((i, s)));
        let theirs: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
        assert_eq!(ours, theirs, "words of {text:?}");
        let theirs: Vec<(usize, usize)> =
            if text.is_empty() { Vec::new() } else { text.split_sentence_bound_indices().map(|(i, s)| (i, i + s.len())).collect() };
        assert_eq!(raw_sentences(text), theirs, "sentences of {text:?}");
    }

    /// Every `.txt` file under `dir` (none if it is absent).
    fn text_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                text_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "txt") {
                out.push(path);
            }
        }
    }

    /// The seeds and shape fixtures, and the shared corpora of real pages
    /// when they sit beside the repository (skipped where they do not).
    #[test]
    fn corpora_match_unicode_segmentation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["seeds", "tests/fixtures", "../shared/corpora"] {
            text_files(&root.join(dir), &mut files);
        }
        assert!(files.len() >= 5, "the seeds should be there: {}", root.display());
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else { continue };
            let text = String::from_utf8_lossy(&bytes);
            // Whole files first (cheap), then the first differing line for the message.
            let mut ours = Vec::new();
            each_word_bound(&text, |i, s| ours.push((i, s)));
            let same_words = ours.iter().copied().eq(text.split_word_bound_indices());
            let same_sentences = raw_sentences(&text).into_iter().eq(text.split_sentence_bound_indices().map(|(i, s)| (i, i + s.len())));
            if !(same_words && same_sentences) {
                for (_, line) in lines(&text) {
                    assert_same(line);
                }
                panic!("{}: differs across lines", path.display());
            }
        }
    }

    #[test]
    fn words_match_unicode_segmentation() {
        for text in [
            "",
            "Labour’s 3,000.5 votes: e.g. a.b.c, 1.2.x and foo_bar _x_ 12_ab.",
            "can't ‘quoted’ “double” – dash — em… £5 €3 • bullet\u{a0}nbsp",
            "a:b a::b 1:2 1,2,3 a,b 1;2 a'b 1'2 '  x.  \t\t  y",
            "line one\r\nline two\rthree\n\nfour\n",
            "José Álvarez, Zoë Brontë ×÷ straße",
            "end.",
            ".5 a. .a 5. _ __ a_ _1",
        ] {
            assert_same(text);
        }
    }

    #[test]
    fn sentences_match_unicode_segmentation() {
        for text in [
            "Mr. Smith went. He said “no.” Then left! Why? Because.",
            "The U.S. Army. 3.5 per cent. etc. and more. e.g. (see) this.",
            "Wait... what?! Really?? Yes. (He did.) Ok.\n\nNext para. - dash. , comma.",
            "x.) Y. x.) y. x.' a. x. 'A. “Quoted.” ‘Single.’ Then.",
            "ends with space.   \nand crlf.\r\nA. B. c.\rd",
            "a.b. A.B. .A ..A 1.A a.1 A. – b. A. : c",
            "Done.\u{a0}Next. Done.\tNext. Übel. Ärger. à. Ø.",
        ] {
            assert_same(text);
        }
    }

    /// A small deterministic generator (xorshift), so the test needs no
    /// extra dependency and fails the same way every time.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn generated_text_matches_unicode_segmentation() {
        // The fast alphabet's interesting characters, and a few outside it
        // (combining accent, soft hyphen, ZWJ, CJK, U+2028, emoji, Hebrew).
        let pool: Vec<char> = "aZé Ö9.'’‘\",:;_-–—!?()“”…£\t\u{a0}\r\n  xY0"
            .chars()
            .chain(['\u{301}', '\u{ad}', '\u{200d}', '字', '\u{2028}', '👍', 'א', '\u{b}', '\u{3000}'])
            .collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let len = (rng.next() % 24) as usize;
            let outside = rng.next() % 4 == 0;
            let text: String = (0..len)
                .map(|_| {
                    let n = if outside { pool.len() } else { pool.len() - 9 };
                    pool[(rng.next() % n as u64) as usize]
                })
                .collect();
            assert_same(&text);
        }
    }
}
