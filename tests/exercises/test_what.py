"""The checkers of notebook 01: right answers worked by hand here, each slip's hint, odd answers, solutions."""

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ODD_ANSWERS, leaks

import helpers as hp
from helpers.exercises import what as ex

SOLUTIONS = Path(__file__).parents[2] / "notebooks" / "solutions" / "01_what_solutions.md"

# Student 1 (8, 8, 4), student 2 (7, 9, 5), student 4 (5, 12, 7); weights 1, biases 0, η = 0.001.
YHAT4 = 0.5 * (0.5 * 5 + 0.5 * 12) * 2                       # weights 0.5
DL1 = -2 * (4 - 32)                                           # ∂L/∂ŷ for student 1 = 56
DL4 = -2 * (7 - 34)                                           # ∂L/∂ŷ for student 4 = 54
GRAD_X42 = DL4 * (1 * 1 + 1 * 1)                              # two paths
BIAS_YHAT = (8 + 8 + 2) + (8 + 8)                             # b11 = 2
GRAD_BIAS = -2 * (4 - BIAS_YHAT) * 18

NUMERIC = [  # checker, expected, right answer, {slip answer: a word of its hint}
    (ex.check_yhat_student4, ex.expected_yhat_student4, YHAT4,
     {34: "every weight 1", 4.25: "one hidden neuron", 17: "output weights", 8: "student 1"}),
    (ex.check_grad_x42, ex.expected_grad_x42, GRAD_X42,
     {54: "one path", 112: "student 1", 54 * 12: "not by the input", 108 * 12: "not by the input", -108: "sign",
      27: "factor"}),
    (ex.check_grad_w11_2_biased, ex.expected_grad_w11_2_biased, GRAD_BIAS,
     {896: "without the bias", 56 * 18: "∂L/∂ŷ changed", 60 * 16: "O11 includes the bias", -1080: "sign",
      540: "factor"}),
]


def test_answers_by_hand():
    assert (YHAT4, GRAD_X42, GRAD_BIAS) == (8.5, 108, 1080)


@pytest.mark.parametrize(("check", "expected", "right", "slips"), NUMERIC)
def test_numeric_checkers(check, expected, right, slips):
    assert expected() == pytest.approx(right, rel=1e-12)
    assert check(right).ok and check(right).startswith("Right")
    assert check(round(right, 5)).ok
    for slip, word in slips.items():
        f = check(slip)
        assert not f.ok and word in f and not leaks(f, right), (slip, f)
    assert check(right * 1.0005).startswith("Close")
    assert check(right * 3 + 7.5).startswith("Not yet")
    assert check(None).startswith("Not answered yet")


@pytest.mark.parametrize("check", [c for c, *_ in NUMERIC] + [ex.check_direction, ex.check_my_step])
@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_odd_answers(check, answer):
    f = check(answer)
    assert isinstance(f, str) and not f.ok


def test_direction():
    assert ex.expected_direction() == "lower"
    assert ex.check_direction("lower").ok and ex.check_direction("Lower").ok
    f = ex.check_direction("higher")
    assert not f.ok and "sign of ∂L/∂ŷ" in f and "lower" not in f
    assert "one of 'higher', 'lower'" in ex.check_direction("down")


def test_three_wrong_tries_point_to_the_solution():
    for _ in range(2):
        assert "Stuck" not in ex.check_grad_x42(54)
    assert "01_what_solutions.md, exercise 3" in ex.check_grad_x42(54)
    assert "3. ∂L/∂x42" in ex.show_progress() and "… 3 tries" in ex.show_progress()
    assert ex.check_grad_x42(108).ok and "✓ solved" in ex.show_progress()


# ---- exercise 5: the update rule, built by the learner ----

def step_by_hand(params, grads, lr):
    """w - lr·g entry by entry, in plain Python loops (not numpy's broadcasting)."""
    new = {}
    for k, w in params.items():
        rows = [[float(w[i][j]) - lr * float(grads[k][i][j]) for j in range(w.shape[1])] for i in range(w.shape[0])] \
            if w.ndim == 2 else [float(w[i]) - lr * float(grads[k][i]) for i in range(w.shape[0])]
        new[k] = np.array(rows)
    return new


