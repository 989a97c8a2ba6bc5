"""Build the course's static site in site/ (`make site`): an index with the outline, and each notebook as an
HTML page with its stored outputs (figures, tables, formulas). Nothing is executed; the notebooks' outputs
are the ones committed.

- nbconvert's HTML export with the lab template (tools/site/bpsite/index.html.j2): JupyterLab's own CSS, so
  every view's colours (palette: JupyterLab's theme variables) read as in JupyterLab; Light, or Dark when the
  reader's system setting (prefers-color-scheme) asks for it; one style sheet, lab.css, for every page.
- Nothing from a CDN: MathJax 3 (tex-svg-full.js, one file, SVG glyphs, no font files) is copied into site/
  from the npm package `mathjax` (fetched once with `npm pack` into .venv/site-cache/), and the template
  drops nbconvert's require.js, widget-manager and mermaid scripts.
- Widgets need a kernel. The stepper's stored output carries its trace (application/vnd.backprop.stepper+json);
  the page mounts helpers/display/stepper.js, the very module the widget draws with, on that trace with a small
  in-page model (get/set/save_changes/on), so it steps without Python. Every other widget shows its stored
  picture (text/html) and says that it is live where the notebook runs.

Usage: python tools/build_site.py [--out site] [--source TREE]
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import nbformat
from jupyter_core.paths import jupyter_path
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "site"
NOTEBOOKS = ("01_what", "02_how", "03_why")
MATHJAX = "3.2.2"                       # the npm package `mathjax`; es5/tex-svg-full.js is all the site needs
MATHJAX_FILE = "es5/tex-svg-full.js"
CACHE = ROOT / ".venv" / "site-cache"
WIDGET = "application/vnd.jupyter.widget-view+json"
TRACE = "application/vnd.backprop.stepper+json"
STEPPER_JS = "helpers/display/stepper.js"      # issue 22's browser renderer, the module the widget draws with
STEPPER_CSS = "helpers/display/stepper.css"    # its style sheet, if it keeps one beside it

sys.path.insert(0, str(ROOT / "tools"))
import repository  # noqa: E402


def mathjax() -> Path:
    """MathJax's tex-svg-full.js, from the npm package (cached in .venv/site-cache/ after the first build)."""
    target = CACHE / f"mathjax-{MATHJAX}" / "tex-svg-full.js"
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(["npm", "pack", f"mathjax@{MATHJAX}", "--silent", "--pack-destination", tmp],
                             capture_output=True, text=True, timeout=300)
        if run.returncode:
            raise SystemExit(f"npm pack mathjax@{MATHJAX} failed (npm and the npm registry are needed once):\n"
                             f"{run.stderr}")
        (tgz,) = Path(tmp).glob("mathjax-*.tgz")
        with tarfile.open(tgz) as tar:
            data = tar.extractfile(f"package/{MATHJAX_FILE}").read()
            licence = tar.extractfile("package/LICENSE").read()
    target.parent.mkdir(parents=True, exist_ok=True)
    (target.parent / "LICENSE").write_bytes(licence)
    target.write_bytes(data)
    return target


def lab_static(name: str) -> str:
    """A file of nbconvert's lab template (its theme CSS)."""
    for folder in jupyter_path("nbconvert", "templates"):
        path = Path(folder) / "lab" / "static" / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise SystemExit(f"nbconvert's lab template has no static/{name}: pip install -r requirements-test.txt")


def script_json(value) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


def colab(name: str) -> str:
    return f"https://colab.research.google.com/github/{repository.slug(repository.address())}/blob/main/notebooks/{name}.ipynb"


def live_note(name: str) -> str:
    return (f"<p class='bp-live-note'>This control is live where the notebook runs: JupyterLab "
            f"(<code>make course</code>), Notebook 7 or <a href='{colab(name)}'>Colab</a>. "
            "Here is its picture as stored.</p>")


def static_outputs(nb, name: str, stepper: bool) -> int:
    """Replace widget outputs by what a page without Python can show; the number of steppers mounted."""
    mounted = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") not in ("display_data", "execute_result") or WIDGET not in data:
                continue
            picture = "".join(data.get("text/html", ""))
            if TRACE in data and stepper:
                mounted += 1
                body = (f"<div class='bp-site-stepper' data-stepper='{mounted}'>"
                        f"<script type='application/json' class='bp-trace'>{script_json(data[TRACE])}</script>"
                        f"<div class='bp-fallback'>{picture}</div></div>"
                        f"<p class='bp-live-note'>The stepper steps here without Python, through the run stored "
                        f"with the notebook. Changing η, the weights, the epochs or the data trains again in "
                        f"Python: that is live where the notebook runs (JupyterLab, Notebook 7, "
                        f"<a href='{colab(name)}'>Colab</a>).</p>")
            elif picture:
                body = picture + live_note(name)
            else:
                body = live_note(name).replace(" Here is its picture as stored.", " Without Python it has no "
                                               "picture here.")
            out["data"] = {"text/html": body}
            out.setdefault("metadata", {}).pop(WIDGET, None)
    nb.metadata.pop("widgets", None)
    return mounted


