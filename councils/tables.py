"""Frequency tables: counts per question and category, group roll-ups, shares and intervals.

Both kinds of round end here in the same shape, one row per question x category:
``question, category, kind, count, base, share, ci_low, ci_high, bound_low, bound_high, basis, label_en,
label_da``: the interval assumes that who did not answer is unrelated to the answer; the bounds assume
nothing about it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from councils.codebook import Codebook, Question, load_codebook
from councils.rounds import Round, load_round
from councils.statistics import finite_population_interval as exact_interval
from councils.validate import load_checked, option_column, round_codebook

TABLE_COLUMNS = ["question", "category", "kind", "count", "base", "share", "ci_low", "ci_high", "bound_low",
                 "bound_high", "basis", "label_en", "label_da"]
CONFIDENCE = 0.95


def finite_population_interval(count: int, base: int, population: int,
                               confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact interval for a share when ``base`` of ``population`` units answered.

    The unknown is K, how many of the ``population`` councils have the attribute. The interval holds
    every K that the observed count does not reject at (1 - confidence) / 2 in either tail (the
    finite-population analogue of Clopper-Pearson), given as K / population. Its coverage is at
    least ``confidence`` (computed by bisection over exact tail probabilities in councils.statistics).
    """
    if not 0 <= count <= base <= population:
        raise ValueError(f"need 0 <= count <= base <= population, got {count}, {base}, {population}")
    if base == population:
        return count / base, count / base
    return exact_interval(count, base, population, confidence)  # the same K, by bisection (statistics.py)


def item_bounds(count: int, base: int, population: int, blanks: int, is_blank: bool = False,
                includes_blanks: bool = False) -> tuple[float, float]:
    """Bounds of a share among all councils asked that assume nothing about any missing answer.

    Missing are the councils that did not answer the survey and the ``blanks`` that answered it but left the
    question blank (item non-response, councils.statistics.nonresponse_bounds); the row of the blanks
    themselves is bounded by the councils that did not answer the survey only.
    """
    from councils.statistics import nonresponse_bounds as bounds

    if is_blank:
        low, high = bounds(count, base, population)
    else:
        low, high = bounds(count, base, population, blanks, includes_blanks)
    return float(low), float(high)


def _blanks(table: pd.DataFrame, codebook: Codebook) -> dict[str, int]:
    """Per question, the most councils that can have left it blank: its not-stated count where the round holds one,
    else the part of the base that its held answers leave over (a published figure for one option, or for a
    group, only: 2016's 'very or mostly satisfactory')."""
    missing = codebook.missing.code
    out = {}
    for qid, rows in table.groupby("question", sort=False):
        question = codebook.question(qid)
        counts = dict(zip(rows["category"], rows["count"]))
        if missing in counts:
            out[qid] = int(counts[missing])
            continue
        if question.type == "multiple_choice" or all(c in counts for c in question.option_codes):
            out[qid] = 0
            continue
        options = [c for c in question.option_codes if c in counts]
        groups = [g for g in question.groups if g.code in counts and not g.complement_of
                  and not set(g.members) & set(options)]
        known = sum(int(counts[c]) for c in options) + sum(int(counts[g.code]) for g in groups)
        out[qid] = max(0, int(rows["base"].iloc[0]) - known)
    return out


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
    if missing not in question.option_codes and counts.get(missing, 0):
        rows.append({"category": missing, "kind": "missing", "count": counts[missing]})
    for group in question.groups:
        rows.append({"category": group.code, "kind": "group",
                     "count": sum(counts.get(m, 0) for m in group.members)})
    return rows


