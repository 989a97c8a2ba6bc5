"""How fast the stepper answers: kernel-side time from a slider move to the new HTML/SVG strings.

    .venv/bin/python benchmarks/bench_stepper.py

1. Every stage position of a 5-epoch run on the student dataset (2-2-1, 20 steps, 80 positions): the time
   from setting `slider.value` in Python until every view's new string is assigned (the callbacks run
   synchronously). Target: median <= 10 ms.
2. The same steps drawn the usual way: one matplotlib figure (default size) with one axes, its line and marker
   updated, then saved to PNG. Target: the stepper at least 10x faster.
3. Changing the learning rate on a 1,000-step run (250 epochs): training again and redrawing. Target <= 100 ms.

It prints the figures; it does not fail on a slow machine. Run as a script, the widgets have no frontend, so
their messages go nowhere; run inside a kernel (e.g. `%run benchmarks/bench_stepper.py` in a notebook) to
include the cost of sending each changed value to the browser.
"""

from __future__ import annotations

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")                      # in this script only: no display here
import matplotlib.pyplot as plt  # noqa: E402

import helpers as hp  # noqa: E402


def stepper_times(st) -> list[float]:
    """Seconds for each slider move over every stage position, in order."""
    st.slider.value = st.slider.max
    out = []
    for pos in range(st.slider.max + 1):
        t = time.perf_counter()
        st.slider.value = pos
        out.append(time.perf_counter() - t)
    return out


def matplotlib_times(losses) -> list[float]:
    """Seconds to redraw a one-axes line figure of the losses so far, with a marker, to PNG, a step at a time."""
    fig, ax = plt.subplots()               # matplotlib's default figure: 6.4 x 4.8 inches at 100 dpi
    line, = ax.plot([], [])
    mark, = ax.plot([], [], "o")
    ax.set_yscale("log")
    ax.set_xlim(0, len(losses))
    ax.set_ylim(min(losses) / 2, max(losses) * 2)
    out = []
    for k in range(len(losses)):
        t = time.perf_counter()
        line.set_data(range(k + 1), losses[: k + 1])
        mark.set_data([k], [losses[k]])
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        out.append(time.perf_counter() - t)
    plt.close(fig)
    return out


def retrain_times(repeats: int = 5) -> tuple[list[float], int]:
    """Seconds to retrain and redraw after a learning-rate change on a 1,000-step run."""
    st = hp.stepper(epochs=250, weight=0.1)
    st.slider.value = 2000
    out = []
    for i in range(repeats):
        t = time.perf_counter()
        st.lr.value = 0.002 if i % 2 == 0 else 0.001
        out.append(time.perf_counter() - t)
    return out, st.history.n_steps


def main() -> None:
    st = hp.stepper()                      # the worked example: 5 epochs, 20 steps, 80 stage positions
    stepper_times(st)                      # warm up (imports, caches)
    moves = stepper_times(st)
    mpl = matplotlib_times(st.history.step_loss.tolist())
    retrain, n = retrain_times()
    ms = lambda s: f"{1e3 * s:.2f} ms"  # noqa: E731
    med, mpl_med = statistics.median(moves), statistics.median(mpl)
    print(f"stepper, slider move -> new views ({len(moves)} moves, 2-2-1, 5 epochs): median {ms(med)}, "
          f"max {ms(max(moves))}   [target <= 10 ms: {'met' if med <= 0.010 else 'MISSED'}]")
    print(f"matplotlib one-axes line figure to PNG ({len(mpl)} redraws): median {ms(mpl_med)}")
    ok = "met" if mpl_med >= 10 * med else "MISSED"
    print(f"ratio matplotlib / stepper: {mpl_med / med:.0f}x   [target >= 10x: {ok}]")
    rmed = statistics.median(retrain)
    print(f"learning-rate change, retrain + redraw of a {n}-step history ({len(retrain)} changes): median {ms(rmed)}, "
          f"max {ms(max(retrain))}   [target <= 100 ms: {'met' if rmed <= 0.100 else 'MISSED'}]")


if __name__ == "__main__":
    main()
