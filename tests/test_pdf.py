"""The PDF edition: the published book printed by Debian's Chromium (``councils.pdf.build_pdf``).

It is built once into a temporary folder from the executed chapters and read back with pypdf: a
title page with the edition's citation, the report it rebuilds and the provenance; a table of
contents whose page numbers lead to their headings; the chapters in the book's order, each on pages
numbered "n / N"; every figure drawn as vector paths with its title and caption number; the key
numbers of the report's text. A round run prints its own PDF too (``python -m councils pdf --round``).

Without /usr/bin/chromium the tests are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import io
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import REPO, run_cli

# The book's parts in the order of _toc.yml, as their headings read (chapter numbers from the toc).
CHAPTER_HEADINGS = ["1. Introduction and method", "2. Organisation and focus areas",
                    "3. Influence, visibility and cooperation", "4. Conclusions and recommendations",
                    "Appendix A: the questionnaire", "Appendix B: data and methods"]
# Numbers of the report (shared/seeds: "28 ud af de 30 råd", "20 ud af 30", "44 ud af de 98 kommuner",
# figure 1: 16 of 30 chairs from an association), as the book's text glues them.
KEY_NUMBERS = ["28 of 30 (93%)", "20 (67%)", "44 of Denmark's 98 municipalities", "(16, 53%)"]
# A drawn chart is dozens of path-painting operators (bars, axes, ticks, grid); a page of text has a few.
MIN_PATH_OPERATORS = 40
PATH_OPERATORS = re.compile(rb"(?<![A-Za-z])(?:re|m|l|c|h|f|f\*|S|s|B)(?![A-Za-z*])")


def _text(raw: str) -> str:
    """Extracted text with ligatures undone, typographic apostrophes plain and runs of white space single."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw).replace("’", "'")).strip()




@pytest.fixture(scope="session")
def printed(chromium, tmp_path_factory):
    """The published book's PDF, printed into a fresh folder and copied into a stand-in site folder."""
    from councils.pdf import build_pdf

    folder = tmp_path_factory.mktemp("pdf")
    site = folder / "site"
    site.mkdir()
    path = build_pdf(pdf_dir=folder / "pdf", site=site)
    return path, site


@pytest.fixture(scope="session")
def pages(printed) -> list[str]:
    from pypdf import PdfReader

    return [_text(page.extract_text()) for page in PdfReader(printed[0]).pages]


@pytest.fixture(scope="session")
def reader(printed):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(printed[0].read_bytes()))


def test_pdf_is_written_and_copied_into_the_site(printed):
    path, site = printed
    assert path.name == "integration-councils-2016.pdf", path
    assert path.read_bytes()[:5] == b"%PDF-", f"{path} is not a PDF"
    copy = site / path.name
    assert copy.is_file() and copy.read_bytes() == path.read_bytes(), f"no identical copy of the PDF in {site}"


def test_title_page_cites_edition_and_report_and_gives_provenance(pages):
    title = pages[0]
    for words in ["Local integration councils in Denmark", "Cite this edition",
                  "Local integration councils in Denmark: an executable edition",
                  "Institut for Menneskerettigheder (Danish Institute for Human Rights)", "2017",
                  "Provenance", "Round 2016", "counts.csv (sha256", "Code version", "Built"]:
        assert words in title, f"the title page lacks {words!r}:\n{title}"


def test_pages_are_numbered(pages):
    total = len(pages)
    assert total > 20, f"the whole book in {total} pages?"
    unnumbered = [i + 1 for i, text in enumerate(pages) if not text.endswith(f"{i + 1} / {total}")]
    assert not unnumbered, f"pages without 'n / {total}' at their foot: {unnumbered}"


