//! Page structure: header (site, tags, title, standfirst, byline, date), the
//! article body, the tail (bios, appeals, widgets) and the comment thread.
//!
//! The page is read top to bottom as a person would: the header runs until
//! the title; the article runs until the first thing that only appears after
//! articles (a thread header, a comment form, a share widget, a donation
//! appeal, an author box, a numbered `N. Name says:` comment); everything
//! after that is tail, where bullets and comment headers open comments.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use hustings_core::{Date, DateTime, Removed, Span};
use regex::Regex;

use crate::dates::{date_line, find_date};
use crate::decode::Decoded;
use crate::headline;
use crate::knowledge::RepeatedLines;
use crate::lines::{Line, bullet, is_space_byte, n_words, split_lines};
use crate::records::{self, LineView};
use crate::rules::{self, Kind, Rule};
use crate::thread::{comment_header, is_widget};

/// Whether a block is running text or one item of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph (its lines may be hard-wrapped or may be several paragraphs
    /// that lost their blank lines; `clean` decides).
    Paragraph,
    /// One list item; its first line starts after the marker.
    ListItem,
}

/// Consecutive lines of one paragraph or list item, as spans into the decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Paragraph or list item.
    pub kind: BlockKind,
    /// Content spans of the lines, in order.
    pub lines: Vec<Span>,
}

/// A comment as found in the thread, before cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawComment {
    /// Commenter's name as shown.
    pub author: Option<String>,
    /// When it was posted.
    pub posted_at: Option<DateTime>,
    /// 0 for top level.
    pub depth: u32,
    /// Index (0-based) of the comment replied to.
    pub parent: Option<usize>,
    /// The comment's text.
    pub blocks: Vec<Block>,
}

/// A page read into its parts. Text fields hold raw (uncleaned) text.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The decoded text every span points into.
    pub decoded: Decoded,
    /// Site name.
    pub site: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Standfirst.
    pub standfirst: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Publication date.
    pub published: Option<Date>,
    /// Tags and categories.
    pub tags: Vec<String>,
    /// Article body.
    pub body: Vec<Block>,
    /// Comment thread in page order.
    pub comments: Vec<RawComment>,
    /// Lines removed, in source order, with source byte spans.
    pub removed: Vec<Removed>,
    /// What the parser was unsure of.
    pub warnings: Vec<String>,
}

/// How many lines under the article's core (and above its thread) a byline
/// may sit and still be the article's ("Posted by Ana at 3:14 PM" under a
/// Blogger post past its labels and share links, "Written by" under a
/// Medium post's tags and claps).
const BYLINE_UNDER: usize = 12;

const fn meta(name: &'static str) -> Rule {
    Rule { name, kind: Kind::Metadata, ends_article: false }
}
const fn thread_rule(name: &'static str) -> Rule {
    Rule { name, kind: Kind::Structure, ends_article: false }
}
const fn furniture(name: &'static str) -> Rule {
    Rule { name, kind: Kind::Boilerplate, ends_article: true }
}

struct Parser<'a> {
    text: &'a str,
    decoded: &'a Decoded,
    lines: Vec<Line>,
    /// For each line, the first and last line of its paragraph (run of non-blank lines).
    para: Vec<(usize, usize)>,
    taken: Vec<Option<Rule>>,
    /// Prefix sums of line scores from the article search (`prefix[i]` is
    /// the sum over lines `0..i`), computed once the furniture is marked.
    prefix: Vec<i64>,
    /// Lines taken as `repeated-line`, with their document counts.
    repeats: std::collections::HashMap<usize, u32>,
    knowledge: &'a RepeatedLines,
    /// Comment headers of the shapes that repeat on the page ([`records`]).
    shaped: HashMap<usize, crate::thread::Header>,
    /// Of those, headers that follow their comment's text.
    trailing: HashSet<usize>,
    /// Where the text of a trailing-header comment starts.
    text_from: HashSet<usize>,
    /// Authors named while the article is searched for (a byline, an entry's
    /// "… by Helen Marsh.", a bio's name), with their line and the line's
    /// text for its date: whose they are waits for the article, as a byline
    /// far under it heads a comment ("by Taco Cowboy (5327) writes: on …").
    named: Vec<(usize, String, Option<&'a str>)>,
    page: Page,
}

