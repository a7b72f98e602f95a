//! Repeated records: a comment thread is a run of records of one shape.
//!
//! No rule per comment system: each page shows its own. A line that could
//! head a comment is reduced to a [`Shape`] — its parts as a signature of
//! classes (`IMG` an avatar's alt text, `NUM`, `BY` / `BY:`, `NAME`, `SAYS`,
//! `DATE`, `DAY`, `TIME`, `REL`), plus the name and the time it gives — by
//! [`header_shape`]. A name on a line of its own over a date line is a
//! two-line header (`NAME/DATE`, `NAME/REL`), and so is a date over a name
//! (`DATE/NAME`); an avatar and a name over indented text is `NAME/INDENT`,
//! a listed or numbered name over indented text (Disqus) `LIST NAME/INDENT`,
//! which counts only under the thread's opening, where it nests, or where
//! the names follow their profile links; a date and time alone is `DATE`.
//! Lines the corpus repeats (a regular's name, "Anonymous") may still be
//! headers. [`find`] keeps the signatures that repeat on the page with prose
//! between their occurrences (people write sentences; link lists and teaser
//! feeds do not), drops section feeds (one name on every record) and lone
//! bylines, and returns one [`Record`] per occurrence: where it is, who
//! wrote it, when, and how deep it sits when the numbering says so. A single
//! strong header right under a thread's opening is a record too (`lone`),
//! and so is a single byline with a name and a date right under the one
//! comment's text that the opening fences above.
//!
//! Records whose header comes after the text (`Posted by: X | date`, the
//! TypePad and Movable Type shape; `by X on date. Reply #`) are told apart
//! by where the prose and the widgets sit: a leading-header thread has text
//! after its last header and its "Reply" links over the next header; a
//! trailing one ends on a byline, has its widgets right under each byline,
//! or has its first comment's text fenced off by the thread's opening.
//!
//! ```
//! use hustings_parse::records::header_shape;
//! let s = header_shape("Marie Dubois a dit :").unwrap();
//! assert_eq!((s.signature.as_str(), s.author.as_str()), ("NAME SAYS", "Marie Dubois"));
//! let s = header_shape("[f1b99] Maria July 7, 2012 at 2:31 pm").unwrap();
//! assert_eq!((s.signature.as_str(), s.posted_at.unwrap().to_string().as_str()), ("IMG NAME DATE", "2012-07-07T14:31:00"));
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use hustings_core::DateTime;
use regex::Regex;

use crate::dates::{date_line, find_date};
use crate::lines::n_words;

/// A line read as a possible comment header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// The classes of its parts, in order, space-separated ("NUM NAME SAYS").
    pub signature: String,
    /// The name or handle it shows.
    pub author: String,
    /// The absolute time it gives, if any.
    pub posted_at: Option<DateTime>,
    /// Depth from hierarchical numbering ("2.1." is 1), if numbered so.
    pub depth: Option<u32>,
    /// Whether a reply link ends the line ("… at 9:59 am. Reply #"): the
    /// mark of a byline under its comment.
    pub closing: bool,
}

/// One record of a repeated shape found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The header line.
    pub line: usize,
    /// The line under it that held the date (two-line headers).
    pub date_line: Option<usize>,
    /// The line under it that held the name (a date over a name).
    pub name_line: Option<usize>,
    /// For a header that follows its text: the first line of that text.
    pub text_from: Option<usize>,
    /// The commenter.
    pub author: String,
    /// When.
    pub posted_at: Option<DateTime>,
    /// Depth from numbering, when the header gives it.
    pub depth: Option<u32>,
    /// A lone comment under a thread's opening, not one of a repeated shape:
    /// it heads a comment but says nothing about where the article ends.
    pub lone: bool,
}

/// What [`find`] needs of a line.
#[derive(Debug, Clone, Copy)]
pub struct LineView<'a> {
    /// The line's content (without its indentation).
    pub text: &'a str,
    /// Whether the line is blank.
    pub blank: bool,
    /// Whether no rule has taken the line yet.
    pub free: bool,
    /// Taken, but by furniture that sits inside text (an image's alt
    /// text, a photo credit): a record's text runs on past it.
    pub soft: bool,
    /// Leading white space, in columns.
    pub indent: usize,
    /// Taken as a thread's opening: a thread header ("3 Comments") or a comment form.
    pub opens_thread: bool,
    /// A list item (its text is past the bullet).
    pub listed: bool,
    /// Taken only because the corpus repeats it (`repeated-line`): a
    /// regular commenter's name, "Anonymous", may be a header all the same.
    pub learned: bool,
}

/// A date glued to the name before it, as Blogger shows its comment headers
/// ("Wesley Fryer10/8/12", "Petal26 October 2012", "LeahOctober 22, 2012");
/// the date starts at group 1.
static GLUED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    const MONTH: &str = "(?:January|February|March|April|May|June|July|August|September|October|November|December)";
    Regex::new(&format!(
        r"[\p{{L}})](\d{{1,2}}(?:/\d{{1,2}}/\d{{2,4}}\b| {MONTH},? \d{{4}}\b))|[\p{{L}}\d)]({MONTH} \d{{1,2}},? \d{{4}}\b)"
    ))
    .expect("valid regex")
});
static IMG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\[[^\[\]]{0,60}\]\s*").expect("valid regex"));
static NUM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:comment\s+)?#?(\d{1,5}(?:\.\d{1,4})*)(?:[.):]|\s+[-–—])?\s+").expect("valid regex"));
static BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:posted|submitted|written|comment(?:ed)?|reply|replied|réponse|publié|geschrieben|gepost|publicado|pubblicato|escrito|postado|enviado)\s+(?:by|par|von|door|por|da|di)|by|par|von|door|por|di)\s*:?\s+")
        .expect("valid regex")
});
static SAYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s+(?:says|said|wrote|writes|replied|responds|commented|a dit|a écrit|a repondu|a répondu|dit|schrieb|schreibt|sagt|meint|antwortete|escribió|escribio|dijo|dice|comentó|comento|respondió|scrive|ha scritto|ha detto|ha risposto|zei|schreef|zegt|reageerde|disse|escreveu|comentou|diz|respondeu)\s*(?::|,|\.\.\.|…)?\s*$|\s+(?:Says|Said|Wrote|Writes)\s*(?::|,|\.\.\.|…)\s*$")
        .expect("valid regex")
});
/// A "says" word and its colon with the header's date after it, opened by "on".
static SAYS_ON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+(?:says|said|wrote|writes|replied|commented):\s+on\s").expect("valid regex"));
/// A day without a year ("On Thursday, November 1", "Nov 1st", "1 November"): a header's date, not a timestamp.
static DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:on\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\b")
        .expect("valid regex")
});
static REL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:\d+|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b|\bjust now\b|\byesterday\b|\bil y a \d+\s+\w+|\bvor \d+\s+\w+|\bhace \d+\s+\w+|\b\d+\s+(?:giorni|ore|minuti|mesi|anni)\s+fa\b|\b\d+\s+(?:dagen|uur|minuten|maanden|jaar)\s+geleden\b|\bhá \d+\s+\w+)")
        .expect("valid regex")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)@?\b\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s+(?:utc|gmt|bst|est|edt|pst|pdt|cet|cest))?\b")
        .expect("valid regex")
});
/// Scores, karma, ids and counts around a name: "(Score:5, Insightful)", "(1234)", "(#39800000)", "12 points".
static TALLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((?:score:[^)]{0,30}|#?\d{1,10}|not verified|utc|gmt)\)|\b\d{1,6}\s+(?:points?|pts|likes?|votes?)\b|\(\s*\)")
        .expect("valid regex")
});

