//! The `fault` suite: each way a run once lost or hid a user's data (issue
//! 11's table, one test per row, numbered as there), done to the real binary.
//! Tests that need privileges (a tmpfs mount, a second PID namespace, running
//! as another user) say plainly on stderr when they are skipped.

mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use util::{assert_same_files, files, hustings, root, run_ok, table};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn copy_seeds(to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(root().join("seeds")).expect("seeds") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
    }
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).expect("under").to_owned(), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Names in `dir` that a run leaves behind: temporary or displaced folders.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".hustings-tmp-") || n.contains(".hustings-old-"))
        .collect()
}

/// The output folder is complete: every file the manifest lists is there
/// with the size and SHA-256 the manifest gives, and nothing else is.
fn assert_complete(out: &Path) {
    use sha2::{Digest, Sha256};
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest.json")).expect("json");
    let mut listed = vec![&manifest["descriptor"]];
    for t in manifest["tables"].as_array().expect("tables") {
        listed.extend(t["files"].as_array().expect("files"));
    }
    let on_disk = files(out);
    for f in &listed {
        let name = f["path"].as_str().expect("path");
        let bytes = on_disk.get(name).unwrap_or_else(|| panic!("{name} listed but missing"));
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().expect("bytes"), "{name} size");
        assert_eq!(hustings_core_hex(&Sha256::digest(bytes)), f["sha256"].as_str().expect("sha"), "{name} hash");
    }
    assert_eq!(on_disk.len(), listed.len() + 1, "only the manifest and what it lists");
}

fn hustings_core_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A corpus of `n` distinct pages (the seeds, each copy made unique), big
/// enough that a run takes a while.
fn corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let seeds: Vec<Vec<u8>> = {
        let mut v: Vec<_> = std::fs::read_dir(root().join("seeds")).expect("seeds").map(|e| e.expect("entry").path()).collect();
        v.sort();
        v.iter().map(|p| std::fs::read(p).expect("read")).collect()
    };
    for i in 0..n {
        let mut page = seeds[i % seeds.len()].clone();
        page.extend_from_slice(format!("\nPage copy number {i} of the fault corpus.\n").as_bytes());
        std::fs::write(dir.join(format!("{:05}.txt", i)), page).expect("write");
    }
}

/// Rows 1 and 2: an output that is the input, holds it or lies in it is
/// refused with exit 2 before anything is touched.
#[test]
fn row_1_2_output_overlapping_input_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = tmp.path().join("P");
    let pages = p.join("pages");
    copy_seeds(&pages);
    std::os::unix::fs::symlink(&pages, tmp.path().join("link")).expect("symlink");
    let before = tree(&p);
    let link_out = tmp.path().join("link").join("tables");
    let cases = [pages.clone(), p.clone(), pages.join("tables"), pages.join("sub/../tables"), link_out];
    for out in &cases {
        let o = hustings(&["run", "-q", "--input", s(&pages), "--output", s(out)]);
        assert_eq!(o.status.code(), Some(2), "--output {}", out.display());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.contains("input folder"), "{err}");
        let o = hustings(&["learn", "-q", "--input", s(&pages), "--output", s(out)]);
        assert_eq!(o.status.code(), Some(2), "learn --output {}", out.display());
    }
    assert_eq!(tree(&p), before, "the pages are untouched");
}

/// Row 3: `..` in the output path; the old output is replaced, nothing lost.
#[test]
fn row_3_dot_dot_in_the_output_path() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pages = tmp.path().join("pages");
    copy_seeds(&pages);
    let dd = tmp.path().join("dd");
    run_ok(&pages, &dd.join("out"), &["-q"]);
    std::fs::remove_file(pages.join("004_c88e79f1299b5a32.txt")).expect("rm");
    run_ok(&pages, &dd.join("out/../out"), &["-q"]);
    assert_eq!(table(&dd.join("out"), "documents").len(), 4, "the new tables are in place");
    assert_complete(&dd.join("out"));
    assert!(leftovers(&dd).is_empty(), "{:?}", leftovers(&dd));
}

/// Run `hustings` as the unprivileged user `nobody` (we are root), or as
/// ourselves when we are not root; `None` when we cannot drop privileges.
fn as_unprivileged(args: &[&str]) -> Option<std::process::Output> {
    let root_user = Command::new("id").arg("-u").output().ok().is_some_and(|o| o.stdout.trim_ascii() == b"0");
    let bin = env!("CARGO_BIN_EXE_hustings");
    if !root_user {
        return Some(Command::new(bin).args(args).output().expect("runs"));
    }
    let out = Command::new("setpriv").args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]).args(args).output().ok()?;
    Some(out)
}

