//! The reference floor: `bare-count --input DIR --output DIR [--threads N]`.
//!
//! Reads every `*.txt` under DIR, splits it into UAX #29 words
//! (unicode-segmentation's `unicode_words`), lower-cases them, counts them
//! per document and over the corpus in parallel (rayon), and writes
//! `doc_counts.parquet` (path, term, count) and `corpus_counts.parquet`
//! (term, count), zstd-compressed. No parsing, cleaning or statistics:
//! the least any tool doing this job must do.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bare-count: {e}");
            ExitCode::from(1)
        }
    }
}

type Counts = HashMap<String, u64>;

fn count(text: &str) -> Counts {
    let mut c = Counts::new();
    for w in text.unicode_words() {
        *c.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    c
}

fn writer(path: &Path, schema: Arc<Schema>) -> Result<ArrowWriter<File>, String> {
    let file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let zstd = ZstdLevel::try_new(3).map_err(|e| e.to_string())?;
    let props = WriterProperties::builder().set_compression(Compression::ZSTD(zstd)).build();
    ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| e.to_string())
}

fn run() -> Result<(), String> {
    let (mut input, mut output, mut threads) = (None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--input" => input = Some(PathBuf::from(value()?)),
            "--output" => output = Some(PathBuf::from(value()?)),
            "--threads" => threads = Some(value()?.parse::<usize>().map_err(|e| e.to_string())?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let (input, output) = (input.ok_or("missing --input")?, output.ok_or("missing --output")?);
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| e.to_string())?;
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&input)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    std::fs::create_dir_all(&output).map_err(|e| e.to_string())?;
    let doc_schema = Arc::new(Schema::new(vec![
        Field::new("path", DataType::Utf8, false),
        Field::new("term", DataType::Utf8, false),
        Field::new("count", DataType::UInt64, false),
    ]));
    let mut docs = writer(&output.join("doc_counts.parquet"), doc_schema.clone())?;
    let mut corpus = Counts::new();
    // Bounded batches, as any streaming tool would.
    for chunk in files.chunks(256) {
        let counted: Vec<(String, Counts)> = chunk
            .par_iter()
            .map(|p| {
                let bytes = std::fs::read(p).unwrap_or_default();
                (p.strip_prefix(&input).unwrap_or(p).to_string_lossy().into_owned(), count(&String::from_utf8_lossy(&bytes)))
            })
            .collect();
        let (mut paths, mut terms, mut ns) = (Vec::new(), Vec::new(), Vec::new());
        for (path, counts) in counted {
            for (t, n) in counts {
                *corpus.entry(t.clone()).or_insert(0) += n;
                paths.push(path.clone());
                terms.push(t);
                ns.push(n);
            }
        }
        let cols: Vec<ArrayRef> =
            vec![Arc::new(StringArray::from(paths)), Arc::new(StringArray::from(terms)), Arc::new(UInt64Array::from(ns))];
        let batch = RecordBatch::try_new(doc_schema.clone(), cols).map_err(|e| e.to_string())?;
        docs.write(&batch).map_err(|e| e.to_string())?;
    }
    docs.close().map_err(|e| e.to_string())?;
    let schema = Arc::new(Schema::new(vec![Field::new("term", DataType::Utf8, false), Field::new("count", DataType::UInt64, false)]));
    let mut rows: Vec<(String, u64)> = corpus.into_iter().collect();
    rows.sort_unstable();
    let (terms, ns): (Vec<String>, Vec<u64>) = rows.into_iter().unzip();
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(terms)), Arc::new(UInt64Array::from(ns))])
        .map_err(|e| e.to_string())?;
    let mut w = writer(&output.join("corpus_counts.parquet"), schema)?;
    w.write(&batch).map_err(|e| e.to_string())?;
    w.close().map_err(|e| e.to_string())?;
    eprintln!("bare-count: {} files", files.len());
    Ok(())
}
