"""The checkers of notebook 02: right functions pass, each slip gets its hint, odd functions get feedback."""

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ODD_ANSWERS, leaks

import helpers as hp
from helpers.exercises import how as ex
from helpers.maths.lessons import bugs

SOLUTIONS = Path(__file__).parents[2] / "notebooks" / "solutions" / "02_how_solutions.md"


def forward(p, x):
    O1 = np.asarray(x) @ p["W1"] + p["b1"]
    return O1, O1 @ p["W2"][:, 0] + p["b2"][0]


def sig(z):
    return 1 / (1 + np.exp(-z))


def grad_W1_right(p, X, y):
    """The sigmoid network's mean ∂L/∂W1 with binary cross-entropy, vectorised: the δ recursion."""
    O1 = sig(X @ p["W1"] + p["b1"])
    delta2 = sig(O1 @ p["W2"] + p["b2"]) - y[:, None]
    delta1 = delta2 @ p["W2"].T * O1 * (1 - O1)
    return X.T @ delta1 / len(y)


# ---- exercise 1 ----

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# placement student 2: x = (7, 9), placed (y = 1); weights 0.2, biases 0
Z_HID = 0.2 * 7 + 0.2 * 9
Z_OUT = 0.2 * sigmoid(Z_HID) * 2
YHAT = sigmoid(Z_OUT)
ANSWER = 2 * (YHAT - 1) * YHAT * (1 - YHAT)     # squared error: the sigmoid's slope stays


def significant(v, digits=4):
    return float(f"{v:.{digits - 1}e}")


def test_mse():
    assert ex.expected_mse_b21() == pytest.approx(ANSWER, rel=1e-12)
    assert ex.check_mse_b21(ANSWER).ok
    assert ex.check_mse_b21(significant(ANSWER)).ok, "the text promises that four significant digits are enough"
    assert significant(ANSWER) == -0.1952
    for right in (-0.1952, -0.19524, -0.195242, -0.19525, -0.19529):   # within half a unit of the 4th digit
        assert ex.check_mse_b21(right).ok, right
    for wrong in (-0.1953, -0.19516, -0.1951, -0.19514):               # more than half a unit of the 4th digit off
        f = ex.check_mse_b21(wrong)
        assert not f.ok and "Close" in f, (wrong, f)
    assert not ex.check_mse_b21(significant(ANSWER, 2)).ok
    assert Z_HID != pytest.approx(1.6), "the hidden z must differ from section 3's z = 1.6, which is on screen"
    slips = {YHAT - 1: "cross-entropy", 2 * (YHAT - 1): "multiply by its slope", ANSWER / 2: "factor 2",
             -ANSWER: "sign", 2 * (Z_OUT - 1): "apply the sigmoid",
             2 * (sigmoid(0.2 * 16 * 0.2 * 2) - 1) * sigmoid(0.2 * 16 * 0.2 * 2) * (1 - sigmoid(0.2 * 16 * 0.2 * 2)):
             "hidden neurons"}
    for slip, word in slips.items():
        f = ex.check_mse_b21(slip)
        assert not f.ok and word in f and not leaks(f, ANSWER) and not leaks(f, significant(ANSWER)), (slip, f)


# ---- exercise 2 ----

def test_check_passes():
    n = 3 * 4 + 4 + 4 * 1 + 1                     # the 3-4-1 network's weights and biases
    assert ex.expected_check_passes() == 2 * n == 42 and ex.check_check_passes(2 * n).ok
    for slip, word in {n: "one pass per parameter", 2 * 16: "biases", 2 * n + 1: "never needs L(w)",
                       n + 1: "one-sided", 18: "section 4's 2-2-1"}.items():
        f = ex.check_check_passes(slip)
        assert not f.ok and word in f and not leaks(f, 2 * n), f


# ---- exercise 3: the node class ----

