"""Drive the course in a real JupyterLab with headless Chromium.

The browser tests (`tests/browser/`), the latency benchmark (`benchmarks/bench_latency.py`) and the README
screenshot (`tools/screenshot_readme.py`) share this module:

- `browser_missing()` says why no browser test can run here (no Chromium, no playwright), or None;
- `clean_copy()` / `write_notebook()` put notebooks without outputs or widget state into a temporary root;
- `LabServer` starts JupyterLab on 127.0.0.1 and a free port over that root, and stops it with SIGTERM;
- `VoilaServer` does the same with Voilà, which shows one notebook's outputs and widgets without its code
  (the presentation view of `make present`);
- `launch_chromium()` starts Debian's headless Chromium through playwright;
- `LabNotebook` opens one notebook in a page, runs all its cells, and reads what the learner sees.

Scripts import it with ``sys.path.insert(0, "<repo>/tests/browser")``; it needs only the standard library
until a browser is started.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# JupyterLab settings for a test: no news toast over the notebook, every cell attached to the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
THEME_SETTINGS = "@jupyterlab/apputils-extension/themes.jupyterlab-settings"
THEMES = ("JupyterLab Light", "JupyterLab Dark")
VIEWPORT = {"width": 1280, "height": 900}
RUN_TIMEOUT_MS = 240_000


def browser_missing() -> str | None:
    """Why the browser tests cannot run here (Chromium or playwright missing), or None when they can."""
    if not CHROMIUM.is_file():
        return (f"Chromium not found at {CHROMIUM}: install it with "
                "`apt-get install chromium` (bash .ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed: pip install -r requirements-test.txt"
    return None


def data_digests() -> dict[str, str]:
    """SHA-256 of every file in data/ and of the datasets (helpers/maths/datasets/), by path."""
    folders = (ROOT / "data", ROOT / "helpers" / "maths" / "datasets")
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.iterdir()) if p.is_file()}


def clean_notebook(nb: dict) -> dict:
    """Return nb without outputs, execution counts or widget state (nb is changed in place)."""
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("widgets", None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def clean_copy(src: Path, dst: Path) -> Path:
    """Copy the notebook src to dst with its outputs and widget state removed; return dst."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    nb = clean_notebook(json.loads(src.read_text(encoding="utf-8")))
    dst.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return dst


