"""A training run's record: `History` keeps every number of every step as stacked arrays; `Step` reads one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..text import fmt
from . import chain, checks, notation


@dataclass(frozen=True)
class Step:
    """One step of training: what went in, every neuron's value, the loss, the gradients, the update.

    `epoch` counts from 1, as the text does; `index` (this step in `hist.steps`) and `row` (`X[row]`) are
    Python indices, from 0, and `student` is `row + 1`. `z[l][k]` is the weighted sum of node k of layer l and
    `O[l][k]` its output, as in `Forward`: `O[0]` is the inputs and `z[0]` None. Both are kept for per-sample
    steps only. Parameters are read by course name: `before('w11^1')`, `grad('w11^1')`, `after('w11^1')`;
    `factors('w11^1')` is that derivative's chain-rule factors.
    """

    index: int
    epoch: int
    rows: tuple
    x: np.ndarray
    y: np.ndarray | float
    z: list | None
    O: list | None
    loss: float
    grads: dict
    params_before: dict
    params_after: dict
    lr: float
    layer_sizes: tuple = (2, 2, 1)
    activation: str = "linear"
    loss_name: str = "mse"

    @property
    def row(self) -> int:
        """The row of the dataset used in this step (per-sample training), an index counted from 0: `X[row]`."""
        if len(self.rows) != 1:
            raise AttributeError("row: this step used a batch of rows; see .rows")
        return self.rows[0]

    @property
    def student(self) -> int:
        """The student of this step, counted from 1 as the text counts them: student 1 is row 0, `X[0]`."""
        return self.row + 1

    @property
    def y_hat(self) -> float:
        """The prediction ŷ of this step's row."""
        if self.O is None:
            raise AttributeError("y_hat: neuron values are kept for per-sample steps only")
        return float(self.O[-1][0])

    @cached_property
    def names(self) -> list[str]:
        """The course names of the parameters, in the course's order."""
        return notation.param_names(list(self.layer_sizes))

    @cached_property
    def _named(self) -> tuple[dict, dict, dict]:
        values = lambda d: dict(zip(self.names, notation.flatten(d).tolist()))
        return values(self.params_before), values(self.grads), values(self.params_after)

    def _read(self, which: int, name: str) -> float:
        try:
            return self._named[which][name]
        except KeyError:
            raise ValueError(f"name: unknown parameter {name!r}; expected one of {self.names}") from None

    def grad(self, name: str) -> float:
        """∂L/∂(name) of this step, by course name ('w11^1', ..., 'b21')."""
        return self._read(1, name)

    def before(self, name: str) -> float:
        """The value of a parameter before this step's update, by course name."""
        return self._read(0, name)

    def after(self, name: str) -> float:
        """The value of a parameter after this step's update, by course name."""
        return self._read(2, name)

    def factors(self, name: str) -> list:
        """The chain-rule factors of ∂L/∂(name) at this step (per-sample steps), as `chain.Factor`s."""
        if self.z is None:
            raise AttributeError("factors: neuron values are kept for per-sample steps only")
        self._read(1, name)
        return chain.factors(name, self.layer_sizes, self.activation, self.loss_name, self.y, self.z, self.O,
                             self.before, self.grad)


class Steps:
    """The steps of a `History` as a read-only sequence of `Step` records, built on demand."""

    def __init__(self, hist: History):
        self._h = hist

    def __len__(self) -> int:
        return len(self._h.step_loss)

    def __iter__(self):
        return (self[k] for k in range(len(self)))

    def __getitem__(self, k: int) -> Step:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise TypeError(f"steps: index with a whole number, got {k!r}")
        n = len(self)
        if not -n <= k < n:
            raise IndexError(f"steps: step {k} does not exist; there are {n} steps (0 to {n - 1})")
        return self._h._step(int(k) % n)


