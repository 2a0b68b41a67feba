"""A survey vendor's file read into the shape of a CSV: workbooks (.xlsx, .xlsm, .ods) and SPSS (.sav).

Each reader returns a :class:`VendorText`, a ``rounds.CsvText`` (header, rows of strings keyed by row
number) that also knows where each value came from, so that every check of ``validate`` applies
unchanged and a problem can name the sheet and cell ("sheet 'Data', cell D7") or the SPSS case.

- Workbooks: the first sheet, or the one ``round.yaml`` names (``sheet``). The header is the first
  non-empty row. A formula is read as the value the spreadsheet program saved with it; one saved
  without a value is refused by name. Merged cells, hidden rows and hidden columns in the table,
  dates, TRUE/FALSE and error values (``#N/A``) are problems.
- SPSS: variables map to the codebook's columns by name (as SPSS, ignoring case). A value label equal
  to a code, or to the codebook's Danish or English label of an option, is read as that code; any
  other labelled value is a problem naming variable, value and label. A numeric value without a
  label is refused unless ``round.yaml`` maps it (``value_codes``). User-missing values and
  system-missing values are blanks.
- Both: a single-choice answer written as the option's Danish or English label instead of its code is
  read through the codebook; how many were is kept (``labels_read``) and said by ``validate``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.etree import ElementTree

from councils.codebook import Codebook, load_codebook
from councils.errors import Problem
from councils.rounds import MAX_DATA_BYTES, MAX_FIELD_CHARS, CsvText, read_csv_text, read_round_file, responses_files

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
SPSS_SUFFIXES = (".sav",)
# A workbook is a zip archive: more than this unpacked is refused before any sheet is parsed (a zip bomb).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _codebook(rnd_meta: dict | None = None) -> Codebook:
    """The codebook a round's file is read with (one line to change when rounds get their own questionnaires)."""
    return load_codebook()


@dataclass(frozen=True)
class VendorText(CsvText):
    """A vendor file read as text, with where each value came from and how many labels were read as codes."""

    kind: str = "workbook"  # or "spss"
    sheet: str | None = None
    letters: dict[str, str] = field(default_factory=dict)  # column name -> column letter(s) in the sheet
    header_row: int = 1
    labels_read: int = 0
    label_example: tuple[str, str] | None = None  # (label, code) of the first label read as a code
    reported: frozenset[tuple[str, str]] = frozenset()  # (column, value) the reader already named once for all rows

    def place(self, row: int | None, column: str | None) -> str:
        """Where a value is, as the vendor's program shows it: "responses.xlsx, sheet 'Data', cell D7"."""
        if self.kind == "spss":
            return f"{self.path}, case {row}" if row is not None else str(self.path)
        where = f"{self.path}, sheet '{self.sheet}'"
        letter = self.letters.get(column or "")
        if letter and row is not None:
            return f"{where}, cell {letter}{row}"
        if letter and row is None:
            return f"{where}, cell {letter}{self.header_row}"
        return where


def locate(text: CsvText | None, problems: list[Problem]) -> list[Problem]:
    """Problems of a vendor file with the sheet and cell (or SPSS case) added to where they are."""
    if not isinstance(text, VendorText):
        return problems
    own = str(text.path)
    # A value the reader named once for every row it stands in (an unlabelled SPSS number) is not named again per row.
    kept = [p for p in problems if not (p.file == own and (p.column, p.value) in text.reported)]
    return [replace(p, file=text.place(p.row, p.column)) if p.file == own else p for p in kept]


def read_responses_text(folder: Path, meta: dict, codebook: Codebook | None = None
                        ) -> tuple[Path, CsvText | None, list[Problem]]:
    """The round's responses file, whichever format it came in: (path, text, problems)."""
    codebook = codebook or _codebook(meta)
    found = responses_files(folder)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        return found[0], None, [Problem(str(folder), None, None, names,
                                        f"one responses file in the round folder (found {len(found)}: keep the "
                                        "vendor's file and remove or rename the others)")]
    path = found[0] if found else folder / "responses.csv"
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        text, problems = read_workbook(path, meta.get("sheet"), codebook)
    elif suffix in SPSS_SUFFIXES:
        text, problems = read_spss(path, meta.get("value_codes") or {}, codebook)
    else:
        text, problems = read_csv_text(path)
    return path, text, problems


# --- values -------------------------------------------------------------------------------------------

