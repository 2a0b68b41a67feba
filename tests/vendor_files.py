"""Survey vendors' files written by the tests: a round's rows as .xlsx (openpyxl), .ods (pandas' odf engine) and
.sav (pyreadstat's writer), as a vendor's program would save them (numbers as numbers, codes as text).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd

from councils.codebook import load_codebook
from councils.validate import option_column

CODEBOOK = load_codebook()
NUMBER_COLUMNS = {option_column(q, c) for q in CODEBOOK.questions if q.type == "multiple_choice" for c in q.option_codes}
SINGLE = {q.id: q for q in CODEBOOK.questions if q.type == "single_choice"}


def typed(value: str, column: str):
    """A cell as a vendor's program stores it: 0/1 columns as numbers, blanks as empty cells."""
    if value == "":
        return None
    return int(value) if column in NUMBER_COLUMNS else value


def xlsx_bytes(header: list[str], rows: list[dict[str, str]], sheet: str = "Data", edit=None) -> bytes:
    """A workbook whose sheet ``sheet`` holds the header in row 1 and the rows below; ``edit(ws)`` changes it."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append([typed(row[h], h) for h in header])
    if edit:
        edit(ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_bytes(header: list[str], rows: list[dict[str, str]]) -> bytes:
    frame = pd.DataFrame([[typed(row[h], h) for h in header] for row in rows], columns=header, dtype=object)
    out = io.BytesIO()
    frame.to_excel(out, index=False, engine="odf", sheet_name="Data")
    return out.getvalue()


def sav_bytes(header: list[str], rows: list[dict[str, str]], labels: str | None = None, **writer) -> bytes:
    """An SPSS file. ``labels`` None: single choices as code strings; 'da' or 'en': as numbers 1, 2, ... labelled
    with the codebook's Danish or English labels (the missing code as 9, declared missing)."""
    import pyreadstat

    data = {}
    value_labels = dict(writer.pop("variable_value_labels", {}))
    missing = dict(writer.pop("missing_ranges", {}))
    for h in header:
        values = [row[h] for row in rows]
        if h in NUMBER_COLUMNS:
            data[h] = [float(v) if v != "" else float("nan") for v in values]
        elif h in SINGLE and labels:
            numbers = number_codes(SINGLE[h])
            data[h] = [float(numbers[v]) if v != "" else float("nan") for v in values]
            value_labels.setdefault(h, {float(n): label_of(SINGLE[h], code, labels) for code, n in numbers.items()})
            missing.setdefault(h, [9.0])
        else:
            data[h] = values
    frame = pd.DataFrame(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.sav"
        pyreadstat.write_sav(frame, path, variable_value_labels=value_labels, missing_ranges=missing, **writer)
        return path.read_bytes()


def number_codes(question) -> dict[str, int]:
    """Option codes as SPSS numbers: 1, 2, ... in codebook order; the missing code, when not an option, 9."""
    numbers = {code: i for i, code in enumerate(question.option_codes, start=1)}
    numbers.setdefault(CODEBOOK.missing.code, 9)
    return numbers


def label_of(question, code: str, lang: str) -> str:
    if code == CODEBOOK.missing.code and code not in question.option_codes:
        return CODEBOOK.missing.label(lang)
    return question.label(code, lang)


def example_rows() -> tuple[list[str], list[dict[str, str]]]:
    """The example round's responses.csv as header and rows of strings."""
    from councils.paths import ROUNDS_DIR

    frame = pd.read_csv(ROUNDS_DIR / "example" / "responses.csv", dtype=str, keep_default_na=False)
    return list(frame.columns), frame.to_dict("records")