impl<'a> Parser<'a> {
    fn content(&self, i: usize) -> &'a str {
        self.lines[i].content.slice(self.text)
    }

    fn take(&mut self, i: usize, rule: Rule) {
        if self.taken[i].is_none() && !self.lines[i].is_blank() {
            self.taken[i] = Some(rule);
        }
    }

    fn next_nonblank(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&j| !self.lines[j].is_blank())
    }

    /// The paragraph (run of non-blank lines) containing line `i`.
    fn paragraph_at(&self, i: usize) -> (usize, usize) {
        self.para[i]
    }

    fn para_text(&self, a: usize, b: usize) -> String {
        (a..=b).map(|j| self.content(j)).collect::<Vec<_>>().join(" ")
    }

    /// Header lines up to and including the title; returns where the body starts.
    fn header(&mut self) -> usize {
        let n = self.lines.len();
        let mut i = 0;
        let mut seen = 0;
        while let Some(li) = self.next_nonblank(i) {
            if seen >= 10 {
                break;
            }
            seen += 1;
            let c = self.content(li);
            let next = self.next_nonblank(li + 1);
            if let Some(site) = rules::site_banner(c) {
                self.page.site.get_or_insert_with(|| site.to_owned());
                self.take(li, rules::line_rule(c).unwrap_or(furniture("site-banner")));
            } else if let Some(found) = date_line(c) {
                self.page.published.get_or_insert(found.date);
                self.take(li, meta("dateline"));
            } else if let Some(tags) = rules::labelled_tags(c) {
                self.page.tags.extend(tags);
                self.take(li, meta("tag-line"));
            } else if let Some(name) = any_byline(c) {
                self.set_byline(name, c);
                self.take(li, meta("byline"));
            } else if let Some(rule) = rules::line_rule(c) {
                self.take(li, rule);
            } else if seen == 1 && next.is_some() && rules::site_header(c).is_some() {
                self.page.site = rules::site_header(c).map(str::to_owned);
                self.take(li, meta("site-header"));
            } else if let (Some(tags), Some(nx)) = (rules::bare_tags(c), next) {
                if !title_like(self.content(nx)) {
                    return self.untitled(li);
                }
                self.page.tags.extend(tags);
                self.take(li, meta("tag-line"));
            } else if seen == 1 && self.page.site.is_none() && self.site_name_above_title(li) {
                self.page.site = Some(c.to_owned());
                self.take(li, meta("site-name"));
            } else if self.take_repeated(li) {
            } else if title_like(c) && self.paragraph_at(li) == (li, li) {
                self.page.title = Some(headline::without_source(c).to_owned());
                self.take(li, meta("title"));
                return self.after_title(li + 1);
            } else {
                return self.untitled(li);
            }
            i = li + 1;
        }
        if i >= n {
            self.page.warnings.push("page has no article text after its header".into());
        }
        i.min(n)
    }

    /// Whether line `li` of the paragraph starting at `a` carries on the line
    /// above, wrapped by the text browser mid-sentence ("…are not informed on
    /// the" / "issues."): then it is the end of that sentence, however often
    /// the corpus shows the same short line.
    fn wrapped_tail(&self, li: usize, a: usize) -> bool {
        if li <= a || self.taken[li - 1].is_some() {
            return false;
        }
        let above = self.content(li - 1).trim_end();
        let tail = self.content(li).trim_start();
        tail.starts_with(char::is_lowercase) && above.chars().count() >= 40 && above.ends_with(|c: char| c.is_alphabetic() || c == ',')
    }

    /// Take line `li` as `repeated-line` if the corpus has it often enough.
    fn take_repeated(&mut self, li: usize) -> bool {
        match self.knowledge.repeats(self.content(li)) {
            Some(n) => {
                self.take(li, Rule { name: "repeated-line", kind: Kind::Boilerplate, ends_article: false });
                self.repeats.insert(li, n);
                true
            }
            None => false,
        }
    }

    /// A short name on the first line, then (past dates and bylines) a
    /// headline-like line, then text: the first line names the site.
    fn site_name_above_title(&self, li: usize) -> bool {
        let c = self.content(li);
        let short_name = n_words(c) <= 4 && !c.ends_with(['.', '!', '?', ':']) && title_like(c);
        if !short_name || self.paragraph_at(li) != (li, li) {
            return false;
        }
        let mut j = li + 1;
        while let Some(nx) = self.next_nonblank(j) {
            let t = self.content(nx);
            // Past dates, bylines and menu bars.
            if date_line(t).is_some() || any_byline(t).is_some() || headline::menu_like(t) {
                j = nx + 1;
                continue;
            }
            let headline = title_like(t) && self.paragraph_at(nx) == (nx, nx) && !t.ends_with('.');
            let text_follows = self.next_nonblank(nx + 1).is_some_and(|b| self.content(b).len() > t.len());
            return headline && text_follows && n_words(t) > n_words(c);
        }
        false
    }

    /// Line `j`, found after the header, is the title.
    fn late_title(&mut self, j: usize) {
        self.page.title = Some(headline::without_source(self.content(j)).to_owned());
        self.taken[j] = Some(meta("title"));
        self.page.warnings.retain(|w| w != "no title found");
    }

    fn untitled(&mut self, li: usize) -> usize {
        self.page.warnings.push("no title found".into());
        li
    }

    fn set_byline(&mut self, name: &str, line: &str) {
        self.page.author.get_or_insert_with(|| name.to_owned());
        if let Some(f) = find_date(line) {
            self.page.published.get_or_insert(f.date);
        }
    }

    /// Bylines, dates, tags and a standfirst right under the title.
    fn after_title(&mut self, from: usize) -> usize {
        let mut i = from;
        let mut standfirst_done = false;
        for _ in 0..5 {
            let Some(li) = self.next_nonblank(i) else { return i };
            let c = self.content(li);
            if let Some(found) = date_line(c) {
                self.page.published.get_or_insert(found.date);
                self.take(li, meta("dateline"));
            } else if let Some(name) = any_byline(c) {
                self.set_byline(name, c);
                self.take(li, meta("byline"));
            } else if let Some(tags) = rules::labelled_tags(c) {
                self.page.tags.extend(tags);
                self.take(li, meta("tag-line"));
            } else if let Some(rule) = rules::line_rule(c).filter(|r| r.kind == Kind::Boilerplate && !r.ends_article) {
                self.take(li, rule);
            } else if !standfirst_done && self.is_standfirst(li) {
                self.page.standfirst = Some(c.to_owned());
                self.take(li, meta("standfirst"));
                standfirst_done = true;
            } else {
                return li;
            }
            i = li + 1;
        }
        i
    }

    fn is_standfirst(&self, li: usize) -> bool {
        let c = self.content(li);
        let words = n_words(c);
        let ending = c.trim_end_matches(['’', '”', '"', '\'', ')']);
        let follows = self.next_nonblank(li + 1).is_some_and(|nx| self.content(nx).len() > c.len());
        self.paragraph_at(li) == (li, li)
            && (5..=60).contains(&words)
            && c.len() <= 320
            && !ending.ends_with(['.', ':', ';', ','])
            && bullet(c).is_none()
            && follows
    }

    /// Mark boilerplate and find where the article starts and ends.
    ///
    /// The article's core is the run of lines with the most prose in it (each
    /// line scored by [`Parser::line_score`], the best-scoring contiguous run
    /// found as a maximum subarray, never across a comment-thread marker). A
    /// furniture line ends the article only once the core has begun, so
    /// navigation and share bars above the article do not cut it short.
    fn article_bounds(&mut self, body_start: usize) -> (usize, usize) {
        let n = self.lines.len();
        let mut markers = Vec::new();
        let mut barriers = Vec::new();
        for li in body_start..n {
            if self.lines[li].is_blank() || self.taken[li].is_some() {
                continue;
            }
            let (a, b) = self.paragraph_at(li);
            let c = self.content(li);
            // Only wanted when no line rule takes the line.
            let header = std::cell::LazyCell::new(|| comment_header(strip_bullet(c)));
            if let Some(mut rule) = rules::line_rule(strip_bullet(c)) {
                // "• Comments" among "• Facebook • Twitter • Print" is a link in a
                // share or menu list, not the head of a thread.
                // So is a bare "Comments" over a list of links ("• Weigh In",
                // "• Corrections?"), a widget set in the article: the links too.
                let counted = strip_bullet(c).starts_with(|ch: char| ch.is_ascii_digit());
                let link = |j: usize| {
                    let l = self.content(j);
                    bullet(l).is_some() && word_count(strip_bullet(l)) <= 3 && !strip_bullet(l).ends_with(['.', ':'])
                };
                if rule.name == "thread-header" && !counted && bullet(c).is_some() {
                    rule = rules::NAVIGATION;
                } else if rule.name == "thread-header" && !counted && self.next_nonblank(li + 1).is_some_and(link) {
                    let mut links = Vec::new();
                    while let Some(k) =
                        self.next_nonblank(links.last().map_or(li, |&k| k) + 1).filter(|&k| link(k) && self.taken[k].is_none())
                    {
                        links.push(k);
                    }
                    // The article goes on right under the links (a sentence
                    // within three lines, no comment header, date or form
                    // before it); under a thread's head come its sign-in
                    // links, its form and its first header.
                    let after = links.last().map_or(li, |&k| k) + 1;
                    let prose_follows = (after..self.lines.len())
                        .filter(|&j| !self.lines[j].is_blank())
                        .take(3)
                        .take_while(|&j| {
                            let t = self.content(j);
                            comment_header(t).is_none() && date_line(t).is_none() && rules::line_rule(t).is_none()
                        })
                        .any(|j| {
                            let (a, b) = self.paragraph_at(j);
                            let t = self.para_text(a, b);
                            word_count(&t) >= 8 && t.contains(['.', ',', '!', '?'])
                        });
                    if prose_follows {
                        rule = rules::NAVIGATION;
                        links.into_iter().for_each(|k| self.take(k, rule));
                    }
                }
                if rule.name == "site-banner" {
                    if let Some(site) = rules::site_banner(c) {
                        self.page.site.get_or_insert_with(|| site.to_owned());
                    }
                }
                if rule.name == "entry-meta" {
                    // "This entry was posted in X … by Helen Marsh.", wrapped
                    // over the paragraph's lines: all of it, and its author.
                    let text = self.para_text(li, b);
                    if let Some(name) = rules::trailing_by(&text) {
                        self.named.push((li, name.to_owned(), None));
                    }
                    (li + 1..=b).for_each(|j| self.take(j, rule));
                }
                self.take(li, rule);
                if rule.ends_article {
                    markers.push(li);
                }
                // A thread barrier: a comment form or a counted thread header
                // is strong; a bare "Comments" heading may be a menu link.
                if matches!(rule.name, "thread-header" | "comment-form") {
                    let strong = rule.name == "comment-form" || c.starts_with(|ch: char| ch.is_ascii_digit());
                    barriers.push((li, strong));
                }
            } else if header.is_none() && date_line(c).is_none() && !self.wrapped_tail(li, a) && self.take_repeated(li) {
                // learned furniture
            } else if header.as_ref().is_some_and(|h| h.depth.is_some() || c.len() < 100 && c.trim_end().ends_with([':', '.', '…']))
                && !self.quotes_below(li)
            {
                markers.push(li);
                barriers.push((li, true));
            } else if let Some(name) = rules::byline(c).filter(|_| {
                c.len() < 120
                    && (a == b
                        || li == a && b == a + 1 && date_line(self.content(b)).is_some()
                        || li == b && b == a + 1 && title_like(self.content(a)))
            }) {
                self.named.push((li, name.to_owned(), Some(c)));
                self.take(li, furniture("byline"));
                if b > li {
                    // Its date on the line under it.
                    if let Some(found) = date_line(self.content(b)) {
                        self.page.published.get_or_insert(found.date);
                    }
                    self.take(b, meta("dateline"));
                }
                markers.push(li);
            } else if let Some(tags) = rules::labelled_tags(c) {
                self.page.tags.extend(tags);
                self.take(li, furniture("tag-line"));
                markers.push(li);
            } else if self.caption_at(li, a, b) {
                (li..=b).for_each(|j| self.take(j, furniture("photo-credit")));
            } else if li == a && li > body_start && self.paragraph_markers(a, b) {
                markers.push(li);
            }
        }
        let starts = self.repeated_records(body_start);
        self.prefix = self.score_prefix(body_start);
        // A comment count under the headline ("6 Replies") with the article
        // below it (a run of prose, however many pictures follow it) and
        // the page's own thread further down is a link, not the thread's head.
        // The thread further down: its first record, or (with none found) a
        // later thread header or comment form under a count ("5 Comments").
        let counts = |b: usize| self.content(b).trim_start().starts_with(|ch: char| ch.is_ascii_digit());
        let thread_at = |b: usize| starts.first().copied().or_else(|| barriers.iter().map(|x| x.0).find(|&x| x > b).filter(|_| counts(b)));
        let links: Vec<usize> = barriers
            .iter()
            .map(|x| x.0)
            .filter(|&b| {
                thread_at(b).is_some_and(|first| {
                    b < first
                        && self.taken[b].is_some_and(|r| r.name == "thread-header")
                        && self.kadane(b + 1, first).is_some_and(|k| k.0 >= 40)
                })
            })
            .collect();
        if !links.is_empty() {
            barriers.retain(|b| !links.contains(&b.0));
            markers.retain(|m| !links.contains(m));
        }
        let mut region = self.best_region(body_start, &barriers);
        // A forum's opening post: the first record, read as the article.
        let mut opening = None;
        // The best run lies under a counted thread header ("{ 43 comments… }")
        // with no prose above it: the article is empty and the thread starts there.
        if let Some((a, _)) = region {
            let counted = barriers.iter().find(|&&(bar, _)| {
                bar < a
                    && self.taken[bar].is_some_and(|r| r.name == "thread-header")
                    && self.content(bar).starts_with(|ch: char| ch.is_ascii_digit() || ch == '{')
                    && self.best_region_to(body_start, bar, &barriers).is_none_or(|(a, b)| self.score_between(a, b + 1) < 8)
                    && starts.first().is_some_and(|&f| f > bar && f <= a && self.score_between(bar, f) <= 0)
            });
            if let Some(&(bar, _)) = counted {
                region = Some((bar, bar));
            }
        }
        // A thread the article's core ran into or outscored the article
        // with (two of its records inside the core): the core stops at the
        // thread's first record. Records outside the core (author cards
        // above the article) do not move it.
        if let Some((a, b)) = region {
            let inside = |r: &usize| (a..=b).contains(r);
            if starts.iter().filter(|r| inside(r)).count() >= 2 {
                let k = (0..starts.len()).find(|&k| inside(&starts[k]) || starts.get(k + 1).is_some_and(inside));
                if let Some(mut at) = k.map(|k| starts[k]) {
                    let in_thread = region;
                    // Cut again while the best run above the cut is still
                    // thread (two records in it): the thread's records run on
                    // up to its first.
                    loop {
                        barriers.push((at, true));
                        barriers.sort_unstable();
                        region = self.best_region(body_start, &barriers);
                        let Some((a, b)) = region.filter(|&(a, _)| a < at) else { break };
                        let inside = |r: &usize| (a..=b).contains(r);
                        if starts.iter().filter(|r| inside(r)).count() < 2 {
                            break;
                        }
                        match (0..starts.len()).find(|&k| inside(&starts[k]) || starts.get(k + 1).is_some_and(inside)) {
                            Some(k) if starts[k] < at => at = starts[k],
                            _ => break,
                        }
                    }
                    // Still in the thread: the article is the best run above it, if there is prose there.
                    // With none, under a byline of its own the article is empty (a picture
                    // post and its comments); without one, the first record is the
                    // article (a forum's opening post).
                    // (Or above it only a heading: one short line.)
                    let heading = |(a, b): (usize, usize)| a == b && word_count(self.content(a)) <= 15 || self.score_between(a, b + 1) < 8;
                    if region.is_some_and(|(a, b)| a >= at || heading((a, b))) {
                        let above = self.best_region_to(body_start, at, &barriers).filter(|&r| !heading(r));
                        let bylined = (body_start..at).any(|j| self.taken[j].is_none() && any_byline(self.content(j)).is_some());
                        if above.is_none() && !bylined {
                            opening = Some(at);
                        }
                        // The opening post runs to the next record.
                        let post =
                            starts.iter().find(|&&r| r > at).map_or(in_thread, |&next| in_thread.map(|(_, b)| (at, b.min(next - 1))));
                        region = above.or(if bylined { Some((at, at)) } else { post });
                    }
                }
            }
        }
        if let Some(&at) = region.and_then(|(a, _)| starts.iter().find(|&&r| r > a)) {
            markers.push(at);
            markers.sort_unstable();
        }
        // The first author named above the article's end, or a little under it.
        let near = |li: usize| {
            region.is_none_or(|(_, b)| {
                li <= b
                    || !starts.iter().any(|&r| r > b && r < li)
                        && (b + 1..li).filter(|&j| !self.lines[j].is_blank()).count() <= BYLINE_UNDER
            })
        };
        if let Some((_, name, line)) = std::mem::take(&mut self.named).into_iter().find(|x| near(x.0)) {
            match line {
                Some(c) => self.set_byline(&name, c),
                None => {
                    self.page.author.get_or_insert(name);
                }
            }
        }
        let Some((core_start, mut core_end)) = region else {
            return (body_start, self.trailing_thread(body_start).unwrap_or(n));
        };
        // A horizontal rule with much less under it than above parts the
        // article from the notes, boxes and feeds that follow; not from its
        // closing section (two or more paragraphs of prose under the rule).
        let prose_paragraphs = |a: usize, b: usize| {
            (a..b.min(self.lines.len()))
                .filter(|&i| !self.lines[i].is_blank() && self.para[i].0 == i && self.score_between(i, self.para[i].1 + 1) >= 30)
                .count()
        };
        if let Some(h) = (core_start + 1..core_end).find(|&j| {
            is_rule_line(self.content(j))
                && self.score_between(j, core_end) * 2 < self.score_between(core_start, j)
                && prose_paragraphs(j + 1, core_end + 1) < 2
        }) {
            core_end = h.saturating_sub(1);
        }
        // Keep what lies between the header and the core when it is short
        // (a lead line, a question); otherwise the core starts the article.
        let gap = (body_start..core_start).filter(|&j| !self.lines[j].is_blank() && self.taken[j].is_none()).count();
        let start = if gap <= 3 { body_start } else { core_start };
        if gap > 3 {
            // The header's "title" was navigation: look again just above the article.
            if let Some(t) = (0..body_start).find(|&j| self.taken[j].is_some_and(|r| r.name == "title")) {
                self.taken[t] = Some(furniture("before-article"));
                self.page.title = None;
            }
        }
        // The lead lines kept above the core are read as the head too: a
        // headline there is the title (and what is above it is not article),
        // a dateline or byline there is metadata.
        if let Some(t) = self.title_above(0, core_start) {
            for j in start..t {
                if !self.lines[j].is_blank() && self.taken[j].is_none() {
                    self.take(j, furniture("before-article"));
                }
            }
        }
        self.metadata_above(body_start, core_start);
        // A byline can open the core itself ("Submitted by mgarrett on Thu,
        // 04/26/2012 - 15:02" reads as a short sentence).
        for j in (core_start..core_end.min(self.lines.len())).filter(|&j| !self.lines[j].is_blank()).take(2).collect::<Vec<_>>() {
            if self.page.author.is_some() || self.taken[j].is_some() || self.paragraph_at(j) != (j, j) {
                continue;
            }
            let c = self.content(j);
            if let Some(name) = any_byline(c).map(str::to_owned).or_else(|| self.name_by_date(j)) {
                self.set_byline(&name, c);
                self.taken[j] = Some(meta("byline"));
            }
        }
        if let Some(at) = opening.filter(|&at| at < core_end && self.page.author.is_none()) {
            // Its header is the article's byline.
            if let Some((line, h)) = self.shaped.remove(&at).map(|h| (at, h)) {
                self.page.author = h.author;
                if let Some(t) = h.posted_at {
                    self.page.published.get_or_insert(t.date);
                }
                self.taken[line] = Some(meta("byline"));
            }
        }
        if self.page.author.is_none() {
            // Still no author: the first byline anywhere above the article
            // ("By Lucy Akins" over a contributor line, far above a long lead).
            let found = (0..start).find_map(|j| {
                let c = self.content(j);
                let free = !self.lines[j].is_blank() && self.taken[j].is_none_or(|r| r.name == "before-article");
                if !free || c.len() >= 120 {
                    return None;
                }
                any_byline(c).map(|name| (j, c, name))
            });
            if let Some((j, c, name)) = found {
                self.set_byline(name, c);
                self.taken[j] = Some(meta("byline"));
            }
        }
        self.lead_metadata(start, core_start);
        self.standfirst_under_title(start);
        // A marker ends the article once most of the core lies above it: a
        // byline or share bar just inside the core's first lines does not.
        let core_total = self.score_between(core_start, core_end + 1);
        let prose_under = |m: usize| {
            (m + 1..(core_end + 1).min(self.lines.len()))
                .filter(|&i| !self.lines[i].is_blank() && self.para[i].0 == i && self.score_between(i, self.para[i].1 + 1) >= 30)
                .count()
        };
        let appeal = |m: usize| self.taken[m].is_some_and(|r| r.name == "donation-appeal");
        let marker = markers
            .iter()
            .copied()
            .find(|&m| m > core_start && self.score_between(core_start, m) * 2 >= core_total && !(appeal(m) && prose_under(m) >= 2));
        let thread = self.trailing_thread(start).filter(|&t| t > core_start);
        let end = [marker, thread, Some(core_end + 1)].into_iter().flatten().min().unwrap_or(core_end + 1).max(start);
        for j in body_start..start {
            if !self.lines[j].is_blank() && self.taken[j].is_none() {
                self.take(j, furniture("before-article"));
            }
        }
        let end = self.numbered_run(start, end);
        if opening.is_some() {
            // Under the opening post, before the next: its poster's profile
            // ("Berichten: 412", "Woonplaats: Zwolle"), "Back to top", the
            // next post's subject. Paragraphs without a sentence of prose, not the article.
            let mut e = end;
            while let Some(j) = (start..e).rev().find(|&j| !self.lines[j].is_blank() && self.taken[j].is_none()) {
                let (pa, _) = self.paragraph_at(j);
                let pa = pa.max(start);
                // (A reply's subject, "Re: …", is the next post's.)
                if self.score_between(pa, j + 1) >= 8 && !(pa == j && self.content(j).starts_with("Re:")) {
                    break;
                }
                for k in pa..=j {
                    if !self.lines[k].is_blank() && self.taken[k].is_none() {
                        let widget = crate::thread::is_widget(self.content(k));
                        if !widget {
                            let c = truncate(self.content(k), 60).to_owned();
                            self.page.warnings.push(format!("text closing the opening post removed: {c:?}"));
                        }
                        self.take(k, furniture(if widget { "widget" } else { "after-article" }));
                    }
                }
                e = pa;
            }
        }
        (start, self.bio_before(start, end))
    }

    /// Find the comment headers whose shape repeats below `from`
    /// ([`records::find`]); returns where each record starts.
    fn repeated_records(&mut self, from: usize) -> Vec<usize> {
        let views: Vec<LineView<'_>> = (0..self.lines.len())
            .map(|i| LineView {
                text: strip_bullet(self.content(i)),
                blank: self.lines[i].is_blank(),
                // A byline the article's scan took as furniture may be a comment's ("by james on … Reply #").
                free: self.taken[i].is_none_or(|r| r.name == "byline" && r.kind == Kind::Boilerplate),
                // A headline shown twice (link text, then title) is a teaser's, not a comment's text.
                soft: self.taken[i].is_some_and(|r| r.kind == Kind::Boilerplate && !r.ends_article && r.name != "repeated-line")
                    || self.taken[i].is_none() && !self.lines[i].is_blank() && self.echoes_neighbour(i),
                indent: self.lines[i].indent,
                opens_thread: self.taken[i].is_some_and(|r| matches!(r.name, "thread-header" | "comment-form")),
                listed: bullet(self.content(i)).is_some(),
                learned: self.taken[i].is_some_and(|r| r.name == "repeated-line"),
            })
            .collect();
        let found = records::find(&views, from);
        let starts = found.iter().filter(|r| !r.lone).map(|r| r.text_from.unwrap_or(r.line)).collect();
        for r in found {
            if self.taken[r.line].is_some_and(|t| matches!(t.name, "byline" | "repeated-line")) {
                self.taken[r.line] = None;
                self.repeats.remove(&r.line);
            }
            if let Some(d) = r.date_line {
                self.take(d, thread_rule("comment-date"));
            }
            if let Some(d) = r.name_line {
                self.take(d, thread_rule("comment-header"));
            }
            if let Some(t) = r.text_from {
                self.trailing.insert(r.line);
                self.text_from.insert(t);
            }
            let author = Some(r.author).filter(|a| !a.is_empty());
            self.shaped.insert(r.line, crate::thread::Header { author, posted_at: r.posted_at, depth: r.depth });
        }
        starts
    }

    /// Whether line `li` ("Hibu said:") introduces a quotation: flush left,
    /// with the next line indented well past it (a block quote), as an
    /// article quotes a statement; a comment's header is not.
    fn quotes_below(&self, li: usize) -> bool {
        let c = self.content(li);
        self.lines[li].indent == 0
            && !c.starts_with(|ch: char| ch.is_ascii_digit() || ch == '[')
            && self.next_nonblank(li + 1).is_some_and(|nx| self.lines[nx].indent >= 4 && self.taken[nx].is_none())
    }

    /// A numbered list the article ends on ("1) …", "2) …") goes on past
    /// `end` while its numbers do: each item may carry a line or two (a
    /// link, a note) before the next number.
    fn numbered_run(&self, start: usize, end: usize) -> usize {
        let number = |c: &str| -> Option<u32> {
            let digits: String = c.chars().take_while(char::is_ascii_digit).collect();
            let rest = &c[digits.len()..];
            (!digits.is_empty() && digits.len() <= 3 && (rest.starts_with(") ") || rest.starts_with(". ")))
                .then(|| digits.parse().ok())
                .flatten()
        };
        // The article's last item (a numbered line among its last three
        // lines), or its last line introducing a list ("Here they are:").
        let last_lines: Vec<usize> = (start..end).rev().filter(|&j| !self.lines[j].is_blank() && self.taken[j].is_none()).take(3).collect();
        let numbered = last_lines.iter().find_map(|&j| number(self.content(j).trim())).map(|n| n + 1);
        let intro = last_lines.first().is_some_and(|&j| self.content(j).trim_end().ends_with(':')).then_some(1);
        let Some(mut expect) = numbered.or(intro) else { return end };
        let (mut new_end, mut since_item, mut j, mut items) = (end, 0, end, 0);
        while j < self.lines.len() {
            if self.lines[j].is_blank() {
                j += 1;
                continue;
            }
            let c = self.content(j).trim();
            match self.taken[j] {
                // Pictures and adverts between items do not end the list.
                Some(r) if r.kind == Kind::Boilerplate && !r.ends_article => {
                    j += 1;
                    continue;
                }
                Some(_) => break,
                None if comment_header(c).is_some() => break,
                None => {}
            }
            if number(c) == Some(expect) {
                expect += 1;
                items += 1;
                since_item = 0;
                new_end = j + 1;
            } else if items == 0 {
                break;
            } else {
                since_item += 1;
                if since_item > 2 || c.len() > 300 {
                    break;
                }
                new_end = j + 1;
            }
            j += 1;
        }
        new_end
    }

    /// The few lines above the article: a dateline or byline there is the
    /// page's, even when menus kept the header scan from reaching it.
    fn metadata_above(&mut self, from: usize, start: usize) {
        let window: Vec<usize> = (from..start).rev().filter(|&j| !self.lines[j].is_blank()).take(15).collect();
        for j in window {
            if self.taken[j].is_some_and(|r| r.name != "before-article") {
                continue;
            }
            let c = self.content(j);
            if self.page.published.is_none() {
                if let Some(found) = date_line(c) {
                    self.page.published = Some(found.date);
                    self.taken[j] = Some(meta("dateline"));
                    continue;
                }
            }
            if self.page.author.is_none() {
                if let Some(name) = any_byline(c) {
                    self.set_byline(name, c);
                    self.taken[j] = Some(meta("byline"));
                } else if let Some(name) = self.name_by_date(j) {
                    self.set_byline(&name, c);
                    self.taken[j] = Some(meta("byline"));
                }
            }
        }
    }

    /// The author named on a line of the article's head that gives a date
    /// ("Owen Tregarthen | 10:12 UK time, Thursday, 26 April 2012",
    /// "Submitted by mgarrett on Thu, 04/26/2012 - 15:02"), or alone on a
    /// line next to its dateline ("Helen Marsh" over "Thursday 26 April 2012").
    fn name_by_date(&self, j: usize) -> Option<String> {
        let c = self.content(j).trim();
        if c.len() > 120 {
            return None;
        }
        if let Some(s) = records::header_shape(c).filter(|s| !s.author.is_empty() && s.posted_at.is_some()) {
            return Some(s.author);
        }
        let dated = |k: usize| {
            let t = self.content(k);
            t.len() <= 100 && (date_line(t).is_some() || find_date(t).is_some() && n_words(t) <= 10)
        };
        let next = self.next_nonblank(j + 1).filter(|&k| k == j + 1);
        let prev = j.checked_sub(1).filter(|&k| !self.lines[k].is_blank());
        let alone = !headline::reading_time(c)
            && !c.starts_with(|ch: char| ch.is_ascii_digit())
            && (rules::bare_name(c) || n_words(c) <= 3 && records::name_like(c) && !c.chars().next().is_some_and(char::is_lowercase));
        (alone && (next.is_some_and(dated) || prev.is_some_and(dated))).then(|| c.to_owned())
    }

    /// Lines between the article's start and its core that are a date or
    /// (with no title yet) a headline are metadata, not body.
    fn lead_metadata(&mut self, start: usize, core_start: usize) {
        for j in start..core_start {
            if self.lines[j].is_blank() || self.taken[j].is_some() {
                continue;
            }
            let c = self.content(j);
            if let Some(found) = date_line(c) {
                self.page.published.get_or_insert(found.date);
                self.take(j, meta("dateline"));
            } else if self.page.title.is_none() && title_like(c) && !c.ends_with(['.', '!', '?']) && self.paragraph_at(j) == (j, j) {
                self.late_title(j);
            }
        }
    }

    /// How much line `i` looks like article prose: positive for sentences,
    /// negative for menus, labels and furniture.
    fn line_score(&self, i: usize) -> i64 {
        if let Some(rule) = self.taken[i] {
            return if rule.kind == Kind::Boilerplate { -15 } else { 0 };
        }
        if self.continues_unit(i) {
            return 0;
        }
        let mut end = i;
        while end + 1 < self.lines.len() && self.continues_unit(end + 1) {
            end += 1;
        }
        let joined;
        let c = if end == i {
            self.content(i)
        } else {
            joined = (i..=end).map(|j| self.content(j)).collect::<Vec<_>>().join(" ");
            joined.as_str()
        };
        let words = word_count(c) as i64;
        // A line echoed by its neighbour (an image's alt text and caption, a
        // teaser's headline printed twice) is widget text, however long.
        if end == i && words >= 3 && self.echoes_neighbour(i) {
            return -words.min(80) - 5;
        }
        // Headlines run together ("Thanksgiving Cocktail Recipe Ideas 10 Fall
        // Cocktails to Toast…", a teaser feed wrapped over lines) are capitalised
        // as headlines are, not as prose is. (One headline a line is a list.)
        // (Not a schedule whose rows start with their dates: "June 9 – Tampa, FL …".)
        if end > i && words >= 15 && records::title_cased(c) && (i..=end).filter(|&j| dated_row(self.content(j))).count() * 2 <= end - i + 1
        {
            return -2;
        }
        let sentence = c.contains(['.', '!', '?', ',', ';', ':', '。', '、']);
        let is_bullet = bullet(c).is_some();
        let ends_sentence = c.trim_end_matches(['"', '”', '’', '\'', ')']).ends_with(['.', '!', '?', '…', '。']);
        // A lone line with commas but no sentence in it ("Counting birds over
        // an old mill town, one evening at a time") is a tagline or a
        // headline, not prose: it neither starts nor ends the core.
        // (Or under a short name: "Het Moestuinforum" over its tagline.)
        let (pa, pb) = self.para[i];
        let lone = end == i && (pa == pb || pb == i && pa + 1 == i && n_words(self.content(pa)) <= 4);
        // A list item cut short ("I think that hiring happy...") is a feed's
        // excerpt of a text elsewhere.
        // So is one signed at its end ("… Thanks for the update. by Joe257").
        let signed = || c.rsplit_once(" by ").is_some_and(|(_, who)| n_words(who) <= 3 && records::name_like(who.trim()));
        if is_bullet && (c.trim_end().ends_with("...") || c.trim_end().ends_with('…') || signed()) {
            return -2;
        }
        if words >= 8
            && sentence
            && lone
            && !is_bullet
            && !ends_sentence
            && !c.trim_end().ends_with(':')
            && !c.contains(['.', '!', '?', ';', '。'])
        {
            0
        } else if words >= 8 && sentence {
            words.min(80) / if is_bullet { 2 } else { 1 }
        } else if ends_sentence && words >= 2 {
            1
        } else if is_bullet || words < 3 {
            -5
        } else if words >= 5 && sentence {
            2
        } else {
            -2
        }
    }

    /// Whether the nearest non-blank line above or below `i` (with at most
    /// one blank line between) says the same: equal, or one the other's
    /// prefix at a word boundary.
    fn echoes_neighbour(&self, i: usize) -> bool {
        // (A list item's bullet aside: "• Title" over "Title".)
        let c = strip_bullet(self.content(i)).trim();
        let same = |j: usize| {
            let d = strip_bullet(self.content(j)).trim();
            let (short, long) = if d.len() <= c.len() { (d, c) } else { (c, d) };
            !short.is_empty()
                && long.starts_with(short)
                && long[short.len()..].chars().next().is_none_or(char::is_whitespace)
                && word_count(short) >= 3
        };
        let above = (i.saturating_sub(2)..i).rev().find(|&j| !self.lines[j].is_blank());
        let below = (i + 1..(i + 3).min(self.lines.len())).find(|&j| !self.lines[j].is_blank());
        above.is_some_and(same) || below.is_some_and(same)
    }

    /// Whether line `i` continues a hard-wrapped line above it (same
    /// paragraph, not a list item, and the line above ends mid-sentence).
    fn continues_unit(&self, i: usize) -> bool {
        i > 0
            && !self.lines[i].is_blank()
            && self.para[i].0 < i
            && self.taken[i].is_none()
            && self.taken[i - 1].is_none()
            && bullet(self.content(i)).is_none()
            && !self.content(i - 1).trim_end_matches(['"', '”', '’', ')']).ends_with(['.', '!', '?', '…', ':', ';', '。'])
            && self.content(i - 1).chars().count() >= 30
    }

    /// Every line's score, once, as prefix sums (blank lines and lines
    /// before `from` score 0).
    fn score_prefix(&self, from: usize) -> Vec<i64> {
        let mut prefix = Vec::with_capacity(self.lines.len() + 1);
        let mut sum = 0;
        prefix.push(0);
        for i in 0..self.lines.len() {
            if i >= from && !self.lines[i].is_blank() {
                sum += self.line_score(i);
            }
            prefix.push(sum);
        }
        prefix
    }

    fn score_between(&self, from: usize, to: usize) -> i64 {
        self.prefix[to] - self.prefix[from]
    }

    /// The highest-scoring run of lines from `from`, not crossing a barrier.
    /// Of the runs between barriers, the first wins if it holds a paragraph
    /// of prose (an article comes before its comments); otherwise the first
    /// scoring a quarter of the best.
    fn best_region(&self, from: usize, barriers: &[(usize, bool)]) -> Option<(usize, usize)> {
        self.best_region_to(from, self.lines.len(), barriers)
    }

    /// [`Parser::best_region`] over the lines `from..n` only.
    fn best_region_to(&self, from: usize, n: usize, barriers: &[(usize, bool)]) -> Option<(usize, usize)> {
        let barriers: Vec<(usize, bool)> = barriers.iter().copied().filter(|b| b.0 < n).collect();
        let barriers = barriers.as_slice();
        // (score, start, end, ended by a strong barrier)
        let mut segments: Vec<(i64, usize, usize, bool)> = Vec::new();
        let mut seg_from = from;
        for &(bar, strong) in barriers.iter().chain(std::iter::once(&(n, false))) {
            match self.kadane(seg_from, bar.max(seg_from)) {
                Some((score, a, b)) => segments.push((score, a, b, strong)),
                // Nothing between two barriers: the first still closes the run before it.
                None => {
                    if let Some(last) = segments.last_mut() {
                        last.3 |= strong;
                    }
                }
            }
            seg_from = bar + 1;
        }
        let top = segments.iter().map(|s| s.0).max()?;
        if top <= 0 {
            return None;
        }
        // The article comes before its comments: a first run with a
        // paragraph of prose, closed by a comment form or thread header,
        // wins even when a long thread outscores it.
        // Not when a run twice its score follows with no thread shape in it
        // (a title or a teaser list over "Add a Comment", then the article):
        // then the form was a link, and the article is below it.
        // A thread below the first run (scoring `score`): its first mark (a
        // record of a repeated shape or a thread header, "23 Responses to …")
        // by the end of the best run, with less than twice that score of
        // prose before it; or a best run that is mostly list items (comments
        // without headers).
        let (top_start, top_end) = segments.iter().find(|s| s.0 == top).map_or((from, n), |s| (s.1, s.2));
        let thread_below = |end: usize, score: i64| {
            let mark = (end + 1..=top_end.max(end))
                .find(|j| self.shaped.contains_key(j) || self.taken[*j].is_some_and(|r| r.name == "thread-header"));
            mark.is_some_and(|m| m <= top_start || self.score_between(top_start.max(end + 1), m) < 2 * score)
        };
        let listed = |a: usize, b: usize| {
            let lines: Vec<usize> = (a..=b).filter(|&i| !self.lines[i].is_blank()).collect();
            lines.iter().filter(|&&i| bullet(self.content(i)).is_some()).count() * 2 > lines.len()
        };
        let best_is_list = segments.iter().find(|s| s.0 == top).is_some_and(|s| listed(s.1, s.2));
        let first = segments.first().filter(|s| s.0 >= 8 && s.3 && (s.0 * 2 >= top || best_is_list || thread_below(s.2, s.0)));
        // A first run the form closes, under half the best with no thread in
        // between, is above a link: the quarter rule passes it over too.
        let linked = segments.first().is_some_and(|s| s.3 && s.0 * 2 < top && !best_is_list && !thread_below(s.2, s.0));
        let quarter = || segments.iter().skip(usize::from(linked)).find(|s| s.0 * 4 >= top && s.0 >= 20);
        first.or_else(quarter).or_else(|| segments.iter().find(|s| s.0 == top)).map(|s| (s.1, s.2))
    }

    fn kadane(&self, from: usize, to: usize) -> Option<(i64, usize, usize)> {
        let mut best: Option<(i64, usize, usize)> = None;
        let mut sum = 0i64;
        let mut start = from;
        for i in from..to {
            if self.lines[i].is_blank() {
                continue;
            }
            if sum <= 0 {
                sum = 0;
                start = i;
            }
            sum += self.score_between(i, i + 1);
            // Ties extend the run, so wrapped continuation lines (scored 0) stay in it.
            if sum > 0 && best.is_none_or(|b| sum >= b.0) {
                best = Some((sum, start, i));
            }
        }
        best
    }

    /// Choose the headline among the lines above the article on evidence:
    /// headline-shaped (3 to 25 words, no closing full stop, not a menu,
    /// stamp, byline or comment header), close to the article, best right
    /// above a byline or dateline or above a longer standfirst, not the
    /// site's name. The header's first headline-like line is one candidate
    /// among them, with a small head start.
    fn title_above(&mut self, from: usize, start: usize) -> Option<usize> {
        static JUNK: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:image|photo|credit|share|sponsored|app|menu|sign (?:in|up)|subscribe|shop|log ?in|search|newsletter|advert|cookie|close|click|download|follow|watch|video|live|trending|skip)\b")
                .expect("valid regex")
        });
        let current = (0..start).find(|&j| self.taken[j].is_some_and(|r| r.name == "title"));
        let window: Vec<usize> = (from..start).rev().filter(|&j| !self.lines[j].is_blank()).take(25).collect();
        // Each line is judged once, though it is looked at as a candidate
        // and as its neighbours' standfirst or headline.
        let judged: Vec<std::cell::OnceCell<bool>> = (0..start).map(|_| std::cell::OnceCell::new()).collect();
        let usable_now = |j: usize| {
            let c = self.content(j);
            let words = word_count(c);
            // Not the wrapped tail of a longer paragraph ("feel like mine again").
            let tail = self.para[j].0 < j && c.starts_with(char::is_lowercase);
            self.taken[j].is_none_or(|r| r.name == "before-article" || r.name == "title")
                && !tail
                && (3..=25).contains(&words)
                && title_like(c)
                && !c.ends_with(['.', ',', ';'])
                && date_line(c).is_none()
                && records::header_shape(c).is_none()
                && self.page.site.as_deref() != Some(c)
        };
        let usable = |j: usize| j < start && *judged[j].get_or_init(|| usable_now(j));
        let mut best: Option<(i64, usize)> = None;
        for (distance, &j) in window.iter().enumerate() {
            if !usable(j) {
                continue;
            }
            let c = self.content(j);
            let words = word_count(c);
            let mut score = 20 - distance as i64;
            let below: Vec<usize> = (j + 1..start).filter(|&k| !self.lines[k].is_blank()).take(3).collect();
            // Right above its byline or dateline, unless that date heads the
            // line that opens the article (Blogger's blog name, tagline,
            // date, then the post's title).
            let dated = below.iter().position(|&k| any_byline(self.content(k)).is_some() || date_line(self.content(k)).is_some());
            let heads_last = dated.is_some_and(|p| p > 0 && below.get(p + 1).is_some_and(|&k| Some(&k) == window.first() && usable(k)));
            if dated.is_some() && !heads_last {
                score += 15;
            }
            // A headline sits above its longer standfirst, not under a shorter headline.
            let next = below.first().copied();
            if next.is_some_and(|k| usable(k) && word_count(self.content(k)) >= (words + 4).max(12)) {
                score += 8;
            }
            let above = (0..j).rev().find(|&k| !self.lines[k].is_blank());
            if words >= 12 && above.is_some_and(|k| usable(k) && word_count(self.content(k)) + 4 <= words) {
                score -= 8;
            }
            // Blogger and many news pages print the date over the headline.
            if distance <= 2 && above.is_some_and(|k| date_line(self.content(k)).is_some()) {
                score += 12;
            }
            if JUNK.is_match(c) {
                score -= 25;
            }
            if (4..=16).contains(&words) {
                score += 5;
            }
            // A headline is a paragraph of its own; a standfirst wraps.
            if self.para[j] != (j, j) {
                score -= 10;
            }
            if current == Some(j) {
                score += 5;
            }
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, j));
            }
        }
        match best.filter(|(sc, _)| *sc > 0) {
            Some((_, j)) if current != Some(j) => {
                if let Some(t) = current {
                    self.taken[t] = Some(furniture("before-article"));
                }
                self.late_title(j);
                Some(j)
            }
            None if current.is_some_and(|t| !title_like(self.content(t))) => {
                // The header's pick is a menu, a stamp or a byline: no title.
                if let Some(t) = current {
                    self.taken[t] = Some(furniture("before-article"));
                    self.page.title = None;
                }
                None
            }
            _ => current,
        }
    }

    /// A short paragraph between the title and the byline or dateline under
    /// it ("Hosepipe ban: …" / "With seven water companies now restricting
    /// hosepipes, Catherine Ashdown explains …" / "By Catherine Ashdown") is
    /// the standfirst, not the article.
    fn standfirst_under_title(&mut self, start: usize) {
        let Some(t) = (0..self.lines.len().min(start + 40)).find(|&j| self.taken[j].is_some_and(|r| r.name == "title")) else {
            return;
        };
        let Some(p) = self.next_nonblank(t + 1) else { return };
        let (pa, pb) = self.paragraph_at(p);
        if p < start || pa != p || pb - pa > 3 || (pa..=pb).any(|j| self.taken[j].is_some()) || self.para_text(pa, pb).len() > 400 {
            return;
        }
        let dated = self.next_nonblank(pb + 1).is_some_and(|m| self.taken[m].is_some_and(|r| matches!(r.name, "byline" | "dateline")));
        if dated {
            let text = self.para_text(pa, pb);
            (pa..=pb).for_each(|j| self.taken[j] = Some(meta("standfirst")));
            self.page.standfirst.get_or_insert(text);
        }
    }

    /// Whether the paragraph `a..=b`, from its first free line `li`, is a
    /// picture's caption: short, and ending on its credit ("… Photograph:
    /// Christopher Thomond for the Guardian") or right under the picture's
    /// placeholder ("[image]" over "On patrol: Hawk handler Dean Pascoe
    /// with Amber").
    fn caption_at(&self, li: usize, a: usize, b: usize) -> bool {
        if b - li > 3 || (a..li).any(|j| self.taken[j].is_none_or(|r| r.name != "image-placeholder")) {
            return false;
        }
        let text = self.para_text(li, b);
        if rules::caption_paragraph(&text) {
            return true;
        }
        // Under its picture, a caption opens on a label ("On patrol: …") and is no sentence.
        let under_image = li > a;
        let labelled = text.split_once(": ").is_some_and(|(label, _)| {
            (1..=3).contains(&word_count(label))
                && label.starts_with(char::is_uppercase)
                && label.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '\'')
        });
        under_image && labelled && b - li <= 1 && text.len() <= 200 && !text.trim_end().ends_with(['.', '!', '?'])
    }

    /// Paragraph-level markers: donation appeals and author boxes.
    fn paragraph_markers(&mut self, a: usize, b: usize) -> bool {
        let text = self.para_text(a, b);
        if rules::donation_strong(&text) {
            let rule = furniture("donation-appeal");
            (a..=b).for_each(|j| self.take(j, rule));
            // Weak appeal lines right before and after belong to it.
            let mut j = a;
            while let Some((pa, pb)) = self.prev_para(j) {
                if self.taken[pa].is_some() || !rules::donation_weak(&self.para_text(pa, pb)) {
                    break;
                }
                (pa..=pb).for_each(|k| self.take(k, rule));
                j = pa;
            }
            let mut j = b + 1;
            while let Some(na) = self.next_nonblank(j) {
                let (_, nb) = self.paragraph_at(na);
                if !rules::donation_weak(&self.para_text(na, nb)) {
                    break;
                }
                (na..=nb).for_each(|k| self.take(k, rule));
                j = nb + 1;
            }
            return true;
        }
        if a == b && (rules::bare_name(self.content(a)) || rules::single_name(self.content(a))) {
            if let Some(na) = self.next_nonblank(b + 1) {
                let (_, nb) = self.paragraph_at(na);
                let next = self.para_text(na, nb);
                let name = self.content(a);
                let restated = next.strip_prefix(name).is_some_and(|r| r.starts_with(" is ") || r.starts_with(" was "));
                let boxed = rules::bio_continuation(&next) && rules::bare_name(name);
                if boxed || restated && next.len() < 600 {
                    self.named.push((a, name.to_owned(), None));
                    let rule = furniture("author-bio");
                    (a..=nb).for_each(|k| self.take(k, rule));
                    return true;
                }
            }
        }
        false
    }

    fn prev_para(&self, start: usize) -> Option<(usize, usize)> {
        let b = (0..start).rev().find(|&j| !self.lines[j].is_blank())?;
        Some(self.paragraph_at(b))
    }

    /// With no marker, a run of bullets closing the page (after at least one
    /// body paragraph, not introduced by a colon) is a comment thread.
    fn trailing_thread(&self, body_start: usize) -> Option<usize> {
        let last = (body_start..self.lines.len()).rev().find(|&j| !self.lines[j].is_blank() && self.taken[j].is_none())?;
        let mut start = None;
        let mut items = 0;
        let mut continuation = false;
        let mut j = last + 1;
        while j > body_start {
            j -= 1;
            let line = self.lines[j];
            if line.is_blank() || self.taken[j].is_some() {
                continue;
            }
            let c = self.content(j);
            if bullet(c).is_some() {
                items += 1;
                start = Some(j);
            } else if start.is_none() || line.indent > 0 {
                continuation |= line.indent > 0;
                if start.is_none() && line.indent == 0 {
                    return None;
                }
            } else {
                let s = start?;
                // A list introduced by the line right above it ("… the
                // following features:", however it is indented) is the article's.
                let above =
                    (j..s).rev().find(|&k| !self.lines[k].is_blank() && self.taken[k].is_none() && bullet(self.content(k)).is_none());
                let intro = above.is_some_and(|k| self.content(k).trim_end().ends_with(':'));
                return (items >= 2 && continuation && !intro).then_some(s);
            }
        }
        None
    }

    /// An author biography closing the article ("X is a councillor… writes for…").
    fn bio_before(&mut self, body_start: usize, end: usize) -> usize {
        let mut j = end;
        while j > body_start {
            j -= 1;
            if self.lines[j].is_blank() || self.taken[j].is_some() {
                continue;
            }
            let (a, b) = self.paragraph_at(j);
            let text = self.para_text(a, b);
            let name = rules::bio_line(&text).map(str::to_owned);
            let known = self
                .page
                .author
                .as_deref()
                .is_some_and(|au| text.strip_prefix(au).is_some_and(|rest| rest.starts_with(" is ") || rest.starts_with(" writes ")));
            if name.is_some() || known {
                if let Some(name) = name {
                    self.page.author.get_or_insert(name);
                }
                let rule = furniture("author-bio");
                (a..=b).for_each(|k| self.take(k, rule));
                return end.min(a);
            }
            return end;
        }
        end
    }

    fn body(&mut self, start: usize, end: usize) {
        // The article's last lines may be its widgets ("2 Replies  Like" under a forum's opening post).
        let mut last = end;
        while let Some(j) = (start..last).rev().find(|&j| !self.lines[j].is_blank() && self.taken[j].is_none()) {
            if !crate::thread::is_widget(self.content(j)) {
                break;
            }
            self.take(j, furniture("widget"));
            last = j;
        }
        let mut blocks: Vec<Block> = Vec::new();
        let mut open = false;
        for li in start..end {
            let line = self.lines[li];
            if line.is_blank() || self.taken[li].is_some() {
                open = false;
                continue;
            }
            push_line(&mut blocks, &mut open, self.text, line, false);
        }
        self.page.body = blocks;
    }

    fn thread(&mut self, start: usize) {
        let n = self.lines.len();
        let mut comments: Vec<RawComment> = Vec::new();
        let mut indents: Vec<usize> = Vec::new(); // indentation levels of list items seen, for nesting
        let mut header_indents: Vec<usize> = Vec::new(); // and of comment headers
        let mut indent_of: Vec<usize> = Vec::new();
        let mut headed: Vec<bool> = Vec::new(); // opened by a header line (text may follow unindented)
        let mut lines_of: Vec<Vec<usize>> = Vec::new(); // text lines of each comment
        let mut explicit: Vec<bool> = Vec::new(); // opened after a thread header or comment form
        let mut via: Vec<Via> = Vec::new(); // what opened each comment
        let mut cur: Option<usize> = None;
        let mut open = false;
        let mut after_blank = false;
        let mut thread_started = false;
        // Under an "N comments" header (N > 0), the comments still to come:
        // up to that many bare author lines open comments.
        let mut counted: Option<usize> = None;
        // Index of the latest comment at each depth: a reply's parent is the
        // latest comment one level up.
        let mut latest_at_depth: Vec<Option<usize>> = Vec::new();
        // Whether a comment form has closed a thread with comments.
        let mut closed = false;
        for li in start..n {
            let line = self.lines[li];
            if line.is_blank() {
                open = false;
                after_blank = true;
                continue;
            }
            let blank_before = std::mem::replace(&mut after_blank, false);
            if let Some(rule) = self.taken[li] {
                if rule.ends_article && rule.name != "thread-header" {
                    cur = None;
                }
                // A comment form after comments closes the thread; before them it opens it.
                closed |= rule.name == "comment-form" && !comments.is_empty();
                thread_started = match rule.name {
                    "thread-header" => true,
                    "comment-form" => comments.is_empty(),
                    _ => thread_started,
                };
                // A comment form closes a counted thread: later short lines are sidebar headings.
                counted = match rule.name {
                    "thread-header" => thread_count(self.content(li)).map(|n| n + comments.len()),
                    "comment-form" => None,
                    _ => counted,
                };
                open = false;
                continue;
            }
            let c = self.content(li);
            let body = strip_bullet(c);
            if self.text_from.contains(&li) {
                // The text of a comment whose byline follows it; a reply's
                // text is indented under its parent's.
                let depth = nest(&mut header_indents, line.indent);
                comments.push(RawComment {
                    author: None,
                    posted_at: None,
                    depth,
                    parent: depth.checked_sub(1).and_then(|d| latest_at_depth.get(d as usize).copied().flatten()),
                    blocks: Vec::new(),
                });
                note_latest(&mut latest_at_depth, depth, comments.len() - 1);
                via.push(Via::Shape);
                indent_of.push(line.indent);
                headed.push(true);
                lines_of.push(Vec::new());
                explicit.push(true);
                cur = Some(comments.len() - 1);
                open = false;
                thread_started = true;
            }
            if is_avatar(body) && (thread_started || cur.is_some() || !self.shaped.is_empty()) {
                // An avatar's alt text ("[Avatar]", "[3db61]") on its own line.
                self.take(li, thread_rule("comment-widget"));
                continue;
            }
            let words = n_words(c);
            let in_thread = thread_started || cur.is_some();
            if in_thread && !self.shaped.contains_key(&li) {
                // Notes: "yeastbeastie liked this" is activity; "bramblewick said: Mine
                // died…" a comment whose text starts on its header's line.
                let note = body.trim_start();
                if crate::thread::is_activity(note) {
                    self.take(li, thread_rule("comment-widget"));
                    cur = None;
                    continue;
                }
                if let Some((author, at)) = crate::thread::inline_said(note) {
                    let text_start = line.content.start + (c.len() - note.len()) + at;
                    let depth = nest(&mut indents, line.indent);
                    comments.push(RawComment {
                        author: Some(author.to_owned()),
                        posted_at: None,
                        depth,
                        parent: depth.checked_sub(1).and_then(|d| latest_at_depth.get(d as usize).copied().flatten()),
                        blocks: vec![Block { kind: BlockKind::Paragraph, lines: vec![Span::new(text_start, line.content.end)] }],
                    });
                    via.push(Via::Header);
                    indent_of.push(line.indent);
                    note_latest(&mut latest_at_depth, depth, comments.len() - 1);
                    headed.push(true);
                    lines_of.push(vec![li]);
                    explicit.push(true);
                    cur = Some(comments.len() - 1);
                    open = true;
                    continue;
                }
            }
            if self.trailing.contains(&li) {
                // A byline under its comment's text closes that comment.
                if let (Some(k), Some(h)) = (cur, self.shaped.get(&li)) {
                    if comments[k].author.is_none() && !lines_of[k].is_empty() {
                        comments[k].author = h.author.clone();
                        comments[k].posted_at = h.posted_at;
                    }
                }
                self.take(li, thread_rule("comment-header"));
                cur = None;
                open = false;
                continue;
            }
            let header = self
                .shaped
                .get(&li)
                .cloned()
                .map(|h| (h, Via::Shape))
                .or_else(|| {
                    // Where the page shows its own header shape, a list item of another
                    // shape ("• Board meeting - Tue, 05/15/2012") is a list, not a comment.
                    let listed = !self.shaped.is_empty() && bullet(c).is_some();
                    comment_header(body).filter(|_| !listed).map(|h| (h, Via::Header))
                })
                .or_else(|| {
                    // Where the page shows its own header shape, only that shape opens comments.
                    let bare = self.shaped.is_empty()
                        && counted.is_some_and(|n| comments.len() < n)
                        && (cur.is_none() || blank_before)
                        && self.is_bare_author(li);
                    bare.then(|| (crate::thread::Header { author: Some(bare_name(c).to_owned()), posted_at: None, depth: None }, Via::Bare))
                });
            if let Some((h, how)) = header {
                via.push(how);
                let depth = h.depth.unwrap_or_else(|| nest(&mut header_indents, line.indent));
                comments.push(RawComment {
                    author: h.author,
                    posted_at: h.posted_at,
                    depth,
                    parent: depth.checked_sub(1).and_then(|d| latest_at_depth.get(d as usize).copied().flatten()),
                    blocks: Vec::new(),
                });
                indent_of.push(line.indent);
                note_latest(&mut latest_at_depth, depth, comments.len() - 1);
                headed.push(true);
                lines_of.push(Vec::new());
                explicit.push(true);
                cur = Some(comments.len() - 1);
                open = false;
                self.take(li, thread_rule("comment-header"));
                continue;
            }
            // In a thread whose comments open with headers, replies have headers
            // too: a deeper bullet under a headed comment is a list in its text.
            let list_in_comment = cur.is_some_and(|k| headed[k] && line.indent > indent_of[k]);
            // Where the page shows its own header shape, a list that is not
            // in a comment's text (a teaser feed under the thread) ends it.
            if !self.shaped.is_empty() && !list_in_comment && bullet(c).is_some() && !comments.is_empty() {
                cur = None;
                open = false;
                self.take(li, furniture("navigation"));
                continue;
            }
            // Past a form that closed the thread, a list of long items is a feed, not more comments.
            if let Some(marker) = bullet(c).filter(|_| !list_in_comment && (in_thread || words >= 7 && !closed)) {
                let depth = nest(&mut indents, line.indent);
                let body_start = line.content.start + marker;
                comments.push(RawComment {
                    author: None,
                    posted_at: None,
                    depth,
                    parent: depth.checked_sub(1).and_then(|d| latest_at_depth.get(d as usize).copied().flatten()),
                    blocks: vec![Block { kind: BlockKind::Paragraph, lines: vec![Span::new(body_start, line.content.end)] }],
                });
                via.push(if counted.is_some_and(|n| comments.len() <= n) { Via::CountedBullet } else { Via::Bullet });
                indent_of.push(line.indent);
                note_latest(&mut latest_at_depth, depth, comments.len() - 1);
                headed.push(false);
                lines_of.push(vec![li]);
                explicit.push(thread_started);
                cur = Some(comments.len() - 1);
                open = true;
                continue;
            }
            let belongs = cur.is_some_and(|k| headed[k] || !blank_before || line.indent > indent_of[k]);
            match cur {
                Some(k) if belongs => {
                    let comment = &mut comments[k];
                    if comment.posted_at.is_none() {
                        if let Some(found) = date_line(c) {
                            comment.posted_at = Some(found.timestamp());
                            self.take(li, thread_rule("comment-date"));
                            continue;
                        }
                    }
                    // The time on the line under the comment's date line, before
                    // its text ("August 9th, 2012", "2:13 pm").
                    let date_above = (lines_of[k].is_empty() && word_count(c) <= 3)
                        .then(|| (li.saturating_sub(2).max(start)..li).rev().find(|&j| !self.lines[j].is_blank()))
                        .flatten()
                        .filter(|&j| self.taken[j].is_some_and(|r| r.name == "comment-date"));
                    if let Some(d) = date_above {
                        if let Some(at) = date_line(&format!("{} {}", self.content(d).trim(), c.trim())).and_then(|f| f.datetime) {
                            comment.posted_at = Some(at);
                            self.take(li, thread_rule("comment-date"));
                            continue;
                        }
                    }
                    if is_widget(c) {
                        self.take(li, thread_rule("comment-widget"));
                        continue;
                    }
                    push_line(&mut comment.blocks, &mut open, self.text, line, true);
                    lines_of[k].push(li);
                }
                _ => {
                    cur = None;
                    let rule = if is_widget(c) {
                        thread_rule("comment-widget")
                    } else if bullet(c).is_some() || words < 4 {
                        furniture("navigation")
                    } else {
                        furniture("after-article")
                    };
                    if rule.name == "after-article" {
                        self.page.warnings.push(format!("unplaced text after the article removed: {:?}", truncate(c, 60)));
                    }
                    self.take(li, rule);
                }
            }
        }
        // A header with nothing under it, or a bullet that does not read like
        // prose (a menu item, a headline), was not a comment after all.
        let mut keep = Vec::with_capacity(comments.len());
        let mut new_index = vec![None; comments.len()];
        for (i, c) in comments.into_iter().enumerate() {
            let text: Vec<&str> = lines_of[i].iter().map(|&j| self.content(j)).collect();
            let words: usize = text.iter().map(|t| n_words(t)).sum::<usize>();
            let sentence_end = text
                .iter()
                .any(|t| t.contains(". ") || t.trim_end_matches(['"', '”', '’', ')']).ends_with(['.', '!', '?', '…', '。', '！', '？']));
            let min_words = if explicit[i] { 3 } else { 12 };
            let ok = !c.blocks.is_empty()
                && text.iter().any(|t| t.chars().any(char::is_alphanumeric))
                && (headed[i] || (words >= min_words && sentence_end) || words >= 20);
            if !ok {
                for &j in &lines_of[i] {
                    self.taken[j] = Some(furniture("navigation"));
                }
            }
            if ok {
                new_index[i] = Some(keep.len());
                keep.push(c);
            }
        }
        // A list after the article with no thread header, no comment form,
        // no names and no dates is comments only if it talks like people do:
        // teaser and link lists do not say "I" or "you".
        let implicit = (0..explicit.len()).filter(|&i| new_index[i].is_some()).all(|i| !explicit[i] && !headed[i]);
        if !keep.is_empty() && implicit && keep.iter().all(|c| c.author.is_none() && c.posted_at.is_none()) {
            let personal = (0..lines_of.len())
                .filter(|&i| new_index[i].is_some())
                .filter(|&i| lines_of[i].iter().any(|&j| speaks_personally(self.content(j))))
                .count();
            if personal * 2 < keep.len() {
                for i in (0..lines_of.len()).filter(|&i| new_index[i].is_some()) {
                    for &j in &lines_of[i] {
                        self.taken[j] = Some(furniture("after-article"));
                    }
                }
                self.page.warnings.push(format!("a list of {} items after the article did not read as comments", keep.len()));
                keep.clear();
            }
        }
        // Known header forms that all name one and the same "author" ("The
        // Briefing, Friday, November 2, 2012" over and over) are a list of
        // the site's own posts, not a conversation.
        let by_header: Vec<usize> = (0..via.len()).filter(|&i| new_index[i].is_some() && via[i] == Via::Header).collect();
        let one_name = by_header.len() >= 2 && {
            let names: HashSet<&str> = by_header.iter().filter_map(|&i| keep[new_index[i].unwrap_or(0)].author.as_deref()).collect();
            names.len() == 1 && by_header.iter().all(|&i| keep[new_index[i].unwrap_or(0)].author.is_some())
        };
        if one_name && (0..via.len()).filter(|&i| new_index[i].is_some()).all(|i| via[i] != Via::Shape) {
            for i in (0..lines_of.len()).filter(|&i| new_index[i].is_some()) {
                for &j in &lines_of[i] {
                    self.taken[j] = Some(furniture("after-article"));
                }
            }
            self.page.warnings.push(format!("{} posts headed by one name after the article did not read as comments", keep.len()));
            keep.clear();
        }
        // A thread has headers or a count: a list after the article with no
        // name, date or "says" on any item, and no "N comments" over it, is a
        // teaser or link list unless its items are long and talk like people.
        let kept_items: Vec<usize> = (0..via.len()).filter(|&i| new_index[i].is_some()).collect();
        let talks = || {
            // People write long, punctuated, first- and second-person items.
            let words: usize = kept_items.iter().flat_map(|&i| &lines_of[i]).map(|&j| n_words(self.content(j))).sum();
            let personal = kept_items.iter().filter(|&&i| lines_of[i].iter().any(|&j| speaks_personally(self.content(j)))).count();
            let sentences = kept_items
                .iter()
                .filter(|&&i| {
                    lines_of[i].iter().any(|&j| self.content(j).trim_end_matches(['"', '”', '’', ')']).ends_with(['.', '!', '?', '…']))
                })
                .count();
            words >= 25 * kept_items.len() && personal * 2 >= kept_items.len() && sentences * 2 >= kept_items.len()
        };
        if !keep.is_empty() && kept_items.iter().all(|&i| via[i] == Via::Bullet) && !talks() {
            for i in (0..lines_of.len()).filter(|&i| new_index[i].is_some()) {
                for &j in &lines_of[i] {
                    self.taken[j] = Some(furniture("after-article"));
                }
            }
            self.page.warnings.push(format!("a list of {} items after the article had no comment headers", keep.len()));
            keep.clear();
        }
        for c in &mut keep {
            c.parent = c.parent.and_then(|p| new_index[p]);
            if c.parent.is_none() {
                c.depth = 0;
            }
        }
        self.page.comments = keep;
    }

    /// A short name-like line followed by text: a comment's author under an
    /// "N comments" header.
    fn is_bare_author(&self, li: usize) -> bool {
        let c = self.content(li);
        let words = n_words(c);
        (1..=4).contains(&words)
            && c.len() <= 40
            && !c.ends_with(['.', '!', '?', ':', ',', ';'])
            && bullet(c).is_none()
            && !is_widget(c)
            && !crate::thread::page_furniture_words(c)
            && c.chars().any(char::is_alphabetic)
            && date_line(c).is_none()
            && records::name_like(c)
            && !image_name(c)
            && !(words == 1 && c.len() > 3 && c.chars().all(|ch| !ch.is_lowercase()))
            && self.next_nonblank(li + 1).is_some_and(|nx| {
                let t = self.content(nx);
                // (An unpunctuated headline under a name is a sponsor's or a teaser's block.)
                self.taken[nx].is_none()
                    && n_words(t) >= 3
                    && comment_header(strip_bullet(t)).is_none()
                    && (!records::title_cased(t) || t.contains([':', '.', '!', '?', ';']))
            })
    }

    fn finish(mut self) -> Page {
        if self.page.site.is_none() {
            let footer = (0..self.lines.len())
                .filter(|&i| self.taken[i].is_some_and(|r| r.name == "copyright-footer"))
                .find_map(|i| rules::footer_site(self.content(i)).map(str::to_owned));
            self.page.site = footer;
        }
        let mut removed = Vec::new();
        for (i, rule) in self.taken.iter().enumerate() {
            if let Some(rule) = rule {
                let span = self.lines[i].content;
                removed.push(Removed {
                    source: self.decoded.source_span(span),
                    rule: rule.name,
                    kind: rule.kind.as_str(),
                    text: span.slice(self.text).split(crate::lines::is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "),
                    repeats: self.repeats.get(&i).copied(),
                });
            }
        }
        self.page.removed = removed;
        let mut seen = std::collections::HashSet::new();
        self.page.tags.retain(|t| seen.insert(t.to_lowercase()));
        self.page
    }
}

