//! The `hustings` command: parse arguments, run the pipeline, report.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use hustings::{Config, RunSummary, run};
use hustings_export::Formats;

const USAGE: &str = "\
hustings — turn scraped blog and news pages into analysis-ready tables

Usage:
  hustings run --input DIR --output DIR [--threads N] [--format csv,parquet]
               [--include GLOB] [--exclude GLOB] [--text-field NAME]
               [--url-field NAME] [--title-field NAME] [--date-field NAME]
               [--repeat-min N] [--bigram-min N] [--tokens]
               [--shard K/N] [--repeated-lines FILE] [--max-file-mb N]
               [--max-ratio N] [--allow-empty] [--vocab-memory MB]
               [--cpu-report FILE]
  hustings learn --input DIR --output DIR [--shard K/N] [--threads N]
               [--include GLOB] [--exclude GLOB] [--text-field NAME]
  hustings report --tables DIR [--output FILE]
  hustings --help | --version

Inputs (every file under --input, in sorted path order, is read by its name):
  *.txt              one page
  *.jsonl, *.ndjson  one page per line holding a JSON object
  *.csv              one page per row under a header row
  *.parquet          one page per row
  *.warc.wet         Common Crawl WET: one page per conversion record (URL from
                     WARC-Target-URI, fetch time from WARC-Date)
  *.tar, *.tgz, *.zip  every member of the kinds above (not archives in archives)
  each but .parquet and .zip also as .gz, .zst, .bz2 or .xz (.tar.gz, .jsonl.zst…);
  any other file is listed in errors as skipped

