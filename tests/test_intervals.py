"""The finite-population (hypergeometric) analogue of the Clopper-Pearson interval.

Definition under test: with ``base`` answers drawn without replacement from ``population`` councils,
of which K have the attribute, the count X is Hypergeometric(population, K, base). A K in
{count, ..., count + population - base} is inside the interval iff

    P(X >= count | K) > alpha/2   and   P(X <= count | K) > alpha/2      (alpha = 0.05)

and the interval is returned as (K_low / population, K_high / population).
P(X = x | K) = C(K, x) * C(population - K, base - x) / C(population, base).
"""

from math import comb

import pytest
from scipy.stats import binomtest, hypergeom

from councils.tables import finite_population_interval, frequency_table, share_with_interval

ALPHA = 0.05


# --- hand-worked small cases -------------------------------------------------------------------

def test_all_four_of_four_from_five():
    # population 5, base 4, count 4. Possible K: 4 .. 4 + 5 - 4 = 5.
    # K = 4: P(X >= 4) = C(4,4) C(1,0) / C(5,4) = 1/5 = 0.2 > 0.025;  P(X <= 4) = 1 > 0.025  -> inside
    # K = 5: P(X >= 4) = 1;  P(X <= 4) = 1 (X is always 4)                                    -> inside
    # So K in {4, 5}: [4/5, 5/5] = [0.8, 1.0].
    assert comb(4, 4) * comb(1, 0) / comb(5, 4) == pytest.approx(0.2)
    assert finite_population_interval(4, 4, 5) == pytest.approx((0.8, 1.0))


def test_two_of_four_from_five():
    # population 5, base 4, count 2. Possible K: 2 .. 2 + 1 = 3.  C(5,4) = 5.
    # K = 2: X in {1, 2}: P(X=1) = C(2,1)C(3,3)/5 = 2/5, P(X=2) = C(2,2)C(3,2)/5 = 3/5.
    #        P(X >= 2) = 3/5 > 0.025, P(X <= 2) = 1 > 0.025                -> inside
    # K = 3: X in {2, 3}: P(X=2) = C(3,2)C(2,2)/5 = 3/5, P(X=3) = C(3,3)C(2,1)/5 = 2/5.
    #        P(X >= 2) = 1, P(X <= 2) = 3/5 > 0.025                          -> inside
    # So [2/5, 3/5] = [0.4, 0.6].
    assert comb(2, 2) * comb(3, 2) / comb(5, 4) == pytest.approx(0.6)
    assert comb(3, 2) * comb(2, 2) / comb(5, 4) == pytest.approx(0.6)
    assert finite_population_interval(2, 4, 5) == pytest.approx((0.4, 0.6))


def test_zero_of_two_from_ten():
    # population 10, base 2, count 0. Possible K: 0 .. 8.  C(10,2) = 45.
    # P(X >= 0) = 1 for every K, so only the upper tail decides: P(X <= 0 | K) = C(10-K, 2) / 45.
    # K = 7: C(3,2)/45 = 3/45 = 0.0667 > 0.025 -> inside
    # K = 8: C(2,2)/45 = 1/45 = 0.0222 <= 0.025 -> outside
    # So [0/10, 7/10] = [0.0, 0.7].
    assert comb(3, 2) / comb(10, 2) > ALPHA / 2 >= comb(2, 2) / comb(10, 2)
    assert finite_population_interval(0, 2, 10) == pytest.approx((0.0, 0.7))


def test_tail_exactly_alpha_half_is_outside():
    # population 16, base 13, count 13. Possible K: 13 .. 16.  C(16,13) = 560.
    # K = 14: P(X >= 13) = P(X = 13) = C(14,13) C(2,0) / 560 = 14/560 = 1/40 = 0.025 exactly,
    #         which is not > 0.025 -> outside (a floating-point sum can land on either side of 0.025)
    # K = 15: P(X >= 13) = C(15,13) C(1,0) / 560 = 105/560 = 0.1875 > 0.025 -> inside
    # So [15/16, 16/16] = [0.9375, 1.0].
    assert comb(14, 13) * comb(2, 0) * 40 == comb(16, 13)
    assert finite_population_interval(13, 13, 16) == pytest.approx((0.9375, 1.0))


@pytest.mark.parametrize("count", [0, 3, 7, 12])
def test_whole_population_answered_gives_zero_width(count):
    # base == population: the count is the number of councils with the attribute, K = count.
    low, high = finite_population_interval(count, 12, 12)
    assert low == high == pytest.approx(count / 12)


# --- against scipy.stats.hypergeom ---------------------------------------------------------------

