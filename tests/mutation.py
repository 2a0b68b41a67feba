"""`make mutate`: the mutation check of the core, module by module, with the fast tests (issue 18).

mutmut (the `test` extra) rewrites every function of a module many times over, one small change each
(a mutant), and runs the fast tests that ran that function; a mutant that no test notices survived.
Each module is checked in a copy of the work tree of its own, _build/mutate/<module>/ (mutmut writes its
`mutants/` folder beside the code it mutates), so the work tree is never written, with the test files of
MODULE_TESTS only: mutmut records which of their fast tests run each function, and tries each mutant on
those. Usage:

    python tests/mutation.py                         # every module of MODULES, one after the other
    python tests/mutation.py wording tables          # only these
    python tests/mutation.py --report                # the table of the last runs, without running
    python tests/mutation.py --all                   # every mutant again (by default: those not tried yet)
    python tests/mutation.py --fresh                 # forget earlier results and the test map first
    python tests/mutation.py --survivors tables      # try again only what survived tables' last run

The accepted survivors, each with its reason, are in tests/surviving_mutants.yaml; a module's killed
share counts its equivalent mutants apart (killed / (mutants - equivalent)). The script exits non-zero
when a module is under THRESHOLD or a listed survivor no longer matches its mutant.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "_build" / "mutate"
LOGS = WORK / "logs"
SURVIVORS = REPO / "tests" / "surviving_mutants.yaml"
MUTMUT = Path(sys.executable).with_name("mutmut")
# The test files that test each module directly (tests/README.md). Each mutant runs only those of their tests that
# reached its function (mutmut's record); a mutant that survives runs all of them, so files whose tests mostly
# run the command line or build whole rounds (test_hostile.py, test_findings.py, test_series_books.py) are left
# out: with them one surviving mutant took minutes on the shared machine.
MODULE_TESTS = {
    "wording": ["test_wording.py", "test_wording_forms.py", "test_joins_and_quotes.py", "test_comparison.py",
                "test_findings.py"],
    "codebook": ["test_codebook_parts.py", "test_messages.py"],
    "commentary": ["test_commentary.py", "test_commentary_parts.py", "test_commentary_lint.py",
                   "test_claim_operators.py"],
    "statistics": ["test_statistics.py", "test_statistics_forms.py", "test_holm_and_flags.py", "test_comparison.py",
                   "test_intervals.py"],
    "series": ["test_series.py"],
    "validate": ["test_validate.py", "test_messages.py", "test_validate_rules.py"],
    "tables": ["test_responses.py", "test_intervals.py", "test_comparison.py", "test_holm_and_flags.py",
               "test_report_2016.py", "test_round_figures.py", "test_series.py"],
}
MODULES = list(MODULE_TESTS)
THRESHOLD = 0.90
KILLED = {1, 3}  # a test failed, or pytest itself broke on the mutant
TIMEOUT = {36, -24, 24, 152, 255}  # the tests ran out of time: the mutant was noticed
NO_TESTS = {33, 5}


def tracked_files() -> list[str]:
    """The files of the work tree as git sees them (tracked, and new files not ignored), as relative paths."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout
    return sorted({p for p in os.fsdecode(listed).split("\0") if p and (REPO / p).is_file()})


def copy_of(module: str) -> Path:
    return WORK / module


def sync_copy(module: str) -> None:
    """Bring the module's copy to the work tree's files, and its mutants/ to all of them but the package's.

    mutmut copies ``councils/`` into mutants/ and rewrites the module there, regenerating its mutants when the
    module is newer than them (a changed file gets a new modification time here); the tests read the rest of
    the repository (data, chapters, the site's configuration) beside it. The copy's pyproject.toml gets the
    module's own mutmut settings (:func:`mutmut_settings`).
    """
    copy, mutants = copy_of(module), copy_of(module) / "mutants"
    files = tracked_files()
    wanted = set(files)
    for rel in files:
        source = REPO / rel
        data = mutmut_settings(module, source.read_text(encoding="utf-8")).encode() if rel == "pyproject.toml" \
            else source.read_bytes()
        targets = [copy / rel] + ([] if rel.startswith("councils/") else [mutants / rel])
        for target in targets:
            if not target.is_file() or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                shutil.copymode(source, target)
    for path in sorted(copy.rglob("*")):
        rel = path.relative_to(copy)
        if rel.parts[0] == "mutants" or not path.is_file() or str(rel) in wanted:
            continue
        path.unlink()
        stale = mutants / rel
        for leftover in (stale, stale.with_name(stale.name + ".meta"), stale.with_name(stale.name + ".spans")):
            leftover.unlink(missing_ok=True)


