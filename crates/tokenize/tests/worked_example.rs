//! A corpus small enough to work through on paper. Every expected value
//! below is derived by hand in the comments, from the textbook formulas:
//! Dunning's G² as laid out by Rayson & Garside (2000), Hardie's (2014) log
//! ratio, Church & Hanks' PMI, Rychlý's (2008) logDice, Covington &
//! McFall's (2010) MATTR and Flesch's (1948) reading ease.

use hustings_core::{BigramEntry, Comment, Document, KeynessEntry, VocabEntry};
use hustings_tokenize::{Vocabulary, analyse, moving_average_ttr, syllables};

fn close(got: f64, want: f64) {
    assert!((got - want).abs() < 5e-7, "got {got}, want {want}");
}

fn comment(position: u32, text: &str) -> Comment {
    Comment {
        position,
        parent: None,
        depth: 0,
        author: None,
        posted_at: None,
        text: text.into(),
        n_paragraphs: 1,
        language: Some("en"),
        stats: analyse(text),
    }
}

/// The corpus-wide tables, read out.
#[derive(Debug, PartialEq)]
struct Tables {
    vocabulary: Vec<VocabEntry>,
    bigrams: Vec<BigramEntry>,
    keyness: Vec<KeynessEntry>,
    body_tokens: u64,
    comment_tokens: u64,
    n_texts: u64,
}

/// Two documents:
///
/// | text | words | counted tokens |
/// |---|---|---|
/// | body 1 | "The cat sat. The cat ran." | 6 |
/// | comment 1.1 | "A dog sat." | 3 |
/// | body 2 | "The dog ran." | 3 |
/// | comment 2.1 | "Dog, dog!" | 2 |
///
/// So bodies hold c = 9 tokens, comments d = 5, the corpus N = 14 in 4 texts.
fn tables(mut v: Vocabulary) -> Tables {
    let doc = |body: &str, comments: Vec<Comment>| Document {
        language: Some("en"),
        body_stats: analyse(body),
        body_text: body.into(),
        comments,
        ..Document::default()
    };
    v.add(&doc("The cat sat. The cat ran.", vec![comment(1, "A dog sat.")])).expect("add");
    v.add(&doc("The dog ran.", vec![comment(1, "Dog, dog!")])).expect("add");
    let t = v.finish(1).expect("finish");
    Tables {
        vocabulary: t.vocabulary.into_vec().expect("vocabulary"),
        bigrams: t.bigrams.into_vec().expect("bigrams"),
        keyness: t.keyness.into_vec().expect("keyness"),
        body_tokens: t.body_tokens,
        comment_tokens: t.comment_tokens,
        n_texts: t.n_texts,
    }
}

fn corpus() -> Tables {
    tables(Vocabulary::new())
}

#[test]
fn spilling_after_every_document_gives_the_same_tables() {
    let dir = std::env::temp_dir().join(format!("hustings-worked-example-{}", std::process::id()));
    let spilled = Vocabulary::with_budget(0, &dir);
    let t = tables(spilled);
    assert!(dir.join("terms-2.run").is_file(), "both documents were spilled");
    assert_eq!(t, corpus());
    std::fs::remove_dir_all(&dir).expect("scratch removed");
}

#[test]
fn totals() {
    let t = corpus();
    assert_eq!((t.body_tokens, t.comment_tokens, t.n_texts), (9, 5, 4));
}

#[test]
fn vocabulary_counts_and_idf() {
    let t = corpus();
    let row = |term: &str| t.vocabulary.iter().find(|r| r.term == term).expect(term).clone();
    // dog: once in body 2, once in comment 1.1, twice in comment 2.1.
    let dog = row("dog");
    assert_eq!((dog.n_occurrences, dog.n_body, dog.n_comment, dog.n_documents, dog.n_texts), (4, 1, 3, 2, 3));
    // idf = ln(4 texts / 3 texts) = ln 1.3333… = 0.2876821
    close(dog.idf, 0.287_682_1);
    // the: in bodies 1 and 2 only → ln(4/2) = 0.6931472
    close(row("the").idf, std::f64::consts::LN_2);
    assert!(row("the").is_stopword && row("a").is_stopword && !dog.is_stopword);
    assert_eq!((row("ran").stem.as_str(), row("ran").stem_language), ("ran", Some("en")));
}

#[test]
fn keyness_by_hand() {
    let t = corpus();
    let row = |term: &str| t.keyness.iter().find(|r| r.term == term).expect(term).clone();
    // dog: a = 1 of c = 9 in bodies, b = 3 of d = 5 in comments.
    // E1 = 9·4/14 = 2.5714286, E2 = 5·4/14 = 1.4285714
    // G² = 2(1·ln(1/2.5714286) + 3·ln(3/1.4285714))
    //    = 2(−0.9444616 + 3·0.7419373) = 2·1.2813504 = 2.5627009
    // log ratio = log2((1/9)/(3/5)) = log2(0.1851852) = −2.4329594
    let dog = row("dog");
    assert_eq!((dog.n_body, dog.n_comment, dog.total_body, dog.total_comment), (1, 3, 9, 5));
    close(dog.log_likelihood, 2.562_700_9);
    close(dog.log_ratio.expect("ratio"), -2.432_959_4);
    assert_eq!(dog.key_for, Some("comment"));
    // cat: a = 2, b = 0. E1 = 9·2/14 = 1.2857143; the b term is 0.
    // G² = 2·2·ln(2/1.2857143) = 4·ln(1.5555556) = 4·0.4418328 = 1.7673310
    // log ratio, zero taken as 0.5: log2((2/9)/(0.5/5)) = log2(2.2222222) = 1.1520031
    let cat = row("cat");
    close(cat.log_likelihood, 1.767_331_0);
    close(cat.log_ratio.expect("ratio"), 1.152_003_1);
    assert_eq!(cat.key_for, Some("body"));
    // Sorted by G², largest first.
    assert!(t.keyness.windows(2).all(|w| w[0].log_likelihood >= w[1].log_likelihood));
}

