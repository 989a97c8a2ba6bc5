"""notebooks/01_what.ipynb: the figures it states are what helpers computes, checked against hand arithmetic;
its exercise checkers accept the right answers and reject wrong ones; its helpers reject bad input."""

import json
from pathlib import Path

import matplotlib
import nbtext
import numpy as np
import pytest

import helpers as hp
from helpers.maths import notation

matplotlib.use("Agg")   # this test process only; the notebooks' kernels are separate processes

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01_what.ipynb"
X1, Y1 = np.array([8.0, 8.0]), 4.0          # student 1, as in data/students.csv
X2, Y2 = np.array([7.0, 9.0]), 5.0          # student 2


def ones():
    return hp.init_params([2, 2, 1], weight=1.0, bias=0.0)


def notebook_text(kind: str) -> str:
    """All markdown sources or all stored text outputs of 01_what.ipynb."""
    return nbtext.notebook_text("01_what.ipynb", kind)


# ---- sections 3 to 8: the data, the network, the forward pass, the loss ----

def test_dataset_and_parameter_names():
    ds = hp.load_students()
    assert [tuple(r.values()) for r in ds.rows()] == [(8, 8, 4), (7, 9, 5), (6, 10, 6), (5, 12, 7)]
    assert list(ds.rows()[0]) == ["cgpa", "profile_score", "lpa"]
    assert hp.param_names([2, 2, 1]) == ["w11^1", "w12^1", "w21^1", "w22^1", "b11", "b12", "w11^2", "w21^2", "b21"]
    assert len(hp.param_names([2, 2, 1])) == 2 * 2 + 2 + 2 * 1 + 1 == 9


def test_forward_student1_by_hand():
    fw = hp.forward(ones(), X1)
    O11, O12 = 1 * 8 + 1 * 8 + 0, 1 * 8 + 1 * 8 + 0
    assert (O11, O12) == (16, 16)
    assert list(fw.O[1]) == [O11, O12]
    assert fw.O[2][0] == 1 * O11 + 1 * O12 + 0 == 32


def test_untrained_predictions_losses_and_mse():
    ds = hp.load_students()
    by_hand = [2 * (c + p) for c, p in ds.X.tolist()]          # every weight 1: ŷ = 2·(cgpa + profile)
    assert by_hand == [32, 32, 32, 34]
    assert hp.predict(ones(), ds.X).tolist() == by_hand
    losses = [(t - p) ** 2 for t, p in zip([4, 5, 6, 7], by_hand)]
    assert losses == [784, 729, 676, 729]
    assert hp.per_sample_loss(ds.y, hp.predict(ones(), ds.X)).tolist() == losses
    assert hp.mean_loss(ones(), ds.X, ds.y) == sum(losses) / 4 == 729.5
    assert "per-sample losses: [784. 729. 676. 729.]  mean loss: 729.5" in notebook_text("outputs")
    assert float(hp.per_sample_loss(Y1, 32.0)) == (4 - 32) ** 2 == 784


# ---- section 5: gradient descent on one weight ----

def test_one_weight_figures():
    assert hp.one_weight_slope(1.0) == -2 * 8 * (4 - 8 * 1.0) == 64
    assert hp.one_weight_step(1.0, 0.005) == pytest.approx(1 - 0.005 * 64) == pytest.approx(0.68)
    assert hp.one_weight_loss(0.5) == 0.0
    assert hp.one_weight_loss(1.0) == (4 - 8) ** 2 == 16


def test_one_weight_slider_updates_its_numbers():
    box = hp.one_weight_slider(w=1.0, lr=0.005)
    assert "1 − 0.005·64 = <b>0.68</b>" in box.numbers.value and "L = (4 − ŷ)² = 16<" in box.numbers.value
    w_slider, lr_slider = box.sliders
    w_slider.value = 0.5
    assert "dL/dw = −16·(4 − ŷ) = 0<" in box.numbers.value and "<b>0.5</b>" in box.numbers.value
    w_slider.value = 0.2
    lr_slider.value = 0.01
    assert "= -38.4<" in box.numbers.value and f"<b>{hp.fmt(0.2 + 0.01 * 38.4)}</b>" in box.numbers.value
    assert box.figure.value.startswith("<svg class='bp-chart'") and "at w = 0.2, L = 5.76" in box.figure.value


