"""A round's commentary: its format, its number roles, and the claims it declares."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from councils import commentary
from councils.codebook import load_codebook
from councils.rounds import load_round
from councils.tables import frequency_table

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((REPO / "chapters").glob("*.ipynb"))


def table(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["question", "category", "count", "base"])


TABLE = table([("own_budget", "yes", 21, 30), ("own_budget", "no", 6, 30), ("consulted", "often_or_sometimes", 28, 30),
               ("contact_politicians_appointed", "yes", 15, 30)])
META = {"follow_up_interviews": 5, "report_year": 2017}


def parsed(text: str, path: str = "commentary/en.md"):
    return commentary.parse(Path(path), text)


def test_blocks_claims_and_text_are_read():
    notes, problems = parsed(
        "# Heading is fine\n<!-- a comment\nover lines -->\n\n"
        ":::{commentary} organisation.budget\n:claim: own_budget.yes > own_budget.no\n:claim: round.follow_up_interviews > 0\n"
        "Interviewees wanted a budget.\n\nA second paragraph.\n:::\n")
    assert problems == []
    block = notes.blocks["organisation.budget"]
    assert [c.text for c in block.claims] == ["own_budget.yes > own_budget.no", "round.follow_up_interviews > 0"]
    assert [c.line for c in block.claims] == [6, 7]
    assert block.text == "Interviewees wanted a budget.\n\nA second paragraph."


@pytest.mark.parametrize("text,line,expected", [
    ("Stray text outside any block.\n", 1, "text inside a ':::{commentary} <section id>' block"),
    (":::{commentary} organisation.budgets\nText.\n:::\n", 1, "a section id the chapters show"),
    (":::{commentary} organisation.budget\nText.\n", 1, "a closing ':::' line"),
    (":::{commentary} organisation.budget\nA.\n:::\n:::{commentary} organisation.budget\nB.\n:::\n", 4, "each section once"),
    (":::{commentary} organisation.budget\n:claim: own_budget.yes > 0\n:::\n", 1, "some text in the block"),
])
def test_format_problems_name_the_line(text, line, expected):
    _, problems = parsed(text)
    assert len(problems) == 1, problems
    assert problems[0].row == line and expected in problems[0].expected


@pytest.mark.parametrize("claim,holds", [
    ("own_budget.yes > own_budget.no", True),
    ("own_budget.yes < own_budget.no", False),
    ("own_budget.yes > half", True),  # 21 > 15
    ("own_budget.no >= half", False),
    ("own_budget.yes < base", True),
    ("own_budget.yes == 21", True),
    ("own_budget.yes is a majority", True),  # 70%
    ("own_budget.yes is most", False),
    ("consulted.often_or_sometimes is most", True),  # 93%
    ("contact_politicians_appointed.yes is half", True),
    ("round.follow_up_interviews > 0", True),
    ("round.report_year == 2016", False),
])
def test_claims_are_judged_on_the_numbers(claim, holds):
    notes, _ = parsed(f":::{{commentary}} organisation.budget\n:claim: {claim}\nText.\n:::\n")
    problems = commentary.check(notes, TABLE, META)
    assert (problems == []) is holds, problems


def test_a_contradicted_claim_names_file_line_claim_and_numbers():
    notes, _ = parsed("\n\n:::{commentary} influence.contact\n:claim: contact_politicians_appointed.yes is most\n"
                      "Fixed contact with politicians is the rule.\n:::\n", path="data/rounds/x/commentary/en.md")
    (problem,) = commentary.check(notes, TABLE, META)
    text = str(problem)
    assert "data/rounds/x/commentary/en.md" in text and "row 4" in text
    assert "contact_politicians_appointed.yes is most" in text
    assert "15 of 30" in text and "'half'" in text


@pytest.mark.parametrize("claim,expected", [
    ("own_budget.maybe > 0", "names no count this round holds"),
    ("round.municipalities > 0", "not a whole number"),
    ("own_budget.yes >> 3", "a claim of the form"),
    ("own_budget.yes is plenty", "a quantity word after 'is'"),
])
def test_claims_that_name_nothing_are_problems(claim, expected):
    notes, _ = parsed(f":::{{commentary}} organisation.budget\n:claim: {claim}\nText.\n:::\n")
    (problem,) = commentary.check(notes, TABLE, META)
    assert expected in problem.expected


def test_number_roles_are_filled_from_the_round():
    notes, _ = parsed(":::{commentary} organisation.budget\n{count}`own_budget.yes` of {base}`own_budget` "
                      "({pct}`own_budget.yes`) after {round}`follow_up_interviews` interviews.\n:::\n")
    assert commentary.text(notes, "organisation.budget", TABLE, META) == "21 of 30 (70%) after 5 interviews."
    assert commentary.text(notes, "organisation.chair", TABLE, META) == ""  # no block: nothing shown


def test_a_role_naming_nothing_is_a_problem():
    notes, _ = parsed(":::{commentary} organisation.budget\n{count}`own_budget.perhaps` councils.\n:::\n")
    (problem,) = commentary.check(notes, TABLE, META)
    assert "own_budget.perhaps" in problem.expected


def test_unknown_section_asked_for_by_a_chapter_is_an_error():
    notes, _ = parsed("")
    with pytest.raises(KeyError):
        commentary.text(notes, "organisation.nothing", TABLE, META)


@pytest.mark.parametrize("round_id", ["2016", "example"])
def test_the_repositorys_commentaries_hold_for_their_rounds(round_id):
    rnd = load_round(round_id)
    notes, problems = commentary.load(rnd.path, "en")
    assert problems == [] and notes.blocks
    assert commentary.check(notes, frequency_table(rnd), rnd.meta) == []
    assert any(block.claims for block in notes.blocks.values()), "at least one declared claim"


def test_2016_commentary_contradicts_the_example_round():
    """The claims can fail: 2016's commentary set against the example round's numbers."""
    notes, _ = commentary.load(load_round("2016").path, "en")
    example = load_round("example")
    failed = {p.value for p in commentary.check(notes, frequency_table(example), example.meta)}
    # example: officials 17 of 36 (not most), no interviews, consulted 19 of 36 (not most)
    assert {"contact_officials_appointed.yes is most", "round.follow_up_interviews > 0",
            "consulted.often_or_sometimes is most"} <= failed


def test_every_section_is_shown_by_a_chapter_and_every_call_names_a_section():
    """The chapters' own ids are each called by a chapter cell; every question's ids are shown by its section."""
    called = set()
    for path in CHAPTERS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            called |= set(re.findall(r'report\.commentary\((?:en|da), "([^"]+)"', source))
            if re.search(r"report\.recommendations\((?:en|da)\)", source):
                called.add("conclusions.recommendations")
    assert called == set(commentary.SECTIONS)
    codebook = load_codebook()
    shown = {q.id: q.commentary_ids for q in codebook.questions}
    assert shown["chair_background"] == ("organisation.chair",)  # as the 2016 commentary has it
    assert shown["visibility"] == ("influence.visibility", "influence.visibility_interviews")
    assert shown["statements_published"] == ("statements_published",)  # none declared: the question's own id
    assert set(commentary.section_ids(codebook)) == set(commentary.SECTIONS) | {i for ids in shown.values() for i in ids}


def test_a_chapter_shows_each_question_commentary_after_its_numbers():
    """Section 2.1 of the 2016 book: the chair's findings, its figure and numbers, then organisation.chair."""
    from councils import report

    en, _ = report.setup("2016")
    parts = report.section_parts(en, "2.1")
    kinds = [kind for kind, _ in parts]
    assert kinds == ["markdown", "html", "html", "markdown"], kinds
    notes, _ = commentary.load(load_round("2016").path, "en", commentary.section_ids(en.series.codebook))
    assert parts[-1][1] == commentary.fill(notes.blocks["organisation.chair"], commentary._Numbers(en.table, en.round.meta))


@pytest.mark.parametrize("round_id", ["2016", "example"])
def test_the_danish_and_english_commentaries_have_the_same_blocks_and_claims(round_id):
    """Parity: a claim declared in one language is declared in the other, so both editions are checked alike."""
    path = load_round(round_id).path
    (en, p1), (da, p2) = commentary.load(path, "en"), commentary.load(path, "da")
    assert p1 == p2 == [] and en.blocks
    assert set(en.blocks) == set(da.blocks)
    for section in en.blocks:
        assert [c.text for c in en.blocks[section].claims] == [c.text for c in da.blocks[section].claims], section
