"""Check a round's files against the codebook and report every problem at once.

Column-level rules (allowed codes, whole numbers, unique ids, missing or unknown columns) are a
pandera schema generated from the codebook; rules that span rows or columns (answer limits, counts
against their base, groups against their members) are checked here after it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from councils.codebook import Codebook, Question, load_codebook
from councils.errors import DataError, Problem, did_you_mean
from councils.rounds import (
    COUNTS_FILE, METADATA_FILE, Round, read_csv_text, read_metadata,
)

COUNT_COLUMNS = ("question", "category", "count", "base", "basis", "source")
BASES = ("stated", "remainder")
RESPONDENT_ID = "respondent_id"
WHOLE_NUMBER = r"^[0-9]+$"


def option_column(question: Question, code: str) -> str:
    """Column of one option of a multiple-choice question in a responses file."""
    return f"{question.id}.{code}"


def response_columns(codebook: Codebook) -> list[str]:
    """Header of a responses file, in questionnaire order."""
    columns = [RESPONDENT_ID]
    for q in codebook.questions:
        if q.type == "multiple_choice":
            columns += [option_column(q, code) for code in q.option_codes]
        else:
            columns.append(q.id)
    return columns


def _answer_codes(question: Question, codebook: Codebook) -> list[str]:
    codes = list(question.option_codes)
    return codes if codebook.missing.code in codes else codes + [codebook.missing.code]


def _responses_schema(codebook: Codebook):
    import pandera.pandas as pa

    columns = {RESPONDENT_ID: pa.Column(str, pa.Check.str_length(min_value=1), unique=True)}
    for q in codebook.questions:
        if q.type == "single_choice":
            columns[q.id] = pa.Column(str, pa.Check.isin(_answer_codes(q, codebook) + [""]))
        elif q.type == "multiple_choice":
            for code in q.option_codes:
                columns[option_column(q, code)] = pa.Column(str, pa.Check.isin(["0", "1", ""]))
        else:
            columns[q.id] = pa.Column(str)
    return pa.DataFrameSchema(columns, strict=True, ordered=False)


def _counts_schema(codebook: Codebook):
    import pandera.pandas as pa

    whole = pa.Check.str_matches(WHOLE_NUMBER)
    return pa.DataFrameSchema(
        {
            "question": pa.Column(str, pa.Check.isin([q.id for q in codebook.choice_questions])),
            "category": pa.Column(str, pa.Check.str_length(min_value=1)),
            "count": pa.Column(str, whole),
            "base": pa.Column(str, whole),
            "basis": pa.Column(str, pa.Check.isin(list(BASES))),
            "source": pa.Column(str, pa.Check.str_length(min_value=1)),
        },
        strict=True, ordered=False, unique=["question", "category"],
    )


def _expected_for(column: str | None, check: str, codebook: Codebook, value: str,
                  unasked: dict[str, str] | None = None, round_id: str = "") -> str:
    """Say in words what a failed pandera check wanted, naming the allowed values."""
    qid = (column or "").partition(".")[0]
    if check == "column_in_schema":
        if unasked and qid in unasked:
            return unasked[qid]
        return "only the columns of the questions the round asked (this column is unknown)"
    if check == "column_in_dataframe":
        if qid in codebook:
            return (f"this column to be present (it is missing): round {round_id} asked question '{qid}'"
                    if round_id else "this column to be present (it is missing)")
        return "this column to be present (it is missing)"
    if check == "field_uniqueness" or check.startswith("multiple_fields_uniqueness"):
        return "each value only once (it is repeated)"
    if column == RESPONDENT_ID:
        return "a respondent id in every row"
    if column in COUNT_COLUMNS:
        if column in ("count", "base"):
            return "a whole number of councils (0, 1, 2, ...)"
        if column == "question":
            if unasked and value in unasked:
                return unasked[value].replace("its file has no column for it: remove the column",
                                              "counts.csv has no rows for it: remove the rows")
            return "a question id of the codebook with answer options, asked in this round"
        if column == "basis":
            return f"one of {', '.join(BASES)}"
        if column == "source":
            return "where in the report the count comes from, such as 'section 2.1, figure 1'"
        return "an option or group code of the question, such as 'yes'"
    qid, _, option = (column or "").partition(".")
    if qid in codebook:
        q = codebook.question(qid)
        if option:
            return "1 (chosen), 0 or empty (not chosen)"
        allowed = ", ".join(_answer_codes(q, codebook))
        hint = _label_hint(q, value) or _earlier_option_hint(q, value, round_id)
        return f"one of {allowed}, or empty for no answer{hint}"
    return f"a value passing {check}"


def _earlier_option_hint(question: Question, value: str, round_id: str) -> str:
    """Say so when a code is an option the question had in another round of the series, but not in this one."""
    for q in load_codebook().questions:
        if q.id == question.id and value in q.option_codes and value not in question.option_codes and round_id:
            return f" ('{value}' is an option of the codebook that round {round_id} did not offer)"
    return ""


def _message_for(column: str | None, check: str, value: str, expected: str, schema,
                 unasked: dict[str, str] | None = None, codebook: Codebook | None = None,
                 round_id: str = "") -> str | None:
    """The whole sentence for a failed check whose 'value ...; expected ...' would not read right, else None."""
    qid = (column or "").partition(".")[0]
    if check == "column_in_dataframe":
        return f"column '{column}' is missing"
    if check == "column_in_schema" and unasked and qid in unasked:
        return f"column '{column}': {unasked[qid]}"
    if check == "column_in_schema":
        hint = did_you_mean(column or "", schema.columns)
        return f"unknown column '{column}'" + (hint or "; the codebook defines no such question or option "
                                                        "(python -m councils template prints the header)")
    if check == "field_uniqueness":
        return f"column '{column}' repeats {value!r}; expected each value only once"
    if check.startswith("multiple_fields_uniqueness"):
        return f"columns {column} repeat {value!r}; expected each combination only once"
    if value == "":
        return f"column '{column}' is empty; expected {expected}"
    return None


def _label_hint(question: Question, value: str) -> str:
    for option in question.options:
        for lang in ("da", "en"):
            if value.strip().casefold() == option.label(lang).casefold():
                language = "Danish" if lang == "da" else "English"
                return f" ({value!r} is the {language} label of '{option.code}': write the code)"
    return ""


def _pandera_problems(schema, frame: pd.DataFrame, path: Path, codebook: Codebook,
                      unasked: dict[str, str] | None = None, round_id: str = "") -> list[Problem]:
    import pandera.pandas as pa

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for case in exc.failure_cases.itertuples(index=False):
            check = str(case.check)
            row = None if pd.isna(case.index) else int(case.index)
            if check in ("column_in_schema", "column_in_dataframe"):
                column, value = str(case.failure_case), ""
            elif check.startswith("multiple_fields_uniqueness"):  # one problem per row, naming the whole key
                keys = list(schema.unique)
                column = ", ".join(keys)
                value = ", ".join(frame.loc[row, keys]) if row in frame.index else str(case.failure_case)
            else:
                column, value = case.column, str(case.failure_case)
            expected = _expected_for(column, check, codebook, value, unasked, round_id)
            problems.append(Problem(str(path), row, column, value, expected,
                                    message=_message_for(column, check, value, expected, schema, unasked, codebook,
                                                         round_id)))
        return _dedupe(problems)
    return []


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, unique = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return sorted(unique, key=lambda p: (p.row or 0, p.column or ""))


def _frame(rows: dict[int, list[str]], header: list[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows.values()), index=list(rows), columns=header, dtype="str")


def read_counts(rnd: Round, codebook: Codebook | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check ``counts.csv`` of a published-counts round; counts as integers."""
    codebook = codebook or round_codebook(rnd)
    path = rnd.path / COUNTS_FILE
    text, problems = read_csv_text(path, expected_columns=len(COUNT_COLUMNS))
    if text is None:
        return None, problems
    frame = _frame(text.rows, text.header)
    problems += _pandera_problems(_counts_schema(codebook), frame, path, codebook, _unasked(rnd, codebook), rnd.id)
    if any(p.row is None for p in problems):
        return None, problems  # columns are wrong: row rules cannot be read
    problems += _count_rules(frame, rnd, codebook, path)
    if problems:
        return None, _dedupe(problems)
    frame = frame.assign(count=frame["count"].astype(int), base=frame["base"].astype(int))
    return frame, []


