#!/usr/bin/env python3
"""End-to-end benchmark: hustings against two references on the same files.

For each corpus size (default 200 MB and 20 MB, generated deterministically
from seeds/ by `gen-corpus`), runs, REPEAT times each, under /usr/bin/time:

  hustings    the full pipeline, all tables, CSV and Parquet
  floor       the shared ruler ../shared/bench/floor: UAX #29 words,
              lower-cased, counted per document and over the corpus with
              rayon, two Parquet tables (built here into target/bench/floor)
  duckdb      the shared ruler ../shared/bench/duckdb_sql.py: the same count
              in DuckDB SQL, two Parquet tables

(without ../shared/bench, the floor is crates/bench's bare-count and DuckDB
runs the SQL below), alternating, and reports medians of wall time, MB/s,
documents/s, CPU seconds and peak resident memory, plus the ratios the
targets are stated in. hustings also runs with --threads 1 (when THREADS >
1), for the speedup from one thread to THREADS, and writes a CPU report per
run (--cpu-report): each thread's CPU seconds and each table file's writer's
(a lane: its blocks written one after the other on the workers). Both are
serial: the main thread (it puts the parts in order and adds up the
vocabulary) by Amdahl's law, the largest lane as a cap on the speed-up
(1 / its share), so the report projects both to 16 and 64 cores.
Writes target/bench/report.md and report.json.

Usage: scripts/bench.py [--mb 200,20] [--repeat 3] [--threads N]
"""

import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORK = ROOT / "target" / "bench"
RELEASE = ROOT / "target" / "release"
SHARED = ROOT.parent / "shared" / "bench"

DUCKDB_SQL = """
SET threads = {threads};
COPY (
    SELECT filename AS path, term, count(*) AS count
    FROM (SELECT filename, unnest(regexp_extract_all(lower(content), '[\\p{{L}}\\p{{N}}_]+')) AS term
          FROM read_text('{input}/**/*.txt'))
    GROUP BY ALL
) TO '{output}/doc_counts.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (
    SELECT term, sum(count) AS count FROM read_parquet('{output}/doc_counts.parquet') GROUP BY term ORDER BY term
) TO '{output}/corpus_counts.parquet' (FORMAT parquet, COMPRESSION zstd);
"""


def timed(cmd, env=None):
    """Run cmd under GNU time; return wall, cpu seconds and peak RSS in MB."""
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{out.stderr[-2000:]}")
    field = lambda name: re.search(rf"{name}: (.+)", out.stderr).group(1).strip()
    wall = field(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\)")
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(field("User time \\(seconds\\)")) + float(field("System time \\(seconds\\)"))
    rss_mb = int(field("Maximum resident set size \\(kbytes\\)")) / 1024
    return {"seconds": seconds, "cpu": cpu, "rss_mb": rss_mb}


def thread_shares(report_path):
    """CPU seconds of the main thread, of the workers and of the largest
    writer lane (part of the workers'), from a --cpu-report file."""
    threads = json.loads(pathlib.Path(report_path).read_text())["threads"]
    workers = sum(t["cpu_seconds"] for t in threads if t["name"].startswith("hustings-w"))
    main = sum(t["cpu_seconds"] for t in threads if not t["name"].startswith("hustings-w"))
    lanes = json.loads(pathlib.Path(report_path).read_text()).get("writers", [])
    top = max(lanes, key=lambda w: w["cpu_seconds"], default={"file": "-", "cpu_seconds": 0.0})
    return {
        "main_cpu": main,
        "worker_cpu": workers,
        "n_workers": sum(t["name"].startswith("hustings-w") for t in threads),
        "lane_cpu": top["cpu_seconds"],
        "lane_file": top["file"],
    }


def amdahl(serial, cores):
    return 1 / (serial + (1 - serial) / cores)


def floor():
    """The shared floor program, built once into target/bench/floor; None without ../shared/bench."""
    src = SHARED / "floor"
    if not (src / "Cargo.toml").exists():
        return None
    dst = WORK / "floor"
    binary = dst / "target" / "release" / "limit"
    if not binary.exists():
        subprocess.run(["rm", "-rf", str(dst)], check=True)
        subprocess.run(["cp", "-r", str(src), str(dst)], check=True)
        subprocess.run(["chmod", "-R", "u+w", str(dst)], check=True)
        # Its own workspace, not a member of ours.
        with open(dst / "Cargo.toml", "a") as f:
            f.write("\n[workspace]\n")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=dst, check=True)
    return binary


