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
                try:
                    grads = hp.gradients(p, x, t)
                except ValueError:      # a gradient not finite (issue 21: gradients raises, as predict does)
                    return p, True
                p = {k: v - lr * g for (k, v), g in zip(p.items(), grads.values())}
                if not all(np.all(np.isfinite(v)) for v in p.values()):
                    return p, True
    return p, False


# ---- the notebook as a file ----

def test_cells_are_executed_in_order_without_errors(cells):
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1))
    assert not [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]


def test_start_is_never_reassigned(cells):
    """`start`, the 2-2-1 starting weights, keeps its value to the end: the exercises and their solutions use it."""
    import ast

    def stores(c):
        tree = ast.parse("".join(c["source"]))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        names |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        names |= {a.asname or a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                  for a in n.names}
        return names

    defining = [i for i, c in enumerate(cells)
                if "start = hp.init_params([2, 2, 1], weight=0.1)" in "".join(c["source"])]
    assert len(defining) == 1 and "start" in stores(cells[defining[0]])
    again = [i for i, c in enumerate(cells) if i > defining[0] and "start" in stores(c)]
    assert not again, ["".join(cells[i]["source"]) for i in again]


def test_only_setup_and_live_timing_cells_skip_comparison(cells):
    ignored = [c for c in cells if "nbval-ignore-output" in c["metadata"].get("tags", [])]
    assert ignored[0] is cells[0] and "# Setup" in "".join(cells[0]["source"])
    timing = ignored[1:]
    assert len(timing) == 1 and "time_gradients" in "".join(timing[0]["source"])
    assert "Live timings" in "".join(timing[0]["source"])
    assert not [c for c in cells if "NBVAL" in "".join(c["source"])]


def test_plumbing_and_prompts():
    nb = json.loads(NB.read_text(encoding="utf-8"))["cells"]
    body = "".join("".join(c["source"]) for c in nb if c["cell_type"] == "markdown").split("## Your turn")[0]
    assert body.count("**Predict first:**") >= 2                      # "predict first, then run" in the body
    assert body.count("With the values above") <= 1
    assert "x_1" not in body and "x₁" not in body                      # inputs are x_i1, x_i2


def test_the_plot_labels_are_the_checker_labels(cells):
    from helpers.exercises import why as ex
    src = "".join(next(c for c in cells if "rates = {" in "".join(c["source"]))["source"])
    labels = dict(eval(src.split("=", 1)[1].split("\nruns")[0].strip()))  # noqa: S307 (the notebook's own cell)
    assert labels == ex.PLOT_RATES                                     # every label accepted is a label shown


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
    out = output_of(cells, 'runs["η = 0.02"]').splitlines()
    assert out[0] == runs[2e-2].message
    firsts = {lr: next((i + 1 for i, L in enumerate(h.epoch_loss) if L < 1), None) for lr, h in runs.items()}
    assert firsts == {1e-4: 50, 1e-3: 6, 1e-2: 5, 2e-2: None}   # "the large rate gets below 1 first, in epoch 5"
    assert [ln.split()[-2] for ln in out[3:]] == ["50", "6", "5", "never"]


def test_the_largest_stable_rate(cells):
    largest = hp.largest_stable_lr(START, DS.X, DS.y, lo=1e-6, hi=10.0, rtol=1e-3)
    assert output_of(cells, "largest_stable_lr(start").strip("'") == \
        f"bisection's largest rate that passes the 200-epoch test: {largest!r}"
    hist = hp.train(START, DS.X, DS.y, lr=largest, epochs=200)      # stable by the stated criterion
    assert not hist.diverged and hist.epoch_loss[-1] < hp.mean_loss(START, DS.X, DS.y)
    edge = hp.stability_edge(START, DS.X, DS.y, np.linspace(0.0095, 0.0135, 81))
    assert round(edge.safe_up_to, 4) == 0.01 and round(edge.unstable_from, 4) == 0.0124   # as the solutions say
    assert edge.safe_up_to < largest < edge.unstable_from             # "one of the lucky ones"
    out = output_of(cells, "stability_edge(start")
    assert (f"every η tested from {hp.fmt(edge.lrs[0], 4)} to {hp.fmt(edge.safe_up_to, 4)} is stable; every η tested "
            f"from {hp.fmt(edge.unstable_from, 4)} to 0.0135 is not") in out          # no claim beyond the scan
    ax = hp.plot_stability_scan(edge, marks={"bisection": largest})
    assert len(ax.lines) == 3 and ax.lines[0].get_ydata().size == edge.stable.sum()


