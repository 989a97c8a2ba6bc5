"""Matplotlib figures for the notebooks; the maths comes from the other modules of `helpers`.

Each function draws on `ax` when given one (so figures can be combined) and returns the axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..text import fmt
from .palette import FIELD_HIGH, FIELD_LOW, FIELD_MID, FIGURE_EDGE, FIGURE_FACE

PLOT_MAX = 1e100   # larger values overflow inside matplotlib's transforms


def _axes(ax, size=(5, 3.2)):
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    fig = ax.figure     # a light card with a border: it reads as a picture on a dark page too (see palette)
    fig.patch.set(facecolor=FIGURE_FACE, edgecolor=FIGURE_EDGE, linewidth=1.5)
    return ax


def plot_loss(epoch_loss, ax=None, label: str | None = None, log: bool = True, title: str = "Loss by epoch"):
    """The loss of each epoch (a list, or a History's `epoch_loss`), on a log scale by default."""
    from ..maths import checks
    losses = checks.finite_array(getattr(epoch_loss, "epoch_loss", epoch_loss), "epoch_loss", 1)
    if not isinstance(log, bool):
        raise TypeError(f"log: expected True or False, got {log!r}")
    if len(losses) == 0:
        raise ValueError("epoch_loss: expected at least one loss, got none (a run that diverged in epoch 1?)")
    if log and np.any(losses <= 0):
        raise ValueError(f"epoch_loss: a log scale needs losses above 0, got {losses.min():g}; use log=False")
    ax = _axes(ax)
    ax.plot(np.arange(1, len(losses) + 1), losses, label=label)
    if log:
        with np.errstate(all="ignore"):      # a span like 1e-308 to 1e308 overflows in matplotlib's ticks
            ax.set_yscale("log")
            ax.figure.canvas.draw_idle()
    ax.set(xlabel="epoch", ylabel="epoch loss", title=title)
    if label:
        ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_predictions(y, y_hat, ax=None, names: list[str] | None = None, title: str = "Predictions against targets"):
    """Targets and predictions side by side for each row, as paired bars."""
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    if y.shape != y_hat.shape or y.ndim != 1:
        raise ValueError(f"y and y_hat: expected two 1-D arrays of the same length, got {y.shape} and {y_hat.shape}")
    if not np.all(np.abs(y_hat) < PLOT_MAX):
        raise ValueError(f"y_hat: expected predictions under {fmt(PLOT_MAX)} in size to draw, got up to "
                         f"{fmt(np.max(np.abs(y_hat)), 3)}; the run they come from diverged")
    ax = _axes(ax)
    at = np.arange(len(y))
    ax.bar(at - 0.2, y, width=0.4, label="target y")
    ax.bar(at + 0.2, y_hat, width=0.4, label="prediction ŷ")
    ax.set_xticks(at, names or [f"student {i + 1}" for i in at])
    ax.set(title=title)
    ax.legend()
    return ax


# ---- "What" notebook: the one-weight recap, the dependency graph, the learned function ----

def plot_one_weight(w: float, lr: float, ax=None, x: float = 8.0, y: float = 4.0):
    """The one-weight loss L(w) = (y - w·x)^2, its tangent at w, and the step to w - lr·dL/dw."""
    from ..maths.lessons.one_weight import one_weight_loss, one_weight_slope, one_weight_step
    ax = _axes(ax, size=(4.2, 3))
    w_new = one_weight_step(w, lr, x, y)
    best = y / x
    grid = np.linspace(best - 0.8, best + 0.8, 161)
    ax.plot(grid, (y - grid * x) ** 2, color="0.35", lw=1.5, label="L(w)")
    L, slope = one_weight_loss(w, x, y), one_weight_slope(w, x, y)
    span = np.array([w - 0.2, w + 0.2])
    ax.plot(span, L + slope * (span - w), color="tab:orange", lw=1.5, label="slope dL/dw")
    ax.plot([w], [L], "o", color="tab:blue", label="w")
    shown = float(np.clip(w_new, grid[0], grid[-1]))
    ax.annotate("", xy=(shown, one_weight_loss(shown, x, y)), xytext=(w, L),
                arrowprops=dict(arrowstyle="->", color="tab:green", lw=1.5))
    ax.plot([shown], [one_weight_loss(shown, x, y)], "o", color="tab:green", label="w − η·dL/dw")
    ax.set(xlim=(grid[0], grid[-1]), ylim=(-2, 45), xlabel="w", ylabel="L(w)")
    ax.legend(fontsize=8, loc="upper center")
    ax.grid(alpha=0.3)
    return ax


_DEP_NODES = {  # name: (x, y, label, kind)
    "L": (9.2, 0.0, r"$L$", "loss"), "y": (7.6, -1.9, r"$y$", "data"),
    "yhat": (7.0, 0.0, r"$\hat{y}$", "neuron"),
    "w11^2": (5.6, 2.2, r"$w_{11}^{2}$", "param"), "w21^2": (5.6, -2.2, r"$w_{21}^{2}$", "param"),
    "b21": (7.0, 1.9, r"$b_{21}$", "param"),
    "O11": (4.3, 1.0, r"$O_{11}$", "neuron"), "O12": (4.3, -1.0, r"$O_{12}$", "neuron"),
    "w11^1": (2.0, 3.0, r"$w_{11}^{1}$", "param"), "w21^1": (2.0, 2.2, r"$w_{21}^{1}$", "param"),
    "b11": (3.0, 2.9, r"$b_{11}$", "param"),
    "w12^1": (2.0, -2.2, r"$w_{12}^{1}$", "param"), "w22^1": (2.0, -3.0, r"$w_{22}^{1}$", "param"),
    "b12": (3.0, -2.9, r"$b_{12}$", "param"),
    "x1": (0.6, 0.7, "cgpa $x_{i1}$", "data"), "x2": (0.6, -0.8, "profile score\n$x_{i2}$", "data"),
}
_DEP_EDGES = [("y", "L"), ("yhat", "L"), ("w11^2", "yhat"), ("w21^2", "yhat"), ("b21", "yhat"),
              ("O11", "yhat"), ("O12", "yhat"), ("w11^1", "O11"), ("w21^1", "O11"), ("b11", "O11"),
              ("x1", "O11"), ("x2", "O11"), ("w12^1", "O12"), ("w22^1", "O12"), ("b12", "O12"),
              ("x1", "O12"), ("x2", "O12")]
_DEP_COLOURS = {"loss": "#f4c7c3", "neuron": "#fde3b5", "param": "#c9defc", "data": "#e3e3e3"}


def plot_dependencies(ax=None):
    """What the loss depends on, for the 2-2-1 network: arrows point from a quantity to what it feeds."""
    ax = _axes(ax, size=(8, 4.2))
    for a, b in _DEP_EDGES:
        (xa, ya, *_), (xb, yb, *_) = _DEP_NODES[a], _DEP_NODES[b]
        ax.annotate("", xy=(xb, yb), xytext=(xa, ya),
                    arrowprops=dict(arrowstyle="->", color="0.55", lw=1, shrinkA=14, shrinkB=14))
    for x, y, label, kind in _DEP_NODES.values():
        ax.text(x, y, label, ha="center", va="center", fontsize=12,
                bbox=dict(boxstyle="round,pad=0.35", fc=_DEP_COLOURS[kind], ec="0.4"))
    ax.annotate("", xy=(0.6, -3.9), xytext=(9.2, -3.9),
                arrowprops=dict(arrowstyle="->", color="tab:red", lw=2))
    ax.text(4.9, -3.65, "the blame (backpropagation): from L backwards, layer by layer", color="tab:red", ha="center",
            fontsize=10)
    handles = [plt.Rectangle((0, 0), 1, 1, fc=c, ec="0.4") for c in _DEP_COLOURS.values()]
    ax.legend(handles, ["loss", "neuron value", "parameter (trainable)", "data (fixed)"], loc="upper right",
              fontsize=8, ncol=1, frameon=False, bbox_to_anchor=(1.0, 1.02))
    ax.set(xlim=(-0.6, 10.2), ylim=(-4.3, 3.6))
    ax.axis("off")
    return ax


def plot_learned_vs_exact(x, y, y_hat, line_x, line_y, ax=None, xlabel: str = "cgpa",
                          line_label: str = "exact fit", title: str = "The learned function and the exact fit"):
    """Targets and predictions against one input, with the exact-fit line drawn through `line_x, line_y`."""
    x, y, y_hat = (np.asarray(v, dtype=float) for v in (x, y, y_hat))
    if not (x.ndim == 1 and x.shape == y.shape == y_hat.shape):
        raise ValueError(f"x, y and y_hat: expected three 1-D arrays of the same length, got {x.shape}, "
                         f"{y.shape} and {y_hat.shape}")
    ax = _axes(ax)
    ax.plot(line_x, line_y, "--", color="0.4", label=line_label)
    ax.plot(x, y, "o", color="black", ms=7, label="target y")
    ax.plot(x, y_hat, "x", color="tab:orange", ms=10, mew=2, label="network ŷ")
    ax.set(xlabel=xlabel, ylabel="lpa", title=title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


# ---- "How" notebook: classification ----

def plot_decision_boundary(params: dict, X, y, activation: str = "sigmoid", ax=None,
                           names: tuple[str, str] = ("cgpa", "profile_score"), n: int = 101,
                           title: str = "Decision boundary"):
    """The network's probability over the inputs' plane, the 0.5 contour, and the labelled rows: label 1 (placed)
    in the palette's label-1 colour FIELD_HIGH and label 0 in FIELD_LOW, the colours of 03's fields."""
    from ..maths.lessons.grids import decision_grid
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    grid = decision_grid(params, X, activation, margin=0.15, n=n)
    ax = _axes(ax, size=(4.6, 3.6))
    from matplotlib.colors import LinearSegmentedColormap
    labels = LinearSegmentedColormap.from_list("labels", [FIELD_LOW, FIELD_MID, FIELD_HIGH])   # 0 ... 1, as in 03
    fill = ax.contourf(grid.x1, grid.x2, grid.out, levels=np.linspace(0, 1, 11), cmap=labels, alpha=0.6)
    ax.figure.colorbar(fill, ax=ax, label="P(placed)")
    if grid.out.min() < 0.5 < grid.out.max():
        ax.contour(grid.x1, grid.x2, grid.out, levels=[0.5], colors="black", linewidths=1.5)
    for label, marker, colour in ((1, "o", FIELD_HIGH), (0, "s", FIELD_LOW)):   # label 1 in every view's colour
        rows = y == label
        ax.scatter(X[rows, 0], X[rows, 1], marker=marker, c=colour, edgecolors="black", s=60,
                   label=f"y = {label}", zorder=3)
    ax.set(xlabel=names[0], ylabel=names[1], title=title)
    ax.legend(loc="upper right")
    return ax


# ---- "Why" notebook: learning rates, cost, the loss landscape, gradient sizes ----

def plot_lr_curves(histories: dict, ax=None, title: str = "Loss by epoch for several learning rates"):
    """The epoch losses of several runs, {label: History or Convergence}; a run that diverged ends with an ×."""
    if not isinstance(histories, dict):
        raise TypeError(f"histories: expected a dict {{label: History}} like {{'η = 0.01': hist}}, got "
                        f"{type(histories).__name__}")
    if not histories or not all(hasattr(h, "epoch_loss") for h in histories.values()):
        raise ValueError("histories: expected one or more {label: History or Convergence} entries")
    ax = _axes(ax, size=(5.6, 3.4))
    firsts = [h.epoch_loss[0] for h in histories.values() if len(h.epoch_loss)]
    top = 1e3 * max(firsts) if firsts else None     # a diverging run leaves the plot here
    for label, hist in histories.items():
        losses = np.asarray(hist.epoch_loss, dtype=float)
        line, = ax.plot(np.arange(1, len(losses) + 1), losses, marker="." if len(losses) < 30 else None,
                        label=label)
        if getattr(hist, "diverged", False) and len(losses):
            ax.plot([len(losses)], [min(losses[-1], top)], "x", color=line.get_color(), ms=10, mew=2,
                    clip_on=False)
            if losses[-1] > top:                        # drawn at the top edge: say where it really is
                ax.annotate(f"off scale: {losses[-1]:.2g}", (len(losses), top), xytext=(8, -12),
                            textcoords="offset points", fontsize=8, color=line.get_color())
    ax.set(xlabel="epoch", ylabel="epoch loss", yscale="log", title=title)
    if top is not None:
        lows = [np.min(h.epoch_loss) for h in histories.values() if len(h.epoch_loss)]
        ax.set_ylim(bottom=max(min(lows) / 3, 1e-12), top=top)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_stability_scan(edge, ax=None, marks: dict | None = None,
                        title: str = "Which learning rates train (stable) and which do not"):
    """A scan from `stability_edge`: one mark per rate, stable up, unstable down; `marks` {label: lr} as lines."""
    ax = _axes(ax, size=(6.4, 2.4))
    lrs, ok = np.asarray(edge.lrs, dtype=float), np.asarray(edge.stable, dtype=bool)
    ax.plot(lrs[ok], np.ones(ok.sum()), "o", color="tab:green", ms=5, label="stable")
    ax.plot(lrs[~ok], np.zeros((~ok).sum()), "x", color="tab:red", ms=6, label="not stable")
    for (label, lr), style in zip((marks or {}).items(), ("--", ":", "-.")):
        ax.axvline(lr, color="0.3", ls=style, lw=1, label=label)
    ax.set(xlabel="learning rate η", yticks=[0, 1], yticklabels=["not stable", "stable"], ylim=(-0.5, 1.5),
           title=title)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    ax.grid(alpha=0.3, axis="x")
    return ax


def plot_cost(n_params, backprop, finite_differences, ax=None, ylabel: str = "seconds for one gradient",
              title: str = "The cost of one gradient"):
    """Backpropagation against finite differences as the number of parameters grows, on log-log axes."""
    ax = _axes(ax, size=(5, 3.4))
    ax.loglog(n_params, finite_differences, "s-", label="centred difference")
    ax.loglog(n_params, backprop, "o-", label="backpropagation")
    ax.set(xlabel="number of parameters", ylabel=ylabel, title=title)
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return ax


def plot_landscape(a_values, b_values, grid, names, paths: dict | None = None, ax=None, levels: int = 18,
                   title: str = "Loss over two weights, the others fixed"):
    """Contours of a `loss_grid` (log-spaced levels) and descent paths {label: (n, 2) array} drawn on it."""
    grid = np.asarray(grid, dtype=float)
    ax = _axes(ax, size=(5, 4))
    lo, hi = max(grid.min(), grid.max() * 1e-6, 1e-12), grid.max()
    ax.contour(a_values, b_values, grid, levels=np.geomspace(lo, hi, levels), cmap="viridis", linewidths=0.8)
    for (label, xy), colour in zip((paths or {}).items(), ("tab:red", "tab:blue", "tab:orange", "tab:green")):
        xy = np.asarray(xy, dtype=float)
        ax.plot(xy[:, 0], xy[:, 1], "-", color=colour, lw=1.2, label=label)
        ax.plot(xy[0, 0], xy[0, 1], "o", color=colour, ms=5)
        ax.plot(xy[-1, 0], xy[-1, 1], "*", color=colour, ms=10)
    ax.set(xlabel=f"${_latex(names[0])}$", ylabel=f"${_latex(names[1])}$", title=title,
           xlim=(a_values[0], a_values[-1]), ylim=(b_values[0], b_values[-1]))
    if paths:
        ax.legend(fontsize=8, loc="upper right")
    return ax


def plot_landscape_pair(left: dict, right: dict, size=(10, 4)):
    """Two `plot_landscape` panels side by side; `left` and `right` are their keyword arguments."""
    fig, axes = plt.subplots(1, 2, figsize=size, layout="constrained")
    _axes(axes[0])
    for ax, kw in zip(axes, (left, right)):
        plot_landscape(ax=ax, **kw)
    return axes


def plot_descent_pair(runs: dict, names, points: int = 61, margin: float = 0.3, size=(10, 4), equal=()):
    """Two panels, one a training run {title: History}: the loss over the two parameters `names` (the others
    at the run's final values) on a grid around the run's path, `margin` of its extent added on each side,
    and the path drawn on it. The panels whose titles are in `equal` use one scale on both axes (a square
    grid around the path), so a round bowl is drawn round."""
    from ..maths import History, loss_grid, param_path
    if len(runs) != 2 or not all(isinstance(h, History) for h in runs.values()):
        raise ValueError(f"runs: expected two training runs {{title: History}}, got {list(runs)}")
    if isinstance(equal, str) or not all(t in runs for t in equal):
        raise ValueError(f"equal: expected a list of the panels' titles {list(runs)}, got {equal!r}")
    fig, axes = plt.subplots(1, 2, figsize=size, layout="constrained")
    for ax, (title, h) in zip(axes, runs.items()):
        path = param_path(h, names)
        lo, hi = path.min(axis=0), path.max(axis=0)
        if title in equal:                    # one extent for both axes, centred on the path
            mid, half = (lo + hi) / 2, np.max(hi - lo) / 2
            lo, hi = mid - half, mid + half
        pad = margin * np.maximum(hi - lo, 1e-3)
        a, b = (np.linspace(lo[i] - pad[i], hi[i] + pad[i], points) for i in (0, 1))
        grid = loss_grid(h.params, h.X, h.y, names, a, b, h.activation, h.loss)
        plot_landscape(a, b, grid, names, {"full batch" if h.batch_size == len(h.y) else "per-sample": path},
                       ax=ax, title=title)
        if title in equal:
            ax.set_aspect("equal")
    return axes


def _latex(name: str) -> str:
    from ..text import latex
    return latex(name) if name.startswith(("w", "b")) else name


def plot_layer_gradients(sizes, ax=None, title: str = "Gradient size by layer"):
    """Mean |∂L/∂w| of each layer's weights (layer 1 first), as bars on a log scale."""
    sizes = np.asarray(sizes, dtype=float)
    ax = _axes(ax, size=(5, 3.2))
    layers = np.arange(1, len(sizes) + 1)
    ax.bar(layers, sizes, color="tab:purple")
    ax.set(xlabel="layer (1 = next to the inputs)", ylabel="mean |∂L/∂w|", yscale="log", title=title,
           xticks=layers)
    ax.grid(alpha=0.3, axis="y")
    return ax
