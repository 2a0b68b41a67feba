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

from councils.codebook import Codebook, Question, load_codebook
from councils.tables import CONFIDENCE as CONFIDENCE_LEVEL
from councils.wording import (
    CHANGE_WORDS, COMPARISON_WORDS, Count, Record, Said, adds_up, capitalise, change_key, comparison_key, join, pct,
    quote, ranked, shares_and_change,
)

# Answers that say nothing about the question itself: never "the most common answer".
NON_ANSWERS = ("not_stated", "dont_know")
KEY_FINDINGS_SHOWN = 5  # of the themes in key_findings(), those whose lead share is furthest from one half


@dataclass
class Writer:
    """A round's table, metadata and questionnaire, the language to write in, and the record of every number used."""

    table: pd.DataFrame
    meta: dict
    lang: str = "en"
    record: Record = field(default_factory=Record)
    codebook: Codebook | None = None  # what the round asked; by default the codebook's questionnaire

    def __post_init__(self) -> None:
        if self.codebook is None:
            self.codebook = load_codebook()

    @property
    def round_id(self) -> str:
        return str(self.meta.get("round", ""))

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
        """Two rounds' shares and the change between them (from the unrounded shares), recorded."""
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
        """'for 2 councils the answer is not stated', or '' when every council answered (or the round cannot say)."""
        n = self.n(question, load_codebook().missing.code)
        if n is None or n.count == 0:
            return ""
        return self.t(*NOT_STATED, n=n)

    def join(self, items: list[str], conjunction: str | None = None, clauses: bool = False) -> str:
        return join([i for i in items if i], self.lang, conjunction, clauses)


def sentence(*parts: str, joiner: str = "; ") -> str:
    """Parts joined into one sentence, capitalised and closed with a full stop (empty parts dropped)."""
    text = joiner.join(p for p in parts if p)
    return capitalise(text) + "." if text else ""


def nonzero(n: Count | None) -> bool:
    return n is not None and n.count > 0


def _code(n: Count) -> str:
    return n.ref.partition(".")[2]


def _quoted(w: Writer, question: str, counts: list[Count], conjunction: str | None = None) -> str:
    return w.join([quote(w.label(question, _code(c)), w.lang) for c in counts], conjunction)


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
    """How many municipalities had a council, dated by the round's report (when its findings were published)."""
    existing, municipalities = w.meta.get("councils_existing"), w.meta.get("municipalities")
    year = w.meta.get("report_year")
    made_up = bool(year and w.meta.get("fictional"))  # no one published a fictional round's findings
    when = (w.t("In {y}, when the round's findings were published", "I {y}, da rundens resultater blev udgivet",
                y=w.number("round.report_year", year)) if year and not made_up else "")
    if existing and municipalities:
        e, m = w.number("round.councils_existing", existing), w.number("round.municipalities", municipalities)
        if made_up:
            return w.t("In {y}, according to this fictional round, {e} of Denmark's {m} municipalities had an "
                       "integration council.",
                       "I {y} havde {e} af Danmarks {m} kommuner ifølge denne fiktive runde et integrationsråd.",
                       y=w.number("round.report_year", year), e=e, m=m)
        if when:
            return w.t("{when}, {e} of Denmark's {m} municipalities had an integration council.",
                       "{when}, havde {e} af Danmarks {m} kommuner et integrationsråd.", when=when, e=e, m=m)
        return w.t("The round counts {e} of Denmark's {m} municipalities with an integration council.",
                   "Runden regner med, at {e} af Danmarks {m} kommuner har et integrationsråd.", e=e, m=m)
    if existing:
        e = w.number("round.councils_existing", existing)
        if made_up:
            return w.t("In {y}, according to this fictional round, Denmark had {e:councils} for integration.",
                       "I {y} havde Danmark ifølge denne fiktive runde {e} integrationsråd.",
                       y=w.number("round.report_year", year), e=e)
        if when:
            return w.t("{when}, Denmark had {e:councils} for integration.",
                       "{when}, havde Danmark {e} integrationsråd.", when=when, e=e)
        return w.t("The round counts {e:councils} for integration in Denmark.",
                   "Runden regner med {e} integrationsråd i Danmark.", e=e)
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
    return w.t("The questionnaire went to {a:councils}, and {r} answered, a response rate of {r:pct}.",
               "Spørgeskemaet blev sendt til {a:councils}, og {r} svarede, en svarprocent på {r:pct}.",
               a=asked, r=answered)


