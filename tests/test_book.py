"""The chapters as committed: parameters, glued numbers, current outputs, thin cells."""

import json
import re
from pathlib import Path

import pytest
import yaml

from councils import run
from councils.paths import published_round
from councils.rounds import load_round

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
# Prose may name years, sections of the law or the report, and chapter numbers; counts, shares and
# totals must be glued. These patterns catch a number written as a finding.
TYPED_FINDING = re.compile(
    r"\b\d+\s*(?:of|out of|af|ud af|/)\s*\d+\b"  # "16 of 30", "16/30"
    r"|\b\d+(?:[.,]\d+)?\s*(?:%|per ?cent|procent)"  # "53%", "75 per cent"
    r"|\b\d+\s+(?:councils?|råd|municipalit\w+|chairs?|members?|respondents?|interviews?)\b"  # "44 councils"
)


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _markdown(path):
    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    return re.sub(r"\{glue:text\}`[^`]*`|\{numref\}`[^`]*`|```\{glue:figure\}[^\n]*", "", text)


def test_every_chapter_is_in_the_table_of_contents():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = {toc["root"]} | {c["file"] for part in toc["parts"] for c in part["chapters"]}
    from councils.site import COMPARISON_CHAPTER, TRENDS_CHAPTER

    # the comparison and the trends are added to a round's table of contents when its series has the rounds for them
    added = {f"chapters/{COMPARISON_CHAPTER}", f"chapters/{TRENDS_CHAPTER}"}
    assert {f"chapters/{p.stem}" for p in CHAPTERS} == listed | added


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_parameters_cell_first_hidden_with_published_defaults(path):
    first = _cells(path)[0]
    assert first["cell_type"] == "code"
    assert set(first["metadata"]["tags"]) == {"parameters", "remove-cell"}
    namespace = {}
    exec("".join(first["source"]), namespace)
    # None: the published round, named once in _config.yml (councils.paths.published_round)
    assert (namespace["round_id"], namespace["data_dir"]) == (None, None)
    assert "lang" not in namespace  # a chapter is executed once for both languages of the book


def test_the_published_round_is_named_once_in_config(tmp_path, monkeypatch):
    from councils import paths

    assert published_round() == "2016"
    config = tmp_path / "_config.yml"
    config.write_text("title: x\ncouncils:\n  published_round: example\n", encoding="utf-8")
    monkeypatch.setattr(paths, "CONFIG_PATH", config)
    paths.published_round.cache_clear()
    try:
        assert paths.published_round() == "example"
    finally:
        monkeypatch.undo()
        paths.published_round.cache_clear()
    assert published_round() == "2016"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_number_typed_into_prose(path):
    hits = TYPED_FINDING.findall(_markdown(path))
    assert not hits, f"glue these instead of typing them: {hits}"


def test_typed_finding_pattern_catches_what_it_should():
    for typed in ("16 of 30", "16/30", "53%", "75 per cent", "44 councils", "5 af 30"):
        assert TYPED_FINDING.search(typed), typed
    for allowed in ("the elections of 21 November 2017", "section 42(2)", "chapter 2", "since 2004"):
        assert not TYPED_FINDING.search(allowed), allowed


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_code_cells_are_thin(path):
    """Chapters call the package: short cells, no function or class definitions, no data wrangling."""
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert len(source.splitlines()) <= 8, source
        assert not re.search(r"^\s*(def|class|import pandas|import altair)\b", source, re.M), source
        tags = set(cell["metadata"].get("tags", []))
        assert tags & {"remove-cell", "remove-input"}, "code is not for readers: hide it"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_committed_outputs_are_current(path):
    """Each chapter was executed with the code and data committed beside it (`make book` was run)."""
    stored = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("councils", {}).get("execution_key")
    assert stored == run.execution_key(path, load_round(published_round()), {}), \
        f"{path.name} is stale: run `make book` and commit the chapters"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_machine_path_or_timing_in_committed_notebooks(path):
    text = path.read_text(encoding="utf-8")
    assert str(ROOT) not in text and "/root/" not in text
    nb = json.loads(text)
    assert "papermill" not in nb["metadata"]
    assert all("execution" not in c.get("metadata", {}) for c in nb["cells"])


def test_figures_appear_in_the_reports_order():
    """The published book's figures, in toc order, are the report's 1-10, each once per edition."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    order = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    for lang in ("en", "da"):  # each edition keeps its own language's cells
        names = []
        for doc in order:
            for cell in _cells(ROOT / f"{doc}.ipynb"):
                if f"lang-{lang}" not in cell["metadata"].get("tags", []):
                    continue
                for output in cell.get("outputs", []):
                    names += re.findall(r'<figure class="councils-figure" id="fig-(\d+)"',
                                        "".join(output.get("data", {}).get("text/html", "")))
        assert [int(n) for n in names] == list(range(1, 11)), lang


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_prose_cell_is_in_both_languages(path):
    """Every markdown cell belongs to one edition, and the two editions have as many of them in the same order."""
    cells = _cells(path)
    tags = [set(c["metadata"].get("tags", [])) & {"lang-en", "lang-da"} for c in cells if c["cell_type"] == "markdown"]
    assert all(len(t) == 1 for t in tags), "a prose cell without exactly one language tag"
    assert [t for t in tags if t == {"lang-en"}].__len__() == [t for t in tags if t == {"lang-da"}].__len__()
    shown = [c for c in cells if c["cell_type"] == "code" and "remove-input" in c["metadata"].get("tags", [])]
    calls = {lang: ["".join(c["source"]).replace(f"({lang}", "(ctx") for c in shown
                    if f"lang-{lang}" in c["metadata"]["tags"]] for lang in ("en", "da")}
    assert calls["en"] == calls["da"], "each shown cell exists in both languages, in the same order"
