"""Bad round folders: each is rejected with a message naming the row, the column and the value.

Every folder is built in tmp_path. Respondent-level files start from valid rows generated from the
codebook (tests/conftest.py) and break one thing; counts files start from a small valid set of
published counts. Each bad folder goes through ``python -m councils validate`` (exit 1, the problems
on stderr, no traceback) and through ``validate_round`` (the Problem records), and its files must be
byte-for-byte the same afterwards.
"""

import pytest
import yaml

from councils.codebook import load_codebook
from councils.errors import Problem
from councils.validate import check_round, read_responses, response_columns, validate_round
from councils.rounds import Round

from conftest import counts_round, csv_text, folder_bytes, responses_round, run_cli, valid_rows

HEADER = response_columns(load_codebook())

# A valid counts.csv (responses: 30): options, a group with members, a complement pair.
GOOD_COUNTS = [
    "chair_background,association,16,30,stated,fig 1",              # row 2
    "chair_background,politician,8,30,stated,fig 1",                # row 3
    "influence,large,12,30,stated,fig 9",                           # row 4
    "influence,some,8,30,stated,fig 9",                             # row 5
    "influence,large_or_some,20,30,stated,fig 9",                   # row 6
    "cooperation_municipal_board,satisfied,24,30,stated,fig 7",     # row 7
    "cooperation_municipal_board,not_satisfied,6,30,remainder,fig 7",  # row 8
    "focus_areas,employment,16,30,stated,fig 6",                    # row 9
]


def with_line(row: int, line: str) -> list[str]:
    """GOOD_COUNTS with spreadsheet row ``row`` (2 = first data row) replaced."""
    lines = list(GOOD_COUNTS)
    lines[row - 2] = line
    return lines


def rejected(folder) -> tuple[list[Problem], str]:
    """Validate a bad folder both ways; return (problems, stderr) after the common checks."""
    before = folder_bytes(folder)
    result = run_cli("validate", folder)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    problems = validate_round(folder)
    assert problems, "validate_round finds the problem too"
    for p in problems:  # stderr lists every problem
        assert str(p) in result.stderr
    assert f"{len(problems)} problem" in result.stderr
    assert folder_bytes(folder) == before, "validation never changes a file"
    return problems, result.stderr


def accepted(folder) -> tuple[Round, object]:
    before = folder_bytes(folder)
    result = run_cli("validate", folder)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout and "Traceback" not in result.stderr
    rnd, frame, problems = check_round(folder)
    assert problems == []
    assert folder_bytes(folder) == before
    return rnd, frame


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


# --- the good cases the bad ones start from ------------------------------------------------------

def test_generated_rows_are_valid(tmp_path):
    rnd, frame = accepted(responses_round(tmp_path / "good", valid_rows(12)))
    assert len(frame) == 12
    assert list(frame.columns) == HEADER


def test_good_counts_are_valid(tmp_path):
    rnd, frame = accepted(counts_round(tmp_path / "good", GOOD_COUNTS))
    assert len(frame) == len(GOOD_COUNTS)


# --- respondent-level files -----------------------------------------------------------------------

def test_unknown_option_code(tmp_path):
    rows = valid_rows(6)
    rows[2]["chair_background"] = "mayor"  # third data row = spreadsheet row 4
    problems, stderr = rejected(responses_round(tmp_path / "r", rows))
    p = only(problems)
    assert (p.row, p.column, p.value) == (4, "chair_background", "mayor")
    assert "association" in p.expected  # the allowed codes are named
    assert "row 4" in stderr and "'chair_background'" in stderr and "'mayor'" in stderr


def test_danish_label_instead_of_code(tmp_path):
    rows = valid_rows(6)
    rows[0]["own_budget"] = "Ja"
    problems, stderr = rejected(responses_round(tmp_path / "r", rows))
    p = only(problems)
    assert (p.row, p.column, p.value) == (2, "own_budget", "Ja")
    assert "'yes'" in p.expected
    assert "row 2" in stderr and "'own_budget'" in stderr and "'Ja'" in stderr and "'yes'" in stderr


def test_missing_column(tmp_path):
    header = [c for c in HEADER if c != "council_size"]
    problems, stderr = rejected(responses_round(tmp_path / "r", valid_rows(6), header=header))
    p = only(problems)
    assert p.column == "council_size"
    assert "missing" in p.expected
    assert "'council_size'" in stderr and "missing" in stderr


def test_unknown_extra_column(tmp_path):
    rows = valid_rows(6)
    for row in rows:
        row["mayor_party"] = "V"
    problems, stderr = rejected(responses_round(tmp_path / "r", rows, header=HEADER + ["mayor_party"]))
    p = only(problems)
    assert p.column == "mayor_party"
    assert "unknown" in p.expected
    assert "'mayor_party'" in stderr and "unknown" in stderr


