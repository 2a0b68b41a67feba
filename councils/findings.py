"""The sentences the chapters glue: every number and every evaluative word computed from the round.

Each finding is a function of a round's frequency table and metadata that returns text (possibly
empty, when the round holds nothing for it). Words that depend on numbers come from
:mod:`councils.wording`; each use of a number is recorded on the :class:`Writer`, so that tests can
check every sentence against the numbers it claims to show. English only for now: a Danish edition
adds Danish templates beside these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from councils.codebook import load_codebook
from councils.tables import CONFIDENCE as CONFIDENCE_LEVEL
from councils.wording import (
    COMPARISON_WORDS, Count, Record, Said, adds_up, capitalise, comparison_key, join, pct, ranked,
)

# Answers that say nothing about the question itself: never "the most common answer".
NON_ANSWERS = ("not_stated", "dont_know")
KEY_FINDINGS_SHOWN = 5  # of the themes in key_findings(), those whose lead share is furthest from one half


@dataclass
class Writer:
    """A round's table and metadata, and the record of every number a sentence has used."""

    table: pd.DataFrame
    meta: dict
    lang: str = "en"
    record: Record = field(default_factory=Record)

    @property
    def base(self) -> int:
        return int(self.table["base"].max())

    def n(self, question: str, category: str) -> Count | None:
        """The count of one category, or None when the round holds no figure for it."""
        hit = self.table[(self.table["question"] == question) & (self.table["category"] == category)]
        if hit.empty:
            return None
        row = hit.iloc[0]
        return Count(int(row["count"]), int(row["base"]), f"{question}.{category}", self.lang, self.record)

    def number(self, name: str, value: int, base: int | None = None) -> Count:
        """A count that is not a table entry (round metadata, a number of comparisons)."""
        return Count(int(value), base, name, self.lang, self.record)

    def shares(self, ref: str, previous: tuple[int, int], current: tuple[int, int]) -> tuple[str, str, str]:
        """Two rounds' shares and the change between them as :func:`shares_and_change` shows them, recorded."""
        shown = shares_and_change(previous[0] / previous[1], current[0] / current[1])
        for (count, base), spec, text in ((previous, "share", shown[0]), (current, "share", shown[1]),
                                          (current, "change", shown[2])):
            self.record.said.append(Said(ref, count, base, spec, text))
        return shown

    def label(self, question: str, category: str) -> str:
        hit = self.table[(self.table["question"] == question) & (self.table["category"] == category)]
        return str(hit[f"label_{self.lang}"].iloc[0])

    def kinds(self, question: str) -> set[str]:
        return set(self.table.loc[self.table["question"] == question, "kind"])

    def options(self, question: str, answers_only: bool = False) -> list[Count]:
        """The question's option counts the round holds, in codebook order."""
        rows = self.table[(self.table["question"] == question) & (self.table["kind"].isin(["option", "missing"]))]
        found = [self.n(question, c) for c in rows["category"]]
        if answers_only:
            found = [c for c in found if c.ref.partition(".")[2] not in NON_ANSWERS]
        return found

    def missing(self, question: str) -> str:
        """'2 councils gave no answer', or '' when every council answered (or the round cannot say)."""
        n = self.n(question, load_codebook().missing.code)
        return "" if n is None or n.count == 0 else f"{n:councils} gave no answer"


def sentence(*parts: str, joiner: str = "; ") -> str:
    """Parts joined into one sentence, capitalised and closed with a full stop (empty parts dropped)."""
    text = joiner.join(p for p in parts if p)
    return capitalise(text) + "." if text else ""


def listing(items: list[str]) -> str:
    """'a, b and c' of the non-empty items."""
    return join([i for i in items if i])


def nonzero(n: Count | None) -> bool:
    return n is not None and n.count > 0


def most_common(w: Writer, question: str, noun: str = "answer") -> str:
    """'the most common answer is “X” (16 of 30, 53%)', ties named together; '' when nothing was chosen."""
    answers = [(c.ref.partition(".")[2], c) for c in w.options(question, answers_only=True)]
    groups = ranked([(code, c.count) for code, c in answers])
    if not groups or groups[0][0][1] == 0:
        return ""
    top = [dict(answers)[code] for code, _ in groups[0]]
    labels = join([f"“{w.label(question, c.ref.partition('.')[2])}”" for c in top])
    if len(top) == 1:
        return f"the most common {noun} is {labels} ({top[0]:of}, {top[0]:pct})"
    return f"the most common {noun}s are {labels} ({top[0]:councils} each)"


