//! One table's writers: rows are buffered in Arrow builders and flushed as
//! record batches to Parquet (zstd) and, row by row, to CSV (RFC 4180).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, StringBuilder, TimestampMicrosecondBuilder, UInt32Builder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use hustings_core::{Date, DateTime};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use sha2::{Digest, Sha256};

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
    /// u32 or null.
    U32(Option<u32>),
    /// u64 or null.
    U64(Option<u64>),
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
    U32(UInt32Builder),
    U64(UInt64Builder),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder),
    F64(Float64Builder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn new(ty: Type) -> Builder {
        match ty {
            Type::Text => Builder::Text(StringBuilder::new()),
            Type::U32 => Builder::U32(UInt32Builder::new()),
            Type::U64 => Builder::U64(UInt64Builder::new()),
            Type::Date => Builder::Date(Date32Builder::new()),
            Type::Timestamp => Builder::Timestamp(TimestampMicrosecondBuilder::new()),
            Type::F64 => Builder::F64(Float64Builder::new()),
            Type::Bool => Builder::Bool(BooleanBuilder::new()),
        }
    }

    fn append(&mut self, cell: Cell<'_>) -> bool {
        match (self, cell) {
            (Builder::Text(b), Cell::Text(v)) => b.append_option(v),
            (Builder::U32(b), Cell::U32(v)) => b.append_option(v),
            (Builder::U64(b), Cell::U64(v)) => b.append_option(v),
            (Builder::Date(b), Cell::Date(v)) => b.append_option(v.map(|d| d.days_since_epoch())),
            (Builder::Timestamp(b), Cell::Timestamp(v)) => b.append_option(v.map(|t| t.micros_since_epoch())),
            (Builder::F64(b), Cell::F64(v)) => b.append_option(v),
            (Builder::Bool(b), Cell::Bool(v)) => b.append_option(v),
            _ => return false,
        }
        true
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::U32(b) => Arc::new(b.finish()),
            Builder::U64(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Timestamp(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
        }
    }
}

/// Write `cell` as one CSV field: text as it is, integers by `itoa`, the
/// rest by `Display` (through `scratch`), nulls as empty fields.
fn csv_field(w: &mut csv::Writer<Hashing<File>>, cell: Cell<'_>, scratch: &mut String) -> csv::Result<()> {
    use std::fmt::Write;
    let mut ints = itoa::Buffer::new();
    scratch.clear();
    // Writing to a String cannot fail.
    let _ = match cell {
        Cell::Text(v) => return w.write_field(v.unwrap_or("")),
        Cell::U32(Some(v)) => return w.write_field(ints.format(v)),
        Cell::U64(Some(v)) => return w.write_field(ints.format(v)),
        Cell::Date(Some(v)) => write!(scratch, "{v}"),
        Cell::Timestamp(Some(v)) => write!(scratch, "{v}"),
        Cell::F64(Some(v)) => write!(scratch, "{v}"),
        Cell::Bool(Some(v)) => write!(scratch, "{v}"),
        _ => Ok(()),
    };
    w.write_field(scratch.as_bytes())
}

/// Bytes the CSV writer gathers before each write to its file.
const CSV_BUFFER: usize = 1 << 16;

/// Rows per record batch handed to Parquet.
const BATCH_ROWS: usize = 4096;

/// The writers of one table.
pub struct TableWriter {
    spec: TableSpec,
    builders: Vec<Builder>,
    pending: usize,
    rows: u64,
    parquet: Option<(PathBuf, ArrowWriter<BufWriter<Hashing<File>>>)>,
    csv: Option<(PathBuf, csv::Writer<Hashing<File>>)>,
    scratch: String,
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
            let writer = ArrowWriter::try_new(BufWriter::new(Hashing::new(file)), spec.arrow_schema(), Some(props))
                .map_err(|e| Error::parquet(&path, e))?;
            Some((path, writer))
        } else {
            None
        };
        let csv = if formats.csv {
            let path = dir.join(format!("{}.csv", spec.name));
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            let mut w =
                csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).buffer_capacity(CSV_BUFFER).from_writer(Hashing::new(file));
            w.write_record(spec.columns.iter().map(|c| c.name)).map_err(|e| Error::csv(&path, e))?;
            Some((path, w))
        } else {
            None
        };
        Ok(TableWriter {
            builders: spec.columns.iter().map(|c| Builder::new(c.ty)).collect(),
            spec,
            pending: 0,
            rows: 0,
            parquet,
            csv,
            scratch: String::new(),
        })
    }

    /// The table's declaration.
    pub fn spec(&self) -> &TableSpec {
        &self.spec
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Append one row; its cells must match the declared columns.
    pub fn push(&mut self, row: &[Cell<'_>]) -> Result<(), Error> {
        if row.len() != self.spec.columns.len() {
            return Err(Error::Schema(format!(
                "{}: row has {} cells, table has {} columns",
                self.spec.name,
                row.len(),
                self.spec.columns.len()
            )));
        }
        for ((cell, column), builder) in row.iter().zip(self.spec.columns).zip(&mut self.builders) {
            let is_null = matches!(
                cell,
                Cell::Text(None)
                    | Cell::U32(None)
                    | Cell::U64(None)
                    | Cell::Date(None)
                    | Cell::Timestamp(None)
                    | Cell::F64(None)
                    | Cell::Bool(None)
            );
            if is_null && !column.nullable {
                return Err(Error::Schema(format!("{}.{}: null in a non-null column", self.spec.name, column.name)));
            }
            if !builder.append(*cell) {
                return Err(Error::Schema(format!("{}.{}: cell {cell:?} does not match {:?}", self.spec.name, column.name, column.ty)));
            }
        }
        if let Some((path, w)) = &mut self.csv {
            for cell in row {
                csv_field(w, *cell, &mut self.scratch).map_err(|e| Error::csv(path, e))?;
            }
            w.write_record(None::<&[u8]>).map_err(|e| Error::csv(path, e))?;
        }
        self.pending += 1;
        self.rows += 1;
        if self.pending >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Error> {
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        if self.pending == 0 {
            return Ok(());
        }
        self.pending = 0;
        if let Some((path, w)) = &mut self.parquet {
            let batch =
                RecordBatch::try_new(self.spec.arrow_schema(), columns).map_err(|e| Error::Schema(format!("{}: {e}", path.display())))?;
            w.write(&batch).map_err(|e| Error::parquet(path, e))?;
        }
        Ok(())
    }

    /// Flush and close the files, returning their sizes and digests.
    pub fn finish(mut self) -> Result<Vec<FileDigest>, Error> {
        self.flush()?;
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