def aggregate_responses(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Respondent rows -> counts per question and category; a blank answer counts as not stated.

    A multiple-choice question is not stated by a council that left every one of its boxes empty
    (neither 1 nor 0).
    """
    base = len(responses)
    records = []
    for q in codebook.choice_questions:
        # Plain arrays and a Counter: pandas' string methods are ten times slower on 100,000 rows.
        if q.type == "single_choice":
            counts = Counter(responses[q.id].to_numpy(dtype=object))
            counts[codebook.missing.code] += counts.pop("", 0)
        else:
            cells = [responses[option_column(q, code)].to_numpy(dtype=object) for code in q.option_codes]
            counts = {code: int((column == "1").sum()) for code, column in zip(q.option_codes, cells)}
            blank = cells[0] == ""
            for column in cells[1:]:
                blank &= column == ""
            counts[codebook.missing.code] = int(blank.sum())
        for row in _category_rows(q, codebook, counts):
            records.append({"question": q.id, **row, "count": int(row["count"]), "base": base,
                            "basis": "respondents"})
    return pd.DataFrame.from_records(records)


def _published(counts: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Published counts in codebook order, each marked option, group or missing."""
    records = []
    for q in codebook.choice_questions:
        own = counts[counts["question"] == q.id].set_index("category")
        missing = [] if codebook.missing.code in q.option_codes else [codebook.missing.code]
        order = list(q.option_codes) + missing + list(q.group_codes)
        for code in order:
            if code in own.index:
                rec = own.loc[code]
                kind = "group" if code in q.group_codes else "missing" if code in missing else "option"
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
    blanks = _blanks(table, codebook)
    bounds = [item_bounds(int(r.count), int(r.base), population, blanks[r.question],
                          r.kind == "missing" or r.category == codebook.missing.code,
                          bool(r.kind == "group" and codebook.question(r.question).category(r.category).complement_of))
              for r in table.itertuples()]
    table = table.assign(
        share=[i[0] for i in intervals], ci_low=[i[1] for i in intervals], ci_high=[i[2] for i in intervals],
        bound_low=[b[0] for b in bounds], bound_high=[b[1] for b in bounds],
        label_en=table.apply(label, axis=1, lang="en"), label_da=table.apply(label, axis=1, lang="da"),
    )
    return table[TABLE_COLUMNS].reset_index(drop=True)


@lru_cache(maxsize=8)
def _table_for(path: str, round_id: str, stamp: tuple) -> pd.DataFrame:
    rnd = load_round(round_id, data_dir=Path(path).parent)
    codebook = round_codebook(rnd)
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
    from councils.series import QUESTIONNAIRE_FILE, series_rounds

    rounds, _ = series_rounds(rnd)
    files = [*rnd.files, *(r.path / name for r in rounds for name in ("round.yaml", QUESTIONNAIRE_FILE))]
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.exists())
    return _table_for(str(rnd.path), rnd.id, stamp).copy()


def question_table(rnd: Round | str, question_id: str, data_dir=None) -> pd.DataFrame:
    """Rows of one question of the round's frequency table (none when the round did not ask it)."""
    table = frequency_table(rnd, data_dir)
    return table[table["question"] == question_id].reset_index(drop=True)


@dataclass(frozen=True)
class Comparison:
    """Two rounds side by side: the compared categories, and the questions not compared with the reason."""

    table: pd.DataFrame
    not_compared: tuple[dict, ...]  # {question, kind, reason_en, reason_da}
    notes: tuple[dict, ...]  # {question, note_en, note_da}: how a compared question's options changed
    previous: str
    current: str


def held_count(table: pd.DataFrame, question: Question | None, codes: tuple[str, ...]) -> int | None:
    """A round's count of the answers in ``codes`` (summed options, or a group with exactly those members)."""
    rows = table[table["question"] == (question.id if question else "")]
    if rows.empty:
        return None
    by_code = dict(zip(rows["category"], rows["count"]))
    kinds = dict(zip(rows["category"], rows["kind"]))
    if all(c in by_code and kinds[c] != "group" for c in codes):
        return int(sum(by_code[c] for c in codes))
    if question is not None:
        for group in question.groups:
            if set(group.members) == set(codes) and group.code in by_code:
                return int(by_code[group.code])
    return None