def _label_codes(codebook: Codebook) -> dict[str, dict[str, str]]:
    """Per single-choice question: every code, and every Danish and English label casefolded, to its code."""
    table = {}
    for q in codebook.questions:
        if q.type != "single_choice":
            continue
        options = list(q.options) + ([codebook.missing] if codebook.missing.code not in q.option_codes else [])
        mapping = {}
        for option in options:
            for lang in ("da", "en"):
                mapping.setdefault(_fold(option.label(lang)), option.code)
        for option in options:  # a code is always itself, even where it equals another option's label
            mapping[_fold(option.code)] = option.code
        table[q.id] = mapping
    return table


def _fold(text: str) -> str:
    return " ".join(str(text).replace("\u00ad", "").split()).casefold()


def _number_text(value: float | int) -> str:
    """A number as a CSV export writes it: whole numbers without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Labels:
    """Reads single-choice answers written as labels through the codebook, counting them."""

    def __init__(self, codebook: Codebook):
        self.codes = _label_codes(codebook)
        self.count = 0
        self.example: tuple[str, str] | None = None

    def code(self, column: str, value: str) -> str:
        mapping = self.codes.get(column)
        if not mapping or value == "" or value in mapping.values():
            return value
        code = mapping.get(_fold(value))
        if code is None:
            return value
        self.count += 1
        self.example = self.example or (value, code)
        return code


# --- workbooks ----------------------------------------------------------------------------------------

def column_letter(index: int) -> str:
    """Column letters of a 1-based column number, as spreadsheets name them (1 -> A, 28 -> AB)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Sheet:
    """One worksheet as a grid of Python values, with what the checks need to know about its layout."""

    name: str
    cells: dict[tuple[int, int], object]  # (row, column), 1-based -> value (str, int, float, bool, date, ...)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # formulas saved without a value
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, first col, last row, last col)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # cells holding #N/A, #DIV/0! ...


def _workbook_problem(path: Path, raw: bytes) -> Problem | None:
    """Why these bytes are no workbook of the kind the name says, before a parser sees them."""
    suffix = path.suffix.lower()
    if raw.startswith(OLE_MAGIC):
        what = ("it is encrypted (password-protected), or an old .xls saved under a new name: save it again "
                f"as {suffix} without a password")
        return Problem(str(path), None, None, "", f"a readable {suffix} workbook; {what}")
    if not raw.startswith(b"PK\x03\x04"):
        hint = " (it looks like text: a CSV file should be named responses.csv)" if raw[:1].isascii() and b"\x00" not in raw[:512] else ""
        return Problem(str(path), None, None, "", f"a readable {suffix} workbook; this file is no workbook "
                       f"(not a zip archive){hint}")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return Problem(str(path), None, None, "", f"a readable {suffix} workbook; the file is damaged ({exc}): "
                       "save it again from the spreadsheet program")
    if unpacked > MAX_UNPACKED_BYTES:
        return Problem(str(path), None, None, "", f"a workbook that unpacks to at most "
                       f"{MAX_UNPACKED_BYTES // 1024 // 1024} MiB (this one unpacks to {unpacked // 1024 // 1024} MiB; "
                       "it was not read)")
    if suffix == ".ods" and "content.xml" not in names:
        return Problem(str(path), None, None, "", "a readable .ods workbook; this zip archive has no content.xml"
                       + ("; it is an .xlsx workbook: name it responses.xlsx" if "xl/workbook.xml" in names else ""))
    if suffix in (".xlsx", ".xlsm") and "xl/workbook.xml" not in names:
        return Problem(str(path), None, None, "", f"a readable {suffix} workbook; this zip archive has no "
                       "xl/workbook.xml" + ("; it is an .ods workbook: name it responses.ods"
                                            if "content.xml" in names else ""))
    return None


def _openpyxl_sheets(raw: bytes) -> tuple[list[str], callable]:
    import openpyxl

    formulas_book = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
    values_book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    names = formulas_book.sheetnames

    def sheet(name: str) -> _Sheet:
        ws, values = formulas_book[name], values_book[name]
        grid = _Sheet(name, {})
        for row in ws.iter_rows():
            for cell in row:
                if cell.__class__.__name__ == "MergedCell" or cell.value is None:
                    continue
                key = (cell.row, cell.column)
                value = cell.value
                if cell.data_type == "f" or not isinstance(value, (str, int, float, bool, dt.date, dt.time,
                                                                   dt.timedelta)):
                    saved = values.cell(row=cell.row, column=cell.column).value
                    if saved is None:
                        grid.formulas[key] = str(getattr(value, "text", value))
                        continue
                    value = saved
                if cell.data_type == "e" or (isinstance(value, str) and value.startswith("#")
                                             and value in ERROR_VALUES):
                    grid.errors[key] = str(value)
                    continue
                grid.cells[key] = value
        grid.merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        grid.hidden_rows = {n for n, d in ws.row_dimensions.items() if d.hidden}
        for d in ws.column_dimensions.values():
            if d.hidden and d.min and d.max:
                grid.hidden_columns.update(range(d.min, d.max + 1))
        return grid

    return names, sheet


