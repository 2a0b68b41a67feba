"""Which table entry each number in the book's sentences claims to show, read from the wording.

A question's sentences are built from its codebook phrases (data/README.md, "Phrases"): each
category's predicate follows its count ("6 councils do not"), or, for the category the sentence
leads with, is followed by the count and share in brackets ("have a budget of their own (21, 70%)").
The patterns here are made by the test from those phrases, as the README documents them, not by
the code under test: a count put beside the wrong category's words (a "don't know" count where the
sentence says "no") disagrees with the entry its words name.

The sentences that set two questions side by side (contacts, cooperation, REM) and the key findings
are matched by patterns written by hand.

Used on the findings of generated rounds (tests/test_findings.py, tests/test_series.py) and on
rendered pages (tests/test_round_books.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from councils.codebook import Question, load_codebook

S = r"(?:s|es)?"  # an English verb's -s or -es, when its subject is one council
# The predicates the book uses where a question's phrases give none (documented in data/README.md).
DEFAULTS = {"dont_know": "{n:do} not know", "single": "{n:answer} “{label}”", "multiple": "{n:chose} “{label}”"}
END = r"(?=[,.;)]| and |$)"  # a rest clause ends where the next begins


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    question: str
    category: str | dict[str, str]  # a category, or the phrase captured as ``p`` -> category
    lead: bool = False  # the form of the category a question's sentence leads with
    anchor: re.Pattern | None = None  # the words of a lead alone (the count is left out for none or all)


def p(regex: str, question: str, category, lead: bool = False, anchor: str | None = None) -> Pattern:
    return Pattern(re.compile(regex, re.IGNORECASE), question, category, lead,
                   re.compile(anchor, re.IGNORECASE) if anchor else None)


def _lower_first(label: str) -> str:
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _static(template: str, label: str) -> str:
    """A predicate template as a regex: each ``{n:...}`` a word (a verb in its number, a pronoun)."""
    parts = re.split(r"(\{[^}]+\})", template)
    out = []
    for part in parts:
        if part.startswith("{n:"):  # a verb in its number: as many words as the template has ('have held')
            out.append(r" ".join([r"\w+"] * len(part[3:-1].split())))
        elif part == "{label}":
            out.append(re.escape(label))
        elif part == "{label_lc}":
            out.append(re.escape(_lower_first(label)))
        else:
            out.append(re.escape(part))
    return "".join(out)


def question_patterns(question: Question, missing: str = "not_stated") -> list[Pattern]:
    """The patterns of one question's generic sentence, from its phrases (English)."""
    phrases = question.phrases or {}
    own = phrases.get("en", {}) or {}
    found = []
    categories = [(o.code, o.en, True) for o in question.options] + [(g.code, g.en, False) for g in question.groups]
    for code, label, is_option in categories:
        if code == missing and code not in own:
            continue
        template = own.get(code) or (own.get("*") if is_option else None) or DEFAULTS.get(code) or \
            DEFAULTS["multiple" if question.type == "multiple_choice" else "single"]
        static = _static(template, label)
        found.append(p(static + r" \((?P<n>\d+), ", question.id, code, lead=True, anchor=static))  # the lead: its count after it
        found.append(p(r"(?P<n>\d+) councils? " + static + END, question.id, code))
    found.append(p(r"for (?P<n>\d+) councils? the answer is not stated", question.id, missing))
    labels = {o.en: o.code for o in question.options}
    for kind in ("most", "least"):
        found.append(p(rf"the {kind} common \w+ (?:is|are) “(?P<p>[^”]+)”[^(]*\((?P<n>\d+)", question.id, labels))
    return found


def _labels(question: str) -> dict[str, str]:
    q = load_codebook().question(question)
    return {o.en: o.code for o in q.options}


PAIRS: dict[str, list[Pattern]] = {
    "contacts": [
        p(r"handle contact with the council in [^(),]*\((?P<n>\d+), ", "contact_officials_appointed", "yes"),
        p(r"responsible for that contact in [^(),]*\((?P<n>\d+), ", "contact_politicians_appointed", "yes"),
    ],
    "cooperation": [
        p(r"municipal board very or mostly satisfactory \((?P<n>\d+), ", "cooperation_municipal_board", "satisfied"),
        p(r"the same of the secretariat support \((?P<n>\d+), ", "secretariat_service", "satisfied"),
    ],
    "rem": [
        p(r"\(REM\) well \((?P<n>\d+), ", "rem_knowledge", "good"),
        p(r"the other (?P<n>\d+) know it somewhat", "rem_knowledge", "some_or_superficial"),
        p(rf"(?P<n>\d+) councils? know{S} it somewhat", "rem_knowledge", "some_or_superficial"),
        p(r"for (?P<n>\d+) councils? the answer is not stated", "rem_knowledge", "not_stated"),
        p(r"high or some degree \((?P<n>\d+), ", "rem_support", "high_or_some"),
    ],
    "key_findings": [
        p(r"(?P<n>\d+) of \d+ \(\d+%\) (?:are|is) consulted at least sometimes on municipal initiatives", "consulted",
          "often_or_sometimes"),
        p(rf"(?P<n>\d+) \(\d+%\) find{S} that (?:they|it) ha(?:ve|s) large or some influence", "influence",
          "large_or_some"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) rate{S} it very or mostly", "cooperation_municipal_board", "satisfied"),
        p(rf"(?P<n>\d+) \(\d+%\) say{S} the same of the secretariat", "secretariat_service", "satisfied"),
        p(r"(?P<n>\d+) of \d+ \(\d+%\) ha(?:ve|s) one", "own_budget", "yes"),
        p(rf"(?P<n>\d+) \(\d+%\) say{S} that (?:their|its) members receive", "member_compensation", "yes"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) say{S} that (?:their|its) statements are not", "statements_published", "no"),
        p(r"(?P<n>\d+) \(\d+%\) that they are", "statements_published", "yes"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) say{S} that they are\.", "statements_published", "yes"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) think{S} that (?:they|it) can advise", "advise_all_groups", "yes"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) say{S} that the work often", "new_knowledge", "often"),
    ],
}
PAIRS["summary"] = PAIRS["key_findings"]


@dataclass(frozen=True)
class Claimed:
    """A number in a sentence, the entry its words name, and where it stands in the text."""

    question: str
    category: str
    count: int
    start: int
    end: int


def claimed(patterns: list[Pattern] | str, text: str) -> list[Claimed]:
    """Every count the patterns (or those of a pair or question named by id) find in ``text``, with its entry."""
    if isinstance(patterns, str):
        patterns = PAIRS[patterns] if patterns in PAIRS else question_patterns(load_codebook().question(patterns))
    found = []
    for pattern in patterns:
        for match in pattern.regex.finditer(text):
            category = pattern.category
            if isinstance(category, dict):
                if match.group("p") not in category:
                    continue
                category = category[match.group("p")]
            found.append(Claimed(pattern.question, category, int(match.group("n")), match.start("n"), match.end("n")))
    return found
