//! Finding the input files: every file under the input folder that the
//! `--include`/`--exclude` globs admit, in sorted path order, following
//! symbolic links but never into a loop, and never opening anything that is
//! not a regular file. A file of a kind that is not read is listed (as
//! skipped), never passed over in silence.

use std::path::{Path, PathBuf};

use hustings_sources::Kind;
use walkdir::WalkDir;

/// Which files a run reads, by their path relative to the input folder.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl Filter {
    /// Files matching any `include` glob (all files when there is none) and
    /// no `exclude` glob. `*` matches across `/` too: `*.jsonl` is every
    /// JSON lines file at any depth.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filter, String> {
        let set = |globs: &[String], flag: &str| -> Result<Option<globset::GlobSet>, String> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut b = globset::GlobSetBuilder::new();
            for g in globs {
                b.add(globset::Glob::new(g).map_err(|e| format!("{flag} {g:?}: {e}"))?);
            }
            b.build().map(Some).map_err(|e| format!("{flag}: {e}"))
        };
        Ok(Filter { include: set(include, "--include")?, exclude: set(exclude, "--exclude")? })
    }

    /// Whether the file at `rel` is read.
    pub fn admits(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|s| s.is_match(rel)) && !self.exclude.as_ref().is_some_and(|s| s.is_match(rel))
    }
}

/// One input, found or refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A regular file to read.
    File {
        /// Absolute or input-relative path to open.
        path: PathBuf,
        /// Path relative to the input folder, `/`-separated.
        rel: String,
        /// Size in bytes when found (0 if it could not be read then).
        len: u64,
        /// What kind of file it is, from its name.
        kind: Kind,
    },
    /// Something that cannot be processed: (kind, message) for `errors`.
    Refused {
        /// Path relative to the input folder.
        rel: String,
        /// `error` or `skipped`.
        kind: &'static str,
        /// Why.
        message: String,
    },
}

impl Input {
    /// Path relative to the input folder.
    pub fn rel(&self) -> &str {
        match self {
            Input::File { rel, .. } | Input::Refused { rel, .. } => rel,
        }
    }

    /// Bytes the input will take to read, as far as discovery saw.
    pub fn size(&self) -> u64 {
        match self {
            Input::File { len, .. } => *len,
            Input::Refused { .. } => 0,
        }
    }

    /// Whether the input holds many pages (read in file order by one
    /// thread), rather than one page or none.
    pub fn holds_many(&self) -> bool {
        matches!(self, Input::File { kind, .. } if !kind.is_single_page())
    }
}

/// The path relative to the root, `/`-separated, each name escaped
/// reversibly where it is not UTF-8 ([`crate::paths::escape_name`]), so two
/// files never share a name in the tables.
fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| crate::paths::escape_name(c.as_os_str())).collect();
    parts.join("/")
}

/// Every file under `root` that `filter` admits, sorted by relative path.
pub fn discover(root: &Path, filter: &Filter) -> Vec<Input> {
    let mut out = Vec::new();
    for entry in WalkDir::new(root).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) => {
                let path = e.path();
                let ft = e.file_type();
                if ft.is_dir() {
                    continue;
                }
                let rel = rel_path(root, path);
                if !filter.admits(&rel) {
                    continue;
                }
                if ft.is_file() {
                    let len = e.metadata().map_or(0, |m| m.len());
                    match Kind::of(&rel) {
                        Some(kind) => out.push(Input::File { path: path.to_owned(), rel, len, kind }),
                        None => out.push(Input::Refused {
                            rel,
                            kind: "skipped",
                            message: format!("not a kind of file that is read ({})", hustings_sources::KNOWN),
                        }),
                    }
                } else {
                    out.push(Input::Refused { rel, kind: "skipped", message: format!("not a regular file ({})", describe(&ft)) });
                }
            }
            Err(err) => {
                let Some(path) = err.path().map(Path::to_owned) else { continue };
                let looped = err.loop_ancestor().is_some();
                if !looped && path.is_dir() {
                    // An unreadable folder (whatever the globs: it may hold
                    // files they admit): report it unless it is the root.
                    if path != root {
                        out.push(Input::Refused {
                            rel: rel_path(root, &path),
                            kind: "error",
                            message: format!("cannot read folder: {}", io_message(&err)),
                        });
                    }
                    continue;
                }
                let rel = rel_path(root, &path);
                if !filter.admits(&rel) {
                    continue;
                }
                let (kind, message) = if looped {
                    ("skipped", "symbolic link loop".to_string())
                } else {
                    ("error", format!("cannot open: {}", io_message(&err)))
                };
                out.push(Input::Refused { rel, kind, message });
            }
        }
    }
    out.sort_by(|a, b| a.rel().cmp(b.rel()));
    out.dedup_by(|a, b| a.rel() == b.rel());
    out
}

fn io_message(err: &walkdir::Error) -> String {
    err.io_error().map_or_else(|| err.to_string(), ToString::to_string)
}

#[cfg(unix)]
fn describe(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "a FIFO"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_char_device() {
        "a character device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn describe(_: &std::fs::FileType) -> &'static str {
    "a special file"
}
