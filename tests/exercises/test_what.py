"""The checkers of notebook 01: right answers worked by hand here, each slip's hint, odd answers, solutions."""

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ODD_ANSWERS, leaks

import helpers as hp
from helpers.exercises import what as ex

SOLUTIONS = Path(__file__).parents[2] / "notebooks" / "solutions" / "01_what_solutions.md"

# Student 1 (8, 8, 4), student 4 (5, 12, 7); weights 1, biases 0, η = 0.001 unless an exercise says otherwise.
# Exercise 1: hidden weights 0.5, hidden biases 2, output weights 0.25, output bias 0.
O_4 = 0.5 * 5 + 0.5 * 12 + 2                                  # each hidden neuron, student 4: 10.5
YHAT4 = 0.25 * O_4 + 0.25 * O_4 + 0
YHAT4_SLIPS = {O_4: "hidden neuron's output",                 # stopped at the hidden layer
               0.25 * O_4: "one hidden neuron",                # one hidden neuron only
               0.25 * (O_4 - 2) * 2: "a bias is missing",      # both hidden biases forgotten
               0.25 * (O_4 + O_4 - 2): "one hidden bias",      # one hidden bias forgotten
               1 * O_4 * 2: "not 1",                           # output weights left at 1
               0.5 * (0.25 * 17 + 2) * 2: "swapped",           # 0.25 on the hidden weights, 0.5 on the output
               0.25 * (0.5 * 16 + 2) * 2: "student 1",         # student 1's inputs
               34: "weights 1"}                                # the worked example's weights
# Exercise 2: w12^1 = 0, w11^1 = 0.5, w11^2 = 3, every other weight 1, biases 0, student 1:
# O11 = 0.5·8 + 8 = 12, O12 = 0·8 + 1·8 = 8, ŷ = 3·12 + 8 = 44.
DL_CUT = -2 * (4 - (3 * 12 + 8))                              # ∂L/∂ŷ = 80
GRAD_CUT = DL_CUT * (3 * 0.5 + 1 * 0)                         # the path through O12 carries w12^1 = 0
DL1 = -2 * (4 - 32)                                           # ∂L/∂ŷ at weights 1 = 56
BIAS_YHAT = (8 + 8 + 2) + (8 + 8)                             # b11 = 2
GRAD_BIAS = -2 * (4 - BIAS_YHAT) * 18

NUMERIC = [  # checker, expected, right answer, {slip answer: a word of its hint}
    (ex.check_y_hat_4, ex.expected_y_hat_4, YHAT4, YHAT4_SLIPS),
    (ex.check_grad_x_cut, ex.expected_grad_x_cut, GRAD_CUT,
     {DL1 * 2: "both paths", DL1 * 3 * 0.5: "recompute the forward pass", DL_CUT: "follow the path on",
      DL_CUT * (3 * 0.5 + 1): "only one path", DL_CUT * 3 * 8: "not by the input", DL_CUT * 0.5: "∂ŷ/∂O11 = w11^2",
      DL_CUT * 3: "one more link to x11", -GRAD_CUT: "sign", GRAD_CUT / 2: "factor"}),
    (ex.check_grad_w11_2_biased, ex.expected_grad_w11_2_biased, GRAD_BIAS,
     {896: "without the bias", 56 * 18: "∂L/∂ŷ changed", 60 * 16: "O11 includes the bias", -1080: "sign",
      540: "factor"}),
]


def test_answers_by_hand():
    assert (YHAT4, GRAD_CUT, GRAD_BIAS) == (5.25, 120, 1080)
    cut, x, y = ex._cut()                                        # ∂L/∂x11 is none of the quantities on the way
    g = hp.gradients(cut, x, y)
    assert GRAD_CUT not in (g["b2"][0], g["b1"][0], g["b1"][1], g["W2"][0, 0])


@pytest.mark.parametrize(("right", "slips"), [(r, s) for _, _, r, s in NUMERIC])
def test_every_slip_gives_its_own_number(right, slips):
    """No slip the hints name lands on the right answer (within the checker's 1% 'close'), nor on another slip."""
    values = sorted([right, *slips])
    assert len(slips) >= 5
    assert all(abs(b - a) > 0.01 * max(abs(a), abs(b)) for a, b in zip(values, values[1:])), values


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


def test_exercise1_forward_pass_by_hand():
    """hp.predict at exercise 1's parameters is the two layers written out."""
    p = ex.exercise1_params()
    assert p["W1"].tolist() == [[0.5, 0.5], [0.5, 0.5]] and p["b1"].tolist() == [2, 2]
    assert p["W2"].tolist() == [[0.25], [0.25]] and p["b2"].tolist() == [0]
    assert hp.predict(p, np.array([5.0, 12.0])) == YHAT4 == 5.25
    assert hp.forward(p, np.array([5.0, 12.0])).O[1].tolist() == [O_4, O_4] == [10.5, 10.5]


