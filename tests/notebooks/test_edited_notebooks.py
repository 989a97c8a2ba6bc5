"""A learner edits a notebook's key numbers and runs it all (issue #11).

For each notebook, the first `lr=`, `epochs=` and `weight=` in its code are set to large values
(all three at once: one execution a notebook). Every cell must then either run or stop with a ValueError,
and nothing may be written to stderr (no warning reaches the learner). The notebooks run in a temporary
folder with nbclient, with a time limit.

Then a fixed sample of `SAMPLE` single edits a notebook from tools/edit_sweep.py (which runs them all):
one literal changed at a time, each in a fresh kernel, two at once (the machine's two cores). A cell
fails the test when it fails with anything but a clear ValueError/TypeError raised by helpers, prints a
20-digit number or writes to stderr.
"""

from __future__ import annotations

import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import edit_sweep  # noqa: E402

SAMPLE = 10
NOTEBOOKS = ["01_what.ipynb", "02_how.ipynb", "03_why.ipynb"]
EDITS = {"lr": "10", "epochs": "1000", "weight": "10"}
NUMBER = r"(\s*=\s*)(-?[0-9][0-9_]*\.?[0-9_]*(?:e-?[0-9]+)?)"


def edit(nb) -> list[str]:
    """Set the first lr=, epochs= and weight= of the code cells to large values; return what changed."""
    changed = []
    for name, value in EDITS.items():
        pattern = re.compile(rf"\b{name}{NUMBER}")
        for cell in nb.cells:
            if cell.cell_type == "code" and pattern.search(cell.source):
                old = pattern.search(cell.source).group(0)
                cell.source = pattern.sub(lambda m: f"{name}{m.group(1)}{value}", cell.source, count=1)
                changed.append(f"{old.strip()} -> {name}={value}")
                break
    return changed


def run_edited(name: str, tmp_path: Path):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    changed = edit(nb)
    assert len(changed) == 3, f"{name}: expected to find lr=, epochs= and weight=, changed only {changed}"
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    work = tmp_path / "notebooks"
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / name, work / name)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(work)}})
    client.execute()
    return nb, changed


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_edited_notebook_runs_or_stops_with_a_value_error(name, tmp_path):
    nb, changed = run_edited(name, tmp_path)
    problems = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        head = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
        for out in cell.outputs:
            if out.output_type == "error" and out.ename != "ValueError":
                problems.append(f"{head!r}: {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"{head!r}: stderr: {out.text[:200]}")
            text = out.get("text", "") + out.get("data", {}).get("text/plain", "")
            if re.search(r"\d{20}", text):
                problems.append(f"{head!r}: shows a number of 20+ digits: {text[:120]}")
    assert not problems, f"{name} with {changed}:\n" + "\n".join(problems)


def sample(notebook: str) -> list:
    """`SAMPLE` edits spread evenly over the notebook's list of edits (every literal, in order)."""
    every = edit_sweep.edits(notebook)
    if len(every) <= SAMPLE:
        return every
    return [every[round(k * (len(every) - 1) / (SAMPLE - 1))] for k in range(SAMPLE)]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_sample_of_single_edits_runs_or_stops_with_a_clear_error(name):
    edits = sample(name)
    assert len(edits) >= SAMPLE, f"{name}: expected at least {SAMPLE} lr=, epochs=, weight= literals to edit"
    with ProcessPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(edit_sweep.check, edits))
    report = [f"{e}:\n  " + "\n  ".join(f) for e, f in zip(edits, found) if f]
    assert not report, f"{name}: {len(report)} of {len(edits)} edits give a problem:\n" + "\n".join(report)
