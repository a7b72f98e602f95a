//! Line rules: what a single line of a page is, judged from its own text.
//!
//! Each rule has a stable kebab-case name (it is the `rule` column of the
//! `boilerplate` table) and says whether a line it matches marks the end of
//! the article (comment forms, share widgets, thread headers, footers do;
//! photo credits, which sit inside articles, do not).

use std::sync::LazyLock;

use regex::{Regex, RegexSet, RegexSetBuilder};

use crate::lines::n_words;

/// What a rule removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Page furniture: widgets, forms, appeals, footers.
    Boilerplate,
    /// A line whose content went into a metadata column (title, date…).
    Metadata,
    /// Thread structure: comment headers, dates, reply widgets.
    Structure,
}

impl Kind {
    /// Name used in tables.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Boilerplate => "boilerplate",
            Kind::Metadata => "metadata",
            Kind::Structure => "structure",
        }
    }
}

/// A named rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable name.
    pub name: &'static str,
    /// What it removes.
    pub kind: Kind,
    /// Whether a match ends the article body.
    pub ends_article: bool,
}

const fn bp(name: &'static str, ends_article: bool) -> Rule {
    Rule { name, kind: Kind::Boilerplate, ends_article }
}

/// A menu or link-list line.
pub const NAVIGATION: Rule = bp("navigation", false);
/// A link to the previous or next post ("← Older title", "Newer title →").
const POST_NAVIGATION: Rule = bp("navigation", true);