class History:
    """Everything `train` computed, stored as stacked arrays; `steps[k]` reads one step as a record."""

    def __init__(self, *, layer_sizes, activation, loss, lr, X, y, batch_size, epochs, starts, order, epoch,
                 step_loss, grads, params, z, O, diverged_at):
        self.layer_sizes, self.activation, self.loss = layer_sizes, activation, loss
        self.lr, self.X, self.y, self.batch_size, self.epochs = lr, X, y, batch_size, epochs
        self.starts, self.order, self.epoch = starts, order, epoch   # rows of step k: order[starts[k]:starts[k+1]]
        self.step_loss, self.grads_flat, self.params_flat = step_loss, grads, params  # params_flat: n_steps + 1
        self.z_flat, self.O_flat = z, O             # one row a step: layers 1, 2, ... side by side; None for batches
        self.diverged_at = diverged_at
        self.steps = Steps(self)

    def replace(self, **changes) -> History:
        """A new History with these fields changed and every other one shared (the one way a derived run is built).

        Fields are the constructor's keywords; `grads`, `params`, `z` and `O` are the stacked arrays."""
        fields = dict(layer_sizes=self.layer_sizes, activation=self.activation, loss=self.loss, lr=self.lr, X=self.X,
                      y=self.y, batch_size=self.batch_size, epochs=self.epochs, starts=self.starts, order=self.order,
                      epoch=self.epoch, step_loss=self.step_loss, grads=self.grads_flat, params=self.params_flat,
                      z=self.z_flat, O=self.O_flat, diverged_at=self.diverged_at)
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"replace: unknown fields {sorted(unknown)}; expected some of {sorted(fields)}")
        return History(**{**fields, **changes})

    # ---- summaries ----
    @property
    def names(self) -> list[str]:
        """The course names of the parameters, in the order of the columns of the flat arrays."""
        return notation.param_names(self.layer_sizes)

    @property
    def n_steps(self) -> int:
        """How many steps were taken (and kept)."""
        return len(self.step_loss)

    @property
    def steps_per_epoch(self) -> int:
        """Updates in one epoch: the number of rows, or of batches."""
        return -(-len(self.y) // self.batch_size)

    @property
    def diverged(self) -> bool:
        """True when training stopped because a loss, gradient or parameter stopped being finite."""
        return self.diverged_at is not None

    @property
    def epoch_loss(self) -> list[float]:
        """One float an epoch: the mean per-row loss, each measured before its row's update (full epochs)."""
        per = self.steps_per_epoch
        full = self.n_steps // per
        sizes = np.diff(self.starts[: full * per + 1]).reshape(full, per)
        losses = self.step_loss[: full * per].reshape(full, per)
        return ((losses * sizes).sum(axis=1) / len(self.y)).tolist()

    @property
    def params(self) -> dict:
        """The parameters after the last step."""
        return notation.unflatten(self.params_flat[-1], self.layer_sizes)

    @property
    def message(self) -> str:
        """A sentence about how training ended."""
        if not self.diverged:
            if self.growing:
                return (f"Training is diverging: after {self.n_steps} steps the epoch loss grew from "
                        f"{fmt(self.epoch_loss[0], 4)} to {fmt(self.epoch_loss[-1], 4)}. This run used η = "
                        f"{fmt(self.lr)}; try a smaller one.")
            return f"Trained for {self.n_steps:,} steps without diverging."
        k = self.diverged_at                       # the failed step, counted from 0 over the whole run
        ep, at = divmod(k, self.steps_per_epoch)   # its epoch and its step within the epoch, from 0
        # steps and epochs are counted from 1 in text; a row is named by its student (student 1 is X[0])
        who = f"student {self.order[self.starts[k]] + 1}" if self.batch_size == 1 else f"batch {at + 1}"
        return (f"Training diverged at step {at + 1} of epoch {ep + 1} ({who}): the loss, a gradient or a "
                f"weight grew past what float64 can hold, so training stopped there. This run used η = "
                f"{fmt(self.lr)}; try a smaller one.")

    @property
    def growing(self) -> bool:
        """True when training did not stop but the last epoch's loss is over 10 times the first one's."""
        losses = self.epoch_loss
        return not self.diverged and len(losses) > 1 and losses[-1] > 10 * losses[0]

    @property
    def last_epoch_loss(self) -> float:
        """The last full epoch's mean loss; a ValueError saying what happened if training diverged."""
        if self.diverged or self.growing or not self.epoch_loss:
            raise ValueError(f"last_epoch_loss: no last epoch loss to show. {self.message}")
        return self.epoch_loss[-1]

    def epoch_at(self, epoch: int) -> float:
        """The mean loss of `epoch` (counted from 1), with a clear error for an epoch that was not trained."""
        losses = self.epoch_loss
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)):
            raise TypeError(f"epoch: expected a whole number, got {epoch!r}")
        if not 1 <= epoch <= len(losses):
            why = f"; {self.message}" if self.diverged else ""
            raise ValueError(f"epoch: expected 1 to {len(losses)} (the full epochs trained), got {epoch}{why}")
        return losses[epoch - 1]

    @property
    def nbytes(self) -> int:
        """Bytes held by the stacked arrays."""
        arrays = [self.starts, self.order, self.epoch, self.step_loss, self.grads_flat, self.params_flat,
                  self.z_flat, self.O_flat]
        return sum(a.nbytes for a in arrays if a is not None)

    def params_at(self, step: int) -> dict:
        """The parameters after `step` steps: 0 gives the start, `n_steps` the end."""
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step <= self.n_steps:
            raise ValueError(f"step: expected a whole number from 0 to {self.n_steps}, got {step!r}")
        return notation.unflatten(self.params_flat[int(step)], self.layer_sizes)

    def step_index(self, epoch: int, student: int) -> int:
        """Where in `hist.steps` (a Python index, from 0) `student` was used in `epoch`; the epoch and the
        student count from 1, as the text does (student 1 is X[0])."""
        if self.batch_size != 1:
            raise ValueError("step_index: only per-sample histories have one step a row")
        per = self.steps_per_epoch
        n_epochs = self.n_steps // per + (self.n_steps % per > 0)
        for value, name, top in ((epoch, "epoch", n_epochs), (student, "student", len(self.y))):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 1 <= value <= top:
                raise ValueError(f"{name}: expected a whole number from 1 to {top}, got {value!r}")
        e, row = int(epoch) - 1, int(student) - 1
        # only the steps taken: `order` also lists the rows planned after a divergence
        where = np.flatnonzero(self.order[e * per : min((e + 1) * per, self.n_steps)] == row)
        if len(where) == 0:
            raise ValueError(f"student {student} was not reached in epoch {epoch}: training diverged first")
        return e * per + int(where[0])

    def _step(self, k: int) -> Step:
        rows = self.order[self.starts[k] : self.starts[k + 1]]
        x, y = self.X[rows], self.y[rows]
        z = O = None
        if self.z_flat is not None:                 # z[l], O[l]: layer l's, as in Forward
            cuts = np.cumsum(self.layer_sizes[1:])[:-1]
            z = [None, *np.split(self.z_flat[k], cuts)]
            O = [x[0], *np.split(self.O_flat[k], cuts)]
            x, y = x[0], float(y[0])
        sizes = self.layer_sizes
        return Step(k, int(self.epoch[k]) + 1, tuple(rows.tolist()), x, y, z, O, float(self.step_loss[k]),
                    notation.unflatten(self.grads_flat[k], sizes), notation.unflatten(self.params_flat[k], sizes),
                    notation.unflatten(self.params_flat[k + 1], sizes), self.lr, tuple(sizes), self.activation,
                    self.loss)

    def __repr__(self) -> str:
        last = f"final epoch loss {fmt(self.epoch_loss[-1])}" if self.epoch_loss else "no full epoch"
        return (f"History({self.n_steps} steps, {len(self.epoch_loss)} full epochs, {last}"
                f"{', diverged at step %d (counted from 1)' % (self.diverged_at + 1) if self.diverged else ''})")

    def first_epochs(self, epochs: int) -> History:
        """The same training stopped after `epochs` epochs (at most those trained): a prefix of every record."""
        epochs = checks.positive_int(epochs, "epochs")
        if epochs > self.epochs:
            raise ValueError(f"epochs: expected at most the {self.epochs} epochs trained, got {epochs}")
        per, m = self.steps_per_epoch, len(self.y)
        n = min(self.n_steps, epochs * per)
        cut = lambda a, k: None if a is None else a[:k]  # noqa: E731
        d = self.diverged_at if self.diverged and self.diverged_at < epochs * per else None
        return self.replace(epochs=epochs, starts=self.starts[: n + 1], order=self.order[: epochs * m],
                            epoch=self.epoch[:n], step_loss=self.step_loss[:n], grads=self.grads_flat[:n],
                            params=self.params_flat[: n + 1], z=cut(self.z_flat, n), O=cut(self.O_flat, n),
                            diverged_at=d)
