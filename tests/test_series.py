"""A survey series: each round's questionnaire declared, checked, and compared only where comparable.

A small series is written by hand in a temporary folder: three respondent-level rounds of a few
councils each, whose questionnaires change in every way a round can declare. The counts expected
below were counted by hand from the rows written here, not produced by the code under test.

- ``r1``: the codebook's questionnaire, 4 councils;
- ``r2`` (after r1), 5 councils: consulted's "rarely" and "never" merged into "rarely_or_never",
  council_size's "16_plus" split into "16_20" and "21_plus", chair_background gains "other",
  rem_support dropped, youth_members added (section 2.2, figure 11), statements_published reworded
  with a break;
- ``r3`` (after r2), 3 councils: who answered changed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from councils.codebook import load_codebook
from councils.rounds import load_round
from councils.series import codebook_for, series_for
from councils.tables import compare_rounds, frequency_table, trends
from councils.validate import check_round, option_column, response_columns
from tests.conftest import csv_text, run_cli

YOUTH = {
    "id": "youth_members", "section": "2.2", "figure": 11, "type": "single_choice", "wording": "made up",
    "da": "Har rådet medlemmer under 30 år?", "en": "Does the council have members under 30?",
    "short_da": "Unge medlemmer", "short_en": "Young members", "scale": "yes_no_dont_know",
    "phrases": {"lead": "yes", "en": {"yes": "{n:have} members under 30"}, "da": {"yes": "har medlemmer under 30 år"}},
}
R2_CHANGES = {
    "added": [YOUTH],
    "dropped": ["rem_support"],
    "changed": {
        "consulted": {"options_merged": [{"code": "rarely_or_never", "da": "Sjældent eller aldrig",
                                          "en": "Rarely or never", "from": ["rarely", "never"]}]},
        "council_size": {"options_split": [{"from": "16_plus", "into": [
            {"code": "16_20", "da": "16-20 medlemmer", "en": "16-20 members"},
            {"code": "21_plus", "da": "21 medlemmer eller flere", "en": "21 members or more"}]}]},
        "chair_background": {"options_added": [{"code": "other", "da": "Andet", "en": "Other"}]},
        "statements_published": {"wording": {"da": "Offentliggøres udtalelserne på nettet?",
                                             "en": "Are the statements published online?"},
                                 "break": {"en": "it now asks about publication online",
                                           "da": "det spørger nu om offentliggørelse på nettet"}},
    },
}
R3_CHANGES = {"respondents_changed": {"en": "The secretary answered", "da": "Sekretæren svarede"}}
# Answers written by hand, per round, for the questions whose counts are checked; every other question
# takes its first option in every row.
ANSWERS = {
    "r1": {"consulted": ["often", "rarely", "never", "never"],
           "council_size": ["1_10", "16_plus", "16_plus", "11_15"],
           "chair_background": ["association", "politician", "association", ""],
           "rem_knowledge": ["good", "some", "good", "superficial"]},
    "r2": {"consulted": ["often", "rarely_or_never", "rarely_or_never", "sometimes", "often"],
           "council_size": ["16_20", "21_plus", "21_plus", "1_10", "1_10"],
           "chair_background": ["other", "association", "other", "politician", "civil_servant"],
           "youth_members": ["yes", "no", "yes", "yes", ""],
           "rem_knowledge": ["good", "good", "good", "good", "some"]},
    "r3": {"consulted": ["often", "often", "sometimes"],
           "council_size": ["1_10", "1_10", "21_plus"],
           "chair_background": ["association", "association", "other"],
           "youth_members": ["no", "no", "no"],
           "rem_knowledge": ["good", "some", "some"]},
}
PREVIOUS = {"r1": None, "r2": "r1", "r3": "r2"}
CHANGES = {"r1": None, "r2": R2_CHANGES, "r3": R3_CHANGES}


def rows_for(codebook, answers: dict[str, list[str]]) -> list[dict[str, str]]:
    n = len(next(iter(answers.values())))
    rows = []
    for i in range(n):
        row = {"respondent_id": f"c{i + 1}"}
        for q in codebook.questions:
            if q.type == "single_choice":
                row[q.id] = answers[q.id][i] if q.id in answers else q.option_codes[0]
            elif q.type == "multiple_choice":
                row |= {option_column(q, c): "1" if j == 0 else "0" for j, c in enumerate(q.option_codes)}
            else:
                row[q.id] = ""
        rows.append(row)
    return rows


def write_round(base: Path, rid: str, changes: dict | None, previous: str | None, answers: dict, year: int,
                rows: list[dict] | None = None, header: list[str] | None = None) -> Path:
    folder = base / rid
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"round": rid, "title_en": f"Round {rid}", "title_da": f"Runde {rid}", "fictional": True,
            "data": "responses", "councils_asked": 40, "source": "written by tests/test_series.py",
            "fieldwork_year": year, "previous_round": previous}
    if changes is not None:
        (folder / "questionnaire.yaml").write_text(yaml.safe_dump(changes, allow_unicode=True), encoding="utf-8")
    (folder / "round.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    codebook = codebook_for(load_round(rid, base))
    rows = rows if rows is not None else rows_for(codebook, answers)
    (folder / "responses.csv").write_text(csv_text(header or response_columns(codebook), rows), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hand(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("series") / "rounds"
    for year, rid in enumerate(("r1", "r2", "r3"), start=2020):
        write_round(base, rid, CHANGES[rid], PREVIOUS[rid], ANSWERS[rid], year)
    return base


def test_each_round_asks_what_it_declares(hand):
    series = series_for(load_round("r3", hand))
    assert series.ids == ("r1", "r2", "r3")
    r1, r2 = series.questionnaire("r1").codebook, series.questionnaire("r2").codebook
    assert "rem_support" in r1 and "rem_support" not in r2
    assert "youth_members" not in r1 and "youth_members" in r2
    assert r2.question("consulted").option_codes == ("often", "sometimes", "rarely_or_never", "dont_know")
    assert r2.question("council_size").option_codes == ("1_10", "11_15", "16_20", "21_plus")
    assert r2.question("chair_background").option_codes == (
        "association", "politician", "civil_servant", "other", "not_stated")
    assert r2.question("statements_published").en == "Are the statements published online?"
    assert [q.id for q in series.codebook.questions].count("rem_support") == 1  # the series knows every question
    assert series.asked_in("youth_members") == ("r2", "r3") and series.asked_in("rem_support") == ("r1",)
    for rid in series.ids:
        assert check_round(hand / rid)[2] == []


def test_merged_and_split_options_are_compared_through_what_they_mean(hand):
    comp = compare_rounds("r2", "r1", hand)
    rows = {(r.question, r.category): (r.previous_count, r.previous_base, r.current_count, r.current_base)
            for r in comp.table.itertuples()}
    # consulted: r1 rarely 1 + never 2 = 3 of 4; r2 rarely_or_never 2 of 5
    assert rows[("consulted", "rarely_or_never")] == (3, 4, 2, 5)
    assert rows[("consulted", "often")] == (1, 4, 2, 5)
    # council_size: r1 16_plus 2 of 4; r2 16_20 1 + 21_plus 2 = 3 of 5, compared as one
    assert rows[("council_size", "16_20+21_plus")] == (2, 4, 3, 5)
    assert ("council_size", "16_20") not in rows and ("council_size", "21_plus") not in rows
    # chair_background: association 2 of 4 against 1 of 5; the new "other" is not compared
    assert rows[("chair_background", "association")] == (2, 4, 1, 5)
    assert not any(q == "chair_background" and c == "other" for q, c in rows)
    reasons = {item["question"]: item["reason_en"] for item in comp.not_compared}
    assert reasons["statements_published"].startswith("the question changed in round r2: it now asks")
    assert reasons["rem_support"] == "round r2 did not ask this question"
    assert reasons["youth_members"] == "round r1 did not ask this question"
    assert not {q for q, _ in rows} & {"statements_published", "rem_support", "youth_members"}
    notes = " ".join(n["note_en"] for n in comp.notes)
    assert "round r2 added the answer “Other”" in notes and "“16 members or more” was split into" in notes
    assert "“Rarely or never” joins options that round r1 asked separately (“Rarely” and “Never”)" in notes


def test_a_change_of_who_answered_breaks_every_series(hand):
    comp = compare_rounds("r3", "r2", hand)
    assert comp.table.empty
    assert {item["kind"] for item in comp.not_compared} == {"respondents"}
    assert len(comp.not_compared) == len([q for q in codebook_for(load_round("r3", hand)).choice_questions])


def test_trends_follow_each_question_over_its_rounds_and_never_across_a_break(hand):
    found = trends(series_for(load_round("r3", hand)))
    consulted = found.rows[found.rows["question"] == "consulted"]
    # r1 and r2 form one stretch, in r2's terms; r3 stands apart after the break
    merged = consulted[consulted["category"] == "rarely_or_never"].set_index("round")["count"].to_dict()
    assert merged == {"r1": 3, "r2": 2, "r3": 0}
    assert set(consulted.loc[consulted["round"] == "r3", "segment"]) == {1}
    assert set(consulted.loc[consulted["round"].isin(["r1", "r2"]), "segment"]) == {0}
    assert not (found.rows["question"] == "rem_support").any()  # asked in one round only
    youth = found.rows[(found.rows["question"] == "youth_members") & (found.rows["category"] == "yes")]
    assert youth.set_index("round")["count"].to_dict() == {"r2": 3, "r3": 0}
    changes = found.changes
    assert set(changes.loc[changes["question"] == "consulted", "previous_round"]) == {"r1"}  # never r2 -> r3
    assert {b["round"] for b in found.breaks if b["question"] == "consulted"} == {"r3"}


def test_a_question_nobody_answered_is_said_and_never_compared(tmp_path):
    base = tmp_path / "rounds"
    write_round(base, "a", None, None, {"own_budget": ["yes", "no", "yes"]}, 2020)
    write_round(base, "b", None, "a", {"own_budget": ["", "", "", ""]}, 2021)
    comp = compare_rounds("b", "a", base)
    assert not (comp.table["question"] == "own_budget").any()
    assert {"question": "own_budget", "kind": "no_answers", "reason_en": "no council answered it in round b",
            "reason_da": "intet råd besvarede det i runde b"} in comp.not_compared
    from councils import findings

    rnd = load_round("b", base)
    text, _ = findings.write("own_budget", frequency_table(rnd), rnd.meta)
    assert text == "No council answered this question in round b."


# ---------------------------------------------------------------------------------------------------
# Validation: every inconsistency between a round's declaration and its data, by file, row, column, value


def _problems(folder: Path) -> list:
    return check_round(folder)[2]


def _one(problems, **fields):
    hits = [p for p in problems if all(str(getattr(p, k)) == str(v) for k, v in fields.items())]
    assert hits, (fields, problems)
    return hits[0]


@pytest.fixture
def two(tmp_path) -> Path:
    base = tmp_path / "rounds"
    write_round(base, "a", None, None, {"own_budget": ["yes", "no"]}, 2020)
    return base


def test_a_column_for_a_question_the_round_did_not_ask(two):
    # round b drops rem_support, but its file still has the column
    codebook = load_codebook()
    rows = rows_for(codebook, {"own_budget": ["yes", "no"]})
    folder = write_round(two, "b", {"dropped": ["rem_support"]}, "a", {}, 2021, rows=rows,
                         header=response_columns(codebook))
    problem = _one(_problems(folder), column="rem_support")
    assert problem.file.endswith("b/responses.csv")
    assert "round b did not ask question 'rem_support'" in problem.expected
    assert "questionnaire.yaml" in problem.expected
    # the whole sentence as `validate` prints it
    assert str(problem).endswith("b/responses.csv: column 'rem_support': round b did not ask question 'rem_support' "
                                 "(asked in round a), so its file has no column for it: remove the column, or "
                                 "declare the question in b's questionnaire.yaml"), str(problem)


def test_a_missing_column_for_a_question_the_round_asked(two):
    folder = write_round(two, "b", {"added": [YOUTH]}, "a", {"own_budget": ["yes"]}, 2021)
    text = (folder / "responses.csv").read_text(encoding="utf-8")
    header, *lines = text.splitlines()
    keep = [i for i, c in enumerate(header.split(",")) if c != "youth_members"]
    (folder / "responses.csv").write_text("\n".join(",".join(line.split(",")[i] for i in keep)
                                                   for line in [header, *lines]) + "\n", encoding="utf-8")
    problem = _one(_problems(folder), column="youth_members")
    assert "missing" in problem.expected and "round b asked question 'youth_members'" in problem.expected


def test_a_code_outside_the_rounds_options(two):
    folder = write_round(two, "b", R2_CHANGES, "a", {"consulted": ["rarely"]}, 2021)  # merged away in b
    problem = _one(_problems(folder), column="consulted", value="rarely", row=2)
    assert problem.expected.startswith("one of often, sometimes, rarely_or_never, dont_know, not_stated")
    assert "option of the codebook that round b did not offer" in problem.expected


@pytest.mark.parametrize("changes,column,value,expected", [
    ({"dropped": ["nonexistent"]}, "dropped/0", "nonexistent", "a question of the codebook that the previous round asked"),
    ({"changed": {"nonexistent": {"break": {"en": "x", "da": "x"}}}}, "changed/nonexistent", "nonexistent",
     "a question of the codebook that the previous round asked"),
    ({"changed": {"consulted": {"options_merged": [{"code": "x", "da": "x", "en": "x", "from": ["rarely", "seldom"]}]}}},
     "changed/consulted/options_merged/0/from", "seldom", "options of 'consulted' to merge"),
    ({"changed": {"council_size": {"options_split": [{"from": "huge", "into": [
        {"code": "a", "da": "a", "en": "a"}, {"code": "b", "da": "b", "en": "b"}]}]}}},
     "changed/council_size/options_split/0/from", "huge", "an option of 'council_size' to split"),
    ({"changed": {"own_budget": {"options_added": [{"code": "no", "da": "Nej", "en": "No"}]}}},
     "changed/own_budget/options_added/0/code", "no", "a code no other option has"),
    ({"added": [{**YOUTH, "id": "own_budget"}]}, "added/0/id", "own_budget", "an id no earlier question"),
    ({"added": [{**YOUTH, "section": "9.9"}]}, "added/0/section", "9.9", "a section of the codebook or one this round"),
    ({"added": [{**YOUTH, "figure": 3}]}, "added/figure", "3", "a figure number no question of another section uses"),
    ({"respondents": "x"}, None, "{'respondents': 'x'}", "only the fields added, dropped, changed"),
])
def test_every_inconsistent_declaration_is_named(two, changes, column, value, expected):
    folder = two / "b"
    folder.mkdir()
    (folder / "questionnaire.yaml").write_text(yaml.safe_dump(changes, allow_unicode=True), encoding="utf-8")
    (folder / "round.yaml").write_text(yaml.safe_dump({
        "round": "b", "title_en": "b", "title_da": "b", "fictional": True, "data": "responses", "councils_asked": 10,
        "source": "x", "previous_round": "a"}), encoding="utf-8")
    (folder / "responses.csv").write_text("respondent_id\nc1\n", encoding="utf-8")
    problems = _problems(folder)
    problem = next((p for p in problems if (column is None or p.column == column) and expected in p.expected), None)
    assert problem is not None, problems
    assert problem.file.endswith("b/questionnaire.yaml")
    if column is not None and column != "added/figure":
        assert problem.value == value and problem.row is not None  # the line of questionnaire.yaml


def test_a_loop_of_previous_rounds_is_refused(tmp_path):
    base = tmp_path / "rounds"
    write_round(base, "a", None, None, {"own_budget": ["yes"]}, 2020)
    write_round(base, "b", None, "a", {"own_budget": ["yes"]}, 2021)
    meta = yaml.safe_load((base / "a" / "round.yaml").read_text(encoding="utf-8"))
    (base / "a" / "round.yaml").write_text(yaml.safe_dump({**meta, "previous_round": "b"}), encoding="utf-8")
    problem = _one(_problems(base / "b"), column="previous_round")
    assert "a loop" in problem.expected


def test_validate_names_the_problem_and_changes_nothing(two, tmp_path):
    folder = two / "b"
    folder.mkdir()
    (folder / "questionnaire.yaml").write_text("dropped: [nonexistent]\n", encoding="utf-8")
    (folder / "round.yaml").write_text(yaml.safe_dump({
        "round": "b", "title_en": "b", "title_da": "b", "fictional": True, "data": "responses", "councils_asked": 10,
        "source": "x", "previous_round": "a"}), encoding="utf-8")
    codebook = load_codebook()
    (folder / "responses.csv").write_text(csv_text(response_columns(codebook), rows_for(codebook, {"own_budget": ["yes"]})),
                                          encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run_cli("validate", folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "questionnaire.yaml" in result.stderr and "nonexistent" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_the_repositorys_example_series_differs_from_2016_in_every_declared_way():
    """example-2 and example-3 between them: added (also in a new section), dropped, option added, merged, split,
    reworded with a break, and a change of who answered."""
    series = series_for(load_round("example-3"))
    assert series.ids == ("2016", "example", "example-2", "example-3")
    kinds = {c.kind for rid in series.ids for c in series.questionnaire(rid).changes}
    assert kinds == {"added", "merged", "split"}
    assert any(b.question is None for b in series.questionnaire("example-2").breaks)
    assert any(b.question == "statements_published" for b in series.questionnaire("example-3").breaks)
    assert series.questionnaire("example-3").added == ("youth_members", "civil_society_partners")
    assert series.questionnaire("example-3").dropped == ("rem_support",)
    assert series.questionnaire("example-2").dropped == ("new_knowledge",)
    assert series.codebook.section("3.7").en == "Cooperation with civil society"
    assert "statements_published" in series.questionnaire("example-3").reworded
    for rid in series.ids:
        assert check_round(load_round(rid).path)[2] == []


# ---------------------------------------------------------------------------------------------------
# Generated series: 2 to 5 rounds whose questionnaires change at random; every sentence and every compared
# count of the newest round is judged against the test's own recount and its own model of the changes.

import random  # noqa: E402

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.test_findings import LEVEL, judge_text  # noqa: E402

PREDICATES = ["{n:have} trait {label_lc}", "{n:say} “{label}”", "{n:are} known for {label_lc}", "{n:report} {label}"]


@st.composite
def generated_series(draw):
    """The rounds' declarations and answers, and the test's own model of what each round asked."""
    base = load_codebook()
    model = {q.id: (q.type, list(q.option_codes), q.max_answers) for q in base.questions}
    rounds = []
    for i in range(draw(st.integers(2, 5))):
        changes: dict = {}
        merged: dict[str, tuple[str, list[str]]] = {}
        if i:
            choice = [q for q, (t, _, _) in model.items() if t != "text"]
            dropped = draw(st.lists(st.sampled_from(choice), max_size=2, unique=True))
            if dropped and len(dropped) < len(choice) - 1:
                changes["dropped"] = dropped
                for q in dropped:
                    del model[q]
            single = sorted(q for q, (t, opts, _) in model.items() if t == "single_choice")
            if draw(st.booleans()):
                q = draw(st.sampled_from(single))
                changes.setdefault("changed", {}).setdefault(q, {})["options_added"] = [
                    {"code": f"extra{i}", "da": f"Ekstra {i}", "en": f"Extra {i}"}]
            mergeable = [q for q in single if len([o for o in model[q][1] if o not in ("dont_know", "not_stated")]) >= 3
                         and q not in changes.get("changed", {})]
            if mergeable and draw(st.booleans()):
                q = draw(st.sampled_from(mergeable))
                parts = [o for o in model[q][1] if o not in ("dont_know", "not_stated")][:2]
                changes.setdefault("changed", {}).setdefault(q, {})["options_merged"] = [
                    {"code": f"merged{i}", "da": f"Samlet {i}", "en": f"Merged {i}", "from": parts}]
                merged[q] = (f"merged{i}", parts)
            if draw(st.integers(0, 4)) == 0:
                q = draw(st.sampled_from(sorted(model)))
                if model[q][0] != "text":
                    changes.setdefault("changed", {}).setdefault(q, {})["break"] = {"en": "reworded", "da": "omformuleret"}
            if draw(st.integers(0, 5)) == 0:
                changes["respondents_changed"] = {"en": "Others answered", "da": "Andre svarede"}
            if draw(st.booleans()):
                kind = draw(st.sampled_from(["single_choice", "multiple_choice"]))
                n = draw(st.integers(2, 4))
                codes = [f"n{i}o{j}" for j in range(n)]
                template = draw(st.sampled_from(PREDICATES))
                question = {"id": f"new{i}", "section": draw(st.sampled_from(["2.1", "2.3", "3.2", "3.5"])),
                            "type": kind, "wording": "generated", "da": f"Nyt spørgsmål {i}?", "en": f"New question {i}?",
                            "options": [{"code": c, "da": f"Svar {c}", "en": f"Answer {c}"} for c in codes],
                            "phrases": {"en": {"*": template}, "da": {"*": "har " + "{label_lc}"}}}
                if kind == "single_choice":
                    question["phrases"]["lead"] = draw(st.sampled_from(codes + ["most_common"]))
                else:
                    question["phrases"]["style"] = "list"
                changes["added"] = [question]
                model[f"new{i}"] = (kind, codes, None)
            for q, change in changes.get("changed", {}).items():
                if "options_added" in change:
                    model[q][1].append(change["options_added"][0]["code"])
                if "options_merged" in change:
                    code, parts = merged[q]
                    model[q] = (model[q][0], [code] + [o for o in model[q][1] if o not in parts], model[q][2])
        n = draw(st.integers(1, 25))
        rng = random.Random(draw(st.integers(0, 2**32)))
        blank = draw(st.sampled_from([0.0, 0.1, 1.0]))
        rows = []
        for r in range(n):
            row = {"respondent_id": f"c{r}"}
            for q, (kind, opts, limit) in model.items():
                if kind == "single_choice":
                    answers = [o for o in opts if o != "not_stated"]
                    row[q] = "" if rng.random() < blank else rng.choice(answers)
                elif kind == "multiple_choice":
                    k = rng.randint(0, min(limit or len(opts), len(opts)))
                    chosen = set(rng.sample(opts, k))
                    for o in opts:
                        row[f"{q}.{o}"] = "1" if o in chosen else "0"
                else:
                    row[q] = ""
            rows.append(row)
        rounds.append((changes if i else None, rows, {q: (t, list(o), m) for q, (t, o, m) in model.items()}, merged))
    return rounds


def recount(rows: list[dict], model: dict, codebook) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for q, (kind, opts, _) in model.items():
        if kind == "single_choice":
            for row in rows:
                code = row[q] or "not_stated"
                counts[(q, code)] = counts.get((q, code), 0) + 1
            if q in codebook:
                for g in codebook.question(q).groups:
                    counts[(q, g.code)] = sum(counts.get((q, m), 0) for m in g.members)
        elif kind == "multiple_choice":
            for o in opts:
                counts[(q, o)] = sum(row[f"{q}.{o}"] == "1" for row in rows)
    return counts


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.generate])
@given(generated_series())
def test_generated_series_are_published_as_declared(generated):
    import tempfile

    from councils import findings, report

    base = Path(tempfile.mkdtemp(prefix="councils-series-")) / "rounds"
    try:
        ids = [f"g{i}" for i in range(len(generated))]
        for i, (changes, rows, model, _) in enumerate(generated):
            header = ["respondent_id"] + [c for c in rows[0] if c != "respondent_id"]
            write_round(base, ids[i], changes, ids[i - 1] if i else None, {}, 2020 + i, rows=rows, header=header)
            assert check_round(base / ids[i])[2] == [], ids[i]
        last = load_round(ids[-1], base)
        _, rows, model, merged = generated[-1]
        codebook = codebook_for(last)
        assert {q.id for q in codebook.questions} == set(model)  # the round asked what was declared
        table = frequency_table(last)
        counts = recount(rows, model, codebook)
        for q in codebook.choice_questions:
            text, record = findings.write(q.id, table, last.meta, codebook=codebook)
            judge_text(q.id, text, record, counts, len(rows), last.meta, names=LEVEL | {last.id}, codebook=codebook)
        # the chapters: no figure and one sentence for a question the round did not ask
        en, _ = report.setup(last.id, str(base))
        shown = "\n".join(text for s in en.series.codebook.sections for _, text in report.section_parts(en, s.id))
        for q in en.series.codebook.choice_questions:
            if q.id not in codebook:
                assert shown.count(f"did not ask the question “{q.text('en').rstrip('?')}”") == 1, q.id
                if q.figure is not None and not any(o.figure == q.figure for o in codebook.questions):
                    assert f'id="fig-{q.figure}"' not in shown
        # the comparison with the previous round: counts as the test's own model maps them
        previous = load_round(ids[-2], base)
        _, prev_rows, prev_model, _ = generated[-2]
        prev_counts = recount(prev_rows, prev_model, codebook_for(previous))
        comp = compare_rounds(last, previous)
        broken = generated[-1][0] and "respondents_changed" in generated[-1][0]
        assert not (broken and not comp.table.empty), "compared across a change of who answered"
        for row in comp.table.itertuples():
            if row.kind == "group":
                continue
            assert (row.question in model and row.question in prev_model), row.question
            assert row.current_count == counts.get((row.question, row.category), 0), row
            code, parts = merged.get(row.question, (None, []))
            before = (sum(prev_counts.get((row.question, p), 0) for p in parts) if row.category == code
                      else prev_counts.get((row.question, row.category), 0))
            assert row.previous_count == before, row
        changed = (generated[-1][0] or {}).get("changed", {})
        for q, change in changed.items():
            if "break" in change:
                assert not (comp.table["question"] == q).any(), f"{q} compared across its break"
    finally:
        shutil.rmtree(base.parent, ignore_errors=True)


def test_a_key_finding_written_for_a_questions_wording_is_not_used_once_a_round_rewords_it():
    """example-3 rewords statements_published (publication on the website, with a break): the key finding on the
    Integration Act's duty to publish statements speaks of the codebook's wording, so example-3 never offers it;
    example-2, which asks the codebook's wording, still does."""
    from councils import findings

    def themes(rid: str) -> set[str]:
        rnd = load_round(rid)
        w = findings.Writer(frequency_table(rnd), rnd.meta, "en", codebook=codebook_for(rnd))
        return {t.name for t in findings.THEMES if t.held(w)}

    statements = next(t.name for t in findings.THEMES if t.lead[0] == "statements_published")
    assert statements in themes("example-2")
    assert statements not in themes("example-3")
    assert themes("example-3") - {statements}, "no theme held at all: the check above would pass vacuously"


