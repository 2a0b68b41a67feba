"""Chart builders tested by their spec (chart.to_dict()) and by Vega's own layout of it, not by pixels.

Vega's layout comes from vl-convert (the same package that draws the site's SVGs at build time): its
scene graph holds every text and mark Vega draws, where it draws it, and the limit at which Vega would
cut a text with "…". How the drawings look in a browser is tested in tests/test_browser.py.
"""

import json
import math
import re
from pathlib import Path

import pytest
import vl_convert

from councils import charts
from councils.codebook import load_codebook
from councils.fictional import write_round
from councils.tables import comparison_table, frequency_table

CSS = Path(__file__).resolve().parent.parent / "_static" / "councils.css"

# Figure number -> (question ids, categories in the order drawn) for the 2016 round. Single-choice
# questions in the codebook's order; figures 6 and 10 (multiple choice) by the report's counts, largest
# first, ties in codebook order, "other" last: figure 6 has employment 16, democratic participation 10,
# education 9, health 4, discrimination 1, other 9; figure 10 meetings in town 21, civil society 21,
# officials 18, website 17, public meetings 13, integration prize 12.
FIGURES = {
    1: (["chair_background"], ["association", "politician", "civil_servant", "not_stated"]),
    2: (["council_size"], ["1_10", "11_15", "16_plus"]),
    3: (["own_budget"], ["yes", "no", "not_stated"]),
    4: (["member_compensation"], ["yes", "no", "dont_know"]),
    5: (["advise_all_groups"], ["yes", "no", "dont_know"]),
    6: (["focus_areas"], ["employment", "democratic_participation", "education", "health", "discrimination", "other"]),
    7: (["cooperation_municipal_board", "secretariat_service"], ["satisfied", "not_satisfied"] * 2),
    8: (["consulted"], ["often_or_sometimes", "not_often_or_sometimes"]),
    9: (["influence"], ["large_or_some", "small_or_none"]),
    10: (["visibility"], ["meetings_in_town", "invite_civil_society", "invite_officials", "website",
                          "citizen_meetings", "integration_prize"]),
}
# The text column of a 320 px phone (the narrowest screen the book is for) is 272 px wide, a 390 px
# phone's 342 px, a desktop's about 680 px (the printed page's too).
WIDTHS = (272, 342, 440, 560, 680)
PHONE_COLUMN = 272
PADDING = 8
SOFT = "\u00ad"
# The ordinal ramp, dark to light, and grey for "don't know" and "not stated" (the module's values,
# written out so that a change of them is a change of this test too).
RAMP = ["#08306b", "#08519c", "#2171b5", "#4a7fc1"]
GREY = "#8c8c8c"
VEGALITE6 = "application/vnd.vegalite.v6+json"
VEGALITE5 = "application/vnd.vegalite.v5+json"


@pytest.fixture(scope="module")
def table():
    return frequency_table("2016")


@pytest.fixture(scope="module")
def example():
    return frequency_table("example")


def _spec(table, number, lang="en", round_id="2016"):
    return charts.figure_chart(table, number, lang, round_id=round_id).to_dict()


def _rows(spec):
    """The chart's bars (or dots): the dataset of rows, each with its key ('row') and position ('y')."""
    return spec["datasets"][charts.ROWS_DATA]


def _lines(spec):
    """The label lines drawn over the rows, top to bottom: {text, y, bold}."""
    return spec["datasets"][charts.LINES_DATA]


def _layers(spec):
    return spec.get("layer", [spec])


def _mark_layers(spec):
    """The layers drawn from the rows (the label layers come first)."""
    return [layer for layer in _layers(spec) if layer.get("data", {}).get("name") == charts.ROWS_DATA]


