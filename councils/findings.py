"""The sentences the chapters glue: every number and every evaluative word computed from the round.

Each finding is a function of a round's frequency table and metadata that returns text (possibly
empty, when the round holds nothing for it), in the writer's language. Words that depend on numbers
come from :mod:`councils.wording`; each use of a number is recorded on the :class:`Writer`, so that
tests can check every sentence against the numbers it claims to show. Every template is written in
English and in Danish side by side (``w.t(en, da)``): the Danish is written as Danish, not
translated word for word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from councils.codebook import load_codebook
from councils.tables import CONFIDENCE as CONFIDENCE_LEVEL
from councils.wording import (
    CHANGE_WORDS, COMPARISON_WORDS, Count, Record, Said, adds_up, capitalise, change_key, comparison_key, join, pct,
    ranked, shares_and_change,
)

# Answers that say nothing about the question itself: never "the most common answer".
NON_ANSWERS = ("not_stated", "dont_know")
KEY_FINDINGS_SHOWN = 5  # of the themes in key_findings(), those whose lead share is furthest from one half


@dataclass
class Writer:
    """A round's table and metadata, the language to write in, and the record of every number used."""

    table: pd.DataFrame
    meta: dict
    lang: str = "en"
    record: Record = field(default_factory=Record)

    @property
    def base(self) -> int:
        return int(self.table["base"].max())

    def t(self, en: str, da: str, /, **values) -> str:
        """The template of this writer's language, filled in (counts format themselves)."""
        return (da if self.lang == "da" else en).format(**values)

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
        shown = shares_and_change(previous[0] / previous[1], current[0] / current[1], self.lang)
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
        if n is None or n.count == 0:
            return ""
        return self.t("{n:councils} gave no answer", "{n:councils} har ikke svaret", n=n)

    def join(self, items: list[str], conjunction: str | None = None) -> str:
        return join([i for i in items if i], self.lang, conjunction)


def sentence(*parts: str, joiner: str = "; ") -> str:
    """Parts joined into one sentence, capitalised and closed with a full stop (empty parts dropped)."""
    text = joiner.join(p for p in parts if p)
    return capitalise(text) + "." if text else ""


def nonzero(n: Count | None) -> bool:
    return n is not None and n.count > 0


def _code(n: Count) -> str:
    return n.ref.partition(".")[2]


def _quoted(w: Writer, question: str, counts: list[Count], conjunction: str | None = None) -> str:
    return w.join([f"“{w.label(question, _code(c))}”" for c in counts], conjunction)


ANSWER = ("answer", "answers", "svar", "svar", "det")  # English singular, plural; Danish singular, plural, article


def most_common(w: Writer, question: str, noun: tuple[str, str, str, str, str] = ANSWER) -> str:
    """'the most common answer is “X” (16 of 30, 53%)', ties named together; '' when nothing was chosen."""
    answers = {_code(c): c for c in w.options(question, answers_only=True)}
    groups = ranked([(code, c.count) for code, c in answers.items()])
    if not groups or groups[0][0][1] == 0:
        return ""
    top = [answers[code] for code, _ in groups[0]]
    labels = _quoted(w, question, top)
    if len(top) == 1:
        return w.t("the most common {en} is {labels} ({n:of}, {n:pct})",
                   "{art} hyppigste {da} er {labels} ({n:of}, {n:pct})", n=top[0], labels=labels, en=noun[0],
                   da=noun[2], art=noun[4])
    return w.t("the most common {en} are {labels} ({n:councils} each)",
               "de hyppigste {da} er {labels} ({n:councils} hver)", n=top[0], labels=labels, en=noun[1], da=noun[3])


def least_common(w: Writer, question: str, noun: tuple[str, str, str, str, str] = ANSWER) -> str:
    """'the least common answer is “Y” (12 of 30)', only when it differs from the most common."""
    answers = {_code(c): c for c in w.options(question, answers_only=True)}
    groups = ranked([(code, c.count) for code, c in answers.items()])
    if len(groups) < 2:
        return ""
    bottom = [answers[code] for code, _ in groups[-1]]
    if bottom[0].count == 0:
        return w.t("{n:councils} chose {labels}", "{n:councils} valgte {labels}", n=bottom[0],
                   labels=_quoted(w, question, bottom, "or" if w.lang == "en" else "eller"))
    labels = _quoted(w, question, bottom)
    if len(bottom) == 1:
        return w.t("the least common {en} is {labels} ({n:of})", "{art} mindst hyppige {da} er {labels} ({n:of})",
                   n=bottom[0], labels=labels, en=noun[0], da=noun[2], art=noun[4])
    return w.t("the least common {en} are {labels} ({n:councils} each)",
               "de mindst hyppige {da} er {labels} ({n:councils} hver)", n=bottom[0], labels=labels, en=noun[1],
               da=noun[3])


