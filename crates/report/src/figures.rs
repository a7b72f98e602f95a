//! Every figure of the report, computed from the tables in one pass over
//! each, a batch at a time.

use std::collections::{BTreeMap, HashSet};

use crate::Error;
use crate::read::Tables;

/// A bar of a chart: its label and its height.
pub(crate) type Bar = (String, u64);

/// An errors row as listed: (file, member or record, message).
pub(crate) type Listed = (String, String, String);

/// What the run holds.
#[derive(Debug, Default)]
pub(crate) struct Run {
    pub files: u64,
    pub documents: u64,
    pub comments: u64,
    pub tokens: u64,
    pub errors: u64,
    pub bytes: u64,
    /// The version of hustings that wrote the tables, from manifest.json.
    pub version: Option<String>,
    /// Documents by kind of input (`txt`, `jsonl.gz`…).
    pub kinds: Vec<Bar>,
}

/// A document among the most discussed.
#[derive(Debug)]
pub(crate) struct Discussed {
    pub title: String,
    pub site: String,
    pub comments: u64,
}

/// Every figure.
#[derive(Debug, Default)]
pub(crate) struct Figures {
    pub run: Run,
    /// (site, documents, comments), most documents first.
    pub sites: Vec<(String, u64, u64)>,
    pub documents_by_month: Vec<Bar>,
    pub comments_by_month: Vec<Bar>,
    pub comments_per_document: Vec<Bar>,
    pub depth: Vec<Bar>,
    pub comment_length: Vec<Bar>,
    pub discussed: Vec<Discussed>,
    pub document_languages: Vec<Bar>,
    pub comment_languages: Vec<Bar>,
    pub flesch_documents: Vec<Bar>,
    pub flesch_comments: Vec<Bar>,
    pub mattr_documents: Vec<Bar>,
    pub mattr_comments: Vec<Bar>,
    /// (term, log-likelihood), strongest first.
    pub key_body: Vec<(String, f64)>,
    pub key_comment: Vec<(String, f64)>,
    /// (term1, term2, logDice, occurrences), highest logDice first.
    pub bigrams: Vec<(String, String, f64, u64)>,
    /// (tokens, types) after each of about 60 steps through the texts.
    pub growth: Vec<(u64, u64)>,
    /// (rule, rows, an example line).
    pub boilerplate: Vec<(String, u64, String)>,
    pub edits: Vec<Bar>,
    /// (kind, rows, the first rows' (file, record, message)).
    pub errors: Vec<(String, u64, Vec<Listed>)>,
}

/// Rows listed per error kind.
const ERRORS_LISTED: usize = 12;
/// Entries of the top lists.
const TOP: usize = 15;

/// Bins of comments per document.
const PER_DOCUMENT: &[(u64, &str)] =
    &[(0, "0"), (1, "1"), (2, "2–5"), (6, "6–10"), (11, "11–20"), (21, "21–50"), (51, "51–100"), (101, "101+")];
/// Bins of comment length in tokens.
const LENGTH: &[(u64, &str)] =
    &[(0, "0–9"), (10, "10–24"), (25, "25–49"), (50, "50–99"), (100, "100–199"), (200, "200–499"), (500, "500+")];

/// Counts by the bin (lower bounds ascending) a value falls in.
fn binned(counts: &[u64], bins: &[(u64, &str)]) -> Vec<Bar> {
    bins.iter().zip(counts).map(|((_, l), n)| ((*l).to_owned(), *n)).collect()
}

fn bin_of(v: u64, bins: &[(u64, &str)]) -> usize {
    bins.iter().rposition(|(lo, _)| v >= *lo).unwrap_or(0)
}

/// Flesch reading ease in bins of ten, with open ends below 0 and above 100.
fn flesch_bin(v: f64) -> usize {
    if v < 0.0 {
        0
    } else if v >= 100.0 {
        11
    } else {
        1 + (v / 10.0) as usize
    }
}

fn flesch_bars(counts: &[u64; 12]) -> Vec<Bar> {
    let mut out = vec![("<0".to_owned(), counts[0])];
    out.extend((0..10).map(|i| (format!("{}–{}", i * 10, i * 10 + 10), counts[i + 1])));
    out.push(("100+".to_owned(), counts[11]));
    out
}

/// MATTR in bins of 0.1 (1.0 in the last).
fn mattr_bin(v: f64) -> usize {
    ((v * 10.0) as usize).min(9)
}

fn mattr_bars(counts: &[u64; 10]) -> Vec<Bar> {
    (0..10).map(|i| (format!("{:.1}–{:.1}", i as f64 / 10.0, (i + 1) as f64 / 10.0), counts[i])).collect()
}

