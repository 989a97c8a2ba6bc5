"""Small notebooks that the browser tests, the latency benchmark and the README screenshot generate.

- `floor.ipynb`: a trivial ipywidgets slider whose observer sets a Label, the round-trip floor of the
  widget channel (the latency benchmark compares the stepper with it);
- `stepper.ipynb`: the course's stepper with its default set-up, on its own.
"""

from __future__ import annotations

from pathlib import Path

import labharness as lh

FLOOR = [
    "import ipywidgets as widgets\n"
    "slider = widgets.IntSlider(value=0, min=0, max=200, description='floor')\n"
    "label = widgets.Label('0')\n"
    "slider.observe(lambda change: setattr(label, 'value', str(change['new'])), 'value')\n"
    "widgets.VBox([slider, label])",
]
STEPPER = [
    "import helpers as hp\n"
    "hp.stepper()",
]


def write_all(folder: Path) -> dict[str, Path]:
    """Write the probe notebooks into folder; return their paths by name."""
    return {"floor": lh.write_notebook(folder / "floor.ipynb", FLOOR),
            "stepper": lh.write_notebook(folder / "stepper.ipynb", STEPPER)}
