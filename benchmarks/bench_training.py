"""How fast the course's maths runs, against plain baselines written for this one network.

1. Per-sample training on 2-2-1 (weights 0.1, the four students, lr 0.001, rows in order): microseconds a
   step (CPU time of this process, steadier than the wall clock on a shared machine) for `hp.train`,
   which keeps every number of every step in a `History`, against (a) a hand-written loop over plain
   Python floats and (b) a straightforward numpy loop (forward with @, backward, update), neither keeping
   any history. Median of several runs; target: hp.train at most 15 us a step. The numpy engine of
   `hp.train` is shown for reference.
1b. Why `train` has a second engine (the float loop of `helpers/maths/float_loop.py`), measured: notebook
   02's η slider retrains 2-2-1 on the 300 standardised rows of students_large for 20 epochs, at the
   slider's batch sizes 10 (its default), 8 and 1; milliseconds a retrain (wall clock, median) for
   engine='python' beside engine='numpy' (forward_pass and backward), the float loop's gain, and which one
   engine='auto' picks (training.PYTHON_LOOP_MAX_BATCH is set from these figures).
2. The cost of one gradient: backpropagation (`hp.gradients`) against centred differences
   (`hp.numerical_gradients`, two forward passes a parameter), for growing networks.
3. Peak memory (tracemalloc) of a 100,000-step `train()` and the bytes its `History` holds.

A benchmark, not a test: figures vary with the machine's load, and nothing is asserted except that the
baselines reach the same parameters as `hp.train`. About a minute.

    .venv/bin/python benchmarks/bench_training.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc

import numpy as np

import helpers as hp
from helpers.maths.training import PYTHON_LOOP_MAX_BATCH

TARGET_US = 15.0
LR = 0.001


def median_time(fn, repeats: int, cpu: bool = False, number: int = 1) -> tuple[float, object]:
    """Median seconds a call of `fn()` (wall clock, or this process's CPU time), and its last result.

    Each of `repeats` timings runs `number` calls, garbage collection paused. On a shared machine the CPU
    time is the steadier figure.
    """
    clock = time.process_time if cpu else time.perf_counter
    times = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            t0 = clock()
            for _ in range(number):
                result = fn()
            times.append((clock() - t0) / number)
        finally:
            gc.enable()
    return statistics.median(times), result


# ---- 1. per-sample training on 2-2-1 ----

def floats_loop(X, y, epochs: int):
    """Baseline (a): the 2-2-1 linear network on plain Python floats, every gradient from the old weights."""
    w11, w12, w21, w22, b11, b12, v1, v2, c = 0.1, 0.1, 0.1, 0.1, 0.0, 0.0, 0.1, 0.1, 0.0
    rows = list(zip(X[:, 0].tolist(), X[:, 1].tolist(), y.tolist()))
    lr = LR
    for _ in range(epochs):
        for x1, x2, t in rows:
            o1 = w11 * x1 + w21 * x2 + b11
            o2 = w12 * x1 + w22 * x2 + b12
            d = 2.0 * (v1 * o1 + v2 * o2 + c - t)          # ∂L/∂ŷ
            d1, d2 = d * v1, d * v2                        # ∂L/∂O11, ∂L/∂O12 (old v1, v2)
            w11 -= lr * d1 * x1
            w21 -= lr * d1 * x2
            w12 -= lr * d2 * x1
            w22 -= lr * d2 * x2
            b11 -= lr * d1
            b12 -= lr * d2
            v1 -= lr * d * o1
            v2 -= lr * d * o2
            c -= lr * d
    return np.array([w11, w12, w21, w22, b11, b12, v1, v2, c])


def numpy_loop(X, y, epochs: int):
    """Baseline (b): a straightforward numpy loop, one row a step, no history."""
    W1, b1 = np.full((2, 2), 0.1), np.zeros(2)
    W2, b2 = np.full((2, 1), 0.1), np.zeros(1)
    for _ in range(epochs):
        for x, t in zip(X, y):
            h = x @ W1 + b1
            y_hat = h @ W2 + b2
            d = 2.0 * (y_hat - t)
            gW2, gb2 = np.outer(h, d), d
            dh = W2 @ d
            gW1, gb1 = np.outer(x, dh), dh
            W1, b1, W2, b2 = W1 - LR * gW1, b1 - LR * gb1, W2 - LR * gW2, b2 - LR * gb2
    return hp.flatten({"W1": W1, "b1": b1, "W2": W2, "b2": b2})


def bench_training(quick: bool) -> list[str]:
    ds = hp.load_students()
    X, y = ds.X, ds.y
    p = hp.init_params([2, 2, 1], weight=0.1)
    m = len(y)
    big, small = (5_000, 1_000) if quick else (25_000, 5_000)     # epochs: 100,000 and 20,000 steps
    runs = 3 if quick else 5

    def helpers_python():
        return hp.train(p, X, y, lr=LR, epochs=big, engine="python")

    def helpers_numpy():
        return hp.train(p, X, y, lr=LR, epochs=small, engine="numpy")

    t_py, hist = median_time(helpers_python, runs, cpu=True)
    t_floats, floats_params = median_time(lambda: floats_loop(X, y, big), runs, cpu=True)
    t_np, np_params = median_time(lambda: numpy_loop(X, y, small), runs, cpu=True)
    t_engine, hist_np = median_time(helpers_numpy, max(3, runs - 2), cpu=True)
    wall, _ = median_time(helpers_python, 3)
    for name, got, want in [("floats loop", floats_params, hist.params_flat[-1]),
                            ("numpy loop", np_params, hist_np.params_flat[-1])]:
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            raise SystemExit(f"{name} does not reach hp.train's parameters: {got} vs {want}")

    rows = [  # (label, steps, seconds)
        ("hp.train, engine='auto' (python), with History", big * m, t_py),
        ("(a) plain Python floats, no history", big * m, t_floats),
        ("(b) numpy per-sample loop, no history", small * m, t_np),
        ("hp.train, engine='numpy', with History", small * m, t_engine),
    ]
    us = {label: sec / steps * 1e6 for label, steps, sec in rows}
    mine = us[rows[0][0]]
    out = [f"1. Per-sample training, 2-2-1, weights 0.1, lr {LR}, median CPU time of {runs} runs",
           f"   {'':47} {'steps':>8} {'us/step':>8} {'hp.train / this':>16}"]
    for label, steps, _ in rows:
        out.append(f"   {label:47} {steps:>8,} {us[label]:>8.2f} {mine / us[label]:>15.2f}x")
    verdict = "meets" if mine <= TARGET_US else "MISSES"
    out.append(f"   hp.train: {mine:.2f} us/step CPU ({wall / (big * m) * 1e6:.2f} us/step wall clock) {verdict} "
               f"the target of {TARGET_US:g} us/step;")
    out.append("   the baselines reach the same parameters as hp.train (checked).")
    return out


def bench_slider_engines(quick: bool) -> list[str]:
    big = hp.load_students_large()
    Xs, _, _ = hp.standardise(big.X)
    p = hp.init_params([2, 2, 1], weight=0.1)
    runs = 3 if quick else 7
    out = [f"1b. 02's η slider: one retrain (2-2-1, 300 rows, 20 epochs, lr 0.01), median wall clock of {runs}",
           f"   {'batch size':>10} {'python (float loop)':>20} {'numpy (backward)':>17} {'gain':>6}  auto picks"]
    for batch in (10, 8, 1):
        t = {}
        for engine in ("python", "numpy"):
            t[engine], h = median_time(lambda e=engine: hp.train(p, Xs, big.y, lr=0.01, epochs=20, batch_size=batch,
                                                                   engine=e), runs)
            t[engine + " loss"] = h.epoch_loss[-1]
        if not np.isclose(t["python loss"], t["numpy loss"], rtol=1e-12):
            raise SystemExit(f"the engines disagree at batch {batch}: {t['python loss']} vs {t['numpy loss']}")
        auto = "python" if batch <= PYTHON_LOOP_MAX_BATCH else "numpy"
        out.append(f"   {batch:>10} {t['python'] * 1e3:>17.1f} ms {t['numpy'] * 1e3:>14.1f} ms "
                   f"{t['numpy'] / t['python']:>5.2f}x  {auto}")
    out.append("   both engines reach the same epoch losses (checked, rtol 1e-12); the control's budget is 100 ms.")
    return out


# ---- 2. backprop against finite differences ----

def bench_gradients(quick: bool) -> list[str]:
    rng = np.random.default_rng(0)
    out = ["2. One gradient (one row, sigmoid, mse): backprop vs centred differences, median CPU time",
           f"   {'layers':>16} {'params':>8} {'backprop':>11} {'numerical':>11} {'ratio':>9} {'rel. error':>10}"]
    # (layer sizes, calls a timing for backprop, for finite differences); 5 timings each, 1 for the largest
    cases = [([2, 2, 1], 200, 50), ([2, 16, 1], 200, 10), ([8, 64, 64, 1], 100, 1), ([32, 256, 256, 1], 20, 1)]
    for sizes, n_bp, n_num in cases:
        rep_num = 1 if quick or sizes[0] == 32 else 5
        p = hp.init_params(sizes, weight=None, seed=0)
        x, t = rng.normal(size=sizes[0]), 0.5
        n_params = hp.flatten(p).size
        bp, g_bp = median_time(lambda: hp.gradients(p, x, t, "sigmoid"), 5, cpu=True, number=n_bp)
        num, g_num = median_time(lambda: hp.numerical_gradients(p, x, t, activation="sigmoid"), rep_num, cpu=True,
                                 number=n_num)
        err = hp.relative_error(g_bp, g_num)
        out.append(f"   {str(sizes):>16} {n_params:>8,} {fmt_time(bp):>11} {fmt_time(num):>11} "
                   f"{num / bp:>8,.0f}x {err:>10.1e}")
    return out


def fmt_time(sec: float) -> str:
    return f"{sec * 1e6:.1f} us" if sec < 1e-3 else f"{sec * 1e3:.1f} ms" if sec < 1 else f"{sec:.2f} s"


# ---- 3. memory ----

def bench_memory(quick: bool) -> list[str]:
    ds = hp.load_students()
    epochs = 5_000 if quick else 25_000
    p = hp.init_params([2, 2, 1], weight=0.1)
    gc.collect()
    tracemalloc.start()
    hist = hp.train(p, ds.X, ds.y, lr=LR, epochs=epochs)
    _, peak = tracemalloc.get_traced_memory()
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return [f"3. Memory of train() on 2-2-1 for {hist.n_steps:,} steps",
            f"   History.nbytes {hist.nbytes / 1e6:.1f} MB; traced after train {kept / 1e6:.1f} MB; "
            f"peak during train {peak / 1e6:.1f} MB (limit for the History: 50 MB)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and repeats (a smoke run)")
    quick = parser.parse_args().quick
    print(f"numpy {np.__version__}; {'quick run' if quick else 'full run'}", flush=True)
    t0 = time.perf_counter()
    for part in (bench_training, bench_slider_engines, bench_gradients, bench_memory):
        print("\n".join(part(quick)), flush=True)
    print(f"(total {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
