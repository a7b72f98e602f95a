//! Sorted runs on disk and their merge: what keeps the corpus-wide
//! accumulators within a memory budget.
//!
//! A [`Runs`] is a set of files, each holding records in one order. A
//! [`Merge`] reads them back as one sorted stream, folding records with equal
//! keys together when given a `combine` function (so counts spilled by
//! different parts of the corpus add up to what one in-memory map would
//! hold). A [`Sorter`] buffers records up to a byte budget and spills sorted
//! runs when it is passed: an external sort.
//!
//! The files are private scratch: a compact little-endian encoding
//! ([`Record`]), written and read by this process only, in a folder the
//! caller owns and removes.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// How many runs are read at once; more are first merged in groups.
const FAN_IN: usize = 64;

/// A value that can be written to and read back from a run file.
pub(crate) trait Record: Sized {
    /// Append the encoding of `self`.
    fn write(&self, out: &mut Encoder<'_>) -> io::Result<()>;
    /// Read one value; the reader is known not to be at the end.
    fn read(input: &mut Decoder) -> io::Result<Self>;
    /// About how many bytes the value holds in memory, heap included.
    fn bytes(&self) -> usize;
}

/// Writes the fields of records.
pub(crate) struct Encoder<'a> {
    out: &'a mut BufWriter<File>,
}

impl Encoder<'_> {
    pub(crate) fn u64(&mut self, v: u64) -> io::Result<()> {
        self.out.write_all(&v.to_le_bytes())
    }
    pub(crate) fn u8(&mut self, v: u8) -> io::Result<()> {
        self.out.write_all(&[v])
    }
    pub(crate) fn f64(&mut self, v: f64) -> io::Result<()> {
        self.u64(v.to_bits())
    }
    pub(crate) fn str(&mut self, s: &str) -> io::Result<()> {
        self.u64(s.len() as u64)?;
        self.out.write_all(s.as_bytes())
    }
}

/// Reads the fields of records.
pub(crate) struct Decoder {
    input: BufReader<File>,
}

impl Decoder {
    pub(crate) fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0u8; 8];
        self.input.read_exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    pub(crate) fn u8(&mut self) -> io::Result<u8> {
        let mut b = [0u8; 1];
        self.input.read_exact(&mut b)?;
        Ok(b[0])
    }
    pub(crate) fn f64(&mut self) -> io::Result<f64> {
        self.u64().map(f64::from_bits)
    }
    pub(crate) fn string(&mut self) -> io::Result<String> {
        let len = usize::try_from(self.u64()?).map_err(|_| corrupt("string length"))?;
        let mut buf = Vec::new();
        (&mut self.input).take(len as u64).read_to_end(&mut buf)?;
        if buf.len() != len {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "run file ends inside a string"));
        }
        String::from_utf8(buf).map_err(|_| corrupt("string"))
    }
    fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.input.fill_buf()?.is_empty())
    }
}

/// An error for a run file that does not read back as it was written.
pub(crate) fn corrupt(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("spill file damaged: bad {what}"))
}

/// Run files of one kind of record in one folder.
#[derive(Debug)]
pub(crate) struct Runs {
    dir: PathBuf,
    label: &'static str,
    made: usize,
    files: Vec<PathBuf>,
}

impl Runs {
    /// No runs yet; files will be `dir/label-N.run`.
    pub(crate) fn new(dir: &Path, label: &'static str) -> Runs {
        Runs { dir: dir.to_owned(), label, made: 0, files: Vec::new() }
    }

    /// Whether any run has been written.
    pub(crate) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Number of runs.
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// Write one run of records, which the caller has put in order.
    pub(crate) fn write<'a, T: Record + 'a>(&mut self, records: impl IntoIterator<Item = &'a T>) -> io::Result<()> {
        let mut w = self.writer()?;
        for r in records {
            w.push(r)?;
        }
        w.close()
    }

