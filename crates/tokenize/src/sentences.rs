//! Sentences: UAX #29 sentence boundaries, with the boundaries that
//! abbreviations create in English prose taken out again.
//!
//! UAX #29 ends a sentence at a full stop followed by a space and a capital,
//! so "Mr. Miliband", "Dr. Fox", "St. Albans", "No. 10" and "J. Smith" would
//! each be cut in two. A boundary is removed when the text before it (on the
//! same line) ends in one of:
//! - a title or abbreviation from [`ABBREVIATIONS`] ("Mr.", "Rt. Hon.", "cf.");
//! - "No." or "Nos." followed by a digit ("No. 10", but "No. I won't.");
//! - a dotted abbreviation of one- or two-letter parts ("e.g.", "i.e.", "U.S.");
//! - an initial, one capital letter, followed by a capitalised word ("J. Smith").
//!
//! The last rule also joins "Plan B. Then…": without a trained model the
//! two cannot be told apart, and initials are the commoner case in this genre.

use crate::segment::raw_sentences;

/// Abbreviations whose full stop does not end a sentence (matched case-sensitively).
pub const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "St", "Prof", "Rev", "Revd", "Hon", "Rt", "Sr", "Jr", "Gen", "Col", "Capt", "Lt", "Sgt", "Cllr",
    "Gov", "Sen", "Rep", "Mt", "vs", "v", "cf", "viz", "approx", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec",
];

/// Byte ranges of the sentences of `text`, covering it from start to end.
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    // A plain loop: unicode-segmentation's sentence iterator underflows in
    // `size_hint` on empty input, which `collect` and other adaptors call.
    if text.is_empty() {
        return out;
    }
    for (start, end) in raw_sentences(text) {
        match out.last_mut() {
            Some(last) if continues(&text[last.0..last.1], &text[start..end]) => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    out
}

/// Whether the boundary between `before` and `next` is an abbreviation's.
fn continues(before: &str, next: &str) -> bool {
    let trimmed = before.trim_end();
    if before[trimmed.len()..].contains(['\n', '\r', '\u{2029}', '\u{85}']) {
        return false;
    }
    let Some(body) = trimmed.strip_suffix('.') else { return false };
    let word_start = body
        .rfind(|c: char| c.is_whitespace() || "([\"'‘“".contains(c))
        .map_or(0, |i| i + body[i..].chars().next().map_or(1, char::len_utf8));
    let word = &body[word_start..];
    if word.is_empty() {
        return false;
    }
    let next_starts_upper = next.chars().next().is_some_and(char::is_uppercase);
    let next_starts_digit = next.chars().next().is_some_and(|c| c.is_ascii_digit());
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    if word == "No" || word == "Nos" || word == "no" {
        return next_starts_digit;
    }
    if word.contains('.') {
        return word.split('.').all(|part| (1..=2).contains(&part.chars().count()) && part.chars().all(char::is_alphabetic));
    }
    let mut chars = word.chars();
    let single_capital = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
    single_capital && next_starts_upper
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        sentence_spans(text).into_iter().map(|(s, e)| text[s..e].trim_end()).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(sentences("Mr. Miliband met Dr. Fox. They spoke."), vec!["Mr. Miliband met Dr. Fox.", "They spoke."]);
        assert_eq!(sentences("He lives at No. 10 now. No. I won't."), vec!["He lives at No. 10 now.", "No.", "I won't."]);
        assert_eq!(sentences("Parties, e.g. Labour, agree. J. Smith said so."), vec!["Parties, e.g. Labour, agree.", "J. Smith said so."]);
        assert_eq!(sentences("The Rt. Hon. Member for St. Albans spoke."), vec!["The Rt. Hon. Member for St. Albans spoke."]);
        assert_eq!(sentences("In the U.S. Congress. Yes."), vec!["In the U.S. Congress.", "Yes."]);
    }

    #[test]
    fn line_breaks_still_end_sentences() {
        assert_eq!(sentences("Signed, Mr.\nNext line."), vec!["Signed, Mr.", "Next line."]);
        assert!(sentence_spans("").is_empty());
    }

    #[test]
    fn spans_cover_the_text() {
        let text = "One. Two Mr. Three!\n\n• Four";
        let spans = sentence_spans(text);
        assert_eq!(spans.first().map(|s| s.0), Some(0));
        assert_eq!(spans.last().map(|s| s.1), Some(text.len()));
        assert!(spans.windows(2).all(|w| w[0].1 == w[1].0));
    }
}
