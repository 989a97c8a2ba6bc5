"""The course's address is written once (pyproject.toml) and tools/repository.py makes the rest from it."""

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import repository  # noqa: E402


@pytest.fixture
def copy(tmp_path):
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("solutions"))
    return tmp_path


def setup_sources(root: Path) -> list[str]:
    return ["".join(repository.setup_cell(json.loads(p.read_text()))["source"]) for p in repository.notebooks(root)]


def test_readme_links_and_pyproject_agree():
    problems = [p for p in repository.disagreements() if p.startswith("README")]
    assert not problems, problems
    readme = (ROOT / "README.md").read_text()
    slug = repository.slug(repository.address())
    for nb in ("01_what", "02_how", "03_why"):
        assert f"colab.research.google.com/github/{slug}/blob/main/notebooks/{nb}.ipynb" in readme


def test_notebooks_that_install_the_course_install_it_from_the_address():
    """Once /work/patches/23_setup_cells.py has run (the lead runs it at merge), every setup cell is checked."""
    for path, source in zip(repository.notebooks(), setup_sources(ROOT)):
        if repository.MARK in source:
            assert repository.with_install_lines(source, repository.address()) == source, path.name


def test_patching_is_idempotent_and_keeps_the_rest_of_the_cell(copy):
    before = setup_sources(copy)
    assert [repository.patch_notebook(p, repository.address()) for p in repository.notebooks(copy)] == [
        repository.MARK not in s for s in before]
    once = setup_sources(copy)
    assert not any(repository.patch_notebook(p, repository.address()) for p in repository.notebooks(copy))
    assert setup_sources(copy) == once
    for old, new in zip(before, once):
        assert [line for line in new.split("\n") if line not in repository.install_lines(repository.address())] \
            == [line for line in old.split("\n") if line not in repository.install_lines(repository.address())]
        assert new.index(repository.MARK) < new.index("import helpers as hp")
        compile(new, "setup cell", "exec")               # still Python
    assert repository.disagreements(copy) == []


def test_pointing_at_a_fork_rewrites_every_place(copy):
    fork = "https://github.com/a-teacher/backprop-fork"
    repository.point_at(fork, copy)
    assert repository.address(copy) == fork
    assert repository.disagreements(copy) == []
    readme = (copy / "README.md").read_text()
    assert "OWNER/REPO" not in readme and "OWNER%2FREPO" not in readme
    assert "urlpath=lab%2Ftree%2Fbackprop-fork%2Fnotebooks" in readme         # nbgitpuller's folder
    assert all(f'"git+{fork}"' in s for s in setup_sources(copy))


def test_an_address_that_is_not_github_is_refused():
    with pytest.raises(ValueError, match="url: expected a GitHub address"):
        repository.slug("https://example.org/course")


def test_an_unpublished_copy_says_how_to_install_instead_of_trying_a_missing_address(monkeypatch):
    """Before the course has an address, a lone notebook's setup cell raises a clear error, and pip never runs;
    with BACKPROP_COURSE set, or once the address is real, it installs from there."""
    import importlib.util
    import subprocess
    calls = []
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a[0]))
    monkeypatch.delenv(repository.ENV, raising=False)
    unpublished = "\n".join(repository.install_lines("https://github.com/OWNER/REPO"))
    with pytest.raises(ModuleNotFoundError, match="no address to install it from.*pip install -e"):
        exec(unpublished, {})                                            # noqa: S102 (our own lines)
    assert calls == []
    monkeypatch.setenv(repository.ENV, "git+file:///somewhere/course")
    exec(unpublished, {})                                                # noqa: S102
    assert calls and "backprop-course-helpers[display] @ git+file:///somewhere/course" in calls[-1][-1]
    monkeypatch.delenv(repository.ENV)
    published = "\n".join(repository.install_lines("https://github.com/a-teacher/backprop-fork"))
    assert "OWNER/REPO" not in published
    exec(published, {})                                                  # noqa: S102
    assert "@ git+https://github.com/a-teacher/backprop-fork" in calls[-1][-1]
