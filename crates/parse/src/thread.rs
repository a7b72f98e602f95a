//! Comment headers: the line that opens a comment in the thread shapes
//! scrapers produce.
//!
//! - numbered: `1. Jon Lansman says:`, with `1.2.` sub-numbering for replies;
//! - said: `Name said...` (Blogger), `Name on 13 September 2018 at 5:23 pm said:`;
//! - Disqus: `Name • 3 years ago`;
//! - news sites: `Name, Place, 26/4/2012 15:02`;
//! - name and date: `Name | 26 April 2012`, `Name April 26, 2012 at 3:02 pm`.

use std::sync::LazyLock;

use hustings_core::DateTime;
use regex::Regex;

use crate::dates::{date_line, find_date};
use crate::lines::n_words;
use crate::rules;

/// What a comment header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The commenter.
    pub author: Option<String>,
    /// When, if the header gives an absolute date.
    pub posted_at: Option<DateTime>,
    /// Depth from sub-numbering (`1.2.` is 1), when numbered.
    pub depth: Option<u32>,
}

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,6}(?:\.\d{1,4})*)\.?\s+(.{1,80}?)(?:\s+on\s+(.{4,60}?))?\s+(?:says|said|wrote)\s*(?::|\.\.\.|…)?$")
        .expect("valid regex")
});
static SAID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.{1,80}?)(?:\s+on\s+(.{4,60}?))?\s+(?:says|said|wrote)\s*(?::|\.\.\.|…)$").expect("valid regex"));
static DISQUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(.{1,60}?)\s+[•·]\s+(?:(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago|edited|just now)\b.*$")
        .expect("valid regex")
});
/// Drupal-style: "Jon Gold on Fri, 11/03/2006 - 10:33pm.", "Submitted by X (not verified) on …".
static NAME_ON_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:submitted by\s+)?(.{1,60}?)(?:\s+\(not verified\))?\s+on\s+(.{6,60}?)\.?$").expect("valid regex"));
static NEWS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([^,]{2,60}),\s*([^,]{2,60}),\s*(.{6,40})$").expect("valid regex"));

fn when(text: Option<&str>) -> Option<DateTime> {
    find_date(text?).map(|f| f.timestamp())
}

fn name_like(s: &str) -> bool {
    let words = n_words(s);
    (1..=6).contains(&words)
        && !s.ends_with(['.', ',', ';', ':'])
        && s.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '(')
        && s.chars().any(char::is_alphabetic)
        && !page_furniture_words(s)
}

/// Whether `s` has a word of page furniture, never of a commenter's name
/// ("Post navigation", "Show more comments", "Scroll back to top").
pub fn page_furniture_words(s: &str) -> bool {
    const UI: &[&str] = &[
        "navigation",
        "scroll",
        "register",
        "login",
        "log",
        "show",
        "comments",
        "follow",
        "email",
        "share",
        "menu",
        "search",
        "subscribe",
        "recent",
        "previous",
        "next",
        "top",
        "home",
        "posts",
        "reply",
        "replies",
        "répondre",
        "repondre",
        "réponses",
        "antworten",
        "antwort",
        "responder",
        "responda",
        "respuestas",
        "rispondi",
        "risposte",
        "reageer",
        "reageren",
        "beantwoorden",
        "citer",
        "zitieren",
        "citeer",
        "quote",
        "permalink",
        "collapse",
        "expand",
        "thread",
        "hilo",
        "padre",
        "parent",
        "claps",
        "likes",
        "like",
        "sort",
        "sorted",
        "oldest",
        "newest",
        "staff",
        "picks",
        "load",
        "view",
    ];
    s.split(|c: char| !c.is_alphanumeric()).any(|w| UI.iter().any(|u| u.eq_ignore_ascii_case(w)))
}

