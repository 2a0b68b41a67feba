"""The questionnaire: questions, options, groups, their Danish and English labels and the phrases of their sentences.

``data/codebook.yaml`` holds the first questionnaire of the series; each later round declares what it
asked differently in its own ``questionnaire.yaml`` (read and applied in :mod:`councils.series`). A
question added by a round is written exactly as one in the codebook and parsed by
:func:`parse_question`. Nothing here lists an option or a label.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from councils.errors import DataError, Problem, schema_problems
from councils.paths import DATA_DIR

CODEBOOK_PATH = DATA_DIR / "codebook.yaml"
SCHEMA_PATH = DATA_DIR / "codebook.schema.json"
LANGUAGES = ("en", "da")


@dataclass(frozen=True)
class Option:
    """One answer option (or the missing-answer code) of a question."""

    code: str
    da: str
    en: str
    assumed: bool = False

    def label(self, lang: str = "en") -> str:
        """The option's label in ``lang`` (``en`` or ``da``)."""
        return getattr(self, _checked_lang(lang))


@dataclass(frozen=True)
class Group:
    """A named roll-up of options, e.g. the top two of a scale."""

    code: str
    da: str
    en: str
    members: tuple[str, ...]
    complement_of: str | None = None

    def label(self, lang: str = "en") -> str:
        """The group's label in ``lang``."""
        return getattr(self, _checked_lang(lang))


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire, with its options in display order."""

    id: str
    section: str
    type: str
    wording: str
    da: str
    en: str
    options: tuple[Option, ...] = ()
    groups: tuple[Group, ...] = ()
    figure: int | None = None
    max_answers: int | None = None
    short_da: str | None = None
    short_en: str | None = None
    intro: tuple[tuple[str, str], ...] = ()  # (lang, text): the chapter's sentence before the findings
    phrases: dict = field(default_factory=dict, compare=False, hash=False)  # see data/README.md
    sentence: str | None = None  # a hand-written sentence shared with other questions (councils.findings)
    commentary: tuple[str, ...] = ()  # the commentary section ids shown after this question
    ordered: bool = False  # the options form a scale, listed from one end to the other
    wording_da: str | None = None  # where the wording comes from, in Danish (``wording`` given as {en, da})

    def text(self, lang: str = "en") -> str:
        """The question's wording in ``lang``."""
        return getattr(self, _checked_lang(lang))

    def short(self, lang: str = "en") -> str:
        """A short name for the question (falls back to the full wording)."""
        return getattr(self, f"short_{_checked_lang(lang)}") or self.text(lang)

    def intro_text(self, lang: str = "en") -> str:
        """The chapter's sentence that introduces the question ('' when the codebook gives none)."""
        return dict(self.intro).get(_checked_lang(lang), "")

    @property
    def commentary_ids(self) -> tuple[str, ...]:
        """Where a round's commentary on this question goes: its declared section ids, or its own id."""
        return self.commentary or (self.id,)

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)

    @property
    def group_codes(self) -> tuple[str, ...]:
        return tuple(g.code for g in self.groups)

    @property
    def is_choice(self) -> bool:
        return self.type in ("single_choice", "multiple_choice")

    def category(self, code: str) -> Option | Group:
        """The option or group with this code; KeyError names the question when there is none."""
        for item in (*self.options, *self.groups):
            if item.code == code:
                return item
        raise KeyError(f"question '{self.id}' has no option or group '{code}'")

    def label(self, code: str, lang: str = "en") -> str:
        """Label of an option or group code in ``lang``."""
        return self.category(code).label(lang)


@dataclass(frozen=True)
class Section:
    """A section of a chapter: its number (as the report numbers it), chapter and title."""

    id: str
    chapter: int
    da: str
    en: str

    def title(self, lang: str = "en") -> str:
        return getattr(self, _checked_lang(lang))


