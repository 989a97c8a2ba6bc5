"""The budget on what a run keeps and how long it takes (issue 21, defects 1-4): every loop a learner can
reach is refused before it starts, with a message naming the knob the function takes; a run at the edge
of a stated memory stays within it, measured with tracemalloc."""

import inspect
import tracemalloc

import pytest

import helpers as hp
from helpers.maths import budget, bugs
from helpers.maths.lessons import stability

DS = hp.load_students()
X, Y = DS.X, DS.y


def peak_bytes(fn):
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def refused(fn, knob):
    """fn raises a ValueError naming `knob`, before allocating anything large."""
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as err:
            fn()
        assert tracemalloc.get_traced_memory()[1] < 5_000_000
    finally:
        tracemalloc.stop()
    assert f"{knob}=" in str(err.value), str(err.value)
    return str(err.value)


def edge_epochs(sizes, limit, batch_size=1):
    """The most epochs `train` allows under `max_memory=limit` (by bisection on the check itself)."""
    P = hp.init_params(sizes, weight=0.001)
    lo, hi = 1, 10**6
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            budget.check("t", *budget.train_cost(hp.n_params(sizes), sum(sizes[1:]), len(Y), batch_size, mid,
                                                 hp.n_params(sizes) <= 200 and batch_size <= 16), limit, None, "")
            lo = mid
        except ValueError:
            hi = mid - 1
    with pytest.raises(ValueError, match="max_memory="):
        hp.train(P, X, Y, lr=1e-5, epochs=lo + 1, batch_size=batch_size, max_memory=limit)
    return P, lo


@pytest.mark.parametrize("sizes, batch_size, limit", [([2, 2, 1], 1, 3e6), ([2, 2, 1], 4, 1e6),
                                                      ([2, 3000, 1], 1, 2e7), ([2, 3000, 1], 2, 2e7)])
