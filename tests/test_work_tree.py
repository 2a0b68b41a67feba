"""The tests never write into the work tree: fixtures build into temporary folders or _build/.

The last test of every run compares the work tree with its state when the session started (recorded
by tests/conftest.py): a tracked file the tests changed, or a new file they left where git sees it,
fails the run. A developer who commits after running the tests commits only what they wrote.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import WORK_TREE, work_tree_state
from councils import run


@pytest.fixture
def stale_chapter(tmp_path, monkeypatch):
    """One chapter that has never been executed, in a temporary chapters folder; the cache is temporary too."""
    chapters, cache = tmp_path / "chapters", tmp_path / "cache"
    chapters.mkdir()
    path = chapters / "1_only.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("6 * 7")]), path)
    monkeypatch.setattr(run, "CHAPTERS_DIR", chapters)
    monkeypatch.setattr(run, "CACHE_DIR", cache)
    built = {}
    monkeypatch.setattr(run, "build_site", lambda notebooks, *args: built.update(notebooks) or True)
    return path, cache, built


def _outputs(path) -> list:
    return [o for c in json.loads(path.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])]


def test_a_site_built_elsewhere_executes_stale_chapters_into_the_cache(stale_chapter, tmp_path):
    path, cache, built = stale_chapter
    before = path.read_bytes()
    run.book(out=tmp_path / "html", jobs=1)
    assert path.read_bytes() == before, "the chapter was rewritten"
    executed = built["1_only"]
    assert executed.parent == cache / "executed"
    assert ["".join(o["data"]["text/plain"]) for o in _outputs(executed)] == ["42"]
    assert run.stored_key(executed) == run.execution_key(path, run.load_round(run.published_round()), {})


def test_the_published_site_executes_stale_chapters_in_place(stale_chapter):
    """What `make book` does (no out): the chapter itself gets its outputs, to be committed."""
    path, cache, built = stale_chapter
    run.book(jobs=1)
    assert built["1_only"] == path
    assert ["".join(o["data"]["text/plain"]) for o in _outputs(path)] == ["42"]
    assert not (cache / "executed").exists() or not any((cache / "executed").iterdir())


@pytest.mark.run_last
def test_the_run_changed_no_file_of_the_work_tree(request):
    before = request.config.stash[WORK_TREE]
    if before is None:
        pytest.skip("not a git work tree (or no git): nothing to compare")
    after = work_tree_state()
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))

    def described(path: str) -> str:
        return f"  {after[path][:2]} {path}" if path in after else f"     {path} (back to its committed state)"

    assert not changed, ("the tests changed these files of the work tree (git status --porcelain); fixtures must "
                         "build into a temporary folder or _build/:\n" + "\n".join(map(described, changed)))