/// The count a thread header gives ("17 Responses to …", "Comments (4)"), if above zero.
fn thread_count(c: &str) -> Option<usize> {
    let digits: String = c.chars().skip_while(|ch| !ch.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    // Or spelt out at its start ("One comment", "Two responses").
    const WORDS: [&str; 10] = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    let spelt = || {
        let first = c.split_whitespace().next()?.to_lowercase();
        WORDS.iter().position(|w| *w == first).map(|k| k + 1)
    };
    digits.parse().ok().filter(|&n| n > 0).or_else(spelt)
}

/// A line that is only an image's alt text in brackets ("[Avatar]", "[f1b99]").
fn is_avatar(c: &str) -> bool {
    // Blogger numbers each comment on its avatar's line ("2. [IMG-201209]").
    let t = past_number(c.trim());
    t.len() > 2 && t.len() <= 60 && t.starts_with('[') && t.ends_with(']') && !t[1..t.len() - 1].contains(['[', ']'])
}

/// A row that starts with its date ("June 9 – Tampa, FL", "12/05 Leeds",
/// "9 June – Tampa"), not with a list number ("1. The Ultimate Guide").
fn dated_row(c: &str) -> bool {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = |w: &str| w.len() >= 3 && w.is_char_boundary(3) && MONTHS.contains(&w[..3].to_ascii_lowercase().as_str());
    let mut words = c.split_whitespace();
    let first = words.next().unwrap_or("");
    let digits = first.starts_with(|ch: char| ch.is_ascii_digit());
    month(first)
        || digits && first.contains(['/', '-'])
        || digits && first.bytes().all(|b| b.is_ascii_digit()) && words.next().is_some_and(month)
}

/// `t` past a list number of one to three digits ("2. [IMG-201209]" → "[IMG-201209]").
fn past_number(t: &str) -> &str {
    t.split_once(". ").filter(|(n, _)| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())).map_or(t, |(_, rest)| rest)
}

