"""Timings of the book build, measured on a throw-away copy of the repository.

Usage (``make bench`` runs the first line)::

    .venv/bin/python benchmarks/bench.py                 # 5 runs of every step, print a table
    .venv/bin/python benchmarks/bench.py --runs 3 --write  # also update benchmarks/README.md

The repository's tracked files are copied into ``benchmarks/_work/repo`` (gitignored) and made a
git repository of their own, like a fresh clone. Every command runs there, with the repository's
virtualenv python, ``cwd`` = the copy and ``PYTHONPATH`` = the copy, so that the ``councils``
imported (by the command and by the chapter kernels it starts) is the copy's and every path it
resolves from ``councils/__file__`` (chapters, data, ``_build``) is inside the copy. The real
``chapters/`` and ``_build/html`` are never written (if they change while the script runs, something
else was running at the same time, and it says so).

Each step is a :class:`Step`: a name and a function that prepares the copy (untimed), times one
command and checks its output. Add a row by appending to :data:`STEPS`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

REPO = Path(__file__).resolve().parent.parent
WORK_DIR = REPO / "benchmarks" / "_work"
README = REPO / "benchmarks" / "README.md"
RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"
ROUND_YAML = Path("data") / "rounds" / "2016" / "round.yaml"
BOOK_LINE = re.compile(r"^(built|up to date:) .*?(\d+) of (\d+) chapters executed", re.MULTILINE)

# The last commit whose book had one (English) edition: the two-edition cold build is measured against
# this one's cold build, side by side in one run (issue: both editions no slower than English alone).
BASELINE = "57a91aa"
# The last commit before the survey series (issue 13): today's example-round run, measured side by side with the
# series' round runs (issue: a series of three rounds builds its newest round in at most 1.2x that time).
BEFORE_SERIES = "16d64d8"
SCALE_ROWS = 100_000
# Tables from a large respondent-level round, timed inside the process; chart spec sizes per figure
# for it and for the 36-row example round, which must not differ (charts embed aggregates).
SCALE_SCRIPT = """
import json, time
from councils import report
from councils.codebook import load_codebook
from councils.rounds import load_round
from councils.tables import _labelled, aggregate_responses
from councils.validate import load_checked

codebook = load_codebook()
rnd = load_round("scale")
start = time.perf_counter()
frame = load_checked(rnd)
validated = time.perf_counter()
table = _labelled(aggregate_responses(frame, codebook), codebook, rnd.population)
done = time.perf_counter()
sizes = {}
for name in ("example", "scale"):
    ctx = report.setup(name, None, "en")
    sizes[name] = {n: len(json.dumps(report.figure(ctx, n).to_dict())) for n in codebook.figures}
print(json.dumps({"validate_s": validated - start, "tables_s": done - validated, "rows": len(frame),
                  "spec_bytes": sizes}))
"""

# The exact finite-population interval (councils/statistics.py) at a population of 100,000, in process:
# the slowest of a few shares, after one warm-up call (imports are not what this row measures).
INTERVAL_SCRIPT = """
import json, time
from councils.statistics import finite_population_interval

finite_population_interval(16, 30, 40)
times = []
for count, base in ((30_000, 50_000), (3, 50), (49_990, 50_000), (60_000, 99_000), (1, 2), (50_000, 100_000 - 1)):
    start = time.perf_counter()
    finite_population_interval(count, base, 100_000)
    times.append(time.perf_counter() - start)
print(json.dumps({"slowest_s": max(times)}))
"""

# The floor: one fresh process computing every number and chart spec the book shows, nothing else.
FLOOR_SCRIPT = """
import councils
from councils import report
from councils.codebook import load_codebook
from councils.tables import frequency_table

