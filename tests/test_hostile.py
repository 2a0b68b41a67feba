"""Hostile and broken rounds and arguments: each is refused with a clear message, and nothing changes.

Every case builds its files under pytest's temporary folder and runs ``python -m councils`` in a
fresh interpreter. A case returns the command's arguments and what stderr must say, written by
hand: the file, row and column where they exist, and the words of the reason. Common to all:
the exit status, no traceback, nothing printed from a file outside the round (every outside file
holds SECRET), every file under the temporary folder byte-for-byte the same and no file added or
removed there, and no path named after a case created anywhere in the repository.
"""

from __future__ import annotations

import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml

from councils import cli
from councils.codebook import load_codebook
from councils.errors import DataError
from councils.rounds import load_round
from councils.validate import response_columns

from conftest import REPO, counts_round, csv_text, folder_bytes, responses_round, run_cli, valid_rows, write_meta
from vendor_files import ods_bytes, sav_bytes, xlsx_bytes

HEADER = response_columns(load_codebook())
TEXT = "focus_areas_other_text"  # the free-text column
SECRET = "SECRET-8d1f: this line is outside every round and must never be printed"
MARKER = "hostile-escape"  # every relative path a case tries to escape to is named with this


@dataclass
class Case:
    """What a run must end with: exit status, and every string stderr must hold (hand-written)."""

    args: list[str]
    says: list[str]
    exit: int = 1


# --- helpers for building cases ---------------------------------------------------------------------

def rounds_dir(tmp: Path) -> Path:
    return tmp / "rounds"


def good_round(tmp: Path, name: str = "r", rows: int = 6) -> Path:
    return responses_round(rounds_dir(tmp) / name, valid_rows(rows))


def secret_file(tmp: Path) -> Path:
    outside = tmp / "outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret.txt"
    secret.write_text(SECRET + "\nrespondent_id,chair_background\n", encoding="utf-8")
    return secret


def rows_with(row: int, value: str, n: int = 6) -> list[dict[str, str]]:
    """``n`` valid rows; the free text of spreadsheet row ``row`` (2 = first data row) set to ``value``."""
    rows = valid_rows(n)
    rows[row - 2][TEXT] = value
    return rows


def data_round(tmp: Path, raw: bytes, says: list[str]) -> Case:
    """A round whose responses.csv is ``raw`` (6 rows stated in round.yaml), checked with ``validate``."""
    folder = responses_round(rounds_dir(tmp) / "r", raw=raw, responses=6)
    return Case(["validate", folder], says)


def csv_bytes(rows, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    return csv_text(HEADER, rows, delimiter=delimiter).encode(encoding)


def meta_round(tmp: Path, text: str | bytes) -> Path:
    """A good round whose round.yaml is replaced by ``text``."""
    folder = good_round(tmp)
    raw = text.encode("utf-8") if isinstance(text, str) else text
    (folder / "round.yaml").write_bytes(raw)
    return folder


def good_meta_text(folder_name: str = "r", **overrides) -> str:
    meta = {"round": folder_name, "title_en": "Test round", "title_da": "Testrunde", "fictional": True,
            "data": "responses", "councils_asked": 40, "responses": 6, "source": "made up for the tests"}
    meta.update(overrides)
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)


# --- the corpus: arguments -----------------------------------------------------------------------------

def round_is_absolute_path(tmp):
    folder = good_round(tmp, "elsewhere")  # a valid round: only the id form is wrong
    return Case(["tables", "--round", folder], ["--round: value", "never a path", "--data DIR"])


def round_escapes_data_folder(tmp):
    good_round(tmp, "r")
    responses_round(tmp / "outside-round", valid_rows(6))  # ../outside-round from rounds/ is a valid round
    return Case(["tables", "--round", "../outside-round", "--data", rounds_dir(tmp)],
                ["--round: value '../outside-round'", "never a path"])


def round_climbs_to_repository(tmp):
    return Case(["tables", "--round", f"../../{MARKER}"], [f"--round: value '../../{MARKER}'", "never a path"])


