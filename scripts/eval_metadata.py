#!/usr/bin/env python3
"""Title and author accuracy against a corpus whose index.jsonl carries gold
`title` and `byline` (the readability test pages).

A title counts as right when the gold title contains ours or ours contains
the gold (sites add " | Site" to <title>); an author when either contains
the other, ignoring case.

Usage: scripts/eval_metadata.py [CORPUS] [--bin target/release/hustings] [--show N]
"""

import argparse
import csv
import json
import pathlib
import subprocess
import sys
import tempfile


def norm(s):
    return " ".join((s or "").lower().split())


def main():
    here = pathlib.Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(here.parent / "shared/corpora/readability-testpages"))
    ap.add_argument("--bin", default=str(here / "target/release/hustings"))
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    corpus = pathlib.Path(args.corpus)
    csv.field_size_limit(sys.maxsize)
    gold = {}
    for line in open(corpus / "index.jsonl", encoding="utf-8"):
        rec = json.loads(line)
        gold[rec["id"]] = rec
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "out"
        subprocess.run([args.bin, "run", "--input", str(corpus / "pages"), "--output", str(out), "--format", "csv", "-q"], check=True)
        docs = {pathlib.Path(r["source_path"]).stem: r for r in csv.DictReader(open(out / "documents.csv", newline="", encoding="utf-8"))}
    t_ok = t_n = a_ok = a_n = 0
    misses = []
    for key, g in sorted(gold.items()):
        d = docs.get(key)
        if d is None:
            continue
        if g.get("title"):
            t_n += 1
            gt, ours = norm(g["title"]), norm(d["title"])
            if ours and (ours in gt or gt in ours):
                t_ok += 1
            else:
                misses.append((key, g["title"], d["title"]))
        if g.get("byline"):
            a_n += 1
            gb, ours = norm(g["byline"]), norm(d["author"])
            if ours and (ours in gb or gb in ours):
                a_ok += 1
    print(f"titles {t_ok}/{t_n} = {t_ok / max(t_n, 1):.2f}; authors {a_ok}/{a_n} = {a_ok / max(a_n, 1):.2f}")
    for key, g, ours in misses[: args.show]:
        print(f"  {key}: gold={g[:60]!r} ours={ours[:60]!r}")


if __name__ == "__main__":
    main()