def compare_rounds(current: Round | str, previous: Round | str, data_dir=None,
                   confidence: float = CONFIDENCE) -> Comparison:
    """Two rounds side by side at the finest level both hold, on what both asked comparably.

    Categories come from :meth:`councils.series.Series.comparability`: a question is compared only when
    both rounds asked it and no break lies between them, and only through categories that mean the same
    in both (merged options against the sum of what they merged, split options summed). Where both
    rounds hold a category's options they are compared; a group (2016's 'satisfied') is compared where
    none of its options is. A question that no council answered in either round is not compared.
    How each change is judged is :func:`councils.statistics.compare_rounds`' business: one test per
    question adjusted over the questions, bounds that assume nothing about missing answers, a score
    interval that agrees with its test, and the verdict in words.
    """
    from councils import statistics as stats
    from councils.series import series_for

    current = current if isinstance(current, Round) else load_round(current, data_dir)
    previous = previous if isinstance(previous, Round) else load_round(previous, data_dir)
    series = series_for(current)
    if previous.id not in series.ids:
        raise ValueError(f"round '{previous.id}' is not an earlier round of round '{current.id}''s series")
    cur, prev = frequency_table(current), frequency_table(previous)
    q_cur = series.questionnaire(current.id).codebook
    q_prev = series.questionnaire(previous.id).codebook
    questions, not_compared, notes = [], [], []
    for question in series.codebook.choice_questions:
        qid = question.id
        if qid not in q_cur and qid not in q_prev:
            continue
        verdict = series.comparability(qid, previous.id, current.id)
        if not verdict.comparable:
            not_compared.append({"question": qid, "kind": verdict.kind, "reason_en": verdict.reason_en,
                                 "reason_da": verdict.reason_da})
            continue
        silent = [rid for rid, table in ((previous.id, prev), (current.id, cur)) if _nobody_answered(table, qid)]
        if silent:
            not_compared.append({"question": qid, "kind": "no_answers",
                                 "reason_en": f"no council answered it in round {' or '.join(silent)}",
                                 "reason_da": f"intet råd besvarede det i runde {' eller '.join(silent)}"})
            continue
        comparable = comparable_question(q_prev.question(qid), q_cur.question(qid), verdict.entries,
                                         (prev, previous.population), (cur, current.population), q_cur.missing)
        if comparable is None:
            continue
        questions.append(comparable)
        notes += [{"question": qid, "note_en": e.note_en, "note_da": e.note_da} for e in verdict.entries if e.note_en]
        notes += _option_notes(series, qid, previous.id, current.id)
    table = stats.compare_rounds(questions, confidence)
    if table.empty:
        table = pd.DataFrame(columns=COMPARISON_COLUMNS)
    else:
        # the comparison's numbers in points, as the chapters and downloads show them
        table = table.assign(change_pp=100 * table["change"], change_low_pp=100 * table["change_low"],
                             change_high_pp=100 * table["change_high"], p_holm=table["question_p_holm"],
                             beyond_chance=table["verdict"].isin(["changed_whatever", "beyond_chance"]))
    return Comparison(table, tuple(not_compared), tuple(notes), previous.id, current.id)


def comparable_question(earlier: Question, later: Question, entries, previous: tuple[pd.DataFrame, int],
                        current: tuple[pd.DataFrame, int], missing):
    """One question as :func:`councils.statistics.compare_rounds` takes it: the shared categories both rounds hold
    a count for (options, the blank answers, groups none of whose members is compared on its own)."""
    from councils import statistics as stats
    from councils.series import Entry

    (prev, prev_population), (cur, cur_population) = previous, current
    categories, compared = [], set()
    for entry in entries:
        before, after = held_count(prev, earlier, entry.earlier), held_count(cur, later, entry.later)
        if before is None or after is None or entry.later == (missing.code,):
            continue
        categories.append(stats.Category(entry.code, "option", entry.label_en, entry.label_da, before, after,
                                         dont_know=entry.later == ("dont_know",)))
        compared |= set(entry.later)
    with_missing = list(entries) + [Entry((missing.code,), (missing.code,), missing.en, missing.da)]
    for group in later.groups:
        if set(group.members) & compared:
            continue
        mapped = _group_in_earlier(group.members, with_missing)
        before = held_count(prev, earlier, mapped) if mapped is not None else None
        after = held_count(cur, later, group.members)
        if before is None or after is None:
            continue
        categories.append(stats.Category(group.code, "group", group.en, group.da, before, after,
                                         members=tuple(group.members), complement_of=group.complement_of))
    if not categories:
        return None
    blanks = []
    for table, question in ((prev, earlier), (cur, later)):
        rows = table[table["question"] == question.id]
        counts = dict(zip(rows["category"], rows["count"]))
        if later.type == "multiple_choice":
            blanks.append(0)  # a blank box means "not chosen"
        elif missing.code in counts:
            blanks.append(int(counts[missing.code]))
        elif all(c in counts for c in question.option_codes if c != missing.code):
            blanks.append(int(rows["base"].iloc[0]) - int(sum(counts[c] for c in question.option_codes)))
        else:
            blanks.append(None)  # a published figure for one option only: the round does not say
    if later.type == "single_choice" and all(b is not None for b in blanks) and any(blanks):
        categories.append(stats.Category(missing.code, "missing", missing.en, missing.da, blanks[0], blanks[1]))
    base = [int(t.loc[t["question"] == q.id, "base"].iloc[0]) for t, q in ((prev, earlier), (cur, later))]
    return stats.ComparableQuestion(later.id, later.type, tuple(categories),
                                    stats.RoundCounts(base[0], prev_population, blanks[0]),
                                    stats.RoundCounts(base[1], cur_population, blanks[1]))


