"""`make course` as root (containers) still starts JupyterLab, and says in one line what root exposes."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_course_notes_root_in_one_line():
    out = subprocess.run(["make", "-n", "course"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    notes = [line for line in out.splitlines() if "running as root" in line]
    if os.geteuid() == 0:
        assert len(notes) == 1 and "terminal" in notes[0] and "--allow-root" in out
    else:
        assert notes == [] and "--allow-root" not in out
