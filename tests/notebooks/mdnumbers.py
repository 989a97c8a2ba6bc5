"""Every number in the notebooks' markdown, found by a regular expression, and the ones a code cell shows.

A markdown number is *shown* when the same number appears in a stored text output of the same notebook, or
literally in the source of the code cell just before or just after it. Numbers in headings and in inline code
(`...`, names such as `W1[0, 0]` or `[2, 8, 8, 1]`) are not quantities, and LaTeX indices ($w_{11}^{2}$) are
removed before the search.
"""

import json
import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
# 12 000, 20,000, 0.04307, 1e-5, 2e-05, 10^{-7} (as 10 and -7 after the index strip: see _strip), 90%
NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}(?:[ ,]\d{3})+(?![\d.])|(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_LATEX_INDEX = re.compile(r"[_^](\{[^{}]*\}|\w)")


def _strip(text: str) -> str:
    """Markdown without inline code, URLs, file names and LaTeX indices; 10^{-7} becomes 1e-7."""
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


def markdown_numbers(name: str) -> list[tuple[int, str, str]]:
    """(markdown cell position, normalised number, the cell's first line) for every number in prose."""
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    found = []
    for i, c in enumerate(cells):
        if c["cell_type"] != "markdown":
            continue
        for line in "".join(c["source"]).splitlines():
            if line.lstrip().startswith("#"):
                continue                                  # headings: section numbers
            found += [(i, n, line) for n in numbers(line)]
    return found


def _outputs(cell) -> str:
    parts = []
    for o in cell.get("outputs", []):
        parts.append("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def shown(name: str) -> tuple[set, dict]:
    """The numbers of all stored outputs of a notebook, and for each cell position the numbers of the code
    cells just before and after it."""
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    out = set()
    for c in cells:
        out.update(numbers_plain(_outputs(c)))
    near = {}
    for i in range(len(cells)):
        code = [c for c in (cells[i - 1] if i else None, cells[i + 1] if i + 1 < len(cells) else None)
                if c is not None and c["cell_type"] == "code"]
        near[i] = set().union(*(numbers_plain("".join(c["source"])) for c in code)) if code else set()
    return out, near


def numbers_plain(text: str) -> set[str]:
    """Numbers of code or output text (nothing stripped), each also rounded as a course figure may be."""
    found = set()
    for m in re.finditer(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text):
        n = normalise(m.group())
        found.add(n)
        found.add(n.lstrip("-"))
    return found