def mount_script(source_root: Path) -> str:
    """The in-page model and the mount of stepper.js on every stored trace (anywidget's render contract)."""
    js, style = source_root / STEPPER_JS, source_root / STEPPER_CSS
    if not js.is_file():
        return ""
    css = f"<style>{style.read_text(encoding='utf-8')}</style>" if style.is_file() else ""
    source = js.read_text(encoding="utf-8")
    # A page opened from file:// may not load a module file (its origin is null), so the module's text is in
    # the page and imported from a blob: URL: the same module the widget uses, byte for byte.
    return css + f"""<script type="application/json" id="bp-stepper-src">{script_json(source)}</script>
<script type="module">
const source = JSON.parse(document.getElementById("bp-stepper-src").textContent);
const url = URL.createObjectURL(new Blob([source], {{type: "text/javascript"}}));
const widget = (await import(url)).default;
function storedModel(trace) {{
  const values = {{trace, position: 0}};
  const listeners = new Map();
  return {{
    get: (name) => values[name],
    set(name, value) {{
      const old = values[name];
      values[name] = value;
      if (old !== value) for (const cb of listeners.get(`change:${{name}}`) || []) cb({{name, old, new: value}});
    }},
    save_changes() {{}},
    on(event, cb) {{ if (!listeners.has(event)) listeners.set(event, []); listeners.get(event).push(cb); }},
    off(event, cb) {{ listeners.set(event, (listeners.get(event) || []).filter((f) => f !== cb)); }},
  }};
}}
for (const box of document.querySelectorAll(".bp-site-stepper")) {{
  const trace = JSON.parse(box.querySelector(".bp-trace").textContent);
  const el = document.createElement("div");
  box.querySelector(".bp-fallback").replaceWith(el);
  box.model = storedModel(trace);
  const render = widget.render || widget;
  await render({{model: box.model, el}});
  box.dataset.mounted = "true";
}}
document.documentElement.dataset.steppers = "mounted";
</script>"""


def nav(current: str, titles: dict[str, str]) -> str:
    links = []
    for name, title in titles.items():
        here = " aria-current='page'" if name == current else ""
        links.append(f"<a href='{name}.html'{here}>{html.escape(title)}</a>")
    return "".join(links)


def exporter() -> HTMLExporter:
    return HTMLExporter(template_name="bpsite", extra_template_basedirs=[str(HERE)])


def title_of(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    raise ValueError("a notebook without a # title")


def headings(page: str) -> list[tuple[str, str]]:
    """(id, text) of each h2 of a rendered page, as nbconvert anchored them."""
    found = []
    for anchor, inner in re.findall(r"<h2 id=\"([^\"]+)\">(.*?)</h2>", page, re.S):
        text = re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner, flags=re.S)
        found.append((anchor, text.strip()))
    return found


def build(out: Path, source_root: Path = ROOT) -> dict:
    """Write the site into `out` (emptied first) from the notebooks and stepper.js under `source_root`; what was
    written, for the tests and the summary line."""
    if out.exists():
        shutil.rmtree(out)
    (out / "mathjax").mkdir(parents=True)
    mj = mathjax()
    shutil.copy(mj, out / "mathjax" / "tex-svg-full.js")
    shutil.copy(mj.parent / "LICENSE", out / "mathjax" / "LICENSE")
    notebooks = {n: nbformat.read(source_root / "notebooks" / f"{n}.ipynb", as_version=4) for n in NOTEBOOKS}
    titles = {n: title_of(nb) for n, nb in notebooks.items()}
    script = mount_script(source_root)
    # One style sheet for every page: JupyterLab's (nbconvert's copy), its Dark variables when the reader's
    # system asks for dark, and the site's own.
    (out / "lab.css").write_text("\n".join([
        lab_static("index.css"), lab_static("theme-light.css"),
        "@media (prefers-color-scheme: dark) {\n" + lab_static("theme-dark.css") + "\n}",
        (HERE / "site.css").read_text(encoding="utf-8")]), encoding="utf-8")
    resources = {"site_mathjax": "mathjax/tex-svg-full.js"}
    footer = ("<footer class='bp-footer'>The course's notebooks with their stored outputs. Run them, and move "
              f"every slider, in JupyterLab (<code>make course</code>) or <a href='{colab('01_what')}'>Colab</a>."
              "</footer>")
    summary = {"pages": {}, "steppers": 0}
    outline = []
    for name, nb in notebooks.items():
        nb = copy.deepcopy(nb)
        mounted = static_outputs(nb, name, stepper=bool(script))
        summary["steppers"] += mounted
        res = {**resources, "site_nav": nav(name, titles), "site_footer": footer + (script if mounted else ""),
               "metadata": {"name": titles[name]}}
        page, _ = exporter().from_notebook_node(nb, resources=res)
        (out / f"{name}.html").write_text(page, encoding="utf-8")
        summary["pages"][f"{name}.html"] = mounted
        items = "".join(f"<li><a href='{name}.html#{a}'>{t}</a></li>" for a, t in headings(page))
        outline.append(f"<h2><a href='{name}.html'>{html.escape(titles[name])}</a></h2><ol>{items}</ol>")
    intro = (ROOT / "README.md").read_text(encoding="utf-8").split("\n\n")[1:3]
    index = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Backpropagation, step by step\n\n" + "\n\n".join(intro)),
        nbformat.v4.new_markdown_cell("<div class='bp-outline'>" + "".join(outline) + "</div>"),
    ])
    res = {**resources, "site_nav": nav("", titles), "site_footer": footer,
           "metadata": {"name": "Backpropagation, step by step"}}
    page, _ = exporter().from_notebook_node(index, resources=res)
    (out / "index.html").write_text(page, encoding="utf-8")
    summary["pages"]["index.html"] = 0
    summary["bytes"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--source", type=Path, default=ROOT, help="the tree whose notebooks/ and helpers/ to use")
    args = parser.parse_args(argv)
    summary = build(args.out, args.source)
    note = "" if (args.source / STEPPER_JS).is_file() else f" (no {STEPPER_JS}: steppers show their stored picture)"
    print(f"{args.out}: {len(summary['pages'])} pages, {summary['steppers']} steppers mounted{note}, "
          f"{summary['bytes'] / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