def round_has_a_slash(tmp):
    good_round(tmp, "a")
    return Case(["tables", "--round", "a/r", "--data", rounds_dir(tmp)], ["--round: value 'a/r'", "never a path"])


def round_is_a_dot(tmp):
    return Case(["tables", "--round", "."], ["--round: value '.'", "round id matching"])


def round_is_two_dots(tmp):
    return Case(["tables", "--round", ".."], ["--round: value '..'", "round id matching"])


def round_is_empty(tmp):
    return Case(["tables", "--round", ""], ["--round: expected a round id matching"])


def round_ends_with_newline(tmp):
    return Case(["tables", "--round", "2016\n"], ["--round: value '2016\\n'", "round id matching"])


def round_starts_with_dash(tmp):
    return Case(["tables", "--round=-2016"], ["--round: value '-2016'", "round id matching"])


def run_round_absolute_path(tmp):
    folder = good_round(tmp, "elsewhere")  # the old code built a site inside this folder
    return Case(["run", "--round", folder], ["--round: value", "never a path"])


def run_round_climbs_to_repository(tmp):
    return Case(["run", "--round", f"../../{MARKER}"], [f"--round: value '../../{MARKER}'", "never a path"])


def unknown_round(tmp):
    good_round(tmp, "r")
    return Case(["tables", "--round", "nosuch", "--data", rounds_dir(tmp)],
                ["rounds/nosuch: there is no round 'nosuch' (known rounds: r)"])


def data_folder_missing(tmp):
    return Case(["tables", "--round", "r", "--data", tmp / "no-such-folder"],
                ["no-such-folder: expected an existing folder holding round folders"])


def round_folder_links_outside_data(tmp):
    rounds_dir(tmp).mkdir()
    real = responses_round(tmp / "outside" / "r", valid_rows(6))
    (rounds_dir(tmp) / "r").symlink_to(real, target_is_directory=True)
    return Case(["tables", "--round", "r", "--data", rounds_dir(tmp)],
                ["rounds/r: the round folder is a symbolic link leading outside the data folder", "it was not read"])


def previous_round_is_a_path(tmp):
    folder = meta_round(tmp, good_meta_text(previous_round="../2016"))
    return Case(["validate", folder],
                ["round.yaml: field 'previous_round' is '../2016'; expected a round id", "never a path"])


def previous_round_is_absolute_in_run(tmp):
    meta_round(tmp, good_meta_text(previous_round="/etc"))
    return Case(["run", "--round", "r", "--data", rounds_dir(tmp)],
                ["round.yaml: field 'previous_round' is '/etc'; expected a round id", "never a path"])


# --- symbolic links ----------------------------------------------------------------------------------

def responses_links_outside(tmp):
    folder = good_round(tmp)
    (folder / "responses.csv").unlink()
    (folder / "responses.csv").symlink_to(secret_file(tmp))
    return Case(["validate", folder], ["r/responses.csv: the file is a symbolic link leading outside the round folder; it was not read"])


def responses_links_to_etc_passwd(tmp):
    folder = good_round(tmp)
    (folder / "responses.csv").unlink()
    (folder / "responses.csv").symlink_to("/etc/passwd")
    return Case(["validate", folder], ["r/responses.csv: the file is a symbolic link leading outside the round folder; it was not read"])


def metadata_links_outside(tmp):
    folder = good_round(tmp)
    outside = secret_file(tmp).parent / "round.yaml"
    outside.write_text(good_meta_text() + f"# {SECRET}\n", encoding="utf-8")
    (folder / "round.yaml").unlink()
    (folder / "round.yaml").symlink_to(outside)
    return Case(["validate", folder], ["r/round.yaml: the file is a symbolic link leading outside the round folder; it was not read"])


def counts_link_outside(tmp):
    folder = counts_round(rounds_dir(tmp) / "c", ["chair_background,association,16,30,stated,fig 1"])
    (folder / "counts.csv").unlink()
    (folder / "counts.csv").symlink_to(secret_file(tmp))
    return Case(["validate", folder], ["c/counts.csv: the file is a symbolic link leading outside the round folder; it was not read"])


