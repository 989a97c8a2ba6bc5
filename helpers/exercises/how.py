"""Checkers for the "Your turn" cells of the "How" notebook.

The code exercises run the learner's function on hidden test cases (random weights and biases, so that a
symmetric start cannot hide a bug) through `feedback.run_learner`: it runs on copies, and an error, a wrong
type or shape, or an input changed in place gets a sentence. A wrong value gets the slip it comes from
(added instead of subtracted, a missing factor, the sum instead of the mean, ...), never the right value.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import numpy as np

from ..maths import notation
from ..maths.data import load_placements, load_students
from ..maths.graph import Node as PackageNode
from ..maths.graph import loss_graph
from ..maths.network import gradients, init_params, predict
from ..maths.notation import n_params
from ..text import fmt
from .feedback import (
    Feedback,
    as_array,
    as_rounded,
    check_answer,
    not_answered,
    progress,
    record,
    register,
    run_learner,
)
from .shortcuts import ShortcutError, switched_off  # noqa: F401  (ShortcutError: the checkers' refusals)

NB = "02_how"
E_MSE = register(NB, 1, "∂L/∂b21 for a sigmoid network with squared error (after section 3)",
                 "compute: a sigmoid output without cross-entropy")
E_PASSES = register(NB, 2, "forward passes of one gradient check (after section 4)", "predict, then check")
E_NODE = register(NB, 3, "class Node: a graph node with sums, products and tanh (after section 6)", "build")
E_W1 = register(NB, 4, "grad_W1: the sigmoid network's hidden-layer gradient, vectorised (after section 7)",
                "write code")

def _cases(n: int = 4, rows: int | None = None, seed: int = 7):
    """Hidden test cases: random 2-2-1 weights and biases, a random input (or rows), a target, a learning rate."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        params = init_params([2, 2, 1], weight=None, seed=seed + k, scheme="uniform")
        params["b1"] = rng.uniform(-1, 1, 2)
        params["b2"] = rng.uniform(-1, 1, 1)
        if rows is None:
            x, y = rng.uniform(4, 12, 2).round(1), round(float(rng.uniform(3, 8)), 1)
        else:
            x, y = rng.uniform(4, 12, (rows, 2)).round(1), rng.uniform(3, 8, rows).round(1)
        out.append((params, x, y, [0.001, 0.01, 0.05, 0.1][k % 4]))
    return out


