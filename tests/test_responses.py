"""A small respondent-level round, written by hand, aggregated into frequency tables.

The expected counts below were counted by hand from RESPONSES, question by question; they are not
produced by the code under test.
"""

import csv
import io

import pytest
import yaml

from councils.codebook import load_codebook
from councils.rounds import load_round
from councils.validate import read_responses, response_columns
from councils.tables import frequency_table

from conftest import run_cli

ROUND = "2099-hand"

# Six councils. Columns, in order: id; chair; size; new_knowledge; own_budget; compensation; advise;
# admin_placement; focus_areas x6 (employment, democratic_participation, education, health,
# discrimination, other); focus text; policy; officials; politicians; cooperation; secretariat;
# consulted; influence; statements; visibility x6 (meetings_in_town, invite_civil_society,
# invite_officials, website, integration_prize, citizen_meetings); rem_knowledge; rem_support.
RESPONSES = """\
respondent_id,chair_background,council_size,new_knowledge,own_budget,member_compensation,advise_all_groups,admin_placement,focus_areas.employment,focus_areas.democratic_participation,focus_areas.education,focus_areas.health,focus_areas.discrimination,focus_areas.other,focus_areas_other_text,integration_policy,contact_officials_appointed,contact_politicians_appointed,cooperation_municipal_board,secretariat_service,consulted,influence,statements_published,visibility.meetings_in_town,visibility.invite_civil_society,visibility.invite_officials,visibility.website,visibility.integration_prize,visibility.citizen_meetings,rem_knowledge,rem_support
c01,association,1_10,often,yes,no,yes,employment,1,0,1,0,0,0,,has_policy,yes,yes,very_satisfactory,very_satisfactory,often,large,yes,1,0,0,1,0,0,good,high
c02,association,11_15,often,yes,no,yes,employment,1,0,0,0,0,0,,has_policy,yes,no,mostly_satisfactory,very_satisfactory,sometimes,some,yes,1,1,1,1,1,1,some,some
c03,politician,11_15,sometimes,no,yes,yes,health,0,1,0,0,0,1,"Boligsociale indsatser, bl.a. i Ørestad og på Ærø",has_policy,yes,yes,mostly_satisfactory,very_satisfactory,often,some,no,0,0,0,0,0,0,superficial,low
c04,,16_plus,often,not_stated,no,no,culture_leisure,,,,,,,,has_policy,yes,dont_know,mostly_unsatisfactory,mostly_satisfactory,rarely,small,dont_know,0,1,0,0,0,0,good,not_at_all
c05,civil_servant,1_10,,yes,dont_know,yes,employment,1,0,0,1,0,0,,dont_know,no,no,,mostly_satisfactory,never,none,yes,0,0,1,1,0,0,good,dont_know
c06,association,11_15,never,,no,dont_know,,0,0,1,0,1,0,,decided_to_prepare,yes,yes,dont_know,very_unsatisfactory,often,dont_know,,0,0,0,1,0,1,some,
"""