COMPARISON_COLUMNS = ["question", "category", "kind", "label_en", "label_da", "previous_count", "previous_base",
                      "previous_share", "current_count", "current_base", "current_share", "change_pp",
                      "change_low_pp", "change_high_pp", "p_value"]


def _missing_entry(codebook: Codebook):
    from councils.series import Entry

    code = codebook.missing.code
    return Entry((code,), (code,), codebook.missing.en, codebook.missing.da)


def _group_in_earlier(members: tuple[str, ...], entries: list) -> tuple[str, ...] | None:
    """A later group's members in the earlier round's codes, when the shared categories cover it exactly."""
    inside = [e for e in entries if set(e.later) <= set(members)]
    if set().union(*(set(e.later) for e in inside)) != set(members) if inside else True:
        return None
    return tuple(c for e in inside for c in e.earlier)


def _nobody_answered(table: pd.DataFrame, qid: str) -> bool:
    """Whether every responding council left the question blank (all its answers not stated)."""
    rows = table[table["question"] == qid]
    if rows.empty:
        return False
    missing = rows["category"] == load_codebook().missing.code
    answered = int(rows.loc[(rows["kind"] == "option") & ~missing, "count"].sum())
    return answered == 0 and int(rows.loc[missing, "count"].sum()) == int(rows["base"].iloc[0])


def _option_notes(series, qid: str, earlier: str, later: str) -> list[dict]:
    """Options added or dropped between two rounds: said beside the comparison, never compared."""
    notes = []
    ids = series.ids
    for rid in ids[ids.index(earlier) + 1: ids.index(later) + 1]:
        for change in series.questionnaire(rid).changes:
            if change.question != qid or change.kind not in ("added", "dropped"):
                continue
            book = series.questionnaire(rid if change.kind == "added" else ids[ids.index(rid) - 1]).codebook
            label = book.question(qid).label(change.code, "en"), book.question(qid).label(change.code, "da")
            if change.kind == "added":
                notes.append({"question": qid, "note_en": f"round {rid} added the answer “{label[0]}”, which earlier "
                              "rounds did not offer; it is not compared",
                              "note_da": f"runde {rid} tilføjede svaret »{label[1]}«, som tidligere runder ikke "
                              "havde; det sammenlignes ikke"})
            else:
                notes.append({"question": qid, "note_en": f"round {rid} no longer offered the answer “{label[0]}”",
                              "note_da": f"runde {rid} havde ikke længere svaret »{label[1]}«"})
    return notes


def comparison_table(current: Round | str, previous: Round | str, data_dir=None,
                     confidence: float = CONFIDENCE) -> pd.DataFrame:
    """The compared categories of :func:`compare_rounds`, one row each."""
    return compare_rounds(current, previous, data_dir, confidence).table


# --- trends over a series ---------------------------------------------------------------------------

TREND_COLUMNS = ["question", "round", "position", "segment", "category", "kind", "label_en", "label_da", "count",
                 "base", "share", "ci_low", "ci_high"]