/// Row 4: an unreadable input root, inputs that cannot be read, or none at
/// all: the run fails and the previous output stays as it was.
#[test]
fn row_4_nothing_readable_keeps_the_old_output() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let pages = tmp.path().join("pages");
    copy_seeds(&pages);
    let out = tmp.path().join("out");
    let Some(first) = as_unprivileged(&["run", "-q", "--input", s(&pages), "--output", s(&out)]) else {
        eprintln!("row 4 skipped: running as root and `setpriv` cannot drop privileges");
        return;
    };
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let good = tree(&out);

    std::fs::set_permissions(&pages, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let o = as_unprivileged(&["run", "-q", "--input", s(&pages), "--output", s(&out)]).expect("ran before");
    std::fs::set_permissions(&pages, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot list the folder"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(tree(&out), good, "unreadable root: old output kept");

    for e in std::fs::read_dir(&pages).expect("ls") {
        std::fs::set_permissions(e.expect("entry").path(), std::fs::Permissions::from_mode(0o000)).expect("chmod");
    }
    let o = as_unprivileged(&["run", "-q", "--input", s(&pages), "--output", s(&out)]).expect("ran before");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("no page could be read") && err.contains("Permission denied"), "{err}");
    assert_eq!(tree(&out), good, "unreadable files: old output kept");

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let o = hustings(&["run", "-q", "--input", s(&empty), "--output", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree(&out), good, "no inputs: old output kept");
    let o = hustings(&["run", "-q", "--allow-empty", "--input", s(&empty), "--output", s(&out)]);
    assert!(o.status.success());
    assert!(table(&out, "documents").is_empty(), "--allow-empty writes empty tables");
    assert!(leftovers(tmp.path()).is_empty());
}

fn spawn_run(input: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_hustings"))
        .args(["run", "-q", "--input", s(input), "--output", s(out)])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

fn send(signal: &str, child: &std::process::Child) {
    let ok = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().expect("kill").success();
    assert!(ok, "kill -{signal}");
}

/// Row 5: SIGINT and SIGTERM remove the temporary folder and exit 130 and
/// 143; the old output stays. A dead run's temporary folder is removed by
/// the next run, which says so.
#[test]
fn row_5_signals_clean_up() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pages = tmp.path().join("pages");
    corpus(&pages, 1500);
    let seeds = tmp.path().join("seeds");
    copy_seeds(&seeds);
    let out = tmp.path().join("out");
    run_ok(&seeds, &out, &["-q"]);
    let good = tree(&out);
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let mut interrupted = 0;
        for ms in [150, 600, 1200] {
            let mut child = spawn_run(&pages, &out);
            std::thread::sleep(Duration::from_millis(ms));
            send(signal, &child);
            let status = child.wait().expect("wait");
            // A run that finished before the signal is fine too: then the output is new.
            if status.success() {
                assert_complete(&out);
                run_ok(&seeds, &out, &["-q"]);
                continue;
            }
            assert_eq!(status.code(), Some(code), "SIG{signal} after {ms} ms");
            assert!(leftovers(tmp.path()).is_empty(), "SIG{signal} after {ms} ms left {:?}", leftovers(tmp.path()));
            if tree(&out) == good {
                interrupted += 1;
            } else {
                // The signal came after the commit, while the old tables were being removed:
                // the new ones are in place, whole.
                assert_complete(&out);
                run_ok(&seeds, &out, &["-q"]);
            }
        }
        assert!(interrupted > 0, "no run was still going when SIG{signal} came: make the corpus bigger");
    }
    std::fs::create_dir(tmp.path().join(".out.hustings-tmp-999-dead-0")).expect("mkdir");
    let o = hustings(&["run", "--input", s(&seeds), "--output", s(&out)]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("removed 1 temporary folder left by an interrupted run"));
    assert!(leftovers(tmp.path()).is_empty());
}

