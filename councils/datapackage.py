"""A round as an open data package: CSV files described by ``datapackage.json`` (Frictionless Data Package v1).

Resources: the round's frequency table; the codebook of the questions (every variable's values and labels,
in Danish and English, as survey archives publish one beside the data); the respondent-level file, unless
the round withholds it (``withhold_responses``), with free-text columns left out when the round withholds
free text; the published counts of a round that has only those; the comparison with the previous round.
Each resource has a Table Schema generated from the codebook: types, allowed values, and labels in both
languages in the descriptions. The package names its licence, its source and its provenance (data
hashes, code version).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from councils.codebook import Codebook, Question
from councils.rounds import Round
from councils.tables import TABLE_COLUMNS, frequency_table

PACKAGE_FILE = "datapackage.json"
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
KINDS = ["option", "group", "missing"]
BASES = ["stated", "remainder", "respondents"]


def _codebook(rnd: Round) -> Codebook:
    """The codebook of the questions a round asked."""
    from councils.series import codebook_for

    return codebook_for(rnd)


def _labels(question: Question, codebook: Codebook) -> str:
    """A question's options as 'code = Danish / English', for a field's description."""
    options = list(question.options)
    if question.type == "single_choice" and codebook.missing.code not in question.option_codes:
        options.append(codebook.missing)
    return "; ".join(f"{o.code} = {o.da} / {o.en}" for o in options)


def _share(name: str, description: str) -> dict:
    return {"name": name, "type": "number", "description": description,
            "constraints": {"required": True, "minimum": 0, "maximum": 1}}


def frequencies_schema(codebook: Codebook) -> dict:
    """Table Schema of the round's frequency table (one row per question and category)."""
    ids = [q.id for q in codebook.choice_questions]
    return {"fields": [
        {"name": "question", "type": "string", "description": "Question id of the codebook (codebook.csv)",
         "constraints": {"required": True, "enum": ids}},
        {"name": "category", "type": "string", "description": "Option or group code of the question",
         "constraints": {"required": True}},
        {"name": "kind", "type": "string", "description": "option, group (answers combined) or missing (not stated)",
         "constraints": {"required": True, "enum": KINDS}},
        {"name": "count", "type": "integer", "description": "Councils giving the answer",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "base", "type": "integer", "description": "Responding councils (every share's denominator)",
         "constraints": {"required": True, "minimum": 1}},
        _share("share", "count / base, exact"),
        _share("ci_low", "Lower end of the 95% interval for the share among all councils asked (finite population)"),
        _share("ci_high", "Upper end of that interval"),
        _share("bound_low", "The share among all councils asked if none of those that did not answer gave the answer"),
        _share("bound_high", "The share among all councils asked if all of those that did not answer gave it"),
        {"name": "basis", "type": "string", "description": "stated (a count printed in the report), remainder (a "
         "base less a printed figure) or respondents (counted from the respondents' answers)",
         "constraints": {"required": True, "enum": BASES}},
        {"name": "label_en", "type": "string", "description": "The answer's label in English",
         "constraints": {"required": True}},
        {"name": "label_da", "type": "string", "description": "The answer's label in Danish (svarets tekst på dansk)",
         "constraints": {"required": True}},
    ], "primaryKey": ["question", "category"]}


