"""The "Why" notebook: every figure it states is what helpers computes, checked against independent
computations; its exercise checkers accept right answers found another way and reject wrong ones; its widgets
update when driven; its live-timing cells are the only ones whose output is not compared."""

import json
from pathlib import Path

import numpy as np
import pytest

import helpers as hp

NB = Path(__file__).resolve().parents[2] / "notebooks" / "03_why.ipynb"
DS = hp.load_students()
START = hp.init_params([2, 2, 1], weight=0.1)


@pytest.fixture(scope="module")
def cells():
    return [c for c in json.loads(NB.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def output_of(cells, snippet: str) -> str:
    """All the text a code cell (found by a snippet of its source) showed: streams and text/plain."""
    found = [c for c in cells if snippet in "".join(c["source"])]
    assert len(found) == 1, f"expected one cell containing {snippet!r}, found {len(found)}"
    text = []
    for o in found[0]["outputs"]:
        if o["output_type"] == "stream":
            text.append("".join(o["text"]))
        elif "text/plain" in o.get("data", {}):
            text.append("".join(o["data"]["text/plain"]))
    return "\n".join(text).strip()


def sgd_by_hand(params, X, y, lr, epochs):
    """Per-sample descent with rows in order, from hp.gradients and hp.sgd_step (not hp.train)."""
    p = params
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            for x, t in zip(X, y):
                p = {k: v - lr * g for (k, v), g in zip(p.items(), hp.gradients(p, x, t).values())}
                if not all(np.all(np.isfinite(v)) for v in p.values()):
                    return p, True
    return p, False


# ---- the notebook as a file ----

def test_cells_are_executed_in_order_without_errors(cells):
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1))
    assert not [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]


def test_only_setup_and_live_timing_cells_skip_comparison(cells):
    ignored = [c for c in cells if "".join(c["source"]).startswith("# NBVAL_IGNORE_OUTPUT")]
    assert ignored[0] is cells[0] and "Versions" in "".join(cells[0]["source"])
    timing = ignored[1:]
    assert len(timing) == 2
    assert all("Live timings" in "".join(c["source"]) or "live timings" in "".join(c["source"]) for c in timing)
    assert all("time_gradients" in "".join(c["source"]) or "times" in "".join(c["source"]) for c in timing)