def test_a_run_at_the_memory_edge_stays_within_the_stated_memory(sizes, batch_size, limit):
    P, epochs = edge_epochs(sizes, limit, batch_size)
    hist, peak = peak_bytes(lambda: hp.train(P, X, Y, lr=1e-5, epochs=epochs, batch_size=batch_size,
                                             max_memory=limit))
    assert hist.n_steps == epochs * -(-len(Y) // batch_size)
    assert peak <= limit, (peak, limit)
    assert peak > limit / 3, (peak, limit)      # the estimate is not wildly pessimistic either


def test_the_default_memory_limit_is_stated_and_holds_for_the_wide_run_of_the_issue():
    P = hp.init_params([2, 3000, 1], weight=0.001)
    text = refused(lambda: hp.train(P, X, Y, lr=1e-5, epochs=1000), "max_memory")
    assert "more than the limit of 0.5 GB" in text
    assert budget.MAX_MEMORY == 500_000_000


@pytest.mark.parametrize("sizes, epochs", [([2, 10**5, 1], 1000), ([2, 100, 1], 250000)])
def test_the_issues_runs_are_refused_at_once(sizes, epochs):
    P = hp.init_params(sizes, weight=0.001)
    refused(lambda: hp.train(P, X, Y, lr=1e-5, epochs=epochs), "max_memory")


def test_time_is_limited_too_with_its_own_knob():
    P = hp.init_params([2, 2, 1], weight=0.001)
    refused(lambda: hp.train(P, X, Y, lr=1e-5, epochs=1000, max_seconds=1e-3), "max_seconds")
    assert hp.train(P, X, Y, lr=1e-5, epochs=10, max_seconds=1.0).n_steps == 40


def test_train_until_has_an_overall_limit():
    P = hp.init_params([2, 2, 1], weight=0.1)
    refused(lambda: hp.train_until(P, X, Y, 0.001, max_epochs=10**8), "max_memory")    # 2 floats an epoch
    text = refused(lambda: hp.train_until(P, X, Y, 0.001, max_epochs=10**400), "max_memory")
    assert "max_epochs=about 10**400" in text
    refused(lambda: hp.train_until(P, X, Y, 0.001, max_epochs=10**6), "max_seconds")
    run = hp.train_until(P, X, Y, 0.001, max_epochs=50, max_seconds=5)
    assert len(run.epoch_loss) == 50


def test_full_batch_from_has_the_same_limit_and_takes_one_count():
    P = hp.init_params([2, 2, 1], weight=0.1)
    refused(lambda: hp.full_batch_from(P, X, Y, 0.001, epochs=(10, 10**8)), "max_memory")
    refused(lambda: hp.full_batch_from(P, X, Y, 0.001, epochs=(10, 10**6)), "max_seconds")
    rows = hp.full_batch_from(P, X, Y, 0.001, epochs=20)
    assert [r["full-batch epochs"] for r in rows] == [20]
    with pytest.raises(ValueError, match="epochs"):
        hp.full_batch_from(P, X, Y, 0.001, epochs=())


def test_train_by_hand_is_bounded():
    P = hp.init_params([2, 2, 1], weight=0.1)
    text = refused(lambda: bugs.train_by_hand(bugs.update_by_hand, P, X, Y, epochs=10**400), "max_memory")
    assert "for about 10**400 epochs" in text
    refused(lambda: bugs.train_by_hand(bugs.update_by_hand, P, X, Y, epochs=10**6), "max_seconds")
    assert len(bugs.train_by_hand(bugs.update_by_hand, P, X, Y, epochs=3)) == 3


def test_the_stepper_is_bounded():
    """The stepper caps its own runs (issue 22: 1000 steps, 20 rows); its layers are at most 16 neurons, refused
    at the edge before anything is built, and at most 3 hidden layers."""
    with pytest.raises(ValueError, match="hidden: .*at most 16 hidden neurons, got 100000"):
        hp.stepper(hidden=10**5)
    with pytest.raises(ValueError, match=r"params: .*at most 16 neurons and at most 3 hidden layers, got layer "
                                         r"sizes \[2, 17, 1\]"):
        hp.stepper(params=hp.init_params([2, 17, 1]))
    assert hp.stepper(hidden=16, epochs=1).history.layer_sizes == [2, 16, 1]
    st = hp.stepper(epochs=10**6)          # capped to the stepper's 1000 steps, and it says so
    assert st.history.n_steps == 1000 and "at most 1000 steps" in st.trace["warning"]
    assert "not 1000000;" in st.trace["warning"]
    assert "not about 10**400;" in hp.stepper(epochs=10**400).trace["warning"]     # no 401-digit number
    with pytest.raises(ValueError, match=r"params: .*at most 3 hidden layers"):     # its trace takes seconds
        hp.stepper(params=hp.init_params([2] + [16] * 80 + [1], weight=0.01))
    assert hp.stepper(params=hp.init_params([2, 16, 16, 16, 1], weight=0.01), epochs=1).history.n_steps == 4


def test_numerical_gradients_are_bounded_and_one_entry_is_cheap():
    P = hp.init_params([2, 10**4, 1], weight=0.001)
    refused(lambda: hp.numerical_gradients(P, X[0], Y[0], max_seconds=1), "max_seconds")
    from helpers.maths.gradcheck import numerical_gradient
    g = hp.gradients(P, X[0], Y[0])
    assert numerical_gradient(P, X[0], Y[0], "w11^2") == pytest.approx(g["W2"][0, 0], rel=1e-6)


FUNCTIONS = [hp.train, stability.train_until, hp.full_batch_from, bugs.train_by_hand, hp.descent_paths,
             hp.init_picker, hp.train_more]


@pytest.mark.parametrize("call, knob", [
    (lambda: hp.descent_paths(hp.init_params([2, 2, 1], weight=0.1), X, Y, ("w11^1", "w11^2"), 0.001, 10**6),
     "max_memory"),
    (lambda: hp.train_until(hp.init_params([2, 2, 1], weight=0.1), X, Y, 0.001, max_epochs=10**7), "max_seconds"),
    (lambda: hp.init_picker(X, Y, epochs=10**6), "max_memory"),
    (lambda: hp.train_more(hp.train(hp.init_params([2, 2, 1], weight=0.1), X, Y, epochs=1), 10**6), "max_memory"),
], ids=["descent_paths", "train_until", "init_picker", "train_more"])
def test_the_functions_that_said_max_steps_name_a_knob_they_take(call, knob):
    text = refused(call, knob)
    assert "max_steps" not in text


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
def test_every_function_whose_message_names_a_knob_takes_it(fn):
    names = inspect.signature(fn).parameters
    assert "max_memory" in names and "max_seconds" in names
