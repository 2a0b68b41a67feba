"""Which changes the comparison chapter calls changed: Holm over the questions, and the bounds, checked independently.

The family is the questions (issue 14): each question's test of its whole answer distribution is
Holm-adjusted over the questions compared; the adjusted p-values must be Holm's, written out here by
hand (not with councils.statistics.holm). A share "changed whatever the non-respondents would have said" when the
bounds of its change exclude zero: the bounds are worked out here from the counts by hand arithmetic.
The example round's changes are the ones counted by hand below.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from councils.tables import comparison_table


def holm_by_definition(p_values: list[float]) -> list[float]:
    """Holm (1979), step-down: the k-th smallest of m p-values becomes max over j <= k of min(1, (m - j + 1) p_(j))."""
    m = len(p_values)
    ranked = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    for k in range(1, m + 1):
        adjusted[ranked[k - 1]] = max(min(1.0, (m - j + 1) * p_values[ranked[j - 1]]) for j in range(1, k + 1))
    return adjusted


def test_the_written_out_adjustment_by_hand():
    # 0.01 x 4 = 0.04; 0.02 x 3 = 0.06; 0.03 x 2 = 0.06; 0.5 x 1 = 0.5; ties keep the larger running value
    assert holm_by_definition([0.03, 0.01, 0.5, 0.02]) == pytest.approx([0.06, 0.04, 0.5, 0.06])
    assert holm_by_definition([0.02, 0.02, 0.9]) == pytest.approx([0.06, 0.06, 0.9])


@pytest.fixture(scope="module")
def example():
    return comparison_table("example", "2016")


def test_adjusted_p_values_are_holms_over_the_questions(example):
    questions = example.drop_duplicates("question")
    p = list(questions["question_p_value"])
    assert len(p) > 1
    assert list(questions["question_p_holm"]) == pytest.approx(holm_by_definition(p), rel=1e-12, abs=1e-15)


def bounds_by_hand(count: int, base: int, population: int, blanks: float) -> tuple[Fraction, Fraction]:
    """None, or all, of the councils with a missing answer (not asked + left blank) gave the answer."""
    blanks = 0 if blanks != blanks else int(blanks)  # NaN: the round does not say how many left it blank
    return Fraction(count, population), Fraction(count + population - base + blanks, population)


def test_changed_whatever_is_exactly_where_the_bounds_of_the_change_exclude_zero(example):
    detail = example[(example["role"] == "detail") & example["compared"]]
    for row in detail.itertuples():
        blanks_prev = row.previous_not_stated if row.previous_not_stated == row.previous_not_stated else \
            row.previous_base - sum(example[(example["question"] == row.question) & (example["role"] != "missing")
                                           & (example["kind"] == "option")]["previous_count"])
        before = bounds_by_hand(row.previous_count, row.previous_base, row.previous_population, blanks_prev)
        after = bounds_by_hand(row.current_count, row.current_base, row.current_population, row.current_not_stated)
        low, high = after[0] - before[1], after[1] - before[0]
        assert (row.verdict == "changed_whatever") == (low > 0 or high < 0), row


def test_beyond_chance_needs_the_question_and_the_share_to_change(example):
    for row in example[example["verdict"] == "beyond_chance"].itertuples():
        assert row.question_verdict in ("changed_whatever", "beyond_chance") and row.p_value <= 0.05, row
    # a question whose adjusted test does not reject, and none of whose shares changed whatever, has no change
    for q, rows in example.groupby("question"):
        certain = (rows["verdict"] == "changed_whatever").any()
        if not certain and rows["question_p_holm"].iloc[0] > 0.05:
            assert not rows["verdict"].isin(["changed_whatever", "beyond_chance"]).any(), q


# ---------------------------------------------------------------------------------------------------
# HAND-COUNTED EXPECTATION (update it when the comparisons or the method change).
# How it was counted: counts as in the table (2016 from the report, the example round from its responses),
# councils asked 40 (2016) and 44 (example). Bounds of each round's share: count/asked to
# (count + not answered + left blank)/asked; a change "whatever" when the example's low bound exceeds
# 2016's high bound or its high bound falls below 2016's low bound:
#   member_compensation.yes    8/30 (2016: 8/40 to 18/40) -> 22/36, 2 blank (22/44 to 32/44): 0.500 > 0.450
#   admin_placement.employment 22/30, 8 unknown (22/40 to 40/40) -> 11/36, 3 blank (11/44 to 22/44): 0.500 < 0.550
#   integration_policy.has_policy 22/30 (22/40 to 32/40) -> 9/36, 1 blank (9/44 to 18/44): 0.409 < 0.550
#   contact_officials_appointed.yes 25/30 (25/40 to 35/40) -> 17/36 (17/44 to 25/44): 0.568 < 0.625
#   consulted.often_or_sometimes 28/30 (28/40 to 38/40) -> 19/36 (19/44 to 27/44): 0.614 < 0.700
# Changed beyond chance (the question changed, and the share's own score test, p from statsmodels'
# test_proportions_2indep(method="score") by hand, rejects at 5%):
#   member_compensation.no          18/30 -> 10/36  p = 0.0089
#   integration_policy.decided_against 1/30 -> 11/36 p = 0.0046
EXAMPLE_DETAIL_COMPARISONS = 43
EXAMPLE_CHANGED_WHATEVER = {("member_compensation", "yes"), ("admin_placement", "employment"),
                            ("integration_policy", "has_policy"), ("contact_officials_appointed", "yes"),
                            ("consulted", "often_or_sometimes")}
EXAMPLE_BEYOND_CHANCE = {("member_compensation", "no"), ("integration_policy", "decided_against")}


def test_the_example_rounds_changes_are_the_hand_counted_ones(example):
    assert int((example["role"] == "detail").sum()) == EXAMPLE_DETAIL_COMPARISONS
    verdicts = {(q, c): v for q, c, v in zip(example["question"], example["category"], example["verdict"])}
    assert {k for k, v in verdicts.items() if v == "changed_whatever"} == EXAMPLE_CHANGED_WHATEVER
    assert {k for k, v in verdicts.items() if v == "beyond_chance"} == EXAMPLE_BEYOND_CHANCE


def test_the_score_p_values_of_the_beyond_chance_rows_are_statsmodels(example):
    from statsmodels.stats.proportion import test_proportions_2indep

    for q, c in EXAMPLE_BEYOND_CHANCE:
        row = example[(example["question"] == q) & (example["category"] == c)].iloc[0]
        expected = test_proportions_2indep(int(row.current_count), int(row.current_base), int(row.previous_count),
                                           int(row.previous_base), method="score", compare="diff").pvalue
        assert row.p_value == pytest.approx(expected, rel=1e-9)
