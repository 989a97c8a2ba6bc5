"""Training: the course's epoch losses, what every step records, both engines, batches, divergence, bad input."""

import copy
import warnings

import numpy as np
import pytest

import helpers as hp

STUDENTS = hp.load_students()
PLACEMENTS = hp.load_placements()
X, Y = STUDENTS.X, STUDENTS.y
ENGINES = ["python", "numpy"]
ARRAYS = ["starts", "order", "epoch", "step_loss", "grads_flat", "params_flat", "z_flat", "O_flat"]


def p221(weight=0.1, bias=0.0):
    return hp.init_params([2, 2, 1], weight=weight, bias=bias)


def same_dicts(a, b):
    return set(a) == set(b) and all(np.array_equal(a[k], b[k]) for k in a)


# ---- the course's figures ----

@pytest.mark.parametrize("engine", ENGINES)
def test_reference_epoch_losses(engine):
    hist = hp.train(p221(0.1), X, Y, lr=0.001, epochs=5, engine=engine)
    assert [round(v, 4) for v in hist.epoch_loss] == [26.3456, 19.8594, 10.8816, 3.7770, 1.2238]
    assert hist.n_steps == 20 and not hist.diverged


def test_reference_first_step_record():
    s = hp.train(p221(1.0), X, Y, lr=0.001, epochs=1).steps[0]
    assert (s.index, s.epoch, s.rows, s.row, s.student, s.lr) == (0, 1, (0,), 0, 1, 0.001)   # epoch from 1
    np.testing.assert_array_equal(s.x, [8.0, 8.0])
    assert s.y == 4.0
    assert s.z[0] is None
    np.testing.assert_array_equal(s.z[1], [16.0, 16.0])
    np.testing.assert_array_equal(s.O[1], [16.0, 16.0])
    np.testing.assert_array_equal(s.O[0], [8.0, 8.0])
    assert (s.y_hat, s.loss) == (32.0, 784.0)
    assert (s.grad("w11^2"), s.grad("w11^1"), s.grad("b11"), s.grad("b21")) == (896.0, 448.0, 56.0, 56.0)
    assert s.before("w11^2") == 1.0
    assert s.after("w11^2") == pytest.approx(1.0 - 0.001 * 896.0, abs=1e-15)
    assert s.after("b11") == pytest.approx(-0.056, abs=1e-15)


# ---- what every step records ----

@pytest.fixture(scope="module", params=ENGINES)
def hist(request):
    p = hp.init_params([2, 3, 1], weight=None, seed=7)
    return hp.train(p, X, Y, lr=0.002, epochs=3, activation="sigmoid", engine=request.param)


def test_epoch_loss_is_the_mean_of_losses_before_each_update(hist):
    m = len(Y)
    expected = []
    for e in range(3):
        losses = [hp.mean_loss(hist.steps[e * m + i].params_before, X[i], Y[i], "sigmoid") for i in range(m)]
        expected.append(np.mean(losses))
    np.testing.assert_allclose(hist.epoch_loss, expected, rtol=1e-12)
    np.testing.assert_allclose(hist.step_loss, [s.loss for s in hist.steps])


def test_each_step_updates_from_its_own_gradients(hist):
    for k, s in enumerate(hist.steps):
        expected = hp.sgd_step(s.params_before, s.grads, s.lr)
        for key in expected:
            np.testing.assert_array_equal(s.params_after[key], expected[key])   # the same arithmetic
        if k + 1 < hist.n_steps:
            assert same_dicts(s.params_after, hist.steps[k + 1].params_before)
    assert same_dicts(hist.params, hist.steps[-1].params_after)


