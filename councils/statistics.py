"""Statistics of one round and of a change between two rounds, and how they are shown.

Pure functions over counts: nothing here reads a file, and nothing of ``councils`` above
``wording``/``errors`` is imported (``tables`` imports this module). Each function states its
formula and a reference. The frame throughout:

- A round's **share** describes the councils that answered the survey: ``count / base``, where
  ``base`` is the number of councils that answered the survey (a council that left one question
  blank counts in that question's base as "not stated", as in the report).
- Its **interval** (:func:`finite_population_interval`) is about all ``population`` councils asked,
  and holds *if whether a council answered is unrelated to its answer*.
- Its **bounds** (:func:`nonresponse_bounds`) assume nothing: the share among all councils asked if
  every council whose answer is missing -- it did not answer the survey, or left the question
  blank -- had, or had not, given the answer.
- A **change** between two rounds gets bounds of its own (:func:`change_bounds`: the worst and the
  best case of both rounds' missing answers) and a model-based test and interval that agree
  (:func:`score_test`, :func:`score_interval`: Miettinen-Nurminen), labelled *unadjusted*.
- The **family**: one test per question of its whole answer distribution
  (:func:`distribution_test`, Fisher-Freeman-Halton), Holm-adjusted over the questions
  (:func:`holm`); category detail only within questions that changed; complements, don't-know and
  not-stated are never separate comparisons; a change in not-stated is a data-quality note.

Entry point: :func:`compare_rounds`
-----------------------------------
``compare_rounds(questions, confidence=0.95)`` takes one :class:`ComparableQuestion` per question
that both rounds asked comparably (the caller has mapped merged and split categories already):

- ``question``: its id; ``type``: ``single_choice`` or ``multiple_choice``;
- ``previous``, ``current``: a :class:`RoundCounts` each -- ``base`` (councils that answered the
  survey), ``population`` (councils asked) and ``not_stated`` (councils in the base that left the
  question blank; ``None`` when the round does not say, e.g. a published figure for one option
  only; always 0 for a multiple-choice question, whose blank means "not chosen");
- ``categories``: :class:`Category` rows in display order -- ``code``, ``kind`` (``option``,
  ``group`` or ``missing``: the row of councils that left the question blank, whatever the codebook
  calls it), ``label_en``, ``label_da``, both rounds' counts, and for a group its ``members`` and
  ``complement_of`` (a complement holds every other answer, not-stated included); ``dont_know``
  marks the don't-know answer.

It returns a :class:`pandas.DataFrame` with one row per category given, in the order given. Shares,
changes, bounds and interval ends are fractions (0.125 is 12.5%); display them with
:func:`format_share`, :func:`format_change`, :func:`format_change_interval` and :func:`format_p`.

=========================== ===========================================================================
column                      meaning
=========================== ===========================================================================
question, category, kind    as given; ``type`` the question's type
label_en, label_da          as given
role                        ``detail`` (a comparison of its own), ``complement`` (the rest of a
                            two-way split: the mirror of another row), ``rollup`` (a group of
                            options compared one by one), ``dont_know``, ``missing``
{previous,current}_count    the counts; ``_base``, ``_population``, ``_not_stated`` of each round
                            (``_not_stated`` NaN when the round does not say)
{previous,current}_share    ``count / base`` (NaN for a base of 0)
{previous,current}_bound_   no-assumption bounds of the share among the councils asked (NaN for the
low/high                    ``missing`` row)
change                      current_share - previous_share, unrounded
change_bound_low/high       no-assumption bounds of the change among the councils asked
change_low/high             Miettinen-Nurminen score interval of the change (unadjusted)
p_value, rejects            the score test of no change (unadjusted) and whether p <= 1 - confidence;
                            ``rejects`` is True exactly when the interval excludes zero
question_p_value            the question's distribution test; ``question_test`` says which
                            (``exact``, ``monte_carlo``, ``bonferroni_exact`` for multiple choice)
question_p_holm             Holm-adjusted over the questions compared
question_verdict, verdict   a key of :data:`VERDICTS`; ``verdict_en``, ``verdict_da`` its words
direction                   ``rose``, ``fell`` or ``same`` (of the unrounded shares)
compared                    False when a round holds no answer to the question; ``reason``,
                            ``reason_en``, ``reason_da`` say why (also for a base of one)
base_of_one                 a round's base is one council: write no change sentence
unchanged                   the two shares are equal; ``question_unchanged``: no share changed
change_sentence             a change sentence may be written for this row
rounding_note               the change shown differs from the difference of the shares shown
unadjusted_note             the unadjusted interval excludes zero but the verdict is "no clear change"
model_note                  changed whatever non-respondents said, yet the score interval holds zero
not_stated_note             (question level) the share not stated changed (its score test, unadjusted,
                            rejects): a data-quality note; ``not_stated_p_value`` that test's p-value
=========================== ===========================================================================

:func:`question_rows` gives one row per question with the question-level columns.

Verdicts (:data:`VERDICTS`), in this order of strength:

1. ``changed_whatever``: the change bounds exclude zero -- the share among the councils asked
   changed whatever the councils with missing answers would have said. A fact about the councils
   asked, not an inference, so no test or adjustment enters it.
2. ``beyond_chance``: the question changed (verdict 1 for one of its rows, or its Holm-adjusted
   distribution test rejects), and this category's own score test rejects (its unadjusted interval
   excludes zero); holds if non-response is unrelated to the answers.
3. ``no_clear_change``: neither.

Holm over the questions bounds the chance of calling any unchanged question changed (at 1 - confidence,
whatever the dependence between questions). The categories of a changed question are then judged by
their own unadjusted tests, protected by the question's test as in Fisher's protected LSD, not adjusted
again: hence "unadjusted" beside their intervals, and ``unadjusted_note`` where such an interval
excludes zero in a question that did not change.

A row that is not a comparison of its own (``role`` other than ``detail``) gets
``not_separately_compared``; a question a round holds no answer to, ``not_compared``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Iterable, Sequence

import numpy as np

CONFIDENCE = 0.95
# Fisher-Freeman-Halton: exact when the tables with the observed margins number at most this many,
# otherwise Monte Carlo with this many draws from a generator seeded with SEED (the number).
MAX_EXACT_TABLES = 2_000_000
MONTE_CARLO_DRAWS = 100_000
SEED = 14
# Tables as likely as the observed one within this relative tolerance count as "as extreme" (as R's
# fisher.test and scipy do), so that floating-point noise does not split ties.
RELATIVE_TIE = 1e-7
# The float tail of the hypergeometric distribution is trusted when it is further than this (relative)
# from the level it is compared with; closer, it is recomputed exactly (integers).
FLOAT_TAIL_MARGIN = 1e-6
DONT_KNOW = "dont_know"  # the codebook's code of the don't-know answer, where a question has one
LANGUAGES = ("en", "da")
MINUS = "\u2212"


def _codebook(rnd=None):
    """The codebook of the questions a round asked (one place to switch to series.codebook_for)."""
    from councils.codebook import load_codebook

    return load_codebook()


def _alpha(confidence: float) -> float:
    """1 - confidence without the float residue (1 - 0.95 is 0.050000000000000044)."""
    return round(1 - confidence, 12)


def _tail_level(confidence: float) -> Fraction:
    """Probability allowed in each tail, as an exact fraction (1/40 for 95%)."""
    return Fraction(1 - confidence).limit_denominator(10**6) / 2


# --- one round: the exact finite-population interval ------------------------------------------------

def _check_counts(count: int, base: int, population: int) -> None:
    if not 0 <= count <= base <= population:
        raise ValueError(f"need 0 <= count <= base <= population, got {count}, {base}, {population}")


def _log_comb(n, k):
    from scipy.special import gammaln

    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def _tail_float(count: int, base: int, population: int, k: int, upper: bool) -> float:
    """P(X >= count) (``upper``) or P(X <= count) for X ~ Hypergeometric(population, k, base), in floats.

    Terms are summed in log space over the support, cut to mean +- t with
    t = sqrt(base * ln(2 / 1e-20) / 2): by Hoeffding's inequality for sampling without replacement
    (Hoeffding 1963, section 6) the mass outside is below 1e-20, far below any level compared with.
    """
    from scipy.special import logsumexp

    low, high = max(0, base - (population - k)), min(k, base)
    if upper:
        low = max(low, count)
    else:
        high = min(high, count)
    mean = base * k / population
    spread = math.sqrt(base * math.log(2e20) / 2) + 1
    low, high = max(low, math.floor(mean - spread)), min(high, math.ceil(mean + spread))
    if low > high:
        return 0.0
    x = np.arange(low, high + 1, dtype=float)
    terms = _log_comb(k, x) + _log_comb(population - k, base - x) - _log_comb(population, base)
    return float(min(1.0, math.exp(logsumexp(terms))))


def _tail_exact(count: int, base: int, population: int, k: int, upper: bool) -> Fraction:
    """The same tail as an exact fraction, term by term with integers (used only near a tie)."""
    low, high = max(0, base - (population - k)), min(k, base)
    xs = range(max(low, count), high + 1) if upper else range(low, min(high, count) + 1)
    if not xs:
        return Fraction(0)
    x = xs[0]
    term = math.comb(k, x) * math.comb(population - k, base - x)
    total = term
    for x in xs[:-1]:
        # C(k, x+1) C(N-k, n-x-1) = C(k, x) C(N-k, n-x) (k-x)(n-x) / ((x+1)(N-k-n+x+1)), exact
        term = term * (k - x) * (base - x) // ((x + 1) * (population - k - base + x + 1))
        total += term
    return Fraction(total, math.comb(population, base))


def _tail_exceeds(count: int, base: int, population: int, k: int, upper: bool, level: Fraction) -> bool:
    value = _tail_float(count, base, population, k, upper)
    if abs(value - float(level)) > FLOAT_TAIL_MARGIN * float(level):
        return value > level
    return _tail_exact(count, base, population, k, upper) > level


def finite_population_range(count: int, base: int, population: int,
                            confidence: float = CONFIDENCE) -> tuple[int, int]:
    """The interval of :func:`finite_population_interval` as whole numbers of councils (K_low, K_high)."""
    _check_counts(count, base, population)
    if base == population:
        return count, count
    level = _tail_level(confidence)
    first, last = count, count + population - base
    # P(X >= count | K) grows with K and is 1 at K = last: K_low is the first K where it exceeds the level.
    lo, hi = first, last
    while lo < hi:
        mid = (lo + hi) // 2
        if _tail_exceeds(count, base, population, mid, True, level):
            hi = mid
        else:
            lo = mid + 1
    k_low = lo
    # P(X <= count | K) falls with K and is 1 at K = first: K_high is the last K where it exceeds the level.
    lo, hi = first, last
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _tail_exceeds(count, base, population, mid, False, level):
            lo = mid
        else:
            hi = mid - 1
    return k_low, lo


def finite_population_interval(count: int, base: int, population: int,
                               confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact interval for the share among ``population`` councils when ``base`` of them answered.

    The unknown is K, the number of councils asked that have the attribute; answering is taken to be
    unrelated to the answer, so the count X is Hypergeometric(population, K, base):
    P(X = x | K) = C(K, x) C(population - K, base - x) / C(population, base). The interval holds
    every K with P(X >= count | K) > a and P(X <= count | K) > a, a = (1 - confidence) / 2 -- the
    finite-population analogue of Clopper-Pearson (Wright 1991, "Exact confidence bounds when sampling
    from small finite universes", JASA 86: 1022-1027; Buonaccorsi 1987) -- given as K / population.

    Both tails are monotone in K, so each end is found by bisection (about 2 log2(population) tail
    evaluations); tails are summed in floats, and recomputed exactly with integers when within
    FLOAT_TAIL_MARGIN of a, so that a tail exactly equal to a (1/40) stays outside as in exact
    arithmetic. Same results as the exact-fraction enumeration it replaces.
    """
    k_low, k_high = finite_population_range(count, base, population, confidence)
    if base == population:
        return count / base, count / base
    return k_low / population, k_high / population