def _near(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def _first_slip(value, slips) -> str:
    return next((hint for want, hint in slips if _near(value, want)), "")


# ---- exercise 1: a sigmoid network with squared error ----

MSE_STUDENT, MSE_WEIGHT = 2, 0.2    # placed (y = 1), so forgetting the -y gives another number
SIGNIFICANT = 4                     # the digits the text asks for: the right answer rounded to them is right


def _mse_case():
    ds = load_placements()
    return init_params([2, 2, 1], weight=MSE_WEIGHT), ds.X[MSE_STUDENT - 1], float(ds.y[MSE_STUDENT - 1])


def expected_mse_b21() -> float:
    """∂L/∂b21 for placement student 2, weights 0.2, biases 0, sigmoid everywhere, squared error."""
    params, x, y = _mse_case()
    return float(gradients(params, x, y, activation="sigmoid", loss="mse")["b2"][0])


def check_mse_b21(answer) -> Feedback:
    """Exercise 1: ∂L/∂b21 for placement student 2 (sigmoid on every neuron, squared error (y - ŷ)²)."""
    params, x, y = _mse_case()
    y_hat = predict(params, x, activation="sigmoid")
    hidden = 1 / (1 + np.exp(-(x @ params["W1"] + params["b1"])))
    z_out = float(hidden @ params["W2"][:, 0] + params["b2"][0])
    z_lin = float((x @ params["W1"] + params["b1"]) @ params["W2"][:, 0] + params["b2"][0])
    slope = y_hat * (1 - y_hat)
    slips = [(y_hat - y, "that is ŷ - y, cross-entropy's ∂L/∂z21. With squared error the sigmoid's slope does not "
                         "cancel: ∂L/∂z21 = 2(ŷ - y) · ŷ(1 - ŷ)."),
             (2 * (y_hat - y), "that is ∂L/∂ŷ; b21 sits before the sigmoid, so multiply by its slope ŷ(1 - ŷ)."),
             ((y_hat - y) * slope, "the square's derivative brings a factor 2: ∂L/∂ŷ = 2(ŷ - y)."),
             (2 * (y - y_hat) * slope, "check the sign: ∂(y - ŷ)²/∂ŷ = -2(y - ŷ) = 2(ŷ - y)."),
             (2 * (z_out - y), "ŷ is σ(z21), not z21: apply the sigmoid to the output, and its slope to the "
                               "gradient."),
             (2 * (1 / (1 + np.exp(-z_lin)) - y) * (1 / (1 + np.exp(-z_lin))) * (1 - 1 / (1 + np.exp(-z_lin))),
              "the hidden neurons use the sigmoid too: O11 = σ(z11).")]
    expected = expected_mse_b21()
    answer = as_rounded(answer, expected, significant=SIGNIFICANT)
    return record(E_MSE, check_answer(answer, expected, "∂L/∂b21", rtol=1e-12, slips=slips,
                                      why=f"∂L/∂b21 = ∂L/∂ŷ · ∂ŷ/∂z21 · 1 = 2(ŷ - y) · ŷ(1 - ŷ): without "
                                          f"cross-entropy the sigmoid's slope ŷ(1 - ŷ) stays. It is at most 0.25 "
                                          f"(here {fmt(slope, 3)}), and near ŷ = 0 or 1 it makes the "
                                          f"gradient small."))


def backprop_lines_top() -> str:
    """`backprop_lines` down to the output layer's δ for cross-entropy: the lines that notebook 02 §3 prints.
    The squared-error δ (exercise 1) and the walk back (exercise 4) stay off the learner's screen."""
    import inspect

    from ..maths.network import backprop_lines
    top = inspect.getsource(backprop_lines).split("    else:")[0]
    column = next(line.index("#") for line in top.splitlines() if line.lstrip().startswith("if loss"))
    return (top + "    else:".ljust(column) + "# squared error: exercise 1\n" + "        ...\n"
            + "    ...".ljust(column) + "# the walk back: exercise 4")     # under the comments above


# ---- exercise 2: how many forward passes does one gradient check take? ----

PASSES_SIZES = (3, 4, 1)   # not section 4's 2-2-1: the learner counts the parameters of another network


def expected_check_passes(sizes=PASSES_SIZES) -> int:
    """Forward passes that centred differences make for one gradient: two per parameter."""
    return 2 * n_params(sizes)


def check_check_passes(answer) -> Feedback:
    """Exercise 2: the forward passes hp.numerical_gradients makes for the 3-4-1 network."""
    n = n_params(PASSES_SIZES)
    weights = sum(a * b for a, b in zip(PASSES_SIZES, PASSES_SIZES[1:]))
    slips = [(n, "that is one pass per parameter. Centred differences evaluate the loss twice for each: at "
                 "w + ε and at w - ε."),
             (2 * weights, "biases are parameters too: each gets its own pair of passes."),
             (2 * n + 1, "the centred formula (L(w + ε) - L(w - ε)) / 2ε never needs L(w) itself."),
             (n + 1, "that is the one-sided count; the course's check is centred.")]
    slips.append((2 * n_params((2, 2, 1)), "that is the count for section 4's 2-2-1 network (9 parameters); this one "
                                           "has 3 inputs and 4 hidden neurons: count its weights and biases."))
    return record(E_PASSES, check_answer(answer, expected_check_passes(), "the number of forward passes", rtol=0,
                                         close=0, slips=slips,
                                         why="Two passes per parameter; backpropagation needs one forward and "
                                             "one backward pass for all of them."))


# ---- exercise 3: the graph's node class ----

STEP_BUDGET = 200_000   # lines of Python one check of the class may run: a loop that never ends is stopped there


class _OutOfSteps(Exception):
    """The learner's code ran more than STEP_BUDGET lines."""


def _line_counter(count: list, steps: int = STEP_BUDGET):
    """A local trace function that adds each traced line to count[0] and raises _OutOfSteps past `steps`."""
    def local(frame, event, arg):
        if event == "line":
            count[0] += 1
            if count[0] > steps:
                raise _OutOfSteps
        return local
    return local


def _budgeted(thunk, steps: int = STEP_BUDGET):
    """Run `thunk()`, stopped with _OutOfSteps after `steps` traced lines (this thread only)."""
    count, previous = [0], sys.gettrace()
    local = _line_counter(count, steps)
    sys.settrace(lambda frame, event, arg: local)
    try:
        return thunk()
    finally:
        sys.settrace(previous)


def _run(thunk, what: str):
    """(result, None), or (None, Feedback) when the learner's code raises or does not finish."""
    try:
        return _budgeted(thunk), None
    except _OutOfSteps:
        return None, Feedback(f"Not yet: {what} did not finish within {STEP_BUDGET:,} steps of Python. Is there a "
                              f"loop that never ends?", False)
    except Exception as err:  # the learner's code: report any error in words
        text = str(err) if len(str(err)) <= 160 else str(err)[:157] + "..."
        return None, Feedback(f"Not yet: {what} raised {type(err).__name__}: {text}.", False)


def _grads(nodes, what: str):
    """The `.grad` of each node as floats, or a Feedback when one is not a finite number."""
    out = []
    for name, node in nodes:
        g = getattr(node, "grad", None)
        if g is None:
            return None, not_answered("replace the None in backward's last line: it hands node's gradient on "
                                      "to its parent, and run the cell again.")
        if isinstance(g, bool) or not isinstance(g, (int, float, np.integer, np.floating)):
            return None, Feedback(f"Not yet: after {what}, {name}.grad should be a number; yours is "
                                  f"{type(g).__name__} {g!r:.40}. The last line of backward hands node.grad on to "
                                  f"parent.grad.", False)
        if not np.isfinite(g):
            return None, Feedback(f"Not yet: after {what}, {name}.grad is {g}, not a finite number.", False)
        out.append(float(g))
    return out, None


def _backward_grads(root, leaves, what: str):
    """Call root.backward() under the step budget, then read the leaves' gradients."""
    _, fail = _run(lambda: root.backward(), what)
    return (None, fail) if fail else _grads(leaves, what)


# Probes on a = 2, b = 5, c = -3: (expression, build, expected gradients of a, b, c, {wrong gradients: hint}).
_A, _B, _C = 2.0, 5.0, -3.0
_TOO_FEW = ("`=` keeps only the last path's share (Bug 4). Where paths meet, gradients add: which operator "
            "adds a share to parent.grad instead of replacing it?")
_PROBES = (
    ("a + b", lambda a, b, c: a + b, (1.0, 1.0),
     {}, "a sum hands its gradient on unchanged: both local derivatives of a + b are 1."),
    ("a * b", lambda a, b, c: a * b, (_B, _A),
     {(_A, _B): "the product rule with the wrong input: ∂(a · b)/∂a is the other input, b, and ∂(a · b)/∂b is a.",
      (1.0, 1.0): "those are the sum's local derivatives; a product's are the other input."},
     "the product rule: with b held fixed, how fast does a · b change as a moves?"),
    ("(a * b) * c", lambda a, b, c: (a * b) * c, (_B * _C, _A * _C, _A * _B),
     {(_B, _A, _A * _B): "the chain rule: a parent's share is its local derivative times the gradient of the "
                         "node it feeds. Is node.grad in backward's last line?",
      (0.0, 0.0, _A * _B): "a and b got 0: the walk reached a * b before the node it feeds had handed it a "
                           "gradient. The walk runs from self back to the inputs: reversed(order)."},
     "check backward: its last line gives each parent local · node.grad, and the walk runs from self back to "
     "the inputs."),
    ("a * a", lambda a, b, c: a * a, (2 * _A,), {(_A,): _TOO_FEW}, "a appears twice: both shares count."),
    ("a * b + a", lambda a, b, c: a * b + a, (_B + 1.0, _A),
     {(1.0, _A): _TOO_FEW, (_B, _A): _TOO_FEW}, "a reaches the result along two paths: add them."),
)


def _random_expression(rng, leaves: int = 3, ops: int = 6):
    """A random expression of + and · over a, b, c as nested tuples, reusing the leaves (forks)."""
    pool = [("leaf", i) for i in range(leaves)]
    for _ in range(ops):
        left, right = pool[rng.integers(len(pool))], pool[rng.integers(len(pool))]
        pool.append(("+" if rng.random() < 0.5 else "·", left, right))
    return pool[-1]


def _evaluate(expr, leaves):
    """The value of a tuple expression on `leaves` (numbers, hp.Nodes or the learner's Nodes)."""
    if expr[0] == "leaf":
        return leaves[expr[1]]
    left, right = _evaluate(expr[1], leaves), _evaluate(expr[2], leaves)
    return left + right if expr[0] == "+" else left * right


def _show(expr) -> str:
    if expr[0] == "leaf":
        return "abc"[expr[1]]
    return f"({_show(expr[1])} {'+' if expr[0] == '+' else '*'} {_show(expr[2])})"


def _loss_with(cls, params, x, y):
    """The 2-2-1 linear network's loss (y - ŷ)² built from the learner's class with + and * only."""
    V = {n: cls(float(v)) for n, v in zip(notation.PARAM_NAMES, notation.flatten(params))}
    x_i1, x_i2 = cls(float(x[0])), cls(float(x[1]))
    O11 = V["w11^1"] * x_i1 + V["w21^1"] * x_i2 + V["b11"]
    O12 = V["w12^1"] * x_i1 + V["w22^1"] * x_i2 + V["b12"]
    d = V["w11^2"] * O11 + V["w21^2"] * O12 + V["b21"] + cls(-float(y))
    return d * d, V, x_i1


_TANH_A = 0.7
_TANH_EXPRESSIONS = (   # (text, build on leaves a, b, c) for the centred-difference check of tanh
    ("tanh(a * b + c)", lambda a, b, c: (a * b + c).tanh()),
    ("tanh(a) * tanh(a) + b", lambda a, b, c: a.tanh() * a.tanh() + b),
    ("tanh(tanh(a) * b) * c", lambda a, b, c: (a.tanh() * b).tanh() * c),
)


_TANH_POINTS = [(0.3, -1.2, 0.5), (1.9, -0.8, 2.2), (-2.5, 1.2, -0.7),       # (a, b, c) for each expression
                *np.random.default_rng(5).uniform(-3, 3, (4, 3)).tolist()]


def _tanh_of(expr_build, values):
    """The same expression on plain floats (np.tanh for .tanh()), for the centred differences."""
    class Num(float):
        def __add__(self, o):
            return Num(float(self) + float(o))

        def __mul__(self, o):
            return Num(float(self) * float(o))

        def tanh(self):
            return Num(np.tanh(float(self)))
    return float(expr_build(*(Num(v) for v in values)))


def _check_tanh(cls):
    """The learner's `Node.tanh`: its value, its local derivative 1 - t², then expressions against centred
    differences. None when right, else the Feedback."""
    if not callable(getattr(cls, "tanh", None)):
        return not_answered("add the method tanh to class Node (replace its Nones) and run the cell again.")
    a = cls(_TANH_A)
    node, fail = _run(lambda: a.tanh(), "Node(0.7).tanh()")
    if fail:
        return fail
    t = float(np.tanh(_TANH_A))
    parents = getattr(node, "parents", None)
    if not isinstance(parents, (tuple, list)) or len(parents) != 1 or not isinstance(parents[0], (tuple, list)) \
            or len(parents[0]) != 2:
        return Feedback("Not yet: a.tanh() should return a Node with one parent pair: ((self, local "
                        "derivative),).", False)
    if parents[0][1] is None or getattr(node, "value", None) is None:
        return not_answered("replace the Nones in tanh: the value t and its local derivative.")
    value = getattr(node, "value", None)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not np.isclose(value, t):
        return Feedback("Not yet: the value of Node(0.7).tanh() should be np.tanh(0.7): t = np.tanh(self.value).",
                        False)
    got, fail = _backward_grads(node, [("a", a)], "Node(0.7).tanh().backward()")
    if fail:
        return fail
    slips = {t: "that is tanh itself; its derivative is 1 - tanh², written with the output t: 1 - t * t.",
             1 - _TANH_A ** 2: "1 - a² uses the input; the derivative is 1 - t² with the output t = tanh(a).",
             1 - t: "square the output: 1 - t².",
             1 + t * t: "check the sign: d tanh(a)/da = 1 - t².",
             1.0: "1 is the local derivative of a sum; tanh's is 1 - t²."}
    if not _near(got[0], 1 - t * t):
        hint = next((h for v, h in slips.items() if _near(got[0], v)), "d tanh(a)/da = 1 - tanh(a)².")
        if np.isclose(got[0], 1 - t * t, rtol=1e-4, atol=0):
            hint = ("that is 1 - t² to a few digits only: a rounded t, or float32, loses the rest. Keep t in full "
                    "float64 precision: t = np.tanh(self.value), or math.tanh.")
        return Feedback(f"Not yet: on a = 0.7, a.tanh().backward() gives a.grad = {got[0]:.4g}: {hint} Try again.",
                        False)
    eps = 1e-5
    for (text, build), values in ((e, v) for v in _TANH_POINTS for e in _TANH_EXPRESSIONS):   # past |a| = 1, both signs
        leaves = [(n, cls(v)) for n, v in zip("abc", values)]
        root, fail = _run(lambda: build(*(n for _, n in leaves)), text)
        if fail:
            return fail
        got, fail = _backward_grads(root, leaves, f"({text}).backward()")
        if fail:
            return fail
        numeric = []
        for i in range(3):
            up, down = list(values), list(values)
            up[i] += eps
            down[i] -= eps
            numeric.append((_tanh_of(build, up) - _tanh_of(build, down)) / (2 * eps))
        if not np.allclose(got, numeric, rtol=1e-6, atol=1e-6):
            at = ", ".join(f"{n} = {fmt(v, 3)}" for n, v in zip("abc", values))
            return Feedback(f"Not yet: on {text} at {at} the gradients differ from centred differences. Is tanh's "
                            f"local derivative 1 - t² for every a, handed on as one (parent, local) pair, like + and "
                            f"*?", False)
    return None


def check_node_class(cls, expressions: int = 12) -> Feedback:
    """Exercise 3: the learner's `Node` class: the local derivatives of a sum and of a product, the line of
    backward that hands a gradient on (`+=`, since paths add), and a new operation, tanh (its value and local
    derivative 1 - t²). Probes name the classic slips; random expressions and the course's loss graph check
    the rest."""
    if cls is None:
        return record(E_NODE, not_answered("replace each None in class Node and run the cell again."))
    if not callable(cls):
        return record(E_NODE, Feedback(f"Node should be a class (class Node: ...), but it is "
                                       f"{type(cls).__name__}.", False))
    if isinstance(cls, type) and issubclass(cls, PackageNode):
        return record(E_NODE, Feedback("Not yet: that class is (or inherits from) the package's hp.Node, so "
                                       "its sums, products and backward are not yours. Write class Node in "
                                       "the cell above, with no base class, and run it again.", False))
    made, fail = _run(lambda: (cls(_A) + cls(_B), cls(_A) * cls(_B)), "Node(2.0) + Node(5.0)")
    if fail:
        return record(E_NODE, fail)
    for node in made:
        parents = getattr(node, "parents", None)
        if not isinstance(parents, (tuple, list)) or not all(isinstance(p, (tuple, list)) and len(p) == 2
                                                             for p in parents):
            return record(E_NODE, Feedback("Not yet: a + b and a * b should return a Node whose .parents are "
                                           "(parent, local derivative) pairs.", False))
        if any(local is None for _, local in parents):
            return record(E_NODE, not_answered("replace the Nones in __add__ and __mul__ with the local "
                                               "derivatives of a sum and of a product, and run the cell again."))
    for text, build, want, slips, hint in _PROBES:
        leaves = [("a", cls(_A)), ("b", cls(_B)), ("c", cls(_C))][:len(want)]
        root, fail = _run(lambda: build(*(n for _, n in leaves), *[cls(_C)] * (3 - len(leaves))), text)
        if fail:
            return record(E_NODE, fail)
        got, fail = _backward_grads(root, leaves, f"({text}).backward()")
        if fail:
            return record(E_NODE, fail)
        if not _near(got, want):
            wrong = next((h for g, h in slips.items() if _near(got, g)), hint)
            names = ", ".join(f"{n}.grad" for n, _ in leaves)
            names += " is not the gradient" if len(leaves) == 1 else " are not the gradients"
            return record(E_NODE, Feedback(f"Not yet: on {text}, {names}: {wrong} "
                                           f"Try again.", False))
        again, fail = _backward_grads(root, leaves, f"a second ({text}).backward()")
        if fail:
            return record(E_NODE, fail)
        if not _near(again, want):
            return record(E_NODE, Feedback(f"Not yet: a second ({text}).backward() gives other gradients than the "
                                           f"first: reset every node's grad to 0 before the sweep, so that one "
                                           f"backward() does not add onto the last.", False))
    rng = np.random.default_rng(19)
    for k in range(1, expressions + 1):
        expr, values = _random_expression(rng), rng.uniform(-2, 2, 3)
        leaves = [(n, cls(float(v))) for n, v in zip("abc", values)]
        root, fail = _run(lambda: _evaluate(expr, [n for _, n in leaves]), _show(expr))
        if fail:
            return record(E_NODE, fail)
        got, fail = _backward_grads(root, leaves, f"{_show(expr)}.backward()")
        if fail:
            return record(E_NODE, fail)
        eps, numeric = 1e-5, []
        for i in range(3):
            up, down = values.copy(), values.copy()
            up[i] += eps
            down[i] -= eps
            numeric.append((_evaluate(expr, up.tolist()) - _evaluate(expr, down.tolist())) / (2 * eps))
        if not np.allclose(got, numeric, rtol=1e-6, atol=1e-6):
            bad = ", ".join(n for (n, _), g, v in zip(leaves, got, numeric) if not np.isclose(g, v, 1e-6, 1e-6))
            return record(E_NODE, Feedback(f"Not yet: on random expression {k}, {_show(expr)}, the gradient of "
                                           f"{bad} differs from centred differences. Which local derivative or "
                                           f"which line of backward is off?", False))
    fail = _check_tanh(cls)
    if fail:
        return record(E_NODE, fail)
    params, x, y = init_params([2, 2, 1], weight=None, seed=3), load_students().X[0], float(load_students().y[0])
    built, fail = _run(lambda: _loss_with(cls, params, x, y), "the course's loss graph")
    if fail:
        return record(E_NODE, fail)
    root, V, x_i1 = built
    named = [*V.items(), ("x11", x_i1)]          # student 1's cgpa, as 02 §6 names it
    got, fail = _backward_grads(root, named, "L.backward() on the course's loss graph")
    if fail:
        return record(E_NODE, fail)
    reference = loss_graph(params, x, y)
    reference["L"].backward()
    want = [*notation.flatten(gradients(params, x, y)), reference["x_i1"].grad]
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        bad = ", ".join(n for (n, _), g, w in zip(named, got, want) if not np.isclose(g, w, 1e-9, 1e-12))
        return record(E_NODE, Feedback(f"Not yet: on the course's loss graph (student 1, random weights) these "
                                       f"gradients differ from hp.gradients: {bad}.", False))
    return record(E_NODE, Feedback(f"Right: your class agrees with centred differences on {expressions} random "
                                   f"sums and products and, with tanh (1 - t² with t = tanh(a)), on "
                                   f"{len(_TANH_EXPRESSIONS)} more expressions at {len(_TANH_POINTS)} points each; "
                                   f"on the course's loss graph it agrees with hp.gradients (all 9 parameters, "
                                   f"and ∂L/∂x11 through both paths).", True))


# ---- exercise 4: the hidden layer's gradient, vectorised ----

def _rows(m: int) -> str:
    return "1 row" if m == 1 else f"{m} rows"


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


_PACKAGED = tuple(str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}) \
    + (str(Path(__file__).resolve().parents[1]),)          # numpy, the standard library and helpers itself