@dataclass(frozen=True)
class Codebook:
    """All questions in questionnaire order, plus the code for a missing answer."""

    questions: tuple[Question, ...]
    missing: Option
    figure_titles: tuple[tuple[int, str, str], ...] = ()
    chart_labels: tuple[tuple[str, str, str], ...] = ()
    sections: tuple[Section, ...] = ()
    figure_intros: tuple[tuple[int, str, str], ...] = ()  # (figure, da, en) for a figure of several questions
    scales: dict = field(default_factory=dict, compare=False, hash=False)  # name -> options (for added questions)
    scale_groups: dict = field(default_factory=dict, compare=False, hash=False)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"unknown section '{section_id}'")

    def chapter_sections(self, chapter: int) -> tuple[Section, ...]:
        """The sections of one chapter, in the order of their numbers."""
        return tuple(sorted((s for s in self.sections if s.chapter == chapter), key=lambda s: _number_key(s.id)))

    def section_questions(self, section_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.section == section_id)

    def figure_intro(self, figure: int, lang: str = "en") -> str:
        for number, da, en in self.figure_intros:
            if number == figure:
                return da if _checked_lang(lang) == "da" else en
        return ""

    def with_questions(self, questions: tuple[Question, ...], sections: tuple[Section, ...] | None = None) -> Codebook:
        """The same codebook with another list of questions (a round's questionnaire, a series' union)."""
        return replace(self, questions=tuple(questions), sections=self.sections if sections is None else sections)

    def words(self, lang: str = "en") -> dict[str, str]:
        """Words on charts other than questions and options, in ``lang``."""
        index = 1 if _checked_lang(lang) == "da" else 2
        return {entry[0]: entry[index] for entry in self.chart_labels}

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError lists the known ids when there is none."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"unknown question '{question_id}'")

    def __contains__(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.questions)

    @property
    def choice_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.is_choice)

    def figure_questions(self, figure: int) -> tuple[Question, ...]:
        """The questions drawn in one of the report's figures (figure 7 shows two)."""
        return tuple(q for q in self.questions if q.figure == figure)

    def figure_title(self, figure: int, lang: str = "en") -> str:
        """Title of a figure: its own where the codebook gives one, else its question's wording."""
        for number, da, en in self.figure_titles:
            if number == figure:
                return da if _checked_lang(lang) == "da" else en
        questions = self.figure_questions(figure)
        if len(questions) != 1:
            raise KeyError(f"figure {figure} shows {len(questions)} questions and needs a title under 'figures'")
        return questions[0].text(lang)

    @property
    def figures(self) -> tuple[int, ...]:
        return tuple(sorted({q.figure for q in self.questions if q.figure is not None}))


def _number_key(section_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in section_id.split("."))


def _checked_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def _option(raw: dict) -> Option:
    return Option(code=str(raw["code"]), da=raw["da"], en=raw["en"], assumed=raw.get("assumed", False))


def _groups(raw_groups: list[dict], options: tuple[Option, ...], missing: Option, where: str,
            path: Path = CODEBOOK_PATH) -> tuple[Group, ...]:
    """Resolve group members; a complement holds every other answer code, the missing code included."""
    codes = [o.code for o in options]
    answer_codes = codes + ([] if missing.code in codes else [missing.code])
    by_code = {g["code"]: g for g in raw_groups}
    groups = []
    for raw in raw_groups:
        if "members" in raw:
            unknown = [m for m in raw["members"] if m not in codes]
            if unknown:
                raise DataError([Problem(str(path), None, where, ", ".join(unknown),
                                         f"members of group '{raw['code']}' to be options of the question")])
            members = tuple(raw["members"])
        else:
            base = by_code.get(raw["complement_of"])
            if base is None or "members" not in base:
                raise DataError([Problem(str(path), None, where, raw["complement_of"],
                                         f"complement_of of group '{raw['code']}' to name a group with members")])
            members = tuple(c for c in answer_codes if c not in base["members"])
        groups.append(Group(code=raw["code"], da=raw["da"], en=raw["en"], members=members,
                            complement_of=raw.get("complement_of")))
    return tuple(groups)


def parse_codebook(raw: dict, path: Path = CODEBOOK_PATH) -> Codebook:
    """Check a loaded codebook against its JSON Schema and cross-references, and build it."""
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = [
        problem for err in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
        for problem in schema_problems(str(path), err, Path(path).name)
    ]
    if problems:
        raise DataError(problems)

    missing = _option(raw["missing"])
    scales = {name: tuple(_option(o) for o in opts) for name, opts in raw.get("scales", {}).items()}
    scale_groups = raw.get("scale_groups", {})
    questions, seen = [], set()
    for i, q in enumerate(raw["questions"]):
        where = f"questions/{i} ({q['id']})"
        if q["id"] in seen:
            raise DataError([Problem(str(path), None, where, q["id"], "question ids to be unique")])
        seen.add(q["id"])
        questions.append(parse_question(q, scales, scale_groups, missing, path, where))
    titles = tuple((int(k), v["da"], v["en"]) for k, v in raw.get("figures", {}).items())
    intros = tuple((int(k), v["intro"]["da"], v["intro"]["en"]) for k, v in raw.get("figures", {}).items()
                   if "intro" in v)
    labels = tuple((k, v["da"], v["en"]) for k, v in raw.get("chart_labels", {}).items())
    sections = parse_sections(raw.get("sections", {}))
    codebook = Codebook(questions=tuple(questions), missing=missing, figure_titles=titles, chart_labels=labels,
                        sections=sections, figure_intros=intros, scales=scales, scale_groups=scale_groups)
    problems = cross_reference_problems(codebook, path)
    if problems:
        raise DataError(problems)
    return codebook


