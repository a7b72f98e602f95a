//! Corpus-wide statistics, accumulated one document at a time: the
//! `vocabulary`, `bigrams` and `keyness` tables.
//!
//! Everything accumulated is a count, so documents may be added in any order
//! and the tables come out the same; the scores are computed once, at the
//! end, from those counts.
//!
//! Memory is bounded by a budget ([`Vocabulary::with_budget`]). When the
//! counts held pass it (checked between documents) they are written to disk
//! as sorted runs and counting starts afresh; at the end the runs are merged,
//! equal terms and pairs adding up, and the tables are built from the merged
//! stream, with external sorts for the orders that are not by term (keyness,
//! and the pass over bigrams by their second term that looks up its
//! frequency). Every count is a sum over whole documents, so the tables are
//! the same, byte for byte, as those of a run that never spilled.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::io;
use std::mem::size_of;
use std::path::{Path, PathBuf};

use hustings_core::{
    BigramEntry, Document, KeynessEntry, PartialBigram, PartialTerm, PartialTermLanguage, TextStats, TokenClass, VocabEntry,
};

use crate::lexicon::{Stemmers, is_stopword};
use crate::spill::{Decoder, Encoder, Merge, Record, Runs, Sorter, corrupt};

#[derive(Debug, Clone, PartialEq)]
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

impl Acc {
    /// Add the counts of the same term from other documents.
    fn absorb(&mut self, other: Acc) {
        self.classes |= other.classes;
        self.body += other.body;
        self.comment += other.comment;
        self.documents += other.documents;
        self.texts += other.texts;
        for (l, n) in other.languages {
            match self.languages.iter_mut().find(|(k, _)| *k == l) {
                Some((_, m)) => *m = m.saturating_add(n),
                None => self.languages.push((l, n)),
            }
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct PairAcc {
    count: u64,
    documents: u64,
    last_doc: u64,
}

type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Accumulates the corpus-wide tables.
#[derive(Debug)]
pub struct Vocabulary {
    /// Each term's index in `terms`; the only copy of the term's text.
    ids: Map<String, u32>,
    terms: Vec<Acc>,
    pairs: Map<(u32, u32), PairAcc>,
    docs: u64,
    texts: u64,
    body_tokens: u64,
    comment_tokens: u64,
    /// Heap bytes of the term texts and language lists; the maps' and
    /// vectors' own are read off their capacities.
    heap: usize,
    /// Bytes of counts to hold before spilling.
    budget: usize,
    spill: Option<Spilled>,
}

/// Where the counts go when they pass the budget.
#[derive(Debug)]
struct Spilled {
    dir: PathBuf,
    terms: Runs,
    pairs: Runs,
}

/// Rows of a corpus-wide table, in the table's order; read from disk (and
/// so fallible) when the vocabulary was spilled.
pub struct Rows<T>(Box<dyn Iterator<Item = io::Result<T>> + Send>);

impl<T: Send + 'static> Rows<T> {
    fn memory(rows: Vec<T>) -> Rows<T> {
        Rows(Box::new(rows.into_iter().map(Ok)))
    }

    /// All the rows, in order.
    pub fn into_vec(self) -> io::Result<Vec<T>> {
        self.0.collect()
    }
}

impl<T> Iterator for Rows<T> {
    type Item = io::Result<T>;
    fn next(&mut self) -> Option<io::Result<T>> {
        self.0.next()
    }
}

impl<T> std::fmt::Debug for Rows<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rows")
    }
}

/// The corpus-wide tables, ready for export.
#[derive(Debug)]
pub struct CorpusTables {
    /// One row per term, sorted by term.
    pub vocabulary: Rows<VocabEntry>,
    /// Bigrams seen at least the minimum number of times, sorted by terms.
    pub bigrams: Rows<BigramEntry>,
    /// One row per term, by decreasing log-likelihood, then term.
    pub keyness: Rows<KeynessEntry>,
    /// Texts (bodies and comments) in the corpus.
    pub n_texts: u64,
    /// Counted tokens in bodies.
    pub body_tokens: u64,
    /// Counted tokens in comments.
    pub comment_tokens: u64,
}

/// One shard's share of the corpus-wide tables: sums that merge exactly.
#[derive(Debug)]
pub struct PartialTables {
    /// Sorted by term.
    pub vocabulary: Rows<PartialTerm>,
    /// Sorted by term and language; Word terms only.
    pub term_languages: Rows<PartialTermLanguage>,
    /// Every pair, sorted.
    pub bigrams: Rows<PartialBigram>,
}

impl Default for Vocabulary {
    fn default() -> Vocabulary {
        Vocabulary::new()
    }
}

