#!/usr/bin/env python3
"""Article-body quality against a corpus with human gold bodies.

Runs hustings on <corpus>/pages, then scores documents.body_text against
<corpus>/gold/<id>.txt with the article-extraction-benchmark's metric:
per page, the multisets of 4-word shingles (words = regex \\w+) give
true positives, false positives and false negatives, normalised to sum to
one; precision is averaged over pages that predicted something, recall over
pages whose gold is non-empty; F1 is computed from the two means.

Usage: scripts/eval_bodies.py [CORPUS] [--bin target/release/hustings] [--worst N]
"""

import argparse
import csv
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter

WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text, n=4):
    words = WORD.findall(text or "")
    if len(words) < n:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def page_score(gold, pred):
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp, fp, fn):
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def recall(tp, fp, fn):
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def main():
    here = pathlib.Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(here.parent / "shared/corpora/aeb-scrapinghub"))
    ap.add_argument("--bin", default=str(here / "target/release/hustings"))
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1")
    ap.add_argument("--whole-page", action="store_true", help="score the whole page text (baseline)")
    args = ap.parse_args()
    corpus = pathlib.Path(args.corpus)
    csv.field_size_limit(sys.maxsize)
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "out"
        subprocess.run([args.bin, "run", "--input", str(corpus / "pages"), "--output", str(out), "--format", "csv", "-q"], check=True)
        with open(out / "documents.csv", newline="", encoding="utf-8") as f:
            bodies = {pathlib.Path(r["source_path"]).stem: r["body_text"] for r in csv.DictReader(f)}
    scores = {}
    for gold_path in sorted((corpus / "gold").glob("*.txt")):
        key = gold_path.stem
        pred = (corpus / "pages" / gold_path.name).read_text(encoding="utf-8") if args.whole_page else bodies.get(key, "")
        scores[key] = page_score(gold_path.read_text(encoding="utf-8"), pred)
    p = statistics.mean(precision(*s) for s in scores.values() if s[0] + s[1] > 0)
    r = statistics.mean(recall(*s) for s in scores.values() if s[0] + s[2] > 0)
    f1 = 2 * p * r / (p + r)
    print(f"pages={len(scores)} precision={p:.4f} recall={r:.4f} F1={f1:.4f}")
    if args.worst:
        def pf(s):
            pp, rr = precision(*s), recall(*s)
            return 2 * pp * rr / (pp + rr) if pp + rr else 0.0
        for key, s in sorted(scores.items(), key=lambda kv: pf(kv[1]))[: args.worst]:
            print(f"  {key[:16]} P={precision(*s):.2f} R={recall(*s):.2f}")


if __name__ == "__main__":
    main()
