//! The same pages packed every way hustings reads them — each page
//! compressed, tar and zip archives (plain and compressed), JSON lines, CSV,
//! Parquet and WET records — give the tables of the plain folder, column by
//! column, apart from the columns that say where a page came from. And bad
//! containers give errors rows naming the file, the member or record, and
//! the reason, while the rest is read.

#[allow(dead_code)] // each test binary uses some of the helpers
mod util;

use std::io::Write;
use std::path::{Path, PathBuf};

use util::{root, run_ok, table};

/// Files as (relative path, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// A table's rows as (column, value) pairs.
type Rows = Vec<Vec<(String, String)>>;

/// The seeds and the shape fixtures, as (relative path, bytes), in path order.
fn pages() -> Files {
    let mut out = Vec::new();
    for dir in ["seeds", "tests/fixtures/shapes"] {
        let prefix = dir.rsplit('/').next().unwrap_or(dir);
        let mut names: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        names.sort();
        for p in names {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            out.push((format!("{prefix}/{name}"), std::fs::read(&p).expect("read")));
        }
    }
    out.sort();
    out
}

/// The pages a text record can hold: UTF-8 without a byte order mark.
fn text_pages() -> Files {
    pages().into_iter().filter(|(_, b)| std::str::from_utf8(b).is_ok() && !b.starts_with(b"\xEF\xBB\xBF")).collect()
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, bytes).expect("write");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

fn compress(codec: &str, bytes: &[u8]) -> Vec<u8> {
    match codec {
        "gz" => gzip(bytes),
        "zst" => zstd::stream::encode_all(bytes, 3).expect("zstd"),
        "bz2" => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
            e.write_all(bytes).expect("bzip2");
            e.finish().expect("bzip2")
        }
        "xz" => {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
            e.write_all(bytes).expect("xz");
            e.finish().expect("xz")
        }
        other => panic!("no codec {other}"),
    }
}

fn tar_of(pages: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in pages {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, &bytes[..]).expect("tar");
    }
    b.into_inner().expect("tar")
}

fn zip_of(pages: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in pages {
        z.start_file(name.as_str(), options).expect("zip");
        z.write_all(bytes).expect("zip");
    }
    z.finish().expect("zip").into_inner()
}

fn jsonl_of(pages: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, bytes) in pages {
        let text = std::str::from_utf8(bytes).expect("utf8");
        serde_json::to_writer(&mut out, &serde_json::json!({ "id": name, "text": text })).expect("json");
        out.push(b'\n');
    }
    out
}

fn csv_of(pages: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "content"]).expect("csv");
    for (name, bytes) in pages {
        w.write_record([name.as_bytes(), bytes]).expect("csv");
    }
    w.into_inner().expect("csv")
}

fn parquet_of(pages: &[(String, Vec<u8>)]) -> Vec<u8> {
    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    let names: ArrayRef = std::sync::Arc::new(StringArray::from_iter_values(pages.iter().map(|(n, _)| n.as_str())));
    let texts: ArrayRef =
        std::sync::Arc::new(StringArray::from_iter_values(pages.iter().map(|(_, b)| std::str::from_utf8(b).expect("utf8"))));
    let batch = RecordBatch::try_from_iter([("name", names), ("body", texts)]).expect("batch");
    let mut out = Vec::new();
    // Small row groups, so that reading crosses them.
    let props = parquet::file::properties::WriterProperties::builder().set_max_row_group_row_count(Some(3)).build();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).expect("parquet");
    w.write(&batch).expect("parquet");
    w.close().expect("parquet");
    out
}

/// A WET file as Common Crawl writes it: a warcinfo record, then one
/// conversion record per page, each record its own gzip member; with
/// `urls`, each has its WARC-Target-URI (which makes the URL's host the
/// `site` of pages that name none).
fn wet_of(pages: &[(String, Vec<u8>)], urls: bool) -> Vec<u8> {
    let record = |kind: &str, id: usize, extra: &str, block: &[u8]| {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-02-20T10:11:12Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\n{extra}Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        gzip(&r)
    };
    let mut out = record("warcinfo", 0, "", b"isPartOf: CC-MAIN-TEST\r\n");
    for (i, (name, bytes)) in pages.iter().enumerate() {
        let uri = if urls { format!("WARC-Target-URI: http://example.org/{name}\r\n") } else { String::new() };
        out.extend(record("conversion", i + 1, &uri, bytes));
    }
    out
}

/// The columns that say where a page came from, and the ids made from them.
const LOCATION: &[&str] =
    &["doc_id", "source_path", "source_record", "url", "from_record", "comment_id", "parent_id", "text_id", "fetched_at"];

