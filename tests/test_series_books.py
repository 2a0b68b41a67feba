"""The book of an extreme series, read page by page in both editions.

Three rounds, written here, built with ``python -m councils run`` into a temporary folder:

- ``s1``: the codebook's questionnaire;
- ``s2`` (after s1): influence (figure 9) dropped, so that it was asked only in the oldest round;
  consulted's "rarely" and "never" merged; statements_published reworded with a break;
- ``s3`` (after s2): who answered changed, and youth_members added (figure 11): asked only in the newest.

The book of s3 must draw no chart for a question it did not ask and say so once, never compare or
follow a trend across a break without naming it, and show in every sentence the numbers of its entries.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from councils.codebook import load_codebook
from councils.rounds import load_round
from councils.series import codebook_for
from councils.tables import frequency_table
from tests.sentence_map import claimed, question_patterns
from tests.test_round_books import page_blocks
from tests.test_series import YOUTH, rows_for, write_round

REPO = Path(__file__).resolve().parent.parent
S2 = {"dropped": ["influence"],
      "changed": {"consulted": {"options_merged": [{"code": "rarely_or_never", "da": "Sjældent eller aldrig",
                                                    "en": "Rarely or never", "from": ["rarely", "never"]}]},
                  "statements_published": {"wording": {"da": "Offentliggøres udtalelserne på nettet?",
                                                       "en": "Are the statements published online?"},
                                           "break": {"en": "it now asks about publication online",
                                                     "da": "det spørger nu om offentliggørelse på nettet"}}}}
S3 = {"respondents_changed": {"en": "The secretary answered", "da": "Sekretæren svarede"}, "added": [YOUTH]}
ANSWERS = {
    "s1": {"consulted": ["often", "rarely", "never", "sometimes", "often"], "influence": ["large", "some", "none", "small", "large"],
           "statements_published": ["yes", "no", "yes", "yes", "dont_know"]},
    "s2": {"consulted": ["often", "rarely_or_never", "often", "often"], "statements_published": ["no", "no", "yes", "yes"]},
    "s3": {"consulted": ["sometimes", "rarely_or_never", "often"], "statements_published": ["yes", "yes", "no"],
           "youth_members": ["yes", "no", "yes"]},
}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    base = tmp_path_factory.mktemp("extreme") / "rounds"
    for year, (rid, changes, previous) in enumerate((("s1", None, None), ("s2", S2, "s1"), ("s3", S3, "s2")),
                                                    start=2020):
        write_round(base, rid, changes, previous, ANSWERS[rid], year)
    site = base.parent / "site"
    result = subprocess.run([sys.executable, "-m", "councils", "run", "--round", "s3", "--data", str(base),
                             "--out", str(site)], cwd=REPO, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    return base, site


def _page(site: Path, lang: str, name: str) -> str:
    return (site / lang / "chapters" / f"{name}.html").read_text(encoding="utf-8")


def _text(site: Path, lang: str, name: str) -> str:
    """The page's prose as a reader reads it (Sphinx's typographic apostrophes read as plain ones)."""
    return " ".join(text for _, text in page_blocks(site / lang, name)).replace("\u2019", "'")


@pytest.mark.parametrize("lang", ["en", "da"])
def test_no_chart_for_a_question_the_round_did_not_ask_and_one_sentence_saying_so(book, lang):
    _, site = book
    pages = {name: _page(site, lang, name) for name in ("2_organisation", "3_influence")}
    assert not any('id="fig-9"' in page for page in pages.values())  # influence: asked only in s1
    assert 'id="fig-11"' in pages["2_organisation"]  # youth_members: asked only in s3
    influence = load_codebook().question("influence").text(lang).rstrip("?").replace("\u2019", "'")  # as _text reads it
    said = _text(site, lang, "3_influence")
    opening, closing = ("“", "”") if lang == "en" else ("»", "«")
    assert said.count(f"{opening}{influence}{closing}") == 1, said
    assert said.count("did not ask" if lang == "en" else "stillede ikke") == 1


@pytest.mark.parametrize("lang", ["en", "da"])
def test_nothing_is_compared_across_a_change_of_who_answered_and_the_change_is_named(book, lang):
    _, site = book
    text = _text(site, lang, "5_comparison")
    assert ("no question is compared: who answered changed in round s3" if lang == "en" else
            "intet spørgsmål sammenlignes: det ændrede sig i runde s3, hvem der svarede") in text.lower()
    page = _page(site, lang, "5_comparison")
    assert "(Holm)" not in page and "councils-numbers" not in page  # no table of compared shares


@pytest.mark.parametrize("lang", ["en", "da"])
def test_trends_never_run_across_a_break_without_naming_it(book, lang):
    _, site = book
    text = _text(site, lang, "6_trends")
    # statements_published breaks at s2 (new wording), every question at s3 (who answered)
    assert ("the series breaks at round s2 (the question changed in round s2" if lang == "en" else
            "serien brydes ved runde s2 (spørgsmålet blev ændret i runde s2") in text.lower()
    assert ("at round s3 who answered changed" if lang == "en" else "ved runde s3 skiftede det, hvem der svarede") \
        in text.lower()
    page = _page(site, lang, "6_trends")
    assert "trend-youth_members" not in page  # asked in one round: no trend
    assert "trend-influence" not in page  # asked in one round: no trend
    assert "trend-consulted" in page


def test_every_number_in_a_sentence_is_the_entry_it_names(book):
    base, site = book
    rnd = load_round("s3", base)
    table = frequency_table(rnd)
    entry = {(q, c): int(n) for q, c, n in zip(table["question"], table["category"], table["count"])}
    codebook = codebook_for(rnd)
    checked = 0
    for page in ("2_organisation", "3_influence"):
        for _, text in page_blocks(site / "en", page):
            for question in codebook.choice_questions:
                if question.sentence:
                    continue
                lead = [p for p in question_patterns(question) if p.lead and
                        question.phrases.get("lead", "most_common") in ("most_common", p.category)]
                if not any(p.anchor.search(text) for p in lead):
                    continue
                for claim in claimed(question_patterns(question), text):
                    assert entry.get((claim.question, claim.category), 0) == claim.count, (claim, text)
                    checked += 1
    youth = [t for _, t in page_blocks(site / "en", "2_organisation") if "members under 30" in t]
    assert youth and "(2, 67%)" in youth[0]  # s3: yes, no, yes
    assert checked >= 10  # three councils: many sentences say 'all 3' and show no count