# ---------------------------------------------------------------------------------------------------
# The round itself (landing page, chapter 1, appendix B)


def survey(w: Writer) -> str:
    """Landing page: how many councils existed, were asked and answered."""
    return " ".join(p for p in (context(w), response(w)) if p)


def context(w: Writer) -> str:
    existing, municipalities = w.meta.get("councils_existing"), w.meta.get("municipalities")
    year = w.meta.get("fieldwork_year")
    when = (w.t("When the round was fielded in {y}", "Da runden blev gennemført i {y}",
                y=w.number("round.fieldwork_year", year)) if year else
            w.t("When the round was fielded", "Da runden blev gennemført"))
    if existing and municipalities:
        e, m = w.number("round.councils_existing", existing), w.number("round.municipalities", municipalities)
        return w.t("{when}, {e} of Denmark's {m} municipalities had an integration council.",
                   "{when}, havde {e} af Danmarks {m} kommuner et integrationsråd.", when=when, e=e, m=m)
    if existing:
        e = w.number("round.councils_existing", existing)
        return w.t("{when}, Denmark had {e:councils} for integration.",
                   "{when}, havde Danmark {e} integrationsråd.", when=when, e=e)
    return ""


def response(w: Writer) -> str:
    asked = w.number("round.councils_asked", w.meta["councils_asked"])
    answered = w.number("round.responses", w.base, asked.count)
    if answered.count == asked.count:
        if asked.count == 1:
            return w.t("The questionnaire went to {a:councils}, and it answered.",
                       "Spørgeskemaet blev sendt til {a:councils}, som svarede.", a=asked)
        return w.t("The questionnaire went to {a:councils}, and all of them answered.",
                   "Spørgeskemaet blev sendt til {a:councils}, og alle svarede.", a=asked)
    return w.t("The questionnaire went to {a:councils} and {r} answered, a response rate of {r:pct}.",
               "Spørgeskemaet blev sendt til {a:councils}, og {r} svarede, en svarprocent på {r:pct}.",
               a=asked, r=answered)


def method(w: Writer, has_commentary: bool) -> str:
    """Chapter 1: who ran the survey, who answered, interviews; says once when there are none."""
    parts = []
    publisher = w.meta.get(f"publisher_{w.lang}")
    if w.meta.get("fictional"):
        parts.append(w.t("This round is fictional: its answers were made up at random, and no real body made or "
                         "published it.",
                         "Runden er fiktiv: svarene er fundet på tilfældigt, og ingen virkelig institution har "
                         "lavet eller udgivet den."))
    elif w.meta.get("conducted_by"):
        parts.append(w.t("The questionnaire was run by {who}{for_whom}.",
                         "Spørgeskemaundersøgelsen blev gennemført af {who}{for_whom}.", who=w.meta["conducted_by"],
                         for_whom=(w.t(" for the {p}", " for {p}", p=publisher) if publisher else "")))
    if w.meta.get(f"respondents_{w.lang}"):
        parts.append(w.meta[f"respondents_{w.lang}"].rstrip(".") + ".")
    parts.append(response(w))
    interviews = int(w.meta.get("follow_up_interviews") or 0)
    if interviews:
        n = w.number("round.follow_up_interviews", interviews)
        many = w.t("interviews", "interviews") if interviews > 1 else w.t("interview", "interview")
        tail = (w.t("; what was said in them is reported beside the numbers it explains",
                    "; hvad der blev sagt i dem, gengives ved de tal, det uddyber") if has_commentary else
                w.t(", but this edition holds no commentary from them",
                    ", men denne udgave indeholder ingen kommentarer fra dem"))
        parts.append(w.t("The questionnaire was followed by {n} qualitative {many}{tail}.",
                         "Spørgeskemaet blev fulgt op af {n} kvalitative {many}{tail}.", n=n, many=many, tail=tail))
    elif has_commentary:
        parts.append(w.t("The round had no follow-up interviews: the commentary beside the numbers is its authors' "
                         "own.",
                         "Runden havde ingen opfølgende interviews: kommentarerne ved tallene er forfatternes egne."))
    else:
        parts.append(w.t("The round had no follow-up interviews and comes with no commentary: "
                         "the chapters show its answers only.",
                         "Runden havde ingen opfølgende interviews og ledsages ikke af kommentarer: "
                         "kapitlerne viser kun svarene."))
    return " ".join(parts)


