"""Books built from rounds unlike 2016: every sentence holds for their data, and nothing of 2016 is left.

Three rounds are built once for the module, with ``python -m councils run`` into pytest's temporary
folder (the repository's data and sites are never touched):

- ``lone``: one responding council, a round.yaml with only the required fields, not fictional, no
  earlier round, no commentary, and a free-text answer that tries to be HTML and MyST;
- ``all98``: 98 councils that all gave the same answers, fictional, compared with 2016, free text
  withheld, no commentary;
- ``example``: the repository's fictional example round, with its own commentary.

Each page is read as a reader sees it (the text of its paragraphs and list items), and every number
in a finding's sentences is checked against the table entry its words name (tests/sentence_map.py).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from councils.codebook import load_codebook
from councils.rounds import load_round
from councils.tables import frequency_table
from councils.validate import option_column, response_columns
from tests.conftest import csv_text
from tests.sentence_map import claimed, question_patterns

REPO = Path(__file__).resolve().parent.parent
EXECUTED = REPO / "_build" / "cache" / "executed"
HOSTILE_TEXT = '<script>alert("x")</script> **bold** {glue:text}`round.round` [link](http://example.org)'
PAGES = ["index", "1_introduction", "2_organisation", "3_influence", "4_conclusions", "appendix_methods",
         "appendix_questionnaire"]
# Where the findings that set two questions side by side stand (written by hand from the chapters), and a phrase
# that only their sentences hold; every other question's sentence is found by its own lead phrase (sentence_map).
PAIR_SECTIONS = {
    ("index", "key-findings"): ["key_findings"],
    ("3_influence", "contact-with-officials-and-politicians"): ["contacts"],
    ("3_influence", "cooperation-with-the-municipality"): ["cooperation"],
    ("3_influence", "cooperation-with-the-council-for-ethnic-minorities"): ["rem"],
    ("4_conclusions", "what-the-survey-shows"): ["summary"],
}
ANCHORS = {
    "key_findings": r"responding council", "summary": r"responding council",
    "contacts": r"appointed officials to handle", "cooperation": r"cooperation with the municipal board very",
    "rem": r"\(REM\) well",
}


# ---------------------------------------------------------------------------------------------------
# Reading a page as a reader does


class _Text(HTMLParser):
    """Text of the main content's paragraphs and list items, by section id; figures, tables, code skipped."""

    SKIP = {"script", "style", "figure", "table", "details", "svg", "nav"}

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.sections: list[str] = []
        self.blocks: list[tuple[str, str]] = []  # (innermost section id, text)
        self.current: list[str] | None = None
        self.in_main = False
        self.depth: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main = True
        if tag in self.SKIP:
            self.skip += 1
        if tag == "section":
            self.sections.append(a.get("id", ""))
        if tag in ("p", "li", "h1", "h2") and not self.skip and self.in_main and self.current is None:
            self.current, self.depth = [], [tag]
        elif self.current is not None and tag in ("p", "li"):
            self.depth.append(tag)

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip -= 1
        if tag == "section" and self.sections:
            self.sections.pop()
        if tag == "main":
            self.in_main = False
        if self.current is not None and tag in ("p", "li", "h1", "h2"):
            self.depth.pop()
            if not self.depth:
                self.blocks.append((self.sections[-1] if self.sections else "", " ".join("".join(self.current).split())))
                self.current = None

    def handle_data(self, data):
        if self.current is not None and not self.skip:
            self.current.append(data)


def page_blocks(site: Path, page: str) -> list[tuple[str, str]]:
    parser = _Text()
    parser.feed((site / "chapters" / f"{page}.html").read_text(encoding="utf-8"))
    return parser.blocks


def book_text(site: Path) -> str:
    return "\n".join(text for page in sorted((site / "chapters").glob("*.html"))
                     for _, text in page_blocks(site, page.stem))


def footer(site: Path, page: str) -> str:
    text = (site / "chapters" / f"{page}.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", text.split('<footer class="bd-footer-content')[1])
    return " ".join(html.unescape(text).split())


