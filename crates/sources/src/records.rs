//! Record files: JSON lines, CSV and Parquet, one page per record, its
//! text from one field and its URL, title and dates from others.

use std::cell::Cell;
use std::io::{BufRead, Read};
use std::path::Path;
use std::rc::Rc;

use crate::limit::{Line, mib, read_line};
use crate::{Item, Meta, Options, Page, failed, locate};

/// The text field when `--text-field` is not given: the first of these a record has.
pub const TEXT_FIELDS: &[&str] = &["text", "content", "body", "html_text"];
/// The URL field when `--url-field` is not given.
pub const URL_FIELDS: &[&str] = &["url", "link", "uri", "source_url"];
/// The title field when `--title-field` is not given.
pub const TITLE_FIELDS: &[&str] = &["title", "headline"];
/// The publication date field when `--date-field` is not given.
pub const DATE_FIELDS: &[&str] = &["date", "published", "published_date", "date_published", "publish_date", "pubdate"];
/// The fetch time field (Dolma's `created` is Common Crawl's fetch time).
pub const FETCHED_FIELDS: &[&str] = &["fetched_at", "fetch_time", "crawl_date", "crawled_at", "created"];

/// Which record fields hold what: `None` takes the first of the usual names
/// that a record has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// The page's text (`--text-field`).
    pub text: Option<String>,
    /// Its URL (`--url-field`).
    pub url: Option<String>,
    /// Its title (`--title-field`).
    pub title: Option<String>,
    /// Its publication date (`--date-field`).
    pub date: Option<String>,
}

/// The field of a record to use: the one asked for, or the first usual name present.
fn pick<'a>(asked: Option<&'a str>, usual: &[&'a str], has: impl Fn(&str) -> bool) -> Option<&'a str> {
    match asked {
        Some(name) => has(name).then_some(name),
        None => usual.iter().copied().find(|n| has(n)),
    }
}

/// The fields of a record, by name, as the formats hold them.
trait Record {
    fn names(&self) -> Vec<String>;
    fn has(&self, name: &str) -> bool;
    /// The field's value as text; `Err` when it is there but not text.
    fn text(&self, name: &str) -> Result<Option<String>, String>;
}

/// "no field "body" (--text-field); the record has: id, url, raw".
fn no_text(asked: Option<&str>, names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(20).map(String::as_str).collect();
    let more = if names.len() > 20 { ", …" } else { "" };
    let found = if shown.is_empty() { "no fields".to_owned() } else { format!("fields {}{more}", shown.join(", ")) };
    match asked {
        Some(name) => format!("no text field {name:?} (--text-field); the record has {found}"),
        None => format!("no text field (looked for {}; name it with --text-field); the record has {found}", TEXT_FIELDS.join(", ")),
    }
}

/// The page a record holds, or why it holds none.
fn page_of(record: &dyn Record, fields: &Fields, max_page: u64) -> Result<(Vec<u8>, Meta), String> {
    let text_name =
        pick(fields.text.as_deref(), TEXT_FIELDS, |n| record.has(n)).ok_or_else(|| no_text(fields.text.as_deref(), &record.names()))?;
    let text = record.text(text_name)?.ok_or_else(|| format!("text field {text_name:?} is null"))?;
    if text.len() as u64 > max_page {
        return Err(format!("text field is {}, over the per-page limit of {} (--max-file-mb)", mib(text.len() as u64), mib(max_page)));
    }
    let value = |asked: Option<&str>, usual: &[&str]| -> Result<Option<String>, String> {
        match pick(asked, usual, |n| record.has(n)) {
            Some(name) => Ok(record.text(name)?.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())),
            None => Ok(None),
        }
    };
    let meta = Meta {
        url: value(fields.url.as_deref(), URL_FIELDS)?,
        title: value(fields.title.as_deref(), TITLE_FIELDS)?,
        date: value(fields.date.as_deref(), DATE_FIELDS)?,
        fetched: value(None, FETCHED_FIELDS)?,
    };
    Ok((text.into_bytes(), meta))
}

fn emit(sink: &mut dyn FnMut(Item), record: String, page: Result<(Vec<u8>, Meta), String>) {
    sink(match page {
        Ok((bytes, meta)) => Item::Page(Page { record: Some(record), bytes, meta }),
        Err(message) => failed(Some(record), message),
    });
}

