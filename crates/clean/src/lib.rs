//! Text repair and normalisation, with a log of every edit.
//!
//! [`clean_page`] turns a parsed [`Page`] into cleaned strings: the body and
//! each comment as paragraphs, and the metadata fields. Each line is repaired
//! in one pass over its original characters, so every [`Edit`] carries the
//! exact source bytes it replaced:
//!
//! - `mojibake`: UTF-8 that was read as Windows-1252 ("Labourâ€™s" → "Labour’s");
//! - `space`: non-breaking, odd-width and repeated spaces become one space;
//! - `invisible`: zero-width characters and soft hyphens are dropped;
//! - `control`: stray control codes (a NUL in a scrape) are dropped;
//! - `hard-wrap`: a line broken mid-sentence is joined to the next;
//! - `nfc`: the line is put in Unicode Normalization Form C.
//!
//! Quotes, dashes and apostrophes are kept as written. Line ends (CR, CRLF)
//! and byte-order marks never reach the text: lines are split by `parse`.
//!
//! ```
//! let page = hustings_parse::parse("A title\n\nLabour\u{a0}is  here.\n".as_bytes()).unwrap();
//! let clean = hustings_clean::clean_page(&page);
//! assert_eq!(clean.body, vec!["Labour is here.".to_string()]);
//! assert_eq!(clean.edits.len(), 2);
//! ```

mod mojibake;
mod offsets;

use hustings_core::{Edit, Span};
use hustings_parse::{Block, BlockKind, Decoded, Page};
pub use offsets::OffsetMap;
use unicode_normalization::{UnicodeNormalization, is_nfc};

/// A comment's cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanComment {
    /// Commenter's name.
    pub author: Option<String>,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
    /// Offsets of `paragraphs.join("\n\n")` in the decoded page.
    pub map: OffsetMap,
}

/// A page's cleaned text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CleanPage {
    /// Site name.
    pub site: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Standfirst.
    pub standfirst: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Body paragraphs (a list is one paragraph, one `• item` per line).
    pub body: Vec<String>,
    /// Offsets of `body.join("\n\n")` in the decoded page.
    pub body_map: OffsetMap,
    /// Comments, in the parser's order.
    pub comments: Vec<CleanComment>,
    /// Every repair, in source order within each text.
    pub edits: Vec<Edit>,
}

/// Clean everything a page holds.
pub fn clean_page(page: &Page) -> CleanPage {
    let mut c = Cleaner { decoded: &page.decoded, edits: Vec::new() };
    let (body, body_map) = c.blocks(&page.body, None);
    let comments = page
        .comments
        .iter()
        .enumerate()
        .map(|(i, rc)| {
            let (paragraphs, map) = c.blocks(&rc.blocks, Some(i as u32 + 1));
            CleanComment { author: c.metadata(rc.author.as_deref(), Some(i as u32 + 1)), paragraphs, map }
        })
        .collect();
    let site = c.metadata(page.site.as_deref(), None);
    let title = c.metadata(page.title.as_deref(), None);
    let standfirst = c.metadata(page.standfirst.as_deref(), None);
    let author = c.metadata(page.author.as_deref(), None);
    let tags = page.tags.iter().filter_map(|t| c.metadata(Some(t), None)).collect();
    CleanPage { site, title, standfirst, author, tags, body, body_map, comments, edits: c.edits }
}

/// Clean a short piece of text (a title, a name) without logging edits.
pub fn clean_inline(s: &str) -> String {
    let mut edits = Vec::new();
    clean_line(s, 0, &mut edits, &mut OffsetMap::default())
}

/// A paragraph being built, with its offset map.
#[derive(Default)]
struct Para {
    text: String,
    map: OffsetMap,
}

impl Para {
    /// Append `sep` (standing for the decoded `gap`) and then `line`.
    fn push(&mut self, sep: &str, gap: Span, line: &Para) {
        if !sep.is_empty() {
            self.map.replaced(self.text.len(), gap);
            self.text.push_str(sep);
        }
        self.map.append(&line.map, self.text.len());
        self.text.push_str(&line.text);
    }
}

