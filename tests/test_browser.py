"""The published site in a real browser: every page loads cleanly offline, fits every screen, and reads well.

The site is built once (``councils.run.book(out=...)``, into a temporary folder, with a stand-in PDF so
that every page carries the PDF link as after ``make pdf``), served on 127.0.0.1 and opened in Debian's
headless Chromium (never a downloaded browser) with every request outside that server blocked. Each
chapter must load without a JavaScript error, a console error or a request outside the site, and every
chart must be shown as SVG with its bars. Figures 1-10 must be on their pages with their caption
numbers, numbers tables and CSV downloads.

Every page of both editions is then inspected as a reader sees it (``inspect``: one visit per page,
width and colour scheme, closed afterwards): the header bar's links and buttons in one row inside the
bar, each tappable where it is drawn and none over the title (320-1920 px); on a phone every table's
numbers within the screen, on a desktop full tables; every chart showing one drawing whose plot takes
at least 60% of its width, ticks that never collide and no text cut; the accessibility tree holding
each chart's text alternative and none of its internals; axe-core finding no violation of any impact
at 320, 390 and 1280 px in light and dark mode (the site following ``prefers-color-scheme``); every
page declaring its other-language alternate. The language link keeps the reader's place, the root page
offers both editions, previous/next links read whole on a phone, and search snippets show text, not codes.

Without /usr/bin/chromium the tests are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CHAPTERS = ["index", "1_introduction", "2_organisation", "3_influence", "4_conclusions", "appendix_questionnaire",
            "appendix_methods"]
FIGURE_PAGES = {n: "2_organisation" for n in range(1, 7)} | {n: "3_influence" for n in range(7, 11)}
CSV_HEADER_START = ["question", "category", "label", "count", "base"]
DRAW_TIMEOUT_MS = 10_000
# The widths a reader's screen is tested at: a phone held upright and a desktop.
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 720}}
# Every page of the site a reader can reach (index.html only redirects to chapters/index.html).
SITE_PAGES = [f"chapters/{c}.html" for c in CHAPTERS] + ["search.html", "genindex.html"]
# axe-core from the npm lock (package-lock.json), installed beside the Python environment by `make test`.
AXE = Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"
# A chart is drawn when vega-embed has put an SVG in its div with at least one bar of data: the bars
# are the paths of the 'mark-rect role-mark' groups (axis, legend and title groups have other roles).
BARS = "g.mark-rect.role-mark path"
# The text marks of a chart: answers' labels and the values written beside bars ("16 (53%)").
BAR_LABELS = "g.mark-text.role-mark text"

# A chart (councils/charts.py: chart_html) holds one drawing per width; the page shows the one nearest
# its column's width. `shownSvg` finds it.
SHOWN_SVG_JS = """const shownSvg = (chart) => [...chart.querySelectorAll('.councils-chart-width')]
    .filter(d => getComputedStyle(d).display !== 'none').map(d => d.querySelector('svg'))[0] || null;"""

CHARTS_DRAWN_JS = "(bars) => { " + SHOWN_SVG_JS + """
    return [...document.querySelectorAll('.councils-chart')].every(c => {
        const svg = shownSvg(c); return !!svg && svg.querySelectorAll(bars).length > 0; }); }"""

CHART_STATE_JS = "(bars) => { " + SHOWN_SVG_JS + """
    return [...document.querySelectorAll('.councils-chart')].map((c, i) => {
        const svg = shownSvg(c);
        return {index: i + 1, label: (c.getAttribute('aria-label') || '').slice(0, 60), vis: c.id || null,
                svg: !!svg, bars: svg ? svg.querySelectorAll(bars).length : 0};
    }); }"""

FIGURE_JS = "([id, bars, labels]) => { " + SHOWN_SVG_JS + """
    const fig = document.getElementById(id);
    if (!fig) return null;
    const chart = fig.querySelector('.councils-chart');
    const svg = chart && shownSvg(chart);
    const caption = fig.querySelector('figcaption .caption-number');
    // The numbers table is the first one after the figure in document order.
    const details = [...document.querySelectorAll('details.councils-numbers')].find(
        d => fig.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING);
    const link = details && details.querySelector('a.councils-download');
    return {
        tag: fig.tagName.toLowerCase(),
        chart: !!chart,
        svg: !!svg,
        bars: svg ? svg.querySelectorAll(bars).length : 0,
        labels: svg ? [...svg.querySelectorAll(labels)].map(t => t.textContent).filter(t => /^\\d+ \\(\\d/.test(t)) : [],
        caption: caption ? caption.textContent : null,
        summary: details ? (details.querySelector('summary')?.textContent ?? '') : null,
        tableRows: details ? details.querySelectorAll('table tbody tr').length : 0,
        href: link ? link.getAttribute('href') : null,
        download: link ? link.getAttribute('download') : null,
    };
}"""


# ---------------------------------------------------------------------------------------------------
# Fixtures: chromium, the built site, a server, one browser and one context for the session




@pytest.fixture(scope="session")
def site(chromium, tmp_path_factory) -> Path:
    """The published site, built into a fresh folder (executed chapters are reused).

    Each edition links to a stand-in PDF, as after ``make pdf``: the header is tested with its fullest
    set of links.
    """
    from councils import site as site_module
    from councils.run import book

    pdfs = tmp_path_factory.mktemp("pdf")
    original = site_module.edition_pdf

    def stand_in(rnd, lang):
        path = pdfs / site_module.pdf_name(rnd.id, lang)
        path.write_bytes(b"%PDF-1.4\n% a stand-in for the tests\n")
        return path

    out = tmp_path_factory.mktemp("site") / "html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_module, "edition_pdf", stand_in)
        book(out=out)
    assert site_module.edition_pdf is original
    for lang in ("da", "en"):  # both editions, side by side, and a root page that opens the Danish one
        assert (out / lang / "chapters" / "index.html").is_file(), f"no {lang}/chapters/index.html in {out}"
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="session")
def server(site):
    """The site (both editions) over http on 127.0.0.1 and a free port; yields ``http://127.0.0.1:PORT/``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=LAUNCH_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """What happened while one page loaded, and the page itself (left open for later checks)."""

    path: str
    page: object
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)


