//! Per-stage micro-benchmarks, throughput in source bytes:
//! `cargo bench --bench stages` (or `make bench-micro`).
//!
//! Each stage runs on the five seed pages, with the earlier stages' output
//! prepared outside the timed loop: parse (decode + structure), clean,
//! tokenise (statistics of every body and comment) and export (all tables,
//! CSV and Parquet, into a temporary folder).

use divan::counter::BytesCount;
use divan::{Bencher, black_box};

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("seeds/").filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), std::fs::read(&p).expect("seed")))
        .collect()
}

fn total(seeds: &[(String, Vec<u8>)]) -> usize {
    seeds.iter().map(|s| s.1.len()).sum()
}

#[divan::bench]
fn parse(bencher: Bencher) {
    let seeds = seeds();
    bencher.counter(BytesCount::new(total(&seeds))).bench(|| {
        for (_, bytes) in &seeds {
            black_box(hustings_parse::parse(black_box(bytes)).ok());
        }
    });
}

#[divan::bench]
fn clean(bencher: Bencher) {
    let seeds = seeds();
    let pages: Vec<_> = seeds.iter().filter_map(|(_, b)| hustings_parse::parse(b).ok()).collect();
    bencher.counter(BytesCount::new(total(&seeds))).bench(|| {
        for page in &pages {
            black_box(hustings_clean::clean_page(black_box(page)));
        }
    });
}

#[divan::bench]
fn tokenise(bencher: Bencher) {
    let seeds = seeds();
    let texts: Vec<String> = seeds
        .iter()
        .filter_map(|(_, b)| hustings_parse::parse(b).ok())
        .flat_map(|page| {
            let clean = hustings_clean::clean_page(&page);
            std::iter::once(clean.body.join("\n\n"))
                .chain(clean.comments.into_iter().map(|c| c.paragraphs.join("\n\n")))
                .collect::<Vec<_>>()
        })
        .collect();
    bencher.counter(BytesCount::new(total(&seeds))).bench(|| {
        for t in &texts {
            black_box(hustings_tokenize::analyse(black_box(t)));
            black_box(hustings_tokenize::language(t));
        }
    });
}

#[divan::bench]
fn export(bencher: Bencher) {
    let seeds = seeds();
    let docs: Vec<_> = seeds.iter().filter_map(|(name, b)| hustings::process(name, b).ok()).collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    bencher.counter(BytesCount::new(total(&seeds))).bench(|| {
        let mut vocab = hustings_tokenize::Vocabulary::new();
        let mut exporter = hustings_export::Exporter::create(&out, hustings_export::Formats::default(), false).expect("exporter");
        let mut rows = exporter.encoder();
        for d in &docs {
            vocab.add(d).expect("in memory");
            rows.document(d).expect("row");
        }
        exporter.append(rows).expect("appended");
        let t = vocab.finish(2).expect("in memory");
        black_box(exporter.finish(t.vocabulary, t.bigrams, t.keyness).expect("finish"));
    });
}

fn main() {
    divan::main();
}
