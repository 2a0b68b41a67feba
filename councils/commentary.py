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
from councils.errors import Problem, did_you_mean
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
    """One block of commentary: its section id, claims and MyST text (``body_line``: the file's line of its first)."""

    id: str
    text: str
    claims: tuple[Claim, ...]
    line: int
    body_line: int = 0


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
                                        "blocks is never shown)",
                                        message=f"text outside a block would never be shown ({stripped[:60]!r}); "
                                                "put it inside a ':::{commentary} <section id>' block, or make it "
                                                "a heading or an HTML comment"))
            i += 1
            continue
        fence, block_id = opening.groups()
        start = i + 1
        j = start
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        if j == len(lines):
            problems.append(Problem(str(path), i + 1, None, stripped[:60], f"a closing '{fence}' line for this block",
                                    message=f"block {block_id} is never closed; expected a line '{fence}' after "
                                            "its text"))
            break
        if block_id not in known:
            problems.append(Problem(str(path), i + 1, None, block_id,
                                    "a section id the chapters show (see data/README.md): " + ", ".join(known),
                                    message=f"unknown section '{block_id}'{did_you_mean(block_id, known)} "
                                            "(data/README.md lists the sections the chapters show)"))
        elif block_id in blocks:
            problems.append(Problem(str(path), i + 1, None, block_id,
                                    f"each section once (it is also on line {blocks[block_id].line})",
                                    message=f"section {block_id} appears twice (also on line "
                                            f"{blocks[block_id].line}); expected each section once"))
        claims, body_start = [], start
        for k in range(start, j):
            match = CLAIM.match(lines[k].strip())
            if match is None:
                break
            claims.append(Claim(match.group(1), k + 1))
            body_start = k + 1
        body = "\n".join(lines[body_start:j]).strip()
        if not body:
            problems.append(Problem(str(path), i + 1, None, block_id, "some text in the block",
                                    message=f"block {block_id} has no text; expected some after its claims"))
        if block_id in known and block_id not in blocks:
            first = next((k for k in range(body_start, j) if lines[k].strip()), body_start)
            blocks[block_id] = Block(block_id, body, tuple(claims), i + 1, first + 1)
        i = j + 1
    return Commentary(path, blocks), problems


def load(round_path: Path, lang: str = "en", known: dict[str, str] | None = None) -> tuple[Commentary, list[Problem]]:
    """A round's commentary in ``lang``; no file means no commentary, which is allowed."""
    path = commentary_path(round_path, lang)
    if not path.exists():
        return Commentary(None, {}), []
    if path.is_symlink() or not path.is_file():
        return Commentary(None, {}), [Problem(str(path), None, None, "", "a regular file (not a link or a folder)",
                                              message="this is a link or a folder; expected a regular file")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start:exc.end]
        return Commentary(None, {}), [Problem(str(path), None, None, repr(byte), "Markdown text encoded as UTF-8",
                                              message=f"byte {byte!r} is not UTF-8; save the commentary as UTF-8")]
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
                problems.append(Problem(str(commentary.path), claim.line, f"claim in {block.id}", claim.text, str(exc),
                                        message=f"block {block.id}: the claim '{claim.text}' cannot be judged; "
                                                f"expected {exc}"))
                continue
            if not holds:
                problems.append(Problem(str(commentary.path), claim.line, f"claim in {block.id}", claim.text,
                                        f"the claim to hold for this round's data, which give {judged}",
                                        message=f"block {block.id}: the claim '{claim.text}' does not hold for this "
                                                f"round's data, which give {judged}"))
        try:
            fill(block, numbers, lang)
        except LookupError as exc:
            problems.append(Problem(str(commentary.path), block.line, f"text of {block.id}", block.id, str(exc),
                                    message=f"block {block.id}: a number role names nothing; expected {exc}"))
    return problems


def check_round_commentary(rnd) -> list[Problem]:
    """Every problem of a checked round's commentary files: format, unknown sections, contradicted claims, and
    prose that says more than the round's numbers and sources back (:func:`lint`)."""
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
            problems += lint(notes, rnd.meta, lang)
    return problems