def run_with_responses_linking_outside(tmp):
    folder = good_round(tmp)
    (folder / "responses.csv").unlink()
    (folder / "responses.csv").symlink_to(secret_file(tmp))
    return Case(["run", "--round", "r", "--data", rounds_dir(tmp), "--out", tmp / "site"],
                ["r/responses.csv: the file is a symbolic link leading outside the round folder; it was not read"])


def responses_is_a_link_loop(tmp):
    folder = good_round(tmp)
    (folder / "responses.csv").unlink()
    (folder / "responses.csv").symlink_to("responses.csv")
    return Case(["validate", folder], ["r/responses.csv: the file is a symbolic link that loops; it was not read"])


def responses_is_a_folder(tmp):
    folder = good_round(tmp)
    (folder / "responses.csv").unlink()
    (folder / "responses.csv").mkdir()
    return Case(["validate", folder], ["r/responses.csv: this is a folder or a special file, not a regular file"])


def responses_is_a_fifo(tmp):
    folder = good_round(tmp)
    (folder / "responses.csv").unlink()
    os.mkfifo(folder / "responses.csv")  # reading it would wait for ever
    return Case(["validate", folder], ["r/responses.csv: this is a folder or a special file, not a regular file"])


# --- encodings ---------------------------------------------------------------------------------------

def utf16_with_bom_truncated(tmp):
    raw = b"\xff\xfe" + csv_bytes(valid_rows(6), "utf-16-le")[:-1]
    return data_round(tmp, raw, ["responses.csv, row 7: the file has an odd number of bytes, so its last utf-16 character is cut off: it looks truncated"])


def utf16_without_bom_truncated(tmp):
    raw = csv_bytes(valid_rows(6), "utf-16-le")[:-3]  # cuts the newline and half a character of row 7
    return data_round(tmp, raw, ["responses.csv, row 7: the file has an odd number of bytes, so its last utf-16-le (no byte-order mark) character is cut off: it looks truncated"])


def utf8_truncated_inside_a_letter(tmp):
    raw = csv_bytes(rows_with(7, "Køge"))
    raw = raw[:raw.index("ø".encode()) + 1]  # the file ends after the first of ø's two bytes
    return data_round(tmp, raw, ["responses.csv, row 7: the file ends in the middle of a character (byte 0xC3), so it looks truncated"])


def utf8_mixed_with_cp1252(tmp):
    raw = csv_bytes(rows_with(3, "Køge")).replace(b"text 4", "Århus".encode("cp1252"))  # row 5
    return data_round(tmp, raw, ["responses.csv, row 5: byte 0xC5 on this line is not UTF-8", "mixes UTF-8 and Windows-1252"])


def undecodable_bytes(tmp):
    raw = csv_bytes(rows_with(4, "Müller"), "cp850")  # ü is 0x81, which Windows-1252 does not define
    return data_round(tmp, raw, ["responses.csv, row 4: this file is in none of the encodings tried", "UTF-16", "byte 0x81 on this line is not Windows-1252"])


def utf32_with_bom(tmp):
    raw = csv_bytes(valid_rows(6), "utf-32")
    return data_round(tmp, raw, ["responses.csv: this file is UTF-32 (by its byte-order mark)"])


def mojibake_cafe(tmp):
    raw = csv_bytes(rows_with(4, "Mødet på CafÃ© Nord"))
    return data_round(tmp, raw, ["responses.csv, row 4, column 'focus_areas_other_text': value 'CafÃ©'",
                                   "'Café'", "UTF-8 encoded twice"])


def mojibake_dash(tmp):
    raw = csv_bytes(rows_with(6, "2016 â€“ 2017"))
    return data_round(tmp, raw, ["responses.csv, row 6, column 'focus_areas_other_text': value 'â€“'",
                                   "'–'", "UTF-8 encoded twice"])


def mojibake_capital_aa(tmp):
    raw = csv_bytes(rows_with(2, "Ã…rhus"))  # Å: the case ftfy misses
    return data_round(tmp, raw, ["responses.csv, row 2, column 'focus_areas_other_text': value 'Ã…rhus'",
                                   "UTF-8 encoded twice"])


