//! Reading a run's Parquet tables a batch at a time, only the columns asked
//! for, after checking that each table is the one this version writes.

use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use hustings_export::schema::TableSpec;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::Error;

/// Rows per batch read: the report holds one batch of a table at a time.
const BATCH: usize = 8192;

/// A tables folder whose tables have been checked against this version's.
pub(crate) struct Tables {
    dir: PathBuf,
}

impl Tables {
    /// Check that `dir` is a folder holding every table in `specs` as
    /// Parquet, each with this version's columns.
    pub(crate) fn open(dir: &Path, specs: &[TableSpec]) -> Result<Tables, Error> {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(Error::Tables(format!("{}: not a folder", dir.display()))),
            Err(e) => return Err(Error::Tables(format!("{}: {e}", dir.display()))),
        }
        let missing: Vec<String> = specs.iter().map(|s| format!("{}.parquet", s.name)).filter(|f| !dir.join(f).is_file()).collect();
        if !missing.is_empty() {
            return Err(Error::Tables(format!(
                "{}: no {} (the report reads a run's Parquet tables: was it run with --format csv only, or is this not a tables folder?)",
                dir.display(),
                missing.join(", ")
            )));
        }
        for spec in specs {
            let path = dir.join(format!("{}.parquet", spec.name));
            let builder = open(&path)?;
            let have: Vec<&str> = builder.schema().fields().iter().map(|f| f.name().as_str()).collect();
            let want: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
            if have != want {
                let lacks: Vec<&str> = want.iter().filter(|c| !have.contains(c)).copied().collect();
                let extra: Vec<&str> = have.iter().filter(|c| !want.contains(c)).copied().collect();
                return Err(Error::Tables(format!(
                    "{}: its columns are not this version's (hustings {}){}{}: made by another version? Run it again with this one",
                    path.display(),
                    env!("CARGO_PKG_VERSION"),
                    if lacks.is_empty() { String::new() } else { format!("; lacks {}", lacks.join(", ")) },
                    if extra.is_empty() { String::new() } else { format!("; has {} too", extra.join(", ")) },
                )));
            }
        }
        Ok(Tables { dir: dir.to_owned() })
    }

    /// The folder.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Call `f` with every batch of `table`, holding `columns` in that order.
    pub(crate) fn scan(&self, table: &str, columns: &[&str], mut f: impl FnMut(&Batch<'_>)) -> Result<(), Error> {
        let path = self.dir.join(format!("{table}.parquet"));
        let builder = open(&path)?;
        let names: Vec<String> = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
        let roots: Vec<usize> = names.iter().enumerate().filter(|(_, n)| columns.contains(&n.as_str())).map(|(i, _)| i).collect();
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        let reader = builder.with_projection(mask).with_batch_size(BATCH).build().map_err(|e| Error::read(&path, e))?;
        for batch in reader {
            let batch = batch.map_err(|e| Error::read(&path, e))?;
            let mut cols = Vec::with_capacity(columns.len());
            for name in columns {
                let col = batch.column_by_name(name).ok_or_else(|| Error::Tables(format!("{}: no column {name}", path.display())))?;
                cols.push(Col(col.as_ref()));
            }
            f(&Batch { rows: batch.num_rows(), cols, _batch: &batch });
        }
        Ok(())
    }
}

fn open(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<std::fs::File>, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::Tables(format!("{}: {e}", path.display())))?;
    ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| Error::Tables(format!("{}: not a readable Parquet file: {e}", path.display())))
}

/// One batch of rows, its columns in the order asked for.
pub(crate) struct Batch<'a> {
    pub rows: usize,
    pub cols: Vec<Col<'a>>,
    _batch: &'a RecordBatch,
}

/// One column of a batch, read as the report needs it whatever width or
/// string layout the writer (hustings, DuckDB, Spark) chose.
#[derive(Clone, Copy)]
pub(crate) struct Col<'a>(&'a dyn Array);

impl<'a> Col<'a> {
    pub(crate) fn str(&self, i: usize) -> Option<&'a str> {
        let a = self.0;
        if a.is_null(i) {
            return None;
        }
        match a.data_type() {
            DataType::Utf8 => Some(a.as_string::<i32>().value(i)),
            DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i)),
            DataType::Utf8View => Some(a.as_string_view().value(i)),
            _ => None,
        }
    }

    pub(crate) fn u64(&self, i: usize) -> Option<u64> {
        let a = self.0;
        if a.is_null(i) {
            return None;
        }
        match a.data_type() {
            DataType::UInt32 => Some(u64::from(a.as_primitive::<UInt32Type>().value(i))),
            DataType::UInt64 => Some(a.as_primitive::<UInt64Type>().value(i)),
            DataType::Int32 => u64::try_from(a.as_primitive::<Int32Type>().value(i)).ok(),
            DataType::Int64 => u64::try_from(a.as_primitive::<Int64Type>().value(i)).ok(),
            _ => None,
        }
    }

    pub(crate) fn f64(&self, i: usize) -> Option<f64> {
        let a = self.0;
        if a.is_null(i) {
            return None;
        }
        match a.data_type() {
            DataType::Float64 => Some(a.as_primitive::<Float64Type>().value(i)),
            _ => self.u64(i).map(|v| v as f64),
        }
    }

    /// Days since 1970-01-01.
    pub(crate) fn days(&self, i: usize) -> Option<i64> {
        let a = self.0;
        if a.is_null(i) {
            return None;
        }
        match a.data_type() {
            DataType::Date32 => Some(i64::from(a.as_primitive::<Date32Type>().value(i))),
            _ => self.micros(i).map(|m| m.div_euclid(86_400_000_000)),
        }
    }

    /// Microseconds since 1970-01-01 00:00.
    pub(crate) fn micros(&self, i: usize) -> Option<i64> {
        let a = self.0;
        if a.is_null(i) {
            return None;
        }
        match a.data_type() {
            DataType::Timestamp(TimeUnit::Second, _) => Some(a.as_primitive::<TimestampSecondType>().value(i) * 1_000_000),
            DataType::Timestamp(TimeUnit::Millisecond, _) => Some(a.as_primitive::<TimestampMillisecondType>().value(i) * 1_000),
            DataType::Timestamp(TimeUnit::Microsecond, _) => Some(a.as_primitive::<TimestampMicrosecondType>().value(i)),
            DataType::Timestamp(TimeUnit::Nanosecond, _) => Some(a.as_primitive::<TimestampNanosecondType>().value(i) / 1_000),
            _ => None,
        }
    }
}
