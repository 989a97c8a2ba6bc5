"""Kernel-side latency of every control of every live widget in the three notebooks.

For each notebook: start a kernel in the notebook's folder, run every code cell, then, in that kernel, find
every live widget (`ipywidgets.widgets.widget._instances`), and move each control of each course widget one
step at a time (to fresh values first, then back). Setting `.value` from Python runs the observers
synchronously, so `time.perf_counter()` around the assignment is the time from the value change to the last
view assigned. Prints notebook, widget, control, median and slowest ms against the 100 ms target. The stepper's
moves never reach the kernel (its browser renderer draws them; see bench_latency.py): here its kernel-side
controls are the browser's requests to train again (η, weights, epochs). A benchmark, not a test: it prints and
never fails on a slow machine.

    .venv/bin/python benchmarks/bench_controls.py [--moves 6] [notebooks/02_how.ipynb ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0

# Runs in the kernel after the notebook: moves every control and prints one JSON line.
PROBE = r'''
import json as _json, statistics as _st, time as _time
import ipywidgets as _w
from ipywidgets.widgets.widget import _instances as _inst
from helpers.display.stepper import Stepper as _Stepper

def _kind(b):
    if isinstance(b, _Stepper): return "stepper"
    if hasattr(b, "picker"): return "init_picker"
    if hasattr(b, "numbers"): return "one_weight_slider"
    if hasattr(b, "sliders"): return "training_sliders"
    if hasattr(b, "slider") and hasattr(b, "summary"): return "landscape_explorer"
    return None

def _controls(b):
    if isinstance(b, _Stepper):
        return [_Request(b, "lr"), _Request(b, "weight"), _Request(b, "epochs")]
    if hasattr(b, "picker"): return [b.picker]
    if hasattr(b, "sliders"): return list(b.sliders)
    return [b.slider]

class _Request:
    """One of the stepper's settings as the browser sends it: setting `.value` sends a `request` (text values)."""
    def __init__(self, st, field):
        self.st, self.field, self.description, self.n = st, field, field, 0
        t = st.trace
        self.base = {"lr": t["lr"], "weight": "1", "epochs": str(st.history.epochs), "rows": t["rows"]}
        self.value = float(self.base[field])
        self.step = {"lr": self.value / 4, "weight": 0.1, "epochs": 1}[field]
    def __setattr__(self, k, v):
        object.__setattr__(self, k, v)
        if k == "value" and hasattr(self, "base"):
            self.n += 1
            v = str(int(v)) if self.field == "epochs" else repr(v)
            self.st.request = {**self.base, self.field: v, "id": self.n, "position": self.st.position}

def _values(c, n):
    """n + 1 values for control c: n fresh values from the current one, then back (cached views count too)."""
    if hasattr(c, "options"):
        vals = [v[1] if isinstance(v, tuple) else v for v in c.options]
        i = vals.index(c.value)
        seq = [vals[(i + k) % len(vals)] for k in range(1, n + 1)]
    elif isinstance(c, _w.FloatLogSlider):
        e = _math.log10(c.value)
        seq = [c.base ** (e + k * c.step) if e + k * c.step <= c.max else c.base ** (e - k * c.step)
               for k in range(1, n + 1)]
    else:
        step = c.step if getattr(c, "step", None) else 1
        hi = getattr(c, "max", c.value + 100 * step)
        seq = [c.value + k * step if c.value + k * step <= hi else c.value - k * step for k in range(1, n + 1)]
    return seq + [c.value]

import math as _math
_rows, _seen = [], 0
for _b in list(_inst.values()):
    _k = _kind(_b)
    if _k is None: continue
    _seen += 1
    for _c in _controls(_b):
        _ts = []
        for _v in _values(_c, __MOVES__):
            _t = _time.perf_counter(); _c.value = _v; _ts.append(1000 * (_time.perf_counter() - _t))
        _name = _c.description or type(_c).__name__
        _rows.append([_seen, _k, _name, _st.median(_ts), max(_ts)])
print(_json.dumps(_rows))
'''


def measure(path: Path, moves: int) -> list:
    """Run the notebook in a fresh kernel, then the probe; the probe's rows."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"]
    nb.cells.append(nbformat.v4.new_code_cell(PROBE.replace("__MOVES__", str(moves))))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    out = nb.cells[-1].outputs
    text = "".join(o.get("text", "") for o in out if o.get("output_type") == "stream")
    return json.loads(text.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    parser.add_argument("--moves", type=int, default=6, help="fresh values per control (then one move back)")
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"Kernel-side latency, value change to last view assigned ({args.moves + 1} moves a control); "
          f"target {TARGET_MS:.0f} ms")
    print(f"{'notebook':<14} {'#':>2} {'widget':<19} {'control':<14} {'median ms':>10} {'slowest ms':>11}  verdict")
    worst = 0.0
    t0 = time.perf_counter()
    for path in paths:
        for n, kind, control, med, slow in measure(path.resolve(), args.moves):
            target = TARGET_MS
            worst = max(worst, slow)
            verdict = "ok" if slow <= target else f"ABOVE {target:.0f} ms"
            print(f"{path.stem:<14} {n:>2} {kind:<19} {control:<14} {med:>10.1f} {slow:>11.1f}  {verdict}")
    print(f"slowest move anywhere: {worst:.1f} ms  (total {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