def test_duplicate_respondent_id_names_both_rows(tmp_path):
    rows = valid_rows(6)
    rows[4]["respondent_id"] = rows[1]["respondent_id"]  # rows 3 and 6 both 'r002'
    problems, stderr = rejected(responses_round(tmp_path / "r", rows))
    assert {(p.row, p.column, p.value) for p in problems} == {(3, "respondent_id", "r002"),
                                                              (6, "respondent_id", "r002")}
    assert "row 3" in stderr and "row 6" in stderr and "'r002'" in stderr


def test_blank_respondent_id(tmp_path):
    rows = valid_rows(6)
    rows[3]["respondent_id"] = ""
    problems, stderr = rejected(responses_round(tmp_path / "r", rows))
    p = only(problems)
    assert (p.row, p.column, p.value) == (5, "respondent_id", "")
    assert "row 5: column 'respondent_id' is empty; expected a respondent id in every row" in stderr


def test_more_answers_than_focus_areas_allows(tmp_path):
    rows = valid_rows(6)
    for code in ("employment", "education", "health"):
        rows[0][f"focus_areas.{code}"] = "1"
    for code in ("democratic_participation", "discrimination", "other"):
        rows[0][f"focus_areas.{code}"] = "0"
    problems, stderr = rejected(responses_round(tmp_path / "r", rows))
    p = only(problems)
    assert p.row == 2
    assert "focus_areas.employment" in p.column and "focus_areas.health" in p.column
    assert "3" in p.value and "at most 2" in p.expected
    assert "row 2" in stderr and "focus_areas" in stderr and "at most 2" in stderr


def test_multiple_choice_cell_not_0_or_1(tmp_path):
    rows = valid_rows(6)
    rows[5]["visibility.website"] = "x"
    problems, stderr = rejected(responses_round(tmp_path / "r", rows))
    p = only(problems)
    assert (p.row, p.column, p.value) == (7, "visibility.website", "x")
    assert "row 7" in stderr and "'visibility.website'" in stderr and "'x'" in stderr


@pytest.mark.parametrize("raw", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\r\n\r\n"],
                         ids=["zero-bytes", "utf8-bom-only", "utf16-bom-only", "blank-lines"])
def test_empty_file(tmp_path, raw):
    problems, stderr = rejected(responses_round(tmp_path / "r", raw=raw, responses=6))
    p = only(problems)
    assert p.file.endswith("responses.csv")
    assert "empty" in p.expected
    assert "responses.csv" in stderr and "empty" in stderr


def test_header_only(tmp_path):
    folder = responses_round(tmp_path / "r", text=",".join(HEADER) + "\n", responses=6)
    problems, stderr = rejected(folder)
    assert any(p.file.endswith("responses.csv") and "data row" in p.expected for p in problems)
    assert "data row" in stderr


def test_wrong_field_count_in_one_row(tmp_path):
    lines = csv_text(HEADER, valid_rows(6)).splitlines()
    lines[3] += ",surplus"  # spreadsheet row 4
    problems, stderr = rejected(responses_round(tmp_path / "r", text="\n".join(lines) + "\n", responses=6))
    row_problems = [p for p in problems if p.row is not None]
    p = only(row_problems)
    assert p.row == 4
    assert p.value.startswith("r003")  # the row's own text is shown
    assert f"{len(HEADER)} fields" in p.expected and f"found {len(HEADER) + 1}" in p.expected
    assert "row 4" in stderr


def test_cp1252_with_semicolons_and_danish_letters_is_accepted(tmp_path):
    text = "Ældre, børn og ægtefæller på Ærø; også Østerbro og Åbyhøj"
    rows = valid_rows(6)
    rows[2]["focus_areas_other_text"] = text  # holds both , and ; so it must be quoted
    raw = csv_text(HEADER, rows, delimiter=";").encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really not UTF-8
    folder = responses_round(tmp_path / "r", raw=raw)
    rnd, frame = accepted(folder)
    assert frame.loc[4, "focus_areas_other_text"] == text
    frame2, problems = read_responses(rnd)
    assert problems == [] and frame2.loc[4, "focus_areas_other_text"] == text
    assert frame2.loc[2, "chair_background"] == rows[0]["chair_background"]


def test_cp1252_aeoeaa_read_back_exactly(tmp_path):
    rows = valid_rows(6)
    rows[0]["focus_areas_other_text"] = "æøå ÆØÅ"
    folder = responses_round(tmp_path / "r", raw=csv_text(HEADER, rows, delimiter=";").encode("cp1252"))
    _, frame = accepted(folder)
    assert frame.loc[2, "focus_areas_other_text"] == "æøå ÆØÅ"