/// The header a line opens a comment with, if it is one.
pub fn comment_header(line: &str) -> Option<Header> {
    if line.len() > 160 {
        return None;
    }
    // Cheap tests first: every shape needs a digit (a number or a date), a
    // "says"/"said"/"wrote", or a Disqus dot.
    let digit = line.bytes().any(|b| b.is_ascii_digit());
    let said = line.contains("says") || line.contains("said") || line.contains("wrote");
    let dot = line.contains(['•', '·']);
    if !digit && !said && !dot {
        return None;
    }
    // "By Matthew Digby • November 18, 2019" is the article's byline.
    if rules::byline(line).is_some() {
        return None;
    }
    if let Some(c) = line.starts_with(|c: char| c.is_ascii_digit()).then(|| NUMBERED.captures(line)).flatten() {
        let author = c.get(2)?.as_str().trim();
        if name_like(author) {
            let depth = c.get(1).map_or(0, |l| l.as_str().matches('.').count() as u32);
            return Some(Header { author: Some(author.to_owned()), posted_at: when(c.get(3).map(|m| m.as_str())), depth: Some(depth) });
        }
    }
    if let Some(c) = said.then(|| SAID.captures(line)).flatten() {
        let author = c.get(1)?.as_str().trim();
        if name_like(author) && n_words(author) <= 5 {
            return Some(Header { author: Some(author.to_owned()), posted_at: when(c.get(2).map(|m| m.as_str())), depth: None });
        }
    }
    if let Some(c) = dot.then(|| DISQUS.captures(line)).flatten() {
        let author = c.get(1)?.as_str().trim();
        if name_like(author) {
            return Some(Header { author: Some(author.to_owned()), posted_at: None, depth: None });
        }
    }
    if !digit {
        return None;
    }
    if let Some(c) = (line.matches(',').count() >= 2).then(|| NEWS.captures(line)).flatten() {
        let (author, stamp) = (c.get(1)?.as_str().trim(), c.get(3)?.as_str());
        if name_like(author) && date_line(stamp).is_some() {
            return Some(Header { author: Some(author.to_owned()), posted_at: when(Some(stamp)), depth: None });
        }
    }
    if let Some(c) = line.contains(" on ").then(|| NAME_ON_DATE.captures(line)).flatten() {
        let (author, stamp) = (c.get(1)?.as_str().trim(), c.get(2)?.as_str());
        if name_like(author) && !author.eq_ignore_ascii_case("posted") && date_line(stamp).is_some() {
            return Some(Header { author: Some(author.to_owned()), posted_at: when(Some(stamp)), depth: None });
        }
    }
    // A name followed by a date and nothing else ("Thursday, 26 August 2010"
    // is just a date: a date line, the line being short).
    let f = find_date(line)?;
    if f.only_filler_around(line) {
        return None;
    }
    let name = line[..f.start].trim().trim_end_matches(['|', '-', '–', '—', '·', '•', ',']).trim();
    let name = name.strip_suffix(" on").unwrap_or(name);
    let rest_ok = date_line(&line[f.start..]).is_some();
    if rest_ok && (rules::bare_name(name) || rules::single_name(name) && name_like(name)) && crate::records::name_like(name) {
        return Some(Header { author: Some(name.to_owned()), posted_at: Some(f.timestamp()), depth: None });
    }
    None
}

/// A line of nothing but comment widgets: "Reply", "Reply • Share ›", "Like", "Report abuse", "12 likes".
pub fn is_widget(line: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:\(?(?:reply|replies|share\s*›?|report(?: abuse| comment)?|like|likes|unlike|flag|upvote|downvote|vote up|vote down|recommend(?:ed)?|permalink|link|edit|delete|répondre|repondre|signaler|j'aime|antworten|melden|zitieren|gefällt mir|responder|denunciar|me gusta|rispondi|segnala|mi piace|reageer|citeer|beantwoorden|vind ik leuk|curtir|responder|citar|quote|parent|thread|hilo|padre|collapse|expand|claps?|save|embed|give award|complain about this comment|view all replies|view \d+ more repl(?:y|ies)|\d+ repl(?:y|ies)|back to top|top|terug naar boven|nach oben|haut de page|volver arriba|torna su|voltar ao topo)\)?|⚑|−|\+|↑|↓|▲|▼|△|▽|rating|rate|click to rate|loading\.\.\.|\d+|[|·•›»/()\[\]])\s*)+$")
            .expect("valid regex")
    });
    line.len() <= 80 && line.chars().any(char::is_alphabetic) && RE.is_match(line)
}

/// A note with its text on the header's line ("bramblewick said: Mine died
/// after four days away", Tumblr's notes; "Marie a dit : …"): the author
/// and where the text starts in `line`.
pub fn inline_said(line: &str) -> Option<(&str, usize)> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\d{1,4}\.\s+)?([\w.\-]+|\p{Lu}[\p{L}'’.\-]*(?:\s\p{Lu}[\p{L}'’.\-]*){0,2})\s+(?:said|says|a dit|dijo|disse|zei)\s?:\s+(\S.{2,})$")
            .expect("valid regex")
    });
    let c = RE.captures(line)?;
    // A sidebar's excerpt of a comment elsewhere ends cut short ("… [more]").
    let text = c.get(2)?;
    let cut = text.as_str().trim_end().ends_with(['…']) || text.as_str().ends_with("...") || text.as_str().ends_with("[more]");
    let author = c.get(1).map_or("", |m| m.as_str());
    (!cut && author.len() <= 40).then_some((author, text.start()))
}

