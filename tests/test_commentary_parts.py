"""The parts of councils.commentary that the other commentary tests reach only through a built book: a round's
commentary checked in both languages, the prose the lint reads, and one section's text filled in.

Counts are from conftest's six made-up councils: own_budget's options (yes, no, not_stated) in turn, so two of
each, of 6.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import responses_round
from councils import commentary
from councils.validate import check_round

TABLE = pd.DataFrame([("own_budget", "yes", 21, 30), ("own_budget", "no", 6, 30)],
                     columns=["question", "category", "count", "base"])


def test_a_rounds_commentary_is_checked_in_both_languages(tmp_path):
    folder = responses_round(tmp_path / "r", follow_up_interviews=0)
    rnd, _, problems = check_round(folder)
    assert problems == []
    notes = folder / "commentary"
    notes.mkdir()
    (notes / "en.md").write_text(":::{commentary} organisation.budget\n:claim: own_budget.yes > own_budget.no\n"
                                 "Some text.\n:::\n", encoding="utf-8")
    (notes / "da.md").write_text(":::{commentary} organisation.budget\nDe fleste råd har et budget.\n:::\n"
                                 ":::{commentary} organisation.nothing\nTekst.\n:::\n", encoding="utf-8")
    assert commentary.commentary_files(folder) == [notes / "en.md", notes / "da.md"]
    found = [(Path(p.file).name, p.row, p.column, p.value) for p in commentary.check_round_commentary(rnd)]
    assert found == [("en.md", 2, "claim in organisation.budget", "own_budget.yes > own_budget.no"),
                     ("da.md", 4, None, "organisation.nothing"),
                     ("da.md", 2, "text of organisation.budget", "De fleste")]
    claim = commentary.check_round_commentary(rnd)[0]
    assert claim.expected == ("the claim to hold for this round's data, which give own_budget.yes = 2 of 6, "
                              "own_budget.no = 2 of 6")


def test_a_round_without_commentary_has_no_problems(tmp_path):
    folder = responses_round(tmp_path / "r")
    rnd, _, _ = check_round(folder)
    assert commentary.commentary_files(folder) == [] and commentary.check_round_commentary(rnd) == []
    (folder / "commentary").mkdir()
    (folder / "commentary" / "da.md").write_text("", encoding="utf-8")
    assert commentary.commentary_files(folder) == [folder / "commentary" / "da.md"]


@pytest.mark.parametrize("line,prose", [
    ("{count}`a.b` of {pct}`a.b`, {base}`a` and {round}`report_year`", "N of N, N and N"),
    ("{doc}`the method <method>` and {term}`council`", "the method and council"),
    ("{ref}`fig-1`{numref}`fig-2`{download}`x.csv`{doc}`method`.", "."),
    ("see [section 2](https://example.org/4711) or https://example.org/99", "see [section 2 or "),
])
def test_the_prose_the_lint_reads(line, prose):
    assert commentary._prose(line) == prose


def test_a_typed_number_in_a_link_or_a_role_is_no_problem():
    notes, problems = commentary.parse(Path("en.md"), ":::{commentary} organisation.budget\n"
                                       "See [the law](https://example.org/12) and {doc}`the method <method-2>`.\n:::\n")
    assert problems == [] and commentary.lint(notes, {}) == []


def test_one_sections_text_filled_in_each_language():
    notes, _ = commentary.parse(Path("da.md"), ":::{commentary} organisation.budget\n"
                                "{pct}`own_budget.yes` har budget.\n:::\n")
    assert commentary.text(notes, "organisation.budget", TABLE, {}, "da") == "70\u00a0% har budget."
    assert commentary.text(notes, "organisation.budget", TABLE, {}) == "70% har budget."


def test_a_section_of_ones_own_list_and_an_unknown_one():
    known = {"my.place": "a place of one's own", "other.place": "another"}
    notes, _ = commentary.parse(Path("en.md"), ":::{commentary} my.place\n{count}`own_budget.no` of them.\n:::\n",
                                known)
    assert commentary.text(notes, "my.place", TABLE, {}, known=known) == "6 of them."
    with pytest.raises(KeyError, match=r"unknown commentary section 'nowhere' \(known: my.place, other.place\)"):
        commentary.text(notes, "nowhere", TABLE, {}, known=known)