/// Words that sit between a header's parts and are never a name.
fn filler(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "on",
        "at",
        "à",
        "a",
        "um",
        "am",
        "alle",
        "às",
        "as",
        "las",
        "om",
        "le",
        "el",
        "il",
        "em",
        "de",
        "op",
        "the",
        "in",
        "|",
        "•",
        "·",
        "-",
        "–",
        "—",
        "›",
        "»",
        "#",
        ",",
        ":",
        "@",
        "/",
        "reply",
        "répondre",
        "repondre",
        "antworten",
        "responder",
        "rispondi",
        "reageer",
        "permalink",
        "homepage",
        "journal",
        "posted",
        "submitted",
        "commented",
        "report",
        "like",
        "share",
        "link",
        "quote",
        "parent",
        "next",
        "prev",
        "hide",
        "past",
        "flag",
        "edit",
        "[–]",
        "[-]",
        "[+]",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "lun",
        "mar",
        "mer",
        "jeu",
        "ven",
        "sam",
        "dim",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "mo",
        "di",
        "mi",
        "do",
        "fr",
        "sa",
        "so",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "ma",
        "wo",
        "vr",
        "za",
        "zo",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "actions",
        "up",
        "down",
        "rec",
        "recommend",
        "root",
        "context",
        "vote",
        "retweet",
        "tweet",
        "favorite",
        "favourite",
        "pt",
        "et",
        "ct",
        "mt",
        "pst",
        "pdt",
        "est",
        "edt",
        "cst",
        "cdt",
        "mst",
        "mdt",
        "gmt",
        "bst",
        "utc",
        "cet",
        "cest",
        "ist",
        "jst",
        "aest",
        "min",
        "uhr",
        "h",
        "hrs",
        "edited",
        "modifié",
        "bearbeitet",
        "editado",
        "modificato",
        "bewerkt",
        "segunda",
        "terça",
        "quarta",
        "quinta",
        "sexta",
        "feira",
        "posted",
        "updated",
        "ago",
        "said",
        "says",
    ];
    let t = w.trim_matches(|c: char| c == ',' || c == ':' || c == '.' || c == ';' || c == '(' || c == ')');
    // "Sam", "Do", "Ma" are names as often as weekdays: short words are
    // filler when written small or with a stop or comma after them.
    const NAMES_TOO: &[&str] =
        &["Sam", "Do", "Ma", "Mi", "Di", "Sa", "So", "Mar", "Ven", "Dim", "Jeu", "Mer", "Lun", "Fr", "Vr", "Za", "Zo", "Wo"];
    if t == w && NAMES_TOO.contains(&t) {
        return false;
    }
    t.is_empty() || WORDS.iter().any(|x| x.eq_ignore_ascii_case(t))
}

/// A headline, not a name: three or more words, two of them lower-case
/// words that are not name particles ("Voters approve same-sex marriage").
fn headline_words(name: &str) -> bool {
    const PARTICLES: &[&str] =
        &["de", "van", "von", "der", "den", "la", "le", "da", "di", "del", "du", "dos", "das", "y", "e", "bin", "al"];
    let words: Vec<&str> = name.split_whitespace().collect();
    let small = words.iter().skip(1).filter(|w| w.chars().next().is_some_and(char::is_lowercase) && !PARTICLES.contains(w)).count();
    words.len() >= 3 && small >= 2 && words[0].chars().next().is_some_and(char::is_uppercase)
}

/// Whether the last word is an initial ("Sandra K.", "Priya N.").
fn initial_last(s: &str) -> bool {
    let last = s.rsplit(' ').next().unwrap_or("");
    s.contains(' ') && last.chars().count() == 2 && last.starts_with(char::is_uppercase) && last.ends_with('.')
}

/// Whether `s` reads as a commenter's name or handle.
pub fn name_like(s: &str) -> bool {
    name_like_as(s, false)
}

/// [`name_like`], where `fenced` says a prefix and a separator mark the
/// name off ("Posted by: Curtains in my Tree | …"): then it may hold the
/// small words of a blog's name.
fn name_like_as(s: &str, fenced: bool) -> bool {
    const STOP: &[&str] = &[
        "the",
        "and",
        "of",
        "to",
        "in",
        "for",
        "is",
        "with",
        "on",
        "at",
        "this",
        "that",
        "are",
        "was",
        "how",
        "why",
        "what",
        "your",
        "from",
        "more",
        "latest",
        "about",
        "options",
        "our",
        "all",
        "new",
        "my",
        "modified",
        "correction",
        "corrections",
        "tracked",
        "trackback",
        "pingback",
        "by",
        "presented",
        "sponsored",
        "discussed",
        "masthead",
        "profile",
        "avatar",
        "published",
        "originally",
        "updated",
        "filed",
    ];
    let words = n_words(s);
    (1..=5).contains(&words)
        && s.chars().count() <= 50
        && (!s.ends_with(['.', ',', ';', ':', '?', '!']) || initial_last(s))
        && s.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '(' || c == '_')
        && s.chars().any(char::is_alphabetic)
        && !crate::thread::page_furniture_words(s)
        && s.split_whitespace().all(|w| w.chars().count() <= 30)
        && (fenced || !s.split_whitespace().any(|w| STOP.iter().any(|x| x.eq_ignore_ascii_case(w))))
        && !s.contains("://")
        && !s.split_whitespace().any(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        && !s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("by "))
        && (fenced || !headline_words(s))
        // "6 min di lettura", "12 points": a count, not a name.
        && !s.split_whitespace().next().is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
        // A section label in capitals ("QUICKIES", "TECHNOLOGY"), not a name.
        && !(words == 1 && s.chars().filter(|c| c.is_alphabetic()).count() > 3 && !s.chars().any(char::is_lowercase))
}

