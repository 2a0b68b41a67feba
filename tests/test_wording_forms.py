"""Every form councils.wording can give, in both languages: the cases the mutation check found untested.

Each expected string is written here by hand (English and Danish grammar, the rounding rule of appendix B:
halves away from zero); none is read from the code under test.
"""

from fractions import Fraction

import pytest

from councils import wording
from councils.wording import Count, Record


@pytest.mark.parametrize("share,lang,digits,expected", [
    (Fraction(1, 8), "en", 0, "13%"),  # 12.5 -> 13: half away from zero
    (Fraction(1, 8), "da", 0, "13\u00a0%"),
    (0.125, "en", 0, "13%"),  # a float takes the same path as the fraction
    (Fraction(1, 8), "en", 1, "12.5%"),
    (Fraction(1, 8), "da", 1, "12,5\u00a0%"),
    (Fraction(1, 3), "en", 2, "33.33%"),
    (Fraction(2, 3), "da", 1, "66,7\u00a0%"),
    (Fraction(1, 16), "en", 2, "6.25%"),
    (Fraction(1, 16), "en", 1, "6.3%"),  # 6.25 -> 6.3
    (0, "en", 0, "0%"),
    (1, "en", 0, "100%"),
    (12.345, "en", 0, "1,235%"),  # thousands: a comma in English ...
    (12.345, "da", 0, "1.235\u00a0%"),  # ... a point in Danish
])
def test_percentages_with_decimals_grouping_and_halves(share, lang, digits, expected):
    assert wording.pct(share, lang, digits) == expected


@pytest.mark.parametrize("call", [
    lambda: wording.pct(0.5, "de"), lambda: wording.quantity(1, 2, "sv"), lambda: wording.councils(1, "fr"),
    lambda: wording.join(["a", "b"], "no"),
])
def test_an_unknown_language_is_refused_by_name(call):
    with pytest.raises(ValueError, match=r"language must be one of en, da, not '\w\w'"):
        call()


@pytest.mark.parametrize("count,base", [(3, 2), (-1, 5), (0, 0), (1, 0), (2, -1)])
def test_an_impossible_count_is_refused_with_both_numbers(count, base):
    with pytest.raises(ValueError, match=rf"need 0 <= count <= base and base >= 1, got {count} of {base}"):
        wording.quantity_key(count, base)


@pytest.mark.parametrize("count,base,key", [
    (1, 5, "minority"),  # exactly 20%
    (1, 6, "few"),  # 16.7%
    (2, 5, "minority"),  # 40%
    (9, 20, "about_half"),  # exactly 45%: no longer a minority
    (11, 20, "about_half"),  # exactly 55%: still about half
    (10, 20, "half"),
    (12, 20, "majority"),  # 60%
    (79, 100, "majority"),
    (80, 100, "most"),  # exactly 80%
    (99, 100, "most"),
])
def test_quantity_keys_at_the_thresholds(count, base, key):
    assert wording.quantity_key(count, base) == key


@pytest.mark.parametrize("count,singular", [(0, True), (1, True), (2, False), (30, False)])
def test_singular_is_none_or_one(count, singular):
    assert wording.singular(count) is singular


@pytest.mark.parametrize("phrase,count,expected", [
    # regular verbs take -s, or -es after s, sh, ch, x, z and o
    ("miss", 1, "misses"), ("push", 1, "pushes"), ("reach", 1, "reaches"), ("fix", 1, "fixes"),
    ("buzz", 1, "buzzes"), ("echo", 1, "echoes"), ("meet", 1, "meets"), ("meet", 0, "meets"),
    ("meet", 2, "meet"),
    # the past does not agree: listed past tenses, and -ed but not -eed
    ("chose", 1, "chose"), ("answered the survey", 1, "answered the survey"), ("said", 1, "said"),
    ("need", 1, "needs"), ("proceed", 1, "proceeds"),
    # forms already singular, and modal verbs, stay as they are
    ("has", 1, "has"), ("does", 1, "does"), ("is", 1, "is"), ("was", 1, "was"),
    ("did not", 1, "did not"), ("could", 1, "could"), ("can", 1, "can"), ("cannot", 1, "cannot"),
    ("will", 1, "will"), ("would", 1, "would"), ("may", 1, "may"), ("might", 1, "might"),
    ("must", 1, "must"), ("should", 1, "should"),
    # irregular third persons, and the rest of the phrase untouched
    ("have been asked", 1, "has been asked"), ("do not", 0, "does not"), ("are", 2, "are"), ("go", 2, "go"),
])
def test_verbs_every_ending(phrase, count, expected):
    assert wording.conjugate(phrase, count) == expected


def test_councils_with_another_noun():
    noun = ("board", "boards")
    assert wording.councils(0, "en", noun) == "no board"
    assert wording.councils(1, "en", noun) == "1 board"
    assert wording.councils(2, "en", noun) == "2 boards"
    assert wording.councils(2, "da", noun) == "2 råd"  # Danish 'råd' is the same in the plural


