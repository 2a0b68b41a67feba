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
from test_codebook_parts import book  # noqa: F401 -- the hand-made codebook (a fixture)
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
                                 ":claim: round.responses < 6\nSome text.\n:::\n", encoding="utf-8")
    (notes / "da.md").write_text(":::{commentary} organisation.budget\nDe fleste råd har et budget "
                                 "({pct}`own_budget.yes`).\n:::\n"
                                 ":::{commentary} organisation.nothing\nTekst.\n:::\n", encoding="utf-8")
    assert commentary.commentary_files(folder) == [notes / "en.md", notes / "da.md"]
    found = [(Path(p.file).name, p.row, p.column, p.value) for p in commentary.check_round_commentary(rnd)]
    assert found == [("en.md", 2, "claim in organisation.budget", "own_budget.yes > own_budget.no"),
                     ("en.md", 3, "claim in organisation.budget", "round.responses < 6"),
                     ("da.md", 4, None, "organisation.nothing"),
                     ("da.md", 2, "text of organisation.budget", "De fleste")]
    claims = commentary.check_round_commentary(rnd)[:2]
    assert [c.expected for c in claims] == [
        "the claim to hold for this round's data, which give own_budget.yes = 2 of 6, own_budget.no = 2 of 6",
        "the claim to hold for this round's data, which give round.responses = 6, 6"]


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


def block_of(body: str, claims: tuple[str, ...] = (), section: str = "organisation.budget") -> commentary.Commentary:
    text = f":::{{commentary}} {section}\n" + "".join(f":claim: {c}\n" for c in claims) + body + "\n:::\n"
    notes, problems = commentary.parse(Path("en.md"), text)
    assert problems == []
    return notes


def lint_found(notes, meta=None, lang="en") -> list[tuple]:
    return [(p.row, p.value, p.expected) for p in commentary.lint(notes, meta if meta is not None else {}, lang)]


def test_the_commentary_file_of_each_language_and_none(tmp_path):
    assert commentary.load(tmp_path) == (commentary.Commentary(None, {}), [])
    (tmp_path / "commentary").mkdir()
    (tmp_path / "commentary" / "en.md").write_text(":::{commentary} my.place\nText.\n:::\n", encoding="utf-8")
    notes, problems = commentary.load(tmp_path, known={"my.place": "mine"})  # English unless asked
    assert problems == [] and list(notes.blocks) == ["my.place"] and notes.path == tmp_path / "commentary" / "en.md"
    assert commentary.load(tmp_path, "da") == (commentary.Commentary(None, {}), [])


@pytest.mark.parametrize("kind", ["link", "folder"])
def test_a_commentary_that_is_a_link_or_a_folder(tmp_path, kind):
    (tmp_path / "commentary").mkdir()
    path = tmp_path / "commentary" / "en.md"
    if kind == "link":
        (tmp_path / "elsewhere.md").write_text(":::{commentary} organisation.budget\nText.\n:::\n", encoding="utf-8")
        path.symlink_to(tmp_path / "elsewhere.md")
    else:
        path.mkdir()
    notes, problems = commentary.load(tmp_path)
    assert notes == commentary.Commentary(None, {})
    assert [(p.file, p.row, p.column, p.value, p.expected, p.message) for p in problems] == [
        (str(path), None, None, "", "a regular file (not a link or a folder)",
         "this is a link or a folder; expected a regular file")]


def test_a_commentary_that_is_not_utf8(tmp_path):
    (tmp_path / "commentary").mkdir()
    path = tmp_path / "commentary" / "en.md"
    path.write_bytes(b":::{commentary} organisation.budget\nSm\xf8rrebr\xf8d.\n:::\n")  # Latin-1
    notes, problems = commentary.load(tmp_path)
    assert notes == commentary.Commentary(None, {})
    assert [(p.file, p.row, p.column, p.value, p.expected, p.message) for p in problems] == [
        (str(path), None, None, "b'\\xf8'", "Markdown text encoded as UTF-8",
         "byte b'\\xf8' is not UTF-8; save the commentary as UTF-8")]


def test_a_typed_number_after_a_year_and_on_a_later_line():
    notes = block_of("https://example.org/page\nIn 2016 there were 12.")
    assert lint_found(notes) == [(3, "12", commentary.HOW_TO_COUNT)]  # line 1 opens, 2 is the link, 3 the text
    (problem,) = commentary.lint(notes, {})
    assert problem.column == "text of organisation.budget"
    assert problem.message == f"block organisation.budget: the number '12' is typed; {commentary.HOW_TO_COUNT}"


@pytest.mark.parametrize("meta,said", [({}, "round.yaml names no follow_up_interviews"),
                                       ({"follow_up_interviews": 0}, "round.yaml gives follow_up_interviews: 0")])
