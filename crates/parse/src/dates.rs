//! Dates and times as pages print them: "Thursday, 26 August 2010",
//! "April 26, 2012", "26/4/2012 15:02", "2012-04-26", "26th Apr 2012 at 3:02 pm".
//!
//! Numeric dates are read day-first (the corpus is British) unless the first
//! number cannot be a day-of-month reading, in which case month-first is tried.

use std::sync::LazyLock;

use hustings_core::{Date, DateTime};
use regex::Regex;

use crate::rules::contains_ignore_ascii_case;

const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+{MONTH},?[\s-]+(\d{{4}})\b")).expect("valid regex")
});
/// Month names in French, German, Spanish, Italian, Dutch and Portuguese
/// ("26 avril 2012", "26. April 2012", "26 de abril de 2012", "do 26 apr 2012").
const MONTH_INTL: &str = r"(janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|januar|jänner|februar|märz|maerz|april|juni|juli|august|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|augustus|janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|dezembro|janv|févr|fevr|avr|juil|sept|déc|mär|dez|ene|abr|ago|dic|gen|mag|giu|lug|set|ott|mrt|fev|mai|out|jan|feb|mar|apr|jun|jul|aug|sep|oct|okt|nov|dec)\.?";
static DAY_MONTH_YEAR_INTL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(\d{{1,2}})(?:er|º|°)?\.?\s+(?:de\s+)?{MONTH_INTL},?\s+(?:de\s+)?(\d{{4}})\b")).expect("valid regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")).expect("valid regex"));
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?").expect("valid regex"));
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{1,2})([/.])(\d{1,2})([/.])(\d{4}|\d{2})\b").expect("valid regex"));
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:[:.]|\s?h\s?)(\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?:\b|$)").expect("valid regex")
});
static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\s|[,|·•\-–—@()\[\]»«]|\b(?:on|at|posted|published|updated|last|date|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?|\b(?:à|a|um|uhr|alle|ore|às|as|om|op|le|el|il|de|del|du|am|min|h|publié|publiée|mis à jour|veröffentlicht|aktualisiert|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|atualizado|lun(?:di)?|mar(?:di)?|mer(?:credi)?|jeu(?:di)?|ven(?:dredi)?|sam(?:edi)?|dim(?:anche)?|mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|ma|wo|vr|za|zo|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|segunda|terça|quarta|quinta|sexta|feira|utc|gmt|bst|cet|cest)\b\.?|:)*$")
        .expect("valid regex")
});

/// A date found in a line, with the time when one follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    /// The date.
    pub date: Date,
    /// The date and time, when a time was printed with it.
    pub datetime: Option<DateTime>,
    /// Byte range of the date and time in the line.
    pub start: usize,
    /// End of that range.
    pub end: usize,
}

impl FoundDate {
    /// Whether `line` (where this date was found) holds nothing else but
    /// filler: a weekday, "Posted on", "at", punctuation. With a length
    /// check, this is what makes the line a [`date_line`].
    pub fn only_filler_around(&self, line: &str) -> bool {
        let rest = format!("{} {}", &line[..self.start], &line[self.end..]);
        FILLER.is_match(&rest)
    }

    /// The date and time, or the date at midnight when no time was printed.
    pub fn timestamp(&self) -> DateTime {
        self.datetime.unwrap_or_else(|| self.date.at_midnight())
    }
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    // Names whose first three letters are not the English ones.
    let intl = [
        ("ene", 1),
        ("gen", 1),
        ("jän", 1),
        ("fév", 2),
        ("fev", 2),
        ("avr", 4),
        ("abr", 4),
        ("mai", 5),
        ("mei", 5),
        ("mag", 5),
        ("mär", 3),
        ("mae", 3),
        ("maa", 3),
        ("mrt", 3),
        ("juin", 6),
        ("giu", 6),
        ("juil", 7),
        ("lug", 7),
        ("ago", 8),
        ("aoû", 8),
        ("aou", 8),
        ("set", 9),
        ("okt", 10),
        ("ott", 10),
        ("out", 10),
        ("déc", 12),
        ("dez", 12),
        ("dic", 12),
    ];
    if let Some(&(_, n)) = intl.iter().find(|(p, _)| lower.starts_with(p)) {
        // "juin" before "jun", "juil" before "jul": both are checked as prefixes.
        return Some(n);
    }
    if lower.starts_with("jui") {
        return None;
    }
    let m = lower.get(..3)?.to_owned();
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    months.iter().position(|&x| x == m).map(|i| i as u32 + 1)
}

fn num(s: Option<regex::Match<'_>>) -> Option<u32> {
    s?.as_str().parse().ok()
}

