"""What a chapter cell calls: set up a round, glue its numbers and sentences, show figures, tables, commentary.

Every number and every evaluative word a chapter shows is glued here (myst-nb ``glue``) from the
round's frequency table, metadata and commentary, so that new data changes every sentence on every
page. Glued values are plain Python ``int``/``float``/``str``: numpy scalars do not render through
``{glue:text}`` with a format.
"""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass

import pandas as pd

from councils import commentary as commentary_layer
from councils import findings, wording
from councils.codebook import Codebook, load_codebook
from councils.display import table_html
from councils.errors import DataError
from councils.rounds import Round, load_round
from councils.tables import CONFIDENCE, frequency_table, question_table

CSV_COLUMNS = ["question", "category", "label", "count", "base", "share", "ci_low", "ci_high", "bound_low",
               "bound_high", "basis"]


@dataclass(frozen=True)
class Context:
    """A chapter's round, tables and commentary in one language of the book, made by :func:`setup`."""

    round: Round
    lang: str
    codebook: Codebook
    table: pd.DataFrame
    commentary: commentary_layer.Commentary

    def writer(self) -> findings.Writer:
        return findings.Writer(self.table, self.round.meta, self.lang)

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
    table = frequency_table(rnd)
    contexts, problems = [], []
    for language in ("en", "da"):
        notes, found = commentary_layer.load(rnd.path, language)
        problems += found + commentary_layer.check(notes, table, rnd.meta, language)
        contexts.append(Context(round=rnd, lang=language, codebook=load_codebook(), table=table, commentary=notes))
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
    return ctx.t("{a} to {b}", "{a} til {b}", a=pct(low, ctx.lang), b=pct(high, ctx.lang))


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
        return ctx.t("The round's metadata names no publisher{year}.",
                     "Rundens metadata nævner ingen udgiver{year}.", year=year)
    return ctx.t("Its findings were published by the {who}{when}{fielded}.",
                 "Resultaterne blev udgivet af {who}{when}{fielded}.", who=who, when=when, fielded=fielded)


def glue_interval_example(ctx: Context, question_id: str = "chair_background",
                          category: str | None = None) -> None:
    """Glue ``interval.example.*``: one share with its finite-population and its binomial interval and bounds."""
    from councils.tables import binomial_interval

    rows = question_table(ctx.round, question_id)
    row = rows.iloc[0] if category is None else rows[rows["category"] == category].iloc[0]
    low, high = binomial_interval(int(row["count"]), int(row["base"]))
    _glue("interval.example.count", int(row["count"]))
    _glue("interval.example.base", int(row["base"]))
    _glue("interval.example.label", str(row[f"label_{ctx.lang}"]))
    _glue("interval.example.ci", _to(ctx, row["ci_low"], row["ci_high"]))
    _glue("interval.example.binomial_ci", _to(ctx, low, high))
    _glue("interval.example.bounds", _to(ctx, row["bound_low"], row["bound_high"]))


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


def _comparison(ctx: Context) -> pd.DataFrame | None:
    from councils.tables import comparison_table

    previous = ctx.round.meta.get("previous_round")
    if not previous:
        return None
    return comparison_table(ctx.round, load_round(previous, ctx.round.path.parent))


def glue_comparison(ctx: Context) -> pd.DataFrame | None:
    """Glue ``comparison.*``: the rounds, the changes in words, and one chart of changes per chapter."""
    from councils.charts import comparison_chart, show

    comp = _comparison(ctx)
    if comp is None:
        return None
    previous, current = str(ctx.round.meta["previous_round"]), ctx.round.id
    glue_constants(ctx)
    _glue("comparison.previous", previous)
    _glue("comparison.current", current)
    _glue("comparison.changes", findings.changes(ctx.writer(), comp, previous))
    chapter = comp["question"].map(lambda q: ctx.codebook.question(q).section.split(".")[0])
    for number in sorted(chapter.unique()):
        chart = comparison_chart(comp[chapter == number], previous, current, ctx.lang, ctx.codebook)
        _glue(f"comparison.chapter{number}", chart)
        show(chart)
    return comp


