"""What a chapter cell calls: set up a round, glue its numbers and sentences, show figures, tables, commentary.

Every number and every evaluative word a chapter shows is glued here (myst-nb ``glue``) from the
round's frequency table, metadata and commentary, so that new data changes every sentence on every
page. Glued values are plain Python ``int``/``float``/``str``: numpy scalars do not render through
``{glue:text}`` with a format.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from councils import commentary as commentary_layer
from councils import downloads, findings, wording
from councils.codebook import Codebook, Question
from councils.display import table_html
from councils.errors import DataError
from councils.rounds import Round, load_round
from councils.series import Series, series_for
from councils.tables import CONFIDENCE, frequency_table, question_table

@dataclass(frozen=True)
class Context:
    """A chapter's round, tables and commentary in one language of the book, made by :func:`setup`.

    ``codebook`` is what the round asked; ``series.codebook`` every question of the rounds up to it.
    """

    round: Round
    lang: str
    codebook: Codebook
    table: pd.DataFrame
    commentary: commentary_layer.Commentary
    series: Series

    def writer(self) -> findings.Writer:
        return findings.Writer(self.table, self.round.meta, self.lang, codebook=self.codebook)

    def t(self, en: str, da: str, /, **values) -> str:
        """The text of this context's language, filled in."""
        return (da if self.lang == "da" else en).format(**values)


def setup(round_id: str | None = None, data_dir: str | None = None, lang: str | None = None):
    """Load and check the round a chapter is run for, its commentaries and the claims they make.

    Returns the English and the Danish context, ``en, da = setup(...)``: a chapter is executed once and
    glues both languages, each in cells tagged ``lang-en`` or ``lang-da`` (the site build keeps one
    language's cells per edition). With ``lang``, the one context of that language.
    """
    from councils.charts import enable

    from councils.paths import published_round

    enable()
    rnd = load_round(published_round() if round_id is None else str(round_id), data_dir)
    series = series_for(rnd)
    table = frequency_table(rnd)
    known = commentary_layer.section_ids(series.codebook)
    contexts, problems = [], []
    for language in ("en", "da"):
        notes, found = commentary_layer.load(rnd.path, language, known)
        problems += found + commentary_layer.check(notes, table, rnd.meta, language)
        contexts.append(Context(round=rnd, lang=language, codebook=series.questionnaire(rnd.id).codebook,
                                table=table, commentary=notes, series=series))
    if problems:
        raise DataError(problems)
    en, da = contexts
    return {"en": en, "da": da}[lang] if lang else (en, da)


def glue_constants(ctx: Context) -> None:
    """Glue the confidence level and its tails as this context's language writes them."""
    _glue("interval.level", wording.pct(CONFIDENCE, ctx.lang))
    _glue("interval.tail", wording.pct((1 - CONFIDENCE) / 2, ctx.lang, digits=1))


def _glue(name: str, value) -> None:
    from myst_nb import glue

    glue(name, value, display=False)


def _markdown(text: str):
    from IPython.display import Markdown

    return Markdown(text) if text else None


def pct(share: float, lang: str = "en") -> str:
    """A share as a whole percentage: '53%', Danish '53 %'."""
    return wording.pct(share, lang)


def _to(ctx: Context, low: float, high: float) -> str:
    """A range of shares in whole percentages, rounded outward (the low end down, the high end up)."""
    from councils.statistics import format_number, round_outward

    a, b = round_outward(100 * low, 100 * high)
    sign = "\u00a0%" if ctx.lang == "da" else "%"
    return ctx.t("{a} to {b}", "{a} til {b}", a=format_number(a, ctx.lang) + sign, b=format_number(b, ctx.lang) + sign)


def glue_findings(ctx: Context, *names: str) -> None:
    """Glue ``finding.<name>``: a computed sentence or paragraph of councils.findings."""
    for name in names:
        _glue(f"finding.{name}", findings.FINDINGS[name](ctx.writer()))


def key_findings(ctx: Context):
    """The landing page's key findings: themes chosen and worded from the data (Markdown bullets)."""
    return _markdown(findings.key_findings(ctx.writer()))


def summary(ctx: Context):
    """Chapter 4's bullets on what the answers show (Markdown)."""
    return _markdown(findings.summary(ctx.writer()))


def commentary(ctx: Context, section: str):
    """The round's own commentary for one section, as Markdown; nothing when the round has none there."""
    return _markdown(commentary_layer.text(ctx.commentary, section, ctx.table, ctx.round.meta, ctx.lang))


def recommendations(ctx: Context):
    """The round's recommendations and who made them, or one sentence saying that none accompany it."""
    text = commentary_layer.text(ctx.commentary, "conclusions.recommendations", ctx.table, ctx.round.meta, ctx.lang)
    return _markdown(text or ctx.t("No recommendations accompany round {r}.",
                                   "Der følger ingen anbefalinger med runde {r}.", r=ctx.round.id))


def blocks(codebook: Codebook, section_id: str) -> list[list[Question]]:
    """A section's questions in blocks: questions drawn in one figure, or set side by side in one sentence.

    Free-text questions are left out (their answers are in appendix B).
    """
    found: list[list[Question]] = []
    for question in codebook.section_questions(section_id):
        if not question.is_choice:
            continue
        last = found[-1][-1] if found else None
        if last is not None and ((question.figure is not None and question.figure == last.figure)
                                 or (question.sentence is not None and question.sentence == last.sentence)):
            found[-1].append(question)
        else:
            found.append([question])
    return found


