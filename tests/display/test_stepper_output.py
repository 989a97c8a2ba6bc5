"""The stepper's stored output in the notebooks: beside the widget view, a static picture of its first stage
(`text/html`, an SVG that parses, with that stage's numbers) and its trace (`application/vnd.backprop.stepper+json`),
the one a page without a kernel mounts `stepper.js` on. A code host shows the picture; JupyterLab the widget."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import helpers as hp
from helpers.display.stepper import MIME

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb")) + \
    [Path(__file__).resolve().parents[2] / "present" / "stepper.ipynb"]


def stepper_outputs(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "stepper(" in "".join(cell["source"]):
            out += [o["data"] for o in cell.get("outputs", []) if "Stepper(" in "".join(o.get("data", {})
                                                                                      .get("text/plain", ""))]
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_stored_stepper_carries_its_picture_and_trace(path):
    found = stepper_outputs(path)
    if not found:
        pytest.skip(f"{path.name}: no stored stepper output")
    for data in found:
        assert MIME in data and "text/html" in data, f"{path.name}: re-execute it (make notebooks)"
        t = data[MIME]
        page = "".join(data["text/html"])
        svg = re.search(r"<svg class='bp-diagram'.*?</svg>", page, re.S).group(0)
        root = ET.fromstring(svg)
        shown = {g.get("data-node"): g.get("data-value") for g in root.iter("{http://www.w3.org/2000/svg}g")
                 if g.get("data-node")}
        first = t["steps"][0]
        assert shown == {**first["nodes"], "L": first["L"]}
        again = eval(t["setup"] + ", step=1)", {"hp": hp})       # the trace is the one the set-up builds
        assert again.trace == t
