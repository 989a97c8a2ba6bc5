"""Training by gradient descent, with a `History` that keeps every number of every step.

Two loops compute the same steps. For small networks trained a row or a small batch at a time,
`_python_loop` works on plain Python floats: on 2-2-1, numpy's cost per call would be most of the time, not
the arithmetic. `_numpy_loop` handles large batches and large networks with the functions of `network`.
The tests check that both give the same history.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from functools import cached_property
from itertools import chain as chained
from operator import add, mul

import numpy as np

from . import budget, chain, checks, notation
from .network import backward, forward_pass, output_loss, validate

PYTHON_LOOP_MAX_PARAMS = 200
PYTHON_LOOP_MAX_BATCH = 16      # measured on 2-2-1: python 74 ms, numpy 93 ms at batch 10; numpy wins from about 16
MAX_STEPS = 1_000_000   # the most steps `train` records unless max_steps says otherwise; every step keeps every
                        # number: 10**6 steps of the 2-2-1 network take about 0.4 GB at the peak (measured)


@dataclass(frozen=True)
class Step:
    """One step of training: what went in, every neuron's value, the loss, the gradients, the update.

    `z[l-1][k]` is the weighted sum of node k of layer l and `a[l][k]` its output (`a[0]` the inputs);
    both are kept for per-sample steps only. Parameters are read by course name: `before('w11^1')`,
    `grad('w11^1')`, `after('w11^1')`; `factors('w11^1')` is that derivative's chain-rule factors.
    """

    index: int
    epoch: int
    rows: tuple
    x: np.ndarray
    y: np.ndarray | float
    z: list | None
    a: list | None
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
        """The row of the dataset used in this step (per-sample training)."""
        if len(self.rows) != 1:
            raise AttributeError("row: this step used a batch of rows; see .rows")
        return self.rows[0]

    @property
    def y_hat(self) -> float:
        """The prediction ŷ of this step's row."""
        if self.a is None:
            raise AttributeError("y_hat: neuron values are kept for per-sample steps only")
        return float(self.a[-1][0])

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
        return chain.factors(name, self.layer_sizes, self.activation, self.loss_name, self.y, self.z, self.a,
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
                 step_loss, grads, params, z, a, diverged_at):
        self.layer_sizes, self.activation, self.loss = layer_sizes, activation, loss
        self.lr, self.X, self.y, self.batch_size, self.epochs = lr, X, y, batch_size, epochs
        self.starts, self.order, self.epoch = starts, order, epoch   # rows of step k: order[starts[k]:starts[k+1]]
        self.step_loss, self.grads_flat, self.params_flat = step_loss, grads, params  # params_flat: n_steps + 1
        self.z_flat, self.a_flat = z, a             # neuron values, layer after layer; None for batches
        self.diverged_at = diverged_at
        self.steps = Steps(self)

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
                        f"{self.epoch_loss[0]:.4g} to {self.epoch_loss[-1]:.4g}. Try a learning rate smaller "
                        f"than {self.lr:g}.")
            return f"Trained for {self.n_steps} steps without diverging."
        k = self.diverged_at
        ep, at = divmod(k, self.steps_per_epoch)
        where = f"on row X[{self.order[self.starts[k]]}]" if self.batch_size == 1 else f"on batch {at + 1}"
        return (f"Training diverged at epoch {ep + 1}, step {k} ({where}): the loss, a gradient or a weight "
                f"grew past what float64 can hold, so training stopped there. Try a learning rate smaller "
                f"than {self.lr:g}.")

    @property
    def growing(self) -> bool:
        """True when training did not stop but the last epoch's loss is over 10 times the first one's."""
        losses = self.epoch_loss
        return not self.diverged and len(losses) > 1 and losses[-1] > 10 * losses[0]

    @property
    def final_loss(self) -> float:
        """The last full epoch's mean loss; a ValueError saying what happened if training diverged."""
        if self.diverged or self.growing or not self.epoch_loss:
            raise ValueError(f"final_loss: no final loss to show. {self.message}")
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
                  self.z_flat, self.a_flat]
        return sum(a.nbytes for a in arrays if a is not None)

    def params_at(self, step: int) -> dict:
        """The parameters after `step` steps: 0 gives the start, `n_steps` the end."""
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step <= self.n_steps:
            raise ValueError(f"step: expected a whole number from 0 to {self.n_steps}, got {step!r}")
        return notation.unflatten(self.params_flat[int(step)], self.layer_sizes)

    def step_index(self, epoch: int, row: int) -> int:
        """The step in which `row` was used in `epoch` (both counted from 0)."""
        if self.batch_size != 1:
            raise ValueError("step_index: only per-sample histories have one step a row")
        per = self.steps_per_epoch
        if not 0 <= epoch < self.n_steps // per + (self.n_steps % per > 0):
            raise ValueError(f"epoch: expected 0 to {(self.n_steps - 1) // per}, got {epoch}")
        if not 0 <= row < len(self.y):
            raise ValueError(f"row: expected 0 to {len(self.y) - 1}, got {row}")
        # only the steps taken: `order` also lists the rows planned after a divergence
        where = np.flatnonzero(self.order[epoch * per : min((epoch + 1) * per, self.n_steps)] == row)
        if len(where) == 0:
            raise ValueError(f"row {row} was not reached in epoch {epoch}: training diverged first")
        return epoch * per + int(where[0])

    def _step(self, k: int) -> Step:
        rows = self.order[self.starts[k] : self.starts[k + 1]]
        x, y = self.X[rows], self.y[rows]
        z = a = None
        if self.z_flat is not None:
            cuts = np.cumsum(self.layer_sizes[1:])[:-1]
            z = np.split(self.z_flat[k], cuts)
            a = [x[0]] + np.split(self.a_flat[k], cuts)
            x, y = x[0], float(y[0])
        sizes = self.layer_sizes
        return Step(k, int(self.epoch[k]), tuple(rows.tolist()), x, y, z, a, float(self.step_loss[k]),
                    notation.unflatten(self.grads_flat[k], sizes), notation.unflatten(self.params_flat[k], sizes),
                    notation.unflatten(self.params_flat[k + 1], sizes), self.lr, tuple(sizes), self.activation,
                    self.loss)

    def __repr__(self) -> str:
        last = f"final epoch loss {self.epoch_loss[-1]:.6g}" if self.epoch_loss else "no full epoch"
        return (f"History({self.n_steps} steps, {len(self.epoch_loss)} full epochs, {last}"
                f"{', diverged at step %d' % self.diverged_at if self.diverged else ''})")

    def first_epochs(self, epochs: int) -> History:
        """The same training stopped after `epochs` epochs (at most those trained): a prefix of every record."""
        epochs = checks.positive_int(epochs, "epochs")
        if epochs > self.epochs:
            raise ValueError(f"epochs: expected at most the {self.epochs} epochs trained, got {epochs}")
        per, m = self.steps_per_epoch, len(self.y)
        n = min(self.n_steps, epochs * per)
        cut = lambda a, k: None if a is None else a[:k]  # noqa: E731
        d = self.diverged_at if self.diverged and self.diverged_at < epochs * per else None
        return History(layer_sizes=self.layer_sizes, activation=self.activation, loss=self.loss, lr=self.lr,
                       X=self.X, y=self.y, batch_size=self.batch_size, epochs=epochs, starts=self.starts[: n + 1],
                       order=self.order[: epochs * m], epoch=self.epoch[:n], step_loss=self.step_loss[:n],
                       grads=self.grads_flat[:n], params=self.params_flat[: n + 1], z=cut(self.z_flat, n),
                       a=cut(self.a_flat, n), diverged_at=d)