@dataclass(frozen=True)
class Trends:
    """Every question asked in two rounds or more of a series: its shares per round, and its changes over each
    stretch of the series without a break (from the first to the last round of the stretch)."""

    rows: pd.DataFrame  # TREND_COLUMNS
    changes: pd.DataFrame  # one row per category and stretch, with the comparison's columns and the rounds compared
    breaks: tuple[dict, ...]  # {question, round, reason_en, reason_da}
    rounds: tuple[str, ...]


def _stretches(series, question_id: str) -> list[list[str]]:
    """The rounds that asked a question, split where its series breaks."""
    asked = list(series.asked_in(question_id))
    stretches: list[list[str]] = []
    for rid in asked:
        if stretches and not series.breaks_between(question_id, stretches[-1][-1], rid):
            stretches[-1].append(rid)
        else:
            stretches.append([rid])
    return stretches


def trends(series, confidence: float = CONFIDENCE) -> Trends:
    """The trends of every question asked in two rounds or more of ``series`` (see :class:`Trends`)."""
    tables = {r.id: frequency_table(r) for r in series.rounds}
    populations = {r.id: r.population for r in series.rounds}
    rows, breaks = [], []
    for question in series.codebook.choice_questions:
        qid = question.id
        if len(series.asked_in(qid)) < 2:
            continue
        stretches = _stretches(series, qid)
        for number, stretch in enumerate(stretches):
            if number:
                reason = series.comparability(qid, stretches[number - 1][-1], stretch[0])
                declared = series.breaks_between(qid, stretches[number - 1][-1], stretch[0])[0]
                breaks.append({"question": qid, "round": stretch[0], "kind": reason.kind,
                               "reason_en": reason.reason_en, "reason_da": reason.reason_da,
                               "declared_en": declared.en, "declared_da": declared.da})
            rows += _stretch_rows(series, qid, stretch, number, tables, populations)
    frame = pd.DataFrame.from_records(rows, columns=TREND_COLUMNS)
    frame["position"] = frame["round"].map({rid: i for i, rid in enumerate(series.ids)})
    return Trends(frame, _trend_changes(series, frame, tables, confidence), tuple(breaks), series.ids)


# The trends and the comparison of the last round asked for, each under the files it was read from: a build asks
# for them from every chapter section, both spreadsheets and the data package, and new bytes in any file (a
# round's answers, metadata or questionnaire) compute them again.
_COMPUTED: dict[str, tuple[tuple, object]] = {}


def _once_for_files(kind: str, rounds, compute):
    from councils.series import QUESTIONNAIRE_FILE

    files = [f for r in rounds for f in (*r.files, r.path / "round.yaml", r.path / QUESTIONNAIRE_FILE) if f.is_file()]
    key = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    held = _COMPUTED.get(kind)
    if held is None or held[0] != key:
        held = _COMPUTED[kind] = (key, compute())
    return held[1]


def round_trends(rnd: Round):
    """The series leading to ``rnd`` and its trends, or None for fewer than three rounds."""
    from councils.series import series_for

    series = series_for(rnd)
    if len(series.rounds) < 3:
        return series, None
    return series, _once_for_files("trends", series.rounds, lambda: trends(series))


def round_comparison(rnd: Round) -> Comparison | None:
    """The comparison of ``rnd`` with its previous round (:func:`compare_rounds`), or None without one."""
    previous = rnd.meta.get("previous_round")
    if not previous:
        return None
    earlier = load_round(previous, rnd.path.parent)
    return _once_for_files("comparison", (earlier, rnd), lambda: compare_rounds(rnd, earlier))


