"""The course's colours, in one place: every view takes its colours from here."""

POS, NEG, HI, DIM = "#2f6db5", "#c2410c", "#e8a400", "#9aa3ad"   # positive / negative weight, highlight, off
BOX = "var(--jp-layout-color1, #ffffff)"   # a node box: the page colour, so currentColor text stays readable
FIELD_MID, INK = "#f2f2f2", "#1f2933"   # the light middle of a data field (0.5) and the outline of its dots
