"""The commentary lint: prose that says more than a block's claims and the round's sources back.

A corpus of good and bad blocks in both languages, each written by hand with the problems a reader
of it would point out (line, word): a typed number, a quantity or comparison word no claim covers,
and interviews in a round that had none. Good blocks use the same words where a claim covers them,
or the same letters in uses that state no quantity ("matter most", "at få indflydelse").
"""

from pathlib import Path

import pytest

from councils import commentary
from councils.rounds import load_round
from councils.validate import check_round

from conftest import responses_round, run_cli, valid_rows

WITH_INTERVIEWS = {"follow_up_interviews": 5}
NO_INTERVIEWS = {"follow_up_interviews": 0}


def lint(text: str, lang: str, meta: dict) -> list[tuple[int, str]]:
    notes, problems = commentary.parse(Path(f"commentary/{lang}.md"), text)
    assert problems == [], problems
    return [(p.row, p.value) for p in commentary.lint(notes, meta, lang)]


def block(body: str, *claims: str, section: str = "influence.decisions") -> str:
    """A file of one block: its opening on line 1, claims on the lines after it, then the body."""
    return "\n".join([f":::{{commentary}} {section}", *[f":claim: {c}" for c in claims], body, ":::", ""])


# --- bad blocks: (text, language, metadata, the problems as (line, word)) -------------------------------