impl Record for serde_json::Map<String, serde_json::Value> {
    fn names(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }
    fn has(&self, name: &str) -> bool {
        self.contains_key(name)
    }
    fn text(&self, name: &str) -> Result<Option<String>, String> {
        match self.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("field {name:?} is not a string but {}", json_kind(other))),
        }
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// One page per line holding a JSON object; blank lines are passed over.
pub(crate) fn read_jsonl(mut r: impl BufRead, member: Option<&str>, options: &Options, sink: &mut dyn FnMut(Item)) {
    let limits = &options.limits;
    // A line holds its text escaped: allow for the escapes and the other fields.
    let max_line = limits.max_page.saturating_mul(2).saturating_add(1 << 20);
    let mut buf = Vec::new();
    for n in 1u64.. {
        let here = locate(member, &format!("line={n}"));
        match read_line(&mut r, &mut buf, max_line) {
            Ok(Line::End) => return,
            Ok(Line::TooLong(len)) => sink(failed(Some(here), format!("line is {}, over the per-page limit (--max-file-mb)", mib(len)))),
            Ok(Line::Read) => {
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let page = match serde_json::from_slice::<serde_json::Value>(&buf) {
                    Ok(serde_json::Value::Object(map)) => page_of(&map, &options.fields, limits.max_page),
                    Ok(other) => Err(format!("not a JSON object but {}", json_kind(&other))),
                    Err(e) => Err(format!("not valid JSON: {e}")),
                };
                emit(sink, here, page);
            }
            Err(e) => {
                return sink(failed(Some(here), format!("cannot read further: {e}; the lines before were read")));
            }
        }
    }
}

/// Counts what is read through it and fails once one record has taken more
/// than `max` bytes, so a CSV field without an end cannot fill the memory.
struct Metered<R> {
    inner: R,
    since_mark: Rc<Cell<u64>>,
    max: u64,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.since_mark.set(self.since_mark.get() + n as u64);
        if self.since_mark.get() > self.max {
            return Err(std::io::Error::other(format!("a row passes {} (--max-file-mb)", mib(self.max))));
        }
        Ok(n)
    }
}

struct CsvRow<'a> {
    header: &'a [String],
    row: &'a csv::ByteRecord,
}

impl Record for CsvRow<'_> {
    fn names(&self) -> Vec<String> {
        self.header.to_vec()
    }
    fn has(&self, name: &str) -> bool {
        self.header.iter().any(|h| h == name)
    }
    fn text(&self, name: &str) -> Result<Option<String>, String> {
        let Some(i) = self.header.iter().position(|h| h == name) else { return Ok(None) };
        // A short row lacks its last fields: they are empty.
        Ok(self.row.get(i).map(|b| String::from_utf8_lossy(b).into_owned()))
    }
}

/// One page per row under a header row; the field names are the header's.
pub(crate) fn read_csv(r: impl BufRead, member: Option<&str>, options: &Options, sink: &mut dyn FnMut(Item)) {
    let since_mark = Rc::new(Cell::new(0));
    let max = options.limits.max_page.saturating_mul(2).saturating_add(1 << 20);
    let metered = Metered { inner: r, since_mark: Rc::clone(&since_mark), max };
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(metered);
    let header: Vec<String> = match rdr.byte_headers() {
        Ok(h) => h.iter().map(|b| String::from_utf8_lossy(b).trim().to_owned()).collect(),
        Err(e) => return sink(failed(member.map(str::to_owned), format!("cannot read the CSV header: {e}"))),
    };
    let probe = CsvRow { header: &header, row: &csv::ByteRecord::new() };
    if pick(options.fields.text.as_deref(), TEXT_FIELDS, |n| probe.has(n)).is_none() {
        return sink(failed(
            member.map(str::to_owned),
            no_text(options.fields.text.as_deref(), &header).replace("the record has", "the header has"),
        ));
    }
    let mut row = csv::ByteRecord::new();
    for n in 1u64.. {
        let here = locate(member, &format!("row={n}"));
        since_mark.set(0);
        match rdr.read_byte_record(&mut row) {
            Ok(false) => return,
            Ok(true) => emit(sink, here, page_of(&CsvRow { header: &header, row: &row }, &options.fields, options.limits.max_page)),
            Err(e) => {
                // A malformed row can leave the reader anywhere: stop here.
                return sink(failed(Some(here), format!("cannot read the row: {e}; the rows before were read")));
            }
        }
    }
}

/// A Parquet row's fields: the batch's columns at one index.
struct ParquetRow<'a> {
    batch: &'a arrow_array::RecordBatch,
    i: usize,
}

