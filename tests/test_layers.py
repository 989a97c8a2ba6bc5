"""The package's layering: maths never imports display code; views never import widgets or matplotlib."""

import ast
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
DISPLAY = ("ipywidgets", "matplotlib", "IPython")
DISPLAY_MODULES = {"plots", "widgets", "stepper"}
MATHS = ["data", "notation", "checks", "network", "gradcheck", "training", "exercises", "bugs", "grids",
         "landscape", "stability", "cost", "one_weight", "chain"]


def imports_of(module: str) -> set[str]:
    tree = ast.parse((HELPERS / f"{module}.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom):
            names.add(("." * n.level) + (n.module or ""))
            if n.level and not n.module:   # from . import plots
                names |= {"." + a.name for a in n.names}
    return names


@pytest.mark.parametrize("module", MATHS)
def test_maths_modules_import_no_display_code(module):
    found = imports_of(module)
    assert not {m for m in found if m.split(".")[0] in DISPLAY}, f"helpers/{module}.py imports {found}"
    assert not {m for m in found if m.lstrip(".").split(".")[0] in DISPLAY_MODULES}, found


def test_the_maths_list_covers_every_module_that_is_not_display():
    everything = {p.stem for p in HELPERS.glob("*.py")} - {"__init__"}
    display_side = DISPLAY_MODULES | {"views", "tables"} | {m for m in everything if m.startswith("exercises_")}
    assert everything - display_side == set(MATHS), "classify the new module in tests/test_layers.py"