def test_the_banner_names_which_rounds_of_the_book_are_fictional():
    from councils.site import fictional_banner

    assert fictional_banner(load_round("2016"), "en") is None
    assert fictional_banner(load_round("example-3"), "en") == (
        "Fictional data: the metadata of rounds example, example-2 and example-3 marks them as fictional; their "
        "numbers describe no real integration council. Round 2016 is not marked fictional.")
    assert fictional_banner(load_round("example-3"), "da") == (
        "Fiktive data: metadata for runderne example, example-2 og example-3 angiver, at de er fiktive; deres tal "
        "beskriver ingen virkelige integrationsråd. Runde 2016 er ikke angivet som fiktiv.")


def test_a_book_of_fictional_rounds_only_says_so_of_every_round(hand):
    from councils.site import fictional_banner

    # r1, r2 and r3 of the hand-written series are all fictional
    assert fictional_banner(load_round("r3", hand), "en") == (
        "Fictional data: the metadata of every round in this book (r1, r2 and r3) marks it as fictional. The numbers "
        "on this page describe no real integration council.")


def test_a_chapter_run_on_new_data_never_meets_the_last_runs_comparison(tmp_path):
    """The comparison is computed once for the files it was read from (both languages, every section, the
    spreadsheets and the data package share it); after the answers changed, with the metadata untouched, a new
    setup compares the new answers."""
    from councils import report

    base = tmp_path / "rounds"
    write_round(base, "a", None, None, {"own_budget": ["yes", "no"]}, 2020)
    write_round(base, "b", None, "a", {"own_budget": ["yes", "yes"]}, 2021)
    en, da = report.setup("b", base)

    def own_budget_yes(ctx) -> int:
        table = report._comparison(ctx).table
        return int(table[(table["question"] == "own_budget") & (table["category"] == "yes")]["current_count"].iloc[0])

    assert own_budget_yes(en) == own_budget_yes(da) == 2
    assert report._comparison(en) is report._comparison(da)  # one computation for both languages
    yaml_before = (base / "b" / "round.yaml").stat().st_mtime_ns
    codebook = codebook_for(load_round("b", base))
    (base / "b" / "responses.csv").write_text(csv_text(response_columns(codebook),
                                                       rows_for(codebook, {"own_budget": ["no", "no"]})),
                                              encoding="utf-8")  # new answers; round.yaml untouched
    assert (base / "b" / "round.yaml").stat().st_mtime_ns == yaml_before
    en, _ = report.setup("b", base)
    assert own_budget_yes(en) == 0


