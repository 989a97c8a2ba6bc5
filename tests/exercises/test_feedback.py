"""feedback: check_answer, check_choice, run_learner, as_array and the session's progress."""

import numpy as np
import pytest
from conftest import ALL_ODD_ANSWERS, leaks

import helpers as hp
from helpers.exercises import feedback as fb
from helpers.exercises import how, what, why  # noqa: F401  (they register their exercises)


def test_not_answered():
    f = hp.check_answer(None, 56.0, "∂L/∂ŷ")
    assert f == "Not answered yet: replace None with your value for ∂L/∂ŷ." and f.ok is False and not f.answered


@pytest.mark.parametrize(("answer", "says"), [
    ("abc", "but you gave the text 'abc'"), ("56", "the text '56': remove the quotes"), (True, "not True"),
    ([1, 2], "one number, but you gave a list with shape (2,)"), (1 + 2j, "a real number"),
    (float("nan"), "a finite number"), (10**400, "far too large"), (object(), "a number like 12.5")])
def test_not_a_number(answer, says):
    f = hp.check_answer(answer, 56.0, "∂L/∂ŷ")
    assert not f.ok and f.answered and says in f and f.startswith("∂L/∂ŷ should be")


@pytest.mark.parametrize("answer", ALL_ODD_ANSWERS)
def test_odd_answers_get_feedback_not_an_exception(answer):
    f = hp.check_answer(answer, 56.0, "ŷ")
    assert isinstance(f, fb.Feedback) and not f.ok and f.answered is (answer is not None) and not leaks(f, 56.0)
    # the same answer against a checker's slips and explanation: still feedback, never the answer or the slip
    g = hp.check_answer(answer, -3.5, "∂L/∂b21", slips=[(3.5, "Check the sign.")], why="It is δ.")
    assert isinstance(g, fb.Feedback) and not g.ok and not leaks(g, -3.5) and "It is δ." not in g


@pytest.mark.parametrize("answer", [56, 56.0, 56.00001, np.float64(56.0), np.int64(56), np.array([56.0]),
                                    np.array([[56.0]]), [56.0]])
def test_right(answer):
    f = hp.check_answer(answer, 56.0, "∂L/∂ŷ", why="It is -2(y - ŷ).")
    assert f == "Right: ∂L/∂ŷ = 56. It is -2(y - ŷ)." and f.ok is True
    assert isinstance(f, str) and repr(f) == str(f)


def test_close_says_neither_the_answer_nor_the_gap():
    f = hp.check_answer(56.3, 56.0, "∂L/∂ŷ")
    assert f.startswith("Close: your ∂L/∂ŷ is within 1% but not exact.") and not f.ok
    assert "If you rounded, on the way or at the end" in f                  # both causes
    assert "if not, one step's arithmetic is a little off" in f
    assert not leaks(f, 56.0) and not leaks(f, 0.3)


def test_far_off_says_the_direction_only():
    assert hp.check_answer(60, 56.0, "∂L/∂ŷ") == "Not yet: your ∂L/∂ŷ is too high. Try again."
    assert hp.check_answer(0, 56.0, "ŷ") == "Not yet: your ŷ is too low. Try again."


def test_grammar_of_your():
    assert hp.check_answer(1.0, 2.0) == "Not yet: your answer is too low. Try again."
    assert hp.check_answer(1.0, 2.0, "the new w11^1").startswith("Not yet: your new w11^1 is too low")
    assert "your the" not in hp.check_answer(1.0, 2.0, "the number of passes")


def test_sign_hint():
    assert "Check the sign." in hp.check_answer(-56, 56.0, "∂L/∂ŷ")
    assert "Check the sign." in hp.check_answer(0.622, -0.622, "w")
    assert "Check the sign." not in hp.check_answer(-60, 56.0)


def test_a_slip_gets_its_hint_unless_it_is_too_close_to_the_answer():
    slips = [(28, "a factor 2 is missing."), (56.1, "never shown: too close to the answer.")]
    assert hp.check_answer(28, 56.0, "g", slips=slips) == "Not yet: a factor 2 is missing. Try again."
    assert hp.check_answer(28.001, 56.0, "g", slips=slips).startswith("Not yet: a factor 2")
    assert hp.check_answer(56.1, 56.0, "g", slips=slips).startswith("Close")


def test_tolerances():
    assert hp.check_answer(233.0, 233.337, "the ratio", rtol=0.05).ok
    assert hp.check_answer(674, 674, rtol=0).ok
    assert hp.check_answer(675, 674, rtol=0, close=0).startswith("Not yet")
    assert hp.check_answer(0, 0.0, "the gap").ok and not hp.check_answer(1e-3, 0.0, "the gap").ok


@pytest.mark.parametrize("expected", [float("nan"), float("inf"), None, "56"])
def test_expected_must_be_a_finite_number(expected):
    with pytest.raises(ValueError, match="expected: the computed answer must be a finite number"):
        hp.check_answer(56, expected)


# ---- check_choice ----

def test_choice():
    opts = ("higher", "lower")
    assert hp.check_choice(" Lower ", opts, "lower", "the direction", why="because.") == \
        "Right: the direction is 'lower'. Because."
    assert hp.check_choice("higher", opts, "lower", slips={"higher": "look at the sign."}) == \
        "Not yet: look at the sign. Try again."
    assert hp.check_choice(None, opts, "lower").startswith("Not answered yet: replace None with one of")
    assert "should be one of 'higher', 'lower'" in hp.check_choice("up", opts, "lower")
    assert not hp.check_choice("up", opts, "lower").answered            # not an option: it costs no try
    assert hp.check_choice(0.0040, (0.001, 0.004), 0.004).ok
    assert not hp.check_choice("0.004", (0.001, 0.004), 0.004).ok


