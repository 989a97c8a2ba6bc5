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


def _losses(curve, what: str) -> list[float]:
    """A list of epoch losses from a History (its epoch_loss) or a list of numbers (a train_by_hand curve)."""
    losses = curve.epoch_loss if isinstance(curve, History) else curve
    if isinstance(losses, (str, bytes)) or not hasattr(losses, "__len__"):
        raise TypeError(f"{what}: expected a History or a list of epoch losses, got {type(curve).__name__}")
    return [float(v) for v in losses]


def loss_rows(curves: dict, epochs: int, marks=(1, 5, 50, 100), name: str = "step") -> list[dict]:
    """One table row a run: the epoch loss at each mark below `epochs`, and at `epochs` itself (counted from 1).

    `curves` maps a run's name to a History or a list of epoch losses; an epoch past the end of a run's list
    (training stopped when it diverged) is shown as "diverged"."""
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves: expected a non-empty dict name -> History or epoch losses, got {curves!r:.60}")
    epochs = checks.positive_int(epochs, "epochs")
    shown = [*sorted({int(checks.positive_int(m, "marks")) for m in marks if m < epochs}), epochs]
    rows = []
    for label, curve in curves.items():
        losses = _losses(curve, f"curves[{label!r}]")
        rows.append({name: label, **{f"epoch {e}": losses[e - 1] if e <= len(losses) else "diverged"
                                     for e in shown}})
    return rows


def rising_epochs(curve) -> tuple[int, int, int] | None:
    """Where the epoch loss goes up: (the first epoch whose loss is above the one before, the last such epoch,
    how many there are), epochs counted from 1; None when it never rises. Accepts a History or a list."""
    losses = _losses(curve, "curve")
    up = [e for e in range(2, len(losses) + 1) if losses[e - 1] > losses[e - 2]]
    return (up[0], up[-1], len(up)) if up else None