table = frequency_table("2016")
ctx = report.setup("2016", None, "en")
specs = [report.figure(ctx, n).to_dict() for n in load_codebook().figures]
print(councils.__file__, len(table), len(specs))
"""


class Timing(NamedTuple):
    """One timed command: wall seconds, and CPU seconds (user + system) of it and its children."""

    wall: float
    cpu: float | None = None


class BenchError(RuntimeError):
    """A command failed or did not do what the step measures: the timing would be meaningless."""


@dataclass
class BookRun:
    """What ``python -m councils book`` printed: whether it built, how many chapters it executed."""

    timing: Timing
    built: bool
    executed: int
    chapters: int


class Workspace:
    """The copy of the repository that every step works on, and how to run commands in it."""

    def __init__(self, root: Path, python: Path):
        self.root = root
        self.python = python
        self.baseline: "Workspace | None" = None  # a copy of BASELINE, for the side-by-side row
        self.before_series: "Workspace | None" = None  # a copy of BEFORE_SERIES, for the series rows
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        self.env["PYTHONPATH"] = str(root)

    # -- setting up -------------------------------------------------------------------------------

    @classmethod
    def create(cls, source: Path, root: Path, python: Path) -> "Workspace":
        """Copy ``source``'s tracked files (as they are in its work tree) to ``root``; git-init it."""
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=source, capture_output=True, check=True).stdout
        for name in filter(None, listed.decode().split("\0")):
            src = source / name
            if src.is_file():  # a tracked file deleted in the work tree is not copied
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, root / name)
        # Its own repository, so that the build's provenance (git_version) describes the copy and not
        # the repository it sits in, and nothing the author does meanwhile changes a site key.
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"]
        for args in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "--no-verify", "-m", "bench copy"]):
            subprocess.run(git + args, cwd=root, check=True, capture_output=True)
        return cls(root, python)

    @classmethod
    def create_at(cls, source: Path, revision: str, root: Path, python: Path) -> "Workspace":
        """A copy of ``source`` as it was at ``revision`` (git archive), git-initialised like the other."""
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=source, capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"]
        for args in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "--no-verify", "-m", revision]):
            subprocess.run(git + args, cwd=root, check=True, capture_output=True)
        return cls(root, python)

    def check_imports_copy(self) -> str:
        """The ``councils`` a command imports must be the copy's; return its ``__file__``."""
        out = self.python_run("import councils; print(councils.__file__)").stdout.strip()
        if Path(out).resolve() != (self.root / "councils" / "__init__.py").resolve():
            raise BenchError(f"commands in the copy import {out}, not the copy's councils package")
        return out

    # -- running ----------------------------------------------------------------------------------

    def run(self, *args: str) -> tuple[Timing, subprocess.CompletedProcess]:
        """Run ``python <args>`` in the copy; return its timing and the finished process."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([str(self.python), *args], cwd=self.root, env=self.env, capture_output=True,
                              text=True, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise BenchError(f"python {' '.join(args)} exited with {proc.returncode}:\n"
                             f"{_tail(proc.stdout + proc.stderr)}")
        return Timing(wall, cpu), proc

    def python_run(self, code: str) -> subprocess.CompletedProcess:
        return self.run("-c", code)[1]

    def book(self) -> BookRun:
        """Time ``python -m councils book`` and read its summary line."""
        timing, proc = self.run("-m", "councils", "book")
        match = BOOK_LINE.search(proc.stdout)
        if not match:
            raise BenchError(f"no summary line in the output of 'councils book':\n{_tail(proc.stdout)}")
        return BookRun(timing, match.group(1) == "built", int(match.group(2)), int(match.group(3)))

    # -- changing the copy ------------------------------------------------------------------------

    def chapters(self) -> list[Path]:
        return sorted((self.root / "chapters").glob("*.ipynb"))

    def clear_execution_keys(self) -> None:
        """Forget every chapter's execution key, so that the next build executes all of them.

        The key is emptied in place (not removed), so that a re-executed chapter comes out with the
        same bytes as before and, its outputs being deterministic, the site key does not change.
        """
        for path in self.chapters():
            nb = json.loads(path.read_text(encoding="utf-8"))
            nb["metadata"].setdefault("councils", {})["execution_key"] = None
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    def remove_build(self, part: str = "") -> None:
        """Delete ``_build`` (or ``_build/<part>``) of the copy."""
        shutil.rmtree(self.root / "_build" / part, ignore_errors=True)

    _data_changes = itertools.count(1)

    def change_data(self) -> None:
        """Give the round's metadata file new bytes (a comment line) without changing a number."""
        path = self.root / ROUND_YAML
        original = path.read_text(encoding="utf-8").split("# benchmark data change")[0]
        path.write_text(original + f"# benchmark data change {next(self._data_changes)}\n", encoding="utf-8")


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise BenchError(message)