/// (year, month) of days since 1970-01-01 (proleptic Gregorian).
pub(crate) fn year_month(days: i64) -> (i64, u32) {
    let clamped = days.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    let d = hustings_core::Date::from_days_since_epoch(clamped);
    (i64::from(d.year()), d.month())
}

/// Months past which a time chart counts by year.
pub(crate) const MAX_MONTHS: i64 = 120;

/// Counts per month over the whole span from the first month to the last
/// (empty months included), or per year when that is over [`MAX_MONTHS`].
pub(crate) fn timeline(months: &BTreeMap<(i64, u32), u64>) -> Vec<Bar> {
    let (Some(first), Some(last)) = (months.keys().next(), months.keys().next_back()) else { return Vec::new() };
    let index = |(y, m): (i64, u32)| y * 12 + i64::from(m) - 1;
    if index(*last) - index(*first) < MAX_MONTHS {
        (index(*first)..=index(*last))
            .map(|i| {
                let ym = (i.div_euclid(12), (i.rem_euclid(12) + 1) as u32);
                (format!("{}-{:02}", ym.0, ym.1), months.get(&ym).copied().unwrap_or(0))
            })
            .collect()
    } else {
        let mut years = BTreeMap::new();
        for ((y, _), n) in months {
            *years.entry(*y).or_insert(0) += n;
        }
        (first.0..=last.0).map(|y| (y.to_string(), years.get(&y).copied().unwrap_or(0))).collect()
    }
}

/// Counts by label, most first (ties in label order).
fn by_count(counts: BTreeMap<String, u64>) -> Vec<Bar> {
    let mut v: Vec<Bar> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Keep the `TOP` largest by `key`, first seen first among equals.
fn keep_top<T>(top: &mut Vec<(f64, u64, T)>, key: f64, seq: u64, item: T) {
    top.push((key, seq, item));
    if top.len() > 4 * TOP {
        top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        top.truncate(TOP);
    }
}

fn finish_top<T>(mut top: Vec<(f64, u64, T)>) -> Vec<(f64, T)> {
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    top.truncate(TOP);
    top.into_iter().map(|(k, _, t)| (k, t)).collect()
}

/// The report's figures.
pub(crate) fn compute(tables: &Tables) -> Result<Figures, Error> {
    let mut f = Figures::default();
    let mut files: HashSet<String> = HashSet::new();
    documents(tables, &mut f, &mut files)?;
    comments(tables, &mut f)?;
    words(tables, &mut f)?;
    audit(tables, &mut f, &mut files)?;
    f.run.files = files.len() as u64;
    f.run.version = std::fs::read(tables.dir().join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("version").and_then(|s| s.as_str()).map(str::to_owned));
    Ok(f)
}

fn documents(tables: &Tables, f: &mut Figures, files: &mut HashSet<String>) -> Result<(), Error> {
    let cols = [
        "source_path",
        "site",
        "title",
        "published_date",
        "language",
        "n_comments",
        "n_tokens",
        "mattr",
        "flesch_reading_ease",
        "source_bytes",
    ];
    let mut sites: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let (mut months, mut langs, mut kinds) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let (mut per_doc, mut flesch, mut mattr) = (vec![0u64; PER_DOCUMENT.len()], [0u64; 12], [0u64; 10]);
    let mut top = Vec::new();
    let mut last_path = String::new();
    tables.scan("documents", &cols, |b| {
        let [path, site, title, date, lang, n_comments, n_tokens, m, fl, bytes] = b.cols[..] else { return };
        for i in 0..b.rows {
            let p = path.str(i).unwrap_or("");
            if p != last_path {
                files.insert(p.to_owned());
                last_path = p.to_owned();
                let kind = hustings_sources::Kind::of(p).map_or_else(|| "other".to_owned(), |k| k.label());
                *kinds.entry(kind).or_insert(0) += 1;
            }
            let c = n_comments.u64(i).unwrap_or(0);
            f.run.documents += 1;
            f.run.comments += c;
            f.run.tokens += n_tokens.u64(i).unwrap_or(0);
            f.run.bytes += bytes.u64(i).unwrap_or(0);
            let s = sites.entry(site.str(i).unwrap_or("(none)").to_owned()).or_default();
            s.0 += 1;
            s.1 += c;
            if let Some(d) = date.days(i) {
                *months.entry(year_month(d)).or_insert(0) += 1;
            }
            *langs.entry(lang.str(i).unwrap_or("unsure").to_owned()).or_insert(0) += 1;
            per_doc[bin_of(c, PER_DOCUMENT)] += 1;
            if let Some(v) = fl.f64(i) {
                flesch[flesch_bin(v)] += 1;
            }
            if let Some(v) = m.f64(i) {
                mattr[mattr_bin(v)] += 1;
            }
            if c > 0 {
                let d = Discussed {
                    title: title.str(i).unwrap_or("(untitled)").to_owned(),
                    site: site.str(i).unwrap_or("").to_owned(),
                    comments: c,
                };
                keep_top(&mut top, c as f64, f.run.documents, d);
            }
        }
    })?;
    // Files of many pages count once per file; documents by the kind of their file.
    f.run.kinds = by_count(kinds);
    let mut s: Vec<(String, u64, u64)> = sites.into_iter().map(|(k, (d, c))| (k, d, c)).collect();
    s.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then_with(|| a.0.cmp(&b.0)));
    f.sites = s;
    f.documents_by_month = timeline(&months);
    f.document_languages = by_count(langs);
    f.comments_per_document = binned(&per_doc, PER_DOCUMENT);
    f.flesch_documents = flesch_bars(&flesch);
    f.mattr_documents = mattr_bars(&mattr);
    f.discussed = finish_top(top).into_iter().map(|(_, d)| d).collect();
    Ok(())
}