# ---- sections 11 and 12: the chain rule and all nine derivatives ----

def test_chain_rule_nudges_by_hand():
    # L(w11^1) = (4 - (8·w + 8 + 16))^2 = (8w + 20)^2, so (L(1 + h) - L(1)) / h = 448 + 64h.
    for h, expected in ((0.1, 454.4), (0.01, 448.64), (0.001, 448.064)):
        nudged = ones()
        nudged["W1"][0, 0] += h
        assert (hp.mean_loss(nudged, X1, Y1) - 784) / h == pytest.approx(expected, abs=1e-9)
    assert ((Y1 - (32 + 0.001)) ** 2 - 784) / 0.001 == pytest.approx(56.001, abs=1e-9)


def test_all_nine_derivatives_student1():
    dL = -2 * (4 - 32)
    assert dL == 56
    by_hand = {"w11^2": dL * 16, "w21^2": dL * 16, "b21": dL,
               "w11^1": dL * 1 * 8, "w21^1": dL * 1 * 8, "b11": dL * 1,
               "w12^1": dL * 1 * 8, "w22^1": dL * 1 * 8, "b12": dL * 1}
    assert (by_hand["w11^2"], by_hand["w11^1"], by_hand["b11"]) == (896, 448, 56)
    table = hp.chain_table(ones(), X1, Y1)
    assert [r.name for r in table.rows] == list(by_hand)
    for r in table.rows:
        assert r.value == by_hand[r.name]
        assert table.backprop[r.name] == by_hand[r.name]
        assert table.numeric[r.name] == pytest.approx(by_hand[r.name], rel=1e-7)
    assert " × ".join(hp.fmt(f.value) for f in table.rows[3].factors) == "56 × 1 × 8"
    check = hp.check_gradients(ones(), X1, Y1)
    assert check.verdict == "good" and check.rel_error < 1e-7           # what section 12 prints and explains
    g, n = hp.flatten(hp.gradients(ones(), X1, Y1)), hp.flatten(hp.numerical_gradients(ones(), X1, Y1))
    assert check.rel_error == pytest.approx(np.linalg.norm(g - n) / (np.linalg.norm(g) + np.linalg.norm(n)),
                                            rel=1e-6)
    assert "verdict: 'good'" in notebook_text("outputs")
    # each entry's relative error |a - n| / (|a| + |n|), and the overall one over all nine, as section 12 says
    assert check.entry_errors == pytest.approx(np.abs(g - n) / (np.abs(g) + np.abs(n)), rel=1e-4)   # to rounding
    shown = notebook_text("outputs")
    rel = np.abs(g - n) / (np.abs(g) + np.abs(n))
    worst = [name for name, r in zip(notation.PARAM_NAMES, rel) if r == rel.max()]
    assert worst == ["b11", "b12", "b21"]           # "the worst entries, the biases": gradients of 56, off by ~1e-8
    assert (f"relative error: largest entry {check.entry_errors.max():.1e} (b11, b12, b21), all nine "
            f"{check.rel_error:.1e}   verdict: 'good'") in shown
    assert check.rel_error < check.entry_errors.max() / 10           # "all nine score lower than the worst entry"
    text = notebook_text("markdown")
    assert "\\dfrac{|a - n|}{|a| + |n|}" in text and "\\lVert a - n \\rVert" in text
    assert "relative difference" not in text and "sums up" not in text