# -- the steps --------------------------------------------------------------------------------------


def cold_build(ws: Workspace) -> Timing:
    """Every chapter executed and the site built from nothing (no ``_build``, no vega bundle)."""
    ws.clear_execution_keys()
    ws.remove_build()
    run = ws.book()
    _expect(run.built and run.executed == run.chapters,
            f"a cold build must execute every chapter and build the site; it printed built={run.built}, "
            f"{run.executed} of {run.chapters} executed")
    return run.timing


def baseline_cold_build(ws: Workspace) -> Timing:
    """The same cold build of the English-only book of BASELINE, in its own copy, alternating with the row above."""
    if ws.baseline is None:
        raise BenchError("no baseline copy (main() makes it when this row is selected)")
    return cold_build(ws.baseline)


def no_change_rebuild(ws: Workspace) -> Timing:
    """``book`` right after a build, nothing changed: nothing may be executed or rebuilt."""
    ws.book()  # untimed: make sure the copy is built
    run = ws.book()
    _expect(not run.built and run.executed == 0,
            f"a rebuild with nothing changed executed {run.executed} chapters (built={run.built})")
    return run.timing


def data_change(ws: Workspace) -> Timing:
    """The round's data file changed: every chapter must be executed again and the site rebuilt."""
    ws.book()  # untimed: start from a built copy
    ws.change_data()
    run = ws.book()
    _expect(run.executed == run.chapters and run.chapters > 0 and run.built,
            f"a change of {ROUND_YAML} did not re-execute every chapter and rebuild the site: "
            f"{run.executed} of {run.chapters} chapters executed, built={run.built}")
    return run.timing


def floor(ws: Workspace) -> Timing:
    """One fresh process: import the package, every table and every chart spec of the book."""
    timing, proc = ws.run("-c", FLOOR_SCRIPT)
    _expect(proc.stdout.startswith(str(ws.root)), f"the floor imported another councils: {proc.stdout.strip()}")
    return timing


def execution_only(ws: Workspace) -> Timing:
    """Diagnostic: every chapter executed, the site already built from identical notebooks."""
    ws.book()
    ws.clear_execution_keys()
    run = ws.book()
    _expect(run.executed == run.chapters, f"{run.executed} of {run.chapters} chapters executed")
    _expect(not run.built, "re-executing unchanged chapters changed their bytes, so the site was rebuilt: "
                           "chapter outputs are not deterministic")
    return run.timing


def site_only(ws: Workspace) -> Timing:
    """Diagnostic: chapters up to date, no ``_build`` at all: what a clone of a current commit pays."""
    ws.book()
    ws.remove_build()
    run = ws.book()
    _expect(run.built and run.executed == 0, f"built={run.built}, {run.executed} chapters executed")
    return run.timing


def round_run(ws: Workspace, jobs: int | None = None, round_id: str = "example") -> Timing:
    """The example round from nothing: validate, execute every chapter for it, build its site."""
    ws.remove_build("cache")
    ws.remove_build("rounds")
    args = ["-m", "councils", "run", "--round", round_id] + (["--jobs", str(jobs)] if jobs else [])
    timing, proc = ws.run(*args)
    match = BOOK_LINE.search(proc.stdout)
    _expect(bool(match) and match.group(1) == "built" and match.group(2) == match.group(3),
            f"a round run from nothing must execute every chapter and build: {_tail(proc.stdout)}")
    return timing


