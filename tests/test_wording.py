"""Words computed from numbers, at their edges: 0, 1, ties, exactly half, the thresholds, all.

Expected words are written here by hand from the thresholds appendix B documents (20%, 45%, 55%,
80%); they are not read from councils.wording.
"""

import pytest

from councils import wording
from councils.wording import Count, Record


@pytest.mark.parametrize("count,base,word", [
    (0, 30, "none"),
    (1, 30, "few"),  # 3%
    (5, 30, "few"),  # 16.7%
    (6, 30, "a minority"),  # exactly 20%: the lower edge of "a minority"
    (13, 30, "a minority"),  # 43.3%
    (9, 20, "about half"),  # exactly 45%
    (15, 30, "half"),  # exactly one half
    (1, 2, "half"),
    (11, 20, "about half"),  # exactly 55%: still about half
    (17, 30, "a majority"),  # 56.7%
    (23, 30, "a majority"),  # 76.7%
    (4, 5, "most"),  # exactly 80%
    (29, 30, "most"),
    (30, 30, "all"),
    (1, 1, "all"),
    (0, 1, "none"),
])
def test_quantity_words_at_their_edges(count, base, word):
    assert wording.quantity(count, base) == word


def test_quantity_refuses_impossible_counts():
    for count, base in ((3, 2), (-1, 5), (0, 0)):
        with pytest.raises(ValueError):
            wording.quantity_key(count, base)


@pytest.mark.parametrize("count,expected", [
    (0, "no council reports"), (1, "1 council reports"), (2, "2 councils report"), (5, "5 councils report"),
    (21, "21 councils report"),
])
def test_number_agreement(count, expected):
    n = Count(count)
    assert f"{n:councils} {n:report}" == expected


@pytest.mark.parametrize("phrase,count,expected", [
    ("have", 1, "has"), ("have", 2, "have"), ("do not", 1, "does not"), ("are consulted", 1, "is consulted"),
    ("have held", 1, "has held"), ("say", 0, "says"), ("find", 3, "find"), ("cannot say", 1, "cannot say"),
    ("were", 1, "was"), ("invite", 1, "invites"), ("go", 1, "goes"),
])
def test_verbs_agree_with_their_count(phrase, count, expected):
    assert wording.conjugate(phrase, count) == expected


@pytest.mark.parametrize("count,base,expected", [
    (0, 30, "No responding council has a budget of its own"),
    (1, 30, "One of the 30 responding councils has a budget of its own (1, 3%)"),
    (2, 30, "Few of the 30 responding councils have a budget of their own (2, 7%)"),
    (15, 30, "Half of the 30 responding councils have a budget of their own (15, 50%)"),
    (21, 30, "A majority of the 30 responding councils have a budget of their own (21, 70%)"),
    (28, 30, "Most of the 30 responding councils have a budget of their own (28, 93%)"),
    (30, 30, "All 30 responding councils have a budget of their own"),
    (1, 1, "The one responding council has a budget of its own"),
])
def test_subject_verb_and_parenthesis(count, base, expected):
    n = Count(count, base)
    assert f"{n:Q} {n:have} a budget of {n:their} own{n:paren}" == expected


def test_subject_numbers_agree_for_zero_and_one():
    assert f"{Count(0, 30):ofs}" == "none of the 30"
    assert f"{Count(16, 30):ofs}" == "16 of 30"
    assert f"{Count(0, 30):np}" == "none" and f"{Count(20, 30):np}" == "20 (67%)"


def test_percentages_english_and_danish():
    assert wording.pct(16 / 30) == "53%"
    assert wording.pct(16 / 30, "da") == "53\u00a0%"  # Danish: a no-break space before the sign


def test_danish_agreement_needs_no_plural():
    assert wording.councils(1, "da") == "1 råd" and wording.councils(5, "da") == "5 råd"
    assert wording.councils(0, "da") == "intet råd"
    assert wording.quantity(21, 30, "da") == "et flertal"


def test_ranked_groups_ties_in_their_given_order():
    assert wording.ranked([("a", 21), ("b", 21), ("c", 18), ("d", 0), ("e", 18)]) == [
        [("a", 21), ("b", 21)], [("c", 18), ("e", 18)], [("d", 0)]]
    assert wording.ranked([]) == []


def test_comparisons_and_the_other():
    assert wording.comparison_key(25, 15) == "more"
    assert wording.comparison_key(15, 25) == "fewer"
    assert wording.comparison_key(15, 15) == "as_many"
    assert wording.adds_up(17, 13, 30)
    assert not wording.adds_up(21, 13, 36)  # the example round: 2 councils left it blank


@pytest.mark.parametrize("change,beyond,word", [
    (12.0, True, "rose"), (-12.0, True, "fell"), (12.0, False, "no_change"), (-40.0, False, "no_change"),
    (0.0, True, "no_change"),
])
def test_change_words_name_a_direction_only_beyond_chance(change, beyond, word):
    assert wording.change_key(change, beyond) == word


def test_join_lists():
    assert wording.join([]) == ""
    assert wording.join(["a"]) == "a"
    assert wording.join(["a", "b"]) == "a and b"
    assert wording.join(["a", "b", "c"]) == "a, b and c"
    assert wording.join(["a", "b"], "da") == "a og b"


def test_every_use_of_a_count_is_recorded():
    record = Record()
    n = Count(21, 30, "own_budget.yes", record=record)
    text = f"{n:Q} {n:have} one{n:paren}"
    assert [s.spec for s in record.said] == ["Q", "have", "paren"]
    assert "".join(s.text for s in record.said if s.spec != "have") in text.replace(" have one", "")
    assert all(s.ref == "own_budget.yes" and (s.count, s.base) == (21, 30) for s in record.said)