/// A bare author line's name, past its comment's number and avatar ("1. [8b75b9] Alan Tay").
fn bare_name(c: &str) -> &str {
    let t = past_number(c.trim());
    let t = t.strip_prefix('[').and_then(|r| r.split_once("] ")).filter(|(alt, _)| !alt.contains(['[', ']'])).map_or(t, |(_, rest)| rest);
    t.trim()
}

/// An image's file name left as its alt text ("Unfinished-swan6", "ADI08-20-2012").
fn image_name(c: &str) -> bool {
    !c.contains(' ') && c.chars().any(|ch| ch.is_ascii_digit()) && c.contains(['-', '_'])
}

/// What opened a comment in the thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// A header of a shape that repeats on the page (or the text above a trailing byline).
    Shape,
    /// A header of one of the known forms.
    Header,
    /// A bare name under a counted thread header.
    Bare,
    /// A list item.
    Bullet,
    /// A list item under an "N comments" header, among the first N.
    CountedBullet,
}

fn truncate(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// Record `index` as the latest comment at `depth`.
fn note_latest(latest: &mut Vec<Option<usize>>, depth: u32, index: usize) {
    let d = depth as usize;
    if latest.len() <= d {
        latest.resize(d + 1, None);
    }
    latest[d] = Some(index);
}

fn strip_bullet(c: &str) -> &str {
    bullet(c).map_or(c, |m| &c[m..])
}

/// Depth of a comment from its indentation, given the levels seen so far.
fn nest(indents: &mut Vec<usize>, indent: usize) -> u32 {
    while indents.last().is_some_and(|&b| b > indent) {
        indents.pop();
    }
    if indents.last().is_none_or(|&b| b < indent) {
        indents.push(indent);
    }
    indents.len().saturating_sub(1) as u32
}

/// Add a line to the blocks: a bullet opens a list item, other lines continue
/// the open block or open a paragraph.
fn push_line(blocks: &mut Vec<Block>, open: &mut bool, text: &str, line: Line, in_comment: bool) {
    let c = line.content.slice(text);
    if let Some(marker) = bullet(c).filter(|_| !in_comment) {
        blocks.push(Block { kind: BlockKind::ListItem, lines: vec![Span::new(line.content.start + marker, line.content.end)] });
        *open = true;
        return;
    }
    match blocks.last_mut() {
        Some(b) if *open => b.lines.push(line.content),
        _ => blocks.push(Block { kind: BlockKind::Paragraph, lines: vec![line.content] }),
    }
    *open = true;
}

/// First and last line of each line's paragraph, in one pass each way.
fn paragraph_bounds(lines: &[Line]) -> Vec<(usize, usize)> {
    let n = lines.len();
    let mut bounds = vec![(0, 0); n];
    let mut start = 0;
    for i in 0..n {
        if i == 0 || lines[i - 1].is_blank() {
            start = i;
        }
        bounds[i].0 = start;
    }
    let mut end = n.saturating_sub(1);
    for i in (0..n).rev() {
        if i + 1 == n || lines[i + 1].is_blank() {
            end = i;
        }
        bounds[i].1 = end;
    }
    bounds
}

/// Whether a line speaks in the first or second person, in the languages
/// the parser knows ("I think", "you", "we", "je", "ich", "yo", "eu"…).
fn speaks_personally(c: &str) -> bool {
    const WORDS: &[&str] = &[
        "i", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "me", "my", "we", "our", "us", "you", "your", "je", "j'ai", "j’ai", "tu", "vous",
        "nous", "mon", "ma", "ich", "du", "wir", "mein", "meine", "yo", "tú", "nosotros", "mi", "io", "noi", "eu", "você", "nós", "meu",
        "minha", "ik", "jij", "wij", "mijn",
    ];
    c.split(|ch: char| !(ch.is_alphabetic() || ch == '\'' || ch == '’')).filter(|w| !w.is_empty() && w.len() <= 9).any(|w| {
        let w = w.to_lowercase();
        WORDS.contains(&w.as_str())
    })
}

/// A byline in English or in another language the parser reads.
fn any_byline(c: &str) -> Option<&str> {
    rules::byline(c).or_else(|| headline::byline_intl(c))
}

fn title_like(c: &str) -> bool {
    c.len() <= 250
        && word_count(c) >= 2
        && c.chars().any(char::is_alphabetic)
        && bullet(c).is_none()
        && !c.ends_with(':')
        && !c.starts_with('[')
        && !c.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("by "))
        && !stamp_like(c)
        && any_byline(c).is_none()
        && !headline::menu_like(c)
        && !headline::reading_time(c)
}