def make_value(add=(1.0, 1.0), mul="right", accumulate=True, reset=True, chain=True, tanh="right",
               walk_back=True):
    """The learner's Node class, right or with one slip."""
    class Node:
        def __init__(self, value, parents=()):
            self.value, self.grad, self.parents = value, 0.0, parents

        def __add__(self, other):
            return Node(self.value + other.value, ((self, add[0]), (other, add[1])))

        def __mul__(self, other):
            local = {"right": (other.value, self.value), "wrong": (self.value, other.value), "ones": (1.0, 1.0)}[mul]
            return Node(self.value * other.value, ((self, local[0]), (other, local[1])))

        def tanh(self):
            t = np.tanh(self.value)
            local = {"right": 1 - t * t, "float32": float(1 - np.float32(t) ** 2), "value": t,
                     "input": 1 - self.value ** 2, "unsquared": 1 - t,
                     "plus": 1 + t * t, "one": 1.0, "none": None}[tanh]
            return Node(t, ((self, local),))

        def backward(self):
            order = hp.topological_order(self)
            if reset:
                for node in order:
                    node.grad = 0.0
            self.grad = 1.0
            for node in (reversed(order) if walk_back else order):
                for parent, local in node.parents:
                    share = local * node.grad if chain else local
                    if accumulate:
                        parent.grad += share
                    else:
                        parent.grad = share
    return Node


def test_node_class_rejects_the_packages_node():
    """hp.Node with a tanh attached, or a subclass inheriting its backward, is not the learner's class."""
    class Borrowed(hp.Node):
        def tanh(self):
            t = float(np.tanh(self.value))
            out = hp.Node(t, "tanh")
            out.parents = [(self, 1 - t * t)]
            return out

    for cls in (hp.Node, Borrowed):
        f = ex.check_node_class(cls)
        assert not f.ok and "hp.Node" in f and "no base class" in f, f


def test_node_class_right():
    f = ex.check_node_class(make_value())
    assert f.ok and "1 - t²" in f and "random sums and products" in f and "hp.gradients" in f, f


@pytest.mark.parametrize(("tanh", "word"), [
    ("value", "that is tanh itself"), ("input", "1 - a² uses the input"), ("unsquared", "square the output"),
    ("plus", "check the sign"), ("one", "local derivative of a sum"), ("float32", "full float64 precision"),
])
def test_node_class_tanh_slips(tanh, word):
    f = ex.check_node_class(make_value(tanh=tanh))
    assert not f.ok and f.answered and word in f and not leaks(f, 1 - np.tanh(0.7) ** 2), f


def test_node_class_tanh_unanswered_or_missing():
    assert not ex.check_node_class(make_value(tanh="none")).answered
    V = make_value()
    del V.tanh
    f = ex.check_node_class(V)
    assert not f.answered and "add the method tanh" in f


def test_node_class_tanh_is_checked_against_centred_differences():
    """A tanh that is right at a = 0.7 alone but hands on its gradient wrongly elsewhere is caught."""
    V = make_value()

    def tanh(self):
        t = np.tanh(self.value)
        return V(t, ((self, 1 - t * t if self.value == 0.7 else 1 - t),))
    V.tanh = tanh
    f = ex.check_node_class(V)
    assert not f.ok and "centred differences" in f, f

    def flat_far_left(self):                      # right except far left of 0, where it says 0
        t = np.tanh(self.value)
        return V(t, ((self, 0.0 if self.value < -1.5 else 1 - t * t),))
    V.tanh = flat_far_left
    f = ex.check_node_class(V)
    assert not f.ok and "centred differences" in f, f


@pytest.mark.parametrize(("kwargs", "word"), [
    ({"accumulate": False}, "`=` keeps only the last path's share"),
    ({"mul": "wrong"}, "the product rule with the wrong input"),
    ({"mul": "ones"}, "sum's local derivatives"),
    ({"reset": False}, "reset every node's grad to 0"),
    ({"add": (0.0, 1.0)}, "a sum hands its gradient on unchanged"),
    ({"chain": False}, "Is node.grad in backward's last line?"),
    ({"walk_back": False}, "The walk runs from self back to the inputs: reversed(order)."),
])
def test_node_class_slips(kwargs, word):
    f = ex.check_node_class(make_value(**kwargs))
    assert not f.ok and word in f, f


def test_node_class_skeleton_is_not_answered():
    class Node:
        def __init__(self, value, parents=()):
            self.value, self.grad, self.parents = value, 0.0, parents

        def __add__(self, other):
            return Node(self.value + other.value, ((self, None), (other, None)))

        def __mul__(self, other):
            return Node(self.value * other.value, ((self, None), (other, None)))

        def backward(self):
            pass
    f = ex.check_node_class(Node)
    assert not f.ok and not f.answered and "replace the Nones in __add__ and __mul__" in f
    assert not ex.check_node_class(None).answered


