"""A learner edits a notebook's key numbers and runs it all (issue #11).

For each notebook, the first `lr=`, `epochs=` and `weight=` in its code are set to large values
(all three at once: one execution a notebook). Every cell must then either run or stop with a clear
ValueError or TypeError raised by helpers, and nothing may be written to stderr (no warning reaches the
learner). The notebooks run in a temporary folder with nbclient, with a time limit.

Then a fixed sample of `SAMPLE` single edits a notebook from tools/edit_sweep.py (which runs them all):
one literal changed at a time, each in a fresh kernel, two at once (the machine's two cores). A cell
fails the test when it fails with anything but a clear ValueError/TypeError raised by helpers, prints a
20-digit number or writes to stderr.
"""

from __future__ import annotations

import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

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


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_edited_notebook_runs_or_stops_with_a_clear_error(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    changed = edit(nb)
    assert len(changed) == 3, f"{name}: expected to find lr=, epochs= and weight=, changed only {changed}"
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    problems = edit_sweep.problems(edit_sweep.run(nb, name, timeout=120))
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
