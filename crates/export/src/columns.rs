//! A Parquet file whose columns are encoded side by side. It cuts row groups
//! exactly as `parquet`'s `ArrowWriter` does (the same row and byte limits,
//! the same estimate of a row's size) and hands each column the same slices,
//! so the file is the same bytes; but each record batch's columns, and each
//! row group's closing, are encoded in parallel when called on a worker of a
//! rayon pool (serially anywhere else, so that no global pool is started).

use std::io::Write;
use std::time::Duration;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnChunk, ArrowColumnWriter, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::errors::Result;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use rayon::prelude::*;

use crate::lane::thread_cpu;

/// The open row group: a writer per leaf column, and its rows so far.
struct RowGroup {
    columns: Vec<ArrowColumnWriter>,
    rows: usize,
}

impl RowGroup {
    fn estimated_bytes(&self) -> usize {
        self.columns.iter().map(ArrowColumnWriter::get_estimated_total_bytes).sum()
    }
}

/// A Parquet file written a record batch at a time.
pub(crate) struct ParquetFile<W: Write + Send> {
    file: SerializedFileWriter<W>,
    factory: ArrowRowGroupWriterFactory,
    schema: SchemaRef,
    open: Option<RowGroup>,
    max_rows: Option<usize>,
    max_bytes: Option<usize>,
    /// The file's critical path so far: for each batch and each row group's
    /// closing, the slowest column's CPU time, plus the work between them
    /// that no column can share. What the file costs with a core per column.
    critical: Duration,
}

impl<W: Write + Send> ParquetFile<W> {
    /// Start the file as `ArrowWriter::try_new` would (its schema, key-value
    /// metadata and properties).
    pub(crate) fn try_new(out: W, schema: SchemaRef, props: WriterProperties) -> Result<ParquetFile<W>> {
        let (max_rows, max_bytes) = (props.max_row_group_row_count(), props.max_row_group_bytes());
        let (file, factory) = ArrowWriter::try_new(out, SchemaRef::clone(&schema), Some(props))?.into_serialized_writer()?;
        Ok(ParquetFile { file, factory, schema, open: None, max_rows, max_bytes, critical: Duration::ZERO })
    }

