"""Checkers for the "Your turn" cells of the "Why" notebook; each expected value is computed, never typed in.

Set-up: the student network 2-2-1, biases 0, per-sample gradient descent, rows in order. No answer is printed
in the notebook before its exercise, and none asks to re-run a call already shown: each is judged first and
reveals the measured value only once answered (a step's true loss change, a predicted epoch, the batch at
which memory outnumbers the parameters, the factor a rescaled input changes the rate by).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..maths import notation
from ..maths.data import load_students, load_students_large
from ..maths.lessons.gradient_cost import forward_memory
from ..maths.lessons.linear_fit import edge_from_curvature
from ..maths.network import gradients, init_params, mean_loss
from ..maths.notation import n_params
from ..maths.training import train
from ..text import fmt
from .feedback import Feedback, as_number, as_rounded, check_answer, progress, record, register

NB = "03_why"
FIRST_LR = 0.001
PLOT_RATES = {"η = 0.0001": 0.0001, "η = 0.001": 0.001, "η = 0.01": 0.01,
              "η = 0.02": 0.02}     # the runs of the plot in section 2, with its legend's labels
PLOT_EPOCHS, PLOT_LEVEL = 100, 1.0
HALF_LR = 0.0005                              # exercise 2: half the good rate, a run the plot does not show
MEMORY_SIZES = (2, 100, 100, 1)            # exercise 3: a network none of section 3's tables shows
HALF_WITHIN = 2                               # exercise 2: a prediction within 2 epochs counts
FACTOR_RTOL = 0.15                            # exercise 4: 0.009 and 0.011 count, 0.008 and 0.012 do not
SCALE = 10.0                                  # iq multiplied by this in exercise 4

E_DL = register(NB, 1, "the true loss change of one step against its first-order estimate (after section 1)",
                "predict, then check")
E_HALF = register(NB, 2, "the epoch in which η = 0.0005 first gets below loss 1 (after section 2)",
                  "predict")
E_MEMORY = register(NB, 3, "the batch at which the values kept outnumber the parameters (after section 3)",
                    "work out")
E_SCALE = register(NB, 4, "the factor the edge 2/λ changes by when iq is 10 times larger (after section 6)",
                   "predict")


def _students():
    ds = load_students()
    return ds.X, ds.y


# ---- 1: the true change of the loss against the first-order estimate ----

def _one_step():
    """Student 1, every weight 1: ∂L/∂w11^2, the first-order ΔL of one step on w11^2, and the true ΔL."""
    X, y = _students()
    params = init_params([2, 2, 1], weight=1.0)
    g = notation.get(gradients(params, X[0], y[0]), "w11^2")
    after = {k: v.copy() for k, v in params.items()}
    after["W2"][0, 0] -= FIRST_LR * g
    true = mean_loss(after, X[:1], y[:1]) - mean_loss(params, X[:1], y[:1])
    return g, -FIRST_LR * g * g, float(true)


def expected_loss_change() -> float:
    """The true change of student 1's loss when w11^2 takes one step -η·∂L/∂w11^2 (weights 1, η 0.001)."""
    return _one_step()[2]


