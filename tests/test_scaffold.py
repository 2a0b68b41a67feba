"""``python -m councils new``: a new round's folder scaffolded, refused over an existing one, told what remains by
``validate``, and, filled in with the vendor's workbook written into its template, run into a site whose editions
publish the round's spreadsheet and data package.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from councils.codebook import load_codebook
from councils.commentary import SECTIONS, load
from councils.paths import BUILD_DIR, ROUNDS_DIR
from councils.rounds import ROUND_SCHEMA_PATH, load_round
from councils.tables import TABLE_COLUMNS, frequency_table
from councils.validate import response_columns

from conftest import run_cli
from vendor_files import NUMBER_COLUMNS, example_rows

HEADER = response_columns(load_codebook())
FILL_IN = {"title_en": '"Survey of the local integration councils, 2025"',
           "title_da": '"Undersøgelse af de lokale integrationsråd, 2025"', "councils_asked": "44",
           "source": '"made up for the tests from the example round"'}


@pytest.fixture
def rounds(tmp_path) -> Path:
    folder = tmp_path / "rounds"
    folder.mkdir()
    shutil.copytree(ROUNDS_DIR / "2016", folder / "2016")
    return folder


def scaffold(rounds: Path, *extra: str):
    return run_cli("new", "2025", "--data", rounds, *extra)


def fill_in(folder: Path) -> None:
    """What the analyst does: the fields left empty in round.yaml, and the vendor's workbook from the template."""
    text = (folder / "round.yaml").read_text(encoding="utf-8")
    for name, value in FILL_IN.items():
        text = re.sub(rf"^{name}: null$", f"{name}: {value}", text, flags=re.M)
    (folder / "round.yaml").write_text(text, encoding="utf-8")
    header, rows = example_rows()
    book = openpyxl.load_workbook(folder / "template" / "responses.xlsx")
    data = book["Data"]
    assert [c.value for c in data[1]] == header
    for row in rows:
        data.append([(int(row[h]) if h in NUMBER_COLUMNS else row[h]) if row[h] != "" else None for h in header])
    book.save(folder / "responses.xlsx")


def test_new_round_writes_the_scaffold(rounds):
    result = scaffold(rounds, "--from", "2016")
    assert result.returncode == 0, result.stderr
    folder = rounds / "2025"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "commentary/da.md", "commentary/en.md", "questionnaire.yaml", "round.yaml", "template/responses.csv",
        "template/responses.xlsx"]
    changes = (folder / "questionnaire.yaml").read_text(encoding="utf-8")
    assert "What round 2025 asks differently from round 2016" in changes
    assert all(line.startswith("#") for line in changes.splitlines())  # nothing declared until the analyst does
    text = (folder / "round.yaml").read_text(encoding="utf-8")
    meta = yaml.safe_load(text)
    assert meta["round"] == "2025" and meta["previous_round"] == "2016" and meta["data"] == "responses"
    assert meta["fictional"] is False and all(meta[name] is None for name in FILL_IN)
    # every field of the schema is there, with its description as a comment
    schema = json.loads(ROUND_SCHEMA_PATH.read_text(encoding="utf-8"))
    for name, spec in schema["properties"].items():
        assert re.search(rf"^(# )?{name}:", text, flags=re.M), name
        assert f"# {name} (" in text, name
    assert (folder / "template" / "responses.csv").read_text(encoding="utf-8") == ",".join(HEADER) + "\n"


def test_the_xlsx_template_offers_the_codebook_codes(rounds):
    assert scaffold(rounds).returncode == 0
    book = openpyxl.load_workbook(rounds / "2025" / "template" / "responses.xlsx")
    assert book.sheetnames == ["Data", "Koder"]
    data, codes = book["Data"], book["Koder"]
    assert [c.value for c in data[1]] == HEADER
    letter = openpyxl.utils.get_column_letter(HEADER.index("influence") + 1)
    check = next(v for v in data.data_validations.dataValidation if f"{letter}2:{letter}501" in str(v.sqref))
    first, last = re.fullmatch(r"Koder!\$B\$(\d+):\$B\$(\d+)", check.formula1).groups()
    listed = [codes.cell(row=r, column=2).value for r in range(int(first), int(last) + 1)]
    assert listed == ["large", "some", "small", "none", "dont_know", "not_stated"]
    assert [codes.cell(row=int(first), column=c).value for c in (1, 3, 4)] == ["influence", "Stor",
                                                                                  "Large"]
    focus = openpyxl.utils.get_column_letter(HEADER.index("focus_areas.employment") + 1)
    assert any(v.formula1 == '"0,1"' and f"{focus}2:{focus}501" in str(v.sqref) for v in data.data_validations.dataValidation)


def test_commentary_skeletons_hold_every_section_commented_out(rounds):
    assert scaffold(rounds).returncode == 0
    for lang in ("da", "en"):
        path = rounds / "2025" / "commentary" / f"{lang}.md"
        text = path.read_text(encoding="utf-8")
        for section in SECTIONS:
            assert f":::{{commentary}} {section}\n" in text
        commentary, problems = load(rounds / "2025", lang)
        assert problems == [] and commentary.blocks == {}  # all commented out: nothing shown until written


def test_an_existing_round_is_refused_and_left_alone(rounds):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (rounds / "2016").rglob("*") if p.is_file()}
    result = run_cli("new", "2016", "--data", rounds)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "exists already (nothing was written)" in result.stderr
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (rounds / "2016").rglob("*")
                      if p.is_file()}
    assert run_cli("new", "../x", "--data", rounds).returncode == 1
    assert not (rounds.parent / "x").exists()
    result = run_cli("new", "2025", "--from", "1999", "--data", rounds)
    assert result.returncode == 1 and "known rounds: 2016" in result.stderr and not (rounds / "2025").exists()


