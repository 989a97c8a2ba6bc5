"""The course's views where JupyterLab's CSS variables are absent, in Chromium: WCAG AA all the same.

- VS Code draws outputs on a white background and sets no `--jp-*` variable: the palette's Light fallbacks.
- Colab marks its dark theme with `html[theme=dark]` and sets no `--jp-*` variable either: the views' style
  sheet (palette.OUTSIDE_LAB_CSS) gives the variables dark values; checked on two of Colab's dark greys.
The page holds the stepper (mounted from helpers/display/stepper.js on its trace, with the style sheet
anywidget would add from the widget's `_css`, when the module is there; else its Python views and style sheet)
and the other widgets' views, as test_palette renders them; axe's colour-contrast rule and the SVG text check
of a11y.py measure them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import labharness as lh
import pytest

import helpers as hp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "display"))
from test_palette import rendered_views  # noqa: E402

# (attribute of <html>, the output's background, the host's text colour, which text without a colour inherits)
PAGES = {
    "VS Code, white, no --jp-* variables": ("", "#ffffff", "#000000"),
    "Colab dark (#1e1e1e), no --jp-* variables": (" theme='dark'", "#1e1e1e", "#e3e3e3"),
    "Colab dark (#383838), no --jp-* variables": (" theme='dark'", "#383838", "#e3e3e3"),
}


ROOT = Path(__file__).resolve().parents[2]


def mounted_stepper() -> str:
    """The stepper as the browser draws it (stepper.js on its trace, the site's in-page model), or ''."""
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    script = builder.mount_script(ROOT)
    if not script:
        return ""
    st = hp.stepper()
    css = getattr(st, "_css", None) or ""                # anywidget adds the widget's _css to the page
    if isinstance(css, Path) or (isinstance(css, str) and css.endswith(".css") and Path(css).is_file()):
        css = Path(css).read_text(encoding="utf-8")
    return (f"<style>{css}</style><section class='jp-OutputArea-output' aria-label='stepper'>"
            f"<div class='bp-site-stepper'><script type='application/json' class='bp-trace'>"
            f"{builder.script_json(st.trace)}</script><div class='bp-fallback'></div></div></section>{script}")


@pytest.fixture(scope="module")
def views_html():
    views = {name: html for name, html in rendered_views().items() if html.lstrip().startswith("<")}
    body = "".join(f"<section class='jp-OutputArea-output' aria-label='{name}'>{html}</section>"
                   for name, html in views.items())
    return body + mounted_stepper()


@pytest.mark.parametrize("where", list(PAGES))
def test_views_reach_aa_without_jupyterlab_variables(chromium, views_html, where):
    attr, background, colour = PAGES[where]
    page = chromium.new_page(viewport=lh.VIEWPORT)
    try:
        page.set_content(f"<!DOCTYPE html><html lang='en'{attr}><head><meta charset='utf-8'><title>outputs</title>"
                         f"</head><body style='background:{background};color:{colour};margin:8px'>{views_html}"
                         "</body></html>")
        if "bp-site-stepper" in views_html:
            page.wait_for_function("() => document.documentElement.dataset.steppers === 'mounted'", timeout=20_000)
        assert page.evaluate("() => getComputedStyle(document.documentElement)"
                             ".getPropertyValue('--jp-layout-color0')") == ("" if not attr else "#1e1e1e")
        from axe_playwright_python.sync_playwright import Axe

        result = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
        low = [f"{' '.join(n['target'])}: {n['failureSummary'][:200]}" for v in result.response["violations"]
               for n in v["nodes"]]
        texts = lh.svg_text_contrast(page, "section")
        svg = [t for t in texts if t["ratio"] < t["need"]]
        assert len(texts) > 50, f"only {len(texts)} SVG texts measured"
        assert not low and not svg, f"{where}:\n" + "\n".join(low[:15] + [str(t) for t in svg[:15]])
    finally:
        page.close()
