"""A new round's folder, scaffolded: ``python -m councils new <round-id> [--from <earlier-round>]``.

Writes ``round.yaml`` (every field of ``data/round.schema.json``, each with its description; the fields to
fill in left empty), blank response templates for the survey vendor (``template/responses.csv`` and
``template/responses.xlsx`` with drop-down lists of the codebook's codes) and commentary skeletons in both
languages with every section id, commented out. Each part is one function, so that a round's own
questionnaire (issue 13) can extend it. ``pending`` lists what remains to fill in, which ``validate`` says
instead of a wall of errors.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml

from councils.codebook import Codebook, load_codebook
from councils.errors import DataError, Problem
from councils.paths import ROUNDS_DIR, shown
from councils.rounds import METADATA_FILE, ROUND_SCHEMA_PATH, RESPONSES_SUFFIXES, load_round, responses_files, round_dir

TEMPLATE_FOLDER = "template"
# Required fields the analyst fills in; the scaffold leaves them empty (null), and `validate` lists them.
TO_FILL_IN = ("title_en", "title_da", "councils_asked", "source")
# Optional fields worth filling in, written commented out with an example value.
EXAMPLES = {"title_en": "Survey of the local integration councils, 2025",
            "title_da": "Undersøgelse af de lokale integrationsråd, 2025", "fieldwork_year": 2025,
            "report_year": 2026, "publisher_en": "Danish Institute for Human Rights",
            "publisher_da": "Institut for Menneskerettigheder", "conducted_by": "the survey vendor's name", "contact": "name, address or e-mail",
            "respondents_en": "The chair answered for each council", "respondents_da": "Formanden svarede for hvert råd",
            "municipalities": 98, "councils_existing": 44, "responses": 40, "follow_up_interviews": 0,
            "source_da": "Rundens kilde på dansk", "withhold_free_text": False, "withhold_responses": False,
            "sheet": "Data", "value_codes": {"influence": {1: "large", 2: "some"}}}


def _codebook(previous: str | None, data_dir: Path | str | None = None) -> Codebook:
    """The questionnaire a new round starts from: its previous round's (changes are declared in questionnaire.yaml),
    or the codebook's for a first round."""
    if previous is None:
        return load_codebook()
    from councils.series import codebook_for

    return codebook_for(load_round(previous, data_dir))


def _sections(codebook: Codebook) -> dict[str, str]:
    """The commentary's section ids and where each is shown: the chapters' own and every question's."""
    from councils.commentary import section_ids

    return section_ids(codebook)


QUESTIONNAIRE_SKELETON = """\
# What round {r} asks differently from {since}: declare every change here, never by leaving a column
# out. Checked against data/questionnaire.schema.json; data/README.md, "A changed questionnaire", explains
# each field, and data/rounds/example-3/questionnaire.yaml shows all of them. With no change, leave
# this file as it is (every line a comment) or delete it.
#
# added:                       # questions new in this round, written as in data/codebook.yaml
#   - id: my_new_question
#     section: "2.2"
#     figure: 13
#     type: single_choice
#     ...
# dropped: [rem_support]       # questions the previous round asked and this one did not
# changed:
#   consulted:
#     options_merged:
#       - {{code: rarely_or_never, da: "Sjældent eller aldrig", en: "Rarely or never", from: [rarely, never]}}
#     break: {{en: "why its answers cannot be compared", da: "hvorfor svarene ikke kan sammenlignes"}}
# respondents_changed: {{en: "who answers now", da: "hvem der svarer nu"}}
"""


def round_yaml(round_id: str, previous: str | None) -> str:
    """round.yaml of a new respondent-level round: every field of the schema with its description as a comment."""
    schema = json.loads(ROUND_SCHEMA_PATH.read_text(encoding="utf-8"))
    required = set(schema["required"])
    values = {"round": round_id, "fictional": False, "data": "responses", "previous_round": previous}
    lines = [f"# Round {round_id}: metadata, checked against data/round.schema.json (data/README.md describes every",
             "# field). Scaffolded by `python -m councils new`: fill in each field left empty (null), uncomment the",
             "# optional ones that apply, then run `python -m councils validate` on this folder.", ""]
    for name, spec in schema["properties"].items():
        description = spec.get("description", "")
        need = ("required" if name in required else "optional") + (", fill in" if name in TO_FILL_IN else "")
        lines.append(f"# {name} ({need}): {description}".rstrip())
        if name in values or name in required:
            lines.append(_yaml_line(name, values.get(name)))
        else:
            lines.append("# " + _yaml_line(name, EXAMPLES.get(name, "")))
        lines.append("")
    return "\n".join(lines)