/// A note that is no comment: "yeastbeastie liked this", "flourishandfold
/// reblogged this from crumbandcrust", "crumbandcrust posted this".
pub fn is_activity(line: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\d{1,4}\.\s+)?[\w.\-]+ (?:liked this|reblogged this(?: from [\w.\-]+)?|posted this)$").expect("valid regex")
    });
    line.len() <= 120 && RE.is_match(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expect: Option<(&str, Option<&str>, Option<u32>)>) {
        let got = comment_header(line);
        let got = got.as_ref().map(|h| (h.author.as_deref().unwrap_or(""), h.posted_at.map(|d| d.to_string()), h.depth));
        let expect = expect.map(|(a, d, k)| (a, d.map(str::to_owned), k));
        assert_eq!(got, expect, "{line:?}");
    }

    #[test]
    fn notes_with_their_text_and_activity() {
        assert_eq!(inline_said("bramblewick said: Mine died after four days away"), Some(("bramblewick", 18)));
        assert_eq!(inline_said("Marie Dubois a dit : Merci pour la recette"), Some(("Marie Dubois", 21)));
        assert_eq!(inline_said("The minister said: we will not resign"), None);
        assert!(is_activity("flourishandfold reblogged this from crumbandcrust"));
        assert!(is_activity("yeastbeastie liked this"));
        assert!(is_activity("2. yeastbeastie liked this"));
        assert_eq!(inline_said("Anonymous said: The iPods have never played... [more]"), None);
        assert_eq!(inline_said("9. pip-the-baker said: How long did it take?"), Some(("pip-the-baker", 23)));
        assert!(!is_activity("I liked this a lot"));
    }

    #[test]
    fn header_shapes() {
        check("1. Jon Lansman says:", Some(("Jon Lansman", None, Some(0))));
        check("2.1. Darrell says:", Some(("Darrell", None, Some(1))));
        check("12. thelastchargersfan says:", Some(("thelastchargersfan", None, Some(0))));
        check("Anonymous said...", Some(("Anonymous", None, None)));
        check(
            "Catherine (GiveWell) on September 13, 2018 at 5:23 pm said:",
            Some(("Catherine (GiveWell)", Some("2018-09-13T17:23:00"), None)),
        );
        check("Red Ken • 3 years ago", Some(("Red Ken", None, None)));
        check("Dave, Hackney, 26/4/2012 15:02", Some(("Dave", Some("2012-04-26T15:02:00"), None)));
        check("Mary Smith | 26 April 2012", Some(("Mary Smith", Some("2012-04-26T00:00:00"), None)));
        check("By Matthew Digby • November 18, 2019", None);
        check("Jon Gold on Fri, 11/03/2006 - 10:33pm.", Some(("Jon Gold", Some("2006-11-03T22:33:00"), None)));
        check("blog dog (not verified) on Thu, 11/02/2006 - 7:44pm.", Some(("blog dog", Some("2006-11-02T19:44:00"), None)));
        // Drupal's "Submitted by" heads the post itself: a byline.
        check("Submitted by Ann Black on 26 April 2012 - 15:02", None);
        check("Jane Doe November 19, 2019 at 8:03 am", Some(("Jane Doe", Some("2019-11-19T08:03:00"), None)));
        check("Regan August 19, 2019 - 5:48 pm", Some(("Regan", Some("2019-08-19T17:48:00"), None)));
        check("As the minister said in the house, the cuts were unfair, and then he wrote:", None);
        check("Ken said Labour had made a big mistake.", None);
        check("Thursday, 26 August 2010", None);
    }

    #[test]
    fn widgets() {
        for w in ["Reply", "Reply • Share ›", "Report abuse", "12 likes", "Like Reply", "Rating 12 ▲ ▼", "Replies"] {
            assert!(is_widget(w), "{w}");
        }
        for w in ["Reply to this is unnecessary, Ken.", "5", "Share the wealth"] {
            assert!(!is_widget(w), "{w}");
        }
    }
}
