//! Where each byte of a cleaned text came from in the decoded page.

use hustings_core::Span;

/// A stretch of cleaned text and its origin in the decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchor {
    /// Offset in the cleaned text where the stretch starts.
    clean: usize,
    /// Its origin in the decoded text.
    decoded: Span,
    /// Copied byte for byte (so inner offsets map one to one); otherwise
    /// the stretch replaces `decoded` as a whole (a repair, a joined line
    /// break, an inserted list bullet).
    verbatim: bool,
}

/// Maps byte offsets in a cleaned text back to the decoded page text, from
/// which [`hustings_parse::Decoded::source_span`] reaches the source file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    anchors: Vec<Anchor>,
}

impl OffsetMap {
    /// `len` bytes at `clean` were copied from `decoded_start`.
    pub(crate) fn verbatim(&mut self, clean: usize, decoded_start: usize, len: usize) {
        if let Some(last) = self.anchors.last_mut()
            && last.verbatim
            && last.clean + last.decoded.len() == clean
            && last.decoded.end == decoded_start
        {
            last.decoded.end += len;
            return;
        }
        self.anchors.push(Anchor { clean, decoded: Span::new(decoded_start, decoded_start + len), verbatim: true });
    }

    /// The text at `clean` (up to the next anchor) replaces `decoded`.
    pub(crate) fn replaced(&mut self, clean: usize, decoded: Span) {
        self.anchors.push(Anchor { clean, decoded, verbatim: false });
    }

    /// Append `other`, whose offsets start at `shift` in this text.
    pub(crate) fn append(&mut self, other: &OffsetMap, shift: usize) {
        for a in &other.anchors {
            if a.verbatim {
                self.verbatim(a.clean + shift, a.decoded.start, a.decoded.len());
            } else {
                self.anchors.push(Anchor { clean: a.clean + shift, ..*a });
            }
        }
    }

    fn anchor_at(&self, pos: usize) -> Option<&Anchor> {
        let i = self.anchors.partition_point(|a| a.clean <= pos);
        self.anchors.get(i.checked_sub(1)?)
    }

    /// The decoded span a cleaned span came from. A span inside a repaired
    /// stretch maps to the whole of what that stretch replaced.
    pub fn decoded_span(&self, clean: Span) -> Span {
        let Some(first) = self.anchor_at(clean.start) else { return Span::default() };
        let start = if first.verbatim { first.decoded.start + (clean.start - first.clean) } else { first.decoded.start };
        if clean.end <= clean.start {
            return Span::new(start, start);
        }
        let end = match self.anchor_at(clean.end - 1) {
            Some(last) if last.verbatim => last.decoded.start + (clean.end - last.clean),
            Some(last) => last.decoded.end,
            None => start,
        };
        Span::new(start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_copied_and_replaced_stretches() {
        // decoded: "ab\u{a0}cd" (a NBSP of 2 bytes at 2..4); cleaned: "ab cd".
        let mut m = OffsetMap::default();
        m.verbatim(0, 0, 1);
        m.verbatim(1, 1, 1);
        m.replaced(2, Span::new(2, 4));
        m.verbatim(3, 4, 2);
        assert_eq!(m.anchors.len(), 3, "contiguous copies merge");
        assert_eq!(m.decoded_span(Span::new(0, 2)), Span::new(0, 2));
        assert_eq!(m.decoded_span(Span::new(3, 5)), Span::new(4, 6));
        assert_eq!(m.decoded_span(Span::new(1, 4)), Span::new(1, 5));
        assert_eq!(m.decoded_span(Span::new(2, 3)), Span::new(2, 4));
        let mut joined = OffsetMap::default();
        joined.verbatim(0, 10, 3);
        joined.append(&m, 3);
        assert_eq!(joined.decoded_span(Span::new(6, 8)), Span::new(4, 6));
    }
}
