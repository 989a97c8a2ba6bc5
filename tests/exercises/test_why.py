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


def test_loss_change():
    right = -0.001 * 896**2
    assert ex.expected_loss_change() == pytest.approx(right) and ex.check_loss_change(-802.8).ok
    for slip, word in {802.816: "sign", -0.896: "change of w11^2", -896**2: "learning rate",
                       0.896: "wrong sign"}.items():
        f = ex.check_loss_change(slip)
        assert not f.ok and word in f and not leaks(f, right) and not leaks(f, -802.8), f


def test_first_below_reads_the_plot():
    firsts = {label: first_below(lr, 1.0, 100) for label, lr in ex.PLOT_RATES.items()}
    best = min((k for k in firsts if firsts[k] is not None), key=firsts.get)
    assert best == ex.expected_first_below() == "too large η = 0.01"
    assert ex.check_first_below("too large η = 0.01").ok
    for label, word in {"good η = 0.001": "first 20 epochs", "diverging η = 0.02": "leaves the plot",
                        "small η = 0.0001": "slowest"}.items():
        f = ex.check_first_below(label)
        assert not f.ok and word in f and "0.01" not in f, f


def test_best_rate():
    counts = {lr: first_below(lr, 0.2, 300) for lr in ex.CHOICE_RATES}
    assert counts == {0.001: 71, 0.002: 39, 0.004: 29, 0.006: None, 0.012: None}
    assert ex.expected_best_rate() == 0.004 and ex.check_best_rate(0.004).ok
    assert "never gets below 0.2" in ex.check_best_rate(0.012) and "never gets below" in ex.check_best_rate(0.006)
    assert "larger safe rate" in ex.check_best_rate(0.001)
    assert "should be one of" in ex.check_best_rate(0.005)


def test_fd_passes():
    n = 3 * 5 + 5 + 5 * 4 + 4 + 4 * 1 + 1
    assert ex.check_fd_passes(2 * n).ok and hp.n_params([3, 5, 4, 1]) == n == 49
    for slip, word in {49: "one pass per parameter", 78: "biases", 39: "biases", 99: "never needs"}.items():
        f = ex.check_fd_passes(slip)
        assert not f.ok and word in f and not leaks(f, 98), f


def test_symmetric_gap():
    assert ex.expected_symmetric_gap() == 0 and ex.check_symmetric_gap(0).ok and ex.check_symmetric_gap(0.0).ok
    for wrong in (0.01, -0.3, 1):
        f = ex.check_symmetric_gap(wrong)
        assert not f.ok and "can they ever differ" in f
    assert "should be a number" in ex.check_symmetric_gap("0")


@pytest.mark.parametrize("check", [ex.check_loss_change, ex.check_first_below, ex.check_best_rate,
                                   ex.check_fd_passes, ex.check_symmetric_gap])
@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_odd_answers(check, answer):
    f = check(answer)
    assert isinstance(f, str) and not f.ok


def test_progress_and_stuck():
    for _ in range(3):
        f = ex.check_fd_passes(49)
    assert "03_why_solutions.md, exercise 4" in f
    assert "4. finite-difference passes" in ex.show_progress() and "… 3 tries" in ex.show_progress()


def test_solutions_file_passes_the_checkers():
    text = SOLUTIONS.read_text(encoding="utf-8")
    answers = [eval(a) for a in re.findall(r"Answer: `answer = ([^`]+)`", text)]   # noqa: S307 (our own file)
    checks = [ex.check_loss_change, ex.check_first_below, ex.check_best_rate, ex.check_fd_passes,
              ex.check_symmetric_gap]
    assert len(answers) == len(checks)
    for check, answer in zip(checks, answers):
        assert check(answer).ok, (check.__name__, answer)
    for figure in ("-0.001 · 896² = -802.816", "0.001 needs 71 epochs, 0.002 needs 39, 0.004 needs 29",
                   "3·5 + 5·4 + 4·1 = 39", "2 · 49 = 98"):
        assert figure in text, figure
