"""Switch off the package's shortcuts while a checker runs the learner's function.

An exercise that asks for a gradient or a training step by hand would be answered by a call to the package
function that does that work (`hp.gradients`, `hp.sgd_step`, `bugs.UPDATES['correct']`, ...). Inside

    with shortcuts.switched_off("the step's gradients, line by line", fn):
        result = fn(...)

every such function, wherever it is reachable, raises `ShortcutError` with a sentence about the exercise
when the learner's code calls it, directly or through another package function (`hp.train_until` trains
with `hp.gradients`, so it is refused too). Reachable means: the attribute on every `helpers` module that
re-exports it (`hp.gradients`, `helpers.maths.gradients`, `helpers.maths.network.gradients`,
`helpers.maths.network.backprop_lines`, ...), the
entries of `bugs.UPDATES`, the method `hp.Node.backward`, and the copies in the learner's function's
globals, closure and default arguments (`g = hp.gradients` in an earlier cell). The checkers' own modules
(`helpers.exercises.*`) are left alone, and a call whose nearest caller outside the package is a checker
goes through: the checkers keep working with the references captured here at import (`REAL`).
Everything is restored when the block ends, also after an error.
"""

from __future__ import annotations

import contextlib
import sys

from ..maths import float_loop, gradcheck, graph, network, training
from ..maths.lessons import bugs

#: What does the work an exercise asks for, by its public name: the real function, captured at import.
REAL = {
    "hp.forward_pass": network.forward_pass,     # hp.forward, hp.predict and hp.mean_loss run through it
    "hp.backward": network.backward,
    "hp.gradients": network.gradients,
    "hp.sgd_step": network.sgd_step,
    "hp.train": training.train,                  # hp.train_more, hp.train_until, ... run through it
    "hp.train_more": training.train_more,
    "helpers.maths.float_loop.python_loop": float_loop.python_loop,
    "hp.numerical_gradients": gradcheck.numerical_gradients,
    "hp.loss_graph": graph.loss_graph,
    "hp.Node.backward": graph.Node.backward,
    "hp.Node.forward": graph.Node.forward,
    "backprop_lines": network.backprop_lines,   # 02 §3's vectorised δ recursion: exercise 4's answer
    **{f"bugs.{f.__name__}": f for f in bugs.UPDATES.values()},   # the correct step and the three buggy ones
}

#: How a refusal names what was switched off, where the name in REAL is not one the learner called.
SAID = {"hp.forward_pass": "hp.forward (and hp.predict, hp.mean_loss)",
        "backprop_lines": "backprop_lines (02 §3's lines)"}

#: Where a name in REAL lives as a class attribute rather than a module attribute.
_METHODS = {"hp.Node.backward": (graph.Node, "backward"), "hp.Node.forward": (graph.Node, "forward")}


class ShortcutError(RuntimeError):
    """Raised by a package function the learner's code called while an exercise asks for that work by hand."""


def _called_by_checker() -> bool:
    """True when the nearest caller outside the package's maths and display is a checker (helpers.exercises)."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module == "helpers.exercises" or module.startswith("helpers.exercises."):
            return True
        if module != "helpers" and not module.startswith("helpers."):
            return False
        frame = frame.f_back
    return False


def _refusal(name: str, real, reason: str):
    def refused(*args, **kwargs):
        if _called_by_checker():
            return real(*args, **kwargs)
        raise ShortcutError(f"write it by hand: this exercise is about {reason}, so {SAID.get(name, name)} is "
                            f"switched off while the checker runs your function")
    refused.__name__ = getattr(real, "__name__", name.rsplit(".", 1)[-1])
    refused.__qualname__ = getattr(real, "__qualname__", refused.__name__)
    refused.__doc__ = f"Switched off while a checker runs the learner's function ({name})."
    return refused


def _package_modules() -> list:
    """Every loaded `helpers` module except the checkers' own."""
    return [m for k, m in list(sys.modules.items())
            if m is not None and (k == "helpers" or k.startswith("helpers."))
            and k != "helpers.exercises" and not k.startswith("helpers.exercises.")]


_active = 0


@contextlib.contextmanager
def switched_off(reason: str, fn=None, allow=()):
    """While the block runs, every function in REAL except those named in `allow` (e.g. "hp.forward_pass")
    raises ShortcutError ("write it by hand: this exercise is about `reason`, ...") when the learner's code
    reaches it; `fn` is the learner's function, whose globals, closure and defaults are searched for copies.
    Restored afterwards. Nested blocks act as the outermost one."""
    global _active
    if not isinstance(reason, str) or not reason:
        raise TypeError(f"reason: expected a non-empty string naming what the exercise is about, got {reason!r}")
    unknown = sorted(set(allow) - set(REAL))
    if unknown:
        raise ValueError(f"allow: unknown names {unknown}; expected names from shortcuts.REAL")
    if _active:
        yield
        return
    off = {id(real): (real, _refusal(name, real, reason)) for name, real in REAL.items() if name not in allow}
    undo = []                                     # (restore function) in the order applied

    def swap(put, value):
        if id(value) in off and off[id(value)][0] is value:
            put(off[id(value)][1])
            undo.append(lambda: put(value))

    for module in _package_modules():
        for key, value in list(vars(module).items()):
            swap(lambda new, m=module, k=key: setattr(m, k, new), value)
    for name, (owner, attr) in _METHODS.items():
        swap(lambda new, o=owner, a=attr: setattr(o, a, new), REAL[name])
    for key, value in list(bugs.UPDATES.items()):
        swap(lambda new, k=key: bugs.UPDATES.__setitem__(k, new), value)
    space = getattr(fn, "__globals__", None)
    if isinstance(space, dict):
        for key, value in list(space.items()):
            swap(lambda new, k=key: space.__setitem__(k, new), value)
    for cell in getattr(fn, "__closure__", None) or ():      # names the learner bound in an enclosing function
        try:
            value = cell.cell_contents
        except ValueError:                                    # an empty cell
            continue
        swap(lambda new, c=cell: setattr(c, "cell_contents", new), value)
    defaults = getattr(fn, "__defaults__", None)
    if defaults and any(id(d) in off for d in defaults):
        fn.__defaults__ = tuple(off[id(d)][1] if id(d) in off and off[id(d)][0] is d else d for d in defaults)
        undo.append(lambda: setattr(fn, "__defaults__", defaults))
    kwdefaults = getattr(fn, "__kwdefaults__", None)
    if kwdefaults and any(id(d) in off for d in kwdefaults.values()):
        fn.__kwdefaults__ = {k: off[id(d)][1] if id(d) in off and off[id(d)][0] is d else d
                             for k, d in kwdefaults.items()}
        undo.append(lambda: setattr(fn, "__kwdefaults__", kwdefaults))
    _active += 1
    try:
        yield
    finally:
        _active -= 1
        for restore in reversed(undo):
            restore()