/// Rules that fire on a line's whole (trimmed) text, in priority order.
const LINE_RULES: &[(Rule, &str)] = &[
    (
        bp("thread-header", true),
        r"^(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:responses?|comments?|replies|thoughts|reactions?|notes?|réponses?|commentaires?|kommentare?|antworten|comentarios?|respuestas?|commenti|risposte|reacties)(?:\s+(?:to|on|for|à|sur|zu|auf|a|en|para|su|op)(?:\s.*)?|\s*:?)(?:\s+so far)?(?:\s*[|–—]\s*.*|\s+(?:add|leave|post|write)\s+(?:a|your|one)\s+(?:comment|reply|response)|\s+view (?:the )?comments\b.{0,200})?$",
    ),
    (
        bp("thread-header", true),
        r"^(?:comments?|reader comments|discussion|join the (?:discussion|conversation)|what do you think\??|have your say|responses?)(?:\s*\(\d+\))?:?$",
    ),
    // A count the page fills in with a script, left blank: "comments so far. Add yours."
    (bp("thread-header", true), r"^(?:\d+\s+)?comments? so far\.?(?:\s+add yours\.?)?$"),
    // A thread's tabs run together: "1 CommentNo Reactions", "3 Comments2 Trackbacks".
    (bp("thread-header", true), r"^\d+\s+(?:comments?|responses?)(?:no|\d+)\s+(?:reactions?|trackbacks?|pingbacks?)$"),
    // A thread's sort links ("Sort: Newest | Oldest", Livefyre; "Sort by Best", Disqus).
    (
        bp("thread-header", true),
        r"^sort(?: by)?\s*:?\s*(?:newest|oldest|best|top|popular|most recent)(?:\s*[|/·•]\s*(?:newest|oldest|best|top|popular|most recent))*$",
    ),
    // Thesis: "{ 131 comments }", "{ 69 comments… read them below or add one }".
    (bp("thread-header", true), r"^\{\s*\d+\s+(?:comments?|responses?|replies)\b.{0,60}\}$"),
    (
        bp("thread-header", true),
        r"^(?:top(?: rated)?|all|show|view|load|read|latest|newest|oldest|most recent|most popular|reader)\s+(?:\d+\s+)?comments?(?:\s*\(\d+\))?:?$",
    ),
    (
        bp("comment-form", true),
        r"^(?:leave a (?:reply|comment|response)(?:\s+cancel reply)?|post a comment|add (?:a |your )?comment|(?:the )?comments (?:to|for|on) this (?:entry|post|article|story) are (?:now )?closed\.?|this (?:entry|post|thread|discussion|article) is (?:now )?closed(?: (?:for|to) (?:comments|new comments|replies))?\.?|comments are (?:now )?closed\.?|cancel reply|submit comment|post comment|speak your mind|newer post\s+older post.*|subscribe to: post comments.*|powered by (?:livefyre|disqus|intensedebate))$",
    ),
    (
        bp("comment-form", true),
        r"^(?:feed\s+)?(?:please log ?in\b|you are commenting using\b|you must be logged in\b|log ?in to (?:reply|comment)\b|(?:log ?in|sign in) or (?:register|sign up) to (?:post|add|leave) (?:a )?comments?|your email address will not be published|notify me of (?:new|follow-up)|connecting to %s$|fill in your details below|required fields are marked|you can follow this conversation by subscribing\b|subscribe to (?:this|the) (?:post's |entry's )?comment feed\b)",
    ),
    // Comment-form fields as text browsers show them: "Name [ ]", "Website [ ]".
    (bp("form-field", false), r"^(?:your )?(?:name|e-?mail(?: address)?|website|url|comment)\s*\*?\s*(?:\(required\)\s*)?\[[ _]*\]$"),
    (bp("comment-form", true), r"^(?:google|twitter|facebook|wordpress\.com|linkedin)\s+(?:photo|picture|account)$"),
    (
        bp("comment-form", true),
        r"^(?:laisser un commentaire|laissez un commentaire|ajouter un commentaire|deixe (?:um|seu) coment[aá]rio|deixe uma resposta|deja (?:un|tu) comentario|deja una respuesta|kommentar (?:schreiben|hinterlassen|verfassen)|schreibe einen kommentar|lascia un commento|laat een reactie achter|добавить (?:комментарий|отзыв)|оставить (?:комментарий|отзыв)|написать (?:комментарий|отзыв))\W*$",
    ),
    (
        bp("thread-header", true),
        r"^(?:комментарии|отзывы|коментарі|kommentare|commentaires|comentarios|coment[aá]rios|commenti|reacties|reactions)(?:\s*\(\d+\))?:?$",
    ),
    (
        bp("end-matter", true),
        r"^(?:about (?:this|the) (?:article|story|report|author|authors)|our sources|sources(?: and notes)?|references|footnotes|notes and references|how to contact us|corrections? policy|editorial standards)\s*:?$",
    ),
    (
        bp("print-share", true),
        r"^(?:print friendly(?:,\s*pdf\s*&\s*email)?|print(?: this)?(?: page| article)?|share(?: this(?: article| post| story)?)?:?|like this:?|like loading\.{3}|email this|tweet(?: this)?|related|related posts:?|you may also like:?|more from .{1,40}|recent (?:blog )?(?:posts|articles|stories|entries)|popular posts|article history)$",
    ),
    // "Read more" closes an inline teaser as often as a list: it does not end the article.
    (bp("print-share", false), r"^read more:?$"),
    (
        bp("print-share", true),
        r"^(?:like this (?:story|article|post)\?\s*)?share (?:it|this)(?: (?:story|article|post))? with (?:a )?friends?!?$",
    ),
    (bp("print-share", false), r"^(?:get short url|copy link|link copied)$"),
    // "Share this article: Twitter Facebook Google+ Email", "Share: Facebook Twitter Email Print".
    (
        bp("print-share", true),
        r"^(?:share|partager|teilen|compartir|condividi|delen|compartilhar)(?: this(?: article| post| story| page)?)?\s*:\s*(?:(?:twitter|facebook|google\+?|email|e-mail|print|linkedin|reddit|whatsapp|pinterest|tumblr|more)\s*[|·•,]?\s*){1,10}$",
    ),
    // An inline teaser for another story on the site.
    (bp("related-posts", false), r"^also on [\w.-]+\.[a-z]{2,}\b.{0,200}$"),
    (
        bp("print-share", true),
        r"^(?:click to (?:share|print|email)\b.*|(?:share|follow us)(?: this| it)? (?:on|via|with) (?:facebook|twitter|whatsapp|linkedin|reddit|email|telegram|pinterest)\b.*)$",
    ),
    (
        bp("print-share", true),
        r"^(?:(?:facebook|twitter|e-?mail|mail|print|whatsapp|linkedin|reddit|pinterest|pin it|pint?|tumblr|share|tweet|pocket|telegram|messenger|flipboard|xing|vk|sms|copy link|compartilhar|compartir|partager|teilen|condividi|baixar|download)\s*(?:[|·•,/]\s*|\s+|$)){2,}$",
    ),
    (
        bp("signup", true),
        r"^(?:sign up (?:to|for)\b.{0,80}|subscribe (?:to|for|now)\b.{0,80}|get (?:our|the) .{0,40}newsletter.{0,40}|enter your e-?mail(?: address)?.{0,60}|join our mailing list.{0,40}|stay up to date with .{1,60}|want more stories like this\??|every day we send an email\b.{0,80}|subscribe no thanks\b.{0,200}|(?:get|have) .{1,50} (?:delivered )?(?:to|in) your inbox\W*)$",
    ),
    (bp("copyright-footer", true), r"^(?:©|\(c\)\s|copyright\b).{0,200}$"),
    // "All contents copyright © 2003 - 2012 John Battelle": a notice with its year, a little way in.
    (bp("copyright-footer", true), r"(?i)^.{0,40}\b(?:contents|site|text|material)\s+(?:copyright|©)\s*(?:©\s*)?\d{4}\b.{0,160}$"),
    (
        bp("copyright-footer", true),
        r"^.{0,200}\b(?:powered by (?:wordpress|blogger|typepad|drupal)|all rights reserved|proudly powered by)\b.{0,200}$",
    ),
    (bp("cookie-notice", false), r"^.{0,200}\b(?:uses? cookies|cookie policy|accept (?:all )?cookies)\b.{0,200}$"),
    (
        bp("photo-credit", false),
        r"^(?:photo|picture|image|main image|pic|photograph|credit|illustration)s?(?:\s+credit)?\s*:\s*\S.{0,100}$",
    ),
    (bp("photo-credit", false), r"^(?:photo|picture|image)(?:graph)? by \S.{0,60}$"),
    (
        bp("related-posts", true),
        r"^(?:related(?: links| articles| stories| posts| content| coverage| reading)?|top (?:video|videos|stories)|don[’']?t miss|most (?:popular|read|viewed|shared|commented)(?: \w+)?|trending(?: now| stories)?|recommended(?: for you| stories| reading)?|more (?:news|stories|videos) from .{1,40}|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|read next|up next|what to read next|editor[’']?s picks|latest (?:news|stories|headlines|videos)|popular (?:posts|stories|articles)|more (?:stories|news|videos|in .{1,30})|see also|further reading|around the web|from the web|sponsored(?: content| stories)?|promoted stories|voc[eê] (?:tamb[eé]m )?pode gostar|leia tamb[eé]m|veja tamb[eé]m|(?:posts|not[ií]cias|artigos|mat[eé]rias) relacionad[oa]s|te puede interesar|tambi[eé]n te puede interesar|lee tambi[eé]n|(?:noticias|art[ií]culos) relacionad[oa]s|[aà] lire aussi|lire aussi|vous aimerez aussi|sur le m[eê]me sujet|articles similaires|das k[oö]nnte sie auch interessieren|mehr zum thema|lesen sie auch|auch interessant|weitere artikel|potrebbe interessarti|leggi anche|articoli correlati|lees ook|gerelateerde artikelen)\W*$",
    ),
    (
        bp("navigation", true),
        r"^(?:(?:[«‹<←]\s*)?(?:previous|next|older|newer) (?:posts?|articles?|story|stories|entry|entries|pages?)(?:\s*[»›>→])?(?:\s*\|?\s*|$)){1,2}:?$",
    ),
    (
        bp("navigation", true),
        r"^(?:post navigation|navigation des articles|beitragsnavigation|navegación de entradas|navigazione articoli|berichtnavigatie|navegação de posts)$",
    ),
    // The entry's footer: "This entry was posted in X and tagged Y … Bookmark the permalink."
    (
        bp("entry-meta", true),
        r"^(?:this (?:entry|post) was posted (?:in|on)|posted in .{1,60} (?:and )?tagged|cette entrée a été publiée dans|dieser (?:eintrag|beitrag) wurde .{0,40}veröffentlicht|esta entrada (?:fue|foi) publicada (?:en|em)|questa (?:voce|entrada) è stata pubblicata in|dit (?:bericht|item) is geplaatst in|bookmark the permalink)\b.{0,300}$",
    ),
    // A menu bar: "Home | Archive | About", "Home • News • Contact us".
    (
        bp("navigation", false),
        r"^(?:home|about(?: us)?|contact(?: us)?|archives?|search|log ?in|register|subscribe|menu|blog|news|faq)(?:\s*[|•·/]\s*[^|•·/]{1,30}){2,}$",
    ),
    (
        bp("advert", false),
        r"^(?:advertisement|advertising|sponsored|ad|continue reading(?: the main story| below)?|story continues below(?: advertisement)?|article continues below|skip (?:advertisement|ad)|report (?:an? )?error|scroll to continue.*)\W*$",
    ),
    (bp("image-placeholder", false), r"^(?:\[[^\]]{0,120}\]\s*)+$"),
    // A forum topic's figures: "created Apr 26, '12   last reply Apr 28, '12   5 replies   214 views".
    (bp("navigation", true), r"^created\s.{1,40}\blast reply\s.{1,40}\b\d+\s+(?:replies|reply)\b.{0,120}$"),
    (bp("site-banner", false), r"^latest (?:post|posts|news) (?:on|from) .{1,60}$"),
];