def nul_byte_in_a_field(tmp):
    raw = csv_bytes(rows_with(5, "text\x00five"))
    return data_round(tmp, raw, ["responses.csv, row 5, column 'focus_areas_other_text'", "U+0000"])


def binary_file(tmp):
    raw = b"\x7fELF\x02\x01\x01\x00" + random.Random(10).randbytes(4000)
    return data_round(tmp, raw, ["responses.csv: this file holds binary data"])


def xlsx_under_csv_name(tmp):
    path = tmp / "book.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    raw = path.read_bytes()
    path.unlink()
    return data_round(tmp, raw, ["responses.csv: not a CSV text file: this is an .xlsx file; name it responses.xlsx",
                                 "or save it as CSV"])


def ods_under_csv_name(tmp):
    path = tmp / "book.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # stored first, as ODF wants
        book.writestr("content.xml", "<office:document-content/>")
    raw = path.read_bytes()
    path.unlink()
    return data_round(tmp, raw, ["responses.csv: not a CSV text file: this is an .ods file; name it responses.ods",
                                 "or save it as CSV"])


def xls_under_csv_name(tmp):
    raw = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return data_round(tmp, raw, ["responses.csv: not a CSV text file: this is an .xls file; save it as CSV"])


# --- survey vendors' workbooks and SPSS files (tests/vendor_files.py writes them) -------------------------

def vendor_case(tmp: Path, suffix: str, raw: bytes, says: list[str], **meta) -> Case:
    """A round whose responses come as ``responses<suffix>`` (6 rows stated in round.yaml), checked with validate."""
    folder = rounds_dir(tmp) / "r"
    write_meta(folder, "responses", 6, **meta)
    (folder / f"responses{suffix}").write_bytes(raw)
    return Case(["validate", folder], says)


