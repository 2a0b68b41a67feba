"""The book as one PDF: a single-page build of a round's executed chapters, printed by Debian's Chromium.

jupyter-book's own ``pdfhtml`` builder downloads a browser of its own and fails offline. Here the
site's sources are assembled as for the site (``councils.site``), built with Sphinx's ``singlehtml``
builder, and printed with playwright driving ``/usr/bin/chromium`` once every chart is drawn (as
SVG, so the figures stay vector drawings). A title page (the edition's citation from CITATION.cff,
the report it rebuilds, the provenance) and a table of contents are put in front; the contents'
page numbers are read back from the PDF's outline after a first printing, then printed again.

The PDF is written to ``_build/pdf/<name>`` and copied into the round's site beside ``index.html``.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


from councils.errors import ChapterFailed
from councils.paths import BUILD_DIR, published_round
from councils.report import edition_citation
from councils.rounds import load_round
from councils.run import executed_notebooks
from councils.site import edition_source, pdf_name, provenance, site_config

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
# A4 less 15 mm margins each side is 180 mm, 680 CSS pixels: the page is laid out at the width it prints at,
# so that charts sized to their column are drawn at the size they are printed.
PRINT_WIDTH_PX = 680
PAPER = {"format": "A4", "margin": {"top": "15mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}}
DRAW_TIMEOUT_MS = 30_000
# Charts are SVG drawn at build time (councils/charts.py: chart_html): present as soon as the page is.
CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('.councils-chart')].every(c => c.querySelector('svg'))"""
# Chromium draws header and footer templates at 0.75 pt per CSS pixel: 12px is a 9 pt page number.
FOOTER = ('<div style="font-size:12px; width:100%; text-align:center; color:#444;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')

# Only for the PDF: the title page and contents, each chapter from a new page, and the landing page's
# heading shown (sphinx-book-theme's print style hides the first h1 for its own print header).
PDF_CSS = """
#jb-print-docs-body, #jb-print-toc { display: none !important; }
.bd-article h1:first-of-type { display: block !important; }
.councils-pdf-title { break-after: page; padding-top: 25mm; }
.councils-pdf-title .councils-pdf-book { font-size: 2.2rem; font-weight: 700; line-height: 1.2; margin-bottom: 0.5rem; }
.councils-pdf-title .councils-pdf-edition { font-size: 1.2rem; margin-bottom: 2.5rem; }
.councils-pdf-title .councils-pdf-label { font-weight: 700; margin: 1.2rem 0 0.2rem; }
.councils-pdf-title p { margin: 0 0 0.4rem; }
.councils-pdf-contents { break-after: page; }
.councils-pdf-contents .councils-pdf-label { font-size: 1.6rem; font-weight: 700; margin-bottom: 0.6rem; }
.councils-pdf-contents ol { list-style: none; padding: 0; margin: 0; font-size: 0.95rem; line-height: 1.35; }
.councils-pdf-contents li { display: flex; gap: 1rem; margin: 0.05rem 0; break-inside: avoid; }
.councils-pdf-contents li.level-1 { font-weight: 600; margin-top: 0.4rem; break-after: avoid; }
.councils-pdf-contents li.level-2 { padding-left: 1.5rem; }
.councils-pdf-contents li a { flex: 1; color: inherit; text-decoration: none; }
.councils-pdf-contents li .councils-pdf-page { min-width: 2.5em; text-align: right; font-variant-numeric: tabular-nums; }
.toctree-wrapper > section { break-before: page; }
"""

# The book's parts as headings in document order: the landing page, then each chapter (the sections
# that singlehtml puts in place of the root's toctree), each with its own sections.
CONTENTS_JS = """() => {
    const article = document.querySelector('article.bd-article');
    const text = (h) => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());
                          return c.textContent.replace(/\\s+/g, ' ').trim(); };
    const heading = (s) => s.querySelector(':scope > h1, :scope > h2, :scope > h3');
    const parts = [article.querySelector('section'), ...article.querySelectorAll('.toctree-wrapper > section')];
    const entries = [];
    for (const part of parts) {
        entries.push({level: 1, id: part.id, title: text(heading(part))});
        for (const sub of part.querySelectorAll(':scope > section')) {
            if (heading(sub)) entries.push({level: 2, id: sub.id, title: text(heading(sub))});
        }
    }
    return entries;
}"""