/// Rules that look for words anywhere in the line (`^.{0,200}\b(?:…)`)
/// rather than at its start: each with the lower-case words one of which
/// the line must hold before its regex is tried.
/// Found by their regexes' opening, so adding a rule elsewhere cannot shift them.
/// A rule's index in [`LINE_RULES`] and the words one of which a line must hold for it.
type Anywhere = (usize, &'static [&'static [u8]]);
static ANYWHERE: LazyLock<Vec<Anywhere>> = LazyLock::new(|| {
    const FOOTER: &[&[u8]] = &[b"powered by", b"all rights reserved"];
    const COOKIE: &[&[u8]] = &[b"cookie"];
    let at = |opening: &str| LINE_RULES.iter().position(|r| r.1.starts_with(opening)).expect("a look-anywhere rule");
    vec![(at(r"^.{0,200}\b(?:powered by"), FOOTER), (at(r"^.{0,200}\b(?:uses? cookies"), COOKIE)]
});

/// The rules in one set, the look-anywhere ones left out: every other rule
/// is anchored at the line's start, so the set's DFA stops a few bytes into
/// most lines instead of carrying `.{0,200}` through every paragraph.
static LINE_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    // ASCII word boundaries keep the set on the lazy DFA (a Unicode `\b`
    // sends every line with a non-ASCII letter to the much slower PikeVM);
    // the words the rules look for are delimited by spaces and punctuation.
    // A larger lazy-DFA cache keeps the set from falling back to the PikeVM.
    RegexSetBuilder::new(LINE_RULES.iter().enumerate().filter(|(i, _)| !is_anywhere(*i)).map(|(_, (_, re))| rule_regex(re)))
        .dfa_size_limit(32 << 20)
        .build()
        .expect("valid rule regexes")
});