    /// Append a batch, closing row groups where `ArrowWriter::write` would.
    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        let mut remaining = batch.clone();
        loop {
            let mut open = match self.open.take() {
                Some(open) => open,
                None => RowGroup { columns: self.factory.create_column_writers(self.file.flushed_row_groups().len())?, rows: 0 },
            };
            let buffered = open.rows;
            let mut split_at = match self.max_rows {
                Some(max) if buffered + remaining.num_rows() > max => Some(max - buffered),
                _ => None,
            };
            let candidate = split_at.unwrap_or_else(|| remaining.num_rows());
            if let Some(max_bytes) = self.max_bytes
                && buffered > 0
            {
                let current = open.estimated_bytes();
                if current >= max_bytes {
                    self.close(open)?;
                    continue;
                }
                let per_row = current / buffered;
                if let Some(fit) = (max_bytes - current).checked_div(per_row)
                    && candidate > fit
                {
                    if fit > 0 {
                        split_at = Some(fit);
                    } else {
                        self.close(open)?;
                        continue;
                    }
                }
            }
            let rest = split_at.map(|n| {
                let rest = remaining.slice(n, remaining.num_rows() - n);
                remaining = remaining.slice(0, n);
                rest
            });
            self.write_rows(&mut open, &remaining)?;
            if self.max_rows.is_some_and(|max| open.rows >= max) || self.max_bytes.is_some_and(|max| open.estimated_bytes() >= max) {
                self.close(open)?;
            } else {
                self.open = Some(open);
            }
            match rest {
                Some(rest) => remaining = rest,
                None => return Ok(()),
            }
        }
    }

    /// The critical path so far (see the field).
    pub(crate) fn critical(&self) -> Duration {
        self.critical
    }

    fn write_rows(&mut self, open: &mut RowGroup, batch: &RecordBatch) -> Result<()> {
        let start = thread_cpu();
        open.rows += batch.num_rows();
        let mut leaves = Vec::with_capacity(open.columns.len());
        for (field, column) in self.schema.fields().iter().zip(batch.columns()) {
            leaves.extend(compute_leaves(field, column)?);
        }
        self.critical += thread_cpu().saturating_sub(start);
        let write = |(w, leaf): (&mut ArrowColumnWriter, &_)| {
            let start = thread_cpu();
            w.write(leaf).map(|()| thread_cpu().saturating_sub(start))
        };
        let slowest = if rayon::current_thread_index().is_some() {
            open.columns.par_iter_mut().zip(leaves.par_iter()).map(write).try_reduce(|| Duration::ZERO, |a, b| Ok(a.max(b)))?
        } else {
            open.columns.iter_mut().zip(&leaves).map(write).try_fold(Duration::ZERO, |a, b| b.map(|b| a.max(b)))?
        };
        self.critical += slowest;
        Ok(())
    }

    /// Close a row group and write it.
    fn close(&mut self, open: RowGroup) -> Result<()> {
        let close = |w: ArrowColumnWriter| {
            let start = thread_cpu();
            w.close().map(|c| (c, thread_cpu().saturating_sub(start)))
        };
        let closed: Vec<(ArrowColumnChunk, Duration)> = if rayon::current_thread_index().is_some() {
            open.columns.into_par_iter().map(close).collect::<Result<_>>()?
        } else {
            open.columns.into_iter().map(close).collect::<Result<_>>()?
        };
        let start = thread_cpu();
        let mut slowest = Duration::ZERO;
        let mut group = self.file.next_row_group()?;
        for (chunk, cpu) in closed {
            slowest = slowest.max(cpu);
            chunk.append_to_row_group(&mut group)?;
        }
        group.close()?;
        self.critical += slowest + thread_cpu().saturating_sub(start);
        Ok(())
    }

    /// Write what is open and the footer, and give back the output.
    pub(crate) fn into_inner(mut self) -> Result<W> {
        if let Some(open) = self.open.take() {
            self.close(open)?;
        }
        self.file.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, StringArray, UInt64Array};
    use arrow_schema::{DataType, Field, Schema};

    use super::*;

    fn batches() -> (SchemaRef, Vec<RecordBatch>) {
        let schema = Arc::new(Schema::new(vec![Field::new("text", DataType::Utf8, true), Field::new("n", DataType::UInt64, false)]));
        let mut out = Vec::new();
        let mut i = 0u64;
        for size in [1usize, 700, 3, 2500, 90, 4096, 1200, 5] {
            let text: StringArray =
                (i..i + size as u64).map(|k| (k % 7 != 0).then(|| format!("{k} {}", "word ".repeat((k % 40) as usize)))).collect();
            let n: UInt64Array = (i..i + size as u64).collect();
            let columns: Vec<ArrayRef> = vec![Arc::new(text), Arc::new(n)];
            out.push(RecordBatch::try_new(SchemaRef::clone(&schema), columns).expect("batch"));
            i += size as u64;
        }
        (schema, out)
    }

    fn props() -> WriterProperties {
        // Small limits, so that both cut row groups, the byte limit part-way
        // through batches.
        WriterProperties::builder().set_max_row_group_row_count(Some(1500)).set_max_row_group_bytes(Some(40_000)).build()
    }

    #[test]
    fn the_file_is_the_bytes_arrow_writer_writes_on_a_pool_or_off_it() {
        let (schema, batches) = batches();
        let mut want = Vec::new();
        let mut w = ArrowWriter::try_new(&mut want, SchemaRef::clone(&schema), Some(props())).expect("writer");
        batches.iter().try_for_each(|b| w.write(b)).expect("written");
        let groups = w.close().expect("closed").num_row_groups();
        assert!(groups > 7, "both limits cut groups: {groups}");
        let ours = || {
            let mut f = ParquetFile::try_new(Vec::new(), SchemaRef::clone(&schema), props()).expect("file");
            batches.iter().try_for_each(|b| f.write(b)).expect("written");
            assert!(f.critical() > Duration::ZERO || cfg!(not(unix)));
            f.into_inner().expect("closed")
        };
        assert!(ours() == want, "off a pool");
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().expect("pool");
        assert!(pool.install(ours) == want, "on a pool");
    }
}