@pytest.mark.parametrize("count,base,lang,with_base,expected", [
    (0, 30, "en", False, "no responding council"),
    (1, 1, "en", False, "the one responding council"),
    (30, 30, "en", False, "all responding councils"),
    (1, 30, "en", False, "one responding council"),
    (21, 30, "en", False, "a majority of the responding councils"),
    (0, 30, "da", True, "intet af de besvarende råd"),
    (0, 30, "da", False, "intet besvarende råd"),
    (1, 1, "da", True, "det ene besvarende råd"),
    (30, 30, "da", True, "alle 30 besvarende råd"),
    (30, 30, "da", False, "alle besvarende råd"),
    (1, 30, "da", True, "ét af de 30 besvarende råd"),
    (1, 30, "da", False, "ét besvarende råd"),
    (21, 30, "da", True, "et flertal af de 30 besvarende råd"),
    (2, 30, "da", False, "få af de besvarende råd"),
    (15, 30, "da", True, "halvdelen af de 30 besvarende råd"),
])
def test_subjects_in_both_languages_with_and_without_the_base(count, base, lang, with_base, expected):
    assert wording.subject(count, base, lang, with_base) == expected


def test_join_with_another_conjunction_and_between_clauses():
    assert wording.join(["a", "b", "c"], "en", "or") == "a, b or c"
    assert wording.join(["a", "b"], "da", "eller") == "a eller b"
    assert wording.join(["12 råd svarer af og til", "1 råd svarer aldrig"], "da", clauses=True) == \
        "12 råd svarer af og til, og 1 råd svarer aldrig"
    assert wording.join(["a", "b", "c"], "en", clauses=True) == "a, b, and c"
    assert wording.join(["a", "", "b"]) == "a and b"  # empty items are left out
    assert wording.join(["", "a"]) == "a"


def test_capitalise_changes_only_the_first_letter():
    assert wording.capitalise("most of the 30 councils") == "Most of the 30 councils"
    assert wording.capitalise("ét af de REM-råd") == "Ét af de REM-råd"
    assert wording.capitalise("") == ""


def test_adds_up_only_to_the_base():
    assert wording.adds_up(0, 30, 30) and wording.adds_up(30, 0, 30)
    assert not wording.adds_up(17, 12, 30) and not wording.adds_up(17, 14, 30)


@pytest.mark.parametrize("count,base,lang,spec,expected", [
    (16, 30, "da", "of", "16 af 30"),
    (16, 30, "en", "of", "16 of 30"),
    (0, 30, "da", "ofs", "ingen af de 30"),
    (16, 30, "da", "ofs", "16 af 30"),
    (0, 30, "da", "np", "ingen"),
    (20, 30, "da", "np", "20 (67\u00a0%)"),
    (16, 30, "en", "pct", "53%"),
    (16, 30, "da", "pct", "53\u00a0%"),
    (21, 30, "da", "paren", " (21, 70\u00a0%)"),
    (30, 30, "en", "paren", ""),  # all: the subject already says it
    (0, 30, "en", "paren", ""),
    (21, 30, "en", "q", "a majority of the 30 responding councils"),
    (21, 30, "en", "S", "A majority of the responding councils"),
    (21, 30, "en", "s", "a majority of the responding councils"),
    (21, 30, "da", "Q", "Et flertal af de 30 besvarende råd"),
    (1, None, "en", "councils", "1 council"),
    (0, None, "en", "Councils", "No council"),
    (5, None, "da", "Councils", "5 råd"),
    (0, None, "da", "councils", "intet råd"),
    (1, None, "en", "their", "its"), (2, None, "en", "its", "their"),
    (1, None, "da", "their", "dets"), (2, None, "da", "their", "deres"), (0, None, "da", "its", "dets"),
    (1, None, "en", "they", "it"), (3, None, "en", "they", "they"),
    (1, None, "da", "they", "det"), (3, None, "da", "they", "de"),
    (1, None, "da", "har", "har"), (3, None, "da", "svarer", "svarer"),  # Danish verbs do not agree
    (1, None, "en", "have", "has"), (3, None, "en", "have", "have"),
    (7, None, "en", "", "7"), (7, 30, "da", "", "7"),
])
def test_every_spec_of_a_count(count, base, lang, spec, expected):
    assert format(Count(count, base, lang=lang), spec) == expected


@pytest.mark.parametrize("spec", ["of", "ofs", "np", "pct", "paren", "Q", "q", "S", "s"])
def test_a_spec_that_needs_the_base_says_so(spec):
    with pytest.raises(ValueError, match=rf"'{spec}' needs the base of own_budget.yes"):
        format(Count(3, ref="own_budget.yes"), spec)
    with pytest.raises(ValueError, match=rf"'{spec}' needs the base of the count"):
        format(Count(3), spec)


