"""Every count the report prints for figures 1-10 and in its text, reproduced from data/rounds/2016.

The expected numbers are copied from the report (shared/seeds/000_d8a95c3387766a04.txt), with the
section or figure they come from; they are not read from the data under test.
"""

import json
import subprocess
import sys

import pytest

from councils.rounds import load_round
from councils.tables import frequency_table

# (question, category, count as printed in the report, where)
REPORT = [
    ("chair_background", "association", 16, "2.1, fig. 1: 16 of 30 chairs represent an association"),
    ("chair_background", "politician", 8, "2.1: in eight cases the chair is a politician"),
    ("chair_background", "civil_servant", 4, "2.1: a civil servant in four cases"),
    ("chair_background", "not_stated", 2, "2.1: not stated for two councils"),
    ("council_size", "1_10", 12, "2.2, fig. 2: 12 councils have 1-10 members"),
    ("council_size", "11_15", 13, "2.2, fig. 2: 13 councils have 11-15"),
    ("council_size", "16_plus", 5, "2.2, fig. 2: five have 16 or more"),
    ("new_knowledge", "often", 17, "2.2: 17/30 often"),
    ("new_knowledge", "sometimes", 12, "2.2: 12/30 sometimes"),
    ("new_knowledge", "never", 1, "2.2: 1/30 never"),
    ("own_budget", "yes", 21, "2.3, fig. 3: 21 have a budget of their own"),
    ("own_budget", "no", 6, "2.3, fig. 3: 6 do not"),
    ("own_budget", "not_stated", 3, "2.3: not stated in three cases"),
    ("member_compensation", "yes", 8, "2.3, fig. 4: compensation in eight councils"),
    ("member_compensation", "no", 18, "2.3, fig. 4: 18 not"),
    ("member_compensation", "dont_know", 4, "2.3, fig. 4: four don't know"),
    ("advise_all_groups", "yes", 20, "2.4, fig. 5: 20 of 30 yes"),
    ("advise_all_groups", "no", 8, "2.4, fig. 5: 8 of 30 no"),
    ("advise_all_groups", "dont_know", 2, "2.4, fig. 5: 2 cannot answer"),
    ("admin_placement", "employment", 22, "2.4: 22 placed with employment"),
    ("focus_areas", "employment", 16, "2.4, fig. 6: 16/30 employment"),
    ("focus_areas", "democratic_participation", 10, "2.4, fig. 6: 10/30 democratic participation"),
    ("focus_areas", "education", 9, "2.4, fig. 6: 9/30 education"),
    ("focus_areas", "health", 4, "2.4, fig. 6: 4/30 health"),
    ("focus_areas", "discrimination", 1, "2.4, fig. 6: 1/30 discrimination"),
    ("focus_areas", "other", 9, "2.4, fig. 6: the 9 who answered other"),
    ("integration_policy", "has_policy", 22, "3.1: a policy in 22 of the 30"),
    ("integration_policy", "decided_to_prepare", 1, "3.1: 1 has decided to prepare one"),
    ("integration_policy", "dont_know", 5, "3.1: 5 don't know"),
    ("integration_policy", "no_current_plans", 1, "3.1: one has no current plans"),
    ("integration_policy", "decided_against", 1, "3.1: the last has decided against"),
    ("contact_officials_appointed", "yes", 25, "3.2: officials appointed in 25"),
    ("contact_politicians_appointed", "yes", 15, "3.2: politicians in half (15 of 30)"),
    ("cooperation_municipal_board", "satisfied", 24, "3.3, fig. 7: 24 of 30 very or mostly satisfactory"),
    ("secretariat_service", "satisfied", 28, "3.3, fig. 7: 28 very or mostly satisfactory"),
    ("consulted", "often_or_sometimes", 28, "3.4, fig. 8: 28 of 30 often or sometimes"),
    ("influence", "large_or_some", 20, "3.4, fig. 9: 20 large or some"),
    ("influence", "small_or_none", 10, "3.4, fig. 9: 10 small or none"),
    ("statements_published", "yes", 19, "3.5: 19 yes"),
    ("statements_published", "no", 8, "3.5: 8 no"),
    ("statements_published", "dont_know", 3, "3.5: 3 don't know"),
    ("visibility", "meetings_in_town", 21, "3.5, fig. 10: 21/30 meetings out in town"),
    ("visibility", "invite_civil_society", 21, "3.5, fig. 10: 21/30 invite civil society"),
    ("visibility", "invite_officials", 18, "3.5, fig. 10: 18/30 invite officials"),
    ("visibility", "website", 17, "3.5, fig. 10: 17/30 website"),
    ("visibility", "integration_prize", 12, "3.5, fig. 10: 12/30 integration prize"),
    ("visibility", "citizen_meetings", 13, "3.5, fig. 10: 13/30 public meetings"),
    ("rem_knowledge", "good", 17, "3.6: 17/30 good knowledge of REM"),
    ("rem_knowledge", "some_or_superficial", 13, "3.6: the rest some or superficial"),
    ("rem_support", "high_or_some", 19, "3.6: 19/30 high or some degree"),
]
# Combined figures whose remainder the data stores under a complementary group: 30 less the report's figure.
REMAINDERS = [
    ("cooperation_municipal_board", "not_satisfied", 30 - 24),
    ("secretariat_service", "not_satisfied", 30 - 28),
    ("consulted", "not_often_or_sometimes", 30 - 28),
    ("rem_support", "not_high_or_some", 30 - 19),
]