def test_code_cells_are_short(cells):
    for c in cells[1:]:                      # the setup cell holds all the imports
        lines = [ln for ln in "".join(c["source"]).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        assert len(lines) <= 6, "".join(c["source"])


# ---- 1 against the gradient ----

def test_stepping_against_the_slope_lowers_the_loss(cells):
    w, lr = 1.0, 0.005
    slope = -2 * 8 * (4 - 8 * w)                      # dL/dw of (4 - 8w)^2, by hand
    down, up = (4 - 8 * (w - lr * slope)) ** 2, (4 - 8 * (w + lr * slope)) ** 2
    out = output_of(cells, "against, along")
    assert "0.68" in out and hp.fmt(down) in out and hp.fmt(up) in out
    assert down < 16 < up


# ---- 2 learning rates ----

def test_the_four_rates_behave_as_the_text_says(cells):
    runs = {lr: hp.train(START, DS.X, DS.y, lr=lr, epochs=100) for lr in (1e-4, 1e-3, 1e-2, 2e-2)}
    assert runs[2e-2].diverged and not any(runs[lr].diverged for lr in (1e-4, 1e-3, 1e-2))
    assert runs[1e-3].epoch_loss[-1] < min(runs[1e-4].epoch_loss[-1], runs[1e-2].epoch_loss[-1])
    assert np.sum(np.diff(runs[1e-2].epoch_loss) > 1) > 5            # it jumps up and down
    assert np.all(np.diff(runs[1e-4].epoch_loss) < 0)                  # it creeps down
    assert sgd_by_hand(START, DS.X, DS.y, 0.02, 100)[1]                  # diverges without hp.train too
    assert output_of(cells, 'runs["diverging').strip("'") == runs[2e-2].message


def test_the_largest_stable_rate(cells):
    largest = hp.largest_stable_lr(START, DS.X, DS.y, lo=1e-6, hi=10.0, rtol=1e-3)
    assert output_of(cells, "largest_stable_lr(start").strip("'") == \
        f"largest stable η found by bisection: {largest:.5f}"
    hist = hp.train(START, DS.X, DS.y, lr=largest, epochs=200)      # stable by the stated criterion
    assert not hist.diverged and hist.epoch_loss[-1] < hp.mean_loss(START, DS.X, DS.y)
    edge = hp.stability_edge(START, DS.X, DS.y, np.linspace(0.0095, 0.0135, 81))
    assert round(edge.safe_up_to, 4) == 0.01 and round(edge.unstable_from, 4) == 0.0124   # as the solutions say
    assert edge.safe_up_to < largest < edge.unstable_from             # "one of the lucky ones"
    out = output_of(cells, "stability_edge(start")
    assert f"every η up to {hp.fmt(edge.safe_up_to, 4)} is stable; every η from {hp.fmt(edge.unstable_from, 4)}" in out
    ax = hp.plot_stability_scan(edge, marks={"bisection": largest})
    assert len(ax.lines) == 3 and ax.lines[0].get_ydata().size == edge.stable.sum()


# ---- 3 cost ----

def test_cost_figures(cells):
    assert output_of(cells, "chain_rule_mults([2, 2, 1])") == "{'separate': 21, 'shared': 9}"
    nets = [[2, 2, 1]] + [[2, h, h, 1] for h in (2, 4, 8, 16, 32, 64, 128)]
    out = output_of(cells, "hp.cost_rows(nets)")
    for r in hp.cost_table(nets):
        assert 2.5 <= r.backprop / hp.forward_mults(r.layer_sizes) <= 3   # "between 2.5 and 3 forward passes"
        assert f"{r.finite_differences}" in out and hp.fmt(round(r.ratio, 1)) in out
    assert hp.cost_table([[2, 128, 128, 1]])[0].n_params == 17025
    assert hp.cost_table([[2, 128, 128, 1]])[0].ratio > 10_000         # "more than ten thousand times"


# ---- 4 symmetry ----

def test_equal_weights_stay_equal_and_random_ones_do_not(cells):
    same, _ = sgd_by_hand(START, DS.X, DS.y, 0.001, 100)
    assert np.array_equal(same["W1"][:, 0], same["W1"][:, 1]) and np.array_equal(same["W2"][0], same["W2"][1])
    assert output_of(cells, "np.array_equal(W1[:, 0]") == "(True, True)"
    rand = hp.train(hp.init_params([2, 2, 1], weight=None, seed=0), DS.X, DS.y, lr=0.001, epochs=100).params
    assert not np.array_equal(rand["W1"][:, 0], rand["W1"][:, 1])
    assert "identical" in hp.symmetry_html(same) and "different" in hp.symmetry_html(rand)


# ---- 5 landscape ----

def test_per_sample_is_further_along(cells):
    paths = hp.descent_paths(START, DS.X, DS.y, ("w11^1", "w11^2"), lr=0.001, epochs=100)
    losses = {k: round(h.epoch_loss[-1], 4) for k, h in paths.items()}
    assert losses["per-sample"] < losses["full batch"]
    assert output_of(cells, "{label: round(h.final_loss, 4)") == repr(losses)
    assert output_of(cells, "steps_per_epoch") == "{'per-sample': 4, 'full batch': 1}"


# ---- 6 scaling ----

def test_scaling_figures(cells):
    big = hp.load_students_large()
    Xs, _, _ = hp.standardise(big.X)
    lin, m = hp.init_params([2, 1], weight=0.0), len(big.y)
    raw_lr = hp.largest_stable_lr(lin, big.X, big.y, batch_size=m)
    std_lr = hp.largest_stable_lr(lin, Xs, big.y, batch_size=m)
    assert output_of(cells, "raw_lr = hp.largest").strip("'") == \
        f"largest stable η: raw inputs {raw_lr:.3g}, standardised inputs {std_lr:.3g}"
    for X, found in ((big.X, raw_lr), (Xs, std_lr)):                # theory: lr < 2 / λ_max(Hessian)
        Xa = np.c_[X, np.ones(m)]
        assert found == pytest.approx(2 / np.linalg.eigvalsh(2 * Xa.T @ Xa / m)[-1], rel=0.02)
    assert 100 < big.X[:, 1].mean() < 120                              # "about 110 times"
    net = hp.init_params([2, 2, 1], weight=0.1)                         # "the same happens in the 2-2-1 network"
    found = [hp.largest_stable_lr(net, X, big.y, batch_size=m, rtol=1e-2) for X in (big.X, Xs)]
    assert found[1] > 100 * found[0]
    # two digits: bisection on a ragged edge lands on 0.0011548 on one CPU and 0.0011551 on another
    assert output_of(cells, "net = hp.init_params") == repr([hp.fmt(v, 2) for v in found])
    out = output_of(cells, "def outcome")
    assert out.count("diverged") == 3
    raw = hp.train(lin, big.X, big.y, lr=0.9 * raw_lr, epochs=100, batch_size=m)
    scaled = hp.train(lin, Xs, big.y, lr=0.9 * std_lr, epochs=100, batch_size=m)
    assert output_of(cells, "loss after 100 epochs").strip("'") == \
        f"loss after 100 epochs: raw {raw.epoch_loss[-1]:.4f}, standardised {scaled.epoch_loss[-1]:.4f}"
    best = np.linalg.lstsq(np.c_[Xs, np.ones(m)], big.y, rcond=None)[0]
    assert scaled.epoch_loss[-1] == pytest.approx(np.mean((np.c_[Xs, np.ones(m)] @ best - big.y) ** 2), rel=1e-4)


# ---- 7 stopping ----

def test_stopping_rules(cells):
    Xs4, _, _ = hp.standardise(DS.X)
    early = hp.train_until(START, DS.X, DS.y, 0.001, loss_tol=1e-6)
    long = hp.train_until(START, DS.X, DS.y, 0.001, grad_tol=1e-3, max_epochs=3000)
    good = hp.train_until(START, Xs4, DS.y, 0.01, grad_tol=1e-3)
    assert early.reason == "loss" and early.grad_norm[-1] > 0.1           # stopped early, gradient far from 0
    assert long.reason == "max_epochs" and long.epoch_loss[-1] < early.epoch_loss[-1]   # still falling
    assert np.array_equal(long.epoch_loss[: early.epochs], early.epoch_loss)          # the same run until then
    assert good.reason == "gradient" and good.epochs > 1000
    out = output_of(cells, "ends = {")
    for c in (early, long, good):
        assert f" {c.epochs} " in out


# ---- 8 beyond linear ----

def test_linear_collapse(cells):
    Xs4, _, _ = hp.standardise(DS.X)
    trained = hp.train_until(START, Xs4, DS.y, 0.01, grad_tol=1e-8, max_epochs=20000).params
    W, b = hp.collapse_linear(trained)
    best = np.linalg.lstsq(np.c_[Xs4, np.ones(4)], DS.y, rcond=None)[0]
    assert np.allclose(np.r_[W[:, 0], b], best, atol=1e-6)
    assert np.allclose(best, [-np.std(DS.X[:, 0]), 0, DS.y.mean()], atol=1e-9)   # lpa = 12 - cgpa exactly
    assert output_of(cells, "largest difference").strip("'") == \
        f"largest difference: {np.max(np.abs(np.r_[W[:, 0], b] - best)):.1e}"


def test_vanishing_gradients(cells):
    Xs4, _, _ = hp.standardise(DS.X)
    deep = hp.init_params([2, 8, 8, 8, 8, 1], weight=None, seed=0)
    sizes = hp.layer_gradient_sizes(deep, Xs4, DS.y, activation="sigmoid")
    num = hp.numerical_gradients(deep, Xs4, DS.y, activation="sigmoid")
    assert sizes == pytest.approx([np.mean(np.abs(num[f"W{l}"])) for l in range(1, 6)], rel=1e-5)
    assert np.all(np.diff(sizes) > 0)                                   # smaller layer by layer, backwards
    assert output_of(cells, "times the first layer").strip('"') == \
        f"the last layer's gradients are {sizes[-1] / sizes[0]:.0f} times the first layer's"


# ---- 9 FAQ ----

def test_mse_against_bce_gradient(cells):
    y_hat = 1 / (1 + np.exp(6.0))                                       # z = -6
    expected = {"mse": round(float(2 * (y_hat - 1) * y_hat * (1 - y_hat)), 5), "bce": round(float(y_hat - 1), 5)}
    assert output_of(cells, '"mse", "bce"') == repr(expected)


def test_zero_start_only_learns_the_mean(cells):
    flat = hp.train(hp.init_params([2, 2, 1], weight=0.0), DS.X, DS.y, lr=0.001, epochs=1000)
    named = hp.as_named(flat.params)
    assert all(v == 0 for n, v in named.items() if n != "b21")
    assert flat.epoch_loss[-1] == pytest.approx(np.var(DS.y), rel=0.01)
    assert output_of(cells, "only learned the mean").strip("'") == \
        f"loss {flat.epoch_loss[-1]:.4f}: the network only learned the mean package {DS.y.mean():.2f}"


# ---- Your turn (the checkers are tested in tests/exercises/test_why.py) ----

def test_exercise_cells_start_unanswered(cells):
    for name in ("check_loss_change", "check_first_below", "check_best_rate", "check_fd_passes",
                 "check_symmetric_gap"):
        assert output_of(cells, f"ex.{name}(answer)").startswith("Not answered yet")
    assert output_of(cells, "ex.show_progress()").startswith("Your turn, this session: 0 of 5 solved")


# ---- widgets ----

def test_init_picker_shows_symmetry_and_its_breaking():
    w = hp.init_picker(DS.X, DS.y, lr=0.001, epochs=20)
    assert "identical" in w.result.value
    for choice in ("random (seed 0)", "random (seed 1)"):
        w.picker.value = choice
        assert "different" in w.result.value and not np.array_equal(*w.history.params["W1"].T)
    w.picker.value = "all weights 0.5"
    assert "identical" in w.result.value and w.history.n_steps == 80


def test_landscape_explorer_retrains_on_a_new_rate():
    w = hp.landscape_explorer(START, DS.X, DS.y, lrs=(0.001, 0.02), epochs=10)
    before = w.figure.value
    assert "loss" in w.summary.value and w.runs["per-sample"].lr == 0.001
    w.slider.value = 0.02
    assert w.runs["per-sample"].lr == 0.02 and "diverged" in w.summary.value and w.figure.value != before