def section(ctx: Context, section_id: str) -> None:
    """Show one section of a chapter for the round: for each block, its findings, figure, numbers and commentary.

    A question the round did not ask is said once, in one sentence, and never drawn; a question no
    council answered is said as such, and not drawn either.
    """
    from IPython.display import HTML, Markdown, display

    for part in section_parts(ctx, section_id):
        display(HTML(part[1]) if part[0] == "html" else Markdown(part[1]))


def section_parts(ctx: Context, section_id: str) -> list[tuple[str, str]]:
    """What :func:`section` shows, as (kind, text) pairs: 'markdown' or 'html'."""
    parts: list[tuple[str, str]] = []
    w = ctx.writer()
    for block in blocks(ctx.series.codebook, section_id):
        asked = [ctx.codebook.question(q.id) for q in block if q.id in ctx.codebook]
        unasked = [q for q in block if q.id not in ctx.codebook]
        answered = [q for q in asked if not findings.nobody_answered(w, q)]
        figure_number = next((q.figure for q in answered if q.figure is not None), None)
        texts = [_intro(ctx, block, asked, figure_number), findings.block_sentences(w, asked)]
        texts += [findings.not_asked(w, q) for q in unasked]
        paragraph = " ".join(_escape_markdown(t) for t in texts if t)
        if figure_number is not None:
            paragraph = (paragraph.replace(FIGURE_START, _figure_link(ctx, figure_number, start=True))
                         .replace(FIGURE_MARK, _figure_link(ctx, figure_number)))
        if paragraph:
            parts.append(("markdown", paragraph))
        if figure_number is not None:
            parts.append(("html", figure_html(ctx, figure_number)))
            parts.append(("html", numbers_table(ctx, figure_number).data))
        seen = []
        for question in asked:
            for note in question.commentary_ids:
                if note not in seen:
                    seen.append(note)
                    text = commentary_layer.text(ctx.commentary, note, ctx.table, ctx.round.meta, ctx.lang,
                                                 commentary_layer.section_ids(ctx.series.codebook))
                    if text:
                        parts.append(("markdown", text))
    return parts


FIGURE_MARK = "\u2063FIGURE\u2063"  # where an intro names its figure, until the link is put in
FIGURE_START = "\u2063Figure\u2063"  # the same at the start of a sentence (Danish: 'Figur 4 viser', '...; figur 4 viser')


def _intro(ctx: Context, block: list[Question], asked: list[Question], figure: int | None) -> str:
    """The chapter's words before a block's findings: the figure's intro when all its questions were asked."""
    if not asked:
        return ""
    shared = ctx.series.codebook.figure_intro(block[0].figure, ctx.lang) if block[0].figure is not None else ""
    if shared and len(asked) == len(block) and len(block) > 1:
        texts = [shared]
    else:
        texts = [q.intro_text(ctx.lang) for q in asked]
    kept = [t for t in texts if t and ("{figure}" not in t or figure is not None)]
    # at the start of a sentence the reference is capitalised (Danish 'Figur 4 viser', '...; figur 4 viser')
    marked = [re.sub(r"(^|[.!?]\s+)\{figure\}", lambda m: m.group(1) + FIGURE_START, t) for t in kept]
    return " ".join(t.replace("{figure}", FIGURE_MARK) for t in marked)


def _figure_link(ctx: Context, number: int, start: bool = False) -> str:
    words = ctx.t("Figure {n}", "Figur {n}" if start else "figur {n}", n=number)
    return f'<a href="#fig-{number}">{words}</a>'


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]{}<>#|$"})


def _escape_markdown(text: str) -> str:
    """Computed text as Markdown that shows it literally (a label may hold '*', '<' or '[')."""
    return text.translate(_MARKDOWN_SPECIAL)


def figure_caption(ctx: Context, number: int) -> str:
    """The caption under a figure: who answered, several answers, combined groups, the interval lines."""
    rows = _figure_rows(ctx, number)
    base = int(rows["base"].max())
    multiple = any(ctx.codebook.question(q).type == "multiple_choice" for q in rows["question"].unique())
    grouped = set(rows["kind"]) <= {"group", "missing"}
    caption = ctx.t("Answers of the {n} that answered", "Svar fra de {n}, der svarede",
                    n=wording.councils(base, ctx.lang))
    if multiple:
        caption += ctx.t("; a council could give more than one answer, so shares add up to more than {p}",
                         "; et råd kunne give flere svar, så andelene summerer til mere end {p}", p=pct(1, ctx.lang))
    if grouped:
        caption += ctx.t("; this round holds these answers only as combined groups",
                         "; runden har kun disse svar som samlede grupper")
    return caption + ctx.t(". Thin lines mark the {level} interval for all councils asked.",
                           ". Tynde streger viser {level}-intervallet for alle adspurgte råd.",
                           level=pct(CONFIDENCE, ctx.lang))