# --- one round: bounds that assume nothing about missing answers ----------------------------------

def nonresponse_bounds(count: int, base: int, population: int, not_stated: int = 0,
                       includes_missing: bool = False) -> tuple[Fraction, Fraction]:
    """The share among all councils asked if none, or all, of those whose answer is missing had it.

    Missing are the ``population - base`` councils that did not answer the survey and the
    ``not_stated`` councils that answered it but left the question blank (item non-response;
    Manski 2003, *Partial Identification of Probability Distributions*, ch. 1). A category whose
    count holds the blanks (``includes_missing``: a complement such as "other answers, not stated
    included") counts them as missing, not as having it:
    low = (count - m) / population, high = (count - m + population - base + not_stated) / population,
    m = not_stated if includes_missing else 0. 2016's own budget, 21 yes of 30, 3 blank, 40 asked:
    21/40 to 34/40.
    """
    _check_counts(count, base, population)
    if not 0 <= not_stated <= base:
        raise ValueError(f"need 0 <= not_stated <= base, got {not_stated} of {base}")
    held = count - (not_stated if includes_missing else 0)
    if held < 0:
        raise ValueError(f"a count of {count} cannot hold {not_stated} blank answers")
    return Fraction(held, population), Fraction(held + population - base + not_stated, population)


def change_bounds(previous: tuple[Fraction, Fraction], current: tuple[Fraction, Fraction]) -> tuple[Fraction, Fraction]:
    """No-assumption bounds of a change: (current low - previous high, current high - previous low).

    Each round's bounds hold whatever its missing answers were, and the two rounds' missing answers
    can fall either way independently, so the change lies between these worst and best cases.
    """
    return current[0] - previous[1], current[1] - previous[0]


# --- a change: the Miettinen-Nurminen score test and interval, which agree -------------------------

