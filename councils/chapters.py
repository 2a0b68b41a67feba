"""The chapters' generated cells: a heading and a cell per section, from the codebook of the round's series.

A chapter notebook marks where its sections go with a hidden code cell tagged ``councils-sections``
(the chapters of questions) or ``councils-trends`` (the trends chapter), whose source names the
chapter: ``chapter = 2``. Before a chapter is executed, :func:`expand` puts after the marker, for
every section of that chapter in the series' codebook, a heading in each language and a cell in each
language that shows the section (``report.section`` or ``report.trend_section``). The cells it
writes are tagged ``councils-generated``; expanding again first removes them, so the committed
chapters carry the cells of the published round and any round's run gets its own.

Headings carry a label that is the same in both editions (``sec-2-1``), so that a link from one
language to the other keeps its place.
"""

from __future__ import annotations

import copy
import re

from councils.codebook import Codebook

GENERATED = "councils-generated"
MARKERS = {"councils-sections": "section", "councils-trends": "trend_section"}
LANGS = ("en", "da")
CHAPTER_LINE = re.compile(r"^chapter\s*=\s*(\d+)\s*$", re.MULTILINE)


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def strip(nb: dict) -> dict:
    """The notebook without generated cells (what its author wrote)."""
    out = copy.deepcopy(nb)
    out["cells"] = [c for c in out["cells"] if GENERATED not in _tags(c)]
    return out


def label(section_id: str) -> str:
    return "sec-" + section_id.replace(".", "-")


def _markdown(text: str, tags: list[str], cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": tags}, "source": text}


def _code(text: str, tags: list[str], cell_id: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {"tags": tags}, "outputs": [],
            "source": text}


def section_cells(codebook: Codebook, chapter: int, call: str, trend_sections: set[str] | None = None) -> list[dict]:
    """The cells of one chapter's sections: a heading per language, then a cell per language showing it."""
    cells = []
    for section in codebook.chapter_sections(chapter):
        if not any(q.is_choice for q in codebook.section_questions(section.id)):
            continue
        if trend_sections is not None and section.id not in trend_sections:
            continue
        anchor = label(section.id) + ("-trend" if call == "trend_section" else "")
        for lang in LANGS:
            cells.append(_markdown(f"({anchor})=\n## {section.title(lang)}", [f"lang-{lang}", GENERATED],
                                   f"{anchor}-heading-{lang}"))
        for lang in LANGS:
            cells.append(_code(f'report.{call}({lang}, "{section.id}")', ["remove-input", f"lang-{lang}", GENERATED],
                               f"{anchor}-{lang}"))
    return cells


def expand(nb: dict, codebook: Codebook, trend_sections: set[str] | None = None) -> dict:
    """The notebook with its generated cells made anew for ``codebook`` (the series' codebook).

    ``trend_sections``: for the trends chapter, the sections that have a question asked in two rounds
    or more (the others get no heading).
    """
    out = strip(nb)
    cells = []
    for cell in out["cells"]:
        cells.append(cell)
        kinds = [MARKERS[t] for t in _tags(cell) if t in MARKERS]
        if not kinds:
            continue
        found = CHAPTER_LINE.search(_source(cell))
        if found is None:
            raise ValueError(f"a cell tagged {', '.join(t for t in _tags(cell) if t in MARKERS)} must say "
                             "'chapter = <number>'")
        cells += section_cells(codebook, int(found.group(1)), kinds[0],
                               trend_sections if kinds[0] == "trend_section" else None)
    out["cells"] = cells
    return out