# (category, kind, count) per question, in table order: options as the codebook lists them, then
# 'not_stated' (kind missing) where someone left the question blank, then groups. Base is 6 throughout.
EXPECTED = {
    # association c01 c02 c06; politician c03; civil_servant c05; c04 blank -> the listed option not_stated
    "chair_background": [("association", "option", 3), ("politician", "option", 1),
                         ("civil_servant", "option", 1), ("not_stated", "option", 1)],
    "council_size": [("1_10", "option", 2), ("11_15", "option", 3), ("16_plus", "option", 1)],
    # c05 blank; the question has no not_stated option, so it is a 'missing' row
    "new_knowledge": [("often", "option", 3), ("sometimes", "option", 1), ("never", "option", 1),
                      ("not_stated", "missing", 1)],
    # c04 wrote not_stated, c06 left it blank: both the listed option
    "own_budget": [("yes", "option", 3), ("no", "option", 1), ("not_stated", "option", 2)],
    "member_compensation": [("yes", "option", 1), ("no", "option", 4), ("dont_know", "option", 1)],
    "advise_all_groups": [("yes", "option", 4), ("no", "option", 1), ("dont_know", "option", 1)],
    "admin_placement": [("employment", "option", 3), ("culture_leisure", "option", 1), ("health", "option", 1),
                        ("social_administration", "option", 0), ("other", "option", 0),
                        ("not_stated", "missing", 1)],
    # c01 employment+education, c02 employment, c03 democratic_participation+other, c04 nothing (blank cells),
    # c05 employment+health, c06 education+discrimination
    # c04 left every box of the question blank (neither 1 nor 0): not stated
    "focus_areas": [("employment", "option", 3), ("democratic_participation", "option", 1),
                    ("education", "option", 2), ("health", "option", 1), ("discrimination", "option", 1),
                    ("other", "option", 1), ("not_stated", "missing", 1)],
    "integration_policy": [("has_policy", "option", 4), ("decided_to_prepare", "option", 1),
                           ("no_current_plans", "option", 0), ("decided_against", "option", 0),
                           ("dont_know", "option", 1)],
    "contact_officials_appointed": [("yes", "option", 5), ("no", "option", 1), ("dont_know", "option", 0)],
    "contact_politicians_appointed": [("yes", "option", 3), ("no", "option", 2), ("dont_know", "option", 1)],
    # satisfied = very (c01) + mostly (c02 c03) = 3; not_satisfied = mostly_unsatisfactory (c04)
    # + dont_know (c06) + blank (c05, not stated) = 3
    "cooperation_municipal_board": [("very_satisfactory", "option", 1), ("mostly_satisfactory", "option", 2),
                                    ("mostly_unsatisfactory", "option", 1), ("very_unsatisfactory", "option", 0),
                                    ("dont_know", "option", 1), ("not_stated", "missing", 1),
                                    ("satisfied", "group", 3), ("not_satisfied", "group", 3)],
    "secretariat_service": [("very_satisfactory", "option", 3), ("mostly_satisfactory", "option", 2),
                            ("mostly_unsatisfactory", "option", 0), ("very_unsatisfactory", "option", 1),
                            ("dont_know", "option", 0),
                            ("satisfied", "group", 5), ("not_satisfied", "group", 1)],
    "consulted": [("often", "option", 3), ("sometimes", "option", 1), ("rarely", "option", 1),
                  ("never", "option", 1), ("dont_know", "option", 0),
                  ("often_or_sometimes", "group", 4), ("not_often_or_sometimes", "group", 2)],
    "influence": [("large", "option", 1), ("some", "option", 2), ("small", "option", 1), ("none", "option", 1),
                  ("dont_know", "option", 1),
                  ("large_or_some", "group", 3), ("small_or_none", "group", 2)],
    "statements_published": [("yes", "option", 3), ("no", "option", 1), ("dont_know", "option", 1),
                             ("not_stated", "missing", 1)],
    # c01 town+website, c02 all six, c03 none, c04 civil society, c05 officials+website, c06 website+citizen
    "visibility": [("meetings_in_town", "option", 2), ("invite_civil_society", "option", 2),
                   ("invite_officials", "option", 2), ("website", "option", 4),
                   ("integration_prize", "option", 1), ("citizen_meetings", "option", 2)],
    "rem_knowledge": [("good", "option", 3), ("some", "option", 2), ("superficial", "option", 1),
                      ("some_or_superficial", "group", 3)],
    # high c01, some c02, low c03, not_at_all c04, dont_know c05, blank c06
    # not_high_or_some = low + not_at_all + dont_know + not stated = 4
    "rem_support": [("high", "option", 1), ("some", "option", 1), ("low", "option", 1),
                    ("not_at_all", "option", 1), ("dont_know", "option", 1), ("not_stated", "missing", 1),
                    ("high_or_some", "group", 2), ("not_high_or_some", "group", 4)],
}
EXPECTED_ROWS = [(q, cat, kind, count) for q, rows in EXPECTED.items() for cat, kind, count in rows]