def method(w: Writer, has_commentary: bool) -> str:
    """Chapter 1: who ran the survey, who answered, interviews; says once when there are none."""
    parts = []
    publisher = w.meta.get(f"publisher_{w.lang}")
    if w.meta.get("fictional"):
        parts.append(w.t("This round is fictional, as its metadata says: no real body made or published it.",
                         "Runden er fiktiv, som dens metadata angiver: ingen virkelig institution har lavet eller "
                         "udgivet den."))
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
    first = w.t("Shares in this book are of the {a:councils} that answered, and are exact for {them}.",
                "Andelene i denne bog er beregnet ud fra de {a:councils}, der svarede, og er nøjagtige for {them}.",
                a=answered, them=w.t("it", "det") if answered.count == 1 else w.t("them", "dem"))
    rest = []
    if silent:
        rest.append(w.t("of the councils asked, {n} did not answer", "af de adspurgte råd svarede {n} ikke",
                        n=w.number("round.non_responses", silent)))
    if existing and existing > asked.count:
        gap = w.number("round.councils_not_asked", existing - asked.count)
        rest.append(w.t("the round counts {g} more existing {c} than it asked without saying why",
                        "runden regner med {g} flere eksisterende råd, end den spurgte, uden at sige hvorfor",
                        g=gap, c="council" if gap.count == 1 else "councils"))
    level = pct(CONFIDENCE_LEVEL, w.lang)
    if silent:
        return w.t(
            "{first} {rest}, so the shares say less about all councils. Each table therefore also gives a {level} "
            "interval for the share among all {a:councils} asked; the interval allows for the chance of who happened "
            "to answer. It cannot allow for councils that stayed silent for a reason connected with their answers; "
            "for that, each table also gives the bounds that need no assumption: the share if none, or all, of the "
            "councils whose answer is missing had given the answer.",
            "{first} {rest}, så andelene siger mindre om alle råd. Hver tabel viser derfor også et {level}-interval "
            "for andelen blandt alle {a:councils}, der blev spurgt; intervallet tager højde for tilfældighederne i, "
            "hvem der svarede. Det kan ikke tage højde for råd, der ikke svarede af en grund, der hænger sammen med "
            "deres svar; derfor viser hver tabel også de grænser, der ikke kræver nogen antagelse: andelen, hvis "
            "ingen eller alle de råd, hvis svar mangler, havde givet svaret.",
            first=first, rest=capitalise(w.join(rest, clauses=True)), level=level, a=asked)
    if rest:
        return w.t("{first} Every council asked answered, but {rest}, so the shares say nothing certain about those.",
                   "{first} Alle adspurgte råd svarede, men {rest}, så andelene siger intet sikkert om dem.",
                   first=first, rest=w.join(rest, clauses=True))
    if existing:
        return w.t("{first} Every existing council was asked and answered, so they describe all councils.",
                   "{first} Alle eksisterende råd blev spurgt og svarede, så de beskriver alle råd.", first=first)
    return w.t("{first} Every council asked answered, so they describe all of them.",
               "{first} Alle adspurgte råd svarede, så de beskriver dem alle.", first=first)


# ---------------------------------------------------------------------------------------------------
# Chapter 2: organisation and focus areas


def _ordered(counts: list[Count]) -> list[Count]:
    """Counts from the largest to the smallest; ties keep codebook order."""
    by_code = {_code(n): n for n in counts}
    return [by_code[code] for group in ranked([(_code(n), n.count) for n in counts]) for code, _ in group]


# Predicates for answers that say nothing about the question, when its phrases give none.
DEFAULT_PREDICATES = {
    "en": {"dont_know": "{n:do} not know", "answer": "{n:answer} “{label}”", "chose": "{n:chose} “{label}”"},
    "da": {"dont_know": "ved det ikke", "answer": "svarer »{label}«", "chose": "valgte »{label}«"},
}
# The clause of a question's missing answers (its subject is part of it).
NOT_STATED = ("for {n:councils} the answer is not stated", "for {n:councils} er svaret uoplyst")