/// Every table of a CSV run, without the location columns.
fn tables(dir: &Path) -> Vec<(String, Rows)> {
    ["documents", "comments", "document_tags", "token_counts", "vocabulary", "bigrams", "keyness", "boilerplate", "edits", "errors"]
        .iter()
        .map(|name| {
            let rows = table(dir, name)
                .into_iter()
                .map(|row| row.into_iter().filter(|(k, _)| !LOCATION.contains(&k.as_str())).collect())
                .collect();
            ((*name).to_owned(), rows)
        })
        .collect()
}

fn run(input: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = out.path().join("out");
    run_ok(input, &dir, &["--format", "csv", "--threads", "2"]);
    (out, dir)
}

fn assert_same_tables(want: &Path, got: &Path, what: &str) {
    let (want, got) = (tables(want), tables(got));
    for ((name, a), (_, b)) in want.iter().zip(&got) {
        assert_eq!(a.len(), b.len(), "{what}: {name} has {} rows, the plain folder's {}", b.len(), a.len());
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert_eq!(x, y, "{what}: {name} row {}", i + 1);
        }
    }
}

/// Run the plain folder of `pages`, then each packing of them, and compare.
fn check_packings(pages: &[(String, Vec<u8>)], packings: &[(&str, Files)]) {
    let plain = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in pages {
        write(&plain.path().join(name), bytes);
    }
    let (_keep, want) = run(plain.path());
    assert!(table(&want, "documents").len() == pages.len(), "every page is a document");
    for (what, files) in packings {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, bytes) in files {
            write(&dir.path().join(name), bytes);
        }
        let (_keep, got) = run(dir.path());
        assert_same_tables(&want, &got, what);
        let docs = table(&got, "documents");
        assert!(docs.iter().all(|d| !d["source_path"].is_empty()), "{what}: every row names its file");
    }
}

#[test]
fn pages_compressed_or_archived_give_the_plain_folder_s_tables() {
    let pages = pages();
    let mut packings: Vec<(&str, Files)> = Vec::new();
    for codec in ["gz", "zst", "bz2", "xz"] {
        packings.push((codec, pages.iter().map(|(n, b)| (format!("{n}.{codec}"), compress(codec, b))).collect()));
    }
    let tar = tar_of(&pages);
    packings.push(("tar", vec![("corpus.tar".into(), tar.clone())]));
    packings.push(("tar.gz", vec![("corpus.tar.gz".into(), compress("gz", &tar))]));
    packings.push(("tgz", vec![("corpus.tgz".into(), compress("gz", &tar))]));
    packings.push(("tar.zst", vec![("corpus.tar.zst".into(), compress("zst", &tar))]));
    packings.push(("tar.xz", vec![("corpus.tar.xz".into(), compress("xz", &tar))]));
    packings.push(("zip", vec![("corpus.zip".into(), zip_of(&pages))]));
    check_packings(&pages, &packings);
}

#[test]
fn pages_as_records_give_the_plain_folder_s_tables() {
    let pages = text_pages();
    assert!(pages.len() >= 10, "most fixtures are UTF-8: {}", pages.len());
    let jsonl = jsonl_of(&pages);
    let packings: Vec<(&str, Files)> = vec![
        ("jsonl", vec![("pages.jsonl".into(), jsonl.clone())]),
        ("ndjson.zst", vec![("pages.ndjson.zst".into(), compress("zst", &jsonl))]),
        ("jsonl in tar.gz", vec![("pages.tar.gz".into(), compress("gz", &tar_of(&[("dump/pages.jsonl.gz".into(), gzip(&jsonl))])))]),
        ("csv", vec![("pages.csv".into(), csv_of(&pages))]),
        ("csv.bz2", vec![("pages.csv.bz2".into(), compress("bz2", &csv_of(&pages)))]),
        ("parquet", vec![("pages.parquet".into(), parquet_of(&pages))]),
        ("wet.gz", vec![("CC-TEST-00000.warc.wet.gz".into(), wet_of(&pages, false))]),
    ];
    check_packings(&pages, &packings);
}

