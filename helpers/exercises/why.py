"""Checkers for the "Your turn" cells of the "Why" notebook; each expected value is computed, never typed in.

Set-up: the student network 2-2-1, biases 0, per-sample gradient descent, rows in order. No answer is printed
in the notebook before its exercise: the questions ask for another network, another threshold, or a reading
of a plot.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..maths import notation
from ..maths.data import load_students
from ..maths.network import gradients, init_params
from ..maths.notation import n_params
from ..maths.training import train
from .feedback import Feedback, check_answer, check_choice, progress, record, register

NB = "03_why"
FIRST_LR = 0.001
PLOT_RATES = {"small η = 0.0001": 0.0001, "good η = 0.001": 0.001, "too large η = 0.01": 0.01,
              "diverging η = 0.02": 0.02}     # the runs of the plot in section 2
PLOT_EPOCHS, PLOT_LEVEL = 100, 1.0
CHOICE_RATES, CHOICE_EPOCHS, CHOICE_LEVEL = (0.001, 0.002, 0.004, 0.006, 0.012), 300, 0.2
SYMMETRIC_WEIGHT, SYMMETRIC_LR, SYMMETRIC_EPOCHS = 0.3, 0.001, 50
COST_SIZES = (3, 5, 4, 1)

E_DL = register(NB, 1, "the loss change of one small step (after section 1)", "derive something new")
E_PLOT = register(NB, 2, "which curve gets below loss 1 first (the plot of section 2)", "read a plot")
E_LR = register(NB, 3, "the rate that trains in the fewest epochs (after section 2)", "choose")
E_PASSES = register(NB, 4, "finite-difference passes for a 3-5-4-1 network (after section 3)",
                    "compute: another network")
E_SYM = register(NB, 5, "w22^1 - w21^1 after training from equal weights (after section 4)",
                 "predict, then check")


def _students():
    ds = load_students()
    return ds.X, ds.y


# ---- 1: first-order change of the loss ----

def expected_loss_change() -> float:
    """To first order, the change of student 1's loss when w11^2 takes one step -η·∂L/∂w11^2 (weights 1, η 0.001)."""
    X, y = _students()
    g = notation.get(gradients(init_params([2, 2, 1], weight=1.0), X[0], y[0]), "w11^2")
    return -FIRST_LR * g * g


def check_loss_change(answer) -> Feedback:
    """Exercise 1: ΔL ≈ ∂L/∂w · Δw with Δw = -η·∂L/∂w, for w11^2 and student 1."""
    X, y = _students()
    g = notation.get(gradients(init_params([2, 2, 1], weight=1.0), X[0], y[0]), "w11^2")
    slips = [(FIRST_LR * g * g, "check the sign: moving against the gradient lowers the loss."),
             (-FIRST_LR * g, "that is the change of w11^2 (Δw). The loss changes by the slope times Δw."),
             (-g * g, "did you forget the learning rate in Δw = -η · ∂L/∂w?"),
             (FIRST_LR * g, "that is the size of Δw with the wrong sign; the loss changes by the slope times Δw.")]
    return record(E_DL, check_answer(answer, expected_loss_change(), "ΔL", rtol=1e-4, slips=slips,
                                     why="ΔL ≈ ∂L/∂w · Δw = -η (∂L/∂w)²: never positive, which is why the minus "
                                         "sign works for a small enough η."))


# ---- 2: read the plot of section 2 ----

@lru_cache(maxsize=1)
def expected_first_below() -> str:
    """The label of the section-2 run whose epoch loss first drops below 1."""
    X, y = _students()
    start = init_params([2, 2, 1], weight=0.1)
    first = {}
    for label, lr in PLOT_RATES.items():
        loss = np.asarray(train(start, X, y, lr=lr, epochs=PLOT_EPOCHS).epoch_loss)
        below = np.flatnonzero(loss < PLOT_LEVEL)
        if len(below):
            first[label] = below[0]
    return min(first, key=first.get)


def check_first_below(answer) -> Feedback:
    """Exercise 2: which run in the plot of section 2 gets its loss below 1 first? Answer with its label."""
    slips = {"good η = 0.001": "look at the first 20 epochs only: which curve drops fastest?",
             "small η = 0.0001": "that curve is the slowest: after 100 epochs it is still falling.",
             "diverging η = 0.02": "that curve leaves the plot: its loss grows without bound."}
    return record(E_PLOT, check_choice(answer, tuple(PLOT_RATES), expected_first_below(), "the run", slips=slips,
                                       why="the larger rate falls fastest at first, then bounces and ends above "
                                           "the good rate. Fast early does not mean best at the end."))