    /// A new run, written record by record.
    pub(crate) fn writer(&mut self) -> io::Result<RunWriter<'_>> {
        std::fs::create_dir_all(&self.dir)?;
        self.made += 1;
        let path = self.dir.join(format!("{}-{}.run", self.label, self.made));
        let file = File::create(&path)?;
        Ok(RunWriter { out: BufWriter::with_capacity(1 << 16, file), path, runs: self })
    }

    /// All runs and then `tail` (in order), as one sorted stream; the runs
    /// stay and may be read again.
    pub(crate) fn merge<T: Record>(
        &mut self,
        tail: Vec<T>,
        order: fn(&T, &T) -> Ordering,
        combine: Option<fn(&mut T, T)>,
    ) -> io::Result<Merge<T>> {
        // Keep the number of open files bounded: merge groups of runs into
        // longer ones until FAN_IN remain.
        while self.files.len() > FAN_IN {
            let group: Vec<PathBuf> = self.files.drain(..FAN_IN).collect();
            let merged = Merge::open(&group, Vec::new(), order, combine)?;
            let mut w = self.writer()?;
            for r in merged {
                w.push(&r?)?;
            }
            let path = w.close_path()?;
            // The merged run holds the group's records: it goes first so
            // that equal keys keep the order of their runs.
            self.files.pop();
            self.files.insert(0, path);
            for p in &group {
                std::fs::remove_file(p)?;
            }
        }
        Merge::open(&self.files, tail, order, combine)
    }
}

/// One run being written.
pub(crate) struct RunWriter<'a> {
    out: BufWriter<File>,
    path: PathBuf,
    runs: &'a mut Runs,
}

impl RunWriter<'_> {
    /// Append a record.
    pub(crate) fn push<T: Record>(&mut self, r: &T) -> io::Result<()> {
        r.write(&mut self.encoder())
    }

    /// Append fields one by one (a record written from borrowed parts).
    pub(crate) fn encoder(&mut self) -> Encoder<'_> {
        Encoder { out: &mut self.out }
    }

    /// Finish the run and add it to the set.
    pub(crate) fn close(self) -> io::Result<()> {
        self.close_path().map(|_| ())
    }

    fn close_path(self) -> io::Result<PathBuf> {
        self.out.into_inner().map_err(|e| e.into_error())?;
        self.runs.files.push(self.path.clone());
        Ok(self.path)
    }
}

enum Source<T> {
    File(Decoder),
    Memory(std::vec::IntoIter<T>),
}

impl<T: Record> Source<T> {
    fn next(&mut self) -> io::Result<Option<T>> {
        match self {
            Source::File(d) => {
                if d.at_end()? {
                    Ok(None)
                } else {
                    T::read(d).map(Some)
                }
            }
            Source::Memory(items) => Ok(items.next()),
        }
    }
}

struct Head<T> {
    item: T,
    source: usize,
    order: fn(&T, &T) -> Ordering,
}

impl<T> Ord for Head<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: the smallest item, then the earliest source, is the greatest.
        (self.order)(&other.item, &self.item).then_with(|| other.source.cmp(&self.source))
    }
}
impl<T> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<T> Eq for Head<T> {}

/// Several sorted sources read as one sorted stream.
pub struct Merge<T> {
    sources: Vec<Source<T>>,
    heap: BinaryHeap<Head<T>>,
    order: fn(&T, &T) -> Ordering,
    combine: Option<fn(&mut T, T)>,
    failed: bool,
}

impl<T: Record> Merge<T> {
    fn open(files: &[PathBuf], tail: Vec<T>, order: fn(&T, &T) -> Ordering, combine: Option<fn(&mut T, T)>) -> io::Result<Merge<T>> {
        let mut sources = Vec::with_capacity(files.len() + 1);
        for path in files {
            sources.push(Source::File(Decoder { input: BufReader::with_capacity(1 << 16, File::open(path)?) }));
        }
        sources.push(Source::Memory(tail.into_iter()));
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, s) in sources.iter_mut().enumerate() {
            if let Some(item) = s.next()? {
                heap.push(Head { item, source: i, order });
            }
        }
        Ok(Merge { sources, heap, order, combine, failed: false })
    }

    fn pop(&mut self) -> io::Result<Option<T>> {
        let Some(Head { item, source, .. }) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(next) = self.sources[source].next()? {
            self.heap.push(Head { item: next, source, order: self.order });
        }
        Ok(Some(item))
    }

    fn next_combined(&mut self) -> io::Result<Option<T>> {
        let Some(mut item) = self.pop()? else {
            return Ok(None);
        };
        if let Some(combine) = self.combine {
            while self.heap.peek().is_some_and(|h| (self.order)(&h.item, &item) == Ordering::Equal) {
                if let Some(same) = self.pop()? {
                    combine(&mut item, same);
                }
            }
        }
        Ok(Some(item))
    }
}