def least_common(w: Writer, question: str, noun: str = "answer") -> str:
    """'the least common answer is “Y” (12 of 30)', only when it differs from the most common."""
    answers = [(c.ref.partition(".")[2], c) for c in w.options(question, answers_only=True)]
    groups = ranked([(code, c.count) for code, c in answers])
    if len(groups) < 2:
        return ""
    bottom = [dict(answers)[code] for code, _ in groups[-1]]
    labels = join([f"“{w.label(question, c.ref.partition('.')[2])}”" for c in bottom], conjunction="or")
    if bottom[0].count == 0:
        return f"{bottom[0]:councils} chose {labels}"
    labels = join([f"“{w.label(question, c.ref.partition('.')[2])}”" for c in bottom])
    if len(bottom) == 1:
        return f"the least common {noun} is {labels} ({bottom[0]:of})"
    return f"the least common {noun}s are {labels} ({bottom[0]:councils} each)"


# ---------------------------------------------------------------------------------------------------
# The round itself (landing page, chapter 1, appendix B)


def survey(w: Writer) -> str:
    """Landing page: how many councils existed, were asked and answered."""
    return " ".join(p for p in (context(w), response(w)) if p)


def context(w: Writer) -> str:
    existing, municipalities = w.meta.get("councils_existing"), w.meta.get("municipalities")
    year = w.meta.get("fieldwork_year")
    when = f"When the round was fielded in {w.number('round.fieldwork_year', year)}" if year else \
        "When the round was fielded"
    if existing and municipalities:
        e, m = w.number("round.councils_existing", existing), w.number("round.municipalities", municipalities)
        return f"{when}, {e} of Denmark's {m} municipalities had an integration council."
    if existing:
        e = w.number("round.councils_existing", existing)
        return f"{when}, Denmark had {e:councils} for integration."
    return ""


def response(w: Writer) -> str:
    asked = w.number("round.councils_asked", w.meta["councils_asked"])
    answered = w.number("round.responses", w.base, asked.count)
    if answered.count == asked.count:
        they = "it" if asked.count == 1 else "all of them"
        return f"The questionnaire went to {asked:councils}, and {they} answered."
    return (f"The questionnaire went to {asked:councils} and {answered} answered, "
            f"a response rate of {answered:pct}.")


def method(w: Writer, has_commentary: bool) -> str:
    """Chapter 1: who ran the survey, who answered, interviews; says once when there are none."""
    parts = []
    publisher = w.meta.get("publisher_en")
    if w.meta.get("fictional"):
        parts.append("This round is fictional: its answers were made up at random, and no real body made or "
                     "published it.")
    elif w.meta.get("conducted_by"):
        parts.append(f"The questionnaire was run by {w.meta['conducted_by']}"
                     f"{' for the ' + publisher if publisher else ''}.")
    if w.meta.get("respondents_en"):
        parts.append(w.meta["respondents_en"].rstrip(".") + ".")
    parts.append(response(w))
    interviews = int(w.meta.get("follow_up_interviews") or 0)
    if interviews:
        n = w.number("round.follow_up_interviews", interviews)
        many = "interviews" if interviews > 1 else "interview"
        tail = ("; what was said in them is reported beside the numbers it explains" if has_commentary else
                ", but this edition holds no commentary from them")
        parts.append(f"The questionnaire was followed by {n} qualitative {many}{tail}.")
    elif has_commentary:
        parts.append("The round had no follow-up interviews: the commentary beside the numbers is its authors' own.")
    else:
        parts.append("The round had no follow-up interviews and comes with no commentary: "
                     "the chapters show its answers only.")
    return " ".join(parts)


