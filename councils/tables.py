"""Frequency tables: counts per question and category, group roll-ups, shares and intervals.

Both kinds of round end here in the same shape, one row per question x category:
``question, category, kind, count, base, share, ci_low, ci_high, bound_low, bound_high, basis, label_en,
label_da``: the interval assumes that who did not answer is unrelated to the answer; the bounds assume
nothing about it.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from functools import lru_cache
from math import comb
from pathlib import Path

import pandas as pd

from councils.codebook import Codebook, Question, load_codebook
from councils.rounds import Round, load_round
from councils.statistics import finite_population_interval as exact_interval
from councils.validate import load_checked, option_column

TABLE_COLUMNS = ["question", "category", "kind", "count", "base", "share", "ci_low", "ci_high", "bound_low",
                 "bound_high", "basis", "label_en", "label_da"]
CONFIDENCE = 0.95


def _tail(confidence: float) -> Fraction:
    """Probability allowed in each tail, as an exact fraction."""
    return Fraction(1 - confidence).limit_denominator(10**6) / 2


@lru_cache(maxsize=4096)
def coverage_levels(count: int, base: int, population: int) -> tuple[tuple[int, Fraction], ...]:
    """For every possible K (councils among ``population`` with the attribute), the largest alpha it survives.

    Treating the ``base`` answers as drawn at random without replacement, the count is hypergeometric.
    K stays in the interval at level 1 - alpha as long as neither tail probability of the observed
    count, P(X >= count | K) and P(X <= count | K), is at most alpha / 2; so K survives every alpha
    below ``2 * min(both tails)``. Exact fractions; one entry per K from ``count`` to
    ``count + population - base`` (the bounds that need no assumption about who did not answer).
    """
    if not 0 <= count <= base <= population:
        raise ValueError(f"need 0 <= count <= base <= population, got {count}, {base}, {population}")
    total = comb(population, base)
    levels = []
    for k in range(count, count + population - base + 1):
        terms = {x: comb(k, x) * comb(population - k, base - x)
                 for x in range(max(0, base - (population - k)), min(k, base) + 1)}
        at_least = Fraction(sum(v for x, v in terms.items() if x >= count), total)
        at_most = Fraction(sum(v for x, v in terms.items() if x <= count), total)
        levels.append((k, 2 * min(at_least, at_most)))
    return tuple(levels)


def _interval_at(levels: tuple[tuple[int, Fraction], ...], alpha: Fraction, population: int) -> tuple[float, float]:
    kept = [k for k, level in levels if level > alpha]
    return min(kept) / population, max(kept) / population


def finite_population_interval(count: int, base: int, population: int,
                               confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact interval for a share when ``base`` of ``population`` units answered.

    The unknown is K, how many of the ``population`` councils have the attribute. The interval holds
    every K that the observed count does not reject at (1 - confidence) / 2 in either tail (the
    finite-population analogue of Clopper-Pearson), given as K / population. Its coverage is at
    least ``confidence``. Probabilities are exact fractions (see :func:`coverage_levels`).
    """
    if not 0 <= count <= base <= population:
        raise ValueError(f"need 0 <= count <= base <= population, got {count}, {base}, {population}")
    if base == population:
        return count / base, count / base
    return exact_interval(count, base, population, confidence)  # the same K, by bisection (statistics.py)


def nonresponse_bounds(count: int, base: int, population: int) -> tuple[float, float]:
    """The share among all councils asked if none, or all, of those that did not answer had the attribute.

    These bounds assume nothing about why councils did not answer (16 of 30 answered, 40 asked:
    between 16/40 and 26/40).
    """
    if not 0 <= count <= base <= population:
        raise ValueError(f"need 0 <= count <= base <= population, got {count}, {base}, {population}")
    return count / population, (count + population - base) / population