def _scipy_interval(count: int, base: int, population: int) -> tuple[float, float]:
    inside = [k for k in range(count, count + population - base + 1)
              if hypergeom.sf(count - 1, population, k, base) > ALPHA / 2   # P(X >= count | K = k)
              and hypergeom.cdf(count, population, k, base) > ALPHA / 2]    # P(X <= count | K = k)
    assert inside == list(range(inside[0], inside[-1] + 1)), "the accepted K form one run"
    return inside[0] / population, inside[-1] / population


@pytest.mark.parametrize("count", range(31))
def test_matches_scipy_for_30_of_40(count):
    assert finite_population_interval(count, 30, 40) == pytest.approx(_scipy_interval(count, 30, 40), abs=1e-12)


@pytest.mark.parametrize("count", range(31))
def test_bounds_are_possible_values_of_k(count):
    base, population = 30, 40
    low, high = finite_population_interval(count, base, population)
    k_low, k_high = low * population, high * population
    assert k_low == pytest.approx(round(k_low)) and k_high == pytest.approx(round(k_high)), "K is a whole number"
    # at least the `count` councils seen have the attribute; at most those plus all that did not answer
    assert count <= round(k_low) <= round(k_high) <= count + population - base
    assert low <= count / base <= high  # the sample share lies inside


def test_narrower_than_binomial_clopper_pearson():
    low, high = finite_population_interval(16, 30, 40)
    binomial = binomtest(16, 30).proportion_ci(confidence_level=0.95, method="exact")
    assert binomial.low < low and high < binomial.high
    assert high - low < binomial.high - binomial.low


def test_share_with_interval():
    share, low, high = share_with_interval(2, 4, 5)
    assert share == pytest.approx(0.5)
    assert (low, high) == pytest.approx((0.4, 0.6))


@pytest.mark.parametrize("count,base,population", [(5, 4, 10), (3, 11, 10), (-1, 4, 10), (12, 11, 10)])
def test_impossible_arguments_raise(count, base, population):
    with pytest.raises(ValueError):
        finite_population_interval(count, base, population)
    with pytest.raises(ValueError):
        share_with_interval(count, base, population)


# --- the 2016 round -------------------------------------------------------------------------------

def test_2016_chair_association_interval_by_hand():
    # 16 of the 30 answering chairs represent an association; 40 councils were asked.
    # C(40,30) = 847,660,528. Possible K: 16 .. 16 + 40 - 30 = 26.
    # Lower end, P(X >= 16 | K):
    #   K = 17: [C(17,16) C(23,14) + C(17,17) C(23,13)] / C(40,30)
    #         = (17 * 817,190 + 1,144,066) / 847,660,528 = 15,036,296 / 847,660,528 = 0.0177  <= 0.025: outside
    #   K = 18: [C(18,16) C(22,14) + C(18,17) C(22,13) + C(18,18) C(22,12)] / C(40,30)
    #         = (153 * 319,770 + 18 * 497,420 + 646,646) / 847,660,528
    #         = 58,525,016 / 847,660,528 = 0.0690  > 0.025: inside  -> K_low = 18
    # Upper end, P(X <= 16 | K) (at least 30 - (40 - K) of the answers have the attribute):
    #   K = 25: x in {15, 16}: [C(25,15) C(15,15) + C(25,16) C(15,14)] / C(40,30)
    #         = (3,268,760 + 2,042,975 * 15) / 847,660,528 = 33,913,385 / 847,660,528 = 0.0400 > 0.025: inside
    #   K = 26: x = 16 only: C(26,16) C(14,14) / C(40,30) = 5,311,735 / 847,660,528 = 0.0063 <= 0.025: outside
    #   -> K_high = 25.   Interval: [18/40, 25/40] = [0.45, 0.625].
    total = comb(40, 30)
    assert total == 847_660_528
    assert comb(17, 16) * comb(23, 14) + comb(23, 13) == 15_036_296
    assert 15_036_296 / total <= ALPHA / 2 < 58_525_016 / total
    assert comb(18, 16) * comb(22, 14) + comb(18, 17) * comb(22, 13) + comb(22, 12) == 58_525_016
    assert comb(25, 15) + comb(25, 16) * comb(15, 14) == 33_913_385
    assert comb(26, 16) == 5_311_735
    assert 5_311_735 / total <= ALPHA / 2 < 33_913_385 / total

    table = frequency_table("2016").set_index(["question", "category"])
    row = table.loc[("chair_background", "association")]
    assert (row["count"], row["base"]) == (16, 30)
    assert row["share"] == pytest.approx(16 / 30)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((18 / 40, 25 / 40))


@pytest.mark.parametrize("count,base", [(0, 30), (16, 30), (30, 30), (1, 1), (3, 7)])
def test_the_binomial_interval_shown_beside_it_is_clopper_pearson(count, base):
    from councils.tables import binomial_interval

    expected = binomtest(count, base).proportion_ci(confidence_level=0.95, method="exact")
    assert binomial_interval(count, base) == pytest.approx((expected.low, expected.high), abs=1e-12)
    at_90 = binomtest(count, base).proportion_ci(confidence_level=0.90, method="exact")
    assert binomial_interval(count, base, 0.90) == pytest.approx((at_90.low, at_90.high), abs=1e-12)


