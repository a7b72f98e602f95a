//! Splitting text into lines with their indentation and list markers.

use hustings_core::Span;

/// One line of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// The whole line without its line end.
    pub span: Span,
    /// The line without leading and trailing whitespace.
    pub content: Span,
    /// Leading whitespace width (tab = 4).
    pub indent: usize,
}

impl Line {
    /// Whether the line holds only whitespace.
    pub fn is_blank(&self) -> bool {
        self.content.is_empty()
    }
}

/// Whitespace as scrapes have it: Unicode spaces plus zero-width characters.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

/// Split `text` at `\n`, `\r\n` and lone `\r`.
pub fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(make_line(text, start, i));
                start = i + 1;
            }
            b'\r' => {
                lines.push(make_line(text, start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(make_line(text, start, bytes.len()));
    }
    lines
}

fn make_line(text: &str, start: usize, end: usize) -> Line {
    let s = &text[start..end];
    let mut indent = 0;
    let mut lead = 0;
    for (i, c) in s.char_indices() {
        if !is_space(c) {
            break;
        }
        indent += if c == '\t' { 4 } else { 1 };
        lead = i + c.len_utf8();
    }
    let trimmed_end = s.trim_end_matches(is_space).len().max(lead);
    Line { span: Span::new(start, end), content: Span::new(start + lead, start + trimmed_end), indent }
}

const BULLETS: &[char] = &['•', '·', '◦', '▪', '‣', '●', '○', '■', '□', '☆', '★', '◆', '◇', '➢', '►', '▸', '-', '*', '–'];

/// If `content` starts with a list marker followed by whitespace, the byte
/// length of marker and whitespace.
pub fn bullet(content: &str) -> Option<usize> {
    let mut chars = content.char_indices();
    let (_, first) = chars.next()?;
    if !BULLETS.contains(&first) {
        return None;
    }
    let mut end = first.len_utf8();
    let mut saw_space = false;
    for (i, c) in chars {
        if is_space(c) {
            saw_space = true;
            end = i + c.len_utf8();
        } else {
            let ascii_marker = matches!(first, '-' | '*' | '–');
            // "- 5 per cent" and "* footnote" are lists only when text follows.
            return (saw_space && (!ascii_marker || c.is_alphanumeric() || "‘“\"'(".contains(c))).then_some(end);
        }
    }
    None
}

/// Whether an ASCII byte is white space as `char::is_whitespace` has it:
/// tab, line feed, vertical tab, form feed, carriage return and space
/// (`u8::is_ascii_whitespace` leaves out the vertical tab).
pub fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Whitespace-separated words in `s`: `s.split_whitespace().count()`,
/// without decoding when `s` is ASCII.
pub fn n_words(s: &str) -> usize {
    if !s.is_ascii() {
        return s.split_whitespace().count();
    }
    let (mut n, mut in_word) = (0, false);
    for &b in s.as_bytes() {
        let space = is_space_byte(b);
        n += usize::from(!space && !in_word);
        in_word = !space;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_spans_and_indent() {
        let text = "a\r\n  b \r\n\u{a0}\u{a0}c\rd";
        let lines = split_lines(text);
        let got: Vec<(&str, usize)> = lines.iter().map(|l| (l.content.slice(text), l.indent)).collect();
        assert_eq!(got, vec![("a", 0), ("b", 2), ("c", 2), ("d", 0)]);
        assert!(split_lines("x\n\n").iter().any(Line::is_blank));
    }

    #[test]
    fn bullets_need_following_text() {
        assert_eq!(bullet("•\u{a0}\u{a0} \u{a0} However"), Some("•\u{a0}\u{a0} \u{a0} ".len()));
        assert_eq!(bullet("• x"), Some("• ".len()));
        assert_eq!(bullet("- point"), Some(2));
        assert_eq!(bullet("-5 degrees"), None);
        assert_eq!(bullet("*"), None);
        assert_eq!(bullet("– – –"), None);
    }

    #[test]
    fn counts_like_split_whitespace() {
        for s in ["", "  ", "one", " one  two\tthree\r\n", "a\u{b}b\u{c}c", "x\u{1f}y", "non-ASCII café  “quoted”\u{a0}x", "\u{3000}a b"]
        {
            assert_eq!(n_words(s), s.split_whitespace().count(), "{s:?}");
        }
    }

    #[test]
    fn space_bytes_are_the_ascii_whitespace_chars() {
        for b in 0..0x80u8 {
            assert_eq!(is_space_byte(b), char::from(b).is_whitespace(), "{b:#x}");
        }
    }
}
