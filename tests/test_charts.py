"""Chart builders tested by their spec (chart.to_dict()), not by pixels, and the offline renderer."""

import json
import re

import pytest

from councils import charts
from councils.codebook import load_codebook
from councils.fictional import write_round
from councils.tables import frequency_table

# Figure number -> (question ids, categories drawn, printed in the report) for the 2016 round.
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
                          "integration_prize", "citizen_meetings"]),
}


@pytest.fixture(scope="module")
def table():
    return frequency_table("2016")


def _spec(table, number, lang="en"):
    return charts.figure_chart(table, number, lang).to_dict()


def _rows(spec):
    (rows,) = {json.dumps(v, sort_keys=True): v for v in spec["datasets"].values()}.values()
    return rows


def _layers(spec):
    return spec.get("layer", [spec])


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_figure_draws_the_reports_categories(table, number):
    questions, categories = FIGURES[number]
    spec = _spec(table, number)
    rows = _rows(spec)
    assert [r["question"] for r in rows] == [q for q in questions for _ in range(len(categories) // len(questions))]
    assert [r["category"] for r in rows] == categories
    assert all(r["base"] == 30 for r in rows)


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_figure_title_number_question_and_n(table, number):
    spec = _spec(table, number)
    codebook = load_codebook()
    assert " ".join(spec["title"]["text"]) == f"Figure {number}. {codebook.figure_title(number)}"
    assert all(len(line) <= 60 for line in spec["title"]["text"]), "long titles wrap, never cut"
    assert "n = 30 responding councils" in spec["title"]["subtitle"]
    assert spec["description"].startswith(f"Figure {number}.")


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_figure_tooltip_axes_and_bars(table, number):
    spec = _spec(table, number)
    first = _layers(spec)[0]
    assert first["mark"]["type"] == "bar"
    enc = first["encoding"]
    assert enc["x"]["field"] == "share" and enc["x"]["type"] == "quantitative"
    assert enc["x"]["axis"]["format"] == "%" and enc["x"]["title"] == "Share of responding councils"
    assert {t["field"] for t in enc["tooltip"]} >= {"count", "base", "share", "label"}


def test_single_question_figures_show_interval_and_count_labels(table):
    spec = _spec(table, 1)
    marks = [layer["mark"]["type"] for layer in _layers(spec)]
    assert marks == ["bar", "rule", "text"]
    rule = _layers(spec)[1]["encoding"]
    assert (rule["x"]["field"], rule["x2"]["field"]) == ("ci_low", "ci_high")
    texts = [r["share_text"] for r in _rows(spec)]
    assert texts[0] == "16 (53%)"


def test_figure_seven_stacks_both_questions(table):
    spec = _spec(table, 7)
    assert spec["encoding"]["y"]["field"] == "question_label"
    assert spec["encoding"]["color"]["field"] == "label"


def test_multiple_choice_figures_say_shares_exceed_100_percent(table):
    for number in (6, 10):
        assert any("more than 100%" in line for line in _spec(table, number)["title"]["subtitle"])
    assert not any("more than 100%" in line for line in _spec(table, 1)["title"]["subtitle"])


def test_danish_labels_come_from_the_codebook(table):
    spec = _spec(table, 1, lang="da")
    codebook = load_codebook()
    assert " ".join(spec["title"]["text"]) == "Figur 1. " + codebook.question("chair_background").da
    labels = [r["label"] for r in _rows(spec)]
    assert labels == [o.da for o in codebook.question("chair_background").options]
    assert _layers(spec)[0]["encoding"]["x"]["title"] == codebook.words("da")["share"]


def test_house_theme_uses_colour_blind_safe_palette(table):
    spec = _spec(table, 7)
    assert spec["config"]["range"]["category"] == charts.PALETTE
    assert charts.PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]  # Okabe-Ito


def test_renderer_is_deterministic_and_offline(table):
    chart = charts.figure_chart(table, 3)
    first, second = charts._render(chart.to_dict()), charts._render(charts.figure_chart(table, 3).to_dict())
    assert first == second
    html = first["text/html"]
    assert re.search(r'id="vis-[0-9a-f]{12}"', html)
    assert "http" not in html.replace(chart.to_dict()["$schema"], "")
    assert 'role="figure"' in html and 'aria-label="Figure 3.' in html
    other = charts._render(charts.figure_chart(table, 4).to_dict())["text/html"]
    assert re.search(r'id="(vis-[0-9a-f]+)"', html).group(1) != re.search(r'id="(vis-[0-9a-f]+)"', other).group(1)


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
