//! What a headline is not: the line tests the title choice weighs.
//!
//! A page's title is chosen on evidence (see `page.rs`): near the article
//! start, of headline length, right above a byline or dateline, above a
//! longer standfirst. These tests rule lines out whatever their position:
//! menus and breadcrumbs, reading-time and date stamps, and bylines in the
//! languages the parser reads.

use std::sync::LazyLock;

use regex::Regex;

/// A menu bar or breadcrumb trail as text browsers show them: items apart
/// by two or more spaces ("News  UK news  Transport"), or by separators
/// ("Home » Gardening", "« Older | Main | Newer »").
pub fn menu_like(line: &str) -> bool {
    let t = line.trim();
    if t.contains(['»', '«', '›', '‹']) || t.matches(" | ").count() >= 2 {
        return true;
    }
    t.split("  ").filter(|p| !p.trim().is_empty()).count() >= 3
}

/// A reading-time or stamp line ("Apr 20, 2017 · 6 min read", "12 mag 2023 — 6 min di lettura").
pub fn reading_time(line: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b\d+\s*(?:min(?:ute)?s?\.?|minuten)\s+(?:read|di lettura|de lecture|de leitura|de lectura|lesezeit|leestijd)\b|\blesezeit\b")
            .expect("valid regex")
    });
    RE.is_match(line)
}

/// A byline in French, German, Spanish, Italian, Dutch or Portuguese
/// ("Publié le 26 avril 2012 par Claire Morel", "Geschrieben von Thomas
/// Weber", "Escrito por Ana", "di Giulia Ferri", "door Jan"): the name.
pub fn byline_intl(line: &str) -> Option<&str> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:(?:publié|publiée|posté|écrit|rédigé|geschrieben|verfasst|veröffentlicht|publicado|escrito|pubblicato|scritto|geplaatst|geschreven|postado)\b.{0,40}?\s(?:par|von|por|da|di|door)|par|von|por|di|door)\s+([\p{Lu}][\p{L}'’.\-]*(?:\s+(?:[\p{Lu}][\p{L}'’.\-]*|de|van|von|der|la|le|da|di|del|dos)){0,4})\s*(?:[|·•,–—\-]|\bam\b|\ble\b|\bil\b|\bel\b|\bem\b|\bop\b|\d|$)")
            .expect("valid regex")
    });
    if line.len() > 160 {
        return None;
    }
    RE.captures(line)?.get(1).map(|m| m.as_str().trim_end_matches(['.', ',']))
}

/// A link aggregator's headline without the source it names after it
/// ("Why does my risotto turn out gluey? (self.Cooking)", "Show HN: A tide
/// table (github.com)").
pub fn without_source(title: &str) -> &str {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s+\((?:self\.\w+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\)$").expect("valid regex"));
    RE.find(title).map_or(title, |m| &title[..m.start()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menus_and_breadcrumbs() {
        for l in [
            "News  UK news  Transport",
            "Home » Gardening » Gardening Advice",
            "« Sample sizes and the school board | Main | Reading a confidence interval out loud »",
            "Share Report Abuse Next Blog» Create Blog Sign In",
            "Entradas recientes  Archivo  Amigos  Información del usuario",
        ] {
            assert!(menu_like(l), "{l}");
        }
        for l in ["Pothole claims by cyclists double as councils cut road budgets", "Le marché du boulevard passe au dimanche"] {
            assert!(!menu_like(l), "{l}");
        }
    }

    #[test]
    fn stamps_and_bylines() {
        assert!(reading_time("Apr 20, 2017 · 6 min read"));
        assert!(reading_time("12 mag 2023 — 6 min di lettura"));
        assert!(!reading_time("Six minutes to midnight"));
        assert_eq!(byline_intl("Publié le 26 avril 2012 par Claire Morel"), Some("Claire Morel"));
        assert_eq!(byline_intl("Geschrieben von Thomas Weber"), Some("Thomas Weber"));
        assert_eq!(byline_intl("Escrito por Ana Souza el 26 de abril"), Some("Ana Souza"));
        assert_eq!(byline_intl("di Giulia Ferri"), Some("Giulia Ferri"));
        assert_eq!(byline_intl("Le marché du boulevard passe au dimanche"), None);
        assert_eq!(byline_intl("Por qué el metro llega tarde"), None);
        assert_eq!(without_source("Why does my risotto turn out gluey? (self.Cooking)"), "Why does my risotto turn out gluey?");
        assert_eq!(without_source("Show HN: A tide table (github.com)"), "Show HN: A tide table");
        assert_eq!(without_source("Labour wins the vote (again)"), "Labour wins the vote (again)");
    }
}