impl Vocabulary {
    /// An empty vocabulary that holds everything in memory.
    pub fn new() -> Vocabulary {
        Vocabulary {
            ids: Map::default(),
            terms: Vec::new(),
            pairs: Map::default(),
            docs: 0,
            texts: 0,
            body_tokens: 0,
            comment_tokens: 0,
            heap: 0,
            budget: usize::MAX,
            spill: None,
        }
    }

    /// An empty vocabulary that holds about `budget` bytes of counts and
    /// spills sorted runs into `dir` (created when first needed; the caller
    /// removes it) past that. A budget of 0 spills after every document.
    pub fn with_budget(budget: usize, dir: &Path) -> Vocabulary {
        let spill = Spilled { dir: dir.to_owned(), terms: Runs::new(dir, "terms"), pairs: Runs::new(dir, "pairs") };
        Vocabulary { budget, spill: Some(spill), ..Vocabulary::new() }
    }

    /// Add a document's body and comments; spills to disk if that passes the budget.
    pub fn add(&mut self, doc: &Document) -> io::Result<()> {
        self.docs += 1;
        let marker = self.docs;
        self.add_text(&doc.body_stats, doc.language, true, marker);
        for c in &doc.comments {
            self.add_text(&c.stats, c.language, false, marker);
        }
        if self.spill.is_some() && self.memory() > self.budget {
            self.spill_runs()?;
        }
        Ok(())
    }

    /// Add the counts of another vocabulary, built from other documents (a
    /// worker's share of the corpus, in memory): the sums are the same as
    /// if its documents had been added here. Spills as [`Vocabulary::add`] does.
    pub fn absorb(&mut self, other: Vocabulary) -> io::Result<()> {
        self.merge(other);
        if self.spill.is_some() && self.memory() > self.budget {
            self.spill_runs()?;
        }
        Ok(())
    }

