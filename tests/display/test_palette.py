"""Colours: every view takes them from `palette` (theme CSS variables with light fallbacks); no view writes a
colour literal of its own. Checked on the rendered views and on the display modules' source."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import helpers as hp
from helpers.display import palette, widgets

DISPLAY = Path(hp.__file__).parent / "display"
VAR = re.compile(r"var\(--jp-[\w-]+, (?:[^()]|\([^()]*\))*\)")
LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\b(?:white|black|gray|grey|red|blue|green|orange|navy)\b"
                     r"(?=[;'\"\s)])")


def literals(text: str) -> list[str]:
    """Colour literals left once palette's CSS variables (with their fallbacks) and data colours are removed."""
    text = VAR.sub("", text).replace(palette.OUTSIDE_LAB_CSS, "")    # Colab dark's stand-ins for the variables
    for c in palette.LEVELS:
        text = text.replace(c, "")
    return [m.group(0) for m in LITERAL.finditer(text)]


def rendered_views() -> dict[str, str]:
    ds = hp.load_students()
    start = hp.init_params([2, 2, 1], weight=0.1)
    st = hp.stepper()
    out = {"trace": json.dumps(st.trace, ensure_ascii=False), "fallback": st.fallback_html()}
    out["renderer"] = (DISPLAY / "stepper.js").read_text(encoding="utf-8")     # its CSS takes the trace's colours
    out["diagram"] = hp.network_diagram(start, x=[8, 8]).value
    b = widgets.one_weight_slider()
    out |= {"one weight": b.figure.value, "one weight numbers": b.numbers.value}
    b = widgets.training_sliders(start, ds.X, ds.y, lr=0.001, epochs=10, batch_size=1, reference=0.5)
    out |= {"training": b.figure.value, "training summary": b.summary.value}
    out["picker"] = widgets.init_picker(ds.X, ds.y, epochs=5).result.value
    b = widgets.landscape_explorer(start, ds.X, ds.y, epochs=5, a_values=np.linspace(-0.6, 0.6, 9),
                                   b_values=np.linspace(-0.2, 1.2, 9))
    out |= {"landscape": b.figure.value, "landscape summary": b.summary.value}
    return out


@pytest.mark.parametrize("name, text", list(rendered_views().items()))
def test_views_write_no_colour_literal(name, text):
    assert text and not literals(text), f"{name}: colour literals {literals(text)[:5]}"


@pytest.mark.parametrize("module", ["svg.py", "charts.py", "trace.py", "stepper.py", "stepper.js", "widgets.py",
                                    "tables.py", "../text.py"])
def test_display_modules_write_no_colour_literal(module):
    assert not literals((DISPLAY / module).read_text(encoding="utf-8")), module


def test_the_checker_catches_literals_and_passes_palette_colours():
    assert literals("fill='#102a43'") == ["#102a43"] and literals("stroke:white;") == ["white"]
    assert literals(f"style='fill:{palette.TEXT1};stroke:{palette.PAGE}'") == []
    assert palette.paint(palette.TEXT1, palette.PAGE) == (f" style='fill:{palette.TEXT1};stroke:{palette.PAGE}'")


def test_svg_text_never_dims_with_opacity():
    """Dimmed text is TEXT2 (still AA), so no group that holds text carries an opacity below 1."""
    st = hp.stepper()
    for group in re.findall(r"<g [^>]*opacity='([0-9.]+)'[^>]*>(.*?)</g>", st.trace["diagram"]):
        assert float(group[0]) == 1.0 or "<text" not in group[1]
    js = (DISPLAY / "stepper.js").read_text(encoding="utf-8")       # the browser dims edges only, never text
    assert re.findall(r"\.(bp-[\w-]+)\.bp-off\{opacity", js) == ["bp-edge"]
