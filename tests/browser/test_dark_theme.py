"""Each notebook in JupyterLab Dark: Run All gives no error, and its outputs pass the accessibility checks of
`a11y` (axe's WCAG rules, and the contrast of every SVG text). The Light run is in test_notebooks_in_lab."""

from __future__ import annotations

import re

import a11y
import labharness as lh
import pytest
from labharness import require_browser

pytestmark = pytest.mark.browser

NOTEBOOKS = [f"notebooks/{p.name}" for p in sorted(lh.NOTEBOOKS.glob("*.ipynb"))]


@pytest.fixture(scope="module")
def dark_server(lab_root, tmp_path_factory):
    """A second JupyterLab over the same root, set to the Dark theme."""
    require_browser()
    server = lh.LabServer(lab_root, state_dir=tmp_path_factory.mktemp("lab-dark"), theme="JupyterLab Dark").start()
    yield server
    server.stop()


@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_outputs_accessible_in_dark_theme(relpath, dark_server, chromium, tmp_path):
    nb = lh.LabNotebook(chromium, dark_server, relpath, workspace="dark-" + re.sub(r"\W", "-", relpath)).open()
    try:
        nb.run_all()
        assert a11y.theme_of(nb.page) == "dark"
        assert not nb.errors(), nb.errors()
        nb.page.screenshot(path=tmp_path / "dark.png", full_page=False)
        a11y.check_outputs(nb)
    finally:
        nb.close()
        dark_server.shutdown_kernels()
