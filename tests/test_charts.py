"""Chart builders tested by their spec (chart.to_dict()) and by Vega's own layout of it, not by pixels.

Vega's layout comes from vl-convert (the same package that bundles Vega for the site): its scene graph
holds every text Vega would draw, with the limit at which Vega would cut it with "…".
"""

import json
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
# The text column of a 320 px phone (the narrowest screen the book is for) is 272 px wide; at 12 px a
# character is about 6.5 px, so a label line of 16 characters leaves room for the bars, and a 14 px
# bold title line of 30 characters fits. Words longer than a line keep a line of their own.
LABEL_LINE = 16
TITLE_LINE = 30
PHONE_COLUMN = 272
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
    """The chart's data rows (the one dataset that holds rows with a 'row' key)."""
    (rows,) = [v for v in spec["datasets"].values() if v and "row" in v[0]]
    return rows


def _layers(spec):
    return spec.get("layer", [spec])


def _y_axis(spec):
    return next(layer["encoding"]["y"] for layer in _layers(spec) if "y" in layer["encoding"])


def _axis_lines(spec) -> dict[str, list[str]]:
    """The lines the y axis draws for each row key: its labelExpr is a JSON object looked up by the key."""
    expr = _y_axis(spec)["axis"]["labelExpr"]
    assert expr.endswith("[datum.value]"), expr
    return json.loads(expr.removesuffix("[datum.value]"))


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


def _scene(spec, width=PHONE_COLUMN, version="6.4"):
    """Vega's scene graph of a spec laid out at ``width`` px (there is no container outside a page)."""
    return vl_convert.vegalite_to_scenegraph({**spec, "width": width}, vl_version=version)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _comparison_spec():
    return charts.comparison_chart(comparison_table("example", "2016"), "2016", "example").to_dict()


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
    assert text == load_codebook().figure_title(number)
    assert "Figure" not in text and not re.match(r"\s*\d", text), "the book's caption numbers the figure"
    assert all(len(line) <= TITLE_LINE for line in spec["title"]["text"]), "titles wrap to fit a phone"
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
    first = _layers(spec)[0]
    assert first["mark"]["type"] == "bar"
    enc = first["encoding"]
    assert enc["x"]["field"] == "share" and enc["x"]["type"] == "quantitative"
    assert enc["x"]["axis"]["format"] == "%" and enc["x"]["title"] == "Share of responding councils"
    assert {t["field"] for t in enc["tooltip"]} >= {"count", "base", "share", "label"}


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_every_bar_has_its_interval_and_its_count_and_share_written(table, number):
    spec = _spec(table, number)
    marks = [layer["mark"]["type"] for layer in _layers(spec)]
    assert marks == ["bar", "rule", "text"]
    rule, text = _layers(spec)[1]["encoding"], _layers(spec)[2]["encoding"]
    assert (rule["x"]["field"], rule["x2"]["field"]) == ("ci_low", "ci_high")
    assert text["text"]["field"] == "share_text"
    assert text["y"]["field"] == "y" == _layers(spec)[0]["encoding"]["y"]["field"], "each value on its bar's row"
    assert all(r["share_text"] for r in _rows(spec))


def test_written_values_are_count_and_share(table):
    # The report's counts of 30: chair 16, 8, 4, 2; cooperation 24 and 6, secretariat 28 and 2.
    assert [r["share_text"] for r in _rows(_spec(table, 1))] == ["16 (53%)", "8 (27%)", "4 (13%)", "2 (7%)"]
    assert [r["share_text"] for r in _rows(_spec(table, 7))] == ["24 (80%)", "6 (20%)", "28 (93%)", "2 (7%)"]


def reads_as(lines: list[str], text: str) -> bool:
    """Whether wrapped ``lines`` read back as ``text``: lines join with a space, or, after a syllable hyphen
    that ``text`` does not hold (a word broken by charts.wrap), with nothing."""
    pos = 0
    for i, line in enumerate(lines):
        if text.startswith(line, pos):
            pos += len(line)
        elif line.endswith("-") and text.startswith(line[:-1], pos) and not text.startswith(" ", pos + len(line) - 1):
            pos += len(line) - 1
            continue
        else:
            return False
        if i < len(lines) - 1:
            if not text.startswith(" ", pos):
                return False
            pos += 1
    return pos == len(text)