/// The shape of `line` as a comment header, if it could be one: a name
/// with a date, a time, a "says" word, or a relative time.
pub fn header_shape(line: &str) -> Option<Shape> {
    // Past a permalink mark ("# posted by Blogger Joe : 11:58 AM") or a
    // vote button ("+ C98976 on August 9th, 2012 … said:").
    let line = line.trim().trim_start_matches('#').trim_start();
    let line = line.strip_prefix("+ ").unwrap_or(line);
    if line.len() > 160 || line.is_empty() {
        return None;
    }
    // Blogger glues the name to a numeric date ("Wesley Fryer10/8/12 8:26 PM").
    if let Some(at) = GLUED_DATE.captures(line).and_then(|c| c.get(1).or_else(|| c.get(2))).map(|m| m.start()) {
        return header_shape(&format!("{} {}", &line[..at], &line[at..]));
    }
    // "— Name (@handle) November 1, 2019" closes an embedded tweet or a
    // quotation.
    if line.starts_with(['—', '–', '-', '~']) || line.contains("(@") {
        return None;
    }
    // Cheap tests first, for the prose lines that make up most of a page: a
    // header is short (at most 18 words), and it has a digit (a date, a
    // time, a number) or a "says" or relative-time word.
    if n_words(line) > 18 || !(line.bytes().any(|b| b.is_ascii_digit()) || cue_words(line)) {
        return None;
    }
    if crate::headline::reading_time(line) {
        return None;
    }
    let mut classes: Vec<(usize, &'static str)> = Vec::new();
    let mut rest = line;
    let mut offset = 0;
    let mut depth = None;
    // Prefixes: an avatar's alt text, a number, "Posted by".
    loop {
        if let Some(m) = IMG.find(rest) {
            classes.push((offset, "IMG"));
            offset += m.end();
            rest = &rest[m.end()..];
        } else if let Some(c) = NUM.captures(rest).filter(|_| find_date(rest).is_none_or(|f| f.start > 0)) {
            let whole = c.get(0)?;
            let number = c.get(1)?.as_str();
            if number.contains('.') {
                depth = Some(number.matches('.').count() as u32);
            }
            classes.push((offset, "NUM"));
            offset += whole.end();
            rest = &rest[whole.end()..];
        } else if let Some(m) = BY.find(rest) {
            // "Posted by: X" (TypePad, Movable Type comments) is not "Posted by X" (the post's byline).
            classes.push((offset, if m.as_str().contains(':') { "BY:" } else { "BY" }));
            offset += m.end();
            rest = &rest[m.end()..];
        } else {
            break;
        }
    }
    // Spans of the rest that are not the name: says, dates, times, relative times, tallies.
    let mut cut: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut posted_at = None;
    if let Some(m) = SAYS.find(rest) {
        cut.push((m.start(), m.end(), "SAYS"));
    }
    // Before it, the date: what a "says" ending the line is followed by is not the header's.
    let scan_end = cut.first().map_or(rest.len(), |c| c.0);
    // Or "writes:" with the date after it ("by Quakeulf (2650167) writes: on
    // Tuesday July 24, @10:49AM"): the colon ends the cut.
    if let Some(m) = (cut.is_empty() && rest.contains(':')).then(|| SAYS_ON.find(rest)).flatten() {
        let colon = m.as_str().find(':').map_or(m.end(), |c| m.start() + c + 1);
        cut.push((m.start(), colon, "SAYS"));
    }
    let mut timed = false;
    if let Some(f) = find_date(&rest[..scan_end]) {
        posted_at = Some(f.timestamp());
        timed = f.datetime.is_some();
        cut.push((f.start, f.end, "DATE"));
    }
    // Each regex runs only where its shape could be: a digit beside ':', '.'
    // or 'h' for a time, a relative-time word, a month's letters, a bracket
    // or a count word for a tally.
    let bytes = rest.as_bytes();
    let digit = bytes.iter().any(u8::is_ascii_digit);
    let time_like = digit
        && (bytes.windows(3).any(|w| w[0].is_ascii_digit() && matches!(w[1], b':' | b'.' | b'h') && w[2].is_ascii_digit())
            || bytes.windows(4).any(|w| w[0].is_ascii_digit() && w[1] == b' ' && w[2] == b'h' && w[3] == b' '));
    let overlaps = |cut: &[(usize, usize, &str)], m: &regex::Match<'_>| cut.iter().any(|c| m.start() < c.1 && c.0 < m.end());
    if !digit || rest.contains(" ago") || cue_words(rest) {
        for m in REL.find_iter(rest) {
            if !overlaps(&cut, &m) {
                cut.push((m.start(), m.end(), "REL"));
            }
        }
    }
    if time_like {
        for m in TIME.find_iter(rest) {
            if !overlaps(&cut, &m) {
                cut.push((m.start(), m.end(), "TIME"));
            }
        }
    }
    if posted_at.is_none() && time_like && cut.iter().any(|c| c.2 == "TIME") {
        if let Some(m) = DAY.find_iter(rest).find(|m| !overlaps(&cut, m)) {
            cut.push((m.start(), m.end(), "DAY"));
        }
    }
    // "by hexagram (1204556)": past a "by", a user id in brackets marks the
    // name as a commenter's even where the header gives no date.
    let by = classes.iter().any(|c| c.1 == "BY");
    if rest.contains('(') || digit && (rest.contains(" point") || rest.contains(" pts") || rest.contains(" like") || rest.contains(" vote"))
    {
        for m in TALLY.find_iter(rest) {
            if !overlaps(&cut, &m) {
                // Not a year ("by Richard Dawkins (2006)": a book).
                let digits = m.as_str().trim_matches(['(', ')']);
                let year = digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"));
                let id = by && digits.len() >= 4 && !year && digits.bytes().all(|b| b.is_ascii_digit());
                // A commenter's points closing the line ("baroo 6 pts", Livefyre) mark a header.
                let points = m.end() == rest.trim_end().len() && (digits.ends_with(" pts") || digits.contains(" point"));
                cut.push((
                    m.start(),
                    m.end(),
                    if id {
                        "ID"
                    } else if points {
                        "PTS"
                    } else {
                        ""
                    },
                ));
            }
        }
    }
    // A day with no year counts only with a time beside it ("On Friday, November 2 at 10:44 am").
    let timed_day = cut.iter().any(|c| c.2 == "DAY");
    if !timed_day {
        cut.retain(|c| c.2 != "DAY");
    }
    if !cut.iter().any(|c| matches!(c.2, "SAYS" | "DATE" | "REL" | "TIME" | "ID" | "PTS")) {
        return None;
    }
    cut.sort_by_key(|c| c.0);
    // What is left, in pieces between the cuts; filler words are dropped.
    let mut pieces: Vec<(usize, String)> = Vec::new();
    let mut at = 0;
    for &(s, e, _) in cut.iter().chain(std::iter::once(&(rest.len(), rest.len(), ""))) {
        if s > at {
            // A reply names its parent after the replier ("Alice Wong  Kevin
            // Drummond", "GreenLaneRider ↑ PennyFarthing"): the first is the author.
            let raw = rest[at..s].trim();
            let raw = raw.split("  ").find(|p| !p.split_whitespace().all(filler)).unwrap_or(raw);
            let raw = raw.split(['↑', '→', '▸', '►']).next().unwrap_or(raw);
            // An avatar before the name ("… at 8:03 am [6aea6] Ivan"); a mark with no
            // letters after it ("[#]") is a permalink, not a name.
            let raw = IMG.find(raw).filter(|m| m.start() == 0 && m.end() < raw.len()).map_or(raw, |m| &raw[m.end()..]);
            if !raw.chars().any(char::is_alphanumeric) {
                at = at.max(e);
                continue;
            }
            // "posted on October 24, 2012 at 7:26 PM by Darren": a name after the date, past its "by".
            let raw = match raw.split_once(' ') {
                Some((by, name)) if at > 0 && ["by", "par", "von", "door", "por", "di"].iter().any(|w| by.eq_ignore_ascii_case(w)) => name,
                _ => raw,
            };
            let words: Vec<&str> = raw.split_whitespace().collect();
            // Drop filler at either end of the piece, and a count among the
            // widgets ("Like · Reply · 3 · April 26, 2012 at 3:02pm").
            let count = |w: &str| w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit());
            let a = words.iter().position(|w| !filler(w) && !count(w));
            let b = words.iter().rposition(|w| !filler(w) && !count(w));
            if let (Some(a), Some(b)) = (a, b) {
                let name = words[a..=b].join(" ");
                let name = name.trim_matches(|c: char| matches!(c, ',' | '|' | '-' | '–' | '—' | '·' | '•' | ':' | '/')).trim().to_owned();
                // Past the name, a handle or a link ("// Twitter: @jamie") is not a second name.
                let link = !pieces.is_empty() && (name.contains('@') || name.contains("http"));
                if !name.is_empty() && !link {
                    pieces.push((at, name));
                }
            }
        }
        at = at.max(e);
    }
    if pieces.is_empty() && classes.iter().all(|c| matches!(c.1, "NUM" | "IMG")) && timed && cut.iter().all(|c| c.2 != "SAYS") {
        // A date and time and nothing else (past a number or an avatar): a
        // header with no name shown, when it repeats.
        let signature = if classes.is_empty() { "DATE" } else { "NUM DATE" };
        return Some(Shape { signature: signature.into(), author: String::new(), posted_at, depth, closing: closing(line) });
    }
    if pieces.len() != 1 {
        return None;
    }
    let (name_at, author) = pieces.pop()?;
    // "Dave, Hackney, 26/4/2012 15:02": the name, then where they live.
    let mut author = author;
    if let Some((first, place)) = author.split_once(", ") {
        if place.split(", ").all(name_like) {
            author = first.to_owned();
        }
    }
    let author = own_name(&author);
    let fenced = classes.iter().any(|c| c.1 == "BY:") && rest[name_at..].contains(" | ");
    if !name_like_as(&author, fenced) {
        return None;
    }
    classes.push((offset + name_at, "NAME"));
    for &(s, _, class) in &cut {
        if !class.is_empty() {
            classes.push((offset + s, class));
        }
    }
    classes.sort_by_key(|c| c.0);
    let mut signature: Vec<&str> = Vec::new();
    // A user id is where a dateless header ("by hexagram (1204556)") differs
    // from its dated siblings ("by quietwire (873211) on Thursday …", "by
    // Anonymous Coward on …"): it stands in for the date, so all are one
    // shape, wherever the date comes ("by X (1234) writes: on Monday July 23, @9:58PM").
    let id = classes.iter().any(|c| c.1 == "ID");
    for (_, c) in classes {
        let c = match c {
            "DATE" | "TIME" | "DAY" | "REL" if id => continue,
            "ID" => "DATE",
            c => c,
        };
        // A time next to a date is part of it.
        if signature.last() != Some(&c) && !(c == "TIME" && signature.last() == Some(&"DATE")) {
            signature.push(c);
        }
    }
    Some(Shape { signature: signature.join(" "), author, posted_at, depth, closing: closing(line) })
}