ERROR_VALUES = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


def _ods_layout(raw: bytes, name: str, grid: _Sheet) -> None:
    """Merged cells, hidden rows and columns, and formulas saved without a value, from an .ods sheet's XML."""
    t = "{%s}" % _ODS["table"]
    office = "{%s}" % _ODS["office"]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        content = archive.read("content.xml")
    root = ElementTree.fromstring(content)
    table = next((el for el in root.iter(f"{t}table") if el.get(f"{t}name") == name), None)
    if table is None:
        return
    column = 1
    for col in table.iter(f"{t}table-column"):
        repeat = int(col.get(f"{t}number-columns-repeated", "1"))
        if col.get(f"{t}visibility", "visible") != "visible":
            grid.hidden_columns.update(range(column, column + min(repeat, 16384)))
        column += repeat
    row_no = 1
    for row in table.iter(f"{t}table-row"):
        repeat = int(row.get(f"{t}number-rows-repeated", "1"))
        if row.get(f"{t}visibility", "visible") != "visible":
            grid.hidden_rows.update(range(row_no, row_no + min(repeat, 1_048_576)))
        column = 1
        for cell in row:
            if cell.tag not in (f"{t}table-cell", f"{t}covered-table-cell"):
                continue
            across = int(cell.get(f"{t}number-columns-repeated", "1"))
            spans = int(cell.get(f"{t}number-columns-spanned", "1")), int(cell.get(f"{t}number-rows-spanned", "1"))
            if spans != (1, 1):
                grid.merged.append((row_no, column, row_no + spans[1] - 1, column + spans[0] - 1))
            formula = cell.get(f"{t}formula")
            if formula and cell.get(f"{office}value") is None and cell.get(f"{office}string-value") is None \
                    and cell.get(f"{office}boolean-value") is None and cell.get(f"{office}date-value") is None \
                    and not "".join(cell.itertext()).strip():
                grid.formulas[(row_no, column)] = formula
            column += across
        row_no += repeat


def _calamine_sheets(raw: bytes) -> tuple[list[str], callable]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
    names = list(book.sheet_names)

    def sheet(name: str) -> _Sheet:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        grid = _Sheet(name, {})
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value == "" or value is None:
                    continue
                if isinstance(value, str) and value in ERROR_VALUES:
                    grid.errors[(r, c)] = value
                    continue
                grid.cells[(r, c)] = value
        _ods_layout(raw, name, grid)
        return grid

    return names, sheet


def _sheet_problems_for_choice(path: Path, names: list[str], chosen: str | None, load, expected: set[str]
                               ) -> tuple[_Sheet | None, list[Problem]]:
    """The sheet to read: the one round.yaml names, or the first; a clear problem when it holds no table."""
    if chosen is not None:
        if chosen not in names:
            return None, [Problem(str(path), None, "sheet", chosen, "a sheet of the workbook, as round.yaml's "
                                  f"'sheet' names it; the workbook has {', '.join(repr(n) for n in names)}")]
        return load(chosen), []
    first = load(names[0])
    if _header_names(first) & expected or len(names) == 1:
        return first, []
    holding = [n for n in names[1:] if _header_names(load(n)) & expected]
    if holding:
        return None, [Problem(f"{path}, sheet '{names[0]}'", None, None, names[0],
                              f"the responses on the first sheet, or the sheet named in round.yaml: the first sheet "
                              f"holds no column of the codebook, sheet '{holding[0]}' does (add  sheet: "
                              f"\"{holding[0]}\"  to round.yaml)")]
    return first, []


def _header_row(grid: _Sheet) -> int | None:
    return min((r for r, _ in grid.cells), default=None)


def _header_names(grid: _Sheet) -> set[str]:
    row = _header_row(grid)
    return {str(v).strip() for (r, _), v in grid.cells.items() if r == row}