def series_run(ws: Workspace) -> Timing:
    """The newest round of a series of three (2016, example, example-2) from nothing: its two editions with the
    comparison and the trends chapter."""
    return round_run(ws, round_id="example-2")


def round_run_before_series(ws: Workspace) -> Timing:
    """The example round's run from nothing with the code of BEFORE_SERIES, in its own copy."""
    if ws.before_series is None:
        raise BenchError("no copy of the code before the series (main() makes it when this row is selected)")
    return round_run(ws.before_series)


def round_run_serial(ws: Workspace) -> Timing:
    """Diagnostic: the same with one chapter at a time, to show whether running in parallel pays."""
    return round_run(ws, jobs=1)


def _scale(ws: Workspace) -> dict:
    """Run the scale script on a generated round of SCALE_ROWS made-up councils (generated once)."""
    if not (ws.root / "data" / "rounds" / "scale" / "responses.csv").exists():
        ws.run("-m", "councils.fictional", "data/rounds/scale", "--rows", str(SCALE_ROWS), "--seed", "3",
               "--previous-round", "")
    result = json.loads(ws.python_run(SCALE_SCRIPT).stdout)
    small, large = result["spec_bytes"]["example"], result["spec_bytes"]["scale"]
    for number in small:
        # Counts get more digits and a 'not stated' bar may appear; nothing may grow with the rows.
        _expect(large[number] <= 1.25 * small[number],
                f"figure {number}'s chart spec is {large[number]} bytes from {SCALE_ROWS} rows and "
                f"{small[number]} from the example round: charts must embed aggregates, not rows")
    return result


def scale_tables(ws: Workspace) -> float:
    """Every figure's table (counts, groups, shares, intervals) from 100,000 checked rows, in process."""
    return _scale(ws)["tables_s"]


def scale_validate(ws: Workspace) -> float:
    """Reading and checking the 100,000-row file against the codebook, in process."""
    return _scale(ws)["validate_s"]


def exact_interval(ws: Workspace) -> float:
    """The exact interval of a share at a population of 100,000 (slowest of six shares, in process)."""
    return json.loads(ws.python_run(INTERVAL_SCRIPT).stdout)["slowest_s"]


class Step(NamedTuple):
    """One row of the table: a name, a function timing one run on the workspace, an optional target.

    ``run`` prepares the copy as the row needs it (untimed), times one command and checks that the
    command did what the row measures (raising :class:`BenchError` if not). It returns a
    :class:`Timing`, or plain wall seconds as a float. Names starting with spaces are shown as
    sub-rows of the row above. A row ``paired`` with the row above is run alternately with it, run by
    run, so that both meet the same moments of a shared machine.
    """

    name: str
    run: Callable[[Workspace], "Timing | float"]
    target: float | None = None
    paired: bool = False


COLD, FLOOR = "cold build (both editions, Danish and English)", "floor (tables + chart specs, one process)"
ROUND = "round run, example round (validate, execute, build)"
SERIES = "  round run, series of three rounds (example-2 after example and 2016: comparison and trends), alternating"
BEFORE = f"  round run, example round, code before the survey series ({BEFORE_SERIES}), alternating"
BASELINE_COLD = f"  cold build of the English-only book ({BASELINE}), alternating with the row above"

