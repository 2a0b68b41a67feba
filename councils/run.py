"""Execute every chapter for a round with papermill, then build that round's site, atomically.

Two entry points share one path:

- ``book()`` (``make book``): the published edition. Chapters are executed in place with their
  default parameters and committed with their outputs; the site goes to ``_build/html``. Built
  elsewhere (``out``, as the tests do), stale chapters are executed into the cache instead.
- ``run_round()`` (``python -m councils run``): any round. Executed copies go to the cache, never
  over ``chapters/``; the site goes to ``_build/rounds/<round>/html``.

Execution is cached on the notebook's cells, the round's data files, the package code and the
parameters; a site is rebuilt only when something it is made from changed. A site is assembled and
built in a temporary folder and swapped in only when the build succeeded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from councils.commentary import check_round_commentary as check_commentary
from councils.errors import ChapterFailed, DataError
from councils.paths import BUILD_DIR, CACHE_DIR, CHAPTERS_DIR, CITATION_PATH, DATA_DIR, ROOT, published_round, shown
from councils.rounds import Round, file_digest, load_round
from councils.series import series_rounds
from councils.site import LANGUAGES, build_site, round_inputs, skipped_chapters
from councils.validate import check_round

# What the chapters' outputs depend on besides the notebook and the round's own files: the modules
# a chapter imports (not this runner, the site, spreadsheet, data package and PDF builders, the scaffold or the
# command line) and the codebook.
# The pinned requirements stand for the libraries' versions (a new altair may draw differently).
CODE_INPUTS = sorted(p for p in (ROOT / "councils").glob("*.py")
                     if p.stem not in ("run", "site", "cli", "pdf", "serve", "__main__", "spreadsheet", "datapackage",
                                       "scaffold")) + [
    DATA_DIR / "codebook.yaml", DATA_DIR / "codebook.schema.json", DATA_DIR / "round.schema.json",
    ROOT / "requirements.txt", CITATION_PATH]


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


def notebook_inputs_digest(nb: dict | Path) -> str:
    """Digest of what a notebook asks for: cell types, sources and tags (not outputs or metadata)."""
    if isinstance(nb, Path):
        nb = json.loads(nb.read_text(encoding="utf-8"))
    cells = [(c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags", [])) for c in nb["cells"]]
    return _sha256(json.dumps(cells, sort_keys=True).encode("utf-8"))


def prepared(source: Path, rnd: Round) -> dict:
    """A chapter as it is executed for a round: its sections' cells generated from the round's series."""
    from councils.chapters import expand
    from councils.series import series_for

    series = series_for(rnd)
    trends = {q.section for q in series.codebook.questions if q.is_choice and len(series.asked_in(q.id)) >= 2}
    return expand(json.loads(source.read_text(encoding="utf-8")), series.codebook, trends)


def code_digest() -> str:
    """Digest of the package code and the codebook: a change in either re-executes every chapter."""
    return _sha256(*(p.read_bytes() for p in CODE_INPUTS))


def execution_key(notebook: Path, rnd: Round, parameters: dict) -> str:
    """Cache key of one chapter run: the chapter's cells as prepared for the round, package code, the files of
    the round and of every earlier round of its series, parameters."""
    from councils.series import QUESTIONNAIRE_FILE

    data = [f"{f.relative_to(rnd.path).as_posix()}:{file_digest(f)}".encode() for f in round_inputs(rnd)]
    earlier, _ = series_rounds(rnd)
    for other in earlier[:-1]:
        files = [*other.files, other.path / QUESTIONNAIRE_FILE]
        data += [f"series/{other.id}/{f.name}:{file_digest(f)}".encode() for f in files if f.is_file()]
    return _sha256(notebook_inputs_digest(prepared(notebook, rnd)).encode(), code_digest().encode(), *data,
                   json.dumps(parameters, sort_keys=True).encode())


def prepared_path(source: Path, rnd: Round, key: str) -> Path:
    """The chapter as prepared for the round, written to the cache for papermill to execute."""
    path = CACHE_DIR / "prepared" / f"{source.stem}-{key[:20]}.ipynb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(json.dumps(prepared(source, rnd), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(partial, path)
    return path


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
        return f"; kernel log kept at {shown(kept)}"

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
                             f"executed notebook kept at {shown(failed)}{keep_log()}")
    except DeadKernelError as exc:
        kernel.forget()
        return job.chapter, f"chapter '{job.chapter}': the kernel died ({exc}){keep_log()}"
    _strip_run_metadata(partial, job.key)
    shutil.move(partial, job.target)
    return job.chapter, None


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


def _check_or_raise(rnd_path: Path) -> Round:
    """A checked round whose commentary's claims hold for its data; DataError lists every problem."""
    rnd, _, problems = check_round(rnd_path)
    if problems:
        raise DataError(problems)
    problems = check_commentary(rnd)
    if problems:
        raise DataError(problems)
    return rnd


