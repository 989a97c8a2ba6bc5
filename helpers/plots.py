"""Matplotlib figures for the notebooks; the maths comes from the other modules of `helpers`.

Each function draws on `ax` when given one (so figures can be combined) and returns the axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def _axes(ax, size=(5, 3.2)):
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def plot_loss(epoch_loss, ax=None, label: str | None = None, log: bool = True, title: str = "Loss by epoch"):
    """The loss of each epoch (a list, or a History's `epoch_loss`), on a log scale by default."""
    losses = getattr(epoch_loss, "epoch_loss", epoch_loss)
    ax = _axes(ax)
    ax.plot(np.arange(1, len(losses) + 1), losses, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="mean loss", title=title)
    if label:
        ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_predictions(y, y_hat, ax=None, names: list[str] | None = None, title: str = "Predictions against targets"):
    """Targets and predictions side by side for each row, as paired bars."""
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    if y.shape != y_hat.shape or y.ndim != 1:
        raise ValueError(f"y and y_hat: expected two 1-D arrays of the same length, got {y.shape} and {y_hat.shape}")
    ax = _axes(ax)
    at = np.arange(len(y))
    ax.bar(at - 0.2, y, width=0.4, label="target y")
    ax.bar(at + 0.2, y_hat, width=0.4, label="prediction ŷ")
    ax.set_xticks(at, names or [f"student {i + 1}" for i in at])
    ax.set(title=title)
    ax.legend()
    return ax
