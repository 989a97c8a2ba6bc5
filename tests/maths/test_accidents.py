"""A learner's accidents (issue #11): each ends in a clear message naming the argument, or a sane result.

The limits on work are checked with the memory they take, measured by tracemalloc.
"""

import tracemalloc

import numpy as np
import pytest

import helpers as hp
from helpers.maths import training
from helpers.maths.lessons import bugs, stability

DS = hp.load_students()
X, Y = DS.X, DS.y
P = hp.init_params([2, 2, 1], weight=0.1)


pytestmark = pytest.mark.usefixtures("no_warnings")   # every test here fails on any warning (tests/conftest.py)


def peak_bytes(fn):
    """Run fn and return (its result or exception, the peak memory it allocated)."""
    tracemalloc.start()
    try:
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001 - the caller checks what was raised
            out = e
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ---- limits on work, with memory measured ----

def test_train_refuses_a_run_over_the_step_limit_before_allocating():
    err, peak = peak_bytes(lambda: hp.train(P, X, Y, epochs=10**6))
    assert isinstance(err, ValueError)
    assert "would keep about 2.16 GB" in str(err) and "max_memory=" in str(err)
    err, peak = peak_bytes(lambda: hp.train(P, X, Y, epochs=10**6, max_memory=1e10, max_seconds=100))
    assert "4000000 steps, more than the limit of 1000000 recorded steps" in str(err)
    assert "max_steps=" in str(err)
    assert peak < 1_000_000, peak


def test_the_limit_can_be_raised_or_lowered():
    with pytest.raises(ValueError, match="more than the limit of 10 recorded steps"):
        hp.train(P, X, Y, epochs=3, max_steps=10)
    assert hp.train(P, X, Y, epochs=3, max_steps=12).n_steps == 12