def mutmut_settings(module: str, pyproject: str) -> str:
    """pyproject.toml with its [tool.mutmut] narrowed to one module and the module's test files."""
    import tomllib

    settings = tomllib.loads(pyproject)["tool"]["mutmut"]
    settings["only_mutate"] = [f"councils/{module}.py"]
    settings["pytest_add_cli_args_test_selection"] = [f"tests/{name}" for name in MODULE_TESTS[module]]
    # A mutant that loops forever is stopped after 4 times its tests' time (mutmut's default, 15, let one such
    # mutant take a quarter of an hour here): the times were measured with every cache emptied per test, so generous.
    settings["timeout_multiplier"] = 4.0
    # Caches and shared fixtures emptied for each test, so that every mutant runs (tests/mutation_plugin.py).
    settings["pytest_add_cli_args"] = ["-p", "tests.mutation_plugin"] + settings.get("pytest_add_cli_args", [])
    start = pyproject.index("\n[tool.mutmut]\n") + 1  # the table's header line, not a mention in a comment
    end = pyproject.find("\n[", start + 1)
    rest = pyproject[end + 1:] if end != -1 else ""
    section = "[tool.mutmut]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
    return pyproject[:start] + section + ("\n" + rest if rest else "")


def environment() -> dict[str, str]:
    """The tests' environment: git stops at _build/, so that the copy is not taken for the work tree."""
    env = dict(os.environ)
    env["GIT_CEILING_DIRECTORIES"] = str(WORK)
    env.pop("CI", None)  # the copy has no browser tests to skip, and a skip is no failure here
    return env


def run_module(module: str, max_children: int, survivors_only: bool = False, everything: bool = False) -> dict:
    """``mutmut run`` over one module's mutants not tried yet (mutmut keeps each result until the function's code
    changes); ``everything``: every mutant again; ``survivors_only``: those that survived the last run, e.g.
    after new tests. Wall and CPU time measured."""
    log_dir = LOGS
    log_dir.mkdir(parents=True, exist_ok=True)
    names = [f"councils.{module}.*"] if everything else []  # none: only mutants not tried yet (new or changed code)
    if survivors_only:
        listed = survivors_listed()  # equivalent or accepted already: not tried again
        names = sorted(k for k, c in results(module).items()
                       if c is not None and c not in KILLED and c not in TIMEOUT and k not in listed) or names
    sync_copy(module)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with open(log_dir / f"{module}.log", "wb") as log:
        code = subprocess.run([str(MUTMUT), "run", "--max-children", str(max_children), *names],
                              cwd=copy_of(module), env=environment(), stdout=log, stderr=subprocess.STDOUT).returncode
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    timing = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "exit": code,
              "finished": time.strftime("%Y-%m-%d %H:%M:%S")}
    times = load_json(LOGS / "times.json")
    if everything or "runs" not in times.get(module, {}):
        times[module] = {"runs": []}  # a run of every mutant starts the count again
    times[module]["runs"].append({**timing, "tried": "all" if everything else "survivors" if survivors_only
                                  else "not tried yet", "mutants_named": len(names)})
    times[module]["wall_s"] = round(sum(r["wall_s"] for r in times[module]["runs"]), 1)
    cpus = [r["cpu_s"] for r in times[module]["runs"]]
    times[module]["cpu_s"] = round(sum(cpus), 1) if None not in cpus else None  # None: a run's CPU time unknown
    (LOGS / "times.json").write_text(json.dumps(times, indent=2), encoding="utf-8")
    if code != 0:
        print(f"mutmut failed on {module} (exit {code}); see {log_dir / f'{module}.log'}", file=sys.stderr)
    return timing


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def results(module: str) -> dict[str, int | None]:
    """Each mutant of a module with mutmut's exit code for it (None: not tried)."""
    meta = load_json(copy_of(module) / "mutants" / "councils" / f"{module}.py.meta")
    return meta.get("exit_code_by_key", {})


def survivors_listed() -> dict[str, dict]:
    """tests/surviving_mutants.yaml: mutant name -> {kind: equivalent|accepted, why: ..., change: ...}."""
    if not SURVIVORS.is_file():
        return {}
    return yaml.safe_load(SURVIVORS.read_text(encoding="utf-8")) or {}


