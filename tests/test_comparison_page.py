"""The comparison chapter as built for the example round: the table's numbers written each edition's way.

The example round (data/rounds/example, compared with 2016) is run once into a temporary folder, both
editions. The published 2016 book has no comparison chapter, so this is where its table is read.
"""

from __future__ import annotations

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