def _lower_first(label: str) -> str:
    """'Culture and leisure' -> 'culture and leisure', but 'REM' and 'SFI' keep their capitals."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def predicate(w: Writer, question: Question, code: str, list_item: bool = False) -> str:
    """The verb phrase a category's count is the subject of, from the codebook's phrases (or a plain default)."""
    own = (question.phrases or {}).get(w.lang, {}) or {}
    missing = code == w.codebook.missing.code
    is_option = code in question.option_codes and not missing
    template = own.get(code) or (own.get("*") if is_option else None)
    if template is None:
        if missing:
            template = ""
        elif code in DEFAULT_PREDICATES[w.lang]:
            template = DEFAULT_PREDICATES[w.lang][code]
        else:
            template = DEFAULT_PREDICATES[w.lang]["chose" if question.type == "multiple_choice" else "answer"]
    label = w.label(question.id, code)
    return template.replace("{label}", label).replace("{label_lc}", _lower_first(label))


def clause(w: Writer, question: Question, n: Count, lead: bool = False) -> str:
    """'21 councils have a budget of their own'; as the lead, 'A majority of the 30 ... (21, 70%)'."""
    if not predicate(w, question, _code(n)):
        return w.t(*NOT_STATED, n=n)
    words = predicate(w, question, _code(n))
    if lead:
        return w.t("{n:Q} " + words + "{n:paren}", "{n:Q} " + words + "{n:paren}", n=n)
    if "{n:councils}" in words or "{n:Councils}" in words:
        return w.t(words, words, n=n)
    return w.t("{n:councils} " + words, "{n:councils} " + words, n=n)


def _held(w: Writer, question: Question) -> pd.DataFrame:
    return w.table[w.table["question"] == question.id]


def nobody_answered(w: Writer, question: Question) -> bool:
    """Whether every responding council left the question blank."""
    rows = _held(w, question)
    if rows.empty:
        return False
    answered = rows[(rows["kind"] == "option") & (rows["category"] != w.codebook.missing.code)]["count"].sum()
    missing = rows[rows["category"] == w.codebook.missing.code]["count"].sum()
    return int(answered) == 0 and int(missing) == int(rows["base"].iloc[0])


def _lead(w: Writer, question: Question) -> Count | None:
    """The category a question's sentence leads with: the declared one, or the most common answer the round holds."""
    declared = (question.phrases or {}).get("lead", "most_common")
    if declared != "most_common":
        n = w.n(question.id, declared)
        if n is not None:
            return n
    answers = w.options(question.id, answers_only=True)
    if not answers:
        answers = [w.n(question.id, g.code) for g in question.groups if w.n(question.id, g.code) is not None]
        answers = [n for n in answers if not getattr(question.category(_code(n)), "complement_of", None)]
    if not answers:
        return None
    return _ordered(answers)[0]


def _rest(w: Writer, question: Question, lead: Count) -> list[Count]:
    """The categories named after the lead: the declared ones, else the others at the lead's level; then non-answers."""
    declared = (question.phrases or {}).get("rest")
    lead_code = _code(lead)
    is_group = lead_code in question.group_codes
    if declared is not None:
        rest = [w.n(question.id, code) for code in declared]
    elif is_group:
        rest = [w.n(question.id, g.code) for g in question.groups if g.code != lead_code and not g.complement_of
                and not set(g.members) & set(question.category(lead_code).members)]
    else:
        rest = [n for n in w.options(question.id, answers_only=True) if _code(n) != lead_code]
    named = {_code(n) for n in rest if n is not None} | {lead_code}
    members = set(question.category(lead_code).members) if is_group else set()
    for code in ("dont_know", w.codebook.missing.code):  # don't know, then not stated, last
        n = w.n(question.id, code)
        if n is not None and code not in named and code not in members:
            rest.append(n)
    return [n for n in rest if nonzero(n)]


def _notes(w: Writer, question: Question) -> list[str]:
    """The question's conditional notes whose condition (a claim, as in a commentary) holds for the round."""
    from councils.commentary import Claim, _Numbers, check_claim

    found = []
    numbers = _Numbers(w.table, w.meta)
    for note in (question.phrases or {}).get("notes", []):
        try:
            holds, _ = check_claim(Claim(note["when"], 0), numbers)
        except LookupError:
            continue
        if holds:
            found.append(note[w.lang])
    return found


def _noun(question: Question, lang: str) -> tuple[str, str, str, str, str] | None:
    noun = (question.phrases or {}).get("noun")
    if not noun:
        return None
    return (noun["en"][0], noun["en"][1], noun["da"][0], noun["da"][1], noun["da"][2])


def lead_sentence(w: Writer, question: Question) -> str:
    """One category set against the rest: 'A majority of the 30 ... have a budget of their own (21, 70%); 6 ... do not.'"""
    lead = _lead(w, question)
    if lead is None:
        return ""
    rest = [clause(w, question, n) for n in _rest(w, question, lead)]
    text = sentence(clause(w, question, lead, lead=True), w.join(rest, clauses=True))
    noun = _noun(question, w.lang)
    common = sentence(most_common(w, question.id, noun)) if noun and complete(w, question) else ""
    return " ".join(p for p in (text, common) if p)


def complete(w: Writer, question: Question) -> bool:
    """Whether the round holds every option's count, so that 'the most common answer' can be said."""
    held = set(_held(w, question)["category"])
    return all(code in held for code in question.option_codes)