def coverage(w: Writer) -> str:
    """Chapter 1: whom the shares speak for."""
    answered = w.number("round.responses", w.base)
    asked = w.number("round.councils_asked", w.meta["councils_asked"])
    existing = w.meta.get("councils_existing")
    silent = asked.count - answered.count
    first = w.t("Shares in this book are of the {a:councils} that answered, and describe {them} exactly.",
                "Andelene i denne bog er af de {a:councils}, der svarede, og beskriver {them} præcist.",
                a=answered, them=w.t("it", "det") if answered.count == 1 else w.t("them", "dem"))
    rest = []
    if silent:
        rest.append(w.t("{n} of the councils asked did not answer", "{n} af de adspurgte råd svarede ikke",
                        n=w.number("round.non_responses", silent)))
    if existing and existing > asked.count:
        gap = w.number("round.councils_not_asked", existing - asked.count)
        rest.append(w.t("{g:councils} that existed {was} not asked", "{g:councils}, der fandtes, blev ikke spurgt",
                        g=gap, was="was" if gap.count == 1 else "were"))
    level = pct(CONFIDENCE_LEVEL, w.lang)
    if silent:
        return w.t(
            "{first} {rest}, so the shares say less about all councils. Each table therefore also gives a {level} "
            "interval for the share among all {a:councils} asked, which allows for the chance of who happened to "
            "answer. It cannot allow for councils that stayed silent for a reason connected with their answers; for "
            "that, each table also gives the bounds that need no assumption: the share if none, or all, of the "
            "councils that did not answer had given the answer.",
            "{first} {rest}, så andelene siger mindre om alle råd. Hver tabel viser derfor også et {level}-interval "
            "for andelen blandt alle {a:councils}, der blev spurgt, som tager højde for tilfældighederne i, hvem der "
            "svarede. Det kan ikke tage højde for råd, der tav af en grund, der hænger sammen med deres svar; derfor "
            "viser hver tabel også de grænser, der ikke kræver nogen antagelse: andelen, hvis ingen eller alle de "
            "råd, der ikke svarede, havde givet svaret.",
            first=first, rest=capitalise(w.join(rest)), level=level, a=asked)
    if rest:
        return w.t("{first} Every council asked answered, but {rest}, so the shares say nothing certain about those.",
                   "{first} Alle adspurgte råd svarede, men {rest}, så andelene siger intet sikkert om dem.",
                   first=first, rest=w.join(rest))
    if existing:
        return w.t("{first} Every existing council was asked and answered, so they describe all councils.",
                   "{first} Alle eksisterende råd blev spurgt og svarede, så de beskriver alle råd.", first=first)
    return w.t("{first} Every council asked answered, so they describe all of them.",
               "{first} Alle adspurgte råd svarede, så de beskriver dem alle.", first=first)


# ---------------------------------------------------------------------------------------------------
# Chapter 2: organisation and focus areas


CHAIR = {  # (English verb phrase, Danish verb, Danish rest): Danish puts 'oftest' after the verb
    "association": ("represents an association", "repræsenterer", "en forening"),
    "politician": ("is a politician", "er", "politiker"),
    "civil_servant": ("is a civil servant", "er", "embedsmand"),
}


def chair_background(w: Writer) -> str:
    q = "chair_background"
    held = [(code, w.n(q, code)) for code in CHAIR if w.n(q, code) is not None]
    groups = ranked([(code, n.count) for code, n in held])
    counts = dict(held)

    def phrase(code: str) -> str:
        en, verb, rest = CHAIR[code]
        return en if w.lang == "en" else f"{verb} {rest}"

    if not groups or groups[0][0][1] == 0:
        return sentence(w.t("for {n:councils} the chair's background is not stated",
                            "for {n:councils} er formandens baggrund uoplyst",
                            n=w.number("round.responses", w.base)))
    top = [code for code, _ in groups[0]]
    first = counts[top[0]]
    if len(top) == 1:
        en, verb, rest = CHAIR[top[0]]
        lead = sentence(w.t("the chair most often {p}: in {n:q}{n:paren}",
                            "formanden {verb} oftest {rest}: i {n:q}{n:paren}", p=en, verb=verb, rest=rest, n=first))
    else:
        lead = sentence(w.t("the chair {p} equally often: in {n:of} responding councils each",
                            "formanden {p} lige ofte: i {n:of} besvarende råd hver",
                            p=w.join([phrase(c) for c in top]), n=first))
    others = [w.t("{p} in {n:councils}", "{p} i {n:councils}", p=phrase(code), n=counts[code])
              for group in groups[1:] for code, _ in group if counts[code].count > 0]
    ns = w.n(q, "not_stated")
    tail = w.t("for {n:councils} the answer is not stated", "for {n:councils} er svaret uoplyst",
               n=ns) if nonzero(ns) else ""
    body = w.t("the chair {list}", "formanden {list}", list=w.join(others)) if others else ""
    return " ".join(p for p in (lead, sentence(body, tail)) if p)


