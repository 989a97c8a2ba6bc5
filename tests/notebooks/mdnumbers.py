"""Every number in the notebooks' markdown, found by a regular expression, and the ones a code cell shows.

A notebook is cut into sections at its `## ` headings (a `## N` heading up to the next `## ` heading; the
cells before the first one are a section too; `###` sub-headings do not cut). A markdown number is *shown*
when a code cell **of the same section** prints it in a stored text output or has it literally in its
source. A number printed in another section does not count: the learner must see it beside the sentence.
Numbers in headings and in inline code (`...`, names such as `W1[0, 0]` or `[2, 8, 8, 1]`) are not
quantities, nor are the markers of ordered lists ("1. ") and cross-references ("section 7", "sections 7 to
13", "01 §15", "notebook 3", "exercise 2", "bug 4"); LaTeX indices ($w_{11}^{2}$) are removed before the
search.
"""

import json
import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
# 12 000, 20,000, 0.04307, 1e-5, 2e-05, 10^{-7} (as 10 and -7 after the index strip: see _strip), 90%
NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}(?:[ ,]\d{3})+(?![\d.])|(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_LATEX_INDEX = re.compile(r"[_^](\{[^{}]*\}|\w)")
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s")
_REFERENCE = re.compile(r"(?:\b0[1-3]\s*)?§\s*\d+(?:\.\d+)?"
                        r"|\b(?:[Ss]ections?|[Nn]otebooks?|[Ee]xercises?|[Bb]ugs?)\s+\d+(?:\.\d+)?"
                        r"(?:\s*(?:,|and|or|to|–)\s*\d+(?:\.\d+)?)*")
SECTION = re.compile(r"^## ")


def _strip(text: str) -> str:
    """Markdown without list markers, cross-references, inline code, URLs, file names and LaTeX indices;
    10^{-7} becomes 1e-7."""
    text = _LIST_MARKER.sub(" ", text)
    text = _REFERENCE.sub(" ", text)
    text = re.sub(r"10\^\{(-?\d+)\}", r"1e\1", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\b[\w./-]+\.(ipynb|md|py|csv)\b", " ", text)
    text = _LATEX_INDEX.sub(" ", text)
    return text


def normalise(token: str) -> str:
    """One spelling of a number: no thousands separators, no trailing zeros, e-notation without padding."""
    t = re.sub(r"(?<=\d)[ ,](?=\d{3})", "", token)
    try:
        v = float(t)
    except ValueError:
        return t
    return repr(v) if v != int(v) or "e" in t.lower() else str(int(v))


def numbers(text: str) -> list[str]:
    return [normalise(m.group()) for m in NUMBER.finditer(_strip(text))]


def _cells(name: str) -> list[dict]:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]


def _lines_with_sections(name: str):
    """(cell position, cell, section index, line) for every line of every cell; section 0 is what comes
    before the first `## ` heading, and a heading line starts its section (also in the middle of a cell)."""
    section = 0
    for i, c in enumerate(_cells(name)):
        source = "".join(c["source"])
        if c["cell_type"] != "markdown":
            yield i, c, section, source
            continue
        for line in source.splitlines():
            if SECTION.match(line):
                section += 1
            yield i, c, section, line


def markdown_numbers(name: str) -> list[tuple[int, str, str, int]]:
    """(markdown cell position, normalised number, the line, section index) for every number in prose."""
    found = []
    for i, c, section, line in _lines_with_sections(name):
        if c["cell_type"] != "markdown" or line.lstrip().startswith("#"):
            continue                                      # headings: section numbers
        found += [(i, n, line, section) for n in numbers(line)]
    return found


def _outputs(cell) -> str:
    parts = []
    for o in cell.get("outputs", []):
        parts.append("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def shown(name: str) -> dict[int, set]:
    """For each section index, the numbers its code cells print in stored text outputs or write in their
    source."""
    by_section: dict[int, set] = {}
    for _, c, section, source in _lines_with_sections(name):
        found = by_section.setdefault(section, set())
        if c["cell_type"] == "code":
            found |= numbers_plain(_outputs(c)) | numbers_plain(source)
    return by_section


def numbers_plain(text: str) -> set[str]:
    """Numbers of code or output text (nothing stripped), each also rounded as a course figure may be."""
    found = set()
    for m in re.finditer(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text):
        n = normalise(m.group())
        found.add(n)
        found.add(n.lstrip("-"))
    return found


def source(name: str) -> str:
    """All cells' sources of a notebook, joined, for checks that count what a cell writes."""
    return "\n".join("".join(c["source"]) for c in _cells(name))