def binomial_interval(count: int, base: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Clopper-Pearson interval, which ignores the finite population; shown only for comparison."""
    from scipy.special import betaincinv

    tail = (1 - confidence) / 2
    low = 0.0 if count == 0 else float(betaincinv(count, base - count + 1, tail))
    high = 1.0 if count == base else float(betaincinv(count + 1, base - count, 1 - tail))
    return low, high


def share_with_interval(count: int, base: int, population: int,
                        confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Share of base, with its finite-population interval: (share, low, high)."""
    low, high = finite_population_interval(count, base, population, confidence)
    return count / base, low, high


def _category_rows(question: Question, codebook: Codebook, counts: dict[str, int]) -> list[dict]:
    """Rows of one question of a respondent-level round, groups included, in display order."""
    rows = [{"category": o.code, "kind": "option", "count": counts.get(o.code, 0)} for o in question.options]
    missing = codebook.missing.code
    if question.type == "single_choice" and missing not in question.option_codes and counts.get(missing, 0):
        rows.append({"category": missing, "kind": "missing", "count": counts[missing]})
    for group in question.groups:
        rows.append({"category": group.code, "kind": "group",
                     "count": sum(counts.get(m, 0) for m in group.members)})
    return rows


def aggregate_responses(responses: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Respondent rows -> counts per question and category; a blank single choice counts as not stated."""
    codebook = codebook or load_codebook()
    base = len(responses)
    records = []
    for q in codebook.choice_questions:
        # Plain arrays and a Counter: pandas' string methods are ten times slower on 100,000 rows.
        if q.type == "single_choice":
            counts = Counter(responses[q.id].to_numpy(dtype=object))
            counts[codebook.missing.code] += counts.pop("", 0)
        else:
            counts = {code: int((responses[option_column(q, code)].to_numpy(dtype=object) == "1").sum())
                      for code in q.option_codes}
        for row in _category_rows(q, codebook, counts):
            records.append({"question": q.id, **row, "count": int(row["count"]), "base": base,
                            "basis": "respondents"})
    return pd.DataFrame.from_records(records)


def _published(counts: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Published counts in codebook order, each marked option, group or missing."""
    records = []
    for q in codebook.choice_questions:
        own = counts[counts["question"] == q.id].set_index("category")
        order = list(q.option_codes) + list(q.group_codes)
        for code in order:
            if code in own.index:
                rec = own.loc[code]
                kind = "group" if code in q.group_codes else "option"
                records.append({"question": q.id, "category": code, "kind": kind, "count": int(rec["count"]),
                                "base": int(rec["base"]), "basis": rec["basis"]})
    return pd.DataFrame.from_records(records)


def _labelled(table: pd.DataFrame, codebook: Codebook, population: int) -> pd.DataFrame:
    def label(row: pd.Series, lang: str) -> str:
        q = codebook.question(row["question"])
        if row["category"] == codebook.missing.code and row["category"] not in q.option_codes:
            return codebook.missing.label(lang)
        return q.label(row["category"], lang)

    intervals = [share_with_interval(c, b, population) for c, b in zip(table["count"], table["base"])]
    bounds = [nonresponse_bounds(c, b, population) for c, b in zip(table["count"], table["base"])]
    table = table.assign(
        share=[i[0] for i in intervals], ci_low=[i[1] for i in intervals], ci_high=[i[2] for i in intervals],
        bound_low=[b[0] for b in bounds], bound_high=[b[1] for b in bounds],
        label_en=table.apply(label, axis=1, lang="en"), label_da=table.apply(label, axis=1, lang="da"),
    )
    return table[TABLE_COLUMNS].reset_index(drop=True)


@lru_cache(maxsize=8)
def _table_for(path: str, round_id: str, stamp: tuple) -> pd.DataFrame:
    rnd = load_round(round_id, data_dir=Path(path).parent)
    codebook = load_codebook()
    frame = load_checked(rnd)
    if rnd.kind == "published_counts":
        table = _published(frame, codebook)
    else:
        table = aggregate_responses(frame, codebook)
    return _labelled(table, codebook, rnd.population)


def frequency_table(rnd: Round | str, data_dir=None) -> pd.DataFrame:
    """The round's frequency table (checked first; cached per file state within a process)."""
    if not isinstance(rnd, Round):
        rnd = load_round(rnd, data_dir)
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in rnd.files if f.exists())
    return _table_for(str(rnd.path), rnd.id, stamp).copy()


def question_table(rnd: Round | str, question_id: str, data_dir=None) -> pd.DataFrame:
    """Rows of one question of the round's frequency table."""
    load_codebook().question(question_id)  # a KeyError here names an unknown question
    table = frequency_table(rnd, data_dir)
    return table[table["question"] == question_id].reset_index(drop=True)


def count_of(rnd: Round | str, question_id: str, category: str, data_dir=None) -> int:
    """Count of one category; KeyError when the round holds no figure for it."""
    rows = question_table(rnd, question_id, data_dir)
    hit = rows[rows["category"] == category]
    if hit.empty:
        raise KeyError(f"round holds no count for {question_id} / {category}")
    return int(hit["count"].iloc[0])


def wilson_interval(count: int, base: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson's score interval for a binomial proportion (closed form; sound for small counts)."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = count / base
    centre = (p + z * z / (2 * base)) / (1 + z * z / base)
    half = z / (1 + z * z / base) * (p * (1 - p) / base + z * z / (4 * base * base)) ** 0.5
    return max(0.0, centre - half), min(1.0, centre + half)


def change_interval(previous: tuple[int, int], current: tuple[int, int],
                    confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Newcombe's hybrid score interval for the change p2 - p1 between two rounds' shares.

    Each round is ``(count, base)``. Wilson intervals of the two shares, combined by recovering
    their variances (Newcombe 1998, method 10): lower = d - sqrt((p2 - l2)^2 + (u1 - p1)^2),
    upper = d + sqrt((u2 - p2)^2 + (p1 - l1)^2).
    """
    (c1, b1), (c2, b2) = previous, current
    p1, p2 = c1 / b1, c2 / b2
    (l1, u1), (l2, u2) = wilson_interval(c1, b1, confidence), wilson_interval(c2, b2, confidence)
    change = p2 - p1
    return (change - ((p2 - l2) ** 2 + (u1 - p1) ** 2) ** 0.5,
            change + ((u2 - p2) ** 2 + (p1 - l1) ** 2) ** 0.5)


def change_p_value(previous: tuple[int, int], current: tuple[int, int]) -> float:
    """Two-sided p-value of Fisher's exact test that a share is the same in both rounds.

    Under no change, the councils that answered in the two rounds form one finite set in which the
    answer is spread at random, so the first round's count is hypergeometric given the total. The
    p-value adds the probabilities of every split no more likely than the one observed (exact
    fractions, as scipy.stats.fisher_exact does with a relative tolerance).
    """
    (c1, b1), (c2, b2) = previous, current
    total, base = c1 + c2, b1 + b2
    low, high = max(0, total - b2), min(total, b1)
    weights = {x: comb(b1, x) * comb(b2, total - x) for x in range(low, high + 1)}
    observed = weights[c1]
    return float(Fraction(sum(w for w in weights.values() if w <= observed), comb(base, total)))


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values: valid for any dependence between the comparisons."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [0.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def comparison_table(current: Round | str, previous: Round | str, data_dir=None,
                     confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Two rounds side by side at the finest level both hold, with the change in percentage points.

    Where both rounds hold a question's options, options are compared; where one holds only groups
    (2016's 'satisfied'), the groups are. Each change has a score interval (:func:`change_interval`),
    the p-value of an exact test (:func:`change_p_value`) and a Holm-adjusted p-value over all the
    comparisons made (:func:`holm`); ``beyond_chance`` says whether the adjusted p-value is at most
    1 - ``confidence``. No finite-population correction: the two rounds ask different sets of
    councils, so a change is judged against the chance variation of councils' answers (appendix B).
    """
    current = current if isinstance(current, Round) else load_round(current, data_dir)
    previous = previous if isinstance(previous, Round) else load_round(previous, data_dir)
    cur, prev = frequency_table(current), frequency_table(previous)
    records = []
    for q in load_codebook().choice_questions:
        p_rows = prev[prev["question"] == q.id].set_index("category")
        c_rows = cur[cur["question"] == q.id].set_index("category")
        shared = [c for c in p_rows.index if c in c_rows.index]
        options = [c for c in shared if p_rows.at[c, "kind"] != "group" and c_rows.at[c, "kind"] != "group"]
        # A group is compared only where none of its options is: 2016 holds rem_knowledge as 'good'
        # plus the group of the other two answers, so both are the finest level the rounds share.
        groups = [c for c in shared if c not in options and not set(q.category(c).members) & set(options)]
        for category in options + groups:
            p, c = p_rows.loc[category], c_rows.loc[category]
            before, after = (int(p["count"]), int(p["base"])), (int(c["count"]), int(c["base"]))
            low, high = change_interval(before, after, confidence)
            change = c["share"] - p["share"]
            records.append({
                "question": q.id, "category": category, "kind": p["kind"] if category in options else "group",
                "label_en": p["label_en"], "label_da": p["label_da"],
                "previous_count": before[0], "previous_base": before[1], "previous_share": p["share"],
                "current_count": after[0], "current_base": after[1], "current_share": c["share"],
                "change_pp": 100 * change, "change_low_pp": 100 * low, "change_high_pp": 100 * high,
                "p_value": change_p_value(before, after),
            })
    table = pd.DataFrame.from_records(records)
    if table.empty:
        return table
    table["p_holm"] = holm(list(table["p_value"]))
    table["beyond_chance"] = table["p_holm"] <= 1 - confidence
    return table