def figure_html(ctx: Context, number: int) -> str:
    """A figure as the book shows it: the chart, then its number and caption (numbers stay the report's)."""
    from councils.charts import chart_html

    label = ctx.t("Figure {n} ", "Figur {n} ", n=number)
    return (f'<figure class="councils-figure" id="fig-{number}">{chart_html(figure(ctx, number), ctx.lang)}'
            f'<figcaption><p><span class="caption-number">{html.escape(label)}</span>'
            f'<span class="caption-text">{html.escape(figure_caption(ctx, number))}</span></p></figcaption></figure>')


def glue_round_facts(ctx: Context) -> dict:
    """Glue the round's design facts and the sentences about them (``round.*``)."""
    meta = ctx.round.meta
    w = ctx.writer()
    facts = {key: meta[key] for key in ("municipalities", "councils_existing", "councils_asked", "fieldwork_year",
                                        "report_year") if meta.get(key) is not None}
    responses = int(ctx.table["base"].max())
    facts["responses"] = responses
    facts["response_rate"] = pct(responses / int(meta["councils_asked"]), ctx.lang)
    facts["round"] = ctx.round.id
    facts["title"] = ctx.round.title(ctx.lang)
    facts["method"] = findings.method(w, has_commentary=bool(ctx.commentary.blocks))
    facts["coverage"] = findings.coverage(w)
    facts["source"] = meta.get(f"source_{ctx.lang}") or meta["source"]
    facts["attribution"] = _attribution(ctx)
    facts["citation"] = edition_citation(ctx.lang)
    glue_constants(ctx)
    for key, value in facts.items():
        _glue(f"round.{key}", value)
    return facts


# How the Danish edition names the edition's authors and title (CITATION.cff holds the English ones).
CITATION_DA = {"authors": "Bidragyderne til den eksekverbare udgave af undersøgelsen af integrationsrådene",
               "title": "Lokale integrationsråd i Danmark: en eksekverbar udgave"}


def edition_citation(lang: str = "en") -> str:
    """This edition's citation in words, from CITATION.cff's preferred-citation (year, version, names)."""
    import yaml

    from councils.paths import CITATION_PATH

    cff = yaml.safe_load(CITATION_PATH.read_text(encoding="utf-8"))
    cite = cff.get("preferred-citation", cff)
    authors = "; ".join(a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
                        for a in cite.get("authors", []))
    title = cite["title"]
    if lang == "da":
        authors, title = CITATION_DA["authors"], CITATION_DA["title"]
    version = f", version {cite['version']}" if cite.get("version") else ""
    return f"{authors} ({cite.get('year', '')}). {title}{version}."


def _attribution(ctx: Context) -> str:
    """Who published the findings and when, in one sentence (a fictional round names nobody)."""
    meta = ctx.round.meta
    if ctx.round.fictional:
        return ctx.t("The round is fictional: no real body made or published it.",
                     "Runden er fiktiv: ingen virkelig institution har lavet eller udgivet den.")
    who = meta.get(f"publisher_{ctx.lang}")
    when = ctx.t(" in {y}", " i {y}", y=meta["report_year"]) if meta.get("report_year") else ""
    fielded = (ctx.t(", from a survey fielded in {y}", " på grundlag af en undersøgelse gennemført i {y}",
                     y=meta["fieldwork_year"]) if meta.get("fieldwork_year") else "")
    if not who:
        year = (ctx.t("; it was fielded in {y}", "; den blev gennemført i {y}", y=meta["fieldwork_year"])
                if meta.get("fieldwork_year") else "")
        return ctx.t("The round’s metadata names no publisher{year}.",
                     "Rundens metadata nævner ingen udgiver{year}.", year=year)
    return ctx.t("Its findings were published by the {who}{when}{fielded}.",
                 "Resultaterne blev udgivet af {who}{when}{fielded}.", who=who, when=when, fielded=fielded)


def glue_interval_example(ctx: Context, question_id: str | None = None, category: str | None = None) -> None:
    """Glue ``interval.example.*``: one share with its finite-population and its binomial interval and bounds.

    By default the first answer of the first question the round holds counts for.
    """
    from councils.tables import binomial_interval

    if question_id is None:
        question_id = next(q for q in ctx.table["question"])
    rows = question_table(ctx.round, question_id)
    row = rows.iloc[0] if category is None else rows[rows["category"] == category].iloc[0]
    low, high = binomial_interval(int(row["count"]), int(row["base"]))
    _glue("interval.example.count", int(row["count"]))
    _glue("interval.example.base", int(row["base"]))
    _glue("interval.example.label", str(row[f"label_{ctx.lang}"]))
    _glue("interval.example.ci", _to(ctx, row["ci_low"], row["ci_high"]))
    _glue("interval.example.binomial_ci", _to(ctx, low, high))
    _glue("interval.example.bounds", _to(ctx, row["bound_low"], row["bound_high"]))


def method(ctx: Context):
    """Appendix B's account of the intervals, bounds and the comparison of rounds, with a worked example from the
    round: its own budget 'yes' where the round holds it (2016: 21 of 30, 3 blank, 40 asked), else its first share."""
    from IPython.display import Markdown

    from councils.statistics import method_text, worked_example

    rows = ctx.table[(ctx.table["kind"] == "option") & (ctx.table["category"] != ctx.codebook.missing.code)]
    chosen = rows[(rows["question"] == "own_budget") & (rows["category"] == "yes")]
    row = (chosen if not chosen.empty else rows).iloc[0]
    blanks = ctx.table[(ctx.table["question"] == row["question"]) &
                       (ctx.table["category"] == ctx.codebook.missing.code)]["count"].sum()
    label = f"{_short(ctx, row['question'])}, {wording.quote(row[f'label_{ctx.lang}'], ctx.lang)}"
    example = worked_example(label, int(row["count"]), int(row["base"]), int(blanks), ctx.round.population, ctx.lang)
    return Markdown(method_text(ctx.lang) + "\n\n" + example)