/// A date with a time of day ("21.dez.2018 às 12h55", "1 de diciembre de
/// 2017 3:00 AM PST"), in any language: a dateline, not a headline.
fn stamp_like(c: &str) -> bool {
    static STAMP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:19|20)\d\d\b.*\b\d{1,2}[:h]\d\d\b|\b\d{1,2}[:h]\d\d\b.*\b(?:19|20)\d\d\b").expect("valid regex")
    });
    c.len() <= 80 && STAMP.is_match(c)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// A line drawn with one repeated rule character ("━━━━", "-----", "____").
fn is_rule_line(c: &str) -> bool {
    let t = c.trim();
    let mut chars = t.chars();
    let Some(first) = chars.next() else { return false };
    matches!(first, '━' | '─' | '—' | '–' | '_' | '=' | '*' | '~' | '-' | '·' | '•')
        && t.chars().count() >= 10
        && chars.all(|ch| ch == first || ch == ' ')
}

/// Words in a line: space-separated tokens with a letter, plus one per two
/// Han or kana characters (scripts written without spaces).
fn word_count(c: &str) -> usize {
    if c.is_ascii() {
        // The same count without decoding: words with an ASCII letter.
        let (mut n, mut in_word, mut letter) = (0, false, false);
        for &b in c.as_bytes() {
            if is_space_byte(b) {
                n += usize::from(in_word && letter);
                (in_word, letter) = (false, false);
            } else {
                in_word = true;
                letter |= b.is_ascii_alphabetic();
            }
        }
        return n + usize::from(in_word && letter);
    }
    let spaced = c.split_whitespace().filter(|w| w.chars().any(|ch| ch.is_alphabetic() && !is_cjk(ch))).count();
    spaced + c.chars().filter(|&ch| is_cjk(ch)).count() / 2
}

