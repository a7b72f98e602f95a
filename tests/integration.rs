//! End-to-end tests: the real binary on the seeds and on fixtures made here.

mod util;

use std::collections::BTreeMap;
use std::path::Path;

use util::{assert_same_files, files, hustings, root, run_ok, table};

type Row = BTreeMap<String, String>;

fn seeds_output() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    run_ok(&root().join("seeds"), &out, &["--quiet"]);
    (tmp, out)
}

fn doc<'a>(docs: &'a [Row], prefix: &str) -> &'a Row {
    docs.iter().find(|d| d["source_path"].starts_with(prefix)).unwrap_or_else(|| panic!("no document {prefix}"))
}

fn comments_of<'a>(comments: &'a [Row], doc: &Row) -> Vec<&'a Row> {
    comments.iter().filter(|c| c["doc_id"] == doc["doc_id"]).collect()
}

/// Expected metadata of each seed: (file prefix, site, title, author, date, comments).
const SEEDS: &[(&str, &str, &str, &str, &str, usize)] = &[
    ("000_", "Progress", "‘No illusions!’", "Luke Akehurst", "", 17),
    ("001_", "", "Ken Livingstone campaign begs Labour councillors to support him", "", "", 0),
    ("002_", "Left Futures", "Labour versus Labour in Tower Hamlets", "", "", 3),
    ("003_", "", "Labour elections: different leader; same mayor", "", "2010-08-26", 0),
    ("004_", "", "Luke Akehurst, Labour NEC Member on Lutfur, Ken, Communalism", "", "", 0),
];

#[test]
fn seeds_metadata_and_comment_counts() {
    let (_tmp, out) = seeds_output();
    let docs = table(&out, "documents");
    let comments = table(&out, "comments");
    assert_eq!(docs.len(), 5);
    for &(prefix, site, title, author, date, n) in SEEDS {
        let d = doc(&docs, prefix);
        assert_eq!(
            (d["site"].as_str(), d["title"].as_str(), d["author"].as_str(), d["published_date"].as_str()),
            (site, title, author, date),
            "{prefix}"
        );
        assert_eq!(d["n_comments"], n.to_string(), "{prefix}");
        assert_eq!(comments_of(&comments, d).len(), n, "{prefix}");
        assert_eq!(d["language"], "en", "{prefix}");
    }
    assert_eq!(doc(&docs, "000_")["standfirst"], "Labour’s moderates need to vote and campaign ‘for Ken – with no illusions!’");
}

#[test]
fn seed_000_bullet_comments_keep_their_continuations() {
    let (_tmp, out) = seeds_output();
    let docs = table(&out, "documents");
    let comments = table(&out, "comments");
    let d = doc(&docs, "000_");
    let cs = comments_of(&comments, d);
    let starts: Vec<&str> = cs.iter().map(|c| c["text"].split_whitespace().next().unwrap_or("")).collect();
    assert_eq!(
        starts,
        ["Interesting", "Tom", "A", "Nope", "Sorry,", "A", "I", "Strange", "Who’s", "I", "I’m", "I", "I", "You", "The", "I", "It"]
    );
    // Indented continuation paragraphs belong to the comment above them.
    let expect_paragraphs = [2, 1, 2, 1, 1, 1, 2, 1, 1, 1, 3, 2, 1, 2, 2, 2, 1];
    for (c, n) in cs.iter().zip(expect_paragraphs) {
        assert_eq!(c["n_paragraphs"], n.to_string(), "comment {}", c["position"]);
        assert_eq!(c["text"].split("\n\n").count(), n, "comment {}", c["position"]);
    }
    assert!(cs[2]["text"].ends_with("yes I’ll be voting fo r the Labour assembly members"));
    assert!(cs[10]["text"].contains("\n\nIn the run up to theMayoral election"));
    assert!(cs[13]["text"].ends_with("\n\nOh, but this is different…"));
    assert!(cs[15]["text"].ends_with("Don’t be so grudging, Luke."));
    for c in &cs {
        assert_eq!((c["author"].as_str(), c["parent_id"].as_str(), c["depth"].as_str()), ("", "", "0"));
        assert!(!c["text"].contains('•') && !c["text"].contains('\u{a0}'));
        assert!(!c["text"].contains("Sign up"));
    }
    assert_eq!(cs.iter().map(|c| c["position"].as_str()).collect::<Vec<_>>(), (1..=17).map(|i| i.to_string()).collect::<Vec<_>>());
}

