"""Every rule of councils/validate.py, each problem read in full: file, row, column, value, what was expected.

test_validate.py and test_messages.py go through the command line and check what a reader sees; this file
holds each problem record to what it must say word for word (written here by hand from the rule, not
copied from the code's output), checks the edges of each rule (a count equal to its base is fine, one more
is not), and reads the checked frames. Everything is built in tmp_path with validate_round, read_counts,
read_responses and load_checked called directly, so these tests are fast.
"""

from __future__ import annotations

import pytest

from councils.codebook import load_codebook
from councils.errors import DataError, Problem
from councils.rounds import Round, read_metadata
from councils.validate import (
    check_round, load_checked, read_counts, read_responses, response_columns, validate_round,
)

from conftest import counts_round, responses_round, valid_rows

BASE_0 = "at least 1 responding council (a base of 0 gives no share)"
WHOLE = "a whole number of councils (0, 1, 2, ...)"
CHAIR = "an option or group of 'chair_background': association, politician, civil_servant, not_stated"


def problem(folder, row, column, value, expected, message=None, file="counts.csv") -> Problem:
    return Problem(str(folder / file), row, column, value, expected, message)


def counts(tmp_path, *lines, responses=None, name="c", **meta):
    return counts_round(tmp_path / name, list(lines), responses=responses, **meta)


def round_of(folder) -> Round:
    meta, problems = read_metadata(folder / "round.yaml")
    assert problems == []
    return Round(id=meta["round"], path=folder, meta=meta)


# --- counts.csv: a count against its base, a base against the round -------------------------------

def test_a_base_of_zero(tmp_path):
    folder = counts(tmp_path, "chair_background,association,0,0,stated,fig 1")
    assert validate_round(folder) == [problem(folder, 2, "base", "0", BASE_0)]


def test_a_base_of_one_is_a_base(tmp_path):
    assert validate_round(counts(tmp_path, "chair_background,association,1,1,stated,fig 1")) == []


def test_a_base_above_the_councils_asked(tmp_path):
    folder = counts(tmp_path, "chair_background,association,5,41,stated,fig 1")  # councils_asked: 40
    assert validate_round(folder) == [problem(folder, 2, "base", "41", "at most councils_asked in round.yaml, 40")]


def test_a_base_of_all_councils_asked_is_a_base(tmp_path):
    assert validate_round(counts(tmp_path, "chair_background,association,5,40,stated,fig 1")) == []


def test_a_base_other_than_the_responses_of_round_yaml(tmp_path):
    folder = counts(tmp_path, "chair_background,association,5,29,stated,fig 1", responses=30)
    assert validate_round(folder) == [problem(folder, 2, "base", "29", "the number of responses in round.yaml, 30")]


def test_a_count_above_its_base_and_the_question_s_counts_above_it_too(tmp_path):
    folder = counts(tmp_path, "chair_background,association,31,30,stated,fig 1",
                    "chair_background,politician,8,30,stated,fig 1")
    assert validate_round(folder) == [
        problem(folder, 2, "count", "31", "at most the base, 30"),
        # 31 + 8 = 39, named on the question's last row
        problem(folder, 3, "count", "39", "the counts of 'chair_background' to add up to at most 30"),
    ]


def test_a_count_equal_to_its_base_and_counts_adding_up_to_it_are_fine(tmp_path):
    assert validate_round(counts(tmp_path, "chair_background,association,30,30,stated,fig 1",
                                 "chair_background,politician,0,30,stated,fig 1")) == []
    assert validate_round(counts(tmp_path, "chair_background,association,22,30,stated,fig 1",
                                 "chair_background,politician,8,30,stated,fig 1", name="d")) == []


def test_the_counts_of_a_multiple_choice_question_add_up_to_at_most_its_answers_per_council(tmp_path):
    # focus_areas: at most 2 answers per council, so 30 councils give at most 60 answers
    two = ("focus_areas,employment,30,30,stated,fig 6", "focus_areas,democratic_participation,25,30,stated,fig 6")
    assert validate_round(counts(tmp_path, *two, name="a")) == []  # 55: more than the base, fewer than 60
    assert validate_round(counts(tmp_path, *two, "focus_areas,education,5,30,stated,fig 6", name="b")) == []  # 60
    folder = counts(tmp_path, *two, "focus_areas,education,6,30,stated,fig 6", name="c")
    assert validate_round(folder) == [problem(folder, 4, "count", "61",
                                              "the counts of 'focus_areas' to add up to at most 60")]