/// Read a decoded page into its parts.
pub fn structure(decoded: Decoded, knowledge: &RepeatedLines) -> Page {
    let lines = split_lines(&decoded.text);
    let n = lines.len();
    let para = paragraph_bounds(&lines);
    let mut p = Parser {
        text: &decoded.text,
        decoded: &decoded,
        lines,
        para,
        taken: vec![None; n],
        prefix: Vec::new(),
        repeats: std::collections::HashMap::new(),
        knowledge,
        shaped: HashMap::new(),
        named: Vec::new(),
        trailing: HashSet::new(),
        text_from: HashSet::new(),
        page: Page {
            decoded: Decoded::from_utf8(""),
            site: None,
            title: None,
            standfirst: None,
            author: None,
            published: None,
            tags: Vec::new(),
            body: Vec::new(),
            comments: Vec::new(),
            removed: Vec::new(),
            warnings: Vec::new(),
        },
    };
    let body_start = p.header();
    let (start, end) = p.article_bounds(body_start);
    p.body(start, end);
    p.thread(end);
    if p.page.body.is_empty() {
        p.page.warnings.push("no article body found".into());
    }
    let mut page = p.finish();
    page.decoded = decoded;
    page
}

#[cfg(test)]
mod tests {
    use crate::parse;

    /// The body's lines and the rules that removed the others.
    fn read(src: &str) -> (Vec<String>, Vec<&'static str>, usize) {
        let page = parse(src.as_bytes()).expect("text");
        let text = &page.decoded.text;
        let body = page.body.iter().flat_map(|b| b.lines.iter().map(|sp| sp.slice(text).trim().to_owned())).collect();
        (body, page.removed.iter().map(|r| r.rule).collect(), page.comments.len())
    }

    /// Each comment's author and its text's lines, trimmed.
    fn authored(page: &super::Page) -> Vec<(Option<&str>, Vec<&str>)> {
        let text = &page.decoded.text;
        page.comments
            .iter()
            .map(|c| (c.author.as_deref(), c.blocks.iter().flat_map(|b| b.lines.iter().map(|l| l.slice(text).trim())).collect()))
            .collect()
    }

    /// Each comment's author.
    fn authors(page: &super::Page) -> Vec<Option<&str>> {
        page.comments.iter().map(|c| c.author.as_deref()).collect()
    }

    /// The first line of the page's article body, trimmed.
    fn first_body_line(page: &super::Page) -> Option<&str> {
        page.body.first().and_then(|b| b.lines.first()).map(|sp| sp.slice(&page.decoded.text).trim())
    }

    #[test]
    fn a_spelt_out_count_heads_a_thread_of_bare_names_with_date_and_time_lines() {
        assert_eq!(super::thread_count("One comment Add your comment"), Some(1));
        assert_eq!(super::thread_count("Two responses"), Some(2));
        assert_eq!(super::thread_count("Someone commented"), None);
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\nOne comment Add your comment\n\nChipperisGod\n\nAugust 9th, 2012\n2:13 pm\n\nWe have been winning this year, and I look for the starter to rebound tomorrow night.\n\nAdd your comment\n\nMy latest tweets\n\n  • Got the new album in the car CD changer, kid you not, it is very good indeed. 12 mins ago\n  • Eat BBQ before you go to the park, the place on the corner is nearby and cheap. 17 mins ago\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        let got: Vec<_> = page.comments.iter().map(|c| (c.author.as_deref(), c.posted_at.map(|t| t.to_string()))).collect();
        assert_eq!(
            got,
            [(Some("ChipperisGod"), Some("2012-08-09T14:13:00".to_owned()))],
            "a form closes the thread; the tweets under it are no comments"
        );
        let text = &page.decoded.text;
        let first = page.comments[0].blocks[0].lines[0].slice(text).trim();
        assert!(first.starts_with("We have been"), "{first:?}");
    }

    #[test]
    fn a_run_over_a_comment_link_gives_way_to_the_article_under_it() {
        // An author's card over "Add a Comment", then an article more than
        // twice as long with no thread in it: the form was a link (the card
        // scores over a quarter of the article, so the quarter rule must pass it over too).
        let card = "Jolie writes about developers and the platforms they build on, from phones to the web and back again.\n\nShe lived in San Francisco for ten years, and she still misses the fog on summer mornings there.\n\nBefore that she wrote about music for a weekly paper in Austin, and about food for a monthly one.";
        let article = format!("{PROSE}\n\n{MORE}\n\n{THIRD}\n\n{PROSE} {MORE}\n\n{THIRD} {PROSE}\n\n{MORE} {THIRD}\n\n");
        let src = format!("A headline for the page\n\n{card}\n\nAdd a Comment\n\n{article}");
        let (body, _, comments) = read(&src);
        assert!(body.len() >= 6 && body.last().is_some_and(|l| l.ends_with("in the spring.")), "{body:?}");
        assert_eq!(comments, 0);
    }

    #[test]
    fn a_comment_link_over_the_article_with_its_thread_and_a_teaser_feed_under_it() {
        // The thread under the article does not make the link over it the
        // thread's opening; the teasers (each headline shown twice, over
        // its date and author) are no comments.
        let card = "Jolie writes about developers and the platforms they build on, from phones to the web and back again.\n\nShe lived in San Francisco for ten years, and she still misses the fog on summer mornings there.\n\nBefore that she wrote about music for a weekly paper in Austin, and about food for a monthly one.";
        let article = format!("{PROSE}\n\n{MORE}\n\n{THIRD}\n\n{PROSE} {MORE}\n\n{THIRD} {PROSE}\n\n{MORE} {THIRD}\n\n");
        let thread = "Anna Price July 7, 2012 at 2:31 pm\n\nI loved this, thank you for writing it all up.\n\nBob Hill July 8, 2012 at 9:00 am\n\nNot sure I agree with you, but it is well argued.\n\n";
        let teasers = "Most popular\n\nReady for nanotech brains? The breakthrough gets us closer than ever before to them\nReady for nanotech brains? The breakthrough gets us closer than ever before to them\nOctober 28, 2012 11:00 AM Dean Takahashi\n\nHow a search company makes its money, and how it lost some of it last week\nHow a search company makes its money, and how it lost some of it last week\nOctober 25, 2012 5:00 AM John Koetsier\n\nWhy a chip maker bets on phones, and what the bet costs it in its old markets\nWhy a chip maker bets on phones, and what the bet costs it in its old markets\nOctober 19, 2012 11:44 AM Sean Ludwig\n";
        let src = format!("A headline for the page\n\n{card}\n\nAdd a Comment\n\n{article}{thread}{teasers}");
        let page = parse(src.as_bytes()).expect("text");
        let text = &page.decoded.text;
        let body: Vec<&str> = page.body.iter().flat_map(|b| b.lines.iter().map(|sp| sp.slice(text).trim())).collect();
        assert!(body.len() >= 6 && body.last().is_some_and(|l| l.ends_with("in the spring.")), "{body:?}");
        let authors = authors(&page);
        assert_eq!(authors, [Some("Anna Price"), Some("Bob Hill")]);
    }