    /// [`Vocabulary::absorb`] without the spill: for two shares held in memory.
    pub fn merge(&mut self, other: Vocabulary) {
        self.docs += other.docs;
        self.texts += other.texts;
        self.body_tokens += other.body_tokens;
        self.comment_tokens += other.comment_tokens;
        let mut terms: Vec<Option<Acc>> = other.terms.into_iter().map(Some).collect();
        // Their ids here, by their ids there.
        let mut here = vec![0u32; terms.len()];
        for (term, id) in other.ids {
            let Some(acc) = terms.get_mut(id as usize).and_then(Option::take) else {
                continue;
            };
            let languages = acc.languages.len();
            let to = match self.ids.get(term.as_str()) {
                Some(&to) => {
                    let mine = &mut self.terms[to as usize];
                    let before = mine.languages.capacity();
                    let last_doc = mine.last_doc;
                    mine.absorb(acc);
                    mine.last_doc = last_doc;
                    self.heap += (mine.languages.capacity() - before) * size_of::<(&str, u32)>();
                    to
                }
                None => {
                    let to = self.terms.len() as u32;
                    self.heap += term.len() + HEAP_OVERHEAD + languages * size_of::<(&str, u32)>();
                    self.ids.insert(term, to);
                    self.terms.push(Acc { last_doc: 0, ..acc });
                    to
                }
            };
            here[id as usize] = to;
        }
        for ((x, y), p) in other.pairs {
            let (Some(&x), Some(&y)) = (here.get(x as usize), here.get(y as usize)) else {
                continue;
            };
            let acc = self.pairs.entry((x, y)).or_default();
            acc.count += p.count;
            acc.documents += p.documents;
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
                    self.heap += t.term.len() + HEAP_OVERHEAD;
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
                    None => {
                        let before = acc.languages.capacity();
                        acc.languages.push((l, 1));
                        self.heap += (acc.languages.capacity() - before) * size_of::<(&str, u32)>();
                    }
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

    /// Number of distinct terms held in memory.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no term is held in memory.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// About how many bytes the counts held in memory take.
    pub fn memory(&self) -> usize {
        self.ids.capacity() * (size_of::<(String, u32)>() + 1)
            + self.terms.capacity() * size_of::<Acc>()
            + self.pairs.capacity() * (size_of::<((u32, u32), PairAcc)>() + 1)
            + self.heap
    }

    /// How many times the counts were written to disk.
    pub fn spills(&self) -> usize {
        self.spill.as_ref().map_or(0, |s| s.terms.len())
    }

    /// The terms by index, taking them out of the id map.
    fn names(ids: Map<String, u32>) -> Vec<String> {
        let mut names = vec![String::new(); ids.len()];
        for (term, id) in ids {
            names[id as usize] = term;
        }
        names
    }

    /// Write what is held as one sorted run of terms and one of pairs, and
    /// start afresh.
    fn spill_runs(&mut self) -> io::Result<()> {
        let Some(spill) = self.spill.as_mut() else {
            return Ok(());
        };
        let names = Self::names(std::mem::take(&mut self.ids));
        let terms = std::mem::take(&mut self.terms);
        let pairs = std::mem::take(&mut self.pairs);
        self.heap = 0;
        // Sort once by text; pairs then sort by the terms' ranks, as integers.
        let mut order: Vec<u32> = (0..names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
        let mut rank = vec![0u32; order.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        let mut w = spill.terms.writer()?;
        for &id in &order {
            write_term(&mut w.encoder(), &names[id as usize], &terms[id as usize])?;
        }
        w.close()?;
        drop(terms);
        let mut sorted: Vec<(u32, u32, u64, u64)> =
            pairs.into_iter().map(|((x, y), p)| (rank[x as usize], rank[y as usize], p.count, p.documents)).collect();
        sorted.sort_unstable();
        let mut w = spill.pairs.writer()?;
        for (x, y, count, documents) in sorted {
            let (t1, t2) = (&names[order[x as usize] as usize], &names[order[y as usize] as usize]);
            write_pair(&mut w.encoder(), t1, t2, count, documents)?;
        }
        w.close()
    }

    fn spilled(&self) -> bool {
        self.spill.as_ref().is_some_and(|s| !s.terms.is_empty())
    }

    /// Spill what is still held, and hand over the runs for the merge.
    fn spill_rest(&mut self) -> io::Result<Spilled> {
        self.spill_runs()?;
        self.spill.take().ok_or_else(|| io::Error::other("the vocabulary has no spill folder"))
    }

    /// Compute the tables; bigrams seen fewer than `bigram_min` times are left out.
    pub fn finish(self, bigram_min: u64) -> io::Result<CorpusTables> {
        if self.spilled() { self.finish_spilled(bigram_min) } else { Ok(self.finish_in_memory(bigram_min)) }
    }

    fn finish_in_memory(self, bigram_min: u64) -> CorpusTables {
        let totals = Totals { n_texts: self.texts, body: self.body_tokens, comment: self.comment_tokens };
        let mut stemmers = Stemmers::default();
        let names = Self::names(self.ids);

        let mut bigrams: Vec<BigramEntry> = self
            .pairs
            .iter()
            .filter(|(_, p)| p.count >= bigram_min.max(1))
            .map(|(&(x, y), p)| {
                let (a1, a2) = (&self.terms[x as usize], &self.terms[y as usize]);
                let (fx, fy) = (a1.body + a1.comment, a2.body + a2.comment);
                bigram_entry(names[x as usize].clone(), names[y as usize].clone(), p.count, p.documents, fx, fy, totals.tokens())
            })
            .collect();
        bigrams.sort_unstable_by(by_terms);

        let mut vocabulary = Vec::with_capacity(self.terms.len());
        let mut keyness = Vec::with_capacity(self.terms.len());
        for (term, a) in names.into_iter().zip(self.terms) {
            let (v, k) = term_rows(term, &a, &mut stemmers, &totals);
            vocabulary.push(v);
            keyness.push(k);
        }
        vocabulary.sort_unstable_by(|a, b| a.term.cmp(&b.term));
        keyness.sort_unstable_by(keyness_order);
        CorpusTables {
            vocabulary: Rows::memory(vocabulary),
            bigrams: Rows::memory(bigrams),
            keyness: Rows::memory(keyness),
            n_texts: totals.n_texts,
            body_tokens: totals.body,
            comment_tokens: totals.comment,
        }
    }

    /// The tables from the merged runs. The vocabulary is written in term
    /// order as the runs merge; keyness goes through an external sort; each
    /// bigram is joined with its first term's frequency in term order, then
    /// sorted by its second term to be joined with that one's, then sorted
    /// back.
    fn finish_spilled(mut self, bigram_min: u64) -> io::Result<CorpusTables> {
        let Spilled { dir, mut terms, mut pairs } = self.spill_rest()?;
        let totals = Totals { n_texts: self.texts, body: self.body_tokens, comment: self.comment_tokens };
        let budget = sorter_budget(self.budget);
        let mut vocabulary = Runs::new(&dir, "vocabulary");
        let mut frequencies = Runs::new(&dir, "frequencies");
        let mut keyness = Sorter::new(&dir, "keyness", budget, keyness_order);
        let mut stemmers = Stemmers::default();
        {
            let (mut vw, mut fw) = (vocabulary.writer()?, frequencies.writer()?);
            for t in terms.merge(Vec::new(), by_term, Some(TermRec::absorb))? {
                let TermRec(term, acc) = t?;
                let (v, k) = term_rows(term, &acc, &mut stemmers, &totals);
                fw.push(&(v.term.clone(), v.n_occurrences))?;
                vw.push(&v)?;
                keyness.push(k)?;
            }
            vw.close()?;
            fw.close()?;
        }
        let mut by_second = Sorter::new(&dir, "bigrams-by-second", budget, |a: &Half, b: &Half| (&a.0.1, &a.0.0).cmp(&(&b.0.1, &b.0.0)));
        let mut first = Lookup(frequencies.merge(Vec::new(), by_term_total, None)?.peekable());
        for p in pairs.merge(Vec::new(), by_pair, Some(add_pair))? {
            let p = p?;
            if p.2 >= bigram_min.max(1) {
                let fx = first.get(&p.0)?;
                by_second.push(Half(p, fx))?;
            }
        }
        let mut second = Lookup(frequencies.merge(Vec::new(), by_term_total, None)?.peekable());
        let mut bigrams = Sorter::new(&dir, "bigrams", budget, by_terms);
        for h in by_second.finish()? {
            let Half((t1, t2, count, documents), fx) = h?;
            let fy = second.get(&t2)?;
            bigrams.push(bigram_entry(t1, t2, count, documents, fx, fy, totals.tokens()))?;
        }
        Ok(CorpusTables {
            vocabulary: Rows(Box::new(vocabulary.merge(Vec::new(), |a: &VocabEntry, b| a.term.cmp(&b.term), None)?)),
            bigrams: Rows(Box::new(bigrams.finish()?)),
            keyness: Rows(Box::new(keyness.finish()?)),
            n_texts: totals.n_texts,
            body_tokens: totals.body,
            comment_tokens: totals.comment,
        })
    }

    /// The counts behind the tables, for a sharded run's merge.
    pub fn partials(mut self) -> io::Result<PartialTables> {
        if !self.spilled() {
            return Ok(self.partials_in_memory());
        }
        let Spilled { dir, mut terms, mut pairs } = self.spill_rest()?;
        let mut stemmers = Stemmers::default();
        let mut vocabulary = Runs::new(&dir, "vocabulary-part");
        let mut languages = Runs::new(&dir, "term-languages-part");
        {
            let (mut vw, mut lw) = (vocabulary.writer()?, languages.writer()?);
            for t in terms.merge(Vec::new(), by_term, Some(TermRec::absorb))? {
                let TermRec(term, acc) = t?;
                let (v, ls) = partial_rows(term, &acc, &mut stemmers);
                for l in &ls {
                    lw.push(l)?;
                }
                vw.push(&v)?;
            }
            vw.close()?;
            lw.close()?;
        }
        Ok(PartialTables {
            vocabulary: Rows(Box::new(vocabulary.merge(Vec::new(), |a: &PartialTerm, b| a.0.cmp(&b.0), None)?)),
            term_languages: Rows(Box::new(languages.merge(
                Vec::new(),
                |a: &PartialTermLanguage, b| (&a.0, a.1).cmp(&(&b.0, b.1)),
                None,
            )?)),
            bigrams: Rows(Box::new(pairs.merge(Vec::new(), by_pair, Some(add_pair))?)),
        })
    }

    fn partials_in_memory(self) -> PartialTables {
        let mut stemmers = Stemmers::default();
        let names = Self::names(self.ids);
        let mut bigrams: Vec<PartialBigram> =
            self.pairs.iter().map(|(&(x, y), p)| (names[x as usize].clone(), names[y as usize].clone(), p.count, p.documents)).collect();
        bigrams.sort_unstable();
        let mut vocabulary = Vec::with_capacity(self.terms.len());
        let mut term_languages = Vec::new();
        for (term, a) in names.into_iter().zip(self.terms) {
            let (v, ls) = partial_rows(term, &a, &mut stemmers);
            vocabulary.push(v);
            term_languages.extend(ls);
        }
        vocabulary.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        term_languages.sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        PartialTables { vocabulary: Rows::memory(vocabulary), term_languages: Rows::memory(term_languages), bigrams: Rows::memory(bigrams) }
    }
}

/// Bytes each external sort of the finish may hold: a quarter of the
/// budget, and at least 4 KiB so that a budget of 0 still sorts in runs
/// rather than one record per file.
fn sorter_budget(budget: usize) -> usize {
    (budget / 4).max(4 << 10)
}

/// Estimated allocator overhead of one small heap allocation.
const HEAP_OVERHEAD: usize = 16;

/// Corpus totals the scores need.
struct Totals {
    n_texts: u64,
    body: u64,
    comment: u64,
}

impl Totals {
    fn tokens(&self) -> u64 {
        self.body + self.comment
    }
}

/// A term's `vocabulary` and `keyness` rows.
fn term_rows(term: String, a: &Acc, stemmers: &mut Stemmers, totals: &Totals) -> (VocabEntry, KeynessEntry) {
    let class = first_class(a.classes);
    let language = majority(a.languages.iter().map(|&(l, n)| (l, u64::from(n))));
    let stemmed = match (class, language) {
        (TokenClass::Word, Some(l)) => stemmers.stem(&term, l).map(|s| (s, l)),
        _ => None,
    };
    let keyness = keyness_entry(&term, class, a.body, a.comment, totals.body, totals.comment);
    let (stem, stem_language) = match stemmed {
        Some((s, l)) => (s, Some(l)),
        None => (term.clone(), None),
    };
    let vocabulary = VocabEntry {
        is_stopword: is_stopword(&term),
        class,
        n_occurrences: a.body + a.comment,
        n_body: a.body,
        n_comment: a.comment,
        n_documents: a.documents,
        n_texts: a.texts,
        idf: (totals.n_texts as f64 / a.texts as f64).ln(),
        stem,
        stem_language,
        term,
    };
    (vocabulary, keyness)
}

/// A term's `vocabulary_part` row and its `term_languages_part` rows (Word terms only), by language.
fn partial_rows(term: String, a: &Acc, stemmers: &mut Stemmers) -> (PartialTerm, Vec<PartialTermLanguage>) {
    let class = first_class(a.classes);
    let mut languages = Vec::new();
    if class == TokenClass::Word {
        for &(l, n) in &a.languages {
            languages.push((term.clone(), l, u64::from(n), stemmers.stem(&term, l)));
        }
        languages.sort_unstable_by(|x, y| x.1.cmp(y.1));
    }
    let stop = is_stopword(&term);
    ((term, class, stop, a.body, a.comment, a.documents, a.texts), languages)
}

/// A bigram's row from its counts and its terms' frequencies `fx`, `fy` among `total` tokens.
fn bigram_entry(term1: String, term2: String, count: u64, documents: u64, fx: u64, fy: u64, total: u64) -> BigramEntry {
    let (fx, fy, fxy) = (fx as f64, fy as f64, count as f64);
    BigramEntry {
        term1,
        term2,
        n_occurrences: count,
        n_documents: documents,
        pmi: (fxy * total as f64 / (fx * fy)).log2(),
        log_dice: 14.0 + (2.0 * fxy / (fx + fy)).log2(),
    }
}

fn by_terms(a: &BigramEntry, b: &BigramEntry) -> Ordering {
    (&a.term1, &a.term2).cmp(&(&b.term1, &b.term2))
}

fn keyness_order(a: &KeynessEntry, b: &KeynessEntry) -> Ordering {
    b.log_likelihood.total_cmp(&a.log_likelihood).then_with(|| a.term.cmp(&b.term))
}

/// A term and its counts, as spilled.
struct TermRec(String, Acc);

impl TermRec {
    fn absorb(&mut self, other: TermRec) {
        self.1.absorb(other.1);
    }
}

fn by_term(a: &TermRec, b: &TermRec) -> Ordering {
    a.0.cmp(&b.0)
}

fn by_term_total(a: &(String, u64), b: &(String, u64)) -> Ordering {
    a.0.cmp(&b.0)
}

fn by_pair(a: &PartialBigram, b: &PartialBigram) -> Ordering {
    (&a.0, &a.1).cmp(&(&b.0, &b.1))
}

fn add_pair(a: &mut PartialBigram, b: PartialBigram) {
    a.2 += b.2;
    a.3 += b.3;
}

/// A bigram's counts and its first term's frequency, on its way to the second's.
struct Half(PartialBigram, u64);

/// Terms' frequencies read in term order, for a merge join.
struct Lookup(std::iter::Peekable<Merge<(String, u64)>>);

impl Lookup {
    /// The frequency of `term`; terms must be asked for in order.
    fn get(&mut self, term: &str) -> io::Result<u64> {
        loop {
            match self.0.peek() {
                Some(Ok((t, n))) => match t.as_str().cmp(term) {
                    Ordering::Less => {
                        self.0.next();
                    }
                    Ordering::Equal => return Ok(*n),
                    Ordering::Greater => break,
                },
                Some(Err(_)) => return Err(self.0.next().and_then(Result::err).unwrap_or_else(|| corrupt("frequencies"))),
                None => break,
            }
        }
        Err(corrupt("bigram whose term is not in the vocabulary"))
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

// The spilled records' encodings: fields in declaration order, classes as
// their index in CLASSES, languages by their code.

fn write_term(out: &mut Encoder<'_>, term: &str, a: &Acc) -> io::Result<()> {
    out.str(term)?;
    out.u8(a.classes)?;
    for n in [a.body, a.comment, a.documents, a.texts, a.languages.len() as u64] {
        out.u64(n)?;
    }
    for &(l, n) in &a.languages {
        out.str(l)?;
        out.u64(u64::from(n))?;
    }
    Ok(())
}

fn write_pair(out: &mut Encoder<'_>, t1: &str, t2: &str, count: u64, documents: u64) -> io::Result<()> {
    out.str(t1)?;
    out.str(t2)?;
    out.u64(count)?;
    out.u64(documents)
}

fn read_language(input: &mut Decoder) -> io::Result<&'static str> {
    crate::language::code(&input.string()?).ok_or_else(|| corrupt("language code"))
}

fn write_class(out: &mut Encoder<'_>, class: TokenClass) -> io::Result<()> {
    out.u8(CLASSES.iter().position(|&c| c == class).unwrap_or(0) as u8)
}

fn read_class(input: &mut Decoder) -> io::Result<TokenClass> {
    CLASSES.get(usize::from(input.u8()?)).copied().ok_or_else(|| corrupt("token class"))
}

fn read_bool(input: &mut Decoder) -> io::Result<bool> {
    Ok(input.u8()? != 0)
}

/// In-memory size of a string: its heap bytes and the allocator's overhead.
fn heap(s: &str) -> usize {
    s.len() + HEAP_OVERHEAD
}

impl Record for TermRec {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        write_term(out, &self.0, &self.1)
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        let term = input.string()?;
        let classes = input.u8()?;
        let (body, comment, documents, texts) = (input.u64()?, input.u64()?, input.u64()?, input.u64()?);
        let n = input.u64()?;
        let mut languages = Vec::new();
        for _ in 0..n {
            let l = read_language(input)?;
            let count = u32::try_from(input.u64()?).map_err(|_| corrupt("language count"))?;
            languages.push((l, count));
        }
        Ok(TermRec(term, Acc { classes, body, comment, documents, texts, last_doc: 0, languages }))
    }
    fn bytes(&self) -> usize {
        size_of::<Self>() + heap(&self.0) + self.1.languages.capacity() * size_of::<(&str, u32)>()
    }
}

impl Record for PartialBigram {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        write_pair(out, &self.0, &self.1, self.2, self.3)
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        Ok((input.string()?, input.string()?, input.u64()?, input.u64()?))
    }
    fn bytes(&self) -> usize {
        size_of::<Self>() + heap(&self.0) + heap(&self.1)
    }
}

impl Record for (String, u64) {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        out.str(&self.0)?;
        out.u64(self.1)
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        Ok((input.string()?, input.u64()?))
    }
    fn bytes(&self) -> usize {
        size_of::<Self>() + heap(&self.0)
    }
}

impl Record for Half {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        self.0.write(out)?;
        out.u64(self.1)
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        Ok(Half(PartialBigram::read(input)?, input.u64()?))
    }
    fn bytes(&self) -> usize {
        self.0.bytes() + 8
    }
}

impl Record for VocabEntry {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        out.str(&self.term)?;
        write_class(out, self.class)?;
        out.str(&self.stem)?;
        out.str(self.stem_language.unwrap_or(""))?;
        out.u8(u8::from(self.is_stopword))?;
        for n in [self.n_occurrences, self.n_body, self.n_comment, self.n_documents, self.n_texts] {
            out.u64(n)?;
        }
        out.f64(self.idf)
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        let (term, class, stem) = (input.string()?, read_class(input)?, input.string()?);
        let language = input.string()?;
        let stem_language = match language.as_str() {
            "" => None,
            code => Some(crate::language::code(code).ok_or_else(|| corrupt("language code"))?),
        };
        Ok(VocabEntry {
            term,
            class,
            stem,
            stem_language,
            is_stopword: read_bool(input)?,
            n_occurrences: input.u64()?,
            n_body: input.u64()?,
            n_comment: input.u64()?,
            n_documents: input.u64()?,
            n_texts: input.u64()?,
            idf: input.f64()?,
        })
    }
    fn bytes(&self) -> usize {
        size_of::<Self>() + heap(&self.term) + heap(&self.stem)
    }
}

