"""Joins and quotation marks as a Danish and an English editor set them (councils.wording.join, quote).

The expected sentences are the issue's own examples, written out by hand with the comma a Danish
editor puts before a main clause with its own subject (and none inside a list of noun phrases).
"""

import pytest

from councils.wording import join, quote


@pytest.mark.parametrize("items,expected", [
    # The three sentences the reading found: without the comma, "og 1 råd svarer aldrig" reads as part
    # of what the 12 councils answer.
    (["12 råd svarer af og til", "1 råd svarer aldrig"], "12 råd svarer af og til, og 1 råd svarer aldrig"),
    (["8 råd mener ikke, at de kan", "2 råd kan ikke svare"], "8 råd mener ikke, at de kan, og 2 råd kan ikke svare"),
    (["6 råd har ikke", "for 3 råd er svaret uoplyst"], "6 råd har ikke, og for 3 råd er svaret uoplyst"),
    (["12 råd har 1-10 medlemmer", "13 råd har 11-15 medlemmer", "5 råd har 16 medlemmer eller flere"],
     "12 råd har 1-10 medlemmer, 13 råd har 11-15 medlemmer, og 5 råd har 16 medlemmer eller flere"),
])
def test_danish_clauses_with_their_own_subject_take_a_comma_before_og(items, expected):
    assert join(items, "da", clauses=True) == expected


def test_danish_lists_of_noun_phrases_take_no_comma_before_og():
    assert join(["beskæftigelse", "uddannelse", "sundhed"], "da") == "beskæftigelse, uddannelse og sundhed"
    assert join(["beskæftigelse", "sundhed"], "da") == "beskæftigelse og sundhed"


def test_english_independent_clauses_take_a_comma_before_and():
    assert (join(["12 councils say sometimes", "1 council says never"], "en", clauses=True)
            == "12 councils say sometimes, and 1 council says never")
    assert join(["employment", "education", "health"], "en") == "employment, education and health"


def test_a_join_of_one_or_no_clause_adds_nothing():
    assert join(["12 råd svarer af og til"], "da", clauses=True) == "12 råd svarer af og til"
    assert join(["", "1 råd svarer aldrig", ""], "da", clauses=True) == "1 råd svarer aldrig"
    assert join([], "da", clauses=True) == ""


def test_another_conjunction_keeps_the_comma_rule():
    assert join(["rådet bliver hørt", "det bliver ikke hørt"], "da", conjunction="eller", clauses=True) == (
        "rådet bliver hørt, eller det bliver ikke hørt")


@pytest.mark.parametrize("label,lang,expected", [
    ("Andet", "da", "\u00bbAndet\u00ab"),  # »Andet«
    ("Other", "en", "\u201cOther\u201d"),  # “Other”
    ("11-15 medlemmer", "da", "\u00bb11-15 medlemmer\u00ab"),
])
def test_answer_labels_are_quoted_in_the_language_s_marks(label, lang, expected):
    assert quote(label, lang) == expected


def test_a_label_already_in_quotation_marks_is_requoted_not_doubled():
    assert quote("\u201cAndet\u201d", "da") == "\u00bbAndet\u00ab"
    assert quote('"Other"', "en") == "\u201cOther\u201d"
    assert quote("\u00bbAndet\u00ab", "da") == "\u00bbAndet\u00ab"


def test_a_quotation_inside_a_quotation_uses_the_inner_marks():
    assert quote("ja", "da", inner=True) == "\u203aja\u2039"  # ›ja‹
    assert quote("yes", "en", inner=True) == "\u2018yes\u2019"  # ‘yes’


def test_danish_guillemets_point_inwards_never_the_reversed_pair():
    text = quote("1 råd svarer", "da")
    assert text.startswith("\u00bb") and text.endswith("\u00ab"), text  # not «1 råd svarer«


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        quote("x", "de")


# ---------------------------------------------------------------------------------------------------
# Sentences the editors' reading of 2026 found (issue 16, Deliver 2), as a reader reads them

import re  # noqa: E402

import yaml  # noqa: E402

from councils import findings  # noqa: E402
from councils import statistics as stats  # noqa: E402
from councils.paths import ROUNDS_DIR  # noqa: E402
from councils.rounds import load_round  # noqa: E402
from councils.tables import frequency_table  # noqa: E402


def _written(round_id: str, name: str, lang: str) -> str:
    rnd = load_round(round_id)
    return findings.write(name, frequency_table(rnd), rnd.meta, lang)[0]


def test_non_response_and_the_uncounted_councils_are_two_clauses_with_a_comma():
    # 2016: 40 asked, 30 answered, 44 existing (the report); no sentence starts with a digit
    da = _written("2016", "coverage", "da")
    assert ("Af de adspurgte råd svarede 10 ikke, og runden regner med 4 flere eksisterende råd, end den "
            "spurgte, uden at sige hvorfor, så") in da
    en = _written("2016", "coverage", "en")
    assert ("Of the councils asked, 10 did not answer, and the round counts 4 more existing councils than it "
            "asked without saying why, so") in en
    assert "the councils whose answer is missing had given the answer" in en  # the bounds of appendix B


def test_rem_knowledge_and_its_missing_answers_are_two_clauses_with_a_comma():
    assert re.search(r"\d+ råd har noget eller et overfladisk kendskab, og for \d+ råd er svaret uoplyst",
                     _written("example", "rem", "da"))
    assert re.search(r"\d+ councils know it somewhat or superficially, and for \d+ councils? the answer is not stated",
                     _written("example", "rem", "en"))


def test_the_consultation_sentence_names_every_answer_so_its_counts_add_up():
    base = yaml.safe_load((ROUNDS_DIR / "example" / "round.yaml").read_text(encoding="utf-8"))["responses"]
    en = _written("example", "consulted", "en")
    assert "rarely consulted" in en and "never consulted" in en
    lead = int(re.search(r"\((\d+), \d+%\)", en).group(1))
    rest = [int(n) for n in re.findall(r"(\d+) councils? (?:(?:are|is) (?:rarely|never) consulted|do not know)", en)]
    assert lead + sum(rest) == base, en
    # 2016 holds only the groups: nothing more is said than the report says
    assert _written("2016", "consulted", "en").endswith("(28, 93%).")


def test_the_worked_example_names_the_base_of_the_blank_answers_and_says_none_for_zero():
    en = stats.worked_example("Own budget, “Yes”", 32, 41, 0, 44, "en")
    assert "None of the 41 left the question blank" in en and "0 of" not in en
    assert "Ingen af de 41 lod spørgsmålet stå tomt" in stats.worked_example("Eget budget, »Ja«", 32, 41, 0, 44, "da")


def test_a_fictional_round_is_not_said_to_have_been_published():
    en, da = _written("example", "context", "en"), _written("example", "context", "da")
    assert en.startswith("In 2026, according to this fictional round,") and "published" not in en
    assert "ifølge denne fiktive runde" in da and "udgivet" not in da
    assert "when the round's findings were published" in _written("2016", "context", "en")