def test_exercise3_paths_by_hand():
    """Exercise 2, the cut path: backprop's sum of the paths and a centred difference in x11 agree with 120."""
    p = hp.init_params([2, 2, 1], weight=1.0, bias=0.0)
    p["W1"][0, 1], p["W1"][0, 0], p["W2"][0, 0] = 0.0, 0.5, 3.0
    x, y, h = np.array([8.0, 8.0]), 4.0, 1e-3
    assert hp.predict(p, x) == 44
    fd = (hp.mean_loss(p, x + [h, 0.0], y) - hp.mean_loss(p, x - [h, 0.0], y)) / (2 * h)
    assert fd == pytest.approx(GRAD_CUT, rel=1e-9)      # L is quadratic in x: the centred difference is exact
    assert ex.input_gradient(p, x, y) == pytest.approx([120, 80 * (3 * 1 + 1 * 1)], rel=1e-12)   # x12: 2 paths
    assert ex._cut()[0]["W2"].tolist() == p["W2"].tolist() and ex._cut()[0]["W1"].tolist() == p["W1"].tolist()


@pytest.mark.parametrize("check", [c for c, *_ in NUMERIC] + [ex.check_direction, ex.check_my_step])
@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_odd_answers(check, answer):
    f = check(answer)
    assert isinstance(f, str) and not f.ok


def test_direction_by_hand():
    """Every weight 0.1, biases 0, student 1 (8, 8, 4), η = 0.001: one update, worked by hand."""
    o, yhat = 0.1 * 8 + 0.1 * 8, 0.1 * 1.6 * 2                  # O11 = O12 = 1.6, ŷ = 0.32, below 4
    d = -2 * (4 - yhat)                                         # ∂L/∂ŷ = -7.36 < 0: every gradient negative
    w1, b1 = 0.1 - 0.001 * d * 0.1 * 8, 0 - 0.001 * d * 0.1
    w2, b2 = 0.1 - 0.001 * d * o, 0 - 0.001 * d
    o_new = w1 * 8 + w1 * 8 + b1
    after = w2 * o_new * 2 + b2
    assert (round(yhat, 12), round(d, 12)) == (0.32, -7.36)
    assert yhat < after < 4 and after == pytest.approx(0.386268, abs=1e-6)
    assert max(abs(w1 - 0.1), abs(w2 - 0.1), abs(b1), abs(b2)) < 0.012      # "about a hundredth or less"
    p = hp.init_params([2, 2, 1], weight=0.1, bias=0.0)
    x = np.array([8.0, 8.0])
    assert hp.predict(hp.sgd_step(p, hp.gradients(p, x, 4.0), 0.001), x) == pytest.approx(after, rel=1e-12)
    assert ex.expected_direction() == "a little higher"


def test_direction_checker():
    assert ex.check_direction("a little higher").ok and ex.check_direction("A little  Higher").ok
    f = ex.check_direction("lower")
    assert not f.ok and "opposite sign" in f and "a little higher" not in f
    f = ex.check_direction("above 4")
    assert not f.ok and "overshot" in f and "a little higher" not in f
    assert "one of 'lower', 'a little higher', 'above 4'" in ex.check_direction("higher")


def test_three_wrong_tries_point_to_the_solution():
    for _ in range(2):
        assert "Stuck" not in ex.check_grad_x_cut(112)
    f = ex.check_grad_x_cut(112)
    assert "01_what_solutions.md, exercise 2" in f and not leaks(f, 120)
    assert "2. ∂L/∂x11" in ex.show_progress() and "… 3 tries" in ex.show_progress()
    assert ex.check_grad_x_cut(120).ok and "✓ solved" in ex.show_progress()


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


def _step_with(fn_name):
    """A learner's my_step that hands the work to one of the package's functions (the review's shortcut)."""
    import helpers.maths.network as network
    calls = {"hp.sgd_step": lambda p, g, lr: hp.sgd_step(p, g, lr),
             "network.sgd_step": lambda p, g, lr: network.sgd_step(p, g, lr),
             "helpers.maths.sgd_step": lambda p, g, lr: __import__("helpers.maths").maths.sgd_step(p, g, lr)}
    return calls[fn_name]


