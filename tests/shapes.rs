//! One fixture per page shape, each with the document and comments expected
//! of it, run through the whole per-document pipeline (`hustings::process`).
//! The fixtures in tests/fixtures/shapes/ were written for these tests.

use hustings_core::Document;

/// (author, posted_at, depth, parent position, text start)
type ExpectedComment = (Option<&'static str>, Option<&'static str>, u32, Option<u32>, &'static str);

struct Expect {
    file: &'static str,
    encoding: &'static str,
    site: Option<&'static str>,
    title: &'static str,
    author: Option<&'static str>,
    date: Option<&'static str>,
    tags: &'static [&'static str],
    language: &'static str,
    body_starts: &'static str,
    body_ends: &'static str,
    n_paragraphs: u32,
    comments: &'static [ExpectedComment],
    rules: &'static [&'static str],
    edits: &'static [&'static str],
}

fn check(e: &Expect) {
    let path = format!("{}/tests/fixtures/shapes/{}", env!("CARGO_MANIFEST_DIR"), e.file);
    let bytes = std::fs::read(&path).expect("fixture");
    let d: Document = hustings::process(e.file, &bytes).unwrap_or_else(|err| panic!("{}: {err}", e.file));
    let f = e.file;
    assert_eq!(d.encoding, e.encoding, "{f}: encoding");
    assert_eq!(d.site.as_deref(), e.site, "{f}: site");
    assert_eq!(d.title.as_deref(), Some(e.title), "{f}: title");
    assert_eq!(d.author.as_deref(), e.author, "{f}: author");
    assert_eq!(d.published_date.map(|x| x.to_string()).as_deref(), e.date, "{f}: date");
    assert_eq!(d.tags, e.tags, "{f}: tags");
    assert_eq!(d.language, Some(e.language), "{f}: language");
    assert!(d.body_text.starts_with(e.body_starts), "{f}: body starts {:?}", &d.body_text[..d.body_text.len().min(80)]);
    assert!(d.body_text.ends_with(e.body_ends), "{f}: body ends {:?}", &d.body_text[d.body_text.len().saturating_sub(80)..]);
    assert_eq!(d.n_paragraphs, e.n_paragraphs, "{f}: paragraphs in {:?}", d.body_text);
    let got: Vec<_> =
        d.comments.iter().map(|c| (c.author.clone(), c.posted_at.map(|t| t.to_string()), c.depth, c.parent, c.text.clone())).collect();
    assert_eq!(got.len(), e.comments.len(), "{f}: comments {got:#?}");
    for (g, x) in got.iter().zip(e.comments) {
        assert_eq!((g.0.as_deref(), g.1.as_deref(), g.2, g.3), (x.0, x.1, x.2, x.3), "{f}: comment {g:?}");
        assert!(g.4.starts_with(x.4), "{f}: comment text {:?}", g.4);
    }
    let widgets = ["Reply", "Share ›", "Rating", "Click to rate", "Report abuse", " said...", " says:", "•"];
    for text in std::iter::once(&d.body_text).chain(d.comments.iter().map(|c| &c.text)) {
        for w in widgets.iter().filter(|w| !(**w == "•" && text == &d.body_text)) {
            assert!(!text.contains(w), "{f}: widget text {w:?} left in {text:?}");
        }
        assert!(!text.contains('\u{a0}') && !text.contains('\r') && !text.contains('\u{feff}'), "{f}: unclean {text:?}");
    }
    let rules: Vec<&str> = d.removed.iter().map(|r| r.rule).collect();
    for r in e.rules {
        assert!(rules.contains(r), "{f}: rule {r} did not fire; fired: {rules:?}");
    }
    let kinds: Vec<&str> = d.edits.iter().map(|x| x.kind).collect();
    for k in e.edits {
        assert!(kinds.contains(k), "{f}: no {k} edit; edits: {kinds:?}");
    }
    // Every removed span slices back to its text in the source (for UTF-8 sources).
    if e.encoding == "UTF-8" {
        let src = String::from_utf8_lossy(&bytes);
        for r in &d.removed {
            let slice: Vec<&str> = src[r.source.start..r.source.end].split_whitespace().collect();
            assert_eq!(slice.join(" "), r.text, "{f}: span of {}", r.rule);
        }
    }
}

