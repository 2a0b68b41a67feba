"""Problem messages, word for word: a sample of what `validate` says, each written out by hand.

Each message begins with what is wrong, in the terms of the file it is about (a field of round.yaml,
a column or a cell of a CSV file, a block of commentary), and ends with what to do or what was
expected. None says "empty value" about something that is not an empty cell, and none passes on a
JSON Schema library's own wording.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from councils import commentary
from councils.codebook import CODEBOOK_PATH, parse_codebook
from councils.errors import DataError
from councils.validate import check_round, response_columns
from councils.codebook import load_codebook

from conftest import counts_round, responses_round, valid_rows

HEADER = response_columns(load_codebook())


def messages(folder: Path) -> list[str]:
    """What validate lists for a round folder, with the folder's own path taken off the front."""
    _, _, problems = check_round(folder)
    return [str(p).replace(f"{folder}/", "") for p in problems]


def edit_meta(folder: Path, **changes) -> None:
    path = folder / "round.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            del meta[key]
        else:
            meta[key] = value
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_unknown_field_is_named_with_the_closest_known_one(tmp_path):
    folder = responses_round(tmp_path / "r")
    edit_meta(folder, respondants="The chair answered")
    assert messages(folder) == ["round.yaml: unknown field 'respondants' in round.yaml; did you mean 'respondents_en'?"]


def test_an_unknown_field_like_no_known_one_lists_the_fields(tmp_path):
    folder = responses_round(tmp_path / "r")
    edit_meta(folder, colour="blue")
    (message,) = messages(folder)
    assert message.startswith("round.yaml: unknown field 'colour' in round.yaml (its fields: round, title_en, "
                              "title_da, fictional, data, "), message


def test_a_missing_column_is_said_so(tmp_path):
    header = [c for c in HEADER if c != "influence"]
    folder = responses_round(tmp_path / "r", valid_rows(6), header=header)
    assert messages(folder) == ["responses.csv: column 'influence' is missing"]


def test_a_misspelt_column_is_named_with_the_closest_one(tmp_path):
    header = ["influense" if c == "influence" else c for c in HEADER]
    rows = [{("influense" if k == "influence" else k): v for k, v in row.items()} for row in valid_rows(6)]
    folder = responses_round(tmp_path / "r", rows, header=header)
    assert sorted(messages(folder)) == ["responses.csv: column 'influence' is missing",
                                        "responses.csv: unknown column 'influense'; did you mean 'influence'?"]


def test_a_missing_required_field_is_named_with_what_it_is_for(tmp_path):
    folder = responses_round(tmp_path / "r")
    edit_meta(folder, councils_asked=None)
    assert messages(folder) == [
        "round.yaml: field 'councils_asked' is missing from round.yaml; it is required (The population the "
        "intervals speak about: the councils the questionnaire was sent to)"]


def test_a_value_of_the_wrong_type_says_what_the_field_takes(tmp_path):
    folder = responses_round(tmp_path / "r")
    edit_meta(folder, councils_asked="forty", fictional="yes")
    assert sorted(messages(folder)) == ["round.yaml: field 'councils_asked' is 'forty'; expected a whole number",
                                        "round.yaml: field 'fictional' is 'yes'; expected true or false"]


def test_an_empty_cell_is_called_empty(tmp_path):
    rows = valid_rows(6)
    rows[3]["respondent_id"] = ""
    assert messages(responses_round(tmp_path / "r", rows)) == [
        "responses.csv, row 5: column 'respondent_id' is empty; expected a respondent id in every row"]


def test_a_danish_label_instead_of_a_code(tmp_path):
    rows = valid_rows(6)
    rows[0]["own_budget"] = "Ja"
    assert messages(responses_round(tmp_path / "r", rows)) == [
        "responses.csv, row 2, column 'own_budget': value 'Ja'; expected one of yes, no, not_stated, or empty "
        "for no answer ('Ja' is the Danish label of 'yes': write the code)"]


def test_a_count_above_its_base(tmp_path):
    folder = counts_round(tmp_path / "c", ["chair_background,association,31,30,stated,section 2.1"])
    assert messages(folder) == [
        "counts.csv, row 2, column 'count': value '31'; expected at most the base, 30",
        "counts.csv, row 2, column 'count': value '31'; expected the counts of 'chair_background' to add up to at "
        "most 30"]


def test_the_round_field_and_the_folder_disagree(tmp_path):
    folder = responses_round(tmp_path / "2021", round="2020")
    assert messages(folder) == ["round.yaml: field 'round' is '2020', but the round's folder is named '2021'; "
                                "the two must be the same"]


def test_rows_and_the_responses_field_disagree(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(6), responses=7)
    assert messages(folder) == ["round.yaml: field 'responses' is 7, but responses.csv has 6 rows; the two must agree"]


def test_a_spreadsheet_under_a_csv_name(tmp_path):
    book = tmp_path / "book.xlsx"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    folder = responses_round(tmp_path / "r", raw=book.read_bytes(), responses=6)
    assert messages(folder) == ["responses.csv: not a CSV text file: this is an .xlsx file; name it responses.xlsx "
                                "(workbooks are read as they are), or save it as CSV (in the spreadsheet program: "
                                "Save As, CSV UTF-8)"]


def test_an_empty_file(tmp_path):
    folder = responses_round(tmp_path / "r", raw=b"", responses=6)
    assert messages(folder) == ["responses.csv: the file is empty; expected a header row and at least one data row"]


def test_a_missing_round_yaml(tmp_path):
    folder = responses_round(tmp_path / "r")
    (folder / "round.yaml").unlink()
    assert messages(folder) == ["round.yaml: the round's folder has no round.yaml; every round needs one "
                                "(data/README.md lists its fields)"]


def test_an_unknown_commentary_section_is_named_with_the_closest_one():
    _, problems = commentary.parse(Path("commentary/en.md"), ":::{commentary} organisation.budgets\nText.\n:::\n")
    assert [str(p) for p in problems] == [
        "commentary/en.md, row 1: unknown section 'organisation.budgets'; did you mean 'organisation.budget'? "
        "(data/README.md lists the sections the chapters show)"]


def test_an_unknown_codebook_field_is_named_with_the_closest_one():
    raw = yaml.safe_load(CODEBOOK_PATH.read_text(encoding="utf-8"))
    raw["questions"][0]["wordng"] = raw["questions"][0].pop("wording")
    with pytest.raises(DataError) as caught:
        parse_codebook(raw)
    shown = sorted(str(p).replace(f"{CODEBOOK_PATH}: ", "") for p in caught.value.problems)
    assert shown == ["field 'wording' is missing from questions/0 of codebook.yaml; it is required (where the "
                     "wording comes from: a phrase appendix A translates, or {en, da})",
                     "unknown field 'wordng' in questions/0 of codebook.yaml; did you mean 'wording'?"]


def test_no_message_passes_on_the_schema_library_s_words(tmp_path):
    folder = responses_round(tmp_path / "r")
    edit_meta(folder, respondants="x", councils_asked=None, fictional="yes", data="spreadsheet")
    said = "\n".join(messages(folder))
    for words in ("Additional properties", "is a required property", "is not of type", "is not one of",
                  "empty value"):
        assert words not in said, said
    assert "field 'data' is 'spreadsheet'; expected one of published_counts, responses" in said
