"""Each notebook in a real JupyterLab: Run All gives no error, the stepper follows the learner's controls
and shows the numbers of the step it says, and a "Your turn" cell answers a wrong and a right answer.

The expected numbers are computed here with `helpers` (`hp.train` with the stepper's set-up, read from the
notebook's source) and compared with the data attributes that the stepper's browser renderer writes (stepper.js),
to the 6 significant digits the course shows. Screenshots go to pytest's temporary folder.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re

import labharness as lh
import pytest

import helpers as hp

pytestmark = pytest.mark.browser

PROBE = "probes/stepper.ipynb"
NOTEBOOKS = [PROBE] + [f"notebooks/{p.name}" for p in sorted(lh.NOTEBOOKS.glob("*.ipynb"))]
STAGES = ("forward", "loss", "derivatives", "update")
WAIT_MS = 20_000


# ---- reading the stepper ----

_SNAPSHOT_JS = """(root) => {
  const all = (sel) => [...root.querySelectorAll(sel)];
  const map = (sel, key, val) => Object.fromEntries(all(sel).map(e => [e.getAttribute(key), e.getAttribute(val)]));
  const stage = root.querySelector('.bp-stage');
  const slider = root.querySelector('.bp-stepper input[type=range]');
  return {
    step: stage ? +stage.dataset.step : null, stage: stage ? stage.dataset.stage : null,
    position: slider ? +slider.value : null,
    eq: map('.bp-stage .bp-eq', 'data-name', 'data-value'),
    deriv: map('.bp-stage .bp-deriv', 'data-param', 'data-value'),
    update: map('.bp-stage .bp-update', 'data-param', 'data-new'),
    nodes: map('svg.bp-diagram g.bp-node[data-value]', 'data-node', 'data-value'),
    edges: map('svg.bp-diagram g.bp-edge', 'data-param', 'data-value'),
    after: map('table.bp-params tr[data-param]', 'data-param', 'data-after'),
    curve_step: (root.querySelector('svg.bp-curve') || {dataset: {}}).dataset.step,
  };
}"""


def same(shown: str | None, value: float) -> bool:
    """Whether the text shown is the number `value` to every digit shown, and to at least 6 significant
    digits (the course shows 6, and more for a number close to but not a whole number)."""
    if shown is None:
        return False
    digits = len(shown.lstrip("-").split("e")[0].replace(".", "").lstrip("0"))
    return float(shown) == float(f"{value:.{max(6, digits)}g}")


class StepperView:
    """The first stepper in a notebook's outputs, driven as a learner does."""

    def __init__(self, nb: lh.LabNotebook):
        self.nb, self.page = nb, nb.page
        self.root = nb.notebook.locator(".jp-OutputArea-output").filter(has=self.page.locator(".bp-stepper")).first
        self.slider = self.root.locator(".bp-stepper input[type=range]").first
        self.handle = self.slider            # a native range input: ← → Home End step it, as on a noUi handle

    def exists(self) -> bool:
        return self.root.count() > 0

    def cell_index(self) -> int:
        """The position (from 0, among all cells) of the cell whose output holds the stepper."""
        return self.root.evaluate(
            "(o) => [...o.closest('.jp-Notebook').querySelectorAll('.jp-Cell')].indexOf(o.closest('.jp-Cell'))")

    def snapshot(self) -> dict:
        return self.root.evaluate(_SNAPSHOT_JS)

    def wait_for(self, step: int, stage: str) -> dict:
        """Wait until the equations show `stage` of `step`; return the snapshot."""
        self.root.locator(f".bp-stage[data-step='{step}'][data-stage='{stage}']").wait_for(timeout=WAIT_MS)
        return self.snapshot()

    def button(self, text: str):
        return self.root.locator(f".bp-stepper button:text-is('{text}')")

    def jump(self, epoch: int, student: int) -> None:
        """Jump to an epoch and a student (both counted from 1), with the stepper's own jump controls."""
        box = self.root.locator("input[aria-label='jump to epoch']")
        box.fill(str(epoch))
        box.press("Enter")
        self.root.locator("select[aria-label='jump to student']").select_option(label=f"student {student}")

    def raise_learning_rate(self) -> float:
        """Type a larger η into its box and press Enter, as a learner can; return the new learning rate."""
        box = self.root.locator("input[aria-label='learning rate η']")
        new = float(box.input_value()) * 10 ** 0.25
        box.fill(repr(new))
        box.press("Enter")
        return new


