//! Corpus-wide term statistics, accumulated one document at a time.

use std::collections::HashMap;

use hustings_core::{Document, TokenClass, VocabEntry};

#[derive(Debug, Clone, Copy)]
struct Acc {
    class: TokenClass,
    occurrences: u64,
    documents: u64,
    texts: u64,
    last_doc: u64,
}

/// Accumulates the `vocabulary` table. Counts are sums, so documents may be
/// added in any order and the result is the same.
#[derive(Debug, Default)]
pub struct Vocabulary {
    terms: HashMap<String, Acc>,
    docs: u64,
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
        let texts = std::iter::once(&doc.body_stats).chain(doc.comments.iter().map(|c| &c.stats));
        for stats in texts {
            for t in &stats.terms {
                let acc = match self.terms.get_mut(t.term.as_str()) {
                    Some(acc) => acc,
                    None => self.terms.entry(t.term.clone()).or_insert(Acc {
                        class: t.class,
                        occurrences: 0,
                        documents: 0,
                        texts: 0,
                        last_doc: 0,
                    }),
                };
                acc.occurrences += t.count;
                acc.texts += 1;
                if acc.last_doc != marker {
                    acc.last_doc = marker;
                    acc.documents += 1;
                }
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

    /// The table rows, sorted by term.
    pub fn into_entries(self) -> Vec<VocabEntry> {
        let mut rows: Vec<VocabEntry> = self
            .terms
            .into_iter()
            .map(|(term, a)| VocabEntry { term, class: a.class, n_occurrences: a.occurrences, n_documents: a.documents, n_texts: a.texts })
            .collect();
        rows.sort_unstable_by(|a, b| a.term.cmp(&b.term));
        rows
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
        let rows = v.into_entries();
        let get = |t: &str| rows.iter().find(|r| r.term == t).map(|r| (r.n_occurrences, r.n_documents, r.n_texts));
        assert_eq!(get("ken"), Some((3, 1, 2)));
        assert_eq!(get("boris"), Some((2, 2, 2)));
        assert_eq!(get("no"), Some((1, 1, 1)));
        assert!(rows.windows(2).all(|w| w[0].term < w[1].term));
    }
}
