"""Small interactive widgets for the notebooks (the stepper has its own module, `stepper`).

Builders return widgets; the notebook displays them. Callbacks update widget values (HTML, Label,
an Output holding a figure) instead of printing, so nbval can compare the notebooks' outputs.
"""

from __future__ import annotations
