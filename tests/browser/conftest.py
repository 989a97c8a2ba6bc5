"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium for all of them.

The server serves a temporary root holding clean copies of notebooks/*.ipynb (no outputs, no widget
state) and the small probe notebooks of `probes.py`. When Chromium or playwright is missing the browser
tests are skipped with the reason; with REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import labharness as lh
import probes
import pytest
from labharness import require_browser


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives the notebooks in JupyterLab with headless Chromium (tests/browser/)")


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory):
    """A temporary root: notebooks/ with clean copies of the course's notebooks, and probes/."""
    root = tmp_path_factory.mktemp("lab-root")
    for src in sorted(lh.NOTEBOOKS.glob("*.ipynb")):
        lh.clean_copy(src, root / "notebooks" / src.name)
    probes.write_all(root / "probes")
    return root


@pytest.fixture(scope="session")
def data_before():
    """The digests of data/ before any notebook ran in the browser, and the list of notebooks that ran."""
    return {"digests": lh.data_digests(), "ran": []}


# The server and the browser live as long as the module that uses them (one module, so once a run): playwright's
# sync API keeps an event loop running in this thread, which would break asyncio.run() in the tests after it.
@pytest.fixture(scope="module")
def lab_server(lab_root, data_before, tmp_path_factory):
    """JupyterLab on 127.0.0.1 and a free port over lab_root; stopped with SIGTERM at the end."""
    require_browser()
    server = lh.LabServer(lab_root, state_dir=tmp_path_factory.mktemp("lab-state")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium():
    """Headless Debian Chromium through playwright, shared by the module's tests."""
    require_browser()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = lh.launch_chromium(pw)
    yield browser
    browser.close()
    pw.stop()
