//! A fuzz harness on stable Rust: property tests (proptest) that feed the
//! decoder and the whole per-page pipeline (decode → parse → clean →
//! tokenise) random bytes, page-shaped text and damaged seed pages, and
//! check that nothing panics and that every offset handed out slices the
//! text it points into.
//!
//! The case count is bounded for `make test` (256 per property, from a fixed
//! seed so a failure reproduces); `PROPTEST_CASES=100000 cargo test --release
//! --test fuzz` runs a longer campaign.

use hustings_parse::RepeatedLines;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256);
    Config { cases, rng_seed: RngSeed::Fixed(0x4855_5354_494e_4753), failure_persistence: None, ..Config::default() }
}

/// Run one input through everything and check what came out.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let _ = hustings_parse::decode::decode(bytes);
    match hustings::process_with("fuzz/page.txt", bytes, &RepeatedLines::default(), true) {
        Err(_) => Ok(()),
        Ok(doc) => {
            prop_assert_eq!(doc.source_bytes, bytes.len() as u64);
            for (comment, t) in &doc.tokens {
                let text = match comment {
                    None => &doc.body_text,
                    Some(p) => &doc.comments[*p as usize - 1].text,
                };
                prop_assert!(text.get(t.text_span.start..t.text_span.end).is_some(), "token span outside its text");
                prop_assert!(t.source.start <= t.source.end && t.source.end <= bytes.len(), "token source span outside the file");
            }
            for r in &doc.removed {
                prop_assert!(r.source.start <= r.source.end && r.source.end <= bytes.len(), "boilerplate span outside the file");
            }
            for e in &doc.edits {
                prop_assert!(e.source.start <= e.source.end && e.source.end <= bytes.len(), "edit span outside the file");
            }
            for c in &doc.comments {
                prop_assert!(c.parent.is_none_or(|p| p < c.position), "a reply to a later comment");
            }
            Ok(())
        }
    }
}

/// Lines of the kinds pages are made of.
fn page_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Leave a Reply".to_owned()),
        Just("Reply".to_owned()),
        Just("12 Responses to “A title”".to_owned()),
        Just("Posted by: someone | March 3, 2011 at 10:14 PM".to_owned()),
        Just("© 2024 Site. Powered by WordPress".to_owned()),
        "[A-Z][a-z]{2,9} [A-Z][a-z]{2,9} (says|said|wrote):?",
        "(January|May|13 June) [0-9]{1,2},? 20[0-9]{2}( at [0-9]{1,2}:[0-9]{2} ?(am|pm))?",
        "[0-9]{1,3}\\.",
        "\t  [a-z ,.]{0,60}",
        "[A-Za-z ,.'’“”!?-]{0,200}",
        "\\PC{0,80}",
        "[•*>-] [a-z ]{0,40}",
    ]
}

fn page_text() -> impl Strategy<Value = Vec<u8>> {
    (proptest::collection::vec(page_line(), 0..60), any::<bool>())
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }).into_bytes())
}

/// A seed page with random bytes replaced, inserted or cut out.
fn damaged_seed() -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut paths: Vec<_> = std::fs::read_dir(dir).expect("seeds").map(|e| e.expect("entry").path()).collect();
        paths.sort();
        paths.iter().map(|p| std::fs::read(p).expect("seed")).collect()
    };
    let n = seeds.len();
    (0..n, proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..40)).prop_map(move |(i, edits)| {
        let mut page = seeds[i].clone();
        for (at, op, byte) in edits {
            if page.is_empty() {
                break;
            }
            let at = at.index(page.len());
            match op {
                0 => page[at] = byte,
                1 => page.insert(at, byte),
                _ => {
                    let end = (at + usize::from(byte)).min(page.len());
                    page.drain(at..end);
                }
            }
        }
        page
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes)?;
    }

    #[test]
    fn page_shaped_text(bytes in page_text()) {
        check(&bytes)?;
    }

    #[test]
    fn damaged_seed_pages(bytes in damaged_seed()) {
        check(&bytes)?;
    }

    #[test]
    fn utf16_and_legacy_encodings(text in "\\PC{0,400}", le in any::<bool>()) {
        let mut bytes = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        check(&bytes)?;
        check(&latin1(&text))?;
    }
}

/// The text's Latin-1 characters as Latin-1 bytes (the rest dropped):
/// input that is not UTF-8, for the legacy-encoding path.
fn latin1(text: &str) -> Vec<u8> {
    text.chars().filter_map(|c| u8::try_from(u32::from(c)).ok()).collect()
}
