"""A survey series: the rounds that lead up to a round, what each of them asked, and what may be compared.

A round's ``previous_round`` links it to the round before it; following the links back gives its
series, oldest first. The first round of a series asked the codebook's questionnaire
(``data/codebook.yaml``). Every later round asked its previous round's questionnaire with the changes
its own ``questionnaire.yaml`` declares (schema ``data/questionnaire.schema.json``):

- ``added``: questions new in the round, written as in the codebook (labels, wording, section, figure,
  phrases, commentary section, in both languages), and ``sections`` new in the round;
- ``dropped``: questions the round did not ask;
- ``changed``: per question, options added, dropped, merged or split, a new wording, new phrases, and
  a ``break`` when its answers cannot be set beside the earlier rounds';
- ``respondents_changed``: who answered changed, which breaks every series at the round.

Nothing is inferred from a missing column: a round asks what is declared, and validation holds its
data to that. Two rounds are compared on a question only when both asked it, no break lies between
them, and only through categories that mean the same in both (a merged option is compared with the
sum of the options it merged; an option that was split, with the sum of its parts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from councils.codebook import Codebook, Group, Option, Question, _groups, cross_reference_problems, load_codebook
from councils.codebook import parse_question, parse_sections
from councils.errors import DataError, Problem
from councils.paths import DATA_DIR
from councils.rounds import Round, load_round, read_yaml, yaml_lines
from councils.wording import join

QUESTIONNAIRE_FILE = "questionnaire.yaml"
QUESTIONNAIRE_SCHEMA_PATH = DATA_DIR / "questionnaire.schema.json"
CODEBOOK_SCHEMA_PATH = DATA_DIR / "codebook.schema.json"
MAX_SERIES = 100  # rounds followed back through previous_round before a loop is assumed
NON_ANSWERS = ("dont_know", "not_stated")  # added options go before these, unless they say where


@dataclass(frozen=True)
class Break:
    """Where a series breaks: at ``round``, for one question or (``question`` None) for every question."""

    round: str
    question: str | None
    en: str
    da: str

    def reason(self, lang: str = "en") -> str:
        return self.da if lang == "da" else self.en


@dataclass(frozen=True)
class OptionChange:
    """One declared change of a question's options in one round (for the mapping between rounds and notes)."""

    round: str
    question: str
    kind: str  # added, dropped, merged, split
    code: str  # the option added, dropped or merged into, or the option split
    parts: tuple[str, ...] = ()  # the options merged, or the options split into


@dataclass(frozen=True)
class Questionnaire:
    """What one round asked: the codebook of its questions and options, and the changes it declared."""

    round: str
    codebook: Codebook
    breaks: tuple[Break, ...] = ()
    changes: tuple[OptionChange, ...] = ()
    reworded: tuple[str, ...] = ()  # questions asked with a new wording (a break or not)
    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    def asked(self, question_id: str) -> bool:
        return question_id in self.codebook


@dataclass(frozen=True)
class Entry:
    """A category two rounds share: the options it sums in each, and its label in the later round's terms."""

    later: tuple[str, ...]
    earlier: tuple[str, ...]
    label_en: str
    label_da: str
    note_en: str = ""
    note_da: str = ""

    @property
    def code(self) -> str:
        """The category's code: the later round's option, or its options joined with '+'."""
        return "+".join(self.later)


@dataclass(frozen=True)
class Comparability:
    """Whether two rounds may be compared on a question; the shared categories, or why not."""

    question: str
    earlier: str
    later: str
    entries: tuple[Entry, ...] = ()
    reason_en: str = ""
    reason_da: str = ""
    kind: str = ""  # why not: not_asked, break, respondents

    @property
    def comparable(self) -> bool:
        return not self.reason_en

    def reason(self, lang: str = "en") -> str:
        return self.reason_da if lang == "da" else self.reason_en