def test_validate_on_a_fresh_scaffold_lists_what_remains(rounds):
    assert scaffold(rounds, "--from", "2016").returncode == 0
    result = run_cli("validate", rounds / "2025")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].endswith("is not ready yet: 5 things to fill in")
    assert [re.search(r"column '(\w+)'", line).group(1) for line in lines[1:5]] == list(FILL_IN)
    assert "the survey vendor's file" in lines[5] and "template/" in lines[5]
    assert lines[6:] == [f"  - commentary/{lang}.md has no block yet (optional: a round may be published without "
                         "commentary)" for lang in ("da", "en")]


def test_a_filled_in_scaffold_validates(rounds):
    assert scaffold(rounds, "--from", "2016").returncode == 0
    fill_in(rounds / "2025")
    result = run_cli("validate", rounds / "2025")
    assert result.returncode == 0, result.stderr
    assert "36 respondent rows in responses.xlsx" in result.stdout
    table = frequency_table(load_round("2025", rounds))
    pd.testing.assert_frame_equal(table[TABLE_COLUMNS], frequency_table("example")[TABLE_COLUMNS])


def test_a_filled_in_scaffold_runs_into_editions_with_spreadsheet_and_data_package(rounds, tmp_path):
    from frictionless import validate

    executed = BUILD_DIR / "cache" / "executed"
    before = set(executed.glob("*.ipynb")) if executed.exists() else set()
    assert scaffold(rounds, "--from", "2016").returncode == 0
    fill_in(rounds / "2025")
    site = tmp_path / "site"
    try:
        result = run_cli("run", "--round", "2025", "--data", rounds, "--out", site)
    finally:  # executed copies keyed on this temporary folder can never be hit again
        for path in (set(executed.glob("*.ipynb")) if executed.exists() else set()) - before:
            path.unlink(missing_ok=True)
    assert result.returncode == 0, result.stderr
    table = frequency_table(load_round("2025", rounds)).set_index(["question", "category"])
    for lang, sheet_name, name in (("en", "Figure_1", "integration-councils-2025.xlsx"),
                                   ("da", "Figur_1", "integration-councils-2025-da.xlsx")):
        edition = site / lang
        book = openpyxl.load_workbook(edition / name)
        ws = book[sheet_name]
        (_, ref), = ws.tables.items()
        cells = [[c.value for c in row] for row in ws[ref]]
        count = cells[0].index("Councils" if lang == "en" else "Antal råd")
        code = cells[0].index("Answer code" if lang == "en" else "Svarkode")
        assert [row[count] for row in cells[1:]] == [int(table.loc[("chair_background", row[code]), "count"])
                                                     for row in cells[1:]]
        report = validate(str(edition / "data" / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert (edition / "integration-councils-2025-data.zip").is_file()
        # linked from every page's footer and from chapter 1, to files that exist
        for page in ("chapters/index.html", "chapters/1_introduction.html", "search.html"):
            html = (edition / page).read_text(encoding="utf-8")
            hrefs = re.findall(r'<a href="([^"]+)"[^>]*>(?:Spreadsheet|Regneark) \(\.xlsx\)', html)
            assert hrefs, f"{lang}/{page}: no link to the spreadsheet"
            assert all((edition / page).parent.joinpath(h).resolve() == (edition / name).resolve() for h in hrefs)


def test_templates_follow_a_changed_questionnaire(rounds):
    """A question declared in questionnaire.yaml after `new`: `template --round R --templates` rewrites both blank
    templates with its column, where the question's section puts it; a dropped question's column goes."""
    assert scaffold(rounds, "--from", "2016").returncode == 0
    folder = rounds / "2025"
    (folder / "questionnaire.yaml").write_text(yaml.safe_dump({
        "dropped": ["rem_support"],
        "added": [{"id": "digital_meetings", "section": "2.2", "figure": 11, "type": "single_choice",
                   "wording": "made up for the test", "da": "Holder rådet møder digitalt?",
                   "en": "Does the council meet online?", "short_da": "Digitale møder", "short_en": "Online meetings",
                   "scale": "yes_no_dont_know",
                   "phrases": {"lead": "yes", "en": {"yes": "{n:meet} online"}, "da": {"yes": "holder møder digitalt"}}}],
    }, allow_unicode=True), encoding="utf-8")
    result = run_cli("template", "--round", "2025", "--templates", "--data", rounds)
    assert result.returncode == 0, result.stderr
    assert "template/responses.csv" in result.stdout and "template/responses.xlsx" in result.stdout
    # by hand: the 2016 header without rem_support, with digital_meetings after the last question of section 2.2
    # (new_knowledge, the report's question on whether members bring new knowledge)
    expected = [c for c in HEADER if c != "rem_support"]
    expected.insert(expected.index("new_knowledge") + 1, "digital_meetings")
    csv_header = (folder / "template" / "responses.csv").read_text(encoding="utf-8").strip().split(",")
    xlsx_header = [c.value for c in openpyxl.load_workbook(folder / "template" / "responses.xlsx")["Data"][1]]
    assert csv_header == xlsx_header == expected
    assert sorted(p.name for p in (folder / "template").iterdir()) == ["responses.csv", "responses.xlsx"]


def test_templates_need_a_round(rounds):
    result = run_cli("template", "--templates")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--templates: expected a round to write the templates of (--round R)" in result.stderr