def column_of(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(HEADER.index(name) + 1)


def encrypted_workbook(tmp):
    raw = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(3).randbytes(4000)  # what Excel's "Encrypt" saves
    return vendor_case(tmp, ".xlsx", raw, ["responses.xlsx: expected", "encrypted (password-protected)",
                                           "without a password"])


def corrupt_workbook(tmp):
    raw = xlsx_bytes(HEADER, valid_rows(6))
    return vendor_case(tmp, ".xlsx", raw[:len(raw) // 2], ["responses.xlsx: expected", "a readable .xlsx workbook",
                                                           "damaged"])


def formula_without_its_value(tmp):
    def formula(ws):
        ws[f"{column_of('chair_background')}4"] = '=IF(1,"politician","")'  # openpyxl saves no computed value

    return vendor_case(tmp, ".xlsx", xlsx_bytes(HEADER, valid_rows(6), edit=formula), [
        f"responses.xlsx, sheet 'Data', cell {column_of('chair_background')}4, row 4: "
        "value '=IF(1,\"politician\",\"\")'", "a formula saved without its computed value"])


def merged_cells(tmp):
    return vendor_case(tmp, ".xlsx", xlsx_bytes(HEADER, valid_rows(6), edit=lambda ws: ws.merge_cells("B5:C5")),
                       ["responses.xlsx, sheet 'Data', cells B5:C5, row 5: value 'B5:C5'", "no merged cells"])


def hidden_row_and_column(tmp):
    def hide(ws):
        ws.row_dimensions[6].hidden = True
        ws.column_dimensions["D"].hidden = True

    return vendor_case(tmp, ".xlsx", xlsx_bytes(HEADER, valid_rows(6), edit=hide), [
        "responses.xlsx, sheet 'Data', row 6: value 'row 6'; expected no hidden rows",
        "responses.xlsx, sheet 'Data', column D: value 'column D'; expected no hidden columns"])


def sheet_named_in_round_yaml_is_missing(tmp):
    return vendor_case(tmp, ".xlsx", xlsx_bytes(HEADER, valid_rows(6)), [
        "round.yaml", "column 'sheet': value 'Svar'", "the workbook has 'Data'"], sheet="Svar")


def first_sheet_is_not_the_table(tmp):
    def notes_first(ws):
        ws.parent.create_sheet("Info", 0)["A1"] = "Leveret af analysebureauet, 2025"

    return vendor_case(tmp, ".xlsx", xlsx_bytes(HEADER, valid_rows(6), sheet="Svar", edit=notes_first), [
        "responses.xlsx, sheet 'Info'", "the first sheet holds no column of the codebook, sheet 'Svar' does",
        'sheet: "Svar"'])


def date_and_logical_among_codes(tmp):
    import datetime

    def mixed(ws):
        ws[f"{column_of('council_size')}3"] = datetime.date(2025, 11, 15)  # "11-15" typed, Excel made it a date
        ws[f"{column_of('own_budget')}4"] = True

    return vendor_case(tmp, ".xlsx", xlsx_bytes(HEADER, valid_rows(6), edit=mixed), [
        f"cell {column_of('council_size')}3, row 3, column 'council_size': value '2025-11-15 00:00:00'",
        "not a date or time", f"cell {column_of('own_budget')}4, row 4, column 'own_budget': value 'True'",
        "not a logical TRUE/FALSE cell"])


def ods_answer_not_in_codebook(tmp):
    rows = valid_rows(6)
    rows[3]["influence"] = "enorm"  # row 5
    return vendor_case(tmp, ".ods", ods_bytes(HEADER, rows), [
        f"responses.ods, sheet 'Data', cell {column_of('influence')}5, row 5, column 'influence': value 'enorm'",
        "expected one of large, some, small, none, dont_know"])


def spss_label_not_in_codebook(tmp):
    raw = sav_bytes(HEADER, valid_rows(6), labels="da",
                    variable_value_labels={"consulted": {1.0: "Ofte", 2.0: "Af og til", 3.0: "Sjældent", 4.0: "Aldrig",
                                                         5.0: "Måske"}})
    return vendor_case(tmp, ".sav", raw, [
        "responses.sav, column 'consulted': value \"5 = 'Måske'\"", "labels 5 'Måske', which the codebook does not know",
        "1 case holds it"])


def spss_in_another_encoding_than_it_declares(tmp):
    rows = valid_rows(6)
    rows[2]["focus_areas_other_text"] = "Køge"
    raw = sav_bytes(HEADER, rows)
    assert raw.count("Køge".encode()) == 1
    raw = raw.replace("Køge".encode(), b"K\xf8ge ")  # the same text in Windows-1252, still marked UTF-8
    return vendor_case(tmp, ".sav", raw, ["responses.sav: expected",
                                          "text in the character encoding the file declares (UTF-8)",
                                          "Export it again from SPSS with Unicode (UTF-8) switched on"])


def csv_named_sav(tmp):
    return vendor_case(tmp, ".sav", csv_bytes(valid_rows(6)), ["responses.sav: value 'resp'",
                                                               "no SPSS data file", "responses.csv"])


def csv_and_workbook_side_by_side(tmp):
    folder = rounds_dir(tmp) / "r"
    case = vendor_case(tmp, ".xlsx", xlsx_bytes(HEADER, valid_rows(6)), [
        "value 'responses.csv, responses.xlsx'; expected one responses file in the round folder (found 2"])
    (folder / "responses.csv").write_bytes(csv_bytes(valid_rows(6)))
    return case


# --- delimiters and quoting -----------------------------------------------------------------------------

def unclosed_quote_at_end(tmp):
    lines = csv_text(HEADER, valid_rows(6)).splitlines()
    lines[6] = lines[6].replace(",text 6,", ',"text 6,')  # row 7, the last: the quote never closes
    return data_round(tmp, ("\n".join(lines) + "\n").encode(), ["responses.csv, row 7: a quote (\") opened in this row is never closed"])


def unclosed_quote_swallowing_rows(tmp):
    lines = csv_text(HEADER, valid_rows(6)).splitlines()
    lines[2] = lines[2].replace(",text 2,", ',"text 2,')  # row 3: every row below it would vanish into one field
    return data_round(tmp, ("\n".join(lines) + "\n").encode(), ["responses.csv, row 3: a quote (\") opened in this row is never closed"])


def text_after_closing_quote(tmp):
    lines = csv_text(HEADER, valid_rows(6)).splitlines()
    lines[3] = lines[3].replace(",text 3,", ',"text 3"x,')  # row 4
    return data_round(tmp, ("\n".join(lines) + "\n").encode(), ["responses.csv, row 4: the quoting of this row is broken"])


def header_semicolons_rows_commas(tmp):
    text = csv_text(HEADER, valid_rows(6))
    header, rest = text.split("\n", 1)
    raw = (header.replace(",", ";") + "\n" + rest).encode()
    return data_round(tmp, raw, ["responses.csv, row 2: this row has 1 field and the header 31", "the row begins 'r001,"])


# --- sizes -----------------------------------------------------------------------------------------------

def field_of_a_million_characters(tmp):
    raw = csv_bytes(rows_with(3, "x" * 1_000_000))
    return data_round(tmp, raw, ["responses.csv, row 3: column 'focus_areas_other_text' holds 1,000,000 characters, more than the 32,767 "
                                   "a spreadsheet cell holds"])


def data_file_over_the_limit(tmp):
    folder = good_round(tmp)
    with (folder / "responses.csv").open("r+b") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk, and must not be read
    return Case(["validate", folder], ["r/responses.csv: the file has 65 MiB, more than the 64 MiB it may have; it was not read"])


def metadata_over_the_limit(tmp):
    folder = meta_round(tmp, good_meta_text() + ("# padding\n" * 7000))
    return Case(["validate", folder], ["r/round.yaml: the file has", "more than the 64 KiB it may have"])


# --- metadata --------------------------------------------------------------------------------------------

def metadata_not_utf8(tmp):
    folder = meta_round(tmp, good_meta_text(title_da="Rådet").encode("cp1252"))  # title_da is line 3
    return Case(["validate", folder], ["round.yaml, row 3: byte 0xE5 is not UTF-8; save round.yaml as UTF-8"])


def metadata_billion_laughs(tmp):
    lines = ['lol0: &lol0 "lol"'] + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 10)]
    folder = meta_round(tmp, "\n".join(lines) + "\n")  # the first alias is on line 2
    return Case(["validate", folder], ["round.yaml, row 2: this is not readable YAML: an alias"])


