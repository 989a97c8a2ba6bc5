"""How large a learning rate training survives, and when to stop training.

Stability criterion (one definition, used everywhere): a learning rate is *stable* for a set-up when
`train(...)` for `epochs` epochs does not diverge (no loss, gradient or weight stops being finite) and
its last epoch's loss is below the loss at the start, `mean_loss(params, X, y)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ...text import fmt
from .. import budget, checks, notation
from ..network import backward, forward_pass, mean_loss, validate
from ..training import MAX_STEPS, PYTHON_LOOP_MAX_BATCH, PYTHON_LOOP_MAX_PARAMS, train

RTOL_MIN = 1e-9        # largest_stable_lr: the finest relative gap it will bisect to
MAX_BISECTIONS = 100   # and the most bisection steps it takes (log2 of 1e7 / 1e-9 is under 60)


def is_stable(params: dict, X, y, lr: float, epochs: int = 200, activation: str = "linear", loss: str = "mse",
              batch_size: int = 1) -> bool:
    """True when training at `lr` neither diverges within `epochs` nor ends above the starting loss."""
    hist = train(params, X, y, lr=lr, epochs=epochs, activation=activation, loss=loss, batch_size=batch_size)
    if hist.diverged:
        return False
    return hist.epoch_loss[-1] < mean_loss(params, X, y, activation, loss)


def stability_scan(params: dict, X, y, lrs, epochs: int = 200, activation: str = "linear", loss: str = "mse",
                   batch_size: int = 1) -> np.ndarray:
    """`is_stable` for each learning rate of `lrs`, as a boolean array."""
    lrs = checks.finite_array(lrs, "lrs", 1)
    return np.array([is_stable(params, X, y, float(lr), epochs, activation, loss, batch_size) for lr in lrs])


def largest_stable_lr(params: dict, X, y, lo: float = 1e-6, hi: float = 10.0, rtol: float = 1e-3,
                      epochs: int = 200, activation: str = "linear", loss: str = "mse",
                      batch_size: int = 1) -> float:
    """The edge between stable and unstable rates, by bisection on log(lr) until hi/lo < 1 + rtol; returns lo.

    `lo` must be stable and `hi` unstable. Where stability flips back and forth near the edge, bisection
    returns one stable rate on that ragged edge; `stability_scan` shows the whole picture.
    """
    lo, hi = checks.positive_number(lo, "lo"), checks.positive_number(hi, "hi")
    rtol = checks.positive_number(rtol, "rtol")
    if rtol < RTOL_MIN:
        raise ValueError(f"rtol: expected at least {fmt(RTOL_MIN)} (bisection cannot separate closer rates in a "
                         f"useful number of steps), got {rtol!r}")
    if not lo < hi:
        raise ValueError(f"lo and hi: expected lo < hi, got lo={lo!r}, hi={hi!r}")
    kw = dict(epochs=epochs, activation=activation, loss=loss, batch_size=batch_size)
    if not is_stable(params, X, y, lo, **kw):
        raise ValueError(f"lo: expected a stable learning rate, but training at lr={fmt(lo)} is not stable")
    if is_stable(params, X, y, hi, **kw):
        raise ValueError(f"hi: expected an unstable learning rate, but training at lr={fmt(hi)} is stable")
    for _ in range(MAX_BISECTIONS):
        if hi / lo <= 1 + rtol:
            break
        mid = math.sqrt(lo * hi)
        if is_stable(params, X, y, mid, **kw):
            lo = mid
        else:
            hi = mid
    return lo


class Edge(NamedTuple):
    """A scan of learning rates: which were stable, the last rate before the first failure, the first
    rate after the last success."""

    lrs: np.ndarray
    stable: np.ndarray
    safe_up_to: float | None
    unstable_from: float | None

    @property
    def message(self) -> str:
        """The scan in words."""
        if self.safe_up_to is None:
            return f"no η of the scan is stable: the smallest, {fmt(self.lrs[0], 4)}, is already unstable"
        if self.unstable_from is None:
            return f"every η of the scan is stable, up to the largest, {fmt(self.lrs[-1], 4)}"
        return (f"every η tested from {fmt(self.lrs[0], 4)} to {fmt(self.safe_up_to, 4)} is stable; every η tested "
                f"from {fmt(self.unstable_from, 4)} to {fmt(self.lrs[-1], 4)} is not")


def stability_edge(params: dict, X, y, lrs, epochs: int = 200, activation: str = "linear", loss: str = "mse",
                   batch_size: int = 1) -> Edge:
    """Scan increasing `lrs`: every rate up to `safe_up_to` is stable, every rate from `unstable_from` is not.

    Between the two, stability can flip from one rate to the next (the ragged edge of stability).
    """
    lrs = checks.finite_array(lrs, "lrs", 1)
    if len(lrs) < 2 or np.any(np.diff(lrs) <= 0) or lrs[0] <= 0:
        raise ValueError("lrs: expected at least two positive learning rates in increasing order")
    ok = stability_scan(params, X, y, lrs, epochs, activation, loss, batch_size)
    first_bad = np.flatnonzero(~ok)
    last_good = np.flatnonzero(ok)
    safe = float(lrs[first_bad[0] - 1]) if len(first_bad) and first_bad[0] > 0 else (
        float(lrs[-1]) if not len(first_bad) else None)
    unstable = float(lrs[last_good[-1] + 1]) if len(last_good) and last_good[-1] < len(lrs) - 1 else (
        float(lrs[0]) if not len(last_good) else None)
    return Edge(lrs, ok, safe, unstable)


# ---- when to stop ----

@dataclass(frozen=True)
class Convergence:
    """How `train_until` ended: the epoch losses, the gradient norms, why it stopped and the final weights."""

    epoch_loss: np.ndarray
    grad_norm: np.ndarray
    reason: str
    params: dict
    lr: float

    @property
    def diverged(self) -> bool:
        """True when training stopped because it diverged."""
        return self.reason == "diverged"

    @property
    def epochs(self) -> int:
        """How many epochs were trained."""
        return len(self.epoch_loss)

    @property
    def message(self) -> str:
        """A sentence saying why training stopped."""
        e = self.epochs
        if self.reason == "diverged":
            return f"Stopped: training diverged in epoch {e + 1} at lr={fmt(self.lr)}."
        why = {"loss": "the epoch loss changed by less than the loss tolerance",
               "gradient": "the gradient norm fell below the gradient tolerance",
               "max_epochs": "it reached the maximum number of epochs"}[self.reason]
        return (f"Stopped after {e} epochs because {why}: loss {fmt(self.epoch_loss[-1])}, "
                f"gradient norm {fmt(self.grad_norm[-1], 3)}.")


def grad_norm(params: dict, X, y, activation: str = "linear", loss: str = "mse") -> float:
    """The length ‖∇L‖ of the gradient of the mean loss over all rows, all parameters together."""
    params, X, y = validate(params, X, activation, y, loss)
    with np.errstate(over="ignore", invalid="ignore"):     # a diverged run's norm is inf: train_until reads it
        g = backward(params, forward_pass(params, X, activation), y, activation, loss)
        return float(np.sqrt(sum(np.sum(v ** 2) for v in g.values())))


def train_until(params: dict, X, y, lr: float, loss_tol: float | None = None, grad_tol: float | None = None,
                max_epochs: int = 10_000, activation: str = "linear", loss: str = "mse",
                batch_size: int = 1, chunk: int = 100, max_memory: float | None = None,
                max_seconds: float | None = None) -> Convergence:
    """Train with `train` until a criterion holds at the end of an epoch, checked in this order:

    - gradient: the full-data gradient norm `grad_norm` is below `grad_tol`;
    - loss: the epoch loss changed by less than `loss_tol` from the previous epoch;
    - max_epochs: `max_epochs` epochs were trained.

    Rows go in order; training runs `chunk` epochs at a time, each chunk starting from the last weights.
    A run that could take more than `max_seconds` or keep more than `max_memory` bytes (all `max_epochs`
    epochs, defaults in `budget`) is refused before it starts.
    """
    params, X, y = validate(params, X, activation, y, loss)
    lr = checks.positive_number(lr, "lr")
    max_epochs, chunk = checks.positive_int(max_epochs, "max_epochs"), checks.positive_int(chunk, "chunk")
    loss_tol = None if loss_tol is None else checks.positive_number(loss_tol, "loss_tol")
    grad_tol = None if grad_tol is None else checks.positive_number(grad_tol, "grad_tol")
    batch_size = checks.positive_int(batch_size, "batch_size")
    if batch_size > len(y):
        raise ValueError(f"batch_size: expected at most the number of rows ({len(y)}), got {batch_size}")
    sizes = checks.params(params)
    n_par, m = notation.n_params(sizes), len(y)
    per = -(-m // batch_size)
    chunk = min(chunk, max_epochs)
    if chunk * per > MAX_STEPS:
        raise ValueError(f"chunk: {chunk} epochs of {per} steps is more than the {MAX_STEPS} steps `train` keeps; "
                         f"expected a smaller chunk")
    python = n_par <= PYTHON_LOOP_MAX_PARAMS and batch_size <= PYTHON_LOOP_MAX_BATCH
    n_bytes, _ = budget.train_cost(n_par, sum(sizes[1:]), m, batch_size, chunk, python)
    _, seconds = budget.train_cost(n_par, sum(sizes[1:]), m, batch_size, max_epochs, python)
    seconds += budget.gradient_cost(n_par, m, min(max_epochs, 10**12))
    budget.check(f"train_until with max_epochs={budget.count(max_epochs)} (chunks of {chunk} epochs)", n_bytes + 16.0 *
                 min(max_epochs, 10**12), seconds, max_memory, max_seconds,
                 "use a smaller max_epochs, a larger tolerance or a larger batch_size")
    losses, norms, p = [], [], params
    while len(losses) < max_epochs:
        hist = train(p, X, y, lr=lr, epochs=min(chunk, max_epochs - len(losses)), activation=activation,
                     loss=loss, batch_size=batch_size, max_memory=max_memory,
                     max_seconds=max_seconds)
        per = hist.steps_per_epoch
        for e, epoch_loss in enumerate(hist.epoch_loss):
            p = hist.params_at((e + 1) * per)
            losses.append(epoch_loss)
            norms.append(grad_norm(p, X, y, activation, loss))
            reason = None
            if grad_tol is not None and norms[-1] < grad_tol:
                reason = "gradient"
            elif loss_tol is not None and len(losses) > 1 and abs(losses[-1] - losses[-2]) < loss_tol:
                reason = "loss"
            elif len(losses) == max_epochs:
                reason = "max_epochs"
            if reason:
                return Convergence(np.array(losses), np.array(norms), reason, p, lr)
        if hist.diverged:
            return Convergence(np.array(losses), np.array(norms), "diverged", p, lr)
    raise AssertionError("unreachable")  # pragma: no cover


def full_batch_from(params: dict, X, y, lr: float, epochs=(10, 2000), max_memory: float | None = None,
                    max_seconds: float | None = None) -> list[dict]:
    """Full-batch descent (one step an epoch, mean gradient) from `params`: the loss at the parameters and
    the gradient norm after each number of epochs in `epochs` (one number, or several), one record each.
    Limits on memory and time as in `train_until`."""
    params, X, y = validate(params, X, "linear", y, "mse")
    if isinstance(epochs, (int, np.integer)) and not isinstance(epochs, bool):
        epochs = (epochs,)
    if not isinstance(epochs, (tuple, list)):
        raise TypeError(f"epochs: expected a number of epochs or a tuple of them, such as (10, 2000); got {epochs!r}")
    if not epochs:
        raise ValueError("epochs: expected at least one number of epochs, got none")
    counts = [checks.positive_int(e, "epochs") for e in epochs]
    run = train_until(params, X, y, lr, max_epochs=max(counts), batch_size=len(y), max_memory=max_memory,
                      max_seconds=max_seconds)
    if run.diverged or len(run.epoch_loss) < max(counts):
        raise ValueError(f"full-batch descent from these weights did not run {max(counts)} epochs: {run.message}")
    # a full-batch epoch's loss is measured before its one update, so the loss after e updates is the next
    # epoch's; after the last one it is computed at the final parameters
    after = [*run.epoch_loss[1:], mean_loss(run.params, X, y)]
    return [{"full-batch epochs": e, "loss": float(after[e - 1]), "gradient norm": float(run.grad_norm[e - 1])}
            for e in counts]