#[test]
fn blogger_said_with_trailing_timestamps() {
    check(&Expect {
        file: "blogger.txt",
        encoding: "UTF-8",
        site: Some("Hackney Hustings"),
        title: "Why the buses matter more than the mayor",
        author: Some("Dave Hill"),
        date: Some("2012-04-26"),
        tags: &["buses", "London mayor", "Hackney"],
        language: "en",
        body_starts: "The 38 bus is the most reliable measure of London politics I know. When it runs, nobody asks",
        body_ends: "when most of the people who use it were away.",
        n_paragraphs: 2,
        comments: &[
            (Some("Anonymous"), Some("2012-04-26T23:01:00"), 0, None, "The 38 was always late anyway."),
            (
                Some("Maria Lopez"),
                Some("2012-04-27T08:12:00"),
                0,
                None,
                "I wrote to the council about the August consultation and never heard back.\n\nHas anyone",
            ),
        ],
        rules: &["site-name", "dateline", "title", "byline", "tag-line", "thread-header", "comment-header", "comment-date", "comment-form"],
        edits: &["hard-wrap"],
    });
}

#[test]
fn disqus_with_nested_reply_and_crlf() {
    check(&Expect {
        file: "disqus-crlf.txt",
        encoding: "UTF-8",
        site: Some("Left Side"),
        title: "The NEC, the mayor and the missing minutes",
        author: Some("Jane Smith"),
        date: Some("2012-05-03"),
        tags: &[],
        language: "en",
        body_starts: "Nobody who sat through Tuesday’s meeting",
        body_ends: "one produced an email proving it.",
        n_paragraphs: 2,
        comments: &[
            (Some("Red Ken"), None, 0, None, "The minutes always go missing"),
            (Some("Boris Fan"), None, 1, Some(1), "Or when there is nothing worth minuting"),
            (Some("Anna Key"), None, 0, None, "Good piece."),
        ],
        rules: &["site-header", "byline", "print-share", "thread-header", "comment-header", "comment-widget"],
        edits: &[],
    });
}

#[test]
fn news_site_comments_in_windows_1252() {
    check(&Expect {
        file: "news-cp1252.txt",
        encoding: "windows-1252",
        site: Some("East End Gazette"),
        title: "Council approves new market charter",
        author: None,
        date: Some("2012-04-26"),
        tags: &[],
        language: "en",
        body_starts: "The council approved a new charter for Roman Road market",
        body_ends: "keep the stalls’ awnings in repair.",
        n_paragraphs: 2,
        comments: &[
            (Some("Dave"), Some("2012-04-26T15:02:00"), 0, None, "About time."),
            (Some("Sue"), Some("2012-04-26T16:40:00"), 0, None, "Who is paying for the awnings, though? We are."),
        ],
        rules: &["site-header", "dateline", "title", "thread-header", "comment-header", "comment-widget"],
        edits: &[],
    });
}

#[test]
fn bare_author_lines_under_a_comment_count() {
    check(&Expect {
        file: "bare-author.txt",
        encoding: "UTF-8",
        site: Some("Tower Hamlets Watch"),
        title: "Mayoral count delayed again",
        author: None,
        date: None,
        tags: &[],
        language: "en",
        body_starts: "The count for the Tower Hamlets mayoral election was delayed by four hours on Friday after ballot",
        body_ends: "Results are now expected after midnight.",
        n_paragraphs: 2,
        comments: &[
            (Some("Helal"), None, 0, None, "Four hours is nothing."),
            (Some("Ruth M"), None, 0, None, "Traffic at three in the morning?"),
            (Some("Labourvoter"), None, 0, None, "Let the count finish"),
        ],
        rules: &["site-name", "title", "thread-header", "comment-header"],
        edits: &["hard-wrap"],
    });
}

#[test]
fn numbered_comments_with_sub_numbered_reply_in_french() {
    check(&Expect {
        file: "numbered-fr.txt",
        encoding: "UTF-8",
        site: Some("Carnets de Londres"),
        title: "Le maire, les bus et la banlieue",
        author: Some("Claire Dubois"),
        date: Some("2012-04-26"),
        tags: &["Londres", "Élections"],
        language: "fr",
        body_starts: "Les électeurs londoniens choisiront leur maire",
        body_ends: "métro et les vélos en libre-service.",
        n_paragraphs: 2,
        comments: &[
            (Some("Pierre"), Some("2012-04-26T18:40:00"), 0, None, "Le prix des billets"),
            (Some("Claire Dubois"), Some("2012-04-26T19:05:00"), 1, Some(1), "Merci Pierre"),
            (Some("Marc"), Some("2012-04-27T09:12:00"), 0, None, "Le métro de nuit"),
        ],
        rules: &["byline", "tag-line", "thread-header", "comment-header", "comment-date", "comment-widget", "comment-form"],
        edits: &[],
    });
}