def test_a_first_round_may_drop_a_question_of_the_codebook(tmp_path):
    from tests.conftest import responses_round, valid_rows

    header = [c for c in response_columns(load_codebook()) if c != "new_knowledge"]
    folder = responses_round(tmp_path / "first", valid_rows(5), header=header)
    (folder / "questionnaire.yaml").write_text("dropped: [new_knowledge]\n", encoding="utf-8")
    assert check_round(folder)[2] == []
    series = series_for(load_round("first", tmp_path))
    ids = [q.id for q in series.codebook.questions]
    assert "new_knowledge" not in ids  # no round of this series asked it
    assert ids == [q.id for q in load_codebook().questions if q.id != "new_knowledge"]
    assert series.asked_in("new_knowledge") == ()


# --- the trends of the repository's example series, counted by hand from its files -----------------------

EXAMPLE_SERIES = ("2016", "example", "example-2", "example-3")


def answers_of(rid: str, column: str, base: Path = Path("data/rounds")) -> dict[str, int]:
    """The answers of one column of a round's responses.csv, counted with the csv module (not the package)."""
    import csv
    from collections import Counter

    with open(base / rid / "responses.csv", newline="", encoding="utf-8") as handle:
        return dict(Counter(row[column] for row in csv.DictReader(handle)))