def _texts(node):
    """(text, limit) of every text item in a vl-convert scene graph."""
    if isinstance(node, dict):
        if node.get("marktype") == "text":
            for item in node.get("items", []):
                yield item.get("text"), item.get("limit")
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def _items(node, role, x=0.0):
    """(absolute x, item) of every item of a mark whose role or name contains ``role``."""
    if isinstance(node, dict):
        if "marktype" in node and (role in str(node.get("role", "")) or role in str(node.get("name", ""))):
            for item in node["items"]:
                yield x, item
        for item in node.get("items", []):
            yield from _items(item, role, x + item.get("x", 0) if isinstance(item, dict) else x)


def _scene(spec, width=PHONE_COLUMN, version="6.4"):
    """Vega's scene graph of a spec laid out at ``width`` px."""
    return vl_convert.vegalite_to_scenegraph(charts.laid_out(spec, width), vl_version=version)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _comparison_spec(lang="en"):
    return charts.comparison_chart(comparison_table("example", "2016"), "2016", "example", lang).to_dict()


def reads_as(lines: list[str], text: str) -> bool:
    """Whether wrapped ``lines`` read back as ``text``: lines join with a space, or with nothing after a
    hyphen that ``text`` holds ("civil-" + "society") or that stands for a soft hyphen of ``text``."""
    pos = 0
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if line.endswith("-") and not last and text.startswith(line[:-1] + SOFT, pos):
            pos += len(line)  # the line's hyphen is the text's soft hyphen
            continue
        plain = line
        j = pos
        for ch in plain:  # the text may hold soft hyphens where the line has none
            while j < len(text) and text[j] == SOFT and ch != SOFT:
                j += 1
            if j >= len(text) or text[j] != ch:
                return False
            j += 1
        pos = j
        if last:
            break
        if line.endswith("-") and not text.startswith(" ", pos):
            continue  # "civil-" + "society": the text's own hyphen inside a word, no space
        if not text.startswith(" ", pos):
            return False
        pos += 1
    return pos == len(text)


def test_reads_as_by_hand():
    assert reads_as(["Samarbejdet med", "kommunal-", "bestyrelsen"], f"Samarbejdet med kommunal{SOFT}bestyrelsen")
    assert reads_as(["Samarbejdet med kommunalbestyrelsen"], f"Samarbejdet med kommunal{SOFT}bestyrelsen")
    assert reads_as(["Invites civil-", "society actors"], "Invites civil-society actors")
    assert reads_as(["flygtninge-", "og indvandrere"], "flygtninge- og indvandrere")
    assert not reads_as(["Samarbejdet", "kommunal-", "bestyrelsen"], f"Samarbejdet med kommunal{SOFT}bestyrelsen")
    assert not reads_as(["kommunalbesty-", "relsen"], f"kommunal{SOFT}bestyrelsen")
    assert not reads_as(["kommunal-", "bestyrelsen"], "kommunal- bestyrelsen x")