def test_double_encoded_utf8_is_rejected(tmp_path):
    rows = valid_rows(6)
    rows[1]["focus_areas_other_text"] = "Integration i Køge"
    good = csv_text(HEADER, rows).encode("utf-8")
    raw = good.decode("cp1252").encode("utf-8")  # read as Windows-1252, saved again as UTF-8
    assert "KÃ¸ge".encode("utf-8") in raw
    problems, stderr = rejected(responses_round(tmp_path / "r", raw=raw))
    p = only(problems)
    assert (p.row, p.column, p.value) == (3, "focus_areas_other_text", "KÃ¸ge")  # the word, in its cell
    assert "twice" in p.expected and "UTF-8" in p.expected and "'Køge'" in p.expected
    assert "row 3, column 'focus_areas_other_text': value 'KÃ¸ge'" in stderr


def test_unknown_delimiter_is_rejected(tmp_path):
    folder = responses_round(tmp_path / "r", text=csv_text(HEADER, valid_rows(6), delimiter="|"), responses=6)
    problems, stderr = rejected(folder)
    p = only(problems)
    assert p.row == 1 and p.value.startswith("respondent_id|chair_background")
    assert "comma, semicolon or tab" in p.expected
    assert "row 1" in stderr


def test_rows_not_matching_round_yaml_responses(tmp_path):
    problems, stderr = rejected(responses_round(tmp_path / "r", valid_rows(6), responses=7))
    p = only(problems)
    assert p.file.endswith("round.yaml") and p.column == "responses" and p.value == "7"
    assert "6" in p.expected


def test_several_problems_reported_at_once(tmp_path):
    rows = valid_rows(8)
    rows[0]["council_size"] = "20"                   # row 2
    rows[2]["respondent_id"] = ""                    # row 4
    rows[4]["member_compensation"] = "Nej"           # row 6
    rows[6]["visibility.integration_prize"] = "2"    # row 8
    problems, stderr = rejected(responses_round(tmp_path / "r", rows))
    assert len(problems) >= 3
    found = {(p.row, p.column, p.value) for p in problems}
    assert found == {(2, "council_size", "20"), (4, "respondent_id", ""), (6, "member_compensation", "Nej"),
                     (8, "visibility.integration_prize", "2")}
    assert "4 problems" in stderr
    for where in ("row 2, column 'council_size'", "row 4: column 'respondent_id' is empty",
                  "row 6, column 'member_compensation'", "row 8, column 'visibility.integration_prize'"):
        assert where in stderr


# --- published counts -----------------------------------------------------------------------------

def test_count_above_base(tmp_path):
    problems, stderr = rejected(counts_round(tmp_path / "c", with_line(2, "chair_background,association,31,30,stated,x")))
    hit = [p for p in problems if (p.row, p.column, p.value) == (2, "count", "31")]
    assert len(hit) == 1 and "30" in hit[0].expected
    assert "row 2, column 'count': value '31'" in stderr


@pytest.mark.parametrize("value", ["16.5", "-1", "sixteen", ""])
def test_count_not_a_whole_number(tmp_path, value):
    problems, stderr = rejected(counts_round(tmp_path / "c", with_line(3, f"chair_background,politician,{value},30,stated,x")))
    p = only(problems)
    assert (p.row, p.column, p.value) == (3, "count", value)
    assert "whole number" in p.expected
    shown = f"row 3, column 'count': value {value!r}" if value else "row 3: column 'count' is empty"
    assert shown in stderr


def test_unknown_question_id(tmp_path):
    problems, stderr = rejected(counts_round(tmp_path / "c", with_line(2, "chair_origin,association,16,30,stated,x")))
    p = only(problems)
    assert (p.row, p.column, p.value) == (2, "question", "chair_origin")
    assert "row 2, column 'question': value 'chair_origin'" in stderr


def test_text_question_has_no_counts(tmp_path):
    problems, _ = rejected(counts_round(tmp_path / "c", GOOD_COUNTS + ["focus_areas_other_text,other,3,30,stated,x"]))
    p = only(problems)
    assert (p.row, p.column, p.value) == (10, "question", "focus_areas_other_text")


def test_unknown_category(tmp_path):
    problems, stderr = rejected(counts_round(tmp_path / "c", with_line(3, "chair_background,mayor,8,30,stated,x")))
    p = only(problems)
    assert (p.row, p.column, p.value) == (3, "category", "mayor")
    assert "association" in p.expected and "politician" in p.expected
    assert "row 3, column 'category': value 'mayor'" in stderr