def responses_schema(codebook: Codebook, columns: list[str]) -> dict:
    """Table Schema of the respondent-level file, from the codebook: one field per column it has."""
    from councils.validate import RESPONDENT_ID, option_column

    fields = {RESPONDENT_ID: {"name": RESPONDENT_ID, "type": "string", "description": "The responding council's id",
                              "constraints": {"required": True, "unique": True}}}
    for q in codebook.questions:
        wording = f"{q.en} / {q.da}"
        if q.type == "single_choice":
            codes = list(q.option_codes) + ([codebook.missing.code] if codebook.missing.code not in q.option_codes
                                            else [])
            fields[q.id] = {"name": q.id, "type": "string", "title": q.short("en"),
                            "description": f"{wording} Codes: {_labels(q, codebook)}. Empty: no answer (not stated).",
                            "constraints": {"enum": codes}}
        elif q.type == "multiple_choice":
            for option in q.options:
                column = option_column(q, option.code)
                fields[column] = {"name": column, "type": "integer", "title": f"{q.short('en')}: {option.en}",
                                  "description": f"{wording} Option: {option.en} / {option.da}. 1 chosen, 0 or empty "
                                                 "not chosen" + (f"; at most {q.max_answers} options chosen"
                                                                 if q.max_answers else "") + ".",
                                  "constraints": {"enum": [0, 1]}}
        else:
            fields[q.id] = {"name": q.id, "type": "string", "title": q.short("en"),
                            "description": f"{wording} Free text, as the council wrote it."}
    return {"fields": [fields[c] for c in columns], "primaryKey": [RESPONDENT_ID]}


def codebook_frame(codebook: Codebook) -> pd.DataFrame:
    """Every question's every option with its labels: the codebook as one table."""
    rows = []
    for q in codebook.questions:
        options = list(q.options) or [None]
        if q.type == "single_choice" and codebook.missing.code not in q.option_codes:
            options.append(codebook.missing)
        for o in options:
            rows.append({"question": q.id, "type": q.type, "question_en": q.en, "question_da": q.da,
                         "code": o.code if o else "", "label_en": o.en if o else "", "label_da": o.da if o else ""})
    return pd.DataFrame(rows)


CODEBOOK_SCHEMA = {"fields": [
    {"name": "question", "type": "string", "description": "Question id", "constraints": {"required": True}},
    {"name": "type", "type": "string", "description": "single_choice, multiple_choice or text",
     "constraints": {"required": True, "enum": ["single_choice", "multiple_choice", "text"]}},
    {"name": "question_en", "type": "string", "description": "The question in English"},
    {"name": "question_da", "type": "string", "description": "The question in Danish (spørgsmålet på dansk)"},
    {"name": "code", "type": "string", "description": "An answer code (empty for a free-text question)"},
    {"name": "label_en", "type": "string", "description": "The answer's label in English"},
    {"name": "label_da", "type": "string", "description": "The answer's label in Danish"},
]}

COUNTS_SCHEMA = {"fields": [
    {"name": "question", "type": "string", "description": "Question id", "constraints": {"required": True}},
    {"name": "category", "type": "string", "description": "Option or group code", "constraints": {"required": True}},
    {"name": "count", "type": "integer", "description": "Councils, as the report printed it",
     "constraints": {"required": True, "minimum": 0}},
    {"name": "base", "type": "integer", "description": "Responding councils", "constraints": {"required": True}},
    {"name": "basis", "type": "string", "description": "stated or remainder",
     "constraints": {"required": True, "enum": ["stated", "remainder"]}},
    {"name": "source", "type": "string", "description": "Where in the report the number stands"},
], "primaryKey": ["question", "category"]}