Options:
  --input DIR        folder searched recursively for inputs (sorted path order)
  --include GLOB     read only files whose path (relative to --input) matches;
                     repeatable; `*` matches across folders (`*.jsonl`)
  --exclude GLOB     do not read (or list) files whose path matches; repeatable
  --text-field NAME  record field holding the page (default: the first of text,
                     content, body, html_text that a record has)
  --url-field NAME   record field holding its URL (default: url, link, uri, source_url)
  --title-field NAME record field holding its title (default: title, headline);
                     a record's title, date and URL beat what the page says
  --date-field NAME  record field holding its publication date, ISO 8601 (default:
                     date, published, published_date, date_published, publish_date,
                     pubdate); fetch time from fetched_at, fetch_time, crawl_date,
                     crawled_at or created
  --output DIR       folder to write the tables into; replaced only when the run
                     succeeds, in one atomic step; must not be, hold or lie
                     inside the input folder (exit 2)
  --threads N        worker threads (default: one per core); output is the same for any N
  --format LIST      csv, parquet or csv,parquet (default: both)
  --repeat-min N     a line found in N or more documents is boilerplate
                     (rule repeated-line; default 3; 0 turns this off)
  --bigram-min N     keep bigrams seen at least N times in the corpus (default 2)
  --tokens           also write the tokens table: one row per token occurrence
                     with offsets into the cleaned text and the source file (large)
  --shard K/N        only the inputs whose path hashes to shard K of N, written
                     to DIR/part-K-of-N/ with partial corpus tables for the merge
                     (sql/merge_tables.sql); see README, Beyond one machine
  --repeated-lines FILE
                     repeated lines from a merged first pass (repeated_lines.parquet,
                     sql/merge_lines.sql) instead of learning them from the inputs
  --max-file-mb N    refuse (with an errors row) a page larger than N MiB: a file,
                     an archive member or a record, after decompression (default
                     64); a page costs about ten times its size in memory
  --max-ratio N      stop reading (with an errors row) a compressed file or member
                     that expands to more than N times its compressed size, once
                     past 16 MiB: a decompression bomb (default 200)
  --allow-empty      write empty tables when no input can be read (default: fail
                     and leave the previous output as it was)
  --vocab-memory MB  memory for the corpus-wide counts (vocabulary, bigrams) before
                     they are spilled to disk, in sorted runs in the temporary folder,
                     and merged at the end (default 1024; 0 spills after every
                     document); the tables are the same for any budget
  --cpu-report FILE  write each thread's CPU seconds and the wall time of the run
                     to FILE as JSON (for `make bench`: the main thread's share
                     is the run's serial share)
  -q, --quiet        no progress bar and no summary line
  -h, --help         print this help
  -V, --version      print the version

Exit codes: 0 done, 1 the run failed (the previous output is untouched),
2 bad usage, 130 or 143 stopped by SIGINT or SIGTERM (the temporary folder is
removed). Two runs into one output: the second fails at once (lock file
.NAME.hustings.lock beside the output).

`report` reads the Parquet tables in DIR (a run's output, or tables merged
from shards) and writes one self-contained HTML page (default DIR/report.html):
the run, sites, time, threads, language, words and the audit of what was
removed, repaired and refused, each plot an inline SVG.

`learn` runs only the first pass, writing line_keys (one shard's line hashes)
into DIR/part-K-of-N/ for sql/merge_lines.sql.

Tables: documents, comments, document_tags, token_counts, vocabulary,
bigrams, keyness, boilerplate, edits, errors, and with --tokens tokens (each
.csv and .parquet), plus datapackage.json
and manifest.json. See README.md for the data dictionary.
";

enum Command {
    Help,
    Version,
    Run(Config, bool, Option<PathBuf>),
    Learn(Config, bool),
    Report(PathBuf, Option<PathBuf>),
}

fn parse_args() -> Result<Command, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut subcommand = None;
    let mut tables = None;
    let (mut input, mut output, mut threads, mut formats, mut quiet) = (None, None, None, Formats::default(), false);
    let (mut repeat_min, mut bigram_min, mut tokens) = (3, 2, false);
    let (mut shard, mut repeated_lines) = (None, None);
    let (mut allow_empty, mut max_file_bytes) = (false, hustings::DEFAULT_MAX_FILE_BYTES);
    let mut vocab_memory = hustings::DEFAULT_VOCAB_MEMORY;
    let mut cpu_report = None;
    let (mut include, mut exclude, mut fields) = (Vec::new(), Vec::new(), hustings_sources::Fields::default());
    let mut max_ratio = hustings::DEFAULT_MAX_RATIO;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Value(v) if subcommand.is_none() => {
                let v = v.string()?;
                if v != "run" && v != "learn" && v != "report" {
                    return Err(format!("unknown command {v:?} (expected `run`, `learn` or `report`)").into());
                }
                subcommand = Some(v);
            }
            Long("input") | Short('i') => input = Some(PathBuf::from(parser.value()?)),
            Long("tables") => tables = Some(PathBuf::from(parser.value()?)),
            Long("output") | Short('o') => output = Some(PathBuf::from(parser.value()?)),
            Long("threads") | Short('j') => {
                let n: usize = parser.value()?.parse()?;
                if n == 0 {
                    return Err("--threads must be at least 1".into());
                }
                threads = Some(n);
            }
            Long("format") => formats = Formats::parse(&parser.value()?.string()?)?,
            Long("repeat-min") => repeat_min = parser.value()?.parse()?,
            Long("bigram-min") => bigram_min = parser.value()?.parse()?,
            Long("tokens") => tokens = true,
            Long("shard") => shard = Some(hustings::Shard::parse(&parser.value()?.string()?)?),
            Long("repeated-lines") => repeated_lines = Some(PathBuf::from(parser.value()?)),
            Long("allow-empty") => allow_empty = true,
            Long("max-file-mb") => {
                let mb: u64 = parser.value()?.parse()?;
                if mb == 0 {
                    return Err("--max-file-mb must be at least 1".into());
                }
                max_file_bytes = mb.saturating_mul(1 << 20);
            }
            Long("vocab-memory") => {
                let mb: usize = parser.value()?.parse()?;
                vocab_memory = mb.saturating_mul(1 << 20);
            }
            Long("cpu-report") => cpu_report = Some(PathBuf::from(parser.value()?)),
            Long("include") => include.push(parser.value()?.string()?),
            Long("exclude") => exclude.push(parser.value()?.string()?),
            Long("text-field") => fields.text = Some(parser.value()?.string()?),
            Long("url-field") => fields.url = Some(parser.value()?.string()?),
            Long("title-field") => fields.title = Some(parser.value()?.string()?),
            Long("date-field") => fields.date = Some(parser.value()?.string()?),
            Long("max-ratio") => {
                let n: u64 = parser.value()?.parse()?;
                if n < 2 {
                    return Err("--max-ratio must be at least 2".into());
                }
                max_ratio = n;
            }
            Short('q') | Long("quiet") => quiet = true,
            _ => return Err(arg.unexpected()),
        }
    }
    if subcommand.is_none() {
        return Err("missing command (try `hustings run --input DIR --output DIR`)".into());
    }
    if subcommand.as_deref() == Some("report") {
        let tables = tables.ok_or("missing --tables DIR")?;
        if input.is_some() {
            return Err("`report` reads --tables DIR, not --input".into());
        }
        return Ok(Command::Report(tables, output));
    }
    if tables.is_some() {
        return Err("--tables is for `hustings report`".into());
    }
    let input = input.ok_or("missing --input DIR")?;
    let output = output.ok_or("missing --output DIR")?;
    let filter = hustings::Filter::new(&include, &exclude)?;
    let config = Config {
        input,
        filter,
        fields,
        max_ratio,
        output,
        threads,
        formats,
        repeat_min,
        bigram_min,
        tokens,
        shard,
        repeated_lines,
        allow_empty,
        max_file_bytes,
        vocab_memory,
    };
    if subcommand.as_deref() == Some("learn") {
        if cpu_report.is_some() {
            return Err("--cpu-report is for `hustings run`".into());
        }
        return Ok(Command::Learn(config, quiet));
    }
    Ok(Command::Run(config, quiet, cpu_report))
}

/// The run's wall time, each thread's CPU seconds and, within the workers'
/// time, each table writer's, as JSON.
fn cpu_report(s: &RunSummary) -> String {
    let threads: Vec<String> = s
        .thread_cpu
        .iter()
        .map(|t| format!("{{\"name\": \"{}\", \"cpu_seconds\": {:.2}}}", t.name.replace(['\\', '"'], "_"), t.seconds))
        .collect();
    let writers: Vec<String> =
        s.writer_cpu.iter().map(|(file, cpu)| format!("{{\"file\": \"{file}\", \"cpu_seconds\": {:.2}}}", cpu.as_secs_f64())).collect();
    format!("{{\"wall_seconds\": {:.3}, \"threads\": [{}], \"writers\": [{}]}}\n", s.seconds, threads.join(", "), writers.join(", "))
}

