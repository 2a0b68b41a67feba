"""councils.statistics' numbers as shown, in English unless Danish is asked for, and the languages it refuses.

Every expected string is written out by hand: shares and changes in points rounded half away from zero, interval
ends rounded outward, p-values to two significant digits, a true minus sign (U+2212), a no-break space before
the Danish per cent sign.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from councils import statistics as stats
from test_codebook_parts import book  # noqa: F401 -- the hand-made codebook (a fixture)


def test_every_form_is_english_by_default():
    assert stats.format_number(Decimal("1234.5")) == "1,234.5"
    assert stats.format_number(Decimal("-3")) == "\u22123"
    assert stats.format_number(Decimal("3"), sign=True) == "+3"
    assert stats.format_share(Fraction(1, 8)) == "13%"
    assert stats.format_change(Fraction(-1, 8)) == "\u221213"
    assert stats.format_interval_end(Fraction(-1, 8), "low") == "\u221213"
    assert stats.format_interval_end(Fraction(1, 8), "high") == "+13"
    assert stats.format_change_interval(Fraction(-1, 8), Fraction(1, 20)) == "\u221213 to +5"
    assert stats.format_p(0.01234) == "0.012"


def test_the_same_forms_in_danish():
    assert stats.format_number(Decimal("1234.5"), "da") == "1.234,5"
    assert stats.format_share(Fraction(1, 8), "da") == "13\u00a0%"
    assert stats.format_change(Fraction(-1, 8), "da") == "\u221213"
    assert stats.format_change_interval(Fraction(-1, 8), Fraction(1, 20), "da") == "\u221213 til +5"
    assert stats.format_p(0.01234, "da") == "0,012"


@pytest.mark.parametrize("call", [
    lambda: stats.format_number(Decimal(1), "de"), lambda: stats.format_share(Fraction(1, 2), "sv"),
    lambda: stats.format_change(Fraction(1, 2), "no"), lambda: stats.format_change_interval(-0.1, 0.1, "fi"),
    lambda: stats.format_p(0.5, "nl"),
])
def test_another_language_is_refused(call):
    with pytest.raises(ValueError, match=r"language must be one of en, da, not '\w\w'"):
        call()


def test_interval_ends_that_would_round_to_zero_keep_their_side():
    # 0.3 points up and 0.04 points down: one decimal, then two, rounded outward
    assert stats.format_interval_end(Fraction(3, 1000), "low") == "+0.3"
    assert stats.format_interval_end(Fraction(-4, 10000), "high") == "\u22120.04"
    assert stats.format_interval_end(Fraction(0), "low") == "0"


def test_a_share_with_a_decimal_and_a_p_value_below_a_thousandth():
    assert stats.format_share(Fraction(1, 3), "en", 1) == "33.3%"
    assert stats.format_share(Fraction(1, 3), "da", 1) == "33,3\u00a0%"
    assert stats.format_p(0.0004) == "< 0.001" and stats.format_p(0.0004, "da") == "< 0,001"
    with pytest.raises(ValueError, match="a p-value lies in"):
        stats.format_p(1.5)


def numbers_in(text: str) -> list[str]:
    import re

    return re.findall(r"\d+(?:[.,]\d+)?", text)


def test_every_number_of_the_worked_example_in_its_place():
    # 2016's own budget: 21 yes of 30 answers, 3 blank, 40 asked; K from 24 to 31 (test_statistics.py counts them
    # by exact enumeration), 60% to 78% (77.5 rounded up); bounds 21/40 = 52.5% and (21 + 10 + 3)/40 = 85%
    en = stats.worked_example("Own budget, yes", 21, 30, 3, 40)
    assert en.startswith("**A worked example.** Own budget, yes: ")
    # (the editors' read: "3 of the 30" left it blank, and the 95% interval is named before the K it keeps)
    assert numbers_in(en) == ["21", "30", "70", "3", "30", "10", "40", "95", "40", "24", "31", "60", "78", "13", "21",
                              "40", "52.5", "34", "40", "85"]
    da = stats.worked_example("Eget budget, ja", 21, 30, 3, 40, "da")
    assert numbers_in(da) == ["21", "30", "70", "3", "30", "10", "40", "95", "24", "31", "40", "60", "78", "13", "21",
                              "40", "52,5", "34", "40", "85"]
    assert "70\u00a0%" in da and "70%" in en


def test_a_worked_example_at_another_confidence():
    # 90%: a tail of 5% each side; the K kept, counted with scipy's hypergeometric distribution
    from scipy.stats import hypergeom

    kept = [k for k in range(21, 32) if hypergeom.sf(20, 40, k, 30) > 0.05 and hypergeom.cdf(21, 40, k, 30) > 0.05]
    en = stats.worked_example("Own budget, yes", 21, 30, 3, 40, "en", 0.90)
    assert f"the 90% interval puts the number of the 40 councils asked that would give it between {kept[0]} and " \
           f"{kept[-1]} " in en and (kept[0], kept[-1]) != (24, 31)


def test_the_method_text_in_english_by_default_with_its_verdicts_capitalised():
    en = stats.method_text()
    assert en == stats.method_text("en")
    assert "95% confidence" in en and "5%" in en
    for key in ("changed_whatever", "beyond_chance", "no_clear_change"):
        word = stats.VERDICTS[key]["en"]
        assert word[0].upper() + word[1:] in en
    da = stats.method_text("da")
    assert "95\u00a0% sikkerhed" in da and "5\u00a0%" in da
    assert "Ingen klar ændring" in da  # 'ingen klar ændring', capitalised
    assert "90% confidence" in stats.method_text("en", 0.90) and "10%" in stats.method_text("en", 0.90)


@pytest.mark.parametrize("share,digits", [(Fraction(21, 40), 1), (Fraction(34, 40), 0), (Fraction(1, 3), 1),
                                          (Fraction(1, 8), 1), (Fraction(1, 200), 1), (Fraction(1, 400), 1)])
def test_decimals_a_bound_needs(share, digits):
    # 52.5% needs one, 85% none; a third never ends, so the most (one); 12.5% one; 0.5% one; 0.25% would need two
    assert stats._digits_needed(share) == digits


@pytest.mark.parametrize("p,alpha,en", [
    (0.0, None, "< 0.001"), (1.0, None, "1.0"), (0.001, None, "0.0010"), (0.5, None, "0.50"),
    (0.04996, 0.05, "0.04996"), (0.05, 0.05, "0.050"), (0.050004, 0.05, "0.050004"),
    (0.0500000001, 0.05, "0.05000000"),  # seven significant digits at most, even when still on the wrong side
])
def test_p_values_at_their_edges(p, alpha, en):
    assert stats.format_p(p, "en", alpha) == en


def test_interval_ends_of_exactly_zero_and_a_hair_either_side():
    assert stats.format_interval_end(0.0, "high") == "0"
    assert stats.format_interval_end(1e-9, "low") == "+0"  # above zero, under a hundredth of a point: '+0'
    assert stats.format_interval_end(-1e-9, "high") == "\u22120"
    assert stats.format_interval_end(1e-9, "low", "en", 1) == "+0.0"
    assert stats.format_interval_end(0.125, "low") == "+12"  # a float: 12.5 rounded down
    assert stats.format_change_interval(-0.125, 0.125, "en", 1) == "\u221212.5 to +12.5"


def exact_tail(count: int, base: int, population: int, k: int, upper: bool) -> Fraction:
    """P(X >= count) or P(X <= count), X hypergeometric: each term C(k, x) C(N - k, n - x) / C(N, n), summed."""
    from math import comb

    xs = range(count, base + 1) if upper else range(0, count + 1)
    return Fraction(sum(comb(k, x) * comb(population - k, base - x) for x in xs), comb(population, base))


def test_the_exact_tail_term_by_term_against_the_sum_written_out():
    cases = [(c, n, N, k, upper) for N in (5, 9, 12) for n in range(1, N + 1) for c in range(0, n + 1)
             for k in range(0, N + 1) for upper in (True, False)]
    for count, base, population, k, upper in cases:
        assert stats._tail_exact(count, base, population, k, upper) == exact_tail(count, base, population, k, upper), \
            (count, base, population, k, upper)


def test_float_ends_are_put_on_a_step_of_the_decimals_asked_for():
    # 4.5000000000001 is 45.000000000001 tenths: within 1e-9 of 45, so 4.5, not rounded up to 4.6
    assert stats.round_outward(4.45, 4.5000000000001, 1) == (Decimal("4.4"), Decimal("4.5"))
    assert stats.round_outward(Fraction(9, 2), Fraction(9, 2), 1) == (Decimal("4.5"), Decimal("4.5"))


def test_signs_of_zero_and_of_a_change():
    assert stats.format_number(Decimal("-0.0")) == "\u22120.0"  # a negative zero keeps its minus sign
    assert stats.format_number(Decimal("0"), sign=True) == "0"  # no '+' on zero
    assert stats.format_number(Decimal("1"), sign=True) == "+1"
    assert stats.format_change(Fraction(1, 2)) == "+50"


def test_one_row_per_question_with_the_question_columns_only():
    import pandas as pd

    rows = [dict.fromkeys(stats.QUESTION_COLUMNS, 0) | {"question": q, "category": c}
            for q, c in (("a", "yes"), ("a", "no"), ("b", "yes"))]
    frame = pd.DataFrame(rows, index=[7, 8, 9])
    out = stats.question_rows(frame)
    assert list(out.columns) == stats.QUESTION_COLUMNS and list(out.index) == [0, 1]
    assert list(out["question"]) == ["a", "b"]


def table(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["question", "category", "count", "base"])


# Two rounds of test_codebook_parts.py's hand-made codebook (budget: yes, no; views: agree, disagree, dont_know
# with the groups agreeing and others; areas: multiple choice), 40 and 36 councils asked.
PREVIOUS = [("budget", "yes", 5, 10), ("budget", "no", 3, 10),
            ("views", "agree", 2, 10), ("views", "disagree", 1, 10), ("views", "dont_know", 1, 10),
            ("areas", "jobs", 2, 10), ("areas", "school", 7, 10)]
CURRENT = [("budget", "yes", 6, 9), ("budget", "no", 2, 9), ("budget", "not_stated", 1, 9),
           ("views", "agree", 3, 8), ("views", "disagree", 2, 8), ("views", "dont_know", 1, 8),
           ("views", "agreeing", 3, 8), ("views", "others", 5, 8),
           ("areas", "jobs", 4, 9), ("areas", "school", 4, 9)]


def test_the_questions_two_rounds_share_category_by_category(book):
    C, R = stats.Category, stats.RoundCounts
    budget, views, areas = stats.comparable_questions(table(PREVIOUS), table(CURRENT), 40, 36, book)
    assert budget == stats.ComparableQuestion("budget", "single_choice", (
        C("yes", "option", "Yes", "Ja", 5, 6), C("no", "option", "No", "Nej", 3, 2),
        # blanks: 10 - 5 - 3 = 2 before (every option held), the not-stated row's 1 now
        C("not_stated", "missing", "Not stated", "Uoplyst", 2, 1)), R(10, 40, 2), R(9, 36, 1))
    # the groups' members are compared as options, so the groups are not compared on their own
    assert views == stats.ComparableQuestion("views", "single_choice", (
        C("agree", "option", "Agree", "Enig", 2, 3), C("disagree", "option", "Disagree", "Uenig", 1, 2),
        C("dont_know", "option", "Don't know", "Ved ikke", 1, 1, dont_know=True),
        C("not_stated", "missing", "Not stated", "Uoplyst", 6, 2)), R(10, 40, 6), R(8, 36, 2))
    assert areas == stats.ComparableQuestion("areas", "multiple_choice", (
        C("jobs", "option", "Jobs", "Job", 2, 4), C("school", "option", "School", "Skole", 7, 4)),
        R(10, 40, 0), R(9, 36, 0))  # a multiple-choice question has no blanks to count


def test_a_round_that_holds_a_question_only_as_groups(book):
    previous = [r for r in PREVIOUS if r[0] != "views"] + [("views", "agreeing", 4, 10), ("views", "others", 6, 10)]
    _, views, _ = stats.comparable_questions(table(previous), table(CURRENT), 40, 36, book)
    C = stats.Category
    assert views.categories == (C("agreeing", "group", "Agreeing", "Enige", 4, 3, ("agree",)),
                                C("others", "group", "Others", "Andre", 6, 5,
                                  ("disagree", "dont_know", "not_stated"), "agreeing"))
    assert (views.previous.not_stated, views.current.not_stated) == (None, 2)  # before: not every option held


def test_a_question_one_round_did_not_hold_is_left_out(book):
    previous = [r for r in PREVIOUS if r[0] != "views"]
    found = stats.comparable_questions(table(previous), table(CURRENT), 40, 36, book)
    assert [q.question for q in found] == ["budget", "areas"]


def test_a_multiple_choice_question_is_tested_option_by_option(book):
    from scipy.stats import fisher_exact

    *_, areas = stats.comparable_questions(table(PREVIOUS), table(CURRENT), 40, 36, book)
    row = stats.question_rows(stats.compare_rounds([areas])).iloc[0]
    # each option chosen or not, before and now, by Fisher's exact test; Bonferroni over the two options
    jobs, school = fisher_exact([[2, 8], [4, 5]]).pvalue, fisher_exact([[7, 3], [4, 5]]).pvalue
    assert row["question_test"] == "bonferroni_exact"
    assert row["question_p_value"] == pytest.approx(min(1.0, 2 * min(jobs, school)), rel=1e-9)


def test_a_change_too_small_for_two_more_decimals():
    assert stats.format_change(Fraction(4, 100000)) == "0.00"  # 0.004 points: 0, 0.0, 0.00, and no further
    assert stats.format_change(Fraction(4, 10000)) == "+0.04"


def question(type_, cats, previous=(10, 40, 0), current=(9, 36, 0), name="q"):
    return stats.ComparableQuestion(name, type_, tuple(cats), stats.RoundCounts(*previous), stats.RoundCounts(*current))


def test_the_role_of_each_category_of_a_multiple_choice_question():
    C = stats.Category
    q = question("multiple_choice", [C("jobs", "option", "Jobs", "Job", 2, 4),
                                     C("dont_know", "option", "Don't know", "Ved ikke", 1, 1, dont_know=True),
                                     C("not_stated", "missing", "Not stated", "Uoplyst", 1, 0)])
    assert list(stats.compare_rounds([q])["role"]) == ["detail", "dont_know", "missing"]


def test_options_groups_and_blanks_together_and_a_round_of_no_answers():
    C = stats.Category
    q = question("single_choice", [C("a", "option", "A", "A", 2, 3), C("g", "group", "G", "G", 2, 3, ("a",)),
                                   C("not_stated", "missing", "Not stated", "Uoplyst", 1, 1)], (10, 40, 1), (9, 36, 1))
    assert list(stats.compare_rounds([q])["role"]) == ["detail", "rollup", "missing"]
    nobody = question("single_choice", [C("a", "option", "A", "A", 0, 3)], (0, 40, 0))  # a base of 0 is allowed
    assert list(stats.compare_rounds([nobody])["compared"]) == [False]


@pytest.mark.parametrize("q,message", [
    (question("single_choice", [stats.Category("a", "answer", "A", "A", 1, 1)]),
     "q: kind must be option, group or missing, not ['answer']"),
    (question("text", [stats.Category("a", "option", "A", "A", 1, 1)]),
     "q: type must be single_choice or multiple_choice, not 'text'"),
    (question("single_choice", [stats.Category("a", "option", "A", "A", 1, 1)], (-1, 40, 0)),
     "q: need 0 <= base <= population, got -1 of 40"),
    (question("single_choice", [stats.Category("a", "option", "A", "A", 1, 1)], (41, 40, 0)),
     "q: need 0 <= base <= population, got 41 of 40"),
    (question("single_choice", [stats.Category("a", "option", "A", "A", 11, 1)]),
     "q.a: need 0 <= count <= base, got 11 of 10"),
])
def test_a_question_that_cannot_be_compared_is_refused_by_name(q, message):
    with pytest.raises(ValueError) as caught:
        stats.compare_rounds([q])
    assert str(caught.value) == message


def test_the_method_texts_level_in_each_language():
    assert "5% level" in stats.method_text("en")
    assert "5\u00a0%-niveau" in stats.method_text("da")


def test_a_worked_example_whose_ends_and_bound_need_care():
    from math import ceil, floor

    from scipy.stats import hypergeom

    # 5 of 6 answered, 7 asked: the K kept at 95% counted with scipy; the ends as percentages of 7, outward
    kept = [k for k in range(5, 7) if hypergeom.sf(4, 7, k, 6) > 0.025 and hypergeom.cdf(5, 7, k, 6) > 0.025]
    en = stats.worked_example("Yes", 5, 6, 0, 7)
    assert f"({floor(kept[0] * 100 / 7)}% to {ceil(kept[-1] * 100 / 7)}%)" in en
    # 21 of 30, 4 blank, 40 asked: at most (21 + 10 + 4) / 40 = 87.5%, which needs its decimal
    assert "35 of 40 (87.5%" in stats.worked_example("Yes", 21, 30, 4, 40)


def test_float_interval_ends_are_snapped_and_a_tiny_end_keeps_its_language():
    assert stats.format_interval_end(0.4500000000000001, "high") == "+45"  # not 46: a float's residue
    assert stats.format_interval_end(Fraction(1, 10**7), "low", "da", 1) == "+0,0"  # floor to 0 at 1, 2, 3 decimals


def test_bounds_of_a_round_where_nobody_answered():
    import math

    C = stats.Category
    nobody = question("single_choice", [C("a", "option", "A", "A", 0, 3)], (0, 40, 0))
    row = stats.compare_rounds([nobody]).iloc[0]
    assert (row["previous_bound_low"], row["previous_bound_high"]) == (0, 1)  # anything from none to all
    # not compared: no change, no test, no direction, no note
    assert not row["compared"] and row["direction"] is None and not row["rejects"] and not row["unchanged"]
    assert not row["rounding_note"] and all(math.isnan(row[c]) for c in ("change", "change_bound_low",
                                                                          "change_bound_high", "change_low",
                                                                          "change_high", "p_value"))


def test_each_share_and_change_of_a_question_by_hand_and_by_statsmodels():
    from statsmodels.stats.proportion import test_proportions_2indep

    C = stats.Category
    # yes 3 of 10 before, 8 of 9 now, no blanks; 'no' mirrors 'yes' (a two-way split), so it is its complement
    q = question("single_choice", [C("yes", "option", "Yes", "Ja", 3, 8), C("no", "option", "No", "Nej", 7, 1)],
                 (10, 40, 0), (9, 36, 0))
    frame = stats.compare_rounds([q])
    yes = frame.iloc[0]
    assert (yes["previous_share"], yes["current_share"]) == (pytest.approx(0.3), pytest.approx(8 / 9))
    assert yes["change"] == pytest.approx(8 / 9 - 0.3) and yes["direction"] == "rose" and not yes["unchanged"]
    # no-assumption bounds: before 3/40 to (3 + 30)/40, now 8/36 to (8 + 27)/36
    assert yes["change_bound_low"] == pytest.approx(8 / 36 - 33 / 40)
    assert yes["change_bound_high"] == pytest.approx(35 / 36 - 3 / 40)
    p = test_proportions_2indep(8, 9, 3, 10, method="score", compare="diff", correction=True).pvalue
    assert yes["p_value"] == pytest.approx(p, rel=1e-9) and bool(yes["rejects"]) == (p <= 0.05)
    # the interval holds the change, and excludes zero exactly when the test rejects (p = 0.012 here)
    assert yes["change_low"] < yes["change"] < yes["change_high"] and yes["change_low"] > 0
    # shown 30% and 89%: a change of 59 points, as the unrounded change (58.9) rounds: no rounding note
    assert not yes["rounding_note"]
    assert frame.iloc[1]["role"] == "complement"


def test_a_share_that_did_not_change_and_a_rounding_note():
    C = stats.Category
    same = stats.compare_rounds([question("single_choice", [C("yes", "option", "Y", "J", 5, 5),
                                                            C("no", "option", "N", "N", 5, 5)],
                                          (10, 40, 0), (10, 36, 0))]).iloc[0]
    assert same["direction"] == "same" and same["unchanged"] and same["change"] == 0
    # 1 of 8 (12.5%, shown 13) to 2 of 9 (22.2%, shown 22): shown 9 points apart, the change is 9.7, shown 10
    moved = stats.compare_rounds([question("single_choice", [C("yes", "option", "Y", "J", 1, 2),
                                                             C("no", "option", "N", "N", 7, 7)],
                                           (8, 40, 0), (9, 36, 0))]).iloc[0]
    assert moved["rounding_note"] and moved["direction"] == "rose"


def test_the_verdict_of_each_kind_of_question():
    from scipy.stats import fisher_exact

    C = stats.Category
    moved = question("single_choice", [C("yes", "option", "Y", "J", 3, 8), C("no", "option", "N", "N", 7, 1)],
                     (10, 40, 0), (9, 36, 0), name="moved")
    still = question("single_choice", [C("yes", "option", "Y", "J", 5, 5), C("no", "option", "N", "N", 5, 5)],
                     (10, 40, 0), (10, 36, 0), name="still")
    nobody = question("single_choice", [C("a", "option", "A", "A", 0, 3)], (0, 40, 0), name="nobody")
    rows = stats.question_rows(stats.compare_rounds([moved, still, nobody])).set_index("question")
    p_moved = fisher_exact([[3, 7], [8, 1]]).pvalue  # a 2 x 2 table: Fisher's exact test
    assert rows.loc["moved", "question_p_value"] == pytest.approx(p_moved, rel=1e-7)
    # Holm over the two questions compared: the smaller p doubled; 'still' has p = 1
    assert rows.loc["moved", "question_p_holm"] == pytest.approx(min(1.0, 2 * p_moved), rel=1e-7)
    expected = "beyond_chance" if 2 * p_moved <= 0.05 else "no_clear_change"
    assert list(rows["question_verdict"]) == [expected, "no_clear_change", "not_compared"]
    assert list(rows["question_unchanged"]) == [False, True, False]


# --- each verdict, note and column of the comparison at its edge (hand-made questions) -----------------

def test_a_change_of_every_council_asked_that_no_test_would_call_beyond_chance_gets_the_model_note():
    C = stats.Category
    # every council asked answered (4 of 4 both times): 1 yes, then 2 yes; the bounds are the shares themselves, so
    # the share rose by 25 points whatever; a score test of 1 of 4 against 2 of 4 is far from rejecting
    q = question("single_choice", [C("yes", "option", "Y", "J", 1, 2), C("no", "option", "N", "N", 3, 2)],
                 (4, 4, 0), (4, 4, 0))
    yes, no = stats.compare_rounds([q]).to_dict("records")
    assert (yes["change_bound_low"], yes["change_bound_high"]) == (0.25, 0.25)
    assert yes["verdict"] == "changed_whatever" and not yes["rejects"] and yes["model_note"]
    assert not yes["unadjusted_note"]
    assert no["verdict"] == "not_separately_compared" and not no["model_note"] and not no["unadjusted_note"]


def test_a_share_that_stayed_the_same_for_every_council_asked_did_not_change_whatever():
    C = stats.Category
    # bounds of exactly 0 to 0: not a change (a bound must lie above or below zero)
    q = question("single_choice", [C("yes", "option", "Y", "J", 2, 2), C("no", "option", "N", "N", 2, 2)],
                 (4, 4, 0), (4, 4, 0))
    yes = stats.compare_rounds([q]).iloc[0]
    assert (yes["change_bound_low"], yes["change_bound_high"]) == (0, 0)
    assert yes["verdict"] == "no_clear_change" and not yes["model_note"] and not yes["rounding_note"]
    fell = question("single_choice", [C("yes", "option", "Y", "J", 2, 1), C("no", "option", "N", "N", 2, 3)],
                    (4, 4, 0), (4, 4, 0))
    row = stats.compare_rounds([fell]).iloc[0]
    assert row["direction"] == "fell" and row["verdict"] == "changed_whatever"


def test_one_option_s_own_test_rejects_but_its_question_does_not_the_unadjusted_note():
    from scipy.stats import fisher_exact
    from statsmodels.stats.proportion import test_proportions_2indep

    C = stats.Category
    # 30 of 90 councils answered both times: wide bounds. Option a: 2 of 30, then 10 of 30; four other options alike
    counts = {"a": (2, 10), "b": (5, 6), "c": (7, 8), "d": (9, 9), "e": (4, 5)}
    q = question("multiple_choice", [C(k, "option", k, k, p, c) for k, (p, c) in counts.items()], (30, 90, 0),
                 (30, 90, 0))
    frame = stats.compare_rounds([q]).set_index("category")
    fisher = {k: fisher_exact([[p, 30 - p], [c, 30 - c]]).pvalue for k, (p, c) in counts.items()}
    assert frame["question_p_value"].iloc[0] == pytest.approx(min(1.0, 5 * min(fisher.values())), rel=1e-9)
    assert 5 * fisher["a"] > 0.05  # the question's Bonferroni p: no clear change
    score = test_proportions_2indep(10, 30, 2, 30, method="score", compare="diff", correction=True).pvalue
    assert score <= 0.05  # option a's own test rejects
    a = frame.loc["a"]
    assert a["rejects"] and a["verdict"] == "no_clear_change" and a["unadjusted_note"] and not a["model_note"]
    assert not frame.loc["b", "unadjusted_note"]
    assert list(frame["change_sentence"]) == [True] * 5


def test_a_question_beyond_chance_and_its_categories():
    C = stats.Category
    # 30 of 100 asked: 5, then 25 say yes; the bounds hold zero (30 to 95 points of 100 left open), the tests do not
    q = question("single_choice", [C("yes", "option", "Y", "J", 5, 25), C("no", "option", "N", "N", 25, 5)],
                 (30, 100, 0), (30, 100, 0))
    yes = stats.compare_rounds([q]).iloc[0]
    assert yes["change_bound_low"] < 0 < yes["change_bound_high"]
    assert yes["question_verdict"] == "beyond_chance" and yes["verdict"] == "beyond_chance"
    assert yes["rejects"] and not yes["unadjusted_note"] and not yes["model_note"]


def test_a_question_p_value_equal_to_the_level_is_beyond_chance():
    import pandas as pd

    # _verdicts on its own, with a question test whose p is exactly 0.05 (no council counts give one)
    frame = pd.DataFrame([{"question": "q", "category": "a", "role": "detail", "compared": True, "rejects": True,
                           "change_bound_low": -0.1, "change_bound_high": 0.2, "reason": "", "unchanged": False,
                           "base_of_one": False, "p_value": 0.01}])
    out = stats._verdicts(frame, {"q": stats.DistributionTest(0.05, "exact")}, 0.05)
    assert out.iloc[0]["question_verdict"] == "beyond_chance" and out.iloc[0]["verdict"] == "beyond_chance"


def test_a_change_in_the_blank_answers_is_a_note_on_every_row_of_its_question():
    from statsmodels.stats.proportion import test_proportions_2indep

    C = stats.Category
    # 0 of 30 left it blank, then 12 of 30
    q = question("single_choice", [C("yes", "option", "Y", "J", 15, 9), C("no", "option", "N", "N", 15, 9),
                                   C("not_stated", "missing", "Not stated", "Uoplyst", 0, 12)],
                 (30, 40, 0), (30, 40, 12))
    frame = stats.compare_rounds([q])
    p = test_proportions_2indep(12, 30, 0, 30, method="score", compare="diff", correction=True).pvalue
    assert list(frame["not_stated_note"]) == [True, True, True]
    assert list(frame["not_stated_p_value"]) == pytest.approx([p] * 3, rel=1e-9)
    assert frame["not_stated_p_value"].dtype.kind == "f"
    assert list(frame["change_sentence"]) == [True, False, False]  # 'no' is yes's complement; blanks: a note
    still = question("single_choice", [C("yes", "option", "Y", "J", 15, 15), C("no", "option", "N", "N", 15, 15)],
                     (30, 40, 0), (30, 40, 0), name="still")
    assert list(stats.compare_rounds([still])["not_stated_note"]) == [False, False]


def test_the_blanks_of_a_round_are_its_missing_row_when_round_counts_do_not_say():
    C = stats.Category
    q = question("single_choice", [C("yes", "option", "Y", "J", 20, 18), C("no", "option", "N", "N", 7, 10),
                                   C("not_stated", "missing", "Not stated", "Uoplyst", 3, 2)],
                 (30, 40, None), (30, 40, None))
    yes = stats.compare_rounds([q]).iloc[0]
    assert (yes["previous_not_stated"], yes["current_not_stated"]) == (3, 2)
    # bounds: 20/40 to (20 + 10 + 3)/40 before; 18/40 to (18 + 10 + 2)/40 now
    assert (yes["previous_bound_low"], yes["previous_bound_high"]) == (20 / 40, 33 / 40)
    assert (yes["current_bound_low"], yes["current_bound_high"]) == (18 / 40, 30 / 40)


def test_blanks_that_differ_from_the_missing_row_are_refused():
    C = stats.Category
    q = question("single_choice", [C("yes", "option", "Y", "J", 20, 18),
                                   C("not_stated", "missing", "Not stated", "Uoplyst", 4, 2)], (30, 40, 3), (30, 40, 2))
    with pytest.raises(ValueError) as caught:
        stats.compare_rounds([q])
    assert str(caught.value) == "q: not_stated 3 differs from the missing row's 4"


def test_a_complement_counts_its_blanks_as_missing_in_its_bounds():
    C = stats.Category
    # 24 satisfied of 30; 'not satisfied' is the other 6, 2 blank answers among them; 40 asked
    q = question("single_choice", [C("sat", "group", "S", "T", 24, 24, ("a", "b")),
                                   C("not", "group", "N", "I", 6, 6, ("c", "not_stated"), complement_of="sat")],
                 (30, 40, 2), (30, 40, 2))
    rows = stats.compare_rounds([q]).set_index("category")
    # without the 2 blanks: 4 of 40 at least; at most 4 + the 10 who did not answer + the 2 blanks
    assert (rows.loc["not", "previous_bound_low"], rows.loc["not", "previous_bound_high"]) == (4 / 40, 16 / 40)


def test_a_base_of_one_is_bounded_by_the_councils_asked_and_gets_no_sentence():
    C = stats.Category
    q = question("single_choice", [C("yes", "option", "Y", "J", 1, 3), C("no", "option", "N", "N", 0, 2)],
                 (1, 40, 0), (5, 40, 0))
    yes = stats.compare_rounds([q]).iloc[0]
    assert yes["base_of_one"] and yes["reason"] == "base_of_one" and not yes["change_sentence"]
    assert (yes["previous_bound_low"], yes["previous_bound_high"]) == (1 / 40, 40 / 40)


def test_a_multiple_choice_question_has_no_blanks_and_tests_its_dont_know_too():
    from scipy.stats import fisher_exact

    C = stats.Category
    q = question("multiple_choice", [C("jobs", "option", "Jobs", "Job", 10, 11),
                                     C("dont_know", "option", "Don't know", "Ved ikke", 1, 9, dont_know=True)],
                 (20, 40, None), (20, 40, None))
    frame = stats.compare_rounds([q])
    assert list(frame["previous_not_stated"]) == [0, 0] and list(frame["current_not_stated"]) == [0, 0]
    p = min(fisher_exact([[10, 10], [11, 9]]).pvalue, fisher_exact([[1, 19], [9, 11]]).pvalue)
    assert frame["question_p_value"].iloc[0] == pytest.approx(min(1.0, 2 * p), rel=1e-9)
    same = question("multiple_choice", [C("jobs", "option", "Jobs", "Job", 10, 10),
                                        C("school", "option", "School", "Skole", 5, 5),
                                        C("health", "option", "Health", "Sundhed", 3, 3)], (20, 40, None),
                    (20, 40, None), name="same")
    assert stats.compare_rounds([same])["question_p_value"].iloc[0] == 1.0  # 3 x 1, capped at 1
    blanks_only = question("multiple_choice", [C("not_stated", "missing", "Not stated", "Uoplyst", 1, 2)],
                           name="blanks")
    assert stats.compare_rounds([blanks_only])["question_p_value"].iloc[0] == 1.0  # nothing tested


def test_a_question_given_as_one_option_is_tested_against_the_rest_of_its_base():
    from scipy.stats import fisher_exact

    C = stats.Category
    # only 'yes' is held, blanks unknown: the rest of each base is one row of the test
    q = question("single_choice", [C("yes", "option", "Y", "J", 3, 9)], (10, 40, None), (12, 40, None))
    p = stats.compare_rounds([q])["question_p_value"].iloc[0]
    assert p == pytest.approx(fisher_exact([[3, 7], [9, 3]]).pvalue, rel=1e-9)


def test_the_interval_of_a_change_at_another_confidence():
    C = stats.Category
    q = question("single_choice", [C("yes", "option", "Y", "J", 3, 8), C("no", "option", "N", "N", 7, 1)])
    at_90 = stats.compare_rounds([q], confidence=0.90).iloc[0]
    assert (at_90["change_low"], at_90["change_high"]) == pytest.approx(
        stats.score_interval((3, 10), (8, 9), 0.90), rel=1e-12)
    assert at_90["change_low"] > stats.compare_rounds([q]).iloc[0]["change_low"]  # narrower than at 95%


def test_a_rounding_note_only_where_the_shown_shares_and_change_disagree():
    C = stats.Category
    # 15 of 30 (50%) to 127 of 242 (52.48%): shown 2 points apart, the change 2.48 shown 2: no note
    q = question("single_choice", [C("yes", "option", "Y", "J", 15, 127), C("no", "option", "N", "N", 15, 115)],
                 (30, 40, 0), (242, 300, 0))
    assert not stats.compare_rounds([q]).iloc[0]["rounding_note"]


def test_a_question_not_compared_has_no_holm_p_value():
    C = stats.Category
    nobody = question("single_choice", [C("a", "option", "A", "A", 0, 3)], (0, 40, 0))
    frame = stats.compare_rounds([nobody])
    assert frame["question_p_holm"].isna().all() and frame["question_p_holm"].dtype.kind == "f"


# --- every small case, against references written out here ----------------------------------------------

def kept_by_both_tails(count: int, base: int, population: int, tail: Fraction) -> list[int]:
    """Every K that both tails keep above ``tail``, in exact fractions (exact_tail, above)."""
    return [k for k in range(count, count + population - base + 1)
            if exact_tail(count, base, population, k, True) > tail and exact_tail(count, base, population, k, False) > tail]


def test_the_finite_population_interval_of_every_count_of_every_small_round():
    # every K kept by both tails at 2.5%, counted with exact fractions, for every round of up to 12 councils
    for population in range(1, 13):
        for base in range(1, population + 1):
            for count in range(base + 1):
                ks = kept_by_both_tails(count, base, population, Fraction(1, 40))
                assert stats.finite_population_range(count, base, population) == (ks[0], ks[-1]), \
                    (count, base, population)
                expected = (count / base,) * 2 if base == population else (ks[0] / population, ks[-1] / population)
                assert stats.finite_population_interval(count, base, population) == expected


def test_the_finite_population_interval_at_another_confidence():
    for count, base, population in [(3, 5, 9), (0, 4, 10), (6, 8, 12)]:
        ks = kept_by_both_tails(count, base, population, Fraction(1, 10))
        assert stats.finite_population_interval(count, base, population, 0.80) == (ks[0] / population,
                                                                                  ks[-1] / population)


def test_the_float_tail_of_every_small_round():
    for population in range(1, 11):
        for base in range(1, population + 1):
            for k in range(population + 1):
                for count in range(base + 1):
                    for upper in (True, False):
                        exact = exact_tail(count, base, population, k, upper)
                        assert stats._tail_float(count, base, population, k, upper) == pytest.approx(
                            float(exact), rel=1e-9, abs=1e-300), (count, base, population, k, upper)


def test_the_float_tail_of_a_large_round_far_from_its_mean():
    from scipy.stats import hypergeom

    # 400 of 1,000 asked answered, 500 have it: P(X >= 260) and P(X <= 140), far in the tails
    assert stats._tail_float(260, 400, 1000, 500, True) == pytest.approx(hypergeom.sf(259, 1000, 500, 400), rel=1e-6)
    assert stats._tail_float(140, 400, 1000, 500, False) == pytest.approx(hypergeom.cdf(140, 1000, 500, 400), rel=1e-6)
    assert stats._tail_float(210, 400, 1000, 500, True) == pytest.approx(hypergeom.sf(209, 1000, 500, 400), rel=1e-9)


def reference_tables(previous, current) -> tuple[Fraction, int]:
    """Fisher-Freeman-Halton p in exact fractions, and the number of tables with the observed margins."""
    import itertools
    from math import comb, prod

    totals = [a + b for a, b in zip(previous, current)]
    column = sum(previous)

    def weight(x):
        return prod(comb(t, xi) for t, xi in zip(totals, x))

    tables = [x for x in itertools.product(*(range(t + 1) for t in totals)) if sum(x) == column]
    observed = weight(previous)
    return Fraction(sum(weight(x) for x in tables if weight(x) <= observed), comb(sum(totals), column)), len(tables)


def test_the_distribution_test_of_every_small_table():
    import itertools

    for rows in (2, 3):
        for cells in itertools.product(range(4), repeat=2 * rows):
            previous, current = list(cells[:rows]), list(cells[rows:])
            if sum(previous) == 0 or sum(current) == 0:
                continue
            result = stats.distribution_test(previous, current)
            p, count = reference_tables([a for a, b in zip(previous, current) if a + b],
                                        [b for a, b in zip(previous, current) if a + b])
            assert result.p_value == pytest.approx(float(p), rel=1e-9), (previous, current)
            held = sum(1 for a, b in zip(previous, current) if a + b)
            assert result.method == "exact"
            assert result.tables == (1 if held < 2 else count), (previous, current)


def test_the_distribution_test_without_a_choice_to_make():
    # one row held, or one round with no answers: nothing can differ
    assert stats.distribution_test([0, 5], [0, 3]) == stats.DistributionTest(1.0, "exact", 1)
    assert stats.distribution_test([0, 0], [2, 3]) == stats.DistributionTest(1.0, "exact", 1)
    assert stats.distribution_test([2, 3], [0, 0]) == stats.DistributionTest(1.0, "exact", 1)
    # one council in the previous round: still a table to test
    one = stats.distribution_test([1, 0], [2, 5])
    assert one.tables == 2 and one.p_value == pytest.approx(float(reference_tables([1, 0], [2, 5])[0]))


def test_the_distribution_test_switches_to_monte_carlo_above_its_limit():
    previous, current = [3, 2, 1], [1, 2, 3]
    tables = reference_tables(previous, current)[1]
    assert stats.distribution_test(previous, current, max_tables=tables).method == "exact"
    sampled = stats.distribution_test(previous, current, max_tables=tables - 1, draws=0)
    # no draw: (1 + 0 hits) / (1 + 0 draws)
    assert sampled == stats.DistributionTest(1.0, "monte_carlo", tables)
    one = stats.distribution_test(previous, current, max_tables=0, draws=1)
    assert one.p_value in (0.5, 1.0) and one.tables == tables


@pytest.mark.parametrize("previous,current", [([1, 2], [1]), ([[1, 2]], [[1, 2]]), ([-1, 2], [1, 2]), ([1, 2], [1, -2])])
def test_the_distribution_test_refuses_tables_it_cannot_read(previous, current):
    with pytest.raises(ValueError) as caught:
        stats.distribution_test(previous, current)
    assert str(caught.value) == "need two equally long lists of counts, none negative"


@pytest.mark.parametrize("call,message", [
    (lambda: stats.score_interval((3, 2), (1, 4)), "need 0 <= count <= base and base >= 1, got 3 of 2"),
    (lambda: stats.score_interval((0, 0), (1, 4)), "need 0 <= count <= base and base >= 1, got 0 of 0"),
    (lambda: stats.score_test((1, 4), (-1, 4)), "need 0 <= count <= base and base >= 1, got -1 of 4"),
    (lambda: stats.score_interval((1, 1), (0, 0)), "need 0 <= count <= base and base >= 1, got 0 of 0"),
    (lambda: stats.finite_population_interval(5, 4, 10), "need 0 <= count <= base <= population, got 5, 4, 10"),
    (lambda: stats.nonresponse_bounds(3, 4, 10, 5), "need 0 <= not_stated <= base, got 5 of 4"),
    (lambda: stats.nonresponse_bounds(1, 4, 10, 2, True), "a count of 1 cannot hold 2 blank answers"),
])
def test_each_refusal_says_what_was_wrong(call, message):
    with pytest.raises(ValueError) as caught:
        call()
    assert str(caught.value) == message


def test_a_change_needs_two_councils_at_least():
    with pytest.raises(ValueError) as caught:
        stats.score_interval((1, 1), (0, 0))
    assert "got 0 of 0" in str(caught.value)
    low, high = stats.score_interval((1, 1), (0, 1))  # two councils: an interval
    assert -1 <= low < high <= 1


def test_the_score_interval_of_every_small_pair_ends_where_the_score_reaches_its_critical_value():
    from statistics import NormalDist

    critical = NormalDist().inv_cdf(0.975)
    checked = 0
    for n1 in range(1, 6):
        for n2 in range(1, 6):
            for c1 in range(n1 + 1):
                for c2 in range(n2 + 1):
                    previous, current = (c1, n1), (c2, n2)
                    low, high = stats.score_interval(previous, current)
                    estimate = c2 / n2 - c1 / n1
                    assert -1 <= low <= estimate <= high <= 1
                    # the interval excludes zero exactly when the score test at zero rejects (p <= 0.05)
                    rejects = stats.score_test(previous, current) <= 0.05
                    assert rejects == (low > 0 or high < 0), (previous, current, low, high)
                    for end, sign in ((low, 1), (high, -1)):
                        if 1e-9 < abs(end) < 1 - 1e-9:  # an end inside (-1, 1), not held at zero
                            score = stats._score_statistic(end, current, previous)
                            assert score == pytest.approx(sign * critical, abs=1e-6), (previous, current, end)
                            checked += 1
                        elif abs(end) >= 1 - 1e-9:
                            assert end in (-1.0, 1.0), (previous, current, end)  # the score never reached it: the end is ±1
    assert checked > 300


def test_a_worked_example_with_no_blank_answers_says_none_in_each_language():
    en = stats.worked_example("Yes", 21, 30, 0, 40)
    da = stats.worked_example("Ja", 21, 30, 0, 40, "da")
    assert "None of the 30 left the question blank" in en
    assert "Ingen af de 30 lod spørgsmålet stå tomt" in da


def test_why_a_question_was_not_compared():
    C = stats.Category
    cases = {"before": ((0, 40, 0), (9, 36, 0)), "after": ((10, 40, 0), (0, 36, 0)), "both": ((0, 40, 0), (0, 36, 0)),
             "blank_before": ((10, 40, 10), (9, 36, 0))}
    frame = stats.compare_rounds([question("single_choice", [C("a", "option", "A", "Å", 0, 0)], p, c, name=n)
                                  for n, (p, c) in cases.items()])
    assert dict(zip(frame["question"], frame["reason"])) == {
        "before": "no_answers_previous", "after": "no_answers_current", "both": "no_answers_both",
        "blank_before": "no_answers_previous"}
    assert not frame["compared"].any()
    assert list(frame["label_en"]) == ["A"] * 4 and list(frame["label_da"]) == ["Å"] * 4


def test_groups_that_overlap_a_group_already_compared_are_roll_ups():
    C = stats.Category
    q = question("single_choice", [C("ab", "group", "AB", "AB", 3, 3, ("a", "b")), C("cd", "group", "CD", "CD", 4, 4, ("c", "d")),
                                   C("ae", "group", "AE", "AE", 2, 2, ("a", "e"))])
    assert list(stats.compare_rounds([q])["role"]) == ["detail", "detail", "rollup"]


@pytest.mark.parametrize("b,blanks", [(1, 2), (3, 0)])  # 8 + 1 and 2 blanks, or 8 + 3 and none: 11 either way
def test_categories_and_blanks_above_the_base_are_refused(b, blanks):
    C = stats.Category
    q = question("single_choice", [C("a", "option", "A", "A", 8, 5), C("b", "option", "B", "B", b, 1)],
                 (10, 40, blanks), (9, 36, 0))
    with pytest.raises(ValueError) as caught:
        stats.compare_rounds([q])
    assert str(caught.value) == "q: the categories and blanks add up to 11, more than the base of 10"


def test_the_rest_of_the_base_is_tested_with_the_round_it_belongs_to():
    from scipy.stats import fisher_exact

    C = stats.Category
    # yes 3 of 10 (7 others) before, 9 of 12 (3 others) now: the rest of each base is its own round's
    q = question("single_choice", [C("yes", "option", "Y", "J", 3, 9)], (10, 40, 0), (12, 40, 0))
    p = stats.compare_rounds([q])["question_p_value"].iloc[0]
    assert p == pytest.approx(fisher_exact([[3, 7], [9, 3]]).pvalue, rel=1e-9)
    assert stats.compare_rounds([q])["previous_not_stated"].iloc[0] == 0


def test_the_worked_example_gives_its_level_in_its_language():
    assert "95\u00a0%-intervallet" in stats.worked_example("Ja", 21, 30, 0, 40, "da")
    assert "the 95% interval" in stats.worked_example("Yes", 21, 30, 0, 40)


@pytest.mark.parametrize("count,base,population", [(3, 5, 9), (0, 4, 9)])
def test_the_finite_population_interval_at_99_percent(count, base, population):
    ks = kept_by_both_tails(count, base, population, Fraction(1, 200))
    assert stats.finite_population_interval(count, base, population, 0.99) == (ks[0] / population,
                                                                              ks[-1] / population)


def test_blanks_a_round_does_not_say_are_unknown_and_those_it_says_are_kept():
    import math

    C = stats.Category
    unknown = stats.compare_rounds([question("single_choice", [C("yes", "option", "Y", "J", 3, 9)],
                                             (10, 40, None), (12, 40, None))]).iloc[0]
    assert math.isnan(unknown["previous_not_stated"]) and math.isnan(unknown["current_not_stated"])
    mixed = stats.compare_rounds([question("single_choice", [C("yes", "option", "Y", "J", 3, 9)],
                                           (10, 40, 2), (12, 40, None))]).iloc[0]
    assert mixed["previous_not_stated"] == 2 and math.isnan(mixed["current_not_stated"])


def test_the_blank_row_has_no_bounds_of_its_own_and_multiple_choice_bounds_count_no_blanks():
    import math

    C = stats.Category
    q = question("single_choice", [C("yes", "option", "Y", "J", 20, 18), C("no", "option", "N", "N", 7, 10),
                                   C("not_stated", "missing", "Not stated", "Uoplyst", 3, 2)], (30, 40, 3), (30, 40, 2))
    blank = stats.compare_rounds([q]).iloc[2]
    assert all(math.isnan(blank[c]) for c in ("previous_bound_low", "previous_bound_high", "current_bound_low",
                                              "current_bound_high"))
    jobs = stats.compare_rounds([question("multiple_choice", [C("jobs", "option", "Jobs", "Job", 10, 11)],
                                          (20, 40, None), (20, 40, None))]).iloc[0]
    # 10 of the 20 who answered; the 20 who did not may all or none have ticked it: 10 to 30 of 40
    assert (jobs["previous_bound_low"], jobs["previous_bound_high"]) == (10 / 40, 30 / 40)


@pytest.mark.parametrize("previous,current", [((1, 40, None), (5, 40, None)), ((5, 40, None), (1, 40, None))])
def test_a_base_of_one_with_blanks_unknown_is_still_compared(previous, current):
    C = stats.Category
    row = stats.compare_rounds([question("single_choice", [C("yes", "option", "Y", "J", 1, 1)], previous,
                                         current)]).iloc[0]
    assert row["compared"] and row["base_of_one"] and row["reason"] == "base_of_one"