def test_unknown_category_and_bad_count_in_one_row(tmp_path):
    problems, _ = rejected(counts_round(tmp_path / "c", with_line(3, "chair_background,mayor,8.5,30,stated,x")))
    assert {(p.row, p.column, p.value) for p in problems} == {(3, "category", "mayor"), (3, "count", "8.5")}


def test_base_not_equal_to_responses(tmp_path):
    problems, stderr = rejected(counts_round(tmp_path / "c", with_line(5, "influence,some,8,29,stated,x"), responses=30))
    hit = [p for p in problems if p.column == "base"]
    assert [(p.row, p.value) for p in hit] == [(5, "29")]
    assert "30" in hit[0].expected and "round.yaml" in hit[0].expected
    assert "row 5, column 'base': value '29'" in stderr


def test_duplicate_question_and_category(tmp_path):
    lines = GOOD_COUNTS + ["chair_background,association,15,30,stated,again"]  # row 10 repeats row 2
    problems, stderr = rejected(counts_round(tmp_path / "c", lines))
    dup = [p for p in problems if "only once" in p.expected]
    assert sorted(p.row for p in dup) == [2, 10]
    for p in dup:
        assert "chair_background" in p.value and "association" in p.value
    assert "row 2" in stderr and "row 10" in stderr


def test_group_inconsistent_with_members(tmp_path):
    problems, stderr = rejected(counts_round(tmp_path / "c", with_line(6, "influence,large_or_some,21,30,stated,x")))
    p = only(problems)
    assert (p.row, p.column, p.value) == (6, "count", "21")
    assert "20" in p.expected and "large" in p.expected and "some" in p.expected
    assert "row 6, column 'count': value '21'" in stderr


def test_complement_group_inconsistent_with_its_base(tmp_path):
    problems, _ = rejected(counts_round(tmp_path / "c", with_line(8, "cooperation_municipal_board,not_satisfied,7,30,remainder,x")))
    p = only(problems)
    assert (p.row, p.column, p.value) == (8, "count", "7")
    assert "6" in p.expected and "satisfied" in p.expected


def test_counts_several_problems_at_once(tmp_path):
    lines = with_line(2, "chair_background,association,16,30,guessed,x")       # basis
    lines[2] = "chair_background,politician,x,30,stated,x"                       # row 4: count
    lines[4] = "influence,large_or_some,20,30,stated,"                           # row 6: source empty
    problems, stderr = rejected(counts_round(tmp_path / "c", lines))
    assert len(problems) >= 3
    found = {(p.row, p.column) for p in problems}
    assert {(2, "basis"), (4, "count"), (6, "source")} <= found
    for where in ("row 2, column 'basis'", "row 4, column 'count'", "row 6: column 'source' is empty"):
        assert where in stderr


# --- round.yaml -----------------------------------------------------------------------------------

def test_round_id_as_unquoted_number(tmp_path):
    folder = responses_round(tmp_path / "2016", valid_rows(6))
    meta_path = folder / "round.yaml"
    text = meta_path.read_text(encoding="utf-8")
    assert "round: '2016'" in text
    meta_path.write_text(text.replace("round: '2016'", "round: 2016"), encoding="utf-8")
    assert yaml.safe_load(meta_path.read_text(encoding="utf-8"))["round"] == 2016  # an integer now
    problems, stderr = rejected(folder)
    p = only(problems)
    assert p.file.endswith("round.yaml") and p.column == "round" and p.value == "2016"
    assert "quoted string" in p.expected
    assert "round.yaml: field 'round' is 2016; expected a quoted string" in stderr


def test_round_id_not_the_folder_name(tmp_path):
    problems, stderr = rejected(responses_round(tmp_path / "2021", valid_rows(6), round="2020"))
    p = only(problems)
    assert (p.column, p.value) == ("round", "2020") and "'2021'" in p.expected


def test_round_yaml_missing_required_field(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(6))
    meta = yaml.safe_load((folder / "round.yaml").read_text(encoding="utf-8"))
    del meta["councils_asked"]
    (folder / "round.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    problems, stderr = rejected(folder)
    assert "councils_asked" in only(problems).expected
    assert "councils_asked" in stderr


@pytest.mark.parametrize("field", ["publisher_en", "publisher_da", "conducted_by"])
def test_a_fictional_round_is_attributed_to_no_real_body(tmp_path, field):
    folder = responses_round(tmp_path / "made-up", **{field: "Danish Institute for Human Rights"})  # fictional: true
    before = folder_bytes(folder)
    result = run_cli("validate", folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"round.yaml: field '{field}' may not be set" in result.stderr
    assert "a fictional round is attributed to no real body" in result.stderr
    assert folder_bytes(folder) == before
    real = responses_round(tmp_path / "real", fictional=False, **{field: "Danish Institute for Human Rights"})
    assert run_cli("validate", real).returncode == 0