impl Record for KeynessEntry {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        out.str(&self.term)?;
        write_class(out, self.class)?;
        for n in [self.n_body, self.n_comment, self.total_body, self.total_comment] {
            out.u64(n)?;
        }
        out.f64(self.log_likelihood)?;
        out.u8(u8::from(self.log_ratio.is_some()))?;
        out.f64(self.log_ratio.unwrap_or(0.0))?;
        out.u8(match self.key_for {
            None => 0,
            Some("body") => 1,
            Some(_) => 2,
        })
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        let (term, class) = (input.string()?, read_class(input)?);
        let (n_body, n_comment, total_body, total_comment) = (input.u64()?, input.u64()?, input.u64()?, input.u64()?);
        let log_likelihood = input.f64()?;
        let has_ratio = read_bool(input)?;
        let ratio = input.f64()?;
        let key_for = match input.u8()? {
            0 => None,
            1 => Some("body"),
            2 => Some("comment"),
            _ => return Err(corrupt("keyness direction")),
        };
        Ok(KeynessEntry {
            term,
            class,
            n_body,
            n_comment,
            total_body,
            total_comment,
            log_likelihood,
            log_ratio: has_ratio.then_some(ratio),
            key_for,
        })
    }
    fn bytes(&self) -> usize {
        size_of::<Self>() + heap(&self.term)
    }
}

