"""councils/statistics.py against independent implementations, published values and hand counts.

- The exact interval: a brute-force enumeration in exact fractions written here from the definition
  (the algorithm tables.py used until now), and scipy.stats.hypergeom at a population of 100,000.
- Bounds: hand counts, and (hypothesis) every way the missing answers could fall.
- The score test: statsmodels' score test at delta = 0. The score interval: Newcombe's published
  method-6 values (Statistics in Medicine 1998; 17: 873-890, table II, as reproduced by WUSS 2016
  paper 127 and the R package cicalc's tests), SAS's value in cicalc's tests, and a restricted
  maximum likelihood computed here by numerical maximisation. Not statsmodels' interval: its
  restricted MLE for a difference other than zero is wrong in 0.14.6 (statsmodels issue #10269).
- Fisher-Freeman-Halton: scipy's Fisher test (2 x 2), scipy's permutation test and an enumeration in
  exact fractions written here (r x 2). Holm: statsmodels' multipletests.
- The family, the verdicts and the edge cases of compare_rounds; display rules by hand; validation
  through the command line.
"""

import itertools
import math
from decimal import Decimal
from fractions import Fraction
from math import comb

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as hs
from scipy.optimize import minimize_scalar
from scipy.special import xlogy
from scipy.stats import fisher_exact, hypergeom

from councils import statistics as stats
from councils.errors import DataError
from councils.rounds import load_round
from councils.statistics import Category, ComparableQuestion, RoundCounts
from councils.tables import frequency_table
from councils.validate import validate_round

from conftest import counts_round, responses_round, run_cli, valid_rows

ALPHA = 0.05
CRITICAL = 1.959963984540054
SETTINGS = settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


# --- the exact finite-population interval ----------------------------------------------------------

def reference_interval(count: int, base: int, population: int, tail: Fraction = Fraction(1, 40)) -> tuple[int, int]:
    """Every K whose two tails both exceed ``tail``, in exact fractions (the enumeration tables.py used)."""
    if base == population:
        return count, count
    total = comb(population, base)
    kept = []
    for k in range(count, count + population - base + 1):
        xs = range(max(0, base - (population - k)), min(k, base) + 1)
        terms = {x: comb(k, x) * comb(population - k, base - x) for x in xs}
        at_least = Fraction(sum(v for x, v in terms.items() if x >= count), total)
        at_most = Fraction(sum(v for x, v in terms.items() if x <= count), total)
        if at_least > tail and at_most > tail:
            kept.append(k)
    assert kept == list(range(kept[0], kept[-1] + 1))
    return kept[0], kept[-1]


SMALL = [(c, n, N) for N in range(1, 15) for n in range(1, N + 1) for c in range(n + 1)]


def test_same_k_as_exact_enumeration_for_every_small_round():
    # every count, base and population up to 14 councils asked (560 cases), ties included
    for count, base, population in SMALL:
        assert stats.finite_population_range(count, base, population) == reference_interval(count, base, population), \
            (count, base, population)


@pytest.mark.parametrize("count,base,population", [(16, 30, 40), (21, 30, 40), (22, 30, 40), (0, 30, 40),
                                                   (30, 30, 40), (11, 36, 44), (1, 36, 44), (13, 13, 16)])
def test_same_k_as_exact_enumeration_for_rounds_like_the_books(count, base, population):
    assert stats.finite_population_range(count, base, population) == reference_interval(count, base, population)


def test_a_tail_exactly_at_the_level_stays_outside():
    # 13 of 13 from 16: at K = 14, P(X >= 13) = C(14,13) / C(16,13) = 14/560 = 1/40 exactly: not > 1/40
    assert Fraction(comb(14, 13), comb(16, 13)) == Fraction(1, 40)
    assert stats.finite_population_range(13, 13, 16) == (15, 16)


@pytest.mark.parametrize("count,base,population,confidence,tail", [
    (1, 1, 20, 0.9, Fraction(1, 20)), (0, 1, 20, 0.9, Fraction(1, 20)), (2, 4, 16, 0.9, Fraction(1, 20)),
    (2, 2, 5, 0.8, Fraction(1, 10)), (0, 3, 5, 0.8, Fraction(1, 10)),
])
def test_ties_whose_float_tail_lands_above_the_level_are_decided_exactly(count, base, population, confidence, tail):
    # e.g. 1 of 1 from 20 at 90%: P(X >= 1 | K = 1) = 1/20 exactly, which floats sum to 0.05000000000000003
    assert stats.finite_population_range(count, base, population, confidence) == \
        reference_interval(count, base, population, tail)


