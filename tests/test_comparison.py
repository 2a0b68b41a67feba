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


def test_the_comparison_in_points_as_the_chapters_and_downloads_show_it():
    from councils.tables import compare_rounds

    comp = compare_rounds("example", "2016")
    table = comp.table
    assert (comp.previous, comp.current) == ("2016", "example")
    assert list(table["change_pp"]) == pytest.approx(list(100 * table["change"]), nan_ok=True)
    assert list(table["change_low_pp"]) == pytest.approx(list(100 * table["change_low"]), nan_ok=True)
    assert list(table["change_high_pp"]) == pytest.approx(list(100 * table["change_high"]), nan_ok=True)
    assert list(table["p_holm"]) == pytest.approx(list(table["question_p_holm"]), nan_ok=True)
    flagged = table["verdict"].isin(["changed_whatever", "beyond_chance"])
    assert list(table["beyond_chance"]) == list(flagged) and flagged.any() and not flagged.all()
    row = table.set_index(["question", "category"]).loc[("consulted", "often_or_sometimes")]
    assert row["change_pp"] == pytest.approx(100 * (19 / 36 - 28 / 30))  # the counts above, by hand
    at_90 = compare_rounds("example", "2016", confidence=0.90).table
    assert ((at_90["change_high"] - at_90["change_low"]) < (table["change_high"] - table["change_low"])).all()


def test_a_comparison_with_nothing_to_compare_has_the_columns_all_the_same(tmp_path):
    from councils.tables import COMPARISON_COLUMNS, compare_rounds
    from tests.test_series import write_round

    nobody = {q: ["", ""] for q in ("chair_background", "council_size", "new_knowledge", "own_budget",
                                    "member_compensation", "advise_all_groups", "admin_placement",
                                    "integration_policy", "contact_officials_appointed",
                                    "contact_politicians_appointed", "cooperation_municipal_board",
                                    "secretariat_service", "consulted", "influence", "statements_published",
                                    "rem_knowledge", "rem_support")}
    write_round(tmp_path, "a", None, None, nobody, 2020)
    write_round(tmp_path, "b", {"dropped": ["focus_areas", "visibility"]}, "a", nobody, 2021)
    table = compare_rounds("b", "a", tmp_path).table
    assert table.empty and list(table.columns) == COMPARISON_COLUMNS


def test_the_comparison_s_rows_of_2016_and_the_example_round_question_by_question():
    from councils.tables import compare_rounds

    table = compare_rounds("example", "2016").table.set_index(["question", "category"])
    # own budget: 2016's 3 blank answers (the report, 2.3) are compared as the blank row, in both languages
    blank = table.loc[("own_budget", "not_stated")]
    assert (blank["kind"], blank["previous_count"], blank["label_en"], blank["label_da"]) == (
        "missing", 3, "Not stated", "Uoplyst")
    assert table.loc[("own_budget", "yes"), "previous_not_stated"] == 3
    yes = table.loc[("own_budget", "yes")]
    assert (yes["label_en"], yes["label_da"]) == ("Yes", "Ja")
    # knowledge of the REM: 2016 holds 'good' and the group of the other two, so those two are compared
    assert [c for q, c in table.index if q == "rem_knowledge"] == ["good", "some_or_superficial"]
    # a group 2016 holds alone: its labels in both languages
    group = table.loc[("consulted", "often_or_sometimes")]
    assert (group["kind"], group["label_en"], group["label_da"]) == ("group", "Often or sometimes",
                                                                     "Ofte eller af og til")
    # its complement may hold 2016's blanks (2 of 30 'other answers'): between 0 and 2 + 10 of the 40 asked
    other = table.loc[("consulted", "not_often_or_sometimes")]
    assert (other["previous_bound_low"] * 40, other["previous_bound_high"] * 40) == pytest.approx((0, 12))
    # a multiple-choice question has no blank answers to count
    jobs = table.loc[("focus_areas", "employment")]
    assert (jobs["previous_not_stated"], jobs["current_not_stated"]) == (0, 0)
