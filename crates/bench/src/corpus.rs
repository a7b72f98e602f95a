//! A deterministic generator of seed-like pages.
//!
//! The text comes from the seeds: their prose lines are cut into sentences
//! and their comment lines into comment texts; pages are then assembled from
//! shuffled sentences in the page shapes hustings reads, with furniture,
//! bylines and dates around them. Everything random comes from one
//! SplitMix64 stream, so the same seed gives the same corpus byte for byte.

use std::fmt::Write as _;

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and plenty for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability 1/`n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What pages are made of, taken from the seeds.
#[derive(Debug, Clone, Default)]
pub struct Material {
    /// Sentences of article prose.
    pub sentences: Vec<String>,
    /// Texts of reader comments.
    pub comments: Vec<String>,
}

impl Material {
    /// Cut seed pages into sentences and comment texts: a long line is
    /// prose when it is flush left, a comment when it is a bullet or indented.
    pub fn from_seeds(pages: &[String]) -> Material {
        let mut m = Material::default();
        for page in pages {
            for line in page.lines() {
                let text = line.trim().trim_start_matches(['•', '*', '-']).trim();
                if text.len() < 60 {
                    continue;
                }
                let indented = line.starts_with([' ', '\t']) || line.trim_start().starts_with('•');
                if indented {
                    m.comments.push(text.to_owned());
                } else {
                    m.sentences.extend(split_sentences(text));
                }
            }
        }
        if m.comments.is_empty() {
            m.comments = m.sentences.clone();
        }
        m
    }
}

fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices(". ") {
        let s = text[start..=i].trim();
        if s.len() > 20 {
            out.push(s.to_owned());
        }
        start = i + 2;
    }
    let rest = text[start..].trim();
    if rest.len() > 20 {
        out.push(rest.to_owned());
    }
    out
}

const SITES: &[&str] =
    &["Left Futures", "Progress Online", "Labour Uncut", "The Westminster Wire", "Red Brick Blog", "Café Politique", "Norðurland Notes"];
const NAMES: &[&str] = &[
    "Jon Lansman",
    "Mary Hughes",
    "Tom Byrne",
    "Zoë Brontë",
    "José Álvarez",
    "Łukasz Nowak",
    "Ann Black",
    "Peter Kenyon",
    "Ruth Okafor",
    "Dai Williams",
    "Siobhán Kelly",
    "Ahmed Rahman",
    "Grace Lin",
    "Bob Smith",
    "Françoise Dupont",
];
const PLACES: &[&str] = &["London", "Leeds", "Cardiff", "Glasgow", "Bristol", "Tower Hamlets", "Norwich"];
const MONTHS: &[&str] =
    &["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const FURNITURE: &[&str] = &[
    "Print Friendly, PDF & Email",
    "Share this:",
    "Facebook Twitter Email",
    "Like this:",
    "Related posts:",
    "Sign up to our weekly newsletter",
    "We rely on readers like you. Please support us: donate today and keep independent journalism free.",
    "This site uses cookies. By continuing you agree to their use.",
];

/// A date line in one of the usual forms.
fn date(rng: &mut Rng) -> String {
    let (d, m, y) = (rng.range(1, 28), rng.below(12), rng.range(2010, 2012));
    let (hh, mm) = (rng.range(0, 23), rng.range(0, 59));
    match rng.below(4) {
        0 => format!("{d} {} {y}", MONTHS[m]),
        1 => format!("{} {d}, {y} at {}:{mm:02} {}", MONTHS[m], hh % 12 + 1, if hh < 12 { "am" } else { "pm" }),
        2 => format!("{d}/{}/{y} {hh:02}:{mm:02}", m + 1),
        _ => format!("{y}-{:02}-{d:02}", m + 1),
    }
}

/// A paragraph of 2 to 5 shuffled sentences.
fn paragraph(rng: &mut Rng, m: &Material) -> String {
    let n = rng.range(2, 5);
    (0..n).map(|_| rng.pick(&m.sentences).as_str()).collect::<Vec<_>>().join(" ")
}

/// Wrap `text` at `width` columns (a scraper's hard wrap).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for word in text.split(' ') {
        if col > 0 && col + word.chars().count() + 1 > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.chars().count();
    }
    out
}

/// The thread shapes hustings reads.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Bullets,
    Numbered,
    Blogger,
    Disqus,
    News,
    None,
}

/// Page number `index` of the corpus made with `rng`.
pub fn page(rng: &mut Rng, m: &Material, index: usize) -> Vec<u8> {
    let mut s = String::new();
    let site = *rng.pick(SITES);
    let author = *rng.pick(NAMES);
    match rng.below(3) {
        0 => writeln!(s, "Latest post on {site}\n"),
        1 => writeln!(s, "{site} | Debate and news from the left\n"),
        _ => writeln!(s, "{site}\n\n  • Home\n  • About\n  • Contact\n"),
    }
    .ok();
    let sentence = rng.pick(&m.sentences).trim_end_matches('.');
    let title = match sentence.char_indices().nth(90) {
        Some((cut, _)) => sentence[..sentence[..cut].rfind(' ').unwrap_or(cut)].to_owned(),
        None => sentence.to_owned(),
    };
    writeln!(s, "{title}\n").ok();
    match rng.below(3) {
        0 => writeln!(s, "By {author}\n"),
        1 => writeln!(s, "Posted on {} by {author}\n", date(rng)),
        _ => writeln!(s, "{}\n", date(rng)),
    }
    .ok();
    let wrapped = rng.one_in(10);
    let paragraphs = rng.range(4, 14);
    for k in 0..paragraphs {
        let p = paragraph(rng, m);
        let p = if rng.one_in(25) { p.replacen(' ', "\u{a0}", 3) } else { p };
        writeln!(s, "{}\n", if wrapped { wrap(&p, 72) } else { p }).ok();
        if k == 1 && rng.one_in(4) {
            s.push_str("Three points stand out:\n\n");
            for _ in 0..rng.range(2, 4) {
                writeln!(s, "•    {}", rng.pick(&m.sentences)).ok();
            }
            s.push('\n');
        }
    }
    if rng.one_in(3) {
        writeln!(s, "{author} is a councillor in {} and writes for {site}.\n", rng.pick(PLACES)).ok();
    }
    for _ in 0..rng.range(1, 3) {
        writeln!(s, "{}\n", rng.pick(FURNITURE)).ok();
    }
    let shape = *rng.pick(&[Shape::Bullets, Shape::Numbered, Shape::Blogger, Shape::Disqus, Shape::News, Shape::None]);
    let n_comments = rng.range(2, 25);
    match shape {
        Shape::None => {}
        Shape::Bullets => {
            writeln!(s, "{n_comments} Responses to “{title}”\n").ok();
            for _ in 0..n_comments {
                writeln!(s, "  • {}\n", rng.pick(&m.comments)).ok();
                if rng.one_in(3) {
                    writeln!(s, "    {}\n", rng.pick(&m.comments)).ok();
                }
            }
        }
        Shape::Numbered => {
            writeln!(s, "{n_comments} thoughts on “{title}”\n").ok();
            for i in 1..=n_comments {
                let depth = if i > 1 && rng.one_in(3) { "    " } else { "" };
                writeln!(
                    s,
                    "{depth}  {i}. {} says:\n\n{depth}    {}\n\n{depth}    {}\n\n{depth}    Reply\n",
                    rng.pick(NAMES),
                    date(rng),
                    rng.pick(&m.comments)
                )
                .ok();
            }
        }
        Shape::Blogger => {
            writeln!(s, "{n_comments} comments:\n").ok();
            for _ in 0..n_comments {
                writeln!(s, "{} said...\n\n    {}\n\n    {}\n", rng.pick(NAMES), rng.pick(&m.comments), date(rng)).ok();
            }
            s.push_str("Post a Comment\n\n");
        }
        Shape::Disqus => {
            writeln!(s, "Join the discussion\n").ok();
            for _ in 0..n_comments {
                writeln!(s, "{} • {} years ago\n\n{}\n\nReply • Share ›\n", rng.pick(NAMES), rng.range(2, 9), rng.pick(&m.comments)).ok();
            }
        }
        Shape::News => {
            writeln!(s, "Comments\n").ok();
            for _ in 0..n_comments {
                let (d, mo, y, h, mi) = (rng.range(1, 28), rng.range(1, 12), rng.range(2010, 2012), rng.range(0, 23), rng.range(0, 59));
                writeln!(
                    s,
                    "{}, {}, {d}/{mo}/{y} {h:02}:{mi:02}\n\n{}\n\nClick to rate  Rating   {}\n",
                    rng.pick(NAMES),
                    rng.pick(PLACES),
                    rng.pick(&m.comments),
                    rng.range(0, 40)
                )
                .ok();
            }
        }
    }
    if !matches!(shape, Shape::None | Shape::Blogger) {
        writeln!(s, "Leave a Reply\n").ok();
    }
    writeln!(s, "© 2024 {site}. Powered by WordPress | page {index}").ok();
    if rng.one_in(20) {
        // UTF-8 read as Windows-1252 somewhere upstream.
        s = s.replacen('’', "â€™", 2);
    }
    if rng.one_in(7) { s.replace('\n', "\r\n").into_bytes() } else { s.into_bytes() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn material() -> Material {
        Material::from_seeds(&[
            "Title\n\nLabour’s candidate said the party had made a big mistake in removing him as its candidate. The second sentence is here for the shuffle to use.\n\n  • I agree with every word of this article and I will vote for him on Thursday, whatever the polls say.\n".to_owned(),
        ])
    }

    #[test]
    fn same_seed_same_bytes() {
        let m = material();
        let a: Vec<Vec<u8>> = (0..50)
            .map({
                let mut r = Rng::new(7);
                move |i| page(&mut r, &m, i)
            })
            .collect();
        let m = material();
        let b: Vec<Vec<u8>> = (0..50)
            .map({
                let mut r = Rng::new(7);
                move |i| page(&mut r, &m, i)
            })
            .collect();
        assert_eq!(a, b);
        assert!(a.iter().any(|p| p.windows(2).any(|w| w == b"\r\n")), "some pages have CRLF line ends");
        assert!(a.iter().all(|p| std::str::from_utf8(p).is_ok()));
    }

    #[test]
    fn material_is_split() {
        let m = material();
        assert_eq!(m.sentences.len(), 2);
        assert_eq!(m.comments.len(), 1);
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
    }
}