def council_size(w: Writer) -> str:
    q = "council_size"
    parts = [w.t("{n:councils} {n:have} {label}", "{n:councils} har {label}", n=n,
                 label=w.label(q, _code(n)).lower())
             for n in w.options(q, answers_only=True) if n.count > 0]
    common = most_common(w, q, ("size", "sizes", "størrelse", "størrelser", "den"))
    return " ".join(p for p in (sentence(w.join(parts), w.missing(q)), sentence(common)) if p)


def new_knowledge(w: Writer) -> str:
    q = "new_knowledge"
    often, sometimes, never = w.n(q, "often"), w.n(q, "sometimes"), w.n(q, "never")
    rest = [w.t("{n:councils} {n:say} sometimes", "{n:councils} svarer af og til", n=sometimes)
            if nonzero(sometimes) else "",
            w.t("{n:councils} {n:say} never", "{n:councils} svarer aldrig", n=never) if nonzero(never) else "",
            w.missing(q)]
    return sentence(w.t("{n:Q} {n:say} this happens often{n:paren}", "{n:Q} svarer, at det sker ofte{n:paren}",
                        n=often), w.join(rest))


def own_budget(w: Writer) -> str:
    q = "own_budget"
    yes, no, ns = w.n(q, "yes"), w.n(q, "no"), w.n(q, "not_stated")
    rest = [w.t("{n:councils} {n:do} not", "{n:councils} har ikke", n=no) if nonzero(no) else "",
            w.t("for {n:councils} the answer is not stated", "for {n:councils} er svaret uoplyst", n=ns)
            if nonzero(ns) else ""]
    return sentence(w.t("{n:Q} {n:have} a budget of {n:their} own{n:paren}", "{n:Q} har et selvstændigt budget{n:paren}",
                        n=yes), w.join(rest))


def member_compensation(w: Writer) -> str:
    q = "member_compensation"
    yes, no, dk = w.n(q, "yes"), w.n(q, "no"), w.n(q, "dont_know")
    rest = [w.t("{n:councils} {n:do} not", "{n:councils} gør ikke", n=no) if nonzero(no) else "",
            w.t("{n:councils} {n:do} not know", "{n:councils} ved det ikke", n=dk) if nonzero(dk) else "",
            w.missing(q)]
    return sentence(w.t("{n:Q} {n:give} {n:their} members financial compensation, such as allowances{n:paren}",
                        "{n:Q} giver medlemmerne økonomisk godtgørelse, fx diæter{n:paren}", n=yes), w.join(rest))


def advise_all_groups(w: Writer) -> str:
    q = "advise_all_groups"
    yes, no, dk = w.n(q, "yes"), w.n(q, "no"), w.n(q, "dont_know")
    rest = [w.t("{n:councils} {n:find} that {n:they} cannot", "{n:councils} mener ikke, at {n:they} kan", n=no)
            if nonzero(no) else "",
            w.t("{n:councils} cannot say", "{n:councils} kan ikke svare", n=dk) if nonzero(dk) else "", w.missing(q)]
    return sentence(w.t("{n:Q} {n:find} that {n:they} can advise the municipal board on the interests and needs of "
                        "all local refugee and immigrant groups{n:paren}",
                        "{n:Q} mener, at {n:they} kan rådgive kommunalbestyrelsen om alle lokale flygtninge- og "
                        "indvandrergruppers interesser og behov{n:paren}", n=yes), w.join(rest))


def _ordered(counts: list[Count]) -> list[Count]:
    """Counts from the largest to the smallest; ties keep codebook order."""
    by_code = {_code(n): n for n in counts}
    return [by_code[code] for group in ranked([(_code(n), n.count) for n in counts]) for code, _ in group]


def admin_placement(w: Writer) -> str:
    q = "admin_placement"
    employment = w.n(q, "employment")
    lead = sentence(w.t("{n:Q} {n:are} placed with employment, in a job centre or the employment department{n:paren}",
                        "{n:Q} er placeret i beskæftigelsesområdet, fx i et jobcenter eller en "
                        "beskæftigelsesforvaltning{n:paren}", n=employment))
    others = [n for n in w.options(q, answers_only=True) if n.ref != f"{q}.employment"]
    if not others:
        return lead
    named = [w.t("{label} ({n:councils})", "{label} ({n:councils})", label=w.label(q, _code(n)).lower(), n=n)
             for n in _ordered(others) if n.count > 0]
    rest = sentence(w.t("other placements: {list}", "andre placeringer: {list}", list=w.join(named)) if named else "",
                    w.missing(q))
    common = most_common(w, q, ("placement", "placements", "placering", "placeringer", "den"))
    return " ".join(p for p in (lead, rest, sentence(common)) if p)