def stepper_calls(source: str) -> list[ast.Call]:
    """The calls of `stepper(...)` (as `hp.stepper` or `stepper`) in a code cell's source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:                 # IPython magics: not a stepper cell
        return []
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and (getattr(n.func, "attr", None) or getattr(n.func, "id", None)) == "stepper"]


def stepper_setup(nb_json: dict, cell_index: int) -> dict | None:
    """The arguments of the `stepper(...)` call that made the stepper shown by cell `cell_index`, with the
    defaults filled in; None when they are not plain literals."""
    for cell in reversed(nb_json["cells"][: cell_index + 1]):
        if cell["cell_type"] != "code":
            continue
        calls = stepper_calls("".join(cell["source"]))
        if calls:
            try:
                args = [ast.literal_eval(a) for a in calls[0].args]
                kwargs = {k.arg: ast.literal_eval(k.value) for k in calls[0].keywords}
            except ValueError:
                return None
            bound = inspect.signature(hp.stepper).bind(*args, **kwargs)
            bound.apply_defaults()
            return dict(bound.arguments)
    return None


def train_like_stepper(setup: dict, **changes):
    """The History the stepper shows for this set-up, computed here with helpers."""
    s = {**setup, **changes}
    if s["params"] is not None:
        raise ValueError("params: the test cannot rebuild a stepper started from given parameters")
    ds = {"students": hp.load_students, "placements": hp.load_placements}[s["data"]]()
    params = hp.init_params([ds.X.shape[1], s["hidden"], 1], weight=s["weight"], bias=s["bias"], seed=s["seed"])
    return hp.train(params, ds.X, ds.y, lr=s["lr"], epochs=s["epochs"], activation=s["activation"],
                    loss=s["loss"], shuffle=s["shuffle"], seed=s["seed"])


def check_numbers(snap: dict, hist, step: int, stage: str) -> None:
    """Assert that the equations and the diagram show the numbers of `stage` of `step` of `hist`."""
    st = hist.steps[step]
    assert (snap["step"], snap["stage"]) == (step, stage), snap
    assert snap["position"] == 4 * step + STAGES.index(stage), snap
    assert snap["curve_step"] == str(step), snap
    o11, y_hat = float(st.O[1][0]), st.y_hat
    # The diagram: every node's value and every weight before the update.
    assert same(snap["nodes"].get("O11"), o11), (snap["nodes"], o11)
    assert same(snap["nodes"].get("O21"), y_hat), (snap["nodes"], y_hat)
    for name in hist.names:
        if name.startswith("w"):
            assert same(snap["edges"].get(name), st.before(name)), (name, snap["edges"], st.before(name))
    for name in hist.names:
        assert same(snap["after"].get(name), st.after(name)), (name, snap["after"], st.after(name))
    # The equations of the stage.
    if stage == "forward":
        assert same(snap["eq"].get("O11"), o11) and same(snap["eq"].get("O21"), y_hat), snap["eq"]
    elif stage == "loss":
        assert same(snap["eq"].get("L"), st.loss), (snap["eq"], st.loss)
        assert same(snap["nodes"].get("L"), st.loss), (snap["nodes"], st.loss)
    elif stage == "derivatives":
        for name in ("w11^1", "b11", "w11^2", "b21"):
            assert same(snap["deriv"].get(name), st.grad(name)), (name, snap["deriv"], st.grad(name))
    else:
        for name in ("w11^1", "w21^2", "b21"):
            assert same(snap["update"].get(name), st.after(name)), (name, snap["update"], st.after(name))


# ---- the notebook, opened and run once for the tests below ----

@pytest.fixture(scope="module", params=NOTEBOOKS)
def lab_nb(request, lab_server, chromium, lab_root, data_before):
    """The notebook open in JupyterLab after Run All; closed and its kernel stopped afterwards."""
    nb = lh.LabNotebook(chromium, lab_server, request.param).open()
    data_before["ran"].append(request.param)
    nb.run_seconds = nb.run_all()
    nb.source = json.loads((lab_root / request.param).read_text(encoding="utf-8"))
    yield nb
    nb.close()
    lab_server.shutdown_kernels()


def test_run_all_shows_no_error(lab_nb, tmp_path):
    lab_nb.page.screenshot(path=tmp_path / (lab_nb.relpath.replace("/", "-").removesuffix(".ipynb") + ".png"))
    errors = lab_nb.errors()
    assert not errors, f"{lab_nb.relpath}: errors after Run All:\n" + "\n".join(errors)
    assert not lab_nb.unexecuted_cells(), f"{lab_nb.relpath}: cells not run: {lab_nb.unexecuted_cells()}"


def test_stepper_follows_the_learner(lab_nb, tmp_path):
    view = StepperView(lab_nb)
    if not any(stepper_calls("".join(c["source"])) for c in lab_nb.source["cells"] if c["cell_type"] == "code"):
        pytest.skip(f"{lab_nb.relpath} has no stepper (no stepper(...) call in its code)")
    assert view.exists(), f"{lab_nb.relpath} calls stepper(...), but no stepper is shown after Run All"
    stem = lab_nb.relpath.replace("/", "-").removesuffix(".ipynb")
    setup = stepper_setup(lab_nb.source, view.cell_index())
    assert setup is not None, f"{lab_nb.relpath}: the stepper's set-up is not plain literals; cannot check its numbers"
    hist = train_like_stepper(setup)
    view.root.scroll_into_view_if_needed()

    check_numbers(view.wait_for(0, "forward"), hist, 0, "forward")
    view.button("next ▶").click()                              # next stage
    check_numbers(view.wait_for(0, "loss"), hist, 0, "loss")
    view.handle.press("ArrowRight")                            # the slider, from the keyboard
    check_numbers(view.wait_for(0, "derivatives"), hist, 0, "derivatives")

    step = hist.step_index(2, 3)                               # a jump: epoch 2, student 3
    view.jump(2, 3)
    check_numbers(view.wait_for(step, "derivatives"), hist, step, "derivatives")
    view.root.locator("button:text-is('4 Update')").click()
    check_numbers(view.wait_for(step, "update"), hist, step, "update")
    view.root.screenshot(path=tmp_path / f"{stem}-stepper.png")

    old = view.snapshot()["after"]["w11^1"]
    new_lr = view.raise_learning_rate()                        # retrains; the step stays
    assert new_lr > setup["lr"]
    new_hist = train_like_stepper(setup, lr=new_lr)
    step = min(step, new_hist.n_steps - 1)                     # a diverging run stops earlier; so does the slider
    expected = new_hist.steps[step].after("w11^1")
    assert not same(old, expected), "the new learning rate should change the update"
    lab_nb.page.wait_for_function(
        "([root, old]) => root.querySelector(\"table.bp-params tr[data-param='w11^1']\").dataset.after !== old",
        arg=[view.root.element_handle(), old], timeout=WAIT_MS)
    check_numbers(view.wait_for(step, "update"), new_hist, step, "update")
    view.root.screenshot(path=tmp_path / f"{stem}-stepper-new-lr.png")


# ---- "Your turn" ----

def find_checker(name: str):
    """The function `name` in helpers or one of its modules, or None."""
    if hasattr(hp, name):
        return getattr(hp, name)
    for mod in pkgutil.walk_packages(hp.__path__, "helpers."):
        module = importlib.import_module(mod.name)
        if hasattr(module, name):
            return getattr(module, name)
    return None


def numeric_exercise(nb_json: dict):
    """The first "Your turn" cell of the form `answer = None` ... `check_X(answer)` whose helpers module
    has `expected_X()`: (cell index, source, variable, expected value), or None."""
    for i, cell in enumerate(nb_json["cells"]):
        src = "".join(cell["source"])
        if cell["cell_type"] != "code" or "None" not in src:
            continue
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        blanks = {t.id for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
                  and n.value.value is None for t in n.targets if isinstance(t, ast.Name)}
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            fname = getattr(call.func, "attr", None) or getattr(call.func, "id", None) or ""
            if not (fname.startswith("check_") and call.args and isinstance(call.args[0], ast.Name)
                    and call.args[0].id in blanks):
                continue
            expected_fn = find_checker("expected_" + fname[len("check_"):])
            if expected_fn is not None and not inspect.signature(expected_fn).parameters:
                value = expected_fn()
                if isinstance(value, float | int) and not isinstance(value, bool):
                    return i, src, call.args[0].id, float(value)
    return None


# A function exercise a learner answers by typing a definition: notebook stem -> (variable, wrong, right, hint).
GW1 = ("def grad_W1(params, X, y):\n    O1 = hp.sigmoid(X @ params['W1'] + params['b1'])\n"
       "    delta2 = hp.sigmoid(O1 @ params['W2'] + params['b2']) - y[:, None]\n"
       "    return X.T @ (delta2 @ params['W2'].T * O1 * (1 - O1)){}\n")
FUNCTION_EXERCISES = {"02_how": ("grad_W1", GW1.format(""), GW1.format(" / len(y)"), "divide by the number of rows")}


def answer_in_lab(lab_nb, index: int, new_src: str, verdict: str) -> str:
    """Type `new_src` into code cell `index`, run it, and return its output once it starts with `verdict`."""
    cell = lab_nb.notebook.locator(".jp-Cell").nth(index)
    output = cell.locator(".jp-OutputArea-output")
    cell.locator(".cm-content").click()
    lab_nb.page.keyboard.press("Control+A")
    lab_nb.page.keyboard.insert_text(new_src)
    lab_nb.page.keyboard.press("Control+Enter")
    output.filter(has_text=verdict).first.wait_for(timeout=WAIT_MS)
    text = output.first.inner_text()
    assert text.startswith(verdict), f"{lab_nb.relpath} cell {index + 1}: {text!r}"
    return text


def test_your_turn_answers_wrong_and_right(lab_nb):
    found = numeric_exercise(lab_nb.source)
    if found is None:
        assert "01_what" not in lab_nb.relpath and "03_why" not in lab_nb.relpath, "their numeric exercise is lost"
        pytest.skip(f"{lab_nb.relpath} has no numeric 'Your turn' cell (answer = None, then check_X(answer))")
    index, src, var, expected = found
    wrong = round(expected * 3 + 7.5, 3)
    for answer, verdict in ((wrong, "Not yet"), (expected, "Right")):
        new_src = re.sub(rf"^{var}\s*=\s*None\b", f"{var} = {answer!r}", src, count=1, flags=re.M)
        answer_in_lab(lab_nb, index, new_src, verdict)


def test_your_turn_function_typed_wrong_and_right(lab_nb):
    stem = lab_nb.relpath.rsplit("/", 1)[-1].removesuffix(".ipynb")
    if stem not in FUNCTION_EXERCISES:
        pytest.skip(f"{lab_nb.relpath} has no function exercise")
    var, wrong, right, hint = FUNCTION_EXERCISES[stem]
    cells = [(i, "".join(c["source"])) for i, c in enumerate(lab_nb.source["cells"]) if c["cell_type"] == "code"]
    index, src = next((i, s) for i, s in cells if re.match(rf"def {var}\(|{var}\s*=\s*None\b", s))
    rest = src[src.rindex("\nex."):]              # the skeleton (a def or `x = None`) goes, the check call stays
    assert hint in answer_in_lab(lab_nb, index, wrong + rest, "Not yet")
    assert "on every test case" in answer_in_lab(lab_nb, index, right + rest, "Right")
    progress = next(i for i, s in cells if s.strip() == "ex.show_progress()")
    lab_nb.notebook.locator(".jp-Cell").nth(progress).locator(".cm-content").click()
    lab_nb.page.keyboard.press("Control+Enter")
    out = lab_nb.notebook.locator(".jp-Cell").nth(progress).locator(".jp-OutputArea-output")
    out.filter(has_text=re.compile(rf"{var}[^\n]*✓ solved")).first.wait_for(timeout=WAIT_MS)


def test_data_files_unchanged(data_before):
    """Run last in this module: data/ is byte-identical after every notebook ran in JupyterLab."""
    if not data_before["ran"]:
        pytest.skip("no notebook ran in the browser")
    assert lh.data_digests() == data_before["digests"], f"running {data_before['ran']} changed files in data/"


def test_outputs_accessible_in_light_theme(lab_nb):
    """axe's WCAG rules on the output areas, and the contrast of every SVG text (the Dark run: test_dark_theme)."""
    import a11y
    assert a11y.theme_of(lab_nb.page) == "light"
    a11y.check_outputs(lab_nb)
