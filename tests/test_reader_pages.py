"""Nothing odd on a reader's page: no path of this repository, no doubled full stop, no literal backslash
escape, no unmatched quotation mark, and one quotation style per language.

Every HTML page of the published (2016) book is read as a reader sees it: the text of the page's
body, without scripts, styles and drawings, block by block (a paragraph, a list item, a heading, a
table cell, the footer). The books of other rounds are read the same way in test_round_books.py,
with ``page_problems`` from here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

# A path of this repository or of the project around it, or a file name of its kinds.
REPOSITORY_PATH = re.compile(
    r"(?<![\w/.-])(?:councils|data|chapters|tests|shared|docs|benchmarks|_build|_static|seeds)/[\w./-]+"
    r"|\b(?!datapackage\.json\b)[\w-]+\.(?:py|ya?ml|csv|md|ipynb|txt|cff|json)\b")
# datapackage.json is the name the Frictionless standard gives a data package's description: a download the
# pages offer by that name, not a path of the repository.
DOUBLED_FULL_STOP = re.compile(r"(?<![.…])\.\s?\.(?![.…])")
BACKSLASH = re.compile(r"\\")
# (opening, closing) quotation marks by language: Danish »…« (inner ›…‹), English “…” (inner ‘…’ is an
# apostrophe's twin, so single marks are not paired).
PAIRS = {"da": [("\u00bb", "\u00ab"), ("\u203a", "\u2039")], "en": [("\u201c", "\u201d")]}
FOREIGN = {"da": "\u201c\u201d\u201e", "en": "\u00bb\u00ab"}
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "caption", "figcaption", "dt", "dd", "title", "summary",
          "div"}


class _Blocks(HTMLParser):
    """The text a reader sees, one string per innermost block element."""

    SKIP = {"script", "style", "svg", "noscript", "template", "math"}

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.stack: list[list[str]] = []
        self.blocks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in BLOCKS and not self.skip:
            self.stack.append([])

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS and not self.skip and self.stack:
            text = " ".join("".join(self.stack.pop()).split())
            if text:
                self.blocks.append(text)

    def handle_data(self, data):
        if not self.skip and self.stack:
            self.stack[-1].append(data)


def blocks(page: Path) -> list[str]:
    parser = _Blocks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.blocks


def unmatched(text: str, lang: str) -> str | None:
    """The first quotation mark of ``text`` that opens without closing or closes without opening, or None."""
    for opening, closing in PAIRS[lang]:
        depth = 0
        for char in text:
            if char == opening:
                if depth:
                    return f"{opening} inside an open {opening}…{closing}"
                depth += 1
            elif char == closing:
                if not depth:
                    return f"{closing} with no {opening} before it"
                depth -= 1
        if depth:
            return f"{opening} never closed"
    return None


def page_problems(site: Path, lang: str) -> list[str]:
    """Every odd thing on the pages of one edition's site, as 'page: what: the text around it'."""
    problems = []
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and p.name != "genindex.html")
    assert pages, f"no pages under {site}"
    for page in pages:
        name = page.relative_to(site).as_posix()
        for text in blocks(page):
            for what, pattern in (("a repository path", REPOSITORY_PATH), ("a doubled full stop", DOUBLED_FULL_STOP),
                                  ("a literal backslash", BACKSLASH)):
                for hit in pattern.finditer(text):
                    problems.append(f"{name}: {what} {hit.group()!r}: {text[max(0, hit.start() - 60):hit.end() + 40]}")
            why = unmatched(text, lang)
            if why:
                problems.append(f"{name}: an unmatched quotation mark ({why}): {text[:160]}")
    return problems


def foreign_quotes(site: Path, lang: str) -> list[str]:
    """Blocks that use the other language's quotation marks (Danish pages: only »…«)."""
    found = []
    for page in sorted(p for p in site.rglob("*.html") if "_static" not in p.parts):
        for text in blocks(page):
            if any(mark in text for mark in FOREIGN[lang]):
                found.append(f"{page.relative_to(site).as_posix()}: {text[:160]}")
    return found


# --- the checks can fail ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,lang,finds", [
    ("Its source: as shared/seeds/000_d8a95c3387766a04.txt..", "en", ["a repository path", "a doubled full stop"]),
    ("computed in councils/wording.py from data/codebook.yaml", "en", ["a repository path"]),
    ("Data: round.yaml sha256 737e3e8aae74", "en", ["a repository path"]),
    ("made up at random. .", "en", ["a doubled full stop"]),
    ("Første linje\\nanden linje", "da", ["a literal backslash"]),
    ("Tal og navneord følges ad («1 råd svarer«, »5 råd svarer«)", "da", ["an unmatched quotation mark"]),
    ("the most common answer is “Other (16 of 30)", "en", ["an unmatched quotation mark"]),
])
def test_the_checks_find_what_the_reading_found(tmp_path, text, lang, finds):
    (tmp_path / "page.html").write_text(f"<html><body><main><p>{text}</p></main></body></html>", encoding="utf-8")
    found = page_problems(tmp_path, lang)
    assert sorted({f.split(": ", 1)[1].split(" '")[0].split(" (")[0] for f in found}) == sorted(finds), found


@pytest.mark.parametrize("text,lang", [
    ("Round 2016 (Survey of the local integration councils, 2016). The report says (…) more. Etc.", "en"),
    ("Svarene »ofte« og »af og til« (»meget eller overvejende tilfredsstillende«).", "da"),
    ("“The municipality should expect something of us,” as one said; the council’s work.", "en"),
    ("Download this table as CSV; section 42(2); 21 November 2017…", "en"),
])
def test_the_checks_pass_ordinary_text(tmp_path, text, lang):
    (tmp_path / "page.html").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    assert page_problems(tmp_path, lang) == []


def test_script_and_attribute_text_is_not_read(tmp_path):
    (tmp_path / "page.html").write_text(
        '<html><body><script>var a = "x\\n" + "councils/x.py";</script>'
        '<a href="figure-1.csv" title="data/x.csv">Download this table as CSV</a></body></html>', encoding="utf-8")
    assert page_problems(tmp_path, "en") == []


# --- the published book -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The published site, built into a fresh folder (executed chapters are reused)."""
    from councils.run import book

    out = tmp_path_factory.mktemp("reader-pages") / "html"
    book(out=out)
    return out


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_page_of_the_published_book_has_anything_odd(site, lang):
    problems = page_problems(site / lang, lang)
    assert not problems, "\n".join(problems)


def test_danish_pages_quote_only_with_guillemets(site):
    found = foreign_quotes(site / "da", "da")
    assert not found, "\n".join(found)


def test_english_pages_quote_only_with_english_marks(site):
    found = foreign_quotes(site / "en", "en")
    assert not found, "\n".join(found)
