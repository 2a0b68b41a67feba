"""The comparison chapter as built for the example round: the table's numbers written each edition's way.

The example round (data/rounds/example, compared with 2016) is run once into a temporary folder, both
editions. The published 2016 book has no comparison chapter, so this is where its table is read.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO
from test_holm_and_flags import EXAMPLE_BEYOND_CHANCE, EXAMPLE_CHANGED_WHATEVER


class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts (header row first)."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "html"
    result = subprocess.run([sys.executable, "-m", "councils", "run", "--round", "example", "--out", str(out)],
                            cwd=REPO, capture_output=True, text=True, check=False, timeout=900)
    assert result.returncode == 0, result.stderr
    return out


def comparison(site: Path, lang: str) -> dict[str, list[str]]:
    """The comparison table of the edition's chapter 5, as {column header: cells}."""
    parser = _Tables()
    parser.feed((site / lang / "chapters" / "5_comparison.html").read_text(encoding="utf-8"))
    tables = [t for t in parser.tables if t and any(re.match(r"p,", h) for h in t[0])]
    assert len(tables) == 1, f"{lang}: {len(tables)} tables with a p column"
    header, *rows = tables[0]
    assert rows and all(len(row) == len(header) for row in rows)
    return {h: [row[i] for row in rows] for i, h in enumerate(header)}


def p_column(table: dict[str, list[str]]) -> list[str]:
    """The unadjusted p-values of the shares compared (a row not compared has none)."""
    (name,) = [h for h in table if re.match(r"p,", h)]
    return [c for c in table[name] if c]


# A p-value to two significant digits (more where two would cross 0.05), or "< 0.001": a decimal comma in
# Danish, a point in English.
P_VALUE = {"da": re.compile(r"(< 0,001|\d,\d+)"), "en": re.compile(r"(< 0\.001|\d\.\d+)")}
# Any number written the other edition's way: "0.5" in Danish, "0,5" in English.
FOREIGN_DECIMAL = {"da": re.compile(r"\d\.\d"), "en": re.compile(r"\d,\d")}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_p_values_are_written_the_editions_way(site, lang):
    cells = p_column(comparison(site, lang))
    assert len(cells) >= len(EXAMPLE_CHANGED_WHATEVER | EXAMPLE_BEYOND_CHANCE)
    wrong = [c for c in cells if not P_VALUE[lang].fullmatch(c)]
    assert not wrong, f"{lang}: p-values not written as {P_VALUE[lang].pattern}: {wrong[:5]}"


def test_both_editions_show_the_same_p_values(site):
    def value(cell: str) -> float:
        return float(cell.removeprefix("< ").replace(",", "."))

    da, en = p_column(comparison(site, "da")), p_column(comparison(site, "en"))
    assert [value(c) for c in da] == [value(c) for c in en]
    assert any(value(c) < 1 for c in da), "every p-value is 1: the check above would not notice a swap"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_number_in_the_table_is_written_the_other_editions_way(site, lang):
    table = comparison(site, lang)
    wrong = [(h, c) for h, cells in table.items() for c in cells if FOREIGN_DECIMAL[lang].search(c)]
    assert not wrong, wrong[:5]
    percent = "\u00a0%" if lang == "da" else "%"
    shares = [c for h, cells in table.items() for c in cells if "%" in c]
    assert shares and all(re.search(rf"\d{percent}", c) for c in shares), shares[:5]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_table_flags_the_hand_counted_changes_in_words(site, lang):
    from councils.statistics import VERDICTS

    table = comparison(site, lang)
    verdicts = table["Vurdering" if lang == "da" else "Verdict"]
    assert sum(VERDICTS["changed_whatever"][lang] in c for c in verdicts) == len(EXAMPLE_CHANGED_WHATEVER)
    assert sum(VERDICTS["beyond_chance"][lang] in c for c in verdicts) == len(EXAMPLE_BEYOND_CHANCE)
    assert not {"yes", "no", "ja", "nej", "True", "False"} & set(verdicts)


# ---------------------------------------------------------------------------------------------------
# No verdict that the numbers beside it contradict, and a note wherever the numbers call for one: read
# from the built page alone, in both editions.

MINUS = "\u2212"
COLUMNS = {
    "en": {"bounds": "Change among the councils asked, whatever the missing answers", "verdict": "Verdict",
           "interval": "interval of the change, unadjusted", "change": "Change (points)", "to": " to ",
           "note": re.compile(r"; notes? ([a-d](?:(?:, | and )[a-d])*)$"), "round": "Round "},
    "da": {"bounds": "Ændring blandt de adspurgte råd, uanset de manglende svar", "verdict": "Vurdering",
           "interval": "interval for ændringen, ujusteret", "change": "Ændring (procentpoint)", "to": " til ",
           "note": re.compile(r"; noter? ([a-d](?:(?:, | og )[a-d])*)$"), "round": "Runde "},
}