def test_interviews_in_a_round_without_them(meta, said):
    notes = block_of("Councils said so.\nInterviews said so too.")
    (problem,) = commentary.lint(notes, meta)
    assert (problem.row, problem.value, problem.expected) == (3, "Interviews",
                                                              "no mention of interviews in a round without them")
    assert problem.message == (f"block organisation.budget: 'Interviews' mentions interviews, but {said}; say only "
                               "what this round's sources hold, or set follow_up_interviews in round.yaml if the "
                               "round had interviews")


def test_interviews_that_no_claim_says_the_round_had():
    notes = block_of("Councils said so.\nInterviews said so too.")
    (problem,) = commentary.lint(notes, {"follow_up_interviews": 4})
    assert (problem.row, problem.value, problem.expected) == (3, "Interviews", commentary.HOW_TO_CLAIM["interviews"])
    assert problem.message == ("block organisation.budget: 'Interviews' reports interviews, but no claim says the round "
                               f"had them; {commentary.HOW_TO_CLAIM['interviews']}")


def test_a_comparison_word_and_a_quantity_word_no_claim_covers():
    notes = block_of("Fewer chairs came.\nA few came late.")
    # reported in the order of the word lists: quantity words first
    assert lint_found(notes) == [(3, "A few", commentary.HOW_TO_CLAIM["quantity"]),
                                 (2, "Fewer", commentary.HOW_TO_CLAIM["comparison"])]
    messages = [p.message for p in commentary.lint(notes, {})]
    assert messages[1] == ("block organisation.budget: 'Fewer' is a comparison word that no claim of the block "
                           f"covers; {commentary.HOW_TO_CLAIM['comparison']}")
    assert messages[0].startswith("block organisation.budget: 'A few' is a quantity word that no claim")


def test_a_phrase_said_once_and_the_next_one_still_found():
    # 'A majority of' is one phrase (said by the pattern 'a majority'); the later 'Majority of' is a phrase of its own
    notes = block_of("A majority of them agree. Majority of the rest do not.")
    assert [value for _, value, _ in lint_found(notes)] == ["A majority", "Majority of"]


def test_a_covered_word_and_a_later_one_about_interviews():
    notes = block_of("Most councils agree, and most of those interviewed agree.", ("own_budget.yes > half",))
    # the claim covers quantities; 'most of those interviewed' needs a claim that the round had interviews
    assert [(value, expected) for _, value, expected in lint_found(notes, {"follow_up_interviews": 3})] == [
        ("those interviewed", commentary.HOW_TO_CLAIM["interviews"]),
        ("most", commentary.HOW_TO_CLAIM["interviews"])]


def test_a_quantity_about_interviewees_whatever_its_case():
    notes = block_of("Of these, most Interviewees agreed.", ("round.follow_up_interviews > 0",))
    assert lint_found(notes, {"follow_up_interviews": 3}) == []


def test_an_unreadable_claim_before_a_good_one_still_covers():
    notes = block_of("Most councils agree.", ("nonsense", "own_budget.yes > half"))
    assert lint_found(notes) == []


def test_claims_that_cannot_be_judged_and_a_role_that_names_nothing():
    notes, _ = commentary.parse(Path("commentary/en.md"), ":::{commentary} organisation.budget\n"
                                ":claim: own_budget.yes about half\n:claim: own_budget.yes is plenty\n"
                                "{pct}`own_budget.yes` of {base}`nowhere` councils.\n:::\n")
    found = [(p.file, p.row, p.column, p.value, p.expected) for p in commentary.check(notes, TABLE, {})]
    words = "none, few, a minority, about half, half, a majority, most, all"  # appendix B's words, in order
    assert found == [
        ("commentary/en.md", 2, "claim in organisation.budget", "own_budget.yes about half",
         "a claim of the form '<a> <op> <b>' (op one of < <= > >= == !=) or '<count> is <quantity word>' "
         f"({words})"),
        ("commentary/en.md", 3, "claim in organisation.budget", "own_budget.yes is plenty",
         f"a quantity word after 'is': {words}"),
        ("commentary/en.md", 1, "text of organisation.budget", "organisation.budget",
         "'nowhere' names no question this round holds")]


def test_a_percentage_is_english_unless_danish_is_asked_for():
    notes, _ = commentary.parse(Path("en.md"), ":::{commentary} organisation.budget\n{pct}`own_budget.no`.\n:::\n")
    numbers = commentary._Numbers(TABLE, {})
    assert commentary.fill(notes.blocks["organisation.budget"], numbers) == "20%."  # 6 of 30
    assert commentary.fill(notes.blocks["organisation.budget"], numbers, "da") == "20\u00a0%."


