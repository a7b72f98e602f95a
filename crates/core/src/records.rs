//! The finished records one document yields, ready for export.

use crate::{Date, DateTime, Span};

/// What kind of token a term was counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenClass {
    /// Letters (possibly with digits, apostrophes, inner hyphens…).
    Word,
    /// Digits, possibly with separators.
    Number,
    /// A web address.
    Url,
    /// An e-mail address.
    Email,
    /// An @mention.
    Mention,
    /// A #hashtag.
    Hashtag,
    /// An emoji or pictograph.
    Emoji,
    /// Punctuation and symbols (never counted in statistics).
    Punct,
}

impl TokenClass {
    /// The lower-case name used in tables.
    pub fn as_str(&self) -> &'static str {
        match self {
            TokenClass::Word => "word",
            TokenClass::Number => "number",
            TokenClass::Url => "url",
            TokenClass::Email => "email",
            TokenClass::Mention => "mention",
            TokenClass::Hashtag => "hashtag",
            TokenClass::Emoji => "emoji",
            TokenClass::Punct => "punct",
        }
    }
}

/// One distinct term of a text and how often it occurs there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermCount {
    /// The normalised term.
    pub term: String,
    /// The class of the tokens it was counted from.
    pub class: TokenClass,
    /// Occurrences in the text.
    pub count: u64,
}

/// Two terms adjacent within a sentence of one text, as indices into that
/// text's [`TextStats::terms`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BigramCount {
    /// Index of the first term.
    pub first: u32,
    /// Index of the second term.
    pub second: u32,
    /// Occurrences in the text.
    pub count: u64,
}

/// Token statistics of one text (an article body or a comment).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextStats {
    /// Tokens counted (every class but punctuation).
    pub n_tokens: u64,
    /// Distinct terms among them.
    pub n_types: u64,
    /// Sentences containing at least one counted token.
    pub n_sentences: u64,
    /// Tokens of class `word` (the words of the Flesch formula).
    pub n_words: u64,
    /// Syllables in those words.
    pub n_syllables: u64,
    /// Moving-average type/token ratio (window 50); `None` without tokens.
    pub mattr: Option<f64>,
    /// Distinct terms with counts, sorted by term.
    pub terms: Vec<TermCount>,
    /// Adjacent pairs of counted tokens within a sentence, sorted.
    pub bigrams: Vec<BigramCount>,
}

impl TextStats {
    /// Counted tokens per sentence.
    pub fn mean_sentence_length(&self) -> Option<f64> {
        (self.n_sentences > 0).then(|| self.n_tokens as f64 / self.n_sentences as f64)
    }

    /// Distinct terms over counted tokens.
    pub fn type_token_ratio(&self) -> Option<f64> {
        (self.n_tokens > 0).then(|| self.n_types as f64 / self.n_tokens as f64)
    }

    /// Flesch reading ease: 206.835 − 1.015 × words/sentences − 84.6 ×
    /// syllables/words. Meaningful for English only; the caller decides.
    pub fn flesch_reading_ease(&self) -> Option<f64> {
        (self.n_words > 0 && self.n_sentences > 0).then(|| {
            206.835 - 1.015 * (self.n_words as f64 / self.n_sentences as f64) - 84.6 * (self.n_syllables as f64 / self.n_words as f64)
        })
    }
}

/// One token occurrence, for the optional `tokens` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// Sentence number within the text, from 0.
    pub sentence: u32,
    /// Token number within the text, from 0 (punctuation included).
    pub index: u32,
    /// Byte range in the cleaned text.
    pub text_span: Span,
    /// Byte range in the source file.
    pub source: Span,
    /// The counted form (the surface for punctuation).
    pub term: String,
    /// Its class.
    pub class: TokenClass,
}

/// A line or block taken out of the page, and the rule that took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Byte range in the source file.
    pub source: Span,
    /// Name of the rule that removed it (kebab-case, stable).
    pub rule: &'static str,
    /// `boilerplate` (page furniture), `metadata` (went into a column such
    /// as the title) or `structure` (comment headers and widgets).
    pub kind: &'static str,
    /// The text removed, whitespace-normalised.
    pub text: String,
    /// For rule `repeated-line`: in how many documents of the corpus the line occurs.
    pub repeats: Option<u32>,
}

/// One repair made to the text, in source coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Position of the comment edited, `None` for the page outside comments.
    pub comment: Option<u32>,
    /// Kind of repair (kebab-case, stable).
    pub kind: &'static str,
    /// Byte range in the source file of the text replaced.
    pub source: Span,
    /// The text before the repair.
    pub before: String,
    /// The text after it.
    pub after: String,
}

/// A reader comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// 1-based position in page order.
    pub position: u32,
    /// Position of the comment this one replies to.
    pub parent: Option<u32>,
    /// 0 for a top-level comment, 1 for a reply, and so on.
    pub depth: u32,
    /// The commenter's name as shown.
    pub author: Option<String>,
    /// When it was posted, where the page says.
    pub posted_at: Option<DateTime>,
    /// Cleaned text, paragraphs separated by a blank line.
    pub text: String,
    /// Paragraph count.
    pub n_paragraphs: u32,
    /// ISO 639-1 code of the text's language, when it can be told.
    pub language: Option<&'static str>,
    /// Token statistics.
    pub stats: TextStats,
}

