"""Checkers for the "Your turn" cells of the "Why" notebook; each expected value is computed, never typed in.

Set-up: the student network 2-2-1, biases 0, per-sample gradient descent, rows in order. No answer is printed
in the notebook before its exercise: each asks to predict and then check (a step's true loss change, the
epoch a halved rate gets below 1, a batch's memory, a rescaled input's rate), or to choose by experiment.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..maths import notation
from ..maths.data import load_students, load_students_large
from ..maths.lessons.gradient_cost import forward_memory
from ..maths.lessons.stability import largest_stable_lr
from ..maths.network import gradients, init_params, mean_loss
from ..maths.notation import n_params
from ..maths.training import train
from ..text import fmt
from .feedback import Feedback, as_number, check_answer, check_choice, progress, record, register

NB = "03_why"
FIRST_LR = 0.001
PLOT_RATES = {"small η = 0.0001": 0.0001, "good η = 0.001": 0.001, "large η = 0.01": 0.01,
              "diverging η = 0.02": 0.02}     # the runs of the plot in section 2, with its legend's labels
PLOT_EPOCHS, PLOT_LEVEL = 100, 1.0
HALF_LR = 0.0005                              # exercise 2: half the good rate, a run the plot does not show
CHOICE_RATES, CHOICE_EPOCHS, CHOICE_LEVEL = (0.001, 0.002, 0.004, 0.006, 0.012), 300, 0.2
MEMORY_SIZES, MEMORY_ROWS = (2, 32, 32, 32, 1), 100
SCALE = 10.0                                  # iq multiplied by this in exercise 5

E_DL = register(NB, 1, "the true loss change of one step against its first-order estimate (after section 1)",
                "predict, then check")
E_HALF = register(NB, 2, "the epoch in which η = 0.0005 first gets below loss 1 (after section 2)",
                  "predict, then check")
E_LR = register(NB, 3, "the rate that trains in the fewest epochs (after section 2)", "choose")
E_MEMORY = register(NB, 4, "values kept by backpropagation for a batch of 100 rows (after section 3)",
                    "predict, then check")
E_SCALE = register(NB, 5, "the largest stable rate after multiplying iq by 10 (after section 6)",
                   "predict, then check")


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
    return record(E_DL, check_answer(answer, true, "ΔL", rtol=1e-4, slips=slips,
                                     why=f"The first-order estimate was {fmt(first)}, larger in size than the loss "
                                         f"itself: the step is so long that the slope changes along it. Here L is a "
                                         f"parabola in w11^2, and the second-order term ½·(∂²L/∂w²)·Δw² = "
                                         f"{fmt(true - first)} closes the gap exactly. The sign is what the "
                                         f"first-order rule guarantees, for a small enough step."))


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
    """Exercise 2: in which epoch does the epoch loss at η = 0.0005 first drop below 1? (Not in the plot.)"""
    n = expected_halved_rate()
    good, small = first_epoch_below(PLOT_RATES["good η = 0.001"]), first_epoch_below(PLOT_RATES["small η = 0.0001"])
    slips = [(n - 1, "count the epochs from 1: the first epoch is epoch 1."),
             (good, "that is the good rate's epoch, read off the plot; a rate half as large takes longer."),
             (small, "that is the small rate's epoch; a rate five times larger gets there sooner."),
             (2 * good, "that doubles the good rate's epoch: a fair prediction. Now check it: train at "
                        "η = 0.0005 and find the first epoch below 1 in epoch_loss.")]
    return record(E_HALF, check_answer(answer, n, "the epoch", rtol=0, close=0, slips=slips,
                                       why=f"the good rate gets there in epoch {good}, the small one in epoch "
                                           f"{small}: far from the edge, the epochs needed grow about as 1/η, "
                                           f"not exactly, because the first epochs fall fastest."))


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


# ---- 4: backpropagation's memory on another network and batch ----

def expected_memory() -> int:
    """Values backpropagation keeps for a batch of MEMORY_ROWS rows on MEMORY_SIZES: z and O of every neuron."""
    return int(forward_memory(list(MEMORY_SIZES), MEMORY_ROWS)["values kept"])


def check_memory(answer) -> Feedback:
    """Exercise 4: how many values the forward pass keeps for the backward pass, [2, 32, 32, 32, 1], 100 rows."""
    neurons = sum(MEMORY_SIZES[1:])
    slips = [(2 * neurons, "that is one row; every row of the batch keeps its own z and O."),
             (neurons * MEMORY_ROWS, "each neuron keeps two numbers a row: its z and its O."),
             (2 * sum(MEMORY_SIZES) * MEMORY_ROWS, "the inputs are the data, not kept values: count the neurons "
                                                   "after the input layer."),
             (n_params(MEMORY_SIZES), "that is the number of parameters, which does not grow with the batch.")]
    return record(E_MEMORY, check_answer(answer, expected_memory(), "the number of values kept", rtol=0, close=0,
                                         slips=slips,
                                         why="two numbers (z and O) for each of the 32 + 32 + 32 + 1 neurons, for "
                                             "each of the 100 rows: memory grows with the batch, the parameters "
                                             "do not."))


# ---- 5: the largest stable rate when an input is 10 times larger ----

@lru_cache(maxsize=1)
def _scaled_rates() -> tuple[float, float]:
    """The largest stable rates of the [2, 1] neuron, full batch, raw inputs and with iq multiplied by SCALE."""
    big = load_students_large()
    neuron, m = init_params([2, 1], weight=0.0), len(big.y)
    raw = largest_stable_lr(neuron, big.X, big.y, batch_size=m)
    scaled = largest_stable_lr(neuron, big.X * np.array([1.0, SCALE]), big.y, batch_size=m, lo=1e-9)
    return raw, scaled


def expected_scaled_rate() -> float:
    """The largest stable rate (section 6's criterion) of the [2, 1] neuron with iq multiplied by 10."""
    return _scaled_rates()[1]


def check_scaled_rate(answer) -> Feedback:
    """Exercise 5: predict the largest stable rate once iq is 10 times larger, then check it (within 2%)."""
    if answer is None:                        # not tried yet: no need to train (the notebook runs this cell)
        return record(E_SCALE, as_number(None, "the largest stable η")[1])
    raw, scaled = _scaled_rates()
    slips = [(raw, "that is the rate for the raw inputs: iq's weight now moves the prediction 10 times as much."),
             (raw / SCALE, "the loss is a square: 10 times the input makes its steepness in that direction "
                           "grow by more than 10."),
             (raw * SCALE, "larger inputs make the loss steeper, so the safe step is smaller, not larger."),
             (raw * SCALE**2, "larger inputs make the loss steeper, so the safe step is smaller, not larger.")]
    return record(E_SCALE, check_answer(answer, scaled, "the largest stable η", rtol=0.02, close=0.1, slips=slips,
                                        why="10 times the input, 10² times the steepness, so about 1/100 of the "
                                            "rate (not exactly: the bias's column of ones did not grow)."))


def show_progress() -> Feedback:
    """Which of this notebook's exercises were solved in this kernel session."""
    return progress(NB)
