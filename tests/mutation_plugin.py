"""A pytest plugin for `make mutate` only (tests/mutation.py loads it with ``-p mutation_plugin``).

mutmut runs the tests in one process and forks a child per mutant from it, and it learns which tests reach a
function by watching each test run once ("stats"). Two things of the package would hide a mutant from both:

- a function's ``lru_cache`` (``load_codebook``, ``tables``' caches, the series' questionnaires), or tables'
  memo of the trends and the comparison (``_COMPUTED``): a value the
  unmutated code computed earlier in the process is returned again, so the mutant never runs, and only the
  first test that filled the cache is recorded as reaching the function;
- a fixture of module or class scope: built in the first test that uses it, so only that test is recorded.

So while mutmut records the tests of each function ("stats"), every cache of the package is emptied before each
test and the fixtures of the test files are built anew for every test (function scope); in every other run the
caches are emptied when the run starts (a mutant's run computes everything anew, under the mutant, once).
Nothing of the tests changes.

Speed only: ``run_cli`` (tests/conftest.py) keeps one helper process that forks a child per command. A
mutant's process is forked from mutmut's, whose helper it cannot wait on, so every command would start a fresh
interpreter (about 1.5 s); the mutant's process gets a helper of its own instead, started at its first command
(it imports the package from mutmut's copy, and each command's child runs with the mutant's environment).
"""

from __future__ import annotations

import os
import sys

import pytest
from _pytest.scope import Scope


def _clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "councils" or name.startswith("councils.")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()
        memo = vars(module).get("_COMPUTED")  # tables' memo of the trends and the comparison, keyed on files
        if isinstance(memo, dict):
            memo.clear()


def _own_command_line(item) -> None:
    # The test files import run_cli from the conftest module of the session that first imported them, which
    # may not be the one in sys.modules now: look through the globals of the test module's functions too.
    spaces = [vars(m) for m in list(sys.modules.values()) if m is not None]
    spaces += [f.__globals__ for f in vars(getattr(item, "module", None) or sys).values()
               if hasattr(f, "__globals__")]
    for space in spaces:
        runner, factory = space.get("_command_line"), space.get("_CommandLine")
        if runner is not None and factory is not None and getattr(runner, "pid", None) != os.getpid():
            fresh = factory()
            fresh.pid = os.getpid()
            space["_command_line"] = fresh


def pytest_sessionstart(session) -> None:
    _clear_caches()  # a mutant's run: the values the parent process cached were computed without the mutant


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        _clear_caches()  # so that every test that reaches a cached function is recorded as reaching it
    _own_command_line(item)


def pytest_collection_modifyitems(session, config, items) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        for definitions in info.name2fixturedefs.values():
            for definition in definitions:
                if definition._scope in (Scope.Module, Scope.Class, Scope.Package) \
                        and "tests" in str(definition.baseid).split("/"):
                    object.__setattr__(definition, "_scope", Scope.Function)