@dataclass(frozen=True)
class Series:
    """The rounds up to and including the last, oldest first, with what each asked."""

    rounds: tuple[Round, ...]
    questionnaires: dict = field(compare=False, hash=False)  # round id -> Questionnaire
    codebook: Codebook = field(compare=False, hash=False)  # every question any of the rounds asked

    @property
    def last(self) -> Round:
        return self.rounds[-1]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rounds)

    def questionnaire(self, round_id: str) -> Questionnaire:
        return self.questionnaires[round_id]

    def asked_in(self, question_id: str) -> tuple[str, ...]:
        """The rounds of the series that asked a question, oldest first."""
        return tuple(r for r in self.ids if self.questionnaires[r].asked(question_id))

    def breaks_between(self, question_id: str, earlier: str, later: str) -> tuple[Break, ...]:
        """Breaks of a question's series after round ``earlier`` up to and including round ``later``."""
        ids = self.ids
        between = ids[ids.index(earlier) + 1: ids.index(later) + 1]
        return tuple(b for r in between for b in self.questionnaires[r].breaks
                     if b.question in (None, question_id))

    def comparability(self, question_id: str, earlier: str, later: str) -> Comparability:
        """How rounds ``earlier`` and ``later`` may be compared on a question (see the module docstring)."""
        return _comparability(self, question_id, earlier, later)


# --- reading and applying a round's questionnaire.yaml -----------------------------------------------

@lru_cache(maxsize=1)
def _validator():
    import jsonschema
    from referencing import Registry, Resource

    codebook_schema = json.loads(CODEBOOK_SCHEMA_PATH.read_text(encoding="utf-8"))
    schema = json.loads(QUESTIONNAIRE_SCHEMA_PATH.read_text(encoding="utf-8"))
    registry = Registry().with_resource("codebook.schema.json", Resource.from_contents(codebook_schema))
    return jsonschema.Draft202012Validator(schema, registry=registry)


def questionnaire_path(rnd: Round) -> Path:
    return rnd.path / QUESTIONNAIRE_FILE


def read_changes(rnd: Round) -> tuple[dict, list[Problem]]:
    """A round's declared questionnaire changes ({} when it has no questionnaire.yaml), checked against the schema."""
    path = questionnaire_path(rnd)
    if not path.exists() and not path.is_symlink():
        return {}, []
    raw, problems = read_yaml(path, QUESTIONNAIRE_FILE)
    if problems:
        return {}, problems
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [Problem(str(path), None, None, type(raw).__name__,
                            "a mapping of changes (added, dropped, changed, sections, respondents_changed)")]
    lines = yaml_lines(path)
    problems = []
    for err in sorted(_validator().iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path]):
        where = tuple(err.absolute_path)
        column = "/".join(str(p) for p in where) or None
        message = err.message if len(err.message) <= 200 else err.message[:197] + "..."
        if err.validator == "additionalProperties" and where == ():
            message = ("only the fields added, dropped, changed, sections and respondents_changed "
                       f"({message})")
        problems.append(Problem(str(path), _line(lines, where), column, _short(err.instance), message))
    return (raw if not problems else {}), problems


def _line(lines: dict, where: tuple) -> int | None:
    while where and where not in lines:
        where = where[:-1]
    return lines.get(where)


