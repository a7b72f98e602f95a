//! The report of a run: one self-contained HTML file (no network, no
//! fonts or scripts from elsewhere) with what the run holds and what it did
//! to the pages, each plot an inline SVG drawn by plotters.
//!
//! This crate owns reading a run's Parquet tables for the report (checked
//! against this version's schemas, a batch at a time: memory is bounded by
//! a batch and the report's counters, not by the tables' size), computing
//! its figures, and rendering the page. Every figure comes from the tables;
//! nothing is re-read from the pages.

mod figures;
mod html;
mod plot;
mod read;

use std::path::{Path, PathBuf};

pub use plot::MARK_HEX;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The tables folder is missing, incomplete or from another version.
    #[error("{0}")]
    Tables(String),
    /// A table could not be read.
    #[error("{path}: cannot read: {message}")]
    Read {
        /// The table file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A chart could not be drawn.
    #[error("{0}")]
    Draw(String),
}

impl Error {
    pub(crate) fn read(path: &Path, e: impl std::fmt::Display) -> Error {
        Error::Read { path: path.to_owned(), message: e.to_string() }
    }
}

/// The tables the report reads.
const READS: &[hustings_export::schema::TableSpec] = {
    use hustings_export::schema::*;
    &[DOCUMENTS, COMMENTS, TOKEN_COUNTS, BIGRAMS, KEYNESS, BOILERPLATE, EDITS, ERRORS]
};

/// The report of the tables in `dir` (a run's output, or tables merged from
/// shards), as one HTML page.
pub fn report(dir: &Path) -> Result<String, Error> {
    let tables = read::Tables::open(dir, READS)?;
    let figures = figures::compute(&tables)?;
    let name = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
    html::page(&name, &figures).map_err(Error::Draw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_partial_folder_is_one_line_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("nowhere");
        let e = report(&missing).expect_err("missing").to_string();
        assert!(e.contains("nowhere") && !e.contains('\n'), "{e}");
        std::fs::write(dir.path().join("documents.parquet"), b"not parquet").expect("write");
        let e = report(dir.path()).expect_err("partial").to_string();
        assert!(e.contains("no comments.parquet") && e.contains("--format csv"), "{e}");
    }
}
