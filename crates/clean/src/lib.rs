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

use hustings_core::{Edit, Span};
use hustings_parse::{Block, BlockKind, Decoded, Page};
use unicode_normalization::{UnicodeNormalization, is_nfc};

/// A comment's cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanComment {
    /// Commenter's name.
    pub author: Option<String>,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
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
    /// Comments, in the parser's order.
    pub comments: Vec<CleanComment>,
    /// Every repair, in source order within each text.
    pub edits: Vec<Edit>,
}

/// Clean everything a page holds.
pub fn clean_page(page: &Page) -> CleanPage {
    let mut c = Cleaner { decoded: &page.decoded, edits: Vec::new() };
    let body = c.blocks(&page.body, None);
    let comments = page
        .comments
        .iter()
        .enumerate()
        .map(|(i, rc)| CleanComment {
            author: rc.author.as_deref().map(clean_inline).filter(|s| !s.is_empty()),
            paragraphs: c.blocks(&rc.blocks, Some(i as u32 + 1)),
        })
        .collect();
    let opt = |s: &Option<String>| s.as_deref().map(clean_inline).filter(|s| !s.is_empty());
    CleanPage {
        site: opt(&page.site),
        title: opt(&page.title),
        standfirst: opt(&page.standfirst),
        author: opt(&page.author),
        tags: page.tags.iter().map(|t| clean_inline(t)).filter(|t| !t.is_empty()).collect(),
        body,
        comments,
        edits: c.edits,
    }
}

/// Clean a short piece of text (a title, a name) without logging edits.
pub fn clean_inline(s: &str) -> String {
    let mut edits = Vec::new();
    clean_line(s, 0, &mut edits)
}

struct Cleaner<'a> {
    decoded: &'a Decoded,
    edits: Vec<Edit>,
}

impl Cleaner<'_> {
    fn blocks(&mut self, blocks: &[Block], comment: Option<u32>) -> Vec<String> {
        let mut paragraphs: Vec<String> = Vec::new();
        let mut in_list = false;
        for block in blocks {
            let lines: Vec<(Span, String)> = block.lines.iter().map(|&sp| (sp, self.line(sp, comment))).collect();
            match block.kind {
                BlockKind::ListItem => {
                    let item = self.join(&lines, comment, true).join(" ");
                    match paragraphs.last_mut() {
                        Some(p) if in_list => {
                            p.push_str("\n• ");
                            p.push_str(&item);
                        }
                        _ => paragraphs.push(format!("• {item}")),
                    }
                    in_list = true;
                }
                BlockKind::Paragraph => {
                    paragraphs.extend(self.join(&lines, comment, false));
                    in_list = false;
                }
            }
        }
        paragraphs.retain(|p| !p.trim().is_empty());
        paragraphs
    }

    /// Clean one line, logging edits in source coordinates.
    fn line(&mut self, span: Span, comment: Option<u32>) -> String {
        let raw = span.slice(&self.decoded.text);
        let mut local = Vec::new();
        let out = clean_line(raw, span.start, &mut local);
        for (sp, kind, before, after) in local {
            self.edits.push(Edit { comment, kind, source: self.decoded.source_span(sp), before, after });
        }
        out
    }

    /// Join a block's lines into paragraphs: a line ending mid-sentence is
    /// joined to the next (a `hard-wrap` edit) when it is long or a list item;
    /// a short unfinished line keeps its line break; a finished line ends the
    /// paragraph (the blank line between them was lost in scraping).
    fn join(&mut self, lines: &[(Span, String)], comment: Option<u32>, list: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut cur = String::new();
        for (k, (span, text)) in lines.iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            if cur.is_empty() {
                cur.push_str(text);
                continue;
            }
            let finished = ends_sentence(&cur);
            if list || (!finished && lines[k - 1].1.chars().count() >= 40) {
                let prev_end = lines[k - 1].0.end;
                let gap = Span::new(prev_end, span.start);
                self.edits.push(Edit {
                    comment,
                    kind: "hard-wrap",
                    source: self.decoded.source_span(gap),
                    before: gap.slice(&self.decoded.text).to_owned(),
                    after: " ".into(),
                });
                cur.push(' ');
                cur.push_str(text);
            } else if finished {
                out.push(std::mem::take(&mut cur));
                cur.push_str(text);
            } else {
                cur.push('\n');
                cur.push_str(text);
            }
        }
        if !cur.is_empty() {
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
fn clean_line(raw: &str, base: usize, edits: &mut Vec<LocalEdit>) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    let bytes = raw.as_bytes();
    // Fast path: plain ASCII without double spaces needs nothing.
    if raw.is_ascii() && !raw.contains("  ") && !raw.contains('\t') {
        return raw.trim().to_owned();
    }
    while i < raw.len() {
        if bytes[i] >= 0x80 {
            if let Some((len, fixed)) = mojibake::repair_at(&raw[i..]) {
                edits.push((Span::new(base + i, base + i + len), "mojibake", raw[i..i + len].to_owned(), fixed.to_string()));
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
                out.push(' ');
            }
            if run != " " && !at_edge {
                edits.push((Span::new(base + start, base + end), "space", run.to_owned(), " ".into()));
            }
            i = end;
            continue;
        }
        out.push(ch);
        i += w;
    }
    if !is_nfc(&out) {
        let nfc: String = out.nfc().collect();
        edits.push((Span::new(base, base + raw.len()), "nfc", out.clone(), nfc.clone()));
        out = nfc;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expect: &str, kinds: &[&str]) {
        let mut edits = Vec::new();
        let got = clean_line(raw, 0, &mut edits);
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
        check("e\u{301}te\u{301}", "été", &["nfc"]);
        check("Labour’s “quotes” – dashes", "Labour’s “quotes” – dashes", &[]);
        check("naïve café", "naïve café", &[]);
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
            paragraphs("A test title\n\nIntro line:\n\n• However badly treated he feels he was in the 2000 selection he\nshould not have run.\n• Second point.\n\nAfter the list it goes on.\n"),
            vec!["Intro line:", "• However badly treated he feels he was in the 2000 selection he should not have run.\n• Second point.", "After the list it goes on."]
        );
        assert_eq!(
            paragraphs("A test title\n\nThis line was hard wrapped at a fixed width by the\nscraper and continues here.\nShort line\nanother.\n\nAnd a closing paragraph that is long enough to read as prose.\n"),
            vec![
                "This line was hard wrapped at a fixed width by the scraper and continues here.",
                "Short line\nanother.",
                "And a closing paragraph that is long enough to read as prose."
            ]
        );
    }
}