def glue_method_constants(ctx: Context) -> None:
    """Glue the constants appendix B names: how many key-finding themes there are and are shown, alpha."""
    _glue("findings.themes", len(findings.THEMES))
    _glue("findings.shown", findings.KEY_FINDINGS_SHOWN)
    _glue("interval.alpha", pct(1 - CONFIDENCE, ctx.lang))
    for name, n in (("one", 1), ("many", 5), ("zero", 0)):
        count = wording.Count(n, lang=ctx.lang)
        _glue(f"wording.example.{name}", ctx.t("{c:councils} {c:report}", "{c:councils} svarer", c=count))


def glue_comparison_note(ctx: Context) -> None:
    """Glue ``comparison.note``: one sentence on whether the book compares with an earlier round."""
    previous = ctx.round.meta.get("previous_round")
    if previous:
        note = ctx.t("This edition shows round {r}; the chapter on changes compares it with round {p}.",
                     "Denne udgave viser runde {r}; kapitlet om ændringer sammenligner den med runde {p}.",
                     r=ctx.round.id, p=previous)
    else:
        note = ctx.t("Round {r} is the first round in this book, so there is no earlier round to compare it with.",
                     "Runde {r} er den første runde i denne bog, så der er ingen tidligere runde at sammenligne med.",
                     r=ctx.round.id)
    _glue("comparison.note", note)


def _comparison(ctx: Context):
    """The comparison of the round with its previous round (councils.tables.Comparison), or None."""
    from councils.tables import round_comparison

    return round_comparison(ctx.round)


def _chapter_of(ctx: Context, question_id: str) -> int:
    codebook = ctx.series.codebook
    return codebook.section(codebook.question(question_id).section).chapter


def glue_comparison(ctx: Context):
    """Glue ``comparison.*``: the rounds, and the changes in words (what was not compared included)."""
    comp = _comparison(ctx)
    if comp is None:
        return None
    previous = str(ctx.round.meta["previous_round"])
    glue_constants(ctx)
    _glue("comparison.previous", previous)
    _glue("comparison.current", ctx.round.id)
    _glue("comparison.changes", findings.changes(ctx.writer(), comp, previous))
    return comp