/// The commenter's own name from what a header shows: the first of "replier
/// ↑ parent" or "replier  parent", a handle before a full name
/// ("dev_okafor Chidi Okafor"), without a poster's badge ("\[S\]", "(OP)").
pub fn own_name(shown: &str) -> String {
    let mut s = shown.trim();
    for sep in ["  ", "↑", "→", "▸", "►", " in reply to ", " replied to "] {
        if let Some((first, _)) = s.split_once(sep) {
            if !first.trim().is_empty() {
                s = first.trim();
            }
        }
    }
    // Squarespace's label glued to the name ("Unregistered CommenterFazal Majid").
    for label in ["Unregistered Commenter", "Registered Commenter"] {
        if let Some(rest) = s.strip_prefix(label).filter(|r| !r.trim().is_empty()) {
            s = rest.trim();
        }
    }
    for badge in ["[S]", "[M]", "[A]", "[op]", "(OP)", "(op)"] {
        s = s.strip_suffix(badge).unwrap_or(s).trim_end();
    }
    // A numeric user id before the name ("2691789 ReallySparky").
    if let Some((id, rest)) = s.split_once(' ') {
        if id.len() >= 4 && id.bytes().all(|b| b.is_ascii_digit()) && !rest.trim().is_empty() {
            s = rest.trim();
        }
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let handle =
        |w: &str| w.contains('_') || w.chars().any(|c| c.is_ascii_digit()) || w.chars().count() >= 5 && w.chars().all(|c| c.is_lowercase());
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    if words.len() >= 3 && handle(words[0]) && words[1..].iter().all(|w| capitalised(w)) {
        return words[0].to_owned();
    }
    s.to_owned()
}

/// Whether a reply or permalink widget ends the line.
fn closing(line: &str) -> bool {
    let t = line.trim_end().trim_end_matches(['#', '|', '·', '•', ' ', '.', '↑']);
    ["reply", "reply actions", "actions", "permalink", "link", "répondre", "antworten", "responder", "rispondi", "reageer"]
        .iter()
        .any(|w| t.len() >= w.len() && t.get(t.len() - w.len()..).is_some_and(|end| end.eq_ignore_ascii_case(w)))
}

/// A name on a line of its own (the first line of a two-line header).
/// Whether `line` has a word a digit-free header needs: a "says" word or a
/// relative time ("just now", "yesterday", "il y a", "vor", "hace", "fa").
fn cue_words(line: &str) -> bool {
    // One pass over the line's words, each looked up in a `match`: this runs
    // on every digit-free line of a page.
    let mut buf = [0u8; 12];
    line.split(|c: char| !c.is_alphanumeric()).any(|w| {
        if w.len() < 2 || w.len() > buf.len() {
            return false;
        }
        for (d, b) in buf.iter_mut().zip(w.bytes()) {
            *d = b.to_ascii_lowercase();
        }
        let Ok(lower) = std::str::from_utf8(&buf[..w.len()]) else { return false };
        matches!(
            lower,
            "says"
                | "said"
                | "wrote"
                | "writes"
                | "replied"
                | "responds"
                | "commented"
                | "dit"
                | "écrit"
                | "répondu"
                | "schrieb"
                | "schreibt"
                | "sagt"
                | "meint"
                | "antwortete"
                | "escribió"
                | "escribio"
                | "dijo"
                | "dice"
                | "comentó"
                | "comento"
                | "respondió"
                | "scrive"
                | "scritto"
                | "detto"
                | "risposto"
                | "zei"
                | "schreef"
                | "zegt"
                | "reageerde"
                | "disse"
                | "escreveu"
                | "comentou"
                | "diz"
                | "respondeu"
                | "ago"
                | "yesterday"
                | "now"
                | "vor"
                | "hace"
                | "fa"
                | "geleden"
                | "há"
        )
    })
}

fn name_only(line: &str) -> Option<String> {
    if line.len() > 160 || n_words(line) > 6 {
        return None;
    }
    // Past avatars and numbers: "[3db61] 1 Tami", "1. 1 Fortunato Saraiva".
    let mut l = line.trim();
    loop {
        let m = IMG.find(l).or_else(|| NUM.find(l));
        match m {
            Some(m) if m.start() == 0 && m.end() < l.len() => l = &l[m.end()..],
            _ => break,
        }
    }
    // Past the profile link a text browser shows before a linked name.
    if let Some((first, rest)) = l.split_once(' ') {
        if first.starts_with("http://") || first.starts_with("https://") {
            l = rest.trim_start();
        }
    }
    let l = own_name(l);
    let l = l.as_str();
    (n_words(l) <= 4 && l.len() <= 40 && name_like(l) && !SAYS.is_match(l) && find_date(l).is_none()).then(|| l.to_owned())
}

/// A date alone on line `i` (past a number) with a name alone right under
/// it (at most one blank line between): the date, the name and its line.
fn date_over_name(lines: &[LineView<'_>], i: usize) -> Option<(Option<DateTime>, String, usize)> {
    let text = lines[i].text.trim();
    let text = NUM.find(text).filter(|m| m.start() == 0).map_or(text, |m| &text[m.end()..]);
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let at = date_only(text)?;
    let j = (i + 1..lines.len().min(i + 3)).find(|&k| !lines[k].blank)?;
    if !(lines[j].free || lines[j].learned) || header_shape(lines[j].text).is_some() {
        return None;
    }
    name_only(lines[j].text).map(|name| (at, name, j))
}

/// Whether `line` is a day and nothing else ("Jan 9", "November 8th", "Mon, 26 Apr").
fn day_only(line: &str) -> bool {
    let t = line.trim().trim_end_matches(['.', ',']);
    t.len() <= 30 && DAY.find(t).is_some_and(|m| m.start() == 0 && m.end() == t.len())
}

/// The time a date-only line gives ("April 27, 2012 at 9:14 am", "3 hours ago").
fn date_only(line: &str) -> Option<Option<DateTime>> {
    let t = line.trim();
    if t.len() > 80 {
        return None;
    }
    if let Some(f) = date_line(t) {
        return Some(Some(f.timestamp()));
    }
    let rel = REL.find(t)?;
    let rest = format!("{} {}", &t[..rel.start()], &t[rel.end()..]);
    rest.split_whitespace().all(filler).then_some(None)
}

/// Words of prose on a line: a sentence or part of one (punctuated), or a
/// long line. Headlines and link text are short and unpunctuated.
fn prose_words(text: &str) -> usize {
    // Past a list number or an image's alt text ("1. ", "[PRUDIE_STA] 2. ").
    let text = text.trim();
    let text = if text.starts_with('[') { IMG.find(text).map_or(text, |m| &text[m.end()..]) } else { text };
    let text =
        if text.starts_with(|c: char| c.is_ascii_digit() || c == '#') { NUM.find(text).map_or(text, |m| &text[m.end()..]) } else { text };
    let w = n_words(text);
    let sentence = text.contains(['.', '!', '?', ',', ';']);
    if title_cased(text) {
        return 0;
    }
    if w >= 12 || w >= 3 && sentence { w } else { 0 }
}

/// A headline's capitals: most words of four letters or more start upper-case.
pub(crate) fn title_cased(text: &str) -> bool {
    let long: Vec<&str> = text.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4).collect();
    let capital = long.iter().filter(|w| w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase)).count();
    // Words in capitals throughout are shouting, not a headline's style.
    let shouted = long.iter().filter(|w| !w.chars().any(char::is_lowercase)).count();
    long.len() >= 3 && capital * 10 >= long.len() * 7 && shouted * 2 < long.len()
}

