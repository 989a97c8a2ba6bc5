"""Feedback for the "Your turn" cells: right, or which idea is wrong (never by how much), and progress.

One policy for every checker:
- any answer gets a sentence, never an exception: None, text, NaN, huge numbers, arrays of any shape;
- a wrong answer gets a hint that names the slip (wrong sign, a missing factor, ...) but not the right value;
- after `STUCK_AFTER` wrong tries the hint points to the worked solution;
- a learner's function runs on copies of its inputs (`run_learner`) under a time limit (`TIME_LIMIT`
  seconds); an error, `sys.exit`, a loop that does not end, a wrong type or an input changed in place is
  reported in words;
- numpy's functions are the ones captured when this module was imported: a learner's code that replaces
  one (`np.allclose = ...`) cannot make a checker say Right (each checker puts them back first);
- each exercise is registered with its notebook; `progress(notebook)` lists which were solved in this kernel
  (kept in memory only: nothing is written to disk).
"""

from __future__ import annotations

import copy
import decimal
import math
import numbers
import signal
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np

from ..text import fmt

STUCK_AFTER = 3
TIME_LIMIT = 3.0      # seconds a learner's function may run on one test case
_NUMPY = {m: dict(vars(m)) for m in (np, np.linalg, np.random, np.ma)}   # numpy as imported, before any learner code


def restore_numpy() -> list[str]:
    """Put back any numpy function a learner's code replaced (or deleted); the names that were replaced."""
    replaced = []
    for module, original in _NUMPY.items():
        now = vars(module)
        for name, value in original.items():
            if now.get(name, None) is not value:
                setattr(module, name, value)
                replaced.append(f"{module.__name__}.{name}")
    return replaced
SOLUTIONS = {"01_what": "01_what_solutions.md", "02_how": "02_how_solutions.md", "03_why": "03_why_solutions.md"}


class Feedback(str):
    """A feedback sentence that also says whether the answer was right (`.ok`) and given at all (`.answered`)."""

    ok: bool
    answered: bool

    def __new__(cls, text: str, ok: bool, answered: bool = True):
        self = super().__new__(cls, text)
        self.ok = ok
        self.answered = answered
        return self

    def __repr__(self) -> str:
        return str(self)


def _cap(text: str) -> str:
    """Capitalise an English first word ('the run' -> 'The run'), never a name (ŷ, w22^1, η)."""
    first = text.split(" ", 1)[0].rstrip(".,:;")
    return text[:1].upper() + text[1:] if first.isascii() and first.isalpha() else text


def _why(why: str) -> str:
    return f" {_cap(why)}" if why else ""


def not_answered(text: str) -> Feedback:
    """The feedback for an answer still `None`: it counts as no try."""
    return Feedback(f"Not answered yet: {text}", False, answered=False)


# ---- progress: which exercises were solved in this kernel session ----

@dataclass
class Exercise:
    """One "Your turn" exercise: where it is, what kind it is, and how this session went."""

    notebook: str
    number: int
    title: str
    kind: str
    tries: int = 0
    solved: bool = False


_REGISTRY: dict[tuple[str, int], Exercise] = {}


def register(notebook: str, number: int, title: str, kind: str) -> tuple[str, int]:
    """Add an exercise to the session's list (idempotent); returns its key for `record`."""
    key = (notebook, number)
    if key not in _REGISTRY:
        _REGISTRY[key] = Exercise(notebook, number, title, kind)
    return key


def record(key: tuple[str, int], feedback: Feedback) -> Feedback:
    """Count a try of exercise `key`; after a few wrong ones, add a pointer to the worked solution."""
    ex = _REGISTRY[key]
    if feedback.ok:
        ex.solved = True
        return feedback
    if not feedback.answered:
        return feedback
    ex.tries += 1
    if ex.tries >= STUCK_AFTER and not ex.solved:
        return Feedback(f"{feedback} Stuck after {ex.tries} tries? The worked reasoning is in "
                        f"notebooks/solutions/{SOLUTIONS[ex.notebook]}, exercise {ex.number}.", False)
    return feedback


def reset_progress(notebook: str | None = None) -> None:
    """Forget this session's tries (of one notebook, or all)."""
    for ex in _REGISTRY.values():
        if notebook is None or ex.notebook == notebook:
            ex.tries, ex.solved = 0, False