def train(params: dict, X, y, lr: float = 0.001, epochs: int = 5, activation: str = "linear",
          loss: str = "mse", shuffle: bool = False, seed: int | None = None, batch_size: int = 1,
          engine: str = "auto", max_steps: int | None = None, max_memory: float | None = None,
          max_seconds: float | None = None) -> History:
    """Gradient descent: for each epoch, for each row (or batch), predict, take the gradients, update.

    Rows go in order unless shuffle=True (then each epoch's order is drawn with numpy's default_rng(seed)).
    All gradients of a step come from the parameters before any of them is updated. Training that
    diverges stops at the first step whose loss, gradients or new parameters are not finite; `History`
    then says where. A run of more than `max_steps` steps (default `MAX_STEPS`), or one that would keep more
    than `max_memory` bytes or take more than `max_seconds` (defaults in `budget`), is refused before it starts.
    """
    X, y = validate(params, X, activation, y, loss)        # params, X, y and the names, checked once
    # float64 arrays (lists of numbers too), keys in the course's order W1, b1, W2, ... whatever the dict's order
    params = {k: np.asarray(params[k], dtype=np.float64) for l in range(1, len(params) // 2 + 1)
              for k in (f"W{l}", f"b{l}")}
    sizes = notation.layer_sizes_of(params)
    if X.ndim != 2:
        raise ValueError(f"X: expected rows (m, {sizes[0]}), got shape {X.shape}")
    lr = checks.positive_number(lr, "lr")
    epochs = checks.positive_int(epochs, "epochs")
    batch_size = checks.positive_int(batch_size, "batch_size")
    if batch_size > len(y):
        raise ValueError(f"batch_size: expected at most the number of rows ({len(y)}), got {batch_size}")
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle: expected True or False, got {shuffle!r}")
    if engine not in ("auto", "python", "numpy"):
        raise ValueError(f"engine: expected 'auto', 'python' or 'numpy', got {engine!r}")
    seed = checks.seed(seed)
    m = len(y)
    small = notation.n_params(sizes) <= PYTHON_LOOP_MAX_PARAMS and batch_size <= PYTHON_LOOP_MAX_BATCH
    python = engine == "python" or (engine == "auto" and small)
    n_bytes, seconds = budget.train_cost(notation.n_params(sizes), sum(sizes[1:]), m, batch_size, epochs, python)
    budget.check(f"training {'-'.join(map(str, sizes))} for {budget.count(epochs)} epochs of {-(-m // batch_size)} "
                 f"steps",
                 n_bytes, seconds, max_memory, max_seconds,
                 "use fewer epochs, a smaller network or a larger batch_size")
    limit = MAX_STEPS if max_steps is None else checks.positive_int(max_steps, "max_steps")
    planned = epochs * -(-m // batch_size)
    if planned > limit:
        raise ValueError(f"epochs: {epochs} epochs of {-(-m // batch_size)} steps is {planned} steps, more than "
                         f"the limit of {limit} recorded steps; use fewer epochs, a larger batch_size, or raise "
                         f"the limit with max_steps=... (the limits on memory and time, max_memory and max_seconds, "
                         f"hold as well)")
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(m) if shuffle else np.arange(m) for _ in range(epochs)])
    loop = _python_loop if python else _numpy_loop
    rec = loop(params, X, y, lr, order, batch_size, activation, loss)
    per = -(-m // batch_size)
    n = len(rec["step_loss"])
    return History(layer_sizes=sizes, activation=activation, loss=loss, lr=lr, X=X.copy(), y=y.copy(),
                   batch_size=batch_size, epochs=epochs, order=order.astype(np.int32),
                   epoch=(np.arange(n) // per).astype(np.int32), **rec)


def _numpy_loop(params, X, y, lr, order, batch_size, act, loss):
    """Train with the numpy functions of `network`, a row or a batch at a time."""
    m, p = len(y), {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    keys = list(p)
    flat = lambda d: np.concatenate([np.ravel(d[k]) for k in keys])
    P, G, Lo, Z, A = [flat(p)], [], [], [], []
    diverged_at = None
    bounds = [(s, min(s + batch_size, e + m)) for e in range(0, len(order), m) for s in range(e, e + m, batch_size)]
    with np.errstate(all="ignore"):
        for k, (s, e) in enumerate(bounds):
            idx = order[s:e]
            fw = forward_pass(p, X[idx], act)
            losses = output_loss(fw.z[-1][:, 0], fw.a[-1][:, 0], y[idx], loss)
            g = backward(p, fw, y[idx], act, loss)
            new = {k2: p[k2] - lr * g[k2] for k2 in keys}
            gf, pf, lv = flat(g), flat(new), float(np.mean(losses))
            if not (math.isfinite(lv) and np.all(np.isfinite(gf)) and np.all(np.isfinite(pf))):
                diverged_at = k
                break
            P.append(pf), G.append(gf), Lo.append(lv)
            if batch_size == 1:
                Z.append(np.concatenate([z[0] for z in fw.z]))
                A.append(np.concatenate([a[0] for a in fw.a[1:]]))
            p = new
    n_par, n = len(P[0]), len(Lo)
    starts = np.array([s for s, _ in bounds[:n]] + [bounds[n - 1][1] if n else 0])
    return dict(starts=starts, step_loss=np.array(Lo), grads=np.array(G).reshape(-1, n_par), params=np.array(P),
                z=np.array(Z).reshape(len(Lo), -1) if batch_size == 1 else None,
                a=np.array(A).reshape(len(Lo), -1) if batch_size == 1 else None, diverged_at=diverged_at)


def _python_loop(params, X, y, lr, order, batch_size, act, loss):
    """Train on plain Python floats, a row or a small batch at a time; the same steps as `_numpy_loop`.

    All parameters live in one flat list `P`, layer by layer: the weights into neuron k as one column
    (w_1k^l, ..., w_nk^l), then the layer's biases. A neuron's weighted sum is then one
    `sum(map(mul, a, P[column]))`, the update is one pass over `P`, and the records follow that order
    and are put in the course's order at the end.
    """
    sizes = notation.layer_sizes_of(params)
    n_layers = len(sizes) - 1
    P, layers = [], []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        at = len(P)
        P += params[f"W{l}"].T.ravel().tolist()
        b0 = len(P)
        P += params[f"b{l}"].tolist()
        columns = tuple((slice(at + k * n_in, at + (k + 1) * n_in), b0 + k) for k in range(n_out))
        rows_of_w = tuple(slice(at + j, b0, n_in) for j in range(n_in))   # w_j1^l, ..., w_jn^l
        layers.append((columns, rows_of_w))
    rows, ys = X.tolist(), y.tolist()
    linear, sig, bce = act == "linear", act == "sigmoid", loss == "bce"   # otherwise relu
    tanh, log1p, exp, isfinite = math.tanh, math.log1p, math.exp, math.isfinite

    def f(z):
        if sig:
            return [0.5 * (1.0 + tanh(0.5 * v)) for v in z]
        return [v if v > 0 else 0.0 for v in z]

    def slope(z, a):
        if sig:
            return [v * (1.0 - v) for v in a]
        return [1.0 if v > 0 else 0.0 for v in z]

    pbuf, gbuf, zbuf, abuf, lbuf = array("d", P), array("d"), array("d"), array("d"), array("d")
    diverged_at = None
    grads = [None] * n_layers

    def one_row(i):
        """Row i's loss and gradient (in P's order) at the parameters P, and its neurons' sums and outputs."""
        # forward
        a = rows[i]
        acts, zs = [a], []
        for columns, _ in layers:
            z = [P[b] + sum(map(mul, a, P[c])) for c, b in columns]
            a = z if linear else f(z)
            zs.append(z)
            acts.append(a)
        # loss and ∂L/∂z at the output
        t, y_hat, z_out = ys[i], a[0], z[0]
        if bce:
            L = max(z_out, 0.0) + log1p(exp(-abs(z_out))) - t * z_out
            delta = [y_hat - t]
        else:
            d = y_hat - t
            L = d * d
            delta = [2.0 * d] if linear else [2.0 * d * slope(z, a)[0]]
        # backward: every gradient from the weights before the update
        for l in range(n_layers - 1, -1, -1):
            a_prev = acts[l]
            grads[l] = [dk * ap for dk in delta for ap in a_prev] + delta   # ∂L/∂w_jk = δ_k · a_j, ∂L/∂b_k = δ_k
            if l:
                back = [sum(map(mul, P[r], delta)) for r in layers[l][1]]
                delta = back if linear else list(map(mul, back, slope(zs[l - 1], acts[l])))
        return L, (grads[0] if n_layers == 1 else list(chained.from_iterable(grads))), zs, acts

    m, order = len(ys), order.tolist()
    bounds = ((s, min(s + batch_size, e + m)) for e in range(0, len(order), m) for s in range(e, e + m, batch_size))
    ends = []                          # where each batch ends in `order` (batches only: rows need no list)
    for k, (s, e) in enumerate(bounds):
        if batch_size == 1:
            L, G, zs, acts = one_row(order[s])
        else:                          # a batch: the mean of its rows' losses and gradients, all at the same P
            L, G, _, _ = one_row(order[s])
            for i in order[s + 1 : e]:
                Li, Gi, _, _ = one_row(i)
                L += Li
                G = list(map(add, G, Gi))
            L, G = L / (e - s), [g / (e - s) for g in G]
            ends.append(e)
        # update
        new = [w - lr * g for w, g in zip(P, G)]
        # one cheap test; a sum of finite values can still overflow, so confirm value by value
        if not isfinite(L + sum(G) + sum(new)) and not (
                isfinite(L) and all(map(isfinite, G)) and all(map(isfinite, new))):
            diverged_at = k
            break
        lbuf.append(L)
        gbuf.extend(G)
        pbuf.extend(new)
        if batch_size == 1:
            for z in zs:
                zbuf.extend(z)
            if not linear:             # for a linear network the outputs are the sums: a = z
                for a in acts[1:]:
                    abuf.extend(a)
        P = new
    perm = _course_order(sizes)
    n, n_par = len(lbuf), len(perm)
    as_2d = lambda buf, width: np.frombuffer(buf, dtype=np.float64).reshape(-1, width)
    width = sum(sizes[1:])
    per_row = batch_size == 1
    starts = np.arange(n + 1) if per_row else np.array([0] + ends[:n])
    return dict(starts=starts,
                step_loss=np.frombuffer(lbuf, dtype=np.float64).copy(),
                grads=as_2d(gbuf, n_par)[:, perm], params=as_2d(pbuf, n_par)[:, perm],
                z=as_2d(zbuf, width).copy() if per_row else None,
                a=as_2d(zbuf if linear else abuf, width).copy() if per_row else None, diverged_at=diverged_at)


def _course_order(sizes: list[int]) -> np.ndarray:
    """Positions in the column-wise flat vector of `_python_loop` of each parameter, in course order."""
    perm, at = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        perm += [at + k * n_in + j for j in range(n_in) for k in range(n_out)]
        at += n_in * n_out
        perm += [at + k for k in range(n_out)]
        at += n_out
    return np.array(perm)


def train_more(hist: History, epochs: int, max_memory: float | None = None,
               max_seconds: float | None = None) -> History:
    """`hist` trained on to `epochs` epochs in all (rows in order): the same History as training that long at once.

    `max_memory` and `max_seconds` as in `train`, for the whole run (the epochs kept and the new ones)."""
    epochs = checks.positive_int(epochs, "epochs")
    if epochs < hist.epochs:
        raise ValueError(f"epochs: expected at least the {hist.epochs} epochs already trained, got {epochs}")
    if epochs == hist.epochs:
        return hist
    sizes = hist.layer_sizes
    python = notation.n_params(sizes) <= PYTHON_LOOP_MAX_PARAMS and hist.batch_size <= PYTHON_LOOP_MAX_BATCH
    budget.check(f"training {'-'.join(map(str, sizes))} on to {epochs} epochs",
                 *budget.train_cost(notation.n_params(sizes), sum(sizes[1:]), len(hist.y), hist.batch_size, epochs,
                                    python), max_memory, max_seconds, "use fewer epochs")
    if not np.array_equal(hist.order[: len(hist.y)], np.arange(len(hist.y))):
        raise ValueError("hist: expected a History trained with rows in order (shuffle=False)")
    if hist.diverged:      # training stopped; more epochs would stop at the same step
        return History(layer_sizes=hist.layer_sizes, activation=hist.activation, loss=hist.loss, lr=hist.lr,
                       X=hist.X, y=hist.y, batch_size=hist.batch_size, epochs=epochs, starts=hist.starts,
                       order=np.tile(hist.order[: len(hist.y)], epochs), epoch=hist.epoch, step_loss=hist.step_loss,
                       grads=hist.grads_flat, params=hist.params_flat, z=hist.z_flat, a=hist.a_flat,
                       diverged_at=hist.diverged_at)
    more = train(hist.params, hist.X, hist.y, lr=hist.lr, epochs=epochs - hist.epochs, activation=hist.activation,
                 loss=hist.loss, batch_size=hist.batch_size, max_memory=max_memory, max_seconds=max_seconds)
    join = lambda a, b: None if a is None else np.concatenate([a, b])  # noqa: E731
    n, done = hist.n_steps, len(hist.order)
    return History(layer_sizes=hist.layer_sizes, activation=hist.activation, loss=hist.loss, lr=hist.lr,
                   X=hist.X, y=hist.y, batch_size=hist.batch_size, epochs=epochs,
                   starts=np.concatenate([hist.starts, more.starts[1:] + done]),
                   order=np.concatenate([hist.order, more.order]), epoch=np.concatenate([hist.epoch, more.epoch
                                                                                         + hist.epochs]),
                   step_loss=np.concatenate([hist.step_loss, more.step_loss]),
                   grads=np.concatenate([hist.grads_flat, more.grads_flat]),
                   params=np.concatenate([hist.params_flat, more.params_flat[1:]]),
                   z=join(hist.z_flat, more.z_flat), a=join(hist.a_flat, more.a_flat),
                   diverged_at=None if more.diverged_at is None else more.diverged_at + n)