_PER_ENTRY = {"_vectorize_call", "_get_ufunc_and_otypes"}   # np.vectorize calling a function once an entry


def _lines_run(fn, params: dict, X, y) -> tuple[int, bool]:
    """One call of fn(params, X, y): how many lines of the learner's own code (any file outside Python's prefix
    and helpers) it runs, counted with sys.settrace, and whether it iterates X itself (for, map, zip, list).
    Lines of a function that np.vectorize calls once an entry are not counted: that is elementwise, not a
    walk through the rows."""
    count, iterated = [0], []

    class Watched(np.ndarray):
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):       # results are plain arrays
            inputs = tuple(np.asarray(a) if isinstance(a, Watched) else a for a in inputs)
            if "out" in kwargs:
                kwargs["out"] = tuple(np.asarray(a) if isinstance(a, Watched) else a for a in kwargs["out"])
            return getattr(ufunc, method)(*inputs, **kwargs)

        def __iter__(self):
            if self is root:
                iterated.append(True)
            return iter(np.asarray(self))

        def __getitem__(self, key):
            return np.asarray(self)[key]

    local = _line_counter(count)

    def calls(frame, event, arg):
        filename = frame.f_code.co_filename
        if filename.startswith("<frozen") or str(Path(filename).resolve()).startswith(_PACKAGED):
            return None
        if frame.f_back is not None and frame.f_back.f_code.co_name in _PER_ENTRY:
            return None
        count[0] += 1
        return local

    root = np.array(X, dtype=float).view(Watched)
    before = sys.gettrace()
    sys.settrace(calls)
    try:
        with switched_off("the hidden layer's gradient in matrices", fn):
            fn(copy.deepcopy(params), root, np.array(y, dtype=float))
    except Exception:  # noqa: BLE001  (it gave the right numbers already; a failure here only ends the count)
        pass
    finally:
        sys.settrace(before)
    return count[0], bool(iterated)