/// The look-anywhere rules' regexes, in [`ANYWHERE`]'s order.
static ANYWHERE_RES: LazyLock<Vec<Regex>> =
    LazyLock::new(|| ANYWHERE.iter().map(|&(i, _)| Regex::new(&rule_regex(LINE_RULES[i].1)).expect("valid rule regex")).collect());

fn is_anywhere(rule: usize) -> bool {
    ANYWHERE.iter().any(|&(i, _)| i == rule)
}

fn rule_regex(re: &str) -> String {
    format!("(?i){}", re.replace(r"\b", r"(?-u:\b)"))
}

/// A caption: a line that ends by crediting its picture ("… (Photo by
/// X/Getty Images)", "… (Image: X)"). Only the line's tail is searched.
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\((?:photos?|images?|pictures?|pics?|photograph|photo credit|image credit|credit)\s*(?::|by)\s*[^()]{1,100}\)|\S\s*/\s*(?:getty images|afp|reuters|ap|ap photo|shutterstock|pa images|pa wire|bloomberg|epa|alamy|rex features)(?: via getty images)?\)?)\.?$")
        .expect("valid regex")
});
const CAPTION_RULE: Rule = bp("photo-credit", false);

/// The first rule matching the whole of `line` (already trimmed), if any.
pub fn line_rule(line: &str) -> Option<Rule> {
    if line.len() > 1000 {
        return None;
    }
    if line.len() <= 600 {
        // The set's first match, as an index into LINE_RULES.
        let first = LINE_SET.matches(line).iter().next().map(|mut i| {
            for &(skipped, _) in ANYWHERE.iter() {
                if skipped <= i {
                    i += 1;
                }
            }
            i
        });
        let anywhere = ANYWHERE.iter().zip(ANYWHERE_RES.iter()).find(|((rule, cues), re)| {
            first.is_none_or(|f| *rule < f) && cues.iter().any(|c| contains_ignore_ascii_case(line, c)) && re.is_match(line)
        });
        if let Some(i) = anywhere.map(|((rule, _), _)| *rule).or(first) {
            return Some(LINE_RULES[i].0);
        }
        // Post navigation: "← Library board picks a new director", "School
        // bus routes change →" (tested here: a regex for a line's end would
        // carry the set's DFA through every line).
        if line.len() <= 300 && (line.starts_with('←') || line.ends_with('→')) {
            return Some(POST_NAVIGATION);
        }
    }
    let mut cut = line.len().saturating_sub(160);
    while !line.is_char_boundary(cut) {
        cut += 1;
    }
    let tail = &line[cut..];
    // Both shapes end in ")" (and perhaps "."), or hold a "/" before the agency.
    let may_be_caption = tail.strip_suffix('.').unwrap_or(tail).ends_with(')') || tail.contains('/');
    (may_be_caption && CAPTION.is_match(tail)).then_some(CAPTION_RULE)
}

/// A picture's caption set as its own short paragraph, ending on its
/// credit ("[image] A cyclist steers around a pothole. Photograph:
/// Christopher Thomond for the Guardian").
pub fn caption_paragraph(para: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?:^|[.!?]\s+|\s)(?:photograph|photo|picture|image|illustration)s?(?:\s+credit)?\s*:\s*(?-i:\p{Lu})[^.!?:]{1,80}\.?$",
        )
        .expect("valid regex")
    });
    para.len() <= 400 && RE.is_match(para.trim_end())
}