/// A page, read and cleaned: what the `documents` table and its child tables hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Stable identifier (see [`crate::doc_id`]).
    pub doc_id: String,
    /// Path relative to the input folder, `/`-separated.
    pub source_path: String,
    /// Where in that file the page was (archive member, record), for
    /// files that hold many pages; `None` for a file that is one page.
    pub source_record: Option<String>,
    /// The page's address, when its record gives one.
    pub url: Option<String>,
    /// When the page was fetched, when its record says (WET `WARC-Date`).
    pub fetched_at: Option<DateTime>,
    /// The columns filled from the record's fields rather than read from
    /// the page, in table order (`url`, `title`, `published_date`, `fetched_at`).
    pub from_record: Vec<&'static str>,
    /// Size of the source file in bytes.
    pub source_bytes: u64,
    /// SHA-256 of the source file, lower-case hex.
    pub source_sha256: String,
    /// Character encoding the file was decoded from.
    pub encoding: &'static str,
    /// Site name, where the page states one.
    pub site: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Standfirst (sub-headline), where the page has one.
    pub standfirst: Option<String>,
    /// Author, where the page names one.
    pub author: Option<String>,
    /// Publication date, where the page gives one.
    pub published_date: Option<Date>,
    /// ISO 639-1 code of the body's language, when it can be told.
    pub language: Option<&'static str>,
    /// Tags and categories, in page order, without duplicates.
    pub tags: Vec<String>,
    /// Cleaned article text, paragraphs separated by a blank line.
    pub body_text: String,
    /// Paragraph count of the body.
    pub n_paragraphs: u32,
    /// Token statistics of the body.
    pub body_stats: TextStats,
    /// Reader comments in page order.
    pub comments: Vec<Comment>,
    /// Everything removed from the page, in source order.
    pub removed: Vec<Removed>,
    /// Every repair made, in source order.
    pub edits: Vec<Edit>,
    /// What the parser was unsure of.
    pub warnings: Vec<String>,
    /// Token occurrences, only when asked for: the body's (`None`), then
    /// each comment's (its position).
    pub tokens: Vec<(Option<u32>, TokenRecord)>,
}

/// Corpus-wide statistics of one term.
#[derive(Debug, Clone, PartialEq)]
pub struct VocabEntry {
    /// The term.
    pub term: String,
    /// Its token class.
    pub class: TokenClass,
    /// Occurrences over all texts.
    pub n_occurrences: u64,
    /// Documents whose body or comments contain it.
    pub n_documents: u64,
    /// Occurrences in article bodies.
    pub n_body: u64,
    /// Occurrences in comments.
    pub n_comment: u64,
    /// Texts (bodies and comments) containing it.
    pub n_texts: u64,
    /// ln(texts in the corpus / `n_texts`).
    pub idf: f64,
    /// Snowball stem (the term itself where no stemmer applies).
    pub stem: String,
    /// ISO 639-1 code of the stemmer used, if any.
    pub stem_language: Option<&'static str>,
    /// Whether the term is on the bundled stopword list.
    pub is_stopword: bool,
}

/// Corpus-wide statistics of one bigram.
#[derive(Debug, Clone, PartialEq)]
pub struct BigramEntry {
    /// First term.
    pub term1: String,
    /// Second term.
    pub term2: String,
    /// Occurrences over all texts.
    pub n_occurrences: u64,
    /// Documents where it occurs.
    pub n_documents: u64,
    /// Pointwise mutual information, log2(f(xy)·N / (f(x)·f(y))).
    pub pmi: f64,
    /// logDice, 14 + log2(2·f(xy) / (f(x) + f(y))).
    pub log_dice: f64,
}

/// How strongly one term distinguishes article bodies from comments.
#[derive(Debug, Clone, PartialEq)]
pub struct KeynessEntry {
    /// The term.
    pub term: String,
    /// Its token class.
    pub class: TokenClass,
    /// Occurrences in bodies.
    pub n_body: u64,
    /// Occurrences in comments.
    pub n_comment: u64,
    /// Counted tokens in all bodies.
    pub total_body: u64,
    /// Counted tokens in all comments.
    pub total_comment: u64,
    /// Dunning's log-likelihood G².
    pub log_likelihood: f64,
    /// Hardie's log ratio, log2 of the ratio of relative frequencies.
    pub log_ratio: Option<f64>,
    /// `body` or `comment`: where the term is relatively more frequent.
    pub key_for: Option<&'static str>,
}

/// A shard's `vocabulary_part` row, a sum the merge adds up: (term, class,
/// is_stopword, n_body, n_comment, n_documents, n_texts).
pub type PartialTerm = (String, TokenClass, bool, u64, u64, u64, u64);

/// A shard's `term_languages_part` row: (term, language, n_texts, stem).
pub type PartialTermLanguage = (String, &'static str, u64, Option<String>);

/// A shard's `bigrams_part` row: (term1, term2, n_occurrences, n_documents).
pub type PartialBigram = (String, String, u64, u64);
