"""Edit every `lr=`, `epochs=` and `weight=` literal of every notebook, one at a time, and run the notebook.

    .venv/bin/python tools/edit_sweep.py                 # every edit of every notebook, a fresh kernel each
    .venv/bin/python tools/edit_sweep.py 02_how.ipynb    # one notebook

Each edit sets one literal to one of `VALUES` and runs the whole notebook with nbclient in a temporary
folder. A cell is reported when it fails with anything but a clear ValueError or TypeError (one raised
by `helpers`, naming an argument: not Python's own "list indices must be integers"), when a cell fails
only because an earlier one did (a NameError or the like: Run All stops at the first), when it prints a
number of 20 or more digits, or when it writes to stderr (a warning). The last line gives the full count.
The test suite runs a fixed sample of these edits (tests/notebooks/test_edited_notebooks.py).
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["01_what.ipynb", "02_how.ipynb", "03_why.ipynb"]
NUM = r"-?[0-9][0-9_]*\.?[0-9_]*(?:e-?[0-9]+)?(?:\s*\*\*\s*-?[0-9]+)?"
LITERAL = re.compile(rf"\b(lr|epochs|weight)(\s*=\s*)(\(\s*{NUM}\s*(?:,\s*{NUM}\s*)*,?\s*\)|{NUM})(?![\w.])")
VALUES = {"lr": ["10", "0.1"], "epochs": ["1", "400"], "weight": ["10", "0"]}
TUPLE_VALUES = {"epochs": ["2000", "(1, 2)"]}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Edit:
    """One edit: cell `cell` (index among all cells), the literal at `start` set to `new`."""

    notebook: str
    cell: int
    start: int
    end: int
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.notebook}[{self.cell}] {self.old} -> {self.new}"


def edits(notebook: str) -> list[Edit]:
    """Every edit of a notebook: each literal, each of its values that differs from the one there."""
    nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for m in LITERAL.finditer(cell.source):
            name, eq, value = m.groups()
            values = TUPLE_VALUES.get(name, VALUES[name]) if value.startswith("(") else VALUES[name]
            for v in values:
                if v.replace("_", "") != value.replace("_", ""):
                    out.append(Edit(notebook, i, m.start(), m.end(), m.group(0), f"{name}{eq}{v}"))
    return out


def apply(nb, edit: Edit):
    """The notebook with one edit made (a copy), outputs cleared."""
    nb = nbformat.from_dict(nb)
    cell = nb.cells[edit.cell]
    assert cell.source[edit.start:edit.end] == edit.old, edit
    cell.source = cell.source[:edit.start] + edit.new + cell.source[edit.end:]
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
    return nb


def clear(out) -> bool:
    """An error output is a clear ValueError/TypeError: raised by helpers (the last frame is in helpers/)."""
    if out.ename not in ("ValueError", "TypeError"):
        return False
    frames = [line for line in (ANSI.sub("", t) for t in out.traceback) if line.startswith(("File ", "Cell "))]
    return bool(frames) and "/helpers/" in frames[-1].split(":")[0] if frames else False


def problems(nb) -> list[str]:
    """What is wrong with an executed notebook's outputs, one line a cell."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        head = cell.source.strip().splitlines()[0][:50] if cell.source.strip() else ""
        for out in cell.outputs:
            if out.output_type == "error" and not clear(out):
                found.append(f"[{i}] {head!r}: {out.ename}: {out.evalue[:160]}")
            if out.output_type == "stream" and out.name == "stderr":
                found.append(f"[{i}] {head!r}: stderr: {out.text[:160]!r}")
            text = out.get("text", "") + out.get("data", {}).get("text/plain", "")
            if re.search(r"\d{20}", text):
                found.append(f"[{i}] {head!r}: shows a number of 20+ digits: {text[:100]!r}")
    return found


def run(nb, notebook: str, timeout: int = 300):
    """Execute a notebook in a fresh kernel in a temporary folder holding a copy of it; the executed copy."""
    with tempfile.TemporaryDirectory(prefix="edit-sweep-") as tmp:
        work = Path(tmp) / "notebooks"
        work.mkdir()
        shutil.copy(ROOT / "notebooks" / notebook, work / notebook)
        NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(work)}}).execute()
    return nb


def check(edit: Edit) -> list[str]:
    """Run one edit; the problems found."""
    nb = nbformat.read(ROOT / "notebooks" / edit.notebook, as_version=4)
    return problems(run(apply(nb, edit), edit.notebook))


def main(names: list[str]) -> int:
    total = bad = 0
    for notebook in names or NOTEBOOKS:
        for e in edits(notebook):
            total += 1
            found = check(e)
            bad += bool(found)
            print(f"{'FAIL' if found else 'ok  '} {e}", flush=True)
            for line in found:
                print(f"       {line}", flush=True)
    print(f"{total} edits run, {bad} with a problem, {total - bad} clean")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
