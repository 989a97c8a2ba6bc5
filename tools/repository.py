"""The course's address, written in one place (pyproject.toml's [project.urls] Repository), and what is made from it.

Everything that needs the address is rewritten from that one line:
- each notebook's setup cell, which installs the course when `helpers` cannot be imported (a notebook opened
  alone in Colab, VS Code or a hub without the course), from `git+<address>`;
- README's Binder, Colab and nbgitpuller links (GitHub's OWNER/REPO in them).

Usage (from the repository's top folder):
    python tools/repository.py                                 print the address
    python tools/repository.py https://github.com/ME/my-fork   point everything at a fork
    python tools/repository.py --check                         exit 1 when something disagrees with pyproject.toml
    python tools/repository.py --setup-cells                   give every notebook's setup cell the install
                                                               lines (idempotent; what the merge patch runs)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "backprop-course-helpers"
ENV = "BACKPROP_COURSE"          # overrides where a lone notebook installs the course from (tests, a mirror)
GITHUB = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
MARK = "# Opened alone (Colab, VS Code, a hub without the course)?"
LAST = "    output.enable_custom_widget_manager()"   # the install lines end here
SETUP_CELL = re.compile(r"^\s*import helpers as hp\s*$", re.M)


def address(root: Path = ROOT) -> str:
    """The repository's address, from pyproject.toml."""
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Repository"]


def slug(url: str) -> str:
    """OWNER/REPO of a GitHub address; ValueError for anything else."""
    m = GITHUB.match(url)
    if not m:
        raise ValueError(f"url: expected a GitHub address like https://github.com/OWNER/REPO, got {url!r}")
    return m.group(1)


PLACEHOLDER = "OWNER/REPO"       # the address before the course is published: nothing to install from


def install_lines(url: str) -> list[str]:
    """The lines a setup cell starts with: install the course when it is missing, saying so in one line. Before
    the course has an address (PLACEHOLDER), the cell says how to install it instead of trying a URL that
    does not exist."""
    unpublished = [
        f'    if "{PLACEHOLDER}" in COURSE:   # this copy has no published address yet',
        '        raise ModuleNotFoundError("helpers is not installed, and this copy of the course has no address "',
        '                                  "to install it from: run `pip install -e .[display]` in the course\'s "',
        f'                                  "folder, or set {ENV} to its git address")',
    ] if PLACEHOLDER in url else []
    first = (f"{MARK} Then install the course's package first, from the git address in {ENV} (this copy has "
             f"none of its own yet)." if unpublished else f"{MARK} Then install the course's package first.")
    return [
        first,
        "import importlib.util",
        "import os",
        "import subprocess",
        "import sys",
        "",
        'if importlib.util.find_spec("helpers") is None:',
        f'    COURSE = os.environ.get("{ENV}", "git+{url}")',
        *unpublished,
        '    print(f"helpers is not installed here: installing the course from {COURSE} (about a minute)")',
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", f"{PACKAGE}[display] @ {{COURSE}}"],',
        "                   check=True)   # pip's own message, if it fails, is shown above the error",
        "    importlib.invalidate_caches()",
        'if "google.colab" in sys.modules:   # Colab draws ipywidgets 8 only with its custom widget manager',
        "    from google.colab import output",
        "",
        LAST,
        "",
    ]


def setup_cell(nb: dict) -> dict:
    cells = [c for c in nb["cells"] if c["cell_type"] == "code" and SETUP_CELL.search("".join(c["source"]))]
    if not cells:
        raise ValueError("no setup cell (a code cell with `import helpers as hp`)")
    return cells[0]


def with_install_lines(source: str, url: str) -> str:
    """`source` (a setup cell) with the install lines after its leading comments, replacing older ones."""
    lines = source.split("\n")
    if any(line.startswith(MARK) for line in lines):   # an older block, whatever its length, ends at LAST
        start = next(i for i, line in enumerate(lines) if line.startswith(MARK))
        end = lines.index(LAST, start) + 2          # the block's last line and the blank line after it
        del lines[start:end]
    else:
        start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    lines[start:start] = install_lines(url)
    return "\n".join(lines)


def patch_notebook(path: Path, url: str) -> bool:
    """Give the notebook's setup cell the install lines for `url`; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    cell = setup_cell(nb)
    new = with_install_lines("".join(cell["source"]), url)
    if new == "".join(cell["source"]):
        return False
    cell["source"] = new.splitlines(keepends=True)
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    return True


def notebooks(root: Path = ROOT) -> list[Path]:
    return sorted((root / "notebooks").glob("*.ipynb"))


def disagreements(root: Path = ROOT) -> list[str]:
    """Every place that should carry the address and does not, as sentences."""
    url, problems = address(root), []
    for path in notebooks(root):
        source = "".join(setup_cell(json.loads(path.read_text(encoding="utf-8")))["source"])
        if with_install_lines(source, url) != source:
            problems.append(f"{path.relative_to(root)}: the setup cell does not install from git+{url}")
    readme = (root / "README.md").read_text(encoding="utf-8")
    found = set(re.findall(r"(?:mybinder\.org/v2/gh|colab\.research\.google\.com/github)/([\w.-]+/[\w.-]+)/", readme))
    if found != {slug(url)}:
        problems.append(f"README.md: the Binder and Colab links point at {sorted(found)}, not {slug(url)}")
    return problems


def point_at(new: str, root: Path = ROOT) -> None:
    """Rewrite pyproject.toml, README.md and the notebooks' setup cells for the address `new`."""
    old = address(root)
    old_slug, new_slug = slug(old), slug(new)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace(f'Repository = "{old}"', f'Repository = "{new}"'), encoding="utf-8")
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    old_name, new_name = old_slug.split("/")[1], new_slug.split("/")[1]      # nbgitpuller's folder: the repo's name
    for a, b in ((old_slug, new_slug), (old_slug.replace("/", "%2F"), new_slug.replace("/", "%2F")),
                 (f"tree%2F{old_name}%2F", f"tree%2F{new_name}%2F")):
        text = text.replace(a, b)
    readme.write_text(text, encoding="utf-8")
    for path in notebooks(root):
        patch_notebook(path, new)


def main(argv: list[str]) -> int:
    if not argv:
        print(address())
    elif argv == ["--check"]:
        problems = disagreements()
        print("\n".join(problems) or f"every place points at {address()}")
        return 1 if problems else 0
    elif argv == ["--setup-cells"]:
        for path in notebooks():
            print(f"{path.relative_to(ROOT)}: {'patched' if patch_notebook(path, address()) else 'already patched'}")
    elif len(argv) == 1 and not argv[0].startswith("-"):
        point_at(argv[0])
        print(f"pyproject.toml, README.md and {len(notebooks())} notebooks now point at {argv[0]}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