def test_an_unknown_category_lists_the_question_s_options_and_groups(tmp_path):
    folder = counts(tmp_path, "chair_background,mayor,8,30,stated,fig 1")
    assert validate_round(folder) == [problem(folder, 2, "category", "mayor", CHAIR)]
    folder = counts(tmp_path, "influence,most,8,30,stated,fig 9", name="d")
    assert validate_round(folder) == [problem(
        folder, 2, "category", "most",
        "an option or group of 'influence': large, some, small, none, dont_know, large_or_some, small_or_none")]


def test_a_one_letter_category_is_only_an_unknown_category(tmp_path):
    folder = counts(tmp_path, "chair_background,x,8,30,stated,fig 1")
    assert validate_round(folder) == [problem(folder, 2, "category", "x", CHAIR)]


def test_an_empty_category(tmp_path):
    folder = counts(tmp_path, "chair_background,,8,30,stated,fig 1")
    expected = "an option or group code of the question, such as 'yes'"
    assert validate_round(folder) == [
        problem(folder, 2, "category", "", expected, f"column 'category' is empty; expected {expected}"),
        problem(folder, 2, "category", "", CHAIR),
    ]


# --- counts.csv: groups ----------------------------------------------------------------------------

def test_a_group_that_is_not_the_sum_of_its_members(tmp_path):
    folder = counts(tmp_path, "influence,large,12,30,stated,fig 9", "influence,some,8,30,stated,fig 9",
                    "influence,large_or_some,21,30,stated,fig 9")
    assert validate_round(folder) == [problem(folder, 4, "count", "21", "20, the sum of its members large, some")]


def test_the_second_group_of_a_question_is_checked_when_the_first_is_not_given(tmp_path):
    folder = counts(tmp_path, "influence,small,5,30,stated,fig 9", "influence,none,3,30,stated,fig 9",
                    "influence,small_or_none,9,30,stated,fig 9")
    assert validate_round(folder) == [problem(folder, 4, "count", "9", "8, the sum of its members small, none")]


def test_a_complement_that_is_not_the_base_less_its_group(tmp_path):
    folder = counts(tmp_path, "cooperation_municipal_board,satisfied,24,30,stated,fig 7",
                    "cooperation_municipal_board,not_satisfied,7,30,remainder,fig 7")
    assert validate_round(folder) == [problem(folder, 3, "count", "7", "6: the base less 'satisfied'")]


def test_a_complement_without_its_group_is_taken_as_given(tmp_path):
    assert validate_round(counts(tmp_path, "cooperation_municipal_board,not_satisfied,7,30,remainder,fig 7")) == []


def test_a_group_with_some_of_its_members_missing_is_taken_as_given(tmp_path):
    assert validate_round(counts(tmp_path, "influence,large,12,30,stated,fig 9",
                                 "influence,large_or_some,21,30,stated,fig 9")) == []


# --- counts.csv: its columns -----------------------------------------------------------------------

def test_counts_columns_in_any_order_are_read_by_name(tmp_path):
    folder = counts(tmp_path)
    (folder / "counts.csv").write_text("source,basis,base,count,category,question\n"
                                       "fig 1,stated,30,16,association,chair_background\n", encoding="utf-8")
    frame, problems = read_counts(round_of(folder))
    assert problems == []
    assert frame.to_dict("records") == [{"source": "fig 1", "basis": "stated", "base": 30, "count": 16,
                                         "category": "association", "question": "chair_background"}]


def test_a_counts_column_of_another_name(tmp_path):
    folder = counts(tmp_path)
    (folder / "counts.csv").write_text("question,category,count,base,basis,page\n"
                                       "chair_background,association,16,30,stated,fig 1\n", encoding="utf-8")
    missing = "this column to be present (it is missing)"
    unknown = "only the columns of the questions the round asked (this column is unknown)"
    assert validate_round(folder) == [
        problem(folder, None, "page", "", unknown,
                "unknown column 'page'; the codebook defines no such question or option "
                "(python -m councils template prints the header)"),
        problem(folder, None, "source", "", missing, "column 'source' is missing"),
    ]


def test_a_row_with_a_field_too_many(tmp_path):
    folder = counts(tmp_path, "chair_background,association,16,30,stated,fig 1,more")
    assert [str(p) for p in validate_round(folder)] == [
        f"{folder / 'counts.csv'}, row 2: this row has 7 fields and the header 6; "
        "the row begins 'chair_background,association,16,30,stated,fig 1,more'"]