fn comments(tables: &Tables, f: &mut Figures) -> Result<(), Error> {
    let cols = ["posted_at", "depth", "language", "n_tokens", "mattr", "flesch_reading_ease"];
    let (mut months, mut langs, mut depths) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::<u64, u64>::new());
    let (mut length, mut flesch, mut mattr) = (vec![0u64; LENGTH.len()], [0u64; 12], [0u64; 10]);
    tables.scan("comments", &cols, |b| {
        let [posted, depth, lang, n_tokens, m, fl] = b.cols[..] else { return };
        for i in 0..b.rows {
            if let Some(us) = posted.micros(i) {
                *months.entry(year_month(us.div_euclid(86_400_000_000))).or_insert(0) += 1;
            }
            *depths.entry(depth.u64(i).unwrap_or(0).min(10)).or_insert(0) += 1;
            *langs.entry(lang.str(i).unwrap_or("unsure").to_owned()).or_insert(0) += 1;
            let tokens = n_tokens.u64(i).unwrap_or(0);
            f.run.tokens += tokens;
            length[bin_of(tokens, LENGTH)] += 1;
            if let Some(v) = fl.f64(i) {
                flesch[flesch_bin(v)] += 1;
            }
            if let Some(v) = m.f64(i) {
                mattr[mattr_bin(v)] += 1;
            }
        }
    })?;
    f.comments_by_month = timeline(&months);
    f.comment_languages = by_count(langs);
    let max_depth = depths.keys().next_back().copied().unwrap_or(0);
    f.depth =
        (0..=max_depth).map(|d| (if d == 10 { "10+".to_owned() } else { d.to_string() }, depths.get(&d).copied().unwrap_or(0))).collect();
    if depths.is_empty() {
        f.depth.clear();
    }
    f.comment_length = binned(&length, LENGTH);
    f.flesch_comments = flesch_bars(&flesch);
    f.mattr_comments = mattr_bars(&mattr);
    Ok(())
}

fn words(tables: &Tables, f: &mut Figures) -> Result<(), Error> {
    let (mut body, mut comment, mut seq) = (Vec::new(), Vec::new(), 0u64);
    tables.scan("keyness", &["term", "log_likelihood", "key_for"], |b| {
        let [term, ll, key_for] = b.cols[..] else { return };
        for i in 0..b.rows {
            seq += 1;
            let (Some(t), Some(v)) = (term.str(i), ll.f64(i)) else { continue };
            match key_for.str(i) {
                Some("body") => keep_top(&mut body, v, seq, t.to_owned()),
                Some("comment") => keep_top(&mut comment, v, seq, t.to_owned()),
                _ => {}
            }
        }
    })?;
    f.key_body = finish_top(body).into_iter().map(|(v, t)| (t, v)).collect();
    f.key_comment = finish_top(comment).into_iter().map(|(v, t)| (t, v)).collect();
    let mut top = Vec::new();
    seq = 0;
    tables.scan("bigrams", &["term1", "term2", "n_occurrences", "log_dice"], |b| {
        let [t1, t2, n, ld] = b.cols[..] else { return };
        for i in 0..b.rows {
            seq += 1;
            let (Some(a), Some(c), Some(v)) = (t1.str(i), t2.str(i), ld.f64(i)) else { continue };
            keep_top(&mut top, v, seq, (a.to_owned(), c.to_owned(), n.u64(i).unwrap_or(0)));
        }
    })?;
    f.bigrams = finish_top(top).into_iter().map(|(v, (a, c, n))| (a, c, v, n)).collect();
    // Vocabulary growth: distinct terms as the texts are read in table order.
    let step = (f.run.tokens / 60).max(1);
    let (mut seen, mut tokens, mut next) = (HashSet::new(), 0u64, step);
    f.growth.push((0, 0));
    tables.scan("token_counts", &["term", "count"], |b| {
        let [term, count] = b.cols[..] else { return };
        for i in 0..b.rows {
            tokens += count.u64(i).unwrap_or(0);
            if let Some(t) = term.str(i)
                && !seen.contains(t)
            {
                seen.insert(t.to_owned());
            }
            if tokens >= next {
                f.growth.push((tokens, seen.len() as u64));
                next = (tokens / step + 1) * step;
            }
        }
    })?;
    if f.growth.last().is_some_and(|&(t, _)| t != tokens) {
        f.growth.push((tokens, seen.len() as u64));
    }
    Ok(())
}