def round_parameters(rnd: Round, data_dir: str | None) -> dict:
    """The papermill parameters a round's chapters are executed with (the data folder resolved)."""
    return {"round_id": rnd.id, "data_dir": str(Path(data_dir).resolve()) if data_dir else None}


def round_chapters(rnd: Round) -> list[Path]:
    """The chapters a round's book has: the comparison with an earlier round, the trends with two earlier rounds."""
    skipped = skipped_chapters(rnd)
    return [s for s in chapter_sources() if s.stem not in skipped]


def executed_path(source: Path, key: str) -> Path:
    """Where a round's executed copy of a chapter is cached, by its execution key."""
    return CACHE_DIR / "executed" / f"{source.stem}-{key[:20]}.ipynb"


def executed_notebooks(rnd: Round, data_dir: str | None = None, published: bool = False) -> dict[str, Path]:
    """The executed chapters a round's site is built from; ChapterFailed names stale or missing ones.

    Published: the committed chapters, which must carry the current execution key (``make book``).
    Any other round: the cached copies that ``run_round`` executed.
    """
    if published:
        sources = chapter_sources()
        stale = [s.name for s in sources if stored_key(s) != execution_key(s, rnd, {})]
        if stale:
            raise ChapterFailed(f"chapters not executed for the current code and data: {', '.join(stale)}; "
                                "run `make book` first")
        return {s.stem: s for s in sources}
    parameters = round_parameters(rnd, data_dir)
    notebooks = {s.stem: executed_path(s, execution_key(s, rnd, parameters)) for s in round_chapters(rnd)}
    missing = [name for name, path in notebooks.items() if not path.is_file()]
    if missing:
        raise ChapterFailed(f"round {rnd.id}: chapters not executed yet: {', '.join(missing)}; "
                            f"run `python -m councils run --round {rnd.id}` first")
    return notebooks


def stored_key(notebook: Path) -> str | None:
    """The execution key a committed chapter was executed with."""
    return json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("councils", {}).get("execution_key")


def book(jobs: int | None = None, out: Path | None = None, in_place: bool | None = None) -> int:
    """The published editions: execute stale chapters, then build ``_build/html/{da,en}`` (or ``out``).

    Stale chapters are executed in place, to be committed, only for the published site (``make book``,
    no ``out``) or when ``in_place`` is True. A site built elsewhere (a test's temporary folder) takes
    executed copies from the cache and never rewrites ``chapters/``.
    """
    in_place = out is None if in_place is None else in_place
    rnd = load_round(published_round())
    _check_or_raise(rnd.path)
    notebooks, stale = {}, []
    for source in chapter_sources():
        key = execution_key(source, rnd, {})
        notebooks[source.stem] = source
        if stored_key(source) != key:
            target = notebooks[source.stem] = source if in_place else executed_path(source, key)
            if in_place or not target.is_file():  # a cached copy is named by its key: present means current
                stale.append(Job(source.stem, prepared_path(source, rnd, key), target, {}, key))
    execute_jobs(stale, jobs, label="chapters in place" if in_place else "chapters into the cache")
    out = out or BUILD_DIR / "html"
    built = build_site(notebooks, rnd, LANGUAGES, out)
    print(f"{'built' if built else 'up to date:'} {shown(out)} (round {rnd.id}, editions {', '.join(LANGUAGES)}; "
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
    earlier, problems = series_rounds(rnd, data_dir)
    if problems:
        raise DataError(problems)
    for other in earlier[:-1]:  # every earlier round's numbers are shown (comparison, trends)
        _check_or_raise(other.path)
    parameters = round_parameters(rnd, data_dir)
    langs = (lang,) if lang else LANGUAGES
    default = BUILD_DIR / "rounds" / round_id / "html"
    out_dir = Path(out) if out else (default / lang if lang else default)
    notebooks, todo = {}, []
    for source in round_chapters(rnd):
        key = execution_key(source, rnd, parameters)
        target = executed_path(source, key)
        notebooks[source.stem] = target
        if not target.exists():
            todo.append(Job(source.stem, prepared_path(source, rnd, key), target, parameters, key))
    execute_jobs(todo, jobs, label=f"round {round_id}")
    built = build_site(notebooks, rnd, langs, out_dir)
    print(f"{'built' if built else 'up to date:'} {shown(out_dir)} (round {round_id}, editions {', '.join(langs)}; "
          f"{len(todo)} of {len(notebooks)} chapters executed)")
    return 0