def test_centred_difference_as_section_12_explains_it():
    """One-sided: wrong in proportion to ε (section 11's 454.4, 448.64, 448.064 are 448 + 64ε). Centred: the
    bend cancels and ε²/6 times the third derivative is left, so for L, a parabola in one parameter, nothing."""
    L0 = hp.mean_loss(ones(), X1, Y1)
    for eps in (0.1, 0.01, 0.001):
        up, down = ones(), ones()
        up["W1"][0, 0] += eps
        down["W1"][0, 0] -= eps
        L_up, L_down = hp.mean_loss(up, X1, Y1), hp.mean_loss(down, X1, Y1)
        assert (L_up - L0) / eps == pytest.approx(448 + 64 * eps, abs=1e-8)
        assert (L_up - L_down) / (2 * eps) == pytest.approx(448, abs=1e-8)
    for eps in (0.1, 0.01):                       # w³ at w = 1: slope 3, third derivative 6
        assert ((1 + eps) ** 3 - (1 - eps) ** 3) / (2 * eps) - 3 == pytest.approx(eps ** 2 / 6 * 6, rel=1e-6)
    text = notebook_text("markdown")
    assert "\\frac{L(w + \\varepsilon) - L(w - \\varepsilon)}{2\\varepsilon}" in text
    assert "$h" not in text and "h = " not in text                   # ε, never h


def test_chain_rows_follow_other_parameters():
    params = hp.init_params([2, 2, 1], weight=None, seed=3)
    rows = hp.chain_rows(params, X2, Y2)
    grads = hp.as_named(hp.gradients(params, X2, Y2))
    for r in rows:
        assert r.value == pytest.approx(grads[r.name], rel=1e-12, abs=1e-12)


def test_paths_add_for_an_input_by_hand():
    # ŷ = w11^2 (w11^1 x1 + w21^1 x2 + b11) + w21^2 (w12^1 x1 + w22^1 x2 + b12) + b21, so
    # ∂ŷ/∂x1 = w11^2·w11^1 + w21^2·w12^1 = 1·1 + 1·1, and ∂L/∂x1 = ∂L/∂ŷ · that = 56 · 2.
    through_O11, through_O12 = 56 * 1 * 1, 56 * 1 * 1
    assert (through_O11, through_O12, through_O11 + through_O12) == (56, 56, 112)
    p = ones()
    paths = hp.gradients(p, X1, Y1)["b1"] * p["W1"][0]          # what the notebook's cell computes
    assert paths.tolist() == [through_O11, through_O12]
    h, e1 = 1e-3, np.array([1.0, 0.0])                           # L is quadratic in x: the centred difference is exact
    nudge = (hp.mean_loss(p, X1 + h * e1, Y1) - hp.mean_loss(p, X1 - h * e1, Y1)) / (2 * h)
    assert nudge == pytest.approx(112, rel=1e-9)
    # at random weights the sum of the two paths is still the input's derivative
    q = hp.init_params([2, 2, 1], weight=None, seed=5)
    both = (hp.gradients(q, X2, Y2)["b1"] * q["W1"][0]).sum()
    fd = (hp.mean_loss(q, X2 + h * e1, Y2) - hp.mean_loss(q, X2 - h * e1, Y2)) / (2 * h)
    assert both == pytest.approx(fd, rel=1e-7)
    assert ("through O11: 56   through O12: 56   sum: 112   centred difference in x11: 112.0000"
            in notebook_text("outputs"))


# ---- section 13: the first update and the first epoch ----

def test_first_update_by_hand():
    new = hp.as_named(hp.sgd_step(ones(), hp.gradients(ones(), X1, Y1), 0.001))
    expected = {"w11^1": 1 - 0.448, "w12^1": 1 - 0.448, "w21^1": 1 - 0.448, "w22^1": 1 - 0.448,
                "b11": -0.056, "b12": -0.056, "w11^2": 1 - 0.896, "w21^2": 1 - 0.896, "b21": -0.056}
    assert new == pytest.approx(expected, abs=1e-12)
    assert [hp.fmt(new[n]) for n in ("w11^1", "b11", "w11^2")] == ["0.552", "-0.056", "0.104"]


def test_first_epoch_by_hand():
    hist = hp.train(ones(), hp.load_students().X, hp.load_students().y, lr=0.001, epochs=1)
    O = 0.552 * 7 + 0.552 * 9 - 0.056                     # student 2 after the first update
    y_hat2 = 0.104 * O * 2 - 0.056
    assert y_hat2 == pytest.approx(1.769408, abs=1e-12)
    assert hist.steps[1].y_hat == pytest.approx(y_hat2, abs=1e-12)
    assert hist.steps[1].loss == pytest.approx((5 - y_hat2) ** 2, abs=1e-9)
    assert hist.steps[0].loss == 784
    assert hist.epoch_loss[0] == pytest.approx(np.mean([s.loss for s in hist.steps]), rel=1e-12)
    assert hist.epoch_loss[0] == pytest.approx(203.2385184, abs=1e-6)
    assert f"{hist.epoch_loss[0]:.4f}" == hp.fmt(hist.epoch_loss[0], 7)           # what the cell prints
    assert f"epoch loss of epoch 1: {hist.epoch_loss[0]:.4f}" in notebook_text("outputs")