/// "Latest post on X": the site name X.
pub fn site_banner(line: &str) -> Option<&str> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^latest (?:post|posts|news) (?:on|from) (.{1,60})$").expect("valid regex"));
    RE.captures(line).and_then(|c| c.get(1)).map(|m| m.as_str().trim())
}

/// A footer naming the site: "© 2024 Left Futures | Powered by WordPress".
pub fn footer_site(line: &str) -> Option<&str> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:©|\(c\)|copyright)\s*)+(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*([^|·•,]{2,60}?)\s*(?:[|·•,]|\.?\s*all rights|$)")
            .expect("valid regex")
    });
    let name = RE.captures(line)?.get(1)?.as_str().trim().trim_end_matches('.');
    (!name.is_empty() && name.chars().next().is_some_and(char::is_alphanumeric)).then_some(name)
}

/// Strong words of a donation appeal.
pub fn donation_strong(para: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:please (?:support|donate)|support us\b|donat(?:e|ing|ion)\b|becom(?:e|ing) a (?:member|supporter|patron|subscriber|friend)|chip in|make a contribution|support \S+ (?:and make a difference|so (?:that )?we (?:can )?(?:continue|keep)))")
            .expect("valid regex")
    });
    const CUES: [&[u8]; 5] = [b"support", b"donat", b"becom", b"chip in", b"contribution"];
    para.len() < 500
        && CUES.iter().any(|c| contains_ignore_ascii_case(para, c))
        && RE.is_match(para)
        && (asks_reader(para) || n_words(para) <= 12)
}

/// Whether a paragraph speaks to its reader ("you", "your", "please") or
/// for its site ("we", "us", "our"), as an appeal does; a report that a
/// company "will donate up to $10" does not.
fn asks_reader(para: &str) -> bool {
    para.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').any(|w| {
        ["you", "your", "please", "we", "us", "our", "we're", "we’re", "you're", "you’re"].iter().any(|x| w.eq_ignore_ascii_case(x))
    })
}

/// Whether `hay` holds `needle` (ASCII), ignoring ASCII case: a cheap test
/// before a regex that needs the word anyway.
pub(crate) fn contains_ignore_ascii_case(hay: &str, needle: &[u8]) -> bool {
    let hay = hay.as_bytes();
    let Some((&first, rest)) = needle.split_first() else { return true };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else { return false };
    // memchr finds the candidates for the first byte in either case.
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), &hay[..=last_start])
        .any(|i| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest))
}

/// Weak words of a donation appeal: only count next to a strong one.
pub fn donation_weak(para: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:does not|doesn't|doesn’t) come (?:for )?free|depends on (?:you|your support|readers)|our work|independent journalism|every (?:pound|penny|contribution)|can you help|at no cost to you|far from free|cannot afford to|loyal readers")
            .expect("valid regex")
    });
    para.len() < 300 && RE.is_match(para)
}

/// "X | tagline" on the first line: the site name X.
pub fn site_header(line: &str) -> Option<&str> {
    // "Home | News | Sport" is a menu, not a name and a tagline.
    if line.matches(" | ").count() > 1 {
        return None;
    }
    let (left, right) = line.split_once(" | ").or_else(|| line.split_once(" – ")).or_else(|| line.split_once(" - "))?;
    let (left, right) = (left.trim(), right.trim());
    let words = n_words(left);
    let starts_upper = left.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    (words <= 4 && starts_upper && !right.is_empty() && !left.ends_with(['.', ':', '?', '!'])).then_some(left)
}

/// "Labels: a, b", "Tags: a, b", "Category: a", "Filed under: a", "Posted in a, b".
pub fn labelled_tags(line: &str) -> Option<Vec<String>> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:post |article |story )?(?:labels|tags?|categor(?:y|ies))|tagged(?: with| as)?|filed under|topics?|posted in|catégories?|étiquettes?|mots-clés|kategorien?|schlagwörter|schlagworte|categorías?|etiquetas|categorie|etichette)\s*:?\s+(.{1,300})$").expect("valid regex")
    });
    let list = RE.captures(line)?.get(1)?.as_str();
    let tags = split_tags(list);
    (!tags.is_empty()).then_some(tags)
}

fn split_tags(list: &str) -> Vec<String> {
    list.split([',', '|', '•', '·', ';']).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty()).collect()
}

