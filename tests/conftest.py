"""Helpers shared by the tests: build round folders (round.yaml + a data file) in a temporary folder.

Valid respondent-level rows are generated from the codebook, deterministically, so that a test can
break exactly one thing and expect exactly that thing to be reported.
"""

from __future__ import annotations

import atexit
import hashlib
import inspect
import io
import json
import os
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
import yaml

from councils.codebook import load_codebook
from councils.validate import option_column, response_columns

REPO = Path(__file__).resolve().parent.parent

# Hypothesis keeps its working files under the build folder, never in the repository's root.
set_hypothesis_home_dir(REPO / "_build" / "hypothesis")
COUNTS_HEADER = ["question", "category", "count", "base", "basis", "source"]


def valid_rows(n: int) -> list[dict[str, str]]:
    """``n`` valid respondent rows, as {column: value}; row i is the same in every call.

    Single-choice questions cycle through their option codes; focus_areas (at most 2 answers)
    gets one or two options; visibility gets up to three; the text question gets plain text.
    """
    codebook = load_codebook()
    rows = []
    for i in range(n):
        row = {"respondent_id": f"r{i + 1:03d}"}
        for q in codebook.questions:
            if q.type == "single_choice":
                row[q.id] = q.option_codes[i % len(q.option_codes)]
            elif q.type == "multiple_choice":
                k = len(q.option_codes)
                limit = q.max_answers or 3
                chosen = {q.option_codes[(i + j) % k] for j in range(1 + i % limit)}
                for code in q.option_codes:
                    row[option_column(q, code)] = "1" if code in chosen else "0"
            else:
                row[q.id] = f"text {i + 1}"
        rows.append(row)
    return rows


def csv_text(header: list[str], rows: list[list[str]] | list[dict[str, str]], delimiter: str = ",") -> str:
    """A delimited file as text: quotes only where a field holds the delimiter, a quote or a newline."""
    def field(value: str) -> str:
        if any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(field(h) for h in header)]
    for row in rows:
        values = [row[h] for h in header] if isinstance(row, dict) else row
        lines.append(delimiter.join(field(v) for v in values))
    return "\n".join(lines) + "\n"


def write_meta(folder: Path, data: str, responses: int | None, **overrides) -> Path:
    """round.yaml with every required field of data/round.schema.json; ``round`` = the folder name."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {
        "round": folder.name,
        "title_en": "Test round",
        "title_da": "Testrunde",
        "fictional": True,
        "data": data,
        "councils_asked": 40,
        "source": "made up for the tests",
    }
    if responses is not None:
        meta["responses"] = responses
    meta.update(overrides)
    path = folder / "round.yaml"
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def responses_round(folder: Path, rows: list[dict[str, str]] | None = None, header: list[str] | None = None,
                    *, text: str | None = None, raw: bytes | None = None, responses: int | None = None,
                    **meta) -> Path:
    """A responses round folder. The data file is ``raw`` bytes, or ``text`` as UTF-8, or ``rows`` as CSV."""
    if rows is None and text is None and raw is None:
        rows = valid_rows(6)
    if responses is None and rows is not None:
        responses = len(rows)
    write_meta(folder, "responses", responses, **meta)
    if raw is None:
        if text is None:
            text = csv_text(header or response_columns(load_codebook()), rows)
        raw = text.encode("utf-8")
    (folder / "responses.csv").write_bytes(raw)
    return folder


def counts_round(folder: Path, lines: list[str], responses: int = 30, **meta) -> Path:
    """A published-counts round folder; ``lines`` are the rows of counts.csv below its header."""
    write_meta(folder, "published_counts", responses, **meta)
    text = ",".join(COUNTS_HEADER) + "\n" + "\n".join(lines) + "\n"
    (folder / "counts.csv").write_bytes(text.encode("utf-8"))
    return folder


# `python -m councils ARGS` costs one to two seconds, nearly all of it importing pandas and pandera; the
# tests run it about a hundred times. A helper process imports the package once, then forks a child per
# command: the child is a new process with its own files and exit status, started from an interpreter
# that has only imported the modules (no command run, no cache filled), and runs councils/__main__.py
# as `python -m` does. tests/test_cli_runner.py holds its behaviour against a fresh interpreter's.
FORK_SERVER = r"""
import contextlib, importlib, io, json, os, runpy, sys, traceback
import councils.cli
# What the commands import when they run (pandera, jsonschema, scipy ...): learnt from a child that runs
# two of them, then imported here, in the order they were first imported. Only imports: no command has
# run in this process, so every child starts with empty caches, as a fresh interpreter does.
learn_read, learn_write = os.pipe()
if os.fork() == 0:
    before = set(sys.modules)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for args in (["validate", "data/rounds/2016"], ["validate", "data/rounds/example"],
                     ["tables", "--round", "2016", "--format", "csv"]):
            try:
                councils.cli.main(args)
            except BaseException:
                pass
    os.write(learn_write, "\n".join(m for m in list(sys.modules) if m not in before).encode())
    os._exit(0)
