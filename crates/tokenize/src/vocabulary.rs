//! Corpus-wide statistics, accumulated one document at a time: the
//! `vocabulary`, `bigrams` and `keyness` tables.
//!
//! Everything accumulated is a count, so documents may be added in any order
//! and the tables come out the same; the scores are computed once, at the
//! end, from those counts.

use std::collections::HashMap;

use hustings_core::{BigramEntry, Document, KeynessEntry, Partials, TextStats, TokenClass, VocabEntry};

use crate::lexicon::{Stemmers, is_stopword};

#[derive(Debug, Clone)]
struct Acc {
    /// Every class the term was seen with, as bits of [`CLASSES`].
    classes: u8,
    body: u64,
    comment: u64,
    documents: u64,
    texts: u64,
    last_doc: u64,
    /// Texts per detected language, for choosing the stemmer.
    languages: Vec<(&'static str, u32)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct PairAcc {
    count: u64,
    documents: u64,
    last_doc: u64,
}

/// Accumulates the corpus-wide tables.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Each term's index in `terms`; the only copy of the term's text.
    ids: HashMap<String, u32, foldhash::fast::RandomState>,
    terms: Vec<Acc>,
    pairs: HashMap<(u32, u32), PairAcc, foldhash::fast::RandomState>,
    docs: u64,
    texts: u64,
    body_tokens: u64,
    comment_tokens: u64,
}

/// The corpus-wide tables, ready for export.
#[derive(Debug, Clone, Default)]
pub struct CorpusTables {
    /// One row per term, sorted by term.
    pub vocabulary: Vec<VocabEntry>,
    /// Bigrams seen at least the minimum number of times, sorted by terms.
    pub bigrams: Vec<BigramEntry>,
    /// One row per term, by decreasing log-likelihood, then term.
    pub keyness: Vec<KeynessEntry>,
    /// Texts (bodies and comments) in the corpus.
    pub n_texts: u64,
    /// Counted tokens in bodies.
    pub body_tokens: u64,
    /// Counted tokens in comments.
    pub comment_tokens: u64,
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Vocabulary {
        Vocabulary::default()
    }

    /// Add a document's body and comments.
    pub fn add(&mut self, doc: &Document) {
        self.docs += 1;
        let marker = self.docs;
        self.add_text(&doc.body_stats, doc.language, true, marker);
        for c in &doc.comments {
            self.add_text(&c.stats, c.language, false, marker);
        }
    }

