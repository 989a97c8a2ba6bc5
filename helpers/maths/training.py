"""Training by gradient descent: `train` runs the forward pass, backpropagation and the update, step by step.

Two engines compute the same steps. `_numpy_loop` calls `network.forward_pass` and `network.backward`, the
functions notebook 02 shows. For small networks trained a row or a small batch at a time, `train` runs
`float_loop.python_loop` instead, the same steps on plain Python floats: on 2-2-1 numpy's cost per call is
most of the time, not the arithmetic (benchmarks/bench_training.py prints both engines on 02's η slider:
per-sample the float loop is about 5 times faster; from batches of 10 numpy is as fast, and `train` uses
it). Both read `activations`; the tests check they give the same history.
"""

from __future__ import annotations

import math

import numpy as np

from . import budget, checks, notation
from .float_loop import python_loop
from .history import History
from .network import backward, forward_pass, output_loss, validate

PYTHON_LOOP_MAX_PARAMS = 200
PYTHON_LOOP_MAX_BATCH = 8   # measured on 02's η slider (bench_training 1b): numpy is level at batch 8 and wins from 10
MAX_STEPS = 1_000_000   # the most steps `train` records unless max_steps says otherwise; every step keeps every
                        # number: 10**6 steps of the 2-2-1 network take about 0.4 GB at the peak (measured)


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
    params, X, y = validate(params, X, activation, y, loss)        # params, X, y and the names, checked once
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
    loop = python_loop if python else _numpy_loop
    rec = loop(params, X, y, lr, order, batch_size, activation, loss)
    per = -(-m // batch_size)
    n = len(rec["step_loss"])
    return History(layer_sizes=sizes, activation=activation, loss=loss, lr=lr, X=X.copy(), y=y.copy(),
                   batch_size=batch_size, epochs=epochs, order=order.astype(np.int32),
                   epoch=(np.arange(n) // per).astype(np.int32), **rec)


def _numpy_loop(params, X, y, lr, order, batch_size, act, loss):
    """Train with the numpy functions of `network`, a row or a batch at a time."""
    m, p = len(y), params      # float64 from validate; each step makes a new dict, none is changed in place
    keys = list(p)
    flat = lambda d: np.concatenate([np.ravel(d[k]) for k in keys])
    P, G, Lo, Z, A = [flat(p)], [], [], [], []
    diverged_at = None
    bounds = [(s, min(s + batch_size, e + m)) for e in range(0, len(order), m) for s in range(e, e + m, batch_size)]
    with np.errstate(all="ignore"):
        for k, (s, e) in enumerate(bounds):
            idx = order[s:e]
            fw = forward_pass(p, X[idx], act)
            losses = output_loss(fw.z[-1][:, 0], fw.O[-1][:, 0], y[idx], loss)
            g = backward(p, fw, y[idx], act, loss)
            new = {k2: p[k2] - lr * g[k2] for k2 in keys}
            gf, pf, lv = flat(g), flat(new), float(np.mean(losses))
            if not (math.isfinite(lv) and np.all(np.isfinite(gf)) and np.all(np.isfinite(pf))):
                diverged_at = k
                break
            P.append(pf), G.append(gf), Lo.append(lv)
            if batch_size == 1:
                Z.append(np.concatenate([z[0] for z in fw.z[1:]]))    # layers 1, 2, ...: z[0] is None
                A.append(np.concatenate([o[0] for o in fw.O[1:]]))
            p = new
    n_par, n = len(P[0]), len(Lo)
    starts = np.array([s for s, _ in bounds[:n]] + [bounds[n - 1][1] if n else 0])
    return dict(starts=starts, step_loss=np.array(Lo), grads=np.array(G).reshape(-1, n_par), params=np.array(P),
                z=np.array(Z).reshape(len(Lo), -1) if batch_size == 1 else None,
                O=np.array(A).reshape(len(Lo), -1) if batch_size == 1 else None, diverged_at=diverged_at)


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
        return hist.replace(epochs=epochs, order=np.tile(hist.order[: len(hist.y)], epochs))
    more = train(hist.params, hist.X, hist.y, lr=hist.lr, epochs=epochs - hist.epochs, activation=hist.activation,
                 loss=hist.loss, batch_size=hist.batch_size, max_memory=max_memory, max_seconds=max_seconds)
    join = lambda a, b: None if a is None else np.concatenate([a, b])  # noqa: E731
    n, done = hist.n_steps, len(hist.order)
    return hist.replace(epochs=epochs, starts=np.concatenate([hist.starts, more.starts[1:] + done]),
                        order=np.concatenate([hist.order, more.order]),
                        epoch=np.concatenate([hist.epoch, more.epoch + hist.epochs]),
                        step_loss=np.concatenate([hist.step_loss, more.step_loss]),
                        grads=np.concatenate([hist.grads_flat, more.grads_flat]),
                        params=np.concatenate([hist.params_flat, more.params_flat[1:]]),
                        z=join(hist.z_flat, more.z_flat), O=join(hist.O_flat, more.O_flat),
                        diverged_at=None if more.diverged_at is None else more.diverged_at + n)
