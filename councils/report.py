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
from councils.errors import DataError
from councils.rounds import Round, load_round
from councils.tables import CONFIDENCE, frequency_table, question_table

LEVEL = f"{CONFIDENCE:.0%}"  # "95%": the confidence level of every interval, glued as interval.level
CSV_COLUMNS = ["question", "category", "label", "count", "base", "share", "ci_low", "ci_high", "bound_low",
               "bound_high", "basis"]


@dataclass(frozen=True)
class Context:
    """A chapter's round, language, tables and commentary, made once per notebook by :func:`setup`."""

    round: Round
    lang: str
    codebook: Codebook
    table: pd.DataFrame
    commentary: commentary_layer.Commentary

    def writer(self) -> findings.Writer:
        return findings.Writer(self.table, self.round.meta, "en")  # the prose is English whatever the charts'


def setup(round_id: str = "2016", data_dir: str | None = None, lang: str = "en") -> Context:
    """Load and check the round a chapter is run for, its commentary and the claims that commentary makes."""
    from councils.charts import enable

    enable()
    rnd = load_round(str(round_id), data_dir)
    table = frequency_table(rnd)
    notes, problems = commentary_layer.load(rnd.path, "en")
    problems += commentary_layer.check(notes, table, rnd.meta, "en")
    if problems:
        raise DataError(problems)
    _glue("interval.level", LEVEL)
    _glue("interval.tail", f"{(1 - CONFIDENCE) / 2:.1%}")
    return Context(round=rnd, lang=lang, codebook=load_codebook(), table=table, commentary=notes)


def _glue(name: str, value) -> None:
    from myst_nb import glue

    glue(name, value, display=False)


def _markdown(text: str):
    from IPython.display import Markdown

    return Markdown(text) if text else None


def pct(share: float) -> str:
    """A share as a whole percentage, e.g. '53%'."""
    return wording.pct(share, "en")


def glue_question(ctx: Context, question_id: str) -> pd.DataFrame:
    """Glue ``<question>.<category>.count|base|pct|ci|label`` for every category the round holds."""
    rows = question_table(ctx.round, question_id)
    if rows.empty:
        raise KeyError(f"round {ctx.round.id} holds no counts for question '{question_id}'")
    for row in rows.itertuples():
        key = f"{question_id}.{row.category}"
        _glue(f"{key}.count", int(row.count))
        _glue(f"{key}.base", int(row.base))
        _glue(f"{key}.pct", pct(row.share))
        _glue(f"{key}.ci", f"{pct(row.ci_low)} to {pct(row.ci_high)}")
        _glue(f"{key}.label", row.label_en)  # the prose is English whatever the charts' language
    return rows


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
    return _markdown(commentary_layer.text(ctx.commentary, section, ctx.table, ctx.round.meta, "en"))


def commentary_or(ctx: Context, section: str, absent: str):
    """The round's commentary for a section, or ``absent`` (a sentence saying there is none)."""
    text = commentary_layer.text(ctx.commentary, section, ctx.table, ctx.round.meta, "en")
    return _markdown(text or absent.format(round=ctx.round.id))


def glue_round_facts(ctx: Context) -> dict:
    """Glue the round's design facts and the sentences about them (``round.*``)."""
    meta = ctx.round.meta
    w = ctx.writer()
    facts = {key: meta[key] for key in ("municipalities", "councils_existing", "councils_asked", "fieldwork_year",
                                        "report_year") if meta.get(key) is not None}
    responses = int(ctx.table["base"].max())
    facts["responses"] = responses
    facts["response_rate"] = pct(responses / int(meta["councils_asked"]))
    facts["round"] = ctx.round.id
    facts["title"] = ctx.round.title("en")
    facts["method"] = findings.method(w, has_commentary=bool(ctx.commentary.blocks))
    facts["coverage"] = findings.coverage(w)
    facts["source"] = meta["source"]
    facts["attribution"] = _attribution(ctx.round)
    for key, value in facts.items():
        _glue(f"round.{key}", value)
    return facts