# The rows, in order; add more by appending (a full round run, a scale check...).
STEPS: list[Step] = [
    Step(COLD, cold_build, target=15.0),
    Step(BASELINE_COLD, baseline_cold_build, paired=True),
    Step("no-change rebuild", no_change_rebuild, target=2.0),
    Step("data change", data_change),
    Step(FLOOR, floor),
    Step("  cold build, execution part (all chapters, site current)", execution_only),
    Step("  cold build, site part (chapters current, no _build)", site_only),
    Step(ROUND, round_run),
    Step(SERIES, series_run, paired=True),
    Step(BEFORE, round_run_before_series, paired=True),
    Step("  the same, one chapter at a time (--jobs 1)", round_run_serial),
    Step("scale check: every figure's table from 100,000 rows", scale_tables, target=1.0),
    Step("  reading and validating those 100,000 rows (scale check)", scale_validate),
    Step("exact interval of a share, population 100,000 (slowest of six, in process)", exact_interval, target=0.1),
]
RATIOS = [("cold build / floor", COLD, FLOOR),
          ("two editions / English only (cold builds, side by side)", COLD, BASELINE_COLD),
          ("three-round series / example round before the series (round runs, side by side; target ≤ 1.2)", SERIES,
           BEFORE),
          ("three-round series / example round, same code (round runs, side by side)", SERIES, ROUND)]


# -- measuring and reporting ------------------------------------------------------------------------


@dataclass
class Result:
    """The timings of one step's runs."""

    step: Step
    timings: list[Timing]

    @property
    def walls(self) -> list[float]:
        return [t.wall for t in self.timings]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu_median(self) -> float | None:
        cpus = [t.cpu for t in self.timings if t.cpu is not None]
        return statistics.median(cpus) if cpus else None


def measure(ws: Workspace, steps: list[Step], runs: int) -> list[Result]:
    """Run each step ``runs`` times (a paired step alternately with the one before it); print each timing."""
    results = []
    groups: list[list[Step]] = []
    for step in steps:
        if step.paired and groups:
            groups[-1].append(step)
        else:
            groups.append([step])
    for group in groups:
        timings: dict[str, list[Timing]] = {step.name: [] for step in group}
        for i in range(runs):
            order = group if i % 2 == 0 else list(reversed(group))  # neither always goes first
            for step in order:
                timing = step.run(ws)
                timings[step.name].append(timing if isinstance(timing, Timing) else Timing(float(timing)))
                print(f"  {step.name.strip()}: run {i + 1}/{runs} {timings[step.name][-1].wall:.2f} s",
                      file=sys.stderr, flush=True)
        results += [Result(step, timings[step.name]) for step in group]
    return results


def machine(python: Path) -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal:")), 0)
    version = subprocess.run([str(python), "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "cores (nproc)": nproc or str(os.cpu_count()),
        "CPU": cpu,
        "memory": f"{mem_kb / 1024 ** 2:.1f} GiB" if mem_kb else "unknown",
        "Python": f"{version} ({platform.system()} {platform.release()})",
        "load average at start (1, 5, 15 min)": load_average(),
    }


def load_average() -> str:
    return " ".join(_read("/proc/loadavg").split()[:3]) or "unknown"


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def code_version() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO, capture_output=True,
                            text=True, check=False).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                           capture_output=True, text=True, check=False).stdout.strip()
    return f"{commit}+uncommitted changes" if dirty else commit