struct Cleaner<'a> {
    decoded: &'a Decoded,
    edits: Vec<Edit>,
}

impl Cleaner<'_> {
    /// A text's paragraphs and the offset map of their `"\n\n"` join.
    fn blocks(&mut self, blocks: &[Block], comment: Option<u32>) -> (Vec<String>, OffsetMap) {
        let mut paragraphs: Vec<Para> = Vec::new();
        let mut in_list = false;
        for block in blocks {
            let lines: Vec<(Span, Para)> = block.lines.iter().map(|&sp| (sp, self.line(sp, comment))).collect();
            match block.kind {
                BlockKind::ListItem => {
                    let at = block.lines.first().map_or(Span::default(), |sp| Span::new(sp.start, sp.start));
                    let mut item = Para::default();
                    for (k, part) in self.join(&lines, comment, true).iter().enumerate() {
                        item.push(if k == 0 { "" } else { " " }, at, part);
                    }
                    match paragraphs.last_mut() {
                        Some(p) if in_list => p.push("\n• ", at, &item),
                        _ => {
                            let mut p = Para::default();
                            p.push("• ", at, &item);
                            paragraphs.push(p);
                        }
                    }
                    in_list = true;
                }
                BlockKind::Paragraph => {
                    paragraphs.extend(self.join(&lines, comment, false));
                    in_list = false;
                }
            }
        }
        paragraphs.retain(|p| !p.text.trim().is_empty());
        let mut whole = Para::default();
        for (k, p) in paragraphs.iter().enumerate() {
            // The paragraph break stands for nothing: map it to where the last paragraph ended.
            let at = whole.map.decoded_span(Span::new(whole.text.len(), whole.text.len())).start;
            whole.push(if k == 0 { "" } else { "\n\n" }, Span::new(at, at), p);
        }
        (paragraphs.into_iter().map(|p| p.text).collect(), whole.map)
    }

    /// Clean a metadata value (a title, a name, a tag, a commenter's name), logging its repairs
    /// at the first place the page holds it (the parser took it from there
    /// or from an identical copy). Empty results are `None`.
    fn metadata(&mut self, raw: Option<&str>, comment: Option<u32>) -> Option<String> {
        let raw = raw?;
        let mut local = Vec::new();
        let out = clean_line(raw, 0, &mut local, &mut OffsetMap::default());
        if !local.is_empty()
            && let Some(at) = self.decoded.text.find(raw)
        {
            self.log(local, at, comment);
        }
        (!out.is_empty()).then_some(out)
    }

    /// Record a line's repairs; `shift` moves their spans into decoded coordinates.
    fn log(&mut self, local: Vec<LocalEdit>, shift: usize, comment: Option<u32>) {
        for (sp, kind, before, after) in local {
            let span = Span::new(sp.start + shift, sp.end + shift);
            self.edits.push(Edit { comment, kind, source: self.decoded.source_span(span), before, after });
        }
    }

    /// Clean one line, logging edits in source coordinates.
    fn line(&mut self, span: Span, comment: Option<u32>) -> Para {
        let raw = span.slice(&self.decoded.text);
        let mut local = Vec::new();
        let mut map = OffsetMap::default();
        let text = clean_line(raw, span.start, &mut local, &mut map);
        self.log(local, 0, comment);
        Para { text, map }
    }

    /// Join a block's lines into paragraphs: a line ending mid-sentence is
    /// joined to the next (a `hard-wrap` edit) when it is long or a list item;
    /// a short unfinished line keeps its line break; a finished line ends the
    /// paragraph (the blank line between them was lost in scraping).
    fn join(&mut self, lines: &[(Span, Para)], comment: Option<u32>, list: bool) -> Vec<Para> {
        let mut out: Vec<Para> = Vec::new();
        let mut cur = Para::default();
        for (k, (span, line)) in lines.iter().enumerate() {
            if line.text.is_empty() {
                continue;
            }
            let gap = Span::new(k.checked_sub(1).map_or(span.start, |p| lines[p].0.end), span.start);
            if cur.text.is_empty() {
                cur.push("", gap, line);
                continue;
            }
            let finished = ends_sentence(&cur.text);
            if list || (!finished && lines[k - 1].1.text.chars().count() >= 40) {
                self.edits.push(Edit {
                    comment,
                    kind: "hard-wrap",
                    source: self.decoded.source_span(gap),
                    before: gap.slice(&self.decoded.text).to_owned(),
                    after: " ".into(),
                });
                cur.push(" ", gap, line);
            } else if finished {
                out.push(std::mem::take(&mut cur));
                cur.push("", gap, line);
            } else {
                cur.push("\n", gap, line);
            }
        }
        if !cur.text.is_empty() {
            out.push(cur);
        }
        out
    }
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['’', '”', '"', '\'', ')', ']', '»']);
    t.ends_with(['.', '!', '?', ':', ';', '…'])
}

