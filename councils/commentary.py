"""A round's own text: interview findings, interpretation, context and recommendations, with checked claims.

Chapters hold only what is true for any round. What belongs to one round lives in its folder, as
``data/rounds/<round>/commentary/<lang>.md``: MyST Markdown in blocks keyed by the section ids in
:data:`SECTIONS`, each shown where the chapters call for it (``report.commentary(ctx, "<id>")``)::

    :::{commentary} influence.visibility
    :claim: visibility.integration_prize < visibility.meetings_in_town
    Activities that take more work, such as an integration prize ({count}`visibility.integration_prize`
    councils), are less common than meetings held out in town.
    :::

A ``:claim:`` line declares a relation in the numbers that the block's sentences rely on; the round
is refused (validate, run) when its data contradict one. Numbers in the text are never typed: the
roles ``{count}`q.c```, ``{pct}`q.c```, ``{base}`q``` and ``{round}`field``` are filled in from the
round's frequency table and metadata. Outside blocks only headings, HTML comments and blank lines
may stand (text there would never be shown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from councils.codebook import load_codebook
from councils.errors import Problem
from councils.wording import QUANTITY_WORDS, pct, quantity_key

COMMENTARY_DIR = "commentary"
LANGUAGES = ("en", "da")

# Every place a chapter shows a round's commentary, by stable id (documented in data/README.md).
SECTIONS = {
    "index.context": "landing page: why and when this round was made",
    "index.recommendations": "landing page: the recommendations in brief",
    "introduction.why": "chapter 1: why the councils were studied",
    "introduction.earlier_studies": "chapter 1: earlier studies",
    "introduction.method": "chapter 1: how respondents and interviewees were chosen, who advised",
    "conclusions.intro": "chapter 4: how firm the conclusions can be",
    "conclusions.findings": "chapter 4: conclusions drawn from answers and interviews",
    "conclusions.recommendations": "chapter 4: recommendations, and who made them",
    "comparison.interpretation": "chapter 5: what the changes since the previous round mean",
    "trends.interpretation": "the trends chapter: what the developments over the series mean",
}
# Every question adds the section ids of its `commentary` field in the codebook (by default its own id): the
# place after its findings, figure and numbers in chapters 2 and 3 (organisation.chair, influence.rem, ...).


def section_ids(codebook=None) -> dict[str, str]:
    """Every section id a round's commentary may use: the chapters' own, and each question's of the codebook."""
    ids = dict(SECTIONS)
    for question in (codebook if codebook is not None else load_codebook()).questions:
        for section in question.commentary_ids:
            ids.setdefault(section, f"after the findings of question '{question.id}' (section {question.section})")
    return ids

OPEN = re.compile(r"^(:{3,})\{commentary\}\s+(\S+)\s*$")
CLAIM = re.compile(r"^:claim:\s*(.+?)\s*$")
ROLE = re.compile(r"\{(count|pct|base|round)\}`([^`]*)`")
OPERATORS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
             ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
CLAIM_FORM = re.compile(r"^(\S+)\s*(<=|>=|==|!=|<|>)\s*(\S+)$|^(\S+)\s+is\s+(.+)$")
QUANTITY_KEYS = {word: key for key, word in QUANTITY_WORDS["en"].items()}


@dataclass(frozen=True)
class Claim:
    """One declared relation, with the line of the commentary file it stands on."""

    text: str
    line: int


@dataclass(frozen=True)
class Block:
    """One block of commentary: its section id, claims and MyST text."""

    id: str
    text: str
    claims: tuple[Claim, ...]
    line: int


@dataclass(frozen=True)
class Commentary:
    """A round's commentary in one language: its file and blocks by id (empty when there is none)."""

    path: Path | None
    blocks: dict[str, Block]


def commentary_path(round_path: Path, lang: str) -> Path:
    return Path(round_path) / COMMENTARY_DIR / f"{lang}.md"


def commentary_files(round_path: Path) -> list[Path]:
    """The round's commentary files, in a stable order (they are part of what a chapter is made from)."""
    return [p for p in (commentary_path(round_path, lang) for lang in LANGUAGES) if p.is_file()]