def _contents(pages: list[str]) -> dict[str, int]:
    """The contents' entries as {heading: page}, read from the pages that follow the title page."""
    text = " ".join(p for p in pages[1:4])
    assert text.startswith("Contents"), f"page 2 does not start the contents: {pages[1][:200]}"
    entries = {}
    for heading in CHAPTER_HEADINGS:
        m = re.search(re.escape(heading) + r" (\d+) ", text)
        assert m, f"the contents have no entry {heading!r} with a page number"
        entries[heading] = int(m.group(1))
    return entries


def test_chapters_come_in_the_books_order_each_where_the_contents_say(pages):
    entries = _contents(pages)
    numbers = [entries[h] for h in CHAPTER_HEADINGS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), (
        f"chapters out of order in the contents: {entries}")
    for heading, number in entries.items():
        assert pages[number - 1].startswith(heading), (
            f"the contents put {heading!r} on page {number}, which starts: {pages[number - 1][:120]!r}")


def test_every_figure_is_drawn_with_its_title_and_number(pages, reader, codebook):
    images = [i + 1 for i, page in enumerate(reader.pages) if page.images]
    assert not images, f"raster images on pages {images}: figures must be vector drawings"
    for n in range(1, 11):
        title = _text(codebook.figure_title(n, "en"))
        # The questionnaire appendix repeats the question's wording: the figure's page is the one that also
        # has its caption (a figure is never split across pages) and a chart's worth of drawing.
        seen = []
        for i, text in enumerate(pages):
            if title in text:
                operators = len(PATH_OPERATORS.findall(reader.pages[i].get_contents().get_data()))
                captioned = re.search(rf"\bFigure {n}\b", text) is not None
                seen.append(f"page {i + 1}: caption {captioned}, {operators} path operators")
                if captioned and operators >= MIN_PATH_OPERATORS:
                    break
        else:
            pytest.fail(f"figure {n} ({title!r}) is drawn on no page with its caption 'Figure {n}' and at least "
                        f"{MIN_PATH_OPERATORS} path operators; pages with its title: {seen or 'none'}",
                        pytrace=False)


def test_key_numbers_of_the_text_are_printed(pages):
    text = " ".join(pages)
    missing = [n for n in KEY_NUMBERS if n not in text]
    assert not missing, f"glued numbers missing from the PDF's text: {missing}"


def test_numbers_tables_and_provenance_footer_are_printed(pages):
    text = " ".join(pages)
    assert "Numbers behind figure 1" in text, "the numbers table of figure 1 is not printed"
    # Figure 1's table (the report: 16 of 30 chairs represent an association): its row, as printed.
    assert re.search(r"Represents an association 16 30 53%", text), "figure 1's numbers table is closed in print"
    assert re.search(r"Round 2016 \(Survey of the local integration councils, 2016\)\. Data \(SHA-256\): metadata "
                     r"[0-9a-f]{12}", text), "the site's provenance footer is not printed"


def test_a_round_run_prints_its_pdf(chromium, tmp_path):
    site = tmp_path / "site"
    result = run_cli("pdf", "--round", "example", "--out", site)
    assert result.returncode == 0, f"pdf --round example failed:\n{result.stdout}\n{result.stderr}"
    pdf = REPO / "_build" / "pdf" / "integration-councils-example.pdf"
    assert pdf.is_file(), f"no {pdf} after:\n{result.stdout}"
    assert (site / pdf.name).read_bytes() == pdf.read_bytes(), f"the round's site has no copy of {pdf.name}"
    from pypdf import PdfReader

    first = _text(PdfReader(pdf).pages[0].extract_text())
    assert "Fictional example data" in first, f"the example round's title page does not say it is fictional:\n{first}"


@pytest.fixture(scope="session")
def printed_da(chromium, tmp_path_factory):
    """The Danish edition's PDF, printed into a fresh folder and copied into a stand-in site folder."""
    from councils.pdf import build_pdf

    folder = tmp_path_factory.mktemp("pdf-da")
    return build_pdf(lang="da", pdf_dir=folder / "pdf", site=folder)


