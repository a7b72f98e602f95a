//! Print the structure `hustings-parse` finds in the files given as arguments.
//! `cargo run -p hustings-parse --example dump -- seeds/*.txt`

fn main() {
    for path in std::env::args().skip(1) {
        println!("=== {path}");
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                println!("error: {e}");
                continue;
            }
        };
        match hustings_parse::parse(&bytes) {
            Err(e) => println!("error: {e}"),
            Ok(p) => {
                let t = &p.decoded.text;
                println!(
                    "site={:?} title={:?}\nstandfirst={:?} author={:?} date={:?} tags={:?}",
                    p.site,
                    p.title,
                    p.standfirst,
                    p.author,
                    p.published.map(|d| d.to_string()),
                    p.tags
                );
                for b in &p.body {
                    let first = b.lines[0].slice(t);
                    println!("  BODY {:?} {} lines: {}", b.kind, b.lines.len(), first.chars().take(70).collect::<String>());
                }
                for (i, c) in p.comments.iter().enumerate() {
                    println!(
                        "  COMMENT {} depth={} parent={:?} author={:?} at={:?} blocks={}",
                        i + 1,
                        c.depth,
                        c.parent,
                        c.author,
                        c.posted_at.map(|d| d.to_string()),
                        c.blocks.len()
                    );
                    for b in &c.blocks {
                        println!("      {} lines: {}", b.lines.len(), b.lines[0].slice(t).chars().take(60).collect::<String>());
                    }
                }
                for r in &p.removed {
                    println!(
                        "  REMOVED {}/{} {}..{} {}",
                        r.kind,
                        r.rule,
                        r.source.start,
                        r.source.end,
                        r.text.chars().take(60).collect::<String>()
                    );
                }
                for w in &p.warnings {
                    println!("  WARN {w}");
                }
            }
        }
    }
}