def _cell_text(value: object) -> tuple[str | None, str | None]:
    """(text, None) for a value a CSV could hold, or (None, why not)."""
    if isinstance(value, bool):
        return None, "a code or a number, not a logical TRUE/FALSE cell"
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return None, ("a code or a number, not a date or time (the spreadsheet program may have turned what was "
                      "typed into a date: format the column as text and type it again)")
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "a code or a finite number"
        return _number_text(value), None
    if isinstance(value, int):
        return str(value), None
    return str(value).strip(), None


def read_workbook(path: Path, sheet: str | None = None, codebook: Codebook | None = None
                  ) -> tuple[VendorText | None, list[Problem]]:
    """Read the responses sheet of an .xlsx, .xlsm or .ods workbook into rows of strings, naming cells in problems."""
    from councils.validate import response_columns

    codebook = codebook or _codebook()
    path = Path(path)
    raw, problems = read_round_file(path, MAX_DATA_BYTES)
    if raw is None:
        return None, problems
    problem = _workbook_problem(path, raw)
    if problem:
        return None, [problem]
    try:
        names, load = (_calamine_sheets if path.suffix.lower() == ".ods" else _openpyxl_sheets)(raw)
        grid, problems = _sheet_problems_for_choice(path, names, sheet, load, set(response_columns(codebook)))
    except Exception as exc:  # noqa: BLE001 (a damaged file can make a parser raise anything)
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        return None, [Problem(str(path), None, None, "", f"a readable {path.suffix.lower()} workbook; the file is "
                              f"damaged or not a workbook ({reason}): save it again from the spreadsheet program")]
    if grid is None:
        return None, problems
    return _grid_text(path, grid, codebook)


def _grid_text(path: Path, grid: _Sheet, codebook: Codebook) -> tuple[VendorText | None, list[Problem]]:
    where = f"{path}, sheet '{grid.name}'"
    header_row = _header_row(grid)
    if header_row is None:
        return None, [Problem(where, None, None, "", "a header row and at least one data row (the sheet is empty)")]
    header_cells = sorted((c, v) for (r, c), v in grid.cells.items() if r == header_row)
    first, last = header_cells[0][0], header_cells[-1][0]
    by_column = dict(header_cells)
    problems = []
    header = []
    for c in range(first, last + 1):
        cell = f"{column_letter(c)}{header_row}"
        value = by_column.get(c)
        if value is None:
            problems.append(Problem(f"{where}, cell {cell}", header_row, f"column {column_letter(c)}", "",
                                    "a column name in the header row (an empty column inside the table)"))
            header.append("")
            continue
        header.append(str(value).strip())
    for name in sorted({h for h in header if h and header.count(h) > 1}):
        problems.append(Problem(where, header_row, name, name, "each column name only once"))
    last_row = max(r for r, _ in grid.cells)
    span = (header_row, first, last_row, last)
    problems += _layout_problems(where, grid, span)
    if problems:
        return None, problems
    letters = {name: column_letter(c) for name, c in zip(header, range(first, last + 1))}
    labels = _Labels(codebook)
    rows: dict[int, list[str]] = {}
    for r in range(header_row + 1, last_row + 1):
        values = []
        for c, name in zip(range(first, last + 1), header):
            value = grid.cells.get((r, c))
            if value is None:
                values.append("")
                continue
            text, why = _cell_text(value)
            if why:
                problems.append(Problem(f"{where}, cell {column_letter(c)}{r}", r, name, _show(value), why))
                values.append("")
                continue
            if len(text) > MAX_FIELD_CHARS:
                problems.append(Problem(f"{where}, cell {column_letter(c)}{r}", r, name, f"{len(text)} characters",
                                        f"at most {MAX_FIELD_CHARS:,} characters in one cell"))
                values.append("")
                continue
            values.append(labels.code(name, text))
        if any(values):
            rows[r] = values
    stray = sorted((r, c) for (r, c) in grid.cells if c < first or c > last)
    for r, c in stray[:20]:
        problems.append(Problem(f"{where}, cell {column_letter(c)}{r}", r, None, _show(grid.cells[(r, c)]),
                                "nothing beside the table (this cell has no column name above it)"))
    if not rows and not problems:
        problems.append(Problem(where, None, None, "", "at least one data row below the header"))
    text = VendorText(path, header, rows, encoding="workbook", delimiter="", kind="workbook", sheet=grid.name,
                      letters=letters, header_row=header_row, labels_read=labels.count,
                      label_example=labels.example)
    return text, problems