def corpus(mb):
    path = WORK / f"corpus-{mb}mb"
    subprocess.run([RELEASE / "gen-corpus", "--seeds", ROOT / "seeds", "--out", path, "--mb", str(mb)], check=True)
    files = [p for p in path.rglob("*.txt")]
    return path, len(files), sum(p.stat().st_size for p in files)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", default=os.environ.get("BENCH_MB", "200,20"))
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")))
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    results = []
    limit = floor()
    shared_sql = SHARED / "duckdb_sql.py"
    for mb in [int(x) for x in args.mb.split(",")]:
        path, n_docs, n_bytes = corpus(mb)
        out = WORK / f"out-{mb}mb"
        sql = WORK / f"count-{mb}mb.sql"
        sql.write_text(DUCKDB_SQL.format(threads=args.threads, input=path, output=out / "duckdb"))
        tools = {
            "hustings": [RELEASE / "hustings", "run", "-q", "--threads", str(args.threads), "--input", path, "--output", out / "hustings"],
            "hustings-1t": [RELEASE / "hustings", "run", "-q", "--threads", "1", "--input", path, "--output", out / "hustings-1t"],
            "floor": [limit, path, out / "floor"]
            if limit
            else [RELEASE / "bare-count", "--threads", str(args.threads), "--input", path, "--output", out / "floor"],
            "duckdb": [python, shared_sql, path, out / "duckdb", "--threads", str(args.threads)]
            if shared_sql.exists()
            else [python, "-c", f"import duckdb, pathlib; pathlib.Path({str(out / 'duckdb')!r}).mkdir(parents=True, exist_ok=True); duckdb.connect().execute(open({str(sql)!r}).read())"],
        }
        if args.threads <= 1:
            del tools["hustings-1t"]
        runs = {name: [] for name in tools}
        for i in range(args.repeat):
            for name, cmd in tools.items():
                cpu_report = WORK / f"cpu-{mb}mb-{name}-{i}.json"
                extra = ["--cpu-report", cpu_report] if name.startswith("hustings") else []
                r = timed([str(c) for c in [*cmd, *extra]])
                if extra:
                    r.update(thread_shares(cpu_report))
                runs[name].append(r)
        for name, rs in runs.items():
            med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
            med.update(tool=name, mb=mb, bytes=n_bytes, docs=n_docs, runs=len(rs))
            med["mb_per_s"] = n_bytes / 1e6 / med["seconds"]
            med["docs_per_s"] = n_docs / med["seconds"]
            results.append(med)
    lines = [
        f"Machine: {os.cpu_count()} cores; threads {args.threads}; medians of {args.repeat} run(s), the tools alternating.",
        f"Floor: {'../shared/bench/floor' if limit else 'bare-count (no ../shared/bench)'}; DuckDB: {'../shared/bench/duckdb_sql.py' if shared_sql.exists() else 'scripts/bench.py SQL'}.",
        "",
        "| corpus | tool | wall s | MB/s | docs/s | CPU s | peak RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['mb']} MB ({r['docs']} pages) | {r['tool']} | {r['seconds']:.2f} | {r['mb_per_s']:.1f} | {r['docs_per_s']:.0f} | {r['cpu']:.1f} | {r['rss_mb']:.0f} |")
    lines.append("")
    for r in results:
        if "main_cpu" not in r:
            continue
        total = r["main_cpu"] + r["worker_cpu"]
        serial = r["main_cpu"] / total if total else 0.0
        lane = r["lane_cpu"] / total if total else 0.0
        r["serial_share"] = serial
        r["lane_share"] = lane
        cap = 1 / lane if lane else float("inf")
        lines.append(
            f"- {r['mb']} MB, {r['tool']}: CPU s by thread: main {r['main_cpu']:.1f}, "
            f"{r['n_workers']:.0f} workers {r['worker_cpu']:.1f}; main thread's share {serial:.1%} (target ≤ 5%); "
            f"largest writer lane {r['lane_file']} {r['lane_cpu']:.1f} s, {lane:.1%}; "
            f"at most {min(amdahl(serial, 16), cap):.1f}× one core's speed on 16 cores, {min(amdahl(serial, 64), cap):.1f}× on 64 "
            f"(Amdahl on the main thread's share, capped at 1 / the lane's share = {cap:.0f}×)."
        )
    by = {(r["mb"], r["tool"]): r for r in results}
    for mb in sorted({r["mb"] for r in results}, reverse=True):
        if (mb, "hustings-1t") in by:
            one, many = by[(mb, "hustings-1t")], by[(mb, "hustings")]
            lines.append(f"- {mb} MB: hustings --threads {args.threads} is {one['seconds'] / many['seconds']:.2f}× as fast as --threads 1 (target ≥ 1.8× on 2 cores).")
    lines.append("")
    for mb in sorted({r["mb"] for r in results}, reverse=True):
        h, b, d = by[(mb, "hustings")], by[(mb, "floor")], by[(mb, "duckdb")]
        lines.append(f"- {mb} MB: hustings / floor throughput = {h['mb_per_s'] / b['mb_per_s']:.2f}× (target ≥ 0.3×); hustings / DuckDB = {h['mb_per_s'] / d['mb_per_s']:.2f}× (target ≥ 1.5×); hustings peak memory {h['rss_mb']:.0f} MB (target ≤ 300 MB).")
    sizes = sorted({r["mb"] for r in results})
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for tool in ("hustings", "floor", "duckdb"):
            s, l = by[(small, tool)], by[(large, tool)]
            lines.append(f"- {tool}: {large} MB takes {l['seconds'] / s['seconds']:.1f}× the time of {small} MB ({large / small:.0f}× the data); peak memory {s['rss_mb']:.0f} → {l['rss_mb']:.0f} MB.")
    report = "\n".join(lines) + "\n"
    (WORK / "report.md").write_text(report)
    (WORK / "report.json").write_text(json.dumps(results, indent=2) + "\n")
    print(report)


if __name__ == "__main__":
    main()
