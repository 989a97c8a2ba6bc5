"""The stepper drawn in the browser (helpers/display/stepper.js), in JupyterLab Light and Dark.

Three steppers in one notebook: the worked example, the placements with sigmoid and BCE, and an edited dataset
given as rows. For each, 20 positions reached with the slider, the buttons, the stage buttons, the jumps and the
stepper's own ← → show exactly the numbers of `hp.train`'s History for the same set-up. Clicking a derivative
shows its chain factors and their product, equal to `maths.chain`'s; stage 3 lights the path of the factors;
moves still change the numbers while another cell keeps the kernel busy; Tab reaches every control and every
clickable quantity, each with an accessible name; a bad cell in the data table gets a message beside it.
"""

from __future__ import annotations

import labharness as lh
import numpy as np
import pytest
from labharness import require_browser
from test_notebooks_in_lab import STAGES, check_numbers, same

import helpers as hp
from helpers.maths import chain

pytestmark = pytest.mark.browser

ROWS = [[8, 8, 4], [7, 9, 5], [6, 10, 6], [5, 12, 7], [3, 4, 2]]
SETUPS = {   # name: (the call in the notebook, the History it must show)
    "worked": ("hp.stepper()", lambda: train(hp.load_students())),
    "placements": ('hp.stepper("placements", activation="sigmoid", loss="bce", lr=0.5)',
                   lambda: train(hp.load_placements(), lr=0.5, activation="sigmoid", loss="bce")),
    "edited": (f"hp.stepper(data={ROWS!r}, lr=0.002, epochs=3)",
               lambda: train(hp.Dataset(np.array(ROWS, float)[:, :2], np.array(ROWS, float)[:, 2], ("a", "b"), "y"),
                             lr=0.002, epochs=3)),
}
BUSY = ("import time\n"
        "def busy(seconds):\n"
        "    t0, n = time.perf_counter(), 0\n"
        "    while time.perf_counter() - t0 < seconds:\n"
        "        n += 1\n"
        "    return n")


def train(ds, lr=0.001, epochs=5, activation="linear", loss="mse"):
    return hp.train(hp.init_params([2, 2, 1]), ds.X, ds.y, lr=lr, epochs=epochs, activation=activation, loss=loss)


@pytest.fixture(scope="module", params=lh.THEMES)
def lab(request, lab_root, chromium, tmp_path_factory):
    """The three steppers' notebook, run in JupyterLab in one theme."""
    require_browser()
    cells = ["import helpers as hp"] + [call for call, _ in SETUPS.values()] + [BUSY, "n = 0"]
    lh.write_notebook(lab_root / "probes" / "steppers.ipynb", cells)
    server = lh.LabServer(lab_root, state_dir=tmp_path_factory.mktemp("lab-steppers"), theme=request.param).start()
    nb = lh.LabNotebook(chromium, server, "probes/steppers.ipynb",
                        workspace=f"steppers-{request.param.split()[-1].lower()}").open()
    nb.run_all()
    assert not nb.errors(), nb.errors()
    nb.page.locator(".bp-stepper").nth(2).wait_for()
    yield nb
    nb.close()
    server.shutdown_kernels()
    server.stop()


class View:
    """One stepper's output, read through the data attributes its renderer writes."""

    def __init__(self, nb, index: int):
        self.page = nb.page
        self.root = nb.notebook.locator(".jp-OutputArea-output").filter(has=nb.page.locator(".bp-stepper")).nth(index)
        self.stepper = self.root.locator(".bp-stepper")
        self.slider = self.stepper.locator("input[type=range]")

    def set(self, pos: int) -> None:
        """Drag the slider to `pos` (a range input cannot be filled: set its value and send its input event)."""
        self.slider.evaluate("(s, p) => { s.value = String(p); s.dispatchEvent(new Event('input', {bubbles: true})); }",
                             pos)

    def snapshot(self) -> dict:
        from test_notebooks_in_lab import _SNAPSHOT_JS
        return self.root.evaluate(_SNAPSHOT_JS)

    def at(self, pos: int) -> dict:
        k, s = divmod(pos, 4)
        self.root.locator(f".bp-stage[data-step='{k}'][data-stage='{STAGES[s]}']").wait_for(timeout=10_000)
        return self.snapshot()


