//! Write a deterministic seed-like corpus: `gen-corpus --seeds DIR --out DIR --mb N [--seed S]`.
//!
//! Pages go into folders of 1,000 (`00000/page-0000000.txt`…) until the
//! corpus holds N MB (10^6 bytes). A file `.complete` records the arguments
//! last, so a half-written corpus is never mistaken for a finished one.

use std::path::PathBuf;
use std::process::ExitCode;

use hustings_bench::corpus::{Material, Rng, page};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            ExitCode::from(1)
        }
    }
}

fn run() -> Result<(), String> {
    let (mut seeds, mut out, mut mb, mut seed) = (PathBuf::from("seeds"), None, 200u64, 1u64);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--seeds" => seeds = PathBuf::from(value()?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--mb" => mb = value()?.parse().map_err(|e| format!("--mb: {e}"))?,
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => return Err(format!("unknown argument {other:?} (usage: gen-corpus --seeds DIR --out DIR --mb N [--seed S])")),
        }
    }
    let out = out.ok_or("missing --out DIR")?;
    let stamp = format!("generator={} seeds={} mb={mb} seed={seed}\n", env!("CARGO_PKG_VERSION"), seeds.display());
    if std::fs::read_to_string(out.join(".complete")).is_ok_and(|s| s == stamp) {
        eprintln!("gen-corpus: {} is already that corpus", out.display());
        return Ok(());
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .map_err(|e| format!("{}: {e}", seeds.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let pages: Vec<String> = names
        .iter()
        .map(|p| std::fs::read(p).map(|b| String::from_utf8_lossy(&b).into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let material = Material::from_seeds(&pages);
    if material.sentences.is_empty() {
        return Err(format!("{}: no prose found in the seeds", seeds.display()));
    }
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let target = mb * 1_000_000;
    let mut rng = Rng::new(seed);
    let (mut written, mut i) = (0u64, 0usize);
    while written < target {
        let dir = out.join(format!("{:05}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let bytes = page(&mut rng, &material, i);
        let path = dir.join(format!("page-{i:07}.txt"));
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        written += bytes.len() as u64;
        i += 1;
    }
    std::fs::write(out.join(".complete"), stamp).map_err(|e| e.to_string())?;
    eprintln!("gen-corpus: {i} pages, {written} bytes in {}", out.display());
    Ok(())
}
