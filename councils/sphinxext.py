"""The site's own Sphinx extension: a light page for a phone, and anchors that both editions share.

Listed in ``_config.yml``'s extensions. It changes what the themes put on every page, not what they draw:

- **Fewer, lighter requests.** pydata-sphinx-theme loads FontAwesome's script (1.5 MB) for a handful
  of icons, which ``_static/councils.css`` draws instead (CSS masks of the same icons); its
  ``theme.css`` only ``@import``s Sphinx's ``basic.css`` (a request that waits for another), which is
  linked directly; Sphinx's search scripts and index are loaded on the search page only (elsewhere the
  search box submits to it); the favicon is inlined; Pygments' stylesheet is left out (the book shows
  no code). Scripts other than ``documentation_options.js`` (which inline scripts of the page use at
  once) are deferred, so that no script holds up the first text. In the built site, the theme's
  stylesheet loses FontAwesome's glyph rules and fonts (a third of its bytes), and FontAwesome's
  script, fonts and the themes' source maps are not copied at all.
- **The reader's colour scheme.** Before the first paint, the page takes the scheme the reader chose on
  the site (the theme's button) or else the system's (``prefers-color-scheme``).
- **Anchors shared by both editions.** Every section gets a second id from its position (``sec-2-1``:
  the first subsection of the second section of the page), the same in both editions, so that the
  language link (``_static/councils.js``) can keep the reader's place on the page.
"""

from __future__ import annotations

import re
import shutil
import urllib.parse
from pathlib import Path

from docutils import nodes

POSITION_PREFIX = "sec-"
# Scripts whose top-level code runs as the page is parsed and that inline scripts of the page need.
SYNC_SCRIPTS = frozenset({"documentation_options.js"})
UNUSED_CSS = frozenset({"pygments.css"})
# FontAwesome in pydata-sphinx-theme's stylesheet: a rule per icon glyph, and its webfonts.
GLYPH_RULES = re.compile(r'(?:\.fa-[a-z0-9-]+:(?:before|after),?)+\{content:"[^"]*"\}')
FONT_FACES = re.compile(r"@font-face\{font-display:block;font-family:Font Awesome[^}]*\}")
THEME_STYLESHEET = Path("_static") / "styles" / "pydata-sphinx-theme.css"
UNUSED_FILES = ("_static/scripts/fontawesome.js", "_static/scripts/fontawesome.js.LICENSE.txt",
                "_static/vendor", "_static/scripts/*.map", "_static/styles/*.map")
SEARCH_SCRIPTS = re.compile(r'\s*<script src="[^"]*(?:searchtools\.js|language_data\.js|searchindex\.js)"></script>')
FONTAWESOME = re.compile(r'\s*<script defer src="[^"]*scripts/fontawesome\.js[^"]*"></script>')
PRELOADS = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*"\s*/>')
THEME_CSS = re.compile(r'href="([^"]*)styles/theme\.css\?digest=[0-9a-f]+"')
MODE_SCRIPT = re.compile(r'document\.documentElement\.dataset\.mode = localStorage\.getItem\("mode"\) \|\| "([a-z]*)";\s*'
                         r'document\.documentElement\.dataset\.theme = localStorage\.getItem\("theme"\) \|\| "[a-z]*";')
# The reader's choice on this site, else the site's default mode, which for "auto" (the book's) is the
# system's scheme, decided before the first paint: no light flash in a dark system.
READERS_MODE = ('var mode = localStorage.getItem("mode") || "{default}"; document.documentElement.dataset.mode = mode; '
                'document.documentElement.dataset.theme = mode === "auto" ? (window.matchMedia && '
                'matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light") : mode;')


def trim_head(markup: str) -> str:
    """The theme's head assets without FontAwesome's script and preloads, basic.css linked directly."""
    markup = FONTAWESOME.sub("", markup)
    markup = PRELOADS.sub("", markup)
    markup = THEME_CSS.sub(lambda m: f'href="{m.group(1)}basic.css"', markup)
    return MODE_SCRIPT.sub(lambda m: READERS_MODE.replace("{default}", m.group(1) or "auto"), markup)


def trim_extrahead(markup: str) -> str:
    """The theme's extra head without Sphinx's search scripts (the search page loads its own)."""
    return SEARCH_SCRIPTS.sub("", markup)


def _favicon(app) -> str | None:
    """The favicon as a data: URL (one request less on every page)."""
    name = app.config.html_favicon
    if not name or "://" in name:
        return None
    path = Path(app.confdir) / name
    if not path.is_file() or path.suffix != ".svg":
        return None
    return "data:image/svg+xml," + urllib.parse.quote(path.read_text(encoding="utf-8").strip(), safe=" =:/'")


def _page_context(app, pagename, templatename, context, doctree) -> None:
    context["councils_trim_head"] = trim_head
    context["councils_trim_extrahead"] = trim_extrahead
    favicon = _favicon(app)
    if favicon:
        context["favicon_url"] = favicon
    if "css_files" in context:
        context["css_files"] = [c for c in context["css_files"]
                                if Path(str(getattr(c, "filename", c)).split("?")[0]).name not in UNUSED_CSS]
    # The search page's own scripts (searchtools.js) run as it is parsed and use doctools.js: there the
    # scripts stay as Sphinx writes them. The script objects are shared by every page (and immutable):
    # a deferred copy replaces each in this page's list.
    if pagename == "search":
        return
    scripts = []
    for script in context.get("script_files", []):
        name = getattr(script, "filename", "") or ""
        attributes = getattr(script, "attributes", None)
        if name and attributes is not None and Path(name.split("?")[0]).name not in SYNC_SCRIPTS:
            deferred = {k: v for k, v in attributes.items() if k != "async"} | {"defer": "defer"}
            script = type(script)(script.filename, priority=script.priority, **deferred)
        scripts.append(script)
    context["script_files"] = scripts


def positional_ids(doctree: nodes.document) -> None:
    """Give every section a second id from its position among its siblings (``sec-1``, ``sec-1-2``, ...)."""

    counters: dict[tuple[int, ...], int] = {}

    def walk(node: nodes.Node, path: tuple[int, ...]) -> None:
        for child in node.children:
            if isinstance(child, nodes.section):
                counters[path] = counters.get(path, 0) + 1
                here = (*path, counters[path])
                anchor = POSITION_PREFIX + "-".join(map(str, here))
                if anchor not in child["ids"]:
                    child["ids"].append(anchor)
                walk(child, here)
            elif isinstance(child, nodes.Element):
                walk(child, path)

    walk(doctree, ())


def trim_theme_stylesheet(css: str) -> str:
    """pydata-sphinx-theme's stylesheet without FontAwesome's glyph rules and font faces (icons are masks)."""
    return FONT_FACES.sub("", GLYPH_RULES.sub("", css))


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    stylesheet = out / THEME_STYLESHEET
    if stylesheet.is_file():
        stylesheet.write_text(trim_theme_stylesheet(stylesheet.read_text(encoding="utf-8")), encoding="utf-8")
    for pattern in UNUSED_FILES:
        for path in out.glob(pattern):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def _doctree_resolved(app, doctree, docname) -> None:
    positional_ids(doctree)


def setup(app):
    app.connect("html-page-context", _page_context)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
