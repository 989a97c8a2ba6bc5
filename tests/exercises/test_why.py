"""The checkers of notebook 03: right answers computed here independently, each slip's hint, odd answers."""

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ODD_ANSWERS, leaks

import helpers as hp
from helpers.exercises import why as ex

SOLUTIONS = Path(__file__).parents[2] / "notebooks" / "solutions" / "03_why_solutions.md"
DS = hp.load_students()
START = hp.init_params([2, 2, 1], weight=0.1)


def first_below(lr, level, epochs):
    h = hp.train(START, DS.X, DS.y, lr=lr, epochs=epochs)
    below = np.flatnonzero(np.asarray(h.epoch_loss) < level)
    return None if h.diverged or not len(below) else int(below[0]) + 1


def test_loss_change_is_the_true_change():
    # student 1, weights 1: O11 = O12 = 16, ŷ = 32, L = 784; w11^2 -= 0.001 · 896 gives ŷ = 0.104 · 16 + 16
    true = (4 - (0.104 * 16 + 16)) ** 2 - (4 - 32) ** 2
    first = -0.001 * 896**2
    assert ex.expected_loss_change() == pytest.approx(true) == pytest.approx(-597.295104)
    assert ex.check_loss_change(-597.295).ok and ex.check_loss_change(true).ok
    assert true - first == pytest.approx(0.5 * 2 * 16**2 * 0.896**2)       # the second-order term closes the gap
    right = ex.check_loss_change(true)
    assert "-802.816" in right and "larger in size than the loss" in right      # the gap, once answered
    for slip, word in {first: "first-order estimate", -first: "sign", -true: "sign", -0.896: "change of w11^2",
                       784 + true: "loss after the step"}.items():
        f = ex.check_loss_change(slip)
        assert not f.ok and word in f and not leaks(f, true) and not leaks(f, round(true, 1)), f


def test_halved_rate_is_not_in_the_plot_and_is_counted_from_1():
    firsts = {label: first_below(lr, 1.0, 100) for label, lr in ex.PLOT_RATES.items()}
    assert firsts == {"small η = 0.0001": 50, "good η = 0.001": 6, "large η = 0.01": 5, "diverging η = 0.02": None}
    assert ex.HALF_LR not in ex.PLOT_RATES.values()                                 # not on screen before
    n = first_below(ex.HALF_LR, 1.0, 100)
    losses = hp.train(START, DS.X, DS.y, lr=0.0005, epochs=100).epoch_loss          # epoch n is losses[n - 1]
    assert n == 11 == ex.expected_halved_rate() and losses[n - 1] < 1 <= min(losses[: n - 1])
    assert ex.check_halved_rate(11).ok and ex.check_halved_rate(11.0).ok and ex.check_halved_rate(np.int64(11)).ok
    assert "epoch 6" in ex.check_halved_rate(11) and "epoch 50" in ex.check_halved_rate(11)   # the why, once right
    for slip, word in {10: "count the epochs from 1", 6: "good rate's epoch", 50: "small rate's epoch",
                       12: "doubles the good rate's epoch"}.items():
        f = ex.check_halved_rate(slip)
        assert not f.ok and word in f and not leaks(f, 11), f
    assert "too high" in ex.check_halved_rate(30) and "too low" in ex.check_halved_rate(8)
    assert not ex.check_halved_rate(11.5).ok and "too high" in ex.check_halved_rate(11.5)


def test_best_rate():
    counts = {lr: first_below(lr, 0.2, 300) for lr in ex.CHOICE_RATES}
    assert counts == {0.001: 71, 0.002: 39, 0.004: 29, 0.006: None, 0.012: None}
    assert ex.expected_best_rate() == 0.004 and ex.check_best_rate(0.004).ok
    assert "never gets below 0.2" in ex.check_best_rate(0.012) and "never gets below" in ex.check_best_rate(0.006)
    assert "larger safe rate" in ex.check_best_rate(0.001)
    assert "should be one of" in ex.check_best_rate(0.005)


def test_memory():
    kept = 2 * (32 + 32 + 32 + 1) * 100                                    # z and O, every neuron, every row
    assert ex.expected_memory() == kept == 19400 and ex.check_memory(19400).ok and ex.check_memory(19400.0).ok
    params = (2 * 32 + 32) + 2 * (32 * 32 + 32) + (32 + 1)
    for slip, word in {194: "one row", 9700: "two numbers", 2 * 99 * 100: "inputs", params: "parameters"}.items():
        f = ex.check_memory(slip)
        assert not f.ok and word in f and not leaks(f, kept), f
    assert "too high" in ex.check_memory(19401)


def test_scaled_rate():
    big = hp.load_students_large()
    m = len(big.y)
    for factor in (1.0, 10.0):                     # the rate bisection finds is near 2 / λmax of the Hessian
        A = np.c_[big.X * [1, factor], np.ones(m)]
        edge = 2 / np.linalg.eigvalsh(2 * A.T @ A / m)[-1]
        rate = ex.expected_scaled_rate() if factor == 10 else ex._scaled_rates()[0]
        assert rate == pytest.approx(edge, rel=0.01)
    raw, scaled = ex._scaled_rates()
    assert 95 < raw / scaled < 105                                          # about 1/100, not exactly
    assert ex.check_scaled_rate(raw / 100).ok and ex.check_scaled_rate(scaled).ok
    for slip, word in {raw: "rate for the raw inputs", raw / 10: "square", raw * 10: "smaller, not larger",
                       raw * 100: "smaller, not larger"}.items():
        f = ex.check_scaled_rate(slip)
        assert not f.ok and word in f and not leaks(f, scaled), f
    assert "Close" in ex.check_scaled_rate(scaled * 1.05)


@pytest.mark.parametrize("check", [ex.check_loss_change, ex.check_halved_rate, ex.check_best_rate,
                                   ex.check_memory, ex.check_scaled_rate])
@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_odd_answers(check, answer):
    f = check(answer)
    assert isinstance(f, str) and not f.ok


def test_progress_and_stuck():
    for _ in range(3):
        f = ex.check_memory(194)
    assert "03_why_solutions.md, exercise 4" in f
    assert "4. values kept by backpropagation" in ex.show_progress() and "… 3 tries" in ex.show_progress()


def test_solutions_file_passes_the_checkers():
    text = SOLUTIONS.read_text(encoding="utf-8")
    answers = [eval(a) for a in re.findall(r"Answer: `answer = ([^`]+)`", text)]   # noqa: S307 (our own file)
    checks = [ex.check_loss_change, ex.check_halved_rate, ex.check_best_rate, ex.check_memory,
              ex.check_scaled_rate]
    assert len(answers) == len(checks)
    for check, answer in zip(checks, answers):
        assert check(answer).ok, (check.__name__, answer)
    for figure in ("-0.001 · 896² = -802.816", "(4 - 17.664)² - 784 = -597.295", "½ · 512 · 0.896² = 205.521",
                   "epoch 6", "epoch 50", "η = 0.0005",
                   "0.001 needs 71 epochs, 0.002 needs 39, 0.004 needs 29", "2 · (32 + 32 + 32 + 1) · 100 = 19400",
                   f"{ex._scaled_rates()[0]:.3g}", f"{ex.expected_scaled_rate():.3g}"):
        assert figure in text, figure