def comparison_numbers(ctx: Context):
    """The comparison as a table: both rounds, the change, its interval and whether it is beyond chance."""
    from IPython.display import HTML

    comp = _comparison(ctx)
    if comp is None:
        return HTML("<p>" + html.escape(ctx.t("Round {r} has no earlier round to compare with.",
                                              "Runde {r} har ingen tidligere runde at sammenligne med.",
                                              r=ctx.round.id)) + "</p>")
    previous = str(ctx.round.meta["previous_round"])
    shown = [wording.shares_and_change(p, c, ctx.lang) for p, c in zip(comp["previous_share"], comp["current_share"])]
    of = ctx.t("of", "af")
    level = pct(CONFIDENCE, ctx.lang)
    table = pd.DataFrame({
        ctx.t("Question", "Spørgsmål"): [ctx.codebook.question(q).short(ctx.lang) for q in comp["question"]],
        ctx.t("Answer", "Svar"): comp[f"label_{ctx.lang}"],
        ctx.t("Round {r}", "Runde {r}", r=previous): [
            f"{c} {of} {b} ({s[0]})" for c, b, s in zip(comp["previous_count"], comp["previous_base"], shown)],
        ctx.t("Round {r}", "Runde {r}", r=ctx.round.id): [
            f"{c} {of} {b} ({s[1]})" for c, b, s in zip(comp["current_count"], comp["current_base"], shown)],
        ctx.t("Change (points)", "Ændring (procentpoint)"): [s[2] for s in shown],
        ctx.t("{level} interval of the change", "{level}-interval for ændringen", level=level): [
            ctx.t("{a} to {b}", "{a} til {b}", a=_signed(lo, ctx.lang), b=_signed(hi, ctx.lang))
            for lo, hi in zip(comp["change_low_pp"], comp["change_high_pp"])],
        "p (Holm)": [_p_value(p, ctx.lang) for p in comp["p_holm"]],
        ctx.t("Beyond chance", "Ud over tilfældighed"): [ctx.t("yes", "ja") if e else ctx.t("no", "nej")
                                                        for e in comp["beyond_chance"]],
    })
    return HTML(table_html(table, "councils-numbers")
                + _download_link(ctx, comp, f"comparison-{previous}-{ctx.round.id}"))


def _signed(points: float, lang: str) -> str:
    from babel.numbers import format_decimal

    number = format_decimal(abs(round(points)), format="0", locale="da_DK" if lang == "da" else "en_GB")
    return ("−" if round(points) < 0 else "+") + number


def _p_value(p: float, lang: str) -> str:
    from babel.numbers import format_decimal

    locale = "da_DK" if lang == "da" else "en_GB"
    if p < 0.001:
        return "< " + format_decimal(0.001, format="0.000", locale=locale)
    return format_decimal(p, format="0.000", locale=locale)


def figure(ctx: Context, number: int):
    """The report's figure ``number`` as an Altair chart, for this round and language."""
    from councils.charts import figure_chart

    return figure_chart(_figure_rows(ctx, number), number, ctx.lang, ctx.codebook, round_id=ctx.round.id)


def _figure_rows(ctx: Context, number: int) -> pd.DataFrame:
    ids = [q.id for q in ctx.codebook.figure_questions(number)]
    return ctx.table[ctx.table["question"].isin(ids)]


def glue_figure(ctx: Context, number: int) -> None:
    """Glue ``fig<number>`` (the chart) and ``fig<number>.caption`` for a ``{glue:figure}``."""
    from councils.charts import show

    rows = _figure_rows(ctx, number)
    base = int(rows["base"].max())
    multiple = any(ctx.codebook.question(q).type == "multiple_choice" for q in rows["question"].unique())
    grouped = set(rows["kind"]) == {"group"}
    caption = ctx.t("Answers of the {n} that answered", "Svar fra de {n}, der svarede",
                    n=wording.councils(base, ctx.lang))
    if multiple:
        caption += ctx.t("; a council could give more than one answer, so shares add up to more than {p}",
                         "; et råd kunne give flere svar, så andelene summerer til mere end {p}", p=pct(1, ctx.lang))
    if grouped:
        caption += ctx.t("; this round holds these answers only as combined groups",
                         "; runden har kun disse svar som samlede grupper")
    caption += ctx.t(". Thin lines mark the {level} interval for all councils asked.",
                     ". Tynde streger viser {level}-intervallet for alle adspurgte råd.", level=pct(CONFIDENCE, ctx.lang))
    chart = figure(ctx, number)
    _glue(f"fig{number}", chart)
    show(chart)  # for an author reading the notebook in Jupyter (the cell is hidden in the book)
    _glue(f"fig{number}.caption", caption)


def csv_text(frame: pd.DataFrame, lang: str) -> str:
    """A table as CSV for the edition's readers.

    English: UTF-8, comma-separated, decimal point, for tools. Danish: as Danish Excel opens it, with a
    byte-order mark, semicolons and decimal commas.
    """
    if lang == "da":
        return "\ufeff" + frame.to_csv(index=False, sep=";", decimal=",", float_format="%.4f", lineterminator="\r\n")
    return frame.to_csv(index=False, float_format="%.4f", lineterminator="\n")


def figure_table(ctx: Context, number: int) -> pd.DataFrame:
    """The numbers behind a figure, as its CSV download holds them (labels in the edition's language)."""
    return _figure_rows(ctx, number).assign(label=lambda t: t[f"label_{ctx.lang}"])[CSV_COLUMNS]


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
        ctx.t("Of", "Af"): rows["base"].astype(int),
        ctx.t("Share", "Andel"): [pct(s, ctx.lang) for s in rows["share"]],
        ctx.t("{level} interval ({asked} asked)", "{level}-interval ({asked} spurgt)", level=pct(CONFIDENCE, ctx.lang),
              asked=asked): [_to(ctx, lo, hi) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        ctx.t("Bounds with no assumption about non-response", "Grænser uden antagelse om bortfald"): [
            _to(ctx, lo, hi) for lo, hi in zip(rows["bound_low"], rows["bound_high"])],
    })
    table = table_html(shown, "councils-numbers")
    link = _download_link(ctx, figure_table(ctx, number), ctx.t("figure-{n}-round-{r}", "figur-{n}-runde-{r}", n=number, r=ctx.round.id))
    summary = ctx.t("Numbers behind figure {n}", "Tallene bag figur {n}", n=number)
    return HTML(f'<details class="councils-numbers"><summary>{html.escape(summary)}</summary>\n'
                f"{table}\n{link}</details>")


