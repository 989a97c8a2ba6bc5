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
    assert firsts == {"η = 0.0001": 50, "η = 0.001": 6, "η = 0.01": 5, "η = 0.02": None}
    assert ex.HALF_LR not in ex.PLOT_RATES.values()                                 # not on screen before
    n = first_below(ex.HALF_LR, 1.0, 100)
    losses = hp.train(START, DS.X, DS.y, lr=0.0005, epochs=100).epoch_loss          # epoch n is losses[n - 1]
    assert n == 11 == ex.expected_halved_rate() and losses[n - 1] < 1 <= min(losses[: n - 1])
    for guess in (9, 10, 11, 12, 13, 11.0, np.int64(11)):                      # a prediction within 2 epochs
        f = ex.check_halved_rate(guess)
        assert f.ok and "epoch 6" in f and "epoch 50" in f, f                   # the why, once judged right
    assert ex.check_halved_rate(11).startswith("Right: the epoch = 11.")          # only the measured epoch is "Right"
    for guess in (9, 10, 12, 13):                                                  # the others count, and say so
        f = ex.check_halved_rate(guess)
        assert f.startswith(f"Counts: your prediction, {guess}, is within 2 epochs of the measured one, epoch 11."), f
        assert "count from 0" not in f, f          # a prediction inside the stated window, not an index slip
    for slip, word in {6: "good rate's epoch", 50: "small rate's epoch"}.items():
        f = ex.check_halved_rate(slip)
        assert not f.ok and word in f and not leaks(f, 11), f
    for far, word in {14: "too high", 30: "too high", 8: "too low"}.items():       # tolerance 2, not 2.5
        f = ex.check_halved_rate(far)
        assert not f.ok and word in f and not leaks(f, 11), f
    for part in (13.4, 11.5, 10.6, 9.2):                                      # epochs are whole: a hint, not "Right"
        f = ex.check_halved_rate(part)
        assert not f.ok and "whole number" in f and not leaks(f, 11), f


def test_memory():
    params = (2 * 100 + 100) + (100 * 100 + 100) + (100 + 1)               # [2, 100, 100, 1]
    per_row = 2 * (100 + 100 + 1)                                           # z and O, every neuron
    rows = next(r for r in range(1, 10**6) if per_row * r > params)
    assert (params, rows) == (10501, 27) == (params, ex.expected_memory())
    assert hp.forward_memory([2, 100, 100, 1], 27)["values kept"] > 10501 >= hp.forward_memory([2, 100, 100, 1], 26)[
        "values kept"]
    assert ex.check_memory(27).ok and ex.check_memory(27.0).ok and "402 · 27 = 10854" in ex.check_memory(27)
    for slip, word in {26: "must be more", 53: "two numbers", params: "parameters"}.items():
        f = ex.check_memory(slip)
        assert not f.ok and word in f and not leaks(f, rows), f
    assert "too high" in ex.check_memory(28) and "too low" in ex.check_memory(14)


def test_scaled_rate():
    big = hp.load_students_large()
    m = len(big.y)
    for factor in (1.0, 10.0):                     # the rate bisection finds is near 2 / λmax of the Hessian
        A = np.c_[big.X * [1, factor], np.ones(m)]
        edge = 2 / np.linalg.eigvalsh(2 * A.T @ A / m)[-1]
        rate = ex._scaled_rates()[factor == 10]
        assert rate == pytest.approx(edge, rel=0.01)
    raw, scaled = ex._scaled_rates()
    assert ex.expected_scaled_rate() == scaled / raw and 0.0095 < scaled / raw < 0.0105   # about 1/100
    iq = big.X[:, 1:]                              # the solutions: without cgpa the factor is 1/100 to 4 digits
    assert float(f"{hp.edge_from_curvature(iq * 10) / hp.edge_from_curvature(iq):.4g}") == 0.01
    for guess in (0.01, 1 / 100, 0.0101, 0.0095, 0.009, 0.011):            # one significant figure, both sides
        f = ex.check_scaled_rate(guess)
        assert f.ok and f"{raw:.3g}" in f and f"{scaled:.3g}" in f and "off" in f, f   # the reveal, after
    assert abs(0.009 / (scaled / raw) - 1) > abs(0.011 / (scaled / raw) - 1)   # 0.009 is the farther of the two
    for far, word in {0.008: "too low", 0.012: "too high"}.items():        # two units off, either side: not yet
        f = ex.check_scaled_rate(far)
        assert not f.ok and word in f and not leaks(f, scaled / raw), f
    for slip, word in {0.1: "square", 1: "steeper", 10: "smaller, not larger", 100: "smaller, not larger",
                       scaled: "the new rate itself"}.items():
        f = ex.check_scaled_rate(slip)
        assert not f.ok and word in f and not leaks(f, scaled) and not leaks(f, scaled / raw), f
    assert "too low" in ex.check_scaled_rate(0.005) and "too high" in ex.check_scaled_rate(0.02)