#[test]
fn seed_000_body_list_is_joined_and_boilerplate_is_out() {
    let (_tmp, out) = seeds_output();
    let d = doc(&table(&out, "documents"), "000_").clone();
    let body = &d["body_text"];
    assert!(body.starts_with("I am referring of course to the old Socialist Workers’ party slogan"));
    assert!(body.ends_with("with respect for his record and support for his policies."));
    // Hard-wrapped bullet lines are joined back into one line each.
    assert!(body.contains("\n• However badly treated he feels he was in the 2000 selection he should not have run as an independent.\n"));
    assert!(body.contains("• He has completely mishandled his relationship with the Jewish community in a way"));
    assert_eq!(body.matches("\n• ").count() + usize::from(body.starts_with("• ")), 7);
    assert!(!body.contains('\u{a0}'));
    for gone in [
        "Print Friendly",
        "Credit: Louisa",
        "does not come for free",
        "Our work depends",
        "is director of",
        "Sign up",
        "Progress | Centre-left",
        "constituency representative",
    ] {
        assert!(!body.contains(gone), "{gone:?} left in the body");
    }
    let bp = table(&out, "boilerplate");
    let rules: Vec<&str> = bp.iter().filter(|r| r["doc_id"] == d["doc_id"]).map(|r| r["rule"].as_str()).collect();
    assert_eq!(
        rules,
        [
            "site-header",
            "title",
            "standfirst",
            "author-bio",
            "photo-credit",
            "donation-appeal",
            "donation-appeal",
            "donation-appeal",
            "print-share",
            "author-bio",
            "author-bio",
            "signup"
        ]
    );
}

#[test]
fn seed_002_numbered_comments_and_footer() {
    let (_tmp, out) = seeds_output();
    let docs = table(&out, "documents");
    let d = doc(&docs, "002_");
    let cs = comments_of(&table(&out, "comments"), d).into_iter().cloned().collect::<Vec<_>>();
    let authors: Vec<&str> = cs.iter().map(|c| c["author"].as_str()).collect();
    assert_eq!(authors, ["Jon Lansman", "Darrell", "Labourvoter"]);
    assert!(cs[0]["text"].starts_with("Readers might also want to follow this debate"));
    assert!(cs[2]["text"].ends_with("those like Ken will be vital."));
    assert!(!d["body_text"].contains("Latest post on"));
    assert!(d["body_text"].ends_with("we reunite the local party once the dust has settled.”"));
    let bp = table(&out, "boilerplate");
    let rules: Vec<(&str, &str)> =
        bp.iter().filter(|r| r["doc_id"] == d["doc_id"]).map(|r| (r["kind"].as_str(), r["rule"].as_str())).collect();
    assert_eq!(
        rules,
        [
            ("boilerplate", "site-banner"),
            ("metadata", "title"),
            ("structure", "comment-header"),
            ("structure", "comment-header"),
            ("structure", "comment-header"),
            ("boilerplate", "copyright-footer")
        ]
    );
    for c in &cs {
        assert!(!c["text"].contains("says:") && !c["text"].contains("©"));
    }
}

#[test]
fn seed_001_login_prompts_and_004_list_stays_in_body() {
    let (_tmp, out) = seeds_output();
    let docs = table(&out, "documents");
    let d1 = doc(&docs, "001_");
    assert!(d1["body_text"].ends_with("even active members of the party need persuading to support him?"));
    let bp = table(&out, "boilerplate");
    let n_form = bp.iter().filter(|r| r["doc_id"] == d1["doc_id"] && r["rule"] == "comment-form").count();
    assert_eq!(n_form, 10);

    let d4 = doc(&docs, "004_");
    let body = &d4["body_text"];
    assert!(body.starts_with("Read Luke Akehurst’s take"));
    assert!(body.contains("Some questions for people to comment on:\n\n• How does Labour (or any of the other parties)"));
    assert_eq!(body.matches("• ").count(), 5);
    assert!(body.ends_with("he must be held to account for it."));
    let tags: Vec<String> = table(&out, "document_tags").iter().filter(|t| t["doc_id"] == d4["doc_id"]).map(|t| t["tag"].clone()).collect();
    assert_eq!(tags, ["Labour", "Lutfur Rahman"]);
}

