"""Which changes the comparison chapter calls beyond chance: Holm's adjustment, checked independently.

The adjusted p-values of a comparison table must be Holm's over every comparison it makes, written
out here by hand (not with councils.tables.holm), and the example round's changes beyond chance are
the ones counted by hand below.
"""

from __future__ import annotations

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


def holm_rejects(p_values: list[float], alpha: float) -> set[int]:
    """Holm's procedure itself: walk up the sorted p-values, reject while p_(k) <= alpha / (m - k + 1)."""
    m = len(p_values)
    rejected = set()
    for k, i in enumerate(sorted(range(m), key=lambda i: p_values[i]), start=1):
        if p_values[i] > alpha / (m - k + 1):
            break
        rejected.add(i)
    return rejected


def test_the_written_out_adjustment_by_hand():
    # 0.01 x 4 = 0.04; 0.02 x 3 = 0.06; 0.03 x 2 = 0.06; 0.5 x 1 = 0.5; ties keep the larger running value
    assert holm_by_definition([0.03, 0.01, 0.5, 0.02]) == pytest.approx([0.06, 0.04, 0.5, 0.06])
    assert holm_by_definition([0.02, 0.02, 0.9]) == pytest.approx([0.06, 0.06, 0.9])
    assert holm_rejects([0.03, 0.01, 0.5, 0.02], 0.05) == {1}


@pytest.fixture(scope="module")
def example():
    return comparison_table("example", "2016")


def test_adjusted_p_values_are_holms_over_every_comparison(example):
    p = list(example["p_value"])
    assert len(p) > 1
    assert list(example["p_holm"]) == pytest.approx(holm_by_definition(p), rel=1e-12, abs=1e-15)


def test_beyond_chance_is_holms_procedure_at_five_percent(example):
    flagged = {i for i, beyond in enumerate(example["beyond_chance"]) if beyond}
    assert flagged == holm_rejects(list(example["p_value"]), 0.05)


# ---------------------------------------------------------------------------------------------------
# HAND-COUNTED EXPECTATION (update it when the comparisons or the test change, e.g. issue 14).
# How it was counted: the example round's counts by category from data/rounds/example/responses.csv
# with Python's csv module (a group is the sum of its members, a complement group the rest), 2016's
# from the report (counts.csv), all 54 checked against the table's own counts;
# Fisher's exact test with scipy for each of the 54 categories both rounds hold; Holm's step-down by
# hand. Sorted p-values, times 54, 53, 52, 51:
#   integration_policy.has_policy          22/30 vs  9/36  p = 0.000158  x 54 = 0.0085  beyond chance
#   consulted.often_or_sometimes           28/30 vs 19/36  p = 0.000297  x 53 = 0.0157  beyond chance
#   consulted.not_often_or_sometimes        2/30 vs 17/36  p = 0.000297  x 52 = 0.0154  beyond chance
#   admin_placement.employment             22/30 vs 11/36  p = 0.00113   x 51 = 0.0578  stop: not beyond chance
# Without the adjustment, 11 of the 54 have p <= 0.05.
EXAMPLE_COMPARISONS = 54
EXAMPLE_BEYOND_CHANCE = {("integration_policy", "has_policy"), ("consulted", "often_or_sometimes"),
                         ("consulted", "not_often_or_sometimes")}
EXAMPLE_UNADJUSTED_BELOW_FIVE_PERCENT = 11


def test_the_example_rounds_changes_beyond_chance_are_the_hand_counted_ones(example):
    assert len(example) == EXAMPLE_COMPARISONS
    flagged = {(q, c) for q, c, beyond in zip(example["question"], example["category"], example["beyond_chance"])
               if beyond}
    assert flagged == EXAMPLE_BEYOND_CHANCE
    assert int((example["p_value"] <= 0.05).sum()) == EXAMPLE_UNADJUSTED_BELOW_FIVE_PERCENT
