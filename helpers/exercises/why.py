"""Checkers for the "Your turn" cells of the "Why" notebook; each expected value is computed, never typed in.

Set-up of the questions: the student network 2-2-1, biases 0, per-sample gradient descent, rows in order.
"""

from __future__ import annotations

import numpy as np

from ..maths.cost import backprop_mults, fd_mults, n_params
from ..maths.data import load_students
from ..maths.network import init_params
from ..maths.training import train
from .feedback import Feedback, check_answer

DIVERGE_LR, DIVERGE_EPOCHS = 0.015, 200
SYMMETRIC_WEIGHT, SYMMETRIC_LR, SYMMETRIC_EPOCHS = 0.3, 0.001, 50
COST_SIZES = (2, 16, 16, 1)


def expected_diverges(lr: float = DIVERGE_LR, epochs: int = DIVERGE_EPOCHS) -> bool:
    """Whether training from weights 0.1 at `lr` for `epochs` epochs diverges."""
    ds = load_students()
    return train(init_params([2, 2, 1], weight=0.1), ds.X, ds.y, lr=lr, epochs=epochs).diverged


def check_diverges(answer) -> Feedback:
    """Exercise 1: does training at η = 0.015 (weights 0.1, 200 epochs) diverge? Answer True or False."""
    if answer is None:
        return Feedback("Not answered yet: replace None with True (it diverges) or False (it trains).", False)
    if not isinstance(answer, (bool, np.bool_)):
        return Feedback(f"Answer True or False, but you gave {type(answer).__name__} {answer!r}.", False)
    expected = expected_diverges()
    if bool(answer) == expected:
        return Feedback(f"Right: at η = {DIVERGE_LR} training {'diverges' if expected else 'does not diverge'}.",
                        True)
    return Feedback(f"Not yet: compare η = {DIVERGE_LR} with the edge of stability you found in section 2.", False)


def expected_symmetric_gap() -> float:
    """w22^1 - w21^1 after training from all weights 0.3 for 50 epochs at η = 0.001 (0 by symmetry)."""
    ds = load_students()
    hist = train(init_params([2, 2, 1], weight=SYMMETRIC_WEIGHT), ds.X, ds.y, lr=SYMMETRIC_LR,
                 epochs=SYMMETRIC_EPOCHS)
    W1 = hist.params["W1"]
    return float(W1[1, 1] - W1[1, 0])


def check_symmetric_gap(answer) -> Feedback:
    """Exercise 2: w22^1 - w21^1 after training from all weights 0.3."""
    return check_answer(answer, expected_symmetric_gap(), "w22^1 − w21^1")


def expected_fd_passes(sizes=COST_SIZES) -> int:
    """Forward passes for one gradient by centred differences: two per parameter."""
    return 2 * n_params(sizes)


def check_fd_passes(answer) -> Feedback:
    """Exercise 3: how many forward passes centred differences need for a [2, 16, 16, 1] network."""
    return check_answer(answer, expected_fd_passes(), "the number of forward passes", rtol=0, close=0.05)


def expected_cost_ratio(sizes=COST_SIZES) -> float:
    """Multiplications of finite differences over those of backpropagation."""
    return fd_mults(sizes) / backprop_mults(sizes)


def check_cost_ratio(answer) -> Feedback:
    """Exercise 4: the cost ratio for [2, 16, 16, 1]; within 5% of the exact count is right."""
    return check_answer(answer, expected_cost_ratio(), "the cost ratio", rtol=0.05, close=0.2)