def _attribution(rnd: Round) -> str:
    """Who published the findings and when, in one sentence (a fictional round names nobody)."""
    meta = rnd.meta
    if rnd.fictional:
        return "The round is fictional: no real body made or published it."
    who = meta.get("publisher_en")
    when = f" in {meta['report_year']}" if meta.get("report_year") else ""
    fielded = f", from a survey fielded in {meta['fieldwork_year']}" if meta.get("fieldwork_year") else ""
    if not who:
        return f"The round's metadata names no publisher{'; it was fielded in ' + str(meta['fieldwork_year']) if meta.get('fieldwork_year') else ''}."
    return f"Its findings were published by the {who}{when}{fielded}."


def glue_interval_example(ctx: Context, question_id: str = "chair_background",
                          category: str | None = None) -> None:
    """Glue ``interval.example.*``: one share with its finite-population and its binomial interval and bounds."""
    from councils.tables import binomial_interval

    rows = question_table(ctx.round, question_id)
    row = rows.iloc[0] if category is None else rows[rows["category"] == category].iloc[0]
    low, high = binomial_interval(int(row["count"]), int(row["base"]))
    _glue("interval.example.count", int(row["count"]))
    _glue("interval.example.base", int(row["base"]))
    _glue("interval.example.label", str(row["label_en"]))
    _glue("interval.example.ci", f"{pct(row['ci_low'])} to {pct(row['ci_high'])}")
    _glue("interval.example.binomial_ci", f"{pct(low)} to {pct(high)}")
    _glue("interval.example.bounds", f"{pct(row['bound_low'])} to {pct(row['bound_high'])}")


def glue_method_constants() -> None:
    """Glue the constants appendix B names: how many key-finding themes there are and are shown, alpha."""
    _glue("findings.themes", len(findings.THEMES))
    _glue("findings.shown", findings.KEY_FINDINGS_SHOWN)
    _glue("interval.alpha", pct(1 - CONFIDENCE))
    for name, n in (("one", 1), ("many", 5), ("zero", 0)):
        count = wording.Count(n)
        _glue(f"wording.example.{name}", f"{count:councils} {count:report}")


def glue_comparison_note(ctx: Context) -> None:
    """Glue ``comparison.note``: one sentence on whether the book compares with an earlier round."""
    previous = ctx.round.meta.get("previous_round")
    if previous:
        note = (f"This edition shows round {ctx.round.id}; the chapter on changes compares it with "
                f"round {previous}.")
    else:
        note = (f"Round {ctx.round.id} is the first round in this book, so there is no earlier "
                "round to compare it with.")
    _glue("comparison.note", note)


def _comparison(ctx: Context) -> pd.DataFrame | None:
    from councils.tables import comparison_table

    previous = ctx.round.meta.get("previous_round")
    if not previous:
        return None
    return comparison_table(ctx.round, load_round(previous, ctx.round.path.parent))


def glue_comparison(ctx: Context) -> pd.DataFrame | None:
    """Glue ``comparison.*``: the rounds, the changes in words, and one chart of changes per chapter."""
    from councils.charts import comparison_chart

    comp = _comparison(ctx)
    if comp is None:
        return None
    previous, current = str(ctx.round.meta["previous_round"]), ctx.round.id
    _glue("comparison.previous", previous)
    _glue("comparison.current", current)
    _glue("comparison.changes", findings.changes(ctx.writer(), comp, previous))
    chapter = comp["question"].map(lambda q: ctx.codebook.question(q).section.split(".")[0])
    for number in sorted(chapter.unique()):
        _glue(f"comparison.chapter{number}",
              comparison_chart(comp[chapter == number], previous, current, ctx.lang, ctx.codebook))
    return comp


def comparison_numbers(ctx: Context):
    """The comparison as a table: both rounds, the change, its interval and whether it is beyond chance."""
    from IPython.display import HTML

    comp = _comparison(ctx)
    if comp is None:
        return HTML(f"<p>Round {html.escape(ctx.round.id)} has no earlier round to compare with.</p>")
    previous = str(ctx.round.meta["previous_round"])
    shown = [findings.shares_and_change(p, c) for p, c in zip(comp["previous_share"], comp["current_share"])]
    table = pd.DataFrame({
        "Question": [ctx.codebook.question(q).short(ctx.lang) for q in comp["question"]],
        "Answer": comp[f"label_{ctx.lang}"],
        f"Round {previous}": [f"{c} of {b} ({s[0]})" for c, b, s in
                              zip(comp["previous_count"], comp["previous_base"], shown)],
        f"Round {ctx.round.id}": [f"{c} of {b} ({s[1]})" for c, b, s in
                                  zip(comp["current_count"], comp["current_base"], shown)],
        "Change (points)": [s[2] for s in shown],
        f"{LEVEL} interval of the change": [f"{lo:+.0f} to {hi:+.0f}" for lo, hi in
                                       zip(comp["change_low_pp"], comp["change_high_pp"])],
        "p (Holm)": [f"{p:.3f}" if p >= 0.001 else "< 0.001" for p in comp["p_holm"]],
        "Beyond chance": ["yes" if e else "no" for e in comp["beyond_chance"]],
    })
    csv = comp.to_csv(index=False, float_format="%.4f", lineterminator="\n")
    return HTML(table.to_html(index=False, border=0, classes="councils-numbers")
                + _download_link(csv, f"comparison-{previous}-{ctx.round.id}.csv"))