# ---- section 15: convergence and the exact fit ----

def test_convergence_and_exact_fit():
    ds = hp.load_students()
    assert ds.y.tolist() == [12 - c for c in ds.X[:, 0]]          # lpa = 12 - cgpa
    assert ds.X.sum(axis=1).tolist() == [16, 16, 16, 17]
    A = np.column_stack([ds.X, np.ones(4)])
    assert np.linalg.lstsq(A, ds.y, rcond=None)[0] == pytest.approx([-1, 0, 12], abs=1e-9)
    hist = hp.train(ones(), ds.X, ds.y, lr=0.001, epochs=20_000)
    assert not hist.diverged and hist.n_steps == 80_000
    losses = hist.epoch_loss
    assert losses[0] > 200 and losses[499] < 0.05 and losses[-1] < losses[999] < losses[499]
    assert np.abs(hp.predict(hist.params, ds.X) - ds.y).max() < 0.3
    p = hist.params
    a, c = (p["W1"] @ p["W2"]).ravel()
    assert abs(a + 1) > 0.5 and abs(c) > 0.5         # far from the exact coefficients, as the notebook says
    slopes, intercept = hp.collapse_linear(p)
    assert slopes == pytest.approx(p["W1"] @ p["W2"], rel=1e-12)
    for j in range(2):                      # c_j = w_j1^1 w_11^2 + w_j2^1 w_21^2: input j's two paths, added
        assert slopes[j, 0] == pytest.approx(p["W1"][j, 0] * p["W2"][0, 0] + p["W1"][j, 1] * p["W2"][1, 0])
    assert intercept == pytest.approx(p["b1"] @ p["W2"] + p["b2"], rel=1e-12)
    assert hp.predict(p, ds.X) == pytest.approx(ds.X @ slopes[:, 0] + intercept[0], rel=1e-12)
    # the prose of section 15: down in epoch 2, up in epochs 3 and 4, down every epoch after; c₀ far from 12
    assert [round(hist.epoch_at(e), n) for e, n in ((1, 1), (2, 3), (4, 3), (10, 3), (500, 5), (20_000, 5))] == [
        203.2, 1.161, 1.451, 1.376, 0.04626, 0.03886]
    rises = [e for e in range(2, hist.epochs + 1) if losses[e - 1] > losses[e - 2]]      # a direct count
    assert rises == [3, 4] and hp.rising_epochs(hist) == (3, 4, 2)
    assert round(float(intercept[0]), 3) == 0.541
    text = notebook_text("markdown")
    for claim in ("drops to 1.161 in epoch 2, rises in epochs 3 and 4 (to 1.451), and from then on\nfalls every "
                  "epoch: 1.376 at epoch 10, 0.04626 at epoch 500", "0.03886",
                  "$c = (-0.162, 0.616)$ and $c_0 = 0.541$, not $-1$, 0 and 12",
                  "nearly flat valley of the loss\n(03 §5, §6)", "gives the plane (two inputs)",
                  "$c_j = w_{j1}^{1} w_{11}^{2} + w_{j2}^{1} w_{21}^{2}$"):
        assert claim in text, claim
    assert "two stages" not in text and "The second line says why" not in text
    shown = notebook_text("outputs")
    assert "epochs where the epoch loss rises (first, last, how many): (3, 4, 2)" in shown
    assert "c₀ (intercept)" in shown and "c0 (intercept)" not in shown
    miss = np.max(np.abs(ds.X @ slopes[:, 0] + intercept[0] - ds.y))       # by the collapsed rule, not predict
    assert f"largest miss of the network: {miss:.2f}" in shown and miss < 0.3  # "close to the exact fit"
    assert hp.fmt(miss, 2) == f"{miss:.2f}"                      # the cell prints it with fmt: no 70-digit number
    # "a linear function plus a constant, an affine one": the intercept is not 0
    assert "computes one *affine* function, linear plus a constant" in text and abs(intercept[0]) > 0.5