# ---- 3 cost ----

def test_cost_figures(cells):
    assert output_of(cells, "chain_rule_mults([2, 2, 1])") == "{'separate': 21, 'shared': 9}"
    nets = [[2, 2, 1]] + [[2, h, h, 1] for h in (2, 4, 8, 16, 32, 64, 128)]
    out = output_of(cells, "hp.cost_rows(nets)")
    assert "forward + backward" in out and hp.cost_rows([[2, 2, 1]])[0]["forward + backward"] == 6 + 9   # 15 = 6 + 9
    for r in hp.cost_table(nets):
        assert 2.5 <= r.backprop / hp.forward_mults(r.layer_sizes) <= 3   # "between 2.5 and 3 forward passes"
        assert f"{r.finite_differences}" in out and hp.fmt(round(r.ratio, 1)) in out
    assert hp.cost_table([[2, 128, 128, 1]])[0].n_params == 17025
    assert hp.cost_table([[2, 128, 128, 1]])[0].ratio > 10_000         # "more than ten thousand times"


def test_forward_mode_against_reverse_mode(cells):
    # 2-2-1 graph: per hidden neuron 2 products (2 links each) and a sum of 3; the same into ŷ; y - ŷ; its square
    links = 2 * (2 * 2 + 3) + (2 * 2 + 3) + 2 + 1
    out = output_of(cells, "hp.mode_costs(").splitlines()
    assert out[1].split()[-3:] == ["1", str(links), "0"]
    assert out[2].split()[-3:] == ["9", str(9 * links), "0"]
    assert out[3].split()[-3] == "18"
    nodes = hp.loss_graph(START, DS.X[0], DS.y[0])
    ahead, cost = hp.forward_mode(nodes)
    assert cost["sweeps"] == 9 and ahead == pytest.approx(hp.as_named(hp.gradients(START, DS.X[0], DS.y[0])))


def test_the_timing_summary_says_what_the_run_measured():
    nets = [[2, h, h, 1] for h in (2, 4)]
    times = [{"forward": 1.0, "backprop": 2.5, "finite_differences": 15.0},
             {"forward": 1.0, "backprop": 3.0, "finite_differences": 111.0}]
    assert hp.timing_summary(nets, times) == (
        "This run: one backpropagation took 2.5 to 3 forward passes (counted: 2.7 to 2.8); the centred difference "
        "took 6 times a backpropagation for 15 parameters and 37 times for 37.")


# ---- 4 symmetry ----

def test_equal_weights_stay_equal_and_random_ones_do_not(cells):
    same, _ = sgd_by_hand(START, DS.X, DS.y, 0.001, 100)
    assert np.array_equal(same["W1"][:, 0], same["W1"][:, 1]) and np.array_equal(same["W2"][0], same["W2"][1])
    assert output_of(cells, "np.array_equal(W1[:, 0]").startswith("exactly equal: True True\n")
    rand = hp.train(hp.init_params([2, 2, 1], weight=None, seed=0), DS.X, DS.y, lr=0.001, epochs=100).params
    assert not np.array_equal(rand["W1"][:, 0], rand["W1"][:, 1])
    assert "identical" in hp.symmetry_html(same) and "different" in hp.symmetry_html(rand)


# ---- 5 landscape ----

def test_per_sample_is_further_along(cells):
    paths = hp.descent_paths(START, DS.X, DS.y, ("w11^1", "w11^2"), lr=0.001, epochs=100)
    losses = {k: round(h.epoch_loss[-1], 4) for k, h in paths.items()}
    assert losses["per-sample"] < losses["full batch"]
    out = output_of(cells, "{k: round(h.last_epoch_loss, 4)")
    assert out.startswith(f"{losses!r} (epoch loss, epoch 100)\n")
    assert {k: h.steps_per_epoch for k, h in paths.items()} == {"per-sample": 4, "full batch": 1}