def test_another_confidence_level():
    assert stats.finite_population_range(16, 30, 40, confidence=0.9) == reference_interval(16, 30, 40, Fraction(1, 20))


@pytest.mark.parametrize("count,base", [(30_000, 50_000), (3, 50), (49_990, 50_000), (60_000, 99_000), (1, 2),
                                        (50_000, 99_999)])
def test_large_population_against_scipy_hypergeom(count, base):
    population, level = 100_000, ALPHA / 2
    k_low, k_high = stats.finite_population_range(count, base, population)
    # K_low is the first K whose upper tail P(X >= count) exceeds the level; K_high the last whose lower tail does
    assert hypergeom.sf(count - 1, population, k_low, base) > level
    if k_low > count:
        assert hypergeom.sf(count - 1, population, k_low - 1, base) <= level
    assert hypergeom.cdf(count, population, k_high, base) > level
    if k_high < count + population - base:
        assert hypergeom.cdf(count, population, k_high + 1, base) <= level
    low, high = stats.finite_population_interval(count, base, population)
    assert (low, high) == (k_low / population, k_high / population)


def test_interval_of_2016_chair_association_by_hand():
    # tests/test_intervals.py works this one by hand: [18/40, 25/40]
    assert stats.finite_population_interval(16, 30, 40) == (18 / 40, 25 / 40)


# --- bounds that assume nothing ---------------------------------------------------------------------

def test_own_budget_2016_bounds_count_the_blank_answers():
    # 21 yes of 30 answering, 3 left it blank, 40 asked: at least 21/40; at most 21 + 10 + 3 = 34 of 40
    assert stats.nonresponse_bounds(21, 30, 40, not_stated=3) == (Fraction(21, 40), Fraction(34, 40))
    assert float(stats.nonresponse_bounds(21, 30, 40, not_stated=3)[1]) == 0.85


def test_a_complement_holds_the_blanks_as_missing():
    # 'other answers' 9 of 30 includes the 3 blanks: at least 6 of 40 certainly gave another answer
    assert stats.nonresponse_bounds(9, 30, 40, not_stated=3, includes_missing=True) == (Fraction(6, 40), Fraction(19, 40))


@hs.composite
def round_with_blanks(draw, categories: int = 3):
    counts = draw(hs.lists(hs.integers(0, 8), min_size=categories, max_size=categories))
    blank = draw(hs.integers(0, 4))
    base = sum(counts) + blank
    if base == 0:
        counts[0], base = 1, blank + 1
    population = base + draw(hs.integers(0, 6))
    return counts, blank, population


@SETTINGS
@given(round_with_blanks(), hs.data())
def test_bounds_contain_every_completion_and_touch_the_one_sided_ones(rnd, data):
    counts, blank, population = rnd
    base = sum(counts) + blank
    unknown = population - base + blank
    for i, count in enumerate(counts):
        low, high = stats.nonresponse_bounds(count, base, population, blank)
        # all missing answers fall one way: exactly the bounds
        assert low == Fraction(count, population)
        assert high == Fraction(count + unknown, population)
        # any other completion: the unknown answers spread over the categories at will
        extra = data.draw(hs.integers(0, unknown))
        assert low <= Fraction(count + extra, population) <= high


@SETTINGS
@given(round_with_blanks(2), round_with_blanks(2), hs.data())
def test_change_bounds_contain_every_completion_of_both_rounds(previous, current, data):
    (p_counts, p_blank, p_pop), (c_counts, c_blank, c_pop) = previous, current
    p_base, c_base = sum(p_counts) + p_blank, sum(c_counts) + c_blank
    p_bounds = stats.nonresponse_bounds(p_counts[0], p_base, p_pop, p_blank)
    c_bounds = stats.nonresponse_bounds(c_counts[0], c_base, c_pop, c_blank)
    low, high = stats.change_bounds(p_bounds, c_bounds)
    p_unknown, c_unknown = p_pop - p_base + p_blank, c_pop - c_base + c_blank
    p_extra, c_extra = data.draw(hs.integers(0, p_unknown)), data.draw(hs.integers(0, c_unknown))
    true_change = Fraction(c_counts[0] + c_extra, c_pop) - Fraction(p_counts[0] + p_extra, p_pop)
    assert low <= true_change <= high
    # the worst and best cases are completions too
    assert low == Fraction(c_counts[0], c_pop) - Fraction(p_counts[0] + p_unknown, p_pop)
    assert high == Fraction(c_counts[0] + c_unknown, c_pop) - Fraction(p_counts[0], p_pop)