def coverage(w: Writer) -> str:
    """Chapter 1: whom the shares speak for."""
    answered = w.number("round.responses", w.base)
    asked = w.number("round.councils_asked", w.meta["councils_asked"])
    existing = w.meta.get("councils_existing")
    silent = asked.count - answered.count
    first = (f"Shares in this book are of the {answered:councils} that answered, and describe "
             f"{'it' if answered.count == 1 else 'them'} exactly.")
    rest = []
    if silent:
        rest.append(f"{w.number('round.non_responses', silent)} of the councils asked did not answer")
    if existing and existing > asked.count:
        gap = w.number("round.councils_not_asked", existing - asked.count)
        rest.append(f"{gap:councils} that existed {'was' if gap.count == 1 else 'were'} not asked")
    level = pct(CONFIDENCE_LEVEL)
    if silent:
        rest_text = f" {capitalise(join(rest))}, so the shares say less about all councils."
        return (f"{first}{rest_text} Each table therefore also gives a {level} interval for the share among all "
                f"{asked:councils} asked, which allows for the chance of who happened to answer. It cannot allow "
                "for councils that stayed silent for a reason connected with their answers; for that, each table "
                "also gives the bounds that need no assumption: the share if none, or all, of the councils that "
                "did not answer had given the answer.")
    if rest:
        return (f"{first} Every council asked answered, but {join(rest)}, so the shares say nothing certain "
                "about those.")
    if existing:
        return f"{first} Every existing council was asked and answered, so they describe all councils."
    return f"{first} Every council asked answered, so they describe all of them."


# ---------------------------------------------------------------------------------------------------
# Chapter 2: organisation and focus areas


def chair_background(w: Writer) -> str:
    q = "chair_background"
    phrases = {"association": "represents an association", "politician": "is a politician",
               "civil_servant": "is a civil servant"}
    held = [(code, w.n(q, code)) for code in phrases if w.n(q, code) is not None]
    groups = ranked([(code, n.count) for code, n in held])
    counts = dict(held)
    if not groups or groups[0][0][1] == 0:
        lead = f"for {w.number('round.responses', w.base):councils} the chair's background is not stated"
        return sentence(lead)
    top = [code for code, _ in groups[0]]
    first = counts[top[0]]
    if len(top) == 1:
        lead = sentence(f"the chair most often {phrases[top[0]]}: in {first:q}{first:paren}")
    else:
        lead = sentence(f"the chair {join([phrases[c] for c in top])} equally often: in {first:of} "
                        f"responding councils each")
    others = [f"{phrases[code]} in {counts[code]:councils}" for group in groups[1:] for code, _ in group
              if counts[code].count > 0]
    ns = w.n(q, "not_stated")
    tail = f"for {ns:councils} the answer is not stated" if nonzero(ns) else ""
    return " ".join(p for p in (lead, sentence(("the chair " + listing(others)) if others else "", tail)) if p)


def council_size(w: Writer) -> str:
    q = "council_size"
    parts = [f"{n:councils} {n:have} {w.label(q, n.ref.partition('.')[2]).lower()}"
             for n in w.options(q, answers_only=True) if n.count > 0]
    return " ".join(p for p in (sentence(listing(parts), w.missing(q)), sentence(most_common(w, q, "size")))
                    if p)


def new_knowledge(w: Writer) -> str:
    q = "new_knowledge"
    often, sometimes, never = w.n(q, "often"), w.n(q, "sometimes"), w.n(q, "never")
    rest = [f"{sometimes:councils} {sometimes:say} sometimes" if nonzero(sometimes) else "",
            f"{never:councils} {never:say} never" if nonzero(never) else "", w.missing(q)]
    return sentence(f"{often:Q} {often:say} this happens often{often:paren}", listing(rest))


def own_budget(w: Writer) -> str:
    q = "own_budget"
    yes, no, ns = w.n(q, "yes"), w.n(q, "no"), w.n(q, "not_stated")
    rest = [f"{no:councils} {no:do} not" if nonzero(no) else "",
            f"for {ns:councils} the answer is not stated" if nonzero(ns) else ""]
    return sentence(f"{yes:Q} {yes:have} a budget of {yes:their} own{yes:paren}", listing(rest))


def member_compensation(w: Writer) -> str:
    q = "member_compensation"
    yes, no, dk = w.n(q, "yes"), w.n(q, "no"), w.n(q, "dont_know")
    rest = [f"{no:councils} {no:do} not" if nonzero(no) else "",
            f"{dk:councils} {dk:do} not know" if nonzero(dk) else "", w.missing(q)]
    return sentence(f"{yes:Q} {yes:give} {yes:their} members financial compensation, such as allowances"
                    f"{yes:paren}", listing(rest))


