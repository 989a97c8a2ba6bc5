"""The course's colours, in one place: every view takes its colours from here."""

POS, NEG, HI, DIM = "#2f6db5", "#c2410c", "#e8a400", "#9aa3ad"   # positive / negative weight, highlight, off