# --- the score test and interval -------------------------------------------------------------------

# (previous, current) -> Newcombe's table II, method 6 (Miettinen-Nurminen), current - previous
PUBLISHED_MN = [(((48, 80), (56, 70)), (0.0528, 0.3382)),
                (((3, 10), (9, 10)), (0.1700, 0.8406)),
                (((0, 20), (10, 10)), (0.7156, 1.0000))]


@pytest.mark.parametrize("pair,expected", PUBLISHED_MN)
def test_score_interval_matches_newcombes_published_values(pair, expected):
    low, high = stats.score_interval(*pair)
    assert (round(low, 4), round(high, 4)) == expected


def test_score_interval_matches_sas_with_a_zero_count():
    # cicalc's tests: 3/83 against 0/46 gives (-0.043, 0.101) in SAS
    low, high = stats.score_interval((0, 46), (3, 83))
    assert (round(low, 3), round(high, 3)) == (-0.043, 0.101)


def _restricted_mle(delta, c2, n2, c1, n1):
    """Maximise the two binomial likelihoods under p2 - p1 = delta numerically (independent of the module)."""
    def minus_log_likelihood(p1):
        p2 = p1 + delta
        return -(xlogy(c2, p2) + xlogy(n2 - c2, 1 - p2) + xlogy(c1, p1) + xlogy(n1 - c1, 1 - p1))

    lo, hi = max(0.0, -delta), min(1.0, 1 - delta)
    inside = minimize_scalar(minus_log_likelihood, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13}).x
    p1 = min((lo, inside, hi), key=minus_log_likelihood)  # the maximum may sit on an end of the range
    return p1 + delta, p1


def _reference_z(delta, previous, current):
    (c1, n1), (c2, n2) = previous, current
    q2, q1 = _restricted_mle(delta, c2, n2, c1, n1)
    variance = (q2 * (1 - q2) / n2 + q1 * (1 - q1) / n1) * (n1 + n2) / (n1 + n2 - 1)
    return (c2 / n2 - c1 / n1 - delta) / math.sqrt(variance)


@pytest.mark.parametrize("previous,current", [((22, 30), (11, 36)), ((4, 57), (6, 56)), ((0, 7), (30, 31)),
                                              ((11, 25), (30, 31)), ((16, 30), (19, 36)), ((1, 30), (0, 41)),
                                              ((28, 30), (19, 36)), ((5, 12), (1, 9))])
def test_score_interval_ends_solve_the_score_equation_of_an_independent_mle(previous, current):
    low, high = stats.score_interval(previous, current)
    if low > -1:
        assert _reference_z(low, previous, current) == pytest.approx(CRITICAL, abs=1e-5)
    if high < 1:
        assert _reference_z(high, previous, current) == pytest.approx(-CRITICAL, abs=1e-5)


@pytest.mark.parametrize("previous,current", [((22, 30), (11, 36)), ((4, 57), (6, 56)), ((16, 30), (19, 36)),
                                              ((2, 7), (24, 25)), ((20, 53), (17, 44)), ((11, 39), (28, 45)),
                                              ((1, 30), (3, 41)), ((29, 30), (20, 36))])
def test_score_test_matches_statsmodels(previous, current):
    from statsmodels.stats.proportion import test_proportions_2indep

    expected = test_proportions_2indep(current[0], current[1], previous[0], previous[1], method="score",
                                       compare="diff", correction=True).pvalue
    assert stats.score_test(previous, current) == pytest.approx(expected, rel=1e-9)


pairs = hs.integers(1, 60).flatmap(lambda n: hs.tuples(hs.integers(0, n), hs.just(n)))


@settings(max_examples=400, deadline=None, database=None)
@given(pairs, pairs)
@example((5, 30), (1, 36))  # p = 0.052 and 0.051: just above the level, where a test and an interval
@example((3, 30), (12, 41))  # computed apart would first disagree
@example((0, 1), (1, 1))
def test_interval_excludes_zero_exactly_when_the_test_rejects(previous, current):
    if previous[1] + current[1] < 2:
        return
    p = stats.score_test(previous, current)
    low, high = stats.score_interval(previous, current)
    assert (p <= ALPHA) == (low > 0 or high < 0)
    assert low <= current[0] / current[1] - previous[0] / previous[1] <= high
    # and each end is where the score statistic of an independent restricted MLE reaches the critical value
    # (ends at -1 or 1 are where it never does; an end within 1e-9 of zero may be set there by the test)
    for end, target in ((low, CRITICAL), (high, -CRITICAL)):
        if abs(abs(end) - 1) > 1e-9 and abs(end) > 1e-9:
            assert _reference_z(end, previous, current) == pytest.approx(target, abs=1e-4)
        elif abs(end) <= 1e-9 and end != 0:
            assert p == pytest.approx(ALPHA, abs=1e-9), "an end set at zero only where the test is at the level"


