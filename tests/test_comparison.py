"""Comparing rounds: the exact test, the score interval of a change, Holm's adjustment, rounding, bounds.

Expected values are Newcombe's published intervals (Statistics in Medicine 1998; 17: 873-890,
table II, method 10), scipy's Fisher test, and hand-worked cases.
"""

from math import comb

import pytest
from scipy.stats import fisher_exact

from councils.wording import shares_and_change
from councils.tables import change_interval, change_p_value, comparison_table, holm, nonresponse_bounds


# (previous count, base), (current count, base) -> Newcombe's method 10 interval for current - previous
NEWCOMBE = [
    ((48, 80), (56, 70), (0.0524, 0.3339)),
    ((3, 10), (9, 10), (0.1705, 0.8090)),
    ((2, 7), (6, 7), (0.0582, 0.8062)),
    ((0, 29), (5, 56), (-0.0381, 0.1926)),
    ((0, 20), (0, 10), (-0.1611, 0.2775)),
    ((0, 10), (0, 10), (-0.2775, 0.2775)),
    ((0, 20), (10, 10), (0.6791, 1.0000)),
    ((0, 10), (10, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize("previous,current,expected", NEWCOMBE)
def test_change_interval_is_newcombes_hybrid_score_interval(previous, current, expected):
    low, high = change_interval(previous, current)
    assert (round(low, 4), round(high, 4)) == expected


TABLES = [((1, 30), (0, 41)), ((16, 30), (19, 36)), ((28, 30), (19, 36)), ((22, 30), (9, 36)), ((0, 30), (0, 36)),
          ((30, 30), (0, 36)), ((5, 12), (1, 9)), ((0, 1), (1, 1))]


@pytest.mark.parametrize("previous,current", TABLES)
def test_exact_test_agrees_with_scipy(previous, current):
    (a, n), (b, m) = previous, current
    expected = fisher_exact([[a, n - a], [b, m - b]]).pvalue
    assert change_p_value(previous, current) == pytest.approx(expected, rel=1e-9)


def test_one_of_thirty_against_none_of_forty_one_is_no_evidence_of_change():
    # by hand: all splits of 1 council among 30 + 41 are as likely or less than the observed one
    assert change_p_value((1, 30), (0, 41)) == pytest.approx(30 / 71)
    low, high = change_interval((1, 30), (0, 41))
    assert low < 0 < high


def test_hand_worked_exact_test():
    # 3 of 4 against 0 of 4: P(3 of the 3 in the first four) = C(4,3)C(4,0)/C(8,3) = 4/56; two-sided doubles it
    assert change_p_value((3, 4), (0, 4)) == pytest.approx(2 * comb(4, 3) / comb(8, 3))


def test_holm_by_hand():
    # sorted: 0.01*4 = 0.04; 0.02*3 = 0.06; 0.03*2 = 0.06 (kept monotone); 0.5*1 = 0.5
    assert holm([0.03, 0.01, 0.5, 0.02]) == pytest.approx([0.06, 0.04, 0.5, 0.06])
    assert holm([0.9, 0.8]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []


@pytest.mark.parametrize("previous,current,expected", [
    (0.5333, 0.5278, ("53%", "53%", "−1")),  # -0.55 points, half away from zero; the table notes the rounding
    (0.9333, 0.5278, ("93%", "53%", "−41")),  # -40.55 points: from the unrounded shares, not 93 - 53
    (0.70, 0.8333, ("70%", "83%", "+13")),
    (0.40, 0.40, ("40%", "40%", "±0")),
    (0.5, 0.5005, ("50%", "50%", "+0.1")),  # +0.05 points would read 0: a decimal, rounded half away
    (0.125, 0.1251, ("13%", "13%", "+0.01")),  # 12.5% half away from zero is 13%
])
def test_shares_half_away_from_zero_and_the_change_from_the_unrounded_shares(previous, current, expected):
    assert shares_and_change(previous, current) == expected


def test_nonresponse_bounds_by_hand():
    assert nonresponse_bounds(16, 30, 40) == (16 / 40, 26 / 40)
    assert nonresponse_bounds(0, 30, 40) == (0.0, 10 / 40)
    assert nonresponse_bounds(36, 36, 36) == (1.0, 1.0)


def test_comparison_of_the_example_round_with_2016():
    comp = comparison_table("example", "2016")
    row = comp.set_index(["question", "category"]).loc[("consulted", "often_or_sometimes")]
    # 2016: 28 of 30 (report, 3.4); example: 19 of 36 (counted from responses.csv by hand: often 12 + sometimes 7)
    assert (row["previous_count"], row["previous_base"], row["current_count"], row["current_base"]) == (28, 30, 19, 36)
    from statsmodels.stats.proportion import test_proportions_2indep

    assert row["p_value"] == pytest.approx(test_proportions_2indep(19, 36, 28, 30, method="score").pvalue, rel=1e-9)
    # 2016: 28/40 to 38/40 of the councils asked; example: 19/44 to 27/44: the change lies below zero whatever
    assert row["verdict"] == "changed_whatever" and row["change_bound_high"] == pytest.approx(27 / 44 - 28 / 40)
