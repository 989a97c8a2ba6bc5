"""The presentation view (`make present`): Voilà shows present/stepper.ipynb without its code, and the
stepper's slider drives the diagram there as it does in JupyterLab, with no error in the page's console.

The stepper is read and checked with the same functions as in JupyterLab (test_notebooks_in_lab.py): every
number shown is compared with `hp.train` on the stepper's set-up, read from the notebook's source.
"""

from __future__ import annotations

import json
import types

import labharness as lh
import pytest
from test_notebooks_in_lab import StepperView, check_numbers, stepper_setup, train_like_stepper

pytestmark = pytest.mark.browser

PRESENT = lh.ROOT / "present" / "stepper.ipynb"


@pytest.fixture(scope="module")
def voila(chromium, tmp_path_factory):
    """Voilà on 127.0.0.1 and a free port, showing present/stepper.ipynb; stopped with SIGTERM at the end."""
    server = lh.VoilaServer(PRESENT, state_dir=tmp_path_factory.mktemp("voila-state")).start()
    yield server
    server.stop()


def test_slider_moves_the_stepper_in_voila(voila, chromium, tmp_path):
    context = chromium.new_context(viewport=lh.VIEWPORT)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    try:
        page.goto(voila.page_url())
        view = StepperView(types.SimpleNamespace(page=page, notebook=page.locator("body")))
        view.root.locator(".bp-stage").wait_for(timeout=90_000)      # Voilà runs the notebook first
        code = page.locator(".jp-InputArea-editor, .jp-CodeCell .jp-InputArea").or_(page.get_by_text("hp.stepper()"))
        assert code.count() == 0, "Voilà shows the code; the presentation hides it"
        nb_json = json.loads(PRESENT.read_text(encoding="utf-8"))
        setup = stepper_setup(nb_json, len(nb_json["cells"]) - 1)
        assert setup is not None, "present/stepper.ipynb: the stepper's set-up is not plain literals"
        hist = train_like_stepper(setup)

        first = view.wait_for(0, "forward")
        check_numbers(first, hist, 0, "forward")
        for _ in range(5):                                     # the keyboard: 5 stages on, step 1's loss
            view.handle.press("ArrowRight")
        moved = view.wait_for(1, "loss")
        check_numbers(moved, hist, 1, "loss")
        assert moved["nodes"] != first["nodes"], "the diagram's numbers did not change with the slider"

        box = view.slider.bounding_box()                       # the mouse: click the slider's far end
        page.mouse.click(box["x"] + box["width"] - 1, box["y"] + box["height"] / 2)
        last = hist.n_steps - 1
        end = view.wait_for(last, "update")
        check_numbers(end, hist, last, "update")
        assert end["nodes"] != moved["nodes"], "the diagram's numbers did not change with the slider"
        page.screenshot(path=tmp_path / "present-voila.png")
        assert not problems, "the Voilà page reported errors:\n" + "\n".join(problems)
    finally:
        context.close()
