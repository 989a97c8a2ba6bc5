"""Render the README's pictures: the stepper in JupyterLab, Light (docs/stepper.png) and Dark (--theme dark).

It starts a throwaway JupyterLab on 127.0.0.1 over a temporary folder holding a one-cell notebook
(`hp.stepper()`), opens it in headless Chromium (Debian's /usr/bin/chromium, through playwright), runs it,
presses "next ▶" twice to show the chain-rule derivatives, jumps to epoch 2 (so that the loss curve has a past),
clicks ∂L/∂w11^1 to show its factors (the path they run along lit in the diagram), and saves the JupyterLab
window as a small PNG (256 colours). Re-running it replaces the picture.

    .venv/bin/python tools/screenshot_readme.py [--theme light|dark] [--out docs/stepper.png]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import labharness as lh  # noqa: E402

CELL = "import helpers as hp\nhp.stepper()"
VIEWPORT = {"width": 1320, "height": 1000}
MAX_BYTES = 150_000


def small_png(png: bytes) -> bytes:
    """The screenshot with its colours reduced to a 256-colour palette, for a small file."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", choices=["light", "dark"], default="light")
    parser.add_argument("--out", type=Path, default=None, help="default docs/stepper.png, docs/stepper-dark.png")
    args = parser.parse_args()
    args.out = args.out or ROOT / "docs" / ("stepper.png" if args.theme == "light" else "stepper-dark.png")
    theme = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}[args.theme]
    missing = lh.browser_missing()
    if missing:
        print(f"screenshot_readme: cannot run, {missing}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="readme-shot-") as tmp:
        lh.write_notebook(Path(tmp) / "backprop_stepper.ipynb", [CELL])
        with lh.LabServer(Path(tmp), theme=theme) as server, sync_playwright() as pw:
            browser = lh.launch_chromium(pw)
            nb = lh.LabNotebook(browser, server, "backprop_stepper.ipynb")
            nb.page.set_viewport_size(VIEWPORT)
            nb.open()
            nb.run_all()
            errors = nb.errors()
            if errors:
                print("the stepper failed to run:\n" + "\n".join(errors), file=sys.stderr)
                return 1
            root = nb.notebook.locator(".jp-OutputArea-output").filter(has=nb.page.locator(".bp-stage")).first
            for _ in range(2):                               # forward -> loss -> derivatives
                root.locator(".bp-stepper button:text-is('next ▶')").click()
            root.locator(".bp-stage[data-step='0'][data-stage='derivatives']").wait_for()
            epoch = root.locator("input[aria-label='jump to epoch']")
            epoch.fill("2")                                  # a step with some loss curve behind it
            epoch.press("Enter")
            root.locator(".bp-stage[data-step='4'][data-stage='derivatives']").wait_for()
            root.locator(".bp-deriv[data-param='w11^1']").click()       # its factors, its path lit
            root.locator(".bp-explainer button.bp-factor[data-factor='1']").click()
            nb.page.mouse.move(0, VIEWPORT["height"] - 1)     # no hover highlight in the picture
            nb.page.evaluate("() => document.activeElement && document.activeElement.blur()")
            nb.page.wait_for_timeout(300)
            png = small_png(nb.page.screenshot())
            nb.close()
            browser.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(png)
    note = "" if len(png) <= MAX_BYTES else f" (above the {MAX_BYTES // 1000} KB aim)"
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
          f"{VIEWPORT['width']}x{VIEWPORT['height']}, {len(png) // 1000} KB{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