type LocalEdit = (Span, &'static str, String, String);

/// One pass over a line's characters: mojibake, spaces, invisibles; then NFC.
/// `base` is the line's offset, so edit spans are in decoded coordinates.
/// `map` records where each output byte came from.
fn clean_line(raw: &str, base: usize, edits: &mut Vec<LocalEdit>, map: &mut OffsetMap) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    let bytes = raw.as_bytes();
    // Fast path: plain ASCII without double spaces needs nothing.
    if raw.bytes().all(|b| (0x20..0x7f).contains(&b)) && !raw.contains("  ") {
        let trimmed = raw.trim();
        let lead = raw.len() - raw.trim_start().len();
        map.verbatim(0, base + lead, trimmed.len());
        return trimmed.to_owned();
    }
    while i < raw.len() {
        if bytes[i] >= 0x80 {
            if let Some((len, fixed)) = mojibake::repair_at(&raw[i..]) {
                edits.push((Span::new(base + i, base + i + len), "mojibake", raw[i..i + len].to_owned(), fixed.to_string()));
                map.replaced(out.len(), Span::new(base + i, base + i + len));
                out.push(fixed);
                i += len;
                continue;
            }
        }
        let Some(ch) = raw[i..].chars().next() else { break };
        let w = ch.len_utf8();
        if matches!(ch, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}') {
            edits.push((Span::new(base + i, base + i + w), "invisible", ch.to_string(), String::new()));
            i += w;
            continue;
        }
        if ch.is_control() && !ch.is_whitespace() {
            // A stray NUL or other control code from the scrape.
            edits.push((Span::new(base + i, base + i + w), "control", ch.to_string(), String::new()));
            i += w;
            continue;
        }
        if ch.is_whitespace() {
            let start = i;
            let mut end = i;
            for c in raw[i..].chars() {
                if !c.is_whitespace() {
                    break;
                }
                end += c.len_utf8();
            }
            let run = &raw[start..end];
            let at_edge = start == 0 || end == raw.len();
            if !at_edge {
                if run == " " {
                    map.verbatim(out.len(), base + start, 1);
                } else {
                    map.replaced(out.len(), Span::new(base + start, base + end));
                }
                out.push(' ');
            }
            if run != " " && !at_edge {
                edits.push((Span::new(base + start, base + end), "space", run.to_owned(), " ".into()));
            }
            i = end;
            continue;
        }
        map.verbatim(out.len(), base + i, w);
        out.push(ch);
        i += w;
    }
    if !is_nfc(&out) {
        let nfc: String = out.nfc().collect();
        edits.push((Span::new(base, base + raw.len()), "nfc", out.clone(), nfc.clone()));
        // Composition moves bytes about: the line maps as a whole.
        *map = OffsetMap::default();
        map.replaced(0, Span::new(base, base + raw.len()));
        out = nfc;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expect: &str, kinds: &[&str]) {
        let mut edits = Vec::new();
        let got = clean_line(raw, 0, &mut edits, &mut OffsetMap::default());
        assert_eq!(got, expect, "{raw:?}");
        let got_kinds: Vec<&str> = edits.iter().map(|e| e.1).collect();
        assert_eq!(got_kinds, kinds, "{raw:?}");
        for (span, _, before, _) in &edits {
            assert_eq!(&raw[span.start..span.end], before, "edit spans slice back to `before`");
        }
    }

    #[test]
    fn line_repairs() {
        check("plain text", "plain text", &[]);
        check("support\u{a0}him", "support him", &["space"]);
        check("Log\u{a0} Out\u{a0}/", "Log Out /", &["space", "space"]);
        check("Labourâ€™s moderates", "Labour’s moderates", &["mojibake"]);
        check("cafÃ© au lait", "café au lait", &["mojibake"]);
        check("zero\u{200B}width", "zerowidth", &["invisible"]);
        check("stray\0nul and\u{7}bell", "straynul andbell", &["control", "control"]);
        check("e\u{301}te\u{301}", "été", &["nfc"]);
        check("Labour’s “quotes” – dashes", "Labour’s “quotes” – dashes", &[]);
        check("naïve café", "naïve café", &[]);
    }

    #[test]
    fn offsets_lead_back_to_the_decoded_text() {
        let src = "A test title\n\nLabourâ€™s\u{a0}moderates won the vote in the borough that night and then\nthey went home.\n\n• first point\n• second\n\nAnd a closing paragraph that is long enough to read as prose.\n";
        let page = hustings_parse::parse(src.as_bytes()).expect("text");
        let clean = clean_page(&page);
        let text = clean.body.join("\n\n");
        assert_eq!(
            text,
            "Labour’s moderates won the vote in the borough that night and then they went home.\n\n• first point\n• second\n\nAnd a closing paragraph that is long enough to read as prose."
        );
        let decoded = &page.decoded.text;
        let mut pos = 0;
        for word in text.split_whitespace() {
            let start = pos + text[pos..].find(word).expect("word");
            pos = start + word.len();
            let back = clean.body_map.decoded_span(Span::new(start, pos)).slice(decoded);
            match word {
                "Labour’s" => assert_eq!(back, "Labourâ€™s"),
                "•" => assert_eq!(back, ""),
                _ => assert_eq!(back, word),
            }
        }
    }

    #[test]
    fn metadata_repairs_are_logged() {
        let src = "Labourâ€™s\u{a0}choice\n\nThe article itself is here, long enough to count as prose for the parser.\n";
        let page = hustings_parse::parse(src.as_bytes()).expect("text");
        let clean = clean_page(&page);
        assert_eq!(clean.title.as_deref(), Some("Labour’s choice"));
        let kinds: Vec<&str> = clean.edits.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, vec!["mojibake", "space"]);
        for e in &clean.edits {
            assert_eq!(&src[e.source.start..e.source.end], e.before);
            assert_eq!(e.comment, None);
        }
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("He won."));
        assert!(ends_sentence("‘No illusions!’"));
        assert!(!ends_sentence("in the 2000 selection he"));
        assert!(!ends_sentence("in the next 4 years"));
    }

    fn paragraphs(src: &str) -> Vec<String> {
        let page = hustings_parse::parse(src.as_bytes()).expect("text");
        clean_page(&page).body
    }

    #[test]
    fn joins_and_lists() {
        assert_eq!(
            paragraphs(
                "A test title\n\nIntro line:\n\n• However badly treated he feels he was in the 2000 selection he\nshould not have run.\n• Second point.\n\nAfter the list it goes on.\n"
            ),
            vec![
                "Intro line:",
                "• However badly treated he feels he was in the 2000 selection he should not have run.\n• Second point.",
                "After the list it goes on."
            ]
        );
        assert_eq!(
            paragraphs(
                "A test title\n\nThis line was hard wrapped at a fixed width by the\nscraper and continues here.\nShort line\nanother.\n\nAnd a closing paragraph that is long enough to read as prose.\n"
            ),
            vec![
                "This line was hard wrapped at a fixed width by the scraper and continues here.",
                "Short line\nanother.",
                "And a closing paragraph that is long enough to read as prose."
            ]
        );
    }
}