class Site:
    """One browser context over the served site, every request outside it blocked and recorded."""

    def __init__(self, browser, base: str, viewport: dict | None = None):
        self.base = base
        self.context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
        self.context.set_default_timeout(15_000)
        # Every page is seen as by a first-time visitor: nothing left in localStorage by the pages
        # before it (the theme stores its light/dark mode there), so a result never depends on order.
        self.context.add_init_script("try { window.localStorage.clear(); } catch (e) {}")
        self.context.route("**/*", self._route)
        self.context.route_web_socket(re.compile(".*"), self._web_socket)
        self._visits: dict[str, Visit] = {}
        self._by_page: dict[object, Visit] = {}
        self.unattributed: list[str] = []  # blocked requests of no page of ours (a service worker, say)

    def _record_outside(self, what: str, page=None) -> None:
        visit = self._by_page.get(page)
        (visit.outside if visit else self.unattributed).append(what)

    def _route(self, route) -> None:
        request = route.request
        if request.url.startswith(self.base):
            route.continue_()
            return
        try:
            page = request.frame.page
        except Exception:  # requests of a service worker have no frame
            page = None
        self._record_outside(f"{request.method} {request.url} ({request.resource_type})", page)
        route.abort("blockedbyclient")

    def _web_socket(self, ws) -> None:
        self._record_outside(f"websocket {ws.url}")
        ws.close()

    def visit(self, path: str, redirect_to: str | None = None) -> Visit:
        """Open ``path`` once (later calls return the same visit), wait for its charts to be drawn.

        With ``redirect_to``, wait for the page to land there first (the site root redirects).
        """
        if path in self._visits:
            return self._visits[path]
        page = self.context.new_page()
        visit = self._visits[path] = self._by_page[page] = Visit(path, page)
        page.on("pageerror", lambda err: visit.page_errors.append(f"{err.name}: {err.message}"))
        page.on("console", lambda msg: visit.console_errors.append(_console_text(msg)) if msg.type == "error"
                else None)
        page.on("response", lambda resp: visit.bad_responses.append(f"{resp.status} {resp.url}")
                if resp.status >= 400 else None)
        page.goto(self.base + path, wait_until="load")
        if redirect_to is not None:
            page.wait_for_url(self.base + redirect_to, wait_until="load", timeout=5_000)
        try:
            page.wait_for_function(CHARTS_DRAWN_JS, arg=BARS, timeout=DRAW_TIMEOUT_MS)
        except Exception:  # playwright's TimeoutError: reported by the tests, chart by chart
            pass
        # Late requests (async scripts, fonts) and errors after the charts are drawn.
        page.wait_for_load_state("networkidle")
        visit.charts = page.evaluate(CHART_STATE_JS, BARS)
        return visit

    def close(self) -> None:
        self.context.close()


def _console_text(msg) -> str:
    loc = msg.location or {}
    where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
    return f"{msg.text}{where}"


@pytest.fixture(scope="session")
def browsed(browser, server):
    """The English edition (most checks are language-blind; the Danish edition has its own below)."""
    site = Site(browser, server + "en/")
    try:
        yield site
    finally:
        site.close()


@pytest.fixture(scope="session")
def screens(browser, server, browsed):
    """The site at each width of VIEWPORTS: ``screens("phone")``; the desktop is ``browsed`` (1280 x 720)."""
    made: dict[str, Site] = {"desktop": browsed}
    assert browsed.context.pages == [] or browsed.context.pages[0].viewport_size == VIEWPORTS["desktop"]

    def screen(name: str) -> Site:
        if name not in made:
            made[name] = Site(browser, server + "en/", VIEWPORTS[name])
        return made[name]

    try:
        yield screen
    finally:
        for name, site in made.items():
            if name != "desktop":
                site.close()


def _listed(title: str, items: list[str]) -> str:
    return f"{title} ({len(items)}):\n" + "\n".join(f"  - {item}" for item in items)


