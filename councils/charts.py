"""Altair figures of the report, the one house theme, and an offline, deterministic HTML renderer.

Charts receive frequency tables (councils.tables), never respondent rows, so a page's size does not
grow with the number of respondents. Labels come from the codebook through those tables.
"""

from __future__ import annotations

import hashlib
import html
import json
import textwrap

import altair as alt
import pandas as pd

from councils.codebook import Codebook, load_codebook

THEME = "councils"
RENDERER = "councils-offline"
# Okabe & Ito's palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BAR_COLOUR = PALETTE[0]
WIDTH = 320  # plot area; with labels a chart stays within the book's text column
LABEL_LIMIT = 200
TITLE_CHARACTERS = 58  # longer titles wrap onto more lines instead of being cut



def house_theme() -> alt.theme.ThemeConfig:
    """One look for every figure: system fonts (nothing fetched), quiet axes, the palette above."""
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
    return {
        "config": {
            "font": font,
            "view": {"stroke": None, "continuousWidth": WIDTH},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#555"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6", "domainColor": "#999"},
            "axisY": {"labelLimit": LABEL_LIMIT},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "vertical",
                       "labelLimit": 420},
            "range": {"category": PALETTE},
            "bar": {"color": BAR_COLOUR},
        }
    }


def _render(spec: dict, **_options) -> dict:
    """Mimebundle whose script draws with the site's own vega-embed; the id depends on the spec only."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    chart_id = "vis-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    label = html.escape(spec.get("description", "Chart"), quote=True)
    payload = text.replace("</", "<\\/")  # a label holding '</script>' must not end the script
    markup = (
        f'<div class="councils-chart" role="figure" aria-label="{label}">'
        f'<div id="{chart_id}"></div></div>\n'
        "<script>(function () {\n"
        f"  var spec = {payload};\n"
        f"  function draw() {{ vegaEmbed('#{chart_id}', spec, {{renderer: 'svg', actions: false}}); }}\n"
        "  if (window.vegaEmbed) { draw(); } else { window.addEventListener('load', draw); }\n"
        "})();</script>"
    )
    return {"text/html": markup}


def enable() -> None:
    """Register and switch on the house theme and the offline renderer (once per process)."""
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(house_theme)
    alt.theme.enable(THEME)
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)


def _chart_rows(table: pd.DataFrame, codebook: Codebook, lang: str) -> pd.DataFrame:
    """Rows a figure draws: each question's options when the round has them, else its groups."""
    parts = []
    for question_id, rows in table.groupby("question", sort=False):
        answers = rows[rows["kind"].isin(["option", "missing"])]
        rows = answers if not answers.empty else rows[rows["kind"] == "group"]
        q = codebook.question(question_id)
        parts.append(rows.assign(question_label=q.short(lang), order=range(len(rows))))
    data = pd.concat(parts, ignore_index=True)
    return data.assign(
        label=data[f"label_{lang}"],
        share_text=[f"{c} ({s:.0%})" for c, s in zip(data["count"], data["share"])],
        interval=[f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(data["ci_low"], data["ci_high"])],
    )[["question", "question_label", "category", "label", "order", "count", "base", "share",
       "ci_low", "ci_high", "interval", "share_text"]]


def text_alternative(table: pd.DataFrame, title: str, lang: str = "en", codebook: Codebook | None = None) -> str:
    """What the chart shows, in one sentence per bar, for screen readers."""
    codebook = codebook or load_codebook()
    data = _chart_rows(table, codebook, lang)
    words = codebook.words(lang)
    several = data["question_label"].nunique() > 1
    parts = [f"{(r.question_label + ', ') if several else ''}{r.label}: {r.count} / {r.base} ({r.share:.0%})"
             for r in data.itertuples()]
    lead = title if title.endswith(("?", ".", "!")) else f"{title}."
    return f"{lead} {words['count']}: " + "; ".join(parts) + "."