def _layout_problems(where: str, grid: _Sheet, span: tuple[int, int, int, int]) -> list[Problem]:
    """Formulas without a value, error values, merged cells, hidden rows and columns inside the table."""
    top, left, bottom, right = span
    inside = lambda r, c: top <= r <= bottom and left <= c <= right  # noqa: E731
    problems = []
    for (r, c), formula in sorted(grid.formulas.items()):
        if inside(r, c):
            problems.append(Problem(f"{where}, cell {column_letter(c)}{r}", r, None, _show(formula),
                                    "a value: this cell holds a formula saved without its computed value (open the "
                                    "workbook in the spreadsheet program and save it, or paste the values over the "
                                    "formulas)"))
    for (r, c), error in sorted(grid.errors.items()):
        if inside(r, c):
            problems.append(Problem(f"{where}, cell {column_letter(c)}{r}", r, None, error,
                                    "a value, not a spreadsheet error (a formula that failed)"))
    for r1, c1, r2, c2 in sorted(grid.merged):
        if r1 <= bottom and r2 >= top and c1 <= right and c2 >= left:
            cells = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
            problems.append(Problem(f"{where}, cells {cells}", r1, None, cells,
                                    "no merged cells in the table: unmerge them and give every cell its own value"))
    for r in sorted(grid.hidden_rows):
        if top <= r <= bottom:
            problems.append(Problem(where, r, None, f"row {r}", "no hidden rows in the table: unhide the row (and "
                                    "delete it if it is not a council's answers)"))
    for c in sorted(grid.hidden_columns):
        if left <= c <= right:
            problems.append(Problem(f"{where}, column {column_letter(c)}", None, None, f"column {column_letter(c)}",
                                    "no hidden columns in the table: unhide the column (and delete it if it is "
                                    "not in the codebook)"))
    return problems


# --- SPSS ---------------------------------------------------------------------------------------------

SPSS_MAGIC = (b"$FL2", b"$FL3")


def read_spss(path: Path, value_codes: dict | None = None, codebook: Codebook | None = None
              ) -> tuple[VendorText | None, list[Problem]]:
    """Read an SPSS .sav file into rows of strings: variables as columns, value labels read through the codebook."""
    import pyreadstat

    from councils.validate import option_column, response_columns

    codebook = codebook or _codebook()
    value_codes = value_codes or {}
    path = Path(path)
    raw, problems = read_round_file(path, MAX_DATA_BYTES)
    if raw is None:
        return None, problems
    if not raw.startswith(SPSS_MAGIC):
        return None, [Problem(str(path), None, None, raw[:4].decode("latin-1"), "an SPSS .sav file (it starts with $FL2); "
                              "this is no SPSS data file: a CSV file should be named responses.csv, a workbook "
                              "responses.xlsx")]
    try:
        frame, meta = pyreadstat.read_sav(str(path.resolve()), user_missing=True, disable_datetime_conversion=True)
    except Exception as exc:  # noqa: BLE001 (pyreadstat raises its own errors, and others on a damaged file)
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        if "encoding" in reason:
            return None, [Problem(str(path), None, None, "", "text in the character encoding the file declares "
                                  f"({_declared_encoding(raw)}); a text in it is not ({reason}): the file was "
                                  "written in another encoding than it says. Export it again from SPSS with "
                                  "Unicode (UTF-8) switched on")]
        return None, [Problem(str(path), None, None, "", f"a readable SPSS .sav file ({reason}); export it again")]
    expected = {c.casefold(): c for c in response_columns(codebook)}
    rename = {name: expected.get(name.casefold(), name) for name in frame.columns}
    header = [rename[name] for name in frame.columns]
    questions = {q.id: q for q in codebook.questions}
    options = {option_column(q, code): q for q in codebook.questions if q.type == "multiple_choice"
               for code in q.option_codes}
    labels = _Labels(codebook)
    columns: dict[str, list[str]] = {}
    reported = set()
    for name in frame.columns:
        column = rename[name]
        missing = _missing_values(meta, name)
        value_labels = (meta.variable_value_labels or {}).get(name, {})
        q = questions.get(column)
        declared = {_key(k): str(v) for k, v in (value_codes.get(column) or {}).items()}
        if q is not None and q.type == "single_choice":
            for label, problem in _label_problems(path, name, column, q, value_labels, missing, declared, labels, frame):
                problems.append(problem)
                reported.add((column, label))  # the cells holding it are not named again, one by one
        values = []
        unlabelled: dict[str, list[int]] = {}
        for case, value in enumerate(frame[name].tolist(), start=1):
            if _is_missing(value, missing):
                values.append("")
                continue
            single = q is not None and q.type == "single_choice"
            if isinstance(value, str):
                text = value.strip()
                if single and text not in q.option_codes and value in value_labels:
                    text = str(value_labels[value]).strip()
                values.append(labels.code(column, text) if single else text)
                continue
            number = _number_text(float(value))
            if single and _key(value) in declared:
                values.append(declared[_key(value)])
            elif single and value in value_labels:
                values.append(labels.code(column, str(value_labels[value]).strip()))
            elif single:
                unlabelled.setdefault(number, []).append(case)
                values.append(number)
            else:
                values.append(number)
        for number, cases in unlabelled.items():
            reported.add((column, number))
            problems.append(Problem(f"{path}, {_cases(cases)}", None, column, number,
                                    f"a labelled value: variable '{name}' has no value label for {number}, "
                                    "so which answer it is cannot be known; give it a value "
                                    f"label in SPSS, or map it in round.yaml (value_codes: {{{column}: {{{number}: "
                                    "<code>}}))"))
        columns[column] = values
    rows = {case: [columns[c][case - 1] for c in header] for case in range(1, len(frame) + 1)}
    rows = {case: values for case, values in rows.items() if any(values)}
    problems = _dedupe_label_problems(problems)
    if not rows and not problems:
        problems.append(Problem(str(path), None, None, "", "at least one case (the file holds variables only)"))
    text = VendorText(path, header, rows, encoding=str(meta.file_encoding or ""), delimiter="", kind="spss",
                      labels_read=labels.count, label_example=labels.example, reported=frozenset(reported))
    return text, problems