# ---------------------------------------------------------------------------------------------------
# Every chapter page


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_loads_offline_without_errors(browsed, chapter):
    visit = browsed.visit(f"chapters/{chapter}.html")
    problems = []
    if visit.outside:
        problems.append(_listed("requests outside the site (blocked)", visit.outside))
    if visit.page_errors:
        problems.append(_listed("uncaught JavaScript errors", visit.page_errors))
    if visit.console_errors:
        problems.append(_listed("console errors", visit.console_errors))
    if visit.bad_responses:
        problems.append(_listed("failed requests inside the site", visit.bad_responses))
    if problems:
        pytest.fail(f"chapters/{chapter}.html, opened offline in Chromium:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chart_is_drawn(browsed, chapter):
    visit = browsed.visit(f"chapters/{chapter}.html")
    undrawn = [c for c in visit.charts if not (c["vis"] and c["svg"] and c["bars"] > 0)]
    if undrawn:
        pytest.fail(
            f"chapters/{chapter}.html: {len(undrawn)} of {len(visit.charts)} charts not drawn within "
            f"{DRAW_TIMEOUT_MS / 1000:.0f} s (does chart_html put an SVG in each width's drawing?):\n"
            + "\n".join(f"  - chart {c['index']} '{c['label']}': vis div {c['vis']}, svg {c['svg']}, "
                        f"bars ({BARS}) {c['bars']}" for c in undrawn), pytrace=False)


def test_site_root_redirects_to_the_book(browsed, server):
    visit = browsed.visit("index.html", redirect_to="chapters/index.html")  # the English edition's own root
    assert visit.page.url == server + "en/chapters/index.html"
    assert not visit.outside, _listed("index.html: requests outside the site (blocked)", visit.outside)


def test_no_blocked_request_outside_any_page(browsed):
    for chapter in CHAPTERS:
        browsed.visit(f"chapters/{chapter}.html")
    assert not browsed.unattributed, _listed("blocked requests of no page (service worker?)", browsed.unattributed)


# ---------------------------------------------------------------------------------------------------
# The report's ten figures


def _figure(browsed, n: int) -> dict:
    chapter = FIGURE_PAGES[n]
    visit = browsed.visit(f"chapters/{chapter}.html")
    state = visit.page.evaluate(FIGURE_JS, [f"fig-{n}", BARS, BAR_LABELS])
    assert state is not None, f"no element with id 'fig-{n}' on chapters/{chapter}.html"
    return state


@pytest.mark.parametrize("n", sorted(FIGURE_PAGES))
def test_figure_is_drawn_with_its_number(browsed, n):
    fig = _figure(browsed, n)
    where = f"#fig-{n} on chapters/{FIGURE_PAGES[n]}.html"
    assert fig["tag"] == "figure", f"{where} is a <{fig['tag']}>, not a <figure>"
    assert fig["chart"], f"{where} holds no .councils-chart"
    assert fig["svg"] and fig["bars"] > 0, f"{where}: chart not drawn (svg {fig['svg']}, bars {fig['bars']})"
    assert fig["caption"] is not None, f"{where} has no 'figcaption .caption-number'"
    assert fig["caption"].strip() == f"Figure {n}", f"{where}: caption number reads {fig['caption']!r}"


@pytest.mark.parametrize("n", sorted(FIGURE_PAGES))
def test_figure_has_numbers_table_and_csv(browsed, n):
    fig = _figure(browsed, n)
    where = f"figure {n} on chapters/{FIGURE_PAGES[n]}.html"
    assert fig["summary"] is not None, f"{where}: no details.councils-numbers after the figure"
    assert fig["summary"].strip() == f"Numbers behind figure {n}", (
        f"{where}: the first numbers table after the figure is {fig['summary']!r}")
    assert fig["tableRows"] > 0, f"{where}: the numbers table has no rows"
    assert fig["href"], f"{where}: no a.councils-download in the numbers table"
    assert fig["href"].startswith("data:text/csv"), f"{where}: download link is not a data:text/csv URL"
    assert re.fullmatch(rf"figure-{n}-.*\.csv", fig["download"] or ""), (
        f"{where}: the download's file name is {fig['download']!r}, expected figure-{n}-....csv")

    # Decoded by the browser itself, as a reader's download would be.
    page = browsed.visit(f"chapters/{FIGURE_PAGES[n]}.html").page
    text = page.evaluate("async (href) => await (await fetch(href)).text()", fig["href"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and rows[0][:len(CSV_HEADER_START)] == CSV_HEADER_START, (
        f"{where}: CSV header is {rows[0] if rows else None}, expected it to start with {','.join(CSV_HEADER_START)}")
    data = [dict(zip(rows[0], row)) for row in rows[1:] if row]
    assert data, f"{where}: the CSV has a header and no rows"
    for row in data:
        assert row["count"].isdigit() and row["base"].isdigit() and int(row["count"]) <= int(row["base"]), (
            f"{where}: CSV row with count {row['count']!r} of base {row['base']!r}: {row}")

    # Every row of the CSV is a bar of the chart, and labelled bars show the CSV's counts (a chart not
    # drawn at all is test_figure_is_drawn_with_its_number's failure).
    if not fig["svg"]:
        return
    assert fig["bars"] == len(data), f"{where}: the chart draws {fig['bars']} bars, the CSV has {len(data)} rows"
    if fig["labels"]:
        drawn = sorted(int(m.group()) for label in fig["labels"] if (m := re.match(r"\d+", label)))
        assert drawn == sorted(int(row["count"]) for row in data), (
            f"{where}: bar labels {fig['labels']} do not show the CSV's counts "
            f"{[row['count'] for row in data]}")


# ---------------------------------------------------------------------------------------------------
# Phones and desktops: navigation, width, charts

SHOWN_JS = "(el) => el.checkVisibility({visibilityProperty: true}) && el.getBoundingClientRect().width > 0"

SHOWN_LINKS_JS = """(root) => [...document.querySelectorAll(root + ' a[href]')]
    .filter(a => a.checkVisibility({visibilityProperty: true}) && a.getBoundingClientRect().width > 0)
    .map(a => a.getAttribute('href'))"""

WIDTHS_JS = "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"

CHART_BOXES_JS = """() => [...document.querySelectorAll('.councils-chart svg')].map((svg, i) => {
    const box = svg.getBoundingClientRect();
    return {index: i + 1, left: box.left, right: box.right,
            label: (svg.closest('.councils-chart').getAttribute('aria-label') || '').slice(0, 50)};
})"""

CHART_TEXTS_JS = """() => [...document.querySelectorAll('.councils-chart svg text')].map(t => t.textContent)"""


def _fresh_page(site: Site, path: str):
    """A page of its own, since taps change it; the caller closes it."""
    page = site.context.new_page()
    page.goto(site.base + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page


def _chapters_linked(page, root: str) -> list[str]:
    """The chapters (of CHAPTERS, in that order) that shown links inside ``root`` lead to ('#' is this page)."""
    here = re.sub(r"^.*/|\.html.*$", "", page.url)
    stems = {here if href == "#" else re.sub(r"^.*/|\.html.*$", "", href)
             for href in page.evaluate(SHOWN_LINKS_JS, root)}
    return [c for c in CHAPTERS if c in stems]


def _sections_linked(page, root: str) -> list[str]:
    """Shown links inside ``root``; each must lead to one element of the page."""
    links = page.evaluate(SHOWN_LINKS_JS, root)
    astray = [h for h in links if not h.startswith("#") or page.locator(h).count() != 1]
    assert not astray, f"contents links inside {root} that lead to no section of the page: {astray}"
    return links


def test_phone_menu_and_contents_buttons_open_them(screens):
    page = _fresh_page(screens("phone"), "chapters/2_organisation.html")
    try:
        assert _chapters_linked(page, "#pst-primary-sidebar-modal") == [], "the menu is open before any tap"
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_timeout(300)
        shown = _chapters_linked(page, "#pst-primary-sidebar-modal")
        assert shown == CHAPTERS, f"at 390 px a tap on the menu button shows links to {shown}, expected every chapter"
        page.keyboard.press("Escape")

        assert _sections_linked(page, "#pst-secondary-sidebar-modal") == [], "the contents are open before any tap"
        page.locator(".secondary-toggle:visible").first.click()
        page.wait_for_timeout(300)
        assert _sections_linked(page, "#pst-secondary-sidebar-modal"), (
            "at 390 px a tap on the contents button shows no link to a section of the page")
    finally:
        page.close()


def test_desktop_menu_button_folds_and_unfolds_the_menu_beside_the_contents(screens):
    page = _fresh_page(screens("desktop"), "chapters/2_organisation.html")
    try:
        menu = page.locator("#pst-primary-sidebar")
        shown = _chapters_linked(page, "#pst-primary-sidebar")
        assert shown == CHAPTERS, f"at 1280 px the menu shows links to {shown}, expected every chapter"
        # The wide screen's menu folds away with a transition.
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_timeout(600)
        assert not page.evaluate(SHOWN_JS, menu.element_handle()), "at 1280 px a tap on the menu button left it open"
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_timeout(600)
        assert page.evaluate(SHOWN_JS, menu.element_handle()), "at 1280 px a second tap did not bring the menu back"
        # At this width the theme shows the contents beside the text and hides their button.
        assert _sections_linked(page, "#pst-secondary-sidebar"), "at 1280 px the contents show no link"
    finally:
        page.close()


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_is_no_wider_than_the_screen(screens, screen, path):
    page = screens(screen).visit(path).page
    widths = page.evaluate(WIDTHS_JS)
    assert widths["client"] == VIEWPORTS[screen]["width"], f"{path}: viewport {widths['client']} px"
    assert widths["scroll"] == widths["client"], (
        f"{path} at {widths['client']} px scrolls sideways: the page is {widths['scroll']} px wide")


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
@pytest.mark.parametrize("chapter", sorted(set(FIGURE_PAGES.values())))
def test_every_chart_lies_within_the_screen(screens, screen, chapter):
    page = screens(screen).visit(f"chapters/{chapter}.html").page
    width = VIEWPORTS[screen]["width"]
    boxes = page.evaluate(CHART_BOXES_JS)
    assert boxes, f"chapters/{chapter}.html has no drawn chart"
    outside = [b for b in boxes if b["left"] < 0 or b["right"] > width + 0.5]
    assert not outside, (f"chapters/{chapter}.html at {width} px: charts reaching outside the screen:\n"
                         + "\n".join(f"  - chart {b['index']} '{b['label']}': {b['left']:.0f}-{b['right']:.0f} px"
                                      for b in outside))


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
@pytest.mark.parametrize("chapter", sorted(set(FIGURE_PAGES.values())))
def test_no_chart_text_is_cut(screens, screen, chapter):
    page = screens(screen).visit(f"chapters/{chapter}.html").page
    texts = page.evaluate(CHART_TEXTS_JS)
    assert texts, f"chapters/{chapter}.html: no text in any chart"
    cut = [t for t in texts if t.rstrip().endswith(("…", "..."))]
    assert not cut, f"chapters/{chapter}.html at {VIEWPORTS[screen]['width']} px: chart texts cut short: {cut}"


# ---------------------------------------------------------------------------------------------------
# Accessibility: axe-core on every page, and the keyboard


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.is_file():
        reason = f"{AXE} is missing: `make test` installs axe-core from package-lock.json (npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return AXE


# Every element a reader could click and the page shows, each marked with an id of the test's own.
INTERACTIVE_JS = """() => [...document.querySelectorAll(
        'a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled && e.tabIndex >= 0 && !e.closest('[inert], dialog:not([open])'))
    .filter(e => e.checkVisibility({visibilityProperty: true}) && e.getBoundingClientRect().width > 0)
    .map((e, i) => {
        e.dataset.tabTest = String(i);
        return {id: String(i), what: e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''),
                text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
                summary: e.matches('details.councils-numbers > summary'),
                menu: e.matches('.primary-toggle'), contents: e.matches('.secondary-toggle, #pst-secondary-sidebar a'),
                search: e.matches('.search-button__button')};
    })"""

FOCUSED_JS = """() => { const e = document.activeElement;
    return !e || e === document.body ? null : (e.dataset.tabTest ?? ('unlisted ' + e.tagName.toLowerCase())); }"""


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_keyboard_reaches_every_interactive_element(screens, screen, chapter):
    page = screens(screen).visit(f"chapters/{chapter}.html").page
    elements = page.evaluate(INTERACTIVE_JS)
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    focused = []
    for _ in range(len(elements) + 20):  # a full round, whatever else takes focus on the way
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED_JS)
        if focused and now == focused[0]:
            break
        focused.append(now)
    where = f"chapters/{chapter}.html at {VIEWPORTS[screen]['width']} px"
    # A page without sections (appendix A) has no contents.
    roles = [("menu", "the menu button"), ("search", "the search button")]
    if page.locator("#pst-secondary-sidebar a[href^='#'], #pst-secondary-sidebar-modal a[href^='#']").count():
        roles.append(("contents", "the contents"))
    for role, expected in roles:
        assert any(e[role] for e in elements), f"{where}: {expected} is not shown"
        assert any(e[role] and e["id"] in focused for e in elements), f"{where}: Tab never reaches {expected}"
    if chapter in FIGURE_PAGES.values():
        assert sum(e["summary"] for e in elements) >= 1, f"{where}: no numbers table is shown"
    unreached = [e for e in elements if e["id"] not in focused]
    assert not unreached, (f"{where}: Tab never reaches:\n"
                           + "\n".join(f"  - {e['what']} '{e['text']}'" for e in unreached))


# ---------------------------------------------------------------------------------------------------
# Serving: `python -m councils serve`, the way search works fully (from disk its snippets cannot load)


def test_served_site_searches_with_snippets(browser, site):
    import signal
    import subprocess

    server = subprocess.Popen([sys.executable, "-m", "councils", "serve", "--dir", str(site), "--port", "0"],
                              cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert m, f"serve printed no address on 127.0.0.1: {line!r} {server.stderr.read() if server.poll() else ''}"
        served = Site(browser, m.group(0))
        try:
            visit = served.visit("en/search.html?q=integration+council")
            visit.page.wait_for_selector("ul.search li p.context", timeout=10_000)
            snippets = visit.page.locator("ul.search li p.context").all_text_contents()
            assert any("council" in s.lower() for s in snippets), f"search snippets without the words sought: {snippets}"
            assert not visit.console_errors and not visit.page_errors, (
                f"search on the served site: {visit.console_errors + visit.page_errors}")
            assert not visit.outside, _listed("requests outside the served site", visit.outside)
        finally:
            served.close()
    finally:
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=10)
    assert code == 0, f"serve ended with exit code {code} on Ctrl-C: {server.stderr.read()}"


# ---------------------------------------------------------------------------------------------------
# The Danish edition: every page loads offline, draws its charts and passes axe; the root opens it


@pytest.fixture(scope="session")
def danish(browser, server):
    site = Site(browser, server + "da/")
    try:
        yield site
    finally:
        site.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_danish_page_loads_offline_and_draws_its_charts(danish, chapter):
    visit = danish.visit(f"chapters/{chapter}.html")
    where = f"da/chapters/{chapter}.html"
    assert not visit.outside, _listed(f"{where}: requests outside the site (blocked)", visit.outside)
    assert not visit.page_errors and not visit.console_errors, (visit.page_errors, visit.console_errors)
    assert not visit.bad_responses, _listed(f"{where}: failed requests", visit.bad_responses)
    assert all(c["vis"] and c["svg"] and c["bars"] > 0 for c in visit.charts), f"{where}: a chart is not drawn"
    assert visit.page.evaluate("() => document.documentElement.lang") == "da"


@pytest.mark.parametrize("n", sorted(FIGURE_PAGES))
def test_danish_figure_caption_and_numbers_table(danish, n):
    page = danish.visit(f"chapters/{FIGURE_PAGES[n]}.html").page
    fig = page.evaluate(FIGURE_JS, [f"fig-{n}", BARS, BAR_LABELS])
    assert fig and fig["svg"] and fig["bars"] > 0
    assert fig["caption"].strip() == f"Figur {n}"
    assert fig["summary"].strip() == f"Tallene bag figur {n}"
    assert re.fullmatch(rf"figur-{n}-.*\.csv", fig["download"] or "")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_page_links_to_the_same_page_in_the_other_language(danish, browsed, server, chapter):
    for site, other in ((danish, "en"), (browsed, "da")):
        page = site.visit(f"chapters/{chapter}.html").page
        link = page.locator("a.councils-language")
        assert link.count() == 1 and link.get_attribute("hreflang") == other and link.is_visible()
        # the link as the browser resolves it; the other edition's page is opened by that edition's tests
        assert link.evaluate("a => a.href") == f"{server}{other}/chapters/{chapter}.html"


# ---------------------------------------------------------------------------------------------------
# Every page of both editions as a reader sees it (issue 15): one visit per page, width and colour
# scheme, measured once and closed; each test below asserts one thing of those measurements.

EDITIONS = ("da", "en")
HEADER_WIDTHS = (320, 360, 390, 768, 1280, 1920)  # phones, a tablet, desktops
AXE_WIDTHS = (320, 390, 1280)
PHONE, DESKTOP = 390, 1280
MIN_PLOT_SHARE = 0.6
# Vega's own descriptions of a chart's parts, which a screen reader must not hear.
VEGA_WORDS = re.compile(r"X-axis|Y-axis|axis titled|Title text|Subtitle text|ci_low|ci_high|share_text|"
                        r"graphics-symbol|text mark|bar mark|rule mark", re.I)

READER_JS = "() => { " + SHOWN_SVG_JS + """
    const vw = document.documentElement.clientWidth;
    const box = (el) => { const r = el.getBoundingClientRect();
                          return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; };
    const shown = (el) => el.checkVisibility({visibilityProperty: true}) && el.getBoundingClientRect().width > 0;
    // The text a reader sees: text nodes whose element is drawn more than a pixel wide (not visually hidden).
    const visibleText = (el) => { const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let out = '';
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const p = n.parentElement; if (p && p.getBoundingClientRect().width > 1 && shown(p)) out += n.textContent; }
        return out.replace(/\\s+/g, ' ').trim(); };
    window.scrollTo(0, 0);
    // The header bar: every link and button in it, where it is drawn and what a tap there reaches.
    const bar = document.querySelector('.bd-header-article');
    const controls = bar ? [...bar.querySelectorAll('a[href], button')].filter(shown).map(el => {
        const r = box(el);
        const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        return {name: (el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent).trim().replace(/\\s+/g, ' '),
                text: visibleText(el), box: r, hit: !!hit && (hit === el || el.contains(hit))};
    }) : [];
    const title = document.querySelector('article.bd-article h1');
    // Tables, every numbers table opened.
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    const article = document.querySelector('article.bd-article');
    const tables = [...document.querySelectorAll('table.councils-table')].filter(shown).map(t => {
        const cells = [...t.querySelectorAll('tbody th, tbody td')];
        const hidden = cells.filter(c => c.textContent.trim() && (!shown(c) || box(c).left < -0.5 || box(c).right > vw + 0.5));
        return {classes: t.className, display: getComputedStyle(t).display, right: box(t).right,
                articleRight: article ? box(article).right : vw, rows: t.querySelectorAll('tbody tr').length,
                cells: cells.length, outside: hidden.slice(0, 3).map(c => (c.dataset.label || '') + ': ' + c.textContent.trim())};
    });
    // Charts: the drawing shown, its plot's share of its width, its tick labels, its texts.
    const charts = [...document.querySelectorAll('.councils-chart')].map((c, i) => {
        const drawings = [...c.querySelectorAll('.councils-chart-width')].filter(d => getComputedStyle(d).display !== 'none');
        const svg = shownSvg(c);
        if (!svg) return {index: i + 1, drawings: drawings.length};
        const s = box(svg);
        const domain = svg.querySelector('g.role-axis-domain line, g.role-axis-domain path');
        const axes = [...svg.querySelectorAll('g.role-axis')].map(axis =>
            [...axis.querySelectorAll('g.role-axis-label text')]
                .filter(t => t.getAttribute('opacity') !== '0' && t.textContent.trim())
                .map(t => ({text: t.textContent, ...box(t)})).sort((a, b) => a.left - b.left))
            .filter(labels => labels.length);
        const overlaps = axes.flatMap(labels => labels.slice(1).filter((t, k) => t.left < labels[k].right - 0.5)
            .map((t, k) => labels[k].text + ' / ' + t.text));
        const cut = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => ({text: t.textContent, ...box(t)}))
            .filter(t => t.left < s.left - 0.5 || t.right > s.right + 0.5).map(t => t.text);
        return {index: i + 1, label: (c.getAttribute('aria-label') || '').slice(0, 60), drawings: drawings.length,
                drawn: Number(drawings[0].dataset.width), width: s.width, chartWidth: box(c).width,
                plotShare: domain ? box(domain).width / s.width : 0, overlaps, cut,
                outsideScreen: s.left < -0.5 || s.right > vw + 0.5};
    });
    const prevNext = [...document.querySelectorAll('.prev-next-area a')].filter(shown).map(a => {
        const t = a.querySelector('.prev-next-title');
        return {text: t ? t.textContent.trim() : '', width: t ? box(t).width : 0,
                overflow: t ? t.scrollWidth > t.clientWidth + 1 : false, lines: t ? Math.round(box(t).height / parseFloat(getComputedStyle(t).lineHeight || 20)) : 0};
    });
    return {
        width: vw, scroll: document.documentElement.scrollWidth, theme: document.documentElement.dataset.theme,
        bar: bar ? box(bar) : null, controls, title: title ? box(title) : null, tables, charts, prevNext,
        alternates: [...document.querySelectorAll('link[rel="alternate"][hreflang]')].map(l => ({lang: l.hreflang, href: l.href})),
    };
}"""


@dataclass
class Reading:
    """What one page showed at one width and colour scheme."""

    where: str
    report: dict
    axe: list | None
    ax_charts: list  # per chart: its accessible node's role, name, and names exposed inside it
    ax_vega: list  # exposed nodes anywhere whose names are Vega's descriptions


def _ax_tree(page) -> tuple[list, list]:
    """From Chromium's accessibility tree: each chart's node and what it exposes inside; Vega's words anywhere."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {n["nodeId"]: n for n in nodes}

    def name(n):
        return (n.get("name") or {}).get("value", "")

    def exposed_inside(n):
        found = []
        for child in n.get("childIds", []):
            c = by_id.get(child)
            if c is None:
                continue
            if not c.get("ignored") and (name(c) or (c.get("role") or {}).get("value") not in ("generic", "none")):
                found.append(f"{(c.get('role') or {}).get('value')}: {name(c)[:40]}")
            found += exposed_inside(c)
        return found

    labels = page.evaluate("() => [...document.querySelectorAll('.councils-chart')].map(c => c.getAttribute('aria-label'))")
    charts = []
    for label in labels:
        matches = [n for n in nodes if not n.get("ignored") and name(n) == label]
        charts.append({"label": label[:50], "roles": [(n.get("role") or {}).get("value") for n in matches],
                       "inside": [x for n in matches for x in exposed_inside(n)]})
    vega = [name(n)[:60] for n in nodes if not n.get("ignored") and VEGA_WORDS.search(name(n))]
    return charts, vega


@pytest.fixture(scope="session")
def inspect(browser, server, axe_source):
    """``inspect(edition, path, width, dark=False)``: a page's Reading, measured once (cached), the page closed."""
    contexts: dict[tuple[int, bool], object] = {}
    readings: dict[tuple, Reading] = {}

    def context(width: int, dark: bool):
        if (width, dark) not in contexts:
            ctx = browser.new_context(viewport={"width": width, "height": 844 if width < 768 else 900},
                                      color_scheme="dark" if dark else "light")
            ctx.add_init_script("try { window.localStorage.clear(); } catch (e) {}")
            ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                      else route.abort("blockedbyclient"))
            contexts[(width, dark)] = ctx
        return contexts[(width, dark)]

    def reading(edition: str, path: str, width: int, dark: bool = False) -> Reading:
        key = (edition, path, width, dark)
        if key not in readings:
            page = context(width, dark).new_page()
            try:
                page.goto(f"{server}{edition}/{path}", wait_until="load")
                page.wait_for_load_state("networkidle")
                report = page.evaluate(READER_JS)
                ax_charts, ax_vega = _ax_tree(page)
                axe = None
                if width in AXE_WIDTHS:
                    page.add_script_tag(path=str(axe_source))
                    axe = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                        .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                               nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
            finally:
                page.close()
            mode = "dark" if dark else "light"
            readings[key] = Reading(f"{edition}/{path} at {width} px ({mode})", report, axe, ax_charts, ax_vega)
        return readings[key]

    try:
        yield reading
    finally:
        for ctx in contexts.values():
            ctx.close()


EVERY_PAGE = [(edition, path) for edition in EDITIONS for path in SITE_PAGES]
CHART_PAGES = [(edition, f"chapters/{c}.html") for edition in EDITIONS for c in sorted(set(FIGURE_PAGES.values()))]


@pytest.mark.parametrize("width", HEADER_WIDTHS)
@pytest.mark.parametrize("edition, path", EVERY_PAGE)
def test_header_links_and_buttons_sit_in_one_row_inside_the_bar(inspect, edition, path, width):
    r = inspect(edition, path, width)
    report, where = r.report, r.where
    bar, controls = report["bar"], report["controls"]
    assert bar and controls, f"{where}: no header bar with links and buttons"
    names = [c["name"] for c in controls]
    assert any("PDF" in n for n in names), f"{where}: no PDF link in the header: {names}"
    assert any(n in ("Dansk", "English") for n in names), f"{where}: no language link in the header: {names}"
    problems = []
    for c in controls:
        b = c["box"]
        if b["top"] < bar["top"] - 0.5 or b["bottom"] > bar["bottom"] + 0.5:
            problems.append(f"{c['name']!r} at {b['top']:.0f}-{b['bottom']:.0f} px, outside the bar ({bar['top']:.0f}-{bar['bottom']:.0f})")
        if b["left"] < -0.5 or b["right"] > report["width"] + 0.5:
            problems.append(f"{c['name']!r} at {b['left']:.0f}-{b['right']:.0f} px, outside the screen")
        if not c["hit"]:
            problems.append(f"a tap on the middle of {c['name']!r} reaches something else")
        if report["title"] and b["bottom"] > report["title"]["top"] and b["top"] < report["title"]["bottom"] \
                and b["right"] > report["title"]["left"] and b["left"] < report["title"]["right"]:
            problems.append(f"{c['name']!r} lies over the page's title")
    rows = {round((c["box"]["top"] + c["box"]["bottom"]) / 2 / 8) for c in controls}
    if max(c["box"]["bottom"] for c in controls) - min(c["box"]["top"] for c in controls) > bar["height"] + 0.5 \
            or len(rows) > 2:
        problems.append("the controls are not in one row: " + ", ".join(
            f"{c['name']!r} {c['box']['top']:.0f}-{c['box']['bottom']:.0f}" for c in controls))
    ordered = sorted(controls, key=lambda c: c["box"]["left"])
    problems += [f"{a['name']!r} and {b['name']!r} overlap" for a, b in zip(ordered, ordered[1:])
                 if b["box"]["left"] < a["box"]["right"] - 0.5]
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)
    if width < 576:
        pdf = next(c for c in controls if "PDF" in c["name"])
        assert pdf["text"] == "PDF", f"{where}: the PDF link reads {pdf['text']!r} on a phone"


@pytest.mark.parametrize("edition, path", EVERY_PAGE)
def test_on_a_phone_every_tables_numbers_are_on_the_screen(inspect, edition, path):
    r = inspect(edition, path, PHONE)
    report = r.report
    assert report["scroll"] <= report["width"], f"{r.where}: the page is {report['scroll']} px wide"
    for t in r.report["tables"]:
        assert not t["outside"], f"{r.where}: cells off the screen in a table ({t['classes']}): {t['outside']}"
        assert t["right"] <= report["width"] + 0.5, f"{r.where}: a table reaches {t['right']:.0f} px"


def test_the_tables_on_a_phone_include_the_comparison_table_and_the_table_of_every_number(inspect):
    """The two widest tables of the issue: every number of the round (8 columns) and the comparison's."""
    sources = [t for t in inspect("en", "chapters/appendix_methods.html", PHONE).report["tables"]
               if "councils-sources" in t["classes"]]
    assert sources and sources[0]["rows"] >= 50 and sources[0]["display"] == "block", sources
    assert not sources[0]["outside"]


@pytest.mark.parametrize("edition, path", EVERY_PAGE)
def test_on_a_desktop_tables_are_full_tables_within_the_column(inspect, edition, path):
    r = inspect(edition, path, DESKTOP)
    for t in r.report["tables"]:
        assert t["display"] == "table", f"{r.where}: a table ({t['classes']}) is laid out as {t['display']}"
        assert t["right"] <= t["articleRight"] + 0.5, f"{r.where}: a table reaches past the text column"
        assert not t["outside"], f"{r.where}: cells off the screen: {t['outside']}"


@pytest.mark.parametrize("width", [320, PHONE, 768, DESKTOP])
@pytest.mark.parametrize("edition, path", CHART_PAGES)
def test_every_chart_shows_one_drawing_for_its_width_with_room_for_the_plot(inspect, edition, path, width):
    r = inspect(edition, path, width)
    charts = r.report["charts"]
    assert charts, f"{r.where}: no chart"
    problems = []
    for c in charts:
        if c["drawings"] != 1:
            problems.append(f"chart {c['index']}: {c['drawings']} drawings shown")
            continue
        scale = c["width"] / c["drawn"]
        if not 0.85 <= scale <= 1.15:
            problems.append(f"chart {c['index']}: the {c['drawn']} px drawing shown {c['width']:.0f} px wide")
        if c["plotShare"] < MIN_PLOT_SHARE:
            problems.append(f"chart {c['index']}: the plot takes {c['plotShare']:.0%} of its width")
        if c["overlaps"]:
            problems.append(f"chart {c['index']}: tick labels collide: {c['overlaps']}")
        if c["cut"]:
            problems.append(f"chart {c['index']}: texts reach outside the drawing: {c['cut'][:3]}")
        if c["outsideScreen"]:
            problems.append(f"chart {c['index']}: reaches outside the screen")
    assert not problems, f"{r.where}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("edition, path", CHART_PAGES)
def test_accessibility_tree_holds_each_charts_text_alternative_and_none_of_its_internals(inspect, edition, path):
    r = inspect(edition, path, PHONE)
    assert r.ax_charts, f"{r.where}: no chart"
    for chart in r.ax_charts:
        assert chart["roles"] == ["image"], f"{r.where}: chart {chart['label']!r} is exposed as {chart['roles']}"
        assert not chart["inside"], f"{r.where}: chart {chart['label']!r} exposes its parts: {chart['inside'][:5]}"
    assert not r.ax_vega, f"{r.where}: Vega's descriptions in the accessibility tree: {r.ax_vega[:5]}"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", AXE_WIDTHS)
@pytest.mark.parametrize("edition, path", EVERY_PAGE)
def test_axe_finds_no_violation_of_any_impact(inspect, edition, path, width, dark):
    r = inspect(edition, path, width, dark)
    assert r.report["theme"] == ("dark" if dark else "light"), (
        f"{r.where}: the page is {r.report['theme']}: it does not follow prefers-color-scheme")
    assert not r.axe, f"{r.where}: axe-core finds:\n" + "\n".join(
        f"  - {v['id']} ({v['impact']}): {v['help']}; {', '.join(v['nodes'])}" for v in r.axe)


@pytest.mark.parametrize("edition, path", EVERY_PAGE)
def test_every_page_declares_its_other_language_alternate(inspect, edition, path, server):
    r = inspect(edition, path, DESKTOP)
    other = "en" if edition == "da" else "da"
    alternates = {a["lang"]: a["href"] for a in r.report["alternates"]}
    assert alternates.get(edition) == f"{server}{edition}/{path}", alternates
    assert alternates.get(other) == f"{server}{other}/{path}", alternates
    assert alternates.get("x-default") == f"{server}index.html", alternates


@pytest.mark.parametrize("edition", EDITIONS)
def test_previous_and_next_links_read_whole_on_a_phone(inspect, edition):
    r = inspect(edition, "chapters/2_organisation.html", PHONE)
    links = r.report["prevNext"]
    assert len(links) == 2, f"{r.where}: previous/next links: {links}"
    for link in links:
        assert not link["overflow"], f"{r.where}: {link['text']!r} is cut"
        assert link["width"] >= 0.6 * (PHONE - 48), f"{r.where}: {link['text']!r} is squeezed into {link['width']:.0f} px"


def test_the_sites_root_offers_both_editions_danish_first(browser, server, axe_source):
    root = Site(browser, server)
    try:
        visit = root.visit("index.html")
        page = visit.page
        assert page.url == server + "index.html", "the root page must not send the reader on by itself"
        links = page.evaluate("""() => [...document.querySelectorAll('main a[href]')].map(a => ({
            href: a.href, lang: a.hreflang, text: a.textContent.trim(), shown: a.checkVisibility()}))""")
        assert [(x["href"], x["lang"]) for x in links] == [(f"{server}da/chapters/index.html", "da"),
                                                           (f"{server}en/chapters/index.html", "en")], links
        assert all(x["shown"] for x in links)
        assert page.evaluate("() => document.documentElement.lang") == "da"
        alternates = page.evaluate("""() => [...document.querySelectorAll('link[rel=alternate]')]
            .map(l => [l.hreflang, l.href])""")
        assert sorted(alternates) == [["da", f"{server}da/chapters/index.html"], ["en", f"{server}en/chapters/index.html"]]
        assert not visit.outside and not visit.page_errors and not visit.console_errors
        page.add_script_tag(path=str(axe_source))
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            violations = page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)")
            assert not violations, f"the root page in {scheme} mode: axe finds {violations}"
        page.click("text=Read the book in English")
        page.wait_for_url(f"{server}en/chapters/index.html")
    finally:
        root.close()