@pytest.mark.parametrize("column,line,value,expected", [
    ("count", "chair_background,association,many,30,stated,fig 1", "many", WHOLE),
    ("base", "chair_background,association,16,all,stated,fig 1", "all", WHOLE),
    ("basis", "chair_background,association,16,30,guessed,fig 1", "guessed", "one of stated, remainder"),
    ("question", "chair_origin,association,16,30,stated,fig 1", "chair_origin",
     "a question id of the codebook with answer options, asked in this round"),
])
def test_a_bad_value_of_a_counts_column(tmp_path, column, line, value, expected):
    folder = counts(tmp_path, line)
    assert validate_round(folder) == [problem(folder, 2, column, value, expected)]


def test_an_empty_source(tmp_path):
    folder = counts(tmp_path, "chair_background,association,16,30,stated,")
    expected = "where in the report the count comes from, such as 'section 2.1, figure 1'"
    assert validate_round(folder) == [problem(folder, 2, "source", "", expected,
                                              f"column 'source' is empty; expected {expected}")]


def test_a_question_and_category_given_twice(tmp_path):
    folder = counts(tmp_path, "chair_background,association,16,30,stated,fig 1",
                    "chair_background,association,15,30,stated,fig 1 again")
    message = "columns question, category repeat 'chair_background, association'; expected each combination only once"
    assert validate_round(folder) == [
        problem(folder, row, "question, category", "chair_background, association",
                "each value only once (it is repeated)", message) for row in (2, 3)]


def test_rows_of_a_question_the_round_did_not_ask(tmp_path):
    folder = counts(tmp_path, "chair_background,association,16,30,stated,fig 1", "new_knowledge,often,3,30,stated,x")
    (folder / "questionnaire.yaml").write_text("dropped: [new_knowledge]\n", encoding="utf-8")
    assert validate_round(folder) == [problem(
        folder, 3, "question", "new_knowledge",
        "round c did not ask question 'new_knowledge', so counts.csv has no rows for it: remove the rows, "
        "or declare the question in c's questionnaire.yaml")]


def test_read_counts_gives_whole_numbers_and_reads_the_round_s_codebook_itself(tmp_path):
    folder = counts(tmp_path, "chair_background,association,16,30,stated,fig 1",
                    "influence,large,12,30,stated,fig 9")
    frame, problems = read_counts(round_of(folder))
    assert problems == []
    assert frame["count"].tolist() == [16, 12] and frame["base"].tolist() == [30, 30]
    assert frame["count"].dtype.kind == "i" and frame["base"].dtype.kind == "i"
    # no codebook given: the round's own questionnaire, which here drops new_knowledge
    folder = counts(tmp_path, "new_knowledge,often,3,30,stated,x", name="d")
    (folder / "questionnaire.yaml").write_text("dropped: [new_knowledge]\n", encoding="utf-8")
    frame, problems = read_counts(round_of(folder))
    assert frame is None and [(p.row, p.column, p.value) for p in problems] == [(2, "question", "new_knowledge")]


# --- responses: columns and values --------------------------------------------------------------------

def test_a_missing_column_names_the_question_the_round_asked(tmp_path):
    header = [c for c in response_columns(load_codebook()) if c != "influence"]
    folder = responses_round(tmp_path / "r", valid_rows(3), header=header)
    assert validate_round(folder) == [problem(
        folder, None, "influence", "", "this column to be present (it is missing): round r asked question 'influence'",
        "column 'influence' is missing", file="responses.csv")]


def test_a_column_of_a_question_the_round_did_not_ask(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(3))
    (folder / "questionnaire.yaml").write_text("dropped: [new_knowledge]\n", encoding="utf-8")
    why = ("round r did not ask question 'new_knowledge', so its file has no column for it: remove the column, "
           "or declare the question in r's questionnaire.yaml")
    assert validate_round(folder) == [problem(folder, None, "new_knowledge", "", why,
                                              f"column 'new_knowledge': {why}", file="responses.csv")]


def test_option_columns_of_a_question_the_round_did_not_ask(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(3))
    (folder / "questionnaire.yaml").write_text("dropped: [visibility]\n", encoding="utf-8")
    why = ("round r did not ask question 'visibility', so its file has no column for it: remove the column, "
           "or declare the question in r's questionnaire.yaml")
    options = ["citizen_meetings", "integration_prize", "invite_civil_society", "invite_officials",
               "meetings_in_town", "website"]
    assert validate_round(folder) == [problem(folder, None, f"visibility.{o}", "", why,
                                              f"column 'visibility.{o}': {why}", file="responses.csv")
                                      for o in options]


def set_cell(rows, row, column, value):
    rows[row - 2][column] = value  # spreadsheet row 2 is the first data row
    return rows