@pytest.fixture(scope="module")
def example_trends():
    from councils.tables import round_trends

    series, found = round_trends(load_round("example-3"))
    return series, found


def test_the_example_series_trends_follow_every_question_asked_twice(example_trends):
    _, found = example_trends
    assert found.rounds == EXAMPLE_SERIES
    asked_once = {"youth_members", "civil_society_partners"}  # example-3's two new questions
    expected = [q.id for q in load_codebook().choice_questions if q.id not in asked_once]
    assert list(dict.fromkeys(found.rows["question"])) == expected  # in the codebook's order
    assert list(dict.fromkeys(found.changes["question"])) == expected
    assert dict(zip(found.rows["round"], found.rows["position"])) == {r: i for i, r in enumerate(EXAMPLE_SERIES)}


def test_a_question_held_only_as_groups_in_2016_is_followed_through_its_groups(example_trends):
    _, found = example_trends
    rows = found.rows[(found.rows["question"] == "consulted") & (found.rows["segment"] == 0)]
    # the report (section 3.4): 28 of the 30 councils are consulted often or sometimes, so 2 are not
    example = answers_of("example", "consulted")
    often_or_sometimes = example["often"] + example["sometimes"]
    assert rows[["round", "category", "kind", "count", "base"]].values.tolist() == [
        ["2016", "often_or_sometimes", "group", 28, 30], ["example", "often_or_sometimes", "group", often_or_sometimes, 36],
        ["2016", "not_often_or_sometimes", "group", 2, 30],
        ["example", "not_often_or_sometimes", "group", 36 - often_or_sometimes, 36]]
    assert list(rows["label_en"][:1]) == ["Often or sometimes"] and list(rows["label_da"][:1]) == ["Ofte eller af og til"]


