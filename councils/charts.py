"""Altair figures of the report, the one house theme, and the renderers for the site and for Jupyter.

Charts receive frequency tables (councils.tables), never respondent rows, so a page's size does not
grow with the number of respondents. Every word on a chart comes from the codebook: questions and
options through those tables, other words from ``chart_labels`` (``Codebook.words``).

Charts take the width of the column they are drawn in (Vega-Lite's ``width: "container"``) and never
cut a word: labels are wrapped in Python into lines of at most ``LABEL_CHARACTERS`` and handed to the
axis as lists of lines (``labelExpr``), titles into lines that fit a 320 px phone, and no limit is set
that would let Vega shorten a text with "…".
"""

from __future__ import annotations

import hashlib
import html
import json
import math

import altair as alt
import pandas as pd

from councils.codebook import Codebook, Question, load_codebook
from councils.wording import pct, shares_and_change

THEME = "councils"
RENDERER = "councils-offline"
# The Vega-Lite MIME types of a chart for Jupyter front ends. Altair 6's own type,
# 'application/vnd.vegalite.v6.json', is not a JSON type to nbformat (its schema wants a string there),
# so the standard '+json' form is used. JupyterLab 4.6 and VS Code draw Vega-Lite up to v5 only: the
# v5 type carries the same spec, which Vega-Lite 5 compiles (tests/test_charts.py checks it does).
VEGALITE_MIME = "application/vnd.vegalite.v6+json"
VEGALITE5_MIME = "application/vnd.vegalite.v5+json"
VEGALITE5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
JUPYTER_WIDTH = 600

# Okabe & Ito's palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BAR_COLOUR = PALETTE[0]
# An ordered scale is drawn dark (its first option in the codebook) to light; each step keeps at least
# 3:1 contrast with the white background (WCAG's rule for graphics).
ORDINAL_RAMP = ["#08306b", "#08519c", "#2171b5", "#4a7fc1"]
NO_ANSWER_GREY = "#8c8c8c"
# One mode only: charts keep their own white background and dark text, in the site's light and dark
# modes alike (the site opens in light mode; in dark mode a chart reads as a white card).
BACKGROUND = "#ffffff"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#555555"

# Answers that are not a position on any scale: drawn grey and sorted last.
NO_ANSWER_CODES = frozenset({"dont_know"})
# A residual option of a multiple-choice question: sorted last whatever its count.
RESIDUAL_CODES = frozenset({"other"})

LABEL_CHARACTERS = 16  # an axis label line: about 105 px at 12 px, so a phone keeps room for the bars
TITLE_CHARACTERS = 30  # a bold title line at 14 px fits the 272 px text column of a 320 px phone
SUBTITLE_CHARACTERS = 36
LINE_HEIGHT = 14
PADDING = 8
VALUE_CHARACTER_EM = 0.58  # a generous width of one character of a value label ("28 (93%)"), in ems
BAR_THICKNESS = 18
VALUE_DX = 4  # gap between the end of a bar's interval and its value
VALUE_FONT_SIZE = 12
COMPARISON_VALUE_FONT_SIZE = 11
HEADER_PREFIX = "#"  # key of a question's heading row in a figure of several questions
ROW_GAP = 12  # between the labels of two rows


def house_theme() -> alt.theme.ThemeConfig:
    """One look for every figure: system fonts (nothing fetched), quiet axes, no text ever shortened."""
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
    return {
        "config": {
            "font": font,
            "background": BACKGROUND,
            "padding": PADDING,
            "view": {"stroke": None},
            "title": {"anchor": "start", "fontSize": 14, "subtitleFontSize": 12, "color": TEXT_COLOUR,
                      "subtitleColor": MUTED_COLOUR, "limit": 0, "offset": 10},
            # labelLimit 0: Vega never cuts a label with "…" (long ones are wrapped into lines instead).
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6", "domainColor": "#999",
                     "tickColor": "#999", "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "labelLimit": 0,
                     "labelLineHeight": LINE_HEIGHT},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "vertical",
                       "labelLimit": 0, "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
            "text": {"color": TEXT_COLOUR, "fontSize": 12},
            "range": {"category": PALETTE},
            "bar": {"color": BAR_COLOUR},
        }
    }


