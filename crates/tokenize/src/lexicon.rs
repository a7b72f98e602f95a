//! Word lists and stemmers: the bundled stopword list and Snowball stems.

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// The bundled list (see its header for the source and licence).
const STOPWORDS_EN: &str = include_str!("../data/stopwords-en.txt");

fn stopwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS_EN.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect())
}

/// Whether `term` (already folded by [`crate::term`]) is on the Snowball
/// English stopword list.
pub fn is_stopword(term: &str) -> bool {
    stopwords().contains(term)
}

/// The Snowball algorithm for an ISO 639-1 code, where rust-stemmers has one.
fn algorithm(language: &str) -> Option<Algorithm> {
    Some(match language {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nb" | "no" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// Caches one stemmer per language.
#[derive(Default)]
pub(crate) struct Stemmers {
    made: Vec<(&'static str, Stemmer)>,
}

impl Stemmers {
    /// The stem of `term` in `language`, or `None` without a stemmer for it.
    pub(crate) fn stem(&mut self, term: &str, language: &'static str) -> Option<String> {
        if let Some((_, s)) = self.made.iter().find(|(l, _)| *l == language) {
            return Some(s.stem(term).into_owned());
        }
        let stemmer = Stemmer::create(algorithm(language)?);
        let out = stemmer.stem(term).into_owned();
        self.made.push((language, stemmer));
        Some(out)
    }
}

/// The Snowball stem of `term` in `language` (ISO 639-1), or `None` where
/// no stemmer exists for the language.
pub fn stem(term: &str, language: &str) -> Option<String> {
    algorithm(language).map(|a| Stemmer::create(a).stem(term).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_and_stems() {
        assert!(is_stopword("the") && is_stopword("don't") && !is_stopword("labour"));
        assert_eq!(stopwords().len(), 174);
        assert_eq!(stem("elections", "en").as_deref(), Some("elect"));
        assert_eq!(stem("running", "en").as_deref(), Some("run"));
        assert_eq!(stem("élections", "fr").as_deref(), Some("élect"));
        assert_eq!(stem("labour", "xx"), None);
        let mut cache = Stemmers::default();
        assert_eq!(cache.stem("voters", "en").as_deref(), Some("voter"));
        assert_eq!(cache.stem("voting", "en").as_deref(), Some("vote"));
    }
}