def _short(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def apply_changes(previous: Codebook, changes: dict, rnd: Round, known: Codebook,
                  path: Path | None = None) -> tuple[Questionnaire, list[Problem]]:
    """The questionnaire of ``rnd``: ``previous`` with its declared ``changes`` applied.

    ``known`` holds every question asked earlier in the series (for the messages: a question dropped
    twice, or added again under an id it had before). Problems name the file, its line and the field.
    """
    path = path or questionnaire_path(rnd)
    lines = yaml_lines(path) if path.is_file() else {}
    problems: list[Problem] = []

    def problem(where: tuple, value: str, expected: str) -> None:
        problems.append(Problem(str(path), _line(lines, where), "/".join(str(p) for p in where), value, expected))

    asked = {q.id: q for q in previous.questions}
    order = [q.id for q in previous.questions]
    sections = list(previous.sections)
    section_ids = {s.id for s in sections}
    for section in parse_sections(changes.get("sections", {})):
        if section.id in section_ids:
            problem(("sections", section.id), section.id, "a section that is new in this round (it exists already)")
        else:
            sections.append(section)
            section_ids.add(section.id)
    breaks: list[Break] = []
    if "respondents_changed" in changes:
        reason = changes["respondents_changed"]
        breaks.append(Break(rnd.id, None, reason["en"], reason["da"]))

    dropped = []
    for i, qid in enumerate(changes.get("dropped", [])):
        if qid not in asked:
            problem(("dropped", i), qid, _unknown_question(qid, known, previous, "drop"))
        else:
            del asked[qid]
            order.remove(qid)
            dropped.append(qid)

    option_changes: list[OptionChange] = []
    reworded = []
    for qid, change in changes.get("changed", {}).items():
        if qid not in asked:
            problem(("changed", qid), qid, _unknown_question(qid, known, previous, "change"))
            continue
        question, found, notes = _changed_question(asked[qid], change, previous, rnd, ("changed", qid))
        for where, value, expected in found:
            problem(where, value, expected)
        asked[qid] = question
        option_changes += notes
        if "wording" in change:
            reworded.append(qid)
        if "break" in change:
            breaks.append(Break(rnd.id, qid, change["break"]["en"], change["break"]["da"]))

    added = []
    for i, raw in enumerate(changes.get("added", [])):
        qid = raw["id"]
        where = ("added", i)
        if qid in asked or qid in known:
            problem(where + ("id",), qid, f"an id no earlier question of the series has (question '{qid}' exists"
                    + (")" if qid in asked else ", asked in an earlier round)"))
            continue
        try:
            question = parse_question(raw, previous.scales, previous.scale_groups, previous.missing, path,
                                      f"added/{i} ({qid})")
        except DataError as exc:
            for p in exc.problems:
                problems.append(Problem(p.file, _line(lines, where), p.column, p.value, p.expected))
            continue
        if question.section not in section_ids:
            problem(where + ("section",), question.section,
                    f"a section of the codebook or one this round adds under 'sections' ({', '.join(sorted(section_ids))})")
        asked[qid] = question
        # placed after the last question of its section, so that sections stay together
        same = [i for i, other in enumerate(order) if asked[other].section == question.section]
        order.insert(same[-1] + 1 if same else len(order), qid)
        added.append(qid)

    codebook = previous.with_questions(tuple(asked[q] for q in order), tuple(sections))
    for p in cross_reference_problems(codebook, path):
        problems.append(p)
    problems += _figure_problems(codebook, known, path, lines)
    return Questionnaire(rnd.id, codebook, tuple(breaks), tuple(option_changes), tuple(reworded),
                         tuple(added), tuple(dropped)), problems


def _unknown_question(qid: str, known: Codebook, previous: Codebook, verb: str) -> str:
    if qid in known:
        return (f"a question the previous round asked (the series has '{qid}', but the round before this one did "
                f"not ask it, so there is nothing to {verb})")
    return f"a question of the codebook that the previous round asked ({', '.join(q.id for q in previous.questions)})"


def _figure_problems(codebook: Codebook, known: Codebook, path: Path, lines: dict) -> list[Problem]:
    """A figure number means one figure in the whole series: an added question may not take another's."""
    problems = []
    for q in codebook.questions:
        if q.figure is None or q.id in known:
            continue
        others = [o for o in (*known.questions, *codebook.questions)
                  if o.figure == q.figure and o.id != q.id and o.section != q.section]
        if others:
            problems.append(Problem(str(path), _line(lines, ("added",)), "added/figure", str(q.figure),
                                    f"a figure number no question of another section uses (figure {q.figure} "
                                    f"shows '{others[0].id}', section {others[0].section})"))
    return problems


def _changed_question(question: Question, change: dict, previous: Codebook, rnd: Round,
                      where: tuple) -> tuple[Question, list, list[OptionChange]]:
    """A question with one round's changes to its options, wording and phrases; problems and option notes."""
    found: list[tuple[tuple, str, str]] = []
    notes: list[OptionChange] = []
    options = list(question.options)

    def codes() -> list[str]:
        return [o.code for o in options]

    for i, code in enumerate(change.get("options_dropped", [])):
        if code not in codes():
            found.append((where + ("options_dropped", i), code, f"an option of '{question.id}': {', '.join(codes())}"))
            continue
        options = [o for o in options if o.code != code]
        notes.append(OptionChange(rnd.id, question.id, "dropped", code))
    for i, merged in enumerate(change.get("options_merged", [])):
        missing = [c for c in merged["from"] if c not in codes()]
        if missing:
            found.append((where + ("options_merged", i, "from"), ", ".join(missing),
                          f"options of '{question.id}' to merge: {', '.join(codes())}"))
            continue
        if merged["code"] in codes() and merged["code"] not in merged["from"]:
            found.append((where + ("options_merged", i, "code"), merged["code"], "a code no other option has"))
            continue
        position = min(codes().index(c) for c in merged["from"])
        options = [o for o in options if o.code not in merged["from"]]
        options.insert(position, Option(merged["code"], merged["da"], merged["en"]))
        notes.append(OptionChange(rnd.id, question.id, "merged", merged["code"], tuple(merged["from"])))
    for i, split in enumerate(change.get("options_split", [])):
        if split["from"] not in codes():
            found.append((where + ("options_split", i, "from"), split["from"],
                          f"an option of '{question.id}' to split: {', '.join(codes())}"))
            continue
        parts = [Option(str(o["code"]), o["da"], o["en"]) for o in split["into"]]
        clash = [p.code for p in parts if p.code in codes() and p.code != split["from"]]
        if clash:
            found.append((where + ("options_split", i, "into"), ", ".join(clash), "codes no other option has"))
            continue
        position = codes().index(split["from"])
        options = options[:position] + parts + options[position + 1:]
        notes.append(OptionChange(rnd.id, question.id, "split", split["from"], tuple(p.code for p in parts)))
    for i, new in enumerate(change.get("options_added", [])):
        if new["code"] in codes():
            found.append((where + ("options_added", i, "code"), new["code"], "a code no other option has"))
            continue
        option = Option(str(new["code"]), new["da"], new["en"])
        if "after" in new:
            if new["after"] not in codes():
                found.append((where + ("options_added", i, "after"), new["after"],
                              f"an option of '{question.id}': {', '.join(codes())}"))
                continue
            options.insert(codes().index(new["after"]) + 1, option)
        else:
            tail = [j for j, o in enumerate(options) if o.code in NON_ANSWERS]
            options.insert(tail[0] if tail else len(options), option)
        notes.append(OptionChange(rnd.id, question.id, "added", option.code))
    if len(options) < 2 and question.is_choice:
        found.append((where, question.id, "at least two options left after the changes"))
        options = list(question.options)
    groups = _regrouped(question, options, previous, notes)
    phrases = change.get("phrases") or _pruned(question.phrases, {o.code for o in options} | {g.code for g in groups}
                                                | {previous.missing.code, "*"})
    wording = change.get("wording", {})
    changed = Question(
        id=question.id, section=question.section, type=question.type,
        wording=f"changed in round {rnd.id}" if wording else question.wording,
        wording_da=f"ændret i runde {rnd.id}" if wording else question.wording_da,
        da=wording.get("da", question.da), en=wording.get("en", question.en), options=tuple(options),
        groups=groups, figure=question.figure, max_answers=question.max_answers, short_da=question.short_da,
        short_en=question.short_en, intro=question.intro, phrases=phrases,
        sentence=question.sentence, commentary=question.commentary, ordered=question.ordered)
    return changed, found, notes


def _pruned(phrases: dict, codes: set[str]) -> dict:
    """A question's phrases without those of options it no longer offers (a merged option takes the default)."""
    if not phrases:
        return phrases
    out = dict(phrases)
    for lang in ("en", "da"):
        if lang in out:
            out[lang] = {code: text for code, text in out[lang].items() if code in codes}
    if out.get("lead") not in (None, "most_common") and out["lead"] not in codes:
        out["lead"] = "most_common"
    if "rest" in out:
        out["rest"] = [code for code in out["rest"] if code in codes]
    return out


def _regrouped(question: Question, options: list[Option], codebook: Codebook,
               notes: list[OptionChange]) -> tuple[Group, ...]:
    """The question's groups over its new options; a group whose members were merged across its edge is dropped.

    A member that was merged into a new option is replaced by it when every option merged into it is a
    member; a member that was split is replaced by its parts.
    """
    codes = [o.code for o in options]
    raw = []
    for group in question.groups:
        if group.complement_of:
            raw.append({"code": group.code, "da": group.da, "en": group.en, "complement_of": group.complement_of})
            continue
        members = set(group.members)
        for note in notes:
            if note.kind == "split" and note.code in members:
                members = (members - {note.code}) | set(note.parts)
            if note.kind == "merged" and members & set(note.parts):
                if set(note.parts) <= members:
                    members = (members - set(note.parts)) | {note.code}
                else:
                    members = set()  # merged across the group's edge: no longer a group of this round
                    break
        members &= set(codes)
        if members:
            raw.append({"code": group.code, "da": group.da, "en": group.en,
                        "members": [c for c in codes if c in members]})
    kept = {r["code"] for r in raw if "members" in r}
    raw = [r for r in raw if "members" in r or r["complement_of"] in kept]
    return _groups(raw, tuple(options), codebook.missing, question.id)


# --- the series -------------------------------------------------------------------------------------

def series_rounds(rnd: Round, data_dir: Path | str | None = None) -> tuple[list[Round], list[Problem]]:
    """The rounds from the first of the series to ``rnd``, following previous_round; problems for a loop."""
    chain = [rnd]
    seen = {rnd.id}
    problems: list[Problem] = []
    while (previous := chain[0].meta.get("previous_round")):
        if previous in seen or len(chain) >= MAX_SERIES:
            problems.append(Problem(str(chain[0].path / "round.yaml"), None, "previous_round", previous,
                                    "a round earlier in the series (following previous_round leads back to "
                                    f"round '{previous}' again: a loop)"))
            break
        try:
            earlier = load_round(previous, data_dir if data_dir is not None else rnd.path.parent)
        except DataError as exc:
            problems += exc.problems
            break
        chain.insert(0, earlier)
        seen.add(previous)
    years = [(r, r.meta.get("fieldwork_year")) for r in chain]
    for (a, ya), (b, yb) in zip(years, years[1:]):
        if isinstance(ya, int) and isinstance(yb, int) and yb < ya:
            problems.append(Problem(str(b.path / "round.yaml"), None, "fieldwork_year", str(yb),
                                    f"a year no earlier than that of the previous round '{a.id}' ({ya})"))
    return chain, problems


def _stamp(rounds: list[Round]) -> tuple:
    files = []
    for r in rounds:
        for f in (r.path / "round.yaml", r.path / QUESTIONNAIRE_FILE):
            try:
                st = f.stat()
                files.append((str(f), st.st_mtime_ns, st.st_size))
            except OSError:
                files.append((str(f), None, None))
    return tuple(files)


def check_series(rnd: Round) -> tuple[Series | None, list[Problem]]:
    """The series that leads to ``rnd``, with every problem of its rounds' questionnaire declarations."""
    rounds, problems = series_rounds(rnd)
    if problems:
        return None, problems
    return _series(tuple(rounds), _stamp(rounds))


@lru_cache(maxsize=32)
def _series(rounds: tuple[Round, ...], stamp: tuple) -> tuple[Series | None, list[Problem]]:
    base = load_codebook()
    questionnaires = {}
    known_questions: dict[str, Question] = {}
    known_order: list[str] = []
    problems: list[Problem] = []
    current = base
    for i, rnd in enumerate(rounds):
        changes, found = read_changes(rnd)
        problems += found
        known = base.with_questions(tuple(known_questions[q] for q in known_order))
        questionnaire, found = apply_changes(current, changes, rnd, known if i else base.with_questions(()))
        problems += found
        questionnaires[rnd.id] = questionnaire
        current = questionnaire.codebook
        for q in current.questions:
            if q.id not in known_questions:
                known_order.append(q.id)
            known_questions[q.id] = q  # the latest definition labels the series' charts and tables
    if problems:
        return None, problems
    sections = {s.id: s for q in questionnaires.values() for s in q.codebook.sections}
    union = base.with_questions(tuple(_union_order(base, questionnaires, known_questions)), tuple(sections.values()))
    return Series(tuple(rounds), questionnaires, union), []


def _union_order(base: Codebook, questionnaires: dict, known: dict[str, Question]) -> list[Question]:
    """Every question some round of the series asked: the codebook's in its order, then those added later, each in
    its section (a question of the codebook that no round asked, such as one the first round dropped, is left out)."""
    order = [q.id for q in base.questions if q.id in known]
    for questionnaire in questionnaires.values():
        ids = [q.id for q in questionnaire.codebook.questions]
        for qid in ids:
            if qid in order:
                continue
            earlier = ids[:ids.index(qid)]
            anchor = max((order.index(e) for e in earlier if e in order and known[e].section == known[qid].section),
                         default=None)
            if anchor is None:
                same = [i for i, o in enumerate(order) if known[o].section == known[qid].section]
                anchor = same[-1] if same else len(order) - 1
            order.insert(anchor + 1, qid)
    return [known[q] for q in order]


def series_for(rnd: Round) -> Series:
    """The checked series that leads to ``rnd``; DataError lists every problem."""
    series, problems = check_series(rnd)
    if problems:
        raise DataError(problems)
    return series


def codebook_for(rnd: Round) -> Codebook:
    """The codebook of exactly the questions and options round ``rnd`` asked."""
    return series_for(rnd).questionnaire(rnd.id).codebook


# --- what two rounds share --------------------------------------------------------------------------

CHANGE_NOTES = {
    "merged": ("“{label}” joins options that round {earlier} asked separately ({parts})",
               "»{label}« samler svarmuligheder, som runde {earlier} havde hver for sig ({parts})"),
    "split": ("“{label}” was split into {parts} in round {round}; they are compared as one",
              "»{label}« blev delt i {parts} i runde {round}; de sammenlignes samlet"),
}


def _comparability(series: Series, question_id: str, earlier: str, later: str) -> Comparability:
    ids = series.ids
    if ids.index(earlier) >= ids.index(later):
        raise ValueError(f"round '{earlier}' must come before round '{later}' in the series")
    q_earlier = series.questionnaire(earlier).codebook
    q_later = series.questionnaire(later).codebook
    for rid, book in ((earlier, q_earlier), (later, q_later)):
        if question_id not in book:
            return Comparability(question_id, earlier, later, (),
                                 f"round {rid} did not ask this question", f"runde {rid} stillede ikke spørgsmålet",
                                 "not_asked")
    breaks = series.breaks_between(question_id, earlier, later)
    if breaks:
        b = breaks[0]
        if b.question is None:
            return Comparability(question_id, earlier, later, (),
                                 f"who answered changed in round {b.round}: {_clause(b.en)}",
                                 f"det ændrede sig i runde {b.round}, hvem der svarede: {_clause(b.da)}",
                                 "respondents")
        return Comparability(question_id, earlier, later, (),
                             f"the question changed in round {b.round}: {_clause(b.en)}",
                             f"spørgsmålet blev ændret i runde {b.round}: {_clause(b.da)}", "break")
    question = q_later.question(question_id)
    # Entries: (codes in the current round, codes in `earlier`, or None when not expressible there).
    entries: list[tuple[set[str], set[str] | None, list[OptionChange]]] = [
        ({c}, {c}, []) for c in q_earlier.question(question_id).option_codes]
    between = ids[ids.index(earlier) + 1: ids.index(later) + 1]
    multiple = question.type == "multiple_choice"
    for rid in between:
        for note in series.questionnaire(rid).changes:
            if note.question != question_id:
                continue
            if note.kind == "added":
                entries.append(({note.code}, None, [note]))
            elif note.kind == "dropped":
                for i, (now, then, log) in enumerate(entries):
                    if note.code in now:
                        rest = now - {note.code}
                        entries[i] = (rest, None if rest else then, log + [note])
                entries = [e for e in entries if e[0]]
            elif note.kind == "merged":
                hit = [e for e in entries if e[0] & set(note.parts)]
                keep = [e for e in entries if not e[0] & set(note.parts)]
                now = set().union(*(e[0] for e in hit)) - set(note.parts) | {note.code}
                then = None if multiple or any(e[1] is None for e in hit) else set().union(*(e[1] for e in hit))
                entries = keep + [(now, then, [n for e in hit for n in e[2]] + [note])]
            elif note.kind == "split":
                for i, (now, then, log) in enumerate(entries):
                    if note.code in now:
                        entries[i] = ((now - {note.code}) | set(note.parts), None if multiple else then, log + [note])
    order = list(question.option_codes)
    result = []
    for now, then, log in sorted(entries, key=lambda e: min(order.index(c) for c in e[0] if c in order)):
        if then is None:
            continue
        later_codes = tuple(c for c in order if c in now)
        earlier_codes = tuple(c for c in q_earlier.question(question_id).option_codes if c in then)
        label_en, label_da = _entry_label(question, later_codes, q_earlier.question(question_id), earlier_codes)
        note_en, note_da = _entry_note(log, series, question, earlier)
        result.append(Entry(later_codes, earlier_codes, label_en, label_da, note_en, note_da))
    return Comparability(question_id, earlier, later, tuple(result))


def _clause(reason: str) -> str:
    """A declared reason as a clause after a colon: no full stop, a lower-case start unless it is a name."""
    reason = reason.strip().rstrip(".")
    return reason if reason[1:2].isupper() else reason[:1].lower() + reason[1:]


def _entry_label(later: Question, later_codes: tuple[str, ...], earlier: Question,
                 earlier_codes: tuple[str, ...]) -> tuple[str, str]:
    if len(later_codes) == 1:
        return later.label(later_codes[0], "en"), later.label(later_codes[0], "da")
    if len(earlier_codes) == 1:
        return earlier.label(earlier_codes[0], "en"), earlier.label(earlier_codes[0], "da")
    return (" or ".join(later.label(c, "en") for c in later_codes),
            " eller ".join(later.label(c, "da") for c in later_codes))


def _entry_note(log: list[OptionChange], series: Series, question: Question, earlier: str) -> tuple[str, str]:
    notes_en, notes_da = [], []
    for note in log:
        if note.kind not in CHANGE_NOTES:
            continue
        book = series.questionnaire(note.round).codebook.question(question.id)
        source = series.codebook.question(question.id)
        label_en = book.label(note.code, "en") if note.kind == "merged" else _any_label(series, question.id, note.code, "en")
        label_da = book.label(note.code, "da") if note.kind == "merged" else _any_label(series, question.id, note.code, "da")
        parts_en = join([f"“{_any_label(series, source.id, p, 'en')}”" for p in note.parts], "en")
        parts_da = join([f"»{_any_label(series, source.id, p, 'da')}«" for p in note.parts], "da")
        en, da = CHANGE_NOTES[note.kind]
        notes_en.append(en.format(label=label_en, parts=parts_en, earlier=earlier, round=note.round))
        notes_da.append(da.format(label=label_da, parts=parts_da, earlier=earlier, round=note.round))
    return "; ".join(notes_en), "; ".join(notes_da)


def _any_label(series: Series, question_id: str, code: str, lang: str) -> str:
    """An option's label in whichever round of the series offered it (the latest that did)."""
    for rid in reversed(series.ids):
        book = series.questionnaire(rid).codebook
        if question_id in book and code in book.question(question_id).option_codes:
            return book.question(question_id).label(code, lang)
    return code
