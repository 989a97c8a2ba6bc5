"""The CI workflow a fork gets on GitHub: valid (actionlint), and it runs .ci/run in CI's Debian 12 + Python 3.11."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("actionlint")
    if not exe.exists():
        exe = shutil.which("actionlint")
    if not exe:
        pytest.fail("actionlint is missing: pip install -r requirements-test.txt", pytrace=False)
    # shellcheck and pyflakes are not installed here; actionlint's own checks (syntax, keys, expressions,
    # runner labels, action inputs) run.
    return subprocess.run([str(exe), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_actionlint_finds_nothing():
    run = actionlint(WORKFLOW)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    """So that the test above means something: a job without runs-on and a typo in a key are reported."""
    broken = tmp_path / "ci.yml"
    broken.write_text(WORKFLOW.read_text().replace("    runs-on: ubuntu-latest\n", "").replace("steps:", "step:"))
    run = actionlint(broken)
    assert run.returncode == 1 and "runs-on" in run.stdout and "step" in run.stdout, run.stdout + run.stderr


def test_the_workflow_runs_ci_run_in_the_image_of_ci_here():
    text = WORKFLOW.read_text()
    assert re.search(r"^\s*container: python:3\.11-bookworm\s*$", text, re.M), "Debian 12 (bookworm), Python 3.11"
    assert re.search(r"^\s*run: bash \.ci/run\s*$", text, re.M)
    assert "actions/checkout@v" in text
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11", f"runtime.txt says {runtime}; the workflow's image is Python 3.11"
