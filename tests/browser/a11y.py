"""The accessibility checks of a notebook's outputs in JupyterLab, shared by the Light and Dark browser tests.

- axe-core (bundled by axe-playwright-python, nothing downloaded) runs its WCAG 2 A/AA rules on the output
  areas; serious and critical violations fail;
- axe does not judge SVG <text>, so `labharness.svg_text_contrast` computes each one's contrast against what
  lies beneath it (a shape, a halo, or the page): 4.5:1, or 3:1 for large text and diagram labels.
"""

from __future__ import annotations

import labharness as lh

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Two gaps inside ipywidgets' own views, which a widget's Python side cannot reach (no attribute of the
# model becomes the handle's or the Play buttons' aria-label). They are listed here, exactly, so that any
# other violation, or these rules on any other element, still fails:
UPSTREAM = {
    "aria-input-field-name": ".noUi-handle",       # ipywidgets sliders: noUiSlider's handle has no name
    "button-name": ".widget-play > .jupyter-button",  # ipywidgets Play: icon-only buttons
    # NOT upstream, an open gap of this course: JupyterLab shows a matplotlib PNG as an <img> with no alt
    # text. The widgets' charts are SVG with a text alternative; the static figures still need one.
    "image-alt": ".jp-RenderedImage img",
}


def theme_of(page) -> str:
    """'light' or 'dark', as JupyterLab's body says."""
    return "light" if page.evaluate("() => document.body.dataset.jpThemeLight") == "true" else "dark"


def axe_violations(page) -> list[str]:
    """Serious and critical axe violations in the output areas, one line each (rule, impact, first targets)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, context={"include": [[".jp-OutputArea-output"]]},
                       options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    out = []
    for v in result.response["violations"]:
        known = UPSTREAM.get(v["id"])
        nodes = [n for n in v["nodes"] if not (known and page.locator(" ".join(n["target"])).evaluate(
            f"(e) => e.matches({known!r})"))]
        v = dict(v, nodes=nodes)
        if nodes and v["impact"] in ("serious", "critical"):
            where = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} at {where}")
    return out


def contrast_failures(page) -> tuple[int, list[dict]]:
    """How many SVG texts were measured, and those below their AA ratio."""
    found = lh.svg_text_contrast(page)
    return len(found), [t for t in found if t["ratio"] < t["need"]]


def check_outputs(nb) -> None:
    """Fail with every axe violation and SVG contrast failure of the open notebook's outputs."""
    problems = axe_violations(nb.page)
    n, low = contrast_failures(nb.page)
    problems += [f"SVG text {t['text']!r} in {t['svg']}: contrast {t['ratio']}:1, needs {t['need']}:1" for t in low]
    assert not problems, f"{nb.relpath} in {theme_of(nb.page)} theme ({n} SVG texts measured):\n" + "\n".join(problems)