# ---- 6 scaling ----

def test_scaling_figures(cells):
    big = hp.load_students_large()
    Xs, _, _ = hp.standardise(big.X)
    lin, m = hp.init_params([2, 1], weight=0.0), len(big.y)
    raw_lr = hp.largest_stable_lr(lin, big.X, big.y, batch_size=m)
    std_lr = hp.largest_stable_lr(lin, Xs, big.y, batch_size=m)
    for X in (big.X, Xs):                                             # the condition number, by eigenvalues
        ev = np.linalg.eigvalsh(np.c_[X, np.ones(m)].T @ np.c_[X, np.ones(m)])
        assert hp.condition_number(X) == pytest.approx(ev[-1] / ev[0], rel=1e-6)
    assert output_of(cells, "raw_lr = hp.largest").strip("'") == \
        f"largest rate passing 200 epochs (bisection): raw inputs {raw_lr:.3g}, standardised inputs {std_lr:.3g}"
    edges = {}
    for name, X, found in (("raw", big.X, raw_lr), ("standardised", Xs, std_lr)):   # theory: lr < 2 / λ_max
        Xa = np.c_[X, np.ones(m)]
        edges[name] = 2 / np.linalg.eigvalsh(2 * Xa.T @ Xa / m)[-1]
        assert found == pytest.approx(edges[name], rel=0.02)
    assert std_lr > edges["standardised"] > 0.99 * std_lr             # "just past the edge"
    assert 100 < big.X[:, 1].mean() < 120                              # "about 110 times"
    lines = output_of(cells, "edges = {").splitlines()
    X, mean, std = big.X, big.X.mean(axis=0), big.X.std(axis=0)
    conds = [np.linalg.cond(np.c_[A, np.ones(m)].T @ np.c_[A, np.ones(m)]) for A in (X, X - mean, X / std, Xs)]
    assert conds[0] > conds[2] > conds[1] > conds[3]          # centring alone does most, scaling alone far less
    assert lines[0] == (f"condition number: raw {conds[0]:.3g}, centred only {conds[1]:.3g}, "
                        f"scaled only {conds[2]:.3g}, standardised {conds[3]:.3g}")
    assert lines[1] == f"edge from the curvature, 2/λ: raw {edges['raw']:.3g}, standardised {edges['standardised']:.3g}"
    late = hp.train(lin, Xs, big.y, lr=std_lr, epochs=3000, batch_size=m).epoch_loss     # the list from 0
    start = hp.mean_loss(lin, Xs, big.y)
    assert late[0] == pytest.approx(start) and late[199] < start < late[-1]   # 200 epochs miss it; 3000 do not
    low = int(np.argmin(late))
    assert 0 < low < 199 and late[low] < late[199]                      # "its loss falls, then grows"
    assert output_of(cells, "late = hp.train") == (f"at bisection's {std_lr:.3g}, standardised: epoch loss "
                                                   f"{late[0]:.3g} in epoch 1, lowest {late[low]:.3g} in epoch "
                                                   f"{low + 1}, {late[199]:.3g} in epoch 200, {late[-1]:.2g} in "
                                                   f"epoch 3000")
    assert output_of(cells, "def outcome").count("diverged") == 3
    raw = hp.train(lin, big.X, big.y, lr=0.9 * edges["raw"], epochs=100, batch_size=m)
    scaled = hp.train(lin, Xs, big.y, lr=0.9 * edges["standardised"], epochs=100, batch_size=m)
    assert output_of(cells, "hp.overshoots(").splitlines()[1] == \
        f"epoch loss in epoch 100: raw {raw.epoch_loss[-1]:.4f}, standardised {scaled.epoch_loss[-1]:.4f}"
    best = np.linalg.lstsq(np.c_[Xs, np.ones(m)], big.y, rcond=None)[0]
    assert scaled.epoch_loss[-1] == pytest.approx(np.mean((np.c_[Xs, np.ones(m)] @ best - big.y) ** 2), rel=1e-4)


# ---- 7 stopping ----