def list_sentence(w: Writer, question: Question) -> str:
    """Every option with its count, the most chosen first, no council last; then the most (and least) common."""
    options = [n for n in w.options(question.id) if _code(n) != w.codebook.missing.code or
               w.codebook.missing.code in question.option_codes]
    held = [n for n in options if n.count > 0]
    zeros = [n for n in options if n.count == 0]
    items = [clause(w, question, n) for n in (held if question.ordered else _ordered(held)) + zeros]
    limit = (w.t(" (at most {n} answers)", " (højst {n} svar)",
                 n=w.number(f"codebook.{question.id}.max_answers", question.max_answers))
             if question.type == "multiple_choice" and question.max_answers else "")
    template = (question.phrases or {}).get("list", {}).get(w.lang, "{list}")
    clauses = (question.phrases or {}).get("clauses", True)  # False where the items share one verb
    text = sentence(template.replace("{limit}", limit).replace("{list}", w.join(items, clauses=clauses)), joiner="")
    missing = w.n(question.id, w.codebook.missing.code)
    if nonzero(missing) and w.codebook.missing.code not in question.option_codes:
        text += " " + sentence(w.t(*NOT_STATED, n=missing))
    noun = _noun(question, w.lang) or (ANSWER if question.type == "multiple_choice" else None)
    common = ""
    if noun and complete(w, question):
        least = least_common(w, question.id, noun) if (question.phrases or {}).get("least_common") else ""
        common = sentence(most_common(w, question.id, noun), least)
    return " ".join(p for p in (text, common) if p)


def question_sentence(w: Writer, question: Question) -> str:
    """What the round's answers to one question show, in words (generic for its type; see data/README.md)."""
    if question.id not in w.codebook or not question.is_choice:
        return ""
    if nobody_answered(w, question):
        return w.t("No council answered this question in round {r}.", "Intet råd besvarede dette spørgsmål i runde {r}.",
                   r=w.round_id)
    style = (question.phrases or {}).get("style") or ("list" if question.type == "multiple_choice" else "lead")
    text = list_sentence(w, question) if style == "list" else lead_sentence(w, question)
    return " ".join(p for p in (text, *_notes(w, question)) if p)


def not_asked(w: Writer, question: Question) -> str:
    """One sentence saying that the round did not ask a question (a question of the series it belongs to)."""
    return w.t("Round {r} did not ask the question {q}.", "Runde {r} stillede ikke spørgsmålet {q}.",
               r=w.round_id, q=quote(question.text(w.lang).rstrip("?"), w.lang))


# ---------------------------------------------------------------------------------------------------
# Sentences that set two questions side by side (a question names one with `sentence:` in the codebook)


def _all_held(*counts: Count | None) -> bool:
    return all(n is not None for n in counts)


def contacts(w: Writer) -> str | None:
    officials = w.n("contact_officials_appointed", "yes")
    politicians = w.n("contact_politicians_appointed", "yes")
    if not _all_held(officials, politicians):
        return None
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


def cooperation(w: Writer) -> str | None:
    board, secretariat = w.n("cooperation_municipal_board", "satisfied"), w.n("secretariat_service", "satisfied")
    if not _all_held(board, secretariat):
        return None
    lead = sentence(w.t("{b:Q} {b:rate} {b:their} cooperation with the municipal board very or mostly "
                        "satisfactory{b:paren}, and {s:s} {s:say} the same of the secretariat support{s:paren}",
                        "{b:Q} vurderer samarbejdet med kommunalbestyrelsen som meget eller overvejende "
                        "tilfredsstillende{b:paren}, og {s:s} siger det samme om sekretariatsbetjeningen{s:paren}",
                        b=board, s=secretariat), joiner="")
    key = comparison_key(secretariat.count, board.count)
    if key == "as_many":
        compare = w.t("As many councils rate the secretariat support very or mostly satisfactory as the "
                      "cooperation with the board.",
                      "Lige så mange råd vurderer sekretariatsbetjeningen som samarbejdet med kommunalbestyrelsen som "
                      "meget eller overvejende tilfredsstillende.")
    else:
        compare = w.t("{word} councils rate the secretariat support very or mostly satisfactory than the "
                      "cooperation with the board.",
                      "{word} råd vurderer sekretariatsbetjeningen end samarbejdet med kommunalbestyrelsen som meget "
                      "eller overvejende tilfredsstillende.", word=capitalise(COMPARISON_WORDS[w.lang][key]))
    grouped = all(w.kinds(q) <= {"group", "missing"} for q in ("cooperation_municipal_board", "secretariat_service"))
    note = (" " + w.t("This round holds these answers only as combined figures (very or mostly satisfactory, and "
                      "all other answers), so the figure shows the combinations.",
                      "Runden har kun disse svar som samlede tal (meget eller overvejende tilfredsstillende og alle "
                      "andre svar), så figuren viser sammenlægningerne.")) if grouped else ""
    return f"{lead} {compare}{note}"