    #[test]
    fn one_livefyre_comment_under_the_sort_links_ends_at_powered_by() {
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n\nPost comment as\nSort: Newest | Oldest\n[50]\nMontemalone 44 pts\n\nThis money will all be going directly into the pockets of the people who loaded it with debt.\n\nshare flag\n\nLike\nPowered by Livefyre\n\nNow Trending\n\nVOICE Daily Deals\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        let got = authored(&page);
        assert_eq!(
            got,
            [(Some("Montemalone"), vec!["This money will all be going directly into the pockets of the people who loaded it with debt."])]
        );
    }

    #[test]
    fn a_numbered_name_with_its_avatar_under_run_together_tabs_is_the_one_comment() {
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\n1 CommentNo Reactions\n\n 1. [8b75b9] Alan Tay\n    7 Aug 12 at 11:21 pm\n\n    You made your point there, Sara, and I will take it into account next time.\n\n    Reply\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        let authors = authors(&page);
        assert_eq!(authors, [Some("Alan Tay")]);
    }

    #[test]
    fn a_comment_count_over_an_article_of_pictures_is_a_link() {
        let pictures =
            "[HDSvintagelook]\n\n[HDSvintagelook2]\n\n[HDSvintagelook3]\n\n[HDSvintagelook4]\n\n[HDSvintagelook5]\n\n[HDSvintagelook6]\n\n";
        let thread = "1. [fe43f] Shelley says:\n    November 9, 2012 at 8:41 am\n\n    Oh those hats! I need to find my grandma's hat boxes.\n\n    Reply\n 2. [5165c] Veronica Almeida says:\n    November 9, 2012 at 12:46 pm\n\n    Vintage is coming back, I was looking at a magazine the other day.\n\n    Reply\n";
        let src = format!(
            "Finding Your Vintage Style Part 2\n\nNovember 9, 2012 by Cristi\n\nMore of what I found in my grandmother's closet, and how I wear it today.\n\n5 Comments\n\n{PROSE}\n{MORE}\n{THIRD}\n\n{pictures}{MORE}\n\n{pictures}{THIRD}\n\n{pictures}5 Responses to \u{201c}Finding Your Vintage Style Part 2\u{201d}\n\n{thread}"
        );
        let (body, _, comments) = read(&src);
        assert!(body.iter().any(|l| l == THIRD), "{body:?}");
        assert_eq!(comments, 2);
    }

    #[test]
    fn a_comment_count_over_the_article_is_a_link_where_a_form_closes_it() {
        let pictures = "[HDSbread1]\n\n[HDSbread2]\n\n[HDSbread3]\n\n[HDSbread4]\n\n";
        let src = format!(
            "Turn Savory Stuffing into Bread Pudding\n\nNovember 12, 2012 by Carlee\n\nTwo recipes to make the most of what is left after the feast this year.\n\n2 Comments\n\n{PROSE}\n{MORE}\n{THIRD}\n\n{pictures}{MORE}\n\n{pictures}{THIRD}\n\n{pictures}Leave a Reply\n\nYour email address will not be published.\n"
        );
        let (body, _, _) = read(&src);
        assert!(body.iter().any(|l| l == THIRD), "{body:?}");
    }

    #[test]
    fn headlines_run_together_are_a_feed_and_a_schedule_is_not() {
        let feed = "Thanksgiving Cocktail Recipe Ideas 10 Fall Cocktails to Toast to This Thanksgiving How to Seed a\nPomegranate How to Seed a Pomegranate Mess-Free, in Pictures How to Caramelize Onions How to\nCaramelize Onions Traditional American Dishes 10 Quintessentially American Dishes PopSugar Must\nHave Box For September Contents September PopSugar Must Have Box Revealed Fast No-Knead Bread\nRecipe Bread Winner: The Easiest Loaf You'll Ever Bake Fun Champagne Cocktail Ideas 6 Champagne\nCocktails For the Holidays Wedding Appetizer Ideas 10 Classy Bites For Your Wedding Cocktail Hour\n";
        let src = format!("How to Crimp Pie Crust\n\n{PROSE}\n{MORE}\n\n\u{2039} Back to Story\n\nYou Might Also Like\n{feed}");
        let (body, _, _) = read(&src);
        assert!(body.iter().any(|l| l == PROSE) && !body.iter().any(|l| l.contains("Champagne")), "{body:?}");
        let schedule = "June 9 \u{2013} West Palm Beach, FL @ Coral Sky Amphitheatre\nJune 10 \u{2013} Tampa, FL @ MIDFLORIDA Credit Union Amphitheatre\nJune 14 \u{2013} Alpharetta, GA @ Ameris Bank Amphitheatre\nJune 16 \u{2013} Raleigh, NC @ Coastal Credit Union Music Park\n";
        let src = format!("The Band Announce a Tour\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n\n{schedule}");
        let (body, _, _) = read(&src);
        assert!(body.iter().any(|l| l.starts_with("June 10")), "{body:?}");
    }

    #[test]
    fn a_centred_list_under_its_introduction_is_the_article_s() {
        // Centred text: every line indented, the list's items wrapped under them.
        let src = "Improving news search with expandable results\n\nLast year we updated the news pages to make it easier for you to scan for stories\n   that are interesting to you. Today we are announcing an update that brings some of those ideas to search.\n\n      Over the next few days we will be rolling out the following features:\n\n     \u{2022} Click-to-expand clusters: Each news results cluster is collapsed down to one\n     result with the exception of the first cluster, so the page is easier to scan.\n  \u{2022} Multimedia: Within some of the expanded clusters you will see a bar of videos and photos\n     that relate to each cluster's content. Click on any of these for more coverage.\n";
        let (body, _, comments) = read(src);
        assert!(body.iter().any(|l| l.starts_with("Multimedia:")), "{body:?}");
        assert_eq!(comments, 0);
    }

    #[test]
    fn a_name_saying_over_a_block_quote_introduces_a_quotation() {
        let quote = "    The Group has now received correspondence from some members of the 2006 lenders that they may\n    seek to launch litigious actions to recover amounts due to them under their facility, and this may\n    include a petition for the winding-up of the relevant borrowing entities, which it will resist.\n";
        let src = format!(
            "Hibu could be sued by some lenders\n\nFallout continues at Hibu, aka Yell, aka Yellow Pages.\n\n{PROSE}\n\n{MORE}\n\nHibu said:\n\n{quote}\n{THIRD}\n\n{PROSE} {MORE}\n\n{THIRD} {MORE}\n"
        );
        let (body, _, comments) = read(&src);
        assert_eq!(body.first().map(String::as_str), Some("Fallout continues at Hibu, aka Yell, aka Yellow Pages."), "{body:?}");
        assert_eq!(comments, 0);
    }

    #[test]
    fn one_comment_under_its_count_or_with_a_typepad_byline() {
        // Under "One Comment", a name with a date (no time) heads the one comment.
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\nOne Comment\n\n 1. [62ffa6]\n    Designrshub | Design Magazine August 9, 2012\n\n    Cool template. I am pretty sure many bloggers will use this template. Thanks!\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        let authors = authors(&page);
        assert_eq!(authors, [Some("Designrshub | Design Magazine")]);
        // TypePad: a blog's name after "Posted by:", under the feed line that opens the thread.
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\nComments\n\nFeed You can follow this conversation by subscribing to the comment feed for this post.\n\nWell I am a day late and a few dollars short, I missed your sale.\n\nPosted by: Curtains in my Tree | June 08, 2012 at 02:29 PM\n\nPost a comment\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        let got = authored(&page);
        assert_eq!(got, [(Some("Curtains in my Tree"), vec!["Well I am a day late and a few dollars short, I missed your sale."])]);
    }

    #[test]
    fn a_feed_of_excerpts_cut_short_is_not_the_article() {
        let feed: String = (0..12)
            .map(|k| format!("  \u{2022} Reader {k} wrote that the budget vote last night was a long and difficult debate about the libraries and the buses, and that...\n"))
            .collect();
        let src = format!("Riding the Wave of Diversity\n\n{PROSE}\n\n{MORE}\n\nElsewhere\n\n{feed}");
        let (body, _, _) = read(&src);
        assert!(body.first().is_some_and(|l| l == PROSE) && !body.iter().any(|l| l.contains("Reader 3 wrote")), "{body:?}");
        // Or signed at their ends ("… Thanks for the update. by Joe257").
        let feed: String = (0..12)
            .map(|k| format!("  \u{2022} The budget vote last night was a long and difficult debate about the libraries and the buses, thanks for the update. by Joe{k}\n"))
            .collect();
        let src = format!("Riding the Wave of Diversity\n\n{PROSE}\n\n{MORE}\n\nElsewhere\n\n{feed}");
        let (body, _, _) = read(&src);
        assert!(body.first().is_some_and(|l| l == PROSE) && !body.iter().any(|l| l.contains("by Joe3")), "{body:?}");
    }

    #[test]
    fn an_avatar_with_its_comments_number_is_an_avatar() {
        assert_eq!(super::bare_name("1. [8b75b9] Alan Tay"), "Alan Tay");
        assert_eq!(super::bare_name("Alan Tay"), "Alan Tay");
        assert!(super::is_avatar("[Avatar]"));
        assert!(super::is_avatar(" 2. [IMG-201209]"));
        assert!(!super::is_avatar("2. [IMG-201209] Petal"));
        assert!(!super::is_avatar("2012. [link]"));
    }

    const PROSE: &str = "The council voted on the budget last night after a long debate about the libraries and the buses.";
    const MORE: &str = "Members of the public queued in the rain to speak, and most of them asked for the Sunday openings back.";
    const THIRD: &str = "The leader said the money was simply not there this year, and promised to look again in the spring.";

