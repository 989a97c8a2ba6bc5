"""Remove noise from executed notebooks: widget state and out-of-order execution counts.

For each notebook given (default: notebooks/*.ipynb):

- drop ``metadata.widgets`` (the saved widget state, which holds
  ``application/vnd.jupyter.widget-state+json``) and any output bundle of that MIME type;
- number the widget views' ``model_id`` 1, 2, 3, ... (without saved state they point at no live model, and
  the random ids would change on every run);
- drop ``metadata.execution`` of each cell (the timestamps nbconvert leaves, which change on every run);
- renumber the executed code cells 1, 2, 3, ... in order, and give each ``execute_result`` its cell's count.

Outputs themselves are kept. With ``--check`` nothing is written; the exit status is 1 if any notebook
would change. The file is written as nbformat writes it (indent 1, sorted keys, trailing newline).

Usage: ``python tools/clean_notebooks.py [--check] [NOTEBOOK ...]``
"""

import argparse
import json
import sys
from pathlib import Path

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def clean(nb: dict) -> dict:
    """Return the notebook without widget state and with execution counts 1..n (changes nb in place)."""
    nb.get("metadata", {}).pop("widgets", None)
    count = views = 0
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("widgets", None)
        cell.get("metadata", {}).pop("execution", None)
        if cell.get("cell_type") != "code":
            continue
        if cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_STATE, None)
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                views += 1
                view["model_id"] = f"{views:032x}"
            if output.get("output_type") == "execute_result":
                output["execution_count"] = cell.get("execution_count")
        cell["outputs"] = merged_streams(cell.get("outputs", []))
    return nb


def merged_streams(outputs: list) -> list:
    """Consecutive stream outputs of the same stream as one, as a reader sees them: how the kernel happened to
    split one print into messages must not change the stored notebook."""
    out = []
    for o in outputs:
        if (o.get("output_type") == "stream" and out and out[-1].get("output_type") == "stream"
                and out[-1].get("name") == o.get("name")):
            text = "".join(out[-1]["text"]) + "".join(o["text"])
            out[-1]["text"] = text.splitlines(keepends=True)
        else:
            out.append(o)
    return out


def dumps(nb: dict) -> str:
    """Serialise a notebook the way nbformat does."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Clean (or with --check, only inspect) the notebooks; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a notebook would change"
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(DEFAULT_DIR.glob("*.ipynb"))
    dirty = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new = dumps(clean(json.loads(text)))
        if new == text:
            continue
        dirty.append(path)
        if not args.check:
            path.write_text(new, encoding="utf-8", newline="\n")
    verb = "would clean" if args.check else "cleaned"
    for path in dirty:
        print(f"{verb} {path}")
    print(f"{len(paths)} notebook(s) checked, {len(dirty)} {verb}")
    return 1 if args.check and dirty else 0


if __name__ == "__main__":
    sys.exit(main())
