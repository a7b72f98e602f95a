//! Language identification (whatlang), reported as ISO 639-1 codes.

/// ISO 639-1 code of `text`'s language, when whatlang is confident
/// (at least three words and a confidence of 0.5).
pub fn language(text: &str) -> Option<&'static str> {
    text.split_whitespace().nth(2)?;
    // A few thousand characters tell the language as well as a whole book.
    let sample = text.char_indices().nth(1500).map_or(text, |(i, _)| &text[..i]);
    if plainly_english(sample) {
        return Some("en");
    }
    let info = whatlang::detect(sample)?;
    if info.confidence() < 0.5 {
        return None;
    }
    iso_639_1(info.lang().code())
}

/// A fast path in front of whatlang: text in ASCII letters, of at least
/// eight words of which a quarter or more are the commonest English function
/// words, is English. On the seeds, the generated corpus and the shared
/// corpora every document gets the same answer as from whatlang; of the
/// comments, a handful of short English ones whatlang was unsure of are now
/// English, and one English headline whatlang took for Turkish.
fn plainly_english(sample: &str) -> bool {
    /// The commonest English function words.
    const COMMON: &[&[u8]] = &[
        b"the", b"and", b"of", b"to", b"a", b"in", b"is", b"that", b"it", b"for", b"was", b"on", b"with", b"as", b"be", b"are", b"this",
        b"have", b"not", b"but", b"they", b"he", b"i", b"you",
    ];
    /// Whether `word` (ASCII letters) is one of them, in any case.
    fn common(word: &[u8]) -> bool {
        let mut lower = [0u8; 4];
        let Some(lower) = lower.get_mut(..word.len()) else {
            return false; // longer than any of them
        };
        lower.copy_from_slice(word);
        lower.make_ascii_lowercase();
        COMMON.contains(&&*lower)
    }
    // Letters all ASCII (curly quotes and dashes are fine).
    if !sample.chars().all(|c| c.is_ascii() || !c.is_alphabetic()) {
        return false;
    }
    // Words are runs of ASCII letters: every other byte (including each
    // byte of a non-ASCII character) separates them.
    let (mut words, mut commons) = (0usize, 0usize);
    for w in sample.as_bytes().split(|b| !b.is_ascii_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        commons += usize::from(common(w));
    }
    words >= 8 && commons * 4 >= words
}

/// ISO 639-3 (whatlang's codes) and ISO 639-1.
const CODES: &[(&str, &str)] = &[
    ("eng", "en"),
    ("fra", "fr"),
    ("deu", "de"),
    ("spa", "es"),
    ("ita", "it"),
    ("por", "pt"),
    ("nld", "nl"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nob", "nb"),
    ("fin", "fi"),
    ("pol", "pl"),
    ("ces", "cs"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("hrv", "hr"),
    ("srp", "sr"),
    ("bos", "bs"),
    ("hun", "hu"),
    ("ron", "ro"),
    ("bul", "bg"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("bel", "be"),
    ("ell", "el"),
    ("tur", "tr"),
    ("ara", "ar"),
    ("heb", "he"),
    ("yid", "yi"),
    ("pes", "fa"),
    ("urd", "ur"),
    ("hin", "hi"),
    ("ben", "bn"),
    ("pan", "pa"),
    ("guj", "gu"),
    ("mar", "mr"),
    ("nep", "ne"),
    ("tam", "ta"),
    ("tel", "te"),
    ("kan", "kn"),
    ("mal", "ml"),
    ("sin", "si"),
    ("tha", "th"),
    ("vie", "vi"),
    ("ind", "id"),
    ("jav", "jv"),
    ("tgl", "tl"),
    ("cmn", "zh"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("lit", "lt"),
    ("lav", "lv"),
    ("est", "et"),
    ("kat", "ka"),
    ("hye", "hy"),
    ("aze", "az"),
    ("uzb", "uz"),
    ("kaz", "kk"),
    ("afr", "af"),
    ("epo", "eo"),
    ("lat", "la"),
    ("cat", "ca"),
    ("mkd", "mk"),
    ("amh", "am"),
    ("zul", "zu"),
    ("sna", "sn"),
    ("aka", "ak"),
    ("khm", "km"),
    ("mya", "my"),
    ("ori", "or"),
    ("tuk", "tk"),
    ("cym", "cy"),
    ("gle", "ga"),
    ("isl", "is"),
    ("eus", "eu"),
    ("glg", "gl"),
];

/// The language of an ISO 639-1 `code` this crate can detect, as the crate's own `&'static str`.
pub(crate) fn code(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(_, two)| *two == code).map(|(_, two)| *two)
}

/// ISO 639-3 to ISO 639-1.
fn iso_639_1(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(three, _)| *three == code).map(|(_, two)| *two)
}

#[cfg(test)]
mod tests {
    use super::language;

    #[test]
    fn detects_clear_cases_only() {
        assert_eq!(
            language("The Labour party's national executive committee met yesterday to discuss the selection of candidates."),
            Some("en")
        );
        assert_eq!(language("Le parti travailliste a choisi son candidat pour la mairie de Londres hier soir."), Some("fr"));
        assert_eq!(language("ok"), None);
    }

    #[test]
    fn the_english_fast_path_agrees_with_whatlang() {
        let texts = [
            "I think that the mayor was right to say it, but the party is not going to like it and they will say so.",
            "It was a long night for the council, and most of the members were tired of the debate on the buses.",
        ];
        for t in texts {
            assert!(super::plainly_english(t), "{t}");
            let info = whatlang::detect(t).expect("detected");
            assert_eq!(info.lang().code(), "eng", "{t}");
        }
        assert!(!super::plainly_english("Le parti a choisi son candidat pour la mairie de Londres hier soir, et il a gagné."));
        assert!(!super::plainly_english("the the the"));
        // A quarter of eight words, in any case; longer words that start like them do not count.
        assert!(super::plainly_english("THE Quick brown fox And lazy dogs jumped"));
        assert!(!super::plainly_english("THEM Quick brown fox Andy lazy dogs jumped"));
        assert!(!super::plainly_english("The quick brown fox jumped over lazy dogs"));
        // Curly quotes are not letters; an accented letter sends the text to whatlang.
        assert!(super::plainly_english("It’s the party’s view that the mayor was “right”"));
        assert!(!super::plainly_english("It’s the party’s view that the mayor was café"));
    }
}
