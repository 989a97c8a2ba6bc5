"""The course as JupyterHub and BinderHub run it: an image built by repo2docker, notebooks run from their folder.

- `jupyter-repo2docker --no-build --debug --no-run .` prints the Dockerfile that Binder or a hub would build
  (no Docker daemon needed); its build steps install requirements.txt and the course package, use the Python
  of runtime.txt, and download from package indexes only.
- The notebooks pass nbval when run as a hub runs them: a copy of notebooks/ in a learner's home, the
  working directory set to that folder, and `helpers` imported from its installation, never by a path.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "present").glob("*.ipynb"))
# Where a build may fetch from: conda-forge (repo2docker's base environment), PyPI, and the distribution's
# apt archive (apt-get, no URL in the steps). The base image itself comes from Docker Hub (FROM).
PACKAGE_INDEXES = {"conda.anaconda.org", "anaconda.org", "pypi.org", "files.pythonhosted.org"}
URL = re.compile(r"https?://[^\s\"'<>)]+")


@pytest.fixture(scope="module")
def r2d():
    """What repo2docker prints for this repository: its log lines, the Dockerfile, and its build script files."""
    exe = Path(sys.executable).with_name("jupyter-repo2docker")
    if not exe.exists():
        pytest.fail(f"{exe} is missing: pip install -r requirements-test.txt", pytrace=False)
    run = subprocess.run([str(exe), "--no-build", "--debug", "--no-run", "."], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0 and "FROM " in run.stdout, f"repo2docker failed:\n{run.stdout}{run.stderr}"
    dockerfile = run.stdout[run.stdout.index("FROM "):]            # the log goes to stderr, the Dockerfile to stdout
    from escapism import unescape

    r2d_dir = Path(importlib.util.find_spec("repo2docker").origin).parent

    # Build scripts are copied as build_script_files/<escaped absolute path>-<hash>, lowercased: a checkout
    # under a path with capitals (mktemp -d gives /tmp/tmp.834JTPPKY7) is found by comparing without case.
    named = {str(unescape(m.rsplit("-", 1)[0], escape_char="-")).lower()
             for m in re.findall(r"build_script_files/(\S+)", dockerfile)}
    files = {str(f).lower(): f for f in r2d_dir.rglob("*") if f.is_file()}
    scripts = {files[n] for n in named if n in files}
    assert named and len(scripts) == len(named), (named, scripts)
    runs = [" ".join(step.split()) for step in re.findall(r"^RUN (.*?)(?<!\\)$", dockerfile, re.M | re.S)]
    log = run.stderr + run.stdout[:run.stdout.index("FROM ")]
    return {"log": log, "dockerfile": dockerfile, "scripts": scripts, "runs": runs}


def requirement_lines(path: Path) -> list[str]:
    """The requirements in a pip requirements file, without comments."""
    return [line.split("#")[0].strip() for line in path.read_text().splitlines() if line.split("#")[0].strip()]


def test_build_installs_requirements_and_the_course_package(r2d):
    runs = r2d["runs"]
    install_reqs = [i for i, r in enumerate(runs) if re.search(r'pip install .*-r "?requirements\.txt"?', r)]
    assert install_reqs, "no step installs requirements.txt:\n" + "\n".join(runs)
    assert [r for r in requirement_lines(ROOT / "requirements.txt") if re.fullmatch(r"-e \.(\[display\])?", r)], \
        "requirements.txt must install helpers (-e . or -e .[display])"
    # repo2docker then runs `pip install .` (pyproject.toml makes the repository a package): a copy in
    # site-packages, which carries the datasets as package data, so no postBuild re-install is needed.
    assert not (ROOT / "postBuild").exists(), "postBuild is gone: the installed package carries its datasets"
    assert "./postBuild" not in runs, "\n".join(runs)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'"helpers\.maths"\s*=\s*\["datasets/\*\.csv"\]', pyproject), "the datasets must be package data"


def test_build_uses_the_python_of_runtime_txt(r2d):
    pinned = (ROOT / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+\.\d+)", pinned)
    assert m, f"runtime.txt says {pinned!r}; repo2docker expects python-X.Y"
    version = m.group(1)
    requires = re.search(r'requires-python\s*=\s*">=(\d+)\.(\d+)"', (ROOT / "pyproject.toml").read_text())
    assert tuple(map(int, version.split("."))) >= tuple(map(int, requires.groups())), "pyproject.toml requires more"
    assert f"python={version}" in r2d["log"], r2d["log"]
    assert "Python version unspecified" not in r2d["log"], r2d["log"]
    locks = [p for p in r2d["scripts"] if p.name.startswith("environment.")]
    assert [p.name for p in locks] == [f"environment.py-{version}-linux-64.lock"], locks
    assert re.search(rf"/python-{re.escape(version)}\.\d+-", locks[0].read_text()), "the lock file's Python"


def test_build_downloads_from_package_indexes_only(r2d):
    for step in r2d["runs"]:
        assert not re.search(r"\b(curl|wget|git clone|git\+|svn|hg clone)\b", step), step
    assert not re.search(r"^ADD ", r2d["dockerfile"], re.M), "ADD can fetch a URL; the build must not"
    texts = {"the Dockerfile's steps": "\n".join(r2d["runs"])}
    texts.update({f"repo2docker's {p.name}": p.read_text() for p in r2d["scripts"]})
    for where, text in texts.items():
        hosts = {urlparse(u).hostname for u in URL.findall(text)}
        assert hosts <= PACKAGE_INDEXES, f"{where} downloads from outside a package index: {hosts - PACKAGE_INDEXES}"
    for line in requirement_lines(ROOT / "requirements.txt"):
        assert not re.search(r"://|^git\+|^--?(i|index-url|extra-index-url|f|find-links)\b", line), line


def test_local_build_leaves_out_the_virtual_environment():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv/" in ignored, "a local `jupyter-repo2docker .` would copy .venv into the image"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_code_assumes_no_make_setup(path):
    """No code cell reaches for .venv, a path outside the notebook's folder, or sys.path: a hub has none."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for i, cell in enumerate(cells, 1):
        src = "".join(cell["source"])
        if cell["cell_type"] == "code":
            found = re.findall(r"\.venv|\.\./|(?<![\w.])/(?:work|home|root|tmp|Users)/|sys\.path|os\.chdir|%cd\b", src)
            assert not found, f"{path.name} cell {i} assumes the make set-up or a folder layout: {found}"


def test_notebooks_pass_nbval_in_their_folder_as_a_hub_runs_them(tmp_path):
    """A copy of notebooks/ in a learner's home (as nbgitpuller leaves it), run from that folder."""
    home = tmp_path / "home"
    folder = home / "backprop-course" / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MPLBACKEND")}
    env.update(HOME=str(home), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), PYTHONDONTWRITEBYTECODE="1")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "--nbval-sanitize-with", str(ROOT / "tests" / "sanitize.cfg"), "--rootdir", str(folder),
         *sorted(p.name for p in folder.glob("*.ipynb"))],
        cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"nbval from {folder}:\n{run.stdout[-4000:]}{run.stderr[-2000:]}"
    assert "passed" in run.stdout and "skipped" not in run.stdout, run.stdout[-1000:]