def check_loss_change(answer) -> Feedback:
    """Exercise 1: the true ΔL of one step on w11^2 for student 1 (L after the step minus L before)."""
    g, first, true = _one_step()
    slips = [(first, "that is the first-order estimate ∂L/∂w · Δw. The question asks for the true change: "
                     "the loss after the step minus the loss before, from a forward pass at the new weight."),
             (-first, "check the sign: moving against the gradient lowers the loss."),
             (-true, "check the sign: the loss after the step minus the loss before."),
             (-FIRST_LR * g, "that is the change of w11^2 (Δw), not of the loss."),
             (mean_loss(init_params([2, 2, 1], weight=1.0), *(a[:1] for a in _students())) + true,
              "that is the loss after the step; subtract the loss before it.")]
    value, _ = as_number(answer, "ΔL")
    cut = math.trunc(true * 10) / 10                 # one decimal cut off instead of rounded
    if value is not None and abs(value - true) > 0.05 and math.isclose(value, cut, abs_tol=1e-9):
        return record(E_DL, Feedback("Not yet: that looks cut off after one decimal: round to the nearest tenth "
                                     "instead (within 0.05 counts). Try again.", False))
    feedback = check_answer(as_rounded(answer, true, decimals=1), true, "ΔL", rtol=1e-12, slips=slips,
                         why=f"The first-order estimate was {fmt(first)}, larger in size than the loss "
                             f"itself: the step is so long that the slope changes along it. Here L is a "
                             f"parabola in w11^2, and the second-order term ½·(∂²L/∂w²)·Δw² = "
                             f"{fmt(true - first)} closes the gap exactly. The sign is what the "
                             f"first-order rule guarantees, for a small enough step.")
    if feedback.startswith("Close"):               # the exercise asks for one decimal: say so, not "every digit"
        feedback = Feedback("Close, but not within 0.05 of ΔL: round the exact change to one decimal. If your "
                            "value came from rounded steps, keep every digit until the end. Try again.", False)
    return record(E_DL, feedback)


# ---- 2: halve the good rate, predict from the plot of section 2, then check ----

@lru_cache(maxsize=32)
def first_epoch_below(lr: float, level: float = PLOT_LEVEL, epochs: int = PLOT_EPOCHS) -> int | None:
    """The first epoch (counted from 1) whose epoch loss is below `level`, from the section-2 start (weights
    0.1, per-sample), or None if no epoch of `epochs` is."""
    X, y = _students()
    loss = np.asarray(train(init_params([2, 2, 1], weight=0.1), X, y, lr=lr, epochs=epochs).epoch_loss)
    below = np.flatnonzero(loss < level)
    return int(below[0]) + 1 if len(below) else None


def expected_halved_rate() -> int:
    """The epoch in which the run at HALF_LR (half the plot's good rate) first gets its epoch loss below 1."""
    return first_epoch_below(HALF_LR)


def check_halved_rate(answer) -> Feedback:
    """Exercise 2: predict the epoch in which the epoch loss at η = 0.0005 first drops below 1 (a run the notebook
    does not show); within HALF_WITHIN epochs counts, and only then is the measured epoch shown."""
    n = expected_halved_rate()
    good, small = first_epoch_below(PLOT_RATES["η = 0.001"]), first_epoch_below(PLOT_RATES["η = 0.0001"])
    value, _ = as_number(answer, "the epoch")
    slips = [(good, "that is the good rate's epoch, from the table; a rate half as large takes longer."),
             (small, "that is the small rate's epoch; a rate five times larger gets there sooner.")]
    if value is not None and value != round(value):
        return record(E_HALF, Feedback(f"Not yet: epochs are counted whole (1, 2, 3, …), and {fmt(value)} is not a "
                                       f"whole number. Round your prediction to an epoch and try again.", False))
    why = (f"The good rate gets there in epoch {good}, the small one, 10 times smaller, in epoch {small}: far from "
           f"the edge a smaller η needs more epochs, roughly in proportion but not exactly ({small} is not "
           f"{10 * good}), and two epochs at half the rate get a little further than one at the full rate.")
    feedback = check_answer(answer, n, "the epoch", rtol=HALF_WITHIN / n, close=0, slips=slips, why=why)
    if feedback.ok and value != n:              # inside the window the exercise states, but not the measured epoch
        feedback = Feedback(f"Counts: your prediction, {fmt(value)}, is within {HALF_WITHIN} epochs of the "
                            f"measured one, epoch {n}. {why}", True)
    return record(E_HALF, feedback)


# ---- 3: the batch at which the values kept outnumber the parameters ----

def expected_memory() -> int:
    """The smallest batch (rows) for which MEMORY_SIZES keeps more values (z and O of every neuron, every row,
    section 3's count) than it has parameters."""
    per_row = int(forward_memory(list(MEMORY_SIZES), 1)["values kept"])
    return n_params(MEMORY_SIZES) // per_row + 1