@pytest.fixture(scope="module")
def table():
    return frequency_table("2016").set_index(["question", "category"])


@pytest.mark.parametrize("question,category,count,where", REPORT, ids=[f"{q}-{c}" for q, c, *_ in REPORT])
def test_count_as_in_report(table, question, category, count, where):
    row = table.loc[(question, category)]
    assert row["count"] == count, where
    assert row["base"] == 30, "every share in the report is out of the 30 responding councils"
    assert row["basis"] == "stated"


@pytest.mark.parametrize("question,category,count", REMAINDERS)
def test_remainder_of_combined_figures(table, question, category, count):
    row = table.loc[(question, category)]
    assert row["count"] == count
    assert row["basis"] == "remainder"


def test_nothing_beyond_the_report(table):
    stated = {(q, c) for q, c, *_ in REPORT} | {(q, c) for q, c, _ in REMAINDERS}
    assert set(table.index) == stated, "the 2016 round holds exactly what the report prints"


def test_combined_figures_are_not_split(table):
    """Figures 7-9 are published only as groups: no invented option-level counts."""
    for question in ("cooperation_municipal_board", "secretariat_service", "consulted", "influence"):
        kinds = set(table.loc[question]["kind"])
        assert kinds == {"group"}, question


def test_metadata_as_in_report():
    meta = load_round("2016").meta
    assert meta["round"] == "2016"  # a string, never the integer 2016
    assert (meta["municipalities"], meta["councils_existing"], meta["councils_asked"], meta["responses"]) == (98, 44, 40, 30)
    assert meta["follow_up_interviews"] == 5
    assert (meta["fieldwork_year"], meta["report_year"]) == (2016, 2017)
    assert "TNS Gallup" in meta["conducted_by"]
    assert meta["fictional"] is False


def test_response_rate_as_in_report():
    meta = load_round("2016").meta
    assert round(100 * meta["responses"] / meta["councils_asked"]) == 75  # section 1.1: 75 per cent


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "councils", *args], capture_output=True, text=True, check=False)


def test_cli_tables_csv_has_every_report_count():
    result = _cli("tables", "--round", "2016", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("question,category,kind,count,base")
    rows = {tuple(line.split(",")[:2]): line.split(",") for line in lines[1:]}
    for question, category, count, where in REPORT:
        fields = rows[(question, category)]
        assert (int(fields[3]), int(fields[4])) == (count, 30), where


def test_cli_tables_json_has_every_report_count():
    result = _cli("tables", "--round", "2016", "--format", "json")
    assert result.returncode == 0, result.stderr
    records = {(r["question"], r["category"]): r for r in json.loads(result.stdout)}
    for question, category, count, where in REPORT:
        assert records[(question, category)]["count"] == count, where
        assert records[(question, category)]["base"] == 30


def test_cli_unknown_round_is_a_clear_error():
    result = _cli("tables", "--round", "1999")
    assert result.returncode == 1
    assert "1999" in result.stderr and "Traceback" not in result.stderr