def _restricted_mle(delta: float, c1: int, n1: int, c2: int, n2: int) -> tuple[float, float]:
    """Maximum-likelihood (p1, p2) under p1 - p2 = delta (Farrington & Manning 1990, closed form)."""
    if delta == 0:
        pooled = (c1 + c2) / (n1 + n2)
        return pooled, pooled
    p1_hat, p2_hat = c1 / n1, c2 / n2
    theta = n2 / n1
    a = 1 + theta
    b = -(1 + theta + p1_hat + theta * p2_hat + delta * (theta + 2))
    c = delta * delta + delta * (2 * p1_hat + theta + 1) + p1_hat + theta * p2_hat
    d = -p1_hat * delta * (1 + delta)
    v = b ** 3 / (27 * a ** 3) - b * c / (6 * a * a) + d / (2 * a)
    u = math.copysign(math.sqrt(max(0.0, b * b / (9 * a * a) - c / (3 * a))), v)
    if u == 0:
        p1 = -b / (3 * a)
    else:
        w = (math.pi + math.acos(max(-1.0, min(1.0, v / u ** 3)))) / 3
        p1 = 2 * u * math.cos(w) - b / (3 * a)
    p1 = min(1.0, max(0.0, p1))
    p2 = min(1.0, max(0.0, p1 - delta))
    return p1, p2


def _score_statistic(delta: float, current: tuple[int, int], previous: tuple[int, int]) -> float:
    """z(delta) = (p2_hat - p1_hat - delta) / sqrt(V(delta)) with the Miettinen-Nurminen variance.

    V = [p~2 (1 - p~2) / n2 + p~1 (1 - p~1) / n1] * N / (N - 1), where p~ are the maximum-likelihood
    shares under the hypothesis, N = n1 + n2 (Miettinen & Nurminen 1985, Statistics in Medicine 4:
    213-226). Here "2" is the current round and "1" the previous one; delta is current - previous.
    """
    (c2, n2), (c1, n1) = current, previous
    q2, q1 = _restricted_mle(delta, c2, n2, c1, n1)
    variance = (q2 * (1 - q2) / n2 + q1 * (1 - q1) / n1) * (n1 + n2) / (n1 + n2 - 1)
    difference = c2 / n2 - c1 / n1 - delta
    if variance <= 0:
        return 0.0 if abs(difference) < 1e-15 else math.copysign(math.inf, difference)
    return difference / math.sqrt(variance)