def exercises(notebook: str) -> list[Exercise]:
    """The registered exercises of one notebook, in order."""
    return sorted((e for e in _REGISTRY.values() if e.notebook == notebook), key=lambda e: e.number)


def progress(notebook: str) -> Feedback:
    """A short list of the notebook's exercises and which were solved in this kernel session."""
    items = exercises(notebook)
    if not items:
        raise ValueError(f"notebook: no exercises are registered for {notebook!r}; expected one of "
                         f"{sorted({e.notebook for e in _REGISTRY.values()})}")
    solved = sum(e.solved for e in items)
    lines = [f"Your turn, this session: {solved} of {len(items)} solved (kept in this kernel only; a restart "
             f"clears it)."]
    for e in items:
        mark = "✓ solved" if e.solved else (f"… {e.tries} {'try' if e.tries == 1 else 'tries'}" if e.tries
                                            else "· not tried")
        lines.append(f"  {e.number}. {e.title} [{e.kind}]: {mark}")
    return Feedback("\n".join(lines), solved == len(items))


# ---- numbers ----

def _shown(value, how=repr) -> str:
    """repr (or str) of a learner's object; one whose repr raises is described by its type."""
    try:
        text = how(value)
        if not isinstance(text, str):
            raise TypeError
        return text
    except Exception:  # a learner's object whose __repr__/__str__ is broken
        return f"a {type(value).__name__} that cannot be shown"