fn summary_line(s: &RunSummary, output: &std::path::Path) -> String {
    let mb = s.bytes as f64 / 1e6;
    let rate = if s.seconds > 0.0 { mb / s.seconds } else { 0.0 };
    let stale = match s.stale_removed {
        0 => String::new(),
        1 => "; removed 1 temporary folder left by an interrupted run".to_owned(),
        n => format!("; removed {n} temporary folders left by interrupted runs"),
    };
    let spills = match s.spills {
        0 => String::new(),
        n => format!("; vocabulary spilled to disk {n} time{} (--vocab-memory)", if n == 1 { "" } else { "s" }),
    };
    // Which kinds of input the documents came from, when not only text files.
    let kinds = match &s.kinds[..] {
        [] => String::new(),
        [(k, _)] if k == "txt" => String::new(),
        many => format!(" ({})", many.iter().map(|(k, n)| format!("{n} from {k}")).collect::<Vec<_>>().join(", ")),
    };
    format!(
        "hustings: {} files, {} documents{kinds}, {} comments, {} tokens, {} errors in {:.2} s ({:.1} MB/s) -> {}{stale}{spills}",
        s.files,
        s.documents,
        s.comments,
        s.tokens,
        s.errors,
        s.seconds,
        rate,
        output.display()
    )
}

/// On SIGINT or SIGTERM: remove the temporary output folders, then exit
/// 128 + the signal's number (130, 143), as a shell reports it.
fn on_signals_clean_up() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return; // no handler: the default action still stops the process
    };
    let handler = std::thread::Builder::new().name("hustings-sig".into()).spawn(move || {
        if let Some(signal) = signals.forever().next() {
            hustings_export::remove_temporaries();
            std::process::exit(128 + signal);
        }
    });
    if let Err(e) = handler {
        eprintln!("hustings: warning: no signal handler ({e}): an interrupted run leaves its temporary folder");
    }
}

/// An error while a signal handler is cleaning up is the cleanup's doing:
/// leave the exit (130 or 143) to the handler.
fn report(e: &hustings::RunError) -> ExitCode {
    while hustings_export::stopping() {
        std::thread::park();
    }
    eprintln!("hustings: error: {e}");
    ExitCode::from(e.exit_code())
}

/// `hustings report`: the page is written beside its destination and
/// renamed into place, so a failed report never leaves half a file.
fn write_report(tables: &std::path::Path, output: Option<PathBuf>) -> ExitCode {
    let output = output.unwrap_or_else(|| tables.join("report.html"));
    let html = match hustings_report::report(tables) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("hustings report: error: {e}");
            return ExitCode::from(1);
        }
    };
    let name = output.file_name().map_or_else(|| "report.html".into(), |n| n.to_string_lossy().into_owned());
    let temp = output.with_file_name(format!(".{name}.hustings-tmp-{}", std::process::id()));
    let written = std::fs::write(&temp, html).and_then(|()| std::fs::rename(&temp, &output));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        eprintln!("hustings report: error: cannot write {}: {e}", output.display());
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let (config, quiet, cpu_report_to) = match parse_args() {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("hustings {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run(config, quiet, report)) => (config, quiet, report),
        Ok(Command::Report(tables, output)) => return write_report(&tables, output),
        Ok(Command::Learn(config, quiet)) => {
            on_signals_clean_up();
            return match hustings::learn(&config) {
                Ok(rows) => {
                    if !quiet {
                        eprintln!("hustings learn: {rows} line keys -> {}", config.output.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => report(&e),
            };
        }
        Err(e) => {
            eprintln!("hustings: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // The report's file is made before the run, so a path that cannot be
    // written stops the command before it touches the output.
    let mut cpu_report_file = match cpu_report_to {
        None => None,
        Some(path) => match std::fs::File::create(&path) {
            Ok(file) => Some((path, file)),
            Err(e) => {
                eprintln!("hustings: error: cannot write the CPU report {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    on_signals_clean_up();
    let bar = if !quiet && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}") {
            bar.set_style(style);
        }
        Some(bar)
    } else {
        None
    };
    let progress = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let result = run(&config, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Ok(summary) => {
            if !quiet {
                eprintln!("{}", summary_line(&summary, &config.output));
            }
            if let Some((path, file)) = cpu_report_file.as_mut() {
                use std::io::Write;
                if let Err(e) = file.write_all(cpu_report(&summary).as_bytes()) {
                    // The tables are written: a lost report is a warning, not a failed run.
                    eprintln!("hustings: warning: cannot write the CPU report {}: {e}", path.display());
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // No run, no report: the empty file made before it goes.
            if let Some((path, _)) = cpu_report_file {
                let _ = std::fs::remove_file(path);
            }
            report(&e)
        }
    }
}