@pytest.mark.parametrize("answer", ALL_ODD_ANSWERS)
def test_choice_survives_odd_answers(answer):
    f = hp.check_choice(answer, ("higher", "lower"), "lower")
    assert isinstance(f, fb.Feedback) and not f.ok


# ---- a learner's function ----

def test_run_learner_policy():
    p = {"W": np.ones(2)}
    assert fb.run_learner(None, (p,), "f(p)", 1, ("p",))[1].startswith("Not answered yet: define f(p)")
    assert "should be a function" in fb.run_learner(3, (p,), "f(p)", 1, ("p",))[1]

    def boom(p):
        raise KeyError("W9")
    assert "raised KeyError: 'W9'" in fb.run_learner(boom, (p,), "f(p)", 2, ("p",))[1]
    assert "It should take the arguments f(p)" in fb.run_learner(lambda: 1, (p,), "f(p)", 1, ("p",))[1]

    def in_place(q):
        q["W"] += 1
        return 0
    result, fail = fb.run_learner(in_place, (p,), "f(p)", 1, ("p",))
    assert result is None and "changed its input p['W'] in place" in fail and np.all(p["W"] == 1)
    assert fb.run_learner(lambda q: q["W"].sum(), (p,), "f(p)", 1, ("p",)) == (2.0, None)


@pytest.mark.parametrize("result", [None, "1", {"a": 1}, (i for i in range(2)), [[1], [2, 3]], [1, 2, 3],
                                    float("nan"), 10**400, object(), np.array(["a", "b"])])
def test_as_array_survives_odd_results(result):
    arr, fail = fb.as_array(result, (2, 1), "an array of shape (2, 1)")
    assert arr is None and isinstance(fail, fb.Feedback) and not fail.ok


def test_as_array_takes_one_number_in_any_wrapping():
    assert fb.as_array(np.array([[3.0]]), (), "one number")[0] == 3.0
    assert fb.as_array(3, (), "one number")[0] == 3.0


# ---- progress ----

def test_progress_records_tries_and_points_to_the_solution():
    key = fb.register("01_what", 99, "a test exercise", "compute")
    try:
        assert fb.record(key, hp.check_answer(None, 1.0)).startswith("Not answered")
        for _ in range(fb.STUCK_AFTER - 1):
            assert "Stuck" not in fb.record(key, hp.check_answer(2.0, 1.0))
        stuck = fb.record(key, hp.check_answer(2.0, 1.0))
        assert "Stuck after 3 tries?" in stuck and "notebooks/solutions/01_what_solutions.md, exercise 99" in stuck
        assert "99. a test exercise [compute]: … 3 tries" in fb.progress("01_what")
        assert fb.record(key, hp.check_answer(1.0, 1.0)).ok
        assert "99. a test exercise [compute]: ✓ solved" in fb.progress("01_what")
    finally:
        del fb._REGISTRY[key]


def test_progress_of_an_unknown_notebook():
    with pytest.raises(ValueError, match="notebook: no exercises are registered for '04_nope'"):
        fb.progress("04_nope")


def test_a_float32_answer_is_named_not_called_wrong_arithmetic():
    """A right step in float32 is refused for its precision, with the dtype named, not with an arithmetic hint."""
    import numpy as np

    f = what.check_my_step(lambda p, g, lr: {k: (p[k] - lr * g[k]).astype(np.float32) for k in p})
    assert not f.ok and "float32" in f and "float64" in f, f
    f = how.check_vectorised_W1(lambda p, X, y: np.zeros((2, 2), dtype=np.float32))
    assert not f.ok and "float32" in f, f


def test_number_answers_count_when_correct_to_the_digits_asked():
    """02 ex 1 asks for four significant digits, 03 ex 1 for one decimal: a number (or one number in a list or
    an array) counts when it is within half a unit of the last digit asked of the right answer, and only then:
    a closer answer never fails where a farther one passes."""
    import numpy as np
    for right in (-0.1952, -0.195242, -0.19525, -0.19529, [-0.1952], np.array(-0.1952), np.float32(-0.1952)):
        assert how.check_mse_b21(right).ok, right
    for wrong in (-0.1953, -0.19516, [-0.1953]):
        assert not how.check_mse_b21(wrong).ok, wrong
    for right in (-597.3, -597.295, -597.26, -597.34, -597.25):
        assert why.check_loss_change(right).ok, right
    for wrong in (-597.24, -597.2, -597, -597.35):
        assert not why.check_loss_change(wrong).ok, wrong
    assert fb.as_rounded(3 + 0j, 3.0, decimals=1) == 3 + 0j and fb.as_rounded("3", 3.0, decimals=1) == "3"


def test_a_wrong_whole_number_is_not_called_close():
    """1080 is exact: 1090 is an arithmetic slip, not rounding, so no 'keep more digits'."""
    f = fb.check_answer(1090, 1080.0, "∂L/∂w11^2")
    assert not f.ok and "Close" not in f and "too high" in f, f
    assert "Close" in fb.check_answer(1080.5, 1080.0, "x")
