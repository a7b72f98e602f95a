//! The caps that keep a hostile or broken input from taking the machine:
//! bytes per page, expansion ratio of a compressed stream.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use crate::kind::Codec;

/// Limits on what one input may expand to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A page (file, archive member or record) larger than this is refused.
    pub max_page: u64,
    /// A compressed stream that expands to more than this many times its
    /// compressed size, once past [`RATIO_FLOOR`], is stopped.
    pub max_ratio: u64,
}

/// Expanded bytes below which the ratio is not checked: small, very
/// repetitive files are not bombs.
pub const RATIO_FLOOR: u64 = 16 << 20;

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_page: 64 << 20, max_ratio: 200 }
    }
}

/// "12.5 MiB", or "40.2 KiB" under a mebibyte.
pub(crate) fn mib(n: u64) -> String {
    if n < 1 << 20 { format!("{:.1} KiB", n as f64 / 1024.0) } else { format!("{:.1} MiB", n as f64 / f64::from(1u32 << 20)) }
}

impl Limits {
    /// The message for a page of `n` bytes over the limit.
    pub(crate) fn too_big(&self, what: &str, n: u64) -> String {
        format!("{what} is {}, over the per-page limit of {} (--max-file-mb)", mib(n), mib(self.max_page))
    }

    /// Read a whole page from `r`, refusing one over the limit (the rest is not read).
    pub(crate) fn read_page(&self, what: &str, r: impl Read) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        r.take(self.max_page.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
        if bytes.len() as u64 > self.max_page {
            return Err(format!("{what} is over the per-page limit of {} (--max-file-mb)", mib(self.max_page)));
        }
        Ok(bytes)
    }
}

/// Counts the bytes read through it, for the ratio check.
pub(crate) struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// A decompressed stream that fails once it has expanded past the ratio.
pub(crate) struct Guarded<R> {
    inner: R,
    compressed: Rc<Cell<u64>>,
    expanded: u64,
    max_ratio: u64,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.expanded += n as u64;
        let compressed = self.compressed.get().max(1);
        if self.expanded > RATIO_FLOOR && self.expanded > compressed.saturating_mul(self.max_ratio) {
            return Err(io::Error::other(format!(
                "decompression bomb: {} expanded from {} (over {}×, --max-ratio)",
                mib(self.expanded),
                mib(compressed),
                self.max_ratio
            )));
        }
        Ok(n)
    }
}

/// `r` decompressed as `codec` says, with the ratio guard.
pub(crate) fn decoder<'a>(codec: Codec, r: impl Read + 'a, limits: &Limits) -> io::Result<Box<dyn Read + 'a>> {
    let count = Rc::new(Cell::new(0));
    let counted = io::BufReader::with_capacity(64 << 10, Counted { inner: r, count: Rc::clone(&count) });
    let inner: Box<dyn Read + 'a> = match codec {
        Codec::None => return Ok(Box::new(counted)),
        Codec::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(counted)),
        Codec::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(counted)?),
        Codec::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(counted)),
        Codec::Xz => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(counted)),
    };
    Ok(Box::new(Guarded { inner, compressed: count, expanded: 0, max_ratio: limits.max_ratio }))
}

/// One line of a line-based file.
pub(crate) enum Line {
    /// The end of the input.
    End,
    /// A line (without its `\n`) in the buffer.
    Read,
    /// A line longer than the cap: it was skipped to its end; its length.
    TooLong(u64),
}

/// Read the next line into `buf` (cleared first), holding at most `max`
/// bytes of it: a longer line is read through and dropped.
pub(crate) fn read_line(r: &mut impl BufRead, buf: &mut Vec<u8>, max: u64) -> io::Result<Line> {
    buf.clear();
    let mut len = 0u64;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if len + take as u64 <= max {
            buf.extend_from_slice(&chunk[..take]);
        }
        len += take as u64;
        r.consume(take + usize::from(done));
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::End);
    }
    if len > max {
        buf.clear();
        return Ok(Line::TooLong(len));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Line::Read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).expect("gzip");
        e.finish().expect("gzip")
    }

    #[test]
    fn a_bomb_is_stopped_and_a_plain_stream_is_not() {
        let limits = Limits { max_page: 1 << 30, max_ratio: 200 };
        let zeros = gzip(&vec![0u8; 40 << 20]);
        let mut out = Vec::new();
        let err = decoder(Codec::Gzip, &zeros[..], &limits).expect("open").read_to_end(&mut out).expect_err("a bomb");
        assert!(err.to_string().contains("decompression bomb"), "{err}");
        assert!(out.len() as u64 <= RATIO_FLOOR + (1 << 20), "stopped soon after the floor: {}", out.len());
        // The same stream under a ratio it does not pass is read whole.
        let lenient = Limits { max_ratio: 100_000, ..limits };
        let mut out = Vec::new();
        decoder(Codec::Gzip, &zeros[..], &lenient).expect("open").read_to_end(&mut out).expect("read");
        assert_eq!(out.len(), 40 << 20);
    }

    #[test]
    fn concatenated_gzip_members_are_one_stream() {
        let mut two = gzip(b"first\n");
        two.extend(gzip(b"second\n"));
        let mut out = String::new();
        decoder(Codec::Gzip, &two[..], &Limits::default()).expect("open").read_to_string(&mut out).expect("read");
        assert_eq!(out, "first\nsecond\n");
    }

    #[test]
    fn long_lines_are_skipped_whole() {
        let text = b"short\r\nxxxxxxxxxxxxxxxxxxxx\nlast";
        let mut r = io::BufReader::with_capacity(4, &text[..]);
        let mut buf = Vec::new();
        assert!(matches!(read_line(&mut r, &mut buf, 8).expect("read"), Line::Read));
        assert_eq!(buf, b"short");
        assert!(matches!(read_line(&mut r, &mut buf, 8).expect("read"), Line::TooLong(20)));
        assert!(matches!(read_line(&mut r, &mut buf, 8).expect("read"), Line::Read));
        assert_eq!(buf, b"last");
        assert!(matches!(read_line(&mut r, &mut buf, 8).expect("read"), Line::End));
    }

    #[test]
    fn pages_over_the_limit_are_refused() {
        let limits = Limits { max_page: 4, max_ratio: 200 };
        assert_eq!(limits.read_page("page", &b"1234"[..]), Ok(b"1234".to_vec()));
        assert!(limits.read_page("page", &b"12345"[..]).expect_err("too big").contains("per-page limit"));
    }
}