impl Record for BigramEntry {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        write_pair(out, &self.term1, &self.term2, self.n_occurrences, self.n_documents)?;
        out.f64(self.pmi)?;
        out.f64(self.log_dice)
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        let (term1, term2, n_occurrences, n_documents) = PartialBigram::read(input)?;
        Ok(BigramEntry { term1, term2, n_occurrences, n_documents, pmi: input.f64()?, log_dice: input.f64()? })
    }
    fn bytes(&self) -> usize {
        size_of::<Self>() + heap(&self.term1) + heap(&self.term2)
    }
}

impl Record for PartialTerm {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        out.str(&self.0)?;
        write_class(out, self.1)?;
        out.u8(u8::from(self.2))?;
        for n in [self.3, self.4, self.5, self.6] {
            out.u64(n)?;
        }
        Ok(())
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        Ok((input.string()?, read_class(input)?, read_bool(input)?, input.u64()?, input.u64()?, input.u64()?, input.u64()?))
    }
    fn bytes(&self) -> usize {
        size_of::<Self>() + heap(&self.0)
    }
}

impl Record for PartialTermLanguage {
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()> {
        out.str(&self.0)?;
        out.str(self.1)?;
        out.u64(self.2)?;
        out.u8(u8::from(self.3.is_some()))?;
        out.str(self.3.as_deref().unwrap_or(""))
    }
    fn read(input: &mut Decoder) -> io::Result<Self> {
        let term = input.string()?;
        let language = read_language(input)?;
        let texts = input.u64()?;
        let has_stem = read_bool(input)?;
        let stem = input.string()?;
        Ok((term, language, texts, has_stem.then_some(stem)))
    }
    fn bytes(&self) -> usize {
        size_of::<Self>() + heap(&self.0) + self.3.as_deref().map_or(0, heap)
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
        v.add(&doc("Ken Ken Boris", &["Ken again", "no"])).expect("in the test");
        v.add(&doc("Boris", &[])).expect("in the test");
        let tables = v.finish(1).expect("in the test");
        let rows = &tables.vocabulary.into_vec().expect("in the test");
        let get = |t: &str| rows.iter().find(|r| r.term == t).map(|r| (r.n_occurrences, r.n_body, r.n_comment, r.n_documents, r.n_texts));
        assert_eq!(get("ken"), Some((3, 2, 1, 1, 2)));
        assert_eq!(get("boris"), Some((2, 2, 0, 2, 2)));
        assert_eq!(get("no"), Some((1, 0, 1, 1, 1)));
        assert!(rows.windows(2).all(|w| w[0].term < w[1].term));
        assert_eq!(tables.n_texts, 4);
        let idf = rows.iter().find(|r| r.term == "ken").map(|r| r.idf);
        assert_eq!(idf, Some((4.0f64 / 2.0).ln()));
        let kk = tables
            .bigrams
            .into_vec()
            .expect("in the test")
            .into_iter()
            .find(|b| b.term1 == "ken" && b.term2 == "ken")
            .map(|b| (b.n_occurrences, b.n_documents));
        assert_eq!(kk, Some((1, 1)));
        assert_eq!(tables.keyness.into_vec().expect("in the test").len(), rows.len());
    }

