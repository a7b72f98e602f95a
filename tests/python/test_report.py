"""The report in a real browser: headless Chromium renders the report of the
committed seeds tables and of a fixture corpus (the layout zoo, whose gold
files are listed as skipped), with no console message; every plot is an SVG
whose marks (bars, points) number what the tables say; the run's figures in
the page equal the tables'. Skipped, saying so, where no Chromium is installed
(Debian package `chromium`; .ci/run installs it).
"""

import html.parser
import os
import pathlib
import shutil
import subprocess

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / "target" / "release" / "hustings"
CHROMIUM = shutil.which(os.environ.get("CHROMIUM", "chromium"))
MARK = "#3B82C4"  # hustings_report::MARK_HEX

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium here (Debian package chromium; .ci/run installs it): the report's browser test is skipped",
)


def render(page):
    """The DOM after the page's script ran, and the browser's console lines."""
    out = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )
    console = [line for line in out.stderr.splitlines() if "CONSOLE" in line]
    return out.stdout, console


class Dom(html.parser.HTMLParser):
    """Figures with their declared and drawn marks; the run's figures; scripts and links."""

    def __init__(self):
        super().__init__()
        self.figures, self.values, self.external = {}, {}, []
        self.figure, self.svgs, self.value = None, 0, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self.figure = a["id"]
            self.figures[self.figure] = {"declared": int(a["data-marks"]), "drawn": 0, "svg": 0}
        elif tag == "svg" and self.figure:
            self.figures[self.figure]["svg"] += 1
        elif tag in ("rect", "circle") and self.figure and a.get("fill", "").upper() == MARK:
            self.figures[self.figure]["drawn"] += 1
        elif tag == "dd" and "data-figure" in a:
            self.values[a["data-figure"]] = int(a["data-v"])
        if tag in ("link", "img", "iframe") or (tag == "script" and "src" in a):
            self.external.append((tag, a))

    def handle_endtag(self, tag):
        if tag == "figure":
            self.figure = None


def span(con, sql):
    """Bars of a time chart: months from the first to the last, or years past 120 months."""
    first, last = con.execute(sql).fetchone()
    if first is None:
        return 0
    months = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1
    return months if months <= 120 else last.year - first.year + 1


def expected(tables):
    con = duckdb.connect()
    t = lambda name: f"read_parquet('{tables / (name + '.parquet')}')"
    one = lambda sql: con.execute(sql).fetchone()[0]
    docs, comments = one(f"SELECT count(*) FROM {t('documents')}"), one(f"SELECT count(*) FROM {t('comments')}")
    values = {
        "documents": docs,
        "comments": comments,
        "tokens": one(f"SELECT (SELECT coalesce(sum(n_tokens), 0) FROM {t('documents')}) + (SELECT coalesce(sum(n_tokens), 0) FROM {t('comments')})"),
        "errors": one(f"SELECT count(*) FROM {t('errors')}"),
        "bytes": one(f"SELECT coalesce(sum(source_bytes), 0) FROM {t('documents')}"),
        "files": one(f"SELECT count(DISTINCT p) FROM (SELECT source_path AS p FROM {t('documents')} UNION ALL SELECT source_path FROM {t('errors')})"),
    }
    distinct = lambda table, col: one(f"SELECT count(DISTINCT coalesce({col}, 'unsure')) FROM {t(table)}")
    any_of = lambda table, col, n: n if one(f"SELECT count({col}) FROM {t(table)}") else 0
    marks = {
        "fig-documents-by-month": span(con, f"SELECT min(published_date), max(published_date) FROM {t('documents')}"),
        "fig-comments-by-month": span(con, f"SELECT min(posted_at), max(posted_at) FROM {t('comments')}"),
        "fig-comments-per-document": 8 if docs else 0,
        "fig-depth": min(one(f"SELECT max(depth) FROM {t('comments')}"), 10) + 1 if comments else 0,
        "fig-comment-length": 7 if comments else 0,
        "fig-document-languages": distinct("documents", "language") if docs else 0,
        "fig-comment-languages": distinct("comments", "language") if comments else 0,
        "fig-flesch-documents": any_of("documents", "flesch_reading_ease", 12),
        "fig-flesch-comments": any_of("comments", "flesch_reading_ease", 12),
        "fig-mattr-documents": any_of("documents", "mattr", 10),
        "fig-mattr-comments": any_of("comments", "mattr", 10),
        "fig-key-body": min(15, one(f"SELECT count(*) FROM {t('keyness')} WHERE key_for = 'body'")),
        "fig-key-comment": min(15, one(f"SELECT count(*) FROM {t('keyness')} WHERE key_for = 'comment'")),
        "fig-boilerplate": one(f"SELECT count(DISTINCT rule) FROM {t('boilerplate')}"),
        "fig-edits": one(f"SELECT count(DISTINCT kind) FROM {t('edits')}"),
        "fig-errors": one(f"SELECT count(DISTINCT kind) FROM {t('errors')}"),
    }
    return values, marks


def check(tables, page):
    dom, console = render(page)
    assert console == [], f"console messages: {console}"
    parsed = Dom()
    parsed.feed(dom)
    assert parsed.external == [], f"the page loads something: {parsed.external}"
    values, marks = expected(tables)
    assert parsed.values == values
    for fig, want in marks.items():
        got = parsed.figures[fig]
        assert got["declared"] == want, f"{fig}: declares {got['declared']} marks, the tables give {want}"
        assert got["drawn"] == want, f"{fig}: draws {got['drawn']} marks, the tables give {want}"
        assert got["svg"] == (1 if want else 0), f"{fig}: {got['svg']} SVGs"
    growth = parsed.figures["fig-growth"]
    assert growth["drawn"] == growth["declared"] and (growth["drawn"] > 1) == (values["tokens"] > 0)
    return parsed


def test_the_committed_report_renders_and_agrees_with_the_tables():
    data = ROOT / "data"
    parsed = check(data, data / "report.html")
    assert parsed.figures["fig-boilerplate"]["drawn"] > 5


def test_a_fixture_corpus_report_renders_and_agrees_with_the_tables(tmp_path):
    tables = tmp_path / "zoo"
    subprocess.run([BIN, "run", "-q", "--input", ROOT / "tests/fixtures/zoo", "--output", tables], check=True)
    page = tmp_path / "zoo.html"
    subprocess.run([BIN, "report", "--tables", tables, "--output", page], check=True)
    parsed = check(tables, page)
    # The zoo's gold files are listed as skipped: the errors chart has a bar.
    assert parsed.figures["fig-errors"]["drawn"] >= 1
    assert parsed.values["documents"] == 29