# Every heading the PDF's outline is made of, in document order: the section each opens, and its text.
HEADINGS_JS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.checkVisibility())
    .map(h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());
                return {id: h.closest('section')?.id ?? '', text: c.textContent.replace(/\\s+/g, '')}; })"""

FRONT_JS = """(front) => {
    const article = document.querySelector('article.bd-article');
    article.insertAdjacentHTML('afterbegin', front);
}"""

PAGES_JS = """(pages) => document.querySelectorAll('.councils-pdf-contents .councils-pdf-page').forEach(
    (span, i) => { span.textContent = String(pages[i]); })"""


def _singlehtml(src: Path) -> Path:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(src), "--builder", "singlehtml",
         "--warningiserror", "--nitpick", "--keep-going", "--quiet"],
        capture_output=True, text=True, check=False)
    built = src / "_build" / "singlehtml"
    if result.returncode != 0 or not (built / "chapters" / "index.html").is_file():
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise ChapterFailed(f"the single-page build for the PDF failed:\n{tail}")
    # jupyter-book writes the book's page as chapters/index.html with every link relative to the
    # output's root (_static/...): beside the root, they resolve.
    page = built / "book.html"
    shutil.copyfile(built / "chapters" / "index.html", page)
    return page


FRONT_WORDS = {
    "en": {"round": "Round", "fictional": "<strong>Fictional example data.</strong> The numbers are made up.",
           "cite": "Cite this edition", "report": "The report it rebuilds", "provenance": "Provenance",
           "data": "Data", "code": "code version", "code_cap": "Code version", "built": "Built",
           "licences": "Licences", "contents": "Contents",
           "licence_text": "The code is MIT-licensed; the book's own text, codebook and tables are CC BY 4.0. "
                           "The report's findings are cited, not relicensed."},
    "da": {"round": "Runde", "fictional": "<strong>Fiktive eksempeldata.</strong> Tallene er opdigtede.",
           "cite": "Citér denne udgave", "report": "Rapporten, den genskaber", "provenance": "Oprindelse",
           "data": "Data", "code": "kodeversion", "code_cap": "Kodeversion", "built": "Bygget",
           "licences": "Licenser", "contents": "Indhold",
           "licence_text": "Koden er MIT-licenseret; bogens egen tekst, kodebog og tabeller er CC BY 4.0. "
                           "Rapportens resultater citeres, de genlicenseres ikke."},
}


def _front_html(rnd, lang: str, prov: dict, config: dict, entries: list[dict]) -> str:
    e = html.escape
    w = FRONT_WORDS["da" if lang == "da" else "en"]
    data = ", ".join(f"{e(name)} (sha256 {e(digest)})" for name, digest in prov["data"].items())
    report = rnd.meta.get(f"source_{lang}") or rnd.meta["source"] if not rnd.fictional else ""
    title_key = "title_da" if lang == "da" else "title_en"
    rows = "".join(
        f'<li class="level-{x["level"]}"><a href="#{e(x["id"])}">{e(x["title"])}</a>'
        f'<span class="councils-pdf-page">000</span></li>' for x in entries)
    return (
        '<div class="councils-pdf-title">'
        f'<p class="councils-pdf-book">{e(config["title"])}</p>'
        f'<p class="councils-pdf-edition">{e(rnd.meta.get(title_key) or w["round"] + " " + rnd.id)}</p>'
        f'<p>{e(config.get("author", ""))}</p>'
        + (f'<p>{w["fictional"]}</p>' if rnd.fictional else "")
        + f'<p class="councils-pdf-label">{w["cite"]}</p>'
        f'<p>{e(edition_citation(lang))} {w["round"]} {e(rnd.id)}, {w["code"]} {e(prov["code"])}.</p>'
        + (f'<p class="councils-pdf-label">{w["report"]}</p><p>{e(report)}</p>' if report else "")
        + f'<p class="councils-pdf-label">{w["provenance"]}</p>'
        f'<p>{w["round"]} {e(rnd.id)}. {w["data"]}: {data}. {w["code_cap"]} {e(prov["code"])}. '
        f'{w["built"]} {e(prov["built"])}.</p>'
        f'<p class="councils-pdf-label">{w["licences"]}</p>'
        f"<p>{w['licence_text']}</p>"
        "</div>"
        f'<nav class="councils-pdf-contents" aria-label="{w["contents"]}"><p class="councils-pdf-label">'
        f'{w["contents"]}</p>'
        f"<ol>{rows}</ol></nav>")


def _outline_pages(pdf: bytes) -> list[tuple[str, int]]:
    """Every outline entry of a PDF, in document order: (title, 1-based page)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((re.sub(r"\s+", "", item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


def _entry_pages(entries: list[dict], headings: list[dict], outline: list[tuple[str, int]]) -> list[int]:
    """The page of each contents entry, from the outline entry of the heading that opens its section.

    Chromium makes one outline entry per shown heading, in document order, titled with the heading's
    text as laid out in lines (so titles are compared without white space, by their start).
    """
    if len(headings) != len(outline) or any(not title.startswith(h["text"][:4]) for h, (title, _)
                                             in zip(headings, outline)):
        raise ChapterFailed(f"the PDF's outline ({len(outline)} entries) does not follow the page's "
                            f"{len(headings)} headings; cannot number the contents")
    page_of = {}
    for heading, (_, page) in zip(headings, outline):
        page_of.setdefault(heading["id"], page)
    missing = [e["title"] for e in entries if e["id"] not in page_of]
    if missing:
        raise ChapterFailed(f"no heading in the PDF's outline for {missing}; cannot number the contents")
    return [page_of[e["id"]] for e in entries]


def _print(page_html: Path, front: Callable[[list[dict]], str]) -> bytes:
    """Print the single page with Chromium; ``front(entries)`` gives the title page and contents."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise ChapterFailed(f"{CHROMIUM} is missing: install Debian's chromium to print the PDF")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 960})
            # Nothing outside the build folder is fetched.
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                       else route.abort("blockedbyclient"))
            page.emulate_media(media="print")
            page.goto(page_html.as_uri(), wait_until="load")
            try:
                page.wait_for_function(CHARTS_DRAWN_JS, timeout=DRAW_TIMEOUT_MS)
            except Exception as exc:  # playwright's TimeoutError
                raise ChapterFailed(f"charts not drawn within {DRAW_TIMEOUT_MS / 1000:.0f} s in {page_html}") from exc
            page.add_style_tag(content=PDF_CSS)
            entries = page.evaluate(CONTENTS_JS)
            page.evaluate(FRONT_JS, front(entries))
            headings = page.evaluate(HEADINGS_JS)
            options = dict(PAPER, print_background=True, display_header_footer=True, header_template="<span></span>",
                           footer_template=FOOTER, outline=True, tagged=True)
            first = page.pdf(**options)
            pages = _entry_pages(entries, headings, _outline_pages(first))
            page.evaluate(PAGES_JS, pages)
            final = page.pdf(**options)
            if _entry_pages(entries, headings, _outline_pages(final)) != pages:
                raise ChapterFailed("the contents' page numbers moved between two printings of the PDF")
            return final
        finally:
            browser.close()


def build_pdf(round_id: str | None = None, data_dir: str | None = None, lang: str = "en",
              pdf_dir: Path | None = None, site: Path | None = None) -> Path:
    """Print a round's book to ``pdf_dir/<pdf_name>`` and copy it into ``site``; the PDF's path.

    Without ``round_id``: the published round from chapters/ (executed by ``make book``), site
    _build/html/<lang>. With it: the round's executed chapters of ``python -m councils run``, site
    _build/rounds/<round>/html/<lang>. A site folder that does not exist is left alone.
    """
    published = round_id is None
    rnd = load_round(published_round() if published else str(round_id), data_dir)
    notebooks = executed_notebooks(rnd, data_dir, published)
    if site is None:  # where `make book` and `run --round R --lang L` put the edition's site
        site = (BUILD_DIR / "html" if published else BUILD_DIR / "rounds" / rnd.id / "html") / lang
    pdf_dir = Path(pdf_dir) if pdf_dir else BUILD_DIR / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    prov = provenance(rnd, lang)
    config = site_config(rnd, lang, prov)
    with tempfile.TemporaryDirectory(prefix=".pdf-", dir=pdf_dir) as tmp:
        src = Path(tmp) / "src"
        # The edition's sources exactly as its site's (councils.site assembles both).
        edition_source(src, notebooks, rnd, lang, prov, None)
        page_html = _singlehtml(src)
        # In a thread of its own: playwright's sync API refuses to start where an event loop runs (a
        # caller's own playwright session, a Jupyter kernel).
        with ThreadPoolExecutor(max_workers=1) as pool:
            pdf = pool.submit(_print, page_html,
                              lambda entries: _front_html(rnd, lang, prov, config, entries)).result()
        target = pdf_dir / pdf_name(rnd.id, lang)
        partial = Path(tmp) / target.name
        partial.write_bytes(pdf)
        os.replace(partial, target)
    if site.is_dir():
        shutil.copyfile(target, site / target.name)
    return target
