"""What a reader's browser pays for a page of the built site: weight, requests, and a throttled first load.

Usage (``make bench`` runs it after the build timings, on the copy's freshly built site)::

    .venv/bin/python benchmarks/reader.py _build/html --runs 5

The site is served on 127.0.0.1 by a server that gzips text (as any real web server is set up to), and
opened in Debian's Chromium (``/usr/bin/chromium``, driven by playwright) at 390 x 844 px, each run in a
fresh browser context (a first visit: nothing cached). Two measurements:

- **weight**: every request a page makes until the network is idle, the bytes it transferred (gzipped
  where the server gzips) and uncompressed, and every render-blocking script (a ``<script src>`` in
  ``<head>`` without ``defer``, ``async`` or ``type="module"``) with its size.
- **throttled load**: Chromium's own throttling through its DevTools protocol (a CDP session):
  ``Network.emulateNetworkConditions`` with DevTools' "Fast 3G" preset (562.5 ms latency, 180 kB/s down,
  84 kB/s up; Lighthouse's mobile profile) and ``Emulation.setCPUThrottlingRate`` 4 (a phone's CPU).
  First text is the First Contentful Paint; "charts on the first screen" is the first animation frame
  in which every chart that starts within the first screen (844 px) shows its drawing (an ``svg`` with
  bars). Both are read from ``performance.now()`` in the page, from the start of navigation.

The medians of ``--runs`` runs are reported. Nothing here is asserted: the issue's targets (at most
500 kB gzipped, 15 requests, no render-blocking script over 50 kB; first text by 2.5 s and the first
screen's charts by 4 s under that throttling) are printed beside the numbers.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import statistics
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
PHONE = {"width": 390, "height": 844}
# Chrome DevTools' "Fast 3G" preset (front_end/core/sdk/NetworkManager.ts): 1.6 Mbit/s down and 750 kbit/s
# up, each times 0.9, and 150 ms times 3.75 latency; with 4x CPU slowdown it is Lighthouse's mobile profile.
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
           "uploadThroughput": 750 * 1000 / 8 * 0.9}
CPU_SLOWDOWN = 4
# Chapter pages a reader lands on, in both editions: the two that hold the report's figures, the landing
# page, and the appendix with the widest tables.
PAGES = ["en/chapters/2_organisation.html", "en/chapters/3_influence.html", "en/chapters/index.html",
         "en/chapters/appendix_methods.html", "da/chapters/2_organisation.html", "da/chapters/3_influence.html"]
TARGETS = {"kB gzipped": 500, "requests": 15, "largest render-blocking script kB": 50, "first text s": 2.5,
           "first screen's charts s": 4.0}
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")

# Installed before any script of the page: records the time of the first frame in which every chart that
# starts within the first screen is drawn (an svg with at least one bar or path of data).
FIRST_SCREEN_CHARTS_JS = """(() => {
    const height = window.innerHeight;
    window.__chartsOnFirstScreen = null;
    function drawn(chart) {  // the drawing the page's style shows for the chart's width, with its marks
        return [...chart.querySelectorAll('.councils-chart-width, div[id^="vis-"]')].some(
            d => getComputedStyle(d).display !== 'none' && d.querySelector('svg path, svg rect') !== null);
    }
    function check() {
        if (document.body) {
            const charts = [...document.querySelectorAll('.councils-chart')]
                .filter(c => c.getBoundingClientRect().top < height);
            const complete = document.readyState !== 'loading' || charts.length > 0;
            if (complete && charts.every(drawn)) {
                window.__chartsOnFirstScreen = performance.now();
                return;
            }
        }
        requestAnimationFrame(check);
    }
    requestAnimationFrame(check);
})();"""

BLOCKING_JS = """() => [...document.head.querySelectorAll('script[src]')]
    .filter(s => !s.defer && !s.async && s.type !== 'module')
    .map(s => s.src)"""


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped (level 6, as nginx and Apache are commonly set up) when the client accepts it."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if (not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not ctype.startswith(GZIP_TYPES)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class Server:
    """The site on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, folder: Path):
        handler = functools.partial(GzipHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@dataclass
class Load:
    """One first visit of one page."""

    requests: int = 0
    transferred: int = 0  # bytes on the wire (gzipped where served gzipped), headers excluded
    decoded: int = 0  # bytes after decoding
    blocking: list[tuple[str, int]] = field(default_factory=list)  # (file, decoded bytes)
    outside: list[str] = field(default_factory=list)
    first_text_s: float | None = None
    charts_s: float | None = None


def visit(browser, base: str, path: str, throttled: bool) -> Load:
    """A first visit of ``base + path`` at 390 px in a fresh context; with ``throttled``, Fast 3G and 4x CPU."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    load = Load()
    sizes: dict[str, int] = {}
    try:
        context.add_init_script(FIRST_SCREEN_CHARTS_JS)

        def route(r):
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                load.outside.append(r.request.url)
                r.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        finished: dict[str, tuple[str, float]] = {}
        urls: dict[str, str] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished",
               lambda e: finished.__setitem__(e["requestId"], (urls.get(e["requestId"], ""), e["encodedDataLength"])))
        cdp.on("Network.dataReceived", lambda e: sizes.__setitem__(
            urls.get(e["requestId"], ""), sizes.get(urls.get(e["requestId"], ""), 0) + e["dataLength"]))
        if throttled:
            cdp.send("Network.emulateNetworkConditions", FAST_3G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(base + path, wait_until="load", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        page.wait_for_function("() => window.__chartsOnFirstScreen !== null", timeout=120_000)
        paint = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
        load.first_text_s = paint / 1000 if paint is not None else None
        load.charts_s = page.evaluate("() => window.__chartsOnFirstScreen") / 1000
        blocking = page.evaluate(BLOCKING_JS)
        web = [(url, length) for url, length in finished.values() if url.startswith("http")]
        load.requests = len(web) + len([u for u in urls.values() if u.startswith("http")
                                        and u not in {x for x, _ in web}])
        load.transferred = sum(length for _, length in web)
        load.decoded = sum(sizes.get(url, 0) for url, _ in web)
        load.blocking = [(url.removeprefix(base).split("?")[0], sizes.get(url, 0)) for url in blocking]
    finally:
        context.close()
    return load


@dataclass
class PageResult:
    path: str
    weight: Load
    first_text_s: list[float]
    charts_s: list[float]

    def row(self) -> dict[str, float]:
        largest = max((size for _, size in self.weight.blocking), default=0)
        return {"requests": self.weight.requests, "kB gzipped": self.weight.transferred / 1000,
                "kB uncompressed": self.weight.decoded / 1000, "largest render-blocking script kB": largest / 1000,
                "first text s": statistics.median(self.first_text_s),
                "first screen's charts s": statistics.median(self.charts_s)}


def measure(site: Path, runs: int = 5, pages: list[str] | None = None) -> list[PageResult]:
    """Weight (one unthrottled visit) and ``runs`` throttled visits of each page of ``site`` (both editions)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium")
    results = []
    with Server(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            for path in pages or PAGES:
                weight = visit(browser, base, path, throttled=False)
                if weight.outside:
                    raise SystemExit(f"{path} requested outside the site: {weight.outside}")
                loads = [visit(browser, base, path, throttled=True) for _ in range(runs)]
                results.append(PageResult(path, weight, [x.first_text_s for x in loads],
                                          [x.charts_s for x in loads]))
                print(f"  {path}: {results[-1].row()}", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return results


def report(results: list[PageResult], runs: int) -> str:
    """The results as a markdown table, one row per page, the issue's targets in the last row."""
    columns = list(TARGETS) + ["kB uncompressed"]
    lines = [f"Phone (390 x 844 px), first visit; times are medians of {runs} throttled runs "
             f"(Fast 3G, {CPU_SLOWDOWN}x CPU slowdown).", "",
             "| page | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for r in results:
        row = r.row()
        lines.append(f"| {r.path} | " + " | ".join(_cell(c, row[c]) for c in columns) + " |")
    lines.append("| target (issue 15) | " + " | ".join(f"≤ {TARGETS[c]:g}" if c in TARGETS else "" for c in columns)
                 + " |")
    blocking = sorted({(name, size) for r in results for name, size in r.weight.blocking}, key=lambda x: -x[1])
    lines += ["", "Render-blocking scripts: " + (", ".join(f"`{n}` {s / 1000:.1f} kB" for n, s in blocking)
                                                 or "none") + "."]
    return "\n".join(lines) + "\n"


def _cell(column: str, value: float) -> str:
    text = f"{value:.0f}" if column == "requests" else f"{value:.1f}" if "kB" in column else f"{value:.2f}"
    target = TARGETS.get(column)
    return text if target is None else f"{text} {'met' if value <= target else 'MISSED'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site (both editions), e.g. _build/html")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", action="append", default=[], help="a page of the site (repeatable)")
    args = parser.parse_args(argv)
    print(report(measure(args.site, args.runs, args.page or None), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