    fn add_text(&mut self, stats: &TextStats, language: Option<&'static str>, body: bool, marker: u64) {
        self.texts += 1;
        if body {
            self.body_tokens += stats.n_tokens;
        } else {
            self.comment_tokens += stats.n_tokens;
        }
        let mut local = Vec::with_capacity(stats.terms.len());
        for t in &stats.terms {
            let id = match self.ids.get(t.term.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.terms.len() as u32;
                    self.ids.insert(t.term.clone(), id);
                    self.terms.push(Acc { classes: 0, body: 0, comment: 0, documents: 0, texts: 0, last_doc: 0, languages: Vec::new() });
                    id
                }
            };
            local.push(id);
            let acc = &mut self.terms[id as usize];
            acc.classes |= class_bit(t.class);
            if body {
                acc.body += t.count;
            } else {
                acc.comment += t.count;
            }
            acc.texts += 1;
            if acc.last_doc != marker {
                acc.last_doc = marker;
                acc.documents += 1;
            }
            if let Some(l) = language {
                match acc.languages.iter_mut().find(|(k, _)| *k == l) {
                    Some((_, n)) => *n += 1,
                    None => acc.languages.push((l, 1)),
                }
            }
        }
        for b in &stats.bigrams {
            let (Some(&x), Some(&y)) = (local.get(b.first as usize), local.get(b.second as usize)) else {
                continue;
            };
            let acc = self.pairs.entry((x, y)).or_default();
            acc.count += b.count;
            if acc.last_doc != marker {
                acc.last_doc = marker;
                acc.documents += 1;
            }
        }
    }

    /// Number of distinct terms so far.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no term has been added.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms by index, taking them out of the id map.
    fn names(ids: HashMap<String, u32, foldhash::fast::RandomState>) -> Vec<String> {
        let mut names = vec![String::new(); ids.len()];
        for (term, id) in ids {
            names[id as usize] = term;
        }
        names
    }

    /// Compute the tables; bigrams seen fewer than `bigram_min` times are left out.
    pub fn finish(self, bigram_min: u64) -> CorpusTables {
        let n_texts = self.texts;
        let total = self.body_tokens + self.comment_tokens;
        let mut stemmers = Stemmers::default();
        let names = Self::names(self.ids);

        let mut bigrams: Vec<BigramEntry> = self
            .pairs
            .iter()
            .filter(|(_, p)| p.count >= bigram_min.max(1))
            .map(|(&(x, y), p)| {
                let (t1, a1) = (&names[x as usize], &self.terms[x as usize]);
                let (t2, a2) = (&names[y as usize], &self.terms[y as usize]);
                let (fx, fy, fxy) = ((a1.body + a1.comment) as f64, (a2.body + a2.comment) as f64, p.count as f64);
                BigramEntry {
                    term1: t1.clone(),
                    term2: t2.clone(),
                    n_occurrences: p.count,
                    n_documents: p.documents,
                    pmi: (fxy * total as f64 / (fx * fy)).log2(),
                    log_dice: 14.0 + (2.0 * fxy / (fx + fy)).log2(),
                }
            })
            .collect();
        bigrams.sort_unstable_by(|a, b| (&a.term1, &a.term2).cmp(&(&b.term1, &b.term2)));

        let mut vocabulary = Vec::with_capacity(self.terms.len());
        let mut keyness = Vec::with_capacity(self.terms.len());
        for (term, a) in names.into_iter().zip(self.terms) {
            let class = first_class(a.classes);
            let language = majority(a.languages.iter().map(|&(l, n)| (l, u64::from(n))));
            let stemmed = match (class, language) {
                (TokenClass::Word, Some(l)) => stemmers.stem(&term, l).map(|s| (s, l)),
                _ => None,
            };
            keyness.push(keyness_entry(&term, class, a.body, a.comment, self.body_tokens, self.comment_tokens));
            let (stem, stem_language) = match stemmed {
                Some((s, l)) => (s, Some(l)),
                None => (term.clone(), None),
            };
            vocabulary.push(VocabEntry {
                is_stopword: is_stopword(&term),
                class,
                n_occurrences: a.body + a.comment,
                n_body: a.body,
                n_comment: a.comment,
                n_documents: a.documents,
                n_texts: a.texts,
                idf: (n_texts as f64 / a.texts as f64).ln(),
                stem,
                stem_language,
                term,
            });
        }
        vocabulary.sort_unstable_by(|a, b| a.term.cmp(&b.term));
        keyness.sort_unstable_by(|a, b| b.log_likelihood.total_cmp(&a.log_likelihood).then_with(|| a.term.cmp(&b.term)));
        CorpusTables { vocabulary, bigrams, keyness, n_texts, body_tokens: self.body_tokens, comment_tokens: self.comment_tokens }
    }
}

/// Token classes in alphabetical order of their names: a term seen with
/// several classes gets the first, in a single run and a merged one alike.
const CLASSES: [TokenClass; 8] = [
    TokenClass::Email,
    TokenClass::Emoji,
    TokenClass::Hashtag,
    TokenClass::Mention,
    TokenClass::Number,
    TokenClass::Punct,
    TokenClass::Url,
    TokenClass::Word,
];

fn class_bit(class: TokenClass) -> u8 {
    CLASSES.iter().position(|&c| c == class).map_or(0, |i| 1 << i)
}

fn first_class(bits: u8) -> TokenClass {
    CLASSES.iter().enumerate().find(|(i, _)| bits & (1 << i) != 0).map_or(TokenClass::Word, |(_, &c)| c)
}

