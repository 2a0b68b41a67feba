"""Comparing rounds: Holm's adjustment by hand, rounding, bounds, and one row of the example round's comparison.

Expected values are hand-worked cases and statsmodels' score test. (The comparison's own statistics, its exact
tests and intervals, are tested in test_statistics.py and test_statistics_forms.py.)
"""

from fractions import Fraction

import pytest

from councils.statistics import holm, nonresponse_bounds
from councils.tables import comparison_table
from councils.wording import shares_and_change


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
    assert nonresponse_bounds(16, 30, 40) == (Fraction(16, 40), Fraction(26, 40))
    assert nonresponse_bounds(0, 30, 40) == (0, Fraction(10, 40))
    assert nonresponse_bounds(36, 36, 36) == (1, 1)


def test_comparison_of_the_example_round_with_2016():
    comp = comparison_table("example", "2016")
    row = comp.set_index(["question", "category"]).loc[("consulted", "often_or_sometimes")]
    # 2016: 28 of 30 (report, 3.4); example: 19 of 36 (counted from responses.csv by hand: often 12 + sometimes 7)
    assert (row["previous_count"], row["previous_base"], row["current_count"], row["current_base"]) == (28, 30, 19, 36)
    from statsmodels.stats.proportion import test_proportions_2indep

    assert row["p_value"] == pytest.approx(test_proportions_2indep(19, 36, 28, 30, method="score").pvalue, rel=1e-9)
    # 2016: 28/40 to 38/40 of the councils asked; example: 19/44 to 27/44: the change lies below zero whatever
    assert row["verdict"] == "changed_whatever" and row["change_bound_high"] == pytest.approx(27 / 44 - 28 / 40)