def test_stopping_rules(cells):
    Xs4, _, _ = hp.standardise(DS.X)
    early = hp.train_until(START, DS.X, DS.y, 0.001, loss_tol=1e-6)
    raw = hp.train_until(START, DS.X, DS.y, 0.01, grad_tol=1e-3, max_epochs=3000)
    good = hp.train_until(START, Xs4, DS.y, 0.01, grad_tol=1e-3)
    assert early.reason == "loss" and early.grad_norm[-1] > 0.1           # stopped early, gradient far from 0
    long = hp.train_until(START, DS.X, DS.y, 0.001, grad_tol=1e-3, max_epochs=3000)
    assert long.epoch_loss[-1] < early.epoch_loss[-1]                      # "the loss was still falling"
    # the same η = 0.01 for both inputs: raw ends with the gradient norm "near 1", standardised meets the rule
    assert raw.reason == "max_epochs" and raw.epochs == 3000 and 0.9 < raw.grad_norm[-1] < 1.1
    assert good.reason == "gradient" and good.epochs > 1000
    out = output_of(cells, "ends = {")
    for c in (early, raw, good):
        assert f" {c.epochs} " in out
    assert out.count("η 0.01,") == 2 and "η 0.001, loss change" in out


def test_collinear_students(cells):
    Xs4, _, _ = hp.standardise(DS.X)
    assert list(DS.X.sum(axis=1)) == [16, 16, 16, 17]                   # "16 for three of them"
    c0, c = 12.0, np.array([-1.0, 0.0])                                 # lpa = 12 - cgpa, and a flat direction:
    moved = DS.X @ (c + 0.5) + (c0 - 16 * 0.5)                           # both slopes +d, the intercept -16d
    assert np.allclose(moved[:3], DS.y[:3]) and not np.isclose(moved[3], DS.y[3])
    r = np.corrcoef(DS.X.T)[0, 1]
    assert r < -0.95                                                    # "correlation near -1"
    for X, shown in ((DS.X, 6.2e5), (Xs4, 115)):                        # the text's "from 6.2e5 to 115"
        ev = np.linalg.eigvalsh(np.c_[X, np.ones(4)].T @ np.c_[X, np.ones(4)])
        assert ev[-1] / ev[0] == pytest.approx(shown, rel=0.01)
    out = output_of(cells, "cgpa + profile_score:")
    assert f"correlation {r:.2f}" in out
    assert out.endswith(f"condition number: raw {hp.condition_number(DS.X):.2g}, "
                        f"standardised {hp.condition_number(Xs4):.3g}")


def test_far_above_the_minimum(cells):
    early = hp.train_until(START, DS.X, DS.y, 0.001, loss_tol=1e-6)
    budget = hp.train_until(START, DS.X, DS.y, 0.01, grad_tol=1e-3, max_epochs=3000)
    scaled = hp.train_until(START, hp.standardise(DS.X)[0], DS.y, 0.01, grad_tol=1e-3)
    assert min(early.epoch_loss[-1], budget.epoch_loss[-1]) > 100 * scaled.epoch_loss[-1]   # "far above"
    assert np.array_equal(12 - DS.X[:, 0], DS.y)                                          # a loss of 0 exists


# ---- 8 beyond linear ----

def test_vanishing_gradients_with_bce_on_xor(cells):
    xor = hp.load_xor()
    deep = hp.init_params([2, 8, 8, 8, 8, 1], weight=None, seed=0)
    sizes = hp.layer_gradient_sizes(deep, xor.X, xor.y, activation="sigmoid", loss="bce")
    num = hp.numerical_gradients(deep, xor.X, xor.y, activation="sigmoid", loss="bce")
    assert sizes == pytest.approx([np.mean(np.abs(num[f"W{l}"])) for l in range(1, 6)], rel=1e-5)
    assert np.all(np.diff(sizes) > 0)                                   # smaller layer by layer, backwards
    assert sizes[-1] / sizes[0] > 1000                                  # "much smaller"
    assert output_of(cells, "times the first layer").splitlines()[0] == \
        f"the last layer's gradients are {sizes[-1] / sizes[0]:.0f} times the first layer's"


# ---- 9 FAQ ----

