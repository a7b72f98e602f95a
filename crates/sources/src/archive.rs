//! Archives: tar (streamed, through any decompressor) and zip (by its
//! central directory, one member at a time). Every member that is a page,
//! a record file or a WET file is read; anything else is listed as skipped.

use std::io::Read;
use std::path::Path;

use crate::kind::{Format, Kind};
use crate::limit::{Limits, RATIO_FLOOR, decoder, mib};
use crate::{Item, Meta, Options, Page, escape_name, failed, read_stream, skipped};

/// Read one member, named `name`, of `declared` bytes if the archive says.
fn member(name: &str, declared: u64, r: impl Read, options: &Options, sink: &mut dyn FnMut(Item)) {
    let here = || Some(name.to_owned());
    let Some(kind) = Kind::of(name) else {
        return sink(skipped(here(), format!("not a kind of file that is read (read: {})", crate::KNOWN)));
    };
    let limits = &options.limits;
    match kind.format {
        Format::Tar | Format::Zip | Format::Parquet => {
            sink(skipped(here(), "an archive or Parquet file inside an archive is not read: unpack it first".into()));
        }
        Format::Page => {
            if kind.codec == crate::Codec::None && declared > limits.max_page {
                return sink(failed(here(), limits.too_big("the member", declared)));
            }
            let page = decoder(kind.codec, r, limits)
                .map_err(|e| format!("cannot decompress: {e}"))
                .and_then(|stream| limits.read_page("the member", stream));
            sink(match page {
                Ok(bytes) => Item::Page(Page { record: here(), bytes, meta: Meta::default() }),
                Err(message) => failed(here(), message),
            });
        }
        Format::JsonLines | Format::Csv | Format::Wet => match decoder(kind.codec, r, limits) {
            Ok(stream) => read_stream(kind.format, stream, Some(name), options, sink),
            Err(e) => sink(failed(here(), format!("cannot decompress: {e}"))),
        },
    }
}

/// Every member of a tar stream, in archive order. A corrupt or truncated
/// archive ends with an error row; the members before it are kept.
pub(crate) fn read_tar(r: impl Read, options: &Options, sink: &mut dyn FnMut(Item)) {
    let mut archive = tar::Archive::new(r);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return sink(failed(None, format!("not a readable tar archive: {e}"))),
    };
    // A member cut short by a broken stream is its own errors row; the
    // archive's end that follows is not one more.
    let mut member_failed = false;
    for (read, entry) in entries.enumerate() {
        let mut entry = match entry {
            Ok(e) => e,
            Err(_) if member_failed => return,
            Err(e) => {
                let what = if read == 0 { "not a readable tar archive" } else { "the archive is corrupt or truncated" };
                return sink(failed(None, format!("{what}: {e}; {read} members before it were read")));
            }
        };
        let name = escape_name(&entry.path_bytes());
        let ty = entry.header().entry_type();
        if ty.is_dir() {
            continue;
        }
        if !(ty.is_file() || ty.is_contiguous()) {
            sink(skipped(Some(name), format!("not a regular file (tar entry type {:?})", ty.as_byte() as char)));
            continue;
        }
        let size = entry.size();
        member_failed = false;
        member(&name, size, &mut entry, options, &mut |item| {
            member_failed |= matches!(item, Item::Failed(_));
            sink(item);
        });
    }
}

/// Every member of a zip file, in central directory order; a member that
/// fails (bad checksum, unsupported method, a bomb) is an error row and the
/// rest are still read.
pub(crate) fn read_zip(path: &Path, options: &Options, sink: &mut dyn FnMut(Item)) {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(failed(None, format!("cannot read: {e}"))),
    };
    let mut zip = match zip::ZipArchive::new(std::io::BufReader::new(file)) {
        Ok(z) => z,
        Err(e) => return sink(failed(None, format!("not a readable zip archive: {e}"))),
    };
    let limits = &options.limits;
    for i in 0..zip.len() {
        let mut file = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                sink(failed(Some(format!("member {}", i + 1)), format!("cannot read the member: {e}")));
                continue;
            }
        };
        let name = escape_name(file.name_raw());
        if file.is_dir() {
            continue;
        }
        if file.is_symlink() {
            sink(skipped(Some(name), "not a regular file (a symbolic link)".into()));
            continue;
        }
        let (size, packed) = (file.size(), file.compressed_size().max(1));
        if size > RATIO_FLOOR && size > packed.saturating_mul(limits.max_ratio) {
            sink(failed(Some(name), bomb(size, packed, limits)));
            continue;
        }
        // The sizes are the archive's word: read no more than they allow.
        let cap = size.min(packed.saturating_mul(limits.max_ratio).max(RATIO_FLOOR)).saturating_add(1);
        let mut capped = (&mut file).take(cap);
        member(&name, size, &mut capped, options, sink);
    }
}

fn bomb(size: u64, packed: u64, limits: &Limits) -> String {
    format!("decompression bomb: {} expands to {} (over {}×, --max-ratio)", mib(packed), mib(size), limits.max_ratio)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, bytes) in members {
            let mut h = tar::Header::new_gnu();
            h.set_size(bytes.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, *bytes).expect("tar");
        }
        b.into_inner().expect("tar")
    }

    fn collect(f: impl FnOnce(&mut dyn FnMut(Item))) -> Vec<Item> {
        let mut v = Vec::new();
        f(&mut |i| v.push(i));
        v
    }

    #[test]
    fn tar_members_are_pages_records_or_skipped() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"Zipped page").expect("gz");
        let gz = gz.finish().expect("gz");
        let tar = tar_of(&[
            ("a/one.txt", b"Page one"),
            ("a/notes.md", b"# no"),
            ("b.txt.gz", &gz),
            ("c.jsonl", b"{\"text\":\"R1\"}\n{\"text\":\"R2\"}\n"),
        ]);
        let got = collect(|s| read_tar(&tar[..], &Options::default(), s));
        let records: Vec<(Option<&str>, bool)> = got
            .iter()
            .map(|i| match i {
                Item::Page(p) => (p.record.as_deref(), true),
                Item::Failed(f) => (f.record.as_deref(), false),
            })
            .collect();
        assert_eq!(
            records,
            [
                (Some("a/one.txt"), true),
                (Some("a/notes.md"), false),
                (Some("b.txt.gz"), true),
                (Some("c.jsonl#line=1"), true),
                (Some("c.jsonl#line=2"), true)
            ]
        );
        assert!(matches!(&got[2], Item::Page(p) if p.bytes == b"Zipped page"));
    }

    #[test]
    fn a_truncated_tar_keeps_the_members_before_the_cut() {
        let big = vec![b'x'; 5000];
        let tar = tar_of(&[("one.txt", b"Page one"), ("two.txt", &big)]);
        let got = collect(|s| read_tar(&tar[..1500], &Options::default(), s));
        assert!(matches!(&got[0], Item::Page(p) if p.record.as_deref() == Some("one.txt")));
        assert!(matches!(got.last(), Some(Item::Failed(f)) if f.record.as_deref() == Some("two.txt") || f.record.is_none()), "{got:?}");
    }
}