impl<T: Record> Iterator for Merge<T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<io::Result<T>> {
        if self.failed {
            return None;
        }
        let next = self.next_combined();
        self.failed = next.is_err();
        next.transpose()
    }
}

/// An external sort: records pushed in any order come out sorted.
pub(crate) struct Sorter<T> {
    runs: Runs,
    buffer: Vec<T>,
    bytes: usize,
    budget: usize,
    order: fn(&T, &T) -> Ordering,
}

impl<T: Record> Sorter<T> {
    /// A sorter holding up to `budget` bytes of records before it spills into `dir`.
    pub(crate) fn new(dir: &Path, label: &'static str, budget: usize, order: fn(&T, &T) -> Ordering) -> Sorter<T> {
        Sorter { runs: Runs::new(dir, label), buffer: Vec::new(), bytes: 0, budget, order }
    }

    /// Add a record.
    pub(crate) fn push(&mut self, r: T) -> io::Result<()> {
        self.bytes += r.bytes();
        self.buffer.push(r);
        if self.bytes > self.budget {
            self.buffer.sort_by(self.order);
            self.runs.write(&self.buffer)?;
            self.buffer = Vec::new();
            self.bytes = 0;
        }
        Ok(())
    }

    /// Everything pushed, in order.
    pub(crate) fn finish(mut self) -> io::Result<Merge<T>> {
        self.buffer.sort_by(self.order);
        self.runs.merge(self.buffer, self.order, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hustings-spill-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn merge_adds_up_equal_keys_across_many_runs() {
        let dir = scratch("merge");
        let mut runs = Runs::new(&dir, "t");
        // 150 runs (more than FAN_IN, so groups are merged first), each
        // holding words 0..run%7+1 with count 1.
        let mut expected = std::collections::BTreeMap::new();
        for run in 0..150u64 {
            let mut recs: Vec<(String, u64)> = (0..run % 7 + 1).map(|w| (format!("w{w:02}"), 1)).collect();
            recs.sort();
            for r in &recs {
                *expected.entry(r.0.clone()).or_insert(0) += r.1;
            }
            runs.write(&recs).expect("in the test");
        }
        let tail = vec![("a".to_owned(), 5), ("w00".to_owned(), 2)];
        *expected.entry("a".to_owned()).or_insert(0) += 5;
        *expected.entry("w00".to_owned()).or_insert(0) += 2;
        let merged: Vec<(String, u64)> = runs
            .merge(tail, |a, b| a.0.cmp(&b.0), Some(|a, b| a.1 += b.1))
            .expect("in the test")
            .collect::<io::Result<_>>()
            .expect("in the test");
        assert_eq!(merged, expected.into_iter().collect::<Vec<_>>());
        std::fs::remove_dir_all(&dir).expect("in the test");
    }

    #[test]
    fn sorter_sorts_past_its_budget_and_keeps_duplicates() {
        let dir = scratch("sorter");
        let mut s = Sorter::new(&dir, "s", 100, |a: &(String, u64), b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut all = Vec::new();
        for i in 0..1000u64 {
            let r = (format!("t{}", i % 13), (i * 7919) % 101);
            all.push(r.clone());
            s.push(r).expect("in the test");
        }
        assert!(s.runs.files.len() > 100, "the budget made it spill");
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let out: Vec<_> = s.finish().expect("in the test").collect::<io::Result<_>>().expect("in the test");
        assert_eq!(out, all);
        std::fs::remove_dir_all(&dir).expect("in the test");
    }

    #[test]
    fn a_damaged_run_is_an_error_not_a_panic() {
        let dir = scratch("damaged");
        let mut runs = Runs::new(&dir, "d");
        runs.write(&[("abc".to_owned(), 1u64)]).expect("in the test");
        let path = runs.files[0].clone();
        let bytes = std::fs::read(&path).expect("in the test");
        std::fs::write(&path, &bytes[..bytes.len() - 3]).expect("in the test");
        let read = runs.merge(Vec::new(), |a: &(String, u64), b| a.0.cmp(&b.0), None).and_then(|m| m.collect::<io::Result<Vec<_>>>());
        let err = read.expect_err("a truncated run must fail");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        std::fs::remove_dir_all(&dir).expect("in the test");
    }
}