@pytest.mark.parametrize("check", [ex.check_loss_change, ex.check_halved_rate, ex.check_memory,
                                   ex.check_scaled_rate])
@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_odd_answers(check, answer):
    f = check(answer)
    assert isinstance(f, str) and not f.ok


def test_progress_and_stuck():
    for _ in range(3):
        f = ex.check_memory(53)
    assert "03_why_solutions.md, exercise 3" in f
    assert "3. the batch at which the values kept outnumber" in ex.show_progress() and "… 3 tries" in ex.show_progress()


def test_solutions_file_passes_the_checkers():
    text = SOLUTIONS.read_text(encoding="utf-8")
    answers = [eval(a) for a in re.findall(r"Answer: `answer = ([^`]+)`", text)]   # noqa: S307 (our own file)
    checks = [ex.check_loss_change, ex.check_halved_rate, ex.check_memory, ex.check_scaled_rate]
    assert len(answers) == len(checks)
    for check, answer in zip(checks, answers):
        assert check(answer).ok, (check.__name__, answer)
    for figure in ("-0.001 · 896² = -802.816", "(4 - 17.664)² - 784 = -597.295", "½ · 512 · 0.896² = 205.521",
                   "epoch 6", "epoch 50", "η = 0.0005",
                   "2 · (100 + 100 + 1) = 402", "10501 in all", f"10501 / 402 = {10501 / 402:.1f}",
                   "402 · 27 = 10854", f"26 rows keep {26 * 402} values", f"{ex._scaled_rates()[0]:.3g}",
                   f"{ex._scaled_rates()[1]:.3g}", f"{ex.expected_scaled_rate():.4g}", "within 15%"):
        assert figure in text, figure


def test_half_the_rate_gets_a_little_further_per_two_epochs():
    """Exercise 2's feedback and solution: epoch 2t at η = 0.0005 is below epoch t at η = 0.001, so the epoch
    below 1 comes a little sooner than doubling the good rate's 6."""
    ds, start = hp.load_students(), hp.init_params([2, 2, 1], weight=0.1)
    good = hp.train(start, ds.X, ds.y, lr=0.001, epochs=10).epoch_loss
    half = hp.train(start, ds.X, ds.y, lr=0.0005, epochs=20).epoch_loss
    assert all(half[2 * t - 1] < good[t - 1] for t in range(1, 11))
    assert ex.expected_halved_rate() < 2 * 6


def test_one_decimal_cut_off_and_inputs_counted_as_neurons_get_their_own_hints():
    """Exercise 1 asks for one decimal: -597.2 (cut off) is told to round, not to keep every digit; exercise 3's
    26, the count with the inputs as neurons, is told why the inputs are not counted."""
    f = ex.check_loss_change(-597.2)
    assert not f.ok and "round to the nearest tenth" in f and "keep every digit" not in f, f
    assert ex.check_loss_change(-597.3).ok
    f = ex.check_memory(ex.expected_memory() - 1)
    assert not f.ok and "inputs as neurons" in f and "do not yet outnumber" in f, f


def test_close_on_the_one_decimal_exercise_asks_for_one_decimal():
    f = ex.check_loss_change(-597.35)                # 0.055 off: not within 0.05
    assert not f.ok and f.startswith("Close") and "one decimal" in f and not leaks(f, ex.expected_loss_change()), f