@pytest.mark.parametrize("name", ["hp.sgd_step", "network.sgd_step", "helpers.maths.sgd_step"])
def test_my_step_refuses_the_package_step(name):
    """`return hp.sgd_step(params, grads, lr)` (or the same function by another path) is not an answer."""
    import helpers.maths.network as network
    before = (hp.sgd_step, network.sgd_step, hp.gradients, hp.train)
    f = ex.check_my_step(_step_with(name))
    assert not f.ok and "write it by hand" in f and "sgd_step" in f, f
    assert (hp.sgd_step, network.sgd_step, hp.gradients, hp.train) == before        # restored afterwards
    assert ex.check_my_step(step_by_hand).ok                                          # the right answer still is


def test_my_step_refuses_the_package_step_passed_itself_or_bound_earlier():
    import helpers.maths.network as network
    for fn in (hp.sgd_step, network.sgd_step):
        f = ex.check_my_step(fn)
        assert not f.ok and "by hand" in f, f
    step = hp.sgd_step                       # bound in an earlier cell, called from the learner's function

    def my_step(params, grads, lr, step=step):
        return step(params, grads, lr)
    f = ex.check_my_step(my_step)
    assert not f.ok and "write it by hand" in f, f
    assert hp.sgd_step is step and my_step.__defaults__ == (step,)
    p = hp.init_params([2, 2, 1], weight=1.0, bias=0.0)       # and the package's step works again outside
    assert hp.as_named(hp.sgd_step(p, hp.gradients(p, np.array([8.0, 8.0]), 4.0), 0.001))["w11^1"] == \
        pytest.approx(0.552)
    assert ex.check_my_step(lambda p, g, lr: {k: p[k] - lr * g[k] for k in p}).ok


def test_progress_lists_five_exercises_of_several_kinds():
    items = ex.show_progress().splitlines()[1:]
    assert len(items) == 5 and len({line.split("[")[-1] for line in items}) >= 4


def test_solutions_file_passes_the_checkers():
    text = SOLUTIONS.read_text(encoding="utf-8")
    answers = dict(re.findall(r"Answer: `(\w+) = ([^`]+)`", text))
    checks = {"y_hat_4": ex.check_y_hat_4, "direction": ex.check_direction,
              "grad_x11_cut": ex.check_grad_x_cut, "grad_w11_2_biased": ex.check_grad_w11_2_biased}
    assert set(answers) == set(checks)
    for name, check in checks.items():
        assert check(eval(answers[name])).ok, name                      # noqa: S307 (our own file)
    for figure in ("= 5.25", "= 16", "60 · 18 = 1080", "0.386268", "-7.36", "0.552"):
        assert figure in text, figure
    solution = re.search(r"```python\n(.*?)```", text.split("## Exercise 5")[1], re.S).group(1)
    space = {"np": np}
    exec(solution, space)                                                # noqa: S102 (our own file)
    assert ex.check_my_step(space["my_step"]).ok


def test_my_step_must_keep_every_shape():
    """b2 is an array of one number, shape (1,): a plain float for it would break hp.predict later (review 20)."""
    def float_b2(p, g, lr):
        new = {k: p[k] - lr * g[k] for k in p}
        new["b2"] = float(new["b2"][0])
        return new
    f = ex.check_my_step(float_b2)
    assert not f.ok and "shape (1,)" in f and "b2" in f, f


def test_my_step_is_checked_where_gradients_are_large():
    """A step that clips the gradients at ±50 passes at small random weights; the worked example's 896 catches it."""
    import numpy as np
    f = ex.check_my_step(lambda p, g, lr: {k: p[k] - lr * np.clip(g[k], -50, 50) for k in p})
    assert not f.ok and "test case 4 (weights 1, biases 0, student 1, lr = 0.001)" in f, f
    # clipping at ±1000 or the weights at ±10 passes the worked example; weights 12 with gradients past 10⁵ do not
    for clipped in (lambda p, g, lr: {k: p[k] - lr * np.clip(g[k], -1000, 1000) for k in p},
                    lambda p, g, lr: {k: np.clip(p[k] - lr * g[k], -10, 10) for k in p}):
        f = ex.check_my_step(clipped)
        assert not f.ok and "test case 5 (weights 12, biases -4, student 4, lr = 1e-06)" in f, f
    large, grads, lr, _ = ex._step_cases()[-1]
    assert min(np.abs(grads[k]).max() for k in grads) > 1000 and np.all(large["W1"] - lr * grads["W1"] > 10)


def test_direction_given_as_a_word_that_is_not_an_option_costs_no_try():
    """Exercise 4 glosses 'a little higher' as 'still below 4'; a learner who types 'higher' is shown the options."""
    from helpers.exercises import feedback
    feedback.reset_progress()
    for _ in range(5):
        f = ex.check_direction("higher")
        assert not f.answered and "should be one of 'lower', 'a little higher', 'above 4'" in f and "Stuck" not in f
    assert ex.check_direction("A little  higher").ok
    feedback.reset_progress()