def _chart_id(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return "vis-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _render(spec: dict, **_options) -> dict:
    """Mimebundle for the book: HTML that the site's own vega-embed draws; the id depends on the spec only.

    No Vega-Lite type here: myst-nb renders every type of a glued bundle while it reads a notebook and
    warns about one it has no renderer for (a failure under ``-W``), whatever ``nb_mime_priority_overrides``
    says. JupyterLab would pick ``text/html`` over Vega-Lite and find no vega-embed: :func:`show` is for it.
    """
    chart_id = _chart_id(spec)
    label = html.escape(spec.get("description", "Chart"), quote=True)
    payload = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")  # no early </script>
    markup = (
        f'<div class="councils-chart" role="figure" aria-label="{label}">'
        f'<div id="{chart_id}"></div></div>\n'
        "<script>(function () {\n"
        f"  var spec = {payload};\n"
        f"  function draw() {{ vegaEmbed('#{chart_id}', spec, {{renderer: 'svg', actions: false}}); }}\n"
        "  if (window.vegaEmbed) { draw(); } else { window.addEventListener('load', draw); }\n"
        "})();</script>"
    )
    return {"text/html": markup, "text/plain": spec.get("description", "Chart")}


def chart_html(chart: alt.TopLevelMixin, lang: str = "en") -> str:
    """The HTML of one chart for embedding inside a larger block (a figure with its caption), as the site draws it."""
    return _render(chart.to_dict())["text/html"]


def jupyter_bundle(spec: dict) -> dict:
    """Mimebundle that JupyterLab and VS Code draw themselves: the Vega-Lite types and a text alternative, no HTML.

    The chart gets a fixed width there: in JupyterLab 4.6 a chart that takes its container's width
    hangs the page (the output's width follows the chart's, which follows the output's).
    """
    fixed = {**spec, "width": JUPYTER_WIDTH}
    return {
        VEGALITE_MIME: fixed,
        VEGALITE5_MIME: {**fixed, "$schema": VEGALITE5_SCHEMA},
        "text/plain": spec.get("description", "Chart"),
    }


def show(chart: alt.TopLevelMixin) -> None:
    """Display a chart in a notebook for its author (JupyterLab, VS Code); the book's own copy is glued."""
    from IPython.display import display

    display(jupyter_bundle(chart.to_dict()), raw=True)


def enable() -> None:
    """Register and switch on the house theme and the offline renderer (once per process)."""
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(house_theme)
    alt.theme.enable(THEME)
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)