def metadata_nested_too_deep(tmp):
    folder = meta_round(tmp, "title_en: " + "[" * 20000 + "]" * 20000 + "\n")
    return Case(["validate", folder], ["round.yaml: this is not readable YAML: nested too deeply"])


def metadata_huge_number(tmp):
    folder = meta_round(tmp, good_meta_text().replace("responses: 6", "responses: " + "9" * 5000))
    return Case(["validate", folder], ["round.yaml: this is not readable YAML", "4300 digits"])


def metadata_python_tag(tmp):
    marker = tmp / "outside" / "created-by-yaml"
    text = good_meta_text() + f"source: !!python/object/apply:os.system ['mkdir -p {marker}']\n"
    folder = meta_round(tmp, text.replace("source: made up for the tests\n", ""))
    return Case(["validate", folder], ["round.yaml, row 8: this is not readable YAML", "python/object/apply"])


def metadata_wrong_types(tmp):
    folder = meta_round(tmp, good_meta_text(councils_asked="forty", fictional="yes"))
    return Case(["validate", folder], ["round.yaml: field 'councils_asked' is 'forty'; expected a whole number",
                                       "round.yaml: field 'fictional' is 'yes'; expected true or false"])


def metadata_is_a_list(tmp):
    folder = meta_round(tmp, "- round\n- r\n")
    return Case(["validate", folder], ["round.yaml: the file holds ['round', 'r'] instead of fields"])


def metadata_with_nul(tmp):
    folder = meta_round(tmp, good_meta_text() + "note: a\x00b\n")
    return Case(["validate", folder], ["round.yaml: this is not readable YAML", "unacceptable character #x0000"])


def terminal_escape_in_header(tmp):
    header = HEADER + ["evil\x1b[2J"]
    rows = [dict(row, **{"evil\x1b[2J": "1"}) for row in valid_rows(6)]
    raw = csv_text(header, rows).encode()  # 31 columns of the codebook, then this one
    return data_round(tmp, raw, ["responses.csv, row 1, column 'column 32': value 'evil\\x1b[2J'",
                                 "control characters"])