/// The first date in `line`, with a following (or, failing that, preceding) time.
pub fn find_date(line: &str) -> Option<FoundDate> {
    let (date, mut start, mut end, iso_time) = find_date_only(line)?;
    let mut datetime = iso_time.and_then(|(h, m, s)| DateTime::new(date, h, m, s));
    if datetime.is_none() {
        let after = TIME.captures(&line[end..]).map(|c| (c, end));
        let before = || TIME.captures(&line[..start]).map(|c| (c, 0));
        if let Some((c, base)) = after.or_else(before) {
            let whole = c.get(0).map(|m| (m.start() + base, m.end() + base));
            let mut h = num(c.get(1)).unwrap_or(99);
            let mi = num(c.get(2)).unwrap_or(99);
            let s = num(c.get(3)).unwrap_or(0);
            if let Some(ampm) = c.get(4) {
                let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
                if h == 12 {
                    h = 0;
                }
                if pm {
                    h += 12;
                }
            }
            if let (Some(dt), Some((ws, we))) = (DateTime::new(date, h, mi, s), whole) {
                datetime = Some(dt);
                start = start.min(ws);
                end = end.max(we);
            }
        }
    }
    Some(FoundDate { date, datetime, start, end })
}

type DateMatch = (Date, usize, usize, Option<(u32, u32, u32)>);

/// Whether a word of `line` starts like a month name that `MONTHS` does not
/// catch ("enero", "gennaio", "avril", "mei", "ottobre", "dezember"…), in
/// one pass over the words.
fn intl_month_cue(line: &str) -> bool {
    line.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
        let b = w.as_bytes();
        if b.len() < 3 {
            return false;
        }
        let p = [b[0].to_ascii_lowercase(), b[1].to_ascii_lowercase(), b[2].to_ascii_lowercase()];
        matches!(
            &p,
            b"ene"
                | b"gen"
                | b"avr"
                | b"abr"
                | b"mai"
                | b"mei"
                | b"mag"
                | b"giu"
                | b"lug"
                | b"ago"
                | b"set"
                | b"ott"
                | b"dic"
                | b"dez"
                | b"okt"
                | b"out"
                | b"fev"
                | b"mrt"
                | b"jui"
        )
    })
}

fn find_date_only(line: &str) -> Option<DateMatch> {
    // Every form ends in a year of two or four ASCII digits (the captures
    // are parsed as ASCII numbers), the word forms name a month (its first
    // three letters), ISO dates hold '-' and numeric ones '/' or '.': the
    // regexes only run where they could find a date.
    let (mut run, mut longest) = (0, 0);
    for b in line.bytes() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if longest < 2 {
        return None;
    }
    const MONTHS: [&[u8]; 12] = [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
    let words = longest >= 4 && MONTHS.iter().any(|m| contains_ignore_ascii_case(line, m));
    let intl_words = longest >= 4 && (!line.is_ascii() || intl_month_cue(line));
    let iso = longest >= 4 && line.contains('-');
    let numeric = line.contains(['/', '.']);
    let mut best: Option<DateMatch> = None;
    let mut consider = |cand: Option<DateMatch>| {
        if let Some(c) = cand {
            if best.is_none_or(|b| c.1 < b.1) {
                best = Some(c);
            }
        }
    };
    // "26 April 2012" and "April 26, 2012": the same captures in another order.
    let word_date = |re: &Regex, day: usize, month: usize| {
        re.captures_iter(line).find_map(|c| {
            let m = c.get(0)?;
            let d = Date::from_ymd(c.get(3)?.as_str().parse().ok()?, month_number(c.get(month)?.as_str())?, num(c.get(day))?)?;
            Some((d, m.start(), m.end(), None))
        })
    };
    if words || intl_words {
        consider(word_date(&DAY_MONTH_YEAR_INTL, 1, 2));
    }
    if words {
        consider(word_date(&DAY_MONTH_YEAR, 1, 2));
        consider(word_date(&MONTH_DAY_YEAR, 2, 1));
    }
    if iso {
        consider(ISO.captures_iter(line).find_map(|c| {
            let m = c.get(0)?;
            let d = Date::from_ymd(c.get(1)?.as_str().parse().ok()?, num(c.get(2))?, num(c.get(3))?)?;
            let t = match (num(c.get(4)), num(c.get(5))) {
                (Some(h), Some(mi)) => Some((h, mi, num(c.get(6)).unwrap_or(0))),
                _ => None,
            };
            Some((d, m.start(), m.end(), t))
        }));
    }
    if numeric {
        consider(NUMERIC.captures_iter(line).find_map(|c| {
            let m = c.get(0)?;
            if c.get(2)?.as_str() != c.get(4)?.as_str() {
                return None;
            }
            let (a, b) = (num(c.get(1))?, num(c.get(3))?);
            let ytext = c.get(5)?.as_str();
            let mut y: i32 = ytext.parse().ok()?;
            if ytext.len() == 2 {
                y += if y < 70 { 2000 } else { 1900 };
            }
            // Day first (British usage), unless a weekday in the line says the
            // month comes first ("Thu, 11/02/2006" is 2 November).
            let day_first = Date::from_ymd(y, b, a);
            let month_first = Date::from_ymd(y, a, b);
            let d = match (day_first, month_first, weekday_named(line)) {
                (Some(x), Some(y), Some(w)) if weekday(x) != w && weekday(y) == w => y,
                (Some(x), _, _) => x,
                (None, Some(y), _) => y,
                (None, None, _) => return None,
            };
            Some((d, m.start(), m.end(), None))
        }));
    }
    best
}

/// Day of the week, 0 = Monday.
fn weekday(d: Date) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (d.days_since_epoch() + 3).rem_euclid(7) as u32
}