def wrap(text: str, width: int, lang: str = "en") -> list[str]:
    """``text`` as lines of at most ``width`` characters, broken between words.

    A word longer than a line is hyphenated at its syllables (pyphen's dictionary of ``lang``): Danish
    compounds such as "Sekretariatsbetjeningen" are longer than a phone's label column. A line is wider
    than ``width`` only when a single syllable is.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        if len(word) > width:
            # the first piece continues the current line (it may be empty); the others are lines of their own
            first, *rest = _syllable_lines(word, width, width - len(line) - 1 if line else width, lang)
            line = f"{line} {first}".strip()
            if rest:
                lines += ([line] if line else []) + rest[:-1]
                line = rest[-1]
        elif not line or len(line) + 1 + len(word) <= width:
            line = f"{line} {word}".strip()
        else:
            lines.append(line)
            line = word
    return lines + [line] if line or not lines else lines


def _syllable_lines(word: str, width: int, first: int, lang: str) -> list[str]:
    """A long word broken at syllables: the first piece fits ``first`` characters, the others ``width``.

    Every piece but the last ends in a hyphen. With no syllable break that fits, the first piece is
    empty (the word starts a line of its own) or, on a line of its own, the word is left whole.
    """
    import pyphen

    breaks = pyphen.Pyphen(lang="da_DK" if lang == "da" else "en_GB").positions(word)
    pieces, start, room = [], 0, first
    while len(word) - start > room:
        fits = [b for b in breaks if start < b and b - start + 1 <= room]
        if not fits:
            if room == width:  # even a whole line holds no syllable break: the rest stays whole
                break
            pieces.append("")
        else:
            pieces.append(word[start:fits[-1]] + "-")
            start = fits[-1]
        room = width
    return pieces + [word[start:]]


def _is_no_answer(code: str, codebook: Codebook) -> bool:
    return code in NO_ANSWER_CODES or code == codebook.missing.code


def _display_order(rows: pd.DataFrame, question: Question, codebook: Codebook) -> pd.DataFrame:
    """A question's rows in display order: codebook order, or by count for a multiple-choice question.

    Ordered scales and every single-choice question keep the codebook's order, so a scale reads from one
    end to the other. Options of a multiple-choice question have no order of their own and are sorted
    by count, largest first (ties in codebook order). Either way "other", "don't know" and "not stated"
    come last.
    """
    rows = rows.sort_values("order", kind="stable")
    if question.type == "multiple_choice":
        rows = rows.sort_values("count", ascending=False, kind="stable")
    last = rows["category"].map(lambda c: c in RESIDUAL_CODES or _is_no_answer(c, codebook))
    return pd.concat([rows[~last], rows[last].sort_values("order", kind="stable")])


def ordinal_colours(count: int) -> list[str]:
    """``count`` colours of the ordinal ramp, dark to light, spread over its whole range."""
    if count <= 1:
        return ORDINAL_RAMP[:count]
    last = len(ORDINAL_RAMP) - 1
    return [ORDINAL_RAMP[round(i * last / (count - 1))] for i in range(count)]


def _colours(rows: pd.DataFrame, question: Question, codebook: Codebook) -> dict[str, str]:
    """Colour of each category of a question: an ordered scale dark to light in codebook order, no answer grey."""
    codes = list(rows.sort_values("order", kind="stable")["category"])
    answers = [c for c in codes if not _is_no_answer(c, codebook)]
    ranked = ordinal_colours(len(answers)) if question.ordered else [BAR_COLOUR] * len(answers)
    colours = dict(zip(answers, ranked))
    return {c: colours.get(c, NO_ANSWER_GREY) for c in codes}


def _chart_rows(table: pd.DataFrame, codebook: Codebook, lang: str) -> pd.DataFrame:
    """Rows a figure draws, in display order: each question's options when the round has them, else its groups."""
    parts = []
    for question_id, rows in table.groupby("question", sort=False):
        answers = rows[rows["kind"].isin(["option", "missing"])]
        rows = answers if not answers.empty else rows[rows["kind"] == "group"]
        q = codebook.question(question_id)
        rows = rows.assign(question_label=q.short(lang), order=range(len(rows)))
        colours = _colours(rows, q, codebook)
        parts.append(_display_order(rows, q, codebook).assign(colour=lambda t: t["category"].map(colours)))
    data = pd.concat(parts, ignore_index=True)
    return data.assign(
        row=data["question"] + ":" + data["category"],
        label=data[f"label_{lang}"],
        lines=[wrap(label, LABEL_CHARACTERS, lang) for label in data[f"label_{lang}"]],
        share_text=[f"{c} ({pct(s, lang)})" for c, s in zip(data["count"], data["share"])],
        interval=[f"{pct(lo, lang)}–{pct(hi, lang)}" for lo, hi in zip(data["ci_low"], data["ci_high"])],
    )[["question", "question_label", "category", "row", "label", "lines", "order", "count", "base", "share",
       "ci_low", "ci_high", "interval", "share_text", "colour"]]