def _critical(confidence: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(1 - _alpha(confidence) / 2)


def score_test(previous: tuple[int, int], current: tuple[int, int]) -> float:
    """Two-sided p-value of the Miettinen-Nurminen score test that a share did not change.

    z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2) N / (N - 1)), p the pooled share, N = n1 + n2;
    p = 2 (1 - Phi(|z|)). Both shares 0, or both 1, give p = 1. Each round is ``(count, base)``.
    """
    _check_pair(previous, current)
    z = _score_statistic(0.0, current, previous)
    return math.erfc(abs(z) / math.sqrt(2))


def _check_pair(previous, current) -> None:
    for count, base in (previous, current):
        if not 0 <= count <= base or base < 1:
            raise ValueError(f"need 0 <= count <= base and base >= 1, got {count} of {base}")
    if previous[1] + current[1] < 2:
        raise ValueError("need at least two councils in the two rounds together")


def score_interval(previous: tuple[int, int], current: tuple[int, int],
                   confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Miettinen-Nurminen interval of the change current - previous: every delta the score test keeps.

    {delta : |z(delta)| < z_(1 - alpha/2)} (Miettinen & Nurminen 1985; Newcombe 1998, Statistics in
    Medicine 17: 873-890, method 6). z(delta) falls with delta, so each end is one root, found by
    Brent's method on the side of zero that the test at delta = 0 decides: the interval excludes
    zero exactly when :func:`score_test` gives p <= 1 - confidence.
    """
    from scipy.optimize import brentq

    _check_pair(previous, current)
    alpha, critical = _alpha(confidence), _critical(confidence)
    estimate = current[0] / current[1] - previous[0] / previous[1]
    rejects = score_test(previous, current) <= alpha

    def z(delta: float) -> float:
        return _score_statistic(delta, current, previous)

    edge = 1 - 1e-12

    def end(sign: int) -> float:
        # lower end (sign -1): z(delta) = +critical on (-1, estimate]; upper (sign +1): -critical on [estimate, 1)
        target = -sign * critical
        far = sign * edge
        if estimate == sign:
            return float(sign)
        zero_on_far_side = (estimate > 0) == (sign < 0) and estimate != 0  # zero lies between estimate and far
        if zero_on_far_side:
            inner, outer = (0.0, far) if not rejects else (estimate, 0.0)
        else:
            inner, outer = estimate, far
        f_inner, f_outer = z(inner) - target, z(outer) - target
        if f_inner == 0:
            root = inner
        elif f_outer == 0 or (f_inner > 0) == (f_outer > 0):
            # the score never reaches the critical value before this point: the end is the point itself
            root = float(sign) if outer == far else outer
        else:
            root = brentq(lambda d: z(d) - target, min(inner, outer), max(inner, outer), xtol=1e-13, rtol=1e-13)
        if zero_on_far_side:
            # the test at zero decides the side: never let root-finding noise put the end across zero
            if rejects and (root == 0 or (root > 0) != (estimate > 0)):
                root = math.copysign(math.ulp(0.0), estimate)
            if not rejects and root != 0 and (root > 0) == (estimate > 0):
                root = 0.0
        return root

    return end(-1), end(+1)


# --- the family: one test per question, Holm over questions ----------------------------------------

@dataclass(frozen=True)
class DistributionTest:
    """A test of a question's whole answer distribution: p-value, how it was computed, tables counted."""

    p_value: float
    method: str  # "exact" or "monte_carlo" (or "bonferroni_exact" for a multiple-choice question)
    tables: int | None = None


def _count_tables(totals: Sequence[int], column: int) -> int:
    """Number of ways to split ``column`` councils over rows of the given totals (dynamic programming)."""
    ways = [1] + [0] * column
    for total in totals:
        new = [0] * (column + 1)
        running = 0
        for s in range(column + 1):  # new[s] = sum of ways[s - x] for x in 0..total
            running += ways[s]
            if s - total - 1 >= 0:
                running -= ways[s - total - 1]
            new[s] = running
        ways = new
    return ways[column]


def distribution_test(previous: Sequence[int], current: Sequence[int], *, seed: int = SEED,
                      draws: int = MONTE_CARLO_DRAWS, max_tables: int = MAX_EXACT_TABLES) -> DistributionTest:
    """Fisher-Freeman-Halton test that two rounds share one answer distribution (an r x 2 table).

    Rows are the answer categories, columns the rounds. Given the margins, the previous round's column
    is multivariate hypergeometric: P(x) = prod_i C(R_i, x_i) / C(N, n1) (R_i row totals, n1 the
    previous round's answers, N all answers). The p-value sums P over every table no more likely than
    the observed one (Freeman & Halton 1951, Biometrika 38: 141-149; for 2 x 2 it is Fisher's exact
    test), within a relative tolerance of 1e-7. Exact enumeration when the tables number at most
    ``max_tables``; otherwise Monte Carlo, (1 + hits) / (1 + draws) from a generator seeded with
    ``seed`` (Davison & Hinkley 1997, section 4.2).
    """
    from scipy.special import gammaln

    prev = np.asarray(previous, dtype=np.int64)
    cur = np.asarray(current, dtype=np.int64)
    if prev.shape != cur.shape or prev.ndim != 1 or (prev < 0).any() or (cur < 0).any():
        raise ValueError("need two equally long lists of counts, none negative")
    keep = (prev + cur) > 0
    prev, cur = prev[keep], cur[keep]
    totals = prev + cur
    column, everyone = int(prev.sum()), int(totals.sum())
    if len(totals) < 2 or column == 0 or column == everyone:
        return DistributionTest(1.0, "exact", 1)
    log_row = [gammaln(t + 1) - gammaln(np.arange(t + 1) + 1) - gammaln(t - np.arange(t + 1) + 1) for t in totals]
    observed = float(sum(log_row[i][prev[i]] for i in range(len(totals))))
    threshold = observed + math.log1p(RELATIVE_TIE)
    log_all = float(gammaln(everyone + 1) - gammaln(column + 1) - gammaln(everyone - column + 1))
    tables = _count_tables([int(t) for t in totals], column)
    if tables <= max_tables:
        sums = np.zeros(1, dtype=np.int64)
        logs = np.zeros(1)
        rest = [int(totals[i + 1:].sum()) for i in range(len(totals))]
        for i, total in enumerate(totals[:-1]):
            x = np.arange(int(total) + 1)
            new_sums = (sums[:, None] + x[None, :]).ravel()
            new_logs = (logs[:, None] + log_row[i][None, :]).ravel()
            feasible = (new_sums <= column) & (new_sums + rest[i] >= column)
            sums, logs = new_sums[feasible], new_logs[feasible]
        logs = logs + log_row[-1][column - sums]
        extreme = logs <= threshold
        p = float(np.exp(logs[extreme] - log_all).sum())
        return DistributionTest(min(1.0, p), "exact", tables)
    rng = np.random.default_rng(seed)
    sample = rng.multivariate_hypergeometric(totals, column, size=draws)
    logs = np.zeros(draws)
    for i in range(len(totals)):
        logs += log_row[i][sample[:, i]]
    hits = int((logs <= threshold).sum())
    return DistributionTest((1 + hits) / (1 + draws), "monte_carlo", tables)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (Holm 1979, Scand. J. Statist. 6: 65-70).

    Sorted ascending, p_(i) becomes max over j <= i of min(1, (m - j + 1) p_(j)). Valid for any
    dependence between the tests, which the questions of one survey have.
    """
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [0.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


# --- display: rounding, intervals, p-values, in English and Danish ---------------------------------
#
# Rounding half away from zero is the rule taught in Danish schools ("5 eller derover forhøjes",
# Gyldendal's Matematikleksikon, "Afrunding") and what spreadsheets' ROUND does, which is how UK
# producers of official statistics apply their rounding policies (e.g. Defence Analytical Services
# and Advice, "Rounding policy", 2009, with Excel's MROUND; Ofqual, "Rounding policy for statistical
# publications", 2025, which derives percentages from unrounded values). The ONS style guide ("Number
# rounding") asks for one consistent level of rounding chosen for the reader. No rule of Danmarks
# Statistik on halves was found in the sources available to this project.

def _decimal(value) -> Decimal:
    """An exact Decimal of a Decimal, or of a float by its shortest repr (Fractions and ints never come here:
    :func:`_exact_ratio` takes them as they are)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(float(value)))


def _exact_ratio(value) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    return Fraction(_decimal(value))


def round_half_away(value, digits: int = 0) -> Decimal:
    """``value`` rounded to ``digits`` decimals, halves away from zero: 12.5 -> 13, -12.5 -> -13."""
    exact = _exact_ratio(value)
    step = Fraction(1, 10 ** digits)
    units = abs(exact) / step
    whole = math.floor(units + Fraction(1, 2))
    result = Fraction(whole) * step * (1 if exact >= 0 else -1)
    return (Decimal(result.numerator) / Decimal(result.denominator)).quantize(Decimal(1).scaleb(-digits))


def round_outward(low, high, digits: int = 0, snap: float = 1e-9) -> tuple[Decimal, Decimal]:
    """An interval's ends rounded outward: the low end down, the high end up, to ``digits`` decimals.

    Float ends within ``snap`` (in the rounding unit) of a step are first put on it, so that a
    computed 45.00000000000001 is not shown as 46. Fractions are rounded exactly.
    """
    def one(value, rounding) -> Decimal:
        exact = _exact_ratio(value)
        if not isinstance(value, (Fraction, int, np.integer)):
            units = exact * 10 ** digits
            nearest = round(units)
            if abs(units - nearest) <= Fraction(snap):
                exact = Fraction(nearest, 10 ** digits)
        d = Decimal(exact.numerator) / Decimal(exact.denominator)
        return d.quantize(Decimal(1).scaleb(-digits), rounding=rounding)

    return one(low, ROUND_FLOOR), one(high, ROUND_CEILING)


def _locale(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return "da_DK" if lang == "da" else "en_GB"


def format_number(value: Decimal, lang: str = "en", sign: bool = False) -> str:
    """A rounded Decimal as shown: '12.5' / '12,5', with '+' or '−' when ``sign`` (a true minus sign)."""
    from babel.numbers import format_decimal

    digits = max(0, -value.as_tuple().exponent)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    text = format_decimal(abs(value), format=pattern, locale=_locale(lang))
    if value < 0 or (value == 0 and value.is_signed()):
        return MINUS + text
    return ("+" + text) if sign and value > 0 else text


def _percent_sign(lang: str) -> str:
    return "\u00a0%" if _locale(lang) == "da_DK" else "%"


def format_share(share, lang: str = "en", digits: int = 0) -> str:
    """A share as a percentage, rounded half away from zero: 1/8 -> '13%' ('13 %' in Danish)."""
    return format_number(round_half_away(_exact_ratio(share) * 100, digits), lang) + _percent_sign(lang)


def _change_digits(points: Fraction, start: int = 0) -> Decimal:
    """The change in points rounded half away from zero, with a decimal more while a change reads as 0."""
    for digits in range(start, start + 3):
        shown = round_half_away(points, digits)
        if shown != 0 or points == 0:
            return shown
    return shown


def format_change(change, lang: str = "en") -> str:
    """A change of shares in percentage points: '+13', '−0.4', '±0' for no change at all."""
    points = _exact_ratio(change) * 100
    if points == 0:
        return "\u00b10"
    return format_number(_change_digits(points), lang, sign=True)


def format_interval_end(value, side: str, lang: str = "en", digits: int = 0) -> str:
    """One end of an interval of a change, in points, rounded outward, never reading as touching zero.

    A low end above zero or a high end below zero that would round to 0 gets a decimal (two at most),
    and then shows as '+0' or '−0'; an end exactly at zero shows as '0'.
    """
    points = _exact_ratio(value) * 100 if isinstance(value, (Fraction, int, np.integer)) else value * 100
    if points == 0:
        return "0"
    for d in range(digits, digits + 3):
        low, high = round_outward(points, points, d)
        shown = low if side == "low" else high
        if shown != 0:
            return format_number(shown, lang, sign=True)
    return ("+" if points > 0 else MINUS) + format_number(Decimal(0).quantize(Decimal(1).scaleb(-digits)), lang)


def format_change_interval(low, high, lang: str = "en", digits: int = 0) -> str:
    """'−12 to +5' / '−12 til +5': both ends in points, rounded outward."""
    word = "til" if _locale(lang) == "da_DK" else "to"
    return f"{format_interval_end(low, 'low', lang, digits)} {word} {format_interval_end(high, 'high', lang, digits)}"


def format_p(p: float, lang: str = "en", alpha: float | None = None) -> str:
    """A p-value to two significant digits, rounded half away from zero; '< 0.001' below 0.001.

    Given ``alpha``, more digits are shown where two would put the number on the wrong side of the
    decision p <= alpha (0.04997 is '0.04997', not '0.050', beside a rejection).
    """
    if not 0 <= p <= 1:
        raise ValueError(f"a p-value lies in [0, 1], not {p}")
    if p < 0.001:
        return "< " + format_number(Decimal("0.001"), lang)
    exponent = math.floor(math.log10(p)) if p > 0 else 0
    for significant in range(2, 8):
        shown = round_half_away(p, max(0, significant - 1 - exponent))
        if alpha is None or p == alpha:
            break
        if (p <= alpha and shown < Decimal(repr(alpha))) or (p > alpha and shown > Decimal(repr(alpha))):
            break
    return format_number(shown, lang)


# --- words: verdicts, reasons, notes ----------------------------------------------------------------

VERDICT_ORDER = ("changed_whatever", "beyond_chance", "no_clear_change", "not_compared", "not_separately_compared")
VERDICTS = {
    "changed_whatever": {
        "en": "changed whatever the non-respondents would have said",
        "da": "ændret, uanset hvad de råd, der ikke svarede, ville have sagt",
    },
    "beyond_chance": {
        "en": "changed beyond chance if non-response is unrelated to the answers",
        "da": "ændret ud over tilfældighed, hvis bortfaldet ikke hænger sammen med svarene",
    },
    "no_clear_change": {"en": "no clear change", "da": "ingen klar ændring"},
    "not_compared": {"en": "not compared", "da": "ikke sammenlignet"},
    "not_separately_compared": {"en": "not compared on its own", "da": "ikke sammenlignet for sig"},
}
# So that a chart can show the verdict without colour: a Vega-Lite point shape, and a sign for tables.
VERDICT_MARKS = {
    "changed_whatever": {"shape": "square", "filled": True, "symbol": "\u25a0"},
    "beyond_chance": {"shape": "triangle-up", "filled": True, "symbol": "\u25b2"},
    "no_clear_change": {"shape": "circle", "filled": False, "symbol": "\u25cb"},
    "not_compared": {"shape": "cross", "filled": False, "symbol": "\u00d7"},
    "not_separately_compared": {"shape": "diamond", "filled": False, "symbol": "\u25c7"},
}
REASONS = {
    "": {"en": "", "da": ""},
    "no_answers_previous": {"en": "no council answered the question in the earlier round",
                            "da": "intet råd besvarede spørgsmålet i den tidligere runde"},
    "no_answers_current": {"en": "no council answered the question in this round",
                           "da": "intet råd besvarede spørgsmålet i denne runde"},
    "no_answers_both": {"en": "no council answered the question in either round",
                        "da": "intet råd besvarede spørgsmålet i nogen af runderne"},
    "base_of_one": {"en": "only one council answered in one of the rounds, too few to speak of a change",
                    "da": "kun ét råd svarede i en af runderne, for få til at tale om en ændring"},
    "complement": {"en": "the rest of the answers: its change mirrors the row it complements",
                   "da": "resten af svarene: ændringen spejler den række, den supplerer"},
    "rollup": {"en": "a group of answers that are compared one by one",
               "da": "en gruppe af svar, der sammenlignes enkeltvis"},
    "dont_know": {"en": "“don’t know” is part of the question’s test, not a comparison of its own",
                  "da": "»ved ikke« indgår i spørgsmålets test, ikke som en sammenligning for sig"},
    "missing": {"en": "not stated: a change in it is a note on data quality, not a finding",
                "da": "uoplyst: en ændring heri er en bemærkning om datakvalitet, ikke et resultat"},
}
NOTES = {
    "unadjusted": {
        "en": "The interval is unadjusted: it excludes zero, but the question's answers as a whole did not "
              "change beyond chance once the number of questions compared is taken into account.",
        "da": "Intervallet er ikke justeret: det udelukker nul, men spørgsmålets svar under ét ændrede sig "
              "ikke ud over tilfældighed, når der tages højde for antallet af sammenlignede spørgsmål.",
    },
    "rounding": {
        "en": "The change is computed from the unrounded shares, so it can differ from the difference of "
              "the rounded shares shown.",
        "da": "Ændringen er beregnet af de uafrundede andele og kan derfor afvige fra forskellen mellem "
              "de viste, afrundede andele.",
    },
    "model": {
        "en": "Among the councils asked the share changed whatever the missing answers were, but a change "
              "of this size could also arise by chance in how councils answer.",
        "da": "Blandt de adspurgte råd ændrede andelen sig, uanset hvad de manglende svar var, men en "
              "ændring af denne størrelse kunne også opstå tilfældigt i rådenes svar.",
    },
    "not_stated": {
        "en": "More or fewer councils left the question blank than in the earlier round ({previous} against "
              "{current}): read the change in its answers with care.",
        "da": "Flere eller færre råd lod spørgsmålet stå tomt end i den tidligere runde ({previous} mod "
              "{current}): læs ændringen i svarene med forsigtighed.",
    },
    "unchanged": {"en": "No share changed.", "da": "Ingen andel ændrede sig."},
}


# --- the entry point --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundCounts:
    """One round's frame for one question: councils that answered the survey, asked, blank answers."""

    base: int
    population: int
    not_stated: int | None = 0


@dataclass(frozen=True)
class Category:
    """One comparable category with both rounds' counts (see the module docstring)."""

    code: str
    kind: str  # "option", "group" or "missing"
    label_en: str
    label_da: str
    previous: int
    current: int
    members: tuple[str, ...] = ()
    complement_of: str | None = None
    dont_know: bool = False


@dataclass(frozen=True)
class ComparableQuestion:
    """A question both rounds asked comparably: its categories and each round's frame."""

    question: str
    type: str
    categories: tuple[Category, ...]
    previous: RoundCounts
    current: RoundCounts


@dataclass
class _Plan:
    """How one question is compared: the role of each category and the table its distribution test uses."""

    roles: list[str]
    parts: list[int]  # indices of the categories forming the distribution's rows
    residual: tuple[int, int] | None  # the rest of the base per round (other answers, blanks if unknown)
    not_stated: tuple[int, int] | None  # known blank counts, or None
    blanks_max: tuple[int, int]  # most blanks each round can hold (for the bounds)


def _plan(q: ComparableQuestion) -> _Plan:
    cats = q.categories
    kinds = {c.kind for c in cats}
    if not kinds <= {"option", "group", "missing"}:
        raise ValueError(f"{q.question}: kind must be option, group or missing, not {sorted(kinds)}")
    if q.type not in ("single_choice", "multiple_choice"):
        raise ValueError(f"{q.question}: type must be single_choice or multiple_choice, not {q.type!r}")
    rounds = (q.previous, q.current)
    for r in rounds:
        if r.base < 0 or r.population < r.base:
            raise ValueError(f"{q.question}: need 0 <= base <= population, got {r.base} of {r.population}")
    for c in cats:
        for count, r in ((c.previous, q.previous), (c.current, q.current)):
            if not 0 <= count <= r.base:
                raise ValueError(f"{q.question}.{c.code}: need 0 <= count <= base, got {count} of {r.base}")
    if q.type == "multiple_choice":
        roles = ["dont_know" if c.dont_know else "missing" if c.kind == "missing" else "detail" for c in cats]
        return _Plan(roles, [], None, (0, 0), (0, 0))

    missing = [c for c in cats if c.kind == "missing"]
    blanks = [r.not_stated for r in rounds]
    if missing:
        given = (missing[0].previous, missing[0].current)
        for known, counted in zip(blanks, given):
            if known is not None and known != counted:
                raise ValueError(f"{q.question}: not_stated {known} differs from the missing row's {counted}")
        blanks = list(given)
    options = [i for i, c in enumerate(cats) if c.kind == "option"]
    option_codes = {cats[i].code for i in options}
    parts, used = list(options), set(option_codes)
    roles = ["" for _ in cats]
    for i, c in enumerate(cats):
        if c.kind == "missing":
            roles[i] = "missing"
        elif c.kind == "group" and c.complement_of is not None:
            roles[i] = "complement"
        elif c.kind == "group":
            members = set(c.members)
            if members and not members & used:
                parts.append(i)
                used |= members
            else:
                roles[i] = "rollup"
    for i in parts:
        roles[i] = "dont_know" if cats[i].dont_know else "detail"
    parts.sort()
    sums = [sum(cats[i].previous for i in parts), sum(cats[i].current for i in parts)]
    known = all(b is not None for b in blanks)
    residual = []
    for r, total, blank in zip(rounds, sums, blanks):
        rest = r.base - total - (blank if known else 0)
        if rest < 0:
            raise ValueError(f"{q.question}: the categories and blanks add up to {total + (blank or 0)}, "
                             f"more than the base of {r.base}")
        residual.append(rest)
    blanks_max = tuple(b if b is not None else r.base - s for b, r, s in zip(blanks, rounds, sums))
    # A two-way split: the second part mirrors the first, so only the first is a comparison of its own.
    detail = [i for i in parts if roles[i] == "detail"]
    if len(parts) == 2 and len(detail) == 2 and not any(residual):
        roles[detail[1]] = "complement"
    return _Plan(roles, parts, tuple(residual) if any(residual) else None,
                 tuple(blanks) if known else None, blanks_max)


def _bounds_row(count: int, r: RoundCounts, blanks_max: int, includes_missing: bool):
    if r.base == 0:
        return Fraction(0), Fraction(1)
    return nonresponse_bounds(count, r.base, r.population, blanks_max, includes_missing)


def compare_rounds(questions: Iterable[ComparableQuestion], confidence: float = CONFIDENCE) -> "pd.DataFrame":
    """Every number the comparison's table and sentences need, one row per category (module docstring)."""
    import pandas as pd

    alpha = _alpha(confidence)
    records: list[dict] = []
    tests: dict[str, DistributionTest] = {}
    for q in questions:
        plan = _plan(q)
        cats = q.categories
        prev, cur = q.previous, q.current
        answered = [r.base - (b if b is not None else 0) for r, b in zip((prev, cur), plan.not_stated or (0, 0))]
        reason = ""
        if prev.base == 0 or answered[0] == 0:
            reason = "no_answers_previous"
        if cur.base == 0 or answered[1] == 0:
            reason = "no_answers_both" if reason else "no_answers_current"
        compared = reason == ""
        if compared:
            tests[q.question] = _question_test(q, plan)
        base_of_one = compared and min(prev.base, cur.base) == 1
        for i, c in enumerate(cats):
            role = plan.roles[i]
            includes_missing = c.complement_of is not None
            rec = {
                "question": q.question, "category": c.code, "kind": c.kind, "type": q.type, "role": role,
                "label_en": c.label_en, "label_da": c.label_da,
            }
            shares = []
            bounds = []
            for name, count, r, blank, most in (("previous", c.previous, prev, plan.not_stated and plan.not_stated[0],
                                                 plan.blanks_max[0]),
                                                ("current", c.current, cur, plan.not_stated and plan.not_stated[1],
                                                 plan.blanks_max[1])):
                share = Fraction(count, r.base) if r.base else None
                shares.append(share)
                rec.update({f"{name}_count": count, f"{name}_base": r.base, f"{name}_population": r.population,
                            f"{name}_not_stated": (r.not_stated if r.not_stated is not None
                                                   else (blank if plan.not_stated else math.nan)),
                            f"{name}_share": float(share) if share is not None else math.nan})
                if role == "missing":
                    rec.update({f"{name}_bound_low": math.nan, f"{name}_bound_high": math.nan})
                    bounds.append(None)
                else:
                    b = _bounds_row(count, r, most if q.type == "single_choice" else 0, includes_missing)
                    bounds.append(b)
                    rec.update({f"{name}_bound_low": float(b[0]), f"{name}_bound_high": float(b[1])})
            rec.update(_change_columns(shares, bounds, c, prev, cur, compared, confidence, alpha))
            rec.update({"compared": compared, "base_of_one": base_of_one, "reason": reason if not compared else
                        ("base_of_one" if base_of_one else "")})
            records.append(rec)
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    return _verdicts(frame, tests, alpha)


def _question_test(q: ComparableQuestion, plan: _Plan) -> DistributionTest:
    cats = q.categories
    if q.type == "multiple_choice":
        ps = [distribution_test([c.previous, q.previous.base - c.previous], [c.current, q.current.base - c.current]).p_value
              for c, role in zip(cats, plan.roles) if role in ("detail", "dont_know")]
        return DistributionTest(min(1.0, len(ps) * min(ps)) if ps else 1.0, "bonferroni_exact")
    prev = [cats[i].previous for i in plan.parts]
    cur = [cats[i].current for i in plan.parts]
    if plan.residual is not None:
        prev.append(plan.residual[0])
        cur.append(plan.residual[1])
    return distribution_test(prev, cur)


def _change_columns(shares, bounds, c: Category, prev: RoundCounts, cur: RoundCounts, compared: bool,
                    confidence: float, alpha: float) -> dict:
    nan = math.nan
    out = {"change": nan, "change_bound_low": nan, "change_bound_high": nan, "change_low": nan, "change_high": nan,
           "p_value": nan, "rejects": False, "direction": None, "unchanged": False, "rounding_note": False}
    if not compared or shares[0] is None or shares[1] is None:
        return out
    change = shares[1] - shares[0]
    out.update(change=float(change), direction="rose" if change > 0 else "fell" if change < 0 else "same",
               unchanged=change == 0)
    if bounds[0] is not None:
        low, high = change_bounds(bounds[0], bounds[1])
        out.update(change_bound_low=float(low), change_bound_high=float(high))
    before, after = (c.previous, prev.base), (c.current, cur.base)
    p = score_test(before, after)
    low, high = score_interval(before, after, confidence)
    out.update(change_low=low, change_high=high, p_value=p, rejects=p <= alpha)
    shown = [round_half_away(s * 100) for s in shares]
    out["rounding_note"] = shown[1] - shown[0] != (_change_digits(change * 100) if change else 0)
    return out


def _verdicts(frame, tests: dict[str, DistributionTest], alpha: float):
    import pandas as pd

    order = list(tests)
    adjusted = dict(zip(order, holm([tests[q].p_value for q in order])))
    frame["question_p_value"] = frame["question"].map(lambda q: tests[q].p_value if q in tests else math.nan)
    frame["question_test"] = frame["question"].map(lambda q: tests[q].method if q in tests else None)
    frame["question_p_holm"] = frame["question"].map(lambda q: adjusted.get(q, math.nan))
    detail = frame["role"] == "detail"
    certain = detail & ((frame["change_bound_low"] > 0) | (frame["change_bound_high"] < 0))
    certain_questions = set(frame.loc[certain, "question"])

    def question_verdict(q: str) -> str:
        if q not in tests:
            return "not_compared"
        if q in certain_questions:
            return "changed_whatever"
        return "beyond_chance" if adjusted[q] <= alpha else "no_clear_change"

    frame["question_verdict"] = frame["question"].map(question_verdict)
    gate = frame["question_verdict"].isin(["changed_whatever", "beyond_chance"])
    verdict = pd.Series("no_clear_change", index=frame.index)
    verdict[detail & gate & frame["rejects"]] = "beyond_chance"
    verdict[certain] = "changed_whatever"
    verdict[~detail] = "not_separately_compared"
    verdict[~frame["compared"]] = "not_compared"
    frame["verdict"] = verdict
    for lang in LANGUAGES:
        frame[f"verdict_{lang}"] = frame["verdict"].map(lambda v: VERDICTS[v][lang])
    frame["reason"] = frame["reason"].where(frame["reason"] != "", frame["role"].where(frame["role"] != "detail", ""))
    for lang in LANGUAGES:
        frame[f"reason_{lang}"] = frame["reason"].map(lambda r: REASONS[r][lang])
    frame["question_unchanged"] = frame.groupby("question")["unchanged"].transform("all") & frame["compared"]
    frame["change_sentence"] = detail & frame["compared"] & ~frame["base_of_one"]
    frame["unadjusted_note"] = (frame["verdict"] == "no_clear_change") & frame["rejects"]
    frame["model_note"] = (frame["verdict"] == "changed_whatever") & ~frame["rejects"]
    missing = frame[frame["role"] == "missing"].set_index("question")
    frame["not_stated_p_value"] = frame["question"].map(missing["p_value"]).astype(float)
    frame["not_stated_note"] = frame["question"].map(missing["rejects"]).eq(True)
    return frame


QUESTION_COLUMNS = ["question", "type", "question_p_value", "question_test", "question_p_holm", "question_verdict",
                    "question_unchanged", "not_stated_p_value", "not_stated_note", "previous_base", "current_base",
                    "previous_population", "current_population", "previous_not_stated", "current_not_stated",
                    "compared", "base_of_one"]


def question_rows(frame) -> "pd.DataFrame":
    """One row per question: the question-level columns of :func:`compare_rounds`' frame."""
    return frame.drop_duplicates("question")[QUESTION_COLUMNS].reset_index(drop=True)


# --- from two rounds' frequency tables (same codebook) ----------------------------------------------

def comparable_questions(previous, current, previous_population: int, current_population: int,
                         codebook=None) -> list[ComparableQuestion]:
    """The questions two frequency tables (``tables.frequency_table``) share, at the finest level both hold.

    For rounds with one questionnaire: options both rounds hold, and groups none of whose members is
    compared as an option (2016 holds some questions only as groups). A round's not-stated count is its
    ``missing`` row, 0 when it holds every option and no such row, and unknown otherwise.
    """
    codebook = codebook or _codebook()
    missing_code = codebook.missing.code
    questions = []
    for q in codebook.choice_questions:
        p_rows = previous[previous["question"] == q.id].set_index("category")
        c_rows = current[current["question"] == q.id].set_index("category")
        if p_rows.empty or c_rows.empty:
            continue
        shared = [c for c in p_rows.index if c in c_rows.index]
        options = [c for c in shared if c in q.option_codes and c != missing_code]
        groups = [c for c in shared if c in q.group_codes and not set(q.category(c).members) & set(options)]
        cats = []
        for code in [c for c in q.option_codes if c in options] + [g for g in q.group_codes if g in groups]:
            item = q.category(code)
            cats.append(Category(
                code=code, kind="group" if code in q.group_codes else "option",
                label_en=q.label(code, "en"), label_da=q.label(code, "da"),
                previous=int(p_rows.at[code, "count"]), current=int(c_rows.at[code, "count"]),
                members=tuple(getattr(item, "members", ())), complement_of=getattr(item, "complement_of", None),
                dont_know=code == DONT_KNOW))

        def blanks(rows) -> int | None:
            if q.type == "multiple_choice":
                return 0
            if missing_code in rows.index:
                return int(rows.at[missing_code, "count"])
            answer_codes = [c for c in q.option_codes if c != missing_code]
            if all(c in rows.index for c in answer_codes):
                return int(rows["base"].iloc[0]) - int(sum(rows.at[c, "count"] for c in answer_codes))
            return None

        frames = []
        for rows, population in ((p_rows, previous_population), (c_rows, current_population)):
            frames.append(RoundCounts(base=int(rows["base"].iloc[0]), population=population, not_stated=blanks(rows)))
        if q.type == "single_choice" and (frames[0].not_stated is not None or frames[1].not_stated is not None) \
                and all(f.not_stated is not None for f in frames) and any(f.not_stated for f in frames):
            label = codebook.missing
            cats.append(Category(code=missing_code, kind="missing", label_en=label.label("en"),
                                 label_da=label.label("da"), previous=frames[0].not_stated,
                                 current=frames[1].not_stated))
        if cats:
            questions.append(ComparableQuestion(q.id, q.type, tuple(cats), frames[0], frames[1]))
    return questions


# --- Appendix B: the method in words, with a worked example ----------------------------------------

METHOD_TEXT = {
    "en": """\
**One frame.** A round's share describes the councils that answered the survey. Two further numbers
speak about all the councils asked. The *interval* ({confidence}) holds if whether a council answered
is unrelated to its answer: it is exact for a finite population, treating the councils that answered
as drawn at random, without replacement, from those asked. The *bounds* assume nothing about the
missing answers: they are the share among the councils asked if every council whose answer is missing
– because it did not answer the survey, or left the question blank – had, or had not, given the
answer.

**Changes between rounds.** A change has bounds of its own, the worst and the best case of both
rounds' missing answers. Beside them stand an interval and a test that agree (Miettinen and Nurminen's
score method): the interval leaves out zero exactly when the test finds a change at the
{alpha_pct} level. Both are *unadjusted*: they look at one share at a time.

**Which changes are tested.** Each question is first tested as a whole, all its answers at once
(the Fisher-Freeman-Halton exact test), and these tests are adjusted for the number of questions
compared (Holm's method, which holds however the questions depend on each other; the book uses it
rather than Benjamini and Hochberg's, whose guarantee needs a kind of dependence the questions of one
survey need not have). Only within a question that changed are its answers looked at one by one. The
remainder of a two-way split is never compared on its own, nor are "don't know" and "not stated";
when the share of councils that left a question blank changes, the table says so as a note on data
quality.

**Verdicts.** *{changed_whatever}*: the bounds of the change leave out zero, so the share among the
councils asked changed whatever the missing answers would have been. *{beyond_chance}*: the question
changed and the share's own interval leaves out zero. *{no_clear_change}*: neither.

**Rounding.** Shares are rounded half away from zero (12.5% is shown as 13%); interval ends are
rounded outward, and an end that would read as touching zero is shown with a decimal, or as −0 or +0;
a change is computed from the unrounded shares, and a note says where it differs from the difference
of the rounded shares; p-values have two significant digits, and below 0.001 read "< 0.001".
Official statisticians differ little on ties: Statistics Sweden's standard instruction accepts rounding
halves away from zero and asks for halves to even only where even a suspicion of bias must be avoided
(statistics that govern payments), and Eurostat's guidance rounds only at the last step, as done here.
""",
    "da": """\
**Én ramme.** En rundes andel beskriver de råd, der besvarede undersøgelsen. To tal mere handler om
alle de adspurgte råd. *Intervallet* ({confidence}) gælder, hvis det ikke hænger sammen med svaret,
om et råd svarede: det er eksakt for en endelig population og behandler de råd, der svarede, som
trukket tilfældigt uden tilbagelægning blandt de adspurgte. *Grænserne* antager intet om de
manglende svar: de er andelen blandt de adspurgte råd, hvis alle råd med et manglende svar – fordi
de ikke besvarede undersøgelsen eller lod spørgsmålet stå tomt – havde, eller ikke havde, givet
svaret.

**Ændringer mellem runder.** En ændring har sine egne grænser: det værste og det bedste tilfælde
for begge runders manglende svar. Ved siden af står et interval og en test, der stemmer overens
(Miettinen og Nurminens score-metode): intervallet udelukker nul, netop når testen finder en
ændring på {alpha_pct}-niveau. Begge er *ujusterede*: de ser på én andel ad gangen.

**Hvilke ændringer der testes.** Hvert spørgsmål testes først under ét, alle svar på én gang
(Fisher-Freeman-Haltons eksakte test), og testene justeres for antallet af sammenlignede spørgsmål
(Holms metode, der gælder, uanset hvordan spørgsmålene afhænger af hinanden; bogen bruger den frem
for Benjamini og Hochbergs, hvis garanti kræver en form for afhængighed, som spørgsmålene i én
undersøgelse ikke behøver at have). Kun inden for et spørgsmål, der ændrede sig, ses der på svarene
ét for ét. Resten af en todeling sammenlignes aldrig for sig, og det gør »ved ikke« og »uoplyst«
heller ikke; ændrer andelen af råd, der lod et spørgsmål stå tomt, sig, siger tabellen det som en
bemærkning om datakvalitet.

**Vurderinger.** *{changed_whatever}*: ændringens grænser udelukker nul, så andelen blandt de
adspurgte råd ændrede sig, uanset hvad de manglende svar ville have været. *{beyond_chance}*:
spørgsmålet ændrede sig, og andelens eget interval udelukker nul. *{no_clear_change}*: ingen af
delene.

**Afrunding.** Andele afrundes med halve væk fra nul (12,5 % vises som 13 %); intervallernes ender
afrundes udad, og en ende, der ville se ud til at røre nul, vises med en decimal eller som −0 eller
+0; en ændring beregnes af de uafrundede andele, og en note siger, hvor den afviger fra forskellen
mellem de afrundede andele; p-værdier har to betydende cifre og vises under 0,001 som »< 0,001«.
Officielle statistikere er nogenlunde enige om halve: Statistiska centralbyråns standardinstruktion
godtager afrunding af halve væk fra nul og kræver kun afrunding til lige tal, hvor selv en mistanke om
skævhed skal undgås (statistik, der styrer udbetalinger), og Eurostats vejledning afrunder først i
sidste trin, som her.
""",
}

WORKED_EXAMPLE = {
    "en": ("**A worked example.** {label}: {count} of the {base} councils that answered the survey gave this "
           "answer, {share}. {not_stated} of the {base} left the question blank, and {unanswered} of the {population} "
           "councils asked did not answer the survey. If whether a council answered is unrelated to its answer, "
           "the {level} interval puts the number of the {population} councils asked that would give it between "
           "{k_low} and {k_high} ({ci_low} to {ci_high}). Assuming nothing about the {missing} missing answers, the share among the councils "
           "asked lies between {count} of {population} ({bound_low}: none of them would give it) and "
           "{bound_count} of {population} ({bound_high}: all of them would)."),
    "da": ("**Et regneeksempel.** {label}: {count} af de {base} råd, der besvarede undersøgelsen, gav dette "
           "svar, {share}. {not_stated} af de {base} lod spørgsmålet stå tomt, og {unanswered} af de {population} "
           "adspurgte råd besvarede ikke undersøgelsen. Hvis det ikke hænger sammen med svaret, om et råd "
           "svarede, lægger {level}-intervallet antallet af adspurgte råd, der ville give det, mellem {k_low} "
           "og {k_high} af de {population} ({ci_low} til {ci_high}). Uden at antage noget om de {missing} manglende svar ligger andelen blandt de adspurgte "
           "råd mellem {count} af {population} ({bound_low}: ingen af dem ville give det) og {bound_count} af "
           "{population} ({bound_high}: alle ville)."),
}


def method_text(lang: str = "en", confidence: float = CONFIDENCE) -> str:
    """Appendix B's account of the method (Markdown), with the verdict words as the tables show them."""
    _locale(lang)
    return METHOD_TEXT[lang].format(
        confidence=format_share(Fraction(str(confidence)), lang) + (" confidence" if lang == "en" else " sikkerhed"),
        alpha_pct=format_share(Fraction(str(_alpha(confidence))), lang),
        **{key: VERDICTS[key][lang][:1].upper() + VERDICTS[key][lang][1:]
           for key in ("changed_whatever", "beyond_chance", "no_clear_change")})


def worked_example(label: str, count: int, base: int, not_stated: int, population: int, lang: str = "en",
                   confidence: float = CONFIDENCE) -> str:
    """Appendix B's worked example for one share of one round, every number computed from the arguments.

    For the published round: 2016's own budget, ``worked_example(label, 21, 30, 3, 40)``.
    """
    k_low, k_high = finite_population_range(count, base, population, confidence)
    low, high = nonresponse_bounds(count, base, population, not_stated)
    ci_low, ci_high = round_outward(Fraction(k_low, population) * 100, Fraction(k_high, population) * 100)
    sign = _percent_sign(lang)
    return WORKED_EXAMPLE[lang].format(
        label=label, count=count, base=base, share=format_share(Fraction(count, base), lang),
        level=format_share(Fraction(str(confidence)), lang),
        not_stated=not_stated if not_stated else ("None" if lang == "en" else "Ingen"),
        unanswered=population - base, population=population,
        k_low=k_low, k_high=k_high, ci_low=format_number(ci_low, lang) + sign,
        ci_high=format_number(ci_high, lang) + sign, missing=population - base + not_stated,
        bound_low=format_share(low, lang, _digits_needed(low)), bound_high=format_share(high, lang, _digits_needed(high)),
        bound_count=count + population - base + not_stated)


def _digits_needed(share: Fraction, most: int = 1) -> int:
    """Decimals a percentage needs to be exact, up to ``most`` (52.5% needs one)."""
    for digits in range(most + 1):
        if (share * 100 * 10 ** digits).denominator == 1:
            return digits
    return most
