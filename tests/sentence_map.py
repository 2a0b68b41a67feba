"""Which table entry each number in the book's sentences claims to show, written by hand from the wording.

Each finding's sentences are matched by patterns whose group ``n`` is a count; the pattern says
which question and category that count must be. A wrong key anywhere (a "don't know" count put
where the sentence says "yes") gives a number that disagrees with the entry its words name.
Used on the findings of generated rounds (tests/test_findings.py) and on rendered pages
(tests/test_round_books.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from councils.codebook import load_codebook

S = r"(?:s|es)?"  # an English verb's -s or -es, when its subject is one council


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    question: str
    category: str | dict[str, str]  # a category, or the phrase captured as ``p`` -> category


def p(regex: str, question: str, category) -> Pattern:
    return Pattern(re.compile(regex, re.IGNORECASE), question, category)


def _labels(question: str) -> dict[str, str]:
    q = load_codebook().question(question)
    return {o.en: o.code for o in q.options}


CHAIR = {"represents an association": "association", "is a politician": "politician",
         "is a civil servant": "civil_servant"}
VISIBILITY = {"held council meetings out in town": "meetings_in_town",
              "civil-society actors": "invite_civil_society", "municipal officials": "invite_officials",
              "a website": "website", "an integration prize": "integration_prize",
              "public meetings": "citizen_meetings"}
FOCUS = {"employment": "employment", "democratic participation": "democratic_participation",
         "education": "education", "health": "health", "discrimination": "discrimination", "“Other”": "other"}
PLACEMENT = {"culture and leisure": "culture_leisure", "health": "health",
             "social services department": "social_administration", "other": "other"}
CHAIR_P = "|".join(CHAIR)

PATTERNS: dict[str, list[Pattern]] = {
    "chair_background": [
        p(rf"most often (?P<p>{CHAIR_P}): in [^(),]*\((?P<n>\d+), ", "chair_background", CHAIR),
        p(rf"(?P<p>{CHAIR_P})(?:(?:, | and )(?:{CHAIR_P}))+ equally often: in (?P<n>\d+) of", "chair_background", CHAIR),
        p(rf"(?P<p>{CHAIR_P}) in (?P<n>\d+) councils?", "chair_background", CHAIR),
        p(r"for (?P<n>\d+) councils? the (?:answer|chair's background) is not stated", "chair_background",
          "not_stated"),
    ],
    "council_size": [
        p(r"(?P<n>\d+) councils? ha(?:ve|s) (?P<p>1-10 members|11-15 members|16 members or more)", "council_size",
          {"1-10 members": "1_10", "11-15 members": "11_15", "16 members or more": "16_plus"}),
        p(r"the most common sizes? (?:is|are) “(?P<p>[^”]+)”[^(]*\((?P<n>\d+)", "council_size",
          _labels("council_size")),
        p(r"(?P<n>\d+) councils? gave no answer", "council_size", "not_stated"),
    ],
    "new_knowledge": [
        p(r"this happens often \((?P<n>\d+), ", "new_knowledge", "often"),
        p(rf"(?P<n>\d+) councils? say{S} sometimes", "new_knowledge", "sometimes"),
        p(rf"(?P<n>\d+) councils? say{S} never", "new_knowledge", "never"),
        p(r"(?P<n>\d+) councils? gave no answer", "new_knowledge", "not_stated"),
    ],
    "own_budget": [
        p(r"ha(?:ve|s) a budget of (?:their|its) own \((?P<n>\d+), ", "own_budget", "yes"),
        p(r"(?P<n>\d+) councils? do(?:es)? not(?= and|,|\.)", "own_budget", "no"),
        p(r"for (?P<n>\d+) councils? the answer is not stated", "own_budget", "not_stated"),
    ],
    "member_compensation": [
        p(r"compensation, such as allowances \((?P<n>\d+), ", "member_compensation", "yes"),
        p(r"(?P<n>\d+) councils? do(?:es)? not(?= and|,|\.)", "member_compensation", "no"),
        p(r"(?P<n>\d+) councils? do(?:es)? not know", "member_compensation", "dont_know"),
        p(r"(?P<n>\d+) councils? gave no answer", "member_compensation", "not_stated"),
    ],
    "advise_all_groups": [
        p(r"refugee and immigrant groups \((?P<n>\d+), ", "advise_all_groups", "yes"),
        p(rf"(?P<n>\d+) councils? find{S} that (?:they|it) cannot", "advise_all_groups", "no"),
        p(r"(?P<n>\d+) councils? cannot say", "advise_all_groups", "dont_know"),
        p(r"(?P<n>\d+) councils? gave no answer", "advise_all_groups", "not_stated"),
    ],
    "admin_placement": [
        p(r"the employment department \((?P<n>\d+), ", "admin_placement", "employment"),
        p(r"(?P<p>culture and leisure|health|social services department|other) \((?P<n>\d+) councils?\)",
          "admin_placement", PLACEMENT),
        p(r"the most common placements? (?:is|are) “(?P<p>[^”]+)”[^(]*\((?P<n>\d+)", "admin_placement",
          _labels("admin_placement")),
        p(r"(?P<n>\d+) councils? gave no answer", "admin_placement", "not_stated"),
    ],
    "focus_areas": [
        p(r"(?P<n>\d+) councils? named (?P<p>employment|democratic participation|education|health|discrimination|"
          r"“Other”)", "focus_areas", FOCUS),
        p(r"the most common areas? (?:is|are) “(?P<p>[^”]+)”[^(]*\((?P<n>\d+)", "focus_areas", _labels("focus_areas")),
    ],
    "integration_policy": [
        p(r"has an integration policy \((?P<n>\d+), ", "integration_policy", "has_policy"),
        p(r"in (?P<n>\d+) councils? it has been decided to prepare one", "integration_policy", "decided_to_prepare"),
        p(rf"(?P<n>\d+) councils? report{S} no current plans", "integration_policy", "no_current_plans"),
        p(rf"(?P<n>\d+) councils? report{S} a decision not to have one", "integration_policy", "decided_against"),
        p(r"(?P<n>\d+) councils? do(?:es)? not know", "integration_policy", "dont_know"),
        p(r"(?P<n>\d+) councils? gave no answer", "integration_policy", "not_stated"),
    ],
    "contacts": [
        p(r"handle contact with the council in [^(),]*\((?P<n>\d+), ", "contact_officials_appointed", "yes"),
        p(r"responsible for that contact in [^(),]*\((?P<n>\d+), ", "contact_politicians_appointed", "yes"),
    ],
    "cooperation": [
        p(r"municipal board very or mostly satisfactory \((?P<n>\d+), ", "cooperation_municipal_board", "satisfied"),
        p(r"the same of the secretariat support \((?P<n>\d+), ", "secretariat_service", "satisfied"),
    ],
    "consultation": [
        p(r"matter to refugees and immigrants \((?P<n>\d+), ", "consulted", "often_or_sometimes"),
    ],
    "influence": [
        p(r"decisions in the municipality \((?P<n>\d+), ", "influence", "large_or_some"),
        p(rf"(?P<n>\d+) councils? find{S} it small or none", "influence", "small_or_none"),
        p(r"(?P<n>\d+) councils? gave no answer", "influence", "not_stated"),
    ],
    "statements": [
        p(r"statements are published \((?P<n>\d+), ", "statements_published", "yes"),
        p(rf"(?P<n>\d+) councils? say{S} they are not", "statements_published", "no"),
        p(r"(?P<n>\d+) councils? do(?:es)? not know", "statements_published", "dont_know"),
        p(r"(?P<n>\d+) councils? gave no answer", "statements_published", "not_stated"),
    ],
    "visibility": [
        p(r"(?P<n>\d+) councils? (?:ha(?:ve|s) |invites? |awards? |holds? )(?P<p>held council meetings out in town|"
          r"civil-society actors|municipal officials|a website|an integration prize|public meetings)", "visibility",
          VISIBILITY),
        p(r"the most common ways? (?:is|are) “(?P<p>[^”]+)”[^(]*\((?P<n>\d+)", "visibility", _labels("visibility")),
        p(r"the least common ways? (?:is|are) “(?P<p>[^”]+)”[^(]*\((?P<n>\d+)", "visibility", _labels("visibility")),
    ],
    "rem": [
        p(r"\(REM\) well \((?P<n>\d+), ", "rem_knowledge", "good"),
        p(r"the other (?P<n>\d+) know it somewhat", "rem_knowledge", "some_or_superficial"),
        p(rf"(?P<n>\d+) councils? know{S} it somewhat", "rem_knowledge", "some_or_superficial"),
        p(r"(?P<n>\d+) councils? gave no answer", "rem_knowledge", "not_stated"),
        p(r"high or some degree \((?P<n>\d+), ", "rem_support", "high_or_some"),
    ],
    "key_findings": [
        p(r"(?P<n>\d+) of \d+ \(\d+%\) (?:is|are) consulted often", "consulted", "often_or_sometimes"),
        p(rf"(?P<n>\d+) \(\d+%\) find{S} that (?:they|it) ha(?:ve|s) large or some influence", "influence",
          "large_or_some"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) rate{S} it very or mostly", "cooperation_municipal_board", "satisfied"),
        p(rf"(?P<n>\d+) \(\d+%\) say{S} the same of the secretariat", "secretariat_service", "satisfied"),
        p(r"(?P<n>\d+) of \d+ \(\d+%\) ha(?:ve|s) one", "own_budget", "yes"),
        p(rf"(?P<n>\d+) \(\d+%\) give{S} (?:their|its) members", "member_compensation", "yes"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) say{S} that (?:their|its) statements are not", "statements_published", "no"),
        p(r"(?P<n>\d+) \(\d+%\) that they are", "statements_published", "yes"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) say{S} that they are\.", "statements_published", "yes"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) find{S} that (?:they|it) can advise", "advise_all_groups", "yes"),
        p(rf"(?P<n>\d+) of \d+ \(\d+%\) say{S} that the work often", "new_knowledge", "often"),
    ],
}
PATTERNS["summary"] = PATTERNS["key_findings"]


@dataclass(frozen=True)
class Claimed:
    """A number in a sentence, the entry its words name, and where it stands in the text."""

    question: str
    category: str
    count: int
    start: int
    end: int


def claimed(name: str, text: str) -> list[Claimed]:
    """Every count the patterns of finding ``name`` find in ``text``, with the entry it must be."""
    found = []
    for pattern in PATTERNS.get(name, []):
        for match in pattern.regex.finditer(text):
            category = pattern.category
            if isinstance(category, dict):
                category = category[match.group("p")]
            found.append(Claimed(pattern.question, category, int(match.group("n")), match.start("n"), match.end("n")))
    return found