def _multiple(w: Writer, question: str, phrases: dict[str, tuple[str, str]]) -> list[str]:
    """Each option's phrase with its count, from the most to the least chosen; zeros last, as 'no council'."""
    held = [n for n in w.options(question) if n.count > 0]
    zeros = [n for n in w.options(question) if n.count == 0]
    return [w.t(*phrases[_code(n)], n=n) for n in _ordered(held) + zeros]


def focus_areas(w: Writer) -> str:
    q = "focus_areas"
    question = load_codebook().question(q)
    names = {o.code: (f"“{o.en}”" if o.code == "other" else o.en.lower(),
                      f"“{o.da}”" if o.code == "other" else o.da.lower()) for o in question.options}
    # English repeats the verb ("16 councils named employment, 10 councils named ..."); Danish puts it once,
    # first ("nævnte 16 råd beskæftigelse, 10 råd ...").
    parts = _multiple(w, q, {code: ("{n:councils} named " + en, "{n:councils} " + da) for code, (en, da) in
                             names.items()})
    limit = (w.t(" (at most {n} answers)", " (højst {n} svar)",
                 n=w.number("codebook.focus_areas.max_answers", question.max_answers)) if question.max_answers else "")
    common = most_common(w, q, ("area", "areas", "område", "områder", "det"))
    return " ".join(p for p in (
        sentence(w.t("asked which areas they had worked on most in recent years{limit}, {list}",
                     "adspurgt om, hvilke områder de har beskæftiget sig mest med i de seneste år{limit}, nævnte "
                     "{list}", limit=limit, list=w.join(parts)), joiner=""),
        sentence(common)) if p)


# ---------------------------------------------------------------------------------------------------
# Chapter 3: influence, visibility and cooperation


def integration_policy(w: Writer) -> str:
    q = "integration_policy"
    has, prep, none, against, dk = (w.n(q, c) for c in
                                    ("has_policy", "decided_to_prepare", "no_current_plans", "decided_against",
                                     "dont_know"))
    rest = [w.t("in {n:councils} it has been decided to prepare one", "i {n:councils} er det vedtaget at udarbejde en",
                n=prep) if nonzero(prep) else "",
            w.t("{n:councils} {n:report} no current plans", "{n:councils} svarer, at der ikke er aktuelle planer",
                n=none) if nonzero(none) else "",
            w.t("{n:councils} {n:report} a decision not to have one",
                "{n:councils} svarer, at det er besluttet ikke at have en", n=against) if nonzero(against) else "",
            w.t("{n:councils} {n:do} not know", "{n:councils} ved det ikke", n=dk) if nonzero(dk) else "",
            w.missing(q)]
    return sentence(w.t("{n:Q} {n:say} that {n:their} municipality has an integration policy{n:paren}",
                        "{n:Q} svarer, at kommunen har en integrationspolitik{n:paren}", n=has), w.join(rest))


def contacts(w: Writer) -> str:
    officials = w.n("contact_officials_appointed", "yes")
    politicians = w.n("contact_politicians_appointed", "yes")
    lead = sentence(w.t("the municipal board has appointed officials to handle contact with the council in "
                        "{o:q}{o:paren}, and politicians responsible for that contact in {p:s}{p:paren}",
                        "kommunalbestyrelsen har udpeget embedsmænd til at varetage kontakten med rådet i "
                        "{o:q}{o:paren} og politikere med ansvar for kontakten i {p:s}{p:paren}",
                        o=officials, p=politicians), joiner="")
    key = comparison_key(officials.count, politicians.count)
    word = w.t({"more": "more common than", "fewer": "less common than", "as_many": "as common as"}[key],
               {"more": "mere udbredt end", "fewer": "mindre udbredt end", "as_many": "lige så udbredt som"}[key])
    return lead + " " + w.t("Fixed contact with officials is thus {word} fixed contact with politicians.",
                            "Fast kontakt til embedsmænd er altså {word} fast kontakt til politikere.", word=word)