def check_memory(answer) -> Feedback:
    """Exercise 3: how many rows must a batch for [2, 100, 100, 1] have before the values kept outnumber its
    parameters?"""
    rows = expected_memory()
    params, neurons = n_params(MEMORY_SIZES), sum(MEMORY_SIZES[1:])
    with_inputs = params // (2 * sum(MEMORY_SIZES)) + 1        # the first batch if the inputs counted as neurons
    slips = [(rows - 1, "at that batch the values kept do not yet outnumber the parameters: they must be more, "
                        "not just as many or fewer."
                        + (" If you counted the inputs as neurons: they are X, which the data holds already; "
                           "section 3 counts z and O of the neurons after the inputs." if with_inputs == rows - 1
                           else "")),
             (params // neurons + 1, "each neuron keeps two numbers a row, its z and its O."),
             (params, "that is the number of parameters; the question asks for rows.")]
    return record(E_MEMORY, check_answer(answer, rows, "the number of rows", rtol=0, close=0, slips=slips,
                                         why=f"each row keeps 2 · ({' + '.join(map(str, MEMORY_SIZES[1:]))}) = "
                                             f"{2 * neurons} values, the network has {params} parameters, and "
                                             f"{2 * neurons} · {rows} = {2 * neurons * rows} is the first to pass "
                                             f"them: the parameters do not grow with the batch, the kept values "
                                             f"do."))


# ---- 4: the largest stable rate when an input is 10 times larger ----

@lru_cache(maxsize=1)
def _scaled_rates() -> tuple[float, float]:
    """The edges of stability of the [2, 1] neuron, full batch, from the curvature (section 6): raw inputs, and
    with iq multiplied by SCALE."""
    X = load_students_large().X
    return edge_from_curvature(X), edge_from_curvature(X * np.array([1.0, SCALE]))


def expected_scaled_rate() -> float:
    """The factor (new ÷ old) by which the edge 2/λ of the [2, 1] neuron changes when iq is 10 times
    larger (section 6's edge from the curvature)."""
    raw, scaled = _scaled_rates()
    return scaled / raw


def check_scaled_rate(answer) -> Feedback:
    """Exercise 4: predict the factor by which the edge 2/λ changes once iq is 10 times larger (one
    significant figure: within 15% of the measured factor, so 0.009 and 0.011 both count); the measured rates
    are shown only once it is right."""
    if answer is None:                        # not tried yet: no need to train (the notebook runs this cell)
        return record(E_SCALE, as_number(None, "the factor")[1])
    raw, scaled = _scaled_rates()
    slips = [(1 / SCALE, "the loss is a square: 10 times the input makes its steepness in that direction "
                         "grow by more than 10."),
             (1.0, "iq's weight now moves the prediction 10 times as much: the loss gets steeper."),
             (SCALE, "larger inputs make the loss steeper, so the safe step is smaller, not larger."),
             (SCALE**2, "larger inputs make the loss steeper, so the safe step is smaller, not larger."),
             (scaled, "that is the new rate itself; the question asks for the factor, new ÷ old.")]
    value, _ = as_number(answer, "the factor")
    why = (f"From the curvature: raw inputs {raw:.3g}, iq 10 times larger {scaled:.3g}. 10 times the input, 10² "
           f"times the steepness, so about 1/100 of the rate (not exactly: the steepest direction also holds a "
           f"little of cgpa, whose column did not grow).")
    feedback = check_answer(answer, scaled / raw, "the factor", rtol=FACTOR_RTOL, close=0, slips=slips, why=why)
    if feedback.ok and abs(value / (scaled / raw) - 1) > 1e-3:    # inside the stated 15%, not the measured factor
        feedback = Feedback(f"Counts: your prediction, {fmt(value)}, is within {FACTOR_RTOL:.0%} of the measured "
                            f"factor, {fmt(scaled / raw)} ({abs(value / (scaled / raw) - 1):.1%} off). {why}", True)
    return record(E_SCALE, feedback)


def show_progress() -> Feedback:
    """Which of this notebook's exercises were solved in this kernel session."""
    return progress(NB)
