"""The package's layers: maths imports no display code, display never imports widgets from the maths side,
no module imports another's private name, and the maths works where matplotlib and ipywidgets are missing."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import helpers as hp

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
LAYERS = ("maths", "display", "exercises")
DISPLAY_LIBS = ("ipywidgets", "matplotlib", "IPython")
ALL_MODULES = sorted(p.relative_to(HELPERS) for p in HELPERS.rglob("*.py"))


def imported(path: Path) -> list[tuple[str, list[str]]]:
    """(module as written, names imported from it) for every import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["helpers", *path.relative_to(HELPERS).parent.parts]
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            out += [(a.name, []) for a in n.names]
        elif isinstance(n, ast.ImportFrom):
            base = package[: len(package) - n.level + 1] if n.level else []
            module = ".".join(base + ([n.module] if n.module else []))
            out.append((module, [a.name for a in n.names]))
    return out


def test_the_tree_shows_the_layers():
    assert {p.parts[0] for p in ALL_MODULES if len(p.parts) > 1} == set(LAYERS)
    assert [p for p in ALL_MODULES if len(p.parts) == 1] == [Path("__init__.py"), Path("text.py")]


@pytest.mark.parametrize("path", [p for p in ALL_MODULES if p.parts[0] == "maths"], ids=str)
def test_maths_imports_neither_display_libraries_nor_other_layers(path):
    for module, _ in imported(HELPERS / path):
        assert module.split(".")[0] not in DISPLAY_LIBS, f"{path} imports {module}"
        assert not module.startswith(("helpers.display", "helpers.exercises")), f"{path} imports {module}"


CORE = [p for p in ALL_MODULES if p.parts[0] == "maths" and len(p.parts) == 2 and p.name != "__init__.py"]


def test_the_text_module_depends_on_nothing_but_the_standard_library():
    """maths, display and exercises all import `helpers.text`; it imports none of them and no numpy."""
    assert {m.split(".")[0] for m, _ in imported(HELPERS / "text.py")} <= {"__future__", "math", "numbers"}


def test_maths_messages_write_their_numbers_with_fmt():
    for path in ("history.py", "gradcheck.py", "lessons/stability.py"):
        assert "helpers.text" in {m for m, _ in imported(HELPERS / "maths" / path)}, path


@pytest.mark.parametrize("path", CORE, ids=str)
def test_the_core_never_imports_a_lesson(path):
    """`helpers/maths/*.py` is built on nothing in `helpers/maths/lessons/` (the package's face lists both)."""
    assert not [m for m, _ in imported(HELPERS / path) if m.startswith("helpers.maths.lessons")], path


@pytest.mark.parametrize("path", [p for p in ALL_MODULES if p.parts[0] == "display"], ids=str)
def test_display_never_imports_exercises(path):
    assert not [m for m, _ in imported(HELPERS / path) if m.startswith("helpers.exercises")]


@pytest.mark.parametrize("path", [p for p in ALL_MODULES if p.name in ("trace.py", "svg.py", "text.py",
                                                                        "palette.py", "tables.py")], ids=str)
def test_string_views_import_no_widgets_or_plots(path):
    assert not [m for m, _ in imported(HELPERS / path) if m.split(".")[0] in DISPLAY_LIBS]


@pytest.mark.parametrize("path", ALL_MODULES, ids=str)
def test_no_module_imports_another_modules_private_name(path):
    for module, names in imported(HELPERS / path):
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private, f"{path} imports {private} from {module}"


def test_no_module_reaches_into_another_modules_private_attribute():
    """`checks._x` or `network._y` used across files: read every attribute of an imported helpers module."""
    for path in ALL_MODULES:
        tree = ast.parse((HELPERS / path).read_text(encoding="utf-8"))
        modules = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                   and (n.level or (n.module or "").startswith("helpers")) for a in n.names}
        bad = [f"{n.value.id}.{n.attr}" for n in ast.walk(tree) if isinstance(n, ast.Attribute)
               and isinstance(n.value, ast.Name) and n.value.id in modules and n.attr.startswith("_")
               and not n.attr.startswith("__")]
        assert not bad, f"{path} uses {bad}"


BLOCK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('matplotlib', 'ipywidgets', 'IPython'):
            raise ImportError(f'{name} is blocked for this test')
sys.meta_path.insert(0, Block())
"""


def test_maths_imports_trains_and_differentiates_without_matplotlib_or_ipywidgets():
    code = BLOCK + """
import numpy as np
import helpers as hp
import helpers.maths as m
ds = hp.load_students()
hist = hp.train(hp.init_params([2, 2, 1], weight=0.1), ds.X, ds.y, lr=0.001, epochs=5)
g = m.gradients(m.init_params([2, 2, 1]), ds.X[0], ds.y[0])
print(round(hist.epoch_loss[-1], 4), g['W2'][0, 0], hist.steps[0].factors('w11^1')[-1].value)
assert not [k for k in sys.modules if k.split('.')[0] in ('matplotlib', 'ipywidgets')]
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1.2238", "896.0", "8.0"]   # the last link of ∂L/∂w11^1 is x_i1 = 8


def test_a_display_name_without_its_library_fails_clearly_and_only_when_used():
    code = BLOCK + """
import helpers as hp
hp.train(hp.init_params(), [[8.0, 8.0]], [4.0])
try:
    hp.stepper
except ImportError as e:
    print('ImportError', e)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ImportError ipywidgets is blocked")


def test_every_public_name_is_reachable_and_the_lazy_ones_load_on_first_use():
    for name in hp.__all__:
        assert getattr(hp, name) is not None, name
    assert set(hp.__all__) <= set(dir(hp))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        hp.nope


def test_the_course_contract_names_exist():
    for name in ("load_students", "load_placements", "init_params", "predict", "gradients", "numerical_gradients",
                 "sgd_step", "train", "stepper"):
        assert callable(getattr(hp, name)), name