def test_identical_shares_give_p_one():
    assert stats.score_test((0, 10), (0, 10)) == 1.0
    assert stats.score_test((30, 30), (36, 36)) == 1.0
    assert stats.score_test((15, 30), (18, 36)) == 1.0


# --- the distribution test and Holm ----------------------------------------------------------------

def reference_ffh(previous, current) -> Fraction:
    """Fisher-Freeman-Halton in exact fractions: every r x 2 table with the observed margins."""
    totals = [a + b for a, b in zip(previous, current)]
    column = sum(previous)

    def weight(x):
        return math.prod(comb(t, xi) for t, xi in zip(totals, x))

    observed = weight(previous)
    tables = [x for x in itertools.product(*(range(t + 1) for t in totals)) if sum(x) == column]
    return Fraction(sum(weight(x) for x in tables if weight(x) <= observed), comb(sum(totals), column))


@pytest.mark.parametrize("previous,current", [([16, 8, 4], [19, 11, 4]), ([12, 13, 5], [22, 11, 2]),
                                              ([17, 12, 1], [21, 9, 6]), ([1, 1, 1, 22, 5], [5, 5, 11, 9, 5]),
                                              ([2, 0, 1], [0, 3, 0]), ([0, 0, 7], [0, 0, 9])])
def test_distribution_test_matches_exact_enumeration(previous, current):
    result = stats.distribution_test(previous, current)
    assert result.method == "exact"
    assert result.p_value == pytest.approx(float(reference_ffh(previous, current)), rel=1e-9)


def test_distribution_test_matches_scipys_permutation_test():
    from scipy.stats import PermutationMethod

    table = np.array([[2, 0], [1, 2], [1, 1]])  # rows: answers; columns: previous, current
    expected = fisher_exact(table, method=PermutationMethod(n_resamples=10**6)).pvalue
    assert stats.distribution_test([2, 1, 1], [0, 2, 1]).p_value == pytest.approx(expected, rel=1e-9)


@settings(max_examples=150, deadline=None, database=None)
@given(hs.lists(hs.integers(0, 25), min_size=4, max_size=4))
def test_two_by_two_is_fishers_exact_test(cells):
    a, b, c, d = cells
    expected = fisher_exact([[a, c], [b, d]]).pvalue
    assert stats.distribution_test([a, b], [c, d]).p_value == pytest.approx(expected, rel=1e-7)


def test_monte_carlo_is_seeded_and_close_to_exact():
    previous, current = [12, 13, 5], [22, 11, 2]
    exact = stats.distribution_test(previous, current).p_value
    one = stats.distribution_test(previous, current, max_tables=0)
    two = stats.distribution_test(previous, current, max_tables=0)
    assert one.method == "monte_carlo" and one == two
    assert one.p_value == pytest.approx(exact, abs=0.01)


def test_holm_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    ps = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04]
    assert stats.holm(ps) == pytest.approx(list(multipletests(ps, method="holm")[1]))


# --- compare_rounds: the family, the verdicts, the edge cases ---------------------------------------

def cat(code, previous, current, kind="option", **extra):
    return Category(code, kind, code, code, previous, current, **extra)


def question(qid, cats, previous=(30, 40, 0), current=(36, 44, 0), qtype="single_choice"):
    return ComparableQuestion(qid, qtype, tuple(cats), RoundCounts(*previous), RoundCounts(*current))


def rows(frame, qid):
    return frame[frame["question"] == qid].set_index("category")


def test_placed_with_employment_changed_whatever_the_non_respondents_said():
    # the issue: 22/30 (40 asked) to 11/36 (44 asked), "a fall of between 12 and 55 points" -- with no
    # blank answers in either round, as the issue computed it
    q = question("admin_placement", [cat("employment", 22, 11)])
    row = rows(stats.compare_rounds([q]), "admin_placement").loc["employment"]
    assert row["change_bound_low"] == pytest.approx(11 / 44 - 32 / 40)  # -0.55
    assert row["change_bound_high"] == pytest.approx(19 / 44 - 22 / 40)  # -0.118
    assert row["verdict"] == "changed_whatever"
    assert row["verdict_en"] == "changed whatever the non-respondents would have said"


