"""Survey vendors' files in: workbooks (.xlsx, .ods) and SPSS (.sav) give exactly the tables of the CSV they came
from, labels are read through the codebook, and every problem names the sheet and cell, or the SPSS variable.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml
from openpyxl.utils import get_column_letter

from councils.paths import ROUNDS_DIR
from councils.tables import TABLE_COLUMNS, frequency_table
from councils.validate import check_round

from conftest import run_cli
from vendor_files import SINGLE, example_rows, ods_bytes, sav_bytes, xlsx_bytes

HEADER, ROWS = example_rows()
EXAMPLE_TABLE = frequency_table("example")


def vendor_round(tmp_path, name: str, raw: bytes, suffix: str, **meta) -> "Path":
    """A copy of the example round (no earlier round) whose responses come as ``responses<suffix>``."""
    folder = tmp_path / name
    folder.mkdir()
    data = yaml.safe_load((ROUNDS_DIR / "example" / "round.yaml").read_text(encoding="utf-8"))
    data.update(round=name, previous_round=None, **meta)
    (folder / "round.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (folder / f"responses{suffix}").write_bytes(raw)
    return folder


def table_of(folder) -> pd.DataFrame:
    rnd, frame, problems = check_round(folder)
    assert not problems, "\n".join(map(str, problems))
    return frequency_table(rnd), frame


@pytest.mark.parametrize("suffix, raw", [
    (".xlsx", lambda: xlsx_bytes(HEADER, ROWS)),
    (".ods", lambda: ods_bytes(HEADER, ROWS)),
    (".sav", lambda: sav_bytes(HEADER, ROWS)),
    (".sav", lambda: sav_bytes(HEADER, ROWS, labels="da")),
    (".sav", lambda: sav_bytes(HEADER, ROWS, labels="en")),
], ids=["xlsx", "ods", "sav-codes", "sav-danish-labels", "sav-english-labels"])
def test_vendor_file_gives_exactly_the_tables_of_its_csv(tmp_path, suffix, raw):
    table, frame = table_of(vendor_round(tmp_path, "vendor", raw(), suffix))
    pd.testing.assert_frame_equal(table[TABLE_COLUMNS], EXAMPLE_TABLE[TABLE_COLUMNS])
    assert len(frame) == 36


def test_a_danish_labelled_sav_is_said_to_be_read_through_the_codebook(tmp_path):
    folder = vendor_round(tmp_path, "vendor", sav_bytes(HEADER, ROWS, labels="da"), ".sav")
    result = run_cli("validate", folder)
    assert result.returncode == 0, result.stderr
    assert "36 respondent rows in responses.sav" in result.stdout
    # every non-blank single-choice answer of the example round, counted from its CSV: each came as a label
    answers = sum(1 for row in ROWS for q in SINGLE if row[q] != "")
    assert f"{answers} answers in responses.sav were labels, not codes" in result.stdout
    assert "read through the codebook" in result.stdout


def test_a_workbook_with_danish_labels_reads_as_codes(tmp_path):
    rows = [dict(r) for r in ROWS]
    q = SINGLE["influence"]
    for row in rows:
        if row["influence"]:
            row["influence"] = q.label(row["influence"], "da")
    table, frame = table_of(vendor_round(tmp_path, "vendor", xlsx_bytes(HEADER, rows), ".xlsx"))
    pd.testing.assert_frame_equal(table[TABLE_COLUMNS], EXAMPLE_TABLE[TABLE_COLUMNS])
    assert frame.attrs["labels_read"] == sum(1 for r in ROWS if r["influence"])


def test_a_csv_keeps_to_codes(tmp_path):
    """Labels are read as codes in a vendor's workbook or SPSS file only; responses.csv is the documented format."""
    folder = vendor_round(tmp_path, "csv", (ROUNDS_DIR / "example" / "responses.csv").read_bytes(), ".csv")
    text = (folder / "responses.csv").read_text(encoding="utf-8").replace(",often,", ",Ofte,", 1)
    (folder / "responses.csv").write_text(text, encoding="utf-8")
    _, _, problems = check_round(folder)
    assert [p.value for p in problems] == ["Ofte"]


