"""Every number in the notebooks' markdown is checked: shown by a code cell of the same section (its stored
text output or its source, see mdnumbers.py), or computed by `helpers` and compared, or listed as not a
quantity with the reason. A markdown number that nothing checks fails the test, and so does a number that
only a cell of another section shows.

The registries of computed numbers are one file per notebook (mdnumbers_what.py, mdnumbers_how.py,
mdnumbers_why.py), so each notebook's editor changes only its own."""

import mdnumbers_how
import mdnumbers_what
import mdnumbers_why
import pytest
from mdnumbers import markdown_numbers, shown

REGISTRIES = {"01_what.ipynb": mdnumbers_what, "02_how.ipynb": mdnumbers_how, "03_why.ipynb": mdnumbers_why}
NBS = tuple(REGISTRIES)


def classify(name):
    """(counts of shown / checked / not a quantity, list of unchecked (cell, number, line)) for a notebook."""
    registry = REGISTRIES[name]
    by_section = shown(name)
    counts = {"shown": 0, "checked": 0, "not a quantity": 0}
    unchecked = []
    for i, n, line, section in markdown_numbers(name):
        if n in by_section.get(section, set()):
            counts["shown"] += 1
        elif n in registry.CHECKED:
            counts["checked"] += 1
        elif n in registry.NOT_QUANTITIES:
            counts["not a quantity"] += 1
        else:
            unchecked.append((i, n, line.strip()[:100]))
    return counts, unchecked


@pytest.mark.parametrize("name", NBS)
def test_every_markdown_number_is_shown_in_its_section_or_checked(name):
    counts, unchecked = classify(name)
    missing = [f"cell {i}: {n!r} in {line!r}" for i, n, line in unchecked]
    assert not missing, (
        f"{name}: markdown numbers that no code cell of their section shows and no test checks (print them "
        f"in a cell of that section, or add them to CHECKED / NOT_QUANTITIES in "
        f"{REGISTRIES[name].__name__}.py):\n" + "\n".join(missing))
    print(f"{name}: {sum(counts.values())} markdown numbers, {counts}")


@pytest.mark.parametrize("key", [(name, n) for name, r in REGISTRIES.items() for n in sorted(r.CHECKED)])
def test_checked_numbers_are_what_helpers_compute(key):
    name, n = key
    assert REGISTRIES[name].CHECKED[n](), f"{name}: the markdown number {n} is not what helpers computes"


@pytest.mark.parametrize("name", NBS)
def test_every_registry_entry_is_still_in_the_markdown(name):
    registry = REGISTRIES[name]
    present = {n for _, n, _, _ in markdown_numbers(name)}
    stale = (set(registry.CHECKED) | set(registry.NOT_QUANTITIES)) - present
    assert not stale, (f"{name}: entries in {registry.__name__}.py for numbers no longer in the markdown: "
                       f"{sorted(stale)}")


def test_the_section_rule_counts_only_cells_of_the_same_section(tmp_path, monkeypatch):
    """A number printed in another section does not count; one printed or written in the same one does."""
    import json

    import mdnumbers
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["## 1 One\n", "The loss is 4.25 and 7 and 9."]},
        {"cell_type": "code", "metadata": {}, "source": ["x = 9"], "execution_count": 1,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["4.25\n"]}]},
        {"cell_type": "markdown", "metadata": {}, "source": ["## 2 Two\n", "Again 4.25, and 8."]},
        {"cell_type": "code", "metadata": {}, "source": ["print(7)"], "execution_count": 2,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["8\n"]}]},
    ]
    (tmp_path / "t.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    monkeypatch.setattr(mdnumbers, "NOTEBOOKS", tmp_path)
    by_section = mdnumbers.shown("t.ipynb")
    found = [(n, s, n in by_section.get(s, set())) for _, n, _, s in mdnumbers.markdown_numbers("t.ipynb")]
    assert found == [("4.25", 1, True), ("7", 1, False), ("9", 1, True), ("4.25", 2, False), ("8", 2, True)]


def test_list_markers_and_cross_references_are_not_quantities():
    import mdnumbers
    assert mdnumbers.numbers("1. A network (see 01 §15 and section 7) predicts 4.5") == ["4.5"]
    assert mdnumbers.numbers("sections 7 to 13, notebook 3, exercise 2, bug 4, §6.2: 784") == ["784"]
    assert mdnumbers.numbers("1.5 times 2") == ["1.5", "2"]