/// The weekday a line names ("Thu", "Thursday"), 0 = Monday.
fn weekday_named(line: &str) -> Option<u32> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    line.split(|c: char| !c.is_alphabetic()).find_map(|w| {
        let w = w.to_ascii_lowercase();
        let full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        NAMES.iter().position(|n| w == *n).or_else(|| full.iter().position(|n| w == *n)).map(|i| i as u32)
    })
}

/// Whether `line` is nothing but a date (with weekday, time and filler such
/// as "Posted on"), and the date if so.
pub fn date_line(line: &str) -> Option<FoundDate> {
    // A dateline is short; a long line is prose that may mention a date.
    if line.len() > 200 {
        return None;
    }
    // A site's stamp before the date ("guardian.co.uk, Thursday 26 April 2012 13.45 BST").
    static SITE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|uk|de|fr|es|it|nl|eu|info)\s*[,|·•\-–—]\s*")
            .expect("valid regex")
    });
    let skip = SITE.find(line).map_or(0, |m| m.end());
    let rest = &line[skip..];
    let found = find_date(rest)?;
    found.only_filler_around(rest).then_some(FoundDate { start: found.start + skip, end: found.end + skip, ..found })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expect: Option<&str>) {
        let got = find_date(line).map(|f| f.datetime.map_or_else(|| f.date.to_string(), |d| d.to_string()));
        assert_eq!(got.as_deref(), expect, "{line:?}");
    }

    #[test]
    fn common_forms() {
        check("Thursday, 26 August 2010", Some("2010-08-26"));
        check("26 April 2012", Some("2012-04-26"));
        check("April 26, 2012", Some("2012-04-26"));
        check("Posted on Apr 26th 2012 by Jo", Some("2012-04-26"));
        check("26th of April, 2012", Some("2012-04-26"));
        // Numeric dates are day first unless the weekday says otherwise.
        check("11/02/2006", Some("2006-02-11"));
        check("Thu, 11/02/2006", Some("2006-11-02"));
        check("Friday 03/11/2006", Some("2006-11-03"));
        check("26/4/2012", Some("2012-04-26"));
        check("4/26/2012", Some("2012-04-26"));
        check("26.04.12", Some("2012-04-26"));
        check("2012-04-26", Some("2012-04-26"));
        check("2012-04-26T15:02:07", Some("2012-04-26T15:02:07"));
        check("Dave, Hackney, 26/4/2012 15:02", Some("2012-04-26T15:02:00"));
        check("26 April 2012 at 3:02 pm", Some("2012-04-26T15:02:00"));
        check("12:30 am 1 May 2012", Some("2012-05-01T00:30:00"));
        check("Posted by Jo at 22:15", None);
        check("31 April 2012", None);
        check("no date on May 3 here", None);
        check("26 avril 2012 à 15 h 02 min", Some("2012-04-26T15:02:00"));
        check("26 juin 2012 à 9h15", Some("2012-06-26T09:15:00"));
        check("26. April 2012 um 15:02", Some("2012-04-26T15:02:00"));
        check("3. März 2012", Some("2012-03-03"));
        check("26 de abril de 2012 às 15:02", Some("2012-04-26T15:02:00"));
        check("1 de diciembre de 2017 3:00 AM", Some("2017-12-01T03:00:00"));
        check("26 aprile 2012 alle 15:02", Some("2012-04-26T15:02:00"));
        check("do 26 apr 2012, 15:02", Some("2012-04-26T15:02:00"));
        check("12 juillet 2012", Some("2012-07-12"));
        check("5 mei 2012", Some("2012-05-05"));
    }

    #[test]
    fn date_lines_carry_nothing_else() {
        assert!(date_line("Thursday, 26 August 2010").is_some());
        assert!(date_line("Posted on 26 April 2012 at 15:02 |").is_some());
        assert!(date_line("26 April 2012 was a big day for Labour").is_none());
        assert!(date_line("26 avril 2012 à 15 h 02 min").is_some());
        assert!(date_line("do 26 apr 2012, 15:02").is_some());
        assert!(date_line("2012-04-26 11:02 (UTC)").is_some());
        assert!(date_line("guardian.co.uk, Thursday 26 April 2012 13.45 BST").is_some());
        assert!(date_line("6:00PM BST 25 Apr 2012").is_some());
    }
}