/// A bare tag line above a title: "Labour,  Lutfur Rahman" — two or more short,
/// capitalised items and nothing sentence-like.
pub fn bare_tags(line: &str) -> Option<Vec<String>> {
    if line.len() > 160 || !line.contains([',', '|', '•', '·']) {
        return None;
    }
    let tags = split_tags(line);
    // "Home | Archive | About" is a menu.
    const MENU: &[&str] = &[
        "home",
        "about",
        "about us",
        "contact",
        "contact us",
        "archive",
        "archives",
        "search",
        "login",
        "log in",
        "register",
        "subscribe",
        "menu",
        "blog",
        "news",
        "faq",
    ];
    let menu = tags.iter().filter(|t| MENU.contains(&t.to_lowercase().as_str())).count();
    let ok = tags.len() >= 2
        && menu * 2 < tags.len()
        && tags.iter().all(|t| {
            let words: Vec<&str> = t.split(' ').collect();
            words.len() <= 4
                && !t.ends_with(['.', '!', '?', ':'])
                && words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&'))
        });
    ok.then_some(tags)
}

/// A byline: the author's name and, when given, the rest of the line (which
/// may hold a date). "By X", "by X · date", "Posted by X at 22:15",
/// "Posted on DATE by X", "Written by X", "Author: X".
pub fn byline(line: &str) -> Option<&str> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:(?:posted|written|published|filed|submitted)?\s*(?:on .{4,40}?\s)?by|author:?)\s+((?:[\p{Lu}][\p{L}'’.\-]*|de|van|von|der|la|le|al|bin)(?:\s+(?:[\p{Lu}][\p{L}'’.\-]*|de|van|von|der|la|le|al|bin)){0,4})(?:\s*(?:[|·•,–—\-(@/]|\bat\b|\bon\b|\bin\b|\band\b|\d|$).*)?$")
            .expect("valid regex")
    });
    if line.len() > 200 {
        return None;
    }
    // Every byline has "by", "author", "journal" or "diario" in it: test that before the regex.
    if ![&b"by"[..], b"author", b"journal", b"diario"].iter().any(|w| contains_ignore_ascii_case(line, w)) {
        return None;
    }
    // "submitted 5 hours ago by braisedleek", "118 points by mareel 3 hours
    // ago | hide", "Posted by samzenpus on Thursday April 26, 2012": a
    // handle, with a time ago or a weekday and date; or a journal's owner
    // ("El diario de marisol_v", "marisol_v's journal").
    static AGO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?i:submitted|posted)\s+(?i:\d+|an?|one)\s+(?i:second|minute|hour|day|week|month|year)s?\s+ago\s+by\s+([\w.\-]+)|\d+\s+points?\s+by\s+([\w.\-]+)\s+(?:\d+|an?)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago|(?i:posted|submitted)\s+by\s+([\w.\-]+)\s+on\s+(?i:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+\w+\s+\d.*|(?i:el diario de|le journal de|il diario di|das journal von|the journal of)\s+([\w.\-]+)|([\w.\-]+)(?:'s|’s) journal)(?:\s.*)?$")
            .expect("valid regex")
    });
    let name = match RE.captures(line) {
        Some(c) => c.get(1)?.as_str().trim_end_matches(['.', ',']),
        None => {
            let c = AGO.captures(line)?;
            Some((1..=5).find_map(|i| c.get(i))?.as_str())
                .filter(|h| h.len() <= 40 && !["the", "a", "an", "our", "his", "her", "their", "its"].contains(h))?
        }
    };
    (name.chars().filter(|c| c.is_alphabetic()).count() >= 2).then_some(name)
}

/// The name a sentence ends on after "by" ("… on April 25, 2012 by Helen Marsh.").
pub fn trailing_by(text: &str) -> Option<&str> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:by|par|von|por|di|door)\s+(\p{Lu}[\p{L}'’.\-]*(?:\s+\p{Lu}[\p{L}'’.\-]*){0,3})\.?\s*$").expect("valid regex")
    });
    if text.len() > 600 {
        return None;
    }
    RE.captures(text.trim()).and_then(|c| c.get(1)).map(|m| m.as_str().trim_end_matches('.'))
}

/// A name standing alone (an author box heading): two to four capitalised words.
pub fn bare_name(line: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[\p{Lu}][\p{L}'’\-]+(?:\s+(?:[\p{Lu}][\p{L}'’.\-]*|de|van|von|der|la|le|al|bin)){1,3}$").expect("valid regex")
    });
    line.len() <= 60 && RE.is_match(line)
}

/// A name of one capitalised word ("Regan"), as comment headers and author boxes show it.
pub fn single_name(line: &str) -> bool {
    !line.contains(' ') && line.len() <= 30 && line.chars().next().is_some_and(char::is_uppercase)
}

/// A one-line author biography "X is a …": the name X.
pub fn bio_line(para: &str) -> Option<&str> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([\p{Lu}][\p{L}'’\-]+(?:\s+[\p{Lu}][\p{L}'’.\-]*){1,3})\s+(?:is|was)\s+(?:a|an|the|director|editor|chair|leader|founder|deputy|head|former|senior|co-founder)\b.{0,300}\b(?:(?i:writes|blogs|tweets|editor|columnist|writer|journalist|author|director|member|councillor|fellow|professor|lecturer|correspondent|reporter|contributor|candidate|chair|activist)|MP)\b")
            .expect("valid regex")
    });
    if para.len() > 400 || !(para.contains(" is ") || para.contains(" was ")) {
        return None;
    }
    RE.captures(para).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// Whether `para` opens an author box after a name line: "is director of…".