def test_epoch_table_shows_only_trained_epochs_and_the_last():
    ds = hp.load_students()
    hist = hp.train(ones(), ds.X, ds.y, lr=0.001, epochs=50)
    t = hp.epoch_table(hist, epochs=(1, 10, 100, 500))
    assert [r[0] for r in t.rows] == [1, 10, 50] and t.rows[1][1] == hist.epoch_loss[9]
    assert t.columns == ("epoch", "epoch loss")
    diverged = hp.train(ones(), ds.X, ds.y, lr=1e6, epochs=5)
    assert diverged.diverged and not diverged.epoch_loss
    with pytest.raises(ValueError, match="no full epoch to show. Training diverged"):
        hp.epoch_table(diverged)
    with pytest.raises(ValueError, match="epochs count from 1"):
        hp.epoch_table(hist, epochs=(0, 10))
    with pytest.raises(TypeError, match="epochs"):
        hp.epoch_table(hist, epochs=10)


# ---- the notebook states these figures and shows them ----

def test_notebook_states_and_shows_the_reference_figures():
    text = notebook_text("markdown")
    for claim in ("1 \\cdot 8 + 1 \\cdot 8 + 0 = 16", "1 \\cdot 16 + 1 \\cdot 16 + 0 = 32", "= 784",
                  "-2(4 - 32) = 56", "56 \\cdot 1 \\cdot 8 = 448", "lpa} = 12 - \\text{cgpa}"):
        assert claim in text, claim
    shown = notebook_text("outputs")
    for figure in ("O11 = 16   O12 = 16   ŷ = 32", "L = 784", "mean loss: 729.5", "56 × 1 × 8 = 448", "w11^2  56 × 16",
                   "896", "0.552", "-0.056", "0.104", "Not answered yet"):
        assert figure in shown, figure


def test_notebook_exercise_cells_hold_no_solutions():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    sources = [src for src in code if "ex.check_" in src]
    assert len(sources) >= 5
    for src in sources:
        assert "= None" in src or "return None" in src
        assert not any(answer in src for answer in ("5.25", "= 16", "1080", "= 'a little higher'",
                                                  "lr * grads")), src


# ---- bad input gets a clear error ----

def test_bad_input():
    with pytest.raises(ValueError, match="lr"):
        hp.one_weight_step(1.0, 0)
    with pytest.raises(TypeError, match="w"):
        hp.one_weight_loss("one")
    with pytest.raises(ValueError, match="2-2-1"):
        hp.chain_rows(hp.init_params([2, 3, 1]), X1, Y1)
    with pytest.raises(ValueError, match="one student"):
        hp.chain_rows(ones(), np.array([X1, X2]), np.array([Y1, Y2]))
    with pytest.raises(ValueError, match="rows"):
        hp.table([])
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        hp.table([(1, 2), (3,)], ["a", "b"])
    with pytest.raises(ValueError, match="columns"):
        hp.table([(1, 2)])
    with pytest.raises(ValueError, match="x, y and y_hat"):
        hp.plot_learned_vs_exact([1, 2], [1, 2], [1, 2, 3], [0, 1], [0, 1])


def test_plots_draw():
    assert hp.plot_dependencies().get_title() == ""
    ax = hp.plot_one_weight(1.0, 0.005)
    assert ax.get_xlabel() == "w"
    ax = hp.plot_learned_vs_exact([8, 7], [4, 5], [4.1, 4.9], [4.5, 8.5], [7.5, 3.5])
    assert ax.get_legend() is not None
    matplotlib.pyplot.close("all")


def test_table_formats_numbers():
    t = hp.table([(10_000, 0.5519999999999999, -0.0, 2.0)], ["n", "w", "z", "f"], digits=4)
    assert repr(t).splitlines()[1].split() == ["10000", "0.552", "0", "2"]
    assert "<td>0.552</td>" in t._repr_html_()