def test_all_gradients_come_from_the_params_before_the_update(hist):
    for s in hist.steps:
        expected = hp.gradients(s.params_before, s.x, s.y, "sigmoid")
        for key in expected:
            np.testing.assert_allclose(s.grads[key], expected[key], rtol=1e-12, atol=1e-15)
        fw = hp.forward(s.params_before, s.x, "sigmoid")
        assert s.z[0] is None and len(s.z) == len(fw.z) and len(s.O) == len(fw.O)
        for got, want in zip(s.z[1:], fw.z[1:]):
            np.testing.assert_allclose(got, want, rtol=1e-12)
        for got, want in zip(s.O, fw.O):
            np.testing.assert_allclose(got, want, rtol=1e-12)


def test_rows_in_order_without_shuffle(hist):
    assert [s.row for s in hist.steps] == [k % 4 for k in range(12)]
    assert [s.epoch for s in hist.steps] == [k // 4 + 1 for k in range(12)]
    np.testing.assert_array_equal(hist.steps[5].x, X[1])


def test_history_summary_fields(hist):
    assert hist.names == hp.param_names([2, 3, 1])
    assert (hist.n_steps, hist.steps_per_epoch, hist.layer_sizes, hist.batch_size, hist.epochs) == (12, 4, [2, 3, 1],
                                                                                                  1, 3)
    assert (hist.activation, hist.loss, hist.lr) == ("sigmoid", "mse", 0.002)
    assert hist.params_flat.shape == (13, 13) and hist.grads_flat.shape == (12, 13)
    assert hist.message == "Trained for 12 steps without diverging."
    assert repr(hist).startswith("History(12 steps, 3 full epochs, final epoch loss ")
    np.testing.assert_array_equal(hist.params_flat[0], hp.flatten(hp.init_params([2, 3, 1], weight=None, seed=7)))


def test_steps_indexing(hist):
    assert len(hist.steps) == 12
    assert hist.steps[-1].index == 11 and hist.steps[-12].index == 0
    with pytest.raises(IndexError, match=r"steps: step 12 does not exist; there are 12 steps \(0 to 11\)"):
        hist.steps[12]
    with pytest.raises(IndexError, match="steps: step -13 does not exist"):
        hist.steps[-13]
    with pytest.raises(TypeError, match="steps: index with a whole number, got 1.0"):
        hist.steps[1.0]


def test_step_index(hist):
    """Epochs and students count from 1, as the text does; the result indexes hist.steps."""
    assert hist.step_index(1, 1) == 0
    assert hist.step_index(3, 4) == 11
    step = hist.steps[hist.step_index(2, 3)]
    assert step.epoch == 2 and step.student == 3 and step.row == 2
    with pytest.raises(ValueError, match="epoch: expected a whole number from 1 to 3, got 4"):
        hist.step_index(4, 1)
    with pytest.raises(ValueError, match="student: expected a whole number from 1 to 4, got 0"):
        hist.step_index(1, 0)
    with pytest.raises(ValueError, match="epoch: expected a whole number"):
        hist.step_index(1.0, 1)


def test_train_leaves_its_inputs_unchanged():
    p, Xc, Yc = p221(0.3), X.copy(), Y.copy()
    p0 = copy.deepcopy(p)
    hist = hp.train(p, Xc, Yc, lr=0.01, epochs=2)
    assert same_dicts(p, p0)
    np.testing.assert_array_equal(Xc, X)
    np.testing.assert_array_equal(Yc, Y)
    assert not np.shares_memory(hist.X, Xc)


# ---- shuffling ----

def test_shuffle_with_a_seed_is_reproducible():
    a = hp.train(p221(), X, Y, epochs=6, shuffle=True, seed=3)
    b = hp.train(p221(), X, Y, epochs=6, shuffle=True, seed=3)
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for e in range(6):
        assert sorted(a.order[4 * e: 4 * e + 4].tolist()) == [0, 1, 2, 3]
    assert [s.row for s in a.steps] == a.order.tolist()


def test_different_seeds_give_different_orders():
    a = hp.train(p221(), X, Y, epochs=6, shuffle=True, seed=3)
    b = hp.train(p221(), X, Y, epochs=6, shuffle=True, seed=4)
    assert not np.array_equal(a.order, b.order)
    assert not np.array_equal(a.params_flat, b.params_flat)
    assert a.step_index(1, int(a.order[2]) + 1) == 2


# ---- the two engines ----

ENGINE_CASES = [("linear", "mse", STUDENTS, 0.001), ("sigmoid", "mse", STUDENTS, 0.05),
                ("relu", "mse", STUDENTS, 0.001), ("sigmoid", "bce", PLACEMENTS, 0.1)]


def assert_same_history(a, b):
    # The engines add in different orders, so a z may differ in its last bit; where a sigmoid is near 1,
    # a(1 - a) magnifies that in the small gradients. Hence rtol 1e-12 plus 1e-12 of each array's scale.
    for name in ARRAYS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.shape == y.shape, name
        scale = float(np.max(np.abs(y), initial=0.0))
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12 * scale, err_msg=name)
    assert a.diverged_at == b.diverged_at
    np.testing.assert_allclose(a.epoch_loss, b.epoch_loss, rtol=1e-12)