def parse(path: Path, text: str, known: dict[str, str] | None = None) -> tuple[Commentary, list[Problem]]:
    """Split a commentary file into blocks; every line that would never be shown is a problem.

    ``known``: the section ids the book shows (:func:`section_ids`); by default those of the codebook's
    questionnaire.
    """
    known = known if known is not None else section_ids(load_codebook())
    blocks: dict[str, Block] = {}
    problems = []
    lines = text.splitlines()
    i = 0
    in_comment = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if in_comment:
            in_comment = "-->" not in stripped
            i += 1
            continue
        opening = OPEN.match(stripped)
        if opening is None:
            if stripped.startswith("<!--"):
                in_comment = "-->" not in stripped
            elif stripped and not stripped.startswith("#"):
                problems.append(Problem(str(path), i + 1, None, stripped[:60],
                                        "text inside a ':::{commentary} <section id>' block (text outside "
                                        "blocks is never shown)"))
            i += 1
            continue
        fence, block_id = opening.groups()
        start = i + 1
        j = start
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        if j == len(lines):
            problems.append(Problem(str(path), i + 1, None, stripped[:60], f"a closing '{fence}' line for this block"))
            break
        if block_id not in known:
            problems.append(Problem(str(path), i + 1, None, block_id,
                                    "a section id the chapters show (see data/README.md): " + ", ".join(known)))
        elif block_id in blocks:
            problems.append(Problem(str(path), i + 1, None, block_id,
                                    f"each section once (it is also on line {blocks[block_id].line})"))
        claims, body_start = [], start
        for k in range(start, j):
            match = CLAIM.match(lines[k].strip())
            if match is None:
                break
            claims.append(Claim(match.group(1), k + 1))
            body_start = k + 1
        body = "\n".join(lines[body_start:j]).strip()
        if not body:
            problems.append(Problem(str(path), i + 1, None, block_id, "some text in the block"))
        if block_id in known and block_id not in blocks:
            blocks[block_id] = Block(block_id, body, tuple(claims), i + 1)
        i = j + 1
    return Commentary(path, blocks), problems


