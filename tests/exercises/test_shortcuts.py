"""The shortcuts a checker switches off while it runs the learner's function (helpers.exercises.shortcuts)."""

import numpy as np
import pytest

import helpers as hp
import helpers.maths as maths
import helpers.maths.network as network
import helpers.maths.training as training
from helpers.exercises import shortcuts
from helpers.exercises.shortcuts import REAL, ShortcutError, switched_off
from helpers.maths import bugs

PARAMS = hp.init_params([2, 2, 1], weight=0.5, bias=0.1)
X, Y = np.array([8.0, 7.0]), 6.0
FW = network.forward_pass(PARAMS, X, "linear")

# every way a learner could reach the work: the package's names, the module's, the bugs table, a method
REACHABLE = {
    "hp.gradients": lambda: hp.gradients(PARAMS, X, Y),
    "helpers.maths.gradients": lambda: maths.gradients(PARAMS, X, Y),
    "network.gradients": lambda: network.gradients(PARAMS, X, Y),
    "network.sgd_step": lambda: network.sgd_step(PARAMS, PARAMS, 0.01),
    "hp.sgd_step": lambda: hp.sgd_step(PARAMS, PARAMS, 0.01),
    "network.backward": lambda: network.backward(PARAMS, FW, Y, "linear", "mse"),
    "network.forward_pass": lambda: network.forward_pass(PARAMS, X, "linear"),
    "hp.forward (through forward_pass)": lambda: hp.forward(PARAMS, X),
    "hp.predict (through forward_pass)": lambda: hp.predict(PARAMS, X),
    "training.train": lambda: training.train(PARAMS, X[None], [Y], epochs=1),
    "hp.train": lambda: hp.train(PARAMS, X[None], [Y], epochs=1),
    "hp.train_until (through train)": lambda: hp.train_until(PARAMS, X[None], np.array([Y]), lr=0.001,
                                                            max_epochs=2),
    "hp.numerical_gradients": lambda: hp.numerical_gradients(PARAMS, X, Y),
    "bugs.update_by_hand": lambda: bugs.update_by_hand(PARAMS, X, Y, 0.01),
    "bugs.UPDATES['correct']": lambda: bugs.UPDATES["correct"](PARAMS, X, Y, 0.01),
    "bugs.UPDATES['transposed W1']": lambda: bugs.UPDATES["transposed W1"](PARAMS, X, Y, 0.01),
    "hp.step_gradients(UPDATES['correct'])": lambda: hp.step_gradients(bugs.UPDATES["correct"], PARAMS, X, Y),
    "hp.loss_graph": lambda: hp.loss_graph(PARAMS, X, Y),
    "hp.Node.backward": lambda: (hp.Node(2.0) * hp.Node(3.0)).backward(),
}


@pytest.mark.parametrize("name", REACHABLE)
def test_every_reachable_shortcut_is_refused_inside_and_works_outside(name):
    call = REACHABLE[name]
    call()                                                   # works before
    with switched_off("the step's gradients, line by line"):
        with pytest.raises(ShortcutError, match="write it by hand: this exercise is about the step's gradients"):
            call()
    call()                                                   # and after


def test_everything_is_restored_also_after_an_error():
    before = {k: v for k, v in vars(network).items() if callable(v)}, dict(bugs.UPDATES), hp.Node.backward
    with pytest.raises(KeyError), switched_off("anything"):
        assert hp.gradients is not REAL["hp.gradients"]
        raise KeyError("the learner's error")
    after = {k: v for k, v in vars(network).items() if callable(v)}, dict(bugs.UPDATES), hp.Node.backward
    assert after == before
    assert hp.gradients is REAL["hp.gradients"] and maths.train is REAL["hp.train"]
    assert bugs.UPDATES["correct"] is REAL["bugs.update_by_hand"]


g_in_globals = hp.gradients          # a learner's copy from an earlier cell


def test_copies_in_the_learners_globals_closure_and_defaults_are_refused():
    def from_globals(p, x, y):
        return g_in_globals(p, x, y)

    def enclosing():
        step = hp.sgd_step

        def from_closure(p, x, y):
            return step(p, p, 0.1)
        return from_closure

    def from_default(p, x, y, g=hp.gradients):
        return g(p, x, y)

    def from_kwdefault(p, x, y, *, g=bugs.update_by_hand):
        return g(p, x, y, 0.1)

    for fn in (from_globals, enclosing(), from_default, from_kwdefault):
        with switched_off("the batch gradient", fn), pytest.raises(ShortcutError, match="batch gradient"):
            fn(PARAMS, X, Y)
        assert set(fn(PARAMS, X, Y)) == set(PARAMS)          # restored
    assert g_in_globals is REAL["hp.gradients"]


def test_allow_keeps_the_forward_pass_on():
    with switched_off("the batch gradient", allow=("hp.forward_pass",)):
        assert hp.predict(PARAMS, X) == REAL["hp.forward_pass"](PARAMS, X, "linear").O[-1][0]
        with pytest.raises(ShortcutError):
            hp.gradients(PARAMS, X, Y)
    with pytest.raises(ValueError, match="allow: unknown names"), switched_off("x", allow=("hp.forwards",)):
        pass
    with pytest.raises(TypeError, match="reason"), switched_off(""):
        pass


def test_the_checkers_own_calls_go_through():
    from helpers.exercises import how
    with switched_off("the step's gradients, line by line"):
        assert np.isfinite(how.expected_mse_b21())           # the checker's module calls gradients: allowed
        assert how.check_vectorised_W1(lambda p, X, y: np.zeros((2, 2))).ok is False


def test_the_message_names_the_function_and_the_exercise():
    with switched_off("the step's gradients, line by line"), pytest.raises(ShortcutError) as err:
        bugs.UPDATES["correct"](PARAMS, X, Y, 0.01)
    assert "bugs.update_by_hand is switched off while the checker runs your function" in str(err.value)
    assert shortcuts._active == 0


def test_nested_blocks_act_as_the_outermost():
    with switched_off("outer"):
        with switched_off("inner"), pytest.raises(ShortcutError, match="about outer"):
            hp.gradients(PARAMS, X, Y)
        with pytest.raises(ShortcutError):
            hp.gradients(PARAMS, X, Y)
    assert hp.gradients is REAL["hp.gradients"]


def test_a_refusal_reads_as_feedback_and_names_what_the_learner_called():
    """The learner called hp.forward: the message names hp.forward, not the internal forward_pass, and says
    'called the package' instead of an exception's class name."""
    from helpers.exercises import how
    f = how.check_vectorised_W1(lambda p, X, y: hp.forward(p, X, "sigmoid").O[1][:2, :2])
    assert not f.ok and "called the package: write it by hand" in f and "hp.forward (and hp.predict" in f, f
    assert "ShortcutError" not in f and "forward_pass" not in f