def figure(ctx: Context, number: int):
    """The report's figure ``number`` as an Altair chart, for this round and language."""
    from councils.charts import figure_chart

    return figure_chart(_figure_rows(ctx, number), number, ctx.lang, ctx.codebook)


def _figure_rows(ctx: Context, number: int) -> pd.DataFrame:
    ids = [q.id for q in ctx.codebook.figure_questions(number)]
    return ctx.table[ctx.table["question"].isin(ids)]


def glue_figure(ctx: Context, number: int) -> None:
    """Glue ``fig<number>`` (the chart) and ``fig<number>.caption`` for a ``{glue:figure}``."""
    rows = _figure_rows(ctx, number)
    base = int(rows["base"].max())
    multiple = any(ctx.codebook.question(q).type == "multiple_choice" for q in rows["question"].unique())
    grouped = set(rows["kind"]) == {"group"}
    caption = f"Answers of the {wording.councils(base)} that answered"
    if multiple:
        caption += "; a council could give more than one answer, so shares add up to more than 100%"
    if grouped:
        caption += "; this round holds these answers only as combined groups"
    caption += f". Thin lines mark the {LEVEL} interval for all councils asked." if len(set(rows["question"])) == 1 \
        else "."
    _glue(f"fig{number}", figure(ctx, number))
    _glue(f"fig{number}.caption", caption)


def figure_table_csv(ctx: Context, number: int) -> str:
    """The numbers behind a figure, as CSV text."""
    rows = _figure_rows(ctx, number).assign(label=lambda t: t[f"label_{ctx.lang}"])
    return rows[CSV_COLUMNS].to_csv(index=False, float_format="%.4f", lineterminator="\n")