@pytest.mark.parametrize(("activation", "loss", "ds", "lr"), ENGINE_CASES)
@pytest.mark.parametrize("weight", [0.1, None])
def test_engines_agree_on_221(activation, loss, ds, lr, weight):
    p = hp.init_params([2, 2, 1], weight=weight, bias=0.05, seed=11)
    a, b = (hp.train(p, ds.X, ds.y, lr=lr, epochs=20, activation=activation, loss=loss, engine=e) for e in ENGINES)
    assert a.n_steps == 80
    assert_same_history(a, b)
    for k in (0, 37, 79):
        sa, sb = a.steps[k], b.steps[k]
        for za, zb in zip(sa.z[1:] + sa.O, sb.z[1:] + sb.O):
            np.testing.assert_allclose(za, zb, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("sizes", [[2, 5, 3, 1], [2, 1, 1], [2, 1]])
def test_engines_agree_on_other_sizes(sizes):
    p = hp.init_params(sizes, weight=None, seed=2)
    Xs = hp.standardise(X)[0]
    a, b = (hp.train(p, Xs, Y, lr=0.01, epochs=10, activation="sigmoid", shuffle=True, seed=1, engine=e)
            for e in ENGINES)
    assert_same_history(a, b)


def test_auto_engine_on_a_large_network_matches_numpy():
    p = hp.init_params([2, 16, 16, 1], weight=None, seed=0)     # 337 parameters: the numpy loop
    a = hp.train(p, X / 10, Y, lr=0.001, epochs=2, activation="relu")
    b = hp.train(p, X / 10, Y, lr=0.001, epochs=2, activation="relu", engine="python")
    assert_same_history(a, b)


# ---- mini-batches ----

@pytest.mark.parametrize("batch_size", [2, 3, 4])
def test_batch_training_equals_mean_gradient_steps(batch_size):
    p, lr, epochs = hp.init_params([2, 2, 1], weight=None, seed=5), 0.001, 3
    hist = hp.train(p, X, Y, lr=lr, epochs=epochs, batch_size=batch_size, activation="sigmoid")
    batches = [list(range(s, min(s + batch_size, 4))) for s in range(0, 4, batch_size)]
    params, k, epoch_loss = p, 0, []
    for _ in range(epochs):
        total = 0.0
        for rows in batches:
            g = hp.gradients(params, X[rows], Y[rows], "sigmoid")
            total += hp.mean_loss(params, X[rows], Y[rows], "sigmoid") * len(rows)
            s = hist.steps[k]
            assert s.rows == tuple(rows) and s.z is None and s.O is None
            np.testing.assert_allclose(hist.grads_flat[k], hp.flatten(g), rtol=1e-12)
            np.testing.assert_allclose(hist.step_loss[k], hp.mean_loss(params, X[rows], Y[rows], "sigmoid"),
                                       rtol=1e-12)
            params = hp.sgd_step(params, g, lr)
            np.testing.assert_allclose(hist.params_flat[k + 1], hp.flatten(params), rtol=1e-12)
            k += 1
        epoch_loss.append(total / 4)
    assert hist.n_steps == k == epochs * len(batches) and hist.steps_per_epoch == len(batches)
    np.testing.assert_allclose(hist.epoch_loss, epoch_loss, rtol=1e-12)


def test_batch_step_has_no_single_row():
    s = hp.train(p221(), X, Y, epochs=1, batch_size=2).steps[1]
    assert s.rows == (2, 3) and s.x.shape == (2, 2)
    with pytest.raises(AttributeError, match="row: this step used a batch of rows; see .rows"):
        s.row
    with pytest.raises(AttributeError, match="y_hat: neuron values are kept for per-sample steps only"):
        s.y_hat
    with pytest.raises(ValueError, match="step_index: only per-sample histories have one step a row"):
        hp.train(p221(), X, Y, epochs=1, batch_size=2).step_index(1, 1)


def test_full_batch_of_the_whole_dataset():
    p = p221()
    hist = hp.train(p, X, Y, lr=0.001, epochs=1, batch_size=4)
    expected = hp.sgd_step(p, hp.gradients(p, X, Y), 0.001)
    assert hist.n_steps == 1
    np.testing.assert_allclose(hp.flatten(hist.params), hp.flatten(expected), rtol=1e-14)
    assert hist.epoch_loss == [pytest.approx(hp.mean_loss(p, X, Y), rel=1e-14)]


# ---- divergence ----

@pytest.mark.parametrize("engine", ENGINES)
def test_divergence_stops_cleanly_without_warnings(engine):
    assert np.geterr()["over"] == "warn"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = hp.train(p221(1.0), X, Y, lr=1.0, epochs=100, engine=engine)
        text, losses = hist.message, hist.epoch_loss
    assert hist.diverged and hist.diverged_at == 4 and hist.n_steps == 4 and len(hist.steps) == 4
    assert text.startswith("Training diverged at step 1 of epoch 2 (student 1): ")   # the 5th step: X[0] again
    assert text.endswith("This run used η = 1; try a smaller one.")
    assert len(losses) == 1 and np.isfinite(losses[0])
    assert np.all(np.isfinite(hist.params_flat)) and np.all(np.isfinite(hist.grads_flat))
    assert np.all(np.isfinite(hp.flatten(hist.params)))
    assert same_dicts(hist.params, hist.steps[-1].params_after)
    assert repr(hist).endswith(", diverged at step 5 (counted from 1))")   # the 5th step, as the message says
    with pytest.raises(ValueError, match="epoch: expected a whole number from 1 to 1, got 2"):
        hist.step_index(2, 1)
    assert np.geterr()["over"] == "warn"


@pytest.mark.parametrize("engine", ENGINES)
def test_divergence_within_the_first_epoch(engine):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = hp.train(p221(1.0), X, Y, lr=1e6, epochs=3, engine=engine)
        assert hist.epoch_loss == []
    assert (hist.diverged_at, hist.n_steps) == (3, 3)
    assert hist.message.startswith("Training diverged at step 4 of epoch 1 (student 4): ")   # steps from 1
    assert hist.step_index(1, 3) == 2                                 # epoch 1, student 3: the third step
    with pytest.raises(ValueError, match="student 4 was not reached in epoch 1: training diverged first"):
        hist.step_index(1, 4)


def test_divergence_engines_agree_near_the_float64_limit():
    # the last kept step has a loss of 1.79e308: finite, though the sum of all its numbers is not
    p = p221(0.5)
    a, b = (hp.train(p, X, Y, lr=4.500557675700451e74, epochs=30, engine=e) for e in ENGINES)
    assert a.diverged_at == b.diverged_at == 2
    assert a.step_loss[1] > 1e308
    np.testing.assert_array_equal(a.params_flat, b.params_flat)


def test_divergence_of_a_batch_run():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = hp.train(p221(1.0), X, Y, lr=1.0, epochs=100, batch_size=2)
        text = hist.message
    assert hist.diverged and np.all(np.isfinite(hist.params_flat))
    k = hist.diverged_at
    assert f"Training diverged at step {k % 2 + 1} of epoch {k // 2 + 1} (batch {k % 2 + 1}): " in text


def test_diverged_message_names_the_shuffled_student():
    hist = hp.train(p221(1.0), X, Y, lr=1e6, epochs=3, shuffle=True, seed=3)
    k = hist.diverged_at
    student = int(hist.order[k]) + 1      # the row that step k used, named as the course names it
    assert (k, hist.order[:4].tolist()) == (3, [3, 2, 1, 0])    # the 4th step of the shuffled epoch used X[0]
    assert hist.message.startswith(f"Training diverged at step 4 of epoch 1 (student {student}): ") and student == 1


def test_divergence_of_a_large_network_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = hp.train(hp.init_params([2, 16, 16, 1], weight=1.0), X, Y, lr=1.0, epochs=50)
    assert hist.diverged and np.all(np.isfinite(hist.params_flat))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lr", [1e3, 1e6])
def test_bce_with_a_huge_learning_rate_does_not_warn(engine, lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = hp.train(p221(1.0), PLACEMENTS.X, PLACEMENTS.y, lr=lr, epochs=50, activation="sigmoid",
                        loss="bce", engine=engine)
        losses = hist.epoch_loss
    assert np.all(np.isfinite(losses)) and np.all(np.isfinite(hist.params_flat))
    assert hist.message.startswith("Trained for") or hist.message.startswith("Training diverged")


# ---- size of the record ----

def test_history_of_100000_steps_is_small():
    hist = hp.train(p221(0.1), X, Y, lr=0.001, epochs=25_000)
    assert hist.n_steps == 100_000 and not hist.diverged
    assert hist.nbytes <= 50_000_000
    assert hist.steps[-1].index == 99_999 and hist.steps[-1].row == 3 and hist.steps[-1].epoch == 25_000
    assert hist.step_index(25_000, 4) == 99_999
    assert len(hist.epoch_loss) == 25_000


# ---- bad input ----

def train(**change):
    kwargs = dict(params=p221(), X=X, y=Y, lr=0.001, epochs=1)
    kwargs.update(change)
    return hp.train(**kwargs)


@pytest.mark.parametrize("lr", [0, -0.001, float("nan"), float("inf")])
def test_lr_not_positive(lr):
    with pytest.raises(ValueError, match=r"lr: expected a positive finite number, got "):
        train(lr=lr)


@pytest.mark.parametrize("lr", [True, "0.1", None, [0.1]])
def test_lr_not_a_number(lr):
    with pytest.raises(TypeError, match=r"lr: expected a positive number, got "):
        train(lr=lr)


@pytest.mark.parametrize("epochs", [0, -1])
def test_epochs_below_one(epochs):
    with pytest.raises(ValueError, match=f"epochs: expected a whole number of at least 1, got {epochs}"):
        train(epochs=epochs)


@pytest.mark.parametrize("epochs", [2.0, 2.5, "5", True])
def test_epochs_not_a_whole_number(epochs):
    with pytest.raises(TypeError, match="epochs: expected a whole number of at least 1, got "):
        train(epochs=epochs)


@pytest.mark.parametrize("batch_size", [0, -2])
def test_batch_size_below_one(batch_size):
    with pytest.raises(ValueError, match="batch_size: expected a whole number of at least 1"):
        train(batch_size=batch_size)


def test_batch_size_above_the_number_of_rows():
    with pytest.raises(ValueError, match=r"batch_size: expected at most the number of rows \(4\), got 5"):
        train(batch_size=5)


@pytest.mark.parametrize("batch_size", [2.0, True])
def test_batch_size_not_a_whole_number(batch_size):
    with pytest.raises(TypeError, match="batch_size: expected a whole number"):
        train(batch_size=batch_size)


def test_shuffle_not_a_bool():
    with pytest.raises(TypeError, match="shuffle: expected True or False, got 'yes'"):
        train(shuffle="yes")


def test_unknown_engine():
    with pytest.raises(ValueError, match="engine: expected 'auto', 'python' or 'numpy', got 'torch'"):
        train(engine="torch")


@pytest.mark.parametrize("batch_size", [2, 3, 4])
@pytest.mark.parametrize(("activation", "loss"), [("linear", "mse"), ("sigmoid", "bce"), ("relu", "mse")])
def test_engines_agree_on_batches(batch_size, activation, loss):
    """Mini-batches on plain floats: each step is the mean of its rows' losses and gradients, as in numpy."""
    ds = hp.load_placements() if loss == "bce" else hp.load_students()
    p = hp.init_params([2, 3, 1], weight=None, seed=4)
    a, b = (hp.train(p, ds.X / 10, ds.y, lr=0.05, epochs=15, activation=activation, loss=loss, shuffle=True, seed=3,
                     batch_size=batch_size, engine=e) for e in ENGINES)
    assert a.z_flat is None and b.z_flat is None and a.batch_size == batch_size
    for name in ARRAYS[:6]:
        x, y = getattr(a, name), getattr(b, name)
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12 * float(np.max(np.abs(y), initial=0.0)), err_msg=name)
    assert a.diverged_at == b.diverged_at


def test_python_engine_batches_diverge_like_numpy():
    a, b = (hp.train(p221(1.0), X, Y, lr=1.0, epochs=50, batch_size=2, engine=e) for e in ENGINES)
    assert a.diverged and a.diverged_at == b.diverged_at and a.message == b.message


def test_train_on_one_row_needs_rows():
    with pytest.raises(ValueError, match=r"X: expected rows \(m, 2\), got shape \(2,\)"):
        train(X=X[0], y=Y[0])


def test_train_y_column_is_not_broadcast():
    with pytest.raises(ValueError, match=r"y: expected a 1-D array, got shape \(4, 1\)"):
        train(y=Y[:, None])


def test_train_y_wrong_length():
    with pytest.raises(ValueError, match=r"y: expected shape \(4,\), one target a row of X, got \(5,\)"):
        train(y=np.arange(5.0))


def test_train_nan_in_X():
    with pytest.raises(ValueError, match="X: contains NaN or infinite values"):
        train(X=np.where(X == 9, np.nan, X))


def test_train_inf_in_params():
    p = p221()
    p["W2"] = np.array([[np.inf], [0.1]])
    with pytest.raises(ValueError, match=r"params\['W2'\]: contains NaN or infinite values"):
        train(params=p)


def test_train_unknown_activation_and_loss():
    with pytest.raises(ValueError, match="activation: unknown 'Sigmoid'"):
        train(activation="Sigmoid")
    with pytest.raises(ValueError, match="loss: unknown 'cross_entropy'"):
        train(loss="cross_entropy")


def test_train_bce_needs_sigmoid_and_0_1_targets():
    with pytest.raises(ValueError, match="loss: 'bce' needs a sigmoid output"):
        train(X=PLACEMENTS.X, y=PLACEMENTS.y, loss="bce", activation="relu")
    with pytest.raises(ValueError, match="y: bce needs targets between 0 and 1, got values from 4.0 to 7.0"):
        train(loss="bce", activation="sigmoid")


def test_train_output_layer_not_one():
    with pytest.raises(ValueError, match="params: the output layer must have 1 neuron"):
        train(params=hp.init_params([2, 2, 2]))


@pytest.mark.parametrize("engine", ENGINES)
def test_params_in_another_key_order_or_as_lists(engine):
    p = hp.init_params([2, 3, 1], weight=None, seed=8)
    ref = hp.train(p, X, Y, lr=0.001, epochs=3, engine=engine)
    for other in ({k: p[k] for k in sorted(p)}, {k: v.tolist() for k, v in p.items()}):
        hist = hp.train(other, X, Y, lr=0.001, epochs=3, engine=engine)
        for name in ARRAYS:
            np.testing.assert_array_equal(getattr(hist, name), getattr(ref, name))
        assert hp.as_named(hist.params) == hp.as_named(ref.params)


# ---- prefixes and continuations (the training sliders cache one run and read its epochs) ----

@pytest.mark.parametrize("batch_size, lr", [(1, 0.001), (2, 0.001), (3, 0.001), (1, 0.05)])
def test_first_epochs_and_train_more_equal_training_at_once(batch_size, lr):
    kw = dict(lr=lr, batch_size=batch_size)
    long = hp.train(p221(0.1), X, Y, epochs=9, **kw)
    for e in (1, 4, 9):
        want = hp.train(p221(0.1), X, Y, epochs=e, **kw)
        for got in (long.first_epochs(e), hp.train_more(hp.train(p221(0.1), X, Y, epochs=1, **kw), e)):
            assert (got.epochs, got.diverged_at, got.epoch_loss) == (want.epochs, want.diverged_at, want.epoch_loss)
            for name in ARRAYS:
                a, b = getattr(got, name), getattr(want, name)
                assert (a is None and b is None) or np.array_equal(a, b), name


def test_first_epochs_and_train_more_reject_what_they_cannot_do():
    hist = hp.train(p221(0.1), X, Y, epochs=3)
    with pytest.raises(ValueError, match="epochs: expected at most the 3 epochs"):
        hist.first_epochs(4)
    with pytest.raises(ValueError, match="epochs: expected at least the 3 epochs"):
        hp.train_more(hist, 2)
    with pytest.raises(ValueError, match="shuffle=False"):
        hp.train_more(hp.train(p221(0.1), X, Y, epochs=2, shuffle=True, seed=3), 4)


def test_replace_shares_every_field_it_is_not_given_and_refuses_unknown_ones():
    hist = hp.train(p221(0.1), X, Y, lr=0.001, epochs=3)
    same = hist.replace()
    for name in ARRAYS:
        assert getattr(same, name) is getattr(hist, name)
    assert (same.lr, same.epochs, same.layer_sizes, same.diverged_at) == (hist.lr, 3, hist.layer_sizes, None)
    assert hist.replace(epochs=7).epochs == 7 and hist.epochs == 3
    with pytest.raises(TypeError, match=r"replace: unknown fields \['nope'\]"):
        hist.replace(nope=1)


def test_a_step_names_its_student_counted_from_one():
    hist = hp.train(p221(1.0), X, Y, lr=0.001, epochs=1)
    assert [s.student for s in hist.steps] == [s.row + 1 for s in hist.steps] == [1, 2, 3, 4]


def test_a_long_run_writes_its_step_count_with_thousands_separators():
    ds = hp.load_students()
    hist = hp.train(hp.init_params([2, 2, 1], weight=0.1), ds.X, ds.y, lr=0.001, epochs=300)
    assert hist.message == "Trained for 1,200 steps without diverging."


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"loss": "MSE"}, "loss: unknown 'MSE'; expected one of ['mse', 'bce'], did you mean 'mse'?"),
    ({"loss": "squared error"}, "did you mean 'mse'?"),
    ({"loss": "Binary cross-entropy", "activation": "sigmoid"}, "did you mean 'bce'?"),
    ({"activation": "identity"}, "activation: unknown 'identity'; expected one of ['linear', 'sigmoid', 'relu'], "
                                 "did you mean 'linear'?"),
    ({"activation": "tanh"}, "activation: unknown 'tanh'; expected one of ['linear', 'sigmoid', 'relu']"),
])
def test_a_name_the_text_uses_gets_the_package_spelling_in_the_error(kwargs, message):
    """The text says MSE, BCE and 'the identity'; the package's names are 'mse', 'bce' and 'linear'."""
    ds = hp.load_students()
    with pytest.raises(ValueError) as err:
        hp.gradients(hp.init_params([2, 2, 1]), ds.X[0], ds.y[0], **kwargs)
    assert message in str(err.value) and (str(err.value).endswith("'relu']") or "did you mean" in str(err.value))