fn audit(tables: &Tables, f: &mut Figures, files: &mut HashSet<String>) -> Result<(), Error> {
    let mut rules: BTreeMap<String, (u64, String)> = BTreeMap::new();
    tables.scan("boilerplate", &["rule", "text"], |b| {
        let [rule, text] = b.cols[..] else { return };
        for i in 0..b.rows {
            let r = rules.entry(rule.str(i).unwrap_or("").to_owned()).or_default();
            r.0 += 1;
            if r.1.is_empty() {
                r.1 = text.str(i).unwrap_or("").chars().take(140).collect();
            }
        }
    })?;
    let mut v: Vec<(String, u64, String)> = rules.into_iter().map(|(k, (n, e))| (k, n, e)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    f.boilerplate = v;
    let mut edits = BTreeMap::new();
    tables.scan("edits", &["kind"], |b| {
        for i in 0..b.rows {
            *edits.entry(b.cols[0].str(i).unwrap_or("").to_owned()).or_insert(0) += 1;
        }
    })?;
    f.edits = by_count(edits);
    let mut errors: BTreeMap<String, (u64, Vec<Listed>)> = BTreeMap::new();
    tables.scan("errors", &["source_path", "source_record", "kind", "message"], |b| {
        let [path, record, kind, message] = b.cols[..] else { return };
        for i in 0..b.rows {
            f.run.errors += 1;
            let p = path.str(i).unwrap_or("");
            files.insert(p.to_owned());
            let e = errors.entry(kind.str(i).unwrap_or("").to_owned()).or_default();
            e.0 += 1;
            if e.1.len() < ERRORS_LISTED {
                e.1.push((p.to_owned(), record.str(i).unwrap_or("").to_owned(), message.str(i).unwrap_or("").chars().take(200).collect()));
            }
        }
    })?;
    let mut v: Vec<(String, u64, Vec<Listed>)> = errors.into_iter().map(|(k, (n, l))| (k, n, l)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    f.errors = v;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timelines_fill_empty_months_and_fall_back_to_years() {
        let m: BTreeMap<(i64, u32), u64> = [((2011, 11), 2), ((2012, 2), 1)].into_iter().collect();
        let t = timeline(&m);
        assert_eq!(t.iter().map(|(l, n)| format!("{l}:{n}")).collect::<Vec<_>>(), ["2011-11:2", "2011-12:0", "2012-01:0", "2012-02:1"]);
        let long: BTreeMap<(i64, u32), u64> = [((1999, 5), 1), ((2012, 2), 3)].into_iter().collect();
        let t = timeline(&long);
        assert_eq!(t.len(), 14);
        assert_eq!((t[0].clone(), t[13].clone()), (("1999".to_owned(), 1), ("2012".to_owned(), 3)));
    }

    #[test]
    fn days_give_their_month_and_values_their_bin() {
        assert_eq!(year_month(0), (1970, 1));
        assert_eq!(year_month(15_371), (2012, 2));
        assert_eq!(year_month(-1), (1969, 12));
        assert_eq!([0, 1, 5, 6, 100, 101, 5000].map(|v| bin_of(v, PER_DOCUMENT)), [0, 1, 2, 3, 6, 7, 7]);
        assert_eq!([-3.0, 0.0, 9.9, 55.0, 100.0, 130.0].map(flesch_bin), [0, 1, 1, 6, 11, 11]);
        assert_eq!([0.0, 0.05, 0.95, 1.0].map(mattr_bin), [0, 0, 9, 9]);
    }
}