def _cases(cases: list[int]) -> str:
    shown = ", ".join(map(str, cases[:5])) + (f" and {len(cases) - 5} more" if len(cases) > 5 else "")
    return f"case{'s' if len(cases) > 1 else ''} {shown}"


def _key(value) -> str:
    """A numeric SPSS value as a mapping key: 1, 1.0 and '1' are the same value."""
    try:
        return _number_text(float(value))
    except (TypeError, ValueError):
        return str(value)


def _declared_encoding(raw: bytes) -> str:
    """The character encoding an SPSS file names in its header records, when it names one."""
    match = re.search(rb"(UTF-8|windows-\d+|WINDOWS-\d+|ISO-8859-\d+|CP\d+)", raw[:65536])
    return match.group(1).decode() if match else "unnamed"


def _missing_values(meta, name: str) -> list[tuple]:
    """The user-missing values of a variable as (low, high) pairs."""
    ranges = (getattr(meta, "missing_ranges", None) or {}).get(name, [])
    return [(r["lo"], r["hi"]) for r in ranges]


def _is_missing(value, missing: list[tuple]) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return value.strip() == "" or any(value == lo for lo, _ in missing)
    return any(lo <= value <= hi for lo, hi in missing if not isinstance(lo, str))


def _label_problems(path: Path, name: str, column: str, q, value_labels: dict, missing: list[tuple],
                    declared: dict, labels: _Labels, frame) -> list[tuple[str, Problem]]:
    """Every value label of a single-choice variable that is neither a code nor a label of the question, with it."""
    problems = []
    known = labels.codes.get(column, {})
    for value, label in value_labels.items():
        if _is_missing(value, missing) or _key(value) in declared:
            continue
        if _fold(label) in known:
            continue
        used = int((frame[name] == value).sum())
        shown = value if isinstance(value, str) else _number_text(float(value))
        codes = ", ".join(q.option_codes)
        problems.append((str(label).strip(), Problem(str(path), None, column, f"{shown} = {label!r}",
                                f"value labels that are a code of '{q.id}' or its Danish or English label "
                                f"({codes}); variable '{name}' labels {shown} {label!r}, which the codebook does not "
                                f"know ({used} case{'s' if used != 1 else ''} hold{'s' if used == 1 else ''} it): "
                                "relabel it in SPSS, declare it missing, or map it in round.yaml (value_codes)")))
    return problems


def _dedupe_label_problems(problems: list[Problem]) -> list[Problem]:
    seen, unique = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def _show(value: object) -> str:
    text = value if isinstance(value, str) else repr(value) if isinstance(value, bytes) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