os.close(learn_write)
with os.fdopen(learn_read, "rb") as learnt:
    for name in learnt.read().decode().split():
        try:
            importlib.import_module(name)
        except BaseException:
            pass
os.wait()
requests = sys.stdin.buffer
replies = os.fdopen(os.dup(1), "w")
print("ready", file=replies, flush=True)
for line in iter(requests.readline, b""):
    request = json.loads(line)
    sys.stdout.flush(); sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.chdir(request["cwd"])
            os.environ.clear(); os.environ.update(request["env"])
            for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, request["stdout"], os.O_WRONLY),
                                    (2, request["stderr"], os.O_WRONLY)):
                os.dup2(os.open(path, flags), fd)
            sys.stdin = open(os.devnull, encoding=sys.stdin.encoding)
            sys.argv = ["-m", *request["args"]]
            try:
                runpy.run_module("councils", run_name="__main__", alter_sys=True)
                code = 0
            except SystemExit as exc:  # as the interpreter treats it
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
            except BaseException:
                traceback.print_exc()
            sys.stdout.flush(); sys.stderr.flush()
        finally:
            os._exit(code)
    replies.write(f"{os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])}\n"); replies.flush()
"""


class _CommandLine:
    """The fork server of FORK_SERVER, started at the first command; without it, a fresh interpreter."""

    def __init__(self):
        self.server: subprocess.Popen | None = None
        self.started = False

    def start(self) -> subprocess.Popen | None:
        self.started = True
        server = subprocess.Popen([sys.executable, "-c", FORK_SERVER], cwd=REPO, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if server.stdout.readline() != b"ready\n":  # the package does not import: let every command show why
            server.wait()
            return None
        atexit.register(lambda: (server.stdin.close(), server.wait()))  # end of input ends the server
        return server

    def __call__(self, args: list[str]) -> subprocess.CompletedProcess:
        if not self.started:
            self.server = self.start()
        fresh = [sys.executable, "-m", "councils", *args]
        if self.server is None or self.server.poll() is not None:
            return subprocess.run(fresh, cwd=REPO, capture_output=True, text=True, check=False)
        with tempfile.TemporaryDirectory(prefix="councils-cli-") as folder:
            out, err = Path(folder, "stdout"), Path(folder, "stderr")
            out.touch(), err.touch()
            request = {"args": args, "cwd": str(REPO), "env": dict(os.environ), "stdout": str(out), "stderr": str(err)}
            self.server.stdin.write(json.dumps(request).encode() + b"\n")
            self.server.stdin.flush()
            reply = self.server.stdout.readline()
            if not reply:  # the server itself died: this command, and the next ones, in a fresh interpreter
                return subprocess.run(fresh, cwd=REPO, capture_output=True, text=True, check=False)
            return subprocess.CompletedProcess(fresh, int(reply), _as_text(out.read_bytes()), _as_text(err.read_bytes()))


def _as_text(data: bytes) -> str:
    """Output decoded as subprocess.run(text=True) decodes it: the locale's encoding, universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data)).read()


_command_line = _CommandLine()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """``python -m councils ARGS`` in a new process, from the repository root (forked: see FORK_SERVER)."""
    return _command_line([str(a) for a in args])


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a folder with its bytes: to show that validation changed nothing."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def codebook():
    return load_codebook()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium (never a downloaded browser); skip without it, but fail in CI, where .ci/run installs it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {CHROMIUM} is missing; .ci/run installs it with apt-get", pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium for the browser and PDF tests)")
    return CHROMIUM


# ---------------------------------------------------------------------------------------------------
# CI: a skipped test is a test that did not run. Locally a skip is listed (-rs in pytest.ini); under
# CI=true, where .ci/run installs everything the tests need, any skip fails the run. Session-wide
# hooks, so that they also count the chapters' nbval cells when `make test` runs both in one session.


def _skipped(config: pytest.Config) -> list:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return reporter.stats.get("skipped", []) if reporter is not None else []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI") == "true" and exitstatus == pytest.ExitCode.OK and _skipped(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = _skipped(config)
    if os.environ.get("CI") == "true" and skipped:
        terminalreporter.write_line(f"CI=true: {len(skipped)} skipped test(s) fail this run; in CI every test "
                                    "must run (install what the skip reason names in .ci/run)", red=True, bold=True)


