//! Common Crawl WET files, read by hand: the format is a run of WARC records
//! (a `WARC/1.0` line, `Name: value` headers, a blank line, then
//! `Content-Length` bytes of block), and only its `conversion` records are
//! pages. (Each record is often its own gzip member; the decompressor reads
//! the members as one stream.)

use std::io::{BufRead, Read};

use crate::limit::{Limits, Line, read_line};
use crate::{Item, Meta, Page, failed, locate};

/// A header line longer than this is not a WARC header.
const MAX_HEADER_LINE: u64 = 64 << 10;

/// One page per conversion record, its URL from `WARC-Target-URI`, fetch
/// time from `WARC-Date`, and its locator `record=<WARC-Record-ID>`.
pub(crate) fn read_wet(mut r: impl BufRead, member: Option<&str>, limits: &Limits, sink: &mut dyn FnMut(Item)) {
    let mut line = Vec::new();
    for n in 1u64.. {
        let at_record = |n: u64| locate(member, &format!("record=#{n}"));
        // Records are separated by blank lines.
        let first = loop {
            match read_line(&mut r, &mut line, MAX_HEADER_LINE) {
                Ok(Line::End) => return,
                Ok(Line::Read) if line.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(Line::Read) => break String::from_utf8_lossy(&line).into_owned(),
                Ok(Line::TooLong(_)) => {
                    return sink(failed(Some(at_record(n)), "not a WARC record: a line of over 64 KiB where a header belongs".into()));
                }
                Err(e) => return sink(failed(Some(at_record(n)), format!("cannot read further: {e}; the records before were read"))),
            }
        };
        if !first.starts_with("WARC/") {
            return sink(failed(Some(at_record(n)), format!("not a WARC record: it starts {:?}, not \"WARC/1.0\"", truncate(&first))));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            match read_line(&mut r, &mut line, MAX_HEADER_LINE) {
                Ok(Line::Read) if line.is_empty() => break,
                Ok(Line::Read) => {
                    let text = String::from_utf8_lossy(&line);
                    if let Some((name, value)) = text.split_once(':') {
                        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
                    }
                }
                Ok(Line::End) => return sink(failed(Some(at_record(n)), "truncated: the file ends inside a record's headers".into())),
                Ok(Line::TooLong(_)) => return sink(failed(Some(at_record(n)), "not a WARC record: a header line of over 64 KiB".into())),
                Err(e) => return sink(failed(Some(at_record(n)), format!("cannot read further: {e}; the records before were read"))),
            }
        }
        let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let here = match header("warc-record-id") {
            Some(id) => locate(member, &format!("record={id}")),
            None => at_record(n),
        };
        let Some(length) = header("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            return sink(failed(Some(here), "no valid Content-Length header: the records after it cannot be found".into()));
        };
        let is_page = header("warc-type").is_some_and(|t| t.eq_ignore_ascii_case("conversion"));
        if !is_page || length > limits.max_page {
            // Skip the block (a warcinfo or metadata record, or a page too large to hold).
            match std::io::copy(&mut (&mut r).take(length), &mut std::io::sink()) {
                Ok(got) if got == length => {}
                Ok(_) => return sink(failed(Some(here), "truncated: the file ends inside a record".into())),
                Err(e) => return sink(failed(Some(here), format!("cannot read further: {e}; the records before were read"))),
            }
            if is_page {
                sink(failed(Some(here), limits.too_big("the record", length)));
            }
            continue;
        }
        let mut bytes = Vec::with_capacity(length as usize);
        match (&mut r).take(length).read_to_end(&mut bytes) {
            Ok(got) if got as u64 == length => {}
            Ok(_) => return sink(failed(Some(here), "truncated: the file ends inside a record".into())),
            Err(e) => return sink(failed(Some(here), format!("cannot read further: {e}; the records before were read"))),
        }
        let meta = Meta { url: header("warc-target-uri"), fetched: header("warc-date"), ..Meta::default() };
        sink(Item::Page(Page { record: Some(here), bytes, meta }));
    }
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, id: &str, extra: &str, block: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n{extra}Content-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    #[test]
    fn conversion_records_are_pages_with_their_url_and_date() {
        let page = "Title\nBody line\n";
        let file = [
            record("warcinfo", "0", "", "software: x\r\n"),
            record("conversion", "1", "WARC-Target-URI: http://a.example/p\r\nWARC-Date: 2023-01-27T21:38:46Z\r\n", page),
            record("conversion", "2", "", "Second"),
        ]
        .concat();
        let mut got = Vec::new();
        read_wet(file.as_bytes(), None, &Limits::default(), &mut |i| got.push(i));
        let meta = Meta { url: Some("http://a.example/p".into()), fetched: Some("2023-01-27T21:38:46Z".into()), ..Meta::default() };
        assert_eq!(
            got,
            vec![
                Item::Page(Page { record: Some("record=<urn:uuid:1>".into()), bytes: page.as_bytes().to_vec(), meta }),
                Item::Page(Page { record: Some("record=<urn:uuid:2>".into()), bytes: b"Second".to_vec(), meta: Meta::default() }),
            ]
        );
    }

    #[test]
    fn a_truncated_or_foreign_file_is_an_error_after_the_pages_before_it() {
        let mut file = record("conversion", "1", "", "One");
        file.push_str(&record("conversion", "2", "", "Two")[..84]);
        let mut got = Vec::new();
        read_wet(file.as_bytes(), Some("x.wet"), &Limits::default(), &mut |i| got.push(i));
        assert_eq!(got.len(), 2);
        assert!(
            matches!(&got[1], Item::Failed(f) if f.record.as_deref() == Some("x.wet#record=<urn:uuid:2>") && f.message.starts_with("truncated")),
            "{:?}",
            got[1]
        );
        let mut got = Vec::new();
        read_wet(&b"<html>\n"[..], None, &Limits::default(), &mut |i| got.push(i));
        assert!(matches!(&got[..], [Item::Failed(f)] if f.message.starts_with("not a WARC record")), "{got:?}");
    }
}