#[test]
fn boilerplate_spans_slice_the_source() {
    let (_tmp, out) = seeds_output();
    let docs = table(&out, "documents");
    for r in table(&out, "boilerplate") {
        let d = docs.iter().find(|d| d["doc_id"] == r["doc_id"]).expect("doc exists");
        let src = std::fs::read(root().join("seeds").join(&d["source_path"])).expect("seed");
        let (a, b): (usize, usize) = (r["byte_start"].parse().expect("n"), r["byte_end"].parse().expect("n"));
        let slice = String::from_utf8_lossy(&src[a..b]);
        let norm: Vec<&str> = slice.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect();
        assert_eq!(norm.join(" "), r["text"]);
    }
}

#[test]
fn committed_data_is_what_the_pipeline_makes() {
    let (_tmp, out) = seeds_output();
    // data/ also holds the report of those tables, checked below.
    let mut want = files(&root().join("data"));
    assert!(want.remove("report.html").is_some(), "data/report.html is missing: run `make pipeline`");
    let got = files(&out);
    assert_eq!(want.keys().collect::<Vec<_>>(), got.keys().collect::<Vec<_>>(), "file lists differ");
    for (name, bytes) in &want {
        assert!(bytes == &got[name], "data/{name} is stale: run `make pipeline` and commit data/");
    }
}

#[test]
fn committed_report_is_the_report_of_the_committed_tables() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("report.html");
    let out = hustings(&["report", "--tables", root().join("data").to_str().expect("utf8"), "--output", page.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want = std::fs::read(root().join("data/report.html")).expect("data/report.html");
    assert!(
        std::fs::read(&page).expect("written") == want,
        "data/report.html is stale: run `make pipeline` (or `make report`) and commit it"
    );
}

#[test]
fn a_report_of_bad_tables_is_one_line_naming_what_is_wrong() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = |dir: &Path| {
        let page = tmp.path().join("r.html");
        let out = hustings(&["report", "--tables", dir.to_str().expect("utf8"), "--output", page.to_str().expect("utf8")]);
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned(), page.exists())
    };
    let (code, err, written) = report(&tmp.path().join("nowhere"));
    assert_eq!(code, Some(1));
    assert!(err.contains("nowhere") && err.trim().lines().count() == 1 && !written, "{err}");
    let csv_only = tmp.path().join("csv");
    run_ok(&root().join("seeds"), &csv_only, &["-q", "--format", "csv"]);
    let (code, err, _) = report(&csv_only);
    assert_eq!(code, Some(1));
    assert!(err.contains("no documents.parquet") && err.contains("--format csv"), "{err}");
    let other = tmp.path().join("other");
    run_ok(&root().join("seeds"), &other, &["-q"]);
    std::fs::copy(other.join("errors.parquet"), other.join("documents.parquet")).expect("copy");
    let (code, err, _) = report(&other);
    assert_eq!(code, Some(1));
    assert!(err.contains("documents.parquet") && err.contains("another version") && err.contains("lacks doc_id"), "{err}");
    // An empty corpus gives a report that says so.
    let empty_in = tmp.path().join("empty-in");
    std::fs::create_dir(&empty_in).expect("mkdir");
    let empty = tmp.path().join("empty");
    run_ok(&empty_in, &empty, &["-q", "--allow-empty"]);
    let (code, err, written) = report(&empty);
    assert_eq!(code, Some(0), "{err}");
    assert!(written);
    let page = std::fs::read_to_string(tmp.path().join("r.html")).expect("read");
    assert!(page.contains("This run holds no documents"));
}

#[test]
fn output_is_identical_for_any_thread_count_and_input_copy() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_ok(&root().join("seeds"), &a, &["--threads", "1", "-q"]);
    run_ok(&root().join("seeds"), &b, &["--threads", "2", "-q"]);
    assert_same_files(&a, &b);
    // A copy of the input elsewhere (created in reverse order) gives the same ids and tables.
    let copy = tmp.path().join("copy");
    std::fs::create_dir(&copy).expect("mkdir");
    let mut names: Vec<_> = std::fs::read_dir(root().join("seeds")).expect("ls").map(|e| e.expect("e").path()).collect();
    names.sort();
    for p in names.iter().rev() {
        std::fs::copy(p, copy.join(p.file_name().expect("name"))).expect("copy");
    }
    let c = tmp.path().join("c");
    run_ok(&copy, &c, &["-q"]);
    assert_same_files(&a, &c);
}