impl Record for ParquetRow<'_> {
    fn names(&self) -> Vec<String> {
        self.batch.schema().fields().iter().map(|f| f.name().clone()).collect()
    }
    fn has(&self, name: &str) -> bool {
        self.batch.schema().index_of(name).is_ok()
    }
    fn text(&self, name: &str) -> Result<Option<String>, String> {
        let Some(col) = self.batch.column_by_name(name) else { return Ok(None) };
        cell_text(col.as_ref(), self.i).map_err(|ty| format!("column {name:?} is {ty}, not text or a date"))
    }
}

/// A cell as text: strings as they are, binary as UTF-8 (lossy), dates and
/// timestamps in ISO 8601.
fn cell_text(col: &dyn arrow_array::Array, i: usize) -> Result<Option<String>, String> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{
        Date32Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
    };
    use arrow_schema::{DataType, TimeUnit};
    if col.is_null(i) {
        return Ok(None);
    }
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Ok(Some(match col.data_type() {
        DataType::Utf8 => col.as_string::<i32>().value(i).to_owned(),
        DataType::LargeUtf8 => col.as_string::<i64>().value(i).to_owned(),
        DataType::Utf8View => col.as_string_view().value(i).to_owned(),
        DataType::Binary => lossy(col.as_binary::<i32>().value(i)),
        DataType::LargeBinary => lossy(col.as_binary::<i64>().value(i)),
        DataType::BinaryView => lossy(col.as_binary_view().value(i)),
        DataType::Date32 => iso_date(i64::from(col.as_primitive::<Date32Type>().value(i))),
        DataType::Timestamp(unit, _) => {
            let (v, per_second) = match unit {
                TimeUnit::Second => (col.as_primitive::<TimestampSecondType>().value(i), 1),
                TimeUnit::Millisecond => (col.as_primitive::<TimestampMillisecondType>().value(i), 1_000),
                TimeUnit::Microsecond => (col.as_primitive::<TimestampMicrosecondType>().value(i), 1_000_000),
                TimeUnit::Nanosecond => (col.as_primitive::<TimestampNanosecondType>().value(i), 1_000_000_000),
            };
            let secs = v.div_euclid(per_second);
            let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
            format!("{}T{:02}:{:02}:{:02}", iso_date(days), rest / 3600, rest / 60 % 60, rest % 60)
        }
        other => return Err(other.to_string()),
    }))
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (proleptic Gregorian).
fn iso_date(days: i64) -> String {
    // Arrow dates are 32-bit day counts; a timestamp past them is shown as its day count.
    i32::try_from(days).map_or_else(|_| days.to_string(), |d| hustings_core::Date::from_days_since_epoch(d).to_string())
}