# ---------------------------------------------------------------------------------------------------
# What each figure draws


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_figure_draws_the_reports_categories_in_the_stated_order(table, number):
    questions, categories = FIGURES[number]
    spec = _spec(table, number)
    rows = _rows(spec)
    assert [r["question"] for r in rows] == [q for q in questions for _ in range(len(categories) // len(questions))]
    assert [r["category"] for r in rows] == categories
    assert all(r["base"] == 30 for r in rows)
    assert [r["y"] for r in rows] == sorted(r["y"] for r in rows), "drawn top to bottom in this order"


def test_ordered_scale_keeps_codebook_order_and_no_answer_comes_last(example):
    rows = _rows(_spec(example, 9, round_id="example"))
    assert [r["category"] for r in rows] == ["large", "some", "small", "none", "dont_know", "not_stated"]


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_title_is_the_question_without_a_figure_number(table, number):
    spec = _spec(table, number)
    text = " ".join(spec["title"]["text"])
    assert reads_as(spec["title"]["text"], load_codebook().figure_title(number))
    assert "Figure" not in text and not re.match(r"\s*\d", text), "the book's caption numbers the figure"
    assert not spec["description"].startswith("Figure")


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_every_chart_has_a_source_line(table, number):
    subtitle = " ".join(_spec(table, number)["title"]["subtitle"])
    assert "Source: round 2016, 30 responding councils" in subtitle


def test_source_line_in_danish_and_in_the_comparison(table):
    assert "Kilde: runde 2016, 30 besvarende råd" in " ".join(_spec(table, 1, lang="da")["title"]["subtitle"])
    subtitle = " ".join(_comparison_spec()["title"]["subtitle"])
    assert "Source: rounds 2016 and example, 30 and 36 responding councils" in subtitle


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_tooltip_axes_and_bars(table, number):
    spec = _spec(table, number)
    bars = _mark_layers(spec)[0]
    assert bars["mark"]["type"] == "bar"
    enc = bars["encoding"]
    assert enc["x"]["field"] == "share" and enc["x"]["type"] == "quantitative"
    assert enc["x"]["axis"]["format"] == "%" and enc["x"]["title"] == "Share of responding councils"
    assert {t["field"] for t in enc["tooltip"]} >= {"count", "base", "share", "label"}


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_every_bar_has_its_interval_and_its_count_and_share_written(table, number):
    spec = _spec(table, number)
    assert [layer["mark"]["type"] for layer in _layers(spec)] == ["text", "text", "bar", "rule", "text"]
    _, rule, text = [layer["encoding"] for layer in _mark_layers(spec)]
    assert (rule["x"]["field"], rule["x2"]["field"]) == ("ci_low", "ci_high")
    assert text["text"]["field"] == "share_text"
    assert text["y"]["field"] == "y" == _mark_layers(spec)[0]["encoding"]["y"]["field"], "each value on its bar's row"
    assert all(r["share_text"] for r in _rows(spec))


def test_written_values_are_count_and_share(table):
    # The report's counts of 30: chair 16, 8, 4, 2; cooperation 24 and 6, secretariat 28 and 2.
    assert [r["share_text"] for r in _rows(_spec(table, 1))] == ["16 (53%)", "8 (27%)", "4 (13%)", "2 (7%)"]
    assert [r["share_text"] for r in _rows(_spec(table, 7))] == ["24 (80%)", "6 (20%)", "28 (93%)", "2 (7%)"]


def _label_blocks(spec) -> list[tuple[list[str], bool]]:
    """The label lines grouped by the row they stand over: (lines, heading) top to bottom."""
    blocks, previous = [], None
    for line in _lines(spec):
        if previous is not None and line["y"] - previous["y"] == charts.LINE_HEIGHT and line["bold"] == previous["bold"]:
            blocks[-1][0].append(line["text"])
        else:
            blocks.append(([line["text"]], line["bold"]))
        previous = line
    return blocks


def test_figure_seven_puts_each_questions_name_in_bold_over_its_answers(table):
    other = "Other answers (less satisfied, don't know, not stated)"
    expected = [("Cooperation with the municipal board", True), ("Very or mostly satisfactory", False),
                (other, False), ("Secretariat support", True), ("Very or mostly satisfactory", False),
                (other, False)]
    for width in WIDTHS:
        spec = charts.laid_out(_spec(table, 7), width)
        blocks = _label_blocks(spec)
        assert [bold for _, bold in blocks] == [bold for _, bold in expected], (width, blocks)
        assert all(reads_as(lines, text) for (lines, _), (text, _) in zip(blocks, expected)), (width, blocks)


def test_multiple_choice_figures_say_shares_exceed_100_percent(table):
    for number in (6, 10):
        assert "more than 100%" in " ".join(_spec(table, number)["title"]["subtitle"])
    assert "more than 100%" not in " ".join(_spec(table, 1)["title"]["subtitle"])


# ---------------------------------------------------------------------------------------------------
# Every width: labels over their bars, wrapped to the width, the plot keeping most of it


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("number", sorted(FIGURES))
def test_each_label_stands_over_its_own_bar(table, number, width):
    """Each row: its label's lines, then its bar under them, then the next row; nothing overlaps."""
    spec = charts.laid_out(_spec(table, number), width)
    assert spec["width"] == width and spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    half_line, half_bar = charts.LINE_HEIGHT / 2, charts.BAR_THICKNESS / 2
    events = sorted([(line["y"] - half_line, line["y"] + half_line, "line") for line in _lines(spec)]
                    + [(r["y"] - half_bar, r["y"] + half_bar, "bar") for r in _rows(spec)])
    assert all(a[1] <= b[0] for a, b in zip(events, events[1:])), "a label line or a bar overlaps the next"
    assert events[0][2] == "line" and events[-1][2] == "bar"
    for r in _rows(spec):  # right above each bar: a line of its own label
        above = max((e for e in events if e[1] <= r["y"] - half_bar), key=lambda e: e[1])
        assert above[2] == "line", f"figure {number}: nothing but a bar over {r['row']}"
    assert spec["height"] == math.ceil(events[-1][1])


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_labels_are_whole_and_rewrapped_for_each_width(table, number):
    narrow, wide = (charts.laid_out(_spec(table, number), w) for w in (272, 680))
    texts = [r["text"] for r in _rows(narrow)]
    for spec in (narrow, wide):
        answers = [lines for lines, bold in _label_blocks(spec) if not bold]
        assert len(answers) == len(texts)
        assert all(reads_as(lines, text) for lines, text in zip(answers, texts)), answers
    assert len(_lines(narrow)) >= len(_lines(wide)), "a narrower chart never has fewer lines"


def test_long_labels_take_several_lines_on_a_phone_and_one_on_a_desktop(table):
    def block(spec, category):
        answers = [lines for lines, bold in _label_blocks(spec) if not bold]
        return answers[[r["category"] for r in _rows(spec)].index(category)]

    text = "Council meetings held out in town (e.g. at schools or refugee centres)"
    phone, desktop = (charts.laid_out(_spec(table, 10), w) for w in (272, 680))
    assert len(block(phone, "meetings_in_town")) == 2 and reads_as(block(phone, "meetings_in_town"), text)
    assert block(desktop, "meetings_in_town") == [text]


def test_danish_compounds_break_only_where_the_codebook_allows(table):
    codebook = load_codebook()
    heading = codebook.question("cooperation_municipal_board").short_da
    assert SOFT in heading, "the codebook marks where 'kommunalbestyrelsen' may break"
    # Lines of 120 px hold "Samarbejdet med" (15 characters) but not "Samarbejdet med kommunal-".
    assert charts.wrap(heading, 120) == ["Samarbejdet med", "kommunal-", "bestyrelsen"]
    assert charts.wrap(heading, 400) == ["Samarbejdet med kommunalbestyrelsen"], "no hyphen where no break is"
    # A compound without a soft hyphen is never broken at a syllable, even when it is wider than a line.
    assert charts.wrap("Sekretariatsbetjeningen", 60) == ["Sekretariatsbetjeningen"]
    assert charts.wrap("Invites civil-society actors", 90) == ["Invites civil-", "society actors"]
    drawn = [line["text"] for w in WIDTHS for line in _lines(charts.laid_out(_spec(table, 7, lang="da"), w))]
    assert not any(SOFT in line for line in drawn), "soft hyphens are never drawn"
    assert not any(re.search(r"besty-$|^relsen|betje-$|^ningen", line) for line in drawn), drawn


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_no_text_can_be_cut_short(table, number):
    config = _spec(table, 1)["config"]
    assert config["axis"]["labelLimit"] == 0 and config["legend"]["labelLimit"] == 0
    assert config["title"]["limit"] == 0
    for spec in (_spec(table, number), _comparison_spec()):
        for width in (272, 680):
            texts = list(_texts(_scene(spec, width)["scenegraph"]))
            assert texts, "the scene graph has text"
            cut = [(text, limit) for text, limit in texts if limit]
            assert not cut, f"Vega would shorten these with '…' at {width} px: {cut[:5]}"
            assert not any(str(text).endswith("…") for text, _ in texts)


def _plot_share(scene) -> float:
    """The x axis's extent (its domain line, the scale's range) as a share of the drawing's width."""
    domains = [item for _, item in _items(scene["scenegraph"], "axis-domain")]
    assert domains, "no x axis"
    return max(abs(d.get("x2", 0) - d.get("x", 0)) for d in domains) / scene["width"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("number", sorted(FIGURES))
def test_the_plot_takes_at_least_60_percent_of_the_width(table, number, width):
    share = _plot_share(_scene(_spec(table, number, lang="da"), width))
    assert share >= 0.6, f"figure {number} at {width} px: the plot is {share:.0%} of the chart's width"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_comparisons_plot_takes_at_least_60_percent_of_the_width(width):
    share = _plot_share(_scene(_comparison_spec("da"), width))
    assert share >= 0.6, f"the comparison at {width} px: the plot is {share:.0%} of the chart's width"


def _tick_labels(scene) -> list[list[tuple[float, str]]]:
    """Each axis's shown tick labels as (x, text), left to right."""
    axes = []
    for x, group in _items(scene["scenegraph"], "axis"):
        labels = [(x + item.get("x", 0), item["text"]) for _, item in _items(group, "axis-label")
                  if item.get("opacity", 1) != 0]
        if labels:
            axes.append(sorted(labels))
    return axes


@pytest.mark.parametrize("lang", ["en", "da"])
def test_ticks_are_spaced_for_the_width(table, lang):
    hundred = "100%" if lang == "en" else "100\u00a0%"
    phone = _tick_labels(_scene(_spec(table, 1, lang), 272))
    assert [[t for _, t in axis] for axis in phone] == [["0%", "50%", "100%"] if lang == "en"
                                                        else ["0\u00a0%", "50\u00a0%", hundred]]
    desktop = _tick_labels(_scene(_spec(table, 1, lang), 680))
    assert len(desktop[0]) == 6, desktop  # 0, 20, ..., 100%
    # At 12 px, a tick label of up to five characters is at most 40 px wide (DejaVu Sans, the widest
    # system font measured): centres 40 px apart, and the flush end labels 60 px from their neighbours,
    # never touch.
    for width in WIDTHS:
        for axis in _tick_labels(_scene(_spec(table, 7, lang), width)):
            gaps = [b[0] - a[0] for a, b in zip(axis, axis[1:])]
            assert min(gaps[1:-1], default=99) >= 40 and gaps[0] >= 60 and gaps[-1] >= 60, (width, axis)


# ---------------------------------------------------------------------------------------------------
# Comparison and trend conventions: verdict by shape and fill, scale and legend at the top, values clear


def test_comparison_shows_the_verdict_by_shape_and_fill_as_well_as_colour():
    spec = _comparison_spec()
    dots = next(layer for layer in _mark_layers(spec) if layer["mark"]["type"] == "point")
    enc = dots["encoding"]
    domain = ["Change beyond chance", "Within chance"]
    assert enc["shape"]["scale"] == {"domain": domain, "range": ["diamond", "circle"]}
    assert enc["fill"]["scale"]["domain"] == domain and enc["fill"]["scale"]["range"][1] == "#ffffff"
    colours = enc["color"]["scale"]["range"]
    assert enc["fill"]["scale"]["range"][0] == colours[0], "beyond chance: filled in its colour"
    assert all(_contrast(c, "#ffffff") >= 3 for c in colours)
    assert all(e["legend"]["orient"] == "top" for e in (enc["color"], enc["shape"], enc["fill"]))
    verdicts = {r["verdict"] for r in _rows(spec)}
    assert verdicts <= set(domain)


def test_comparison_repeats_its_scale_at_the_top_and_keeps_shares_off_the_plot():
    spec = _comparison_spec()
    assert spec["resolve"] == {"axis": {"x": "independent"}}
    orients = sorted(layer["encoding"]["x"]["axis"]["orient"] for layer in _layers(spec)
                     if layer["encoding"].get("x", {}).get("axis"))
    assert orients == ["bottom", "top"]
    scene = _scene(spec, 680)
    axes = _tick_labels(scene)
    assert len(axes) == 2 and [t for _, t in axes[0]] == [t for _, t in axes[1]], "the same scale twice"
    # Each row's label holds its shares, so no value is drawn on the plot where the zero line runs.
    assert not [layer for layer in _mark_layers(spec) if layer["mark"]["type"] == "text"]
    for r in _rows(spec):
        assert r["text"].endswith(f"({r['shares']})") and r["shares"].count("→") == 1


def test_the_zero_line_runs_through_each_rows_marks_and_not_through_its_label():
    spec = charts.laid_out(_comparison_spec(), 342)
    zero = next(layer for layer in _mark_layers(spec) if layer["mark"]["type"] == "rule"
                and "y2" in layer["encoding"])
    scene = _scene(spec, 342)
    lines = _lines(spec)
    rules = [item for _, item in _items(scene["scenegraph"], "layer_2_marks")]
    assert len(rules) == len(_rows(spec)), zero
    for rule in rules:
        top, bottom = sorted((rule["y"], rule.get("y2", rule["y"])))
        assert not any(top < line["y"] < bottom for line in lines), "the zero line crosses a label"


def test_clear_of_zero_puts_a_value_right_of_zero_when_its_interval_ends_left_of_it():
    import altair as alt

    data = alt.InlineData(values=[{"high": -20, "row": "a"}, {"high": 30, "row": "b"}])
    chart = alt.Chart(data).transform_calculate(**charts.clear_of_zero("high")).mark_text(text="x").encode(
        alt.X("value_x:Q").scale(domain=[-100, 100], range=[0, 200]), alt.Y("row:N"))
    scene = vl_convert.vegalite_to_scenegraph(chart.properties(width=200).to_dict(), vl_version="6.4")
    xs = sorted(item["x"] for _, item in _items(scene["scenegraph"], "mark"))
    assert xs == [100, 130], "-20 is drawn at zero (100 px), 30 at 130 px"


# ---------------------------------------------------------------------------------------------------
# Colours


def test_ordinal_ramp_runs_dark_to_light_and_stays_visible_on_white():
    assert charts.ORDINAL_RAMP == RAMP and charts.NO_ANSWER_GREY == GREY
    luminance = [_luminance(c) for c in RAMP]
    assert luminance == sorted(luminance) and len(set(luminance)) == len(RAMP)
    assert all(_contrast(c, "#ffffff") >= 3 for c in [*RAMP, GREY])


def test_ordered_scale_is_coloured_in_codebook_order(example):
    colour = _mark_layers(_spec(example, 9, round_id="example"))[0]["encoding"]["color"]
    assert colour["field"] == "category"
    assert colour["scale"]["domain"] == ["large", "some", "small", "none", "dont_know", "not_stated"]
    assert colour["scale"]["range"] == [*RAMP, GREY, GREY]
    satisfaction = _mark_layers(_spec(example, 7, round_id="example"))[0]["encoding"]["color"]["scale"]
    assert satisfaction["domain"] == ["very_satisfactory", "mostly_satisfactory", "mostly_unsatisfactory",
                                      "very_unsatisfactory", "dont_know", "not_stated"]
    assert satisfaction["range"] == [*RAMP, GREY, GREY]


def test_two_step_scale_takes_both_ends_of_the_ramp(table):
    scale = _mark_layers(_spec(table, 7))[0]["encoding"]["color"]["scale"]
    assert scale == {"domain": ["satisfied", "not_satisfied"], "range": [RAMP[0], RAMP[-1]]}


def test_unordered_answers_share_one_colour_and_no_answer_is_grey(table):
    scale = _mark_layers(_spec(table, 1))[0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["association", "politician", "civil_servant", "not_stated"]
    assert scale["range"] == ["#0072B2", "#0072B2", "#0072B2", GREY]


def test_ordered_questions_are_the_scales_of_the_report():
    """The codebook marks as ordered the questions whose answers run from one end of a scale to the other."""
    codebook = load_codebook()
    ordered = {q.id for q in codebook.questions if q.ordered}
    assert ordered == {"council_size", "new_knowledge", "cooperation_municipal_board", "secretariat_service",
                       "consulted", "influence", "rem_knowledge", "rem_support"}
    assert all(codebook.question(q).type == "single_choice" for q in ordered)


def test_one_mode_only_white_background_and_dark_text(table):
    """The site opens in light mode; in dark mode too a chart keeps its white background and dark text."""
    config = _spec(table, 1)["config"]
    assert config["background"] == "#ffffff"
    colours = [config["title"]["color"], config["title"]["subtitleColor"], config["axis"]["labelColor"],
               config["axis"]["titleColor"], config["legend"]["labelColor"], config["text"]["color"]]
    assert all(_contrast(c, config["background"]) >= 4.5 for c in colours), colours


def test_house_theme_uses_colour_blind_safe_palette(table):
    spec = _spec(table, 7)
    assert spec["config"]["range"]["category"] == charts.PALETTE
    assert charts.PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]  # Okabe-Ito


# ---------------------------------------------------------------------------------------------------
# Words from the codebook


def test_danish_labels_come_from_the_codebook(table):
    spec = _spec(table, 1, lang="da")
    codebook = load_codebook()
    assert reads_as(spec["title"]["text"], codebook.question("chair_background").da)
    labels = [r["label"] for r in _rows(spec)]
    assert labels == [o.da.replace(SOFT, "") for o in codebook.question("chair_background").options]
    assert _mark_layers(spec)[0]["encoding"]["x"]["title"] == codebook.words("da")["share"]


# ---------------------------------------------------------------------------------------------------
# The site's drawings and Jupyter's Vega-Lite


def test_chart_html_holds_a_drawing_per_width_hidden_from_assistive_technology(table):
    spec = _spec(table, 3)
    html = charts.chart_html(spec, "en")
    container = re.match(r'<div class="councils-chart" id="vis-[0-9a-f]{12}" role="img" aria-label="([^"]*)" '
                         r'lang="en">', html)
    assert container, html[:200]
    assert container.group(1).startswith("Does the integration council have a budget of its own?")
    widths = re.findall(r'<div class="councils-chart-width" data-width="(\d+)"><svg ', html)
    assert [int(w) for w in widths] == list(WIDTHS)
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == len(WIDTHS) and all('aria-hidden="true"' in s and 'focusable="false"' in s for s in svgs)
    assert all(re.search(rf'viewBox="0 0 {w} \d+(\.\d+)?"', s) for w, s in zip(WIDTHS, svgs))
    inside = html[html.index("<svg"):]
    assert "aria-label" not in inside and "role=" not in inside, "Vega's own descriptions are left out"
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")


def test_chart_html_is_deterministic(table):
    first = charts.chart_html(charts.figure_chart(table, 3).to_dict())
    assert first == charts.chart_html(charts.figure_chart(table, 3).to_dict())
    assert first != charts.chart_html(charts.figure_chart(table, 4).to_dict())


def test_drawings_are_kept_and_drawn_again_only_when_the_chart_changes(table, tmp_path, monkeypatch):
    import councils.paths

    monkeypatch.setattr(councils.paths, "CACHE_DIR", tmp_path)
    drawn = []
    draw = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda spec, width: drawn.append(width) or draw(spec, width))
    first = charts.chart_html(_spec(table, 2))
    assert drawn == list(WIDTHS) and len(list((tmp_path / "charts").glob("*.svg"))) == len(WIDTHS)
    assert charts.chart_html(_spec(table, 2)) == first and drawn == list(WIDTHS), "the same chart is not drawn again"
    charts.chart_html(_spec(table, 2, lang="da"))
    assert drawn == list(WIDTHS) * 2, "another chart is drawn"


def test_stylesheet_shows_the_drawing_nearest_the_columns_width():
    """The CSS breakpoints lie at the geometric means of neighbouring widths (each drawing scaled by <= 13%)."""
    css = CSS.read_text(encoding="utf-8")
    rules = re.findall(r"@container \(([^)]*)\) \{ \.councils-chart-width\[data-width=\"(\d+)\"\]", css)
    assert [int(w) for _, w in rules] == list(WIDTHS)
    bounds = [round(math.sqrt(a * b)) for a, b in zip(WIDTHS, WIDTHS[1:])]
    expected = ([f"width < {bounds[0]}px"] + [f"{lo}px <= width < {hi}px" for lo, hi in zip(bounds, bounds[1:])]
                + [f"{bounds[-1]}px <= width"])
    assert [condition for condition, _ in rules] == expected
    assert max(b / a for a, b in zip(WIDTHS, WIDTHS[1:])) <= 1.3


def test_book_bundle_holds_html_and_text_only(table):
    """myst-nb renders every type of a glued bundle and fails the strict build on one it cannot render."""
    bundle = charts._render(charts.figure_chart(table, 3).to_dict())
    assert set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/plain"].startswith("Does the integration council have a budget of its own?")
    assert bundle["text/html"].startswith('<div class="councils-chart"')


def test_jupyter_bundle_holds_vega_lite_six_and_five_and_no_html(table):
    spec = charts.figure_chart(table, 7).to_dict()
    bundle = charts.jupyter_bundle(spec)
    assert set(bundle) == {VEGALITE6, VEGALITE5, "text/plain"}
    # A fixed width: in JupyterLab 4.6 a chart of its container's width hangs the page (tried in Chromium).
    assert bundle[VEGALITE6]["width"] == 600 and bundle[VEGALITE6] == charts.laid_out(spec, 600)
    assert bundle[VEGALITE5] == {**bundle[VEGALITE6], "$schema": "https://vega.github.io/schema/vega-lite/v5.json"}
    assert charts.jupyter_bundle(spec) == bundle, "the same spec gives the same output (strict nbval)"


def test_jupyter_specs_compile_with_vega_lite_five_and_six(table):
    """JupyterLab 4 and VS Code draw Vega-Lite 5: the spec must compile with both majors."""
    for spec in (charts.figure_chart(table, 7).to_dict(), _comparison_spec()):
        for version, mime in (("5.8", VEGALITE5), ("6.4", VEGALITE6)):
            vega = vl_convert.vegalite_to_vega(charts.jupyter_bundle(spec)[mime], vl_version=version)
            assert vega["marks"], f"Vega-Lite {version} compiled no marks"


def test_show_displays_the_jupyter_bundle(table, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    chart = charts.figure_chart(table, 2)
    charts.show(chart)
    assert shown == [(charts.jupyter_bundle(chart.to_dict()), True)]


def test_chart_html_escapes_its_text_alternative():
    spec = {"description": '"><script>x</script>', "mark": "point", "width": 10, "height": 10,
            "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    html = charts.chart_html(spec, "en")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_chart_embeds_aggregates_not_rows(tmp_path):
    """A page's size does not grow with respondents: 40 and 4,000 rows give specs of one size."""
    sizes = {}
    for rows in (40, 4000):
        write_round(tmp_path / f"r{rows}", rows=rows, seed=1, previous_round=None)
        spec = charts.figure_chart(frequency_table(f"r{rows}", data_dir=tmp_path), 1).to_dict()
        assert len(_rows(spec)) <= 5
        sizes[rows] = len(json.dumps(_rows(spec)))
    assert abs(sizes[40] - sizes[4000]) < 60  # only the digits of the counts differ