def _yaml_line(name: str, value) -> str:
    if value is None:
        return f"{name}: null"
    text = yaml.safe_dump({name: value}, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    text = text[1:-1] if text.startswith("{") else text
    if name in ("round", "previous_round") and isinstance(value, str):
        text = f'{name}: "{value}"'  # a round id is always a quoted string ("2016" is no number)
    return text


def template_header(codebook: Codebook) -> list[str]:
    """The responses file's header, as `python -m councils template` prints it."""
    from councils.validate import response_columns

    return response_columns(codebook)


def write_template_csv(path: Path, codebook: Codebook) -> None:
    path.write_text(",".join(template_header(codebook)) + "\n", encoding="utf-8")


def write_template_xlsx(path: Path, codebook: Codebook, rows: int = 500) -> None:
    """A blank workbook for the vendor: the header on sheet 'Data', drop-down lists of each question's codes
    (sheet 'Koder' lists every code with its Danish and English label), 0/1 for multiple-choice options."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from councils.validate import RESPONDENT_ID, option_column

    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    header = template_header(codebook)
    data.append(header)
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "B2"
    codes = book.create_sheet("Koder")
    codes.append(["Spørgsmål / question", "Kode / code", "Dansk", "English"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    last = rows + 1
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(12, min(40, len(name) + 2))
        if name == RESPONDENT_ID:
            continue
        question_id = name.partition(".")[0]
        if question_id not in codebook:
            continue
        q = codebook.question(question_id)
        if q.type == "single_choice":
            options = list(q.options) + ([codebook.missing] if codebook.missing.code not in q.option_codes else [])
            first = codes.max_row + 1
            for option in options:
                codes.append([q.id, option.code, option.da, option.en])
            allowed = f"Koder!$B${first}:$B${codes.max_row}"
            check = DataValidation(type="list", formula1=allowed, allow_blank=True, showErrorMessage=True,
                                   errorTitle=q.id, error=f"En kode fra arket Koder / a code of sheet Koder: "
                                                          f"{', '.join(o.code for o in options)}"[:255])
        elif q.type == "multiple_choice" and name in {option_column(q, c) for c in q.option_codes}:
            check = DataValidation(type="list", formula1='"0,1"', allow_blank=True, showErrorMessage=True,
                                   errorTitle=name, error="1 valgt / chosen, 0 eller tom / or empty: ikke valgt / not chosen")
        else:
            continue
        data.add_data_validation(check)
        check.add(f"{letter}2:{letter}{last}")
    for letter, width in zip("ABCD", (32, 24, 48, 48)):
        codes.column_dimensions[letter].width = width
    book.save(path)


COMMENTARY_HEAD = {
    "en": ("# Round {r}: commentary (English)\n\n<!-- Written by `python -m councils new`. Each commented-out block "
           "below is shown, once you remove\nthe comment marks around it and write its text, where a chapter calls for "
           "its section id. Declare\nevery comparison or quantity its sentences rely on as a ':claim:' line, and never "
           "type a number:\n{{count}}`question.category`, {{pct}}`question.category`, {{base}}`question` and "
           "{{round}}`field` are\nfilled in from the round (data/README.md). Blocks left commented out are not shown; "
           "a round may\nbe published without commentary. -->\n"),
    "da": ("# Runde {r}: kommentarer (dansk)\n\n<!-- Skrevet af `python -m councils new`. Hver udkommenteret blok "
           "nedenfor vises, når du fjerner\nkommentartegnene om den og skriver dens tekst, der hvor et kapitel kalder på "
           "dens afsnits-id.\nErklær hver sammenligning eller mængde, som dens sætninger bygger på, som en ':claim:'-"
           "linje, og\nskriv aldrig et tal: {{count}}`spørgsmål.kategori`, {{pct}}`spørgsmål.kategori`, "
           "{{base}}`spørgsmål`\nog {{round}}`felt` udfyldes fra runden (data/README.md). Blokke, der forbliver "
           "udkommenterede,\nvises ikke; en runde kan udgives uden kommentarer. -->\n"),
}


def write_templates(folder: Path, codebook: Codebook) -> list[Path]:
    """(Re)write a round's blank templates (CSV and workbook) for ``codebook``; each file replaced whole."""
    import os

    target = folder / TEMPLATE_FOLDER
    target.mkdir(exist_ok=True)
    written = []
    for name, write in (("responses.csv", write_template_csv), ("responses.xlsx", write_template_xlsx)):
        partial = target / f".{name}.{os.getpid()}.partial"
        try:
            write(partial, codebook)
            os.replace(partial, target / name)
        finally:
            partial.unlink(missing_ok=True)
        written.append(target / name)
    return written


def commentary_skeleton(round_id: str, lang: str, codebook: Codebook | None = None) -> str:
    """A commentary file with one commented-out block per section id (the parser skips HTML comments)."""
    codebook = codebook or load_codebook()
    write = "Write the text here." if lang == "en" else "Skriv teksten her."
    parts = [COMMENTARY_HEAD[lang].format(r=round_id)]
    for section, where in _sections(codebook).items():
        parts.append(f"<!-- {section}: {where}\n:::{{commentary}} {section}\n{write}\n:::\n-->\n")
    return "\n".join(parts)


def new_round(round_id: str, previous: str | None = None, data_dir: Path | str | None = None) -> Path:
    """Write a new round's folder (refusing an existing one), whole or not at all; its path."""
    folder = round_dir(round_id, data_dir)
    base = Path(data_dir or ROUNDS_DIR)
    if folder.exists() or folder.is_symlink():
        raise DataError([Problem(shown(folder), None, None, round_id,
                                 "a round id not in use: this round folder exists already (nothing was written)")])
    if previous is not None:
        load_round(previous, data_dir)  # DataError names an unknown or broken earlier round
    codebook = _codebook(previous, data_dir)
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".new-{round_id}-", dir=base) as tmp:
        staging = Path(tmp) / round_id
        (staging / TEMPLATE_FOLDER).mkdir(parents=True)
        (staging / "commentary").mkdir()
        (staging / METADATA_FILE).write_text(round_yaml(round_id, previous), encoding="utf-8")
        write_template_csv(staging / TEMPLATE_FOLDER / "responses.csv", codebook)
        write_template_xlsx(staging / TEMPLATE_FOLDER / "responses.xlsx", codebook)
        for lang in ("da", "en"):
            (staging / "commentary" / f"{lang}.md").write_text(commentary_skeleton(round_id, lang, codebook),
                                                              encoding="utf-8")
        (staging / "questionnaire.yaml").write_text(QUESTIONNAIRE_SKELETON.format(
            r=round_id, since=f"round {previous}" if previous else "the codebook's questionnaire"), encoding="utf-8")
        os.replace(staging, folder)
    return folder