def test_the_danish_edition_prints_its_own_pdf_in_danish(printed_da):
    """`make pdf` prints both editions: the Danish one is Danish from its title page on."""
    from pypdf import PdfReader

    path = printed_da
    assert path.name == "integration-councils-2016-da.pdf" and (path.parent.parent / path.name).is_file()
    pages = [_text(page.extract_text()) for page in PdfReader(path).pages]
    title = pages[0]
    for words in ["Lokale integrationsråd i Danmark", "Citér denne udgave", "Oprindelse", "Runde 2016",
                  "Kodeversion", "Institut for Menneskerettigheder"]:
        assert words in title, words
    assert "Cite this edition" not in title and "Provenance" not in title
    text = " ".join(pages)
    assert "Figur 1" in text and "Hvor kommer formanden fra?" in text
    assert "53 %" in text or "53\u00a0%" in text  # 16 of 30 chairs represent an association (report, 2.1)


def test_make_pdf_prints_the_danish_edition_through_the_command_line(chromium):
    """`make pdf` runs `python -m councils pdf --lang da` (and --lang en): the command takes --lang alone."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "councils", "pdf", "--lang", "da"], cwd=REPO,
                            capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "integration-councils-2016-da.pdf" in result.stdout
    assert (REPO / "_build" / "pdf" / "integration-councils-2016-da.pdf").is_file()


# ---------------------------------------------------------------------------------------------------
# Print that keeps every column (issue 15): tables within the page, page numbers readable, headings with
# their text, contents on their own pages


def _runs(page) -> list[tuple[float, float, str]]:
    """Every run of text on a page as (size in points, height above the page's foot in points, text)."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((size * scale, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def _outline(reader) -> list[tuple[str, int, float]]:
    """The PDF's headings: (title, 0-based page, top in points), in document order."""
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((re.sub(r"\s+", " ", item.title).strip(), reader.get_destination_page_number(item),
                              float(item["/Top"])))

    walk(reader.outline)
    return found


# The foot of the page: text there is the page number (the bottom margin is 18 mm, 51 pt).
FOOT_PT = 51


@pytest.mark.parametrize("edition", ["en", "da"])
def test_page_numbers_are_at_least_8_points(reader, printed_da, edition):
    from pypdf import PdfReader

    pdf = reader if edition == "en" else PdfReader(printed_da)
    total = len(pdf.pages)
    for i, page in enumerate(pdf.pages):
        # "n / N" at the foot of the page (Chromium writes the two numbers as runs of their own).
        numbers = [size for size, y, text in _runs(page) if y < FOOT_PT and text in (str(i + 1), str(total))]
        assert len(numbers) >= 2 - (i + 1 == total), f"{edition} page {i + 1}: no page number '{i + 1} / {total}'"
        assert min(numbers) >= 8, f"{edition} page {i + 1}: its number is {min(numbers):.1f} pt"



@pytest.mark.parametrize("edition", ["en", "da"])
def test_no_heading_is_left_alone_at_the_foot_of_a_page(reader, printed_da, edition):
    """Every heading has a line of its section's text under it on its own page."""
    from pypdf import PdfReader

    pdf = reader if edition == "en" else PdfReader(printed_da)
    runs = {}
    alone = []
    for title, page, top in _outline(pdf):
        runs.setdefault(page, _runs(pdf.pages[page]))
        words = set(re.sub(r"[^\w]+", " ", title).split())
        # Under the heading: text below its top that is not the heading's own words or the page number.
        below = [text for _, y, text in runs[page]
                 if FOOT_PT < y < top - 4 and not set(re.sub(r"[^\w]+", " ", text).split()) <= words]
        if not below:
            alone.append(f"{title!r} on page {page + 1}")
    assert not alone, f"{edition}: headings with nothing under them on their page: {alone}"


@pytest.mark.parametrize("edition", ["en", "da"])
def test_the_contents_fit_their_pages(pages, printed_da, edition):
    """The contents of the 2016 book take one page: none of their lines spills onto a page of its own."""
    from pypdf import PdfReader

    texts = pages if edition == "en" else [_text(p.extract_text()) for p in PdfReader(printed_da).pages]
    label = "Contents" if edition == "en" else "Indhold"
    assert texts[1].startswith(label), texts[1][:80]
    last = "Every number of the round" if edition == "en" else "Alle rundens tal"
    assert re.search(re.escape(last) + r" \d+", texts[1]), f"{edition}: the contents' last entry is not on page 2"
    assert not texts[2].startswith(last), f"{edition}: the contents spill onto page 3: {texts[2][:80]!r}"


def test_the_widest_tables_last_column_is_printed(pages):
    """The table of every number (8 columns): its last column, the report's section and figure of each count.

    Expected: every row of data/rounds/2016/counts.csv names its source; each source is printed in the
    table at least as often as counts.csv names it.
    """
    import csv

    with open(REPO / "data" / "rounds" / "2016" / "counts.csv", encoding="utf-8-sig") as f:
        sources = [row["source"] for row in csv.DictReader(f)]
    assert len(sources) > 40
    text = " ".join(pages)
    table = text[text.index("Every number of the round"):]
    assert "Source in the report" in table, "the last column's header is not printed"
    missing = {s: sources.count(s) for s in set(sources) if table.count(s) < sources.count(s)}
    assert not missing, f"sources printed fewer times than counts.csv names them: {missing}"


def test_the_danish_figure_7_table_keeps_its_last_column(printed_da):
    """Figure 7's numbers: four rows (the report: 24 and 6 of 30 on cooperation, 28 and 2 on the secretariat),
    each with its count, base and share, then its interval and, in the last column, its bounds."""
    from pypdf import PdfReader

    text = " ".join(_text(p.extract_text()) for p in PdfReader(printed_da).pages)
    header = ("Spørgsmål Svar Råd Ud af Andel 95 %-interval, hvis bortfaldet ikke hænger sammen med svaret (40 råd "
              "spurgt) Grænser uanset de manglende svar (ingen antagelse)")
    assert header in text, "figure 7's table is printed without its last column's header"
    table = text[text.index(header):]
    rows = re.findall(r"(\d+) 30 (\d+) % \d+ % til \d+ % \d+ % til \d+ %", table[:1500])
    assert rows[:4] == [("24", "80"), ("6", "20"), ("28", "93"), ("2", "7")], rows


def test_the_print_style_keeps_every_heading_with_its_text(chromium, tmp_path):
    """The site's print style on a page of many short sections: no heading ends a page.

    Sixty sections of one to nine lines run over several pages, so that without the style's
    ``break-after: avoid`` some heading would be the last line of its page.
    """
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    from councils.pdf import LAUNCH_ARGS, PAPER

    css = (REPO / "_static" / "councils.css").read_text(encoding="utf-8")
    words = "The councils advise the municipal board on integration and are heard on its plans. "
    sections = "".join(f'<section id="s{i}"><h2>Section {i}</h2><p>{words * (1 + (i * 7) % 9)}</p></section>'
                       for i in range(60))
    page_html = tmp_path / "sections.html"
    page_html.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{css}</style></head>"
                         f"<body style='font: 16px/1.5 sans-serif'><article>{sections}</article></body></html>",
                         encoding="utf-8")
    def printed() -> bytes:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(chromium), args=LAUNCH_ARGS, headless=True)
            try:
                page = browser.new_page()
                page.goto(page_html.as_uri())
                return page.pdf(**PAPER, outline=True, tagged=True)
            finally:
                browser.close()

    # In a thread of its own, as councils.pdf prints: the browser tests' playwright session may be running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf = pool.submit(printed).result()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 4
    alone = []
    for title, number, top in _outline(reader):
        below = [text for _, y, text in _runs(reader.pages[number]) if 20 < y < top - 4 and text != title]
        if not below:
            alone.append(f"{title!r} on page {number + 1}")
    assert not alone, f"headings that end their page: {alone}"
