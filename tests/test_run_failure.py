"""A chapter whose cell fails: the run names chapter and cell, keeps the notebook, leaves the site."""

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from councils import run
from councils.errors import ChapterFailed


def _broken_chapter(folder):
    nb = new_notebook(cells=[
        new_code_cell('round_id = "2016"\ndata_dir = None\nlang = "en"', metadata={"tags": ["parameters", "remove-cell"]}),
        new_markdown_cell("# A chapter that fails"),
        new_code_cell("from councils import report\nreport.setup(round_id, data_dir, lang).table['no_such_column']"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "broken.ipynb")


def test_failing_cell_is_named_and_the_last_good_site_is_kept(tmp_path, monkeypatch):
    _broken_chapter(tmp_path / "chapters")
    monkeypatch.setattr(run, "CHAPTERS_DIR", tmp_path / "chapters")
    monkeypatch.setattr(run, "CACHE_DIR", tmp_path / "cache")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site")

    with pytest.raises(ChapterFailed) as failure:
        run.run_round("2016", out=str(site), jobs=1)

    message = str(failure.value)
    assert "chapter 'broken', cell 3 " in message  # parameters, heading, then the failing cell
    assert "KeyError" in message and "no_such_column" in message
    kept = tmp_path / "cache" / "executed" / "failed" / "broken.ipynb"
    assert kept.is_file(), message
    outputs = [o for c in json.loads(kept.read_text())["cells"] for o in c.get("outputs", [])]
    assert any(o.get("ename") == "KeyError" for o in outputs), "the kept notebook shows the error"
    assert (site / "index.html").read_text() == "the last good site"
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert not list((tmp_path / "cache" / "executed").glob("broken-*.ipynb")), "a failed run is never cached"
