"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium for the whole session.

The server serves a temporary root holding clean copies of notebooks/*.ipynb (no outputs, no widget
state) and the small probe notebooks of `probes.py`. When Chromium or playwright is missing the browser
tests are skipped with the reason; with REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import os

import labharness as lh
import probes
import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives the notebooks in JupyterLab with headless Chromium (tests/browser/)")


def require_browser() -> None:
    """Skip the calling test when no browser can run here, or fail when REQUIRE_BROWSER=1."""
    reason = lh.browser_missing()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1, but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (REQUIRE_BROWSER=1 turns this into a failure)")


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


@pytest.fixture(scope="session")
def lab_server(lab_root, data_before, tmp_path_factory):
    """JupyterLab on 127.0.0.1 and a free port over lab_root; stopped with SIGTERM at the end."""
    require_browser()
    server = lh.LabServer(lab_root, state_dir=tmp_path_factory.mktemp("lab-state")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium through playwright, shared by the session."""
    require_browser()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = lh.launch_chromium(pw)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def open_notebook(lab_server, chromium, data_before):
    """Open a notebook of the temporary root (by relative path) in a fresh page; close it and stop its
    kernel after the test."""
    opened = []

    def _open(relpath: str) -> lh.LabNotebook:
        nb = lh.LabNotebook(chromium, lab_server, relpath).open()
        opened.append(nb)
        data_before["ran"].append(relpath)
        return nb

    yield _open
    for nb in opened:
        nb.close()
    lab_server.shutdown_kernels()