def _short(value) -> str:
    text = _shown(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _odd(kind: str, name: str, what: str) -> str | None:
    """Why an array of numpy dtype kind `kind` is not numbers (text, complex, times), or None."""
    if kind in "USa":
        return f"{_cap(name)} should be a number, but you gave text inside {what}: remove the quotes."
    if kind == "c":
        return f"{_cap(name)} should be a real number, but you gave complex numbers."
    if kind in "mM":
        return f"{_cap(name)} should be a number, but you gave a date or time span (numpy {what})."
    if kind == "b":
        return f"{_cap(name)} should be a number like 12.5, not True or False."
    return None


def as_number(answer, name: str) -> tuple[float | None, Feedback | None]:
    """The learner's answer as a finite float, or a Feedback saying why it is not one."""
    restore_numpy()
    if answer is None:
        return None, not_answered(f"replace None with your value for {name}.")
    if isinstance(answer, (bool, np.bool_)):
        return None, Feedback(f"{_cap(name)} should be a number like 12.5, not {answer}.", False)
    if isinstance(answer, str):
        try:
            float(answer)
        except ValueError:
            return None, Feedback(f"{_cap(name)} should be a number like 12.5, but you gave the text {_short(answer)}.",
                                  False)
        return None, Feedback(f"{_cap(name)} should be a number, but you gave the text {_short(answer)}: remove the "
                              f"quotes.", False)
    if isinstance(answer, decimal.Decimal):
        answer = float(answer)                   # Decimal('112.0') is 112
    if isinstance(answer, (np.timedelta64, np.datetime64)):
        return None, Feedback(f"{_cap(name)} should be a number, but you gave a date or time span "
                              f"({_short(answer)}).", False)
    if answer is np.ma.masked or isinstance(answer, np.ma.MaskedArray) and np.ma.getmaskarray(answer).any():
        return None, Feedback(f"{_cap(name)} should be a number, but you gave a masked value (no number).", False)
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:
            raw = np.asarray(answer)
            odd = _odd(raw.dtype.kind, name, f"a {type(answer).__name__}")
            arr = None if odd else raw.astype(float)
        except (TypeError, ValueError, OverflowError):
            arr = odd = None
        if odd:
            return None, Feedback(odd, False)
        if arr is None or arr.size != 1:
            shape = f"shape {arr.shape}" if arr is not None else "values that are not numbers"
            return None, Feedback(f"{_cap(name)} should be one number, but you gave a {type(answer).__name__} with "
                                  f"{shape}.", False)
        answer = arr.reshape(()).item()          # grads['b2'] or a 1x1 slice holds one number: take it
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        return None, Feedback(f"{_cap(name)} should be a real number, but you gave the complex number "
                              f"{_short(answer)}.", False)
    if not isinstance(answer, numbers.Real):
        return None, Feedback(f"{_cap(name)} should be a number like 12.5, but you gave {type(answer).__name__} "
                              f"{_short(answer)}.", False)
    try:
        value = float(answer)
    except (OverflowError, ValueError, TypeError):
        return None, Feedback(f"{_cap(name)} should be a number of ordinary size; yours is far too large.", False)
    except Exception:  # a learner's Real subclass whose __float__ is broken
        return None, Feedback(f"{_cap(name)} should be a number like 12.5, but yours cannot be read as one "
                              f"({type(answer).__name__}).", False)
    if not math.isfinite(value):
        return None, Feedback(f"{_cap(name)} should be a finite number, but you gave {value}.", False)
    return value, None


def your(name: str) -> str:
    """'your' before a name, without 'your your answer' or 'your the new w11^1'."""
    for article in ("your ", "the ", "a ", "an "):
        if name.startswith(article):
            name = name[len(article):]
    return f"your {name}"


def _same(a: float, b: float, rtol: float) -> bool:
    return abs(a - b) <= rtol * max(abs(b), 1e-12) + 1e-12


def as_rounded(answer, expected: float, significant: int | None = None, decimals: int | None = None):
    """`expected` itself when the learner's number (a float, an int, or one number in a list or array) is
    within half a unit of the last of `significant` digits or `decimals` places of `expected` (correct to
    those digits), else the answer unchanged, for check_answer: at 4 digits -0.1952, -0.19525 and -0.195242
    count for -0.195242, and -0.1953 and -0.19516 do not."""
    if (significant is None) == (decimals is None):
        raise ValueError("as_rounded: give exactly one of significant= and decimals=")
    if isinstance(answer, (bool, str, bytes)) or answer is None or np.iscomplexobj(answer):
        return answer                                # check_answer says what is wrong with these
    try:
        values = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return answer
    if values.size != 1 or not np.isfinite(values[0]):
        return answer

    if significant:
        unit = 10.0 ** (math.floor(math.log10(abs(expected))) - significant + 1) if expected else 10.0 ** -significant
    else:
        unit = 10.0 ** -decimals
    return expected if abs(float(values[0]) - expected) <= unit / 2 * (1 + 1e-9) else answer


SLIP_RTOL = 5e-4   # how close an answer must be to a slip's value to get its hint


def check_answer(answer, expected: float, name: str = "your answer", rtol: float = 1e-6, close: float = 0.01,
                 slips=(), why: str = "") -> Feedback:
    """Compare a learner's number with the computed one: right, a named slip, close, or too high / too low.

    `slips` is a list of (value, hint): an answer equal to a slip's value (within 0.05%, however wide `rtol`
    is) gets its hint, so a hint never names a number the learner did not give.
    No feedback but "Right" shows the expected value.
    """
    if isinstance(expected, bool) or not isinstance(expected, numbers.Real) or not math.isfinite(expected):
        raise ValueError(f"expected: the computed answer must be a finite number, got {expected!r}")
    value, fail = as_number(answer, name)
    if fail is not None:
        return fail
    expected = float(expected)
    if _same(value, expected, rtol):
        return Feedback(f"Right: {name} = {fmt(expected)}.{_why(why)}", True)
    for slip, hint in slips:
        if not _same(float(slip), expected, close) and _same(value, float(slip), SLIP_RTOL):
            return Feedback(f"Not yet: {hint} Try again.", False)
    yours = your(name)
    whole = float(expected).is_integer() and float(value).is_integer()   # 1090 for 1080: arithmetic, not rounding
    if _same(value, expected, close) and not whole:
        return Feedback(f"Close: {yours} is within {fmt(close * 100)}% but not exact. If you rounded, on the way or at "
                        f"the end, keep every digit; if not, one step's arithmetic is a little off.", False)
    direction = "too high" if value > expected else "too low"
    hint = " Check the sign." if expected != 0 and _same(value, -expected, close) else ""
    return Feedback(f"Not yet: {yours} is {direction}.{hint} Try again.", False)


def check_choice(answer, options, expected, name: str = "your answer", slips=None, why: str = "") -> Feedback:
    """Check a choice among `options` (texts compared without case or spaces, numbers within 1e-9)."""
    restore_numpy()
    slips = slips or {}
    shown = ", ".join(repr(o) for o in options)
    if answer is None:
        return not_answered(f"replace None with one of {shown}.")

    def key(v):
        if isinstance(v, str):
            return " ".join(v.lower().split())
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, (np.timedelta64, np.datetime64)) or v is np.ma.masked:
            return None
        if isinstance(v, decimal.Decimal) and v.is_finite():
            v = float(v)
        if isinstance(v, numbers.Real) and not isinstance(v, bool):
            try:
                return round(float(v), 12)
            except (OverflowError, ValueError):
                return None
        return None

    try:
        given = key(answer)
    except Exception:  # a learner's odd object: say what we expected
        given = None
    match = [o for o in options if given is not None and key(o) == given and type(key(o)) is type(given)]
    if not match:
        return Feedback(f"{_cap(name)} should be one of {shown}, but you gave {type(answer).__name__} "
                        f"{_short(answer)} (not counted as a try).", False, answered=False)   # a typo costs nothing
    choice = match[0]
    if key(choice) == key(expected):
        return Feedback(f"Right: {name} is {choice!r}.{_why(why)}", True)
    hint = slips.get(choice, "that option is not the best one; look again at the section before.")
    return Feedback(f"Not yet: {hint} Try again.", False)