/// Row 6: kill -9 at any moment, the commit included, leaves a complete
/// output (the old or the new), never none; the next run cleans up.
#[test]
fn row_6_kill_9_never_leaves_no_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pages = tmp.path().join("pages");
    corpus(&pages, 300);
    let out = tmp.path().join("out");
    let started = std::time::Instant::now();
    run_ok(&pages, &out, &["-q"]);
    let full = started.elapsed();
    for step in 0..12u32 {
        // Spread over the run, and densely around its end (the commit).
        let at = if step < 6 { full * step / 6 } else { full.mul_f64(0.85 + 0.05 * f64::from(step - 6)) };
        let mut child = spawn_run(&pages, &out);
        std::thread::sleep(at);
        send("KILL", &child);
        let _ = child.wait();
        assert!(out.is_dir(), "kill -9 after {at:?}: the output is gone");
        assert_complete(&out);
    }
    run_ok(&pages, &out, &["-q"]);
    assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
}

/// Row 7: two runs into one output at once, with the same PID (two PID
/// namespaces) or not: one writes, the other fails clearly; the output is
/// whole and later runs work.
#[test]
fn row_7_concurrent_runs_into_one_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pages = tmp.path().join("pages");
    corpus(&pages, 200);
    let out = tmp.path().join("out");
    let bin = env!("CARGO_BIN_EXE_hustings");
    let unshare_works = Command::new("unshare").args(["--pid", "--fork", "true"]).status().is_ok_and(|s| s.success());
    if !unshare_works {
        eprintln!("row 7: `unshare --pid` is not permitted here; the same-PID case is skipped, plain concurrent runs are tested");
    }
    for same_pid in [true, false] {
        if same_pid && !unshare_works {
            continue;
        }
        for _ in 0..3 {
            let start = || {
                let mut c = if same_pid {
                    let mut c = Command::new("unshare");
                    c.args(["--pid", "--fork", bin]);
                    c
                } else {
                    Command::new(bin)
                };
                c.args(["run", "-q", "--input", s(&pages), "--output", s(&out)]).stderr(Stdio::piped()).spawn().expect("spawn")
            };
            let (a, b) = (start(), start());
            let (a, b) = (a.wait_with_output().expect("a"), b.wait_with_output().expect("b"));
            let ok = [a.status.success(), b.status.success()];
            assert!(ok.iter().any(|&x| x), "at least one run writes");
            for o in [&a, &b] {
                if !o.status.success() {
                    assert_eq!(o.status.code(), Some(1));
                    let err = String::from_utf8_lossy(&o.stderr);
                    assert!(err.contains("another hustings run is writing"), "{err}");
                }
            }
            assert_complete(&out);
            assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
        }
    }
    run_ok(&pages, &out, &["-q"]);
}

/// Row 8: a page file over the per-file limit is an `errors` row, read no
/// further; the other pages are processed.
#[test]
fn row_8_a_huge_file_is_refused_with_an_errors_row() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pages = tmp.path().join("pages");
    copy_seeds(&pages);
    let big: Vec<u8> =
        b"A huge page\n\n".iter().copied().chain(std::iter::repeat_n(b"word ".as_slice(), 500_000).flatten().copied()).collect();
    std::fs::write(pages.join("huge.txt"), &big).expect("write");
    let out = tmp.path().join("out");
    run_ok(&pages, &out, &["-q", "--max-file-mb", "2"]);
    let errors = table(&out, "errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["source_path"], "huge.txt");
    assert!(errors[0]["message"].contains("over the per-file limit of 2.0 MiB"), "{}", errors[0]["message"]);
    assert_eq!(table(&out, "documents").len(), 5);
    run_ok(&pages, &out, &["-q", "--max-file-mb", "3"]);
    assert_eq!(table(&out, "documents").len(), 6, "under the limit it is read");
}

/// Row 9: names that differ only in bytes that are not UTF-8 are two files,
/// each named reversibly.
#[test]
fn row_9_non_utf8_names_keep_their_identity() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let pages = tmp.path().join("pages");
    copy_seeds(&pages);
    let seed = std::fs::read(root().join("seeds/001_4f8c7b9b516159ad.txt")).expect("seed");
    for (i, raw) in [&b"caf\xff.txt"[..], b"caf\xfe.txt"].into_iter().enumerate() {
        let mut page = seed.clone();
        page.extend_from_slice(format!("\nVariant {i}.\n").as_bytes());
        std::fs::write(pages.join(std::ffi::OsStr::from_bytes(raw)), page).expect("write");
    }
    let out = tmp.path().join("out");
    let o = run_ok(&pages, &out, &[]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("7 files, 7 documents"), "{}", String::from_utf8_lossy(&o.stderr));
    let docs = table(&out, "documents");
    let paths: Vec<&str> = docs.iter().map(|d| d["source_path"].as_str()).collect();
    assert!(paths.contains(&"caf\\xFE.txt") && paths.contains(&"caf\\xFF.txt"), "{paths:?}");
    assert!(table(&out, "errors").is_empty());
}