# ---------------------------------------------------------------------------------------------------
# The work tree. The tests never write into the repository (fixtures build into temporary folders or
# _build/): the state of the work tree is recorded when the session starts, and the test marked
# `run_last` (tests/test_work_tree.py), moved to the end of the run, compares it with the state then.

WORK_TREE = pytest.StashKey[dict | None]()


def work_tree_state() -> dict[str, str] | None:
    """Each file git status lists (changed, new and not ignored, deleted), with a digest; None outside git."""
    try:
        listed = subprocess.run(["git", "status", "--porcelain=v1", "-z", "--untracked-files=all"], cwd=REPO,
                                capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    entries = iter(listed.split(b"\0"))
    state = {}
    for entry in entries:
        if not entry:
            continue
        status, path = entry[:2].decode(), os.fsdecode(entry[3:])
        if "R" in status or "C" in status:
            next(entries, None)  # a rename or copy names its source next
        file = REPO / path
        state[path] = f"{status} " + (hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else "-")
    return state


# ---------------------------------------------------------------------------------------------------
# Tiers. `make test-fast` runs the fast tier (pytest -m "not slow", under a minute); `make test` runs
# every test. The tier is decided here, from what a test uses, so that no test file needs a marker: a
# test is slow when it needs something that costs seconds, namely a built book or round (the files
# below build one per module), a browser (the chromium fixture), an execution of chapters (the calls
# below), a fresh interpreter (anything reaching subprocess, but for run_cli's forked commands and git
# status), or examples generated by hypothesis; nbval's chapter cells are slow too. The test itself,
# its fixtures and the helpers of tests/ they call are read (their code's names), not run.

SLOW_FILES = {"test_browser.py", "test_editions.py", "test_pdf.py", "test_round_books.py", "test_run.py"}
SLOW_FIXTURES = {"chromium"}
# Functions that execute chapters, build a site, or draw a chart as a browser would (vl-convert's scene
# graph, SVG, PNG): a test calling one, by any name that ends so, is slow.
SLOW_CALLS = {"book", "run_round", "execute_jobs", "build_site", "build_pdf", "execute_notebook",
              "vegalite_to_scenegraph", "vegalite_to_svg", "vegalite_to_png"}


def _does_slow_work(function, seen: set) -> bool:
    """Whether ``function``, or a function of the tests it calls, calls SLOW_CALLS or reaches subprocess."""
    if function in seen or not inspect.isfunction(function):
        return False
    seen.add(function)
    codes = [function.__code__]
    while codes:  # the function and the functions, lambdas and comprehensions defined inside it
        code = codes.pop()
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
        for name in code.co_names:
            target = function.__globals__.get(name)
            if target is run_cli and BUILD_COMMANDS & set(code.co_consts):
                return True  # a forked command, but one that executes chapters or builds a site
            if any(target is cheap for cheap in CHEAP_PROCESSES):
                continue
            if name in SLOW_CALLS or target is subprocess or getattr(target, "__module__", None) == "subprocess":
                return True
            if inspect.isfunction(target) and target.__code__.co_filename.startswith(str(REPO / "tests")) \
                    and _does_slow_work(target, seen):
                return True
    return False


# These reach subprocess but cost milliseconds: a command forked from a warm process, and git status; but not
# the commands that execute chapters or build a site (`run_cli("run", ...)`), which cost as much as a build.
CHEAP_PROCESSES = (run_cli, work_tree_state)
BUILD_COMMANDS = {"run", "book", "pdf"}


def is_slow(item: pytest.Item) -> bool:
    """The tier of a collected test (see above): True for the slow tier."""
    if item.path.suffix == ".ipynb":  # nbval: a chapter executed in a fresh kernel
        return True
    if item.path.name in SLOW_FILES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    function = getattr(item, "function", None)
    if function is None:
        return False
    if getattr(function, "is_hypothesis_test", False):
        return True
    fixtures = getattr(item, "_fixtureinfo", None)
    definitions = fixtures.name2fixturedefs.values() if fixtures is not None else ()
    seen: set = set()
    return any(_does_slow_work(f, seen) for f in [function] + [d.func for defs in definitions for d in defs])


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[WORK_TREE] = work_tree_state()


@pytest.hookimpl(tryfirst=True)  # before -m deselects by the markers set here
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
    last = [item for item in items if item.get_closest_marker("run_last")]
    items[:] = [item for item in items if not item.get_closest_marker("run_last")] + last