def _follow_language_link(page, server: str, to: str) -> str:
    """A tap where the link is drawn (playwright's own click scrolls the page first, moving the reader)."""
    box = page.locator("a.councils-language").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(re.escape(f"{server}{to}/")))
    page.wait_for_load_state("load")
    return page.url


@pytest.mark.parametrize("start, hash_", [("da", "fig-3"), ("en", "fig-7")])
def test_language_link_keeps_a_figure_anchor(browser, server, start, hash_):
    other = "en" if start == "da" else "da"
    chapter = FIGURE_PAGES[int(hash_.split("-")[1])]
    site = Site(browser, server)
    try:
        page = site.context.new_page()
        page.goto(f"{server}{start}/chapters/{chapter}.html#{hash_}", wait_until="load")
        assert _follow_language_link(page, server, other) == f"{server}{other}/chapters/{chapter}.html#{hash_}"
        page.close()
    finally:
        site.close()


SECTION_IDS_JS = """() => [...document.querySelectorAll('article.bd-article section')].map(s => s.id)"""
PLACE_JS = """() => { const h = decodeURIComponent(location.hash.slice(1)); const el = document.getElementById(h);
    const section = el && el.closest('section');
    return {hash: h, heading: section ? section.querySelector('h1, h2, h3').textContent.replace('#', '').trim() : null,
            top: el ? el.getBoundingClientRect().top : null}; }"""