#[test]
fn body_list_then_bullet_thread_with_indented_reply() {
    check(&Expect {
        file: "bullets-nested.txt",
        encoding: "UTF-8",
        site: Some("Labour Uncut"),
        title: "The case for an elected mayor in every city",
        author: None,
        date: None,
        tags: &[],
        language: "en",
        body_starts: "Manchester, Birmingham and Leeds vote next month on whether to have elected mayors. Here are the arguments that should decide it:\n\n• Accountability:",
        body_ends: "the office shapes the person more than the person shapes the office.",
        n_paragraphs: 3,
        comments: &[
            (
                None,
                None,
                0,
                None,
                "Leeds should vote no. We have a council that works and a leader who answers to it every month.\n\nThe last thing",
            ),
            (None, None, 1, Some(1), "A council leader answers to councillors"),
            (None, None, 0, None, "Birmingham will vote yes"),
            (None, None, 0, None, "Manchester already has the combined authority"),
        ],
        rules: &["site-banner", "title", "print-share", "thread-header", "copyright-footer"],
        edits: &["hard-wrap"],
    });
}

#[test]
fn bom_mojibake_and_hard_wraps_are_repaired() {
    check(&Expect {
        file: "bom-mojibake-wrapped.txt",
        encoding: "UTF-8",
        site: Some("Westminster Diary"),
        title: "Why the cuts fall hardest on the north",
        author: None,
        date: None,
        tags: &[],
        language: "en",
        body_starts: "The figures published by the Treasury on Monday show that councils in the north of England will lose three times as much per head as councils in the south-east. Labour’s frontbench",
        body_ends: "What is disputed is whether need, rather than historic spending, should decide the grant.",
        n_paragraphs: 2,
        comments: &[],
        rules: &["site-name", "title", "comment-form"],
        edits: &["mojibake", "hard-wrap"],
    });
}

#[test]
fn name_and_date_headers_then_a_sidebar() {
    check(&Expect {
        file: "name-date-sidebar.txt",
        encoding: "UTF-8",
        site: Some("Kitchen Table Politics"),
        title: "Councils and the cost of school dinners",
        author: None,
        date: None,
        tags: &[],
        language: "en",
        body_starts: "The council's decision to raise the price of school dinners by twenty pence has drawn more letters to this blog",
        body_ends: "smaller than the cost of collecting the new charge.",
        n_paragraphs: 2,
        comments: &[
            (Some("Cherie McCluney"), Some("2019-08-17T14:19:00"), 0, None, "Twenty pence a day"),
            (Some("Regan"), Some("2019-08-19T17:48:00"), 0, None, "Hi Cherie, thanks for writing."),
        ],
        rules: &["site-name", "title", "thread-header", "comment-header", "comment-widget", "comment-form"],
        edits: &["hard-wrap"],
    });
}

#[test]
fn drupal_name_on_date_with_us_dates() {
    // "Thu, 11/02/2006": the weekday says the month comes first.
    check(&Expect {
        file: "drupal-us-dates.txt",
        encoding: "UTF-8",
        site: Some("Capitol Notes"),
        title: "The county budget vote, explained",
        author: Some("Rosa Delgado"),
        date: Some("2006-11-02"),
        tags: &["budget", "libraries"],
        language: "en",
        body_starts: "The county board voted four to three on Tuesday night",
        body_ends: "the majority said the money was not there this year.",
        n_paragraphs: 2,
        comments: &[
            (Some("Ferric Oxide"), Some("2006-11-02T18:40:00"), 0, None, "Eighty speakers and the board still did what it had planned."),
            (Some("Jon Gold"), Some("2006-11-03T10:33:00"), 0, None, "Because the law says they must."),
        ],
        rules: &["title", "byline", "tag-line", "comment-form", "comment-header", "comment-widget"],
        edits: &[],
    });
}