def test_a_run_at_the_limit_stays_within_its_stated_memory():
    n = 10_000
    hist, peak = peak_bytes(lambda: hp.train(P, X, Y, epochs=n // 4, lr=1e-4))
    assert hist.n_steps == n
    # scaled to the limit: within the 0.4 GB that MAX_STEPS is documented to take for 2-2-1
    print(f"peak {peak / n:.0f} bytes a step: {peak / n * training.MAX_STEPS / 1e9:.2f} GB at the limit")
    assert peak / n * training.MAX_STEPS < 0.45e9, peak


def test_stepper_caps_a_huge_number_of_epochs_in_bounded_memory():
    make = hp.stepper                      # imports ipywidgets before memory is traced
    make()
    err, peak = peak_bytes(lambda: make(epochs=10**9))
    assert not isinstance(err, Exception)  # capped to the stepper's 1000 steps, with a message (test_stepper)
    assert peak < 60_000_000, peak


def test_largest_stable_lr_has_a_floor_on_rtol():
    with pytest.raises(ValueError, match=r"rtol: expected at least 1e-9 "):
        hp.largest_stable_lr(P, X, Y, rtol=1e-16)
    assert stability.MAX_BISECTIONS == 100


# ---- the gradient check ----

def test_nan_or_inf_gradients_are_wrong():
    g = hp.gradients(P, X[0], Y[0])
    for bad in (np.nan, np.inf):
        broken = {k: v.copy() for k, v in g.items()}
        broken["W1"][0, 0] = bad
        check = hp.compare_gradients(broken, g)
        assert check.verdict == "wrong" and not check.finite
        assert "not finite" in str(check)


def test_check_update_refuses_a_rate_too_small_to_read_back():
    with pytest.raises(ValueError, match="lr: expected at least 1e-8;"):
        hp.check_update(bugs.update_by_hand, P, X[1], Y[1], lr=1e-300)
    assert hp.check_update(bugs.update_by_hand, P, X[1], Y[1]).verdict == "good"


def test_relative_error_of_huge_opposite_values_is_one():
    assert hp.relative_error([1e308], [-1e308]) == 1.0


@pytest.mark.parametrize("eps", [1e-300, 1e308])
def test_numerical_gradients_refuse_a_useless_eps(eps):
    with pytest.raises(ValueError, match="eps: expected a step from 1e-10 to 1"):
        hp.numerical_gradients(P, X[0], Y[0], eps=eps)


# ---- errors that name the argument ----

@pytest.mark.parametrize("call", [
    lambda: hp.gradients(P, X[0], None),
    lambda: hp.mean_loss(P, X, None),
    lambda: hp.numerical_gradients(P, X[0], None),
    lambda: hp.check_gradients(P, X[0], None),
    lambda: hp.train(P, X, None),
])
def test_missing_targets_are_named(call):
    with pytest.raises(TypeError, match="y: expected the target"):
        call()


def test_seed_is_named():
    with pytest.raises(TypeError, match="seed: expected None or a whole number"):
        hp.init_params([2, 2, 1], weight=None, seed="a")
    with pytest.raises(TypeError, match="seed: expected None or a whole number"):
        hp.train(P, X, Y, shuffle=True, seed="a")


def test_compare_gradients_names_its_arguments():
    with pytest.raises(ValueError, match="analytic and numeric: expected gradient dicts shaped like parameters"):
        hp.compare_gradients({"a": 1}, {"a": 1})


# ---- files ----

def test_csv_with_a_byte_order_mark_loads(tmp_path):
    f = tmp_path / "excel.csv"
    f.write_bytes("\ufeffcgpa,profile_score,lpa\n8,8,4\n7,9,5\n".encode())
    ds = hp.load_csv(f, ["cgpa", "profile_score"], "lpa")
    assert ds.X.tolist() == [[8, 8], [7, 9]] and ds.y.tolist() == [4, 5]


@pytest.mark.parametrize("data", ["cgpa,profile_score,lpa\n8,8,4\n".encode("utf-16"), bytes(range(256))])
def test_unreadable_file_names_the_file_and_encoding(tmp_path, data):
    f = tmp_path / "odd.csv"
    f.write_bytes(data)
    with pytest.raises(ValueError, match=r"odd\.csv: not readable as UTF-8 text .*expected a CSV file saved as UTF-8"):
        hp.load_csv(f, ["cgpa", "profile_score"], "lpa")


@pytest.mark.parametrize("path", [None, 123])
def test_path_of_the_wrong_type_is_named(path):
    with pytest.raises(TypeError, match="path: expected a file name"):
        hp.load_csv(path, ["cgpa"], "lpa")


# ---- no warnings, nothing silently not finite ----

def test_sgd_step_that_overflows_says_so():
    with pytest.raises(ValueError, match="lr: the step w - lr·g .* too large for float64"):
        hp.sgd_step(P, hp.gradients(P, X[0], Y[0]), 1e308)


def test_standardise_by_a_tiny_std_says_so():
    with pytest.raises(ValueError, match="std: dividing by .* too large for float64"):
        hp.standardise(X, std=[1e-320, 1])


def test_complex_input_is_refused_without_a_warning():
    with pytest.raises(TypeError, match="X: expected real numbers, got complex values"):
        hp.predict(P, X + 1j)


# ---- a run that diverges says so in words ----

def test_a_growing_loss_is_reported_as_diverging():
    hist = hp.train(P, X, Y, lr=10, epochs=5)
    assert "diverg" in hist.message
    assert hist.diverged or hist.growing


def test_diverged_message_names_epoch_and_step():
    hist = hp.train(hp.init_params([2, 2, 1], weight=10.0), X, Y, lr=0.001, epochs=100)
    epoch, at = divmod(hist.diverged_at, 4)       # counted from 0; the message counts from 1, rows by student
    assert hist.diverged and hist.message.startswith(f"Training diverged at step {at + 1} of epoch {epoch + 1} "
                                                     f"(student {at + 1}): ")


def test_epoch_at_names_the_epochs_trained():
    hist = hp.train(hp.init_params([2, 2, 1], weight=10.0), X, Y, lr=0.001, epochs=100)
    with pytest.raises(ValueError, match=r"epoch: expected 1 to \d+ \(the full epochs trained\), got 100; "
                                         r"Training diverged at step \d+ of epoch"):
        hist.epoch_at(100)