    #[test]
    fn read_more_after_an_inline_teaser_does_not_end_the_article() {
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\nAnother story, teased\n\nRead more\n\n{THIRD} It went on.\n\n{PROSE} The end.\n"
        );
        let (body, rules, _) = read(&src);
        assert!(body.iter().any(|l| l.ends_with("The end.")), "{body:?}");
        assert!(rules.contains(&"print-share"));
    }

    #[test]
    fn a_wrapped_sentence_end_is_text_however_often_the_corpus_has_it() {
        use crate::knowledge::{RepeatedLines, line_keys};
        let mut corpus = RepeatedLines::new(3);
        for _ in 0..3 {
            corpus.add(&line_keys(
                b"issues.
Subscribe
",
            ));
        }
        corpus.prune();
        let src = format!(
            "A headline for the page

{PROSE}

{MORE}
Democracy does not work well if votes are not informed on the
issues.

Subscribe

{THIRD}
"
        );
        let page = crate::parse_with(src.as_bytes(), &corpus).expect("text");
        let text = &page.decoded.text;
        let body: Vec<&str> = page.body.iter().flat_map(|b| b.lines.iter().map(|sp| sp.slice(text).trim())).collect();
        assert!(body.contains(&"issues."), "{body:?}");
        let repeated: Vec<&str> = page.removed.iter().filter(|r| r.rule == "repeated-line").map(|r| r.text.trim()).collect();
        assert_eq!(repeated, ["Subscribe"], "a line of its own is still learned furniture");
    }

    #[test]
    fn a_tagline_over_the_date_and_headline_is_not_the_article() {
        let src = format!(
            "Share  Report Abuse  Next Blog»  Create Blog  Sign In\n\nNotes From The Mill\n\nCounting birds over an old mill town, one evening at a time\n\nThursday, April 26, 2012\n\nThe first swifts are back over the lane\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        assert_eq!(page.title.as_deref(), Some("The first swifts are back over the lane"));
        assert_eq!(first_body_line(&page), Some(PROSE));
    }

    #[test]
    fn the_wrapped_end_of_a_standfirst_is_not_the_title() {
        let src = format!(
            "The Slow Commute\n\nSubscribe  Sign in\n\nWhy I stopped planning my mornings\n\nTwo years of routines, trackers and cold showers, and what finally made the first hour of the day\nfeel like mine again\n\nPriya Raman\nApr 25, 2021\n\n14\n\n6\n\nShare\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        assert_eq!(page.title.as_deref(), Some("Why I stopped planning my mornings"));
    }

    #[test]
    fn captions_under_their_picture_or_ending_on_their_credit_are_not_the_article() {
        for caption in [
            "[image]\nOn patrol: Hawk handler Dean Pascoe with Amber, who will fly over the seafront",
            "[image] A cyclist steers around a pothole on a street in Leeds. Photograph: Christopher\nThomond for the Guardian",
        ] {
            let src = format!("A headline for the page\n\nBy SARAH HOLT\n\n{caption}\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n");
            let (body, rules, _) = read(&src);
            assert_eq!(body.first().map(String::as_str), Some(PROSE), "{body:?}");
            assert!(rules.contains(&"photo-credit"), "{rules:?}");
        }
    }

    #[test]
    fn a_two_line_byline_under_a_standfirst_gives_the_author_and_the_standfirst_is_not_the_article() {
        let src = format!(
            "The Daily Courier\nWednesday 25 April 2012\n\nHome  News  World  Sport  Finance  Comment  Culture\n\nHome » News » Local\n\nHosepipe ban: how to keep a garden alive with a watering can\n\nWith seven water companies now restricting hosepipes, Catherine Ashdown explains which plants need\nhelp first and which can fend for themselves.\n\nBy Catherine Ashdown\n6:00PM BST 25 Apr 2012\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        assert_eq!(page.title.as_deref(), Some("Hosepipe ban: how to keep a garden alive with a watering can"));
        assert_eq!(page.author.as_deref(), Some("Catherine Ashdown"));
        assert_eq!(first_body_line(&page), Some(PROSE));
    }

    #[test]
    fn under_a_counted_thread_header_with_no_prose_above_the_article_is_empty() {
        let thread: String = ["Maria", "Lynn", "Yan", "Tom"]
            .iter()
            .enumerate()
            .map(|(i, n)| format!("[a{i}] {n} July {}, 2012 at 2:31 pm\n\n    {PROSE}\n    {MORE}\n\n    Reply\n\n", i + 1))
            .collect();
        let src = format!(
            "Paulo's Blog\n\nConversation with my readers, 29 June 2012\n\nby Paulo on June 29, 2012\n\nPrevious post: Six Ways to Refuel Your Energy Every Day\n\nNext post: A manuscript found in Accra\n\n{{ 4 comments… read them below or add one }}\n\n{thread}"
        );
        let page = parse(src.as_bytes()).expect("text");
        assert_eq!(page.comments.len(), 4, "{:?}", page.comments.iter().map(|c| &c.author).collect::<Vec<_>>());
    }

    #[test]
    fn a_forum_s_opening_post_is_the_article_and_its_header_the_byline() {
        let post =
            |who: &str, name: &str, day: u32, text: &str| format!("{who} {name}\nApril {day}, 2012, 3:02pm\n\n{text}\n\n2 Likes  Like\n\n");
        let src = format!(
            "Riverside Makerspace\n\nSign Up  Log In\n\nA booking system for the laser cutter\n\n{}{}{}{}",
            post("sandra_k", "Sandra Kowalski", 26, &format!("{PROSE} {MORE}\n\n{THIRD}")).replace("2 Likes  Like", "2 Replies  Like"),
            post("dev_okafor", "Chidi Okafor", 26, MORE),
            post("mhartley", "Megan Hartley", 27, THIRD),
            post("ravi_p", "Ravi Prakash", 28, PROSE),
        );
        let page = parse(src.as_bytes()).expect("text");
        assert_eq!(page.author.as_deref(), Some("sandra_k"));
        let (body, rules, comments) = read(&src);
        assert_eq!(body.last().map(String::as_str), Some(THIRD), "{body:?}");
        assert!(rules.contains(&"widget"), "{rules:?}");
        assert_eq!(comments, 3);
    }

    #[test]
    fn under_only_its_subject_a_forum_s_first_post_is_the_article_without_its_poster_s_profile() {
        let post = |re: &str, who: &str, day: u32, text: &str| {
            format!(
                "Citeer\n\n{re}Tomaten in de kas: wanneer beginnen met het dieven?\n\ndoor {who} » do {day} apr 2012, 15:02\n\n{text}\n\n{who}\nBerichten: 412\nWoonplaats: Zwolle\n\nTerug naar boven\n\n"
            )
        };
        let src = format!(
            "Het Moestuinforum\nAlles over groenten kweken in eigen tuin, kas en op het balkon\n\nForumindex ‹ Groenten\n\n{}{}{}{}",
            post("", "GroeneVingers", 26, &format!("{PROSE}\n\n{MORE}")),
            post("Re: ", "Hennie", 26, THIRD),
            post("Re: ", "TuinManJan", 27, MORE),
            post("Re: ", "Marieke", 28, PROSE),
        );
        let page = parse(src.as_bytes()).expect("text");
        assert_eq!(page.author.as_deref(), Some("GroeneVingers"));
        let (body, _, comments) = read(&src);
        assert_eq!(body, [PROSE, MORE]);
        assert_eq!(comments, 3);
    }

    #[test]
    fn an_aggregator_s_title_over_its_points_by_line_gives_title_and_submitter() {
        let src = format!(
            "Hacker News new | past | comments | ask | show | jobs | submit   login\n\nShow HN: A tide table for small harbours (tidebook.example.org)\n118 points by mareel 3 hours ago | hide | past | favorite | 6 comments\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        assert_eq!(page.title.as_deref(), Some("Show HN: A tide table for small harbours"));
        assert_eq!(page.author.as_deref(), Some("mareel"));
        let (body, _, _) = read(&src);
        assert_eq!(body.first().map(String::as_str), Some(PROSE), "{body:?}");
    }

    #[test]
    fn notes_that_say_something_are_comments_and_the_rest_is_activity() {
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n\n12 notes\n\n 1. bramblewick said: Mine died after four days away, so this gives me hope!\n 2. yeastbeastie liked this\n 3. flourishandfold reblogged this from crumbandcrust\n 4. morningloaf said: Rye flour is the secret, I swear by it.\n 5. crumbandcrust posted this\n\nPrevious post  Next post\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        let text = &page.decoded.text;
        let got: Vec<(Option<&str>, &str)> =
            page.comments.iter().map(|c| (c.author.as_deref(), c.blocks[0].lines[0].slice(text))).collect();
        assert_eq!(
            got,
            [
                (Some("bramblewick"), "Mine died after four days away, so this gives me hope!"),
                (Some("morningloaf"), "Rye flour is the secret, I swear by it.")
            ]
        );
    }

    #[test]
    fn a_name_over_an_unpunctuated_headline_is_a_sponsor_not_a_commenter() {
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n\n4 comments\n\nLakeshore Motors\nYour Ballpark Parking Pass Just Got Cheaper Today\n\nManaging Editor Jake Moreno\nContributors Dan Ortega, Rachel Finch, Sam Lowe\n"
        );
        let (_, _, comments) = read(&src);
        assert_eq!(comments, 0);
    }

    #[test]
    fn a_comment_link_over_the_article_is_not_the_thread() {
        let src = format!(
            "A headline for the page\n\nOctober 30, 2012 3:30 PM\n\nThe council met again, and this is what it did.\n\nAdd a Comment\n\n{}The end.\n",
            format!("{PROSE}\n\n{MORE}\n\n{THIRD}\n\n").repeat(4)
        );
        let (body, _, comments) = read(&src);
        assert!(body.iter().any(|l| l.ends_with("The end.")), "{body:?}");
        assert_eq!(comments, 0);
    }

    #[test]
    fn an_article_closed_by_a_form_stays_the_article_over_a_long_thread_under_its_header() {
        let thread = format!("{MORE}\n\n{THIRD}\n\n{PROSE}\n\n").repeat(4);
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\nLeave a Reply\n\n23 Responses to “A headline for the page”\n\n{thread}"
        );
        let (body, _, _) = read(&src);
        assert_eq!(body.len(), 2, "{body:?}");
    }

    #[test]
    fn a_teaser_list_under_a_shaped_thread_ends_it() {
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n\nAnna Price July 7, 2012 at 2:31 pm\n\nI loved this, thank you for writing it all up.\n\nBob Hill July 8, 2012 at 9:00 am\n\nNot sure I agree with you, but it is well argued.\n\n• Spotbros wants to become a location-based messenger on steroids. The Spanish startup has raised money from investors and plans a launch in Latin America.\n• With ninety million users, Viber adds group messaging. The voice and messaging app now lets up to forty people talk in one group.\n"
        );
        let page = parse(src.as_bytes()).expect("text");
        let authors = authors(&page);
        assert_eq!(authors, [Some("Anna Price"), Some("Bob Hill")]);
    }

    #[test]
    fn a_numbered_list_runs_on_past_pictures() {
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE} Here are the picks:\n\n1) The first pick\nhttp://example.org/1\n[1-300x300]\n2) The second pick\nhttp://example.org/2\n[2-300x300]\n3) The third pick\n"
        );
        let (body, _, _) = read(&src);
        assert!(body.iter().any(|l| l == "3) The third pick"), "{body:?}");
    }

    #[test]
    fn a_bulleted_comments_link_is_navigation() {
        let src = format!("A headline for the page\n\n  • Facebook\n  • Comments\n  • Print\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n");
        let (body, rules, comments) = read(&src);
        assert_eq!(comments, 0);
        assert!(body.iter().any(|l| l == THIRD) && !body.iter().any(|l| l == "Comments"), "{body:?}");
        assert!(!rules.contains(&"thread-header"), "{rules:?}");
    }

    #[test]
    fn echoed_lines_are_not_article() {
        let caption = "The minister leaves the building after the vote on Tuesday evening in the rain";
        let src = format!(
            "A headline for the page\n\nMenu one\n\n{caption}\n{caption}\n\nShort teaser title here\n\n{caption}.\n{caption}.\n\nAnother teaser title\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n"
        );
        let (body, _, _) = read(&src);
        assert!(body.iter().all(|l| !l.starts_with(caption)), "{body:?}");
        assert!(body.iter().any(|l| l == THIRD), "{body:?}");
    }

    #[test]
    fn a_sidebar_of_listed_titles_each_echoed_under_its_bullet_is_not_article() {
        // "• Author: Book Title" over "Author: Book Title" (a link and its
        // image's alt text), many times over, above a shorter article.
        let books = [
            "Geoffrey Nunberg: Ascent of the Word, the First Sixty Years of a Word",
            "Keith Murnighan: Do Nothing, How to Stop Managing and Become a Leader",
            "Charles Duhigg: The Power of Habit, Why We Do What We Do in Life",
            "Chip Conley: Peak, How Great Companies Get Their Mojo from an Old Idea",
            "Michael Maccoby: Narcissistic Leaders, Who Succeeds and Who Fails at Work",
            "David Novak: Taking People With You, the Only Way to Make Big Things Happen",
        ];
        let sidebar: String = books.iter().map(|b| format!("  • {b}\n\n    {b}\n\n")).collect();
        let src = format!("Good Books\n\n{sidebar}{sidebar}About\n\nA headline for the page\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n");
        let (body, _, _) = read(&src);
        assert_eq!(body, [PROSE, MORE, THIRD]);
    }

    #[test]
    fn a_teaser_list_after_the_article_is_not_a_thread() {
        let teasers = "  • Former consulate worker says the secret police held him for fifteen days in a cell\n    with no window and no lawyer at any point in that time\n\n  • Three episodes of the new series arrive at the end of the month on the streaming service\n    with new episodes every Friday after that until the spring\n";
        let src = format!("A headline for the page\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n\n{teasers}");
        let page = parse(src.as_bytes()).expect("text");
        assert!(page.comments.is_empty(), "{:?}", page.comments);
        assert!(page.removed.iter().any(|r| r.rule == "after-article"));
        // People write long, punctuated items in the first and second person
        // (short personal lines are teasers as often as comments).
        let opinions = "  • I think the council got this wrong and you can see it in the bus timetable every single morning\n    at the stop on the high road, where nobody waits less than twenty minutes.\n\n  • We wrote to our councillor about the library hours and never heard back, which says it all really\n    about how they listen to people like us who use it every week.\n";
        let src = format!("A headline for the page\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n\n{opinions}");
        assert_eq!(parse(src.as_bytes()).expect("text").comments.len(), 2);
    }

    #[test]
    fn a_rule_line_with_little_under_it_ends_the_article() {
        let src = format!(
            "A headline for the page\n\n{PROSE}\n\n{MORE}\n\n{THIRD}\n\n━━━━━━━━━━━━━━━━━━━━\n\nAcme is a company that makes things for people in many countries.\n"
        );
        let (body, _, _) = read(&src);
        assert_eq!(body.len(), 3, "{body:?}");
        // A closing section of two paragraphs of prose under the rule is the article's.
        let long = format!("{MORE} {PROSE}\n{THIRD} {MORE}\n{PROSE} {THIRD}");
        let src = format!(
            "A headline for the page\n\n{long}\n\n{long}\n\n{long}\n\n{long}\n\n━━━━━━━━━━━━━━━━━━━━\n\n{PROSE} {MORE}\n{THIRD}\n\n{MORE} {THIRD}\n{PROSE}\n"
        );
        let (body, _, _) = read(&src);
        let closing = format!("{MORE} {THIRD}");
        assert!(body.contains(&closing), "{body:?}");
    }

    #[test]
    fn a_thread_cut_twice_gives_way_to_the_article_above_it_and_a_byline_far_under_it_is_not_the_author() {
        // A short article, menus, then a long thread in two parts with
        // widgets between: the best run lies deep in the thread, and so does
        // the best run above its first cut. The article is above both.
        let menu: String =
            ["News", "Games", "Science", "Linux", "Mobile", "Storage", "Cloud", "Hardware"].iter().map(|m| format!("  • {m}\n")).collect();
        // (One header carries a link after it, "Journal".)
        let comment = |name: &str, id: u32| {
            let link = if name == "bob" { " Journal" } else { "" };
            format!(
                "by {name} ({id}) writes: on Monday July 23, @10:29PM{link}\n\n{PROSE} {MORE}\n{THIRD} {PROSE}\n{MORE}\n\nReply to This\n\n"
            )
        };
        let part = |names: &[&str]| names.iter().enumerate().map(|(k, n)| comment(n, 4000 + k as u32)).collect::<String>();
        let src = format!(
            "A headline for the story\n\n{THIRD}\n{MORE}\n\n{menu}\n{}{}\n{}More from the site\n\nA Teaser Headline About Something Else\n\nby Ellie Hall\n",
            part(&["alice", "bob", "carol", "dave"]),
            menu.repeat(12),
            part(&["erin", "frank", "grace", "heidi", "ivan", "judy"])
        );
        let page = parse(src.as_bytes()).expect("text");
        let text = &page.decoded.text;
        let body: Vec<&str> = page.body.iter().flat_map(|b| b.lines.iter().map(|sp| sp.slice(text).trim())).collect();
        assert_eq!(body, [THIRD, MORE], "{:?}", page.title);
        assert_eq!(page.title.as_deref(), Some("A headline for the story"));
        assert_eq!(page.comments.len(), 10);
        // A teaser's byline far under the article does not name its author.
        assert_eq!(page.author, None);
    }

    #[test]
    fn an_appeal_with_the_article_going_on_under_it_does_not_end_the_article() {
        // (Neighbouring paragraphs that say the same are echoes: each differs.)
        let lead = format!("{PROSE} {MORE}\n\n{MORE} {THIRD}\n\n{THIRD} {PROSE}");
        let appeal = "If you prefer to donate, you can have the money reinvested in the fund, which is what I do.";
        let src = format!("A headline for the page\n\n{lead}\n\n{appeal}\n\n{MORE} {PROSE}\n\n{PROSE} {THIRD}\n");
        let (body, removed, _) = read(&src);
        assert_eq!(body.len(), 5, "{body:?}");
        assert!(removed.contains(&"donation-appeal"));
        // Over one paragraph, the appeal is the site's and ends the article.
        let src = format!("A headline for the page\n\n{lead}\n\n{appeal}\n\n{MORE} {PROSE}\n");
        assert_eq!(read(&src).0.len(), 3);
    }

    #[test]
    fn a_bare_comments_link_over_a_list_of_links_inside_the_article_is_a_widget() {
        let [one, two, three] = [format!("{PROSE} {MORE}"), format!("{MORE} {THIRD}"), format!("{THIRD} {PROSE}")];
        let src = format!(
            "A headline for the page\n\n{one}\n\n{two}\n\nLoading...\n\nComments\n\n  • Weigh In\n  • Corrections?\n\n{three}\n\n{one}\n\n{two}\n\n{three}\n"
        );
        let (body, removed, comments) = read(&src);
        assert_eq!(body.iter().filter(|l| l.len() > 100).count(), 6, "{body:?}");
        assert!(!body.iter().any(|l| l.contains("Weigh In")), "{body:?}");
        assert_eq!(comments, 0);
        assert!(!removed.contains(&"thread-header"), "{removed:?}");
        // Over its sign-in links and form, under the article, it heads the thread.
        let src =
            format!("A headline for the page\n\n{one}\n\n{two}\n\nComments\n\n  • Sign in\n  • Follow\n\n[Post comment]\n\n{three}\n");
        assert!(read(&src).1.contains(&"thread-header"));
    }
}