def advise_all_groups(w: Writer) -> str:
    q = "advise_all_groups"
    yes, no, dk = w.n(q, "yes"), w.n(q, "no"), w.n(q, "dont_know")
    rest = [f"{no:councils} {no:find} that {no:they} cannot" if nonzero(no) else "",
            f"{dk:councils} cannot say" if nonzero(dk) else "", w.missing(q)]
    return sentence(f"{yes:Q} {yes:find} that {yes:they} can advise the municipal board on the interests and "
                    f"needs of all local refugee and immigrant groups{yes:paren}", listing(rest))


def admin_placement(w: Writer) -> str:
    q = "admin_placement"
    employment = w.n(q, "employment")
    lead = sentence(f"{employment:Q} {employment:are} placed with employment, in a job centre or the employment "
                    f"department{employment:paren}")
    others = [n for n in w.options(q, answers_only=True) if n.ref != f"{q}.employment"]
    if not others:
        return lead
    ordered = [code for group in ranked([(n.ref.partition(".")[2], n.count) for n in others]) for code, _ in group]
    counts = {n.ref.partition(".")[2]: n for n in others}
    named = [f"{w.label(q, code).lower()} ({counts[code]:councils})" for code in ordered if counts[code].count > 0]
    rest = sentence(f"other placements: {listing(named)}" if named else "", w.missing(q))
    return " ".join(p for p in (lead, rest, sentence(most_common(w, q, "placement"))) if p)


def _multiple(w: Writer, question: str, phrases: dict[str, str]) -> list[str]:
    """Each option's phrase with its count, from the most to the least chosen; zeros last, as 'no council'."""
    held = [n for n in w.options(question) if n.count > 0]
    ordered = [code for group in ranked([(n.ref.partition(".")[2], n.count) for n in held]) for code, _ in group]
    counts = {n.ref.partition(".")[2]: n for n in held}
    parts = [phrases[code].format(n=counts[code]) for code in ordered]
    for n in w.options(question):
        if n.count == 0:
            parts.append(phrases[n.ref.partition(".")[2]].format(n=n))
    return parts


def focus_areas(w: Writer) -> str:
    q = "focus_areas"
    question = load_codebook().question(q)
    names = {o.code: f"“{o.en}”" if o.code == "other" else o.en.lower() for o in question.options}
    parts = _multiple(w, q, {code: "{n:councils} named " + name for code, name in names.items()})
    limit = f" (at most {w.number('codebook.focus_areas.max_answers', question.max_answers)} answers)" \
        if question.max_answers else ""
    return " ".join(p for p in (
        sentence(f"asked which areas they had worked on most in recent years{limit}, {listing(parts)}", joiner=""),
        sentence(most_common(w, q, "area"))) if p)


# ---------------------------------------------------------------------------------------------------
# Chapter 3: influence, visibility and cooperation


def integration_policy(w: Writer) -> str:
    q = "integration_policy"
    has, prep, none, against, dk = (w.n(q, c) for c in
                                    ("has_policy", "decided_to_prepare", "no_current_plans", "decided_against",
                                     "dont_know"))
    rest = [f"in {prep:councils} it has been decided to prepare one" if nonzero(prep) else "",
            f"{none:councils} {none:report} no current plans" if nonzero(none) else "",
            f"{against:councils} {against:report} a decision not to have one" if nonzero(against) else "",
            f"{dk:councils} {dk:do} not know" if nonzero(dk) else "", w.missing(q)]
    return sentence(f"{has:Q} {has:say} that {has:their} municipality has an integration policy{has:paren}",
                    listing(rest))


def contacts(w: Writer) -> str:
    officials = w.n("contact_officials_appointed", "yes")
    politicians = w.n("contact_politicians_appointed", "yes")
    lead = sentence(f"the municipal board has appointed officials to handle contact with the council in "
                    f"{officials:q}{officials:paren}, and politicians responsible for that contact in "
                    f"{politicians:s}{politicians:paren}", joiner="")
    word = {"more": "more common than", "fewer": "less common than", "as_many": "as common as"}[
        comparison_key(officials.count, politicians.count)]
    return f"{lead} Fixed contact with officials is thus {word} fixed contact with politicians."


