//! Which kind of input a file is, from its name.

/// How a file holds its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// One page of text (`.txt`, `.text`).
    Page,
    /// JSON lines, one page per object (`.jsonl`, `.ndjson`).
    JsonLines,
    /// CSV with a header row, one page per row (`.csv`).
    Csv,
    /// Parquet, one page per row (`.parquet`).
    Parquet,
    /// Common Crawl WET: WARC conversion records (`.warc.wet`, `.wet`).
    Wet,
    /// A tar archive (`.tar`, `.tgz`…): every member that is a page, record file or WET file.
    Tar,
    /// A zip archive (`.zip`): likewise.
    Zip,
}

/// The compression around a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Codec {
    /// Not compressed.
    None,
    /// gzip (`.gz`), any number of members.
    Gzip,
    /// Zstandard (`.zst`), any number of frames.
    Zstd,
    /// bzip2 (`.bz2`), any number of streams.
    Bzip2,
    /// xz (`.xz`), any number of streams.
    Xz,
}

/// A file's format and compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kind {
    /// How the (decompressed) file holds its pages.
    pub format: Format,
    /// The compression around it.
    pub codec: Codec,
}

/// The names `--help` and the errors table give for what is read.
pub const KNOWN: &str = ".txt, .jsonl, .ndjson, .csv, .parquet, .warc.wet, .tar, .tgz, .zip, \
                         each (but .parquet and .zip) also compressed as .gz, .zst, .bz2 or .xz";

impl Kind {
    /// The kind a file name says, or `None` for a file that is not read.
    pub fn of(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        let (stem, ext) = split_ext(&lower)?;
        let tar = |codec| Some(Kind { format: Format::Tar, codec });
        match ext {
            "tgz" => return tar(Codec::Gzip),
            "tbz" | "tbz2" => return tar(Codec::Bzip2),
            "txz" => return tar(Codec::Xz),
            "tzst" => return tar(Codec::Zstd),
            _ => {}
        }
        let codec = match ext {
            "gz" | "gzip" => Codec::Gzip,
            "zst" | "zstd" => Codec::Zstd,
            "bz2" => Codec::Bzip2,
            "xz" => Codec::Xz,
            _ => Codec::None,
        };
        let ext = if codec == Codec::None { ext } else { split_ext(stem)?.1 };
        let format = match ext {
            "txt" | "text" => Format::Page,
            "jsonl" | "ndjson" => Format::JsonLines,
            "csv" => Format::Csv,
            "wet" => Format::Wet,
            "tar" => Format::Tar,
            // Both are read by seeking: never through a decompressor.
            "parquet" if codec == Codec::None => Format::Parquet,
            "zip" if codec == Codec::None => Format::Zip,
            _ => return None,
        };
        Some(Kind { format, codec })
    }

    /// Whether the file is one page (read on a worker) rather than many.
    pub fn is_single_page(&self) -> bool {
        self.format == Format::Page
    }

    /// A short name for the summary: `txt`, `jsonl.gz`, `tar.zst`…
    pub fn label(&self) -> String {
        let base = match self.format {
            Format::Page => "txt",
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Wet => "wet",
            Format::Tar => "tar",
            Format::Zip => "zip",
        };
        match self.codec.suffix() {
            Some(s) => format!("{base}.{s}"),
            None => base.to_owned(),
        }
    }
}

impl Codec {
    /// The usual file name suffix, without the dot.
    pub fn suffix(&self) -> Option<&'static str> {
        match self {
            Codec::None => None,
            Codec::Gzip => Some("gz"),
            Codec::Zstd => Some("zst"),
            Codec::Bzip2 => Some("bz2"),
            Codec::Xz => Some("xz"),
        }
    }
}

/// The name's last extension and what is before it (`None` without one).
fn split_ext(name: &str) -> Option<(&str, &str)> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let dot = base.rfind('.').filter(|&i| i > 0)?;
    let cut = name.len() - base.len() + dot;
    Some((&name[..cut], &name[cut + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> Option<(Format, Codec)> {
        Kind::of(name).map(|k| (k.format, k.codec))
    }

    #[test]
    fn names_give_format_and_compression() {
        assert_eq!(kind("a/b/page.txt"), Some((Format::Page, Codec::None)));
        assert_eq!(kind("PAGE.TXT.GZ"), Some((Format::Page, Codec::Gzip)));
        assert_eq!(kind("docs.jsonl.zst"), Some((Format::JsonLines, Codec::Zstd)));
        assert_eq!(kind("docs.ndjson.xz"), Some((Format::JsonLines, Codec::Xz)));
        assert_eq!(kind("rows.csv.bz2"), Some((Format::Csv, Codec::Bzip2)));
        assert_eq!(kind("rows.parquet"), Some((Format::Parquet, Codec::None)));
        assert_eq!(kind("CC-MAIN-1-00275.warc.wet.gz"), Some((Format::Wet, Codec::Gzip)));
        assert_eq!(kind("corpus.tar"), Some((Format::Tar, Codec::None)));
        assert_eq!(kind("corpus.tgz"), Some((Format::Tar, Codec::Gzip)));
        assert_eq!(kind("corpus.tar.zst"), Some((Format::Tar, Codec::Zstd)));
        assert_eq!(kind("corpus.zip"), Some((Format::Zip, Codec::None)));
    }

    #[test]
    fn other_names_are_not_read() {
        for name in ["notes.md", "gold.json", "README", ".hidden", "x.gz", "rows.parquet.gz", "a.zip.gz", "dir.d/file"] {
            assert_eq!(kind(name), None, "{name}");
        }
    }

    #[test]
    fn labels_name_the_compression() {
        assert_eq!(Kind::of("a.txt").map(|k| k.label()).as_deref(), Some("txt"));
        assert_eq!(Kind::of("a.tgz").map(|k| k.label()).as_deref(), Some("tar.gz"));
        assert_eq!(Kind::of("a.warc.wet.gz").map(|k| k.label()).as_deref(), Some("wet.gz"));
    }
}