#[test]
fn the_cpu_report_names_the_main_thread_and_each_worker() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (out, report) = (tmp.path().join("o"), tmp.path().join("cpu.json"));
    run_ok(&root().join("seeds"), &out, &["--threads", "2", "-q", "--cpu-report", report.to_str().expect("utf8")]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).expect("report written")).expect("JSON");
    assert!(v["wall_seconds"].as_f64().is_some_and(|s| s > 0.0), "{v}");
    let names: Vec<&str> = v["threads"].as_array().expect("threads").iter().filter_map(|t| t["name"].as_str()).collect();
    if std::path::Path::new("/proc/self/task").exists() {
        assert!(names.contains(&"hustings") && names.contains(&"hustings-w0") && names.contains(&"hustings-w1"), "{names:?}");
        assert!(!names.contains(&"hustings-w2"), "two workers for --threads 2: {names:?}");
    }
    // The tables are the same with or without the report.
    let plain = tmp.path().join("p");
    run_ok(&root().join("seeds"), &plain, &["--threads", "2", "-q"]);
    assert_same_files(&out, &plain);
    // A run on `input` into `q` that writes its report to `to`.
    let q = tmp.path().join("q");
    let reported = |input: &Path, to: &str| {
        hustings(&["run", "--input", input.to_str().expect("utf8"), "--output", q.to_str().expect("utf8"), "-q", "--cpu-report", to])
    };
    // A report that cannot be written stops the command before the run
    // (exit 2, no output made), naming the file.
    let bad = reported(&root().join("seeds"), "/no/such/dir/cpu.json");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("/no/such/dir/cpu.json"));
    assert!(!q.exists(), "no output for a refused command");
    // A run that fails leaves no report behind.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let failed_report = tmp.path().join("failed.json");
    let failed = reported(&empty, failed_report.to_str().expect("utf8"));
    assert!(!failed.status.success());
    assert!(!failed_report.exists(), "a failed run's report is removed");
}

