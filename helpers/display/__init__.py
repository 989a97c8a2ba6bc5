"""What the learner sees, built on `helpers.maths` (never the other way round).

- `palette`: the colours (numbers and course names are written by `helpers.text`, shared with the maths)
- `views` (HTML) and `svg` (the network diagram, the loss curve): pure strings of one training step
- `tables`: tables of numbers, the chain-rule table; `plots`: matplotlib figures
- `widgets`: small interactive widgets; `stepper`: the stepper

`import helpers as hp` loads these names lazily, so the maths can be used without matplotlib or ipywidgets.
"""
