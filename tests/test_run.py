"""``python -m councils run``: a round's site, built from data in a temporary folder.

A fictional round ``demo`` (34 rows, compared with a copy of the 2016 round) is built once in English
and once in Danish, and a round ``2021-pilot`` once; every other test reads those sites or runs
commands that stop before any chapter is executed. The repository's ``data/`` is never written to:
every round lives under pytest's temporary folder and is passed with ``--data``, every site with
``--out``. Executed chapters go to the shared cache ``_build/cache/executed``, as in real use, and
are removed from it at the end (keyed on a temporary folder, they can never be hit again).

The commands run in a fresh interpreter from the repository root (as an analyst runs them), except
the failing-chapter test, which runs ``councils.cli.main`` in-process over a temporary chapters
folder holding one notebook that raises.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from councils import cli, run
from councils.codebook import load_codebook
from councils.fictional import write_round
from councils.rounds import load_round
from councils.validate import check_round, option_column

REPO = Path(__file__).resolve().parent.parent
EXECUTED = REPO / "_build" / "cache" / "executed"
BUILD_TIMEOUT = 600
BANNER = "Fictional data: the round's metadata marks it as fictional."
CHAPTER_PAGES = ["index", "1_introduction", "2_organisation", "3_influence", "4_conclusions", "5_comparison",
                 "appendix_methods", "appendix_questionnaire"]


# ---------------------------------------------------------------------------------------------------
# Helpers


def councils(*args: str) -> subprocess.CompletedProcess:
    """``python -m councils ARGS`` in a fresh interpreter from the repository root; CI and the rest kept."""
    env = dict(os.environ)
    env.pop("COUNCILS_DEBUG", None)  # the no-traceback promise is part of what is tested
    return subprocess.run([sys.executable, "-m", "councils", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, check=False, timeout=BUILD_TIMEOUT)


def short_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` by relative name, files with the SHA-256 of their bytes."""
    return {p.relative_to(folder).as_posix(): ("folder" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*"))}


def cache_listing() -> dict[str, int]:
    """Every file of the execution cache with its modification time."""
    if not EXECUTED.exists():
        return {}
    return {p.relative_to(EXECUTED).as_posix(): p.stat().st_mtime_ns for p in EXECUTED.rglob("*") if p.is_file()}


def executed_since(before: dict[str, int], rounds: Path) -> list[str]:
    """Cache files new or rewritten since ``before`` that were executed for rounds under ``rounds``.

    The cache is shared with whatever else runs on the machine (another build, another test run), so
    only notebooks whose injected parameters name this module's data folder count.
    """
    found = []
    for name, mtime in cache_listing().items():
        if before.get(name) == mtime:
            continue
        try:
            text = (EXECUTED / name).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:  # another process's partial file, moved meanwhile
            continue
        if str(rounds) in text or str(rounds.resolve()) in text:
            found.append(name)
    return found


def html_pages(site: Path) -> list[Path]:
    """The site's pages, without the root redirect (a bare meta refresh) and theme assets."""
    return [p for p in sorted(site.rglob("*.html"))
            if "_static" not in p.parts and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")]


CHART = re.compile(r'<div class="councils-chart"')
SVG_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)


def chart_count(page: Path) -> int:
    """How many charts a page shows (councils.charts.chart_html: each with its drawings at several widths)."""
    return len(CHART.findall(page.read_text(encoding="utf-8")))


def chart_texts(site: Path) -> set[str]:
    """Every text drawn in the site's charts (titles, labels, axes), a line of several tspans as one line."""
    texts = set()
    for page in sorted((site / "chapters").glob("*.html")):
        for raw in SVG_TEXT.findall(page.read_text(encoding="utf-8")):
            texts.add(html.unescape(" ".join(re.sub(r"<[^>]+>", " ", raw).split())))
    return texts


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def copy_round(rounds: Path, source: str, name: str) -> Path:
    """A copy of round ``source`` named ``name`` (folder and ``round:`` field)."""
    folder = rounds / name
    shutil.copytree(rounds / source, folder)
    meta = yaml.safe_load((folder / "round.yaml").read_text(encoding="utf-8"))
    meta["round"] = name
    (folder / "round.yaml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------------------
# Fixtures: the data folder and the three builds, once for the module


@dataclass(frozen=True)
class Data:
    base: Path  # the module's temporary folder
    rounds: Path  # what --data points at

    def round(self, name: str) -> Path:
        return self.rounds / name


@dataclass(frozen=True)
class Build:
    root: Path  # the folder --out named
    out: Path  # the edition looked at: root/<lang> when both editions were built, else root
    result: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    base = tmp_path_factory.mktemp("run")
    rounds = base / "rounds"
    rounds.mkdir()
    shutil.copytree(REPO / "data" / "rounds" / "2016", rounds / "2016")
    write_round(rounds / "demo", 34, seed=7, previous_round="2016")
    write_round(rounds / "2021-pilot", 31, seed=11, previous_round=None)
    write_round(rounds / "0042", 30, seed=3, previous_round=None)
    yield Data(base, rounds)
    # Chapters executed for this temporary folder can never be a cache hit again: drop them, so that
    # test runs do not fill the shared cache (a failed chapter's notebook is kept for inspection).
    for name in executed_since({}, rounds):
        if not name.startswith("failed/"):
            (EXECUTED / name).unlink(missing_ok=True)


def build(data: Data, round_id: str, out_name: str, *extra: str) -> subprocess.CompletedProcess:
    out = data.base / "sites" / out_name
    result = councils("run", "--round", round_id, "--data", data.rounds, "--out", out, *extra)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def site_both(data) -> subprocess.CompletedProcess:
    """The default: both editions of round demo from one execution, into sites/demo/{da,en}."""
    return build(data, "demo", "demo")


@pytest.fixture(scope="module")
def site_en(data, site_both) -> Build:
    root = data.base / "sites" / "demo"
    return Build(root, root / "en", site_both)


@pytest.fixture(scope="module")
def site_da(data, site_both) -> Build:
    root = data.base / "sites" / "demo"
    return Build(root, root / "da", site_both)


@pytest.fixture(scope="module")
def site_pilot(data) -> Build:
    """One edition only (--lang en): the site is the --out folder itself."""
    root = data.base / "sites" / "pilot-en"
    return Build(root, root, build(data, "2021-pilot", "pilot-en", "--lang", "en"))


# ---------------------------------------------------------------------------------------------------
# 1. A good fictional round


def test_good_round_builds(site_en):
    assert site_en.result.returncode == 0
    assert "Traceback" not in site_en.result.stderr
    assert f"built {site_en.root}" in site_en.result.stdout
    assert (site_en.out / "index.html").is_file() and (site_en.root / "index.html").is_file()
    root = (site_en.root / "index.html").read_text(encoding="utf-8")
    assert root.index('href="da/chapters/index.html"') < root.index('href="en/chapters/index.html"')
    for name in CHAPTER_PAGES:
        assert (site_en.out / "chapters" / f"{name}.html").is_file(), name


def test_every_page_carries_the_fictional_banner(site_en):
    pages = html_pages(site_en.out)
    assert {f"chapters/{n}.html" for n in CHAPTER_PAGES} <= {p.relative_to(site_en.out).as_posix() for p in pages}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        banner = re.search(r'<div class="bd-header-announcement__content">(.*?)</div>', text, re.S)
        assert banner and BANNER in banner.group(1), page.name


def test_provenance_footer_shows_the_data_hashes(data, site_en):
    demo = data.round("demo")
    responses, metadata = short_sha256(demo / "responses.csv"), short_sha256(demo / "round.yaml")
    for page in html_pages(site_en.out):
        footer = re.search(r'<div class="councils-provenance">(.*?)</div>', page.read_text(encoding="utf-8"), re.S)
        assert footer, f"no provenance footer on {page.name}"
        text = footer.group(1)
        assert "<strong>demo</strong>" in text
        assert f"answers <code>{responses}</code>" in text, page.name  # the file's hash, named in words
        assert f"metadata <code>{metadata}</code>" in text, page.name
        assert "responses.csv" not in text and "round.yaml" not in text, text
        assert re.search(r"Code version <code>[0-9a-f]{12}( ?\+uncommitted changes)?</code>", text), text
        assert re.search(r"Built \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC", text), text


def test_comparison_chapter_is_built_when_there_is_an_earlier_round(site_en):
    page = site_en.out / "chapters" / "5_comparison.html"
    assert page.is_file()
    assert sum(chart_count(p) for p in (site_en.out / "chapters").glob("*.html")), "the site has no charts"
    assert chart_count(page), "the comparison chapter draws no chart"


def test_provenance_json(data, site_en):
    prov = json.loads((site_en.out / "provenance.json").read_text(encoding="utf-8"))
    demo = data.round("demo")
    assert prov["round"] == "demo"
    assert prov["fictional"] is True
    assert prov["lang"] == "en"
    assert prov["previous_round"] == "2016"
    assert prov["data"] == {"round.yaml": short_sha256(demo / "round.yaml"),
                            "responses.csv": short_sha256(demo / "responses.csv")}


def test_rerun_without_changes_executes_nothing_and_keeps_the_site(data, site_en):
    before, cache_before = tree_digest(site_en.root), cache_listing()
    # The first build's chapters are found in the cache by their data folder: the check below can fail.
    assert len(executed_since({}, data.rounds)) >= len(CHAPTER_PAGES)
    result = councils("run", "--round", "demo", "--data", data.rounds, "--out", site_en.root)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout and "0 of 8 chapters executed" in result.stdout, result.stdout
    assert tree_digest(site_en.root) == before
    assert executed_since(cache_before, data.rounds) == []


def test_a_change_of_data_changes_the_execution_key(data, tmp_path):
    """Any change of a round's data re-executes: the cache key covers its files and its earlier round's."""
    rounds = tmp_path / "rounds"
    shutil.copytree(data.rounds / "2016", rounds / "2016")
    shutil.copytree(data.round("demo"), rounds / "demo")
    from councils.site import COMPARISON_CHAPTER

    notebook = run.CHAPTERS_DIR / f"{COMPARISON_CHAPTER}.ipynb"
    parameters = {"round_id": "demo", "data_dir": str(rounds)}

    def key() -> str:
        return run.execution_key(notebook, load_round("demo", rounds), parameters)

    original = key()
    assert key() == original
    responses = rounds / "demo" / "responses.csv"
    rows = read_rows(responses)
    rows[1][rows[0].index("influence")] = "large" if rows[1][rows[0].index("influence")] != "large" else "some"
    write_rows(responses, rows)
    changed = key()
    assert changed != original
    counts = rounds / "2016" / "counts.csv"
    counts.write_text(counts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert key() not in (original, changed)


# ---------------------------------------------------------------------------------------------------
# 2. Danish labels


def test_danish_build_labels_charts_from_the_codebook(site_da, site_en):
    codebook = load_codebook()
    chair = codebook.question("chair_background")
    pages = sorted((site_da.out / "chapters").glob("*.html"))
    assert sum(map(chart_count, pages)) == sum(chart_count(site_en.out / "chapters" / p.name) for p in pages) > 0

    da_texts, en_texts = chart_texts(site_da.out), chart_texts(site_en.out)
    assert "Hvor kommer formanden fra?" in da_texts, sorted(da_texts)[:20]
    assert "Andel af de besvarende råd" in da_texts
    # ... so that their absence below means something:
    assert "Where does the chair come from?" in en_texts
    assert "Share of responding councils" in en_texts
    assert "Politiker" in da_texts and "Politician" in en_texts
    assert {o.label("da") for o in chair.options} <= da_texts
    assert not any("Where does the chair come from?" in s for s in da_texts)
    assert not any("Share of responding councils" in s for s in da_texts)
    assert "Politician" not in da_texts

    # The page text itself: the JSON may escape æ, ø and å, so either form will do.
    page = (site_da.out / "chapters" / "2_organisation.html").read_text(encoding="utf-8")
    assert "Andel af de besvarende råd" in page or "Andel af de besvarende r\\u00e5d" in page
    prov = json.loads((site_da.out / "provenance.json").read_text(encoding="utf-8"))
    assert (prov["round"], prov["lang"]) == ("demo", "da")


# ---------------------------------------------------------------------------------------------------
# 3. Broken rounds: rejected before anything runs, the last good site untouched


def unknown_code(rows: list[list[str]]) -> list[str]:
    rows[3][rows[0].index("chair_background")] = "mayor"  # spreadsheet row 4
    return ["row 4", "column 'chair_background'", "value 'mayor'", "association"]


def duplicate_id(rows: list[list[str]]) -> list[str]:
    column = rows[0].index("respondent_id")
    rows[5][column] = rows[1][column]  # rows 2 and 6 both 'council-001'
    return ["row 2: column 'respondent_id' repeats 'council-001'", "row 6", "expected each value only once"]


def missing_column(rows: list[list[str]]) -> list[str]:
    column = rows[0].index("council_size")
    for row in rows:
        del row[column]
    return ["column 'council_size'", "missing"]


@pytest.mark.parametrize("defect", [unknown_code, duplicate_id, missing_column], ids=lambda f: f.__name__)
def test_broken_round_is_rejected_and_changes_nothing(data, site_en, defect):
    name = f"broken-{defect.__name__.replace('_', '-')}"
    folder = copy_round(data.rounds, "demo", name)
    rows = read_rows(folder / "responses.csv")
    expected = defect(rows)
    write_rows(folder / "responses.csv", rows)

    site_before, cache_before = tree_digest(site_en.root), cache_listing()
    siblings_before = sorted(p.name for p in site_en.root.parent.iterdir())
    result = councils("run", "--round", name, "--data", data.rounds, "--out", site_en.root)

    assert result.returncode == 1, f"{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert "bad input" in result.stderr
    problem_lines = [line for line in result.stderr.splitlines() if "responses.csv" in line]
    assert problem_lines, result.stderr
    for part in expected:
        assert any(part in line for line in problem_lines), f"{part!r} not in:\n{result.stderr}"
    assert tree_digest(site_en.root) == site_before, "the previous site changed"
    assert sorted(p.name for p in site_en.root.parent.iterdir()) == siblings_before, "something was left beside it"
    assert executed_since(cache_before, data.rounds) == [], "a chapter was executed"


# ---------------------------------------------------------------------------------------------------
# 4. Round ids are strings


def test_round_id_that_looks_like_a_number_is_found_and_stays_a_string(data, site_pilot):
    prov = json.loads((site_pilot.out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["round"] == "2021-pilot"
    assert prov["previous_round"] is None
    assert "round 2021-pilot" in site_pilot.result.stdout
    # No earlier round: no comparison chapter.
    assert not (site_pilot.out / "chapters" / "5_comparison.html").exists()
    footer = (site_pilot.out / "chapters" / "index.html").read_text(encoding="utf-8")
    assert "Round <strong>2021-pilot</strong>" in footer


def test_round_0042_keeps_its_leading_zeros(data):
    result = councils("validate", data.round("0042"))
    assert result.returncode == 0, result.stderr
    assert "round '0042'" in result.stdout and "round 42" not in result.stdout
    rnd, frame, problems = check_round(data.round("0042"))
    assert problems == [] and rnd.id == "0042" and len(frame) == 30
    assert load_round("0042", data.rounds).id == "0042"


# ---------------------------------------------------------------------------------------------------
# 5. Nothing of the machine in the pages


def test_no_absolute_path_in_any_page(data, site_en, site_da):
    machine = {str(REPO), str(data.base), str(data.base.resolve()), "/root", str(Path.home())}
    for site in (site_en.out, site_da.out):
        pages = sorted(site.rglob("*.html"))
        assert len(pages) >= len(CHAPTER_PAGES)
        for page in pages:
            text = page.read_text(encoding="utf-8")
            found = [m for m in machine if m in text]
            assert not found, f"{page.relative_to(site)} holds {found}"


def test_no_absolute_path_in_any_file_of_the_site(data, site_en):
    """Not only pages: the site folder is published as a whole (``_sources`` included, if any)."""
    machine = {str(REPO), str(data.base), str(data.base.resolve()), "/root", str(Path.home())}
    for path in sorted(site_en.out.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".ipynb", ".txt", ".json", ".js", ".md"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found = [m for m in machine if m in text]
            assert not found, f"{path.relative_to(site_en.out)} holds {found}"


def test_parameter_cells_are_not_in_the_site(site_en, site_da):
    for site in (site_en.out, site_da.out):
        for page in sorted(site.rglob("*.html")):
            text = page.read_text(encoding="utf-8")
            for name in ("data_dir =", "round_id =", "lang ="):
                assert name not in text, f"{page.relative_to(site)} shows {name!r}"
            assert "injected-parameters" not in text, page.name


# ---------------------------------------------------------------------------------------------------
# 6. A failing chapter: exit 3, chapter and cell named, executed notebook kept, site untouched


def test_failing_cell_exits_3_through_the_command_line_and_keeps_the_built_site(data, site_en, tmp_path,
                                                                               monkeypatch, capsys):
    """The command line's side of a failing chapter (tests/test_run_failure.py covers run_round's).

    In-process over a temporary chapters folder and cache: a markdown cell sits between the
    parameters and the failing cell, so the number named is the chapter's own, counted from 1.
    """
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    source = new_notebook(cells=[
        new_code_cell('round_id = "2016"\ndata_dir = None\nlang = "en"', metadata={"tags": ["parameters", "remove-cell"]}),
        new_markdown_cell("# A chapter that fails"),
        new_code_cell("answer = 41 + 1"),
        new_code_cell("raise ValueError(f'deliberate failure in {round_id}')"),
        new_markdown_cell("Never reached."),
    ])
    source.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    nbformat.write(source, chapters / "1_failing.ipynb")
    cache = tmp_path / "cache"
    monkeypatch.setattr(run, "CHAPTERS_DIR", chapters)
    monkeypatch.setattr(run, "CACHE_DIR", cache)

    site_before = tree_digest(site_en.root)
    siblings_before = sorted(p.name for p in site_en.root.parent.iterdir())
    code = cli.main(["run", "--round", "demo", "--data", str(data.rounds), "--out", str(site_en.root), "--jobs", "1"])
    err = capsys.readouterr().err

    assert code == cli.EXIT_FAILED, err
    assert "Traceback" not in err
    failing = next(i for i, c in enumerate(source.cells) if "raise ValueError" in c.source)
    assert f"chapter '1_failing', cell {failing + 1} " in err, err
    assert "ValueError: deliberate failure in demo" in err
    kept = cache / "executed" / "failed" / "1_failing.ipynb"
    assert kept.is_file(), err
    assert "1_failing.ipynb" in err
    outputs = [o for c in nbformat.read(kept, as_version=4).cells for o in c.get("outputs", [])]
    assert any(o.get("ename") == "ValueError" for o in outputs), "the kept notebook shows the error"
    assert not list((cache / "executed").glob("1_failing-*.ipynb")), "a failed run is never cached as done"
    assert tree_digest(site_en.root) == site_before
    assert sorted(p.name for p in site_en.root.parent.iterdir()) == siblings_before


# ---------------------------------------------------------------------------------------------------
# 7. The blank template


def test_template_header_matches_the_committed_template_and_the_example_round():
    result = councils("template")
    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()
    assert len(printed) == 1
    template = (REPO / "data" / "templates" / "responses.csv").read_text(encoding="utf-8").splitlines()
    example = (REPO / "data" / "rounds" / "example" / "responses.csv").read_text(encoding="utf-8").splitlines()
    assert printed[0] == template[0]
    assert printed[0] == example[0]


# ---------------------------------------------------------------------------------------------------
# 8. The example round of the repository


def test_example_round_is_valid_and_fictional():
    folder = REPO / "data" / "rounds" / "example"
    result = councils("validate", folder)
    assert result.returncode == 0, result.stderr
    assert "round 'example'" in result.stdout and "(fictional example)" in result.stdout
    meta = yaml.safe_load((folder / "round.yaml").read_text(encoding="utf-8"))
    assert meta["fictional"] is True
    assert meta["round"] == "example"
    rnd, frame, problems = check_round(folder)
    assert problems == []
    assert 30 <= len(frame) <= 44
    assert meta["responses"] == len(frame)


def test_readme_says_the_example_round_is_fictional():
    for readme in (REPO / "README.md", REPO / "data" / "README.md"):
        paragraphs = readme.read_text(encoding="utf-8").split("\n\n")
        about_example = [p for p in paragraphs if "rounds/example" in p]
        assert about_example, f"{readme.name} does not mention the example round"
        assert any("fictional" in p.lower() for p in about_example), readme


def test_example_round_exercises_every_question_type():
    codebook = load_codebook()
    _, frame, problems = check_round(REPO / "data" / "rounds" / "example")
    assert problems == []
    types = {q.type for q in codebook.questions}
    assert types == {"single_choice", "multiple_choice", "text"}
    limited = [q for q in codebook.questions if q.type == "multiple_choice" and q.max_answers]
    unlimited = [q for q in codebook.questions if q.type == "multiple_choice" and not q.max_answers]
    assert limited and unlimited, "the codebook has multiple-choice questions with and without a limit"

    for q in codebook.questions:
        if q.type == "single_choice":
            answered = frame[q.id][frame[q.id] != ""]
            assert answered.nunique() >= 2, f"{q.id}: fewer than two different answers"
        elif q.type == "multiple_choice":
            chosen = frame[[option_column(q, c) for c in q.option_codes]].eq("1").sum(axis=1)
            assert chosen.max() >= 2, f"{q.id}: no council chose more than one answer"
            if q.max_answers:
                assert chosen.max() == q.max_answers, f"{q.id}: no council used all {q.max_answers} answers"
            else:
                assert chosen.max() > max(p.max_answers for p in limited), f"{q.id}: its lack of a limit is unused"
        else:
            assert (frame[q.id] != "").any(), f"{q.id}: no text answer"


# ---------------------------------------------------------------------------------------------------
# 9. A kernel's own output never reaches the terminal of a run that succeeded


KERNEL_NOISE = ("import atexit, os, sys\n"  # the kernel process's own stderr, whether ipykernel watches fd 2 or not
                "fd = getattr(sys.stderr, '_original_stdstream_copy', 2)\n"
                "os.write(fd, b'Traceback (most recent call last):\\n  simulated error while running\\n')\n"
                "atexit.register(os.write, fd, b'Traceback (most recent call last):\\n  simulated kernel shutdown error\\n')")

EXECUTE_TWO = """
import sys
from pathlib import Path
from councils import run
from councils.errors import ChapterFailed

chapters, cache = Path(sys.argv[1]), Path(sys.argv[2])
run.CHAPTERS_DIR, run.CACHE_DIR = chapters, cache
jobs = [run.Job(name, chapters / f"{name}.ipynb", cache / "executed" / f"{name}-key.ipynb", {}, "key")
        for name in ("quiet", "failing", "after")]
try:
    run.execute_jobs(jobs, workers=1)  # one warm kernel runs all three chapters, in this order
except ChapterFailed as exc:
    print("failed:", exc)
"""


def test_kernel_output_goes_to_a_log_kept_only_for_a_failing_chapter(tmp_path):
    """Each kernel writes a traceback to its process stderr as it exits (as ipykernel can after its sockets close)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    chapters, cache = tmp_path / "chapters", tmp_path / "cache"
    chapters.mkdir()
    for name, last in (("quiet", "x = 1"), ("failing", "raise ValueError('boom')"), ("after", "y = 2")):
        nb = new_notebook(cells=[new_code_cell(KERNEL_NOISE), new_code_cell(last)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, chapters / f"{name}.ipynb")
    result = subprocess.run([sys.executable, "-c", EXECUTE_TWO, chapters, cache], cwd=REPO, capture_output=True,
                            text=True, check=False, timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "simulated" not in result.stderr, result.stderr
    failing = result.stdout.splitlines()[-1]
    assert (cache / "executed" / "quiet-key.ipynb").is_file(), "the quiet chapter was executed and kept"
    kept = cache / "executed" / "failed" / "failing.kernel.log"
    assert "chapter 'failing'" in failing and "ValueError: boom" in failing and "quiet" not in failing
    assert "kernel log kept at" in failing and "failing.kernel.log" in failing
    assert "simulated error while running" in kept.read_text(encoding="utf-8")
    assert not (cache / "executed" / "failed" / "quiet.kernel.log").exists()
    assert not list((cache / "partial").glob("*.log")), "the kernel's log is deleted when it is shut down"
    # the warm kernel survives a failing chapter, and each executed chapter counts its cells from 1
    for name in ("quiet", "after"):
        cells = json.loads((cache / "executed" / f"{name}-key.ipynb").read_text(encoding="utf-8"))["cells"]
        assert [c["execution_count"] for c in cells] == [1, 2], name
