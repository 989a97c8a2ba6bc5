"""The hand-written steps of `helpers.bugs`, the grid evaluation of `helpers.grids`, batch gradients,
and the "How" notebook's new plot and widget."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import helpers as hp  # noqa: E402
from helpers.maths.lessons import bugs, grids  # noqa: E402

DS = hp.load_students()
W01 = hp.init_params([2, 2, 1], weight=0.1)
BUGGY = ["bias from a weight", "transposed W1", "updated too early"]


def random_params(seed):
    p = hp.init_params([2, 2, 1], weight=None, seed=seed, scheme="uniform")
    p["b1"] = np.array([0.3, -0.2])
    p["b2"] = np.array([0.5])
    return p


# ---- the correct hand-written step ----

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("row", range(4))
def test_correct_update_equals_package(seed, row):
    p, x, y = random_params(seed), DS.X[row], DS.y[row]
    want = hp.sgd_step(p, hp.gradients(p, x, y), 0.01)
    got = bugs.update_by_hand(p, x, y, 0.01)
    for k in p:
        np.testing.assert_allclose(got[k], want[k], rtol=1e-13, atol=1e-15)


def test_correct_update_is_exact_at_course_start():
    x, y = DS.X[0], DS.y[0]
    want = hp.sgd_step(W01, hp.gradients(W01, x, y), 0.001)
    got = bugs.update_by_hand(W01, x, y, 0.001)
    assert all(np.array_equal(got[k], want[k]) for k in W01)


def test_updates_leave_params_unchanged():
    p = random_params(0)
    before = {k: v.copy() for k, v in p.items()}
    for update in bugs.UPDATES.values():
        update(p, DS.X[1], DS.y[1], 0.01)
        assert all(np.array_equal(p[k], before[k]) for k in p)


def test_correct_training_reproduces_course_figures():
    losses = bugs.train_by_hand(bugs.update_by_hand, W01, DS.X, DS.y, lr=0.001, epochs=5)
    assert [round(v, 4) for v in losses] == [26.3456, 19.8594, 10.8816, 3.7770, 1.2238]
    ref = hp.train(W01, DS.X, DS.y, lr=0.001, epochs=200).epoch_loss
    np.testing.assert_allclose(bugs.train_by_hand(bugs.update_by_hand, W01, DS.X, DS.y, epochs=200), ref, rtol=1e-10)


def test_step_gradients_of_correct_update_are_backprop():
    p, x, y = random_params(3), DS.X[2], DS.y[2]
    g = bugs.step_gradients(bugs.update_by_hand, p, x, y, lr=0.001)
    np.testing.assert_allclose(hp.flatten(g), hp.flatten(hp.gradients(p, x, y)), rtol=1e-9)
    assert bugs.check_update(bugs.update_by_hand, p, x, y).verdict == "good"


# ---- the three bugs: each fails the check and changes the loss curve ----

@pytest.mark.parametrize("name", BUGGY)
@pytest.mark.parametrize("seed", range(3))
def test_bug_fails_gradient_check_at_random_weights(name, seed):
    check = bugs.check_update(bugs.UPDATES[name], random_params(seed), DS.X[1], DS.y[1], lr=0.01)
    assert check.verdict != "good" and check.entry_errors.max() > hp.WRONG


@pytest.mark.parametrize("name", BUGGY)
def test_bug_fails_gradient_check_at_notebook_point(name):
    check = bugs.check_update(bugs.UPDATES[name], W01, DS.X[1], DS.y[1], lr=0.001)
    assert check.verdict == "wrong"


def test_transposed_bug_hides_at_symmetric_point():
    """Equal weights and x1 = x2 (student 1): the transposed gradient equals the right one."""
    assert bugs.check_update(bugs.update_transposed, W01, DS.X[0], DS.y[0]).verdict == "good"


def test_bugs_touch_the_parameters_they_should():
    p, x, y, lr = random_params(1), DS.X[1], DS.y[1], 0.01
    right = hp.flatten(bugs.step_gradients(bugs.update_by_hand, p, x, y, lr))
    names = np.array(hp.PARAM_NAMES)

    def differs(update):
        g = hp.flatten(bugs.step_gradients(update, p, x, y, lr))
        return set(names[~np.isclose(g, right, rtol=1e-9)])

    assert differs(bugs.update_bias_from_weight) == {"b21"}
    assert differs(bugs.update_transposed) == {"w12^1", "w21^1"}
    assert differs(bugs.update_too_early) == {"w11^1", "w12^1", "w21^1", "w22^1", "b11", "b12"}


def test_bias_bug_uses_weight_gradient():
    p, x, y = random_params(2), DS.X[1], DS.y[1]
    g = bugs.step_gradients(bugs.update_bias_from_weight, p, x, y, lr=0.01)
    assert np.isclose(g["b2"][0], hp.gradients(p, x, y)["W2"][1, 0], rtol=1e-9)


def test_too_early_bug_uses_updated_W2():
    p, x, y, lr = random_params(2), DS.X[1], DS.y[1], 0.01
    g = bugs.step_gradients(bugs.update_too_early, p, x, y, lr)
    true = hp.gradients(p, x, y)
    W2_new = p["W2"] - lr * true["W2"]
    dL_dyhat = true["b2"][0]
    np.testing.assert_allclose(g["b1"], dL_dyhat * W2_new[:, 0], rtol=1e-9)


@pytest.mark.parametrize("name", BUGGY)
def test_bug_changes_loss_curve(name):
    right = bugs.train_by_hand(bugs.update_by_hand, W01, DS.X, DS.y, epochs=50)
    wrong = bugs.train_by_hand(bugs.UPDATES[name], W01, DS.X, DS.y, epochs=50)
    assert len(wrong) == 50
    assert np.max(np.abs(np.array(wrong) - right)) > 0.01


def test_correct_code_keeps_hidden_neurons_identical_from_equal_weights():
    p = W01
    for _ in range(3):
        for x, y in zip(DS.X, DS.y):
            p = bugs.update_by_hand(p, x, y, 0.001)
    assert np.array_equal(p["W1"][:, 0], p["W1"][:, 1]) and p["b1"][0] == p["b1"][1]
    q = W01
    for x, y in zip(DS.X, DS.y):
        q = bugs.update_transposed(q, x, y, 0.001)
    assert not np.array_equal(q["W1"][:, 0], q["W1"][:, 1])


def test_train_by_hand_stops_cleanly_on_divergence():
    with np.errstate(all="raise"):
        losses = bugs.train_by_hand(bugs.update_by_hand, hp.init_params([2, 2, 1]), DS.X, DS.y, lr=0.5, epochs=50)
    assert len(losses) < 50 and all(np.isfinite(losses))


@pytest.mark.parametrize("call, match", [
    (lambda: bugs.check_update("no", W01, DS.X[0], 4.0), "update"),
    (lambda: bugs.step_gradients(bugs.update_by_hand, W01, DS.X, DS.y), "x: expected one student"),
    (lambda: bugs.step_gradients(bugs.update_by_hand, W01, DS.X[0], 4.0, lr=0), "lr"),
    (lambda: bugs.check_update(bugs.update_by_hand, hp.init_params([2, 3, 1]), DS.X[0], 4.0), "2-2-1"),
    (lambda: bugs.train_by_hand(bugs.update_by_hand, W01, DS.X, DS.y, epochs=0), "epochs"),
    (lambda: bugs.train_by_hand(bugs.update_by_hand, W01, DS.X[0], 4.0), "X and params"),
])
def test_bad_input(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


# ---- batch gradients ----

@pytest.mark.parametrize("act, loss, data", [("linear", "mse", hp.load_students()),
                                             ("sigmoid", "bce", hp.load_placements()),
                                             ("linear", "mse", hp.load_students_large())])
def test_batch_gradient_is_mean_of_row_gradients(act, loss, data):
    p = random_params(4)
    X = hp.standardise(data.X)[0]
    rows = [hp.flatten(hp.gradients(p, x, t, act, loss)) for x, t in zip(X, data.y)]
    np.testing.assert_allclose(hp.flatten(hp.gradients(p, X, data.y, act, loss)), np.mean(rows, axis=0),
                               rtol=1e-10, atol=1e-13)


def test_batch_gradient_by_matrices():
    """Mean ∂L/∂W2 = O1ᵀ δ / m and ∂L/∂W1 = Xᵀ (δ W2ᵀ) / m, written independently."""
    p, X, y = random_params(5), DS.X, DS.y
    O1 = X @ p["W1"] + p["b1"]
    delta = (2 * (O1 @ p["W2"] + p["b2"] - y[:, None]))
    g = hp.gradients(p, X, y)
    np.testing.assert_allclose(g["W2"], O1.T @ delta / 4, rtol=1e-12)
    np.testing.assert_allclose(g["W1"], X.T @ (delta @ p["W2"].T) / 4, rtol=1e-12)


def test_minibatch_training_matches_manual_loop():
    p, X, y = random_params(6), DS.X, DS.y
    hist = hp.train(p, X, y, lr=0.01, epochs=3, batch_size=2)
    q = p
    for _ in range(3):
        for s in (0, 2):
            q = hp.sgd_step(q, hp.gradients(q, X[s:s + 2], y[s:s + 2]), 0.01)
    np.testing.assert_allclose(hp.flatten(hist.params), hp.flatten(q), rtol=1e-12)


# ---- decision-boundary grid ----

def test_grid_matches_predict_pointwise():
    p = random_params(7)
    a, b = np.array([5.0, 6.5, 8.0]), np.array([4.0, 9.0])
    g = grids.evaluate_grid(p, a, b, "sigmoid")
    assert g.out.shape == (2, 3) and g.x1.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert g.x1[i, j] == a[j] and g.x2[i, j] == b[i]
            assert np.isclose(g.out[i, j], hp.predict(p, np.array([a[j], b[i]]), "sigmoid"), rtol=1e-14)


def test_grid_axes_cover_data_with_margin():
    X = hp.load_placements().X
    a, b = grids.grid_axes(X, margin=0.1, n=11)
    assert len(a) == len(b) == 11
    assert a[0] == pytest.approx(5 - 0.3) and a[-1] == pytest.approx(8 + 0.3)
    assert b[0] == pytest.approx(5 - 0.5) and b[-1] == pytest.approx(10 + 0.5)
    g = grids.decision_grid(random_params(0), X, n=5)
    assert g.out.shape == (5, 5) and np.all((g.out > 0) & (g.out < 1))


def test_grid_of_linear_network_is_a_plane():
    p = random_params(8)
    g = grids.evaluate_grid(p, np.linspace(0, 1, 4), np.linspace(0, 1, 3))
    w = p["W1"] @ p["W2"][:, 0]
    c = p["b1"] @ p["W2"][:, 0] + p["b2"][0]
    np.testing.assert_allclose(g.out, w[0] * g.x1 + w[1] * g.x2 + c, rtol=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: grids.grid_axes(np.ones((3, 3))), "two input columns"),
    (lambda: grids.grid_axes(np.ones((3, 2)), n=1), "n: expected at least 2"),
    (lambda: grids.grid_axes(np.ones((3, 2)), margin=-1), "margin"),
    (lambda: grids.evaluate_grid(W01, [], [1.0]), "at least one value"),
    (lambda: grids.evaluate_grid(W01, [np.nan], [1.0]), "x1_values"),
    (lambda: grids.evaluate_grid(W01, [1.0], [1.0], "tanh"), "activation"),
])
def test_grid_bad_input(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


def test_constant_column_gets_a_unit_margin():
    a, b = grids.grid_axes(np.array([[1.0, 2.0], [1.0, 3.0]]), n=3)
    assert a.tolist() == [0.0, 1.0, 2.0]


# ---- the plot and the sliders ----

def test_plot_decision_boundary_draws_contour_and_points():
    from helpers.display.plots import plot_decision_boundary
    ds = hp.load_placements()
    hist = hp.train(hp.init_params([2, 2, 1], weight=None, seed=1), ds.X, ds.y, lr=0.1, epochs=300,
                    activation="sigmoid", loss="bce")
    ax = plot_decision_boundary(hist.params, ds.X, ds.y)
    assert ax.get_xlabel() == "cgpa" and ax.get_ylabel() == "profile_score"
    assert len(ax.collections) >= 3
    from matplotlib.colors import to_rgba

    from helpers.display.palette import FIELD_HIGH, FIELD_LOW
    points = {c.get_label(): c for c in ax.collections if c.get_label().startswith("y = ")}
    assert to_rgba(points["y = 1"].get_facecolor()[0], 1) == to_rgba(FIELD_HIGH), "placed: 03's label-1 colour"
    assert to_rgba(points["y = 0"].get_facecolor()[0], 1) == to_rgba(FIELD_LOW)
    fill = next(c for c in ax.collections if hasattr(c, "cmap") and c.get_array() is not None)
    assert to_rgba(fill.cmap(1.0)) == to_rgba(FIELD_HIGH) and to_rgba(fill.cmap(0.0)) == to_rgba(FIELD_LOW)
    matplotlib.pyplot.close("all")


def test_training_sliders_retrain_and_redraw():
    from helpers.display.widgets import training_sliders
    ds = hp.load_students_large()
    X = hp.standardise(ds.X)[0]
    p = hp.init_params([2, 2, 1], weight=None, seed=0)
    box = training_sliders(p, X, ds.y, lr=0.01, epochs=5, batch_size=10, reference=0.27)
    want = hp.train(p, X, ds.y, lr=0.01, epochs=5, batch_size=10).epoch_loss[-1]
    # one spelling of each number: the summary and the chart's caption both write the loss with fmt
    assert f"loss {hp.fmt(want)}" in box.summary.value and "least squares: 0.27" in box.summary.value
    first = box.figure.value
    assert first.startswith("<svg class='bp-chart'") and f"epoch loss {hp.fmt(want)} in epoch 5" in first
    lr, epochs, batch = box.sliders
    batch.value = 300
    assert box.history.batch_size == 300 and box.figure.value != first
    epochs.value = 7
    assert box.history.epochs == 7 and "After 7 epochs (7 steps)" in box.summary.value
    lr.value = 1.0
    batch.value = 1
    assert "diverged" in box.summary.value
    assert all(s.continuous_update is False for s in box.sliders)


@pytest.mark.parametrize("batch_size", [0, 5, 2.0, True])
def test_training_sliders_reject_bad_batch_size(batch_size):
    from helpers.display.widgets import training_sliders
    with pytest.raises((TypeError, ValueError),
                       match="batch_size: expected a whole number from 1 to the number of rows"):
        training_sliders(W01, DS.X, DS.y, batch_size=batch_size)


def test_bug4_overwrite_keeps_one_share_where_paths_meet():
    """Bug 4: `=` for `+=` in the graph's backward. Where a node has one consumer nothing changes; where paths
    meet, one share is kept: on a * b + a (a = 2, b = 5), ∂/∂a is 1 or 5 instead of 6."""
    a, b = hp.Node(2.0, "a"), hp.Node(5.0, "b")
    bugs.backward_overwrite(a * b + a)
    assert a.grad in (1.0, 5.0) and b.grad == 2.0
    right = hp.loss_graph(W01, DS.X[0], DS.y[0])
    right["L"].backward()
    wrong = hp.loss_graph(W01, DS.X[0], DS.y[0])
    bugs.backward_overwrite(wrong["L"])
    eps = 1e-5
    nudged = [hp.mean_loss(W01, DS.X[0] + [d, 0.0], DS.y[0]) for d in (eps, -eps)]
    assert right["x_i1"].grad == pytest.approx((nudged[0] - nudged[1]) / (2 * eps), rel=1e-7)
    assert wrong["x_i1"].grad == pytest.approx(right["x_i1"].grad / 2, rel=1e-12)     # two equal shares, one kept
    assert all(wrong[n].grad == right[n].grad for n in hp.PARAM_NAMES)                 # one path each


def test_losses_at_says_diverged_only_past_the_curve():
    assert bugs.losses_at([3.0, 2.0, 1.0], (1, 3)) == [3.0, 1.0]
    assert bugs.losses_at([3.0], (1, 2)) == [3.0, "diverged"]


@pytest.mark.parametrize("name", ["bias from a weight", "transposed W1", "updated too early"])
def test_step_source_shows_the_buggy_lines_and_hides_the_label_until_revealed(name):
    import inspect
    update = bugs.UPDATES[name]
    hidden, shown = bugs.step_source(update), bugs.step_source(update, reveal=True)
    assert "BUG" not in hidden and "# BUG" in shown and "def " not in shown and "return p" not in shown
    code = [line.split("#")[0].rstrip() for line in inspect.getsource(update).splitlines()]
    assert [line.split("#")[0].rstrip() for line in hidden.splitlines()] == [c[4:] for c in code[code.index(
        next(c for c in code if c.strip().startswith("dL_dyhat = "))):] if c.strip() != "return p"]
    with pytest.raises(ValueError, match="update"):
        bugs.step_source(print)
