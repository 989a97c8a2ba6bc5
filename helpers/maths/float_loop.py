"""Training on plain Python floats: the same steps as `training`'s numpy loop, for small networks and batches."""

from __future__ import annotations

import math
from array import array
from itertools import chain as chained
from operator import add, mul

import numpy as np

from . import notation
from .activations import ACTIVATIONS


def python_loop(params, X, y, lr, order, batch_size, act, loss):
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
    linear, bce = act == "linear", loss == "bce"      # linear: a = z and f′ = 1, so both are skipped
    log1p, exp, isfinite = math.log1p, math.exp, math.isfinite
    value, slope1 = ACTIVATIONS[act].value_float, ACTIVATIONS[act].slope

    def f(z):
        return list(map(value, z))

    def slope(z, a):
        return list(map(slope1, z, a))

    pbuf, gbuf, zbuf, abuf, lbuf = array("d", P), array("d"), array("d"), array("d"), array("d")
    diverged_at = None
    grads = [None] * n_layers

    def one_row(i):
        """Row i's loss and gradient (in P's order) at the parameters P, and its neurons' sums and outputs."""
        # forward: zs[l] and acts[l] are layer l's, as in `Forward` (zs[0] is None: the inputs have no sum)
        a = rows[i]
        acts, zs = [a], [None]
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
                delta = back if linear else list(map(mul, back, slope(zs[l], acts[l])))
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
            for z in zs[1:]:
                zbuf.extend(z)
            if not linear:             # for a linear network the outputs are the sums: a = z
                for a in acts[1:]:
                    abuf.extend(a)
        P = new
    perm = course_order(sizes)
    n, n_par = len(lbuf), len(perm)
    as_2d = lambda buf, width: np.frombuffer(buf, dtype=np.float64).reshape(-1, width)
    width = sum(sizes[1:])
    per_row = batch_size == 1
    starts = np.arange(n + 1) if per_row else np.array([0] + ends[:n])
    return dict(starts=starts,
                step_loss=np.frombuffer(lbuf, dtype=np.float64).copy(),
                grads=as_2d(gbuf, n_par)[:, perm], params=as_2d(pbuf, n_par)[:, perm],
                z=as_2d(zbuf, width).copy() if per_row else None,
                O=as_2d(zbuf if linear else abuf, width).copy() if per_row else None, diverged_at=diverged_at)


def course_order(sizes: list[int]) -> np.ndarray:
    """Positions in the column-wise flat vector of `python_loop` of each parameter, in course order."""
    perm, at = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        perm += [at + k * n_in + j for j in range(n_in) for k in range(n_out)]
        at += n_in * n_out
        perm += [at + k for k in range(n_out)]
        at += n_out
    return np.array(perm)