def pending(folder: Path | str) -> tuple[list[Problem], list[str]]:
    """What a round folder still lacks before it can be checked: empty required fields of round.yaml and the
    vendor's file (problems), and optional parts still blank (notes). Nothing when none is missing."""
    from councils.commentary import load

    folder = Path(folder)
    path = folder / METADATA_FILE
    if not folder.is_dir() or not path.is_file() or path.is_symlink():
        return [], []
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError, ValueError):
        return [], []  # validate says what is wrong with it
    if not isinstance(meta, dict):
        return [], []
    schema = json.loads(ROUND_SCHEMA_PATH.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    for name in schema["required"]:
        if name in meta and meta[name] is None:
            line = next((i for i, text in enumerate(lines, start=1) if text.startswith(f"{name}:")), None)
            what = schema["properties"][name].get("description", "")
            problems.append(Problem(str(path), line, name, "", f"a value: still to fill in ({what})".replace(" ()", "")))
    if meta.get("data") == "responses" and not responses_files(folder):
        names = ", ".join(f"responses{s}" for s in RESPONSES_SUFFIXES)
        problems.append(Problem(str(folder), None, None, "", f"the survey vendor's file, as one of {names}: still to "
                                f"put in the round folder (blank templates are in {TEMPLATE_FOLDER}/)"))
    if not problems:
        return [], []
    notes = []
    for lang in ("da", "en"):
        commentary, _ = load(folder, lang)
        if commentary.path is not None and not commentary.blocks:
            notes.append(f"commentary/{lang}.md has no block yet (optional: a round may be published without "
                         "commentary)")
    return problems, notes