def test_language_link_keeps_a_section_anchor_and_the_place_scrolled_to(browser, server):
    site = Site(browser, server)
    try:
        page = site.context.new_page()
        # A section's own (language-specific) id: the same section of the other edition.
        page.goto(f"{server}da/chapters/2_organisation.html", wait_until="load")
        danish_ids = page.evaluate(SECTION_IDS_JS)
        page.goto(f"{server}en/chapters/2_organisation.html", wait_until="load")
        english_ids = page.evaluate(SECTION_IDS_JS)
        assert len(danish_ids) == len(english_ids) >= 4 and danish_ids != english_ids
        page.goto(f"{server}da/chapters/2_organisation.html#{danish_ids[3]}", wait_until="load")
        _follow_language_link(page, server, "en")
        place = page.evaluate(PLACE_JS)
        assert place["heading"] and place["heading"].startswith("2.3"), place  # Money, the third subsection
        # No anchor: the section the reader has scrolled to.
        page.goto(f"{server}en/chapters/2_organisation.html", wait_until="load")
        page.evaluate(f"() => document.getElementById({english_ids[2]!r}).scrollIntoView({{behavior: 'instant'}})")
        page.evaluate("() => window.scrollBy({top: 40, behavior: 'instant'})")
        page.wait_for_timeout(200)
        _follow_language_link(page, server, "da")
        place = page.evaluate(PLACE_JS)
        assert place["heading"] and place["heading"].startswith("2.2"), place
        assert place["top"] is not None and place["top"] < 200, f"the section is not where the page opens: {place}"
        page.close()
    finally:
        site.close()