def cooperation(w: Writer) -> str:
    board, secretariat = w.n("cooperation_municipal_board", "satisfied"), w.n("secretariat_service", "satisfied")
    lead = sentence(w.t("{b:Q} {b:find} {b:their} cooperation with the municipal board very or mostly "
                        "satisfactory{b:paren}, and {s:s} {s:say} the same of the secretariat support{s:paren}",
                        "{b:Q} finder samarbejdet med kommunalbestyrelsen meget eller overvejende "
                        "tilfredsstillende{b:paren}, og {s:s} siger det samme om sekretariatsbetjeningen{s:paren}",
                        b=board, s=secretariat), joiner="")
    key = comparison_key(secretariat.count, board.count)
    if key == "as_many":
        compare = w.t("As many councils are satisfied with the secretariat support as with the cooperation with "
                      "the board.",
                      "Lige så mange råd er tilfredse med sekretariatsbetjeningen som med samarbejdet med "
                      "kommunalbestyrelsen.")
    else:
        compare = w.t("{word} councils are satisfied with the secretariat support than with the cooperation with "
                      "the board.",
                      "{word} råd er tilfredse med sekretariatsbetjeningen end med samarbejdet med "
                      "kommunalbestyrelsen.", word=capitalise(COMPARISON_WORDS[w.lang][key]))
    grouped = all(w.kinds(q) == {"group"} for q in ("cooperation_municipal_board", "secretariat_service"))
    note = (" " + w.t("This round holds these answers only as combined figures (very or mostly satisfactory, and "
                      "all other answers), so the figure shows the combinations.",
                      "Runden har kun disse svar som samlede tal (meget eller overvejende tilfredsstillende og alle "
                      "andre svar), så figuren viser sammenlægningerne.")) if grouped else ""
    return f"{lead} {compare}{note}"


def consultation(w: Writer) -> str:
    return sentence(w.t("{n:Q} {n:are} consulted often or sometimes on municipal initiatives that matter to refugees "
                        "and immigrants{n:paren}",
                        "{n:Q} bliver hørt ofte eller af og til om kommunale initiativer med betydning for "
                        "flygtninge og indvandrere{n:paren}", n=w.n("consulted", "often_or_sometimes")), joiner="")


def influence(w: Writer) -> str:
    large, small = w.n("influence", "large_or_some"), w.n("influence", "small_or_none")
    rest = w.t("{n:councils} {n:find} it small or none", "{n:councils} vurderer den som lille eller ingen",
               n=small) if nonzero(small) else ""
    return sentence(w.t("{n:Q} {n:find} that {n:they} {n:have} large or some influence on decisions in the "
                        "municipality{n:paren}",
                        "{n:Q} vurderer, at {n:they} har stor eller nogen indflydelse på beslutninger i "
                        "kommunen{n:paren}", n=large), w.join([rest, w.missing("influence")]))


def statements(w: Writer) -> str:
    q = "statements_published"
    yes, no, dk = w.n(q, "yes"), w.n(q, "no"), w.n(q, "dont_know")
    rest = [w.t("{n:councils} {n:say} they are not", "{n:councils} svarer, at de ikke bliver det", n=no)
            if nonzero(no) else "",
            w.t("{n:councils} {n:do} not know", "{n:councils} ved det ikke", n=dk) if nonzero(dk) else "",
            w.missing(q)]
    lead = sentence(w.t("{n:Q} {n:say} that {n:their} statements are published{n:paren}",
                        "{n:Q} svarer, at {n:their} udtalelser bliver offentliggjort{n:paren}", n=yes), w.join(rest))
    duty = (w.t("Where the answer is no, the municipality does not meet that duty.",
                "Hvor svaret er nej, lever kommunen ikke op til den pligt.") if nonzero(no) else
            w.t("No council says that its statements go unpublished.",
                "Intet råd svarer, at dets udtalelser ikke bliver offentliggjort."))
    return f"{lead} {duty}"


VISIBILITY = {
    "meetings_in_town": ("{n:councils} {n:have held} council meetings out in town, at schools or refugee centres "
                         "for instance",
                         "{n:councils} har holdt rådsmøder ude i byen, fx på skoler eller flygtningecentre"),
    "invite_civil_society": ("{n:councils} {n:invite} civil-society actors to {n:their} meetings",
                             "{n:councils} inviterer civilsamfundsaktører med til rådsmøderne"),
    "invite_officials": ("{n:councils} {n:invite} municipal officials", "{n:councils} inviterer kommunale embedsmænd"),
    "website": ("{n:councils} {n:have} a website", "{n:councils} har en hjemmeside"),
    "integration_prize": ("{n:councils} {n:award} an integration prize", "{n:councils} uddeler en integrationspris"),
    "citizen_meetings": ("{n:councils} {n:hold} public meetings", "{n:councils} holder borgermøder"),
}


def visibility(w: Writer) -> str:
    q = "visibility"
    parts = _multiple(w, q, VISIBILITY)
    noun = ("way", "ways", "måde", "måder", "den")
    return " ".join(p for p in (
        sentence(w.t("in order of how many councils use them: {list}", "efter hvor mange råd der bruger dem: {list}",
                     list=w.join(parts)), joiner=""),
        sentence(most_common(w, q, noun), least_common(w, q, noun))) if p)