def comparison_schema() -> dict:
    from councils.statistics import VERDICT_ORDER

    number = lambda name, description: {"name": name, "type": "number", "description": description}  # noqa: E731
    return {"fields": [
        {"name": "question", "type": "string", "description": "Question id"},
        {"name": "category", "type": "string", "description": "Option or group code compared"},
        {"name": "kind", "type": "string", "description": "option, group or missing (the blank answers)",
         "constraints": {"enum": ["option", "group", "missing"]}},
        {"name": "role", "type": "string", "description": "detail (a comparison of its own), complement, rollup, "
         "dont_know or missing (not compared on its own)"},
        {"name": "label_en", "type": "string", "description": "Label in English"},
        {"name": "label_da", "type": "string", "description": "Label in Danish"},
        {"name": "previous_count", "type": "integer", "description": "Councils in the previous round"},
        {"name": "previous_base", "type": "integer", "description": "Responding councils in the previous round"},
        number("previous_share", "Share in the previous round"),
        {"name": "current_count", "type": "integer", "description": "Councils in this round"},
        {"name": "current_base", "type": "integer", "description": "Responding councils in this round"},
        number("current_share", "Share in this round"),
        number("change_pp", "Change in percentage points, from the unrounded shares"),
        number("change_bound_low_pp", "Lowest change among the councils asked, whatever the missing answers, points"),
        number("change_bound_high_pp", "Highest change among the councils asked, whatever the missing answers, points"),
        number("change_low_pp", "Lower end of the change's unadjusted 95% score interval (Miettinen-Nurminen), points"),
        number("change_high_pp", "Upper end, percentage points"),
        number("p_value", "Two-sided p-value of the score test of no change (unadjusted)"),
        number("p_holm", "The question's test of its whole answer distribution, Holm-adjusted over the questions"),
        {"name": "verdict", "type": "string", "description": "changed_whatever (the bounds of the change exclude "
         "zero), beyond_chance (the question and the share's own test changed), no_clear_change, or not compared",
         "constraints": {"enum": list(VERDICT_ORDER)}},
        {"name": "verdict_en", "type": "string", "description": "The verdict in words"},
    ]}


def trends_schema() -> dict:
    number = lambda name, description: {"name": name, "type": "number", "description": description}  # noqa: E731
    return {"fields": [
        {"name": "question", "type": "string", "description": "Question id", "constraints": {"required": True}},
        {"name": "round", "type": "string", "description": "Round id", "constraints": {"required": True}},
        {"name": "segment", "type": "integer", "description": "Part of the question's series (0 first): a new part "
         "starts where the series breaks (the question changed, or who answered changed)"},
        {"name": "category", "type": "string", "description": "Option or group code in the part's last round's terms "
         "(codes joined by + for an option a later round split)", "constraints": {"required": True}},
        {"name": "kind", "type": "string", "description": "option or group"},
        {"name": "label_en", "type": "string", "description": "Label in English"},
        {"name": "label_da", "type": "string", "description": "Label in Danish"},
        {"name": "count", "type": "integer", "description": "Councils in that round", "constraints": {"minimum": 0}},
        {"name": "base", "type": "integer", "description": "Responding councils in that round"},
        number("share", "count / base"),
        number("ci_low", "Lower end of the round's 95% interval for the share among the councils asked"),
        number("ci_high", "Upper end of that interval"),
    ], "primaryKey": ["question", "round", "category"]}