def test_after_the_break_a_question_is_followed_in_the_last_round_s_terms(example_trends):
    from councils.tables import finite_population_interval

    _, found = example_trends
    rows = found.rows[(found.rows["question"] == "consulted") & (found.rows["segment"] == 1)]
    before, after = answers_of("example-2", "consulted"), answers_of("example-3", "consulted")
    # example-3 merged 'rarely' and 'never' (its questionnaire.yaml): example-2's two are added up
    expected = []
    for code, kind, en, da, earlier, later in [
            ("often", "option", "Often", "Ofte", before["often"], after["often"]),
            ("sometimes", "option", "Sometimes", "Af og til", before["sometimes"], after["sometimes"]),
            ("rarely_or_never", "option", "Rarely or never", "Sjældent eller aldrig",
             before["rarely"] + before["never"], after["rarely_or_never"]),
            ("dont_know", "option", "Don\u2019t know", "Ved ikke", before["dont_know"], after["dont_know"]),
            ("not_stated", "missing", "Not stated", "Uoplyst", before[""], after[""])]:
        expected += [["example-2", code, kind, en, da, earlier, 38], ["example-3", code, kind, en, da, later, 41]]
    assert rows[["round", "category", "kind", "label_en", "label_da", "count", "base"]].values.tolist() == expected
    for row in rows.itertuples():
        assert row.share == row.count / row.base
        assert (row.ci_low, row.ci_high) == finite_population_interval(row.count, row.base, 44)


