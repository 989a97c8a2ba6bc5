"""Latency as the learner feels it: from an ArrowRight on the stepper's slider to the updated diagram.

In one JupyterLab session in headless Chromium, this measures the median time from the keydown event on
a slider's handle to the DOM mutation that shows the result, over 30 steps:

- the stepper (`hp.stepper()`): until the diagram has changed and the equations show the new stage;
- a trivial ipywidgets slider whose observer sets a Label: the round trip of the widget channel itself,
  the floor that no widget can beat.

It prints both medians and their ratio (target: the stepper within 1.5x of the floor). A benchmark, not a
test: figures vary with the machine's load, and nothing is asserted. Needs /usr/bin/chromium and playwright.

    .venv/bin/python benchmarks/bench_latency.py [--steps 30]
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
import probes  # noqa: E402

TARGET = 1.5
WARMUP = 3


def floor_latencies(nb: lh.LabNotebook, steps: int) -> list[float]:
    """Seconds from ArrowRight to the Label showing the slider's new value, one per step."""
    handle = nb.notebook.locator(".widget-slider .noUi-handle[role=slider]").first
    out = []
    for k in range(1, WARMUP + steps + 1):
        done = f"() => [...document.querySelectorAll('.widget-label')].some(e => e.textContent === '{k}')"
        t = lh.time_key_to_dom(nb.page, handle, "ArrowRight", done)
        if k > WARMUP:
            out.append(t)
    return out


def stepper_latencies(nb: lh.LabNotebook, steps: int) -> list[float]:
    """Seconds from ArrowRight on the stepper's step slider to the new diagram (and stage) in the DOM."""
    root = nb.notebook.locator(".jp-OutputArea-output").filter(has=nb.page.locator(".bp-stage")).first
    step_label = nb.page.locator(".widget-label", has_text="step")
    handle = root.locator(".widget-slider").filter(has=step_label).locator(".noUi-handle[role=slider]").first
    stages = ("forward", "loss", "derivatives", "update")
    out = []
    for pos in range(1, WARMUP + steps + 1):
        before = root.locator("svg.bp-diagram").evaluate("(e) => e.outerHTML")
        nb.page.evaluate("(html) => { window.__bpDiagramBefore = html; }", before)
        done = ("() => { const d = document.querySelector('svg.bp-diagram'); "
                "return d && d.outerHTML !== window.__bpDiagramBefore && "
                f"document.querySelector(\".bp-stage[data-step='{pos // 4}'][data-stage='{stages[pos % 4]}']\")"
                " !== null; }")
        t = lh.time_key_to_dom(nb.page, handle, "ArrowRight", done)
        if pos > WARMUP:
            out.append(t)
    return out


def summary(name: str, ts: list[float]) -> str:
    q = statistics.quantiles(ts, n=10)
    return (f"{name:<26} median {1000 * statistics.median(ts):6.1f} ms   p10 {1000 * q[0]:6.1f} ms   "
            f"p90 {1000 * q[-1]:6.1f} ms   ({len(ts)} steps)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="measured steps for each slider (default 30)")
    args = parser.parse_args()
    missing = lh.browser_missing()
    if missing:
        print(f"bench_latency: skipped, {missing}")
        return 0
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        probes.write_all(Path(tmp) / "probes")
        with lh.LabServer(Path(tmp)) as server, sync_playwright() as pw:
            browser = lh.launch_chromium(pw)
            results = {}
            for name, path, measure in (("floor (slider -> Label)", "probes/floor.ipynb", floor_latencies),
                                        ("stepper (slider -> diagram)", "probes/stepper.ipynb",
                                         stepper_latencies)):
                nb = lh.LabNotebook(browser, server, path).open()
                nb.run_all()
                errors = nb.errors()
                if errors:
                    print(f"{path} failed to run:\n" + "\n".join(errors))
                    return 1
                results[name] = measure(nb, args.steps)
                nb.close()
                server.shutdown_kernels()
            browser.close()
    floor, stepper = results.values()
    ratio = statistics.median(stepper) / statistics.median(floor)
    print("Latency from ArrowRight on a slider to the updated DOM, JupyterLab + headless Chromium:")
    for name, ts in results.items():
        print("  " + summary(name, ts))
    verdict = "within" if ratio <= TARGET else "ABOVE"
    print(f"  ratio stepper / floor: {ratio:.2f}x ({verdict} the {TARGET}x target)")
    print(f"  (total {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