def test_node_class_grad_left_none_is_not_answered():
    """The notebook's skeleton leaves `parent.grad = None` in backward's last line."""
    V = make_value()

    def backward(self):
        order = hp.topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, _ in node.parents:
                parent.grad = None
    V.backward = backward
    f = ex.check_node_class(V)
    assert not f.ok and not f.answered and "backward's last line" in f, f


def test_node_class_grad_of_another_type_is_named():
    V = make_value()

    def backward(self):
        for node in hp.topological_order(self):
            node.grad = "0"
    V.backward = backward
    f = ex.check_node_class(V)
    assert not f.ok and f.answered and "should be a number" in f, f


class Forever:
    """A class whose backward never ends: the checker must stop it."""

    def __init__(self, value, parents=()):
        self.value, self.grad, self.parents = value, 0.0, parents

    def __add__(self, other):
        return Forever(self.value + other.value, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        return Forever(self.value * other.value, ((self, other.value), (other, self.value)))

    def backward(self):
        while True:
            self.grad = 1.0


class NoParents(Forever):
    def __add__(self, other):
        return 3.0


class Raises(Forever):
    def backward(self):
        raise RuntimeError("inside the learner's code")


class HugeGrad(Forever):
    def backward(self):
        for node in hp.topological_order(self):
            node.grad = float("inf")


class Recurses(Forever):
    def __add__(self, other):
        return self + other


@pytest.mark.parametrize("cls", [Forever, NoParents, Raises, HugeGrad, Recurses, 3, "Node", print, lambda v: v,
                                 object, int, float, dict])
def test_node_class_odd_inputs_get_feedback_and_stop(cls):
    import time
    t = time.perf_counter()
    f = ex.check_node_class(cls)
    assert isinstance(f, str) and not f.ok and time.perf_counter() - t < 20, f
    if cls is Forever:
        assert "did not finish" in f


def test_step_budget_restores_the_trace_function():
    import sys
    before = sys.gettrace()
    ex.check_node_class(Forever)
    assert sys.gettrace() is before


# ---- exercise 4 ----

def linear_W1(p, X, y):
    O1 = X @ p["W1"] + p["b1"]
    return X.T @ (2 * (O1 @ p["W2"] + p["b2"] - y[:, None]) @ p["W2"].T) / len(y)


def no_slope_W1(p, X, y):
    O1 = sig(X @ p["W1"] + p["b1"])
    return X.T @ ((sig(O1 @ p["W2"] + p["b2"]) - y[:, None]) @ p["W2"].T) / len(y)


def z_slope_W1(p, X, y):
    z = X @ p["W1"] + p["b1"]
    O1 = sig(z)
    return X.T @ ((sig(O1 @ p["W2"] + p["b2"]) - y[:, None]) @ p["W2"].T * z * (1 - z)) / len(y)


def hidden_inputs_W1(p, X, y):
    O1 = sig(X @ p["W1"] + p["b1"])
    return O1.T @ ((sig(O1 @ p["W2"] + p["b2"]) - y[:, None]) @ p["W2"].T * O1 * (1 - O1)) / len(y)


@pytest.mark.parametrize(("fn", "word"), [
    (linear_W1, "section 7's lines"),
    (no_slope_W1, "hidden neurons' slope"),
    (z_slope_W1, "not z(1 - z)"),
    (hidden_inputs_W1, "inputs are X"),
    (lambda p, X, y: 2 * grad_W1_right(p, X, y), "without the 2"),
    (lambda p, X, y: grad_W1_right(p, X, y) * len(y), "divide by the number of rows"),
    (lambda p, X, y: grad_W1_right(p, X[:1], y[:1]), "first row"),
    (lambda p, X, y: -grad_W1_right(p, X, y), "sign"),
    (lambda p, X, y: grad_W1_right(p, X, y).T, "transposed"),
    (lambda p, X, y: grad_W1_right(p, X, y).ravel(), "shape (2, 2)"),
    (lambda p, X, y: sig(X @ p["W1"] + p["b1"]), "That is δ₁ itself"),
    (lambda p, X, y: grad_W1_right(p, X, y) + 1, "factor by factor, with section 7"),
])
def test_vectorised_slips(fn, word):
    f = ex.check_vectorised_W1(fn)
    assert not f.ok and word in f, f


def test_vectorised_right_and_a_loop_of_hand_written_rows_is_not_yet_in_matrices():
    f = ex.check_vectorised_W1(grad_W1_right)
    assert f.ok and "hp.gradients" in f
    rows = lambda p, X, y: np.mean([grad_W1_right(p, x[None], t[None]) for x, t in zip(X, y)], axis=0)  # noqa: E731

    def for_loop(p, X, y):
        total = np.zeros((2, 2))
        for i in range(len(y)):
            total += grad_W1_right(p, X[i:i + 1], y[i:i + 1])
        return total / len(y)
    for fn in (rows, for_loop):                   # right numbers, but not what the exercise asks for
        f = ex.check_vectorised_W1(fn)
        assert not f.ok and f.answered and "right numbers on every test case, but with a loop" in f, f
    def copied(p, X, y):                          # a loop over a copy of X, however it is made
        rows = np.array(X).tolist()
        return np.mean([grad_W1_right(p, np.array([r]), y[i:i + 1]) for i, r in enumerate(rows)], axis=0)

    def taken(p, X, y):
        return sum(grad_W1_right(p, X.take([i], axis=0), y.take([i])) for i in range(len(y))) / len(y)

    def along(p, X, y):
        def one(r):
            return grad_W1_right(p, r[None, :2], r[2:]).ravel()
        return np.apply_along_axis(one, 1, np.column_stack([X, y])).mean(axis=0).reshape(2, 2)

    def reshaped(p, X, y):                        # a comprehension over y runs once a student too
        column = np.array([[v] for v in y])
        return grad_W1_right(p, X, column[:, 0])
    def mapped(p, X, y):                          # a map over X with numpy's own function: no line of one's own
        O1 = sig(X @ p["W1"] + p["b1"])
        d1 = (sig(O1 @ p["W2"] + p["b2"]) - y[:, None]) @ p["W2"].T * O1 * (1 - O1)
        return sum(map(np.outer, X, d1)) / len(y)
    for fn in (copied, taken, along, reshaped, mapped):
        f = ex.check_vectorised_W1(fn)
        assert not f.ok and f.answered and "but with a loop" in f and "y[:, None]" in f, (fn.__name__, f)

    def columns(p, X, y):                         # loops over the two columns or a fixed list are no loop over rows
        column = y.reshape(-1, 1)
        assert all(a.ndim == 2 for a in (X, column)) and all(len(X[:, j]) == len(y) for j in range(2))
        return grad_W1_right(p, X, column[:, 0])
    f = ex.check_vectorised_W1(columns)
    assert f.ok, f

    def vectorized(p, X, y):                      # an elementwise np.vectorize sigmoid is no loop over the rows
        s = np.vectorize(lambda z: 1 / (1 + np.exp(-z)))
        O1 = s(X @ p["W1"] + p["b1"])
        d1 = (s(O1 @ p["W2"] + p["b2"]) - y[:, None]) @ p["W2"].T * O1 * (1 - O1)
        return X.T @ d1 / len(y)
    f = ex.check_vectorised_W1(vectorized)
    assert f.ok, f

    def looks(p, X, y):                           # looks at a row, even twice, are not a loop over the rows
        assert X[0].shape == (2,) and len(X[0]) == 2
        return grad_W1_right(p, X, y)
    f = ex.check_vectorised_W1(looks)
    assert f.ok, f
    namespace = {"np": np, "sig": sig}            # a function built with exec is watched the same way
    exec("def built(p, X, y):\n    return grad_W1_right(p, X, y)", {**namespace, "grad_W1_right": grad_W1_right},
         namespace)
    assert ex.check_vectorised_W1(namespace["built"]).ok


# ---- the package's shortcuts are switched off while exercise 4 runs the learner's code ----

def test_batch_shortcuts_are_refused_with_a_hint():
    import helpers.maths.network as network
    loop = lambda p, X, y: np.mean([hp.gradients(p, x, t, "sigmoid", "bce")["W1"] for x, t in zip(X, y)], axis=0)  # noqa: E731
    whole = lambda p, X, y: network.gradients(p, X, y, "sigmoid", "bce")["W1"]  # noqa: E731
    fw = lambda p, X, y: X.T @ ((hp.predict(p, X, "sigmoid")[:, None] - y[:, None]) @ p["W2"].T) / len(y)  # noqa: E731
    from helpers.maths.network import backprop_lines

    def lines(p, X, y):                      # 02 §3's printed function, called instead of written
        fw_all = hp.forward(p, X, "sigmoid")
        return backprop_lines(p, fw_all.z, fw_all.O, y[:, None], "sigmoid", "bce")["W1"]

    def lines_only(p, X, y):                 # the same with a forward pass written by hand
        O1 = 1 / (1 + np.exp(-(X @ p["W1"] + p["b1"])))
        O2 = 1 / (1 + np.exp(-(O1 @ p["W2"] + p["b2"])))
        return backprop_lines(p, [None, X @ p["W1"] + p["b1"], O1 @ p["W2"] + p["b2"]], [X, O1, O2], y[:, None],
                              "sigmoid", "bce")["W1"]
    for fn in (loop, whole, fw, lines, lines_only):
        f = ex.check_vectorised_W1(fn)
        assert not f.ok and "write it by hand" in f and "hidden layer's gradient" in f, f
    assert ex.check_vectorised_W1(grad_W1_right).ok


none_at_module_level = None     # a learner's unanswered `x = None` lives in the same globals as their function


def test_shortcuts_leave_the_learners_other_names_alone():
    assert none_at_module_level is None and ex.check_vectorised_W1(grad_W1_right).ok
    assert none_at_module_level is None


def test_shortcuts_are_restored_after_every_check():
    before = (hp.gradients, hp.sgd_step, hp.backward, hp.train, bugs.update_by_hand)
    ex.check_vectorised_W1(lambda p, X, y: hp.gradients(p, X, y, "sigmoid", "bce")["W1"])
    ex.check_vectorised_W1(raises)
    ex.check_vectorised_W1(grad_W1_right)
    assert (hp.gradients, hp.sgd_step, hp.backward, hp.train, bugs.update_by_hand) == before
    assert hp.gradients(hp.init_params([2, 2, 1]), [1.0, 2.0], 3.0)["b2"].shape == (1,)


# ---- one policy for every function checker ----

def raises(*_):
    raise ValueError("inside the learner's code")


def in_place_everything(*args):
    for a in args:
        if isinstance(a, dict):
            a["W1"] += 1
        elif isinstance(a, np.ndarray):
            a += 1
    return 0.0


ODD_FUNCTIONS = [None, 3, "def f(): pass", raises, lambda: 0, lambda *a: None, lambda *a: "1",
                 lambda *a: (i for i in range(2)), lambda *a: [[1], [2, 3]], lambda *a: {"W1": 1},
                 lambda *a: float("nan"), lambda *a: 10**400, lambda *a: object(), lambda *a: np.zeros((3, 3)),
                 lambda *a: {"W1": None, "b1": None, "W2": None, "b2": None}, in_place_everything,
                 lambda *a: 1 / 0, lambda *a: a[0]["nope"]]


@pytest.mark.parametrize("fn", ODD_FUNCTIONS)
def test_odd_functions_get_feedback(fn):
    f = ex.check_vectorised_W1(fn)
    assert isinstance(f, str) and not f.ok and f.split(":")[0] in ("Not yet", "Not answered yet") or \
        "should be a function" in f, f


def test_in_place_is_reported():
    assert "changed its input" in ex.check_vectorised_W1(in_place_everything)


@pytest.mark.parametrize("check", [ex.check_mse_b21, ex.check_check_passes])
@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_odd_answers(check, answer):
    f = check(answer)
    assert isinstance(f, str) and not f.ok


def test_progress_and_stuck():
    assert ex.show_progress().startswith("Your turn, this session: 0 of 4 solved")
    for _ in range(3):
        f = ex.check_vectorised_W1(lambda p, X, y: np.zeros((2, 2)))
    assert "02_how_solutions.md, exercise 4" in f
    assert ex.check_vectorised_W1(grad_W1_right).ok and "1 of 4 solved" in ex.show_progress()
    assert "3. class Node: a graph node with sums, products and tanh (after section 6) [build]" in ex.show_progress()
    assert "(after section 7)" in ex.show_progress()


def test_solutions_file_passes_the_checkers():
    text = SOLUTIONS.read_text(encoding="utf-8")
    ns = {"np": np, "hp": hp}
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        exec(block, ns)                                                  # noqa: S102 (our own file)
    assert ex.check_node_class(ns["Node"]).ok
    assert ex.check_vectorised_W1(ns["grad_W1"]).ok
    answers = dict(re.findall(r"Answer: `(\w+) = ([^`]+)`", text))
    assert ex.check_mse_b21(float(answers["grad_b21_mse"])).ok and ex.check_check_passes(int(answers["passes"])).ok
    for figure in (f"σ(3.2) = {hp.fmt(sigmoid(3.2))}", hp.fmt(Z_OUT), f"ŷ = σ({hp.fmt(Z_OUT)}) = {hp.fmt(YHAT)}",
                   "2 · 21 = 42"):
        assert figure in text, figure


def test_vectorised_fallback_hint_names_no_recipe():
    """An answer that matches no slip gets a question, not the formula it should have written."""
    f = ex.check_vectorised_W1(lambda p, X, y: grad_W1_right(p, X, y) + 1)
    assert not f.ok and "which of them change" in f
    assert all(piece not in f for piece in ("O1 * (1 - O1)", "X.T @", "ŷ - y", "δ₁ ="))


def test_vectorised_y_as_a_row_gets_the_column_hint():
    """The natural slip y_hat - y (y of shape (m,)) stops at a matmul: the learner gets the y[:, None] hint, not
    numpy's gufunc message."""
    def slip(p, X, y):
        O1 = sig(X @ p["W1"] + p["b1"])
        delta2 = sig(O1 @ p["W2"] + p["b2"]) - y
        return X.T @ (delta2 @ p["W2"].T * O1 * (1 - O1)) / len(y)
    f = ex.check_vectorised_W1(slip)
    assert not f.ok and "y[:, None]" in f and "gufunc" not in f, f


def test_backprop_lines_top_stops_before_exercise_4s_answer():
    import inspect

    from helpers.maths.network import backprop_lines
    top = ex.backprop_lines_top()
    shown = top[: top.index("    else:")]
    assert inspect.getsource(backprop_lines).startswith(shown)              # the package's own lines, unchanged
    assert "delta = y_hat - y" in shown and "slope, " in shown              # cross-entropy's δ is shown
    assert "2 * (y_hat - y)" not in top and "slope(z[" not in top           # squared error's is exercise 1
    assert "grads[" not in top and ".T" not in top and "exercise 4" in top  # the walk back is exercise 4


def test_mse_b21_rounding_each_step_to_four_digits_falls_outside_the_window():
    """Exercise 1 says to keep full precision: steps rounded to four significant digits move the answer by more
    than the 0.00005 that counts, and get 'Close' with both causes named."""
    import math
    r = lambda v: float(f"{v:.4g}")                                      # noqa: E731
    sig = lambda z: 1 / (1 + math.exp(-z))                              # noqa: E731
    O = r(sig(r(0.2 * 7 + 0.2 * 9)))                                    # placement student 2, every weight 0.2
    y_hat = r(sig(r(0.2 * O * 2)))
    rounded = r(-2 * (1 - y_hat) * r(y_hat * (1 - y_hat)))
    f = ex.check_mse_b21(rounded)
    assert rounded == -0.1953 and abs(rounded - ex.expected_mse_b21()) > 5e-5
    assert not f.ok and f.startswith("Close") and "If you rounded, on the way or at the end" in f, f


def test_node_class_tanh_right_only_near_zero_is_caught():
    """A tanh whose local derivative is 1 - t² only for |a| < 0.8 (review 39) fails the points past |a| = 1."""
    V = make_value()

    def tanh(self):
        t = np.tanh(self.value)
        return V(t, ((self, 1 - t * t if abs(self.value) < 0.8 else 1.0),))
    V.tanh = tanh
    f = ex.check_node_class(V)
    assert not f.ok and "centred differences" in f and "for every a" in f, f
    assert ex.check_node_class(make_value()).ok