def test_a_complement_a_dont_know_and_not_stated_are_never_separate_comparisons():
    questions = [
        question("budget", [cat("yes", 21, 30), cat("no", 6, 5), cat("not_stated", 3, 1, kind="missing")],
                 previous=(30, 40, 3), current=(36, 44, 1)),
        question("satisfied", [cat("satisfied", 24, 10, kind="group", members=("a", "b")),
                               cat("other", 6, 26, kind="group", complement_of="satisfied")],
                 previous=(30, 40, None), current=(36, 44, None)),
        question("policy", [cat("has", 22, 9), cat("against", 1, 11), cat("dont_know", 7, 16, dont_know=True)]),
    ]
    frame = stats.compare_rounds(questions)
    roles = dict(zip(zip(frame["question"], frame["category"]), frame["role"]))
    assert roles[("budget", "no")] == "complement"  # yes and no split the stated answers in two
    assert roles[("budget", "not_stated")] == "missing"
    assert roles[("satisfied", "other")] == "complement"
    assert roles[("policy", "dont_know")] == "dont_know"
    separate = frame[frame["role"] != "detail"]
    assert (separate["verdict"] == "not_separately_compared").all()
    assert not separate["change_sentence"].any()
    # one test per question in the family: Holm over exactly three p-values
    questions_frame = stats.question_rows(frame)
    assert len(questions_frame) == 3
    assert list(questions_frame["question_p_holm"]) == pytest.approx(stats.holm(list(questions_frame["question_p_value"])))


def test_the_question_test_excludes_not_stated_and_includes_dont_know():
    q = question("policy", [cat("has", 22, 9), cat("against", 1, 11), cat("dont_know", 7, 14, dont_know=True),
                            cat("not_stated", 0, 2, kind="missing")], current=(36, 44, 2))
    frame = stats.compare_rounds([q])
    expected = float(reference_ffh([22, 1, 7], [9, 11, 14]))
    assert frame["question_p_value"].iloc[0] == pytest.approx(expected, rel=1e-9)


def test_not_stated_from_ten_to_none_is_a_data_quality_note():
    # the issue: not stated went from 10/41 to 0/41 and was silently not compared
    q = question("influence", [cat("large", 20, 30), cat("small", 11, 11), cat("not_stated", 10, 0, kind="missing")],
                 previous=(41, 44, 10), current=(41, 44, 0))
    frame = stats.compare_rounds([q])
    assert frame["not_stated_note"].all()
    assert frame["not_stated_p_value"].iloc[0] <= ALPHA
    missing = rows(frame, "influence").loc["not_stated"]
    assert missing["verdict"] == "not_separately_compared" and missing["reason"] == "missing"


def test_category_detail_only_within_a_question_that_changed():
    # 'sometimes' changes on its own test (unadjusted p < 0.05), but the question as a whole does not
    # change beyond chance once adjusted over four questions, and no bounds exclude zero
    unchanged = [question(f"q{i}", [cat("a", 10, 12), cat("b", 10, 12), cat("c", 10, 12)],
                          previous=(30, 30, 0), current=(36, 36, 0)) for i in range(3)]
    borderline = question("often", [cat("often", 10, 12), cat("sometimes", 12, 5), cat("never", 8, 19)],
                          previous=(30, 44, 0), current=(36, 48, 0))
    frame = stats.compare_rounds(unchanged + [borderline])
    row = rows(frame, "often").loc["sometimes"]
    assert row["rejects"] and row["question_p_holm"] > ALPHA
    assert row["change_bound_low"] < 0 < row["change_bound_high"]
    assert row["verdict"] == "no_clear_change"
    assert row["unadjusted_note"]