def test_my_step_right_answers():
    assert ex.check_my_step(step_by_hand).ok
    assert ex.check_my_step(lambda p, g, lr: {k: p[k] - lr * g[k] for k in p}).ok
    assert ex.check_my_step(lambda p, g, lr: {k: (p[k] - lr * g[k]).tolist() for k in p}).ok   # lists are fine
    f = ex.check_my_step(lambda p, g, lr: {k: p[k] - lr * g[k] for k in p})
    assert f.startswith("Right") and "hp.sgd_step" in f


def test_my_step_is_the_course_step_at_the_worked_example():
    p = hp.init_params([2, 2, 1], weight=1.0, bias=0.0)
    g = hp.gradients(p, np.array([8.0, 8.0]), 4.0)
    mine = step_by_hand(p, g, 0.001)
    assert hp.as_named(mine) == pytest.approx({"w11^1": 0.552, "w12^1": 0.552, "w21^1": 0.552, "w22^1": 0.552,
                                               "b11": -0.056, "b12": -0.056, "w11^2": 0.104, "w21^2": 0.104,
                                               "b21": -0.056}, abs=1e-12)


def _inplace(p, g, lr):
    for k in p:
        p[k] -= lr * g[k]
    return p


@pytest.mark.parametrize(("fn", "word"), [
    (lambda p, g, lr: {k: p[k] + lr * g[k] for k in p}, "check the sign"),
    (lambda p, g, lr: {k: p[k] - g[k] for k in p}, "learning rate"),
    (lambda p, g, lr: {k: p[k] - lr * p[k] for k in p}, "not the weight"),
    (lambda p, g, lr: {k: -lr * g[k] for k in p}, "keep params[k]"),
    (lambda p, g, lr: {k: (p[k] - lr * g[k] if k.startswith("W") else p[k]) for k in p}, "b1, b2 did not change"),
    (_inplace, "in place"),
    (lambda p, g, lr: {k: p[k] - lr * g[k] for k in ("W1", "W2")}, "keys"),
    (lambda p, g, lr: {**{k: p[k] - lr * g[k] for k in p}, "W2": (p["W2"] - lr * g["W2"]).ravel()}, "shape"),
    (lambda p, g, lr: 1 / 0, "ZeroDivisionError"),
])
def test_my_step_slips(fn, word):
    f = ex.check_my_step(fn)
    assert not f.ok and word in f, f


def test_my_step_unanswered_and_odd():
    def stub(params, grads, lr):
        # your code: return a dict with one new array for each key of params
        return None
    assert ex.check_my_step(stub).startswith("Not answered yet")
    assert ex.check_my_step(None).startswith("Not answered yet")
    assert not ex.check_my_step(3).ok and "function" in ex.check_my_step(3)
    assert not ex.check_my_step(lambda p: p).ok


def test_progress_lists_five_exercises_of_several_kinds():
    items = ex.show_progress().splitlines()[1:]
    assert len(items) == 5 and len({line.split("[")[-1] for line in items}) >= 4


def test_solutions_file_passes_the_checkers():
    text = SOLUTIONS.read_text(encoding="utf-8")
    answers = dict(re.findall(r"Answer: `(\w+) = ([^`]+)`", text))
    checks = {"yhat_student4": ex.check_yhat_student4, "direction": ex.check_direction,
              "grad_x42": ex.check_grad_x42, "grad_w11_2_biased": ex.check_grad_w11_2_biased}
    assert set(answers) == set(checks)
    for name, check in checks.items():
        assert check(eval(answers[name])).ok, name                      # noqa: S307 (our own file)
    for figure in ("= 8.5", "= 108", "60 · 18 = 1080", "1.769408", "0.552", "8.776"):
        assert figure in text, figure
    solution = re.search(r"```python\n(.*?)```", text.split("## Exercise 5")[1], re.S).group(1)
    space = {"np": np}
    exec(solution, space)                                                # noqa: S102 (our own file)
    assert ex.check_my_step(space["my_step"]).ok