def test_reads_as_by_hand():
    assert reads_as(["Samarbejdet med", "kommunalbesty-", "relsen"], "Samarbejdet med kommunalbestyrelsen")
    assert reads_as(["flygtninge-", "og indvandrere"], "flygtninge- og indvandrere")
    assert not reads_as(["Samarbejdet", "kommunal-", "bestyrelsen"], "Samarbejdet med kommunalbestyrelsen")
    assert not reads_as(["kommunal-", "bestyrelsen"], "kommunal- bestyrelsen x")


def _labels_top_down(spec) -> list[list[str]]:
    lines = _axis_lines(spec)
    return [lines[str(position)] for position in _y_axis(spec)["axis"]["values"]]


def test_figure_seven_groups_each_questions_bars_under_its_name_in_bold(table):
    spec = _spec(table, 7)
    other = "Other answers (less satisfied, don't know, not stated)"
    expected = ["Cooperation with the municipal board", "Very or mostly satisfactory", other,
                "Secretariat support", "Very or mostly satisfactory", other]
    shown = _labels_top_down(spec)
    assert len(shown) == len(expected) and all(reads_as(lines, text) for lines, text in zip(shown, expected)), shown
    positions = _y_axis(spec)["axis"]["values"]
    weight = _y_axis(spec)["axis"]["labelFontWeight"]
    assert weight["condition"]["value"] == "bold" and weight["value"] == "normal"
    bold = json.loads(weight["condition"]["test"].removeprefix("indexof(").split(", '' +")[0])
    assert bold == [str(positions[0]), str(positions[3])], "the question names, not the answers, are bold"
    assert sorted(r["y"] for r in _rows(spec)) == [positions[i] for i in (1, 2, 4, 5)], "no bar on a heading"
    assert "legend" not in json.dumps(_layers(spec)[0]["encoding"]["color"]).replace('"legend": null', "")


def test_multiple_choice_figures_say_shares_exceed_100_percent(table):
    for number in (6, 10):
        assert "more than 100%" in " ".join(_spec(table, number)["title"]["subtitle"])
    assert "more than 100%" not in " ".join(_spec(table, 1)["title"]["subtitle"])