@hs.composite
def two_round_question(draw):
    k = draw(hs.integers(2, 4))
    rounds = []
    for _ in range(2):
        counts = draw(hs.lists(hs.integers(0, 12), min_size=k, max_size=k))
        blank = draw(hs.integers(0, 3))
        base = sum(counts) + blank
        if base - blank == 0:
            counts[0] += 1
            base += 1
        rounds.append((counts, blank, base, base + draw(hs.integers(0, 8))))
    (pc, pb, pn, pN), (cc, cb, cn, cN) = rounds
    cats = [cat(f"o{i}", pc[i], cc[i]) for i in range(k)]
    cats.append(cat("not_stated", pb, cb, kind="missing"))
    return question("q", cats, previous=(pn, pN, pb), current=(cn, cN, cb))


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.lists(two_round_question(), min_size=1, max_size=3))
def test_no_verdict_is_contradicted_by_the_numbers_beside_it(questions):
    questions = [ComparableQuestion(f"q{i}", q.type, q.categories, q.previous, q.current)
                 for i, q in enumerate(questions)]
    frame = stats.compare_rounds(questions)
    for _, row in frame.iterrows():
        bounds_exclude = row["change_bound_low"] > 0 or row["change_bound_high"] < 0
        interval_excludes = row["change_low"] > 0 or row["change_high"] < 0
        assert row["rejects"] == interval_excludes
        if row["verdict"] == "changed_whatever":
            assert bounds_exclude
        elif row["verdict"] == "beyond_chance":
            assert interval_excludes and not bounds_exclude
            assert row["question_verdict"] in ("changed_whatever", "beyond_chance")
        elif row["verdict"] == "no_clear_change":
            assert not bounds_exclude
            assert row["unadjusted_note"] == interval_excludes
        if row["role"] == "detail" and bounds_exclude:
            assert row["verdict"] == "changed_whatever"
        # the bounds beside a share hold the share among the councils that answered the question... and
        # the interval of the change holds the change of the shares shown
        assert row["change_low"] <= row["change"] <= row["change_high"]


def test_identical_rounds_no_share_changed():
    q = question("size", [cat("small", 12, 12), cat("large", 18, 18)], previous=(30, 40, 0), current=(30, 40, 0))
    frame = stats.compare_rounds([q])
    assert frame["unchanged"].all() and frame["question_unchanged"].all()
    assert (frame["change"] == 0).all()
    assert frame["question_p_value"].iloc[0] == pytest.approx(1.0)
    assert set(frame["verdict"]) <= {"no_clear_change", "not_separately_compared"}
    assert stats.format_change(0) == "±0"


def test_a_base_of_one_gives_no_change_sentence():
    # the issue: a base of one gave "+97 points ... within what chance could produce"
    q = question("budget", [cat("yes", 1, 35), cat("no", 0, 1)], previous=(1, 1, 0), current=(36, 40, 0))
    frame = stats.compare_rounds([q])
    assert frame["base_of_one"].all()
    assert not frame["change_sentence"].any()
    assert set(frame["reason"]) <= {"base_of_one", "complement"}
    assert "only one council" in rows(frame, "budget").loc["yes", "reason_en"]


def test_a_question_without_answers_in_a_round_is_not_compared_and_says_why():
    q = question("budget", [cat("yes", 21, 0), cat("no", 6, 0), cat("not_stated", 3, 36, kind="missing")],
                 previous=(30, 40, 3), current=(36, 44, 36))
    frame = stats.compare_rounds([q])
    assert not frame["compared"].any()
    assert (frame["verdict"] == "not_compared").all()
    assert (frame["reason"] == "no_answers_current").all()
    assert frame["reason_en"].iloc[0] == "no council answered the question in this round"
    assert frame["reason_da"].iloc[0] == "intet råd besvarede spørgsmålet i denne runde"
    assert frame["change"].isna().all() and frame["question_p_holm"].isna().all()


@SETTINGS
@given(hs.integers(0, 1), hs.integers(0, 1), hs.integers(1, 5), hs.integers(1, 5))
def test_rounds_of_one_council(previous, current, extra_previous, extra_current):
    q = question("q", [cat("yes", previous, current), cat("no", 1 - previous, 1 - current)],
                 previous=(1, extra_previous, 0), current=(1, extra_current, 0))
    frame = stats.compare_rounds([q])
    row = rows(frame, "q").loc["yes"]
    assert row["base_of_one"] and not row["change_sentence"]
    assert row["change"] == current - previous
    assert not row["rejects"]  # one council against one can never reject at 5%
    if extra_previous == extra_current == 1 and previous != current:
        assert row["verdict"] == "changed_whatever" and row["model_note"]  # everyone answered: a fact