def test_mse_against_bce_gradient(cells):
    y_hat = 1 / (1 + np.exp(6.0))                                       # z = -6
    expected = {"squared error": round(float(2 * (y_hat - 1) * y_hat * (1 - y_hat)), 5),
                "cross-entropy": round(float(y_hat - 1), 5)}
    assert output_of(cells, '("squared error", "mse")') == repr(expected)


def test_zero_start_only_learns_the_mean(cells):
    flat = hp.train(hp.init_params([2, 2, 1], weight=0.0), DS.X, DS.y, lr=0.001, epochs=1000)
    named = hp.as_named(flat.params)
    assert all(v == 0 for n, v in named.items() if n != "b21")
    assert flat.epoch_loss[-1] == pytest.approx(np.var(DS.y), rel=0.01)
    start = hp.as_named(hp.gradients(hp.init_params([2, 2, 1], weight=0.0), DS.X[0], DS.y[0]))
    assert all(v == 0 for n, v in start.items() if n != "b21") and start["b21"] == -2 * DS.y[0]   # -2(y - 0)
    lines = output_of(cells, "only learned the mean").splitlines()
    assert lines[0] == "student 1's gradient at the start: " + ", ".join(f"{n} {hp.fmt(g)}" for n, g in start.items())
    assert lines[1] == \
        (f"epoch loss {hp.fmt(flat.epoch_loss[-1], 4)}: the network only learned the mean package {DS.y.mean():.2f} "
         f"({len(DS.y)} steps an epoch)")


def test_the_zero_start_is_a_saddle(cells):
    flat = hp.train(hp.init_params([2, 2, 1], weight=0.0), DS.X, DS.y, lr=0.001, epochs=1000).params
    changes = []
    for sign in (1, -1):             # the loss along w11^1 = t, w11^2 = ±t, by hand: ŷ = b21 + sign · t² · cgpa
        y_hat = flat["b2"][0] + sign * 0.01**2 * DS.X[:, 0]
        changes.append(np.mean((DS.y - y_hat) ** 2) - np.mean((DS.y - flat["b2"][0]) ** 2))
    assert changes[0] > 0 > changes[1]                                   # one way up, the other down
    assert output_of(cells, "def nudged(") == \
        f"loss change: w11^1 = w11^2 = 0.01: {hp.fmt(changes[0])}; w11^1 = -w11^2 = 0.01: {hp.fmt(changes[1])}"
    assert all(v == 0 for k, v in hp.as_named(flat).items() if k != "b21")


# ---- Your turn (the checkers are tested in tests/exercises/test_why.py) ----

def test_exercise_cells_start_unanswered(cells):
    for name in ("check_loss_change", "check_halved_rate", "check_memory", "check_scaled_rate"):
        assert output_of(cells, f"ex.{name}(answer)").startswith("Not answered yet")
    assert output_of(cells, "ex.show_progress()").startswith("Your turn, this session: 0 of 4 solved")


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




def test_tiny_rates_favour_raw_inputs_because_their_steps_are_longer(cells):
    """03[41]: at η = 1e-5 raw inputs end lower than standardised ones, because the same η takes a longer step."""
    big = hp.load_students_large()
    Xs = hp.standardise(big.X)[0]
    neuron, m = hp.init_params([2, 1], weight=0.0), len(big.y)
    runs = {k: hp.train(neuron, X, big.y, lr=1e-5, epochs=200, batch_size=m) for k, X in (("raw", big.X), ("std", Xs))}
    assert runs["raw"].epoch_loss[-1] < runs["std"].epoch_loss[-1] / 10
    X1 = np.column_stack([big.X, np.ones(m)])                       # the first step from 0 is η · 2/m · [X 1]ᵀ y
    for k, X in (("raw", X1), ("std", np.column_stack([Xs, np.ones(m)]))):
        by_hand = np.linalg.norm(1e-5 * 2 / m * X.T @ big.y)
        first = hp.train(neuron, X[:, :2], big.y, lr=1e-5, epochs=1, batch_size=m).params
        assert np.isclose(np.sqrt(sum(np.sum(v ** 2) for v in first.values())), by_hand, rtol=1e-12), k
    assert "first step's length at η = 1e-5: raw 0.017, standardised 0.000155" in output_of(cells, "first = {k:")