def rem(w: Writer) -> str | None:
    good, wider = w.n("rem_knowledge", "good"), w.n("rem_knowledge", "some_or_superficial")
    support = w.n("rem_support", "high_or_some")
    if not _all_held(good, support):
        return None
    if nonzero(wider) and adds_up(good.count, wider.count, good.base):
        rest = w.t("the other {n} know it somewhat or superficially", "de øvrige {n} har noget eller et overfladisk "
                   "kendskab", n=wider)
    else:
        rest = w.join([w.t("{n:councils} {n:know} it somewhat or superficially",
                           "{n:councils} har noget eller et overfladisk kendskab", n=wider) if nonzero(wider) else "",
                       w.missing("rem_knowledge")], clauses=True)
    first = sentence(w.t("{n:Q} {n:know} the work of the Council for Ethnic Minorities (REM) well{n:paren}",
                         "{n:Q} har et godt kendskab til Rådet for Etniske Minoriteters (REM) arbejde{n:paren}",
                         n=good), rest)
    return f"{first} " + sentence(w.t("{n:S} {n:find} that REM supports the local councils' work to a high or some "
                                      "degree{n:paren}",
                                      "{n:S} finder, at REM i høj eller nogen grad understøtter de lokale råds "
                                      "arbejde{n:paren}", n=support), joiner="")


PAIRS: dict[str, Callable[[Writer], str | None]] = {"contacts": contacts, "cooperation": cooperation, "rem": rem}


def block_sentences(w: Writer, questions: list[Question]) -> str:
    """The findings of a block of questions the round asked: a shared sentence when it can be said, else each one's."""
    asked = [q for q in questions if q.id in w.codebook]
    names = {q.sentence for q in questions}
    if len(names) == 1 and None not in names and len(asked) == len(questions) and len(questions) > 1:
        if not any(nobody_answered(w, q) for q in asked):
            text = PAIRS[names.pop()](w)
            if text is not None:
                return text
    return " ".join(t for t in (question_sentence(w, w.codebook.question(q.id)) for q in asked) if t)


# ---------------------------------------------------------------------------------------------------
# Landing page and chapter 4: findings chosen and worded from the data


@dataclass(frozen=True)
class Theme:
    """A candidate key finding: a bold headline and a sentence, both from the numbers."""

    name: str
    lead: tuple[str, str]  # the share that says how clear the finding is
    write: Callable[[Writer], tuple[str, str]]
    needs: tuple[tuple[str, str], ...] = ()  # the other counts its sentence uses

    def held(self, w: Writer) -> bool:
        """Whether the round holds every count the theme's sentences use (it asked both questions, say), each
        question asked as the codebook words it: a theme's sentences are written for that wording."""
        if any(w.n(*ref) is None for ref in (self.lead, *self.needs)):
            return False
        base = load_codebook()
        for qid in dict.fromkeys(q for q, _ in (self.lead, *self.needs)):
            asked, written_for = w.codebook.question(qid), base.question(qid) if qid in base else None
            if written_for is None or (asked.en, asked.da) != (written_for.en, written_for.da):
                return False
        return not nobody_answered(w, w.codebook.question(self.lead[0]))


