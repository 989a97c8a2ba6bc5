"""Each notebook is one sitting: at most 90 cells and 2,900 words of markdown, the time it takes stated at
its top, and no nbval plumbing in a code cell's source (nbval's markers are cell tags in the metadata).

Markdown words are counted as `len(text.split())` over each markdown cell's source (headings, LaTeX and
inline code included), summed over the notebook."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NBS = ("01_what.ipynb", "02_how.ipynb", "03_why.ipynb")
MAX_CELLS = 90
MAX_MARKDOWN_WORDS = 2900


def cells(name):
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]


def markdown_words(name):
    """Words of a notebook's markdown, counted as len(text.split()) per markdown cell, summed."""
    return sum(len("".join(c["source"]).split()) for c in cells(name) if c["cell_type"] == "markdown")


@pytest.mark.parametrize("name", NBS)
def test_at_most_90_cells(name):
    n = len(cells(name))
    assert n <= MAX_CELLS, f"{name} has {n} cells, more than {MAX_CELLS}: one sitting is {MAX_CELLS} at most"


@pytest.mark.parametrize("name", NBS)
def test_at_most_2900_markdown_words(name):
    n = markdown_words(name)
    assert n <= MAX_MARKDOWN_WORDS, (f"{name} has {n} markdown words (len(text.split()) over markdown cells), "
                                     f"more than {MAX_MARKDOWN_WORDS}")


@pytest.mark.parametrize("name", NBS)
def test_no_nbval_marker_in_a_code_cell(name):
    found = [i for i, c in enumerate(cells(name)) if c["cell_type"] == "code" and "NBVAL" in "".join(c["source"])]
    assert not found, (f"{name}: code cells {found} carry an nbval comment; use the cell tag "
                       f"(metadata 'tags': ['nbval-ignore-output']) instead")


@pytest.mark.parametrize("name", NBS)
def test_the_time_it_takes_is_stated_at_the_top(name):
    top = "".join("".join(c["source"]) for c in cells(name)[:2] if c["cell_type"] == "markdown")
    assert re.search(r"\babout \d+ minutes\b", top), (
        f"{name}: its first cells do not say how long it takes ('about N minutes')")
