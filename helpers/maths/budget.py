"""A budget on what a run keeps and on how long it takes, checked before the run starts.

Memory is counted as the numbers a run keeps × 8 bytes, times `PEAK_FACTOR` for the copies made when the
records are stacked at the end (measured with tracemalloc: 1.8 to 2.03 times the kept numbers for the
python loop and for wide networks), plus `NUMPY_STEP_BYTES` a step for the numpy loop's small arrays
(measured: about 600 bytes a step on 2-2-1). Time is an operation count turned into seconds with costs
measured on a 2-core machine (python loop: about 0.65 µs a parameter a row; numpy loop: about 40 µs a
step plus 15-50 ns a parameter a row). Both are estimates meant to err on the large side.
"""

from __future__ import annotations

from . import checks

MAX_MEMORY = 500_000_000     # bytes a run may keep (0.5 GB), unless max_memory says otherwise
MAX_SECONDS = 30.0           # estimated seconds a run may take, unless max_seconds says otherwise
PEAK_FACTOR = 2.25
NUMPY_STEP_BYTES = 800
PYTHON_ROW_PARAM_S = 1.0e-6  # python loop: seconds a parameter a row (measured 0.65 µs on 2-2-1)
NUMPY_STEP_S = 60e-6         # numpy loop: seconds a step (measured about 40 µs)
NUMPY_ROW_PARAM_S = 60e-9    # numpy loop: seconds a parameter a row (measured 4 to 50 ns)
PYTHON_CALL_S = 25e-6        # one call of a learner's Python function on one row (measured about 22 µs)


def limits(max_memory, max_seconds) -> tuple[float, float]:
    """The run's limits: the defaults for None, else positive numbers (bytes, seconds)."""
    mem = MAX_MEMORY if max_memory is None else checks.positive_number(max_memory, "max_memory")
    sec = MAX_SECONDS if max_seconds is None else checks.positive_number(max_seconds, "max_seconds")
    return mem, sec


def count(n: int) -> str:
    """A count for a message: in full up to 15 digits, else its power of ten (no 400-digit numbers)."""
    return str(n) if n < 10**15 else f"about 10**{len(str(n)) - 1}" if n < 10**4000 else "more than 10**4000"


def _size(n_bytes: float) -> str:
    if n_bytes >= 1e15:
        return "more than 1000 TB"
    if n_bytes >= 1e12:
        return f"{n_bytes / 1e12:.3g} TB"
    return f"{n_bytes / 1e9:.3g} GB" if n_bytes >= 1e8 else f"{n_bytes / 1e6:.3g} MB"


def _span(seconds: float) -> str:
    if seconds >= 3.2e9:
        return "more than a century"
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.3g} days"
    if seconds >= 7200:
        return f"{seconds / 3600:.3g} hours"
    return f"{seconds / 60:.3g} minutes" if seconds >= 120 else f"{seconds:.3g} s"


def check(what: str, n_bytes: float, seconds: float, max_memory, max_seconds, advice: str) -> None:
    """Raise a ValueError naming the knob when the estimate is over a limit; return None otherwise."""
    mem, sec = limits(max_memory, max_seconds)
    if n_bytes > mem:
        raise ValueError(f"{what} would keep about {_size(n_bytes)} (the numbers it keeps × 8 bytes, with the "
                         f"copies made at the end), more than the limit of {_size(mem)}; {advice}, or raise the "
                         f"limit with max_memory=... (in bytes)")
    if seconds > sec:
        raise ValueError(f"{what} would take about {_span(seconds)} (estimated from its operation count), more "
                         f"than the limit of {_span(sec)}; {advice}, or raise the limit with max_seconds=...")


def train_cost(n_params: int, width: int, m: int, batch_size: int, epochs: int, python: bool) -> tuple[float, float]:
    """(bytes, seconds) of `train`: per step it keeps the loss, the gradients and the parameters, and for
    per-sample steps every neuron's sum and output; it touches every parameter once a row."""
    epochs = min(epochs, 10**12)       # beyond any limit; keeps the arithmetic in float range
    steps = epochs * -(-m // batch_size)
    kept = steps * (1 + 2 * n_params + (2 * width if batch_size == 1 else 0) + 4) + n_params + epochs * m
    n_bytes = 8.0 * kept * PEAK_FACTOR + (0 if python else NUMPY_STEP_BYTES * steps)
    rows = epochs * m
    seconds = (rows * n_params * PYTHON_ROW_PARAM_S if python
               else steps * NUMPY_STEP_S + rows * n_params * NUMPY_ROW_PARAM_S)
    return n_bytes, seconds


def gradient_cost(n_params: int, m: int, calls: int) -> float:
    """Seconds of `calls` full-data gradients (or losses) with numpy."""
    return calls * (NUMPY_STEP_S + m * n_params * NUMPY_ROW_PARAM_S)