def _theme_consultation(w: Writer) -> tuple[str, str]:
    c, i = w.n("consulted", "often_or_sometimes"), w.n("influence", "large_or_some")
    return (w.t("{c:S} {c:are} consulted often or sometimes.", "{c:S} bliver hørt ofte eller af og til.", c=c),
            w.t("{c:ofs} ({c:pct}) {c:are} consulted at least sometimes on municipal initiatives that matter to "
                "refugees and immigrants; {i:np} {i:find} that {i:they} {i:have} large or some influence on decisions.",
                "{c:ofs} ({c:pct}) bliver mindst af og til hørt om kommunale initiativer med betydning for flygtninge "
                "og indvandrere; {i:np} vurderer, at {i:they} har stor eller nogen indflydelse på beslutninger.",
                c=c, i=i))


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
            w.t("{b:ofs} ({b:pct}) {b:have} one, and {m:np} {m:say} that {m:their} members receive financial "
                "compensation.",
                "{b:ofs} ({b:pct}) har et, og {m:np} svarer, at medlemmerne modtager økonomisk godtgørelse.", b=b, m=m))


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
    return (w.t("{y:S} {y:think} that {y:they} can advise on all local refugee and immigrant groups.",
                "{y:S} mener, at {y:they} kan rådgive om alle lokale flygtninge- og indvandrergrupper.", y=yes),
            w.t("{y:ofs} ({y:pct}) {y:think} that {y:they} can advise the municipal board on the interests and needs "
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
    Theme("consultation", ("consulted", "often_or_sometimes"), _theme_consultation, (("influence", "large_or_some"),)),
    Theme("cooperation", ("cooperation_municipal_board", "satisfied"), _theme_cooperation,
          (("secretariat_service", "satisfied"),)),
    Theme("resources", ("own_budget", "yes"), _theme_resources, (("member_compensation", "yes"),)),
    Theme("statements", ("statements_published", "yes"), _theme_statements),
    Theme("groups", ("advise_all_groups", "yes"), _theme_groups),
    Theme("knowledge", ("new_knowledge", "often"), _theme_knowledge),
)


def chosen_themes(w: Writer) -> list[Theme]:
    """The themes whose lead share leans furthest to one side (furthest from one half), clearest first."""
    def distance(theme: Theme) -> float:
        n = w.n(*theme.lead)
        return abs(n.count / n.base - 0.5)

    held = [t for t in THEMES if t.held(w)]
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
    """Chapter 4's bullets: the clearest key findings, in the landing page's words."""
    lines = []
    for theme in (t for t in THEMES if t.name in ("consultation", "resources", "cooperation") and t.held(w)):
        headline, body = theme.write(w)
        lines.append(f"- {capitalise(headline)} {capitalise(body)}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------
# Chapter 5: changes since the previous round


CHANGES_NAMED = 5  # the largest changes beyond chance named in the prose; the rest are in the table


def not_compared(w: Writer, comparison) -> str:
    """Which questions the comparison leaves out and why: a break, a question one round did not ask, no answers.

    A change of who answered leaves out every question the two rounds share: it is said once.
    """
    left = list(getattr(comparison, "not_compared", ()))
    if not left:
        return ""
    everyone = [item for item in left if item["kind"] == "respondents"]
    others = [item for item in left if item["kind"] != "respondents"]
    parts = []
    if everyone:
        parts.append(sentence(w.t("no question is compared: {why}", "intet spørgsmål sammenlignes: {why}",
                                  why=everyone[0][f"reason_{w.lang}"]), joiner=""))
    if others:
        named = [w.t("{q} ({why})", "{q} ({why})", q=quote(_short_name(w, item["question"]), w.lang),
                     why=item[f"reason_{w.lang}"]) for item in others]
        lead = (w.t("not compared either: {list}", "heller ikke sammenlignet: {list}", list="; ".join(named))
                if everyone else w.t("not compared: {list}", "ikke sammenlignet: {list}", list="; ".join(named)))
        parts.append(sentence(lead, joiner=""))
    return " ".join(parts)


def _short_name(w: Writer, question_id: str) -> str:
    if question_id in w.codebook:
        return w.codebook.question(question_id).short(w.lang)
    return load_codebook().question(question_id).short(w.lang) if question_id in load_codebook() else question_id


def changes(w: Writer, comparison, previous: str) -> str:
    """The comparison in words: how many shares changed and how surely, the largest change of each question that
    changed, and what was not compared.

    The verdicts are :mod:`councils.statistics`': "changed whatever the non-respondents would have said" (the bounds of the
    change exclude zero), "changed beyond chance if non-response is unrelated to the answers" (the question's
    test, adjusted over the questions, and the share's own test), or no clear change.
    """
    from councils.statistics import VERDICTS

    left_out = not_compared(w, comparison)
    comparison = getattr(comparison, "table", comparison)
    if comparison.empty:
        nothing = ("" if left_out.startswith(w.t("No question", "Intet spørgsmål")) else
                   w.t("No share of round {r} can be compared with round {p}.",
                       "Ingen andel i runde {r} kan sammenlignes med runde {p}.", r=w.round_id, p=previous))
        return " ".join(p for p in (nothing, left_out) if p)
    own = comparison[(comparison["role"] == "detail") & comparison["compared"]]
    compared = w.number("comparison.compared", len(own))
    questions = w.number("comparison.questions", own["question"].nunique())
    if own.empty or bool(own["unchanged"].all()):
        return " ".join(p for p in (w.t("No share changed between round {p} and round {r}.",
                                        "Ingen andel ændrede sig fra runde {p} til runde {r}.",
                                        p=previous, r=w.round_id), left_out) if p)
    surely = w.number("comparison.changed_whatever", int((own["verdict"] == "changed_whatever").sum()))
    chance = w.number("comparison.beyond_chance", int((own["verdict"] == "beyond_chance").sum()))
    changed = own[own["verdict"].isin(["changed_whatever", "beyond_chance"])]
    moved = w.number("comparison.changed", len(changed))
    within = w.number("comparison.questions_changed", changed["question"].nunique())
    shares_word = w.t("share" if compared.count == 1 else "shares", "andel" if compared.count == 1 else "andele")
    if moved.count == 0:
        lead = w.t("Of the {c} {s} compared across {q} {qs}, none changed clearly.",
                   "Af de {c} {s}, der er sammenlignet på tværs af {q} spørgsmål, ændrede ingen sig klart.",
                   c=compared, s=shares_word, q=questions, qs="question" if questions.count == 1 else "questions")
    else:
        kinds = w.join([w.t("{n} whatever the councils that did not answer would have said",
                            "{n}, uanset hvad de råd, der ikke svarede, ville have sagt", n=surely)
                        if surely.count else "",
                        w.t("{n} beyond chance if not answering is unrelated to the answers",
                            "{n} ud over tilfældighed, hvis bortfaldet ikke hænger sammen med svarene", n=chance)
                        if chance.count else ""], clauses=True)
        lead = w.t("Of the {c} {s} compared across {q} {qs}, {m} changed, in {k} {ks}: {kinds}.",
                   "Af de {c} {s}, der er sammenlignet på tværs af {q} spørgsmål, ændrede {m} sig, fordelt på {k} "
                   "spørgsmål: {kinds}.", c=compared, s=shares_word, q=questions, m=moved, k=within, kinds=kinds,
                   qs="question" if questions.count == 1 else "questions",
                   ks="question" if within.count == 1 else "questions")

    def name(row) -> str:
        return quote(f"{_short_name(w, row['question'])}: {row[f'label_{w.lang}']}", w.lang)

    sayable = own[own["change_sentence"]]
    if changed.empty:
        if sayable.empty:
            return " ".join(p for p in (lead, left_out) if p)
        top = sayable.loc[sayable["change"].abs().idxmax()]
        p, c, d = w.shares(f"{top['question']}.{top['category']}", (top["previous_count"], top["previous_base"]),
                           (top["current_count"], top["current_base"]))
        return " ".join(part for part in (
            lead, w.t("The largest change, in {name}, from {p} to {c} ({d} points), is no clear change.",
                      "Den største ændring, i {name}, fra {p} til {c} ({d} procentpoint), er ingen klar ændring.",
                      name=name(top), p=p, c=c, d=d), left_out) if part)
    # one change per question: the largest, so that complementary answers are not named twice
    said = changed[changed["change_sentence"]]
    largest = said.loc[said["change"].abs().groupby(said["question"]).idxmax()] if not said.empty else said
    largest = largest.reindex(largest["change"].abs().sort_values(ascending=False).index)
    named = []
    for _, row in largest.head(CHANGES_NAMED).iterrows():
        p, c, d = w.shares(f"{row['question']}.{row['category']}", (row["previous_count"], row["previous_base"]),
                           (row["current_count"], row["current_base"]))
        verb = CHANGE_WORDS[w.lang][change_key(row["change"], True)]  # every change named here changed
        named.append(w.t("{name} {verb} from {p} in round {prev} to {c} ({d} points; {how})",
                         "{name} {verb} fra {p} i runde {prev} til {c} ({d} procentpoint; {how})",
                         name=name(row), verb=verb, p=p, prev=previous, c=c, d=d,
                         how=VERDICTS[row["verdict"]][w.lang]))
    more = w.number("comparison.questions_not_named", len(largest) - len(named))
    tail = (w.t("; the changes in {n} more {q} are marked in the table",
                "; ændringerne i {n} spørgsmål mere er markeret i tabellen", n=more,
                q="question" if more.count == 1 else "questions") if more.count > 0 else "")
    head = (w.t("The largest change of each such question: ", "Den største ændring i hvert af disse spørgsmål: ")
            if len(largest) > 1 else w.t("The change: ", "Ændringen: "))
    body = (f"{head}" + w.join(named, clauses=True) + tail + ".") if named else ""
    return " ".join(part for part in (lead, body, left_out) if part)


# ---------------------------------------------------------------------------------------------------


FINDINGS: dict[str, Callable[[Writer], str]] = {
    "survey": survey, "context": context, "coverage": coverage, "key_findings": key_findings, "summary": summary,
}


def write(name: str, table: pd.DataFrame, meta: dict, lang: str = "en",
          codebook: Codebook | None = None) -> tuple[str, Record]:
    """One finding's text for a round (a name of FINDINGS or of PAIRS, or a question id), and the numbers it used."""
    w = Writer(table, meta, lang, codebook=codebook)
    if name in FINDINGS:
        return FINDINGS[name](w), w.record
    if name in PAIRS:
        return PAIRS[name](w) or "", w.record
    return question_sentence(w, w.codebook.question(name)), w.record


# ---------------------------------------------------------------------------------------------------
# The trends chapter: every question over the rounds of the series that asked it


def _rounds_list(w: Writer, ids: list[str]) -> str:
    return w.join([w.t("{r}", "{r}", r=r) for r in ids])


def trend_summary(w: Writer, trends, years: dict[str, int | None]) -> str:
    """The trends chapter's opening: the rounds, how many questions are followed, how many shares changed."""
    rounds = [w.t("{r} (fielded in {y})", "{r} (gennemført i {y})", r=r, y=years[r]) if years.get(r) else r
              for r in trends.rounds]
    questions = w.number("trends.questions", trends.rows["question"].nunique() if not trends.rows.empty else 0)
    lead = w.t("The series has {n} rounds: {list}. This chapter follows the {q} questions that at least two of them "
               "asked, in every round that asked them.",
               "Serien har {n} runder: {list}. Kapitlet følger de {q} spørgsmål, som mindst to af dem stillede, i hver "
               "runde, der stillede dem.", n=w.number("trends.rounds", len(trends.rounds)), list=w.join(rounds),
               q=questions)
    changes = trends.changes
    if changes.empty:
        return lead
    tested = changes[(changes["role"] == "detail") & changes["compared"]]
    compared = w.number("trends.compared", len(tested))
    beyond = tested[tested["beyond_chance"]]
    moved = w.number("trends.changed", len(beyond))
    within = w.number("trends.questions_changed", beyond["question"].nunique())
    where = "" if moved.count == 0 else w.t(", in {n} {q}", ", fordelt på {n} {q}", n=within,
                                           q=w.t("question" if within.count == 1 else "questions", "spørgsmål"))
    verdict = w.t("From the first to the last round of each stretch without a break, {moved} of the {c} shares "
                  "compared changed{where} (judged as in the chapter on changes).",
                  "Fra den første til den sidste runde i hvert stræk uden brud ændrede {moved} af de {c} "
                  "sammenlignede andele sig{where} (bedømt som i kapitlet om ændringer).",
                  moved=w.t("none", "ingen") if moved.count == 0 else moved, c=compared, where=where)
    everyone = {b["round"]: b for b in trends.breaks if b["kind"] == "respondents"}
    said = [w.t("At round {r} who answered changed ({why}), so every question's series breaks there.",
                "Ved runde {r} skiftede det, hvem der svarede ({why}), så alle spørgsmåls serier brydes dér.", r=r,
                why=_lower_first(b[f"declared_{w.lang}"].strip().rstrip(".")))
            for r, b in everyone.items()]
    own = w.number("trends.question_breaks", len({b["question"] for b in trends.breaks if b["kind"] != "respondents"}))
    if own.count:
        said.append(w.t("The series of {n} {q} also {v} where the question itself changed.",
                        "Serien for {n} spørgsmål brydes også, hvor selve spørgsmålet blev ændret.", n=own,
                        q="question" if own.count == 1 else "questions", v="breaks" if own.count == 1 else "break"))
    if said:
        said.append(w.t("The charts mark each break, and no change is measured across it.",
                        "Figurerne markerer hvert brud, og ingen ændring måles hen over det."))
    return " ".join(p for p in (lead, verdict, *said) if p)


def trend_sentence(w: Writer, trends, question_id: str) -> str:
    """A question over its series: per stretch without a break, the shares that changed beyond chance; the breaks."""
    rows = trends.rows[trends.rows["question"] == question_id]
    changes = trends.changes[trends.changes["question"] == question_id] if not trends.changes.empty else trends.changes
    parts = []
    for segment in sorted(rows["segment"].unique()):
        stretch = rows[rows["segment"] == segment].sort_values("position")["round"].unique().tolist()
        if segment:
            brk = next(b for b in trends.breaks if b["question"] == question_id and b["round"] == stretch[0])
            if brk["kind"] == "respondents":  # the chapter's opening says why
                parts.append(w.t("The series breaks at round {r}, where who answered changed.",
                                 "Serien brydes ved runde {r}, hvor det skiftede, hvem der svarede.", r=stretch[0]))
            else:
                parts.append(sentence(w.t("the series breaks at round {r} ({why})", "serien brydes ved runde {r} ({why})",
                                          r=stretch[0], why=brk[f"reason_{w.lang}"]), joiner=""))
        if len(stretch) < 2:
            continue
        own = (changes[(changes["segment"] == segment) & (changes["role"] == "detail") & changes["compared"]]
               if not changes.empty else changes)
        beyond = own[own["beyond_chance"] & own["change_sentence"]] if not own.empty else own
        a, b = stretch[0], stretch[-1]
        if beyond.empty:
            parts.append(sentence(w.t("no share changed clearly from round {a} to round {b}",
                                      "ingen andel ændrede sig klart fra runde {a} til runde {b}",
                                      a=a, b=b), joiner=""))
            continue
        from councils.statistics import VERDICTS

        named = []
        for _, row in beyond.reindex(beyond["change"].abs().sort_values(ascending=False).index).iterrows():
            p, c, d = w.shares(f"{question_id}.{row['category']}", (row["previous_count"], row["previous_base"]),
                               (row["current_count"], row["current_base"]))
            verb = CHANGE_WORDS[w.lang][change_key(row["change"], True)]
            named.append(w.t("{label} {verb} from {p} in round {a} to {c} in round {b} ({d} points; {how})",
                             "{label} {verb} fra {p} i runde {a} til {c} i runde {b} ({d} procentpoint; {how})",
                             label=quote(row[f"label_{w.lang}"], w.lang), verb=verb, p=p, c=c, d=d, a=a, b=b,
                             how=VERDICTS[row["verdict"]][w.lang]))
        rest = w.t("no other share changed clearly", "ingen anden andel ændrede sig klart")
        parts.append(sentence(w.join(named, clauses=True), rest))
    return " ".join(parts)