def test_an_option_split_in_the_last_round_is_followed_through_the_sum_of_its_parts(example_trends):
    _, found = example_trends
    rows = found.rows[(found.rows["question"] == "council_size") & (found.rows["segment"] == 1)]
    before, after = answers_of("example-2", "council_size"), answers_of("example-3", "council_size")
    split = rows[rows["category"] == "16_20+21_plus"]
    assert split[["round", "count"]].values.tolist() == [["example-2", before["16_plus"]],
                                                          ["example-3", after["16_20"] + after["21_plus"]]]
    assert set(split["kind"]) == {"option"}
    assert set(split["label_en"]) == {"16\u201320 members or 21 members or more"}
    assert set(split["label_da"]) == {"16\u201320 medlemmer eller 21 medlemmer eller flere"}
    changes = found.changes[(found.changes["question"] == "council_size") & (found.changes["segment"] == 1)]
    assert "16_20+21_plus" in set(changes["category"])


def test_a_group_whose_members_include_the_blank_answers_is_followed_through_2016(example_trends):
    _, found = example_trends
    rows = found.rows[(found.rows["question"] == "cooperation_municipal_board") & (found.rows["segment"] == 0)]
    example = answers_of("example", "cooperation_municipal_board")
    satisfied = example["very_satisfactory"] + example["mostly_satisfactory"]
    # the report (section 3.2): 24 of 30 find the cooperation very or mostly satisfactory; the other 6 the rest
    assert rows[["round", "category", "count"]].values.tolist() == [
        ["2016", "satisfied", 24], ["example", "satisfied", satisfied], ["2016", "not_satisfied", 6],
        ["example", "not_satisfied", 36 - satisfied]]