/// The records of the shapes that repeat on the page from line `from` on.
pub fn find(lines: &[LineView<'_>], from: usize) -> Vec<Record> {
    let n = lines.len();
    // Candidates: (line, date line, shape).
    let mut cands: Vec<(usize, Option<usize>, Shape)> = Vec::new();
    // Listed names shown after their profile's link ("• http://rickyleepotts.com/ rickyleepotts").
    let mut linked: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut i = from;
    while i < n {
        let l = &lines[i];
        if l.blank || !(l.free || l.learned) {
            i += 1;
            continue;
        }
        if let Some(s) = header_shape(l.text) {
            cands.push((i, None, s));
        } else if let Some((at, name, j)) = date_over_name(lines, i) {
            // The date, then the name under it ("1. November 5, 2012" / "Dan Garner").
            cands.push((i, Some(j), Shape { signature: "DATE/NAME".into(), author: name, posted_at: at, depth: None, closing: false }));
            i = j + 1;
            continue;
        } else if let Some(name) = name_only(l.text) {
            // The date directly under the name (at most one blank line between).
            let below = (i + 1..n.min(i + 3)).find(|&k| !lines[k].blank);
            if let Some(j) = below.filter(|&k| lines[k].free || lines[k].learned) {
                // A day with no year ("Jan 9", "November 8th") is a date line too, giving no time.
                let day = || day_only(lines[j].text).then_some((None, "NAME/DATE"));
                let dated = date_only(lines[j].text).map(|at| (at, if at.is_some() { "NAME/DATE" } else { "NAME/REL" }));
                if let Some((at, signature)) = dated.or_else(day) {
                    cands.push((
                        i,
                        Some(j),
                        Shape { signature: signature.into(), author: name, posted_at: at, depth: None, closing: false },
                    ));
                    i = j + 1;
                    continue;
                }
            }
            // An avatar and a name alone with the text indented under it
            // ("[505d5] Gibbo", then the comment four columns in): weak
            // alone, so only where it repeats (see below).
            let under = (i + 1..n).find(|&k| !lines[k].blank);
            // A listed or numbered name ("• Anonymous", Disqus; "1. Al") is weaker still: its own
            // shape, which needs the thread's opening above it (below).
            let avatar = l.text.starts_with('[');
            let listed = l.listed || NUM.find(l.text).is_some_and(|m| m.start() == 0);
            if (avatar || listed) && under.is_some_and(|k| lines[k].free && lines[k].indent > l.indent && prose_words(lines[k].text) > 0) {
                let signature = if avatar { "NAME/INDENT" } else { "LIST NAME/INDENT" };
                if l.text.starts_with("http") {
                    linked.insert(i);
                }
                cands.push((i, None, Shape { signature: signature.into(), author: name, posted_at: None, depth: None, closing: false }));
            }
        }
        i += 1;
    }
    if cands.is_empty() {
        return Vec::new();
    }
    let is_cand: HashMap<usize, usize> = cands.iter().enumerate().map(|(k, c)| (c.0, k)).collect();
    // Named headers bound a record's text; a date alone may sit inside one.
    let named: std::collections::HashSet<usize> = cands.iter().filter(|c| !c.2.author.is_empty()).map(|c| c.0).collect();
    // Each line's prose words, worked out once however many records look at it.
    let cache: Vec<std::cell::OnceCell<usize>> = (0..n).map(|_| std::cell::OnceCell::new()).collect();
    let words_at = |k: usize| *cache[k].get_or_init(|| prose_words(lines[k].text));
    let stops = |k: usize, sig: &str| named.contains(&k) || is_cand.get(&k).is_some_and(|&c| cands[c].2.signature == sig);
    // Prose in the free lines of [a, b), stopping at a taken line or a header.
    // A short list item the site repeats under every header ("□ Link to
    // this comment", "□ 10:11 am") is passed over like furniture.
    let widget = |l: &LineView<'_>| l.learned && l.listed && n_words(l.text) <= 5;
    let prose = |a: usize, b: usize, sig: &str| -> usize {
        let mut words = 0;
        for (k, l) in lines.iter().enumerate().take(b.min(n)).skip(a) {
            if l.blank || l.soft || widget(l) {
                continue;
            }
            if !l.free || stops(k, sig) {
                break;
            }
            if !is_cand.contains_key(&k) {
                words += words_at(k);
            }
        }
        words
    };
    let prose_back = |b: usize, sig: &str| -> usize {
        let mut words = 0;
        let mut k = b;
        while k > from {
            k -= 1;
            let l = &lines[k];
            if l.blank || l.soft {
                continue;
            }
            if !l.free || stops(k, sig) {
                break;
            }
            if !is_cand.contains_key(&k) {
                words += words_at(k);
            }
        }
        words
    };
    // The text block right above line `b`, when a taken line (a thread
    // header, a form) fences it off within `limit` lines: its prose words.
    let fenced_above = |b: usize, limit: usize| -> usize {
        let (mut words, mut seen, mut k) = (0, 0, b);
        while k > from {
            k -= 1;
            let l = &lines[k];
            if l.blank || l.soft {
                continue;
            }
            if !l.free {
                return words;
            }
            if is_cand.contains_key(&k) || seen >= limit {
                return 0;
            }
            seen += 1;
            words += words_at(k);
        }
        0
    };
    // Prose right above line `b` (within 30 lines), with a thread's opening right above that.
    let text_under_opening = |b: usize| {
        let (mut words, mut k) = (0, b);
        while k > from && b - k < 30 {
            k -= 1;
            let l = &lines[k];
            if l.blank || l.soft {
                continue;
            }
            if !l.free {
                return words > 0 && l.opens_thread;
            }
            if is_cand.contains_key(&k) {
                return false;
            }
            words += words_at(k);
        }
        false
    };
    let opened_near = |b: usize| {
        (from..b).rev().filter(|&j| !lines[j].blank).take(4).any(|j| {
            let t = lines[j].text.to_lowercase();
            const TALK: &[&str] = &[
                "comments",
                "commenting",
                "commenter",
                "kommentare",
                "kommentieren",
                "commentaires",
                "comentarios",
                "commenti",
                "comentários",
                "reacties",
            ];
            lines[j].opens_thread || TALK.iter().any(|w| t.contains(w))
        })
    };
    let mut by_sig: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, c) in cands.iter().enumerate() {
        by_sig.entry(c.2.signature.as_str()).or_default().push(k);
    }
    let mut chosen: Vec<(usize, bool)> = Vec::new(); // (candidate, trailing)
    let mut lone: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut sigs: Vec<_> = by_sig.into_iter().collect();
    sigs.sort_by_key(|(_, ks)| ks[0]);
    for (sig, mut ks) in sigs {
        // A first occurrence far above the rest (the article's own byline or
        // dateline over a thread of the same shape) is not one of its records.
        if ks.len() >= 3 {
            let mut gaps: Vec<usize> = ks.windows(2).skip(1).map(|w| cands[w[1]].0 - cands[w[0]].0).collect();
            gaps.sort_unstable();
            let median = gaps[gaps.len() / 2];
            if cands[ks[1]].0 - cands[ks[0]].0 > (3 * median).max(30) {
                ks.remove(0);
            }
        }
        // So is one above the thread's opening when the rest lie under it
        // (and not one under an opening already: "1 response" under a comment
        // is that comment's reply count).
        let opening_in = |a: usize, b: usize| (a..b).any(|j| lines[j].opens_thread);
        if ks.len() >= 2 && opening_in(cands[ks[0]].0, cands[ks[1]].0) && !opening_in(from, cands[ks[0]].0) {
            ks.remove(0);
        }
        if ks.len() == 1 {
            // One comment shows no repeated shape; it counts when a thread's
            // opening sits right above it and its header is strong: a name
            // with "says" or with a date and time.
            let k = ks[0];
            let c = &cands[k];
            let strong = !c.2.author.is_empty()
                && (c.2.signature.contains("SAYS")
                    || c.2.signature.ends_with("PTS")
                    || c.2.posted_at.is_some_and(|t| t.micros_since_epoch() % 86_400_000_000 != 0));
            let opening = (from..c.0).rev().filter(|&j| !lines[j].blank && !lines[j].soft).take(4).find(|&j| lines[j].opens_thread);
            let opened = opening.is_some();
            // Under "One Comment" a name with a date is header enough.
            let one = opening.is_some_and(|j| {
                let t = lines[j].text.trim_start().to_lowercase();
                t.starts_with("1 ") || t.starts_with("one ")
            });
            let strong = strong || one && !c.2.author.is_empty() && c.2.posted_at.is_some();
            // Under the opening, any words count as its text ("Yay! :)"), not only prose.
            let said = || {
                (c.1.unwrap_or(c.0) + 1..n)
                    .filter(|&j| !lines[j].blank)
                    .take(2)
                    .any(|j| lines[j].free && !is_cand.contains_key(&j) && date_only(lines[j].text).is_none() && n_words(lines[j].text) > 0)
            };
            if strong && opened && (prose(c.1.unwrap_or(c.0) + 1, n, sig) > 0 || said()) {
                lone.insert(k);
                chosen.push((k, false));
            } else if !c.2.author.is_empty() && c.2.posted_at.is_some() && c.1.is_none() && text_under_opening(c.0) {
                // Or a byline with a name and a date right under the one
                // comment's text, which the thread's opening fences above
                // ("Reader Comments (1)", the text, "October 19, 2012 | Fazal Majid").
                lone.insert(k);
                chosen.push((k, true));
            }
            continue;
        }
        let after = |k: usize| {
            let c = &cands[k];
            prose(c.1.unwrap_or(c.0) + 1, n, sig)
        };
        let with_prose_after = ks.iter().filter(|&&k| after(k) > 0).count();
        let last = *ks.last().unwrap_or(&ks[0]);
        // Bylines under their text: no prose after the last, prose above most.
        let with_prose_before = ks.iter().filter(|&&k| prose_back(cands[k].0, sig) > 0).count();
        // "Posted by: X | date" (TypePad, Movable Type) closes its comment, whatever follows the thread.
        let closes =
            sig.starts_with("BY:") || sig.starts_with("NUM BY:") || ks.iter().filter(|&&k| cands[k].2.closing).count() * 2 > ks.len();
        // The first comment's text fenced off by the thread's opening above it
        // (the header of a leading-header thread sits right under that line).
        let longest = ks.windows(2).map(|w| cands[w[1]].0 - cands[w[0]].0).max().unwrap_or(0);
        let opened_by_text = fenced_above(cands[ks[0]].0, longest.max(3)) > 0;
        // Where the widgets sit: right under a trailing byline ("Click to
        // rate", "Report abuse"), right over a leading header (the comment
        // above's "Reply").
        let nonblank = |j: &usize| !lines[*j].blank;
        // Under the header: nothing but widgets (or taken lines).
        let widgets_right_under = |k: usize| {
            let at = cands[k].1.unwrap_or(cands[k].0);
            let window: Vec<usize> = (at + 1..n).filter(nonblank).take(2).collect();
            !window.is_empty() && window.iter().all(|&j| crate::thread::is_widget(lines[j].text) || !lines[j].free)
        };
        // Over the header: a widget right there.
        let widget_right_over = |k: usize| (from..cands[k].0).rev().find(nonblank).is_some_and(|j| crate::thread::is_widget(lines[j].text));
        let widgets_under = ks.iter().filter(|&&k| widgets_right_under(k)).count();
        let widgets_over = ks.iter().filter(|&&k| widget_right_over(k)).count();
        let footer = widgets_under * 2 >= ks.len() && widgets_under > widgets_over;
        let trailing = with_prose_before * 5 >= ks.len() * 3
            && (with_prose_before > with_prose_after && (after(last) == 0 || closes || opened_by_text)
                || with_prose_before >= with_prose_after && footer
                // Every "Posted by: X | date" with text above it: the text is its comment's.
                || closes && with_prose_before == ks.len() && with_prose_before >= with_prose_after);
        let good = if trailing { with_prose_before } else { with_prose_after };
        // "By Name | date" heads articles: as comment headers, bylines must
        // recur at least three times and name more than one person.
        let byline = cands[ks[0]].2.signature.split(' ').any(|c| c == "BY");
        let mut names: Vec<&str> = ks.iter().map(|&k| cands[k].2.author.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        if byline && (ks.len() < 3 || names.len() < 2) {
            continue;
        }
        // A name over indented text is a header only in a run of three or
        // more with at least two names.
        if sig.ends_with("NAME/INDENT") && (ks.len() < 3 || names.len() < 2) {
            continue;
        }
        // A list of names over indented text is a thread only under its
        // opening (a thread header, a comment form, a line about commenting),
        // where it nests (replies listed deeper than what they answer), or
        // where most names come after their profile's link.
        let nested = ks.iter().any(|&k| lines[cands[k].0].indent != lines[cands[ks[0]].0].indent);
        let profiles = ks.iter().filter(|&&k| linked.contains(&cands[k].0)).count() * 2 > ks.len();
        if sig == "LIST NAME/INDENT" && !opened_near(cands[ks[0]].0) && !nested && !profiles {
            continue;
        }
        // Records of one shape are written alike: where most headers are not
        // list items, the list items among them belong to a list ("• Board
        // meeting - Tue, 05/15/2012" under a Drupal thread), and the other way round.
        let listed = ks.iter().filter(|&&k| lines[cands[k].0].listed).count();
        if ks.len() >= 3 && listed * 4 <= ks.len() && listed > 0 {
            ks.retain(|&k| !lines[cands[k].0].listed);
        }
        // One name on three or more records is a section's feed ("The Briefing"), not a conversation.
        if ks.len() >= 3 && names.len() == 1 && !names[0].is_empty() {
            continue;
        }
        if good >= 2 && good * 5 >= ks.len() * 3 {
            // A trailing byline with no text above it (the article's own) is not a record.
            chosen.extend(ks.iter().filter(|&&k| !trailing || prose_back(cands[k].0, sig) > 0).map(|&k| (k, trailing)));
        }
    }
    // Dates alone are headers only where no named shape is: beside one they
    // are the time stamps under (or over) its comments.
    if chosen.iter().any(|&(k, _)| !cands[k].2.author.is_empty()) {
        chosen.retain(|&(k, _)| !cands[k].2.author.is_empty());
    }
    chosen.sort_by_key(|c| c.0);
    let mut out = Vec::with_capacity(chosen.len());
    let mut prev_end = from;
    for (k, trailing) in chosen {
        let (line, date_line, s) = &cands[k];
        let first = out.is_empty();
        let text_from = if trailing {
            // The text above: back to the previous record or a taken line;
            // above the first record, only as far as lines of prose go (not
            // into "Newest | Oldest" or "View all" over the thread).
            let mut start = *line;
            let mut j = *line;
            while j > prev_end {
                j -= 1;
                let l = &lines[j];
                if l.blank {
                    continue;
                }
                // A one-line paragraph without prose ("View all") above the first comment's text.
                let lone = (j == 0 || lines[j - 1].blank) && lines.get(j + 1).is_none_or(|l| l.blank);
                if !l.free || is_cand.contains_key(&j) || first && start < *line && lone && words_at(j) == 0 {
                    break;
                }
                start = j;
            }
            (start < *line).then_some(start)
        } else {
            None
        };
        prev_end = date_line.unwrap_or(*line) + 1;
        let name_under = s.signature == "DATE/NAME";
        // A byline with no name under text that a name heads ("Marcus Bell ·
        // Works at Harlow Engineering", the text, "Like · Reply · April 26,
        // 2012 at 3:02pm"): the name is the commenter's, the text starts under it.
        let named_above = text_from.filter(|_| s.author.is_empty()).and_then(|t| {
            let shown = lines[t].text.trim();
            let name = name_only(shown.split(" · ").next().unwrap_or(shown)).filter(|_| n_words(shown) <= 8 && words_at(t) == 0)?;
            let under = (t + 1..*line).find(|&k| !lines[k].blank && lines[k].free)?;
            Some((name, t, under))
        });
        let (author, name_line, text_from) = match named_above {
            Some((name, t, under)) => (name, Some(t), Some(under)),
            None => (s.author.clone(), if name_under { *date_line } else { None }, text_from),
        };
        out.push(Record {
            line: *line,
            date_line: if name_under { None } else { *date_line },
            name_line,
            text_from,
            author,
            posted_at: s.posted_at,
            depth: s.depth,
            lone: lone.contains(&k),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(line: &str) -> Option<(String, String, Option<String>)> {
        header_shape(line).map(|s| (s.signature, s.author, s.posted_at.map(|t| t.to_string())))
    }

    fn check(line: &str, sig: &str, author: &str, at: Option<&str>) {
        assert_eq!(shape(line), Some((sig.to_owned(), author.to_owned(), at.map(str::to_owned))), "{line:?}");
    }

    #[test]
    fn headers_in_many_shapes_and_languages() {
        check("1. Lorna Price says:", "NUM NAME SAYS", "Lorna Price", None);
        check("Posted by: matt wilbert at October 28, 2012 02:30 PM", "BY: NAME DATE", "matt wilbert", Some("2012-10-28T14:30:00"));
        check("Posted by: Jane Smith | April 26, 2012 at 03:02 PM", "BY: NAME DATE", "Jane Smith", Some("2012-04-26T15:02:00"));
        check("Posted by Kathy on April 6, 2007 | Permalink", "BY NAME DATE", "Kathy", Some("2007-04-06T00:00:00"));
        check("Comment #4 - Posted by: Dave at 3:02 PM", "NUM BY: NAME TIME", "Dave", None);
        check("Name On Friday, November 2, 2012 at 12:14 pm", "NAME DATE", "Name", Some("2012-11-02T12:14:00"));
        check("[3db61] 1 Tami November 7, 2012 at 3:04 AM", "IMG NUM NAME DATE", "Tami", Some("2012-11-07T03:04:00"));
        check("Marie Dubois a dit :", "NAME SAYS", "Marie Dubois", None);
        check("Klaus Meier schrieb:", "NAME SAYS", "Klaus Meier", None);
        check("Lucía escribió:", "NAME SAYS", "Lucía", None);
        check("Giulia scrive:", "NAME SAYS", "Giulia", None);
        check("Pieter zei:", "NAME SAYS", "Pieter", None);
        check("Red Ken • 3 years ago", "NAME REL", "Red Ken", None);
        check(
            "by Username (1234) on Thursday April 26, 2012 @03:02PM (#39800000)",
            "BY NAME DATE",
            "Username",
            Some("2012-04-26T15:02:00"),
        );
        check("[–]username 12 points 3 hours ago", "IMG NAME REL", "username", None);
        check("door Jan de Vries » do 26 apr 2012, 15:02", "BY NAME DATE", "Jan de Vries", Some("2012-04-26T15:02:00"));
        check("Ana Souza 26 de abril de 2012 às 15:02", "NAME DATE", "Ana Souza", Some("2012-04-26T15:02:00"));
        check("Dave, Hackney, United Kingdom, 26/4/2012 15:02", "NAME DATE", "Dave", Some("2012-04-26T15:02:00"));
        check("Alice Wong  Kevin Drummond • 3 years ago", "NAME REL", "Alice Wong", None);
        check("Lora Lee On Thursday, November 1 at 2:57 pm", "NAME DAY TIME", "Lora Lee", None);
        check("Marrije Says:", "NAME SAYS", "Marrije", None);
        check("Sandra K. (not verified) on Thu, 04/26/2012 - 16:40", "NAME DATE", "Sandra K.", Some("2012-04-26T16:40:00"));
        // Slashdot: a user id stands in for the date where the header gives none,
        // so dated and dateless replies share one shape.
        check("by hexagram (1204556)", "BY NAME DATE", "hexagram", None);
        check("by Anonymous Coward on Thursday April 26, 2012 @04:10PM", "BY NAME DATE", "Anonymous Coward", Some("2012-04-26T16:10:00"));
        // Its later pages put "writes:" between the id and the date.
        check("by poity (465672) writes:", "BY NAME DATE SAYS", "poity", None);
        check("by Quakeulf (2650167) writes: on Tuesday July 24, @10:49AM (#40749619)", "BY NAME DATE SAYS", "Quakeulf", None);
        // Past the header, links to the commenter's homepage and journal.
        check("by Taco Cowboy (5327) writes: on Monday July 23, @10:29PM (#40744895) Journal", "BY NAME DATE SAYS", "Taco Cowboy", None);
        check("Bob writes: on 12 May 2012 at 10:00", "NAME SAYS DATE", "Bob", Some("2012-05-12T10:00:00"));
        // A count among the widgets is no name: the header is the date alone.
        check("Like · Reply · 3 · April 26, 2012 at 3:02pm", "DATE", "", Some("2012-04-26T15:02:00"));
    }

    #[test]
    fn a_year_in_brackets_is_not_a_user_id() {
        // A book and its year, and a short tally, are not a commenter's id.
        assert_eq!(shape("by Richard Dawkins (2006)"), None);
        assert_eq!(shape("by Jane Austen (12)"), None);
    }

    #[test]
    fn own_names() {
        assert_eq!(own_name("GreenLaneRider ↑ PennyFarthing"), "GreenLaneRider");
        assert_eq!(own_name("dev_okafor Chidi Okafor"), "dev_okafor");
        assert_eq!(own_name("braisedleek[S]"), "braisedleek");
        assert_eq!(own_name("Mary Ann Smith"), "Mary Ann Smith");
    }

    #[test]
    fn prose_and_headlines_are_not_headers() {
        for line in [
            "As the minister said in the house, the cuts were unfair, and then he wrote:",
            "Ken said Labour had made a big mistake.",
            "Thursday, 26 August 2010",
            "How the council spent the money in 2012",
            "The rise and fall of the Liberal Democrats, April 26, 2012",
            "Reply",
        ] {
            assert_eq!(shape(line), None, "{line:?}");
        }
        // An embedded tweet's attribution and an article byline.
        assert_eq!(shape("— Josh Apte (@joshapte) November 3, 2019"), None);
        // A handle after the date, and a separator left dangling, are not a second name.
        check(
            "1. Jamie Wayne, on November 7th, 2012 // Twitter: @jamieguijarro",
            "NUM NAME DATE",
            "Jamie Wayne",
            Some("2012-11-07T00:00:00"),
        );
        check("3. David Airey, on November 7th, 2012 //", "NUM NAME DATE", "David Airey", Some("2012-11-07T00:00:00"));
        check("posted on Wednesday, October 24, 2012 at 7:26 PM by Darren", "DATE NAME", "Darren", Some("2012-10-24T19:26:00"));
        check("Posted by: Sabrina at October 11, 2012 7:45 AM [#]", "BY: NAME DATE", "Sabrina", Some("2012-10-11T07:45:00"));
        // (Day and month are read as the dates module reads an ambiguous numeric date.)
        assert_eq!(shape("Wesley Fryer10/8/12 8:26 PM").map(|s| (s.0, s.1)), Some(("NAME DATE".into(), "Wesley Fryer".into())));
        assert_eq!(shape("Zoë10/8/12 8:26 PM").map(|s| s.1), Some("Zoë".into()), "a letter of two bytes before the date");
        check("Petal26 October 2012 17:44", "NAME DATE", "Petal", Some("2012-10-26T17:44:00"));
        check(
            "Anna (South Molton St Style)26 October 2012 17:38",
            "NAME DATE",
            "Anna (South Molton St Style)",
            Some("2012-10-26T17:38:00"),
        );
        check("Ashley KOctober 22, 2012 12:12 PM", "NAME DATE", "Ashley K", Some("2012-10-22T12:12:00"));
        check("fieryredhead686October 22, 2012 1:23 PM", "NAME DATE", "fieryredhead686", Some("2012-10-22T13:23:00"));
        check("baroo 6 pts", "NAME PTS", "baroo", None);
        check(
            "Posted by: Curtains in my Tree | June 08, 2012 at 02:29 PM",
            "BY: NAME DATE",
            "Curtains in my Tree",
            Some("2012-06-08T14:29:00"),
        );
        check("+ C98976 on August 9th, 2012 at 10:16 am said:", "NAME DATE SAYS", "C98976", Some("2012-08-09T10:16:00"));
        check("1. on 2012-10-16 at 8:03 am [6aea6] Ivan", "NUM DATE NAME", "Ivan", Some("2012-10-16T08:03:00"));
    }

    fn view(text: &str) -> Vec<LineView<'_>> {
        text.lines()
            .map(|l| LineView {
                text: l.trim(),
                blank: l.trim().is_empty(),
                free: true,
                soft: false,
                indent: l.len() - l.trim_start().len(),
                opens_thread: false,
                listed: false,
                learned: false,
            })
            .collect()
    }

    #[test]
    fn a_repeated_shape_with_prose_between_is_a_thread() {
        let page = "Article text here that goes on for a while, as articles do.\n\nAnna July 7, 2012 at 2:31 pm\n\nI loved this, thank you for writing it.\n\nReply\n\nBob July 8, 2012 at 9:00 am\n\nNot sure I agree with you, but well argued.\n";
        let r = find(&view(page), 0);
        assert_eq!(r.iter().map(|r| r.author.as_str()).collect::<Vec<_>>(), ["Anna", "Bob"]);
        assert_eq!(r[1].posted_at.map(|t| t.to_string()).as_deref(), Some("2012-07-08T09:00:00"));
    }

    /// Lines as the page gives them to [`find`]: bullets stripped and marked,
    /// and the lines `learned` names taken as the corpus's repeated lines.
    fn listed_view<'a>(page: &'a str, learned: &[&str]) -> Vec<LineView<'a>> {
        let mut lines = view(page);
        for l in &mut lines {
            if let Some(rest) = l.text.strip_prefix("• ") {
                l.text = rest;
                l.listed = true;
            }
            if learned.contains(&l.text) {
                (l.free, l.learned) = (false, true);
            }
        }
        lines
    }

    /// `view(page)` with lines `at` taken as the thread's opening (a thread header or a form).
    fn opened_view<'a>(page: &'a str, at: &[usize]) -> Vec<LineView<'a>> {
        let mut lines = view(page);
        for &k in at {
            (lines[k].free, lines[k].opens_thread) = (false, true);
        }
        lines
    }

    const DISQUS: &str = "Article text here that goes on for a while, as articles do.\n\nPlease read our guidelines before commenting.\n\n  • Anonymous\n\n    data = plural, as every editor knows.\n\n  • http://twitter.com/bh Barry Hollander\n\n    As a number cruncher, I am glad to see the models vindicated.\n\n  • Anonymous\n\n    Well, that is some of the story, not all of it.\n";

    #[test]
    fn listed_names_over_indented_text_under_the_threads_opening() {
        let r = find(&listed_view(DISQUS, &[]), 0);
        assert_eq!(r.iter().map(|r| r.author.as_str()).collect::<Vec<_>>(), ["Anonymous", "Barry Hollander", "Anonymous"]);
        // A regular's name (or "Anonymous") that the site repeats on every page is still a header.
        let r = find(&listed_view(DISQUS, &["Anonymous"]), 0);
        assert_eq!(r.len(), 3);
        // The same list with no opening above it is a sidebar of sections.
        let sidebar = DISQUS.replace("Please read our guidelines before commenting.", "Elsewhere on the site");
        assert!(find(&listed_view(&sidebar, &[]), 0).is_empty());
        // Numbered names are listed too ("1. 1. Al").
        let numbered = DISQUS.replacen("  • ", " 1. 1. ", 1).replacen("  • ", " 2. 2. ", 1).replacen("  • ", " 3. 3. ", 1);
        assert_eq!(find(&view(&numbered), 0).len(), 3);
        // Unless most names come after their profile's link.
        let linked = sidebar.replace("  • Anonymous", "  • https://disqus.com/by/anon/ Anonymous");
        assert_eq!(find(&listed_view(&linked, &[]), 0).len(), 3);
        // Or it nests: a reply listed deeper than what it answers.
        let nested = sidebar
            .replace("  • http://twitter.com/bh Barry Hollander\n\n    As", "      • http://twitter.com/bh Barry Hollander\n\n        As");
        assert_eq!(find(&listed_view(&nested, &[]), 0).len(), 3);
    }

    #[test]
    fn a_date_over_a_name_heads_a_record() {
        let page = "Article text here that goes on for a while, as articles do.\n\n 1. November 5, 2012\n\n    Dan Garner\n\n    I too need to sharpen my focus, and quit checking email.\n\n 2. November 6, 2012\n\n    Gigi\n\n    I need to start pursuing more speaking opportunities.\n";
        let r = find(&view(page), 0);
        assert_eq!(r.iter().map(|r| (r.author.as_str(), r.name_line)).collect::<Vec<_>>(), [("Dan Garner", Some(4)), ("Gigi", Some(10))]);
        assert_eq!(r[1].posted_at.map(|t| t.to_string()).as_deref(), Some("2012-11-06T00:00:00"));
        assert!(r.iter().all(|r| r.date_line.is_none()));
    }

    #[test]
    fn repeated_widgets_under_two_line_headers_keep_them_leading() {
        let page = "Article text here that goes on for a while, as articles do.\n\n 1. Jack Friday\n\n      • November 6th, 2012\n      • Link to this comment\n\n    Great to see axe spelt correctly, Ed.\n\n 2. Observer\n\n      • November 6th, 2012\n      • Link to this comment\n\n    May I observe that I agree?\n\n 3. Doc\n\n      • November 7th, 2012\n      • Link to this comment\n\n    This song foretells the future.\n";
        let r = find(&listed_view(page, &["Link to this comment", "November 6th, 2012"]), 0);
        assert_eq!(r.iter().map(|r| r.author.as_str()).collect::<Vec<_>>(), ["Jack Friday", "Observer", "Doc"]);
        assert!(r.iter().all(|r| r.text_from.is_none()), "headers over their text, not bylines under it");
    }

    #[test]
    fn one_comment_with_its_byline_under_it_below_the_threads_opening() {
        let page = "Article text here that goes on for a while, as articles do.\n\nReader Comments (1)\n\nFor disk I/O, the difference in performance is threefold, and reliability is better too.\n\nOctober 19, 2012 | Unregistered CommenterFazal Majid\n";
        let r = find(&opened_view(page, &[2]), 0);
        assert_eq!(r.iter().map(|r| (r.author.as_str(), r.text_from, r.lone)).collect::<Vec<_>>(), [("Fazal Majid", Some(4), true)]);
        // Without the opening above, a lone byline is no comment.
        assert!(find(&view(page), 0).is_empty());
    }

    #[test]
    fn a_lone_comment_of_a_few_words_under_the_threads_opening() {
        let page = "Article text here that goes on for a while, as articles do.\n\n1 Comment\n\n[avatar]\n\nalthaf on March 26, 2010 at 6:36 am said:\n\nThanko\n";
        let mut lines = opened_view(page, &[2]);
        (lines[4].free, lines[4].soft) = (false, true);
        let r = find(&lines, 0);
        assert_eq!(r.iter().map(|r| (r.author.as_str(), r.lone)).collect::<Vec<_>>(), [("althaf", true)]);
    }

    #[test]
    fn the_articles_byline_above_the_opening_leaves_the_one_comment_lone() {
        let page = "by Ann Lee on November 8, 2010 at 9:00 am\n\nArticle text here that goes on for a while, as articles do.\n\nOne comment\n\nThis list is inspiring, and your example is pushing me to do something.\n\nby Gianluca on November 8, 2010 at 4:14 pm. Reply #\n";
        let r = find(&opened_view(page, &[4]), 0);
        assert_eq!(r.iter().map(|r| (r.author.as_str(), r.text_from)).collect::<Vec<_>>(), [("Gianluca", Some(6))]);
    }

    #[test]
    fn a_day_with_no_year_under_a_name_is_a_two_line_header() {
        let page = "Article text here that goes on for a while, as articles do.\n\nHarriet Osei\nApr 27, 2017\n\nI would love a follow-up on how you priced the sourdough.\n\nJo Ferrante\nJan 9\n\nCame back to this after opening my own stall at the market.\n";
        let r = find(&view(page), 0);
        assert_eq!(
            r.iter().map(|r| (r.author.as_str(), r.date_line)).collect::<Vec<_>>(),
            [("Harriet Osei", Some(3)), ("Jo Ferrante", Some(8))]
        );
        assert_eq!(r[1].posted_at, None, "no year, no timestamp");
        // A reply count under a comment ("1 response") is no thread opening that would cut the first record off.
        let counted = page.replace("sourdough.\n", "sourdough.\n\n1 response\n").replace("\n\nHarriet", "\n\nResponses\n\nHarriet");
        let lines = opened_view(&counted, &[2, 9]);
        assert!([2, 9].iter().all(|&k| matches!(lines[k].text, "Responses" | "1 response")));
        assert_eq!(find(&lines, 0).len(), 2);
    }

    #[test]
    fn a_list_of_dated_links_is_not_a_thread() {
        let page = "Article text here.\n\nRecent posts\n\nBudget Day July 7, 2012\nCouncil Vote July 8, 2012\nNew Mayor July 9, 2012\n";
        assert!(find(&view(page), 0).is_empty());
    }

    #[test]
    fn two_line_headers_and_trailing_bylines() {
        let page = "Lorna Price\nApril 27, 2012 at 9:14 am\nWhat a lovely idea, we tried it at home.\n\nSam Hill\nApril 28, 2012 at 10:00 am\nSame here, and the kids loved it too.\n";
        let r = find(&view(page), 0);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].author.as_str(), r[0].date_line), ("Lorna Price", Some(1)));
        let page = "Comments\n\nI think you are right about the drought.\n\nPosted by: matt at October 28, 2012 02:30 PM\n\nAnd yet growth goes on, somehow.\n\nPosted by: jon at October 28, 2012 04:59 PM\n\nLeave a comment\n";
        let mut v = view(page);
        v[0].free = false;
        v.last_mut().expect("line").free = false;
        let r = find(&v, 0);
        assert_eq!(r.iter().map(|r| (r.author.as_str(), r.text_from)).collect::<Vec<_>>(), [("matt", Some(2)), ("jon", Some(6))]);
    }

    #[test]
    fn a_name_over_the_text_with_the_date_under_it_names_the_commenter() {
        // Facebook comments: "Name · Works at X", the text, "Like · Reply · date".
        let page = "Article text here that goes on for a while, as articles do.\n\n7 comments\n\n  Marcus Bell · Works at Harlow Engineering\n  This is fantastic news, I took the class back in 2009.\n  Like · Reply · 3 · April 26, 2012 at 3:02pm\n    Jenna Ortiz · Top Commenter\n    Same here, and half the time it was cloudy anyway!\n    Like · Reply · 1 · April 26, 2012 at 4:10pm\n  Dale Kirkpatrick · Top Commenter\n  Nice that it is free, but who is paying for the staff?\n  Like · Reply · April 26, 2012 at 6:45pm\n";
        let r = find(&opened_view(page, &[2]), 0);
        let got: Vec<_> = r.iter().map(|r| (r.author.as_str(), r.name_line, r.text_from)).collect();
        assert_eq!(got, [("Marcus Bell", Some(4), Some(5)), ("Jenna Ortiz", Some(7), Some(8)), ("Dale Kirkpatrick", Some(10), Some(11))]);
    }

    #[test]
    fn posted_by_closes_its_comment_whatever_prose_follows_the_thread() {
        // TypePad: every byline under its text, then a preview form with prose in it.
        let page = "Comments\n\nI think you are right about the drought.\n\nPosted by: Rob | April 26, 2012 at 12:40 PM\n\nAnd yet growth goes on, somehow.\n\nPosted by: Mags | April 26, 2012 at 03:02 PM\n\nThis is only a preview. Your comment has not yet been posted.\n";
        let mut v = view(page);
        v[0].free = false;
        let r = find(&v, 0);
        assert_eq!(r.iter().map(|r| (r.author.as_str(), r.text_from)).collect::<Vec<_>>(), [("Rob", Some(2)), ("Mags", Some(6))]);
    }
}