def cooperation(w: Writer) -> str:
    board, secretariat = w.n("cooperation_municipal_board", "satisfied"), w.n("secretariat_service", "satisfied")
    lead = sentence(f"{board:Q} {board:find} {board:their} cooperation with the municipal board very or mostly "
                    f"satisfactory{board:paren}, and {secretariat:s} {secretariat:say} the same of the secretariat "
                    f"support{secretariat:paren}", joiner="")
    key = comparison_key(secretariat.count, board.count)
    compare = ("As many councils are satisfied with the secretariat support as with the cooperation with the board."
               if key == "as_many" else
               f"{capitalise(COMPARISON_WORDS['en'][key])} councils are satisfied with the secretariat support "
               "than with the cooperation with the board.")
    grouped = all(w.kinds(q) == {"group"} for q in ("cooperation_municipal_board", "secretariat_service"))
    note = (" This round holds these answers only as combined figures (very or mostly satisfactory, and all "
            "other answers), so the figure shows the combinations.") if grouped else ""
    return f"{lead} {compare}{note}"


def consultation(w: Writer) -> str:
    consulted = w.n("consulted", "often_or_sometimes")
    return sentence(f"{consulted:Q} {consulted:are} consulted often or sometimes on municipal initiatives that "
                    f"matter to refugees and immigrants{consulted:paren}", joiner="")


def influence(w: Writer) -> str:
    large, small = w.n("influence", "large_or_some"), w.n("influence", "small_or_none")
    rest = f"{small:councils} {small:find} it small or none" if nonzero(small) else ""
    return sentence(f"{large:Q} {large:find} that {large:they} {large:have} large or some influence on decisions "
                    f"in the municipality{large:paren}", listing([rest, w.missing("influence")]))


def statements(w: Writer) -> str:
    q = "statements_published"
    yes, no, dk = w.n(q, "yes"), w.n(q, "no"), w.n(q, "dont_know")
    rest = [f"{no:councils} {no:say} they are not" if nonzero(no) else "",
            f"{dk:councils} {dk:do} not know" if nonzero(dk) else "", w.missing(q)]
    lead = sentence(f"{yes:Q} {yes:say} that {yes:their} statements are published{yes:paren}", listing(rest))
    duty = ("Where the answer is no, the municipality does not meet that duty." if nonzero(no) else
            "No council says that its statements go unpublished.")
    return f"{lead} {duty}"


VISIBILITY = {
    "meetings_in_town": "{n:councils} {n:have held} council meetings out in town, at schools or refugee centres "
                        "for instance",
    "invite_civil_society": "{n:councils} {n:invite} civil-society actors to {n:their} meetings",
    "invite_officials": "{n:councils} {n:invite} municipal officials",
    "website": "{n:councils} {n:have} a website",
    "integration_prize": "{n:councils} {n:award} an integration prize",
    "citizen_meetings": "{n:councils} {n:hold} public meetings",
}


def visibility(w: Writer) -> str:
    q = "visibility"
    parts = _multiple(w, q, VISIBILITY)
    return " ".join(p for p in (
        sentence("in order of how many councils use them: " + listing(parts), joiner=""),
        sentence(most_common(w, q, "way"), least_common(w, q, "way"))) if p)


def rem(w: Writer) -> str:
    good, wider = w.n("rem_knowledge", "good"), w.n("rem_knowledge", "some_or_superficial")
    support = w.n("rem_support", "high_or_some")
    if nonzero(wider) and adds_up(good.count, wider.count, good.base):
        rest = f"the other {wider} know it somewhat or superficially"
    else:
        rest = listing([f"{wider:councils} {wider:know} it somewhat or superficially" if nonzero(wider) else "",
                        w.missing("rem_knowledge")])
    first = sentence(f"{good:Q} {good:know} the work of the Council for Ethnic Minorities (REM) well{good:paren}",
                     rest)
    return f"{first} " + sentence(f"{support:S} {support:find} that REM supports the local councils' work to a "
                                  f"high or some degree{support:paren}", joiner="")


# ---------------------------------------------------------------------------------------------------
# Landing page and chapter 4: findings chosen and worded from the data