def terminal_escape_in_folder_name(tmp):
    folder = responses_round(rounds_dir(tmp) / "evil\x1b[2J", valid_rows(6))
    return Case(["validate", folder], ["evil\\x1b[2J is not a valid round",
                                       "evil\\x1b[2J/round.yaml: field 'round' is 'evil\\x1b[2J'"])


CASES: list[Callable[[Path], Case]] = [
    round_is_absolute_path, round_escapes_data_folder, round_climbs_to_repository, round_has_a_slash,
    round_is_a_dot, round_is_two_dots, round_is_empty, round_ends_with_newline, round_starts_with_dash,
    run_round_absolute_path, run_round_climbs_to_repository, unknown_round, data_folder_missing,
    round_folder_links_outside_data, previous_round_is_a_path, previous_round_is_absolute_in_run,
    responses_links_outside, responses_links_to_etc_passwd, metadata_links_outside, counts_link_outside,
    run_with_responses_linking_outside, responses_is_a_link_loop, responses_is_a_folder, responses_is_a_fifo,
    utf16_with_bom_truncated, utf16_without_bom_truncated, utf8_truncated_inside_a_letter,
    utf8_mixed_with_cp1252, undecodable_bytes, utf32_with_bom, mojibake_cafe, mojibake_dash,
    mojibake_capital_aa, nul_byte_in_a_field, binary_file, xlsx_under_csv_name, ods_under_csv_name,
    xls_under_csv_name, unclosed_quote_at_end, unclosed_quote_swallowing_rows, text_after_closing_quote,
    header_semicolons_rows_commas, field_of_a_million_characters, data_file_over_the_limit,
    metadata_over_the_limit, metadata_not_utf8, metadata_billion_laughs, metadata_nested_too_deep,
    metadata_huge_number, metadata_python_tag, metadata_wrong_types, metadata_is_a_list, metadata_with_nul,
    terminal_escape_in_header, terminal_escape_in_folder_name,
    encrypted_workbook, corrupt_workbook, formula_without_its_value, merged_cells, hidden_row_and_column,
    sheet_named_in_round_yaml_is_missing, first_sheet_is_not_the_table, date_and_logical_among_codes,
    ods_answer_not_in_codebook, spss_label_not_in_codebook, spss_in_another_encoding_than_it_declares, csv_named_sav,
    csv_and_workbook_side_by_side,
]