def test_one_question_of_the_2016_table():
    from councils.tables import question_table

    # the report, section 2.3: 21 of the 30 councils have a budget of their own, 6 do not, 3 did not say
    rows = question_table("2016", "own_budget")
    assert list(rows.index) == [0, 1, 2] and "index" not in rows.columns
    assert rows[["category", "kind", "count", "base"]].values.tolist() == [["yes", "option", 21, 30],
                                                                          ["no", "option", 6, 30],
                                                                          ["not_stated", "option", 3, 30]]
    satisfied = question_table("2016", "cooperation_municipal_board").set_index("category").loc["satisfied"]
    assert (satisfied["kind"], satisfied["label_en"]) == ("group", "Very or mostly satisfactory")
    assert question_table("2016", "youth_members").empty  # a question 2016 did not ask


def test_the_2016_table_s_columns_and_bounds_by_hand():
    from councils.tables import frequency_table

    table = frequency_table("2016")
    assert list(table.columns) == ["question", "category", "kind", "count", "base", "share", "ci_low", "ci_high",
                                   "bound_low", "bound_high", "basis", "label_en", "label_da"]
    assert list(table.index) == list(range(len(table)))
    rows = table.set_index(["question", "category"])

    def bounds(question, category):
        row = rows.loc[(question, category)]
        return row["bound_low"] * 40, row["bound_high"] * 40  # in councils of the 40 asked

    # 30 of the 40 councils asked answered. Own budget (report, 2.3): 21 yes, 6 no, 3 not stated. A share
    # assumes nothing about the 10 that did not answer nor the 3 blanks: 'yes' lies between 21 and 21 + 10 + 3
    assert bounds("own_budget", "yes") == pytest.approx((21, 34))
    assert bounds("own_budget", "no") == pytest.approx((6, 19))
    assert bounds("own_budget", "not_stated") == pytest.approx((3, 13))  # the blanks: only the 10 are unknown
    # Cooperation with the municipal board (report, 3.2), published only as 24 satisfied and 6 others: any of
    # the 6 may be a blank, so 'satisfied' reaches 24 + 10 + 6; 'the others' holds the blanks, from 0 to 16
    assert bounds("cooperation_municipal_board", "satisfied") == pytest.approx((24, 40))
    assert bounds("cooperation_municipal_board", "not_satisfied") == pytest.approx((0, 16))
    # The chair's background (report, 2.1): 16 associations and 2 not stated
    assert bounds("chair_background", "association") == pytest.approx((16, 28))
    assert bounds("chair_background", "not_stated") == pytest.approx((2, 12))


def test_a_blank_answer_is_labelled_not_stated_in_each_language():
    from councils.tables import frequency_table

    rows = frequency_table("example").set_index(["question", "category"])
    blank = rows.loc[("council_size", "not_stated")]  # council_size has no option of that name
    assert (blank["kind"], blank["label_en"], blank["label_da"]) == ("missing", "Not stated", "Uoplyst")
    assert rows.loc[("council_size", "1_10"), "label_da"] == "1\u201310 medlemmer"


def test_the_tables_interval_takes_a_confidence_and_refuses_impossible_counts():
    from councils import statistics as stats

    assert finite_population_interval(3, 5, 9, 0.80) == stats.finite_population_interval(3, 5, 9, 0.80)
    assert finite_population_interval(16, 30, 40, 0.80) != finite_population_interval(16, 30, 40)
    assert share_with_interval(16, 30, 40, 0.80)[1:] == stats.finite_population_interval(16, 30, 40, 0.80)
    with pytest.raises(ValueError) as caught:
        finite_population_interval(5, 4, 10)
    assert str(caught.value) == "need 0 <= count <= base <= population, got 5, 4, 10"


def test_a_round_s_table_is_read_again_when_its_round_yaml_changes(tmp_path):
    import os
    import shutil

    from councils.rounds import load_round

    shutil.copytree("data/rounds/2016", tmp_path / "2016")
    before = frequency_table(load_round("2016", tmp_path))
    meta = tmp_path / "2016" / "round.yaml"
    stat = meta.stat()
    text = meta.read_text(encoding="utf-8")
    assert "councils_asked: 40" in text
    meta.write_text(text.replace("councils_asked: 40", "councils_asked: 41"), encoding="utf-8")  # same size
    os.utime(meta, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = frequency_table(load_round("2016", tmp_path))
    assert (after["bound_high"] != before["bound_high"]).any()  # of 41 councils asked now
