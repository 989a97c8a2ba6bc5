"""How fast the stepper trains again, kernel-side, and how big the trace it sends is.

    .venv/bin/python benchmarks/bench_stepper.py

Moves (slider, buttons, keys) never reach the kernel: the browser draws them from the trace (bench_latency.py
measures them in Chromium). What still runs in Python is a change of η, the weights, the epochs or the data,
sent by the browser as `request`: train again and build the new trace.

1. The worked example (20 steps): η changed 20 times through `request`. Target: median <= 100 ms.
2. The longest run the stepper shows (1,000 steps, 250 epochs): the same. Target: median <= 100 ms.
3. The trace's size as JSON for both (bounded: at most a few MB whatever the run).

It prints the figures; it does not fail on a slow machine. Run as a script the widget has no front end, so the
trace goes nowhere; the time to serialise it is included (json.dumps), as the comm would.
"""

from __future__ import annotations

import json
import statistics
import time

import helpers as hp


def retrain_times(st, repeats: int) -> list[float]:
    """Seconds from a `request` with a new η to the new trace serialised, `repeats` times."""
    base = {"weight": "1", "epochs": str(st.history.epochs), "rows": st.trace["rows"]}
    out = []
    for i in range(repeats):
        t = time.perf_counter()
        st.request = {**base, "lr": "0.002" if i % 2 == 0 else "0.001", "id": i, "position": 9}
        json.dumps(st.trace)
        out.append(time.perf_counter() - t)
        assert "error" not in st.trace
    return out


def main() -> None:
    ms = lambda s: f"{1e3 * s:.1f} ms"  # noqa: E731
    for label, st, repeats in (("worked example, 20 steps", hp.stepper(), 20),
                               ("250 epochs, 1000 steps", hp.stepper(epochs=250, weight=0.1), 6)):
        retrain_times(st, 2)                       # warm up
        ts = retrain_times(st, repeats)
        med = statistics.median(ts)
        size = len(json.dumps(st.trace))
        print(f"retrain after an η change, {label} ({repeats} changes): median {ms(med)}, max {ms(max(ts))}   "
              f"[target <= 100 ms: {'met' if med <= 0.100 else 'MISSED'}]; trace {size / 1e6:.2f} MB")
    t = time.perf_counter()
    st = hp.stepper(epochs=250000)
    print(f"hp.stepper(epochs=250000): capped to {st.history.epochs} epochs in {ms(time.perf_counter() - t)}, trace "
          f"{len(json.dumps(st.trace)) / 1e6:.2f} MB ({st.trace['warning'][:60]}...)")


if __name__ == "__main__":
    main()