def test_every_break_of_a_question_is_named_with_its_reason(example_trends):
    _, found = example_trends
    declared_en = "In this made-up round the council's secretary answered for each council, where earlier rounds asked the chair"
    declared_da = "I denne opdigtede runde svarede rådets sekretær for hvert råd, hvor tidligere runder spurgte formanden"
    consulted = [b for b in found.breaks if b["question"] == "consulted"]
    assert consulted == [{
        "question": "consulted", "round": "example-2", "kind": "respondents",
        "reason_en": "who answered changed in round example-2: " + declared_en[0].lower() + declared_en[1:],
        "reason_da": "det ændrede sig i runde example-2, hvem der svarede: " + declared_da[0].lower() + declared_da[1:],
        "declared_en": declared_en, "declared_da": declared_da}]
    published = [(b["round"], b["kind"]) for b in found.breaks if b["question"] == "statements_published"]
    assert published == [("example-2", "respondents"), ("example-3", "break")]


def test_each_stretch_s_change_is_judged_as_the_comparison_judges_one(example_trends):
    _, found = example_trends
    changes = found.changes.set_index(["question", "segment", "category"])
    row = changes.loc[("consulted", 0, "often_or_sometimes")]
    example = answers_of("example", "consulted")
    current = (example["often"] + example["sometimes"]) / 36
    assert (row["previous_round"], row["current_round"]) == ("2016", "example")
    assert row["change_pp"] == pytest.approx(100 * (current - 28 / 30))
    assert (row["change_low_pp"], row["change_high_pp"]) == (100 * row["change_low"], 100 * row["change_high"])
    # 2016: 28 to 38 of the 40 asked; example: 19 to 27 of its 44: below zero whatever the missing answers were
    assert row["verdict"] == "changed_whatever" and row["beyond_chance"]
    assert row["p_holm"] == row["question_p_holm"]
    assert list(found.changes["beyond_chance"]) == list(found.changes["verdict"].isin(["changed_whatever",
                                                                                      "beyond_chance"]))
    assert found.changes["beyond_chance"].sum() > 0 and (~found.changes["beyond_chance"]).sum() > 0
    later = changes.loc[("consulted", 1, "rarely_or_never")]
    assert (later["previous_round"], later["current_round"]) == ("example-2", "example-3")


def test_trends_at_another_confidence():
    from councils.tables import round_trends, trends

    series, found = round_trends(load_round("example-2"))
    at_90 = trends(series, confidence=0.90)
    narrower = at_90.changes["change_high"] - at_90.changes["change_low"]
    wider = found.changes["change_high"] - found.changes["change_low"]
    assert (narrower < wider).all()


def test_trends_need_three_rounds(tmp_path):
    from councils.tables import round_trends

    assert round_trends(load_round("example"))[1] is None  # 2016 and example: the comparison is enough
    series, found = round_trends(load_round("example-2"))
    assert series.ids == ("2016", "example", "example-2") and found.rounds == series.ids


def test_a_stretch_of_more_than_two_rounds_is_judged_from_its_first_to_its_last(tmp_path):
    from councils.tables import round_trends

    three = EXAMPLE_SERIES[:3]
    for rid in three:
        shutil.copytree(Path("data/rounds") / rid, tmp_path / rid)
    changes_file = tmp_path / "example-2" / "questionnaire.yaml"
    declared = yaml.safe_load(changes_file.read_text(encoding="utf-8"))
    del declared["respondents_changed"]  # no break of who answered: own_budget is asked alike in all three rounds
    changes_file.write_text(yaml.safe_dump(declared, allow_unicode=True), encoding="utf-8")
    _, found = round_trends(load_round("example-2", tmp_path))
    own = found.rows[found.rows["question"] == "own_budget"]
    assert set(own["segment"]) == {0} and list(dict.fromkeys(own["round"])) == list(three)
    row = found.changes.set_index(["question", "category"]).loc[("own_budget", "yes")]
    assert (row["previous_round"], row["current_round"]) == ("2016", "example-2")
    last = answers_of("example-2", "own_budget", tmp_path)
    # the report (section 2.3): 21 of 30 have a budget of their own; example-2 has 38 responses
    assert row["change_pp"] == pytest.approx(100 * (last["yes"] / 38 - 21 / 30))