def write_notebook(path: Path, sources: list[str]) -> Path:
    """Write a notebook of code cells with the given sources (no outputs) to path; return path."""
    cells = [{"cell_type": "code", "execution_count": None, "id": f"cell-{i}", "metadata": {},
              "outputs": [], "source": src} for i, src in enumerate(sources)]
    nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                       "language_info": {"name": "python"}}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """JupyterLab on 127.0.0.1 and a free port, serving `root`, with a random token (`token`, new for each
    server): any local process could otherwise run code as the test's user while the tests run. The API
    is called with the token in a header; pages are opened with `page_url`, which adds it to the query
    (the server then keeps it in a cookie for the page's own requests and websockets)."""

    NAME = "JupyterLab"
    READY_PATH = "/api/status"      # answers 200 once the server is up, without starting a kernel

    def __init__(self, root: Path, state_dir: Path | None = None, theme: str | None = None):
        self.root = Path(root)
        self.theme = theme      # e.g. "JupyterLab Dark"; None keeps JupyterLab's default (Light)
        self._own_state = state_dir is None
        self.state = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="lab-state-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(24)
        self.proc: subprocess.Popen | None = None
        self.log_path = self.state / f"{self.NAME.lower()}.log"

    def extra_env(self) -> dict[str, str]:
        """Environment variables the server needs on top of the test's own."""
        return {}

    def command(self) -> list[str]:
        """The command line that starts the server."""
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
               f"--IdentityProvider.token={self.token}", "--ServerApp.password=",
               f"--ServerApp.root_dir={self.root}",
               "--FileContentsManager.delete_to_trash=False", "--ServerApp.port_retries=0",
               f"--LabApp.workspaces_dir={self.state / 'workspaces'}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def start(self, timeout: float = 60.0) -> LabServer:
        """Start the server and wait until READY_PATH answers; raise RuntimeError with its log if not."""
        settings = self.state / "settings"
        chosen = dict(LAB_SETTINGS)
        if self.theme:
            chosen[THEME_SETTINGS] = {"theme": self.theme}
        for name, value in chosen.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value), encoding="utf-8")
        for sub in ("config", "runtime", "workspaces"):
            (self.state / sub).mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTER_CONFIG_DIR=str(self.state / "config"),
                   JUPYTER_RUNTIME_DIR=str(self.state / "runtime"), PYTHONUNBUFFERED="1")
        env.pop("MPLBACKEND", None)
        env.update(self.extra_env())
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     cwd=self.root)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.request(self.READY_PATH), timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        log = self.log()
        self.stop()
        raise RuntimeError(f"{self.NAME} did not start on {self.url} within {timeout:.0f} s; its log:\n{log}")

    def log(self) -> str:
        """The server's output so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def request(self, path: str, method: str = "GET") -> urllib.request.Request:
        """A request to the server with its token in the Authorization header."""
        return urllib.request.Request(f"{self.url}{path}", method=method,
                                      headers={"Authorization": f"token {self.token}"})

    def page_url(self, path: str = "/") -> str:
        """The address of a page, with the token in its query (as JupyterLab's own start-up link has it)."""
        return f"{self.url}{path}{'&' if '?' in path else '?'}token={self.token}"

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API; return the decoded JSON answer (None when empty)."""
        with urllib.request.urlopen(self.request(path, method), timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every running kernel (between notebooks, so that two cores are not shared by idle kernels)."""
        for kernel in self.api("GET", "/api/kernels") or []:
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except OSError:
                pass

    def stop(self) -> None:
        """Stop the server with SIGTERM (which also stops its kernels); kill it after 15 s."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()
        if self._own_state:
            shutil.rmtree(self.state, ignore_errors=True)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class VoilaServer(LabServer):
    """Voilà on 127.0.0.1 and a free port, showing the one notebook `notebook` (a path) without its code,
    with a random token like `LabServer`'s (`make present` keeps Voilà's own). Its page is `page_url()`."""

    NAME = "Voila"
    READY_PATH = "/voila/static/voila.js"   # a static file: fetching the page itself would run the notebook

    def __init__(self, notebook: Path, state_dir: Path | None = None, template: str = "present",
                 cull_seconds: int | None = None):
        self.notebook = Path(notebook).resolve()
        self.cull_seconds = cull_seconds     # None: present/voila.json's timeout
        self.template = template    # "present": the course's offline template, found through JUPYTER_PATH
        super().__init__(self.notebook.parent, state_dir)

    def extra_env(self) -> dict[str, str]:
        """JUPYTER_PATH=present, where Voilà finds the course's template, as `make present` sets it."""
        return {"JUPYTER_PATH": os.pathsep.join(filter(None, [str(ROOT / "present"), os.environ.get("JUPYTER_PATH")]))}

    def command(self) -> list[str]:
        """The command line that starts Voilà on the notebook (Voilà has no root check to lift)."""
        return [sys.executable, "-m", "voila", str(self.notebook), "--no-browser", "--Voila.ip=127.0.0.1",
                f"--Voila.port={self.port}", "--Voila.port_retries=0", f"--Voila.token={self.token}",
                "--VoilaConfiguration.show_tracebacks=True", f"--template={self.template}",
                f"--Voila.config_file_paths={ROOT / 'present'}"] + self.cull_options()  # as `make present`

    def cull_options(self) -> list[str]:
        """A shorter culling timeout than present/voila.json's, for a test."""
        if self.cull_seconds is None:
            return []
        return [f"--MappingKernelManager.cull_idle_timeout={self.cull_seconds}",
                f"--MappingKernelManager.cull_interval={max(1, self.cull_seconds // 2)}"]


