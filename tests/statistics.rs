//! The token-statistics tables agree with each other and with the texts:
//! the invariants an analyst relies on when joining them. Run on the seeds
//! and every shape fixture (several encodings, line ends and languages),
//! with `--tokens`.

#[allow(dead_code)] // each test binary uses some of the helpers
mod util;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use util::{root, run_ok, table};

type Row = BTreeMap<String, String>;

struct Run {
    _tmp: tempfile::TempDir,
    input: PathBuf,
    out: PathBuf,
}

fn run() -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for dir in [root().join("seeds"), root().join("tests/fixtures/shapes")] {
        for e in std::fs::read_dir(&dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "txt") {
                std::fs::copy(&p, input.join(p.file_name().expect("name"))).expect("copy");
            }
        }
    }
    let out = tmp.path().join("out");
    run_ok(&input, &out, &["-q", "--tokens", "--bigram-min", "1"]);
    Run { _tmp: tmp, input, out }
}

fn n(row: &Row, col: &str) -> u64 {
    row[col].parse().unwrap_or_else(|e| panic!("{col}={:?}: {e}", row[col]))
}

fn f(row: &Row, col: &str) -> f64 {
    row[col].parse().unwrap_or_else(|e| panic!("{col}={:?}: {e}", row[col]))
}

#[test]
fn counts_add_up_across_tables() {
    let r = run();
    let docs = table(&r.out, "documents");
    let comments = table(&r.out, "comments");
    let counts = table(&r.out, "token_counts");
    let vocab = table(&r.out, "vocabulary");
    let keyness = table(&r.out, "keyness");
    let tokens = table(&r.out, "tokens");
    assert!(docs.len() >= 13 && !comments.is_empty() && !tokens.is_empty());

    // Per text: the sum of token_counts is n_tokens; so is the number of non-punct tokens.
    let mut per_text: HashMap<&str, u64> = HashMap::new();
    for c in &counts {
        *per_text.entry(c["text_id"].as_str()).or_default() += n(c, "count");
    }
    let mut tokens_per_text: HashMap<&str, u64> = HashMap::new();
    for t in tokens.iter().filter(|t| t["class"] != "punct") {
        *tokens_per_text.entry(t["text_id"].as_str()).or_default() += 1;
    }
    let texts = docs
        .iter()
        .map(|d| (d["doc_id"].as_str(), n(d, "n_tokens")))
        .chain(comments.iter().map(|c| (c["comment_id"].as_str(), n(c, "n_tokens"))));
    let (mut body_total, mut comment_total, mut n_texts) = (0, 0, 0u64);
    for (i, (id, n_tokens)) in texts.enumerate() {
        assert_eq!(per_text.get(id).copied().unwrap_or(0), n_tokens, "token_counts of {id}");
        assert_eq!(tokens_per_text.get(id).copied().unwrap_or(0), n_tokens, "tokens of {id}");
        if i < docs.len() {
            body_total += n_tokens;
        } else {
            comment_total += n_tokens;
        }
        n_texts += 1;
    }

    // Per term: vocabulary.n_occurrences is the sum over token_counts, split by side.
    let mut by_term: HashMap<&str, (u64, u64, u64)> = HashMap::new();
    for c in &counts {
        let e = by_term.entry(c["term"].as_str()).or_default();
        if c["comment_id"].is_empty() {
            e.0 += n(c, "count");
        } else {
            e.1 += n(c, "count");
        }
        e.2 += 1;
    }
    assert_eq!(by_term.len(), vocab.len());
    for v in &vocab {
        let (body, comment, in_texts) = by_term[v["term"].as_str()];
        assert_eq!((n(v, "n_body"), n(v, "n_comment"), n(v, "n_texts")), (body, comment, in_texts), "{}", v["term"]);
        assert_eq!(n(v, "n_occurrences"), body + comment);
        let idf = (n_texts as f64 / in_texts as f64).ln();
        assert!((f(v, "idf") - idf).abs() < 1e-12, "idf of {}", v["term"]);
    }

    // Keyness: one row per term, and its totals are the corpus totals.
    assert_eq!(keyness.len(), vocab.len());
    for k in &keyness {
        assert_eq!((n(k, "total_body"), n(k, "total_comment")), (body_total, comment_total));
        let (body, comment, _) = by_term[k["term"].as_str()];
        assert_eq!((n(k, "n_body"), n(k, "n_comment")), (body, comment));
    }
}