def parse_sections(raw: dict) -> tuple[Section, ...]:
    return tuple(Section(id=str(k), chapter=int(v["chapter"]), da=v["da"], en=v["en"]) for k, v in raw.items())


def parse_question(q: dict, scales: dict, scale_groups: dict, missing: Option, path: Path, where: str) -> Question:
    """One question entry (of the codebook or of a round's questionnaire.yaml), checked and built."""
    if "scale" in q and q["scale"] not in scales:
        raise DataError([Problem(str(path), None, where, q["scale"],
                                 f"a scale defined under 'scales' ({', '.join(scales)})")])
    options = scales[q["scale"]] if "scale" in q else tuple(_option(o) for o in q.get("options", []))
    option_codes = [o.code for o in options]
    if len(set(option_codes)) != len(option_codes):
        raise DataError([Problem(str(path), None, where, ", ".join(option_codes), "option codes to be unique")])
    raw_groups = list(scale_groups.get(q.get("scale"), [])) + list(q.get("groups", []))
    if raw_groups and q["type"] != "single_choice":
        raise DataError([Problem(str(path), None, where, q["type"],
                                 "groups only on single-choice questions (a multiple-choice roll-up is ambiguous)")])
    groups = _groups(raw_groups, options, missing, where, path)
    clash = set(option_codes) & {g.code for g in groups}
    if clash:
        raise DataError([Problem(str(path), None, where, ", ".join(sorted(clash)),
                                 "group codes distinct from option codes")])
    commentary = q.get("commentary", ())
    return Question(
        id=q["id"], section=q["section"], type=q["type"], da=q["da"], en=q["en"],
        wording=q["wording"]["en"] if isinstance(q["wording"], dict) else q["wording"],
        wording_da=q["wording"]["da"] if isinstance(q["wording"], dict) else None,
        options=options, groups=groups, figure=q.get("figure"), max_answers=q.get("max_answers"),
        short_da=q.get("short_da"), short_en=q.get("short_en"),
        intro=tuple((lang, q["intro"][lang]) for lang in LANGUAGES if lang in q.get("intro", {})),
        phrases=q.get("phrases", {}), sentence=q.get("sentence"),
        commentary=(commentary,) if isinstance(commentary, str) else tuple(commentary),
        ordered=bool(q.get("ordered", False)),
    )


def cross_reference_problems(codebook: Codebook, path: Path) -> list[Problem]:
    """References between parts of a codebook: sections, figures and phrases that name nothing."""
    problems = []
    known_sections = {s.id for s in codebook.sections}
    for q in codebook.questions:
        where = f"questions ({q.id})"
        if known_sections and q.section not in known_sections:
            problems.append(Problem(str(path), None, f"{where}/section", q.section,
                                    f"a section listed under 'sections' ({', '.join(sorted(known_sections))})"))
        codes = set(q.option_codes) | set(q.group_codes) | {codebook.missing.code, "*"}
        phrases = q.phrases or {}
        for key in ("lead",):
            value = phrases.get(key)
            if value is not None and value != "most_common" and value not in codes:
                problems.append(Problem(str(path), None, f"{where}/phrases/{key}", str(value),
                                        "an option or group of the question, or most_common"))
        for code in phrases.get("rest", []) or []:
            if code not in codes:
                problems.append(Problem(str(path), None, f"{where}/phrases/rest", code,
                                        "an option or group of the question"))
        for lang in LANGUAGES:
            for code in (phrases.get(lang) or {}):
                if code not in codes:
                    problems.append(Problem(str(path), None, f"{where}/phrases/{lang}", code,
                                            "an option or group of the question, or '*' for every option"))
    figures = {}
    for q in codebook.questions:
        if q.figure is not None:
            figures.setdefault(q.figure, []).append(q)
    for number, questions in figures.items():
        if len(questions) > 1 and number not in {n for n, _, _ in codebook.figure_titles}:
            problems.append(Problem(str(path), None, "figures", str(number),
                                    f"a title under 'figures' for figure {number}, which shows "
                                    f"{len(questions)} questions ({', '.join(q.id for q in questions)})"))
        if len({q.section for q in questions}) > 1:
            problems.append(Problem(str(path), None, "figures", str(number),
                                    "the questions of one figure in one section"))
    return problems


@lru_cache(maxsize=4)
def load_codebook(path: Path = CODEBOOK_PATH) -> Codebook:
    """Read and check ``data/codebook.yaml`` (cached: it is read once per process)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError([Problem(str(path), None, None, "", f"a readable YAML file ({exc})")]) from None
    return parse_codebook(raw, Path(path))