/// Row 10: one stray NUL in a real page: the page is read, the byte removed
/// with an `edits` row.
#[test]
fn row_10_a_stray_nul_is_an_edit_not_a_refusal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pages = tmp.path().join("pages");
    copy_seeds(&pages);
    let name = "000_3cd8318704b17162.txt";
    let mut page = std::fs::read(pages.join(name)).expect("read");
    let at = page.windows(6).position(|w| w == b" the p").expect("a word to break") + 1;
    page.insert(at, 0);
    std::fs::write(pages.join(name), &page).expect("write");
    let out = tmp.path().join("out");
    run_ok(&pages, &out, &["-q"]);
    assert!(table(&out, "errors").is_empty());
    let docs = table(&out, "documents");
    let doc = docs.iter().find(|d| d["source_path"] == name).expect("the page is a document");
    assert!(!doc["body_text"].contains('\0'));
    let edits = table(&out, "edits");
    let control: Vec<_> = edits.iter().filter(|e| e["kind"] == "control").collect();
    assert_eq!(control.len(), 1, "{control:?}");
    assert_eq!(
        (control[0]["byte_start"].as_str(), control[0]["byte_end"].as_str()),
        (at.to_string().as_str(), (at + 1).to_string().as_str())
    );
}

/// Disk full, on a small tmpfs: the run fails naming the file, the old
/// output stays, nothing is left behind.
#[test]
fn disk_full_keeps_the_old_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mnt = tmp.path().join("small");
    std::fs::create_dir(&mnt).expect("mkdir");
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=3m", "tmpfs", s(&mnt)]).stderr(Stdio::null()).status();
    if !mounted.is_ok_and(|st| st.success()) {
        eprintln!("disk-full test skipped: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let seeds = tmp.path().join("seeds");
    copy_seeds(&seeds);
    let out = mnt.join("out");
    run_ok(&seeds, &out, &["-q"]);
    let good = tree(&out);
    let pages = tmp.path().join("pages");
    corpus(&pages, 400);
    let o = hustings(&["run", "-q", "--input", s(&pages), "--output", s(&out)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device") && err.contains(s(&mnt)), "{err}");
    assert_eq!(tree(&out), good, "old output kept");
    assert!(leftovers(&mnt).is_empty(), "{:?}", leftovers(&mnt));
}

/// Row 11: the corpus-wide counts stay within `--vocab-memory`; past it they
/// are spilled to disk and merged, and the tables are byte-identical to an
/// in-memory run's, for the full tables and a shard's partial ones alike.
/// (Peak memory on a five-million-term corpus is measured by the benchmark
/// notes, not here.)
#[test]
fn row_11_vocabulary_spilled_to_disk_gives_the_same_tables() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pages = tmp.path().join("pages");
    corpus(&pages, 40);
    for shard in [None, Some("2/3")] {
        let extra: Vec<&str> = shard.map_or(vec![], |k| vec!["--shard", k]);
        let (memory, spilled) = (tmp.path().join("memory"), tmp.path().join("spilled"));
        let mut args = vec!["run", "--input", s(&pages), "--output", s(&memory)];
        args.extend(&extra);
        let o = hustings(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("spilled"), "the default budget holds 40 pages");
        let mut args = vec!["run", "--input", s(&pages), "--output", s(&spilled), "--vocab-memory", "0"];
        args.extend(&extra);
        let o = hustings(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert!(err.contains("vocabulary spilled to disk"), "the summary says so: {err}");
        let part = |d: &Path| if shard.is_some() { d.join("part-2-of-3") } else { d.to_owned() };
        assert_same_files(&part(&memory), &part(&spilled));
        let committed = tree(&spilled);
        assert!(!committed.keys().any(|k| s(k).contains("scratch") || s(k).ends_with(".run")), "no scratch file is committed");
        std::fs::remove_dir_all(&memory).expect("rm");
        std::fs::remove_dir_all(&spilled).expect("rm");
    }
}