def _count_rules(frame: pd.DataFrame, rnd: Round, codebook: Codebook, path: Path) -> list[Problem]:
    """Rules across rows: known categories, counts within their base, groups agreeing with options."""
    problems = []
    responses = rnd.meta.get("responses")
    usable = frame[frame["question"].isin([q.id for q in codebook.choice_questions])
                   & frame["count"].str.fullmatch(WHOLE_NUMBER)
                   & frame["base"].str.fullmatch(WHOLE_NUMBER)]
    for row, rec in frame[frame["question"].isin([q.id for q in codebook.choice_questions])].iterrows():
        q = codebook.question(rec["question"])  # the category is checked even where count or base is bad
        known = list(q.option_codes) + list(q.group_codes)
        if rec["category"] not in known:
            problems.append(Problem(str(path), row, "category", rec["category"],
                                    f"an option or group of '{q.id}': {', '.join(known)}"))
    for row, rec in usable.iterrows():
        count, base = int(rec["count"]), int(rec["base"])
        if count > base:
            problems.append(Problem(str(path), row, "count", rec["count"], f"at most the base, {base}"))
        if base == 0:
            problems.append(Problem(str(path), row, "base", rec["base"],
                                    "at least 1 responding council (a base of 0 gives no share)"))
        elif base > rnd.population:
            problems.append(Problem(str(path), row, "base", rec["base"],
                                    f"at most councils_asked in {METADATA_FILE}, {rnd.population}"))
        if responses is not None and base != responses:
            problems.append(Problem(str(path), row, "base", rec["base"],
                                    f"the number of responses in {METADATA_FILE}, {responses}"))
    counts = {(r["question"], r["category"]): (row, int(r["count"]), int(r["base"])) for row, r in usable.iterrows()}
    for q in codebook.choice_questions:
        own = {cat: v for (qid, cat), v in counts.items() if qid == q.id}
        option_rows = [v for cat, v in own.items() if cat in q.option_codes]
        if option_rows:
            base = max(v[2] for v in option_rows)
            limit = base * (q.max_answers or len(q.option_codes)) if q.type == "multiple_choice" else base
            total = sum(v[1] for v in option_rows)
            if total > limit:
                last_row = max(v[0] for v in option_rows)
                problems.append(Problem(str(path), last_row, "count", str(total),
                                        f"the counts of '{q.id}' to add up to at most {limit}"))
        for group in q.groups:
            if group.code not in own:
                continue
            row, count, base = own[group.code]
            members = [own[m][1] for m in group.members if m in own]
            if group.complement_of and group.complement_of in own:
                expected = base - own[group.complement_of][1]
                if count != expected:
                    problems.append(Problem(str(path), row, "count", str(count),
                                            f"{expected}: the base less '{group.complement_of}'"))
            elif len(members) == len(group.members) and sum(members) != count:
                problems.append(Problem(str(path), row, "count", str(count),
                                        f"{sum(members)}, the sum of its members {', '.join(group.members)}"))
    return problems