def moves(view: View):
    """20 moves a learner makes, each with the position it must reach: slider keys, buttons, stage buttons,
    the stepper's own ← → (focus on the stepper, not on a control), and the jumps."""
    btn = lambda text: view.stepper.locator(f"button:text-is('{text}')")  # noqa: E731
    yield lambda: view.slider.press("ArrowRight"), 1
    yield lambda: view.slider.press("ArrowRight"), 2
    yield lambda: btn("next ▶").click(), 3
    yield lambda: btn("next ▶").click(), 4
    yield lambda: btn("◀ back").click(), 3
    yield lambda: (view.stepper.focus(), view.page.keyboard.press("ArrowRight")), 4
    yield lambda: view.page.keyboard.press("ArrowRight"), 5
    yield lambda: view.page.keyboard.press("ArrowRight"), 6
    yield lambda: view.page.keyboard.press("ArrowLeft"), 5
    yield lambda: btn("3 Derivatives").click(), 6
    yield lambda: btn("4 Update").click(), 7
    yield lambda: btn("1 Forward").click(), 4
    yield lambda: view.slider.press("End"), None        # the last stage
    yield lambda: view.slider.press("Home"), 0
    yield lambda: view.set(41), 41
    yield lambda: btn("2 Loss").click(), 41
    yield lambda: btn("next ▶").click(), 42
    yield lambda: (view.stepper.locator("input[aria-label='jump to epoch']").fill("2"),
                   view.stepper.locator("input[aria-label='jump to epoch']").press("Enter")), "epoch 2"
    yield lambda: view.stepper.locator("select[aria-label='jump to student']").select_option(label="student 3"), \
        "student 3"
    yield lambda: view.slider.press("PageDown"), "moved"