def load(round_path: Path, lang: str = "en", known: dict[str, str] | None = None) -> tuple[Commentary, list[Problem]]:
    """A round's commentary in ``lang``; no file means no commentary, which is allowed."""
    path = commentary_path(round_path, lang)
    if not path.exists():
        return Commentary(None, {}), []
    if path.is_symlink() or not path.is_file():
        return Commentary(None, {}), [Problem(str(path), None, None, "", "a regular file (not a link or a folder)")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return Commentary(None, {}), [Problem(str(path), None, None, repr(exc.object[exc.start:exc.end]),
                                              "Markdown text encoded as UTF-8")]
    return parse(path, text, known)


class _Numbers:
    """Counts and metadata a claim or a role may name, with what each was found to be."""

    def __init__(self, table: pd.DataFrame, meta: dict):
        self.table = table
        self.meta = meta
        self.base = int(table["base"].max()) if not table.empty else 0

    def count(self, ref: str) -> int:
        question, _, category = ref.partition(".")
        hit = self.table[(self.table["question"] == question) & (self.table["category"] == category)]
        if hit.empty:
            raise LookupError(f"'{ref}' names no count this round holds (question.category, e.g. own_budget.yes)")
        return int(hit["count"].iloc[0])

    def question_base(self, question: str) -> int:
        hit = self.table[self.table["question"] == question]
        if hit.empty:
            raise LookupError(f"'{question}' names no question this round holds")
        return int(hit["base"].iloc[0])

    def meta_number(self, name: str) -> int:
        value = self.meta.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise LookupError(f"'round.{name}' is not a whole number in this round's round.yaml")
        return value

    def operand(self, token: str) -> tuple[Fraction, str]:
        """A claim's operand as a number (counts are compared as counts), and how it was found."""
        if re.fullmatch(r"\d+", token):
            return Fraction(int(token)), token
        if token == "half":
            return Fraction(self.base, 2), f"half = {self.base}/2"
        if token == "base":
            return Fraction(self.base), f"base = {self.base}"
        if token.startswith("round."):
            value = self.meta_number(token.removeprefix("round."))
            return Fraction(value), f"{token} = {value}"
        value = self.count(token)
        return Fraction(value), f"{token} = {value} of {self.question_base(token.partition('.')[0])}"


def check_claim(claim: Claim, numbers: _Numbers) -> tuple[bool, str]:
    """Whether a claim holds, and the numbers it was judged on (for the message when it does not)."""
    form = CLAIM_FORM.match(claim.text)
    if form is None:
        raise LookupError("a claim of the form '<a> <op> <b>' (op one of < <= > >= == !=) or '<count> is "
                          f"<quantity word>' ({', '.join(QUANTITY_WORDS['en'].values())})")
    if form.group(1):
        (left, shown_left), (right, shown_right) = numbers.operand(form.group(1)), numbers.operand(form.group(3))
        return OPERATORS[form.group(2)](left, right), f"{shown_left}, {shown_right}"
    ref, word = form.group(4), form.group(5).strip()
    if word not in QUANTITY_KEYS:
        raise LookupError(f"a quantity word after 'is': {', '.join(QUANTITY_WORDS['en'].values())}")
    count = numbers.count(ref)
    base = numbers.question_base(ref.partition(".")[0])
    actual = quantity_key(count, base)
    return actual == QUANTITY_KEYS[word], (f"{ref} = {count} of {base}, which the book calls "
                                            f"'{QUANTITY_WORDS['en'][actual]}' (appendix B)")


def check(commentary: Commentary, table: pd.DataFrame, meta: dict, lang: str = "en") -> list[Problem]:
    """Every claim that the round's numbers contradict, and every role that names nothing, as problems."""
    numbers = _Numbers(table, meta)
    problems = []
    for block in commentary.blocks.values():
        for claim in block.claims:
            try:
                holds, judged = check_claim(claim, numbers)
            except LookupError as exc:
                problems.append(Problem(str(commentary.path), claim.line, f"claim in {block.id}", claim.text, str(exc)))
                continue
            if not holds:
                problems.append(Problem(str(commentary.path), claim.line, f"claim in {block.id}", claim.text,
                                        f"the claim to hold for this round's data, which give {judged}"))
        try:
            fill(block, numbers, lang)
        except LookupError as exc:
            problems.append(Problem(str(commentary.path), block.line, f"text of {block.id}", block.id, str(exc)))
    return problems


def check_round_commentary(rnd) -> list[Problem]:
    """Every problem of a checked round's commentary files: format, unknown sections, contradicted claims."""
    from councils.series import series_for
    from councils.tables import frequency_table

    table = None
    problems = []
    known = section_ids(series_for(rnd).codebook)
    for lang in LANGUAGES:
        notes, found = load(rnd.path, lang, known)
        problems += found
        if notes.blocks:
            table = frequency_table(rnd) if table is None else table
            problems += check(notes, table, rnd.meta, lang)
    return problems


def fill(block: Block, numbers: _Numbers, lang: str = "en") -> str:
    """The block's text with its number roles filled in from the round."""
    def replace(match: re.Match) -> str:
        role, ref = match.groups()
        if role == "count":
            return str(numbers.count(ref))
        if role == "pct":
            question = ref.partition(".")[0]
            return pct(numbers.count(ref) / numbers.question_base(question), lang)
        if role == "base":
            return str(numbers.question_base(ref))
        return str(numbers.meta_number(ref))

    return ROLE.sub(replace, block.text)


def text(commentary: Commentary, section: str, table: pd.DataFrame, meta: dict, lang: str = "en",
         known: dict[str, str] | None = None) -> str:
    """The MyST text of one section of the commentary, filled in; '' when the round has none for it.

    KeyError for a section id the book does not show (``known``: :func:`section_ids`; by default those of
    the codebook's questionnaire).
    """
    known = known if known is not None else section_ids(load_codebook())
    if section not in known:
        raise KeyError(f"unknown commentary section '{section}' (known: {', '.join(known)})")
    block = commentary.blocks.get(section)
    return fill(block, _Numbers(table, meta), lang) if block else ""