@dataclass(frozen=True)
class Theme:
    """A candidate key finding: a bold headline and a sentence, both from the numbers."""

    name: str
    lead: tuple[str, str]  # the share that says how clear the finding is
    write: Callable[[Writer], tuple[str, str]]


def _theme_consultation(w: Writer) -> tuple[str, str]:
    c, i = w.n("consulted", "often_or_sometimes"), w.n("influence", "large_or_some")
    return (f"{c:S} {c:are} consulted often or sometimes.",
            f"{c:ofs} ({c:pct}) {c:are} consulted often or sometimes on municipal initiatives that matter to refugees "
            f"and immigrants, and {i:np} {i:find} that {i:they} {i:have} large or some influence on decisions.")


def _theme_cooperation(w: Writer) -> tuple[str, str]:
    b, s = w.n("cooperation_municipal_board", "satisfied"), w.n("secretariat_service", "satisfied")
    return (f"{b:S} {b:find} {b:their} cooperation with the municipal board satisfactory.",
            f"{b:ofs} ({b:pct}) {b:rate} it very or mostly satisfactory, and {s:np} {s:say} the same of the "
            f"secretariat support.")


def _theme_resources(w: Writer) -> tuple[str, str]:
    b, m = w.n("own_budget", "yes"), w.n("member_compensation", "yes")
    return (f"{b:S} {b:have} a budget of {b:their} own.",
            f"{b:ofs} ({b:pct}) {b:have} one, and {m:np} {m:give} {m:their} members financial compensation.")


def _theme_statements(w: Writer) -> tuple[str, str]:
    yes, no = w.n("statements_published", "yes"), w.n("statements_published", "no")
    if nonzero(no):
        return (f"{no:S} {no:say} that {no:their} statements are not published.",
                f"The Integration Act requires a council's advisory statements to be published; {no:ofs} "
                f"({no:pct}) {no:say} that {no:their} statements are not, and {yes:np} that they are.")
    return (f"{yes:S} {yes:say} that {yes:their} statements are published.",
            f"The Integration Act requires a council's advisory statements to be published, and no council says "
            f"that its statements are not; {yes:ofs} ({yes:pct}) {yes:say} that they are.")


def _theme_groups(w: Writer) -> tuple[str, str]:
    yes = w.n("advise_all_groups", "yes")
    return (f"{yes:S} can advise on all local refugee and immigrant groups.",
            f"{yes:ofs} ({yes:pct}) {yes:find} that {yes:they} can advise the municipal board on the interests and "
            "needs of all of them.")


def _theme_knowledge(w: Writer) -> tuple[str, str]:
    often = w.n("new_knowledge", "often")
    return (f"{often:S} {often:say} that members often gain new knowledge through the work.",
            f"{often:ofs} ({often:pct}) {often:say} that the work often gives members new knowledge of local "
            "integration challenges and efforts.")


THEMES = (
    Theme("consultation", ("consulted", "often_or_sometimes"), _theme_consultation),
    Theme("cooperation", ("cooperation_municipal_board", "satisfied"), _theme_cooperation),
    Theme("resources", ("own_budget", "yes"), _theme_resources),
    Theme("statements", ("statements_published", "yes"), _theme_statements),
    Theme("groups", ("advise_all_groups", "yes"), _theme_groups),
    Theme("knowledge", ("new_knowledge", "often"), _theme_knowledge),
)


def chosen_themes(w: Writer) -> list[Theme]:
    """The themes whose lead share is furthest from one half (councils most nearly of one mind), clearest first."""
    def distance(theme: Theme) -> float:
        n = w.n(*theme.lead)
        return abs(n.count / n.base - 0.5)

    held = [t for t in THEMES if w.n(*t.lead) is not None]
    order = sorted(range(len(held)), key=lambda i: (-distance(held[i]), i))
    return [held[i] for i in order[:KEY_FINDINGS_SHOWN]]


def key_findings(w: Writer) -> str:
    """Markdown bullets: a bold headline and its numbers for each chosen theme."""
    lines = []
    for theme in chosen_themes(w):
        headline, body = theme.write(w)
        lines.append(f"- **{capitalise(headline)}** {capitalise(body)}")
    return "\n".join(lines)