@pytest.mark.parametrize("value,hint", [
    ("sometimes", ""),
    ("Yes", " ('Yes' is the English label of 'yes': write the code)"),
    ("ja", " ('ja' is the Danish label of 'yes': write the code)"),
])
def test_a_value_that_is_no_code_of_the_question(tmp_path, value, hint):
    folder = responses_round(tmp_path / "r", set_cell(valid_rows(3), 3, "own_budget", value))
    assert validate_round(folder) == [problem(
        folder, 3, "own_budget", value, f"one of yes, no, not_stated, or empty for no answer{hint}",
        file="responses.csv")]


def test_a_bad_mark_in_an_option_column(tmp_path):
    folder = responses_round(tmp_path / "r", set_cell(valid_rows(3), 2, "visibility.website", "yes"))
    assert validate_round(folder) == [problem(folder, 2, "visibility.website", "yes",
                                              "1 (chosen), 0 or empty (not chosen)", file="responses.csv")]


def series_copy(tmp_path, last: str = "example-3"):
    """The example series from 2016 up to round ``last``, copied so that a round of it can be broken."""
    import shutil

    from councils.paths import ROUNDS_DIR

    rounds = ("2016", "example", "example-2", "example-3")
    for r in rounds[:rounds.index(last) + 1]:
        shutil.copytree(ROUNDS_DIR / r, tmp_path / r)
    return tmp_path / last


def test_an_option_of_the_codebook_that_the_round_did_not_offer(tmp_path):
    # example-3 merges 'rarely' and 'never' of consulted into one option (its questionnaire.yaml)
    folder = series_copy(tmp_path)
    path = folder / "responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("consulted")
    cells = lines[1].split(",")
    cells[column] = "rarely"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [found] = validate_round(folder)
    assert (found.row, found.column, found.value) == (2, "consulted", "rarely")
    assert found.expected.endswith(", or empty for no answer ('rarely' is an option of the codebook that round "
                                   "example-3 did not offer)")


def test_a_value_that_is_no_option_in_any_round_gets_no_hint(tmp_path):
    folder = series_copy(tmp_path)
    path = folder / "responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    column = lines[0].split(",").index("consulted")
    cells = lines[1].split(",")
    cells[column] = "tiny"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [found] = validate_round(folder)
    assert found.expected.endswith(", or empty for no answer")


# --- the checked round as the rest of the package reads it ------------------------------------------

def test_load_checked_gives_the_checked_frame(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(4))
    frame = load_checked(round_of(folder))
    assert len(frame) == 4 and frame["respondent_id"].tolist() == [r["respondent_id"] for r in valid_rows(4)]


def test_load_checked_refuses_a_bad_round_with_every_problem(tmp_path):
    folder = counts(tmp_path, "chair_background,association,0,0,stated,fig 1",
                    "chair_background,mayor,3,30,stated,fig 1")
    with pytest.raises(DataError) as caught:
        load_checked(round_of(folder))
    assert caught.value.problems == [problem(folder, 2, "base", "0", BASE_0), problem(folder, 3, "category", "mayor", CHAIR)]


def test_check_round_gives_no_frame_for_a_bad_round(tmp_path):
    folder = counts(tmp_path, "chair_background,association,0,0,stated,fig 1")
    rnd, frame, problems = check_round(folder)
    assert rnd.id == "c" and frame is None and problems == [problem(folder, 2, "base", "0", BASE_0)]


def test_read_responses_reads_the_round_s_codebook_itself(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(3))
    (folder / "questionnaire.yaml").write_text("dropped: [new_knowledge]\n", encoding="utf-8")
    frame, problems = read_responses(round_of(folder))
    assert frame is None and [p.column for p in problems] == ["new_knowledge"]


# --- responses: rules across rows and columns -----------------------------------------------------------

def test_more_answers_than_a_question_allows(tmp_path):
    rows = valid_rows(3)
    for code in ("employment", "democratic_participation", "education"):  # focus_areas: at most 2 answers
        rows[1][f"focus_areas.{code}"] = "1"
    folder = responses_round(tmp_path / "r", rows)
    picked = "focus_areas.employment, focus_areas.democratic_participation, focus_areas.education"
    found = [p for p in validate_round(folder) if p.row == 3]
    assert found == [problem(folder, 3, picked, "3 answers", "at most 2 answers to 'focus_areas'",
                             f"3 answers to 'focus_areas' ({picked}); expected at most 2", file="responses.csv")]