def numbers_table(ctx: Context, number: int):
    """The numbers behind a figure, collapsed under it, with a CSV download (a data: link, no file)."""
    from IPython.display import HTML

    rows = _figure_rows(ctx, number)
    several = rows["question"].nunique() > 1
    asked = ctx.round.population
    shown = pd.DataFrame({
        **({"Question": [ctx.codebook.question(q).short(ctx.lang) for q in rows["question"]]} if several else {}),
        "Answer": rows[f"label_{ctx.lang}"],
        "Councils": rows["count"].astype(int),
        "Of": rows["base"].astype(int),
        "Share": [pct(s) for s in rows["share"]],
        f"{LEVEL} interval ({asked} councils asked)": [
            f"{pct(lo)} to {pct(hi)}" for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        "Bounds with no assumption about non-response": [
            f"{pct(lo)} to {pct(hi)}" for lo, hi in zip(rows["bound_low"], rows["bound_high"])],
    })
    table_html = shown.to_html(index=False, classes="councils-numbers", border=0, escape=True)
    link = _download_link(figure_table_csv(ctx, number), f"figure-{number}-round-{ctx.round.id}.csv")
    return HTML(f'<details class="councils-numbers"><summary>Numbers behind figure {number}</summary>\n'
                f"{table_html}\n{link}</details>")


def _download_link(csv: str, filename: str) -> str:
    """A CSV download as a data: link, so that the site needs no extra file and fetches nothing."""
    href = "data:text/csv;charset=utf-8," + urllib.parse.quote(csv)
    return (f'<p><a class="councils-download" download="{html.escape(filename)}" href="{href}">'
            "Download this table as CSV</a></p>")


def questionnaire(lang_order: tuple[str, ...] = ("da", "en")):
    """The questionnaire as the codebook holds it: every question and option, Danish and English."""
    from IPython.display import HTML

    cb = load_codebook()
    parts = []
    for number, q in enumerate(cb.questions, start=1):
        where = f"section {q.section}" + (f", figure {q.figure}" if q.figure else "")
        kind = {"single_choice": "one answer", "text": "free text",
                "multiple_choice": f"at most {q.max_answers} answers" if q.max_answers else "several answers"}[q.type]
        parts.append(
            f'<section class="councils-question" id="q-{q.id}"><p><strong>{number}. {html.escape(q.da)}</strong><br>'
            f"<em>{html.escape(q.en)}</em></p>"
            f"<p><small>Id <code>{q.id}</code>; {kind}; report {where}; wording: {html.escape(q.wording)}.</small></p>"
        )
        if q.options:
            rows = pd.DataFrame({
                "Code": [o.code for o in q.options],
                "Dansk": [o.da for o in q.options],
                "English": [o.en + (" *" if o.assumed else "") for o in q.options],
            })
            parts.append(rows.to_html(index=False, border=0, classes="councils-options"))
        if q.groups:
            groups = "; ".join(f"<code>{g.code}</code> = {html.escape(g.en)} ({', '.join(g.members)})" for g in q.groups)
            parts.append(f"<p><small>Groups: {groups}.</small></p>")
        parts.append("</section>")
    return HTML("\n".join(parts))


def thresholds():
    """The quantity words and the thresholds that choose them, from councils.wording (appendix B)."""
    from IPython.display import HTML

    w = wording
    few, minority, half, most = (pct(float(x)) for x in (w.FEW_BELOW, w.MINORITY_BELOW, w.ABOUT_HALF_TO, w.MOST_FROM))
    rows = [("none", "no council"), ("few", f"more than none, under {few}"),
            ("minority", f"{few} up to, not including, {minority}"),
            ("about_half", f"{minority} to {half}, but not exactly one half"),
            ("half", "exactly one half"),
            ("majority", f"over {half}, under {most}"),
            ("most", f"{most} or more, but not all"), ("all", "every council")]
    table = pd.DataFrame({"Word": [w.QUANTITY_WORDS["en"][k] for k, _ in rows],
                          "Share of the responding councils": [r for _, r in rows]})
    return HTML(table.to_html(index=False, border=0, classes="councils-numbers"))


def free_text(ctx: Context):
    """The respondents' own words, as plain text in a table (never read as HTML or Markdown)."""
    from IPython.display import HTML

    from councils.validate import RESPONDENT_ID, load_checked

    texts = [q for q in ctx.codebook.questions if q.type == "text"]
    if ctx.round.kind == "published_counts":
        return HTML(f"<p>Round {html.escape(ctx.round.id)} holds published counts only, so it has no free-text "
                    "answers to show.</p>")
    if ctx.round.meta.get("withhold_free_text"):
        return HTML(f"<p>The free-text answers of round {html.escape(ctx.round.id)} are withheld "
                    "(<code>withhold_free_text</code> in its <code>round.yaml</code>).</p>")
    frame = load_checked(ctx.round)
    parts = []
    for q in texts:
        given = frame[frame[q.id].str.strip() != ""]
        if given.empty:
            parts.append(f"<p>{html.escape(q.en)}: no council wrote an answer.</p>")
            continue
        table = pd.DataFrame({"Council": given[RESPONDENT_ID], "Answer": given[q.id]})
        parts.append(f"<p><strong>{html.escape(q.en)}</strong> ({wording.councils(len(given))} wrote an answer)</p>"
                     + table.to_html(index=False, border=0, escape=True, classes="councils-free-text"))
    return HTML("\n".join(parts))


def sources_table(ctx: Context):
    """Every number the round holds, with where it comes from (published counts) or how it was made."""
    from IPython.display import HTML

    t = ctx.table
    shown = pd.DataFrame({
        "Question": t["question"], "Category": t["category"], "Kind": t["kind"],
        "Count": t["count"].astype(int), "Base": t["base"].astype(int), "Basis": t["basis"],
    })
    if ctx.round.kind == "published_counts":
        from councils.validate import load_checked

        source = load_checked(ctx.round).set_index(["question", "category"])["source"]
        shown["Source in the report"] = [source.get((q, c), "") for q, c in zip(t["question"], t["category"])]
    return HTML(shown.to_html(index=False, border=0, classes="councils-sources"))