def summary(w: Writer) -> str:
    """Chapter 4's bullets: what the answers show, in the same words as the landing page."""
    lines = []
    for theme in (t for t in THEMES if t.name in ("consultation", "resources", "cooperation")):
        headline, body = theme.write(w)
        lines.append(f"- {capitalise(headline)} {capitalise(body)}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------
# Chapter 5: changes since the previous round


CHANGES_NAMED = 5  # the largest changes beyond chance named in the prose; the rest are in the table


def shares_and_change(previous: float, current: float) -> tuple[str, str, str]:
    """Both shares and the change in points, the change being the difference of the shares as shown.

    Whole percentages, unless they would show two equal shares for a change that is not zero; then
    one decimal, or two (a change never reads as '53% -> 53%, change -1').
    """
    for digits in (0, 1, 2):
        p, c = round(100 * previous, digits), round(100 * current, digits)
        if p != c or current == previous:
            break
    change = round(c - p, digits)
    fmt = f"{{:.{digits}f}}"
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return fmt.format(p) + "%", fmt.format(c) + "%", sign + fmt.format(abs(change))


def changes(w: Writer, comparison: pd.DataFrame, previous: str) -> str:
    """The comparison in words: how many shares changed beyond chance, and the largest of those changes."""
    compared = w.number("comparison.compared", len(comparison))
    questions = w.number("comparison.questions", comparison["question"].nunique())
    beyond = comparison[comparison["beyond_chance"]]
    moved = w.number("comparison.beyond_chance", len(beyond))
    codebook = load_codebook()
    within = w.number("comparison.questions_beyond_chance", beyond["question"].nunique())
    where = "" if moved.count == 0 else (f", in {within} question" + ("s" if within.count > 1 else ""))
    lead = (f"Of the {compared} shares compared across {questions} questions, "
            f"{'none' if moved.count == 0 else moved} changed beyond chance once the number of comparisons is "
            f"allowed for{where}.")
    if beyond.empty:
        top = comparison.iloc[comparison["change_pp"].abs().argmax()]
        p, c, d = w.shares(f"{top['question']}.{top['category']}", (top["previous_count"], top["previous_base"]),
                           (top["current_count"], top["current_base"]))
        return (f"{lead} The largest change, in “{codebook.question(top['question']).short('en')}: "
                f"{top['label_en']}”, from {p} to {c} ({d} points), is within what chance could produce.")
    # one change per question: the largest, so that complementary answers are not named twice
    largest = beyond.loc[beyond["change_pp"].abs().groupby(beyond["question"]).idxmax()]
    largest = largest.reindex(largest["change_pp"].abs().sort_values(ascending=False).index)
    named = []
    for row in largest.head(CHANGES_NAMED).itertuples():
        p, c, d = w.shares(f"{row.question}.{row.category}", (row.previous_count, row.previous_base),
                           (row.current_count, row.current_base))
        verb = "rose" if row.change_pp > 0 else "fell"
        named.append(f"“{codebook.question(row.question).short('en')}: {row.label_en}” {verb} from {p} in round "
                     f"{previous} to {c} ({d} points)")
    head = "The largest change of each such question: " if len(largest) > 1 else "The change: "
    more = w.number("comparison.questions_not_named", len(largest) - len(named))
    tail = (f"; the changes in {more} more question{'s' if more.count > 1 else ''} are marked in the table"
            if more.count > 0 else "")
    return f"{lead} {head}" + listing(named) + tail + "."


# ---------------------------------------------------------------------------------------------------


FINDINGS: dict[str, Callable[[Writer], str]] = {
    "survey": survey, "context": context, "coverage": coverage,
    "chair_background": chair_background, "council_size": council_size, "new_knowledge": new_knowledge,
    "own_budget": own_budget, "member_compensation": member_compensation, "advise_all_groups": advise_all_groups,
    "admin_placement": admin_placement, "focus_areas": focus_areas,
    "integration_policy": integration_policy, "contacts": contacts, "cooperation": cooperation,
    "consultation": consultation, "influence": influence, "statements": statements, "visibility": visibility,
    "rem": rem, "key_findings": key_findings, "summary": summary,
}


def write(name: str, table: pd.DataFrame, meta: dict, lang: str = "en") -> tuple[str, Record]:
    """One finding's text for a round, and the record of the numbers it used."""
    w = Writer(table, meta, lang)
    return FINDINGS[name](w), w.record
