"""run_cli (tests/conftest.py) forks each command from a process that has imported the package: it must
give what a fresh ``python -m councils`` gives, exit status, stdout and stderr alike, byte for byte."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, counts_round, run_cli


def fresh(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "councils", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, check=False)


@pytest.fixture
def bad_round(tmp_path):
    """A round whose counts.csv has two problems in one row: an unknown code (with æøå) and a bad count."""
    return counts_round(tmp_path / "raadet", ["own_budget,yes,21,30,stated,x", "own_budget,måske,x,30,stated,y"],
                        responses=30)


@pytest.mark.parametrize("args", [
    ["validate", "data/rounds/2016"],
    ["tables", "--round", "2016", "--format", "csv"],
    ["tables", "--round", "1999"],
    ["--no-such-option"],
    ["template"],
], ids=lambda args: " ".join(args))
def test_a_forked_command_gives_what_a_fresh_interpreter_gives(args):
    forked, expected = run_cli(*args), fresh(*args)
    assert (forked.returncode, forked.stdout, forked.stderr) == (expected.returncode, expected.stdout, expected.stderr)


def test_a_refused_round_reads_the_same_both_ways(bad_round):
    forked, expected = run_cli("validate", bad_round), fresh("validate", bad_round)
    assert forked.returncode == expected.returncode == 1
    assert "'måske'" in forked.stderr and "2 problems" in forked.stderr and forked.stderr == expected.stderr and forked.stdout == expected.stdout == ""


def test_commands_run_from_the_repository_and_share_nothing(tmp_path, monkeypatch, bad_round):
    monkeypatch.chdir(tmp_path)  # the test's own folder does not matter: commands run from the root
    assert run_cli("validate", "data/rounds/2016").returncode == 0
    assert run_cli("validate", bad_round).returncode == 1
    good = counts_round(tmp_path / "good", ["own_budget,yes,21,30,stated,x"], responses=30)
    assert run_cli("validate", good).returncode == 0
    # the same file rewritten between two commands is read anew (no cache survives a command)
    (bad_round / "counts.csv").write_bytes((good / "counts.csv").read_bytes())
    (bad_round / "round.yaml").write_text((good / "round.yaml").read_text(encoding="utf-8").replace("good", "raadet"),
                                          encoding="utf-8")
    assert run_cli("validate", bad_round).returncode == 0
