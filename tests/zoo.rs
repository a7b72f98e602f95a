//! The layout zoo: one page per comment system or blog engine, as a text
//! browser (w3m, lynx) renders it, each with the article and the thread a
//! reader sees in it. Every fixture in tests/fixtures/zoo/ was written for
//! this test; its `.json` beside it holds what is expected:
//!
//! ```json
//! { "system": "WordPress (Twenty Twelve)", "language": "en",
//!   "title": "…", "author": "…", "body_starts": "…", "body_ends": "…",
//!   "comments": [ { "author": "…", "posted_at": "2012-04-26T15:02:00",
//!                   "depth": 0, "parent": null, "text_starts": "…" } ] }
//! ```
//!
//! `author` (of the article) is checked only when the key is present;
//! `posted_at` may be null; `parent` is the 1-based position of the comment
//! replied to. Each shape is reported on its own line.
//!
//! The zoo is a ratchet while the page reader grows into it: the shapes in
//! [`NOT_YET`] are known not to read right (each with what is wrong), every
//! other shape must pass, and a shape in `NOT_YET` that starts passing fails
//! the test until it is taken off the list.

use std::path::Path;

use serde_json::Value;

/// Shapes that do not read right yet, and what is wrong with each.
const NOT_YET: &[(&str, &str)] = &[];

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// What differs between a fixture's document and its expectation (empty when it passes).
fn differences(name: &str, bytes: &[u8], expect: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let d = match hustings::process(name, bytes) {
        Ok(d) => d,
        Err(e) => return vec![format!("not read: {e}")],
    };
    if let Some(t) = text(expect, "title") {
        if d.title.as_deref() != Some(t) {
            out.push(format!("title {:?}, expected {t:?}", d.title));
        }
    }
    if let Some(a) = expect.get("author") {
        if d.author.as_deref() != a.as_str() {
            out.push(format!("author {:?}, expected {a}", d.author));
        }
    }
    if let Some(l) = text(expect, "language") {
        if d.language != Some(l) {
            out.push(format!("language {:?}, expected {l:?}", d.language));
        }
    }
    if let Some(s) = text(expect, "body_starts") {
        if !d.body_text.starts_with(s) {
            out.push(format!("body starts {:?}, expected {s:?}", d.body_text.chars().take(80).collect::<String>()));
        }
    }
    if let Some(s) = text(expect, "body_ends") {
        if !d.body_text.ends_with(s) {
            let tail: String = d.body_text.chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
            out.push(format!("body ends {tail:?}, expected {s:?}"));
        }
    }
    let want = expect.get("comments").and_then(Value::as_array).cloned().unwrap_or_default();
    if want.len() != d.comments.len() {
        out.push(format!(
            "{} comments, expected {}: {:?}",
            d.comments.len(),
            want.len(),
            d.comments.iter().map(|c| (c.author.clone(), c.text.chars().take(30).collect::<String>())).collect::<Vec<_>>()
        ));
    }
    for (i, (got, w)) in d.comments.iter().zip(&want).enumerate() {
        let n = i + 1;
        let author = w.get("author").and_then(Value::as_str);
        if got.author.as_deref() != author {
            out.push(format!("comment {n}: author {:?}, expected {author:?}", got.author));
        }
        let at = w.get("posted_at").and_then(Value::as_str);
        let got_at = got.posted_at.map(|t| t.to_string());
        if got_at.as_deref() != at {
            out.push(format!("comment {n}: posted_at {got_at:?}, expected {at:?}"));
        }
        let depth = w.get("depth").and_then(Value::as_u64).unwrap_or(0);
        if u64::from(got.depth) != depth {
            out.push(format!("comment {n}: depth {}, expected {depth}", got.depth));
        }
        let parent = w.get("parent").and_then(Value::as_u64);
        if got.parent.map(u64::from) != parent {
            out.push(format!("comment {n}: parent {:?}, expected {parent:?}", got.parent));
        }
        if let Some(s) = text(w, "text_starts") {
            if !got.text.starts_with(s) {
                out.push(format!("comment {n}: text {:?}, expected to start {s:?}", got.text.chars().take(60).collect::<String>()));
            }
        }
    }
    out
}

#[test]
fn every_layout_in_the_zoo_reads_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zoo");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/zoo")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 25, "the zoo holds {} layouts, expected at least 25", pages.len());
    let mut failed = Vec::new();
    let mut languages = std::collections::BTreeSet::new();
    for page in &pages {
        let name = page.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        let json = page.with_extension("json");
        let expect: Value = serde_json::from_slice(&std::fs::read(&json).unwrap_or_else(|e| panic!("{}: {e}", json.display())))
            .unwrap_or_else(|e| panic!("{}: {e}", json.display()));
        if let Some(l) = text(&expect, "language") {
            languages.insert(l.to_owned());
        }
        let bytes = std::fs::read(page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let diff = differences(&name, &bytes, &expect);
        let system = text(&expect, "system").unwrap_or("?");
        if diff.is_empty() {
            eprintln!("ok    {name} ({system})");
        } else {
            eprintln!("FAIL  {name} ({system})");
            for d in &diff {
                eprintln!("        {d}");
            }
            failed.push(name);
        }
    }
    assert!(languages.len() >= 5, "the zoo is in {} languages ({languages:?}), expected at least 5", languages.len());
    let known: Vec<&str> = NOT_YET.iter().map(|n| n.0).collect();
    for k in &known {
        assert!(pages.iter().any(|p| p.file_name().and_then(|n| n.to_str()) == Some(k)), "NOT_YET names {k}, which is not in the zoo");
    }
    let regressed: Vec<&String> = failed.iter().filter(|f| !known.contains(&f.as_str())).collect();
    let fixed: Vec<&&str> = known.iter().filter(|k| !failed.iter().any(|f| f == *k)).collect();
    eprintln!("{} of {} layouts read as expected; {} known not to yet", pages.len() - failed.len(), pages.len(), known.len());
    assert!(regressed.is_empty(), "layouts that should read as expected do not: {regressed:?}");
    assert!(fixed.is_empty(), "layouts in NOT_YET now read as expected; take them off the list: {fixed:?}");
}