def rem(w: Writer) -> str:
    good, wider = w.n("rem_knowledge", "good"), w.n("rem_knowledge", "some_or_superficial")
    support = w.n("rem_support", "high_or_some")
    if nonzero(wider) and adds_up(good.count, wider.count, good.base):
        rest = w.t("the other {n} know it somewhat or superficially", "de øvrige {n} har noget eller et overfladisk "
                   "kendskab", n=wider)
    else:
        rest = w.join([w.t("{n:councils} {n:know} it somewhat or superficially",
                           "{n:councils} har noget eller et overfladisk kendskab", n=wider) if nonzero(wider) else "",
                       w.missing("rem_knowledge")])
    first = sentence(w.t("{n:Q} {n:know} the work of the Council for Ethnic Minorities (REM) well{n:paren}",
                         "{n:Q} har et godt kendskab til Rådet for Etniske Minoriteters (REM) arbejde{n:paren}",
                         n=good), rest)
    return f"{first} " + sentence(w.t("{n:S} {n:find} that REM supports the local councils' work to a high or some "
                                      "degree{n:paren}",
                                      "{n:S} finder, at REM i høj eller nogen grad understøtter de lokale råds "
                                      "arbejde{n:paren}", n=support), joiner="")


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
    return (w.t("{c:S} {c:are} consulted often or sometimes.", "{c:S} bliver hørt ofte eller af og til.", c=c),
            w.t("{c:ofs} ({c:pct}) {c:are} consulted often or sometimes on municipal initiatives that matter to "
                "refugees and immigrants, and {i:np} {i:find} that {i:they} {i:have} large or some influence on "
                "decisions.",
                "{c:ofs} ({c:pct}) bliver hørt ofte eller af og til om kommunale initiativer med betydning for "
                "flygtninge og indvandrere, og {i:np} vurderer, at {i:they} har stor eller nogen indflydelse på "
                "beslutninger.", c=c, i=i))


def _theme_cooperation(w: Writer) -> tuple[str, str]:
    b, s = w.n("cooperation_municipal_board", "satisfied"), w.n("secretariat_service", "satisfied")
    return (w.t("{b:S} {b:find} {b:their} cooperation with the municipal board satisfactory.",
                "{b:S} finder samarbejdet med kommunalbestyrelsen tilfredsstillende.", b=b),
            w.t("{b:ofs} ({b:pct}) {b:rate} it very or mostly satisfactory, and {s:np} {s:say} the same of the "
                "secretariat support.",
                "{b:ofs} ({b:pct}) vurderer det som meget eller overvejende tilfredsstillende, og {s:np} siger det "
                "samme om sekretariatsbetjeningen.", b=b, s=s))


def _theme_resources(w: Writer) -> tuple[str, str]:
    b, m = w.n("own_budget", "yes"), w.n("member_compensation", "yes")
    return (w.t("{b:S} {b:have} a budget of {b:their} own.", "{b:S} har et selvstændigt budget.", b=b),
            w.t("{b:ofs} ({b:pct}) {b:have} one, and {m:np} {m:give} {m:their} members financial compensation.",
                "{b:ofs} ({b:pct}) har et, og {m:np} giver medlemmerne økonomisk godtgørelse.", b=b, m=m))


def _theme_statements(w: Writer) -> tuple[str, str]:
    yes, no = w.n("statements_published", "yes"), w.n("statements_published", "no")
    if nonzero(no):
        return (w.t("{n:S} {n:say} that {n:their} statements are not published.",
                    "{n:S} svarer, at {n:their} udtalelser ikke bliver offentliggjort.", n=no),
                w.t("The Integration Act requires a council's advisory statements to be published; {n:ofs} ({n:pct}) "
                    "{n:say} that {n:their} statements are not, and {y:np} that they are.",
                    "Integrationsloven kræver, at rådenes vejledende udtalelser offentliggøres; {n:ofs} ({n:pct}) "
                    "svarer, at {n:their} ikke bliver det, og {y:np}, at de gør.", n=no, y=yes))
    return (w.t("{y:S} {y:say} that {y:their} statements are published.",
                "{y:S} svarer, at {y:their} udtalelser bliver offentliggjort.", y=yes),
            w.t("The Integration Act requires a council's advisory statements to be published, and no council says "
                "that its statements are not; {y:ofs} ({y:pct}) {y:say} that they are.",
                "Integrationsloven kræver, at rådenes vejledende udtalelser offentliggøres, og intet råd svarer, at "
                "dets ikke bliver det; {y:ofs} ({y:pct}) svarer, at de gør.", y=yes))