def _download_link(ctx: Context, frame: pd.DataFrame, stem: str) -> str:
    """A CSV download as a data: link, so that the site needs no extra file and fetches nothing."""
    href = "data:text/csv;charset=utf-8," + urllib.parse.quote(csv_text(frame, ctx.lang))
    label = ctx.t("Download this table as CSV", "Hent tabellen som CSV (til Excel)")
    return (f'<p><a class="councils-download" download="{html.escape(stem)}.csv" href="{href}">'
            f"{html.escape(label)}</a></p>")


# Where a question's Danish wording comes from (the codebook's `wording`), as the Danish edition says it.
WORDING_DA = {"figure title": "figurtitel", "figure title and item": "figurtitel og delspørgsmål",
              "figure title and the report's text": "figurtitel og rapportens tekst",
              "reconstructed from the report's text": "genskabt ud fra rapportens tekst"}


def questionnaire(ctx: Context):
    """The questionnaire as the codebook holds it: every question and option, in Danish and in English."""
    from IPython.display import HTML

    cb = ctx.codebook
    other = "en" if ctx.lang == "da" else "da"
    parts = []
    for number, q in enumerate(cb.questions, start=1):
        where = ctx.t("section {s}", "afsnit {s}", s=q.section) + (
            ctx.t(", figure {f}", ", figur {f}", f=q.figure) if q.figure else "")
        kind = {"single_choice": ctx.t("one answer", "ét svar"), "text": ctx.t("free text", "fritekst"),
                "multiple_choice": (ctx.t("at most {n} answers", "højst {n} svar", n=q.max_answers) if q.max_answers
                                    else ctx.t("several answers", "flere svar"))}[q.type]
        wording_note = ctx.t(q.wording, WORDING_DA.get(q.wording, q.wording))
        # The English edition gives the Danish original beside its translation; the Danish one, Danish only.
        translation = (f'<br><em lang="{other}">{html.escape(q.text(other))}</em>' if ctx.lang == "en" else "")
        parts.append(
            f'<section class="councils-question" id="q-{q.id}"><p><strong>{number}. {html.escape(q.text(ctx.lang))}'
            f'</strong>{translation}</p>'
            f"<p><small>{html.escape(ctx.t('Id', 'Id'))} <code>{q.id}</code>; {html.escape(kind)}; "
            f"{html.escape(ctx.t('report', 'rapportens'))} {html.escape(where)}; "
            f"{html.escape(ctx.t('wording', 'ordlyd'))}: {html.escape(wording_note)}.</small></p>"
        )
        if q.options:
            columns = {ctx.t("Code", "Kode"): [_code_cell(o.code) for o in q.options],
                       ctx.t("Danish", "Svarmulighed"): [html.escape(o.da + (" *" if o.assumed else ""))
                                                         for o in q.options]}
            if ctx.lang == "en":
                columns["English"] = [html.escape(o.en + (" *" if o.assumed else "")) for o in q.options]
            parts.append(table_html(pd.DataFrame(columns), "councils-options", escape=False))
        if q.groups:
            groups = "; ".join(f"<code>{g.code}</code> = {html.escape(g.label(ctx.lang))} ({', '.join(g.members)})"
                               for g in q.groups)
            parts.append(f"<p><small>{html.escape(ctx.t('Groups', 'Grupper'))}: {groups}.</small></p>")
        parts.append("</section>")
    return HTML("\n".join(parts))


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
        return HTML("<p>" + ctx.t("The free-text answers of round {r} are withheld (<code>withhold_free_text</code> in "
                                  "its <code>round.yaml</code>).",
                                  "Fritekstsvarene i runde {r} er tilbageholdt (<code>withhold_free_text</code> i "
                                  "rundens <code>round.yaml</code>).", r=rid) + "</p>")
    frame = load_checked(ctx.round)
    parts = []
    for q in texts:
        given = frame[frame[q.id].str.strip() != ""]
        question = html.escape(q.text(ctx.lang))
        if given.empty:
            parts.append("<p>" + ctx.t("{q}: no council wrote an answer.", "{q}: intet råd skrev et svar.", q=question)
                         + "</p>")
            continue
        table = pd.DataFrame({ctx.t("Council", "Råd"): given[RESPONDENT_ID], ctx.t("Answer", "Svar"): given[q.id]})
        wrote = ctx.t("{n} wrote an answer", "{n} skrev et svar", n=wording.councils(len(given), ctx.lang))
        parts.append(f"<p><strong>{question}</strong> ({html.escape(wrote)})</p>"
                     + table_html(table, "councils-free-text"))
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
