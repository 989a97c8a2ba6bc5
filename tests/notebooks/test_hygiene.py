"""The notebooks are stored clean: no widget state, counts 1, 2, 3..., no errors, nothing machine-specific.

Whether the stored outputs are current (a fresh run gives the same) is checked by strict nbval in
`make test`; `make notebooks` re-executes and cleans them. Ruff runs here too, so the test command lints.
"""

from __future__ import annotations

import getpass
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex", "image/svg+xml", "application/json")
FIX = "run `make notebooks` to re-execute and clean the notebooks, then commit them"

# What a stored output must not show: paths of this machine, a user's home, object addresses.
NOISE = {
    "an absolute path": re.compile(
        r"(?<![\w.])(?:/tmp|/work|/root|/home|/Users|/private/var|/var/folders|/usr/|/opt/)(?![\w.-])[^\s'\"<]*"
        r"|[A-Za-z]:\\\\?(?:Users|Windows)"),
    "a memory address": re.compile(r"\bat 0x[0-9a-fA-F]+|\b0x[0-9a-fA-F]{8,}\b"),
    "a site-packages path": re.compile(r"site-packages|dist-packages|\.venv\b"),
}
USER = getpass.getuser()
if USER not in ("root", "user", "runner", "jovyan") and len(USER) >= 3:
    NOISE["the user name"] = re.compile(rf"\b{re.escape(USER)}\b")


def load(path: Path) -> dict:
    """The notebook at path as a dict."""
    return json.loads(path.read_text(encoding="utf-8"))


def rel(path: Path) -> str:
    """The path relative to the repository, for messages."""
    return str(path.relative_to(ROOT))


def code_cells(nb: dict) -> list[tuple[int, dict]]:
    """The code cells of nb with their 1-based position among all cells."""
    return [(i, c) for i, c in enumerate(nb["cells"], 1) if c["cell_type"] == "code"]


def output_texts(output: dict) -> list[str]:
    """The text an output shows (stream, text MIME types, traceback), not binary images."""
    if output["output_type"] == "stream":
        texts = [output.get("text", "")]
    elif output["output_type"] == "error":
        texts = [output.get("ename", ""), output.get("evalue", ""), *output.get("traceback", [])]
    else:
        data = output.get("data", {})
        texts = [data[t] if isinstance(data[t], (str, list)) else json.dumps(data[t])
                 for t in TEXT_TYPES if t in data]
    return ["".join(t) if isinstance(t, list) else t for t in texts]


ids = [rel(p) for p in NOTEBOOKS]
each_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)


@each_notebook
def test_no_widget_state(path):
    nb = load(path)
    assert "widgets" not in nb.get("metadata", {}), f"{rel(path)} stores widget state in its metadata: {FIX}"
    for i, cell in enumerate(nb["cells"], 1):
        assert "widgets" not in cell.get("metadata", {}), f"{rel(path)} cell {i} stores widget state: {FIX}"
        for out in cell.get("outputs", []):
            assert WIDGET_STATE not in out.get("data", {}), f"{rel(path)} cell {i} stores widget state: {FIX}"


@each_notebook
def test_no_view_is_built_and_thrown_away(path):
    """A table, a diagram or a widget shows only as a cell's last expression: one built on an earlier line is
    computed and never seen (plots draw on matplotlib's figure, so they may come anywhere)."""
    import ast
    lost = []
    for i, cell in enumerate(load(path)["cells"], 1):
        if cell["cell_type"] != "code":
            continue
        try:
            body = ast.parse("".join(cell["source"])).body
        except SyntaxError:
            continue
        for statement in body[:-1]:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                name = ast.unparse(statement.value.func)
                if name.startswith(("hp.", "ex.", "HTML")) and not name.startswith("hp.plot_"):
                    lost.append(f"cell {i}: {name}(...) is not the last line, so it is never shown")
    assert not lost, f"{rel(path)}: {lost}"


@each_notebook
def test_execution_counts_run_1_2_3_in_order(path):
    nb = load(path)
    cells = [(i, c) for i, c in code_cells(nb) if "".join(c["source"]).strip()]
    counts = [c["execution_count"] for _, c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{rel(path)}: execution counts are {counts}, expected 1..{len(cells)} "
        f"(every code cell run once, top to bottom): {FIX}")
    for i, cell in cells:
        for out in cell["outputs"]:
            if out["output_type"] == "execute_result":
                assert out["execution_count"] == cell["execution_count"], f"{rel(path)} cell {i}: {FIX}"


@each_notebook
def test_no_error_outputs(path):
    for i, cell in code_cells(load(path)):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", (
                f"{rel(path)} cell {i} stores an error: {out.get('ename')}: {out.get('evalue')}")
            if out["output_type"] == "stream" and out.get("name") == "stderr":
                text = "".join(out["text"])
                assert not re.search(r"Traceback|Error|Warning", text), (
                    f"{rel(path)} cell {i} stores an error or warning on stderr: {text[:300]!r}")


@each_notebook
def test_outputs_show_nothing_machine_specific(path):
    found = []
    for i, cell in code_cells(load(path)):
        for out in cell["outputs"]:
            for text in output_texts(out):
                for what, pattern in NOISE.items():
                    m = pattern.search(text)
                    if m:
                        found.append(f"cell {i}: {what}: {text[max(0, m.start() - 40):m.end() + 40]!r}")
    assert not found, f"{rel(path)} stores machine-specific output:\n" + "\n".join(found)


def test_notebooks_are_clean_as_make_notebooks_leaves_them():
    if not NOTEBOOKS:
        pytest.skip("no notebooks in notebooks/ yet")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "clean_notebooks.py"), "--check",
                          *map(str, NOTEBOOKS)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, f"{run.stdout}{run.stderr}\nsome notebooks are not clean: {FIX}"


def test_ruff_check_passes():
    paths = [p for p in ("helpers", "tests", "benchmarks", "notebooks", "tools", "data") if (ROOT / p).exists()]
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *paths],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, f"ruff check {' '.join(paths)} found problems:\n{run.stdout}{run.stderr}"


def test_the_setup_cell_is_folded_and_the_first_cell_says_so():
    """The setup cell (installer, Colab, imports) is plumbing: folded in JupyterLab, one click to unfold."""
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        setup = next(c for c in nb["cells"] if c["cell_type"] == "code")
        assert "".join(setup["source"]).startswith("# Setup"), f"{rel(path)}: the first code cell is not the setup"
        assert setup["metadata"].get("jupyter", {}).get("source_hidden") is True, f"{rel(path)}: setup not folded"
        top = " ".join("".join(c["source"]) for c in nb["cells"][:2] if c["cell_type"] == "markdown")
        assert re.search(r"first( cell)?, folded, sets up the course", top), f"{rel(path)}: the fold is not announced"