def _theme_groups(w: Writer) -> tuple[str, str]:
    yes = w.n("advise_all_groups", "yes")
    return (w.t("{y:S} can advise on all local refugee and immigrant groups.",
                "{y:S} kan rådgive om alle lokale flygtninge- og indvandrergrupper.", y=yes),
            w.t("{y:ofs} ({y:pct}) {y:find} that {y:they} can advise the municipal board on the interests and needs "
                "of all of them.",
                "{y:ofs} ({y:pct}) mener, at {y:they} kan rådgive kommunalbestyrelsen om alle gruppernes interesser "
                "og behov.", y=yes))


def _theme_knowledge(w: Writer) -> tuple[str, str]:
    often = w.n("new_knowledge", "often")
    return (w.t("{o:S} {o:say} that members often gain new knowledge through the work.",
                "{o:S} svarer, at medlemmerne ofte får ny viden gennem arbejdet.", o=often),
            w.t("{o:ofs} ({o:pct}) {o:say} that the work often gives members new knowledge of local integration "
                "challenges and efforts.",
                "{o:ofs} ({o:pct}) svarer, at arbejdet ofte giver medlemmerne ny viden om lokale "
                "integrationsudfordringer og -indsatser.", o=often))


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


def changes(w: Writer, comparison: pd.DataFrame, previous: str) -> str:
    """The comparison in words: how many shares changed beyond chance, and the largest of those changes."""
    compared = w.number("comparison.compared", len(comparison))
    questions = w.number("comparison.questions", comparison["question"].nunique())
    beyond = comparison[comparison["beyond_chance"]]
    moved = w.number("comparison.beyond_chance", len(beyond))
    codebook = load_codebook()
    within = w.number("comparison.questions_beyond_chance", beyond["question"].nunique())
    where = "" if moved.count == 0 else w.t(", in {n} {q}", ", fordelt på {n} {q}", n=within,
                                           q=w.t("question" if within.count == 1 else "questions", "spørgsmål"))
    lead = w.t("Of the {c} shares compared across {q} questions, {moved} changed beyond chance once the number of "
               "comparisons is allowed for{where}.",
               "Af de {c} andele, der er sammenlignet på tværs af {q} spørgsmål, ændrede {moved} sig ud over "
               "tilfældighed, når der tages højde for antallet af sammenligninger{where}.",
               c=compared, q=questions, where=where,
               moved=(w.t("none", "ingen") if moved.count == 0 else moved))

    def name(row) -> str:
        return f"“{codebook.question(row['question']).short(w.lang)}: {row[f'label_{w.lang}']}”"

    if beyond.empty:
        top = comparison.iloc[comparison["change_pp"].abs().argmax()]
        p, c, d = w.shares(f"{top['question']}.{top['category']}", (top["previous_count"], top["previous_base"]),
                           (top["current_count"], top["current_base"]))
        return lead + " " + w.t("The largest change, in {name}, from {p} to {c} ({d} points), is within what chance "
                                "could produce.",
                                "Den største ændring, i {name}, fra {p} til {c} ({d} procentpoint), ligger inden for, "
                                "hvad tilfældighed kan give.", name=name(top), p=p, c=c, d=d)
    # one change per question: the largest, so that complementary answers are not named twice
    largest = beyond.loc[beyond["change_pp"].abs().groupby(beyond["question"]).idxmax()]
    largest = largest.reindex(largest["change_pp"].abs().sort_values(ascending=False).index)
    named = []
    for _, row in largest.head(CHANGES_NAMED).iterrows():
        p, c, d = w.shares(f"{row['question']}.{row['category']}", (row["previous_count"], row["previous_base"]),
                           (row["current_count"], row["current_base"]))
        verb = CHANGE_WORDS[w.lang][change_key(row["change_pp"], True)]  # every change named here is beyond chance
        named.append(w.t("{name} {verb} from {p} in round {prev} to {c} ({d} points)",
                         "{name} {verb} fra {p} i runde {prev} til {c} ({d} procentpoint)",
                         name=name(row), verb=verb, p=p, prev=previous, c=c, d=d))
    more = w.number("comparison.questions_not_named", len(largest) - len(named))
    tail = (w.t("; the changes in {n} more {q} are marked in the table",
                "; ændringerne i {n} spørgsmål mere er markeret i tabellen", n=more,
                q="question" if more.count == 1 else "questions") if more.count > 0 else "")
    head = (w.t("The largest change of each such question: ", "Den største ændring i hvert af disse spørgsmål: ")
            if len(largest) > 1 else w.t("The change: ", "Ændringen: "))
    return f"{lead} {head}" + w.join(named) + tail + "."


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