def launch_chromium(playwright):
    """Start Debian's Chromium, headless, through a playwright instance."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


# A notebook has finished running when no cell waits ([*] or [ ]) and the kernel is idle, or an error
# stopped Run All (JupyterLab then leaves the remaining cells unexecuted).
_DONE_JS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
  if (!nb || (ind && ind.getAttribute('data-status') !== 'idle')) return false;
  const prompts = [...nb.querySelectorAll('.jp-CodeCell')]
    .filter(c => ((c.querySelector('.cm-content') || {}).textContent || '').trim() !== '')  // empty cells never run
    .map(c => c.querySelector('.jp-InputPrompt').textContent.trim());
  if (prompts.length === 0 || prompts.some(t => t.includes('*'))) return false;
  return prompts.every(t => /^\\[\\d+\\]:$/.test(t))
      || nb.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]') !== null;
}"""

_ERRORS_JS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const found = [];
  [...nb.querySelectorAll('.jp-CodeCell')].forEach((cell, i) => {
    const prompt = (cell.querySelector('.jp-InputPrompt') || {}).textContent || '';
    cell.querySelectorAll('.jp-OutputArea-output').forEach(o => {
      const text = o.textContent || '';
      const stderr = o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr';
      if ((stderr && /Traceback|Error|Exception/.test(text))
          || /Error displaying widget|Failed to load model class|Traceback \\(most recent call last\\)/.test(text))
        found.push(`code cell ${i + 1} ${prompt.trim()} ${text.slice(0, 600)}`);
    });
  });
  return found;
}"""


class LabNotebook:
    """One notebook open in a JupyterLab page: run all its cells, find widgets, read errors."""

    def __init__(self, browser, server: LabServer, relpath: str, workspace: str | None = None):
        self.server = server
        self.relpath = relpath
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        ws = workspace or re.sub(r"\W", "-", relpath)
        self.url = server.page_url(f"/lab/workspaces/{ws}/tree/{relpath}?reset")

    @property
    def notebook(self):
        """The locator of the open notebook."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")

    def open(self) -> LabNotebook:
        """Load the page and wait until the notebook is shown and its kernel is idle and connected."""
        self.page.goto(self.url)
        self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        self.wait_kernel_idle()
        self.hide_left_area()
        return self

    def hide_left_area(self) -> None:
        """Collapse the left sidebar (the file browser), so that wide outputs fit, as a learner would."""
        left = self.page.locator("#jp-left-stack")
        if left.is_visible():
            self.page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.click()
            left.wait_for(state="hidden", timeout=10_000)

    def wait_kernel_idle(self, timeout_ms: int = 60_000) -> None:
        """Wait for the execution indicator and the status bar both to say the kernel is idle."""
        self.page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
            timeout=timeout_ms)
        self.page.wait_for_function(
            "() => /Idle/.test((document.querySelector('#jp-main-statusbar') || {}).textContent || '')",
            timeout=timeout_ms)

    def menu(self, menu: str, item: str) -> None:
        """Click an item of the top menu bar, such as ('Run', 'Run All Cells')."""
        self.page.locator(f"#jp-top-panel .lm-MenuBar-itemLabel:text-is('{menu}')").click()
        self.page.locator(f".lm-Menu .lm-Menu-itemLabel:text-is('{item}')").click()

    def run_all(self, timeout_ms: int = RUN_TIMEOUT_MS) -> float:
        """Run all cells and wait until every cell has run (or an error stopped the run); return seconds."""
        t0 = time.perf_counter()
        self.menu("Run", "Run All Cells")
        # The first prompt turns to [*] as soon as the run is queued; then wait for the end.
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')]
                     .some(p => /\\[[*\\d]+\\]/.test(p.textContent))""", timeout=30_000)
        self.page.wait_for_function(_DONE_JS, timeout=timeout_ms, polling=250)
        return time.perf_counter() - t0

    def errors(self) -> list[str]:
        """The error outputs and tracebacks shown in the notebook, one string each (cell, prompt, text)."""
        return self.page.evaluate(_ERRORS_JS)

    def unexecuted_cells(self) -> list[int]:
        """The 1-based numbers of code cells whose prompt shows no execution count."""
        prompts = self.page.evaluate(
            """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')].map(c =>
                 ((c.querySelector('.cm-content') || {}).textContent || '').trim() === '' ? null
                 : c.querySelector('.jp-InputPrompt').textContent.trim())""")
        return [i + 1 for i, t in enumerate(prompts) if t is not None and not re.fullmatch(r"\[\d+\]:", t)]

    def close(self) -> None:
        """Close the page and its browser context."""
        self.context.close()


def time_key_to_dom(page, target, key: str, done_js: str, timeout_ms: int = 30_000) -> float:
    """Press key on the element `target` (a locator) and return the seconds until `done_js` holds.

    The clock starts at the keydown event in the page and stops at the first DOM mutation after which
    the JavaScript predicate `done_js` (an arrow function's source, such as
    ``"() => document.querySelector('.x').textContent === '5'"``) returns true.
    """
    target.evaluate(
        f"""(el) => {{
          const lat = window.__bpLatency = {{t0: null, t1: null}};
          const done = {done_js};
          el.addEventListener('keydown', () => {{ if (lat.t0 === null) lat.t0 = performance.now(); }},
                              {{capture: true, once: true}});
          const obs = new MutationObserver(() => {{
            if (lat.t0 !== null && lat.t1 === null && done()) {{ lat.t1 = performance.now(); obs.disconnect(); }}
          }});
          obs.observe(document.body, {{subtree: true, childList: true, characterData: true, attributes: true}});
        }}""")
    target.press(key)
    page.wait_for_function("() => window.__bpLatency.t1 !== null", timeout=timeout_ms, polling="raf")
    return page.evaluate("() => (window.__bpLatency.t1 - window.__bpLatency.t0) / 1000")


# ---- contrast of SVG text (axe does not judge SVG <text>) ----

SVG_CONTRAST_JS = """(scope) => {
  const parse = (c) => {
    const m = (c || '').match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => { const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const lum = (c) => { const f = (v) => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const opacity = (el, stop) => { let o = 1; for (let e = el; e && e !== stop; e = e.parentElement) {
      o *= +getComputedStyle(e).opacity; } return o; };
  const pageBg = (el) => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) return over(c, [255, 255, 255, 1]); }
    return [255, 255, 255, 1]; };
  const out = [];
  for (const svg of document.querySelectorAll(scope + ' svg')) {
    svg.scrollIntoView({block: 'center'});
    const base = pageBg(svg.parentElement);
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!r.width || !(t.textContent || '').trim()) continue;
      const st = getComputedStyle(t);
      let fg = parse(st.fill); if (!fg) continue;
      fg = [fg[0], fg[1], fg[2], fg[3] * (+st.fillOpacity) * opacity(t, svg.parentElement)];
      let bg = base;
      const halo = parse(st.stroke);
      if (halo && halo[3] > 0 && parseFloat(st.strokeWidth) >= 2 && /stroke/.test(st.paintOrder)) {
        bg = over(halo, base);                       // a halo behind the letters: that is their background
      } else {
        const under = document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2)
          .filter(e => e !== t && !t.contains(e) && svg.contains(e)
                       && /^(circle|rect|path|polygon|ellipse)$/.test(e.tagName));
        const shape = under.find(e => { const f = parse(getComputedStyle(e).fill); return f && f[3] > 0; });
        if (shape) { const f = parse(getComputedStyle(shape).fill);
          bg = over([f[0], f[1], f[2], f[3] * opacity(shape, svg.parentElement)], base); }
      }
      const size = parseFloat(st.fontSize), bold = +st.fontWeight >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      const need = (large || svg.classList.contains('bp-diagram')) ? 3 : 4.5;
      const c = ratio(over(fg, bg), bg);
      out.push({text: t.textContent.trim().slice(0, 40), svg: svg.getAttribute('class'),
                ratio: Math.round(c * 100) / 100, need});
    }
  }
  return out;
}"""


def svg_text_contrast(page, scope: str = ".jp-OutputArea-output") -> list[dict]:
    """Every visible SVG <text> under `scope`: its text, contrast ratio against what is beneath, and the AA need."""
    return page.evaluate(SVG_CONTRAST_JS, scope)


def require_browser() -> None:
    """Skip the calling test when no browser can run here, or fail when REQUIRE_BROWSER=1. (It lives here,
    not in conftest.py: `from conftest import ...` finds whichever tests/*/conftest.py was imported last.)"""
    import pytest

    reason = browser_missing()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1, but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (REQUIRE_BROWSER=1 turns this into a failure)")
