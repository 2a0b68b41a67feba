"""The Danish and the English edition of the published book, built together from one execution.

The published round is built once for the module (``councils.run.book(out=..., in_place=False)`` into a
temporary folder: ``<out>/da``, ``<out>/en`` and a root page that offers both, Danish first; stale chapters
are executed into the cache, never over ``chapters/``). The editions must have
the same pages, figures, section structure and numbers; the Danish one must hold no English prose and
write numbers the Danish way; each page must link to the same page in the other language; and each
edition's CSV downloads must read back as its readers' tools read them.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest

from councils.tables import frequency_table

PAGES = ["index", "1_introduction", "2_organisation", "3_influence", "4_conclusions", "appendix_methods",
         "appendix_questionnaire"]
# Common English words that Danish never uses (Danish shares 'for', 'at', 'to', 'by', 'have', 'i' ...).
ENGLISH = re.compile(r"\b(?:the|and|of|is|are|with|that|this|which|from|was|were|been|would|their|its|not|or|"
                     r"councils?|answers?|shares?|yes|no|round|figure|chapter|table|appendix)\b", re.I)
THEME_WORDS = ["Skip to main content", "Back to top", "On this page", "Color mode", "Link to this heading",
               "Toggle primary sidebar", "Toggle secondary sidebar", "aria-label=\"Main\"",
               "Site navigation", "Announcement", "Search this book"]


class _Reader(HTMLParser):
    """What a reader reads in the main content: text outside scripts, styles, charts and <code>."""

    SKIP = {"script", "style", "svg", "code"}

    def __init__(self):
        super().__init__()
        self.in_main = False  # the article itself: not the footer, whose build time differs by design
        self.skip = 0
        self.text: list[str] = []
        self.paragraphs: list[str] = []
        self.current: list[str] | None = None
        self.in_table = 0

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.in_main = True
        if tag in self.SKIP:
            self.skip += 1
        if tag == "table":
            self.in_table += 1
        if tag in ("p", "li") and self.current is None and not self.in_table and self.in_main:
            self.current = []

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_main = False
        if tag in self.SKIP:
            self.skip -= 1
        if tag == "table":
            self.in_table -= 1
        if tag in ("p", "li") and self.current is not None:
            self.paragraphs.append(" ".join("".join(self.current).split()))
            self.current = None

    def handle_data(self, data):
        if self.in_main and not self.skip:
            self.text.append(data)
            if self.current is not None:
                self.current.append(data)


def read(page: Path) -> _Reader:
    reader = _Reader()
    reader.feed(page.read_text(encoding="utf-8"))
    return reader


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from councils.run import book

    out = tmp_path_factory.mktemp("editions") / "html"
    book(out=out, in_place=False)
    return out


def page(site: Path, lang: str, name: str) -> Path:
    return site / lang / "chapters" / f"{name}.html"


def test_the_root_offers_both_editions_danish_first(site):
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Refresh"' not in root, "the root lets the reader choose; it sends nobody on"
    assert root.index('href="da/chapters/index.html"') < root.index('href="en/chapters/index.html"')
    assert '<link rel="alternate" hreflang="en" href="en/chapters/index.html">' in root


def test_both_editions_have_the_same_pages(site):
    pages = {lang: sorted(p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html")
                          if "_static" not in p.parts) for lang in ("da", "en")}
    assert pages["da"] == pages["en"]
    assert {f"chapters/{name}.html" for name in PAGES} <= set(pages["da"])


@pytest.mark.parametrize("name", PAGES)
def test_pages_say_their_language_and_link_to_the_other(site, name):
    for lang, other in (("da", "en"), ("en", "da")):
        text = page(site, lang, name).read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{lang}"', text), (lang, name)
        link = re.search(r'<a class="[^"]*councils-language[^"]*" href="([^"]+)"\s+hreflang="(\w+)"', text)
        assert link and link.group(2) == other, (lang, name)
        target = (page(site, lang, name).parent / link.group(1)).resolve()
        assert target == page(site, other, name).resolve() and target.is_file()


@pytest.mark.parametrize("name", PAGES)
def test_same_figures_and_sections_in_both_editions(site, name):
    def structure(lang: str):
        text = page(site, lang, name).read_text(encoding="utf-8")
        charts = len(re.findall(r'class="councils-chart"', text))
        figures = re.findall(r'<span class="caption-number">\w+ (\d+) </span>', text)
        sections = re.findall(r'<h[1-3][^>]*><span class="section-number">([\d.]+)', text)
        tables = len(re.findall(r'<table class="[^"]*councils-', text))
        return charts, figures, sections, tables

    assert structure("da") == structure("en")


@pytest.mark.parametrize("name", [p for p in PAGES if p != "appendix_questionnaire"])
def test_same_numbers_in_both_editions(site, name):
    """The prose of both editions shows the same numbers (the questionnaire is left out: the English
    edition shows each question in Danish and in English)."""
    def numbers(lang: str) -> list[int]:
        return sorted(int(n) for p in read(page(site, lang, name)).paragraphs for n in re.findall(r"\d+", p))

    en, da = numbers("en"), numbers("da")
    assert en and en == da


@pytest.mark.parametrize("name", PAGES)
def test_no_english_in_the_danish_main_text(site, name):
    text = " ".join(read(page(site, "da", name)).text)
    found = ENGLISH.findall(text)
    assert not found, found[:20]


def test_the_english_word_check_can_fail(site):
    """The English edition trips the check above, so its silence on the Danish one means something."""
    assert len(ENGLISH.findall(" ".join(read(page(site, "en", "2_organisation")).text))) > 50


@pytest.mark.parametrize("name", PAGES)
def test_the_themes_own_words_are_danish(site, name):
    text = page(site, "da", name).read_text(encoding="utf-8")
    assert not [w for w in THEME_WORDS if w in text]
    assert "Gå til hovedindholdet" in text


def test_danish_search_uses_the_danish_stemmer(site):
    assert "DanishStemmer" in (site / "da" / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "DanishStemmer" not in (site / "en" / "_static" / "language_data.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["2_organisation", "3_influence", "appendix_methods"])
def test_numbers_are_written_the_editions_way(site, name):
    da, en = " ".join(read(page(site, "da", name)).text), " ".join(read(page(site, "en", name)).text)
    assert re.search(r"\d\u00a0%", da) and not re.search(r"\d%", da)
    assert re.search(r"\d%", en) and not re.search(r"\d\u00a0%", en)


def downloads(path: Path) -> list[tuple[str, str]]:
    """(file name, decoded CSV text) of every data: download link on a page."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r'download="([^"]+)" href="data:text/csv;charset=utf-8,([^"]+)"', text)
    return [(name, urllib.parse.unquote(data)) for name, data in found]


