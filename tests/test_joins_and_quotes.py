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
