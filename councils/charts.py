"""Altair figures of the report, the one house theme, and their renderings for the site and for Jupyter.

Charts receive frequency tables (councils.tables), never respondent rows, so a page's size does not
grow with the number of respondents. Every word on a chart comes from the codebook: questions and
options through those tables, other words from ``chart_labels`` (``Codebook.words``).

**Rows charts** (the report's figures and the comparison) draw one row per answer: the answer's label
on lines of its own across the chart's whole width, and its bar (or dot and interval) under it, so that
on a phone the plot keeps most of the width. Label lines are wrapped in Python to the chart's width
(:func:`wrap`, by the pixel widths of the widest common system font), breaking between words, after a
hyphen, or at a soft hyphen (U+00AD) that the codebook's author wrote into a Danish compound. A rows
chart carries what it needs to be laid out at any width in its own spec (``usermeta``), so that
:func:`laid_out` gives the same chart at another width.

**On the site** a chart is inline SVG drawn at build time by vl-convert (:func:`chart_html`): one
drawing per width of ``CHART_WIDTHS``, the page's CSS showing the one nearest its column's width. No
script draws a chart, nothing is fetched, and the drawings print as vector graphics. The drawings are
hidden from assistive technology; their container carries the chart's text alternative.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

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
VEGALITE_VERSION = "6.4"  # the Vega-Lite vl-convert compiles the site's drawings with
JUPYTER_WIDTH = 600
DEFAULT_WIDTH = JUPYTER_WIDTH  # the width a chart's spec is laid out at until it is drawn at another
# The widths each chart is drawn at for the site: a 320 px phone's text column (272 px), a 390 px
# phone's (342 px), and steps of about a quarter up to a desktop's column and the printed page (680 px).
# The site shows the drawing nearest its column's width, scaled to fit by at most about 13%.
CHART_WIDTHS = (272, 342, 440, 560, 680)

# Okabe & Ito's palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BAR_COLOUR = PALETTE[0]
# An ordered scale is drawn dark (its first option in the codebook) to light; each step keeps at least
# 3:1 contrast with the white background (WCAG's rule for graphics).
ORDINAL_RAMP = ["#08306b", "#08519c", "#2171b5", "#4a7fc1"]
NO_ANSWER_GREY = "#8c8c8c"
# A comparison's verdict: beyond chance a filled diamond in vermillion, within chance an open circle in
# grey. Shape and fill tell them apart without colour (in greyscale too); both keep 3:1 on white.
VERDICT_COLOURS = ("#C24E00", "#6f6f6f")
# The three verdicts of a comparison (councils.statistics.VERDICTS): each at least 3:1 on white.
VERDICT_KEY_COLOURS = {"changed_whatever": "#C24E00", "beyond_chance": "#0061A0", "no_clear_change": "#6f6f6f"}
VERDICT_SHAPES = ("diamond", "circle")
VERDICT_FILLS = ("#C24E00", "#ffffff")
# One mode only: charts keep their own white background and dark text, in the site's light and dark
# modes alike (in dark mode a chart reads as a white card).
BACKGROUND = "#ffffff"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#555555"

# Answers that are not a position on any scale: drawn grey and sorted last.
NO_ANSWER_CODES = frozenset({"dont_know"})
# A residual option of a multiple-choice question: sorted last whatever its count.
RESIDUAL_CODES = frozenset({"other"})

FONT_SIZE = 12
TITLE_FONT_SIZE = 14
LINE_HEIGHT = 15  # a line of label text
PADDING = 8
BAR_THICKNESS = 16
LABEL_GAP = 2  # between a row's last label line and its bar
ROW_GAP = 12  # between a bar and the next row's label
HEADER_GAP = 4  # between a question's name (figure 7) and its first answer
TOP_GAP = 6  # between the top of the plot (an axis there) and the first label
VALUE_DX = 4  # gap between the end of a bar's interval and its value
VALUE_FONT_SIZE = 12
COMPARISON_VALUE_FONT_SIZE = 11
MIN_TICK_GAP = 12  # pixels between two tick labels of an axis, at least
HEADER_PREFIX = "#"  # key of a question's heading row in a figure of several questions
SOFT_HYPHEN = "\u00ad"
ROWS_DATA, LINES_DATA = "councils-rows", "councils-lines"
CODEBOOK_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

# Advance widths in ems of DejaVu Sans, the system-ui font of Debian's Chromium and one of the widest
# common sans-serif fonts: text wrapped by these widths fits with narrower fonts (Segoe UI, Roboto, San
# Francisco) too. Measured with Chromium's canvas; characters not listed count as 0.64 em, bold as 1.1x.
_EM_WIDTHS = {0.30: "'ijlIJ|!", 0.36: " ,.:;/f-\u00a0", 0.42: "t()r", 0.56: "szc?–L\"*", 0.70: "KAVÅBRXZCÉ",
              0.80: "UHNDGOQØ", 0.86: "wM→+<>=", 1.0: "%mÆæW…"}
_EM = {ch: em for em, chars in _EM_WIDTHS.items() for ch in chars}
_DEFAULT_EM = 0.64
_BOLD = 1.1


def _codebook(round_id: str | None = None) -> Codebook:
    """The codebook of the questions a round asked (all of them until councils.series lands)."""
    return load_codebook()


# ---------------------------------------------------------------------------------------------------
# Text: widths and wrapping


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """A generous width of ``text`` in pixels at ``size`` px (soft hyphens take no room)."""
    ems = sum(_EM.get(ch, _DEFAULT_EM) for ch in text if ch != SOFT_HYPHEN)
    return ems * size * (_BOLD if bold else 1.0)


def _pieces(word: str) -> list[str]:
    """A word cut where it may break: after a hyphen, or at a soft hyphen (whose piece then ends in one)."""
    pieces, current = [], ""
    for i, ch in enumerate(word):
        if ch == SOFT_HYPHEN:
            if current:
                pieces.append(current + SOFT_HYPHEN)
            current = ""
            continue
        current += ch
        if ch == "-" and 0 < i < len(word) - 1 and word[i + 1] != SOFT_HYPHEN:
            pieces.append(current)
            current = ""
    return pieces + [current] if current else pieces


def _shown(piece: str, line_end: bool) -> str:
    """A piece as drawn: a soft hyphen at the end of a line becomes a hyphen, anywhere else nothing."""
    if piece.endswith(SOFT_HYPHEN):
        return piece[:-1] + ("-" if line_end else "")
    return piece


def wrap(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> list[str]:
    """``text`` as lines no wider than ``width`` pixels, broken between words, after hyphens or at soft hyphens.

    A word is broken only where its author allows it: after a hyphen ("flygtninge-", "civil-society")
    or at a soft hyphen (U+00AD) in the codebook's label ("kommunal\\u00adbestyrelsen"), which is drawn
    as a hyphen at the end of a line and not at all elsewhere. A line is wider than ``width`` only when
    one unbreakable piece is. The lines hold no soft hyphens.
    """
    lines: list[str] = []
    line = ""  # the current line, pieces as written (soft hyphens kept until the line is closed)

    def fits(candidate: str) -> bool:
        return text_width(_shown(candidate, True), size, bold) <= width

    for w, word in enumerate(text.split()):
        for p, piece in enumerate(_pieces(word)):
            joined = piece if not line else (line + (" " if p == 0 else "") + piece)
            if not line or fits(joined):
                line = joined
            else:
                lines.append(line)
                line = piece
    if line or not lines:
        lines.append(line)
    return [_shown_line(x) for x in lines]


def _shown_line(line: str) -> str:
    return (line[:-1] + "-" if line.endswith(SOFT_HYPHEN) else line).replace(SOFT_HYPHEN, "")


def plain(text: str) -> str:
    """``text`` without its soft hyphens (for text alternatives, tooltips and tables of text)."""
    return text.replace(SOFT_HYPHEN, "")


# ---------------------------------------------------------------------------------------------------
# The house theme and the renderers


def house_theme() -> alt.theme.ThemeConfig:
    """One look for every figure: system fonts (nothing fetched), quiet axes, no text ever shortened."""
    return {
        "config": {
            "font": CODEBOOK_FONT,
            "background": BACKGROUND,
            "padding": PADDING,
            "view": {"stroke": None},
            "title": {"anchor": "start", "fontSize": TITLE_FONT_SIZE, "subtitleFontSize": FONT_SIZE,
                      "color": TEXT_COLOUR, "subtitleColor": MUTED_COLOUR, "limit": 0, "offset": 10,
                      "lineHeight": 17, "subtitleLineHeight": LINE_HEIGHT},
            # labelLimit 0: Vega never cuts a label with "…" (long ones are wrapped into lines instead).
            "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "gridColor": "#e6e6e6",
                     "domainColor": "#999", "tickColor": "#999", "labelColor": TEXT_COLOUR,
                     "titleColor": TEXT_COLOUR, "labelLimit": 0, "titleLimit": 0, "labelLineHeight": LINE_HEIGHT,
                     "titleFontWeight": "normal"},
            "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "orient": "top",
                       "direction": "vertical", "labelLimit": 0, "labelColor": TEXT_COLOUR,
                       "titleColor": TEXT_COLOUR},
            "text": {"color": TEXT_COLOUR, "fontSize": FONT_SIZE},
            "range": {"category": PALETTE},
            "bar": {"color": BAR_COLOUR},
        }
    }


def _chart_id(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return "vis-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _render(spec: dict, **_options) -> dict:
    """Mimebundle for the book: the chart as inline SVG drawings (:func:`chart_html`) and its text alternative.

    No Vega-Lite type here: myst-nb renders every type of a glued bundle while it reads a notebook and
    warns about one it has no renderer for (a failure under ``-W``), whatever ``nb_mime_priority_overrides``
    says. :func:`show` gives JupyterLab the Vega-Lite bundle it draws itself.
    """
    return {"text/html": chart_html(spec), "text/plain": spec.get("description", "Chart")}


def jupyter_bundle(spec: dict) -> dict:
    """Mimebundle that JupyterLab and VS Code draw themselves: the Vega-Lite types and a text alternative, no HTML.

    The chart gets a fixed width there: in JupyterLab 4.6 a chart that takes its container's width
    hangs the page (the output's width follows the chart's, which follows the output's).
    """
    fixed = laid_out(spec, JUPYTER_WIDTH)
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


# ---------------------------------------------------------------------------------------------------
# The site's drawings


_SOURCE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).digest()  # a change here draws every chart again
_NUMBER = re.compile(r"(?<![#\w])(-?\d+\.\d{3,})")
_TEXT_FONT = re.compile(r' font-family="[^"]*"')
# Vega's own descriptions of titles, axes and marks ("Y-axis for a linear scale...", "ci_low: 0.7"):
# the container's text alternative says what the chart shows, once.
_ARIA = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def _svg(spec: dict, width: int) -> str:
    """The chart drawn by vl-convert at ``width`` px, as compact SVG without ARIA (the container speaks).

    Drawing takes about 0.1 s; a drawing is kept in ``_build/cache/charts`` under a key of everything it
    is made from (the spec, the width, vl-convert's and Vega-Lite's versions, this module's source), so
    that a build whose charts did not change (a data file's new bytes with the same numbers, a chapter
    re-executed for its text) draws nothing again.
    """
    import os

    import vl_convert

    from councils.paths import CACHE_DIR

    key = hashlib.sha256(json.dumps([spec, width, vl_convert.__version__, VEGALITE_VERSION], sort_keys=True)
                         .encode("utf-8") + _SOURCE_DIGEST).hexdigest()
    cached = CACHE_DIR / "charts" / f"{key}.svg"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    svg = _draw(spec, width)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
    partial.write_text(svg, encoding="utf-8")
    os.replace(partial, cached)
    return svg


def _draw(spec: dict, width: int) -> str:
    import vl_convert

    drawn = laid_out(spec, width)
    drawn["config"] = {**drawn.get("config", {}), "aria": False}
    svg = vl_convert.vegalite_to_svg(drawn, vl_version=VEGALITE_VERSION)
    svg = _NUMBER.sub(lambda m: f"{float(m.group(1)):.2f}".rstrip("0").rstrip("."), svg)
    svg = _TEXT_FONT.sub("", svg)  # one font for the whole drawing, on its root
    svg = _ARIA.sub("", svg)
    # A line after each text: Sphinx's search index reads the page without its tags, and texts run
    # together would make words of a label's end and the next label's start.
    svg = svg.replace("</text>", "</text>\n")
    opening = _SVG_OPEN.search(svg).group(0)
    size = re.search(r'width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"', opening)
    root = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size.group(1)} {size.group(2)}" '
            f'width="{size.group(1)}" height="{size.group(2)}" font-family="{html.escape(CODEBOOK_FONT)}" '
            'aria-hidden="true" focusable="false">')
    return svg.replace(opening, root, 1)


def chart_html(chart: alt.TopLevelMixin | dict, lang: str | None = None) -> str:
    """The HTML of one chart for the site: its drawings at every width of CHART_WIDTHS, and its text alternative.

    ``<div class="councils-chart" role="img" aria-label="…">`` holds one ``<div class="councils-chart-width"
    data-width="W">`` per width, each an inline SVG drawn by vl-convert at build time; the site's CSS
    (``_static/councils.css``, by container queries) shows the one nearest the column's width. The SVGs
    are hidden from assistive technology (``aria-hidden``), so that a screen reader hears the text
    alternative once and not Vega's own descriptions of axes and marks. ``lang`` is the chart's language
    (taken from the chart when not given).
    """
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    lang = lang or spec.get("usermeta", {}).get("councils", {}).get("lang", "en")
    label = html.escape(spec.get("description", "Chart"), quote=True)
    drawings = "".join(f'<div class="councils-chart-width" data-width="{w}">{_svg(spec, w)}</div>'
                       for w in CHART_WIDTHS)
    return (f'<div class="councils-chart" id="{_chart_id(spec)}" role="img" aria-label="{label}" lang="{lang}">'
            f"{drawings}</div>")


# ---------------------------------------------------------------------------------------------------
# Rows charts: one row per answer, its label over its bar


@dataclass(frozen=True)
class Row:
    """One row of a rows chart: a key (the data's ``row``), the text over it, and whether it is a heading."""

    key: str
    text: str
    header: bool = False


def rows_layout(rows: list[Row], width: float) -> tuple[dict[str, float], list[dict], float]:
    """Where each row's mark and each line of its label go at ``width`` px: (mark centres, lines, height).

    A row's label takes the whole plot width in lines of its own, its bar (dot, interval) comes under
    it; a heading (a question's name over its answers) is bold and has no mark. Positions are pixels
    from the top of the plot.
    """
    room = width - 2 * PADDING
    centres: dict[str, float] = {}
    lines: list[dict] = []
    top = float(TOP_GAP)
    for row in rows:
        wrapped = wrap(row.text, room, FONT_SIZE, bold=row.header)
        for i, line in enumerate(wrapped):
            lines.append({"text": line, "y": top + i * LINE_HEIGHT + LINE_HEIGHT / 2, "bold": row.header})
        top += len(wrapped) * LINE_HEIGHT
        if row.header:
            top += HEADER_GAP
            continue
        top += LABEL_GAP
        centres[row.key] = top + BAR_THICKNESS / 2
        top += BAR_THICKNESS + ROW_GAP
    return centres, lines, top - ROW_GAP if rows and not rows[-1].header else top


def _title_lines(text: str, width: float) -> list[str]:
    return wrap(text, width - 2 * PADDING, TITLE_FONT_SIZE, bold=True)


def _subtitle_lines(sentences: list[str], width: float) -> list[str]:
    return [line for s in sentences for line in wrap(s, width - 2 * PADDING, FONT_SIZE)]


def laid_out(spec: dict, width: int) -> dict:
    """The chart's spec laid out at ``width`` px: rows charts re-wrap their labels and titles, others take the width.

    A rows chart keeps in ``usermeta.councils`` its rows (key, text, heading), its title and subtitle
    sentences: from them the lines of text, each row's position and the plot's height are made again.
    """
    spec = json.loads(json.dumps(spec))  # a copy: the caller's spec is left as it was
    spec["width"] = width
    meta = spec.get("usermeta", {}).get("councils")
    if not meta or meta.get("layout") != "rows":
        return spec
    rows = [Row(**r) for r in meta["rows"]]
    centres, lines, height = rows_layout(rows, width)
    spec["height"] = max(1, math.ceil(height))
    spec["datasets"][LINES_DATA] = lines
    spec["datasets"][ROWS_DATA] = [{**r, "y": centres[r["row"]]} for r in spec["datasets"][ROWS_DATA]]
    spec["title"] = {**spec["title"], "text": _title_lines(meta["title"], width),
                     "subtitle": _subtitle_lines(meta["subtitle"], width)}
    return spec


def _y_pixels() -> alt.Y:
    """The y of a rows chart: pixels from the top of the plot (its domain is the plot's height)."""
    return alt.Y("y:Q").title(None).axis(None).scale(domain={"expr": "[0, height]"}, reverse=True, nice=False,
                                                    zero=False)


def _label_layers() -> list[alt.Chart]:
    """The rows' label lines: answers in normal weight, headings (question names) in bold, from the left edge."""
    base = alt.Chart(alt.NamedData(LINES_DATA))
    text = dict(align="left", baseline="middle", fontSize=FONT_SIZE, color=TEXT_COLOUR)
    return [base.transform_filter("!datum.bold").mark_text(**text).encode(x=alt.value(0), y=_y_pixels(),
                                                                         text=alt.Text("text:N")),
            base.transform_filter("datum.bold").mark_text(fontWeight="bold", **text).encode(
                x=alt.value(0), y=_y_pixels(), text=alt.Text("text:N"))]


def tick_values(low: float, high: float, steps: tuple[float, ...], longest_label: str, room_expr: str) -> dict:
    """Axis values that never collide: the finest of ``steps`` whose labels fit side by side in the plot.

    An expression of Vega's ``width`` signal (``room_expr`` is the plot's width in pixels), so that a
    chart drawn at any width picks its own ticks. Each label is taken as wide as ``longest_label``, with
    MIN_TICK_GAP pixels between two; the first and last are flush with the plot's ends (``labelFlush``),
    which takes one label's width more.
    """
    label = math.ceil(text_width(longest_label))
    choices = []
    for step in sorted(steps):
        count = round((high - low) / step)
        values = [round(low + i * step, 6) for i in range(count + 1)]
        choices.append((count * (label + MIN_TICK_GAP) + label, values))
    expr = json.dumps(choices[-1][1])
    for needed, values in reversed(choices[:-1]):
        expr = f"({room_expr}) >= {needed} ? {json.dumps(values)} : {expr}"
    return {"expr": expr}


def _value_room(values: pd.Series, font_size: int) -> int:
    """Pixels kept free right of the scale's end for the value written beside the longest bar.

    Values are drawn past the end of a bar or interval, which may reach the end of the scale; Vega's
    ``fit`` sizing does not count marks beyond the plot, so the scale ends this much short of it.
    """
    return VALUE_DX + math.ceil(max(text_width(v, font_size) for v in values))


def _x_scale(domain: list[float], room: int) -> alt.Scale:
    return alt.Scale(domain=domain, range=[0, {"expr": f"width - {room}" if room else "width"}], nice=False,
                     zero=False)


def _rows_meta(rows: list[Row], title: str, subtitle: list[str], lang: str, kind: str) -> dict:
    return {"councils": {"layout": "rows", "kind": kind, "lang": lang, "title": title, "subtitle": subtitle,
                         "rows": [{"key": r.key, "text": r.text, "header": r.header} for r in rows]}}


def _records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as plain JSON values (no numpy scalars) for a spec's datasets."""
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def _rows_chart(layers: list[alt.Chart], rows: list[Row], data: pd.DataFrame, title: str, subtitle: list[str],
                description: str, lang: str, kind: str) -> alt.LayerChart:
    """A rows chart laid out at DEFAULT_WIDTH: the label lines, then ``layers`` drawn from ``data`` (ROWS_DATA)."""
    centres, lines, height = rows_layout(rows, DEFAULT_WIDTH)
    records = _records(data.assign(y=data["row"].map(centres)))
    chart = alt.layer(*_label_layers(), *layers, datasets={ROWS_DATA: records, LINES_DATA: lines}).properties(
        title=alt.Title(_title_lines(title, DEFAULT_WIDTH), subtitle=_subtitle_lines(subtitle, DEFAULT_WIDTH)),
        width=DEFAULT_WIDTH, height=math.ceil(height), autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        description=description, usermeta=_rows_meta(rows, title, subtitle, lang, kind))
    return _localised(chart, lang)


# ---------------------------------------------------------------------------------------------------
# The report's figures


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
        rows = rows.assign(question_label=plain(q.short(lang)), order=range(len(rows)))
        colours = _colours(rows, q, codebook)
        parts.append(_display_order(rows, q, codebook).assign(colour=lambda t: t["category"].map(colours)))
    data = pd.concat(parts, ignore_index=True)
    return data.assign(
        row=data["question"] + ":" + data["category"],
        text=data[f"label_{lang}"],
        label=data[f"label_{lang}"].map(plain),
        share_text=[f"{c} ({pct(s, lang)})" for c, s in zip(data["count"], data["share"])],
        interval=[f"{pct(lo, lang)}–{pct(hi, lang)}" for lo, hi in zip(data["ci_low"], data["ci_high"])],
    )[["question", "question_label", "category", "row", "text", "label", "order", "count", "base", "share",
       "ci_low", "ci_high", "interval", "share_text", "colour"]]


def text_alternative(table: pd.DataFrame, title: str, lang: str = "en", codebook: Codebook | None = None) -> str:
    """What the chart shows, in one sentence per bar in the chart's order, for screen readers."""
    codebook = codebook or _codebook()
    data = _chart_rows(table, codebook, lang)
    words = codebook.words(lang)
    several = data["question_label"].nunique() > 1
    parts = [f"{(r.question_label + ', ') if several else ''}{r.label}: {r.count} / {r.base} ({pct(r.share, lang)})"
             for r in data.itertuples()]
    title = plain(title)
    lead = title if title.endswith(("?", ".", "!")) else f"{title}."
    return f"{lead} {words['count']}: " + "; ".join(parts) + "."


SHARE_STEPS = (0.2, 0.25, 0.5, 1.0)  # tick steps of a share axis, finest first when there is room


def figure_chart(table: pd.DataFrame, number: int, lang: str = "en", codebook: Codebook | None = None,
                 round_id: str | None = None) -> alt.LayerChart:
    """The report's figure ``number`` as horizontal bars of shares, from its frequency-table rows.

    One row per answer (groups when the round has only those): its label over its bar, the bar's
    interval, and its count and share written beside it. A figure of several questions (figure 7) puts
    each question's name in bold over its answers. ``round_id`` names the round in the chart's source line.
    """
    codebook = codebook or _codebook(round_id)
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
    title = codebook.figure_title(number, lang)
    source = (words["source"].format(round=round_id, base=base) if round_id is not None
              else words["n"].format(base=base))
    notes = [words["several"]] if any(q.type == "multiple_choice" for q in questions) else []

    layout: list[Row] = []
    for q in questions:
        if len(questions) > 1:
            layout.append(Row(HEADER_PREFIX + q.id, q.short(lang), header=True))
        layout += [Row(r.row, r.text) for r in data[data["question"] == q.id].itertuples()]
    colours = dict(zip(data["category"], data["colour"]))
    tooltip = [
        alt.Tooltip("question_label:N").title(words["question"]),
        alt.Tooltip("label:N").title(words["category"]),
        alt.Tooltip("count:Q").title(words["count"]),
        alt.Tooltip("base:Q").title(words["base"]),
        alt.Tooltip("share:Q").title(words["share"]).format(".0%"),
        alt.Tooltip("interval:N").title(words["interval"]),
    ]
    room = _value_room(data["share_text"], VALUE_FONT_SIZE)
    share_axis = alt.X("share:Q").title(words["share"]).scale(_x_scale([0, 1], room)).axis(
        format="%", labelFlush=True, labelOverlap=False, grid=False,
        values=tick_values(0, 1, SHARE_STEPS, pct(1, lang), f"width - {room}"))
    y = _y_pixels()
    colour = alt.Color("category:N").scale(domain=list(colours), range=list(colours.values())).legend(None)
    source_rows = alt.Chart(alt.NamedData(ROWS_DATA))
    bars = source_rows.mark_bar(orient="horizontal", size=BAR_THICKNESS).encode(share_axis, y, colour, tooltip=tooltip)
    interval = source_rows.mark_rule(color="#333", opacity=0.55).encode(alt.X("ci_low:Q"), alt.X2("ci_high:Q"), y)
    values = source_rows.mark_text(align="left", baseline="middle", dx=VALUE_DX, fontSize=VALUE_FONT_SIZE).encode(
        alt.X("ci_high:Q"), y, alt.Text("share_text:N"))
    return _rows_chart([bars, interval, values], layout, data, title, [source, *notes],
                       text_alternative(rows, title, lang, codebook), lang, "figure")


# Vega's number formats for the Danish edition (axes and tooltips): decimal comma, thousands point, '50 %'.
DANISH_NUMBERS = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0kr."],
                  "percent": "\u00a0%"}


def _localised(chart: alt.TopLevelMixin, lang: str):
    """The chart with Vega's number locale of its language (Danish; English is Vega's default)."""
    return chart.configure(locale={"number": DANISH_NUMBERS}) if lang == "da" else chart


# ---------------------------------------------------------------------------------------------------
# Conventions of comparison and trend charts (comparison_chart here; a trend chart uses the same)


def verdict_encodings(field: str, verdicts: tuple[str, ...], title: str | None = None,
                      keys: tuple[str, ...] | None = None) -> dict:
    """Colour, shape and fill of a verdict field whose values are ``verdicts``, strongest first.

    ``keys`` are the verdicts' keys in :data:`councils.statistics.VERDICT_MARKS` (its shapes and fills);
    without them, two verdicts (changed, not) take VERDICT_SHAPES and VERDICT_FILLS. Shape and fill tell
    the verdicts apart without colour (and in greyscale); one legend shows all, above the chart. Use as
    ``mark_point(...).encode(x, y, **verdict_encodings("verdict", (...)))``.
    """
    from councils.statistics import VERDICT_MARKS

    domain = list(verdicts)
    if keys is not None:
        colours = [VERDICT_KEY_COLOURS.get(k, VERDICT_COLOURS[-1]) for k in keys]
        shapes = [VERDICT_MARKS[k]["shape"] for k in keys]
        fills = [c if VERDICT_MARKS[k]["filled"] else "#ffffff" for c, k in zip(colours, keys)]
    else:
        colours, shapes, fills = list(VERDICT_COLOURS), list(VERDICT_SHAPES), list(VERDICT_FILLS)
    legend = alt.Legend(orient="top", direction="horizontal", title=title, symbolStrokeWidth=2, symbolSize=90,
                        labelLimit=0, columns=1)
    return {
        "color": alt.Color(f"{field}:N").scale(domain=domain, range=colours[:len(domain)]).legend(legend),
        "shape": alt.Shape(f"{field}:N").scale(domain=domain, range=shapes[:len(domain)]).legend(legend),
        "fill": alt.Fill(f"{field}:N").scale(domain=domain, range=fills[:len(domain)]).legend(legend),
    }


def clear_of_zero(high_field: str, name: str = "value_x") -> dict:
    """A calculate transform placing a value label right of an interval and never left of zero.

    A change's interval may end left of the zero line; its label starts at the larger of the interval's
    end and zero, so that the zero line never crosses it. ``chart.transform_calculate(**clear_of_zero("high"))``
    then ``alt.X("value_x:Q")`` for the text mark.
    """
    return {name: f"max(datum['{high_field}'], 0)"}


def top_and_bottom_axes(bottom_field: str, top_field: str, title: str, scale: alt.Scale,
                        values: dict | list | None = None, fmt: str | None = None) -> tuple[alt.X, alt.X]:
    """Two x encodings of one scale: ``bottom_field`` with its axis below the plot, ``top_field`` with one above.

    A tall chart shows its scale where the reader starts as well as where it ends. Put each on a layer
    of the chart and resolve the x axes as independent (``.resolve_axis(x="independent")``; the scale,
    given explicitly to both, stays the same). The top axis has no title (the bottom one names it).
    """
    options = {"labelFlush": True, "labelOverlap": False, "grid": False}
    if values is not None:
        options["values"] = values
    if fmt is not None:
        options["format"] = fmt
    bottom = alt.X(f"{bottom_field}:Q").scale(scale).title(title).axis(orient="bottom", **options)
    top = alt.X(f"{top_field}:Q").scale(scale).title(None).axis(orient="top", **options)
    return bottom, top


CHANGE_STEPS = (25.0, 50.0, 100.0)  # tick steps of a change axis (percentage points)


def comparison_chart(comparison: pd.DataFrame, previous: str, current: str, lang: str = "en",
                     codebook: Codebook | None = None) -> alt.LayerChart:
    """Each compared share's change between two rounds, with its interval, sorted; changes beyond chance marked.

    From :func:`councils.tables.comparison_table`: one row per compared category; the dot is the
    change in percentage points, the line its interval; a change beyond chance (once the number of
    comparisons is allowed for) is a filled diamond, one within chance an open circle. The scale and the
    legend are shown above the rows as well as below, and the shares are written right of each interval
    and of the zero line.
    """
    from councils.statistics import VERDICTS

    codebook = codebook or _codebook(current)
    enable()
    words = codebook.words(lang)
    if "role" in comparison:  # the shares compared on their own (not a complement, a roll-up, the blanks)
        comparison = comparison[(comparison["role"] == "detail") & comparison["compared"]]
    labels = [f"{codebook.question(q).short(lang)}: {c}"
              for q, c in zip(comparison["question"], comparison[f"label_{lang}"])]
    shown = [shares_and_change(p, c, lang) for p, c in zip(comparison["previous_share"], comparison["current_share"])]
    keys = ("changed_whatever", "beyond_chance", "no_clear_change")
    names = tuple(VERDICTS[k][lang][:1].upper() + VERDICTS[k][lang][1:] for k in keys)
    verdict_of = (dict(zip(keys, names)).__getitem__ if "verdict" in comparison else None)
    data = pd.DataFrame({
        "row": [f"{q}:{c}" for q, c in zip(comparison["question"], comparison["category"])],
        # The shares are written in the row's label, so the plot keeps the whole width and no value
        # label ever meets the zero line or an interval.
        "text": [f"{label} ({p} → {c})" for label, (p, c, _) in zip(labels, shown)],
        "label": [plain(t) for t in labels],
        "change": comparison["change_pp"].round(2), "low": comparison["change_low_pp"].round(2),
        "high": comparison["change_high_pp"].round(2),
        "verdict": ([verdict_of(v) for v in comparison["verdict"]] if verdict_of else
                    [names[1] if b else names[2] for b in comparison["beyond_chance"]]),
        "shares": [f"{p} → {c}" for p, c, _ in shown],
        "points": [d for _, _, d in shown],
        "previous": [f"{c} / {b}" for c, b in zip(comparison["previous_count"], comparison["previous_base"])],
        "current": [f"{c} / {b}" for c, b in zip(comparison["current_count"], comparison["current_base"])],
    })
    data = data.sort_values("change", kind="stable").reset_index(drop=True)
    title = words["comparison"].format(previous=previous, current=current)
    source = words["source_comparison"].format(
        previous=previous, current=current, previous_base=int(comparison["previous_base"].max()),
        current_base=int(comparison["current_base"].max()))
    x_scale = _x_scale([-100, 100], 0)
    ticks = tick_values(-100, 100, CHANGE_STEPS, "−100", "width")
    bottom, top = top_and_bottom_axes("low", "zero", words["change"], x_scale, ticks)
    tooltip = [alt.Tooltip("label:N").title(words["category"]),
               alt.Tooltip("previous:N").title(words["round"] + " " + previous),
               alt.Tooltip("current:N").title(words["round"] + " " + current),
               alt.Tooltip("shares:N").title(words["share"]),
               alt.Tooltip("points:N").title(words["change"]),
               alt.Tooltip("verdict:N").title(words["verdict"])]
    y = _y_pixels()
    verdict = verdict_encodings("verdict", names, keys=keys)
    source_rows = alt.Chart(alt.NamedData(ROWS_DATA))
    # The zero line is drawn through each row's marks only, never through the label lines over them.
    zero = source_rows.transform_calculate(zero="0", top=f"datum.y - {BAR_THICKNESS / 2 + LABEL_GAP}",
                                           bottom=f"datum.y + {BAR_THICKNESS / 2 + ROW_GAP / 2}").mark_rule(
        color="#333").encode(top, alt.Y("top:Q").scale(domain={"expr": "[0, height]"}, reverse=True, nice=False,
                                                        zero=False).axis(None).title(None), alt.Y2("bottom:Q"))
    rules = source_rows.mark_rule(strokeWidth=2).encode(bottom, alt.X2("high:Q"), y, verdict["color"])
    dots = source_rows.mark_point(size=80, strokeWidth=2, opacity=1).encode(
        alt.X("change:Q").scale(x_scale).axis(None), y, tooltip=tooltip, **verdict)
    parts = [f"{lab}: {s} ({d} {words['points']}; {v})" for lab, s, d, v in
             zip(data["label"], data["shares"], data["points"], data["verdict"])]
    chart = _rows_chart([zero, rules, dots], [Row(r.row, r.text) for r in data.itertuples()], data, title,
                        [source], f"{plain(title)}. " + "; ".join(parts) + ".", lang, "comparison")
    return chart.resolve_axis(x="independent")


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
    narrowest = CHART_WIDTHS[0]
    return _localised(alt.layer(*layers).properties(
        title=alt.Title(_title_lines(title, narrowest),
                        subtitle=_subtitle_lines([source], narrowest) if source else alt.Undefined),
        width="container", height=TREND_HEIGHT, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        description=f"{title}. " + "; ".join(parts) + "." + breaks_text), lang)