# ---- a learner's function ----

def _changed(before, after, where: str = "") -> str | None:
    """The name of the first part of `after` that differs from `before`, or None."""
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(before) != set(after):
            return where or "the dict"
        for k in before:
            bad = _changed(before[k], after[k], f"{where}[{k!r}]")
            if bad:
                return bad
        return None
    if isinstance(before, np.ndarray):
        same = (isinstance(after, np.ndarray) and after.shape == before.shape
                and np.array_equal(before, after, equal_nan=True))
        return None if same else (where or "the array")
    return None


class _TimeUp(BaseException):
    """Raised inside a learner's function when it has run for longer than the time limit."""


def _call_with_limit(fn, args: tuple, seconds: float):
    """fn(*args), stopped with _TimeUp after `seconds`: by a timer signal in the main thread (it also stops
    sleeps, and repeats every 0.1 s should the learner's code catch it), else by a trace function that looks
    at the clock on every line."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def ring(signum, frame):
            raise _TimeUp

        before = signal.signal(signal.SIGALRM, ring)
        start = time.monotonic()
        pending, _ = signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)   # another timer (pytest-timeout, ...)
        try:
            return fn(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, before)
            if pending:                   # give the other timer back what it had left
                signal.setitimer(signal.ITIMER_REAL, max(pending - (time.monotonic() - start), 1e-3))
    deadline = time.perf_counter() + seconds
    clock = time.perf_counter

    def trace(frame, event, arg):
        if clock() > deadline:
            raise _TimeUp
        return trace

    before = sys.gettrace()
    sys.settrace(trace)
    try:
        return fn(*args)
    finally:
        sys.settrace(before)


def run_learner(fn, args: tuple, signature: str, case: int, names: tuple[str, ...]):
    """Run the learner's `fn` on copies of `args` for at most `TIME_LIMIT` seconds: (result, None), or
    (None, Feedback) when it is missing, not a function, raises, exits, runs too long, replaces a numpy
    function, or changes an input in place."""
    restore_numpy()
    if fn is None:
        return None, not_answered(f"define {signature} in the cell above and run it again.")
    if not callable(fn):
        return None, Feedback(f"{signature.split('(')[0]} should be a function (def ...), but it is "
                              f"{type(fn).__name__} {_short(fn)}.", False)
    given = copy.deepcopy(args)
    try:
        result = _call_with_limit(fn, given, TIME_LIMIT)
    except _TimeUp:
        restore_numpy()
        return None, Feedback(f"Not yet: on test case {case} your function was still running after "
                              f"{fmt(TIME_LIMIT)} s, so it was stopped. Look for a loop that never ends (a while "
                              f"whose condition stays true).", False)
    except SystemExit:
        restore_numpy()
        return None, Feedback(f"Not yet: on test case {case} your function called sys.exit() (or exit()); "
                              f"return the value instead.", False)
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # the learner's code: report any error in words
        restore_numpy()
        text = _shown(err, str)
        text = text if len(text) <= 160 else text[:157] + "..."
        extra = f" It should take the arguments {signature}." if isinstance(err, TypeError) else ""
        if type(err).__name__ == "ShortcutError":        # a package function the exercise asks to write by hand
            return None, Feedback(f"Not yet: on test case {case} your function called the package: {err}.", False)
        return None, Feedback(f"Not yet: on test case {case} your function raised {type(err).__name__}: "
                              f"{text}.{extra}", False)
    replaced = restore_numpy()
    if replaced:
        return None, Feedback(f"Not yet: your function replaced {', '.join(replaced[:3])}; the checker put numpy's "
                              f"own back. Give your own functions new names instead.", False)
    for name, before, after in zip(names, args, given):
        where = _changed(before, after, name)
        if where:
            return None, Feedback(f"Not yet: your function changed its input {where} in place. Work on copies "
                                  f"(np.array(...)) and return new values, so the caller's numbers stay as "
                                  f"they were.", False)
    return result, None


def as_array(result, shape: tuple[int, ...], what: str, part: bool = False,
             exact_shape: bool = False) -> tuple[np.ndarray | None, Feedback | None]:
    """A learner's returned value as a float array of `shape`, or a Feedback saying what is wrong with it
    (`part`: the value is one entry of what the function returned, so None there is a wrong answer;
    `exact_shape`: one number is not taken for an array of one, since the value is used as an array later)."""
    if result is None:
        if part:
            return None, Feedback(f"Not yet: return {what}, not None.", False)
        return None, not_answered(f"your function returns None; return {what}.")
    restore_numpy()
    if isinstance(result, decimal.Decimal):
        result = float(result)
    if isinstance(result, (str, dict)) or not hasattr(result, "__len__") and not isinstance(result, numbers.Real):
        return None, Feedback(f"Not yet: return {what}, not {type(result).__name__} {_short(result)}.", False)
    if result is np.ma.masked or isinstance(result, np.ma.MaskedArray) and np.ma.getmaskarray(result).any():
        return None, Feedback(f"Not yet: return {what}; yours has masked entries (no numbers).", False)
    try:
        raw = np.asarray(result)
        odd = _odd(raw.dtype.kind, "the value", f"a {type(result).__name__}")
        if odd:
            return None, Feedback(f"Not yet: return {what}. {odd}", False)
        if raw.dtype.kind == "f" and raw.dtype.itemsize < 8:      # float32 or float16: too few digits to check
            return None, Feedback(f"Not yet: return {what} in float64; yours is {raw.dtype}, which keeps only "
                                  f"about {np.finfo(raw.dtype).precision} significant digits, too few for the "
                                  f"check. Leave out the dtype (numpy's default is float64).", False)
        arr = raw.astype(float)
    except Exception:  # ragged lists, objects: say what we need
        return None, Feedback(f"Not yet: return {what}; yours could not be read as an array of numbers "
                              f"({type(result).__name__} {_short(result)}).", False)
    if (not exact_shape and arr.size == math.prod(shape) and arr.shape != shape
            and (arr.ndim == 0 or len(shape) == 0)):
        arr = arr.reshape(shape)
    if arr.shape != shape:
        return None, Feedback(f"Not yet: return {what}; yours has shape {arr.shape}.", False)
    if not np.all(np.isfinite(arr)):
        return None, Feedback(f"Not yet: return finite numbers; yours has {arr.ravel().tolist()}.", False)
    return arr, None


def as_params(result, like: dict, name: str) -> tuple[dict | None, Feedback | None]:
    """A learner's returned parameters as a dict of float arrays with the keys and shapes of `like`, or a
    Feedback saying what is wrong with it; `name` is the learner's function, for the message."""
    if result is None:
        return None, not_answered(f"{name} returns None; return a dict of new arrays, like params.")
    if not isinstance(result, dict) or set(result) != set(like):
        shown = sorted(map(str, result)) if isinstance(result, dict) else type(result).__name__
        return None, Feedback(f"Not yet: return a dict with the keys {sorted(like)} like params; you returned "
                              f"{shown}.", False)
    arrays = {}
    for k in like:
        arrays[k], fail = as_array(result[k], like[k].shape, f"the new {k} with shape {like[k].shape}, "
                                                            f"like params[{k!r}]", part=True, exact_shape=True)
        if fail:
            return None, fail
    return arrays, None