def test_a_second_folder_with_files_of_the_same_sizes_and_times_gets_trends_of_its_own(tmp_path):
    import os

    from councils.tables import round_trends

    for folder in ("a", "b"):
        for rid in EXAMPLE_SERIES[:3]:
            shutil.copytree(Path("data/rounds") / rid, tmp_path / folder / rid)  # copytree keeps the times
    # in b, one council of example-2 has no budget of its own after all ('yes' -> 'no', a byte shorter), and one
    # compensates its members ('no' -> 'yes', a byte longer): the same size and time, other counts
    path = tmp_path / "b" / "example-2" / "responses.csv"
    stat = path.stat()
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").split("\n")]
    budget, pay = rows[0].index("own_budget"), rows[0].index("member_compensation")
    first = next(i for i, r in enumerate(rows) if len(r) > budget and r[budget] == "yes")
    second = next(i for i, r in enumerate(rows) if len(r) > pay and r[pay] == "no")
    rows[first][budget], rows[second][pay] = "no", "yes"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _, in_a = round_trends(load_round("example-2", tmp_path / "a"))
    assert round_trends(load_round("example-2", tmp_path / "a"))[1] is in_a  # computed once for the same files
    _, in_b = round_trends(load_round("example-2", tmp_path / "b"))
    assert in_b is not in_a

    def yes(found):
        rows = found.rows
        return int(rows.loc[(rows["question"] == "own_budget") & (rows["round"] == "example-2")
                            & (rows["category"] == "yes"), "count"].iloc[0])

    assert yes(in_b) == yes(in_a) - 1


def test_options_added_or_dropped_are_said_beside_the_comparison_of_every_round_between(tmp_path):
    from councils.tables import compare_rounds as compare

    answers = {"chair_background": ["association", "politician", "association"]}
    write_round(tmp_path, "q1", None, None, answers, 2020)
    write_round(tmp_path, "q2", {"changed": {
        "advise_all_groups": {"options_added": [{"code": "partly", "da": "Delvist", "en": "Partly"}]},
        "chair_background": {"options_added": [{"code": "other", "da": "Andet", "en": "Other"}]}}}, "q1", answers, 2021)
    write_round(tmp_path, "q3", {"changed": {"member_compensation": {"options_dropped": ["dont_know"]}}}, "q2",
                answers, 2022)
    added = {"question": "chair_background",
             "note_en": "round q2 added the answer \u201cOther\u201d, which earlier rounds did not offer; it is not compared",
             "note_da": "runde q2 tilføjede svaret \u00bbAndet\u00ab, som tidligere runder ikke havde; det sammenlignes ikke"}
    dropped = {"question": "member_compensation",
               "note_en": "round q3 no longer offered the answer \u201cDon\u2019t know\u201d",
               "note_da": "runde q3 havde ikke længere svaret \u00bbVed ikke\u00ab"}
    partly = {"question": "advise_all_groups",
              "note_en": "round q2 added the answer \u201cPartly\u201d, which earlier rounds did not offer; it is not compared",
              "note_da": "runde q2 tilføjede svaret \u00bbDelvist\u00ab, som tidligere runder ikke havde; det sammenlignes ikke"}
    assert list(compare("q2", "q1", tmp_path).notes) == [added, partly]
    assert list(compare("q3", "q2", tmp_path).notes) == [dropped]
    assert list(compare("q3", "q1", tmp_path).notes) == [added, dropped, partly]


def test_a_question_nobody_answered_in_either_round_names_both(tmp_path):
    write_round(tmp_path, "a", None, None, {"own_budget": ["", "", ""]}, 2020)
    write_round(tmp_path, "b", None, "a", {"own_budget": ["", "", "", ""]}, 2021)
    comp = compare_rounds("b", "a", tmp_path)
    assert {"question": "own_budget", "kind": "no_answers", "reason_en": "no council answered it in round a or b",
            "reason_da": "intet råd besvarede det i runde a eller b"} in comp.not_compared
    # every other question is compared: the loop goes on after one it cannot compare
    compared = list(dict.fromkeys(comp.table["question"]))
    assert compared[-1] == "rem_support" and "member_compensation" in compared
    assert (comp.previous, comp.current) == ("a", "b")


def test_each_comparison_note_and_reason_in_both_languages(hand):
    comp = compare_rounds("r2", "r1", hand)
    assert all(set(n) == {"question", "note_en", "note_da"} for n in comp.notes)
    assert all(set(n) == {"question", "kind", "reason_en", "reason_da"} for n in comp.not_compared)
    merged = next(n for n in comp.notes if n["question"] == "consulted")
    assert merged["note_da"].startswith("\u00bbSjældent eller aldrig\u00ab samler svarmuligheder")
    assert next(n for n in comp.not_compared if n["question"] == "statements_published")["reason_da"] == (
        "spørgsmålet blev ændret i runde r2: det spørger nu om offentliggørelse på nettet")
    # questions after the first one not compared are still compared
    assert {"consulted", "council_size", "rem_knowledge"} <= set(comp.table["question"])


def test_a_round_outside_the_series_is_refused_by_name(hand, tmp_path):
    write_round(tmp_path, "other", None, None, {"own_budget": ["yes"]}, 2020)
    with pytest.raises(ValueError) as caught:
        compare_rounds("r2", load_round("other", tmp_path), hand)
    assert str(caught.value) == "round 'other' is not an earlier round of round 'r2''s series"


def test_the_trends_are_computed_again_when_a_round_yaml_changes(tmp_path):
    import os

    from councils.tables import round_trends

    for rid in EXAMPLE_SERIES[:3]:
        shutil.copytree(Path("data/rounds") / rid, tmp_path / rid)
    _, before = round_trends(load_round("example-2", tmp_path))
    meta = tmp_path / "example-2" / "round.yaml"
    stat = meta.stat()
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("councils_asked: 44", "councils_asked: 43"), encoding="utf-8")  # same size
    os.utime(meta, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    _, after = round_trends(load_round("example-2", tmp_path))
    assert after is not before
    last = after.rows["round"] == "example-2"
    assert (after.rows.loc[last, "ci_high"] != before.rows.loc[last, "ci_high"]).any()