def read_responses(rnd: Round, codebook: Codebook | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check the responses file (CSV, workbook or SPSS): one row per responding council, values as strings.

    A checked frame's ``attrs["labels_read"]`` counts the answers a vendor file gave as labels, read as codes.
    """
    from councils.vendor import locate, read_responses_text

    codebook = codebook or round_codebook(rnd)
    # responses.csv, or the vendor's workbook or SPSS file, read into the same text shape (councils/vendor.py)
    path, text, problems = read_responses_text(rnd.path, rnd.meta, codebook)
    if text is None:
        return None, problems
    frame = _frame(text.rows, text.header)
    problems += _pandera_problems(_responses_schema(codebook), frame, path, codebook, _unasked(rnd, codebook), rnd.id)
    problems += _response_rules(frame, rnd, codebook, path)
    if problems:
        return None, locate(text, _dedupe(problems))
    frame.attrs["labels_read"] = getattr(text, "labels_read", 0)
    frame.attrs["label_example"] = getattr(text, "label_example", None)
    return frame, []


def _response_rules(frame: pd.DataFrame, rnd: Round, codebook: Codebook, path: Path) -> list[Problem]:
    """Rules across columns and rows: answer limits, and the number of rows against the metadata."""
    problems = []
    for q in codebook.questions:
        if q.type != "multiple_choice" or not q.max_answers:
            continue
        columns = [option_column(q, c) for c in q.option_codes]
        if not set(columns) <= set(frame.columns):
            continue
        chosen = frame[columns].eq("1").sum(axis=1)
        for row in chosen[chosen > q.max_answers].index:
            picked = [c for c in columns if frame.at[row, c] == "1"]
            problems.append(Problem(str(path), int(row), ", ".join(picked), f"{chosen[row]} answers",
                                    f"at most {q.max_answers} answers to '{q.id}'",
                                    message=f"{chosen[row]} answers to '{q.id}' ({', '.join(picked)}); "
                                            f"expected at most {q.max_answers}"))
    n = len(frame)
    stated = rnd.meta.get("responses")
    if stated is not None and n != stated:
        problems.append(Problem(str(rnd.path / METADATA_FILE), None, "responses", str(stated),
                                f"the number of rows in {path.name}, {n}",
                                message=f"field 'responses' is {stated}, but {path.name} has {n} rows; "
                                        "the two must agree"))
    if n > rnd.population:
        problems.append(Problem(str(path), None, None, f"{n} rows",
                                f"at most councils_asked = {rnd.population} responding councils",
                                message=f"the file has {n} rows, more than the {rnd.population} councils asked "
                                        f"(councils_asked in {METADATA_FILE}); expected one row per responding "
                                        "council"))
    return problems


# Each of these fields of round.yaml may not exceed the one after it (issue 14): a round that asks more
# councils than exist, or has more responses than councils asked, would give shares above 100%.
POPULATION_ORDER = (("responses", "councils_asked", "the councils asked"),
                    ("councils_asked", "councils_existing", "the councils that exist"),
                    ("councils_existing", "municipalities", "the municipalities (one council each at most)"))


def _population_rules(meta: dict, path: Path) -> list[Problem]:
    """round.yaml's counts of councils in order: responses <= asked <= existing <= municipalities."""
    lines = path.read_text(encoding="utf-8-sig").splitlines() if path.is_file() else []
    problems = []
    for field, limit, what in POPULATION_ORDER:
        if isinstance(meta.get(field), int) and isinstance(meta.get(limit), int) and meta[field] > meta[limit]:
            line = next((i for i, text in enumerate(lines, 1) if text.startswith(f"{field}:")), None)
            problems.append(Problem(str(path), line, field, str(meta[field]),
                                    f"at most {limit} = {meta[limit]}, {what}"))
    return problems


def check_round(path: Path | str) -> tuple[Round | None, pd.DataFrame | None, list[Problem]]:
    """Check a round folder (or a file inside it): metadata, then its data file."""
    path = Path(path)
    folder = path.parent if path.is_file() else path
    if not folder.is_dir():
        return None, None, [Problem(str(folder), None, None, "", "an existing round folder",
                                    message="there is no such folder; expected a round folder holding "
                                            f"{METADATA_FILE} and its data file")]
    meta, problems = read_metadata(folder / METADATA_FILE)
    if meta is None:
        return None, None, problems
    rnd = Round(id=meta["round"], path=folder, meta=meta)
    reader = read_counts if rnd.kind == "published_counts" else read_responses
    try:
        codebook = round_codebook(rnd)
    except DataError as exc:
        return rnd, None, exc.problems
    frame, problems = reader(rnd, codebook)
    problems = _population_rules(meta, folder / METADATA_FILE) + problems
    return rnd, (frame if not problems else None), problems


def round_codebook(rnd: Round) -> Codebook:
    """What the round asked (its series' questionnaire); DataError for a questionnaire that cannot be read."""
    from councils.series import series_for

    return series_for(rnd).questionnaire(rnd.id).codebook


def _unasked(rnd: Round, codebook: Codebook) -> dict[str, str]:
    """Questions of the codebook or of the round's series that the round did not ask, with why, for messages."""
    from councils.series import check_series

    series, _ = check_series(rnd)
    known = series.codebook if series else load_codebook()
    notes = {}
    for q in (*load_codebook().questions, *known.questions):
        if q.id not in codebook and q.id not in notes:
            asked = series.asked_in(q.id) if series else ()
            notes[q.id] = (f"round {rnd.id} did not ask question '{q.id}'"
                           + (f" (asked in round {', '.join(asked)})" if asked else "")
                           + ", so its file has no column for it: remove the column, or declare the question "
                           f"in {rnd.id}'s questionnaire.yaml")
    return notes


def validate_round(path: Path | str) -> list[Problem]:
    """Every problem of a round folder's files; empty when the round is good."""
    return check_round(path)[2]


def load_checked(rnd: Round) -> pd.DataFrame:
    """The round's data file, checked; DataError lists every problem."""
    _, frame, problems = check_round(rnd.path)
    if problems:
        raise DataError(problems)
    return frame