def _walks_rows(fn, params: dict, X, y) -> bool:
    """Whether the learner's function goes through the rows one by one: it iterates X (for, map, zip), or its
    own code runs more lines on the same rows twice over than on them once. A loop over the rows, however it
    is written (a comprehension, X.tolist(), X.take(i), np.apply_along_axis with a function of one's own), runs
    its body once a row; matrices run the same lines for any number of rows, and so do a look at X[0], a loop
    over the two columns, and an np.vectorize sigmoid."""
    once, walked = _lines_run(fn, params, X, y)
    twice, walked_twice = _lines_run(fn, params, np.concatenate([X, X]), np.concatenate([y, y]))
    return walked or walked_twice or twice > once


def check_vectorised_W1(fn) -> Feedback:
    """Exercise 4: `fn(params, X, y)` returns the mean ∂L/∂W1 over the rows of X, shape (2, 2), for the network
    with the sigmoid on every neuron and binary cross-entropy: the δ recursion, in matrices."""
    for case, (params, X, y, _) in enumerate(_cases(n=5, rows=6), start=1):
        rows = case + 2 if case < 5 else 1         # 3 to 6 rows (a sum is never twice a mean), then a single row
        X, y = X[:rows], (y[:rows] > 5.5).astype(float)
        if rows > 1:
            watch = params, X, y                   # where a loop over the rows would show
        with switched_off("the hidden layer's gradient in matrices", fn):
            got, fail = run_learner(fn, (params, X, y), "grad_W1(params, X, y)", case, ("params", "X", "y"))
        if fail and "raised ValueError" in fail and any(w in fail for w in ("matmul", "aligned", "broadcast")):
            fail = Feedback(f"Not yet: on test case {case} ({_rows(len(y))}) your function stopped at a shape "
                            f"mismatch. y has shape (m,): ŷ, of shape (m, 1), minus y broadcasts to (m, m); "
                            f"use the column y[:, None]. Print each array's .shape to see where it goes wrong.",
                            False)
        if fail:
            return record(E_W1, fail)
        if got is None:                        # the notebook's skeleton, its Nones still there
            return record(E_W1, not_answered("replace the Nones in grad_W1 (δ₂, δ₁ and the mean gradient) and "
                                             "run the cell again."))
        m = len(y)
        arr, fail = as_array(got, (2, 2), "an array of shape (2, 2), like params['W1']")
        if fail:
            shape = np.shape(got) if isinstance(got, np.ndarray) else None
            if shape == (m, 2):
                fail = Feedback(f"{fail} That is δ₁ itself, one row a student: X.T @ delta1 / m sums over the "
                                f"rows.", False)
            elif shape in ((2, m), (m, m)):
                fail = Feedback(f"{fail} An (m, 1) column minus y of shape (m,) broadcasts to (m, m): use "
                                f"y[:, None].", False)
            return record(E_W1, fail)
        want = gradients(params, X, y, activation="sigmoid", loss="bce")["W1"]
        if _near(arr, want):
            continue
        Y, W2 = y[:, None], params["W2"]
        lin = X @ params["W1"] + params["b1"]
        O1 = _sigmoid(lin)
        y_hat = _sigmoid(O1 @ W2 + params["b2"])
        d2 = y_hat - Y
        lin_out = lin @ W2 + params["b2"]
        slips = [(X.T @ (d2 @ W2.T) / m, "δ₁ needs the hidden neurons' slope: multiply δ₂ W²ᵀ elementwise by "
                                         "O1 * (1 - O1)."),
                 (X.T @ ((d2 @ W2.T) * lin * (1 - lin)) / m, "the sigmoid's slope is O(1 - O) of its output "
                                                              "O1 = σ(z), not z(1 - z)."),
                 (X.T @ (2 * (lin_out - Y) @ W2.T) / m, "those are section 7's lines for the linear network with "
                                                        "squared error; here every neuron is a sigmoid and the "
                                                        "loss is cross-entropy."),
                 (X.T @ ((d2 * y_hat * (1 - y_hat)) @ W2.T * O1 * (1 - O1)) / m,
                  "with cross-entropy the output's σ′ cancels: δ₂ = ŷ - y. Multiplying by ŷ(1 - ŷ) counts it "
                  "twice."),
                 (O1.T @ (d2 @ W2.T * O1 * (1 - O1)) / m, "the first layer's inputs are X: ∂L/∂W¹ = Xᵀδ₁ / m, "
                                                           "not O1ᵀδ₁."),
                 (2 * want, "with cross-entropy δ₂ = ŷ - y, without the 2 of squared error."),
                 (want * m, "that is the sum over the rows; the gradient is their mean: divide by the number "
                            "of rows."),
                 (gradients(params, X[0], y[0], "sigmoid", "bce")["W1"], "that is the first row's gradient; "
                                                                         "average over all rows."),
                 (-want, "check the sign: δ₂ = ŷ - y."),
                 (want.T, "transposed: W1[j-1, k-1] is w_jk^1, from input j to neuron k, so rows are inputs and "
                          "columns neurons, as in X.T @ delta1.")]
        ratio = float(np.sum(arr * want) / np.sum(want * want)) if np.any(want) else 0.0
        if not _first_slip(arr, slips) and ratio > 0 and _near(arr, ratio * want):
            slips.append((arr, f"your matrix is the right one times {fmt(ratio, 3)}: divide the sum over the rows by "
                               f"this case's number of rows, len(y), not by a fixed number."))
        hint = _first_slip(arr, slips) or ("compare your lines, factor by factor, with section 7's: for a "
                                           "sigmoid network with cross-entropy, which of them change?")
        return record(E_W1, Feedback(f"Not yet: on test case {case} ({_rows(m)}): {hint} Try again.", False))
    if _walks_rows(fn, *watch):
        return record(E_W1, Feedback("Not yet: your grad_W1 gives the right numbers on every test case, but with a "
                                     "loop: its lines run once a row (a for loop, a comprehension or a map over the "
                                     "students). The exercise asks for matrices, as in section 7: one product with "
                                     "X.T sums over all the rows at once, and y[:, None] makes y a column. Write it "
                                     "without the loop.", False))
    return record(E_W1, Feedback("Right: your grad_W1 gives hp.gradients(params, X, y, 'sigmoid', 'bce')['W1'] on "
                                 "every test case, the mean of the per-sample gradients. In matrices that is "
                                 "X.T @ δ₁ / m with δ₁ = (δ₂ W²ᵀ) ⊙ O₁(1 - O₁) and δ₂ = ŷ - y.", True))


def show_progress() -> Feedback:
    """Which of this notebook's exercises were solved in this kernel session."""
    return progress(NB)