def _rows_axis(keys: list[str], lines: dict[str, list[str]],
               headers: list[str] = ()) -> tuple[dict[str, int], alt.Y, int]:
    """The y position of each row key, the y encoding that labels them, and the chart's height in pixels.

    Each row is as tall as its own label (a band scale would make every row as tall as the longest);
    the axis draws each row's lines of text at its position, headings in bold, and never drops a label.
    """
    heights = [max(len(lines[key]) * LINE_HEIGHT, BAR_THICKNESS) + ROW_GAP for key in keys]
    centres = {key: sum(heights[:i]) + heights[i] // 2 for i, key in enumerate(keys)}
    total = sum(heights)
    labels = {str(centres[key]): lines[key] for key in keys}
    # Vega puts the first line of a label at its tick: a label of n lines is raised by (n - 1) / 2 lines.
    raised: dict[float, list[str]] = {}
    for key in keys:
        if len(lines[key]) > 1:
            raised.setdefault(-(len(lines[key]) - 1) * LINE_HEIGHT / 2, []).append(str(centres[key]))
    axis = {"values": [centres[key] for key in keys], "grid": False, "labelOverlap": False, "labelLimit": 0,
            "labelExpr": json.dumps(labels, ensure_ascii=False, separators=(",", ":")) + "[datum.value]"}
    if raised:
        axis["labelOffset"] = {"condition": [
            {"test": f"indexof({json.dumps(positions)}, '' + datum.value) >= 0", "value": offset}
            for offset, positions in sorted(raised.items())], "value": 0}
    if headers:
        positions = json.dumps([str(centres[key]) for key in headers])
        axis["labelFontWeight"] = {"condition": {"test": f"indexof({positions}, '' + datum.value) >= 0",
                                                 "value": "bold"}, "value": "normal"}
    y = alt.Y("y:Q").title(None).scale(domain=[0, total], reverse=True, nice=False, zero=False).axis(**axis)
    return centres, y, total


def _value_room(values: pd.Series, font_size: int) -> int:
    """Pixels kept free right of the scale's end for the value written beside the longest bar.

    Values are drawn past the end of a bar or interval, which may reach the end of the scale; Vega's
    ``fit`` sizing does not count marks beyond the plot, so the scale ends this much short of it.
    """
    return VALUE_DX + math.ceil(VALUE_CHARACTER_EM * font_size * max(len(v) for v in values))


def _x_scale(domain: list[float], values: pd.Series, font_size: int) -> alt.Scale:
    return alt.Scale(domain=domain, range=[0, {"expr": f"width - {_value_room(values, font_size)}"}])


def _subtitle(*sentences: str) -> list[str]:
    return [line for sentence in sentences for line in wrap(sentence, SUBTITLE_CHARACTERS)]


def text_alternative(table: pd.DataFrame, title: str, lang: str = "en", codebook: Codebook | None = None) -> str:
    """What the chart shows, in one sentence per bar in the chart's order, for screen readers."""
    codebook = codebook or load_codebook()
    data = _chart_rows(table, codebook, lang)
    words = codebook.words(lang)
    several = data["question_label"].nunique() > 1
    parts = [f"{(r.question_label + ', ') if several else ''}{r.label}: {r.count} / {r.base} ({pct(r.share, lang)})"
             for r in data.itertuples()]
    lead = title if title.endswith(("?", ".", "!")) else f"{title}."
    return f"{lead} {words['count']}: " + "; ".join(parts) + "."


def figure_chart(table: pd.DataFrame, number: int, lang: str = "en", codebook: Codebook | None = None,
                 round_id: str | None = None) -> alt.LayerChart:
    """The report's figure ``number`` as horizontal bars of shares, from its frequency-table rows.

    One bar per answer (groups when the round has only those), each with its interval and its count and
    share written beside it. A figure of several questions (figure 7) draws each question's bars under
    the question's name in bold. ``round_id`` names the round in the chart's source line.
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
    source = (words["source"].format(round=round_id, base=base) if round_id is not None
              else words["n"].format(base=base))
    notes = [words["several"]] if any(q.type == "multiple_choice" for q in questions) else []
    title = alt.Title(wrap(title_text, TITLE_CHARACTERS, lang), subtitle=_subtitle(source, *notes))

    lines = dict(zip(data["row"], data["lines"]))
    order, headers = list(data["row"]), []
    if len(questions) > 1:
        order = []
        for q in questions:
            header = HEADER_PREFIX + q.id
            headers.append(header)
            lines[header] = wrap(q.short(lang), LABEL_CHARACTERS, lang)
            order += [header, *data.loc[data["question"] == q.id, "row"]]
    centres, y, height = _rows_axis(order, lines, headers)
    data = data.assign(y=data["row"].map(centres))
    colours = dict(zip(data["category"], data["colour"]))
    tooltip = [
        alt.Tooltip("question_label:N").title(words["question"]),
        alt.Tooltip("label:N").title(words["category"]),
        alt.Tooltip("count:Q").title(words["count"]),
        alt.Tooltip("base:Q").title(words["base"]),
        alt.Tooltip("share:Q").title(words["share"]).format(".0%"),
        alt.Tooltip("interval:N").title(words["interval"]),
    ]
    share_axis = alt.X("share:Q").title(words["share"]).axis(format="%", labelFlush=True, labelOverlap=True).scale(
        _x_scale([0, 1], data["share_text"], VALUE_FONT_SIZE))
    colour = alt.Color("category:N").scale(domain=list(colours), range=list(colours.values())).legend(None)
    bars = alt.Chart(data).mark_bar(orient="horizontal", size=BAR_THICKNESS).encode(share_axis, y, colour,
                                                                                  tooltip=tooltip)
    interval = alt.Chart(data).mark_rule(color="#333", opacity=0.55).encode(
        alt.X("ci_low:Q"), alt.X2("ci_high:Q"), y)
    values = alt.Chart(data).mark_text(align="left", dx=VALUE_DX, fontSize=VALUE_FONT_SIZE).encode(
        alt.X("ci_high:Q"), y, alt.Text("share_text:N"))
    return _localised((bars + interval + values).properties(
        title=title, width="container", height=height,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        description=text_alternative(rows, title_text, lang, codebook)), lang)


# Vega's number formats for the Danish edition (axes and tooltips): decimal comma, thousands point, '50 %'.
DANISH_NUMBERS = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0kr."],
                  "percent": "\u00a0%"}


def _localised(chart: alt.TopLevelMixin, lang: str):
    """The chart with Vega's number locale of its language (Danish; English is Vega's default)."""
    return chart.configure(locale={"number": DANISH_NUMBERS}) if lang == "da" else chart


def comparison_chart(comparison: pd.DataFrame, previous: str, current: str, lang: str = "en",
                     codebook: Codebook | None = None) -> alt.LayerChart:
    """Each compared share's change between two rounds, with its interval, sorted; changes beyond chance marked.

    From :func:`councils.tables.comparison_table`: one row per compared category; the dot is the
    change in percentage points, the line its interval, and the colour says whether the change is
    beyond chance once the number of comparisons is allowed for.
    """
    codebook = codebook or load_codebook()
    enable()
    words = codebook.words(lang)
    label = [f"{codebook.question(q).short(lang)}: {c}"
             for q, c in zip(comparison["question"], comparison[f"label_{lang}"])]
    shown = [shares_and_change(p, c, lang) for p, c in zip(comparison["previous_share"], comparison["current_share"])]
    data = pd.DataFrame({
        "row": [f"{q}:{c}" for q, c in zip(comparison["question"], comparison["category"])],
        "label": label,
        "lines": [wrap(text, LABEL_CHARACTERS, lang) for text in label],
        "change": comparison["change_pp"].round(2), "low": comparison["change_low_pp"].round(2),
        "high": comparison["change_high_pp"].round(2),
        "verdict": [words["beyond_chance"] if b else words["within_chance"] for b in comparison["beyond_chance"]],
        "shares": [f"{p} → {c}" for p, c, _ in shown],
        "points": [d for _, _, d in shown],
        "previous": [f"{c} / {b}" for c, b in zip(comparison["previous_count"], comparison["previous_base"])],
        "current": [f"{c} / {b}" for c, b in zip(comparison["current_count"], comparison["current_base"])],
    })
    data = data.sort_values("change", kind="stable").reset_index(drop=True)
    centres, y, total = _rows_axis(list(data["row"]), dict(zip(data["row"], data["lines"])))
    data["y"] = data["row"].map(centres)
    title = words["comparison"].format(previous=previous, current=current)
    source = words["source_comparison"].format(
        previous=previous, current=current, previous_base=int(comparison["previous_base"].max()),
        current_base=int(comparison["current_base"].max()))
    x_scale = _x_scale([-100, 100], data["shares"], COMPARISON_VALUE_FONT_SIZE)
    verdicts = [words["beyond_chance"], words["within_chance"]]
    legend_lines = {v: wrap(v, LABEL_CHARACTERS, lang) for v in verdicts}
    colour = alt.Color("verdict:N").title(None).scale(domain=verdicts, range=[PALETTE[5], "#767676"]).legend(
        labelExpr=json.dumps(legend_lines, ensure_ascii=False, separators=(",", ":")) + "[datum.value]")
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
    values = alt.Chart(data).mark_text(align="left", dx=VALUE_DX, fontSize=COMPARISON_VALUE_FONT_SIZE).encode(
        alt.X("high:Q").scale(x_scale), y, alt.Text("shares:N"))
    parts = [f"{lab}: {s} ({d} {words['points']}; {v})" for lab, s, d, v in
             zip(data["label"], data["shares"], data["points"], data["verdict"])]
    return _localised((zero + rules + dots + values).properties(
        title=alt.Title(wrap(title, TITLE_CHARACTERS, lang), subtitle=_subtitle(source)), width="container", height=total,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        description=f"{title}. " + "; ".join(parts) + "."), lang)


TREND_HEIGHT = 220
TREND_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]


def trend_chart(rows: pd.DataFrame, question: Question, rounds: list[str], breaks: list[str], lang: str = "en",
                codebook: Codebook | None = None) -> alt.LayerChart:
    """One question's shares in every round of the series that asked it, with each round's interval.

    ``rows`` are the question's rows of :func:`councils.tables.trends`; ``rounds`` the series in order;
    ``breaks`` the rounds at which the question's series breaks: lines never cross a break, and a dashed
    rule with the word 'break' marks it. Each answer has its own colour and its own point shape, so the
    lines can be told apart in greyscale.
    """
    codebook = codebook or load_codebook()
    enable()
    words = codebook.words(lang)
    data = rows.assign(
        label=rows[f"label_{lang}"], share_text=[pct(s, lang) for s in rows["share"]],
        counts=[f"{c} / {b}" for c, b in zip(rows["count"], rows["base"])],
        round_label=[words["round"] + " " + r for r in rows["round"]],
        line=[f"{c}:{s}" for c, s in zip(rows["category"], rows["segment"])],
    )[["label", "share", "ci_low", "ci_high", "share_text", "counts", "round_label", "line", "round"]]
    order = [words["round"] + " " + r for r in rounds if r in set(rows["round"])]
    labels = list(dict.fromkeys(data["label"]))
    x = alt.X("round_label:N").sort(order).title(None).axis(labelAngle=0, labelLimit=0)
    y_scale = alt.Scale(domain=[0, 1])
    colour = alt.Color("label:N").title(None).scale(domain=labels, range=PALETTE[:len(labels)] or PALETTE).legend(
        orient="top", direction="vertical", labelLimit=0)
    shape = alt.Shape("label:N").title(None).scale(domain=labels, range=TREND_SHAPES[:len(labels)] or TREND_SHAPES)
    tooltip = [alt.Tooltip("label:N").title(words["category"]), alt.Tooltip("round_label:N").title(words["round"]),
               alt.Tooltip("counts:N").title(words["count"]), alt.Tooltip("share_text:N").title(words["share"])]
    base = alt.Chart(data)
    lines = base.mark_line(strokeWidth=2).encode(x, alt.Y("share:Q").scale(y_scale).axis(format="%", tickCount=5)
                                                 .title(words["share"]), colour, detail="line:N")
    bars = base.mark_rule(strokeWidth=1.5).encode(x, alt.Y("ci_low:Q").scale(y_scale), alt.Y2("ci_high:Q"), colour)
    points = base.mark_point(filled=True, size=70, opacity=1).encode(x, alt.Y("share:Q").scale(y_scale), colour, shape,
                                                                     tooltip=tooltip)
    layers = [lines, bars, points]
    if breaks:
        marks = pd.DataFrame({"round_label": [words["round"] + " " + r for r in breaks],
                              "text": [words.get("break", "break")] * len(breaks)})
        layers.append(alt.Chart(marks).mark_rule(strokeDash=[4, 4], color="#333").encode(
            alt.X("round_label:N").sort(order)))
        layers.append(alt.Chart(marks).mark_text(align="left", dx=4, dy=-4, baseline="bottom", color="#333",
                                                 fontSize=11).encode(alt.X("round_label:N").sort(order),
                                                                     alt.YValue(1), alt.Text("text:N")))
    title = question.short(lang)
    parts = [f"{label}: " + ", ".join(f"{r} {s} ({c})" for r, s, c in
                                       zip(g["round_label"], g["share_text"], g["counts"]))
             for label, g in data.groupby("label", sort=False)]
    breaks_text = (" " + words.get("break", "break").capitalize() + ": " + ", ".join(breaks) + ".") if breaks else ""
    source = words["source_trend"].format(rounds=", ".join(rounds)) if "source_trend" in words else ""
    return _localised(alt.layer(*layers).properties(
        title=alt.Title(wrap(title, TITLE_CHARACTERS, lang), subtitle=_subtitle(source) if source else alt.Undefined),
        width="container", height=TREND_HEIGHT, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        description=f"{title}. " + "; ".join(parts) + "." + breaks_text), lang)