def mutant_diff(name: str) -> str:
    """The mutant's change as mutmut shows it (`mutmut show`): the lines removed and added."""
    module = name.split(".")[1]
    os.chdir(copy_of(module))  # mutmut reads its configuration and its mutants from the working directory
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=f"councils/{module}.py")
    return "\n".join(line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---")))


def change_of(diff: str) -> str:
    """A diff's removed and added lines, stripped and joined: what a listed survivor's ``change`` must equal."""
    return " => ".join(" ".join(line[1:].split()) for line in diff.splitlines())


def summarise(modules: list[str]) -> tuple[list[dict], list[str]]:
    """Per module: mutants, killed, equivalent, accepted, unexplained survivors; and every problem found."""
    listed = survivors_listed()
    times = load_json(LOGS / "times.json")
    rows, problems = [], []
    for module in modules:
        codes = results(module)
        killed = [k for k, c in codes.items() if c in KILLED or c in TIMEOUT]
        timeouts = [k for k, c in codes.items() if c in TIMEOUT]
        not_tried = [k for k, c in codes.items() if c is None]
        survived = sorted(k for k, c in codes.items() if c not in KILLED and c not in TIMEOUT and c is not None)
        equivalent = [k for k in survived if listed.get(k, {}).get("kind") == "equivalent"]
        accepted = [k for k in survived if listed.get(k, {}).get("kind") == "accepted"]
        unexplained = [k for k in survived if k not in listed]
        for name, entry in listed.items():
            if not name.startswith(f"councils.{module}."):
                continue
            if name not in codes:
                problems.append(f"{name}: listed as a survivor, but there is no such mutant (renumbered?)")
            elif codes[name] in KILLED or codes[name] in TIMEOUT:
                problems.append(f"{name}: listed as a survivor, but it is killed now: remove it from the list")
            elif change_of(mutant_diff(name)) != " ".join(str(entry.get("change", "")).split()):
                problems.append(f"{name}: listed for the change {entry.get('change')!r}, "
                                f"but the mutant now is {change_of(mutant_diff(name))!r}")
        counted = len(codes) - len(equivalent)
        share = len(killed) / counted if counted else 0.0
        if codes and share < THRESHOLD:
            problems.append(f"councils/{module}.py: {share:.1%} killed, under {THRESHOLD:.0%}")
        rows.append({"module": module, "mutants": len(codes), "killed": len(killed), "timeouts": len(timeouts),
                     "equivalent": len(equivalent), "accepted": len(accepted), "unexplained": unexplained,
                     "not_tried": len(not_tried),
                     "no_tests": sum(1 for c in codes.values() if c in NO_TESTS),
                     "share": share, **times.get(module, {})})
    return rows, problems


def print_report(rows: list[dict], problems: list[str]) -> None:
    print(f"{'module':<22}{'mutants':>8}{'killed':>8}{'equiv.':>8}{'accepted':>9}{'other':>7}{'share':>8}"
          f"{'wall':>9}{'cpu':>9}")
    for r in rows:
        other = len(r["unexplained"])
        wall = f"{r['wall_s']:.0f} s" if r.get("wall_s") is not None else "-"
        cpu = f"{r['cpu_s']:.0f} s" if r.get("cpu_s") is not None else "-"
        print(f"{'councils/' + r['module'] + '.py':<22}{r['mutants']:>8}{r['killed']:>8}{r['equivalent']:>8}"
              f"{r['accepted']:>9}{other:>7}{r['share']:>8.1%}{wall:>9}{cpu:>9}")
    for r in rows:
        if r["not_tried"]:
            problems.append(f"councils/{r['module']}.py: {r['not_tried']} mutants not tried (run it)")
        for name in r["unexplained"]:
            print(f"survived, not in tests/surviving_mutants.yaml: {name}: {change_of(mutant_diff(name))}")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=MODULES, help=f"modules of councils/ (default: {' '.join(MODULES)})")
    parser.add_argument("--max-children", type=int, default=1,
                        help="mutants tried at once (default 1: the other core is left to the rest of the machine)")
    parser.add_argument("--report", action="store_true", help="print the last results, run nothing")
    parser.add_argument("--all", action="store_true", help="try every mutant again, not only those not tried yet")
    parser.add_argument("--survivors", action="store_true",
                        help="try again only the mutants that survived the last run and are not listed in "
                             "tests/surviving_mutants.yaml (after adding tests)")
    parser.add_argument("--fresh", action="store_true", help="delete each module's copy and its results first")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"not a module of the check: {', '.join(unknown)} (expected some of {', '.join(MODULES)})")
    if not args.report:
        for module in args.modules:
            if args.fresh and copy_of(module).exists():
                shutil.rmtree(copy_of(module))
            timing = run_module(module, args.max_children, args.survivors, args.all)
            rows, _ = summarise([module])
            print(f"councils/{module}.py: {rows[0]['killed']} of {rows[0]['mutants']} killed, "
                  f"{timing['wall_s']:.0f} s wall, {timing['cpu_s']:.0f} s CPU", flush=True)
    rows, problems = summarise(args.modules)
    print_report(rows, problems)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
