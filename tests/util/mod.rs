//! Helpers for end-to-end tests: run the real binary on a folder and read
//! the tables it writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `hustings` with `args`.
pub fn hustings(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hustings")).args(args).output().expect("hustings runs")
}

/// Run `hustings run` on `input` into `output`, asserting success.
pub fn run_ok(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run", "--input", input.to_str().expect("utf8"), "--output", output.to_str().expect("utf8")];
    args.extend_from_slice(extra);
    let out = hustings(&args);
    assert!(out.status.success(), "hustings failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A table read from CSV: rows as column → value maps (empty cell = "").
pub fn table(dir: &Path, name: &str) -> Vec<BTreeMap<String, String>> {
    let path = dir.join(format!("{name}.csv"));
    let mut rdr = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().expect("header").clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            headers.iter().zip(r.iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect()
        })
        .collect()
}

/// Every file of a folder with its bytes, by name.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| {
            let e = e.expect("entry");
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Assert two output folders hold byte-identical files, naming the first difference.
pub fn assert_same_files(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>(), "file lists differ");
    for (name, bytes) in &fa {
        if bytes != &fb[name] {
            let (ta, tb) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(&fb[name]));
            let line = ta.lines().zip(tb.lines()).position(|(x, y)| x != y);
            panic!("{name} differs between {} and {} (first differing line: {line:?})", a.display(), b.display());
        }
    }
}