# --- the lint: prose that says more than the block's claims and the round's sources back -------------------
#
# Three rules (data/README.md, "Commentary"): a number is never typed (roles fill numbers in); a quantity or
# comparison word stands only in a block whose claims cover it; interviews are mentioned only in a round
# that had them. The word lists are deliberately narrow: each pattern is a use that states a quantity or
# a comparison of counts ("most councils", "less common than"), not every use of the word ("matter most",
# "more resources"), so that a problem always means something to fix.

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december")
# Numbers that are not counts of the round: years, the day of a date, and references to a law's
# sections, a chapter or a figure.
_ALLOWED_NUMBERS = re.compile(
    rf"\b(?:1[89]\d\d|20\d\d)\b"
    rf"|\b\d{{1,2}}\.?\s+(?:{_MONTHS})\b"
    r"|(?:\bsection|§|\bstk\.|\bnr\.|\bchapter|\bkapitel|\bfigure|\bfigur|\btable|\btabel)\s*\d+(?:\(\d+\))*",
    re.IGNORECASE)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_INTERVIEW_NOUN = {
    "en": r"interview\w*|(?:people|those)\s+(?:interviewed|asked)",
    "da": r"interview\w*|de\s+interviewede|(?:de\s+)?adspurgte",
}
_INTERVIEWS = {lang: re.compile(rf"\b(?:{noun})", re.IGNORECASE) for lang, noun in _INTERVIEW_NOUN.items()}
# (pattern, kind): kind 'quantity' needs a claim about a count against half, base, a number or a quantity
# word; 'comparison' a claim comparing a count with another count.
_WORDS = {
    "en": [
        (r"\bmost\b(?=\s+(?:of\b|(?!(?:is|was|has|does|this|thus|as|us|yes)\b)[a-z]+s\b))", "quantity"),
        (r"\b(?:a|the)\s+(?:great\s+|large\s+|small\s+)?majority\b(?!\s+(?:population|society|culture))",
         "quantity"),
        (r"\bmajority\s+of\b", "quantity"),
        (r"\b(?:a|the)\s+minority\b(?!\s+(?:population|groups?|associations?))|\bminority\s+of\b", "quantity"),
        (r"\b(?:a\s+)?few\b", "quantity"),
        (r"\bhalf\b(?!-)", "quantity"),
        (r"\bfewer\b", "comparison"),
        (r"\b(?:more|less)\s+(?:councils|municipalities|boards|members|respondents|chairs)\b", "comparison"),
        (r"\b(?:more|less|most|least)\s+(?:common|usual|frequent|widespread)\b", "comparison"),
        (r"\b(?:rose|risen|fell|fallen|increased|decreased|declined)\b", "comparison"),
    ],
    "da": [
        (r"\bde\s+fleste\b", "quantity"),
        (r"\b(?:et\s+)?(?:stort\s+)?flertal(?:let)?\b", "quantity"),
        (r"\b(?:et\s+)?mindretal(?:let)?\b", "quantity"),
        (r"\bstørstedelen\b|\bhovedparten\b", "quantity"),
        (r"\bhalvdel(?:en)?\b", "quantity"),
        # 'få' is also the verb 'get' ('at få råd'): only a quantifying word or a sentence's start before it.
        (r"(?:\b(?:kun|meget|ganske|forholdsvis|relativt|så|de)\s+|^|(?<=[.!?:;]\s))få\b"
         r"(?=\s+(?:af\b|råd\b|kommuner|medlemmer|interviewpersoner|respondenter))", "quantity"),
        (r"\bfærre\b", "comparison"),
        (r"\bflere\s+(?:\S+\s+){0,2}end\b", "comparison"),
        (r"\b(?:mere|mindre|mest|mindst)\s+(?:udbred\w*|almindelig\w*|hyppig\w*|sjælden\w*)\b", "comparison"),
        (r"\bhyppigst\w*\b", "comparison"),
        (r"\b(?:steg|steget|faldt|faldet|stigning\w*)\b|(?<!\bhvert\s)\bfald\b", "comparison"),
    ],
}
_WORD_PATTERNS = {lang: [(re.compile(p, re.IGNORECASE | re.MULTILINE), kind) for p, kind in words] for lang, words in _WORDS.items()}
_MYST_ROLE = re.compile(r"\{(\w+)\}`([^`]*)`")
_URL = re.compile(r"https?://\S+|\]\([^)]*\)")
HOW_TO_COUNT = ("use a role instead: {count}`question.category`, {pct}`question.category`, {base}`question` "
                "or {round}`field` (the round fills the number in)")
HOW_TO_CLAIM = {
    "quantity": "declare the claim it rests on after the block's opening line, such as ':claim: "
                "question.category is most' or ':claim: question.category > half', or say it with a role "
                "({count}`question.category`)",
    "comparison": "declare the comparison it rests on after the block's opening line, such as ':claim: "
                  "question.a < question.b'",
    "interviews": "declare ':claim: round.follow_up_interviews > 0' after the block's opening line",
}


