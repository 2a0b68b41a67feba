"""The tiers of tests/conftest.py: which tests are slow is read from their code, and the work-tree check is last."""

from __future__ import annotations

import subprocess

import conftest
from conftest import run_cli


def plain():
    return sum(range(10))


def starts_a_process():
    return subprocess.run(["true"], check=False)


def helper_that_starts_one():
    return starts_a_process()


def calls_the_helper():
    return [helper_that_starts_one() for _ in range(1)]  # inside a comprehension


def builds_the_book():
    from councils.run import book

    return book


def runs_the_command_line():
    return run_cli("template")


def builds_a_round_through_the_command_line(folder):
    return run_cli("run", "--round", "x", "--data", folder)


def slow(function) -> bool:
    return conftest._does_slow_work(function, set())


def test_what_starts_a_process_or_builds_a_book_is_slow():
    assert slow(starts_a_process) and slow(helper_that_starts_one) and slow(calls_the_helper)
    assert slow(builds_the_book)
    assert slow(builds_a_round_through_the_command_line)  # a forked command, but it executes the chapters


def test_plain_code_and_forked_commands_are_fast():
    assert not slow(plain)
    assert not slow(runs_the_command_line)


def test_the_work_tree_check_comes_last(request):
    names = [item.name for item in request.session.items]
    if "test_the_run_changed_no_file_of_the_work_tree" in names:
        assert names[-1] == "test_the_run_changed_no_file_of_the_work_tree", names[-3:]