BAD = {
    "the issue's example, English": (
        block("Most councils, 33 of them, compensate members; the interviews showed that they are happy."),
        "en", NO_INTERVIEWS, [(2, "33"), (2, "interviews"), (2, "Most")]),
    "the issue's example, Danish": (
        block("De fleste råd, 33 af dem, giver medlemmerne godtgørelse; interviewene viste, at de er glade."),
        "da", NO_INTERVIEWS, [(2, "33"), (2, "interviewene"), (2, "De fleste")]),
    "a typed share": (
        block("Only 27% of the councils pay compensation.", "member_compensation.yes < half"),
        "en", WITH_INTERVIEWS, [(3, "27")]),
    "a typed share in Danish, with a decimal comma": (
        block("Kun 26,7 % af rådene giver godtgørelse.", "member_compensation.yes < half"),
        "da", WITH_INTERVIEWS, [(3, "26,7")]),
    "a majority with only an interview claim": (
        block("A majority of the councils\nhave a budget of their own.", "round.follow_up_interviews > 0"),
        "en", WITH_INTERVIEWS, [(3, "A majority")]),
    "et flertal on its second line": (
        block("Svarene viser, at\net flertal af rådene har et budget."),
        "da", WITH_INTERVIEWS, [(3, "et flertal")]),
    "half, and a comparison, with no claim": (
        block("Half of the councils have fixed contact with politicians, and fixed contact with officials is\n"
              "more common than that."),
        "en", WITH_INTERVIEWS, [(2, "Half"), (3, "more common")]),
    "færre and halvdelen with no claim": (
        block("Færre råd har kontakt til politikerne end til embedsmændene; halvdelen har faste kontaktpersoner."),
        "da", WITH_INTERVIEWS, [(2, "halvdelen"), (2, "Færre")]),
    "a quantity claim does not cover a comparison": (
        block("Fewer councils award a prize than hold meetings in town.", "visibility.integration_prize is a minority"),
        "en", WITH_INTERVIEWS, [(3, "Fewer")]),
    "a change between rounds with no claim": (
        block("The share of councils with a budget rose, and the share consulted fell."),
        "en", WITH_INTERVIEWS, [(2, "rose"), (2, "fell")]),
    "steg og faldt with no claim": (
        block("Andelen med eget budget steg, mens andelen, der bliver hørt, faldt."),
        "da", WITH_INTERVIEWS, [(2, "steg"), (2, "faldt")]),
    "interviews with no claim that the round had them": (
        block("The interviews added a wish to be involved earlier."),
        "en", WITH_INTERVIEWS, [(2, "interviews")]),
    "interviewpersoner in a round without interviews": (
        block("Flere interviewpersoner ønskede mere indflydelse.", "round.follow_up_interviews > 0"),
        "da", NO_INTERVIEWS, [(3, "interviewpersoner")]),
    "most interviewees with no interview claim": (
        block("Most interviewees wanted more say.", "own_budget.yes > half"),
        "en", WITH_INTERVIEWS, [(3, "interviewees"), (3, "Most")]),
    "få councils, kun få": (
        block("Kun få råd uddeler en integrationspris."),
        "da", WITH_INTERVIEWS, [(2, "Kun få")]),
    "a number after the claims and a blank line": (
        block("\nThe questionnaire went to 40 councils.", "round.councils_asked > 0"),
        "en", WITH_INTERVIEWS, [(4, "40")]),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_blocks_are_problems_naming_line_and_word(name):
    text, lang, meta, expected = BAD[name]
    assert sorted(lint(text, lang, meta)) == sorted(expected)


# --- good blocks: nothing to say ------------------------------------------------------------------------

GOOD = {
    "numbers by role, a quantity by claim": (
        block("Most councils ({count}`consulted.often_or_sometimes` of {base}`consulted`) are consulted.",
              "consulted.often_or_sometimes is most"), "en", NO_INTERVIEWS),
    "de fleste by claim, tal by role": (
        block("De fleste råd ({count}`consulted.often_or_sometimes` af {base}`consulted`) bliver hørt.",
              "consulted.often_or_sometimes is most"), "da", NO_INTERVIEWS),
    "a comparison by claim": (
        block("An integration prize is less common than meetings held out in town.",
              "visibility.integration_prize < visibility.meetings_in_town"), "en", NO_INTERVIEWS),
    "mindre udbredt by claim": (
        block("En integrationspris er mindre udbredt end rådsmøder ude i byen.",
              "visibility.integration_prize < visibility.meetings_in_town"), "da", NO_INTERVIEWS),
    "years, dates, a law's section and a chapter": (
        block("After the elections of 21 November 2017, for the term 2018–2022, section 42(2) of the Act of\n"
              "1998 applies ({ref}`the report <source>`, chapter 4; see {doc}`4_conclusions`)."), "en", NO_INTERVIEWS),
    "årstal, datoer og paragraffer": (
        block("Efter kommunalvalget den 21. november 2017 gælder integrationslovens § 42, stk. 2, fra 1998\n"
              "(se figur 10 og kapitel 3)."), "da", NO_INTERVIEWS),
    "words that state no quantity": (
        block("Early involvement matters most; members wanted more resources and more say, and several\n"
              "wanted a half-yearly report. Links with the minority associations and the majority population\n"
              "help."), "en", NO_INTERVIEWS),
    "ord, der ikke siger noget om antal": (
        block("Rådet skal kunne få indflydelse og få råd fra forvaltningen; flere ønskede mere ansvar, og\n"
              "formandens engagement betyder mere end funktionen. Kendskab skaber bro til flertalsbefolkningen,\n"
              "i hvert fald lokalt."), "da", NO_INTERVIEWS),
    "interviews, declared": (
        block("Most interviewees wanted more say; the interviews added a wish to be involved earlier.",
              "round.follow_up_interviews > 0"), "en", WITH_INTERVIEWS),
    "de fleste interviewpersoner, erklæret": (
        block("De fleste interviewpersoner ønskede mere indflydelse.", "round.follow_up_interviews > 0"),
        "da", WITH_INTERVIEWS),
    "a url and a markdown link": (
        block("See [the council's site](https://www.rem.dk/2016/page3061.aspx)."), "en", NO_INTERVIEWS),
}


@pytest.mark.parametrize("name", GOOD)
def test_good_blocks_pass(name):
    text, lang, meta = GOOD[name]
    assert lint(text, lang, meta) == []


def test_a_problem_names_file_line_block_word_and_the_fix():
    notes, _ = commentary.parse(Path("data/rounds/r/commentary/en.md"), "\n\n" + block(
        "Most councils, 33 of them, compensate members.", section="organisation.compensation"))
    messages = [str(p) for p in commentary.lint(notes, WITH_INTERVIEWS, "en")]
    assert messages == [
        "data/rounds/r/commentary/en.md, row 4: block organisation.compensation: the number '33' is typed; use a "
        "role instead: {count}`question.category`, {pct}`question.category`, {base}`question` or {round}`field` "
        "(the round fills the number in)",
        "data/rounds/r/commentary/en.md, row 4: block organisation.compensation: 'Most' is a quantity word that "
        "no claim of the block covers; declare the claim it rests on after the block's opening line, such as "
        "':claim: question.category is most' or ':claim: question.category > half', or say it with a role "
        "({count}`question.category`)",
    ]


def test_the_repositorys_commentaries_pass_the_lint():
    for round_id in ("2016", "example"):
        rnd = load_round(round_id)
        for lang in ("en", "da"):
            notes, _ = commentary.load(rnd.path, lang)
            assert notes.blocks and commentary.lint(notes, rnd.meta, lang) == [], (round_id, lang)


def test_validate_refuses_the_issue_s_example_and_names_every_problem(tmp_path):
    """The example from the issue, in a round with no interviews: refused by `validate`, with three problems."""
    folder = responses_round(tmp_path / "r", valid_rows(6))
    (folder / "commentary").mkdir()
    (folder / "commentary" / "en.md").write_text(block(
        "Most councils, 33 of them, compensate members; the interviews showed that they are happy.",
        section="organisation.compensation"), encoding="utf-8")
    rnd, _, problems = check_round(folder)
    assert problems == [] and not rnd.meta.get("follow_up_interviews")
    result = run_cli("validate", folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "3 problems" in result.stderr, result.stderr
    for words in ("row 2: block organisation.compensation: the number '33' is typed",
                  "row 2: block organisation.compensation: 'interviews' mentions interviews, but round.yaml names no "
                  "follow_up_interviews; say only what this round's sources hold",
                  "row 2: block organisation.compensation: 'Most' is a quantity word that no claim of the block "
                  "covers"):
        assert words in result.stderr, result.stderr