    /// A corpus of `n` documents whose words repeat at different rates, in
    /// two languages, so that terms and pairs recur across spills.
    fn corpus(n: usize) -> Vec<Document> {
        (0..n)
            .map(|i| {
                let words: Vec<String> = (0..12).map(|j| format!("w{}", (i * 7 + j * j) % (5 + i % 40))).collect();
                let mut d = doc(&words.join(" "), &[&words[..4].join(" "), "Ken said so"]);
                d.language = Some(if i % 3 == 0 { "fr" } else { "en" });
                d.comments[0].language = Some("de");
                d
            })
            .collect()
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("hustings-vocab-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    type Read<T> = Vec<T>;

    fn read(t: CorpusTables) -> (Read<VocabEntry>, Read<BigramEntry>, Read<KeynessEntry>, [u64; 3]) {
        let totals = [t.n_texts, t.body_tokens, t.comment_tokens];
        (
            t.vocabulary.into_vec().expect("in the test"),
            t.bigrams.into_vec().expect("in the test"),
            t.keyness.into_vec().expect("in the test"),
            totals,
        )
    }

    /// `docs` counted in memory, one by one.
    fn counted(docs: &[Document]) -> Vocabulary {
        let mut v = Vocabulary::new();
        docs.iter().for_each(|d| v.add(d).expect("in the test"));
        v
    }

    #[test]
    fn spilled_tables_equal_the_in_memory_ones_for_any_budget() {
        let docs = corpus(300);
        let want = read(counted(&docs).finish(2).expect("in the test"));
        assert!(want.1.len() > 50 && want.0.len() > 40);
        for budget in [0, 2 << 10, 12 << 10] {
            let dir = scratch(&format!("finish-{budget}"));
            let mut v = Vocabulary::with_budget(budget, &dir);
            for d in &docs {
                v.add(d).expect("in the test");
            }
            assert!(v.spills() > 1, "budget {budget} spilled {} times", v.spills());
            assert_eq!(read(v.finish(2).expect("in the test")), want, "budget {budget}");
            std::fs::remove_dir_all(&dir).expect("in the test");
        }
    }

    #[test]
    fn shares_merged_pairwise_and_absorbed_equal_the_documents_added_one_by_one() {
        let docs = corpus(300);
        let want = read(counted(&docs).finish(2).expect("in the test"));
        // Shares of 7 documents, merged two by two into chunks of 35, absorbed
        // into a vocabulary that also spills (and takes one document itself).
        for budget in [usize::MAX, 4 << 10] {
            let dir = scratch(&format!("absorb-{budget}"));
            let mut v = Vocabulary::with_budget(budget, &dir);
            v.add(&docs[0]).expect("in the test");
            for chunk in docs[1..].chunks(35) {
                let mut shares: Vec<Vocabulary> = chunk.chunks(7).map(counted).collect();
                while shares.len() > 1 {
                    let b = shares.pop().expect("two or more");
                    let a = shares.last_mut().expect("one or more");
                    a.merge(b);
                }
                v.absorb(shares.pop().expect("one")).expect("in the test");
            }
            assert_eq!(v.spills() > 1, budget != usize::MAX, "budget {budget}");
            assert_eq!(read(v.finish(2).expect("in the test")), want, "budget {budget}");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    #[test]
    fn spilled_partials_equal_the_in_memory_ones() {
        let docs = corpus(120);
        let mut memory = Vocabulary::new();
        let dir = scratch("partials");
        let mut spilled = Vocabulary::with_budget(0, &dir);
        for d in &docs {
            memory.add(d).expect("in the test");
            spilled.add(d).expect("in the test");
        }
        let (a, b) = (memory.partials().expect("in the test"), spilled.partials().expect("in the test"));
        assert_eq!(a.vocabulary.into_vec().expect("in the test"), b.vocabulary.into_vec().expect("in the test"));
        let languages = a.term_languages.into_vec().expect("in the test");
        assert!(languages.iter().any(|l| l.1 == "de") && languages.iter().any(|l| l.1 == "fr"));
        assert_eq!(languages, b.term_languages.into_vec().expect("in the test"));
        assert_eq!(a.bigrams.into_vec().expect("in the test"), b.bigrams.into_vec().expect("in the test"));
        std::fs::remove_dir_all(&dir).expect("in the test");
    }

    #[test]
    fn memory_is_counted_and_spilling_frees_it() {
        let dir = scratch("memory");
        let mut v = Vocabulary::with_budget(1 << 20, &dir);
        v.add(&doc("one two three four", &[])).expect("in the test");
        let small = v.memory();
        assert!(small > 4 * 20 && small < 1 << 20, "{small}");
        for d in corpus(2000) {
            v.add(&d).expect("in the test");
            assert!(v.memory() <= (1 << 20) + (64 << 10), "held {} after a document", v.memory());
        }
        drop(v);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
