"""Read a stored notebook's prose or text outputs, for tests that check the figures a notebook states."""

import json
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def notebook_text(name: str, kind: str) -> str:
    """All markdown sources (kind='markdown') or all stored text outputs (kind='outputs') of a notebook."""
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    if kind == "markdown":
        return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    parts = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            parts.append("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)