def test_as_many_rows_as_councils_asked_is_fine_one_more_is_not(tmp_path):
    assert validate_round(responses_round(tmp_path / "r", valid_rows(40))) == []  # councils_asked: 40
    folder = responses_round(tmp_path / "s", valid_rows(41), responses=40)
    assert validate_round(folder) == [problem(
        folder, None, None, "41 rows", "at most councils_asked = 40 responding councils",
        "the file has 41 rows, more than the 40 councils asked (councils_asked in round.yaml); expected one row "
        "per responding council", file="responses.csv")] + [problem(
            folder, None, "responses", "40", "the number of rows in responses.csv, 41",
            "field 'responses' is 40, but responses.csv has 41 rows; the two must agree", file="round.yaml")]


def test_more_responses_than_councils_asked_names_the_line_of_round_yaml(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(41))  # responses: 41, councils_asked: 40
    found = validate_round(folder)
    # round.yaml as written by the tests: round, title_en, title_da, fictional, data, councils_asked, source,
    # responses: 'responses' is its 8th line
    assert found[0] == problem(folder, 8, "responses", "41", "at most councils_asked = 40, the councils asked",
                               file="round.yaml")


def test_a_respondent_id_given_twice(tmp_path):
    rows = valid_rows(3)
    rows[2]["respondent_id"] = rows[0]["respondent_id"]
    folder = responses_round(tmp_path / "r", rows)
    twice = rows[0]["respondent_id"]
    assert validate_round(folder) == [
        problem(folder, row, "respondent_id", twice, "each value only once (it is repeated)",
                f"column 'respondent_id' repeats {twice!r}; expected each value only once", file="responses.csv")
        for row in (2, 4)]


def test_short_ids_blank_boxes_and_not_stated_where_the_question_has_no_such_option(tmp_path):
    rows = valid_rows(3)
    rows[0]["respondent_id"] = "a"  # one character is an id
    rows[1]["visibility.website"] = ""  # a blank box: not chosen
    rows[2]["council_size"] = "not_stated"  # council_size has no option 'not_stated': the blank code is allowed
    assert validate_round(responses_round(tmp_path / "r", rows)) == []


def test_responses_columns_in_any_order_are_read_by_name(tmp_path):
    header = list(reversed(response_columns(load_codebook())))
    folder = responses_round(tmp_path / "r", valid_rows(3), header=header)
    frame, problems = read_responses(round_of(folder))
    assert problems == [] and list(frame.columns) == header


def test_a_checked_csv_file_gave_no_labels(tmp_path):
    frame, _ = read_responses(round_of(responses_round(tmp_path / "r", valid_rows(3))))
    assert frame.attrs["labels_read"] == 0 and frame.attrs["label_example"] is None


def test_a_row_less_problem_comes_before_the_columns_of_its_file(tmp_path):
    # problems without a row sort first, a problem without a column before those naming one
    rows = valid_rows(41)
    for row in rows:
        row["Extra"] = "x"
    folder = responses_round(tmp_path / "r", rows, header=response_columns(load_codebook()) + ["Extra"],
                             responses=41, councils_asked=41)
    (folder / "round.yaml").write_text((folder / "round.yaml").read_text(encoding="utf-8").replace(
        "councils_asked: 41", "councils_asked: 40").replace("responses: 41", "responses: 40"), encoding="utf-8")
    found = [(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in validate_round(folder)]
    assert found == [("responses.csv", None, None), ("responses.csv", None, "Extra"), ("round.yaml", None, "responses")]


def test_a_column_of_a_question_an_earlier_round_asked(tmp_path):
    path = series_copy(tmp_path, "example-2") / "responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",new_knowledge"] + [line + ",often" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    why = ("round example-2 did not ask question 'new_knowledge' (asked in round 2016, example), so its file has no "
           "column for it: remove the column, or declare the question in example-2's questionnaire.yaml")
    assert validate_round(tmp_path / "example-2") == [problem(tmp_path / "example-2", None, "new_knowledge", "", why,
                                                              f"column 'new_knowledge': {why}", file="responses.csv")]


def test_a_folder_that_does_not_exist(tmp_path):
    assert check_round(tmp_path / "nowhere") == (None, None, [Problem(
        str(tmp_path / "nowhere"), None, None, "", "an existing round folder",
        "there is no such folder; expected a round folder holding round.yaml and its data file")])


def test_a_file_inside_a_round_folder_checks_the_folder(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(3))
    rnd, frame, problems = check_round(folder / "responses.csv")
    assert problems == [] and rnd.path == folder and len(frame) == 3


def test_a_round_whose_metadata_alone_is_wrong_gives_no_frame(tmp_path):
    folder = responses_round(tmp_path / "r", valid_rows(3), councils_existing=39)  # 40 asked of 39 that exist
    rnd, frame, problems = check_round(folder)
    assert frame is None and [(p.column, p.value) for p in problems] == [("councils_asked", "40")]