impl Vocabulary {
    /// The counts behind the tables, for a sharded run's merge.
    pub fn partials(self) -> Partials {
        let mut stemmers = Stemmers::default();
        let names = Self::names(self.ids);
        let mut bigrams: Vec<(String, String, u64, u64)> =
            self.pairs.iter().map(|(&(x, y), p)| (names[x as usize].clone(), names[y as usize].clone(), p.count, p.documents)).collect();
        bigrams.sort_unstable();
        let mut vocabulary = Vec::with_capacity(self.terms.len());
        let mut term_languages = Vec::new();
        for (term, a) in names.into_iter().zip(self.terms) {
            let class = first_class(a.classes);
            if class == TokenClass::Word {
                for &(l, n) in &a.languages {
                    term_languages.push((term.clone(), l, u64::from(n), stemmers.stem(&term, l)));
                }
            }
            let stop = is_stopword(&term);
            vocabulary.push((term, class, stop, a.body, a.comment, a.documents, a.texts));
        }
        vocabulary.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        term_languages.sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        Partials { vocabulary, term_languages, bigrams }
    }
}

/// The most frequent key, ties to the alphabetically first.
fn majority(counts: impl Iterator<Item = (&'static str, u64)>) -> Option<&'static str> {
    counts.max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0))).map(|(l, _)| l)
}

/// Keyness of one term, article bodies (`a` of `c` tokens) against comments
/// (`b` of `d`): Dunning's G² (as in Rayson & Garside 2000) and Hardie's
/// (2014) log ratio, with a zero count taken as 0.5 for the ratio only.
pub fn keyness_entry(term: &str, class: TokenClass, a: u64, b: u64, c: u64, d: u64) -> KeynessEntry {
    let (af, bf, cf, df) = (a as f64, b as f64, c as f64, d as f64);
    let both = c > 0 && d > 0;
    let log_likelihood = if both {
        let e1 = cf * (af + bf) / (cf + df);
        let e2 = df * (af + bf) / (cf + df);
        let part = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
        2.0 * (part(af, e1) + part(bf, e2))
    } else {
        0.0
    };
    let log_ratio = both.then(|| ((af.max(0.5) / cf) / (bf.max(0.5) / df)).log2());
    // Compare a/c with b/d exactly, in integers.
    let key_for = if !both {
        None
    } else {
        match (u128::from(a) * u128::from(d)).cmp(&(u128::from(b) * u128::from(c))) {
            std::cmp::Ordering::Greater => Some("body"),
            std::cmp::Ordering::Less => Some("comment"),
            std::cmp::Ordering::Equal => None,
        }
    };
    KeynessEntry {
        term: term.to_owned(),
        class,
        n_body: a,
        n_comment: b,
        total_body: c,
        total_comment: d,
        log_likelihood,
        log_ratio,
        key_for,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hustings_core::Comment;

    fn doc(body: &str, comments: &[&str]) -> Document {
        Document {
            body_stats: crate::analyse(body),
            comments: comments
                .iter()
                .enumerate()
                .map(|(i, t)| Comment {
                    position: i as u32 + 1,
                    parent: None,
                    depth: 0,
                    author: None,
                    posted_at: None,
                    text: t.to_string(),
                    n_paragraphs: 1,
                    language: None,
                    stats: crate::analyse(t),
                })
                .collect(),
            ..Document::default()
        }
    }

    #[test]
    fn counts_documents_texts_and_occurrences() {
        let mut v = Vocabulary::new();
        v.add(&doc("Ken Ken Boris", &["Ken again", "no"]));
        v.add(&doc("Boris", &[]));
        let tables = v.finish(1);
        let rows = &tables.vocabulary;
        let get = |t: &str| rows.iter().find(|r| r.term == t).map(|r| (r.n_occurrences, r.n_body, r.n_comment, r.n_documents, r.n_texts));
        assert_eq!(get("ken"), Some((3, 2, 1, 1, 2)));
        assert_eq!(get("boris"), Some((2, 2, 0, 2, 2)));
        assert_eq!(get("no"), Some((1, 0, 1, 1, 1)));
        assert!(rows.windows(2).all(|w| w[0].term < w[1].term));
        assert_eq!(tables.n_texts, 4);
        let idf = rows.iter().find(|r| r.term == "ken").map(|r| r.idf);
        assert_eq!(idf, Some((4.0f64 / 2.0).ln()));
        let kk = tables.bigrams.iter().find(|b| b.term1 == "ken" && b.term2 == "ken").map(|b| (b.n_occurrences, b.n_documents));
        assert_eq!(kk, Some((1, 1)));
        assert_eq!(tables.keyness.len(), rows.len());
    }
}