def test_a_round_without_counts_has_a_base_of_zero():
    notes, _ = commentary.parse(Path("en.md"), ":::{commentary} organisation.budget\n:claim: base == 0\n"
                                ":claim: half < 1\nText.\n:::\n")
    assert commentary.check(notes, TABLE.iloc[0:0], {}) == []


KNOWN = {"a.one": "the first place", "a.two": "the second place"}
STRAY = "Stray text outside any block, long enough to run past sixty characters of the line."


@pytest.mark.parametrize("text,blocks,problem", [
    (STRAY + "\n", [], (1, None, STRAY[:60], "text inside a ':::{commentary} <section id>' block (text outside blocks "
                        "is never shown)", f"text outside a block would never be shown ({STRAY[:60]!r}); put it inside "
                        "a ':::{commentary} <section id>' block, or make it a heading or an HTML comment")),
    (":::{commentary} a.ones\nText.\n:::\n", [],
     (1, None, "a.ones", "a section id the chapters show (see data/README.md): a.one, a.two",
      "unknown section 'a.ones'; did you mean 'a.one'? (data/README.md lists the sections the chapters show)")),
    (":::{commentary} a.one\nText.\n", [],
     (1, None, ":::{commentary} a.one", "a closing ':::' line for this block",
      "block a.one is never closed; expected a line ':::' after its text")),
    (":::{commentary} a.one\nA.\n:::\n:::{commentary} a.one\nB.\n:::\n", ["a.one"],
     (4, None, "a.one", "each section once (it is also on line 1)",
      "section a.one appears twice (also on line 1); expected each section once")),
    (":::{commentary} a.one\n:claim: x.y > 0\n:::\n", ["a.one"],
     (1, None, "a.one", "some text in the block", "block a.one has no text; expected some after its claims")),
])
def test_each_format_problem_in_full(text, blocks, problem):
    assert len(STRAY[:60]) == 60 and STRAY[:60].endswith("sixty ")
    notes, problems = commentary.parse(Path("c/en.md"), text, KNOWN)
    assert list(notes.blocks) == blocks
    assert [(p.file, p.row, p.column, p.value, p.expected, p.message) for p in problems] == [("c/en.md", *problem)]


def test_a_block_after_a_comment_on_one_line_is_read():
    notes, problems = commentary.parse(Path("en.md"), "<!-- a note -->\n:::{commentary} a.two\nB.\n:::\n", KNOWN)
    assert problems == [] and notes.blocks["a.two"].text == "B."


def test_the_section_ids_of_a_codebook_of_ones_own(book):
    ids = commentary.section_ids(book)
    assert ids["organisation.money"] == "after the findings of question 'budget' (section 2.9)"
    assert ids["areas"] == "after the findings of question 'areas' (section 3.1)"
    assert "organisation.budget" not in ids  # the repository codebook's, not this one's
    assert ids["index.context"] == commentary.SECTIONS["index.context"]


def test_problems_on_the_first_line_of_a_longer_block():
    notes = block_of("There were 12 in all.\nMore text follows.")
    assert [row for row, _, _ in lint_found(notes)] == [2]
    notes = block_of("Interviews said so.\nMore text follows.")
    assert [row for row, _, _ in lint_found(notes, {})] == [2]
    assert [row for row, _, _ in lint_found(notes, {"follow_up_interviews": 2})] == [2]


def test_claims_checked_against_the_numbers_with_their_messages():
    notes, _ = commentary.parse(Path("en.md"), ":::{commentary} organisation.budget\n"
                                ":claim: own_budget.yes < own_budget.no\n:claim: own_budget.maybe > 1\n"
                                "Of {count}`own_budget.never` councils.\n:::\n")
    assert [p.message for p in commentary.check(notes, TABLE, {})] == [
        "block organisation.budget: the claim 'own_budget.yes < own_budget.no' does not hold for this round's data, "
        "which give own_budget.yes = 21 of 30, own_budget.no = 6 of 30",
        "block organisation.budget: the claim 'own_budget.maybe > 1' cannot be judged; expected 'own_budget.maybe' "
        "names no count this round holds (question.category, e.g. own_budget.yes)",
        "block organisation.budget: a number role names nothing; expected 'own_budget.never' names no count this "
        "round holds (question.category, e.g. own_budget.yes)"]


def test_an_unclosed_block_with_a_long_opening_line_is_named_by_its_first_sixty_characters():
    opening = ":::{commentary} a." + "x" * 60
    _, problems = commentary.parse(Path("en.md"), opening + "\nText.\n", KNOWN)
    assert [p.value for p in problems] == [opening[:60]] and len(opening) > 61


def test_the_section_ids_of_the_repositorys_codebook_by_default():
    from councils.codebook import load_codebook

    assert commentary.section_ids() == commentary.section_ids(load_codebook())
    assert commentary.section_ids()["organisation.budget"].startswith("after the findings of question 'own_budget'")
