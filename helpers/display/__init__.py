"""What the learner sees, built on `helpers.maths` (never the other way round).

- `palette`: the colours (numbers and course names are written by `helpers.text`, shared with the maths)
- `svg` (the network diagram, the computational graph) and `charts`: pure SVG strings
- `trace`: one training run as JSON for the stepper's browser renderer (`stepper.js`, an anywidget ES module)
- `tables`: tables of numbers, the chain-rule table; `plots`: matplotlib figures
- `widgets`: small interactive widgets; `stepper`: the stepper

`import helpers as hp` loads these names lazily, so the maths can be used without matplotlib or ipywidgets.
"""
