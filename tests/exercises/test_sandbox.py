"""The checkers' sandbox (issue 21, defects 5, 9, 10): a learner's function runs under a time limit and
cannot escape with sys.exit, break a checker with a broken __str__/__repr__, or fool it by replacing a
numpy function; odd answers are read the same way everywhere. No warning reaches the learner."""

import decimal
import inspect
import time

import numpy as np
import pytest

from helpers.exercises import feedback, how, what, why


def _checkers(kind: str) -> list:
    """Every `check_*` of the three exercise modules of one kind, found by reading them, so a renamed or new
    exercise is covered without editing this list: "function" (takes the learner's `fn`), "choice" (answers
    through `check_choice`) or "number" (the rest of those that take an `answer`)."""
    found = []
    for module in (what, how, why):
        for name, f in sorted(vars(module).items()):
            if not name.startswith("check_") or not inspect.isfunction(f) or f.__module__ != module.__name__:
                continue
            first = next(iter(inspect.signature(f).parameters))
            is_choice = "check_choice(" in inspect.getsource(f)
            kind_of = "function" if first == "fn" else "choice" if is_choice else "number" if first == "answer" else ""
            if kind_of == kind:
                found.append(f)
    return found


FUNCTION_CHECKERS = _checkers("function")
NUMBER_CHECKERS = _checkers("number")
CHOICE_CHECKERS = _checkers("choice")


def test_every_kind_of_checker_is_found():
    assert len(FUNCTION_CHECKERS) >= 2 and len(NUMBER_CHECKERS) >= 6 and len(CHOICE_CHECKERS) >= 1


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(feedback, "TIME_LIMIT", 0.3)


def forever(*args):
    while True:
        pass


def sleeps(*args):
    time.sleep(60)


@pytest.mark.parametrize("check", FUNCTION_CHECKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("fn", [forever, sleeps], ids=lambda f: f.__name__)
def test_a_function_that_never_returns_is_stopped(check, fn, quick, no_warnings):
    start = time.monotonic()
    out = check(fn)
    assert time.monotonic() - start < 3
    assert not out.ok and "still running after 0.3 s, so it was stopped" in out


def test_the_default_time_limit_is_a_few_seconds():
    assert 1 <= feedback.TIME_LIMIT <= 5


def test_the_time_limit_outside_the_main_thread_uses_a_trace(quick):
    import threading
    box = {}
    t = threading.Thread(target=lambda: box.setdefault("out", what.check_my_step(forever)))
    t.start()
    t.join(5)
    assert not t.is_alive() and "still running" in box["out"]


def test_a_timer_set_by_someone_else_is_given_back(quick):
    import signal
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        what.check_my_step(forever)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@pytest.mark.parametrize("check", FUNCTION_CHECKERS, ids=lambda f: f.__name__)
def test_sys_exit_does_not_escape(check, no_warnings):
    import sys

    out = check(lambda *a: sys.exit(3))
    assert not out.ok and "sys.exit()" in out


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no")


class BadRepr:
    def __repr__(self):
        raise RuntimeError("no")

    __str__ = __repr__


@pytest.mark.parametrize("check", FUNCTION_CHECKERS, ids=lambda f: f.__name__)
def test_an_exception_whose_str_raises_is_reported(check, no_warnings):
    def fn(*a):
        raise Unprintable

    out = check(fn)
    assert not out.ok and "Unprintable" in out and "cannot be shown" in out


@pytest.mark.parametrize("check", NUMBER_CHECKERS + CHOICE_CHECKERS, ids=lambda f: f.__name__)
def test_an_answer_whose_repr_raises_gets_a_sentence(check, no_warnings):
    out = check(BadRepr())
    assert not out.ok and "cannot be shown" in out


@pytest.mark.parametrize("check", FUNCTION_CHECKERS, ids=lambda f: f.__name__)
def test_a_returned_object_whose_repr_raises_gets_a_sentence(check, no_warnings):
    out = check(lambda *a: BadRepr())
    assert not out.ok


@pytest.mark.parametrize("check", FUNCTION_CHECKERS, ids=lambda f: f.__name__)
def test_replacing_numpy_functions_cannot_make_a_check_say_right(check, no_warnings):
    real = np.allclose, np.isclose

    def cheat(*a):
        np.allclose = lambda *a, **k: True
        np.isclose = lambda *a, **k: True
        return 0.0

    out = check(cheat)
    assert not out.ok and "numpy.allclose" in out
    assert (np.allclose, np.isclose) == real
    np.allclose = lambda *a, **k: True        # replaced in a cell, outside any function
    try:
        assert not check(lambda *a: 0.0).ok
    finally:
        np.allclose = real[0]


@pytest.mark.parametrize("answer, words", [
    (np.ma.masked, "masked"), (np.ma.array([1.0], mask=[True]), "masked"),
    (np.array(["1"]), "remove the quotes"), (["1"], "remove the quotes"), ("1", "remove the quotes"),
    (np.timedelta64(1), "time span"), (np.datetime64("2020-01-01"), "time span"),
    (np.array([1 + 2j]), "complex"), (1 + 2j, "complex"), (np.complex128(3), "complex"),
])
@pytest.mark.parametrize("check", NUMBER_CHECKERS, ids=lambda f: f.__name__)
def test_odd_answers_are_read_the_same_way_everywhere(check, answer, words, no_warnings):
    out = check(answer)
    assert not out.ok and words in out, out


def test_a_decimal_is_a_number():
    value, fail = feedback.as_number(decimal.Decimal("112.0"), "x")
    assert fail is None and value == 112.0
    assert feedback.check_answer(decimal.Decimal("112.0"), 112.0).ok
    assert feedback.check_choice(decimal.Decimal("2"), [1, 2], 2).ok
    assert not feedback.check_answer(decimal.Decimal("NaN"), 112.0).ok


@pytest.mark.parametrize("result, words", [(np.array([1 + 2j]), "complex"), (np.ma.masked, "masked"),
                                           (np.array(["1"]), "quotes"), (np.timedelta64(1), "time span")])
def test_odd_returned_values_are_refused(result, words, no_warnings):
    arr, fail = feedback.as_array(result, (), "one number")
    assert arr is None and words in fail


def test_the_time_limit_holds_inside_a_jupyter_kernel(tmp_path):
    """Where learners run it: an ipykernel runs cells in its main thread, so the timer signal is used."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import time\nfrom helpers.exercises import feedback, what\nfeedback.TIME_LIMIT = 0.5\n"
        "start = time.monotonic()\nout = what.check_my_step(lambda *a: time.sleep(60))\n"
        "print(out.ok, 'still running after 0.5 s' in out, time.monotonic() - start < 5)")]
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[0].outputs[0]["text"].strip() == "False True True"