#[test]
fn bigrams_by_hand() {
    let t = corpus();
    let pair = |a: &str, b: &str| t.bigrams.iter().find(|r| r.term1 == a && r.term2 == b).cloned();
    // "the cat" twice (body 1); f(the) = 3, f(cat) = 2, N = 14.
    // PMI = log2(2·14 / (3·2)) = log2(4.6666667) = 2.2223924
    // logDice = 14 + log2(2·2 / (3 + 2)) = 14 + log2(0.8) = 13.6780719
    let the_cat = pair("the", "cat").expect("the cat");
    assert_eq!((the_cat.n_occurrences, the_cat.n_documents), (2, 1));
    close(the_cat.pmi, 2.222_392_4);
    close(the_cat.log_dice, 13.678_071_9);
    // "dog dog" across the comma (punctuation is set aside): f = 1, f(dog) = 4.
    // PMI = log2(14 / 16) = −0.1926451; logDice = 14 + log2(2/8) = 12
    let dog_dog = pair("dog", "dog").expect("dog dog");
    close(dog_dog.pmi, -0.192_645_1);
    close(dog_dog.log_dice, 12.0);
    // Never across a sentence boundary: "sat. The".
    assert!(pair("sat", "the").is_none());
    // Each text's pairs: body 1 has 4 (the cat, cat sat, the cat, cat ran), body 2 two,
    // comment 1.1 two, comment 2.1 one: 9 occurrences in 8 distinct pairs.
    assert_eq!(t.bigrams.iter().map(|b| b.n_occurrences).sum::<u64>(), 9);
    assert_eq!(t.bigrams.len(), 8);
}

#[test]
fn flesch_by_hand() {
    // 11 words in 2 sentences; syllables: the cat sat on the mat (6) it was a (3)
    // hap·py (2) cat (1) = 12.
    // 206.835 − 1.015·(11/2) − 84.6·(12/11) = 206.835 − 5.5825 − 92.2909091 = 108.9615909
    let s = analyse("The cat sat on the mat. It was a happy cat.");
    assert_eq!((s.n_words, s.n_sentences, s.n_syllables), (11, 2, 12));
    close(s.flesch_reading_ease().expect("flesch"), 108.961_590_9);
    assert_eq!(s.mean_sentence_length(), Some(5.5));
    // 9 distinct terms (the, cat twice each) over 11 tokens.
    assert_eq!(s.type_token_ratio(), Some(9.0 / 11.0));
}

#[test]
fn syllable_rule() {
    for (word, n) in [("the", 1), ("make", 1), ("table", 2), ("people", 2), ("readable", 3), ("happy", 2), ("Labour's", 2), ("2nd", 1)] {
        assert_eq!(syllables(word), n, "{word}");
    }
}

#[test]
fn mattr_by_hand() {
    // Tokens a b a c, window 3: windows "a b a" (2/3) and "b a c" (3/3); mean 5/6.
    close(moving_average_ttr(&[0, 1, 0, 2], 3, 3).expect("mattr"), 5.0 / 6.0);
    // Shorter than the window: the plain ratio.
    close(moving_average_ttr(&[0, 1, 0], 3, 50).expect("mattr"), 2.0 / 3.0);
    // 52 tokens cycling through 26 words: each of the 3 windows of 50 holds
    // all 26 types, so MATTR = 26/50 = 0.52 while the plain TTR is 26/52 = 0.5.
    let words: Vec<String> = (0..52).map(|i| format!("w{}x", (b'a' + (i % 26) as u8) as char)).collect();
    let s = analyse(&words.join(" "));
    assert_eq!(s.n_types, 26);
    close(s.mattr.expect("mattr"), 0.52);
    assert_eq!(s.type_token_ratio(), Some(0.5));
}

#[test]
fn sentences_survive_abbreviations() {
    let s = analyse("Mr. Smith met Dr. Jones at No. 10 Downing St. on Monday. He left, e.g. by car. J. Smith stayed.");
    assert_eq!(s.n_sentences, 3);
}

#[test]
fn full_case_folding() {
    let s = analyse("STRASSE Straße straße ΣΊΣΥΦΟΣ σίσυφος");
    let terms: Vec<(&str, u64)> = s.terms.iter().map(|t| (t.term.as_str(), t.count)).collect();
    assert_eq!(terms, vec![("strasse", 3), ("σίσυφοσ", 2)]);
}