@pytest.fixture
def rounds_dir(tmp_path):
    folder = tmp_path / ROUND
    folder.mkdir()
    meta = {"round": ROUND, "title_en": "Hand-made example", "title_da": "Håndlavet eksempel", "fictional": True,
            "data": "responses", "councils_asked": 40, "responses": 6, "source": "written by hand for the tests"}
    (folder / "round.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    (folder / "responses.csv").write_text(RESPONSES, encoding="utf-8")
    return tmp_path


def test_header_is_the_codebook_template():
    assert RESPONSES.splitlines()[0].split(",") == response_columns(load_codebook())


def test_responses_read_as_written(rounds_dir):
    frame, problems = read_responses(load_round(ROUND, rounds_dir))
    assert problems == []
    assert len(frame) == 6
    assert list(frame["respondent_id"]) == ["c01", "c02", "c03", "c04", "c05", "c06"]
    assert frame.loc[4, "focus_areas_other_text"] == "Boligsociale indsatser, bl.a. i Ørestad og på Ærø"  # row 4 = c03


def test_frequency_table_as_counted_by_hand(rounds_dir):
    table = frequency_table(ROUND, data_dir=rounds_dir)
    got = list(table[["question", "category", "kind", "count"]].itertuples(index=False, name=None))
    assert got == EXPECTED_ROWS


def test_every_question_has_base_six(rounds_dir):
    table = frequency_table(ROUND, data_dir=rounds_dir)
    assert set(table["question"]) == set(EXPECTED)
    assert (table["base"] == 6).all()
    assert (table["basis"] == "respondents").all()
    assert table["share"].tolist() == pytest.approx([c / 6 for *_, c in EXPECTED_ROWS])
    assert (table["ci_low"] <= table["share"]).all() and (table["share"] <= table["ci_high"]).all()


def test_single_choice_options_and_missing_add_up_to_base(rounds_dir):
    table = frequency_table(ROUND, data_dir=rounds_dir)
    for q in load_codebook().choice_questions:
        if q.type != "single_choice":
            continue
        rows = table[(table["question"] == q.id) & table["kind"].isin(["option", "missing"])]
        assert rows["count"].sum() == 6, q.id


def test_missing_row_is_labelled_not_stated(rounds_dir):
    table = frequency_table(ROUND, data_dir=rounds_dir).set_index(["question", "category"])
    row = table.loc[("new_knowledge", "not_stated")]
    assert (row["kind"], row["label_en"], row["label_da"]) == ("missing", "Not stated", "Uoplyst")


def test_cli_tables_csv_prints_the_same(rounds_dir):
    result = run_cli("tables", "--round", ROUND, "--data", rounds_dir, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["question"], r["category"], r["kind"], int(r["count"])) for r in records] == EXPECTED_ROWS
    assert {r["base"] for r in records} == {"6"}
    assert [r["share"] for r in records] == [f"{c / 6:.4f}" for *_, c in EXPECTED_ROWS]


def test_a_multiple_choice_question_is_not_stated_only_where_every_box_is_blank():
    import pandas as pd

    from councils.codebook import load_codebook
    from councils.tables import aggregate_responses
    from conftest import valid_rows

    codebook = load_codebook()
    boxes = [f"focus_areas.{c}" for c in codebook.question("focus_areas").option_codes]
    rows = valid_rows(5)
    for row, marks in zip(rows, (["", "", "", "", "", ""],      # every box blank: not stated
                                 ["", "0", "0", "0", "0", "0"],  # the first blank, the rest 'not chosen'
                                 ["1", "", "", "", "", ""],      # the first chosen, the rest blank
                                 ["", "1", "", "", "", ""],      # only the second chosen
                                 ["0", "0", "0", "0", "0", ""])):  # the last blank
        row.update(dict(zip(boxes, marks)))
    table = aggregate_responses(pd.DataFrame(rows, dtype="str"), codebook)
    focus = table[table["question"] == "focus_areas"].set_index("category")
    assert focus.loc["not_stated", "count"] == 1 and focus.loc["employment", "count"] == 1