def test_questions_from_2016_and_the_example_round():
    previous, current = load_round("2016"), load_round("example")
    questions = stats.comparable_questions(frequency_table(previous), frequency_table(current),
                                           previous.population, current.population)
    by_id = {q.question: q for q in questions}
    assert by_id["own_budget"].previous == RoundCounts(30, 40, 3)  # counts.csv: 21 yes, 6 no, 3 not stated
    assert by_id["admin_placement"].previous.not_stated is None  # 2016 gives employment only
    assert [c.code for c in by_id["admin_placement"].categories] == ["employment"]
    frame = stats.compare_rounds(questions)
    employment = rows(frame, "admin_placement").loc["employment"]
    assert (employment["previous_count"], employment["current_count"]) == (22, 11)
    assert employment["verdict"] == "changed_whatever"
    # 2016 does not say how many of the other 8 left it blank: its upper bound counts all 8 as possibly employment
    assert employment["previous_bound_high"] == pytest.approx((22 + 10 + 8) / 40)
    assert set(frame["verdict"]) <= set(stats.VERDICTS)


# --- display ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("share,digits,en,da", [
    (Fraction(1, 8), 0, "13%", "13\u00a0%"),         # 12.5 half away from zero, not to even (12)
    (Fraction(57, 200), 0, "29%", "29\u00a0%"),      # 28.5: the float 0.285 is 0.28499999...
    (0.285, 0, "29%", "29\u00a0%"),
    (Fraction(21, 40), 1, "52.5%", "52,5\u00a0%"),
    (Fraction(1, 3), 1, "33.3%", "33,3\u00a0%"),
    (Fraction(0), 0, "0%", "0\u00a0%"),
])
def test_shares_round_half_away_from_zero(share, digits, en, da):
    assert stats.format_share(share, "en", digits) == en
    assert stats.format_share(share, "da", digits) == da


def test_round_half_away_from_zero_both_signs():
    assert stats.round_half_away(Fraction(25, 2)) == Decimal("13")
    assert stats.round_half_away(Fraction(-25, 2)) == Decimal("-13")
    assert stats.round_half_away(Fraction(5, 2)) == Decimal("3")  # half to even would give 2
    assert stats.round_half_away(0.125, 2) == Decimal("0.13")


def test_interval_ends_round_outward():
    # 31/40 = 77.5% up to 78, 24/40 = 60% stays, 18/40 = 45% stays 45 (not 46 from float noise)
    assert stats.round_outward(Fraction(24, 40) * 100, Fraction(31, 40) * 100) == (Decimal(60), Decimal(78))
    assert stats.round_outward(44.6, 45.00000000000001) == (Decimal(44), Decimal(45))
    assert stats.round_outward(-12.2, 5.1) == (Decimal(-13), Decimal(6))


@pytest.mark.parametrize("low,high,en", [
    (-0.1234, -0.0044, "−13 to −0.4"),   # a high end of -0.44 points would round (outward, up) to 0
    (0.0038, 0.2, "+0.3 to +20"),        # a low end of +0.38 points: 0 would read as touching zero
    (0.00004, 0.2, "+0 to +20"),          # still 0 with two decimals: the sign says which side
    (-0.0044, 0.0038, "−1 to +1"),        # across zero: outward rounding is enough
    (0.0, 0.25, "0 to +25"),             # an end exactly at zero is zero
])
def test_interval_ends_never_read_as_touching_zero_when_they_do_not(low, high, en):
    assert stats.format_change_interval(low, high, "en") == en


def test_change_interval_in_danish():
    assert stats.format_change_interval(-0.1234, -0.0044, "da") == "−13 til −0,4"


@pytest.mark.parametrize("p,alpha,en,da", [
    (0.123, None, "0.12", "0,12"),
    (0.125, None, "0.13", "0,13"),
    (0.0004, None, "< 0.001", "< 0,001"),
    (0.001, None, "0.0010", "0,0010"),
    (0.04997, None, "0.050", "0,050"),
    (0.04997, 0.05, "0.04997", "0,04997"),   # beside a rejection, never a number that reads as 0.05
    (0.05003, 0.05, "0.05003", "0,05003"),
    (0.058, 0.05, "0.058", "0,058"),
    (1.0, 0.05, "1.0", "1,0"),
])
def test_p_values_two_significant_digits(p, alpha, en, da):
    assert stats.format_p(p, "en", alpha) == en
    assert stats.format_p(p, "da", alpha) == da


