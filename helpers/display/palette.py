"""The course's colours, in one place: every view takes its colours from here.

HTML and SVG views use JupyterLab's CSS variables, so they follow the Light, Dark and High Contrast themes.
Each falls back to JupyterLab Light's value where no theme is loaded (a code host, an exported page). In SVG,
a `var()` works only in a `style` (not in a `fill=` attribute): `paint(fill=..., stroke=...)` writes one.

Outside JupyterLab no theme variable is set. VS Code shows outputs on white: the Light fallbacks above serve.
Colab marks its dark theme with `html[theme=dark]`: `OUTSIDE_LAB_CSS` (the stepper widget's style sheet,
`Stepper._css`) then sets the variables themselves to dark values, which JupyterLab, having its own, never sees.
tests/browser/test_outside_lab.py checks both pages for WCAG AA.

Text contrast (WCAG AA), Light / Dark: TEXT0 21:1 / 18:1, TEXT1 about 16:1 / 14:1, TEXT2 (secondary text and
dimmed stages) 4.6:1 / 6.3:1 on the page; POS and NEG text about 4.6:1 / 5:1. Nothing dims text with opacity.
"""

# text
TEXT0 = "var(--jp-ui-font-color0, rgba(0, 0, 0, 1))"          # results, node names
TEXT1 = "var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87))"       # body text
TEXT2 = "var(--jp-ui-font-color2, rgba(0, 0, 0, 0.54))"       # secondary text, dimmed stages: still AA
# surfaces and lines
PAGE = "var(--jp-layout-color0, #ffffff)"       # what the output sits on; halos behind labels
PANEL = "var(--jp-layout-color1, #ffffff)"      # boxes, nodes
PANEL2 = "var(--jp-layout-color2, #eeeeee)"     # input nodes, the status line
BORDER = "var(--jp-border-color1, #bdbdbd)"
GRID = "var(--jp-border-color2, #e0e0e0)"
# meaning
POS = "var(--jp-brand-color1, #1976d2)"         # a positive weight, a value going up, the first path
NEG = "var(--jp-error-color1, #d32f2f)"         # a negative weight, a value going down, warnings
HI = "var(--jp-warn-color1, #f57c00)"           # the highlighted part of a stage (lines only, never text)
DIM = "var(--jp-border-color0, #bdbdbd)"        # a zero weight, a part not in this stage (lines only)
GOOD = "var(--jp-success-color1, #388e3c)"      # the step's result (lines and markers)
BAD_BG = "var(--jp-error-color3, #ffcdd2)"      # behind a divergence warning (its text stays TEXT0)

# Colab's dark theme (html[theme=dark]) has no JupyterLab variables: these stand in for JupyterLab Dark's, chosen
# for AA on Colab's dark output backgrounds (#1e1e1e to #383838). Never applied inside JupyterLab.
OUTSIDE_LAB_CSS = (
    "html[theme=dark]{--jp-ui-font-color0:#ffffff;--jp-ui-font-color1:rgba(255,255,255,0.87);"
    "--jp-ui-font-color2:rgba(255,255,255,0.72);--jp-layout-color0:#1e1e1e;--jp-layout-color1:#2a2a2a;"
    "--jp-layout-color2:#424242;--jp-border-color0:#9e9e9e;--jp-border-color1:#757575;--jp-border-color2:#4a4a4a;"
    "--jp-brand-color1:#64b5f6;--jp-error-color1:#ef9a9a;--jp-warn-color1:#ffb74d;--jp-success-color1:#81c784;"
    "--jp-error-color3:#5d2424}"
)

# Contour levels of the loss landscape, low to high (viridis stops): data colours, not theme colours. They
# are lines, not text, and viridis keeps its order and stays visible on both light and dark pages.
LEVELS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")

# Matplotlib figures are static pictures: they sit on a deliberate light panel with a border in every theme
# (a white PNG on a dark page is then a card, not a hole), so their colours are fixed light-theme colours.
FIGURE_FACE, FIGURE_EDGE = "white", "#9e9e9e"


def paint(fill: str | None = None, stroke: str | None = None, **more: str) -> str:
    """An SVG `style` attribute from palette colours: `paint(fill=TEXT1)` -> " style='fill:var(...)'"."""
    parts = [f"fill:{fill}"] if fill else []
    parts += [f"stroke:{stroke}"] if stroke else []
    parts += [f"{k.replace('_', '-')}:{v}" for k, v in more.items()]
    return f" style='{';'.join(parts)}'"

# A network's output over the plane of two inputs (`svg.field_svg`) is data drawn as a PNG: fixed colours from
# label 0 (orange) through a light middle (0.5) to label 1 (blue), on a bordered panel like the figures above,
# so it reads the same on light and dark pages. The rows on top are outlined in FIELD_INK.
FIELD_LOW, FIELD_MID, FIELD_HIGH, FIELD_INK = "#c2410c", "#f2f2f2", "#2f6db5", "#1f2933"