def _points(text: str) -> tuple[float, int]:
    """'−12' -> (-12.0, -1); '+0' -> (0.0, +1): a sign kept even where the rounded value is 0."""
    text = text.replace(MINUS, "-").replace(",", ".").replace("\u00b1", "")
    value = float(text)
    sign = -1 if text.startswith("-") else (1 if text.startswith("+") else 0)
    return value, sign


def _excludes_zero(interval: str, to: str) -> bool:
    low, high = (_points(end) for end in interval.split(to))
    return (low[0] > 0 or (low[0] == 0 and low[1] > 0)) or (high[0] < 0 or (high[0] == 0 and high[1] < 0))


def _column(table, start: str) -> list[str]:
    (name,) = [h for h in table if h.startswith(start) or h.endswith(start)]
    return table[name]


def _notes_under_the_table(site: Path, lang: str) -> dict[str, str]:
    page = (site / lang / "chapters" / "5_comparison.html").read_text(encoding="utf-8")
    found = re.search(r'<ul class="councils-table-notes">(.*?)</ul>', page, re.S)
    if not found:
        return {}
    items = re.findall(r'<li><span class="councils-note-mark">([a-d])</span>: (.*?)</li>', found.group(1), re.S)
    return {letter: html.unescape(text) for letter, text in items}


def _rows(site: Path, lang: str):
    words = COLUMNS[lang]
    table = comparison(site, lang)
    rounds = [h for h in table if h.startswith(words["round"])]
    assert len(rounds) == 2, table.keys()
    for i, verdict in enumerate(table[words["verdict"]]):
        marks = words["note"].search(verdict)
        letters = set(re.findall(r"[a-d]", marks.group(1))) if marks else set()
        shares = [re.search(r"\((\d+)\D*%\)", table[r][i]) for r in rounds]
        yield {"verdict": verdict, "letters": letters, "bounds": _column(table, words["bounds"])[i],
               "interval": _column(table, words["interval"])[i], "change": table[words["change"]][i],
               "shares": [int(s.group(1)) for s in shares]}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_verdict_contradicts_the_bounds_or_the_interval_beside_it(site, lang):
    from councils.statistics import VERDICTS

    to = COLUMNS[lang]["to"]
    words = {key: VERDICTS[key][lang] for key in VERDICTS}
    checked = 0
    for row in _rows(site, lang):
        if words["not_separately_compared"] in row["verdict"] or not row["bounds"]:
            continue
        checked += 1
        certain = _excludes_zero(row["bounds"], to)
        if certain:
            assert words["changed_whatever"] in row["verdict"], row
        if words["changed_whatever"] in row["verdict"]:
            assert certain, row
        if words["beyond_chance"] in row["verdict"]:
            assert _excludes_zero(row["interval"], to) and not certain, row
    assert checked >= 30, f"{lang}: only {checked} rows read"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_table_notes_where_the_numbers_seem_to_disagree(site, lang):
    from councils.statistics import NOTES, VERDICTS

    notes = _notes_under_the_table(site, lang)
    letter = {key: next((l for l, text in notes.items() if text == NOTES[key][lang]), None)
              for key in ("rounding", "unadjusted", "model")}
    to = COLUMNS[lang]["to"]
    seen = set()
    for row in _rows(site, lang):
        assert row["letters"] <= set(notes), (row, notes)
        seen |= row["letters"]
        if not row["change"]:
            continue
        change = _points(row["change"])[0]
        # the change of the unrounded shares, rounded, against the difference of the rounded shares shown
        disagree = float(change) != row["shares"][1] - row["shares"][0]
        assert (letter["rounding"] in row["letters"]) == disagree, row
        if words_no_clear_change(lang) in row["verdict"] and row["interval"]:
            assert (letter["unadjusted"] in row["letters"]) == _excludes_zero(row["interval"], to), row
        if VERDICTS["changed_whatever"][lang] in row["verdict"]:
            assert (letter["model"] in row["letters"]) == (not _excludes_zero(row["interval"], to)), row
    assert seen == set(notes), "a note under the table that no row refers to"
    # the example round has both kinds of disagreement: the test would notice a note that never shows
    assert letter["rounding"] and letter["unadjusted"], notes


def words_no_clear_change(lang: str) -> str:
    from councils.statistics import VERDICTS

    return VERDICTS["no_clear_change"][lang]