#[test]
fn records_locate_each_page_and_their_metadata_fills_its_columns() {
    let pages = text_pages();
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("a.jsonl"), &jsonl_of(&pages[..2]));
    write(&dir.path().join("b.tar"), &tar_of(&pages[..2]));
    write(&dir.path().join("c.warc.wet.gz"), &wet_of(&pages[..2], true));
    let (_keep, out) = run(dir.path());
    let docs = table(&out, "documents");
    let at: Vec<(&str, &str)> = docs.iter().map(|d| (d["source_path"].as_str(), d["source_record"].as_str())).collect();
    let (m1, m2) = (pages[0].0.as_str(), pages[1].0.as_str());
    assert_eq!(
        at,
        [
            ("a.jsonl", "line=1"),
            ("a.jsonl", "line=2"),
            ("b.tar", m1),
            ("b.tar", m2),
            ("c.warc.wet.gz", "record=<urn:uuid:00000000-0000-0000-0000-000000000001>"),
            ("c.warc.wet.gz", "record=<urn:uuid:00000000-0000-0000-0000-000000000002>"),
        ]
    );
    let wet = &docs[4];
    assert_eq!(wet["url"], format!("http://example.org/{m1}"));
    assert_eq!(wet["fetched_at"], "2024-02-20T10:11:12");
    assert_eq!(wet["from_record"], "url,fetched_at");
    let ids: std::collections::BTreeSet<&str> = docs.iter().map(|d| d["doc_id"].as_str()).collect();
    assert_eq!(ids.len(), docs.len(), "the same page in three files has three ids");
    assert!(docs[..4].iter().all(|d| d["url"].is_empty() && d["from_record"].is_empty()));
}

/// (source_path, source_record, kind, message) of every errors row.
fn errors(dir: &Path) -> Vec<(String, String, String, String)> {
    table(dir, "errors")
        .into_iter()
        .map(|r| (r["source_path"].clone(), r["source_record"].clone(), r["kind"].clone(), r["message"].clone()))
        .collect()
}

#[test]
fn bad_containers_are_error_rows_and_the_rest_is_read() {
    let pages = text_pages();
    let (one, two) = (&pages[0], &pages[1]);
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // A gzip page cut short, and one that is not gzip at all.
    let gz = gzip(&one.1);
    write(&d.join("cut.txt.gz"), &gz[..gz.len() / 2]);
    write(&d.join("fake.txt.gz"), b"plain text, not gzip");
    // A tar.gz cut inside its second member: the first is kept.
    let mut seed = 7u32;
    let noise: Vec<u8> = (0..200_000)
        .map(|_| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            b'a' + (seed >> 24) as u8 % 26
        })
        .collect();
    let tgz = compress("gz", &tar_of(&[one.clone(), ("big.txt".into(), noise)]));
    write(&d.join("cut.tar.gz"), &tgz[..tgz.len() * 2 / 3]);
    // A zip whose first member is corrupt (bytes of its data flipped); the second is read.
    let mut zip = zip_of(&[one.clone(), two.clone()]);
    let at = 30 + one.0.len() + 40;
    for b in &mut zip[at..at + 8] {
        *b ^= 0xFF;
    }
    write(&d.join("bad.zip"), &zip);
    // JSON lines: a good record, one that does not parse, one without a text field.
    let mut jsonl = jsonl_of(std::slice::from_ref(one));
    jsonl.extend_from_slice(b"{\"text\": \"unterminated\n{\"id\": 7, \"html\": \"<p>x</p>\"}\n");
    write(&d.join("mixed.jsonl"), &jsonl);
    // A bomb: 40 MiB of zeros in 40 KiB.
    write(&d.join("bomb.txt.gz"), &gzip(&vec![0u8; 40 << 20]));
    write(&d.join("notes.md"), b"# not a page");
    let (_keep, out) = run(d);
    let errs = errors(&out);
    let find = |path: &str| errs.iter().filter(|e| e.0 == path).cloned().collect::<Vec<_>>();
    let one_row = |path: &str| {
        let rows = find(path);
        assert_eq!(rows.len(), 1, "{path}: {errs:#?}");
        rows.into_iter().next().expect("a row")
    };
    let cut = one_row("cut.txt.gz");
    assert!(cut.1.is_empty() && cut.2 == "error" && cut.3.contains("cannot read"), "{cut:?}");
    assert!(one_row("fake.txt.gz").3.contains("invalid gzip header"), "{errs:#?}");
    let tar = one_row("cut.tar.gz");
    assert!(tar.3.contains("big.txt") || tar.1 == "big.txt", "the cut member is named: {tar:?}");
    let zip = one_row("bad.zip");
    assert_eq!(zip.1, one.0, "the corrupt member is named: {zip:?}");
    let json = find("mixed.jsonl");
    assert_eq!(json.len(), 2, "{json:#?}");
    assert_eq!((json[0].1.as_str(), json[1].1.as_str()), ("line=2", "line=3"));
    assert!(json[0].3.starts_with("not valid JSON"), "{json:?}");
    assert!(json[1].3.contains("looked for text, content, body, html_text") && json[1].3.contains("fields html, id"), "{json:?}");
    let bomb = one_row("bomb.txt.gz");
    assert!(bomb.3.contains("decompression bomb") && bomb.3.contains("--max-ratio"), "{bomb:?}");
    let md = one_row("notes.md");
    assert_eq!(md.2, "skipped");
    // What could be read was: the tar's first member, the zip's second, the first JSON line.
    let docs = table(&out, "documents");
    let at: Vec<(&str, &str)> = docs.iter().map(|d| (d["source_path"].as_str(), d["source_record"].as_str())).collect();
    assert_eq!(at, [("bad.zip", two.0.as_str()), ("cut.tar.gz", one.0.as_str()), ("mixed.jsonl", "line=1")]);
}