def _resource(name: str, path: str, title: str, description: str, schema: dict) -> dict:
    return {"name": name, "path": path, "profile": "tabular-data-resource", "title": title,
            "description": description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": schema}


def package_tables(rnd: Round) -> list[tuple[dict, pd.DataFrame]]:
    """The package's resources with the tables they hold, in order."""
    from councils.validate import load_checked

    codebook = _codebook(rnd)
    table = frequency_table(rnd)[TABLE_COLUMNS]
    out = [(_resource("frequencies", "frequencies.csv", "Frequency table",
                      f"Round {rnd.id}: every question's counts, shares, intervals and bounds.",
                      frequencies_schema(codebook)), table),
           (_resource("codebook", "codebook.csv", "Codebook",
                      "Every question and answer code with its English and Danish wording.", CODEBOOK_SCHEMA),
            codebook_frame(codebook))]
    if rnd.kind == "published_counts":
        out.append((_resource("published_counts", "counts.csv", "Published counts",
                              "The counts as the round's report printed them, with where each stands.", COUNTS_SCHEMA),
                    load_checked(rnd)))
    elif not rnd.meta.get("withhold_responses"):
        frame = load_checked(rnd).copy()
        frame.attrs = {}
        if rnd.meta.get("withhold_free_text"):
            frame = frame.drop(columns=[q.id for q in codebook.questions if q.type == "text" and q.id in frame])
        out.append((_resource("responses", "responses.csv", "Responses",
                              "One row per responding council, as checked by `python -m councils validate`: codes, "
                              "not labels (codebook.csv has the labels).", responses_schema(codebook, list(frame.columns))),
                    frame))
    comparison = _comparison(rnd)
    if comparison is not None:
        out.append((_resource("comparison", "comparison.csv", "Comparison with the previous round",
                              f"Round {rnd.meta['previous_round']} against round {rnd.id}: shares, change, its "
                              "interval and the verdict.", comparison_schema()), comparison))
    trends = _trend_rows(rnd)
    if trends is not None:
        out.append((_resource("trends", "trends.csv", "Shares over the series",
                              f"Rounds {', '.join(trends['round'].drop_duplicates())}: each question asked in two "
                              "rounds or more, its share in every round that asked it, by part of its series.",
                              trends_schema()), trends))
    return out


def _trend_rows(rnd: Round) -> pd.DataFrame | None:
    """The trends chapter's shares (councils.tables.trends) for a series of three rounds or more, else None."""
    from councils.tables import round_trends

    _, found = round_trends(rnd)
    if found is None or found.rows.empty:
        return None
    rows = found.rows.assign(round=found.rows["round"].astype(str), segment=found.rows["segment"].astype(int))
    return rows[[f["name"] for f in trends_schema()["fields"]]].reset_index(drop=True)


def _comparison(rnd: Round) -> pd.DataFrame | None:
    from councils.tables import round_comparison

    found = round_comparison(rnd)
    if found is None or found.table.empty:
        return None
    comp = found.table
    comp = comp.assign(change_bound_low_pp=100 * comp["change_bound_low"],
                       change_bound_high_pp=100 * comp["change_bound_high"])
    return comp[[f["name"] for f in comparison_schema()["fields"]]]


def descriptor(rnd: Round, prov: dict, resources: list[dict]) -> dict:
    """The package's datapackage.json: name, title, licence, source, provenance and resources."""
    return {
        "profile": "tabular-data-package",
        "name": f"integration-councils-{rnd.id.lower()}",
        "title": f"Local integration councils in Denmark: round {rnd.id} ({rnd.title('en')})",
        "description": ("FICTIONAL EXAMPLE DATA: made up, describing no real council. " if rnd.fictional else "")
        + f"Survey of Denmark's local integration councils, round {rnd.id}: {rnd.meta['councils_asked']} councils "
          "asked. Labels in English and Danish.",
        "licenses": [LICENSE],
        "sources": [{"title": rnd.meta["source"]}],
        "created": _created(prov),
        "keywords": ["integration councils", "integrationsråd", "Denmark", "survey"],
        "councils:provenance": {"round": prov["round"], "data_sha256": prov["data"], "code_version": prov["code"],
                                "built": prov["built"]},
        "resources": resources,
    }


def _created(prov: dict) -> str:
    import datetime as dt

    moment = dt.datetime.strptime(prov["built"], "%Y-%m-%d %H:%M UTC").replace(tzinfo=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_datapackage(folder: Path, rnd: Round, prov: dict) -> Path:
    """Write the package (datapackage.json and its CSV files) into ``folder``, replacing it whole."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tables = package_tables(rnd)
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}-", dir=folder.parent) as tmp:
        staging = Path(tmp) / "package"
        staging.mkdir()
        for resource, frame in tables:
            frame.to_csv(staging / resource["path"], index=False, lineterminator="\n")
        (staging / PACKAGE_FILE).write_text(
            json.dumps(descriptor(rnd, prov, [r for r, _ in tables]), indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    return folder / PACKAGE_FILE


def zip_package(folder: Path, target: Path) -> Path:
    """The package folder as one zip (datapackage.json at its root), for a one-click download."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(Path(folder).iterdir()):
            archive.write(path, path.name)
    os.replace(partial, target)
    return target
