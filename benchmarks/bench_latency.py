"""Latency as the learner feels it: from a key press on a slider to the changed DOM, in JupyterLab + Chromium.

In one JupyterLab session in headless Chromium, measured in the page (`performance.now()` at the keydown, a
`MutationObserver` for the first mutation after which the result shows; playwright's polling is too coarse),
median and worst over N moves (default 40) of:

- the stepper (`hp.stepper()`), kernel idle: ArrowRight on its step slider until the equations show the new stage
  and the diagram has changed;
- the same while another cell keeps the kernel busy with pure-Python work (a loop that never yields);
- a slider's own readout (an ipywidgets IntSlider): drawn in the browser, the baseline no view can beat;
- a trivial kernel round trip: a slider whose Python observer sets a Label.

Targets: the stepper's median move <= 16 ms (one frame), idle and busy alike. It prints; it never fails on a slow
machine. Needs /usr/bin/chromium and playwright. It also measures the stepper of an older checkout (the Python
round-trip stepper, ipywidgets slider): run it with that checkout's Python to get the "before" figures.

    .venv/bin/python benchmarks/bench_latency.py [--moves 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import labharness as lh  # noqa: E402

TARGET_MS = 16.0
WARMUP = 3
STAGES = ("forward", "loss", "derivatives", "update")
CELLS = [
    "import ipywidgets as widgets\n"
    "floor = widgets.IntSlider(value=0, min=0, max=500, description='floor')\n"
    "label = widgets.Label('0')\n"
    "floor.observe(lambda change: setattr(label, 'value', str(change['new'])), 'value')\n"
    "widgets.VBox([floor, label])",
    "widgets.IntSlider(value=0, min=0, max=500, description='readout')",
    "import helpers as hp\n"
    "hp.stepper(epochs=25)",
    "import time\n"
    "def busy(seconds):\n"
    "    t0, n = time.perf_counter(), 0\n"
    "    while time.perf_counter() - t0 < seconds:\n"
    "        n += 1\n"
    "    return n",
    "n = 0",
]


def slider_handle(nb, description: str):
    label = nb.page.locator(".widget-label", has_text=description)
    return nb.notebook.locator(".widget-slider").filter(has=label).locator(".noUi-handle[role=slider]").first


def readout_latencies(nb, moves: int) -> list[float]:
    """ArrowRight on a plain slider until its own readout shows the new value: browser only."""
    handle = slider_handle(nb, "readout")
    out = []
    for k in range(1, WARMUP + moves + 1):
        done = ("() => [...document.querySelectorAll('.widget-readout')].some(e => e.textContent.trim() === "
                f"'{k}' && e.closest('.widget-slider').textContent.includes('readout'))")
        out.append(lh.time_key_to_dom(nb.page, handle, "ArrowRight", done))
    return out[WARMUP:]


def floor_latencies(nb, moves: int) -> list[float]:
    """ArrowRight on a slider until the Label its Python observer sets shows the value: one kernel round trip."""
    handle = slider_handle(nb, "floor")
    out = []
    for k in range(1, WARMUP + moves + 1):
        done = f"() => [...document.querySelectorAll('.widget-label')].some(e => e.textContent === '{k}')"
        out.append(lh.time_key_to_dom(nb.page, handle, "ArrowRight", done))
    return out[WARMUP:]


def stepper_target(nb):
    """The stepper's step slider: the browser renderer's range input, or (an older stepper) its ipywidgets slider."""
    new = nb.notebook.locator(".bp-stepper input[type=range]")
    if new.count():
        return new.first
    root = nb.notebook.locator(".jp-OutputArea-output").filter(has=nb.page.locator(".bp-stage")).first
    step_label = nb.page.locator(".widget-label", has_text="step")
    return root.locator(".widget-slider").filter(has=step_label).locator(".noUi-handle[role=slider]").first


def stepper_latencies(nb, moves: int, start: int, timeout_ms: int = 30_000) -> list[float] | None:
    """ArrowRight on the stepper's step slider until the new stage's equations and a changed diagram show; None
    when a move gets no answer within timeout_ms (a stepper that needs the kernel, while the kernel is busy)."""
    target = stepper_target(nb)
    out = []
    for pos in range(start + 1, start + WARMUP + moves + 1):
        nb.page.evaluate("() => { const d = document.querySelector('svg.bp-diagram'); "
                         "window.__bpDiagramBefore = d ? d.outerHTML : null; }")
        done = ("() => { const d = document.querySelector('svg.bp-diagram'); "
                "return d && d.outerHTML !== window.__bpDiagramBefore && "
                f"document.querySelector(\".bp-stage[data-step='{pos // 4}'][data-stage='{STAGES[pos % 4]}']\")"
                " !== null; }")
        try:
            out.append(lh.time_key_to_dom(nb.page, target, "ArrowRight", done, timeout_ms=timeout_ms))
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: no answer
            return None
    return out[WARMUP:]


def run_busy(nb, seconds: int) -> None:
    """Start a pure-Python loop in the last cell; return once the kernel says it is busy."""
    cell = nb.notebook.locator(".jp-Cell").last
    cell.locator(".cm-content").click()
    nb.page.keyboard.press("Control+A")
    nb.page.keyboard.insert_text(f"n = busy({seconds})")
    nb.page.keyboard.press("Control+Enter")
    nb.page.locator(".jp-Notebook-ExecutionIndicator[data-status='busy']").first.wait_for(timeout=10_000)


def summary(name: str, ts: list[float] | None) -> str:
    if ts is None:
        return f"{name:<44} no answer within 30 s (each move waits for the kernel)"
    med, worst = 1000 * statistics.median(ts), 1000 * max(ts)
    return f"{name:<44} median {med:6.1f} ms   worst {worst:6.1f} ms   ({len(ts)} moves)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=40, help="measured moves for each case (default 40)")
    args = parser.parse_args()
    missing = lh.browser_missing()
    if missing:
        print(f"bench_latency: skipped, {missing}")
        return 0
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        lh.write_notebook(Path(tmp) / "latency.ipynb", CELLS)
        with lh.LabServer(Path(tmp)) as server, sync_playwright() as pw:
            browser = lh.launch_chromium(pw)
            nb = lh.LabNotebook(browser, server, "latency.ipynb").open()
            nb.run_all()
            if nb.errors():
                print("latency.ipynb failed to run:\n" + "\n".join(nb.errors()))
                return 1
            results = {}
            stepper_target(nb).scroll_into_view_if_needed()
            results["stepper, kernel idle"] = stepper_latencies(nb, args.moves, 0)
            run_busy(nb, 600)
            busy_start = time.perf_counter()
            results["stepper, kernel busy (pure-Python loop)"] = stepper_latencies(nb, args.moves, args.moves + WARMUP)
            still = nb.page.locator(".jp-Notebook-ExecutionIndicator[data-status='busy']").count() > 0
            busy_for = time.perf_counter() - busy_start
            nb.menu("Kernel", "Interrupt Kernel")
            nb.wait_kernel_idle()
            results["a slider's own readout (browser only)"] = readout_latencies(nb, args.moves)
            results["trivial kernel round trip (slider -> Label)"] = floor_latencies(nb, args.moves)
            nb.close()
            browser.close()
    print("Latency from a key press on a slider to the changed DOM, JupyterLab + headless Chromium, in the page:")
    for name, ts in results.items():
        print("  " + summary(name, ts))
    for name in ("stepper, kernel idle", "stepper, kernel busy (pure-Python loop)"):
        if results[name] is None:
            continue
        med = 1000 * statistics.median(results[name])
        verdict = "within" if med <= TARGET_MS else "ABOVE"
        print(f"  {name}: median {med:.1f} ms, {verdict} the {TARGET_MS:.0f} ms target")
    print(f"  (the kernel was {'still' if still else 'NOT'} busy after the {busy_for:.1f} s of busy moves; "
          f"total {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