def _trend_changes(series, frame: pd.DataFrame, tables: dict, confidence: float) -> pd.DataFrame:
    """Each stretch's change from its first to its last round, judged as the comparison judges a change
    (councils.statistics.compare_rounds, the family being every stretch of every question)."""
    from councils import statistics as stats

    questions, where = [], {}
    for (qid, segment), rows in frame.groupby(["question", "segment"], sort=False):
        stretch = list(dict.fromkeys(rows.sort_values("position")["round"]))
        if len(stretch) < 2:
            continue
        first, last = stretch[0], stretch[-1]
        entries = series.comparability(qid, first, last).entries
        earlier = series.questionnaire(first).codebook.question(qid)
        later = series.questionnaire(last).codebook.question(qid)
        populations = {r.id: r.population for r in series.rounds}
        found = comparable_question(earlier, later, entries, (tables[first], populations[first]),
                                    (tables[last], populations[last]), series.questionnaire(last).codebook.missing)
        if found is None:
            continue
        key = f"{qid}@{segment}"
        questions.append(stats.ComparableQuestion(key, found.type, found.categories, found.previous, found.current))
        where[key] = (qid, int(segment), first, last)
    changes = stats.compare_rounds(questions, confidence)
    if changes.empty:
        return changes
    keys = changes["question"]
    changes = changes.assign(question=[where[k][0] for k in keys], segment=[where[k][1] for k in keys],
                             previous_round=[where[k][2] for k in keys], current_round=[where[k][3] for k in keys])
    return changes.assign(change_pp=100 * changes["change"], change_low_pp=100 * changes["change_low"],
                          change_high_pp=100 * changes["change_high"], p_holm=changes["question_p_holm"],
                          beyond_chance=changes["verdict"].isin(["changed_whatever", "beyond_chance"]))


def _stretch_rows(series, qid: str, stretch: list[str], segment: int, tables: dict, populations: dict) -> list[dict]:
    """Each round's count of every category the stretch's rounds share, in the last round's terms."""
    last = stretch[-1]
    last_q = series.questionnaire(last).codebook.question(qid)
    missing = series.questionnaire(last).codebook.missing
    per_round = {}
    for rid in stretch:
        if rid == last:
            entries = [(tuple([c]), tuple([c])) for c in last_q.option_codes]
        else:
            entries = [(e.later, e.earlier) for e in series.comparability(qid, rid, last).entries]
        if missing.code not in last_q.option_codes:
            entries.append(((missing.code,), (missing.code,)))
        per_round[rid] = entries
    question_of = {rid: series.questionnaire(rid).codebook.question(qid) for rid in stretch}
    categories = []  # (code, kind, label_en, label_da, {round: count})
    for later, _ in per_round[stretch[0]]:
        counts = {}
        for rid in stretch:
            # the last round holds the category in its own terms: an option, or the options an earlier one split into
            earlier = later if rid == last else next((e for l, e in per_round[rid] if l == later), None)
            if earlier is not None:
                counts[rid] = held_count(tables[rid], question_of[rid], earlier)
        code = "+".join(later)
        if later == (missing.code,) and missing.code not in last_q.option_codes:
            kind, label = "missing", (missing.en, missing.da)
        elif len(later) == 1:
            kind, label = "option", (last_q.label(later[0], "en"), last_q.label(later[0], "da"))
        else:
            kind = "option"
            label = (" or ".join(last_q.label(c, "en") for c in later), " eller ".join(last_q.label(c, "da") for c in later))
        categories.append((code, kind, label[0], label[1], counts))
    # The finest level every round of the stretch holds: options held everywhere, then the question's groups
    # held everywhere that overlap none of those options (2016 holds some questions only as groups).
    everywhere = [c for c in categories if len(c[4]) == len(stretch) and all(v is not None for v in c[4].values())]
    kept = {code for c in everywhere for code in c[0].split("+")}
    categories = everywhere
    for group in last_q.groups:
        if set(group.members) & kept:
            continue
        counts = {}
        for rid in stretch:
            if rid == last:
                codes = tuple(group.members)
            else:
                entries = list(series.comparability(qid, rid, last).entries)
                entries.append(_missing_entry(series.questionnaire(last).codebook))
                codes = _group_in_earlier(group.members, entries)
            counts[rid] = held_count(tables[rid], question_of[rid], codes) if codes is not None else None
        if all(v is not None for v in counts.values()):
            categories.append((group.code, "group", group.en, group.da, counts))
    rows = []
    for code, kind, label_en, label_da, counts in categories:
        for rid in stretch:
            count = counts.get(rid)
            if count is None:
                continue
            table = tables[rid]
            base = int(table.loc[table["question"] == qid, "base"].iloc[0])
            share, low, high = share_with_interval(count, base, populations[rid])
            rows.append({"question": qid, "round": rid, "position": 0, "segment": segment, "category": code,
                         "kind": kind, "label_en": label_en, "label_da": label_da, "count": count, "base": base,
                         "share": share, "ci_low": low, "ci_high": high})
    return rows