def tree_state(root: Path) -> dict[str, object]:
    """Every entry under ``root``: the bytes of each folder's files (folder_bytes), links by their target."""
    state: dict[str, object] = {}
    for folder in [root, *sorted(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        state[str(folder)] = folder_bytes(folder)
        for entry in folder.iterdir():
            state[f"{entry}:kind"] = os.readlink(entry) if entry.is_symlink() else entry.lstat().st_mode
    return state


def repository_paths() -> set[Path]:
    skip = {".git", ".venv", "_build"}
    paths = set()
    for folder, folders, files in os.walk(REPO):  # never descends into the skipped folders (.venv alone is huge)
        folders[:] = [f for f in folders if f not in skip]
        paths.update(Path(folder, name) for name in folders + files if name not in skip)
    return paths


@pytest.mark.parametrize("make_case", CASES, ids=lambda f: f.__name__)
def test_hostile_input_is_refused_and_changes_nothing(tmp_path, make_case):
    case = make_case(tmp_path)
    before, repo_before = tree_state(tmp_path), repository_paths()
    build_before = set((REPO / "_build" / "rounds").glob("*")) if (REPO / "_build" / "rounds").exists() else set()

    result = run_cli(*case.args)

    assert result.returncode == case.exit, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr and "error:" not in result.stderr, result.stderr
    assert result.stdout == ""
    for part in case.says:
        assert part in result.stderr, f"{part!r} not in:\n{result.stderr}"
    assert "SECRET" not in result.stdout + result.stderr
    assert "root:" not in result.stdout + result.stderr  # /etc/passwd's first line
    assert "\x1b" not in result.stderr, "a control character reached the terminal"
    assert tree_state(tmp_path) == before, "a file was changed, added or removed"
    new_paths = repository_paths() - repo_before
    assert not [p for p in new_paths if MARKER in str(p) or str(tmp_path) in str(p)], new_paths
    assert not (REPO / MARKER).exists()
    build_after = set((REPO / "_build" / "rounds").glob("*")) if (REPO / "_build" / "rounds").exists() else set()
    assert not [p for p in build_after - build_before if "elsewhere" in p.name or MARKER in p.name]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30 and len(set(CASES)) == len(CASES)


# --- what still works, and the id rule where no command line is involved ------------------------------------

def test_utf16_without_bom_is_read(tmp_path):
    """The one choice the brief left open: UTF-16 without a byte-order mark is detected and decoded."""
    for codec in ("utf-16-le", "utf-16-be"):
        folder = responses_round(tmp_path / codec, raw=csv_bytes(rows_with(3, "Ærø og Åbyhøj"), codec), responses=6)
        before = folder_bytes(folder)
        result = run_cli("validate", folder)
        assert result.returncode == 0, result.stderr
        assert "OK" in result.stdout and "6 respondent rows" in result.stdout
        assert folder_bytes(folder) == before


def test_link_inside_the_round_folder_is_followed(tmp_path):
    folder = good_round(tmp_path)
    (folder / "responses-2025-03.csv").write_bytes((folder / "responses.csv").read_bytes())
    (folder / "responses.csv").unlink()
    (folder / "responses.csv").symlink_to("responses-2025-03.csv")  # stays inside the folder
    result = run_cli("validate", folder)
    assert result.returncode == 0, result.stderr
    assert "6 respondent rows" in result.stdout


def test_data_folder_is_said_once_on_stderr(tmp_path):
    good_round(tmp_path)
    result = run_cli("tables", "--round", "r", "--data", rounds_dir(tmp_path) / ".." / "rounds")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"data folder: {rounds_dir(tmp_path).resolve()} (from --data)\n"
    assert result.stdout.startswith("question,category,kind,count,base,share")


def test_default_data_folder_is_not_mentioned():
    result = run_cli("tables", "--round", "2016")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_danish_text_is_not_taken_for_mojibake(tmp_path):
    # "é”", "Å–" and "ø–" have the shape of UTF-8 read as Windows-1252; ftfy tells them apart
    text = "På Ærø og i Åbyhøj – “Borgermøde på Café” om Vejle Å–projektet, 5 °C, 1½ time"
    folder = responses_round(tmp_path / "r", rows_with(2, text))
    result = run_cli("validate", folder)
    assert result.returncode == 0, result.stderr


def test_cp1252_capitals_before_curly_quotes_are_not_a_mix(tmp_path):
    """In Windows-1252, "Ø”" and "Ø–" are the bytes D8 94 and D8 96, which are also a UTF-8 sequence."""
    text = "Borgermøde på “FANØ” og FANØ–RØMØ"
    raw = csv_bytes(rows_with(4, text), "cp1252")
    assert b"\xd8\x94" in raw and b"\xd8\x96" in raw
    folder = responses_round(tmp_path / "r", raw=raw, responses=6)
    result = run_cli("validate", folder)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("round_id", ["a\x00b", "../2016", "/tmp", "2016/..", "", ".", 2016.0, None],
                         ids=["nul", "parent", "absolute", "slash", "empty", "dot", "float", "none"])
def test_load_round_refuses_what_is_not_an_id(round_id):
    """Chapters call load_round directly: the id rule holds there too, before anything is read."""
    with pytest.raises(DataError) as caught:
        load_round(round_id)
    (problem,) = caught.value.problems
    assert problem.file == "round id" and "never a path" in problem.expected


def test_nul_in_round_argument_is_refused_in_process(capsys):
    """A NUL cannot pass through a real command line; through main() it is refused like any other."""
    assert cli.main(["tables", "--round", "20\x0016"]) == cli.EXIT_BAD_DATA
    err = capsys.readouterr().err
    assert "--round: value '20\\x0016'" in err and "never a path" in err