def test_csv_downloads_read_back_as_each_editions_readers_read_them(site):
    table = frequency_table("2016")
    share = {(q, c): s for q, c, s in zip(table["question"], table["category"], table["share"])}
    danish, english = downloads(page(site, "da", "2_organisation")), downloads(page(site, "en", "2_organisation"))
    assert len(danish) == len(english) == 6
    for (da_name, da_text), (en_name, en_text) in zip(danish, english):
        assert da_name.startswith("figur-") and en_name.startswith("figure-")
        # Danish Excel: a byte-order mark, semicolons, decimal commas, Danish headers; codes in their own columns
        assert da_text.startswith("\ufeff") and not en_text.startswith("\ufeff")
        da_rows = list(csv.DictReader(io.StringIO(da_text.lstrip("\ufeff")), delimiter=";"))
        en_rows = list(csv.DictReader(io.StringIO(en_text)))
        assert len(da_rows) == len(en_rows) > 0
        assert list(da_rows[0])[:5] == ["Spørgsmål", "Svar", "Antal råd", "Besvarende råd", "Andel"]
        assert list(da_rows[0])[-2:] == ["Spørgsmålskode", "Svarkode"]
        for d, e in zip(da_rows, en_rows):
            assert (d["Spørgsmålskode"], d["Svarkode"], d["Antal råd"]) == (e["question"], e["category"], e["count"])
            exact = share[(e["question"], e["category"])]
            # the share as the table shows it, and the exact value beside it
            assert d["Andel"] == f"{round(100 * exact)}\u00a0%" and e["share_shown"] == f"{round(100 * exact)}%"
            assert "," in d["Andel, præcis"] or d["Andel, præcis"] in ("0", "1")
            assert float(d["Andel, præcis"].replace(",", ".")) == float(e["share"]) == pytest.approx(exact, rel=1e-12)
    labels = [row["Svar"] for _, text in danish for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")),
                                                                          delimiter=";")]
    assert "Repræsentant for en forening" in labels and "Represents an association" not in labels
