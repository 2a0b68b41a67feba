"""Execute every chapter for a round with papermill, then build that round's site, atomically.

Two entry points share one path:

- ``book()`` (``make book``): the published edition. Chapters are executed in place with their
  default parameters and committed with their outputs; the site goes to ``_build/html``.
- ``run_round()`` (``python -m councils run``): any round. Executed copies go to the cache, never
  over ``chapters/``; the site goes to ``_build/rounds/<round>/html``.

Execution is cached on the notebook's cells, the round's data files, the package code and the
parameters; a site is rebuilt only when something it is made from changed. A site is assembled and
built in a temporary folder and swapped in only when the build succeeded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from councils.errors import ChapterFailed, DataError
from councils.commentary import check_round_commentary as check_commentary
from councils.commentary import commentary_files
from councils.rounds import Round, file_digest, load_round
from councils.validate import check_round

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS_DIR = ROOT / "chapters"
STATIC_DIR = ROOT / "_static"
BUILD_DIR = ROOT / "_build"
CACHE_DIR = BUILD_DIR / "cache"
PUBLISHED_ROUND = "2016"
COMPARISON_CHAPTER = "5_comparison"
SITE_KEY_FILE = ".site-key"
# What the chapters' outputs depend on besides the notebook and the round's own files: the modules
# a chapter imports (not this runner or the command line) and the codebook.
# The pinned requirements stand for the libraries' versions (a new altair may draw differently).
CODE_INPUTS = sorted(p for p in (ROOT / "councils").glob("*.py")
                     if p.stem not in ("run", "cli", "pdf", "serve", "__main__")) + [
    ROOT / "data" / "codebook.yaml", ROOT / "data" / "codebook.schema.json", ROOT / "data" / "round.schema.json",
    ROOT / "requirements.txt", ROOT / "CITATION.cff"]
# The vega bundle depends only on the installed vl-convert, so it is kept with the environment and
# survives `make clean`.
BUNDLE_DIR = Path(sys.prefix) / "share" / "councils"


@dataclass(frozen=True)
class Job:
    """One chapter to execute: source notebook, where its executed copy goes, its parameters."""

    chapter: str
    source: Path
    target: Path
    parameters: dict
    key: str


def _sha256(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def chapter_sources() -> list[Path]:
    """The chapter notebooks, in file-name order (hidden files are never chapters)."""
    return sorted(p for p in CHAPTERS_DIR.glob("*.ipynb") if not p.name.startswith("."))


def notebook_inputs_digest(path: Path) -> str:
    """Digest of what a notebook asks for: cell types, sources and tags (not outputs or metadata)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [(c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags", [])) for c in nb["cells"]]
    return _sha256(json.dumps(cells, sort_keys=True).encode("utf-8"))


def code_digest() -> str:
    """Digest of the package code and the codebook: a change in either re-executes every chapter."""
    return _sha256(*(p.read_bytes() for p in CODE_INPUTS))


def round_inputs(rnd: Round) -> list[Path]:
    """Every file of a round that a chapter's text depends on: its data files and its commentary."""
    return list(rnd.files) + commentary_files(rnd.path)


def execution_key(notebook: Path, rnd: Round, parameters: dict) -> str:
    """Cache key of one chapter run: notebook cells, package code, the round's files, parameters."""
    data = [f"{f.relative_to(rnd.path).as_posix()}:{file_digest(f)}".encode() for f in round_inputs(rnd)]
    previous = _previous_round(rnd, parameters.get("data_dir"))
    if previous is not None:
        data += [f"previous/{f.name}:{file_digest(f)}".encode() for f in previous.files]
    return _sha256(notebook_inputs_digest(notebook).encode(), code_digest().encode(), *data,
                   json.dumps(parameters, sort_keys=True).encode())


def _previous_round(rnd: Round, data_dir) -> Round | None:
    previous = rnd.meta.get("previous_round")
    return load_round(previous, data_dir) if previous else None


def _strip_run_metadata(path: Path, key: str) -> None:
    """Drop papermill's timings (they change every run) and record the execution key instead.

    Execution counts are numbered from 1 in every chapter, as a fresh kernel would: a warm kernel goes on
    counting from the chapter it ran before, which depends on which thread took which chapter.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"].pop("papermill", None)
    nb["metadata"]["councils"] = {"execution_key": key}
    count = 0
    for cell in nb["cells"]:
        meta = cell.setdefault("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
        if "injected-parameters" in meta.get("tags", []):  # papermill's cell holds the data path
            meta["tags"] = sorted(set(meta["tags"]) | {"remove-cell"})
        if cell["cell_type"] == "code" and cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _chapter_kernel_manager(kernel_log) -> type:
    """A kernel manager class whose kernels write to ``kernel_log`` and are shut down by request alone.

    jupyter_client's shutdown sends SIGINT together with the shutdown request, so a kernel still finishing
    papermill's last request is interrupted mid-handler (17 kernels in 40 in a test here) and can then log
    tracebacks about sockets it has already closed, to the terminal of a run that succeeded. A chapter's
    kernel is idle when papermill shuts it down: the request alone ends it (jupyter_client still sends
    SIGTERM, then SIGKILL, if the kernel has not exited within its shutdown_wait_time).
    """
    from jupyter_client.manager import AsyncKernelManager

    class ChapterKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw):
            kw.setdefault("stdout", kernel_log)
            kw.setdefault("stderr", kernel_log)
            return await super().start_kernel(**kw)

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            if now or restart:
                return await super().shutdown_kernel(now=now, restart=restart)
            await self.request_shutdown()
            await self.finish_shutdown()
            await self.cleanup_resources()

    return ChapterKernelManager


class _Kernel:
    """One warm kernel that runs chapter after chapter (in one thread), with its own log and socket folder.

    Starting a kernel and importing pandas and Altair costs about a second per chapter; a kernel kept
    for the next chapter pays it once. Each chapter starts from its own parameters and setup cell, and
    nbval re-executes every committed chapter in a fresh kernel, so a chapter cannot come to rely on
    another's leftovers unnoticed.
    """

    def __init__(self):
        from traitlets.config import Config

        # Kernels talk over Unix sockets, not TCP: two kernels started at once can otherwise be handed
        # the same free port ("Address already in use") and one of them never answers.
        self.sockets = Path(tempfile.mkdtemp(prefix="councils-kernel-"))
        (CACHE_DIR / "partial").mkdir(parents=True, exist_ok=True)
        self.log_path = CACHE_DIR / "partial" / f"kernel-{os.getpid()}-{id(self)}.log"
        self.log = self.log_path.open("w", encoding="utf-8")
        self.config = Config()
        self.config.KernelManager.transport = "ipc"
        self.config.KernelManager.ip = str(self.sockets / "kernel")
        self.manager = None

    def manager_for_next_chapter(self):
        """The kernel manager papermill runs the next chapter with (nbclient starts its kernel the first time)."""
        if self.manager is None:
            self.manager = _chapter_kernel_manager(self.log)(kernel_name="python3", config=self.config)
        return self.manager

    def forget(self) -> None:
        """After a dead kernel: the next chapter starts a new one."""
        self.close_manager()

    def close_manager(self) -> None:
        from jupyter_core.utils import run_sync

        if self.manager is not None and self.manager.has_kernel:
            run_sync(self.manager.shutdown_kernel)()
        self.manager = None

    def close(self) -> None:
        self.close_manager()
        self.log.close()
        self.log_path.unlink(missing_ok=True)
        shutil.rmtree(self.sockets, ignore_errors=True)


def _execute(job: Job, kernel: _Kernel) -> tuple[str, str | None]:
    """Run one chapter with papermill (in ``kernel``) into a temporary file, then move it over the target.

    The kernel process's own output (ipykernel's and tornado's logging, anything written outside the
    cells' captured output) goes to the kernel's log, a copy of which is kept beside the executed
    notebook of a failing chapter.
    """
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    job.target.parent.mkdir(parents=True, exist_ok=True)
    # Written outside chapters/, so that a crash never leaves a stray notebook among the chapters.
    partial = CACHE_DIR / "partial" / f"{job.chapter}.{os.getpid()}.ipynb"
    failed = CACHE_DIR / "executed" / "failed" / f"{job.chapter}.ipynb"

    def keep_log() -> str:
        """Keep a copy of the kernel's log beside a failing chapter's notebook when it says anything."""
        kept = failed.with_suffix(".kernel.log")
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.unlink(missing_ok=True)
        kernel.log.flush()
        if not kernel.log_path.stat().st_size:
            return ""
        shutil.copyfile(kernel.log_path, kept)
        return f"; kernel log kept at {_shown(kept)}"

    try:
        papermill.execute_notebook(
            str(job.source), str(partial), parameters=job.parameters or None, kernel_name="python3",
            progress_bar=False, request_save_on_cell_execute=False, cwd=str(CHAPTERS_DIR),
            km=kernel.manager_for_next_chapter(),
        )
    except PapermillExecutionError as exc:
        failed.parent.mkdir(parents=True, exist_ok=True)
        cell = exc.cell_index
        if partial.exists():
            executed = json.loads(partial.read_text(encoding="utf-8"))["cells"]
            # papermill inserts its injected-parameters cell: count cells as the chapter has them
            cell -= sum(1 for c in executed[:exc.cell_index]
                        if "injected-parameters" in c.get("metadata", {}).get("tags", []))
            shutil.move(partial, failed)
        first_line = (exc.source or "").strip().splitlines()[:1]
        return job.chapter, (f"chapter '{job.chapter}', cell {cell + 1} (counting every cell from 1"
                             f"{', starting ' + repr(first_line[0]) if first_line else ''}): "
                             f"{exc.ename}: {exc.evalue.splitlines()[0] if exc.evalue else ''}; "
                             f"executed notebook kept at {_shown(failed)}{keep_log()}")
    except DeadKernelError as exc:
        kernel.forget()
        return job.chapter, f"chapter '{job.chapter}': the kernel died ({exc}){keep_log()}"
    _strip_run_metadata(partial, job.key)
    shutil.move(partial, job.target)
    return job.chapter, None


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def execute_jobs(jobs: list[Job], workers: int | None = None, label: str = "chapters") -> None:
    """Execute chapters, each of ``workers`` threads running one warm kernel chapter after chapter."""
    import queue
    import threading

    from tqdm import tqdm

    if not jobs:
        return
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    todo: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        todo.put(job)
    failures: list[str] = []
    lock = threading.Lock()
    with tqdm(total=len(jobs), desc=f"executing {label}", unit="chapter", file=sys.stderr,
              disable=None) as bar:
        def work() -> None:
            kernel = _Kernel()
            try:
                while True:
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        return
                    _, error = _execute(job, kernel)
                    with lock:
                        bar.update()
                        if error:
                            failures.append(error)
            finally:
                kernel.close()

        threads = [threading.Thread(target=work, name=f"chapters-{i}") for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if failures:
        raise ChapterFailed("\n".join(sorted(failures)))


DIRTY = "+uncommitted changes"


def git_version() -> str:
    """Short commit of the code, marked '+uncommitted changes' when the work tree differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit}{DIRTY}" if dirty else commit


def provenance(rnd: Round, lang: str, built: dt.datetime | None = None) -> dict:
    """What a reader needs to trace the site: round, data hashes, code version, build date."""
    files = round_inputs(rnd)
    previous = rnd.meta.get("previous_round")
    built = built or dt.datetime.now(dt.timezone.utc)
    return {
        "round": rnd.id,
        "fictional": rnd.fictional,
        "lang": lang,
        "data": {f.relative_to(rnd.path).as_posix(): file_digest(f)[:12] for f in files},
        "previous_round": previous,
        "code": git_version(),
        "built": built.strftime("%Y-%m-%d %H:%M UTC"),
    }


def _built_words(prov: dict, lang: str) -> str:
    """The build time as the edition's readers write dates ('2026-11-29 21:52 UTC'; '29. nov. 2026 kl. 21.52 UTC')."""
    if lang != "da":
        return prov["built"]
    from babel.dates import format_datetime

    moment = dt.datetime.strptime(prov["built"], "%Y-%m-%d %H:%M UTC")
    return format_datetime(moment, "d. MMM y 'kl.' HH.mm", locale="da_DK") + " UTC"


def _provenance_html(prov: dict, lang: str = "en") -> str:
    da = lang == "da"
    data = ", ".join(f"<code>{name}</code> sha256 <code>{digest}</code>" for name, digest in prov["data"].items())
    fictional = (" <strong>" + ("Fiktive eksempeldata." if da else "Fictional example data.") + "</strong>"
                 if prov["fictional"] else "")
    words = ("Runde", "Data", "Kodeversion", "Bygget") if da else ("Round", "Data", "Code version", "Built")
    code = prov["code"].replace(DIRTY, " + ændringer, der ikke er committet" if da else DIRTY)
    return (f'<div class="councils-provenance"><p>{words[0]} <strong>{prov["round"]}</strong>.{fictional} '
            f"{words[1]}: {data}. {words[2]} <code>{code}</code>. {words[3]} {_built_words(prov, lang)}."
            "</p></div>")


def _vega_bundle() -> str:
    """vega, vega-lite and vega-embed in one local script (cached: making it takes about two seconds)."""
    import vl_convert

    folder = BUNDLE_DIR if os.access(sys.prefix, os.W_OK) else CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    cached = folder / f"vega-bundle-{vl_convert.__version__}.js"
    if not cached.exists():
        # An IIFE keeps the bundle's top-level names (one of them '_') from clobbering Sphinx's.
        text = "(function () {\n" + vl_convert.javascript_bundle(vl_version="6.4") + "\n})();\n"
        partial = cached.with_suffix(".partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, cached)
    return cached.read_text(encoding="utf-8")


LANGUAGES = ("da", "en")  # the editions, the first the one a reader of the site's root lands on
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}
TEMPLATES_DIR = ROOT / "_templates"
LOCALE_DIR = ROOT / "locale"


def _site_config(rnd: Round, lang: str, prov: dict, other: str | None = None) -> dict:
    """The edition's jupyter-book configuration: _config.yml with the round's front matter and the language's words.

    ``other`` is the language of the companion edition the pages link to, or None for a single edition.
    """
    da = lang == "da"
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["author"] = author(rnd, lang)
    if da:
        config["title"] = "Lokale integrationsråd i Danmark"
    if rnd.id != PUBLISHED_ROUND:
        suffix = (" (fiktivt eksempel)" if da else " (fictional example)") if rnd.fictional else ""
        config["title"] = f"{config['title']}: {'runde' if da else 'round'} {rnd.id}{suffix}"
    sphinx = config["sphinx"]["config"]
    # Sphinx copies every executed notebook into the site's _sources/, papermill's injected cell with
    # its absolute data_dir included; the pages link to none of them.
    sphinx["html_copy_source"] = False
    sphinx["language"] = lang
    sphinx["templates_path"] = ["_templates"]
    sphinx["locale_dirs"] = ["locale"]
    if da:
        sphinx["numfig_format"] = {"figure": "Figur %s", "table": "Tabel %s"}
        sphinx["togglebutton_hint"] = "Klik for at vise"
        sphinx["togglebutton_hint_hide"] = "Klik for at skjule"
    pdf = _edition_pdf(rnd, lang)
    sphinx["html_context"] = {**sphinx.get("html_context", {}), "councils_other_lang": other,
                              "councils_other_label": LANGUAGE_NAMES.get(other or "", ""),
                              "councils_pdf": pdf.name if pdf else None,
                              "councils_pdf_label": "Hele bogen som PDF" if da else "The whole book as PDF"}
    theme = sphinx["html_theme_options"]
    theme["extra_footer"] = _provenance_html(prov, lang)
    if da:
        theme["search_bar_text"] = "Søg i bogen …"
    if other or pdf:
        theme["article_header_end"] = ["language-switch.html", "article-header-buttons.html"]
    if rnd.fictional:
        theme["announcement"] = (
            "Fiktive eksempeldata: tallene på denne side er opdigtede for at vise, hvordan en ny runde af "
            "undersøgelsen udgives. De siger intet om virkelige integrationsråd." if da else
            "Fictional example data: the numbers on this page are made up to show how a new survey round "
            "is published. They say nothing about real integration councils.")
    return config


def _edition_pdf(rnd: Round, lang: str) -> Path | None:
    """The edition's PDF (``make pdf``, councils/pdf.py), when one has been printed: the site links to it."""
    from councils.pdf import pdf_name

    path = BUILD_DIR / "pdf" / pdf_name(rnd.id, lang)
    return path if path.is_file() else None


def author(rnd: Round, lang: str = "en") -> str:
    """The book's author line, from the round's metadata: a fictional round is attributed to no real body."""
    da = lang == "da"
    if rnd.fictional:
        return ("Fiktive eksempeldata, tilskrevet ingen; eksekverbar udgave" if da else
                "Fictional example data, attributed to nobody; executable edition")
    publisher, year = rnd.meta.get(f"publisher_{lang}"), rnd.meta.get("report_year")
    if not publisher:
        return "Eksekverbar udgave" if da else "Executable edition"
    findings = "resultater" if da else "findings"
    return f"{publisher} ({findings}{', ' + str(year) if year else ''}); {'eksekverbar udgave' if da else 'executable edition'}"


TOC_CAPTIONS_DA = {"The report": "Rapporten", "Appendices": "Bilag"}


def _site_toc(rnd: Round, lang: str = "en") -> dict:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    if lang == "da":
        for part in toc["parts"]:
            part["caption"] = TOC_CAPTIONS_DA.get(part["caption"], part["caption"])
    if rnd.meta.get("previous_round"):
        toc["parts"][0]["chapters"].append({"file": f"chapters/{COMPARISON_CHAPTER}"})
    return toc


def site_key(notebooks: dict[str, Path], rnd: Round, langs: tuple[str, ...], prov: dict) -> str:
    """Everything a site is made from except the build date: unchanged key, nothing to rebuild."""
    inputs = [p.read_bytes() for _, p in sorted(notebooks.items())]
    inputs += [(ROOT / name).read_bytes() for name in ("_config.yml", "_toc.yml")]
    inputs += [p.read_bytes() for folder in (STATIC_DIR, TEMPLATES_DIR, LOCALE_DIR)
               for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".mo"]
    inputs += [pdf.read_bytes() for pdf in (_edition_pdf(rnd, lang) for lang in langs) if pdf]
    stable = {k: v for k, v in prov.items() if k not in ("built", "lang")}
    return _sha256(*inputs, json.dumps(stable, sort_keys=True).encode(), ",".join(langs).encode(), rnd.id.encode())


def edition_notebook(source: Path, target: Path, lang: str) -> None:
    """Copy an executed chapter keeping the cells of one language (tag ``lang-<xx>``) and the untagged ones."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    other = {f"lang-{x}" for x in LANGUAGES if x != lang}
    nb["cells"] = [c for c in nb["cells"] if not other & set(c.get("metadata", {}).get("tags", []))]
    target.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def _edition_source(src: Path, notebooks: dict[str, Path], rnd: Round, lang: str, prov: dict,
                    other: str | None) -> None:
    """One edition's jupyter-book source folder: its chapters, static files, templates, catalogues, config."""
    (src / "chapters").mkdir(parents=True)
    for name, path in notebooks.items():
        edition_notebook(path, src / "chapters" / f"{name}.ipynb", lang)
    shutil.copytree(STATIC_DIR, src / "_static")
    (src / "_static" / "vega-bundle.js").write_text(_vega_bundle(), encoding="utf-8")
    for folder in (TEMPLATES_DIR, LOCALE_DIR):
        if folder.is_dir():
            shutil.copytree(folder, src / folder.name, ignore=shutil.ignore_patterns("*.mo"))
    (src / "_config.yml").write_text(yaml.safe_dump(_site_config(rnd, lang, prov, other), allow_unicode=True),
                                     encoding="utf-8")
    (src / "_toc.yml").write_text(yaml.safe_dump(_site_toc(rnd, lang), sort_keys=False, allow_unicode=True),
                                  encoding="utf-8")


def _root_page(langs: tuple[str, ...]) -> str:
    """The site's root: it opens the first edition (Danish), with a link to each."""
    first = langs[0]
    links = " · ".join(f'<a href="{x}/chapters/index.html" hreflang="{x}" lang="{x}">{LANGUAGE_NAMES[x]}</a>'
                       for x in langs)
    return (f'<!DOCTYPE html>\n<html lang="{first}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Refresh" content="0; url={first}/chapters/index.html">'
            f"<title>Lokale integrationsråd i Danmark · Local integration councils in Denmark</title></head>"
            f"<body><p>{links}</p></body></html>\n")


def build_site(notebooks: dict[str, Path], rnd: Round, langs: tuple[str, ...], out: Path) -> bool:
    """Build the editions in ``langs`` with jupyter-book in a temporary folder, then swap them into ``out``.

    One language: that edition's site is ``out``. Several: each is ``out/<lang>``, and ``out/index.html``
    opens the first. The editions are built side by side (one jupyter-book process each). Returns False
    when the site at ``out`` is already built from the same inputs.
    """
    built = dt.datetime.now(dt.timezone.utc)
    key = site_key(notebooks, rnd, langs, provenance(rnd, langs[0], built))
    if (out / SITE_KEY_FILE).is_file() and (out / SITE_KEY_FILE).read_text() == key:
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-", dir=out.parent) as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        running = {}
        for lang in langs:
            prov = provenance(rnd, lang, built)
            other = next((x for x in langs if x != lang), None)
            src = Path(tmp) / f"src-{lang}"
            _edition_source(src, notebooks, rnd, lang, prov, other)
            running[lang] = (prov, src, subprocess.Popen(
                [str(Path(sys.executable).with_name("jupyter-book")), "build", str(src), "--warningiserror",
                 "--nitpick", "--keep-going", "--quiet"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        failures = []
        for lang, (prov, src, process) in running.items():
            output, _ = process.communicate()
            html = src / "_build" / "html"
            if process.returncode != 0 or not (html / "index.html").is_file():
                log = out.parent / f"{out.name}-{lang}-build.log"
                log.write_text(output, encoding="utf-8")
                failures.append(f"the {LANGUAGE_NAMES[lang]} site build failed; jupyter-book's output is in "
                                f"{_shown(log)}:\n{_tail(output)}")
                continue
            (html / "provenance.json").write_text(json.dumps(prov, indent=1) + "\n", encoding="utf-8")
            pdf = _edition_pdf(rnd, lang)
            if pdf:  # a site rebuild keeps the printed book it links to
                shutil.copyfile(pdf, html / pdf.name)
            os.replace(html, site / lang if len(langs) > 1 else site / "_one")
        if failures:
            raise ChapterFailed(f"the previous site at {_shown(out)} is unchanged. " + "\n".join(failures))
        if len(langs) == 1:
            site = site / "_one"
        else:
            (site / "index.html").write_text(_root_page(langs), encoding="utf-8")
        (site / SITE_KEY_FILE).write_text(key)
        _swap_in(site, out)
    return True


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new`` with two renames, so that a reader never sees half a site."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    if old.exists():
        shutil.rmtree(old)


def _check_or_raise(rnd_path: Path) -> Round:
    """A checked round whose commentary's claims hold for its data; DataError lists every problem."""
    rnd, _, problems = check_round(rnd_path)
    if problems:
        raise DataError(problems)
    problems = check_commentary(rnd)
    if problems:
        raise DataError(problems)
    return rnd


def book(jobs: int | None = None, out: Path | None = None) -> int:
    """The published editions: execute stale chapters in place, then build ``_build/html/{da,en}``."""
    rnd = load_round(PUBLISHED_ROUND)
    _check_or_raise(rnd.path)
    stale = []
    for source in chapter_sources():
        key = execution_key(source, rnd, {})
        stored = json.loads(source.read_text(encoding="utf-8"))["metadata"].get("councils", {}).get("execution_key")
        if stored != key:
            stale.append(Job(source.stem, source, source, {}, key))
    execute_jobs(stale, jobs, label="chapters in place")
    notebooks = {p.stem: p for p in chapter_sources()}
    out = out or BUILD_DIR / "html"
    built = build_site(notebooks, rnd, LANGUAGES, out)
    print(f"{'built' if built else 'up to date:'} {_shown(out)} (round {rnd.id}, editions {', '.join(LANGUAGES)}; "
          f"{len(stale)} of {len(notebooks)} chapters executed)")
    return 0


def run_round(round_id: str, data_dir: str | None = None, lang: str | None = None, out: str | None = None,
              jobs: int | None = None) -> int:
    """Validate a round, execute every chapter for it once (cached), build its editions atomically.

    Without ``lang`` both editions are built, into ``<out>/da`` and ``<out>/en`` (default
    ``_build/rounds/<round>/html``); with ``lang``, that edition alone, into ``out`` (default
    ``_build/rounds/<round>/html/<lang>``).
    """
    round_id = str(round_id)
    rnd = load_round(round_id, data_dir)
    rnd = _check_or_raise(rnd.path)
    previous = rnd.meta.get("previous_round")
    if previous:
        _check_or_raise(load_round(previous, data_dir).path)
    data_param = str(Path(data_dir).resolve()) if data_dir else None
    parameters = {"round_id": round_id, "data_dir": data_param}
    langs = (lang,) if lang else LANGUAGES
    default = BUILD_DIR / "rounds" / round_id / "html"
    out_dir = Path(out) if out else (default / lang if lang else default)
    sources = chapter_sources()
    if not previous:
        sources = [s for s in sources if s.stem != COMPARISON_CHAPTER]
    notebooks, todo = {}, []
    for source in sources:
        key = execution_key(source, rnd, parameters)
        target = CACHE_DIR / "executed" / f"{source.stem}-{key[:20]}.ipynb"
        notebooks[source.stem] = target
        if not target.exists():
            todo.append(Job(source.stem, source, target, parameters, key))
    execute_jobs(todo, jobs, label=f"round {round_id}")
    built = build_site(notebooks, rnd, langs, out_dir)
    print(f"{'built' if built else 'up to date:'} {_shown(out_dir)} (round {round_id}, editions {', '.join(langs)}; "
          f"{len(todo)} of {len(notebooks)} chapters executed)")
    return 0
