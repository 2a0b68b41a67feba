"""Every figure about the 2016 round that the book glues (``round.*``), against the report's own numbers.

The report is the text of shared/seeds/000_d8a95c3387766a04.txt; the expected values below are written
by hand from it. Checked twice: as ``report.glue_round_facts`` glues them now, in both languages, and as
the committed chapters hold them (what the published book shows; nbval checks they are still current).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from councils import report

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "chapters").glob("*.ipynb"))

# From the report, section 1.1 and chapter 1: "44 ud af de 98 kommuner" have a council; the survey "udført af
# TNS Gallup" was answered by "30 ud af de i alt 40 adspurgte integrationsråd ... svarende til en
# deltagelsesprocent på 75", "fulgt op af fem kvalitative interviews"; presented to REM's members in May
# 2016 (fieldwork); the report appeared after the municipal elections of 21 November 2017.
FIGURES = {"municipalities": 98, "councils_existing": 44, "councils_asked": 40, "responses": 30,
           "fieldwork_year": 2016, "report_year": 2017}
RESPONSE_RATE = {"en": "75%", "da": "75\u00a0%"}  # 30 of the 40 asked, not of the 44 that existed (68%)
# The numbers each sentence about the round shows, in order: each one the report states, the difference
# of two it states (40 - 30 = 10 did not answer, 44 - 40 = 4 were not asked), or the intervals' level (95).
SENTENCE_NUMBERS = {"method": [40, 30, 75, 5], "coverage": [30, 10, 4, 95, 40], "attribution": [2017, 2016],
                    "title": [2016]}
# Bibliographic text with no figure of the round's own: its source as round.yaml cites it, and this edition's citation.
TEXT = {"source", "citation"}


def expected_problem(name: str, value, lang: str) -> str | None:
    """Why a glued ``round.<name>`` value disagrees with the report, or None when it agrees."""
    key = name.removeprefix("round.")
    if key in FIGURES:
        ok = value == FIGURES[key] and type(value) is int
    elif key == "response_rate":
        ok = value == RESPONSE_RATE[lang]
    elif key == "round":
        ok = value == "2016"
    elif key in SENTENCE_NUMBERS:
        ok = [int(n) for n in re.findall(r"\d+", value)] == SENTENCE_NUMBERS[key]
    elif key in TEXT:
        ok = isinstance(value, str) and value.strip() != ""
    else:
        return f"{name} is glued but this test has no figure for it: add the report's value"
    return None if ok else f"{name} ({lang}) = {value!r}"


@pytest.fixture(scope="module")
def glued() -> dict[str, dict]:
    """What glue_round_facts glues for 2016, by language."""
    values = {}
    original = report._glue
    for lang in ("en", "da"):
        values[lang] = {}
        report._glue = lambda name, value, into=values[lang]: into.__setitem__(name, value)
        try:
            report.glue_round_facts(report.setup("2016", lang=lang))
        finally:
            report._glue = original
    return values


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_2016_response_rate_is_the_reports(glued, lang):
    assert glued[lang]["round.response_rate"] == RESPONSE_RATE[lang]


@pytest.mark.parametrize("lang", ["en", "da"])
def test_every_glued_round_figure_is_the_reports(glued, lang):
    names = [n for n in glued[lang] if n.startswith("round.")]
    assert {n.removeprefix("round.") for n in names} >= set(FIGURES) | {"response_rate", "method", "coverage"}
    problems = [p for n in names if (p := expected_problem(n, glued[lang][n], lang))]
    assert not problems, "\n".join(problems)


def committed_round_glue() -> list[tuple[str, str, str, object]]:
    """(chapter, language, name, value) of every round.* value glued in the committed chapters."""
    found = []
    for path in CHAPTERS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            lang = next((t.removeprefix("lang-") for t in cell.get("metadata", {}).get("tags", [])
                         if t.startswith("lang-")), None)
            for output in cell.get("outputs", []):
                name = output.get("metadata", {}).get("scrapbook", {}).get("name", "")
                if name.startswith("round.") and lang:
                    value = ast.literal_eval(output["data"]["application/papermill.record/text/plain"])
                    found.append((path.stem, lang, name, value))
    return found


def test_the_committed_chapters_show_the_reports_figures():
    found = committed_round_glue()
    rates = {(chapter, lang) for chapter, lang, name, _ in found if name == "round.response_rate"}
    assert {lang for _, lang in rates} == {"en", "da"}, "no chapter glues round.response_rate"
    problems = [f"{chapter}: {p}" for chapter, lang, name, value in found if (p := expected_problem(name, value, lang))]
    assert not problems, "\n".join(problems)