def figure_chart(table: pd.DataFrame, number: int, lang: str = "en", codebook: Codebook | None = None) -> alt.Chart:
    """The report's figure ``number`` as a horizontal bar chart of shares, from its frequency-table rows.

    A figure with one question draws one bar per answer (groups when the round has only those);
    a figure with several questions (figure 7) draws one stacked bar per question.
    """
    codebook = codebook or load_codebook()
    enable()
    words = codebook.words(lang)
    questions = codebook.figure_questions(number)
    if not questions:
        raise KeyError(f"the codebook has no figure {number}")
    rows = table[table["question"].isin([q.id for q in questions])]
    if rows.empty:
        raise KeyError(f"the round holds no counts for figure {number}")
    data = _chart_rows(rows, codebook, lang)
    base = int(data["base"].max())
    title_text = codebook.figure_title(number, lang)
    subtitle = [words["n"].format(base=base)]
    if any(q.type == "multiple_choice" for q in questions):
        subtitle.append(words["several"])
    heading = f"{words['figure'].format(number=number)}. {title_text}"
    title = alt.Title(textwrap.wrap(heading, TITLE_CHARACTERS), subtitle=subtitle)
    tooltip = [
        alt.Tooltip("question_label:N").title(words["question"]),
        alt.Tooltip("label:N").title(words["category"]),
        alt.Tooltip("count:Q").title(words["count"]),
        alt.Tooltip("base:Q").title(words["base"]),
        alt.Tooltip("share:Q").title(words["share"]).format(".0%"),
        alt.Tooltip("interval:N").title(words["interval"]),
    ]
    description = text_alternative(rows, heading, lang, codebook)
    share_axis = alt.X("share:Q").title(words["share"]).axis(format="%").scale(domain=[0, 1])
    if len(questions) == 1:
        order = list(data.sort_values("order")["label"])
        y = alt.Y("label:N").title(None).sort(order)
        bars = alt.Chart(data).mark_bar().encode(share_axis, y, tooltip=tooltip)
        interval = alt.Chart(data).mark_rule(color="#333", opacity=0.55).encode(
            alt.X("ci_low:Q"), alt.X2("ci_high:Q"), y)
        labels = alt.Chart(data).mark_text(align="left", dx=4, fontSize=12).encode(
            alt.X("ci_high:Q"), y, alt.Text("share_text:N"))
        chart = (bars + interval + labels).properties(height=alt.Step(28))
    else:
        order = list(dict.fromkeys(data.sort_values("order")["label"]))
        colour = alt.Color("label:N").title(words["category"]).sort(order)
        chart = alt.Chart(data).mark_bar().encode(
            share_axis, alt.Y("question_label:N").title(None), colour,
            alt.Order("order:Q"), tooltip=tooltip,
        ).properties(height=alt.Step(40))
    return chart.properties(title=title, width=WIDTH, description=description)


def comparison_chart(comparison: pd.DataFrame, previous: str, current: str, lang: str = "en",
                     codebook: Codebook | None = None) -> alt.LayerChart:
    """Each compared share's change between two rounds, with its interval, sorted; changes beyond chance marked.

    From :func:`councils.tables.comparison_table`: one row per compared category; the dot is the
    change in percentage points, the line its interval, and the colour says whether the change is
    beyond chance once the number of comparisons is allowed for.
    """
    from councils.findings import shares_and_change

    codebook = codebook or load_codebook()
    enable()
    words = codebook.words(lang)
    label = [f"{codebook.question(q).short(lang)}: {c}" for q, c in zip(comparison["question"], comparison[f"label_{lang}"])]
    shown = [shares_and_change(p, c) for p, c in zip(comparison["previous_share"], comparison["current_share"])]
    data = pd.DataFrame({
        "label": label,
        "change": comparison["change_pp"].round(2), "low": comparison["change_low_pp"].round(2),
        "high": comparison["change_high_pp"].round(2),
        "verdict": [words["beyond_chance"] if b else words["within_chance"] for b in comparison["beyond_chance"]],
        "shares": [f"{p} → {c}" for p, c, _ in shown],
        "points": [d for _, _, d in shown],
        "previous": [f"{c} / {b}" for c, b in zip(comparison["previous_count"], comparison["previous_base"])],
        "current": [f"{c} / {b}" for c, b in zip(comparison["current_count"], comparison["current_base"])],
    })
    order = list(data.sort_values("change", kind="stable")["label"])
    title = words["comparison"].format(previous=previous, current=current)
    y = alt.Y("label:N").title(None).sort(order)
    x_scale = alt.Scale(domain=[-100, 100])
    colour = alt.Color("verdict:N").title(None).scale(
        domain=[words["beyond_chance"], words["within_chance"]], range=[PALETTE[5], "#888888"])
    tooltip = [alt.Tooltip("label:N").title(words["category"]),
               alt.Tooltip("previous:N").title(words["round"] + " " + previous),
               alt.Tooltip("current:N").title(words["round"] + " " + current),
               alt.Tooltip("shares:N").title(words["share"]),
               alt.Tooltip("points:N").title(words["change"]),
               alt.Tooltip("verdict:N").title(words["verdict"])]
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#333").encode(alt.X("zero:Q").scale(x_scale))
    rules = alt.Chart(data).mark_rule(strokeWidth=2).encode(
        alt.X("low:Q").scale(x_scale).title(words["change"]), alt.X2("high:Q"), y, colour)
    dots = alt.Chart(data).mark_point(filled=True, size=60).encode(alt.X("change:Q").scale(x_scale), y, colour,
                                                                   tooltip=tooltip)
    values = alt.Chart(data).mark_text(align="left", dx=6, fontSize=11).encode(
        alt.X("high:Q").scale(x_scale), y, alt.Text("shares:N"))
    parts = [f"{lab}: {s} ({d} {words['points']}; {v})" for lab, s, d, v in
             zip(data["label"], data["shares"], data["points"], data["verdict"])]
    return (zero + rules + dots + values).properties(
        title=alt.Title(textwrap.wrap(title, TITLE_CHARACTERS)), width=WIDTH, height=alt.Step(20),
        description=f"{title}. " + "; ".join(parts) + ".")
