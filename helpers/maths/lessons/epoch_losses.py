"""The loss at the end of each epoch, measured at the parameters reached (not during the epoch, as History does)."""

from __future__ import annotations

from .. import checks
from ..history import History
from ..network import mean_loss


def loss_after_epochs(hist: History) -> list[float]:
    """The mean loss over all rows at the parameters reached at the end of each full epoch.

    `hist.epoch_loss` is another number: the mean of the per-row losses measured during the epoch."""
    if not isinstance(hist, History):
        raise TypeError(f"hist: expected a History from train(), got {type(hist).__name__}")
    return [mean_loss(params_after_epoch(hist, e), hist.X, hist.y, hist.activation, hist.loss)
            for e in range(1, len(hist.epoch_loss) + 1)]


def params_after_epoch(hist: History, epoch: int) -> dict:
    """The parameters at the end of epoch `epoch` (counted from 1) of a training run."""
    if not isinstance(hist, History):
        raise TypeError(f"hist: expected a History from train(), got {type(hist).__name__}")
    epoch = checks.positive_int(epoch, "epoch")
    if epoch > len(hist.epoch_loss):
        raise ValueError(f"epoch: expected at most {len(hist.epoch_loss)} (the epochs trained), got {epoch}")
    return hist.params_at(epoch * hist.steps_per_epoch)
