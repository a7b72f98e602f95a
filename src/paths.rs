//! Paths the user gives and paths found on disk: resolving them to compare
//! input with output, and naming files whose names are not UTF-8.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// `path` made absolute, with symlinks and `..` resolved as far as it
/// exists; the part that does not exist yet is appended as written, its
/// `..` applied lexically.
pub(crate) fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = if path.is_absolute() { path.to_owned() } else { std::env::current_dir()?.join(path) };
    let mut out = PathBuf::new();
    let mut real = true; // `out` exists and is resolved so far
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => out.push(part.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if real {
                    match std::fs::canonicalize(&out) {
                        Ok(r) => out = r,
                        Err(_) => real = false,
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Why the output may not be written where asked, if it overlaps the input:
/// the same folder, inside it, or holding it.
pub(crate) fn overlap(input: &Path, output: &Path) -> std::io::Result<Option<String>> {
    let (i, o) = (resolve(input)?, resolve(output)?);
    let why = if i == o {
        Some("is the input folder")
    } else if o.starts_with(&i) {
        Some("is inside the input folder")
    } else if i.starts_with(&o) {
        Some("holds the input folder")
    } else {
        None
    };
    Ok(why.map(|w| {
        format!(
            "--output {} {w} {} (resolved: {} and {}); the run would replace the pages with the tables",
            output.display(),
            input.display(),
            o.display(),
            i.display()
        )
    }))
}

/// A file name as text, reversibly: valid UTF-8 is kept, except that `\`
/// becomes `\\`; each byte that is not part of valid UTF-8 becomes `\xHH`
/// (two upper-case hex digits). [`unescape_name`] gives the bytes back.
pub(crate) fn escape_name(name: &OsStr) -> String {
    hustings_sources::escape_name(name.as_encoded_bytes())
}

/// The raw bytes of a name escaped by [`escape_name`]; `None` if `s` is not
/// such a name.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn unescape_name(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b != b'\\' {
            out.push(b);
            rest = tail;
            continue;
        }
        match tail {
            [b'\\', more @ ..] => {
                out.push(b'\\');
                rest = more;
            }
            [b'x', h, l, more @ ..] => {
                let hex = std::str::from_utf8(&[*h, *l]).ok().and_then(|x| u8::from_str_radix(x, 16).ok())?;
                out.push(hex);
                rest = more;
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_escape_reversibly() {
        use std::os::unix::ffi::OsStrExt;
        for raw in [&b"plain.txt"[..], b"caf\xc3\xa9.txt", b"bad\xff.txt", b"bad\xfe.txt", b"back\\slash\\x41.txt", b"\xe2\x82.txt"] {
            let escaped = escape_name(OsStr::from_bytes(raw));
            assert_eq!(unescape_name(&escaped).as_deref(), Some(raw), "{escaped}");
        }
        assert_eq!(escape_name(OsStr::from_bytes(b"bad\xff.txt")), "bad\\xFF.txt");
        assert_ne!(escape_name(OsStr::from_bytes(b"a\xff")), escape_name(OsStr::from_bytes(b"a\xfe")));
        assert_eq!(escape_name(OsStr::new("caf\u{e9}")), "caf\u{e9}");
    }

    #[test]
    fn overlaps_are_found_through_dot_dot_and_links() {
        let base = tempfile::tempdir().expect("tempdir");
        let input = base.path().join("pages");
        std::fs::create_dir_all(input.join("sub")).expect("mkdir");
        let link = base.path().join("link");
        std::os::unix::fs::symlink(&input, &link).expect("symlink");
        let yes = [input.clone(), input.join("sub/../out"), base.path().to_owned(), link.join("tables"), input.join("new/deeper")];
        for out in &yes {
            assert!(overlap(&input, out).expect("resolve").is_some(), "{}", out.display());
        }
        for out in [base.path().join("out"), base.path().join("pages-out"), input.join("../out")] {
            assert_eq!(overlap(&input, &out).expect("resolve"), None, "{}", out.display());
        }
    }
}