#[test]
fn globs_choose_the_files_and_shards_split_a_file_by_record() {
    let pages = text_pages();
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("a/pages.jsonl"), &jsonl_of(&pages));
    write(&dir.path().join("b/one.txt"), &pages[0].1);
    write(&dir.path().join("b/skip.txt"), &pages[1].1);
    let out = tempfile::tempdir().expect("tempdir");
    let only = out.path().join("only");
    run_ok(dir.path(), &only, &["--format", "csv", "--include", "*.jsonl", "--include", "b/*", "--exclude", "*skip*"]);
    let docs = table(&only, "documents");
    assert_eq!(docs.len(), pages.len() + 1);
    assert!(docs.iter().all(|d| d["source_path"] != "b/skip.txt"));
    assert!(table(&only, "errors").is_empty(), "an excluded file is not listed");
    let mut records = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        run_ok(dir.path(), &out.path().join("sharded"), &["--format", "csv", "--shard", &shard]);
        let part = out.path().join("sharded").join(format!("part-{k}-of-3"));
        records.extend(table(&part, "documents").into_iter().map(|d| format!("{}#{}", d["source_path"], d["source_record"])));
    }
    records.sort();
    let mut want: Vec<String> = (1..=pages.len()).map(|i| format!("a/pages.jsonl#line={i}")).collect();
    want.extend(["b/one.txt#".to_owned(), "b/skip.txt#".to_owned()]);
    want.sort();
    assert_eq!(records, want, "every page in exactly one shard");
}

#[test]
fn the_handwritten_wet_file_runs() {
    let dir = root().join("tests/fixtures/wet");
    let out = tempfile::tempdir().expect("tempdir");
    run_ok(&dir, out.path(), &["--format", "csv"]);
    let docs = table(out.path(), "documents");
    let plain: Vec<_> = docs.iter().filter(|d| d["source_path"].ends_with(".warc.wet")).collect();
    let zipped: Vec<_> = docs.iter().filter(|d| d["source_path"].ends_with(".warc.wet.gz")).collect();
    assert_eq!((plain.len(), zipped.len()), (3, 3), "three conversion records in each; the warcinfo record is no page");
    for (a, b) in plain.iter().zip(&zipped) {
        assert_eq!(a["body_text"], b["body_text"]);
        assert_eq!(a["source_record"], b["source_record"]);
    }
    let first = zipped[0];
    assert!(first["source_record"].starts_with("record=<urn:uuid:"), "{first:?}");
    assert!(first["url"].starts_with("https://"), "{first:?}");
    assert!(!first["fetched_at"].is_empty());
    assert!(!first["site"].is_empty());
    assert!(docs.iter().map(|d| d["n_comments"].parse::<u32>().expect("count")).sum::<u32>() >= 2, "the thread is read");
}

#[test]
fn dolma_runs_straight_from_its_json_lines() {
    let dir = root().join("../shared/corpora/dolma-cc-sample");
    if !dir.join("docs.jsonl").exists() {
        eprintln!("skipped: {} is not on this machine", dir.display());
        return;
    }
    let out = tempfile::tempdir().expect("tempdir");
    run_ok(&dir, out.path(), &["--format", "csv", "--include", "*.jsonl"]);
    let docs = table(out.path(), "documents");
    assert_eq!(docs.len(), 30);
    assert!(docs.iter().all(|d| d["url"].starts_with("http") && !d["fetched_at"].is_empty() && !d["title"].is_empty()));
    assert!(docs.iter().all(|d| d["from_record"].contains("url") && d["from_record"].contains("title")));
    assert!(table(out.path(), "errors").is_empty());
}