def test_the_change_is_computed_from_unrounded_shares_with_a_note():
    # 1/8 = 12.5% shows as 13%, 2/15 = 13.3% shows as 13%: the change, +0.8 points, shows as +1
    q = question("q", [cat("a", 1, 2), cat("b", 7, 13)], previous=(8, 8, 0), current=(15, 15, 0))
    row = rows(stats.compare_rounds([q]), "q").loc["a"]
    assert row["change"] == pytest.approx(2 / 15 - 1 / 8)
    assert stats.format_change(Fraction(2, 15) - Fraction(1, 8)) == "+1"
    assert row["rounding_note"]
    assert stats.format_change(Fraction(-1, 250)) == "−0.4"


def test_verdicts_and_notes_in_both_languages():
    for key, words in stats.VERDICTS.items():
        assert words["en"] and words["da"] and words["en"] != words["da"]
        assert key in stats.VERDICT_MARKS
    shapes = [stats.VERDICT_MARKS[k]["shape"] for k in stats.VERDICT_ORDER]
    assert len(set(shapes)) == len(shapes), "a verdict can be read without colour"
    for note in stats.NOTES.values():
        assert note["en"] and note["da"]


# --- Appendix B ------------------------------------------------------------------------------------

def test_method_text_in_both_languages_names_the_verdicts():
    for lang in ("en", "da"):
        text = stats.method_text(lang)
        for key in ("changed_whatever", "beyond_chance", "no_clear_change"):
            assert stats.VERDICTS[key][lang][1:] in text
    assert "95%" in stats.method_text("en") and "5\u00a0%" in stats.method_text("da")


def test_worked_example_from_2016_own_budget():
    # 21 yes of 30, 3 blank, 40 asked: K from 24 to 31 (exact enumeration), bounds 21/40 and 34/40
    assert reference_interval(21, 30, 40) == (24, 31)
    en = stats.worked_example("Own budget, yes", 21, 30, 3, 40, "en")
    assert "the 95% interval puts the number of the 40 councils asked that would give it between 24 and 31" in en
    assert "3 of the 30 left the question blank" in en  # of those that answered the survey, not of the 21
    assert "(60% to 78%)" in en  # 77.5% rounded outward
    assert "21 of 40 (52.5%" in en and "34 of 40 (85%" in en and "the 13 missing answers" in en
    da = stats.worked_example("Eget budget, ja", 21, 30, 3, 40, "da")
    assert "(60\u00a0% til 78\u00a0%)" in da and "21 af 40 (52,5\u00a0%" in da


# --- validation: no crash, a named problem -----------------------------------------------------------

def _named(folder, file, column, value):
    result = run_cli("validate", folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    problems = validate_round(folder)
    hits = [p for p in problems if p.file.endswith(file) and p.column == column and p.value == value]
    assert hits, problems
    assert str(hits[0]) in result.stderr
    return hits[0]


def test_counts_with_a_base_of_zero(tmp_path):
    folder = counts_round(tmp_path / "zero", ["chair_background,association,0,0,stated,fig 1"], responses=None)
    problem = _named(folder, "counts.csv", "base", "0")
    assert problem.row == 2 and "at least 1" in problem.expected
    with pytest.raises(DataError):  # and tables never divides by zero
        frequency_table(load_round("zero", tmp_path))


def test_a_base_above_the_councils_asked(tmp_path):
    folder = counts_round(tmp_path / "above", ["chair_background,association,16,30,stated,fig 1"],
                          responses=None, councils_asked=20)
    problem = _named(folder, "counts.csv", "base", "30")
    assert "councils_asked" in problem.expected and "20" in problem.expected
    with pytest.raises(DataError):
        frequency_table(load_round("above", tmp_path))


@pytest.mark.parametrize("meta,column,value", [
    ({"councils_asked": 5000, "councils_existing": 44}, "councils_asked", "5000"),
    ({"councils_asked": 40, "councils_existing": 99, "municipalities": 98}, "councils_existing", "99"),
])
def test_councils_asked_existing_and_municipalities_in_order(tmp_path, meta, column, value):
    folder = counts_round(tmp_path / "order", ["chair_background,association,16,30,stated,fig 1"], **meta)
    problem = _named(folder, "round.yaml", column, value)
    assert problem.row is not None  # the line of round.yaml


def test_responses_above_councils_asked(tmp_path):
    folder = responses_round(tmp_path / "many", valid_rows(6), councils_asked=4)
    problem = _named(folder, "round.yaml", "responses", "6")
    assert "councils_asked = 4" in problem.expected


def test_a_good_round_still_passes(tmp_path):
    folder = counts_round(tmp_path / "good", ["chair_background,association,16,30,stated,fig 1"],
                          councils_asked=40, councils_existing=44, municipalities=98)
    assert validate_round(folder) == []