def test_the_record_holds_every_use_with_its_words():
    record = Record()
    n = Count(1, 30, "round.responses", "en", record)
    assert f"{n:Q} {n:have}" == "One of the 30 responding councils has"
    said = record.said
    assert [(s.ref, s.count, s.base, s.spec, s.text) for s in said] == [
        ("round.responses", 1, 30, "Q", "One of the 30 responding councils"),
        ("round.responses", 1, 30, "have", "has")]
    assert f"{Count(2, 30):q}" == "few of the 30 responding councils"  # no record: nothing is written anywhere


@pytest.mark.parametrize("previous,current,lang,expected", [
    (Fraction(1, 8), Fraction(3, 8), "en", ("13%", "38%", "+25")),
    (Fraction(3, 8), Fraction(1, 8), "da", ("38\u00a0%", "13\u00a0%", "\u221225")),
    (0.5, 0.5, "en", ("50%", "50%", "\u00b10")),
    (Fraction(1, 2), Fraction(1, 2) - Fraction(1, 250), "en", ("50%", "50%", "\u22120.4")),  # reads as 0: a decimal
    (Fraction(1, 2), Fraction(1, 2) - Fraction(1, 250), "da", ("50\u00a0%", "50\u00a0%", "\u22120,4")),
])
def test_shares_and_change_as_shown(previous, current, lang, expected):
    assert wording.shares_and_change(previous, current, lang) == expected


def test_the_defaults_are_english_and_with_the_base():
    assert wording.councils(2) == "2 councils"
    assert wording.subject(21, 30) == "a majority of the 30 responding councils"
    assert wording.quote("Other") == "\u201cOther\u201d"
    assert wording.pct(0.5) == "50%"


def test_a_small_change_beyond_chance_has_its_direction():
    # changes given as fractions of one (0.5 points is 0.005): a rise is any change above zero
    assert wording.change_key(0.005, True) == "rose"
    assert wording.change_key(0.5, True) == "rose"
    assert wording.change_key(-0.005, True) == "fell"


@pytest.mark.parametrize("share,lang,digits,expected", [
    (0.5, "en", 1, "50.0%"),  # the decimals asked for are shown, trailing zeros too
    (Fraction(1, 4), "da", 2, "25,00\u00a0%"),
])
def test_percentages_keep_the_decimals_asked_for(share, lang, digits, expected):
    assert wording.pct(share, lang, digits) == expected


@pytest.mark.parametrize("label,lang,expected", [
    ("\u203aja\u2039", "da", "\u00bbja\u00ab"),  # a Danish inner quotation, requoted as an outer one
    ("\u2018yes\u2019", "en", "\u201cyes\u201d"),
    ('""', "en", "\u201c\u201d"),  # an empty quotation is requoted, not quoted again
    ("\u00bb\u00ab", "da", "\u00bb\u00ab"),
    ("x", "en", "\u201cx\u201d"),
])
def test_quotation_marks_of_every_kind_are_requoted(label, lang, expected):
    assert wording.quote(label, lang) == expected


def test_float_shares_are_read_as_the_ratios_they_are():
    # 1/97 as a float is read back as 1/97 (not as a nearby fraction of a smaller denominator), so the
    # same share in both rounds is no change at all
    assert wording.shares_and_change(1 / 97, 1 / 97) == ("1%", "1%", "\u00b10")
    assert wording.shares_and_change(1 / 97, 2 / 97) == ("1%", "2%", "+1")


# --- defaults and edges that the forms above leave out ---------------------------------------------------

def test_english_is_the_default_language_of_every_form():
    from councils.wording import councils, quote, subject

    assert councils(3) == "3 councils"
    assert quote("Other") == "\u201cOther\u201d"
    assert subject(16, 30) == "about half of the 30 responding councils"  # 53%
    assert subject(16, 30, with_base=False) != subject(16, 30)


def test_a_change_below_one_point_still_has_a_direction():
    from councils.wording import change_key

    assert change_key(0.004, True) == "rose" and change_key(-0.004, True) == "fell"
    assert change_key(0.5, True) == "rose"


def test_a_percentage_keeps_the_decimals_asked_for():
    from councils.wording import pct

    assert pct(0.12, digits=1) == "12.0%" and pct(0.12, "da", 1) == "12,0\u00a0%"
    assert pct(0.125, digits=2) == "12.50%"


def test_inner_quotation_marks_are_requoted_in_either_style():
    from councils.wording import quote

    assert quote("\u203aAndet\u2039", "da", inner=True) == "\u203aAndet\u2039"
    assert quote("\u2018Other\u2019", "en", inner=True) == "\u2018Other\u2019"
    assert quote("\u2018Other\u2019", "da") == "\u00bbOther\u00ab"
    assert quote("\u201c\u201d") == "\u201c\u201d"  # an empty quotation, requoted as empty
    assert quote("\u201cA\u201d") == "\u201cA\u201d"  # one character inside


def test_shares_with_large_denominators_are_shown_as_they_are():
    from councils.wording import shares_and_change

    # 12.499% is shown 12%: read as a fraction with a small denominator (1/8) it would round to 13%
    assert shares_and_change(0.12499, 0.2) == ("12%", "20%", "+8")
