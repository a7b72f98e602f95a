//! The page: sections, tables and figures, with the style and the one
//! small script (sortable tables, one section alone for screenshots) inline.

use std::fmt::Write;

use crate::figures::{Bar, Figures};
use crate::plot;

const STYLE: &str = r#"
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --card: #f6f7f9; --accent: #3b82c4; }
@media (prefers-color-scheme: dark) { :root { --bg: #15181e; --fg: #e4e7ec; --muted: #9aa3b2; --line: #343a46; --card: #1d2129; --accent: #6aa6e0; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 1.2rem 1.5rem 3rem; background: var(--bg); color: var(--fg);
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.3rem; } h2 { font-size: 1.25rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
p.lead, .muted { color: var(--muted); }
nav { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0.6rem 0 0.4rem; }
nav a { color: var(--accent); text-decoration: none; } nav a:hover { text-decoration: underline; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 0.6rem; margin: 0.4rem 0; }
dl.figures div { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 0.7rem; }
dt { color: var(--muted); font-size: 0.85rem; } dd { margin: 0; font-size: 1.35rem; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1rem; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 0.3rem; } figure svg { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th.sort { cursor: pointer; user-select: none; } th.sort::after { content: " ↕"; color: var(--muted); }
.scroll { max-height: 420px; overflow-y: auto; }
code { font-size: 0.88em; } .empty { color: var(--muted); font-style: italic; }
body.only nav, body.only section:not(.shown), body.only header p { display: none; }
"#;

const SCRIPT: &str = r##"
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.classList.add("sort");
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var num = th.classList.contains("n"), down = th.dataset.dir !== "down";
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.v || a.cells[col].textContent, y = b.cells[col].dataset.v || b.cells[col].textContent;
        var c = num ? Number(x) - Number(y) : x.localeCompare(y);
        return down ? -c : c;
      });
      th.dataset.dir = down ? "down" : "up";
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
if (location.hash.indexOf("#only-") === 0) {
  var shown = document.getElementById(location.hash.slice(6));
  if (shown) { document.body.classList.add("only"); shown.classList.add("shown"); }
}
"##;

/// Text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// 1234567 as "1,234,567".
pub(crate) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct Page {
    html: String,
}

impl Page {
    fn push(&mut self, s: &str) {
        self.html.push_str(s);
    }

    /// A titled figure, or a line saying there is nothing to show.
    fn figure(&mut self, id: &str, title: &str, marks: usize, svg: Result<String, String>, empty: &str) -> Result<(), String> {
        if marks == 0 {
            let _ = write!(
                self.html,
                "<figure id=\"{id}\" data-marks=\"0\"><figcaption>{}</figcaption><p class=\"empty\">{}</p></figure>",
                esc(title),
                esc(empty)
            );
            return Ok(());
        }
        let svg = svg?;
        let _ = write!(self.html, "<figure id=\"{id}\" data-marks=\"{marks}\"><figcaption>{}</figcaption>{svg}</figure>", esc(title));
        Ok(())
    }

    fn bars(&mut self, id: &str, title: &str, bars: &[Bar], x: &str, y: &str, empty: &str) -> Result<(), String> {
        let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let values: Vec<u64> = bars.iter().map(|b| b.1).collect();
        let any = values.iter().any(|&v| v > 0);
        self.figure(id, title, if any { bars.len() } else { 0 }, plot::bars(&labels, &values, x, y), empty)
    }

    fn hbars(&mut self, id: &str, title: &str, labels: &[String], values: &[f64], x: &str, empty: &str) -> Result<(), String> {
        self.figure(id, title, labels.len(), plot::hbars(labels, values, x), empty)
    }

    /// A table: header cells (`n:` before a name marks a number column) and rows.
    fn table(&mut self, id: &str, sortable: bool, header: &[&str], rows: &[Vec<String>]) {
        let class = if sortable { " class=\"sortable\"" } else { "" };
        let _ = write!(self.html, "<div class=\"scroll\"><table id=\"{id}\"{class}><thead><tr>");
        let numeric: Vec<bool> = header.iter().map(|h| h.starts_with("n:")).collect();
        for h in header {
            match h.strip_prefix("n:") {
                Some(name) => {
                    let _ = write!(self.html, "<th class=\"n\">{}</th>", esc(name));
                }
                None => {
                    let _ = write!(self.html, "<th>{}</th>", esc(h));
                }
            }
        }
        self.push("</tr></thead><tbody>");
        for row in rows {
            self.push("<tr>");
            for (cell, &num) in row.iter().zip(&numeric) {
                if num {
                    let raw = cell.replace(',', "");
                    let _ = write!(self.html, "<td class=\"n\" data-v=\"{}\">{}</td>", esc(&raw), esc(cell));
                } else {
                    let _ = write!(self.html, "<td>{}</td>", esc(cell));
                }
            }
            self.push("</tr>");
        }
        self.push("</tbody></table></div>");
    }
}

/// The whole page for the tables folder `name`.
pub(crate) fn page(name: &str, f: &Figures) -> Result<String, String> {
    let mut p = Page { html: String::with_capacity(256 << 10) };
    let r = &f.run;
    let _ = write!(
        p.html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\"><title>hustings report: {}</title><style>{STYLE}</style></head><body>",
        esc(name)
    );
    let version = r.version.as_deref().map_or_else(|| "not recorded (tables merged from shards?)".to_owned(), |v| format!("hustings {v}"));
    let _ = write!(
        p.html,
        "<header><h1>What this run found</h1><p class=\"lead\">Tables in <code>{}</code>, written by {}; report by hustings {}. \
         Every figure is computed from the tables.</p></header>",
        esc(name),
        esc(&version),
        env!("CARGO_PKG_VERSION")
    );
    p.push("<nav><a href=\"#run\">Run</a><a href=\"#sites\">Sites</a><a href=\"#time\">Time</a><a href=\"#threads\">Threads</a><a href=\"#language\">Language</a><a href=\"#words\">Words</a><a href=\"#audit\">Audit</a></nav>");

    // The run.
    p.push("<section id=\"run\"><h2>The run</h2>");
    if r.documents == 0 {
        p.push("<p class=\"empty\" id=\"empty-corpus\">This run holds no documents: every input failed or was skipped, or the input held none (see Audit).</p>");
    }
    p.push("<dl class=\"figures\">");
    for (key, label, value) in [
        ("files", "Files", r.files),
        ("documents", "Documents", r.documents),
        ("comments", "Comments", r.comments),
        ("tokens", "Tokens", r.tokens),
        ("errors", "Errors rows", r.errors),
        ("bytes", "Bytes of pages", r.bytes),
    ] {
        let _ = write!(p.html, "<div><dt>{label}</dt><dd data-figure=\"{key}\" data-v=\"{value}\">{}</dd></div>", thousands(value));
    }
    p.push("</dl>");
    let kinds: Vec<Vec<String>> = r.kinds.iter().map(|(k, n)| vec![k.clone(), thousands(*n)]).collect();
    p.push("<p>Files of documents by kind of input:</p>");
    p.table("kinds", false, &["kind", "n:files"], &kinds);
    p.push("</section>");

    // Sites.
    p.push("<section id=\"sites\"><h2>Sites</h2><p class=\"muted\">Documents and comments per site (the site a page names, else its URL's host). Click a heading to sort.</p>");
    let sites: Vec<Vec<String>> = f.sites.iter().map(|(s, d, c)| vec![s.clone(), thousands(*d), thousands(*c)]).collect();
    p.table("sites-table", true, &["site", "n:documents", "n:comments"], &sites);
    p.push("</section>");

    // Time.
    p.push("<section id=\"time\"><h2>Time</h2><div class=\"grid\">");
    p.bars(
        "fig-documents-by-month",
        "Documents per month (published_date)",
        &f.documents_by_month,
        "month",
        "documents",
        "No document has a publication date.",
    )?;
    p.bars("fig-comments-by-month", "Comments per month (posted_at)", &f.comments_by_month, "month", "comments", "No comment has a date.")?;
    p.push("</div></section>");

    // Threads.
    p.push("<section id=\"threads\"><h2>Threads</h2><div class=\"grid\">");
    p.bars(
        "fig-comments-per-document",
        "Comments per document",
        &f.comments_per_document,
        "comments on the page",
        "documents",
        "No documents.",
    )?;
    p.bars("fig-depth", "Comment depth (0 = top level)", &f.depth, "depth", "comments", "No comments.")?;
    p.bars("fig-comment-length", "Comment length", &f.comment_length, "tokens", "comments", "No comments.")?;
    p.push("</div><h3>Most discussed documents</h3>");
    let discussed: Vec<Vec<String>> = f.discussed.iter().map(|d| vec![d.title.clone(), d.site.clone(), thousands(d.comments)]).collect();
    if discussed.is_empty() {
        p.push("<p class=\"empty\">No document has comments.</p>");
    } else {
        p.table("discussed", false, &["title", "site", "n:comments"], &discussed);
    }
    p.push("</section>");

    // Language.
    p.push("<section id=\"language\"><h2>Language and readability</h2><div class=\"grid\">");
    p.bars("fig-document-languages", "Documents by language", &f.document_languages, "language (ISO 639-1)", "documents", "No documents.")?;
    p.bars("fig-comment-languages", "Comments by language", &f.comment_languages, "language (ISO 639-1)", "comments", "No comments.")?;
    p.bars(
        "fig-flesch-documents",
        "Flesch reading ease of article bodies (English)",
        &f.flesch_documents,
        "Flesch reading ease (higher is easier)",
        "documents",
        "No English body with sentences.",
    )?;
    p.bars(
        "fig-flesch-comments",
        "Flesch reading ease of comments (English)",
        &f.flesch_comments,
        "Flesch reading ease (higher is easier)",
        "comments",
        "No English comment with sentences.",
    )?;
    p.bars(
        "fig-mattr-documents",
        "MATTR of article bodies",
        &f.mattr_documents,
        "moving-average type/token ratio (window 50)",
        "documents",
        "No body with tokens.",
    )?;
    p.bars(
        "fig-mattr-comments",
        "MATTR of comments",
        &f.mattr_comments,
        "moving-average type/token ratio (window 50)",
        "comments",
        "No comment with tokens.",
    )?;
    p.push("</div></section>");

    // Words.
    p.push("<section id=\"words\"><h2>Words</h2><p class=\"muted\">Key terms by log-likelihood (G²) of bodies against comments, both directions; bigrams by logDice; vocabulary growth in table order.</p><div class=\"grid\">");
    let (terms, values): (Vec<String>, Vec<f64>) = f.key_body.iter().cloned().unzip();
    p.hbars("fig-key-body", "Key terms of article bodies", &terms, &values, "log-likelihood G²", "No key terms of bodies.")?;
    let (terms, values): (Vec<String>, Vec<f64>) = f.key_comment.iter().cloned().unzip();
    p.hbars("fig-key-comment", "Key terms of comments", &terms, &values, "log-likelihood G²", "No key terms of comments.")?;
    let growth = if f.growth.len() > 1 { f.growth.len() } else { 0 };
    p.figure("fig-growth", "Vocabulary growth", growth, plot::line(&f.growth, "tokens read", "distinct terms"), "No tokens.")?;
    p.push("</div><h3>Top bigrams by logDice</h3>");
    let bigrams: Vec<Vec<String>> =
        f.bigrams.iter().map(|(a, b, d, n)| vec![format!("{a} {b}"), format!("{d:.2}"), thousands(*n)]).collect();
    if bigrams.is_empty() {
        p.push("<p class=\"empty\">No bigram reached --bigram-min.</p>");
    } else {
        p.table("bigrams", false, &["bigram", "n:logDice", "n:occurrences"], &bigrams);
    }
    p.push("</section>");

    // Audit.
    p.push("<section id=\"audit\"><h2>Audit: what was removed, repaired and refused</h2><div class=\"grid\">");
    let labels: Vec<String> = f.boilerplate.iter().map(|b| b.0.clone()).collect();
    let values: Vec<f64> = f.boilerplate.iter().map(|b| b.1 as f64).collect();
    p.hbars("fig-boilerplate", "Lines taken out, by rule", &labels, &values, "rows of boilerplate", "Nothing was taken out.")?;
    p.bars("fig-edits", "Repairs, by kind", &f.edits, "kind of edit", "rows of edits", "Nothing was repaired.")?;
    let errors: Vec<Bar> = f.errors.iter().map(|e| (e.0.clone(), e.1)).collect();
    p.bars("fig-errors", "Errors rows, by kind", &errors, "kind", "rows of errors", "No input failed.")?;
    p.push("</div><h3>One example line per rule</h3>");
    let examples: Vec<Vec<String>> = f.boilerplate.iter().map(|(r, n, e)| vec![r.clone(), thousands(*n), e.clone()]).collect();
    if examples.is_empty() {
        p.push("<p class=\"empty\">No boilerplate rows.</p>");
    } else {
        p.table("boilerplate-examples", false, &["rule", "n:rows", "example"], &examples);
    }
    p.push("<h3>Errors, by kind, with their files</h3>");
    if f.errors.is_empty() {
        p.push("<p class=\"empty\">No errors rows.</p>");
    }
    for (kind, n, rows) in &f.errors {
        let listed: Vec<Vec<String>> = rows.iter().map(|(path, rec, msg)| vec![path.clone(), rec.clone(), msg.clone()]).collect();
        let more = *n as usize - rows.len();
        let _ = write!(
            p.html,
            "<h4>{} ({} rows{})</h4>",
            esc(kind),
            thousands(*n),
            if more > 0 { format!(", the first {} listed", rows.len()) } else { String::new() }
        );
        p.table(&format!("errors-{}", esc(kind)), false, &["file", "member or record", "message"], &listed);
    }
    p.push("</section>");
    let _ = writeln!(p.html, "<script>{SCRIPT}</script></body></html>");
    Ok(p.html)
}