#[test]
fn missing_input_is_a_one_line_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = hustings(&["run", "--input", "/no/such/folder", "--output", tmp.path().join("o").to_str().expect("utf8")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/folder"), "{err}");
    assert!(!tmp.path().join("o").exists());
}

#[test]
fn usage_errors_and_help() {
    let out = hustings(&["--help"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--threads N"));
    assert_eq!(hustings(&["run", "--input", "x"]).status.code(), Some(2));
    assert_eq!(hustings(&["run", "--input", "x", "--output", "y", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(hustings(&["run", "--input", "x", "--output", "y", "--threads", "0"]).status.code(), Some(2));
    for bad in ["5/4", "0/4", "1/0", "2", "a/b"] {
        let out = hustings(&["run", "--input", "x", "--output", "y", "--shard", bad]);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--shard"), "--shard {bad}");
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("hustings learn"));
}

#[test]
fn unreadable_repeated_lines_file_is_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bad = tmp.path().join("repeated_lines.parquet");
    std::fs::write(&bad, "not parquet").expect("write");
    let out_dir = tmp.path().join("out");
    let out = hustings(&[
        "run",
        "--input",
        root().join("seeds").to_str().expect("utf8"),
        "--output",
        out_dir.to_str().expect("utf8"),
        "--shard",
        "1/2",
        "--repeated-lines",
        bad.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--repeated-lines") && err.contains("repeated_lines.parquet"), "{err}");
    assert!(!out_dir.join("part-1-of-2").exists());
}

#[test]
fn shards_partition_the_inputs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_dir = tmp.path().join("out");
    let mut seen = Vec::new();
    // Eight shards of five files: some shards are empty, and that is no error.
    let mut empty = 0;
    for k in 1..=8 {
        let shard = format!("{k}/8");
        run_ok(&root().join("seeds"), &out_dir, &["-q", "--format", "csv", "--shard", &shard]);
        let rows = table(&out_dir.join(format!("part-{k}-of-8")), "documents");
        empty += usize::from(rows.is_empty());
        for row in rows {
            seen.push(row["source_path"].clone());
        }
    }
    assert!(empty >= 3);
    seen.sort();
    let all: Vec<String> = table(&root().join("data"), "documents").into_iter().map(|r| r["source_path"].clone()).collect();
    assert_eq!(seen, all, "every input in exactly one shard");
}

#[test]
fn output_path_that_is_a_file_fails_and_is_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let target = tmp.path().join("out");
    std::fs::write(&target, "keep me").expect("write");
    let out = hustings(&["run", "--input", root().join("seeds").to_str().expect("utf8"), "--output", target.to_str().expect("utf8")]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
    assert_eq!(std::fs::read_dir(tmp.path()).expect("ls").count(), 1, "no temporary folder left behind");
}

#[test]
fn formats_can_be_chosen() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("o");
    run_ok(&root().join("seeds"), &out, &["--format", "parquet", "-q"]);
    let names = util::files(&out);
    assert!(names.contains_key("documents.parquet") && !names.contains_key("documents.csv"));
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, bytes).expect("write");
}

const PAGE: &str = "A fixture title\n\nThe first paragraph of a fixture article, long enough to read.\n\nA second paragraph.\n";

#[test]
fn bad_inputs_become_error_rows_and_the_run_completes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    write(&input, "good.txt", PAGE.as_bytes());
    write(&input, "empty.txt", b"");
    write(&input, "blank.txt", b"  \r\n\t\n");
    write(&input, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00");
    write(&input, "noise.txt", "--- *** ...\n::: ///".as_bytes());
    write(&input, "notes.md", PAGE.as_bytes());
    write(&input, "sub/dir/nested page.txt", PAGE.as_bytes());
    write(&input, "odd \"quoted\" naïve, name.txt", PAGE.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(input.join("nowhere.txt"), input.join("dangling.txt")).expect("symlink");
        symlink(&input, input.join("sub/loop")).expect("symlink");
        let fifo = input.join("pipe.txt");
        let ok = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "mkfifo");
    }
    let out = tmp.path().join("out");
    run_ok(&input, &out, &["-q"]);
    let docs = table(&out, "documents");
    let paths: Vec<&str> = docs.iter().map(|d| d["source_path"].as_str()).collect();
    assert_eq!(paths, ["good.txt", "odd \"quoted\" naïve, name.txt", "sub/dir/nested page.txt"]);
    let errors = table(&out, "errors");
    let got: Vec<(&str, &str, &str)> =
        errors.iter().map(|e| (e["source_path"].as_str(), e["kind"].as_str(), e["message"].as_str())).collect();
    let expect_prefix = [
        ("binary.txt", "error", "binary file: 5 NUL bytes in 18 bytes (the first at offset 8)"),
        ("blank.txt", "error", "file contains only whitespace (6 bytes)"),
        ("dangling.txt", "error", "cannot open: No such file or directory"),
        ("empty.txt", "error", "empty file (0 bytes)"),
        ("noise.txt", "error", "no readable text:"),
        ("notes.md", "skipped", "not a kind of file that is read (.txt, .jsonl"),
        ("pipe.txt", "skipped", "not a regular file (a FIFO)"),
        ("sub/loop", "skipped", "symbolic link loop"),
    ];
    assert_eq!(got.len(), expect_prefix.len(), "{got:?}");
    for ((p, k, m), (ep, ek, em)) in got.iter().zip(expect_prefix) {
        assert_eq!((*p, *k), (ep, ek));
        assert!(m.starts_with(em), "{p}: {m:?} should start with {em:?}");
    }
}

#[test]
fn encodings_and_line_ends_are_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let crlf = PAGE.replace('\n', "\r\n");
    write(&input, "crlf.txt", crlf.as_bytes());
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(PAGE.as_bytes());
    write(&input, "bom.txt", &bom);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(PAGE.encode_utf16().flat_map(u16::to_le_bytes));
    write(&input, "utf16.txt", &utf16);
    write(&input, "latin1.txt", b"A caf\xe9 title\n\nLabour\x92s first paragraph of a fixture article, long enough.\n");
    let out = tmp.path().join("out");
    // The same page in three encodings: learning would (rightly) call its lines furniture.
    run_ok(&input, &out, &["-q", "--repeat-min", "0"]);
    let docs = table(&out, "documents");
    let by: BTreeMap<&str, &Row> = docs.iter().map(|d| (d["source_path"].as_str(), d)).collect();
    for name in ["crlf.txt", "bom.txt", "utf16.txt"] {
        assert_eq!(by[name]["title"], "A fixture title", "{name}");
        assert_eq!(
            by[name]["body_text"], "The first paragraph of a fixture article, long enough to read.\n\nA second paragraph.",
            "{name}"
        );
    }
    assert_eq!(by["utf16.txt"]["encoding"], "UTF-16LE");
    assert_eq!(by["latin1.txt"]["encoding"], "windows-1252");
    assert_eq!(by["latin1.txt"]["title"], "A café title");
    assert!(by["latin1.txt"]["body_text"].starts_with("Labour’s first"));
}

#[test]
fn lines_repeated_across_pages_are_learned_as_boilerplate() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    for (i, topic) in ["buses", "housing", "schools", "hospitals"].iter().enumerate() {
        let page = format!(
            "Home | News | Opinion | Contact\n\nA headline about {topic} number {i}\n\nThe council published its plans for {topic} on Monday, and the opposition said they were not enough.\n\nOur readers favourite columns this week\n"
        );
        write(&input, &format!("p{i}.txt"), page.as_bytes());
    }
    let out = tmp.path().join("out");
    run_ok(&input, &out, &["-q"]);
    let docs = table(&out, "documents");
    for d in &docs {
        assert!(!d["body_text"].contains("favourite columns"), "{d:?}");
        assert!(d["title"].starts_with("A headline about"), "{d:?}");
        assert_eq!(d["site"], "", "a menu is not a site name");
    }
    let learned: Vec<_> = table(&out, "boilerplate").into_iter().filter(|r| r["rule"] == "repeated-line").collect();
    assert_eq!(learned.len(), 4, "{learned:?}");
    assert!(learned.iter().all(|r| r["text"] == "Our readers favourite columns this week" && r["repeats"] == "4"));
    // With learning off nothing is learned.
    let off = tmp.path().join("off");
    run_ok(&input, &off, &["-q", "--repeat-min", "0"]);
    assert!(table(&off, "boilerplate").iter().all(|r| r["rule"] != "repeated-line"));
}

#[test]
fn huge_line_and_huge_thread_are_processed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    let word = "lorem ipsum dolor sit amet, ";
    let line = word.repeat(20_000_000 / word.len());
    write(&input, "one-line.txt", line.as_bytes());
    let mut thread =
        String::from("A title for a long thread\n\nThe article itself is short but has a lot of comments.\n\nLeave a Reply\n\n");
    // Items long, punctuated and personal enough to read as comments with
    // no header over them.
    for i in 0..100_000 {
        thread.push_str(&format!(
            "  • I think comment number {i} makes a fair point, and you should read the whole article again, slowly and with care, before you reply to it here.\n"
        ));
    }
    write(&input, "thread.txt", thread.as_bytes());
    let out = tmp.path().join("out");
    run_ok(&input, &out, &["-q"]);
    let docs = table(&out, "documents");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["source_path"], "one-line.txt");
    assert_eq!(docs[0]["n_tokens"], (line.len() / word.len() * 5).to_string());
    assert_eq!(docs[1]["n_comments"], "100000");
}

/// The manifest's sizes and digests are taken while the tables are
/// written: they must be those of the files as they lie on disk.
#[test]
fn manifest_digests_match_the_files() {
    use sha2::{Digest, Sha256};
    let (_tmp, out) = seeds_output();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("manifest is JSON");
    let tables = manifest["tables"].as_array().expect("tables");
    assert!(tables.len() >= 10);
    let mut files = tables.iter().flat_map(|t| t["files"].as_array().expect("files").iter()).collect::<Vec<_>>();
    files.push(&manifest["descriptor"]);
    for f in files {
        let name = f["path"].as_str().expect("path");
        let bytes = std::fs::read(out.join(name)).expect("listed file exists");
        assert_eq!(f["bytes"].as_u64(), Some(bytes.len() as u64), "{name}");
        let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(f["sha256"].as_str(), Some(hex.as_str()), "{name}");
    }
}