# ---------------------------------------------------------------------------------------------------
# The rounds and their books


def uniform_rows(n: int) -> list[dict[str, str]]:
    """``n`` councils that all gave the first answer of every question (and the first allowed options)."""
    row = {}
    for q in load_codebook().questions:
        if q.type == "single_choice":
            row[q.id] = q.option_codes[0]
        elif q.type == "multiple_choice":
            chosen = q.option_codes[: q.max_answers or len(q.option_codes)]
            row |= {option_column(q, c): "1" if c in chosen else "0" for c in q.option_codes}
        else:
            row[q.id] = "Samme svar"
    return [{"respondent_id": f"c{i:03d}", **row} for i in range(n)]


def write(folder: Path, meta: dict, rows: list[dict[str, str]]) -> None:
    folder.mkdir(parents=True)
    (folder / "round.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    (folder / "responses.csv").write_text(csv_text(response_columns(load_codebook()), rows), encoding="utf-8")


@dataclass(frozen=True)
class Book:
    round: str
    site: Path  # the English edition
    rounds: Path
    stdout: str
    stderr: str

    @property
    def site_da(self) -> Path:
        return self.site.parent / "da"

    @property
    def table(self):
        return frequency_table(load_round(self.round, self.rounds))


def councils(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "councils", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, check=False, timeout=900)


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("books") / "rounds"
    shutil.copytree(REPO / "data" / "rounds" / "2016", base / "2016")
    shutil.copytree(REPO / "data" / "rounds" / "example", base / "example")
    lone = uniform_rows(1)
    lone[0]["focus_areas_other_text"] = HOSTILE_TEXT
    write(base / "lone", {"round": "lone", "title_en": "One council", "title_da": "Ét råd", "fictional": False,
                          "data": "responses", "councils_asked": 3, "source": "written for the tests of round books"},
          lone)
    write(base / "all98", {"round": "all98", "title_en": "Ninety-eight alike", "title_da": "Ens", "fictional": True,
                           "data": "responses", "councils_asked": 98, "councils_existing": 98, "municipalities": 98,
                           "responses": 98, "follow_up_interviews": 0, "previous_round": "2016",
                           "withhold_free_text": True, "source": "written for the tests of round books"},
          uniform_rows(98))
    yield base
    for path in EXECUTED.glob("*.ipynb") if EXECUTED.exists() else []:
        if str(base) in path.read_text(encoding="utf-8", errors="replace"):
            path.unlink(missing_ok=True)


def build(rounds: Path, round_id: str) -> Book:
    """Both editions of a round, as `run` builds them by default: <site>/da and <site>/en."""
    site = rounds.parent / "sites" / round_id
    result = councils("run", "--round", round_id, "--data", rounds, "--out", site)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return Book(round_id, site / "en", rounds, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def lone(rounds) -> Book:
    return build(rounds, "lone")


@pytest.fixture(scope="module")
def all98(rounds) -> Book:
    return build(rounds, "all98")


@pytest.fixture(scope="module")
def example(rounds) -> Book:
    return build(rounds, "example")


BOOKS = ["lone", "all98", "example"]


@pytest.fixture(params=BOOKS)
def book(request) -> Book:
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------------------------------------------
# Nothing of 2016 is left


def commentary_sentences(round_id: str, lang: str = "en") -> list[str]:
    """The plain sentences of a round's commentary (those holding roles or markup are left out)."""
    text = (REPO / "data" / "rounds" / round_id / "commentary" / f"{lang}.md").read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"^(?::::.*|:claim:.*|#.*|- )$|^- ", " ", text, flags=re.M)
    sentences = re.split(r"(?<=[.;:])\s+|(?<=[.;:][\u201d\u00ab])\s+", " ".join(text.split()))
    return [s for s in sentences if len(s.split()) >= 6 and not re.search(r"[{}`*\[\]]", s)]


def test_the_2016_sentences_looked_for_are_in_the_2016_book():
    """The check below can fail: the sentences it looks for are ones the committed 2016 chapters show."""
    shown = " ".join(" ".join("".join(o.get("data", {}).get("text/markdown", "")).split())
                     for path in (REPO / "chapters").glob("*.ipynb")
                     for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
                     for o in cell.get("outputs", []))
    for lang in ("en", "da"):
        sentences = commentary_sentences("2016", lang)
        assert len(sentences) > 40
        assert sum(s in shown for s in sentences) == len(sentences), [s for s in sentences if s not in shown]


@pytest.mark.parametrize("name", BOOKS)
@pytest.mark.parametrize("lang", ["en", "da"])
def test_no_sentence_of_2016s_commentary_appears(request, name, lang):
    book = request.getfixturevalue(name)
    text = book_text(book.site if lang == "en" else book.site_da)
    found = [s for s in commentary_sentences("2016", lang) if s in text]
    assert not found, found


@pytest.mark.parametrize("name", ["lone", "all98"])
@pytest.mark.parametrize("lang,says", [
    ("en", "The round had no follow-up interviews and comes with no commentary"),
    ("da", "Runden havde ingen opfølgende interviews og ledsages ikke af kommentarer"),
])
def test_a_round_without_interviews_says_so_once_and_mentions_none(request, name, lang, says):
    book = request.getfixturevalue(name)
    text = book_text(book.site if lang == "en" else book.site_da)
    assert len(re.findall(r"interview", text, re.I)) == 1, re.findall(r"[^.]*interview[^.]*", text, re.I)
    assert says in text


@pytest.mark.parametrize("name", BOOKS)
def test_front_matter_is_the_rounds(request, name):
    book = request.getfixturevalue(name)
    meta = load_round(book.round, book.rounds).meta
    text = book_text(book.site)
    for page in PAGES:
        bottom = footer(book.site, page)
        assert f"Round {book.round}" in bottom, page
        edition = "this edition: contributors to the executable edition"
        if meta["fictional"]:
            assert f"Findings: none, the round's data are fictional; {edition}" in bottom
        else:  # lone names no publisher
            assert f"Findings: the round's metadata names no publisher; {edition}" in bottom
    for forbidden in ("Danish Institute for Human Rights", "TNS Gallup", "2017", "Institut for Menneskerettigheder"):
        assert forbidden not in text, forbidden
        assert forbidden not in footer(book.site, "index"), forbidden
    assert f"This edition shows round {book.round} ({meta['title_en']})" in text


@pytest.mark.parametrize("name", ["lone", "example", "all98"])
@pytest.mark.parametrize("lang", ["en", "da"])
def test_no_page_has_a_repository_path_a_doubled_stop_a_backslash_or_an_unmatched_quote(request, name, lang):
    from tests.test_reader_pages import page_problems

    book = request.getfixturevalue(name)
    problems = page_problems(book.site if lang == "en" else book.site_da, lang)
    assert not problems, "\n".join(problems)


def test_optional_metadata_missing_is_not_made_up(lone):
    text = book_text(lone.site)
    # no municipalities, existing councils, years, vendor or respondents in its round.yaml
    assert "When the round was fielded" not in text and "municipalities had" not in text
    assert "questionnaire was run by" not in text
    assert "metadata names no publisher." in text
    assert "The questionnaire went to 3 councils and 1 answered, a response rate of 33%." in text
    assert not (lone.site / "chapters" / "5_comparison.html").exists()


# ---------------------------------------------------------------------------------------------------
# Every number in a sentence is the entry its words name


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


@pytest.mark.parametrize("name", BOOKS)
def test_numbers_in_sentences_are_the_entries_they_name(request, name):
    book = request.getfixturevalue(name)
    table = book.table
    entry = {(q, c): int(n) for q, c, n in zip(table["question"], table["category"], table["count"])}
    codebook = load_codebook()
    checked = 0
    pairs = {q.id for q in codebook.questions if q.sentence}
    for question in codebook.choice_questions:
        if question.id in pairs:
            continue
        page = "2_organisation" if question.section.startswith("2.") else "3_influence"
        section = _slug(codebook.section(question.section).en)
        blocks = [text for sec, text in page_blocks(book.site, page) if sec == section]
        patterns = question_patterns(question)
        declared = question.phrases.get("lead", "most_common")
        lead = [pattern for pattern in patterns if pattern.lead and declared in ("most_common", pattern.category)]
        own = [pattern for pattern in patterns if pattern.category in question.option_codes and
               pattern.category != codebook.missing.code and not pattern.lead]  # '12 councils named education'
        holding = [t for t in blocks if any(pattern.anchor.search(t) for pattern in lead)
                   or (question.phrases.get("style") == "list" and claimed(own, t))]
        assert holding, f"{page}#{section}: no sentence of {question.id}"
        for text in holding:
            for claim in claimed(patterns, text):
                assert claim.question == question.id
                assert entry.get((claim.question, claim.category), 0) == claim.count, (page, claim, text)
                checked += 1
    for (page, section), expected in PAIR_SECTIONS.items():
        blocks = [text for sec, text in page_blocks(book.site, page) if sec == section]
        assert blocks, (page, section)
        for finding in expected:
            holding = [t for t in blocks if re.search(ANCHORS[finding], t, re.I)]
            assert holding, f"{page}#{section}: no sentence of {finding}"
            for text in holding:
                for claim in claimed(finding, text):
                    assert entry.get((claim.question, claim.category), 0) == claim.count, (page, claim, text)
                    checked += 1
    if name == "example":
        assert checked >= 60, checked  # the example round has a count for nearly every category


# ---------------------------------------------------------------------------------------------------
# Free-text answers: text, never HTML or MyST; withheld when round.yaml says so


def test_free_text_is_shown_as_text(lone):
    page = (lone.site / "chapters" / "appendix_methods.html").read_text(encoding="utf-8")
    assert html.escape(HOSTILE_TEXT, quote=False) in page or html.escape(HOSTILE_TEXT) in page
    assert '<script>alert("x")' not in page and "<strong>bold</strong>" not in page
    assert 'href="http://example.org"' not in page
    assert any(HOSTILE_TEXT in text for _, text in page_blocks(lone.site, "appendix_methods")) or \
        HOSTILE_TEXT in html.unescape(page)


def test_free_text_is_withheld_when_the_round_says_so(all98):
    page = (all98.site / "chapters" / "appendix_methods.html").read_text(encoding="utf-8")
    assert "Samme svar" not in page
    assert "are withheld" in html.unescape(page)


# ---------------------------------------------------------------------------------------------------
# A claim the data contradict stops the build, before anything runs


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_contradicted_claim_stops_the_build_and_names_file_claim_and_numbers(tmp_path):
    rounds = tmp_path / "rounds"
    shutil.copytree(REPO / "data" / "rounds" / "2016", rounds / "2016")
    counts = rounds / "2016" / "counts.csv"
    # the commentary says fixed contact with politicians is limited to half the councils (15 of 30)
    counts.write_text(counts.read_text(encoding="utf-8").replace(
        "contact_politicians_appointed,yes,15,30", "contact_politicians_appointed,yes,16,30"), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site", encoding="utf-8")
    before, inputs = tree(site), tree(rounds)
    cache_before = sorted(EXECUTED.glob("*.ipynb")) if EXECUTED.exists() else []

    result = councils("run", "--round", "2016", "--data", rounds, "--out", site)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    line = next(l for l in result.stderr.splitlines() if "contact_politicians_appointed.yes is half" in l)
    assert "commentary/en.md" in line and "block influence.contact: the claim" in line and "does not hold" in line
    assert "16 of 30" in line and "'about half'" in line
    assert re.search(r"row \d+", line)
    assert tree(site) == before and tree(rounds) == inputs
    assert (sorted(EXECUTED.glob("*.ipynb")) if EXECUTED.exists() else []) == cache_before

    validate = councils("validate", rounds / "2016")
    assert validate.returncode == 1 and "contact_politicians_appointed.yes is half" in validate.stderr