# ---- 3: choose a learning rate ----

@lru_cache(maxsize=32)
def epochs_to_level(lr: float, level: float = CHOICE_LEVEL, epochs: int = CHOICE_EPOCHS) -> int | None:
    """Epochs until the epoch loss first drops below `level` (weights 0.1), or None if it never does or diverges.

    Cached: a learner's repeated tries answer at once."""
    X, y = _students()
    h = train(init_params([2, 2, 1], weight=0.1), X, y, lr=lr, epochs=epochs)
    if h.diverged:
        return None
    below = np.flatnonzero(np.asarray(h.epoch_loss) < level)
    return int(below[0]) + 1 if len(below) else None


def expected_best_rate() -> float:
    """The rate in CHOICE_RATES that first gets below CHOICE_LEVEL, without diverging."""
    counts = {lr: epochs_to_level(lr) for lr in CHOICE_RATES}
    return min((lr for lr in counts if counts[lr] is not None), key=counts.get)


def check_best_rate(answer) -> Feedback:
    """Exercise 3: which η gets the epoch loss below 0.2 in the fewest epochs, without diverging?"""
    best = expected_best_rate()
    slips = {}
    for lr in CHOICE_RATES:
        n = epochs_to_level(lr)
        if n is None:
            slips[lr] = ("that rate never gets below 0.2 in 300 epochs: it diverges, or bounces above the level. "
                         "Try it with hp.train and look at hist.epoch_loss.")
        elif lr < best:
            slips[lr] = "that rate trains, but a larger safe rate gets there sooner."
        elif lr != best:
            slips[lr] = "that rate is safe, but it bounces; a smaller one gets below 0.2 sooner."
    return record(E_LR, check_choice(answer, CHOICE_RATES, best, "η", slips=slips,
                                     why="the fastest rate is large, but not the largest that still trains: near "
                                         "the edge the loss bounces instead of falling."))


# ---- 4: finite differences on another network ----

def expected_fd_passes(sizes=COST_SIZES) -> int:
    """Forward passes for one gradient by centred differences: two per parameter."""
    return 2 * n_params(sizes)


def check_fd_passes(answer) -> Feedback:
    """Exercise 4: how many forward passes centred differences need for a [3, 5, 4, 1] network."""
    n = n_params(COST_SIZES)
    weights = sum(a * b for a, b in zip(COST_SIZES[:-1], COST_SIZES[1:]))
    slips = [(n, "that is one pass per parameter; centred differences need two (w + ε and w - ε)."),
             (2 * weights, "biases are parameters too: add one per neuron after the input layer."),
             (weights, "biases are parameters too, and centred differences need two passes per parameter."),
             (2 * n + 1, "the centred formula never needs the loss at w itself.")]
    return record(E_PASSES, check_answer(answer, expected_fd_passes(), "the number of forward passes", rtol=0,
                                         close=0, slips=slips,
                                         why="3·5 + 5·4 + 4·1 weights plus 5 + 4 + 1 biases, two passes each; "
                                             "backpropagation needs one forward and one backward pass."))


# ---- 5: symmetry ----

def expected_symmetric_gap() -> float:
    """w22^1 - w21^1 after training from all weights 0.3 for 50 epochs at η = 0.001 (0 by symmetry)."""
    X, y = _students()
    hist = train(init_params([2, 2, 1], weight=SYMMETRIC_WEIGHT), X, y, lr=SYMMETRIC_LR, epochs=SYMMETRIC_EPOCHS)
    W1 = hist.params["W1"]
    return float(W1[1, 1] - W1[1, 0])


def check_symmetric_gap(answer) -> Feedback:
    """Exercise 5: predict w22^1 - w21^1 after training from all weights 0.3, then check it."""
    fb = check_answer(answer, expected_symmetric_gap(), "w22^1 - w21^1", rtol=1e-9,
                      why="both hidden neurons start equal, get equal gradients, and so stay equal forever.")
    if fb.answered and not fb.ok and not fb.startswith(("Not yet", "Close")):
        return record(E_SYM, fb)                      # not a number: say so
    if not fb.ok and fb.answered:
        fb = Feedback("Not yet: at the start w21^1 = w22^1. Compare the gradients the two hidden neurons get: "
                      "can they ever differ? Try again.", False)
    return record(E_SYM, fb)


def show_progress() -> Feedback:
    """Which of this notebook's exercises were solved in this kernel session."""
    return progress(NB)