/// One page per row, read a batch of rows at a time, only the columns used.
pub(crate) fn read_parquet(path: &Path, options: &Options, sink: &mut dyn FnMut(Item)) {
    use parquet::arrow::ProjectionMask;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(failed(None, format!("cannot read: {e}"))),
    };
    let builder = match ParquetRecordBatchReaderBuilder::try_new(file) {
        Ok(b) => b,
        Err(e) => return sink(failed(None, format!("not a readable Parquet file: {e}"))),
    };
    let names: Vec<String> = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
    let has = |n: &str| names.iter().any(|f| f == n);
    let fields = &options.fields;
    if pick(fields.text.as_deref(), TEXT_FIELDS, has).is_none() {
        return sink(failed(None, no_text(fields.text.as_deref(), &names).replace("the record has", "the file has")));
    }
    let wanted = [
        pick(fields.text.as_deref(), TEXT_FIELDS, has),
        pick(fields.url.as_deref(), URL_FIELDS, has),
        pick(fields.title.as_deref(), TITLE_FIELDS, has),
        pick(fields.date.as_deref(), DATE_FIELDS, has),
        pick(None, FETCHED_FIELDS, has),
    ];
    let roots: Vec<usize> = names.iter().enumerate().filter(|(_, n)| wanted.contains(&Some(n.as_str()))).map(|(i, _)| i).collect();
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let reader = match builder.with_projection(mask).with_batch_size(256).build() {
        Ok(r) => r,
        Err(e) => return sink(failed(None, format!("not a readable Parquet file: {e}"))),
    };
    let mut n = 0u64;
    for batch in reader {
        let batch = match batch {
            Ok(b) => b,
            Err(e) => return sink(failed(Some(format!("row={}", n + 1)), format!("cannot read further: {e}; the rows before were read"))),
        };
        for i in 0..batch.num_rows() {
            n += 1;
            emit(sink, format!("row={n}"), page_of(&ParquetRow { batch: &batch, i }, fields, options.limits.max_page));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(read: impl FnOnce(&mut dyn FnMut(Item))) -> Vec<Item> {
        let mut out = Vec::new();
        read(&mut |i| out.push(i));
        out
    }

    fn page(record: &str, text: &str, meta: Meta) -> Item {
        Item::Page(Page { record: Some(record.into()), bytes: text.as_bytes().to_vec(), meta })
    }

    fn error_at(item: &Item) -> (Option<&str>, &str) {
        match item {
            Item::Failed(f) => (f.record.as_deref(), f.message.as_str()),
            Item::Page(p) => panic!("expected a failure, got page {:?}", p.record),
        }
    }

    #[test]
    fn json_lines_give_pages_metadata_and_line_errors() {
        let text = concat!(
            r#"{"id": 1, "text": "One.", "url": "http://a.example/1", "title": " T1 ", "created": "2023-01-27T21:38:46Z"}"#,
            "\n\n",
            r#"{"content": "Two.", "date": "2011-02-03"}"#,
            "\n",
            "{not json\n",
            r#"{"id": 4, "raw": "x"}"#,
            "\n",
            r#"[1, 2]"#,
            "\n",
            r#"{"text": 5}"#,
        );
        let got = items(|s| read_jsonl(text.as_bytes(), Some("a.jsonl"), &Options::default(), s));
        assert_eq!(got.len(), 6);
        let meta1 = Meta {
            url: Some("http://a.example/1".into()),
            title: Some("T1".into()),
            date: None,
            fetched: Some("2023-01-27T21:38:46Z".into()),
        };
        assert_eq!(got[0], page("a.jsonl#line=1", "One.", meta1));
        assert_eq!(got[1], page("a.jsonl#line=3", "Two.", Meta { date: Some("2011-02-03".into()), ..Meta::default() }));
        let (at, why) = error_at(&got[2]);
        assert_eq!(at, Some("a.jsonl#line=4"));
        assert!(why.starts_with("not valid JSON"), "{why}");
        let (at, why) = error_at(&got[3]);
        assert_eq!(at, Some("a.jsonl#line=5"));
        assert!(why.contains("looked for text, content, body, html_text") && why.contains("fields id, raw"), "{why}");
        assert!(error_at(&got[4]).1.contains("not a JSON object but an array"));
        assert!(error_at(&got[5]).1.contains("not a string but a number"));
    }

    #[test]
    fn a_named_text_field_is_the_only_one_taken() {
        let options = Options { fields: Fields { text: Some("raw".into()), ..Fields::default() }, ..Options::default() };
        let got = items(|s| read_jsonl(&b"{\"raw\": \"R\", \"text\": \"T\"}\n{\"text\": \"T\"}\n"[..], None, &options, s));
        assert_eq!(got[0], page("line=1", "R", Meta::default()));
        assert!(error_at(&got[1]).1.starts_with("no text field \"raw\" (--text-field)"));
    }

    #[test]
    fn csv_rows_are_pages_and_a_file_without_a_text_column_is_one_error() {
        let text = "url,text,title\nhttp://x.example/a,\"Line one\r\nline two\",A\n,Bare\n";
        let got = items(|s| read_csv(text.as_bytes(), None, &Options::default(), s));
        let meta = Meta { url: Some("http://x.example/a".into()), title: Some("A".into()), ..Meta::default() };
        assert_eq!(got, vec![page("row=1", "Line one\r\nline two", meta), page("row=2", "Bare", Meta::default())]);
        let got = items(|s| read_csv(&b"id,raw\n1,x\n2,y\n"[..], Some("m.csv"), &Options::default(), s));
        assert_eq!(got.len(), 1);
        let (at, why) = error_at(&got[0]);
        assert_eq!(at, Some("m.csv"));
        assert!(why.contains("the header has fields id, raw"), "{why}");
    }

    #[test]
    fn a_csv_row_without_an_end_is_stopped_at_the_limit() {
        let mut text = b"text\n\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', 3 << 20));
        let options = Options { limits: crate::Limits { max_page: 1 << 20, max_ratio: 200 }, ..Options::default() };
        let got = items(|s| read_csv(&text[..], None, &options, s));
        assert_eq!(got.len(), 1);
        assert!(error_at(&got[0]).1.contains("--max-file-mb"), "{:?}", got[0]);
    }

    #[test]
    fn days_are_civil_dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(15_371), "2012-02-01");
        assert_eq!(iso_date(-1), "1969-12-31");
        assert_eq!(iso_date(11_016), "2000-02-29");
    }
}
