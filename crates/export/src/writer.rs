//! One table's writers. Rows are encoded into a [`RowBlock`] — Arrow
//! builders and the rows' CSV (RFC 4180) bytes — wherever the rows are made,
//! on any thread; a [`TableWriter`] appends finished blocks in order: the CSV
//! bytes as they are, the Arrow columns as record batches of [`BATCH_ROWS`]
//! rows to Parquet (zstd), cut at the same rows whatever the blocks' sizes,
//! so the files are the same bytes however the rows were grouped.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use hustings_core::{Date, DateTime};
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use sha2::{Digest, Sha256};

use crate::columns::ParquetFile;
use crate::lane::thread_cpu;
use crate::schema::{TableSpec, Type};
use crate::{Error, Formats};

/// Size and SHA-256 of a file as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    /// The file's name in the output folder.
    pub name: String,
    /// Its length in bytes.
    pub bytes: u64,
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
}

/// A writer that hashes and counts what it passes on, so the manifest
/// need not read each table back (both formats are written front to back).
pub(crate) struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Hashing<W> {
    pub(crate) fn new(inner: W) -> Hashing<W> {
        Hashing { inner, hasher: Sha256::new(), bytes: 0 }
    }

    /// The inner writer, and the digest of everything written through it.
    pub(crate) fn finish(self, path: &Path) -> (W, FileDigest) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        (self.inner, FileDigest { name, bytes: self.bytes, sha256: hustings_core::hex(&self.hasher.finalize()) })
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One cell of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Text or null.
    Text(Option<&'a str>),
    /// A count of at most `i32::MAX`, or null (written as INT32).
    U32(Option<u32>),
    /// A count of at most `i64::MAX`, or null (written as INT64).
    U64(Option<u64>),
    /// A 64-bit hash, or null: its bits written as INT64, so it may read negative.
    Hash(Option<u64>),
    /// Date or null.
    Date(Option<Date>),
    /// Timestamp or null.
    Timestamp(Option<DateTime>),
    /// Float or null.
    F64(Option<f64>),
    /// Boolean or null.
    Bool(Option<bool>),
}

enum Builder {
    Text(StringBuilder),
    I32(Int32Builder),
    I64(Int64Builder),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder),
    F64(Float64Builder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn new(ty: Type) -> Builder {
        match ty {
            Type::Text => Builder::Text(StringBuilder::new()),
            Type::U32 => Builder::I32(Int32Builder::new()),
            Type::U64 | Type::Hash => Builder::I64(Int64Builder::new()),
            Type::Date => Builder::Date(Date32Builder::new()),
            Type::Timestamp => Builder::Timestamp(TimestampMicrosecondBuilder::new()),
            Type::F64 => Builder::F64(Float64Builder::new()),
            Type::Bool => Builder::Bool(BooleanBuilder::new()),
        }
    }

    /// Append `cell`, which [`holds`] checked is of the builder's type.
    fn append(&mut self, cell: Cell<'_>) {
        match (self, cell) {
            (Builder::Text(b), Cell::Text(v)) => b.append_option(v),
            // `holds` checked the ranges: the conversions are exact.
            (Builder::I32(b), Cell::U32(v)) => b.append_option(v.map(|v| v as i32)),
            (Builder::I64(b), Cell::U64(v)) => b.append_option(v.map(|v| v as i64)),
            (Builder::I64(b), Cell::Hash(v)) => b.append_option(v.map(|v| v as i64)),
            (Builder::Date(b), Cell::Date(v)) => b.append_option(v.map(|d| d.days_since_epoch())),
            (Builder::Timestamp(b), Cell::Timestamp(v)) => b.append_option(v.map(|t| t.micros_since_epoch())),
            (Builder::F64(b), Cell::F64(v)) => b.append_option(v),
            (Builder::Bool(b), Cell::Bool(v)) => b.append_option(v),
            _ => {}
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::I32(b) => Arc::new(b.finish()),
            Builder::I64(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Timestamp(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
        }
    }
}

/// Whether `cell` is of type `ty` (a null of it too), and a count within
/// the signed range it is written in.
fn holds(ty: Type, cell: Cell<'_>) -> bool {
    matches!(
        (ty, cell),
        (Type::Text, Cell::Text(_)) | (Type::U32, Cell::U32(None)) | (Type::U64, Cell::U64(None)) | (Type::Hash, Cell::Hash(_))
    ) || matches!((ty, cell), (Type::U32, Cell::U32(Some(v))) if i32::try_from(v).is_ok())
        || matches!((ty, cell), (Type::U64, Cell::U64(Some(v))) if i64::try_from(v).is_ok())
        || matches!((ty, cell), |(Type::Date, Cell::Date(_))| (Type::Timestamp, Cell::Timestamp(_))
            | (Type::F64, Cell::F64(_))
            | (Type::Bool, Cell::Bool(_)))
}

/// Write `cell` as one CSV field: text as it is, integers by `itoa`, the
/// rest by `Display` (through `scratch`), nulls as empty fields.
fn csv_field<W: Write>(w: &mut csv::Writer<W>, cell: Cell<'_>, scratch: &mut String) -> csv::Result<()> {
    use std::fmt::Write;
    let mut ints = itoa::Buffer::new();
    scratch.clear();
    // Writing to a String cannot fail.
    let _ = match cell {
        Cell::Text(v) => return w.write_field(v.unwrap_or("")),
        Cell::U32(Some(v)) => return w.write_field(ints.format(v)),
        Cell::U64(Some(v)) => return w.write_field(ints.format(v)),
        Cell::Hash(Some(v)) => return w.write_field(ints.format(v as i64)),
        Cell::Date(Some(v)) => write!(scratch, "{v}"),
        Cell::Timestamp(Some(v)) => write!(scratch, "{v}"),
        Cell::F64(Some(v)) => write!(scratch, "{v}"),
        Cell::Bool(Some(v)) => write!(scratch, "{v}"),
        _ => Ok(()),
    };
    w.write_field(scratch.as_bytes())
}

/// Bytes gathered before each write to a CSV file.
const CSV_BUFFER: usize = 1 << 16;

/// Rows per record batch handed to Parquet.
pub const BATCH_ROWS: usize = 4096;

/// Rows of one table encoded for its files, not yet written: Arrow builders
/// for Parquet, and the CSV bytes of the rows (no header).
pub struct RowBlock {
    spec: TableSpec,
    builders: Option<Vec<Builder>>,
    csv: Option<csv::Writer<Vec<u8>>>,
    rows: u64,
    scratch: String,
}

impl RowBlock {
    /// An empty block of `spec`'s rows for the formats in `formats`.
    pub fn new(spec: TableSpec, formats: Formats) -> RowBlock {
        RowBlock {
            builders: formats.parquet.then(|| spec.columns.iter().map(|c| Builder::new(c.ty)).collect()),
            csv: formats.csv.then(|| csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new())),
            spec,
            rows: 0,
            scratch: String::new(),
        }
    }

    /// Rows held.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Append one row; its cells must match the declared columns.
    pub fn push(&mut self, row: &[Cell<'_>]) -> Result<(), Error> {
        let spec = self.spec;
        if row.len() != spec.columns.len() {
            return Err(Error::Schema(format!("{}: row has {} cells, table has {} columns", spec.name, row.len(), spec.columns.len())));
        }
        for (cell, column) in row.iter().zip(spec.columns) {
            let is_null = matches!(
                cell,
                Cell::Text(None)
                    | Cell::U32(None)
                    | Cell::U64(None)
                    | Cell::Hash(None)
                    | Cell::Date(None)
                    | Cell::Timestamp(None)
                    | Cell::F64(None)
                    | Cell::Bool(None)
            );
            if is_null && !column.nullable {
                return Err(Error::Schema(format!("{}.{}: null in a non-null column", spec.name, column.name)));
            }
            if !holds(column.ty, *cell) {
                return Err(Error::Schema(format!(
                    "{}.{}: cell {cell:?} does not match {:?} (or is past its signed range)",
                    spec.name, column.name, column.ty
                )));
            }
        }
        if let Some(builders) = &mut self.builders {
            for (cell, builder) in row.iter().zip(builders) {
                builder.append(*cell);
            }
        }
        if let Some(w) = &mut self.csv {
            let csv = |e: csv::Error| Error::Schema(format!("{}: csv: {e}", spec.name));
            for cell in row {
                csv_field(w, *cell, &mut self.scratch).map_err(csv)?;
            }
            w.write_record(None::<&[u8]>).map_err(csv)?;
        }
        self.rows += 1;
        Ok(())
    }

    /// The block's Arrow columns (if it builds them) and CSV bytes.
    /// The block cut in two: its CSV rows, and its Arrow columns, each a
    /// block of the same rows for one format.
    pub fn split(self) -> (RowBlock, RowBlock) {
        let RowBlock { spec, builders, csv, rows, scratch } = self;
        (RowBlock { spec, builders: None, csv, rows, scratch }, RowBlock { spec, builders, csv: None, rows, scratch: String::new() })
    }

    fn into_parts(self) -> Result<(Option<Vec<ArrayRef>>, Vec<u8>), Error> {
        let columns = self.builders.map(|mut b| b.iter_mut().map(Builder::finish).collect());
        let csv = match self.csv {
            Some(w) => w.into_inner().map_err(|e| Error::Schema(format!("{}: csv: {}", self.spec.name, e.error())))?,
            None => Vec::new(),
        };
        Ok((columns, csv))
    }
}

/// The writers of one table.
pub struct TableWriter {
    spec: TableSpec,
    formats: Formats,
    /// Rows pushed one by one, appended as a block when a block comes or
    /// the batch is full.
    own: RowBlock,
    rows: u64,
    /// Columns of rows not yet handed to Parquet, in order, and how many rows.
    pending: Vec<RecordBatch>,
    pending_rows: usize,
    /// CPU time spent handing rows to Parquet outside the Parquet file's
    /// own encoding (building and cutting batches), and, of the time spent
    /// inside it, the part of the current block.
    batching: Duration,
    in_file: Duration,
    parquet: Option<(PathBuf, ParquetFile<BufWriter<Hashing<File>>>)>,
    csv: Option<(PathBuf, BufWriter<Hashing<File>>)>,
}

impl TableWriter {
    /// Create the table's files in `dir`.
    pub fn create(dir: &Path, spec: TableSpec, formats: Formats) -> Result<TableWriter, Error> {
        let parquet = if formats.parquet {
            let path = dir.join(format!("{}.parquet", spec.name));
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).map_err(|e| Error::parquet(&path, e))?))
                .set_max_row_group_row_count(Some(spec.row_group_rows))
                .set_max_row_group_bytes(Some(64 << 20))
                .build();
            let writer = ParquetFile::try_new(BufWriter::new(Hashing::new(file)), spec.arrow_schema(), props)
                .map_err(|e| Error::parquet(&path, e))?;
            Some((path, writer))
        } else {
            None
        };
        let csv = if formats.csv {
            let path = dir.join(format!("{}.csv", spec.name));
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
            w.write_record(spec.columns.iter().map(|c| c.name)).map_err(|e| Error::csv(&path, e))?;
            let header = w.into_inner().map_err(|e| Error::csv(&path, e.error()))?;
            let mut out = BufWriter::with_capacity(CSV_BUFFER, Hashing::new(file));
            out.write_all(&header).map_err(|e| Error::io(&path, e))?;
            Some((path, out))
        } else {
            None
        };
        Ok(TableWriter {
            own: RowBlock::new(spec, formats),
            spec,
            formats,
            rows: 0,
            pending: Vec::new(),
            pending_rows: 0,
            batching: Duration::ZERO,
            in_file: Duration::ZERO,
            parquet,
            csv,
        })
    }

    /// The table's declaration.
    pub fn spec(&self) -> &TableSpec {
        &self.spec
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows + self.own.rows
    }

    /// Append one row; its cells must match the declared columns.
    pub fn push(&mut self, row: &[Cell<'_>]) -> Result<(), Error> {
        self.own.push(row)?;
        if self.own.rows as usize >= BATCH_ROWS {
            self.take_own()?;
        }
        Ok(())
    }

    /// Append a block of rows encoded elsewhere, after the rows pushed so far.
    pub fn append(&mut self, block: RowBlock) -> Result<(), Error> {
        if block.spec.name != self.spec.name {
            return Err(Error::Schema(format!("a block of {} appended to {}", block.spec.name, self.spec.name)));
        }
        self.take_own()?;
        self.write_block(block)
    }

    fn take_own(&mut self) -> Result<(), Error> {
        if self.own.rows == 0 {
            return Ok(());
        }
        let own = std::mem::replace(&mut self.own, RowBlock::new(self.spec, self.formats));
        self.write_block(own)
    }

    fn write_block(&mut self, block: RowBlock) -> Result<(), Error> {
        let rows = block.rows;
        if rows == 0 {
            return Ok(());
        }
        self.rows += rows;
        let (columns, csv) = block.into_parts()?;
        if let Some((path, w)) = &mut self.csv {
            w.write_all(&csv).map_err(|e| Error::io(path, e))?;
        }
        if let (Some(columns), Some((path, _))) = (columns, &self.parquet) {
            let start = thread_cpu();
            self.in_file = Duration::ZERO;
            let batch =
                RecordBatch::try_new(self.spec.arrow_schema(), columns).map_err(|e| Error::Schema(format!("{}: {e}", path.display())))?;
            self.pending.push(batch);
            self.pending_rows += rows as usize;
            while self.pending_rows >= BATCH_ROWS {
                self.write_batch(BATCH_ROWS)?;
            }
            self.batching += thread_cpu().saturating_sub(start).saturating_sub(self.in_file);
        }
        Ok(())
    }

    /// For a table writing Parquet, the CPU time its writing would take with
    /// a core for each column: what cannot be shared out, done in order.
    pub fn critical(&self) -> Option<Duration> {
        self.parquet.as_ref().map(|(_, w)| self.batching + w.critical())
    }

    /// Hand the first `n` pending rows to Parquet as one record batch.
    fn write_batch(&mut self, n: usize) -> Result<(), Error> {
        let Some((path, w)) = &mut self.parquet else {
            return Ok(());
        };
        let schema = self.spec.arrow_schema();
        let batch = match self.pending.as_slice() {
            [only] => only.clone(),
            _ => arrow_select::concat::concat_batches(&schema, &self.pending).map_err(|e| Error::parquet(path, e))?,
        };
        let rest = batch.num_rows() - n;
        // Inside, columns are encoded in parallel and this thread may take on
        // other work while it waits: that time is not this table's.
        let start = thread_cpu();
        w.write(&batch.slice(0, n)).map_err(|e| Error::parquet(path, e))?;
        self.in_file += thread_cpu().saturating_sub(start);
        self.pending.clear();
        if rest > 0 {
            self.pending.push(batch.slice(n, rest));
        }
        self.pending_rows = rest;
        Ok(())
    }

    /// Flush and close the files, returning their sizes and digests.
    pub fn finish(mut self) -> Result<Vec<FileDigest>, Error> {
        self.take_own()?;
        if self.pending_rows > 0 {
            self.write_batch(self.pending_rows)?;
        }
        let mut digests = Vec::new();
        if let Some((path, w)) = self.csv.take() {
            let (file, digest) = w.into_inner().map_err(|e| Error::io(&path, e.into_error()))?.finish(&path);
            file.sync_all().map_err(|e| Error::io(&path, e))?;
            digests.push(digest);
        }
        if let Some((path, w)) = self.parquet.take() {
            let inner = w.into_inner().map_err(|e| Error::parquet(&path, e))?;
            let (file, digest) = inner.into_inner().map_err(|e| Error::io(&path, e.into_error()))?.finish(&path);
            file.sync_all().map_err(|e| Error::io(&path, e))?;
            digests.push(digest);
        }
        Ok(digests)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;

    /// Row `i` of the errors table, with text CSV must quote.
    fn row(i: u64) -> [Cell<'static>; 4] {
        let words = ["plain", "with, comma", "with \"quote\"", "two\nlines", ""];
        [
            Cell::Text(Some(words[i as usize % words.len()])),
            Cell::Text((i % 2 == 1).then_some("line=1")),
            Cell::Text(Some(if i % 3 == 0 { "x" } else { "y" })),
            Cell::Text(Some("é")),
        ]
    }

    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .expect("listed")
            .map(|e| {
                let e = e.expect("entry");
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read"))
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn blocks_of_any_size_write_the_same_bytes_as_rows_pushed_one_by_one() {
        // Long distinct texts (about 12 MB), so that the Parquet column writer
        // cuts data pages and gives up its dictionary part-way: where it does
        // so depends on the batches it is handed (checked: handing each block
        // over as its own batch fails this test), and that must not depend on
        // the blocks.
        let n = 3 * BATCH_ROWS as u64 + 17;
        let long: Vec<String> = (0..n).map(|i| format!("{i:06} {}", "long text ".repeat(100))).collect();
        let row = |i: u64| {
            let mut r = row(i);
            r[3] = Cell::Text(Some(long[i as usize].as_str()));
            r
        };
        let one = tempfile::tempdir().expect("tempdir");
        let mut w = TableWriter::create(one.path(), schema::ERRORS, Formats::default()).expect("created");
        (0..n).try_for_each(|i| w.push(&row(i))).expect("pushed");
        let digests = w.finish().expect("finished");
        let want = files(one.path());
        assert_eq!(want.len(), 2);
        assert!(want.iter().zip(&digests).all(|(f, d)| d.bytes == f.1.len() as u64));
        // Blocks of 1, 4095, 4096, 5000 … rows, with pushed rows between them.
        let blocked = tempfile::tempdir().expect("tempdir");
        let mut w = TableWriter::create(blocked.path(), schema::ERRORS, Formats::default()).expect("created");
        let mut i = 0;
        for (k, size) in [1u64, 4095, 3, 4096, 5000, 200].iter().cycle().enumerate() {
            if i >= n {
                break;
            }
            let mut block = RowBlock::new(schema::ERRORS, Formats::default());
            for _ in 0..*size.min(&(n - i)) {
                block.push(&row(i)).expect("pushed");
                i += 1;
            }
            w.append(block).expect("appended");
            if k % 2 == 1 && i < n {
                w.push(&row(i)).expect("pushed");
                i += 1;
            }
        }
        assert_eq!(w.rows(), n);
        w.finish().expect("finished");
        assert!(files(blocked.path()) == want, "the files differ");
    }

    #[test]
    fn a_row_that_does_not_fit_is_refused_whole() {
        let mut block = RowBlock::new(schema::ERRORS, Formats::default());
        let bad = [Cell::Text(Some("a")), Cell::Text(None), Cell::U32(Some(1)), Cell::Text(Some("c"))];
        assert!(matches!(block.push(&bad), Err(Error::Schema(_))));
        assert!(matches!(block.push(&bad[..3]), Err(Error::Schema(_))));
        assert_eq!(block.rows(), 0);
        block.push(&row(0)).expect("pushed");
        let (columns, csv) = block.into_parts().expect("parts");
        assert!(columns.is_some_and(|c| c.iter().all(|a| a.len() == 1)), "no cell of the refused rows was kept");
        assert_eq!(csv, b"plain,,x,\xc3\xa9\r\n");
    }
}