def comparison_figure(ctx: Context, chapter: int):
    """The changes of one chapter's questions as a chart in a figure, or a sentence when none was compared."""
    from IPython.display import HTML, Markdown

    from councils.charts import chart_html, comparison_chart

    comp = _comparison(ctx)
    if comp is None:
        return None
    table = comp.table
    rows = table[[_chapter_of(ctx, q) == chapter for q in table["question"]]] if not table.empty else table
    if rows.empty:
        return Markdown(ctx.t("No share of this chapter's questions is compared.",
                              "Ingen andel af kapitlets spørgsmål sammenlignes."))
    chart = comparison_chart(rows, comp.previous, comp.current, ctx.lang, ctx.series.codebook)
    caption = ctx.t("Change in each compared share between rounds {p} and {c}, for the questions of chapter {n}.",
                    "Ændringen i hver sammenlignet andel mellem runde {p} og {c} for spørgsmålene i kapitel {n}.",
                    p=comp.previous, c=comp.current, n=chapter)
    return HTML(f'<figure class="councils-figure" id="comparison-chapter-{chapter}">{chart_html(chart, ctx.lang)}'
                f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def comparison_notes(ctx: Context):
    """How the compared questions' options changed between the rounds (merged, split, added), as a list."""
    from IPython.display import Markdown

    comp = _comparison(ctx)
    if comp is None or not comp.notes:
        return None
    lines = [f"- **{_escape_markdown(_short(ctx, n['question']))}**: {_escape_markdown(n[f'note_{ctx.lang}'])}."
             for n in comp.notes]
    return Markdown("\n".join(lines))


def _short(ctx: Context, question_id: str) -> str:
    return ctx.series.codebook.question(question_id).short(ctx.lang)


def _trends(ctx: Context):
    from councils.tables import round_trends

    return round_trends(ctx.round)[1]


def glue_trends(ctx: Context):
    """Glue ``trends.summary``: the rounds of the series and what changed over them, in words."""
    found = _trends(ctx)
    if found is None:
        _glue("trends.summary", ctx.t("Round {r} has fewer than two earlier rounds, so there are no trends to follow.",
                                      "Runde {r} har færre end to tidligere runder, så der er ingen udvikling at følge.",
                                      r=ctx.round.id))
        return None
    years = {r.id: r.meta.get("fieldwork_year") for r in ctx.series.rounds}
    glue_constants(ctx)
    _glue("trends.summary", findings.trend_summary(ctx.writer(), found, years))
    return found


def trend_section(ctx: Context, section_id: str) -> None:
    """Show the trends of one section's questions: for each, its sentence and its chart over the series."""
    from IPython.display import HTML, Markdown, display

    from councils.charts import chart_html, trend_chart

    found = _trends(ctx)
    if found is None:
        return
    w = ctx.writer()
    for question in ctx.series.codebook.section_questions(section_id):
        rows = found.rows[found.rows["question"] == question.id]
        if rows.empty:
            continue
        text = findings.trend_sentence(w, found, question.id)
        display(Markdown(f"**{_escape_markdown(question.short(ctx.lang))}.** {_escape_markdown(text)}"))
        breaks = [b["round"] for b in found.breaks if b["question"] == question.id]
        chart = trend_chart(rows, question, list(found.rounds), breaks, ctx.lang, ctx.series.codebook)
        caption = ctx.t("Share of the responding councils in each round that asked the question; thin lines mark "
                        "each round’s {level} interval.",
                        "Andel af de besvarende råd i hver runde, der stillede spørgsmålet; tynde streger viser hver "
                        "rundes {level}-interval.", level=pct(CONFIDENCE, ctx.lang))
        display(HTML(f'<figure class="councils-figure" id="trend-{question.id}">{chart_html(chart, ctx.lang)}'
                     f"<figcaption>{html.escape(caption)}</figcaption></figure>"))


def comparison_numbers(ctx: Context):
    """The comparison as a table: both rounds, the change, its interval and whether it is beyond chance."""
    from IPython.display import HTML

    found = _comparison(ctx)
    if found is None:
        return HTML("<p>" + html.escape(ctx.t("Round {r} has no earlier round to compare with.",
                                              "Runde {r} har ingen tidligere runde at sammenligne med.",
                                              r=ctx.round.id)) + "</p>")
    comp = found.table
    if comp.empty:
        return HTML("<p>" + html.escape(ctx.t("No share is compared.", "Ingen andel sammenlignes.")) + "</p>")
    from councils.statistics import VERDICT_MARKS, format_change, format_change_interval, format_p, format_share

    previous = str(ctx.round.meta["previous_round"])
    of = ctx.t("of", "af")
    level = pct(CONFIDENCE, ctx.lang)
    lang = ctx.lang

    def share(count, base) -> str:
        return f"{count} {of} {base} ({format_share(_fraction(count, base), lang)})"

    def number(value, text) -> str:
        return "" if pd.isna(value) else text()

    marks, notes = comparison_table_notes(ctx, comp)

    table = pd.DataFrame({
        ctx.t("Question", "Spørgsmål"): [_short(ctx, q) for q in comp["question"]],
        ctx.t("Answer", "Svar"): comp[f"label_{ctx.lang}"],
        ctx.t("Round {r}", "Runde {r}", r=previous): [share(c, b) for c, b in zip(comp["previous_count"],
                                                                                   comp["previous_base"])],
        ctx.t("Round {r}", "Runde {r}", r=ctx.round.id): [share(c, b) for c, b in zip(comp["current_count"],
                                                                                       comp["current_base"])],
        ctx.t("Change (points)", "Ændring (procentpoint)"): [
            number(c, lambda: format_change(_exact(c), lang)) for c in comp["change"]],
        ctx.t("Change among the councils asked, whatever the missing answers",
              "Ændring blandt de adspurgte råd, uanset de manglende svar"): [
            number(lo, lambda: format_change_interval(lo, hi, lang)) for lo, hi in
            zip(comp["change_bound_low"], comp["change_bound_high"])],
        ctx.t("{level} interval of the change, unadjusted", "{level}-interval for ændringen, ujusteret", level=level): [
            number(lo, lambda: format_change_interval(lo, hi, lang)) for lo, hi in
            zip(comp["change_low"], comp["change_high"])],
        ctx.t("p, unadjusted", "p, ujusteret"): [number(p, lambda: format_p(p, lang, 1 - CONFIDENCE))
                                                 for p in comp["p_value"]],
        ctx.t("p of the question (Holm)", "p for spørgsmålet (Holm)"): [
            number(p, lambda: format_p(p, lang, 1 - CONFIDENCE)) for p in comp["question_p_holm"]],
        ctx.t("Verdict", "Vurdering"): [f"{VERDICT_MARKS[v]['symbol']} {text}" + (f" ({why})" if why else "") + mark
                                        for v, text, why, mark in zip(comp["verdict"], comp[f"verdict_{ctx.lang}"],
                                                                      comp[f"reason_{ctx.lang}"], marks)],
    })
    return HTML(table_html(table, "councils-numbers") + notes + downloads.comparison_link(ctx, comp))


# The notes a row of the comparison table can carry, in the order they are lettered; each is a column of the
# comparison's frame (councils.statistics.compare_rounds) and a text of councils.statistics.NOTES.
COMPARISON_NOTES = (("rounding_note", "rounding"), ("unadjusted_note", "unadjusted"), ("model_note", "model"),
                    ("not_stated_note", "not_stated"))


def comparison_table_notes(ctx: Context, comp: pd.DataFrame) -> tuple[list[str], str]:
    """Each row's note marks ("; note a") and the notes under the comparison table, lettered a, b, ... in the
    order they first occur. The not-stated note is the question's: it is marked on the question's first row."""
    from councils.statistics import NOTES, format_number

    letters, texts, marks = {}, [], []
    first_row = ~comp["question"].duplicated()
    for i, row in enumerate(comp.itertuples(index=False)):
        keys = []
        for column, key in COMPARISON_NOTES:
            if not bool(getattr(row, column)) or (key == "not_stated" and not first_row.iloc[i]):
                continue
            text = NOTES[key][ctx.lang]
            if key == "not_stated":
                text = text.format(previous=format_number(Decimal(int(row.previous_not_stated)), ctx.lang),
                                   current=format_number(Decimal(int(row.current_not_stated)), ctx.lang))
            if text not in letters:
                letters[text] = chr(ord("a") + len(letters))
                texts.append(text)
            keys.append(letters[text])
        word = ctx.t("note" if len(keys) == 1 else "notes", "note" if len(keys) == 1 else "noter")
        marks.append(f"; {word} {wording.join(keys, ctx.lang)}" if keys else "")
    if not texts:
        return marks, ""
    items = "".join(f"<li><span class=\"councils-note-mark\">{html.escape(letters[t])}</span>: {html.escape(t)}</li>"
                    for t in texts)
    title = html.escape(ctx.t("Notes to the table", "Noter til tabellen"))
    return marks, f'<p class="councils-table-notes-title">{title}</p><ul class="councils-table-notes">{items}</ul>'


def _fraction(count, base):
    from fractions import Fraction

    return Fraction(int(count), int(base))


def _exact(value: float):
    """A change as the fraction it is (the statistics module rounds exact values half away from zero)."""
    from fractions import Fraction

    return Fraction(value).limit_denominator(10**9)


def figure(ctx: Context, number: int):
    """The report's figure ``number`` as an Altair chart, for this round and language."""
    from councils.charts import figure_chart

    return figure_chart(_figure_rows(ctx, number), number, ctx.lang, ctx.codebook, round_id=ctx.round.id)


def _figure_rows(ctx: Context, number: int) -> pd.DataFrame:
    """The round's rows of the questions a figure draws (those it asked and someone answered)."""
    w = ctx.writer()
    ids = [q.id for q in ctx.codebook.figure_questions(number) if not findings.nobody_answered(w, q)]
    return ctx.table[ctx.table["question"].isin(ids)]




def numbers_table(ctx: Context, number: int):
    """The numbers behind a figure, collapsed under it, with a CSV download (a data: link, no file)."""
    from IPython.display import HTML

    rows = _figure_rows(ctx, number)
    several = rows["question"].nunique() > 1
    asked = wording.councils(ctx.round.population, ctx.lang)
    shown = pd.DataFrame({
        **({ctx.t("Question", "Spørgsmål"): [ctx.codebook.question(q).short(ctx.lang) for q in rows["question"]]}
           if several else {}),
        ctx.t("Answer", "Svar"): rows[f"label_{ctx.lang}"],
        ctx.t("Councils", "Råd"): rows["count"].astype(int),
        ctx.t("Out of", "Ud af"): rows["base"].astype(int),
        ctx.t("Share", "Andel"): [pct(s, ctx.lang) for s in rows["share"]],
        ctx.t("{level} interval if answering is unrelated to the answer ({asked} asked)",
              "{level}-interval, hvis bortfaldet ikke hænger sammen med svaret ({n} adspurgte råd)",
              level=pct(CONFIDENCE, ctx.lang), asked=asked, n=ctx.round.population): [
            _to(ctx, lo, hi) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        ctx.t("Bounds whatever the missing answers (no assumption)",
              "Grænser uanset de manglende svar (ingen antagelse)"): [
            _to(ctx, lo, hi) for lo, hi in zip(rows["bound_low"], rows["bound_high"])],
    })
    table = table_html(shown, "councils-numbers")
    link = downloads.figure_link(ctx, number)
    summary = ctx.t("Numbers behind figure {n}", "Tallene bag figur {n}", n=number)
    return HTML(f'<details class="councils-numbers"><summary>{html.escape(summary)}</summary>\n'
                f"{table}\n{link}</details>")


# Where a question's Danish wording comes from (the codebook's `wording`), as the Danish edition says it.
WORDING_DA = {"figure title": "figurtitel", "figure title and item": "figurtitel og delspørgsmål",
              "figure title and the report's text": "figurtitel og rapportens tekst",
              "reconstructed from the report's text": "genskabt ud fra rapportens tekst"}


def questionnaire(ctx: Context):
    """The questionnaire as the codebook holds it: every question of the series and its options, both languages.

    A question is given as the round asked it; one it did not ask, as the series last asked it. With more
    than one round in the series, each question says in which rounds it was asked and how it changed.
    """
    from IPython.display import HTML

    cb = ctx.series.codebook
    other = "en" if ctx.lang == "da" else "da"
    missing = ctx.codebook.missing.code
    parts = ["<p>" + html.escape(ctx.t("A question left blank is recorded as {m}.",
                                       "Et spørgsmål, der ikke er besvaret, registreres som {m}.",
                                       m=wording.quote(ctx.codebook.missing.label(ctx.lang), ctx.lang))) + "</p>"]
    for number, entry in enumerate(cb.questions, start=1):
        asked = entry.id in ctx.codebook
        q = ctx.codebook.question(entry.id) if asked else entry
        where = ctx.t("section {s}", "afsnit {s}", s=q.section) + (
            ctx.t(", figure {f}", ", figur {f}", f=q.figure) if q.figure else "")
        kind = {"single_choice": ctx.t("one answer", "ét svar"), "text": ctx.t("free text", "fritekst"),
                "multiple_choice": (ctx.t("at most {n} answers", "højst {n} svar", n=q.max_answers) if q.max_answers
                                    else ctx.t("several answers", "flere svar"))}[q.type]
        wording_note = ctx.t(q.wording, q.wording_da or WORDING_DA.get(q.wording, q.wording))
        # The English edition gives the Danish original beside its translation; the Danish one, Danish only.
        translation = (f'<br><em lang="{other}">{html.escape(q.text(other))}</em>' if ctx.lang == "en" else "")
        parts.append(
            f'<section class="councils-question" id="q-{q.id}"><p><strong>{number}. {html.escape(q.text(ctx.lang))}'
            f'</strong>{translation}</p>'
            f"<p><small>{html.escape(ctx.t('Id', 'Id'))} <code>{q.id}</code>; {html.escape(kind)}; "
            f"{html.escape(ctx.t('report', 'rapportens'))} {html.escape(where)}; "
            f"{html.escape(ctx.t('wording', 'ordlyd'))}: {html.escape(wording_note)}.</small></p>"
        )
        history = _question_history(ctx, q.id, asked)
        if history:
            parts.append(f"<p><small>{html.escape(history)}</small></p>")
        options = [o for o in q.options if o.code != missing]
        if options:
            columns = {ctx.t("Code", "Kode"): [_code_cell(o.code) for o in options],
                       ctx.t("Danish", "Svarmulighed"): [html.escape(o.da + (" *" if o.assumed else ""))
                                                         for o in options]}
            if ctx.lang == "en":
                columns["English"] = [html.escape(o.en + (" *" if o.assumed else "")) for o in options]
            parts.append(table_html(pd.DataFrame(columns), "councils-options", escape=False))
        if q.groups:
            groups = "; ".join(f"<code>{g.code}</code> = {html.escape(g.label(ctx.lang))} ({', '.join(g.members)})"
                               for g in q.groups)
            parts.append(f"<p><small>{html.escape(ctx.t('Groups', 'Grupper'))}: {groups}.</small></p>")
        parts.append("</section>")
    return HTML("\n".join(parts))


def _question_history(ctx: Context, question_id: str, asked: bool) -> str:
    """In which rounds of the series a question was asked, and what changed in it (when the series has rounds before)."""
    series = ctx.series
    if len(series.rounds) < 2:
        return ""
    rounds = series.asked_in(question_id)
    said = [ctx.t("Asked in round {r}", "Stillet i runde {r}", r=wording.join(list(rounds), ctx.lang))
            if len(rounds) == 1 else
            ctx.t("Asked in rounds {r}", "Stillet i runderne {r}", r=wording.join(list(rounds), ctx.lang))]
    if not asked:
        said.append(ctx.t("not asked in round {r}", "ikke stillet i runde {r}", r=ctx.round.id))
    for rid in series.ids:
        questionnaire = series.questionnaire(rid)
        changes = [c for c in questionnaire.changes if c.question == question_id]
        book = questionnaire.codebook.question(question_id) if question_id in questionnaire.codebook else None
        previous = series.questionnaire(series.ids[series.ids.index(rid) - 1]).codebook if rid != series.ids[0] else None
        for change in changes:
            label = (book.label(change.code, ctx.lang) if change.kind in ("added", "merged") else
                     previous.question(question_id).label(change.code, ctx.lang))
            if change.kind == "added":
                said.append(ctx.t("round {r} added “{a}”", "runde {r} tilføjede »{a}«", r=rid, a=label))
            elif change.kind == "dropped":
                said.append(ctx.t("round {r} dropped “{a}”", "runde {r} fjernede »{a}«", r=rid, a=label))
            elif change.kind == "merged":
                parts = [_quote(previous.question(question_id).label(p, ctx.lang), ctx.lang) for p in change.parts]
                said.append(ctx.t("round {r} merged {parts} into “{a}”", "runde {r} lagde {parts} sammen til »{a}«",
                                  r=rid, a=label, parts=wording.join(parts, ctx.lang)))
            else:
                parts = [_quote(book.label(p, ctx.lang), ctx.lang) for p in change.parts]
                said.append(ctx.t("round {r} split “{a}” into {parts}", "runde {r} delte »{a}« i {parts}",
                                  r=rid, a=label, parts=wording.join(parts, ctx.lang)))
        if question_id in questionnaire.reworded:
            said.append(ctx.t("round {r} changed its wording", "runde {r} ændrede ordlyden", r=rid))
        for brk in questionnaire.breaks:
            if brk.question == question_id:
                said.append(ctx.t("its series breaks at round {r} ({why})", "serien brydes ved runde {r} ({why})",
                                  r=rid, why=brk.reason(ctx.lang)))
    return wording.capitalise("; ".join(said)) + "."


def _quote(text: str, lang: str) -> str:
    return findings.quote(text, lang)


def thresholds(ctx: Context):
    """The quantity words and the thresholds that choose them, from councils.wording (appendix B)."""
    from IPython.display import HTML

    w = wording
    few, minority, half, most = (pct(float(x), ctx.lang) for x in (w.FEW_BELOW, w.MINORITY_BELOW, w.ABOUT_HALF_TO,
                                                                    w.MOST_FROM))
    rows = [("none", ctx.t("no council", "intet råd")),
            ("few", ctx.t("more than none, under {a}", "flere end intet, under {a}", a=few)),
            ("minority", ctx.t("{a} up to, not including, {b}", "fra {a} op til, men ikke med, {b}", a=few, b=minority)),
            ("about_half", ctx.t("{a} to {b}, but not exactly one half", "{a} til {b}, men ikke præcis halvdelen",
                                 a=minority, b=half)),
            ("half", ctx.t("exactly one half", "præcis halvdelen")),
            ("majority", ctx.t("over {a}, under {b}", "over {a}, under {b}", a=half, b=most)),
            ("most", ctx.t("{a} or more, but not all", "{a} eller mere, men ikke alle", a=most)),
            ("all", ctx.t("every council", "alle råd"))]
    table = pd.DataFrame({ctx.t("Word", "Ord"): [w.QUANTITY_WORDS[ctx.lang][k] for k, _ in rows],
                          ctx.t("Share of the responding councils", "Andel af de besvarende råd"): [r for _, r in rows]})
    return HTML(table_html(table, "councils-numbers"))


def free_text(ctx: Context):
    """The respondents' own words, as plain text in a table (never read as HTML or Markdown)."""
    from IPython.display import HTML

    from councils.validate import RESPONDENT_ID, load_checked

    texts = [q for q in ctx.codebook.questions if q.type == "text"]
    rid = html.escape(ctx.round.id)
    if ctx.round.kind == "published_counts":
        return HTML("<p>" + ctx.t("Round {r} holds published counts only, so it has no free-text answers to show.",
                                  "Runde {r} rummer kun offentliggjorte tal og har derfor ingen fritekstsvar at vise.",
                                  r=rid) + "</p>")
    if ctx.round.meta.get("withhold_free_text"):
        return HTML("<p>" + ctx.t("The free-text answers of round {r} are withheld: the round’s metadata says they are "
                                  "not to be published.",
                                  "Fritekstsvarene i runde {r} er tilbageholdt: rundens metadata angiver, at de ikke "
                                  "skal offentliggøres.", r=rid) + "</p>")
    frame = load_checked(ctx.round)
    parts = []
    for q in texts:
        given = frame[frame[q.id].str.strip() != ""]
        question = html.escape(q.text(ctx.lang))
        if given.empty:
            parts.append("<p>" + ctx.t("{q}: no council wrote an answer.", "{q}: intet råd skrev et svar.", q=question)
                         + "</p>")
            continue
        # the respondents' text escaped (never read as HTML or MyST), its line breaks kept as breaks
        answers = [html.escape(text).replace("\r\n", "\n").replace("\n", "<br>") for text in given[q.id]]
        table = pd.DataFrame({ctx.t("Council", "Råd"): [html.escape(r) for r in given[RESPONDENT_ID]],
                              ctx.t("Answer", "Svar"): answers})
        wrote = ctx.t("{n} wrote an answer", "{n} skrev et svar", n=wording.councils(len(given), ctx.lang))
        parts.append(f"<p><strong>{question}</strong> ({html.escape(wrote)})</p>"
                     + table_html(table, "councils-free-text", escape=False))
    return HTML("\n".join(parts))


def sources_table(ctx: Context):
    """Every number the round holds, with where it comes from (published counts) or how it was made."""
    from IPython.display import HTML

    t = ctx.table
    words = {"option": "svarmulighed", "group": "gruppe", "missing": "uoplyst", "stated": "oplyst i rapporten",
             "remainder": "rest", "respondents": "besvarelser"}
    shown = pd.DataFrame({
        ctx.t("Question", "Spørgsmål"): [_code_cell(q) for q in t["question"]],
        ctx.t("Category", "Kategori"): [_code_cell(c) for c in t["category"]],
        ctx.t("Answer", "Svar"): [html.escape(label) for label in t[f"label_{ctx.lang}"]],
        ctx.t("Kind", "Art"): [ctx.t(k, words.get(k, k)) for k in t["kind"]],
        ctx.t("Count", "Antal"): t["count"].astype(int), ctx.t("Base", "Basis"): t["base"].astype(int),
        ctx.t("Basis", "Grundlag"): [ctx.t(b, words.get(b, b)) for b in t["basis"]],
    })
    if ctx.round.kind == "published_counts":
        from councils.validate import load_checked

        source = load_checked(ctx.round).set_index(["question", "category"])["source"]
        cited = [source.get((q, c), "") for q, c in zip(t["question"], t["category"])]
        if ctx.lang == "da":  # counts.csv cites 'section 2.1, figure 1'
            cited = [c.replace("section", "afsnit").replace("figures", "figur").replace("figure", "figur")
                     .replace("text", "tekst") for c in cited]
        shown[ctx.t("Source in the report", "Kilde i rapporten")] = [html.escape(c) for c in cited]
    return HTML(table_html(shown, "councils-sources", escape=False))


def _code_cell(identifier: str) -> str:
    """An identifier of the data format (a question id, an answer code), shown as code in any language."""
    return f"<code>{html.escape(identifier)}</code>"