def report(results: list[Result], info: dict[str, str], runs: int) -> str:
    """The results as markdown: the machine, one row per step, then the ratios."""
    lines = [f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on code {code_version()}, "
             f"{runs} run{'s' if runs != 1 else ''} per row.", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    lines += ["", "| step | median s | min s | max s | CPU s (median) | target |",
              "|---|---:|---:|---:|---:|---|"]
    for r in results:
        target = ""
        if r.step.target is not None:
            target = f"≤ {r.step.target:g} s: {'met' if r.median <= r.step.target else 'MISSED'}"
        name = f"↳ {r.step.name.strip()}" if r.step.name.startswith(" ") else r.step.name
        cpu = f"{r.cpu_median:.2f}" if r.cpu_median is not None else ""
        lines.append(f"| {name} | {r.median:.2f} | {min(r.walls):.2f} | {max(r.walls):.2f} | {cpu} | {target} |")
    by_name = {r.step.name: r for r in results}
    for label, top, bottom in RATIOS:
        if top in by_name and bottom in by_name:
            lines.append(f"| ratio {label} (medians) | {by_name[top].median / by_name[bottom].median:.1f}× "
                         "| | | | |")
    return "\n".join(lines) + "\n"


def write_readme(text: str, readme: Path = README) -> None:
    """Replace what stands between the result markers of the README."""
    content = readme.read_text(encoding="utf-8")
    start, end = content.find(RESULTS_START), content.find(RESULTS_END)
    if start < 0 or end < start:
        raise BenchError(f"{readme} has no {RESULTS_START} ... {RESULTS_END} section")
    new = content[:start + len(RESULTS_START)] + "\n" + text + content[end:]
    readme.write_text(new, encoding="utf-8")


def snapshot(repo: Path) -> dict[str, tuple[int, int]]:
    """Size and mtime of the real chapters and site key, to notice work running beside the bench."""
    paths = sorted((repo / "chapters").glob("*.ipynb")) + [repo / "_build" / "html" / ".site-key"]
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in paths if p.exists()}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each step (default 5)")
    parser.add_argument("--write", action="store_true", help="write the results into benchmarks/README.md")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="run only the steps whose name contains TEXT (repeatable)")
    parser.add_argument("--python", type=Path, default=None,
                        help="interpreter to run the commands with (default: the repository's .venv)")
    parser.add_argument("--keep", action="store_true", help="keep the copy in benchmarks/_work afterwards")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


READER_ROWS = "reader side: page weight and throttled first load (benchmarks/reader.py)"


def reader_side(ws: Workspace, runs: int) -> str:
    """The copy's site built, then what a reader's browser pays for its pages (benchmarks/reader.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import reader

    ws.book()
    return reader.report(reader.measure(ws.root / "_build" / "html", runs), runs)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    venv_python = REPO / ".venv" / "bin" / "python"
    python = args.python or (venv_python if venv_python.exists() else Path(sys.executable))
    steps = [s for s in STEPS if not args.only or any(t in s.name for t in args.only)]
    before = snapshot(REPO)
    info = machine(python)
    ws = Workspace.create(REPO, WORK_DIR / "repo", python)
    if any(s.run is baseline_cold_build for s in steps):
        ws.baseline = Workspace.create_at(REPO, BASELINE, WORK_DIR / "baseline", python)
    if any(s.run is round_run_before_series for s in steps):
        ws.before_series = Workspace.create_at(REPO, BEFORE_SERIES, WORK_DIR / "before-series", python)
    try:
        print(f"councils imported from {ws.check_imports_copy()}", file=sys.stderr)
        if ws.baseline is not None:
            print(f"baseline ({BASELINE}) imports {ws.baseline.check_imports_copy()}", file=sys.stderr)
        results = measure(ws, steps, args.runs)
        reader_text = ""
        if not args.only or any(t in READER_ROWS for t in args.only):
            reader_text = "\n### Reader side\n\n" + reader_side(ws, args.runs)
        info["load average at end (1, 5, 15 min)"] = load_average()
    finally:
        if not args.keep:
            shutil.rmtree(ws.root, ignore_errors=True)
            for other in (ws.baseline, ws.before_series):
                if other is not None:
                    shutil.rmtree(other.root, ignore_errors=True)
    if snapshot(REPO) != before:
        # Not this script (it only writes in the copy): someone built or edited the repository meanwhile.
        print("warning: the repository's own chapters/ or _build/html changed while the benchmark ran; "
              "something else was running at the same time, so the timings may be disturbed", file=sys.stderr)
    text = report(results, info, args.runs) + reader_text
    print(text)
    if args.write:
        write_readme(text)
        print(f"results written to {README.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        sys.exit(1)