def test_search_snippets_show_text_not_codes(browser, site):
    import signal
    import subprocess

    server = subprocess.Popen([sys.executable, "-m", "councils", "serve", "--dir", str(site), "--port", "0"],
                              cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group(0)
        served = Site(browser, base)
        try:
            for lang, query in (("en", "civil servant"), ("da", "embedsmand")):
                visit = served.visit(f"{lang}/search.html?q={query.replace(' ', '+')}")
                visit.page.wait_for_selector("ul.search li p.context", timeout=10_000)
                snippets = visit.page.locator("ul.search li p.context").all_text_contents()
                assert snippets, f"{lang}: no snippets for {query!r}"
                codes = [s for s in snippets if re.search(r"\b[a-z]+_[a-z_]+\b", s)]
                assert not codes, f"{lang}: snippets show the data format's codes: {codes}"
                assert not visit.console_errors and not visit.page_errors
        finally:
            served.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)


@pytest.mark.parametrize("edition, word, pages", [
    ("en", "servant", {"chapters/2_organisation", "chapters/appendix_methods", "chapters/appendix_questionnaire"}),
    ("da", "embedsmand", {"chapters/2_organisation", "chapters/appendix_methods", "chapters/appendix_questionnaire"})])
def test_search_index_holds_the_words_of_every_table(site, edition, word, pages):
    """The answer 'Civil servant' ('Embedsmand') is in the text of chapter 2 and in the tables of both appendices."""
    import json

    text = (site / edition / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    found = index["terms"].get(word)
    found = [found] if isinstance(found, int) else found or []
    assert pages <= {index["docnames"][i] for i in found}, (word, [index["docnames"][i] for i in found])