# ---------------------------------------------------------------------------------------------------
# Fitting every screen: container width, wrapped labels, nothing cut


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_chart_takes_the_width_of_its_container(table, number):
    spec = _spec(table, number)
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_comparison_takes_the_width_of_its_container():
    spec = _comparison_spec()
    assert spec["width"] == "container" and spec["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_chart_box_spans_the_column():
    css = CSS.read_text(encoding="utf-8")
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    box = {sel.strip(): body for sels, body in rules.items() for sel in sels.split(",")}
    assert "width: 100%" in box[".councils-chart"]
    assert "width: 100%" in box[".councils-chart .vega-embed"]
    assert "overflow" not in box[".councils-chart"], "a chart must fit, not scroll inside a box"


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_labels_are_whole_and_wrapped_into_short_lines(table, number):
    spec = _spec(table, number)
    lines = _axis_lines(spec)
    assert set(lines) == {str(position) for position in _y_axis(spec)["axis"]["values"]}
    assert _y_axis(spec)["axis"]["labelOverlap"] is False, "every row keeps its label"
    for row in _rows(spec):
        assert lines[str(row["y"])] == row["lines"]
        assert reads_as(row["lines"], row["label"]), ("wrapping loses no word", row["lines"])
        assert all(len(line) <= LABEL_LINE for line in row["lines"]), row["lines"]


def test_long_labels_take_several_lines(table):
    spec = _spec(table, 10)
    (row,) = [r for r in _rows(spec) if r["category"] == "meetings_in_town"]
    assert _axis_lines(spec)[str(row["y"])] == [
        "Council meetings", "held out in town", "(e.g. at schools", "or refugee", "centres)"]
    comparison = _comparison_spec()
    (row,) = [r for r in _rows(comparison) if r["row"] == "integration_policy:decided_to_prepare"]
    decided = _axis_lines(comparison)[str(row["y"])]
    assert " ".join(decided) == "Integration policy: It has been decided to prepare one"
    assert all(len(line) <= LABEL_LINE for line in decided)


def test_multi_line_labels_are_centred_on_their_bar(table):
    # Vega draws a label's first line at its tick: 2 lines are raised by half a line (7 px), 5 by 2 lines.
    spec = _spec(table, 10)
    offset = _y_axis(spec)["axis"]["labelOffset"]
    assert offset["value"] == 0
    raised = {int(position): c["value"] for c in offset["condition"]
              for position in json.loads(c["test"].removeprefix("indexof(").split(", '' +")[0])}
    at = {r["category"]: r["y"] for r in _rows(spec)}
    assert raised[at["meetings_in_town"]] == -28  # 5 lines
    assert raised[at["invite_civil_society"]] == -21  # "Invites", "civil-society", "actors to", "council meetings"
    assert at["website"] not in raised  # 1 line


@pytest.mark.parametrize("number", [7, 10])
def test_rows_are_as_tall_as_their_labels(table, number):
    spec = _spec(table, number)
    lines, positions = _axis_lines(spec), _y_axis(spec)["axis"]["values"]
    heights = [max(len(lines[str(p)]) * 14, 18) + 12 for p in positions]  # 14 px a line, 18 px a bar, 12 between
    assert spec["height"] == sum(heights)
    assert positions == [sum(heights[:i]) + heights[i] // 2 for i in range(len(heights))]


def test_comparison_rows_are_as_tall_as_their_labels():
    spec = _comparison_spec()
    rows = sorted(_rows(spec), key=lambda r: r["y"])
    assert [r["change"] for r in rows] == sorted(r["change"] for r in rows), "sorted by change"
    lines = _axis_lines(spec)
    heights = [max(len(lines[str(r["y"])]) * 14, 18) + 12 for r in rows]  # 14 px a line, 18 a bar, 12 between
    assert spec["height"] == sum(heights)
    assert min(heights) == 30 and max(heights) > 30, "rows differ in height: one line is not as tall as six"
    assert _y_axis(spec)["axis"]["values"] == [r["y"] for r in rows]
    assert _y_axis(spec)["axis"]["labelOverlap"] is False, "every row keeps its label"


def test_no_text_can_be_cut_short(table):
    config = _spec(table, 1)["config"]
    assert config["axis"]["labelLimit"] == 0 and config["legend"]["labelLimit"] == 0
    assert config["title"]["limit"] == 0
    for spec in [_spec(table, n) for n in sorted(FIGURES)] + [_comparison_spec()]:
        texts = list(_texts(_scene(spec)["scenegraph"]))
        assert texts, "the scene graph has text"
        cut = [(text, limit) for text, limit in texts if limit]
        assert not cut, f"Vega would shorten these with '…' at {PHONE_COLUMN} px: {cut[:5]}"
        assert not any(str(text).endswith("…") for text, _ in texts)


def test_values_have_room_right_of_the_scale(table):
    # "28 (93%)" is 8 characters: at 12 px about 7 px each, so at least 56 px plus the gap are kept free.
    scale = _layers(_spec(table, 7))[0]["encoding"]["x"]["scale"]
    assert scale["range"][0] == 0
    room = int(re.fullmatch(r"width - (\d+)", scale["range"][1]["expr"]).group(1))
    assert room >= 8 * 7 + 4
    scale = _layers(_comparison_spec())[1]["encoding"]["x"]["scale"]
    room = int(re.fullmatch(r"width - (\d+)", scale["range"][1]["expr"]).group(1))
    assert room >= len("53.3% → 52.8%") * 6  # the longest pair of shares, at 11 px


@pytest.mark.parametrize("number", [1, 7, 10])
def test_at_phone_width_the_bars_keep_room(table, number):
    scene = _scene(_spec(table, number))
    plot = scene["scenegraph"]["items"][0]
    assert scene["width"] == PHONE_COLUMN
    assert plot["width"] >= 60, f"figure {number}: the plot is {plot['width']} px wide at a phone's width"


# ---------------------------------------------------------------------------------------------------
# Colours


def test_ordinal_ramp_runs_dark_to_light_and_stays_visible_on_white():
    assert charts.ORDINAL_RAMP == RAMP and charts.NO_ANSWER_GREY == GREY
    luminance = [_luminance(c) for c in RAMP]
    assert luminance == sorted(luminance) and len(set(luminance)) == len(RAMP)
    assert all(_contrast(c, "#ffffff") >= 3 for c in [*RAMP, GREY])


def test_ordered_scale_is_coloured_in_codebook_order(example):
    colour = _layers(_spec(example, 9, round_id="example"))[0]["encoding"]["color"]
    assert colour["field"] == "category"
    assert colour["scale"]["domain"] == ["large", "some", "small", "none", "dont_know", "not_stated"]
    assert colour["scale"]["range"] == [*RAMP, GREY, GREY]
    satisfaction = _layers(_spec(example, 7, round_id="example"))[0]["encoding"]["color"]["scale"]
    assert satisfaction["domain"] == ["very_satisfactory", "mostly_satisfactory", "mostly_unsatisfactory",
                                      "very_unsatisfactory", "dont_know", "not_stated"]
    assert satisfaction["range"] == [*RAMP, GREY, GREY]


def test_two_step_scale_takes_both_ends_of_the_ramp(table):
    scale = _layers(_spec(table, 7))[0]["encoding"]["color"]["scale"]
    assert scale == {"domain": ["satisfied", "not_satisfied"], "range": [RAMP[0], RAMP[-1]]}


def test_unordered_answers_share_one_colour_and_no_answer_is_grey(table):
    scale = _layers(_spec(table, 1))[0]["encoding"]["color"]["scale"]
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
    assert " ".join(spec["title"]["text"]) == codebook.question("chair_background").da
    labels = [r["label"] for r in _rows(spec)]
    assert labels == [o.da for o in codebook.question("chair_background").options]
    assert _layers(spec)[0]["encoding"]["x"]["title"] == codebook.words("da")["share"]
    heading = _labels_top_down(_spec(table, 7, lang="da"))[0]
    assert reads_as(heading, codebook.question("cooperation_municipal_board").short_da), heading
    # Danish compounds longer than a line are hyphenated at a syllable, never left wider than the column
    assert heading == ["Samarbejdet med", "kommunalbesty-", "relsen"]
    sekretariat = _labels_top_down(_spec(table, 7, lang="da"))[3]
    assert all(len(line) <= LABEL_LINE for line in sekretariat) and reads_as(
        sekretariat, codebook.question("secretariat_service").short_da), sekretariat


# ---------------------------------------------------------------------------------------------------
# Renderers: the site's HTML and Jupyter's Vega-Lite


def test_renderer_is_deterministic_and_offline(table):
    chart = charts.figure_chart(table, 3)
    first, second = charts._render(chart.to_dict()), charts._render(charts.figure_chart(table, 3).to_dict())
    assert first == second
    html = first["text/html"]
    assert re.search(r'id="vis-[0-9a-f]{12}"', html)
    assert "http" not in html.replace(chart.to_dict()["$schema"], "")
    assert 'role="figure"' in html and 'aria-label="Does the integration council have a budget' in html
    other = charts._render(charts.figure_chart(table, 4).to_dict())["text/html"]
    assert re.search(r'id="(vis-[0-9a-f]+)"', html).group(1) != re.search(r'id="(vis-[0-9a-f]+)"', other).group(1)


def test_book_bundle_holds_html_and_text_only(table):
    """myst-nb renders every type of a glued bundle and fails the strict build on one it cannot render."""
    bundle = charts._render(charts.figure_chart(table, 3).to_dict())
    assert set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/plain"].startswith("Does the integration council have a budget of its own?")


def test_jupyter_bundle_holds_vega_lite_six_and_five_and_no_html(table):
    spec = charts.figure_chart(table, 7).to_dict()
    bundle = charts.jupyter_bundle(spec)
    assert set(bundle) == {VEGALITE6, VEGALITE5, "text/plain"}
    # A fixed width: in JupyterLab 4.6 a chart of its container's width hangs the page (tried in Chromium).
    assert bundle[VEGALITE6] == {**spec, "width": 600}
    assert bundle[VEGALITE5] == {**spec, "width": 600, "$schema": "https://vega.github.io/schema/vega-lite/v5.json"}
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


def test_renderer_escapes_closing_script_tags():
    html = charts._render({"description": "x", "title": "</script><b>"})["text/html"]
    assert "</script><b>" not in html.split("<script>", 1)[1].rsplit("</script>", 1)[0]


def test_chart_embeds_aggregates_not_rows(tmp_path):
    """A page's size does not grow with respondents: 40 and 4,000 rows give specs of one size."""
    sizes = {}
    for rows in (40, 4000):
        write_round(tmp_path / f"r{rows}", rows=rows, seed=1, previous_round=None)
        spec = charts.figure_chart(frequency_table(f"r{rows}", data_dir=tmp_path), 1).to_dict()
        assert len(_rows(spec)) <= 5
        sizes[rows] = len(json.dumps(_rows(spec)))
    assert abs(sizes[40] - sizes[4000]) < 60  # only the digits of the counts differ