def test_a_bad_workbook_value_names_sheet_and_cell(tmp_path):
    rows = [dict(r) for r in ROWS]
    rows[5]["influence"] = "enorm"  # spreadsheet row 7
    folder = vendor_round(tmp_path, "vendor", xlsx_bytes(HEADER, rows), ".xlsx")
    result = run_cli("validate", folder)
    letter = get_column_letter(HEADER.index("influence") + 1)
    assert result.returncode == 1
    assert (f"responses.xlsx, sheet 'Data', cell {letter}7, row 7, column 'influence': value 'enorm'; "
            "expected one of large, some, small, none, dont_know") in result.stderr, result.stderr


def test_a_formula_is_read_as_its_saved_value(tmp_path):
    """A workbook saved by a spreadsheet program keeps each formula's value: that value is read."""
    import xlsxwriter

    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("Data")
    column = HEADER.index("visibility.website")
    for c, name in enumerate(HEADER):
        ws.write_string(0, c, name)
    for r, row in enumerate(ROWS, start=1):
        for c, name in enumerate(HEADER):
            value = row[name]
            if c == column:  # =0+1 or =0+0, saved with its result as Excel does
                ws.write_formula(r, c, f"=0+{value}", None, int(value))
            elif value != "":
                ws.write(r, c, int(value) if name.count(".") else value)
    book.close()
    table, _ = table_of(vendor_round(tmp_path, "vendor", path.read_bytes(), ".xlsx"))
    pd.testing.assert_frame_equal(table[TABLE_COLUMNS], EXAMPLE_TABLE[TABLE_COLUMNS])


def test_a_named_sheet_is_read(tmp_path):
    import openpyxl

    def notes_first(ws):
        notes = ws.parent.create_sheet("Noter", 0)
        notes["A1"] = "Leveret af analysebureauet"

    raw = xlsx_bytes(HEADER, ROWS, sheet="Svar", edit=notes_first)
    assert openpyxl.load_workbook(__import__("io").BytesIO(raw)).sheetnames == ["Noter", "Svar"]
    table, _ = table_of(vendor_round(tmp_path, "vendor", raw, ".xlsx", sheet="Svar"))
    pd.testing.assert_frame_equal(table[TABLE_COLUMNS], EXAMPLE_TABLE[TABLE_COLUMNS])


def test_unlabelled_spss_numbers_are_read_through_value_codes(tmp_path):
    import pyreadstat  # noqa: F401 (the writer behind sav_bytes)

    numbers = {code: i for i, code in enumerate(SINGLE["influence"].option_codes, start=1)}
    rows = [dict(r) for r in ROWS]
    raw = sav_bytes(HEADER, rows, labels="da", variable_value_labels={"influence": {}})
    # the vendor dropped influence's labels: refused, naming the variable and what to do
    folder = vendor_round(tmp_path, "bare", raw, ".sav")
    _, _, problems = check_round(folder)
    assert problems and all(p.column == "influence" and "has no value label" in p.expected for p in problems)
    # declared in round.yaml: read as the codes
    folder = vendor_round(tmp_path, "mapped", raw, ".sav",
                          value_codes={"influence": {n: code for code, n in numbers.items()}})
    table, _ = table_of(folder)
    pd.testing.assert_frame_equal(table[TABLE_COLUMNS], EXAMPLE_TABLE[TABLE_COLUMNS])


def test_two_data_files_are_refused(tmp_path):
    folder = vendor_round(tmp_path, "vendor", xlsx_bytes(HEADER, ROWS), ".xlsx")
    shutil.copyfile(ROUNDS_DIR / "example" / "responses.csv", folder / "responses.csv")
    _, _, problems = check_round(folder)
    assert len(problems) == 1 and problems[0].value == "responses.csv, responses.xlsx"
    assert "one responses file" in problems[0].expected
