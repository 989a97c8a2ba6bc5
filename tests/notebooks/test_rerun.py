"""Every cell re-runnable (issue 21, defects 6-7): after Run All, each code cell is executed again, in order,
in the same kernel, and prints what it printed the first time.

Text outputs are compared (stdout, text/plain, errors), after the nbval sanitizer's replacements. A cell
whose output is a live timing carries the cell tag `live-timing` and is run but not compared.
"""

from __future__ import annotations

import configparser
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ["01_what.ipynb", "02_how.ipynb", "03_why.ipynb"]
LIVE = "live-timing"


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "tests" / "sanitize.cfg")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


SANITIZE = _sanitizers()


def texts(cell) -> list[str]:
    """A cell's text outputs, sanitized as nbval does. Consecutive prints to one stream are one text: a kernel
    may split a print into several stream messages (tools/clean_notebooks.py merges them the same way)."""
    raw, streams = [], []
    for o in cell.get("outputs", []):
        name = o.name if o.output_type == "stream" else None
        if name is not None and streams and streams[-1] == name:
            raw[-1] += o.text
            continue
        streams.append(name)
        if name is not None:
            raw.append(f"{name}: {o.text}")
        elif o.output_type == "error":
            raw.append(f"error: {o.ename}: {o.evalue}")
        else:
            raw.append(o.get("data", {}).get("text/plain", ""))
    out = []
    for text in raw:
        for pattern, replace in SANITIZE:
            text = pattern.sub(replace, text)
        out.append(text)
    return out


def rerun(name: str, tmp_path: Path) -> list[str]:
    """Run All, then every code cell again in order; the cells whose second run differs."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    work = tmp_path / "notebooks"
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / name, work / name)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(work)}})
    differ = []
    with client.setup_kernel():
        code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        for i, cell in code:
            cell.outputs = []
            client.execute_cell(cell, i)
        first = {i: texts(c) for i, c in code}
        for i, cell in code:
            again = nbformat.from_dict(cell)
            again.outputs = []
            client.execute_cell(again, i)
            if LIVE in cell.metadata.get("tags", []):
                continue
            second = texts(again)
            if second != first[i]:
                head = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
                was = " | ".join(first[i])[:150]
                now = " | ".join(second)[:150]
                differ.append(f"[{i}] {head!r}\n    first:  {was!r}\n    second: {now!r}")
    return differ


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_cell_prints_the_same_when_run_again_after_run_all(name, tmp_path):
    differ = rerun(name, tmp_path)
    assert not differ, f"{name}: {len(differ)} cells differ when run again:\n" + "\n".join(differ)