@pytest.mark.parametrize("index, name", list(enumerate(SETUPS)))
def test_twenty_positions_show_historys_numbers(lab, index, name):
    view = View(lab, index)
    hist = SETUPS[name][1]()
    view.root.scroll_into_view_if_needed()
    top = 4 * hist.n_steps - 1
    pos = 0
    check_numbers(view.at(0), hist, 0, "forward")
    seen = set()
    for act, target in moves(view):
        before = pos
        act()
        if target is None:
            target = top
        elif target == "epoch 2":
            target = 4 * hist.step_index(2, hist.steps[pos // 4].student) + pos % 4
        elif target == "student 3":
            target = 4 * hist.step_index(hist.steps[pos // 4].epoch, 3) + pos % 4
        elif target == "moved":
            view.page.wait_for_function("([s, p]) => +s.value !== p", arg=[view.slider.element_handle(), before])
            target = int(view.slider.input_value())
        target = min(target, top)
        snap = view.at(target)
        k, s = divmod(target, 4)
        check_numbers(snap, hist, k, STAGES[s])
        pos = target
        seen.add(target)
    assert len(seen) >= 12, seen


def explained(view: View) -> dict:
    return view.root.evaluate("""(root) => {
      const e = root.querySelector('.bp-explainer');
      return {param: e.dataset.param, name: e.dataset.name, product: e.dataset.product, grad: e.dataset.grad,
              factors: [...e.querySelectorAll('button.bp-factor')].map(b => b.dataset.value),
              text: e.innerText, rule: (e.querySelector('.bp-rule') || {}).innerText || null};
    }""")


def test_a_click_explains_every_derivative_with_the_chain_factors(lab):
    view = View(lab, 0)
    hist = SETUPS["worked"][1]()
    view.set(2)                                     # step 1, derivatives
    view.at(2)
    sn = hist.steps[0]
    fit = view.root.evaluate("""(r) => { const box = r.querySelector('.bp-eqs').getBoundingClientRect();
      return [...r.querySelectorAll('.bp-deriv')].map(d => { const b = d.getBoundingClientRect();
        return b.top >= box.top - 1 && b.bottom <= box.bottom + 1 && b.right <= box.right + 1; }); }""")
    note = view.stepper.locator(".bp-hint[aria-live]").first.inner_text()
    assert all(fit) or "Out of view" in note, (fit, note)   # the nine fit at 1280 wide, or the panel says which not
    assert len(fit) == 9
    for n in hist.names:
        view.stepper.locator(f".bp-deriv[data-param='{n}']").click()
        e = explained(view)
        fs = chain.factors(n, sn.layer_sizes, sn.activation, sn.loss_name, sn.y, sn.z, sn.O, sn.before, sn.grad)
        assert e["param"] == n and e["factors"] == [hp.fmt(f.value) for f in fs], (n, e)
        assert e["product"] == hp.fmt(chain.product(fs)) == e["grad"] == hp.fmt(sn.grad(n))
        lit = view.root.evaluate("(r) => [...r.querySelectorAll('svg.bp-diagram .bp-on')].map(e => "
                                 "e.dataset.node || e.dataset.param).sort()")
        from helpers.display import svg
        assert lit == sorted(svg.stage_highlight(sn, 2, n)), (n, lit)      # the path of the factors, lit
    view.stepper.locator(".bp-deriv[data-param='w11^1']").click()
    assert explained(view)["text"].startswith("∂L/∂w111 = ∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w111 = 56 · 1 · 8 = 448")
    view.stepper.locator(".bp-explainer button.bp-factor[data-factor='2']").click()   # one click further: the rule
    assert explained(view)["rule"] == "∂O11/∂w111 = xi1 = 8, with xi1 = 8"
    node = view.stepper.locator("svg.bp-diagram g.bp-node[data-node='O11']")         # the keyboard: focus + Enter
    node.focus()
    node.press("Enter")
    assert explained(view)["text"] == "O11 = w111·xi1 + w211·xi2 + b11 = 1·8 + 1·8 + 0 = 16"


def test_the_placements_explain_with_sigmoid_factors(lab):
    view = View(lab, 1)
    hist = SETUPS["placements"][1]()
    view.set(22)                                    # step 6, derivatives
    view.at(22)
    sn = hist.steps[5]
    view.stepper.locator("table.bp-params tr[data-param='w22^1']").click()
    e = explained(view)
    fs = sn.factors("w22^1")
    assert e["factors"] == [hp.fmt(f.value) for f in fs] and e["product"] == hp.fmt(chain.product(fs))
    assert same(e["grad"], sn.grad("w22^1"))


def test_moves_need_no_kernel(lab):
    view = View(lab, 0)
    hist = SETUPS["worked"][1]()
    cell = lab.notebook.locator(".jp-Cell").last
    cell.locator(".cm-content").click()
    lab.page.keyboard.press("Control+A")
    lab.page.keyboard.insert_text("n = busy(8)")
    lab.page.keyboard.press("Control+Enter")
    lab.page.locator(".jp-Notebook-ExecutionIndicator[data-status='busy']").first.wait_for(timeout=10_000)
    view.set(0)
    for pos in range(1, 9):
        view.slider.press("ArrowRight")
        check_numbers(view.at(pos), hist, pos // 4, STAGES[pos % 4])
    busy = lab.page.locator(".jp-Notebook-ExecutionIndicator[data-status='busy']").count()
    assert busy, "the kernel finished before the moves did: the test proved nothing"
    lab.wait_kernel_idle()


def test_tab_reaches_every_control_and_quantity_each_named(lab):
    view = View(lab, 0)
    view.set(2)
    view.at(2)
    view.stepper.focus()
    reached = []
    for _ in range(140):
        lab.page.keyboard.press("Tab")
        info = view.root.evaluate("""(root) => { const a = document.activeElement;
          if (!root.contains(a)) return null;
          const name = a.getAttribute('aria-label') || (a.labels && a.labels[0] && a.labels[0].innerText)
                       || a.innerText.trim();
          const focusRing = getComputedStyle(a).outlineStyle !== 'none' || a.closest('svg') !== null;
          return {key: a.dataset.explain || a.getAttribute('aria-label') || a.innerText.trim(), name, focusRing}; }""")
        if info is None:
            break
        reached.append(info)
    keys = {r["key"] for r in reached}
    assert all(r["name"] for r in reached), [r for r in reached if not r["name"]]
    assert all(r["focusRing"] for r in reached), [r for r in reached if not r["focusRing"]]
    wanted = {"previous stage", "play", "position: step and stage", "next stage", "jump to epoch", "jump to student",
              "learning rate η", "initial weights", "epochs", "copy this set-up as one line of Python"}
    assert wanted <= keys, wanted - keys
    assert set(hp.PARAM_NAMES) <= keys                 # the derivatives, table rows, edges and biases
    assert {"x_i1", "O11", "O21", "L"} <= keys          # the diagram's neurons and the loss


def test_copy_setup_and_a_bad_cell(lab):
    view = View(lab, 2)
    view.set(9)
    view.at(9)
    view.stepper.locator("button:text-is('copy this set-up')").click()
    line = view.stepper.locator(".bp-setup code").inner_text()
    assert line == f'hp.stepper(data={ROWS!r}, lr=0.002, weight=1, epochs=3, step=3, stage="loss")'   # as shown
    view.stepper.locator("details.bp-data summary").click()
    cell = view.stepper.locator("input[aria-label='row 2, x_i1']")
    cell.fill("seven")
    cell.press("Enter")
    msg = view.stepper.locator(".bp-data .bp-error")
    msg.filter(has_text="row 2, column x_i1: expected a number, got 'seven'").wait_for(timeout=10_000)
    assert cell.get_attribute("aria-invalid") == "true"
    hist = SETUPS["edited"][1]()                             # the last good data still shows
    view.slider.press("ArrowRight")
    check_numbers(view.at(10), hist, 2, "derivatives")
    cell.fill("1")
    cell.press("Enter")
    rows = [r[:] for r in ROWS]
    rows[1][0] = 1
    new = train(hp.Dataset(np.array(rows, float)[:, :2], np.array(rows, float)[:, 2], ("a", "b"), "y"),
                lr=0.002, epochs=3)
    lab.page.wait_for_function("(r) => r.querySelector(\"table.bp-params tr[data-param='w11^1']\").dataset.after "
                               f"=== {hp.fmt(new.steps[2].after('w11^1'))!r}", arg=view.root.element_handle())
    check_numbers(view.at(10), new, 2, "derivatives")


def test_outputs_accessible(lab):
    import a11y
    a11y.check_outputs(lab)