#[test]
fn token_offsets_slice_back_to_the_surface() {
    let r = run();
    let docs = table(&r.out, "documents");
    let comments = table(&r.out, "comments");
    let edits = table(&r.out, "edits");
    let tokens = table(&r.out, "tokens");
    let text_of: HashMap<&str, &str> = docs
        .iter()
        .map(|d| (d["doc_id"].as_str(), d["body_text"].as_str()))
        .chain(comments.iter().map(|c| (c["comment_id"].as_str(), c["text"].as_str())))
        .collect();
    let source_of: HashMap<&str, (Vec<u8>, &str)> = docs
        .iter()
        .map(|d| (d["doc_id"].as_str(), (std::fs::read(r.input.join(&d["source_path"])).expect("source"), d["encoding"].as_str())))
        .collect();
    let mut edited: HashMap<&str, Vec<(u64, u64)>> = HashMap::new();
    for e in &edits {
        edited.entry(e["doc_id"].as_str()).or_default().push((n(e, "byte_start"), n(e, "byte_end")));
    }
    let mut exact = 0;
    for t in &tokens {
        let text = text_of[t["text_id"].as_str()];
        let (s, e) = (n(t, "byte_start") as usize, n(t, "byte_end") as usize);
        assert_eq!(text.get(s..e), Some(t["surface"].as_str()), "cleaned-text offsets of {t:?}");
        let (src, encoding) = &source_of[t["doc_id"].as_str()];
        let (ss, se) = (n(t, "source_start"), n(t, "source_end"));
        assert!(ss <= se && se as usize <= src.len(), "source offsets of {t:?}");
        // Where nothing was repaired, a UTF-8 source holds the token byte for byte.
        let repaired = edited.get(t["doc_id"].as_str()).is_some_and(|v| v.iter().any(|&(a, b)| a < se && ss < b));
        if *encoding == "UTF-8" && !repaired && t["surface"] != "•" {
            assert_eq!(&src[ss as usize..se as usize], t["surface"].as_bytes(), "source offsets of {t:?}");
            exact += 1;
        }
    }
    assert!(exact * 10 > tokens.len() * 9, "most tokens map back exactly ({exact} of {})", tokens.len());
}

#[test]
fn token_rows_are_numbered_per_text() {
    let r = run();
    let tokens = table(&r.out, "tokens");
    let mut last: HashMap<&str, (i64, i64)> = HashMap::new();
    for t in &tokens {
        let (index, sentence) = (n(t, "index") as i64, n(t, "sentence") as i64);
        let prev = last.insert(t["text_id"].as_str(), (index, sentence)).unwrap_or((-1, 0));
        assert_eq!(index, prev.0 + 1, "index of {t:?}");
        assert!(sentence == prev.1 || sentence == prev.1 + 1, "sentence of {t:?}");
    }
}

#[test]
fn lexical_measures_are_in_range() {
    let r = run();
    for row in table(&r.out, "documents").iter().chain(table(&r.out, "comments").iter()) {
        let lang = row["language"].as_str();
        let tokens = n(row, "n_tokens");
        if tokens == 0 {
            assert!(row["type_token_ratio"].is_empty() && row["mattr"].is_empty());
            continue;
        }
        let (ttr, mattr) = (f(row, "type_token_ratio"), f(row, "mattr"));
        assert!((0.0..=1.0).contains(&ttr) && (0.0..=1.0).contains(&mattr));
        if tokens <= 50 {
            assert_eq!(mattr, ttr, "a text shorter than the window has its plain ratio: {row:?}");
        }
        if lang != "en" {
            assert!(row["flesch_reading_ease"].is_empty(), "Flesch only for English: {row:?}");
        }
    }
}
