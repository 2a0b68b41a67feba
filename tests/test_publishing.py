"""Publishing: the forge's CI workflow (checked against the workflow schema check-jsonschema vendors, offline) runs
exactly .ci/run and publishes the site from main; `make site-archive` zips the site with a checksum file.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli

WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"


def check_workflow(path: Path) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run([str(tool), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, check=False, timeout=120)


def test_the_workflow_passes_the_vendored_schema():
    result = check_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_fails_the_schema(tmp_path):
    """The check is real: a job without runs-on, and a step that is neither run nor uses, are refused."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    del workflow["jobs"]["test"]["runs-on"]
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(workflow), encoding="utf-8")
    assert check_workflow(broken).returncode == 1
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    workflow["jobs"]["test"]["steps"].append({"name": "nothing to do"})
    broken.write_text(yaml.safe_dump(workflow), encoding="utf-8")
    assert check_workflow(broken).returncode == 1


def test_the_workflow_runs_ci_run_and_publishes_from_main_only():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    test, publish = workflow["jobs"]["test"], workflow["jobs"]["publish"]
    runs = [step.get("run", "") for step in test["steps"]]
    assert "bash .ci/run" in runs, "CI must run the same script as every other CI run"
    assert not any("make " in run for run in runs), "the workflow must not run its own build besides .ci/run"
    assert test["container"].startswith("debian:12")  # root and Debian's packages, as .ci/run expects
    upload = next(step for step in test["steps"] if str(step.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    main_only = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert upload["if"] == main_only and publish["if"] == main_only and publish["needs"] == "test"
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(str(step.get("uses", "")).startswith("actions/deploy-pages") for step in publish["steps"])


def test_site_archive_holds_every_file_and_its_checksum(tmp_path):
    site = tmp_path / "html"
    (site / "da" / "chapters").mkdir(parents=True)
    (site / "index.html").write_text("<p>root</p>", encoding="utf-8")
    (site / "da" / "chapters" / "index.html").write_text("<p>dansk</p>", encoding="utf-8")
    (site / "da" / "integration-councils-2016-da.xlsx").write_bytes(b"PK\x03\x04 not really")
    (site / ".site-key").write_text("key", encoding="utf-8")
    out = tmp_path / "out" / "site.zip"
    result = run_cli("archive", "--site", site, "--out", out)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == ["da/chapters/index.html", "da/integration-councils-2016-da.xlsx", "index.html"]
        assert archive.read("da/chapters/index.html") == b"<p>dansk</p>"
    checksum = (tmp_path / "out" / "site.zip.sha256").read_text(encoding="utf-8")
    assert checksum == f"{hashlib.sha256(out.read_bytes()).hexdigest()}  site.zip\n"
    check = subprocess.run(["sha256sum", "--check", "site.zip.sha256"], cwd=out.parent, capture_output=True, text=True)
    assert check.returncode == 0 and "site.zip: OK" in check.stdout


def test_site_archive_refuses_a_folder_that_is_no_built_site(tmp_path):
    result = run_cli("archive", "--site", tmp_path, "--out", tmp_path / "x.zip")
    assert result.returncode == 1 and "run `make book` first" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.zip").exists()


def test_make_site_archive_builds_the_book_and_archives_it():
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}  # also under `make test`
    dry = subprocess.run(["make", "--no-print-directory", "-n", "site-archive"], cwd=REPO, env=env,
                         capture_output=True, text=True, check=True)
    lines = dry.stdout.splitlines()
    assert lines[-2:] == [".venv/bin/python -m councils book",
                          ".venv/bin/python -m councils archive --site _build/html --out "
                          "_build/integration-councils-site.zip"]


@pytest.mark.parametrize("heading", ["## Publishing the site", "### On GitHub Pages", "### On a plain web server"])
def test_readme_says_how_to_publish(heading):
    assert heading in (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_new_round_steps_start_with_new():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    steps = text.split("## A new round of the survey", 1)[1]
    assert steps.split("\n1. ", 1)[1].lstrip().startswith("Scaffold the round: `.venv/bin/python -m councils new")