def _prose(line: str) -> str:
    """A line of a block as a reader sees its words: number roles as 'N', other roles by their text, no links."""
    def role(match: re.Match) -> str:
        name, content = match.groups()
        if name in ("count", "pct", "base", "round"):
            return "N"
        shown = re.match(r"^(.*?)\s*<[^>]*>$", content)
        return shown.group(1) if shown else ("" if name in ("doc", "ref", "numref", "download") else content)

    return _URL.sub("", _MYST_ROLE.sub(role, line))


def _covers(claims: tuple[Claim, ...]) -> set[str]:
    """Which kinds of word a block's claims back: 'quantity', 'comparison', 'interviews'."""
    kinds = set()
    for claim in claims:
        form = CLAIM_FORM.match(claim.text)
        if form is None:
            continue
        if form.group(4):  # '<count> is <quantity word>'
            kinds.add("quantity")
            continue
        left, right = form.group(1), form.group(3)
        if "round.follow_up_interviews" in (left, right):
            kinds.add("interviews")
        counts = [t for t in (left, right) if "." in t and not t.startswith("round.")]
        if len(counts) == 2:
            kinds.add("comparison")
        elif len(counts) == 1:
            kinds.add("quantity")
    return kinds


def lint(commentary: Commentary, meta: dict, lang: str = "en") -> list[Problem]:
    """Prose a block may not hold: typed numbers, quantity and comparison words no claim covers, and
    interviews in a round that had none. Each problem names the file, line, block and word, and how to fix it."""
    lang = "da" if lang == "da" else "en"
    interviews_held = bool(meta.get("follow_up_interviews"))
    problems = []
    for block in commentary.blocks.values():
        covered = _covers(block.claims)

        def problem(line: int, word: str, expected: str, message: str) -> None:
            problems.append(Problem(str(commentary.path), line, f"text of {block.id}", word, expected,
                                    message=f"block {block.id}: {message}"))

        prose = _prose(block.text)  # the whole block: a phrase may run over a line break

        def line_of(position: int) -> int:
            return block.body_line + prose.count("\n", 0, position)

        allowed = [m.span() for m in _ALLOWED_NUMBERS.finditer(prose)]
        for match in _DIGITS.finditer(prose):
            if not any(start <= match.start() and match.end() <= end for start, end in allowed):
                problem(line_of(match.start()), match.group(), HOW_TO_COUNT,
                        f"the number '{match.group()}' is typed; {HOW_TO_COUNT}")
        mention = _INTERVIEWS[lang].search(prose)
        if mention and not interviews_held:
            word = mention.group()
            held = meta.get("follow_up_interviews")
            said = (f"round.yaml gives follow_up_interviews: {held}" if held is not None
                    else "round.yaml names no follow_up_interviews")
            problem(line_of(mention.start()), word, "no mention of interviews in a round without them",
                    f"'{word}' mentions interviews, but {said}; say only what this round's sources hold, "
                    "or set follow_up_interviews in round.yaml if the round had interviews")
        elif mention and "interviews" not in covered:
            word = mention.group()
            problem(line_of(mention.start()), word, HOW_TO_CLAIM["interviews"],
                    f"'{word}' reports interviews, but no claim says the round had them; "
                    f"{HOW_TO_CLAIM['interviews']}")
        said: list[tuple[int, int]] = []  # spans already reported: 'a majority of' is one phrase, not two
        for pattern, kind in _WORD_PATTERNS[lang]:
            for match in pattern.finditer(prose):
                if any(start < match.end() and match.start() < end for start, end in said):
                    continue
                said.append(match.span())
                after = prose[match.end():match.end() + 40]
                about_interviews = re.match(rf"\s+(?:(?:of|af)\s+)?(?:\w+\s+){{0,2}}?(?:{_INTERVIEW_NOUN[lang]})",
                                            after, re.IGNORECASE)
                needs = "interviews" if kind == "quantity" and about_interviews else kind
                if needs in covered:
                    continue
                word = " ".join(match.group().split())
                problem(line_of(match.start()), word, HOW_TO_CLAIM[needs],
                        f"'{word}' is a {'quantity' if kind == 'quantity' else 'comparison'} word that no "
                        f"claim of the block covers; {HOW_TO_CLAIM[needs]}")
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