pub fn bio_continuation(para: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:is|was|writes|blogs|has been|works|lives|tweets)\b").expect("valid regex"));
    para.len() < 600 && RE.is_match(para)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expect: Option<&str>) {
        assert_eq!(line_rule(line).map(|r| r.name), expect, "{line:?}");
    }

    #[test]
    fn only_the_look_anywhere_rules_are_left_out_of_the_set() {
        for (i, (_, re)) in LINE_RULES.iter().enumerate() {
            assert_eq!(re.starts_with("^.{0,200}"), is_anywhere(i), "{re}");
        }
        // Every cue is a word its rule needs.
        for &(i, cues) in ANYWHERE.iter() {
            for cue in cues {
                assert!(LINE_RULES[i].1.contains(std::str::from_utf8(cue).expect("cues are ASCII")), "{cue:?}");
            }
        }
        check("Some text. All Rights Reserved.", Some("copyright-footer"));
        check("This site uses cookies to improve it", Some("cookie-notice"));
        check("Copyright 2024 us. This site uses cookies", Some("copyright-footer"));
        check("Comments", Some("thread-header"));
    }

    #[test]
    fn line_rules_fire_on_furniture_only() {
        check("Leave a Reply", Some("comment-form"));
        check("Leave a Comment Cancel Reply", Some("comment-form"));
        check("Add comment", Some("comment-form"));
        check("Powered by Livefyre", Some("comment-form"));
        check("Sort: Newest | Oldest", Some("thread-header"));
        check("Sort by Best", Some("thread-header"));
        check("1 CommentNo Reactions", Some("thread-header"));
        check("comments so far. Add yours.", Some("thread-header"));
        check("Feed You can follow this conversation by subscribing to the comment feed for this post.", Some("comment-form"));
        check("This entry was posted on Saturday, August 25th, 2012 at 12:23 am and is filed under Neat Stuff,", Some("entry-meta"));
        check("218 notes View comments Tags: comics DC Comics", Some("thread-header"));
        check("Please log in using one of these methods to post your comment: Logo", Some("comment-form"));
        check("Twitter picture", Some("comment-form"));
        check("Connecting to %s", Some("comment-form"));
        assert!(caption_paragraph("[image] A cyclist steers around a pothole in Leeds. Photograph: Christopher Thomond for the Guardian"));
        assert!(!caption_paragraph("The council said the photograph: was taken in May, and that it would reply."));
        check("You can follow this conversation by subscribing to the comment feed for this post.", Some("comment-form"));
        check("Print Friendly, PDF & Email", Some("print-share"));
        check("Article history", Some("print-share"));
        check("12 notes", Some("thread-header"));
        check("Previous post  Next post", Some("navigation"));
        check("« Older entries", Some("navigation"));
        check("created Apr 26, '12   last reply Apr 28, '12   5 replies   214 views   5 users   6 likes", Some("navigation"));
        check("Share this:", Some("print-share"));
        check("Facebook Twitter Email", Some("print-share"));
        check("Whatsapp \u{a0} Facebook \u{a0} Pint \u{a0} Baixar", Some("print-share"));
        check("Você pode gostar...", Some("related-posts"));
        check("About this article", Some("end-matter"));
        check("Home | Archive | About", Some("navigation"));
        check("Website [ ]", Some("form-field"));
        check("Email * [ ]", Some("form-field"));
        check("Like this story? Share it with a friend!", Some("print-share"));
        assert!(donation_strong("Support Snopes and make a difference for readers everywhere."));
        assert!(donation_strong("Support Snopes so we continue to pursue the facts."));
        assert!(donation_weak("We do this work every day at no cost to you, but it is far from free to produce."));
        assert!(!donation_strong("He said he would support Labour and the unions."));
        // Reporting on donations is no appeal for one.
        assert!(!donation_strong("The club raised three hundred dollars selling cookies, and the donations grew from there."));
        assert!(donation_strong("Make a donation today."));
        // A report of a donation is no appeal.
        assert!(!donation_strong(
            "Beginning this year, when a pet clean-up product is purchased and registered, the company will donate up to $10 to the Pet Foundation."
        ));
        check("Also on rt.com Journalists threatened with arrests", Some("related-posts"));
        check("Stay up to date with Ascom. Subscribe to our newsletter.", Some("signup"));
        check("Добавить отзыв", Some("comment-form"));
        check("Laisser un commentaire", Some("comment-form"));
        check("Sign up to our daily roundup email", Some("signup"));
        check("© 2024 Left Futures | Powered by WordPress | theme", Some("copyright-footer"));
        check("All contents copyright © 2003 - 2012 John Battelle", Some("copyright-footer"));
        check("Site copyright 2012 by the Example Times", Some("copyright-footer"));
        check("Credit: Louisa Thomson", Some("photo-credit"));
        check(
            "A plane takes off from the airport on March 13, 2019. (Photo by Anthony Wallace/AFP via Getty Images)",
            Some("photo-credit"),
        );
        check("Jennifer Williams arrives to testify. (Image: Chip Somodevilla)", Some("photo-credit"));
        check("Protesters march in Hong Kong. Anthony Kwan/Getty Images", Some("photo-credit"));
        check("He said the (picture) was clear and the money was gone.", None);
        check("17 Responses to “No illusions”", Some("thread-header"));
        check("3 thoughts on “Labour versus Labour”", Some("thread-header"));
        check("5 comments:", Some("thread-header"));
        check("One comment Add your comment", Some("thread-header"));
        check("One comment so far | RSS Comments RSS", Some("thread-header"));
        check("3 comments | add yours", Some("thread-header"));
        check("one comment – permalink", Some("thread-header"));
        check("Top Rated Comments", Some("thread-header"));
        check("Share this on WhatsApp", Some("print-share"));
        check("Latest post on Left Futures", Some("site-banner"));
        check("Share the burden of the cuts fairly, he said.", None);
        check("Please log off.", None);
        check("Comments from the minister were unhelpful.", None);
    }

    #[test]
    fn metadata_lines() {
        assert_eq!(site_banner("Latest post on Left Futures"), Some("Left Futures"));
        assert_eq!(footer_site("© 2024 Left Futures | Powered by WordPress"), Some("Left Futures"));
        assert_eq!(site_header("Progress | Centre-left Labour politics"), Some("Progress"));
        assert_eq!(site_header("Labour versus Labour in the East End today | Site"), None);
        assert_eq!(site_header("Home | News | Opinion | Contact"), None);
        assert_eq!(bare_tags("Labour,\u{a0}\u{a0} Lutfur Rahman"), Some(vec!["Labour".into(), "Lutfur Rahman".into()]));
        assert_eq!(bare_tags("Luke Akehurst, Labour NEC Member on Lutfur, Ken, Communalism"), None);
        assert_eq!(labelled_tags("Labels: London, Ken Livingstone"), Some(vec!["London".into(), "Ken Livingstone".into()]));
        assert_eq!(labelled_tags("Tagged with: dividend, taxes"), Some(vec!["dividend".into(), "taxes".into()]));
        assert_eq!(byline("By Jane Smith"), Some("Jane Smith"));
        assert_eq!(byline("Posted by Dave Hill at 22:15"), Some("Dave Hill"));
        assert_eq!(byline("Posted on 26 April 2012 by Jon Lansman"), Some("Jon Lansman"));
        assert_eq!(byline("by Anna Key · 3 May 2012"), Some("Anna Key"));
        assert_eq!(byline("by Eleanor Ainge Roy (reporting) and Adrian Malloch (photography)"), Some("Eleanor Ainge Roy"));
        assert_eq!(byline("submitted 5 hours ago by braisedleek"), Some("braisedleek"));
        assert_eq!(byline("118 points by mareel 3 hours ago | hide | past | favorite | 6 comments"), Some("mareel"));
        assert_eq!(byline("Posted by samzenpus on Thursday April 26, 2012 @02:10PM from the do-it-yourself dept."), Some("samzenpus"));
        assert_eq!(byline("Posted by the council on Monday"), None);
        assert_eq!(byline("El diario de marisol_v"), Some("marisol_v"));
        assert_eq!(byline("marisol_v's journal"), Some("marisol_v"));
        assert_eq!(byline("submitted 5 hours ago by the moderators of this forum"), None);
        assert_eq!(byline("by Ahiza Garcia @ahiza_garcia February 1, 2016: 12:41 PM ET"), Some("Ahiza Garcia"));
        assert_eq!(byline("By Jo Bloggs and Sam Smith"), Some("Jo Bloggs"));
        assert_eq!(byline("By the time the polls closed, Ken had lost."), None);
        assert!(bare_name("Luke Akehurst"));
        assert!(!bare_name("Our work depends on you."));
        assert_eq!(
            bio_line(
                "Luke Akehurst is a constituency representative on Labour’s NEC, a councillor in Hackney, writes regularly for Progress here"
            ),
            Some("Luke Akehurst")
        );
        assert!(bio_continuation("is director of We Believe in Israel"));
        assert!(donation_strong("please support us by becoming a member, subscriber or donating."));
        assert!(donation_weak("Our work depends on you."));
    }
}
