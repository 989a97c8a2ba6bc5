"""The backpropagation course's package, in three layers over one text module:

- `helpers.text`: the one number formatter (`fmt`) and the markup of course names; it imports nothing
- `helpers.maths`: numpy only (the core: data, notation, network, training, gradient checks; `lessons/`: each
  lesson's computations)
- `helpers.display`: HTML/SVG views, tables, plots, widgets and the stepper; it imports the maths
- `helpers.exercises`: the checkers of the "Your turn" cells

    import helpers as hp
    ds = hp.load_students()
    params = hp.init_params([2, 2, 1], weight=1.0, bias=0.0)
    hist = hp.train(params, ds.X, ds.y, lr=0.001, epochs=5)
    hp.stepper()

Every public name is reachable as `hp.NAME`. The maths names are imported with the package; the display and
exercise names are imported on first use, so `import helpers` never loads matplotlib or ipywidgets.
"""

from importlib import import_module

from .maths import *  # noqa: F403  (the maths' __all__: every public maths name)
from .maths import __all__ as _MATHS

_LAZY = {   # name: the module that defines it, imported on first use
    **dict.fromkeys(["fmt", "latex", "sym", "markup"], "text"),
    **dict.fromkeys(["Table", "table", "epoch_table", "ChainTable", "chain_table"], "display.tables"),
    **dict.fromkeys(["Stepper", "stepper", "network_diagram", "computational_graph"], "display.stepper"),
    **dict.fromkeys(["one_weight_slider", "training_sliders", "symmetry_html", "init_picker",
                     "landscape_explorer", "fields_html", "network_fields", "training_explorer"], "display.widgets"),
    **dict.fromkeys(["plot_cost", "plot_decision_boundary", "plot_descent_pair", "plot_dependencies", "plot_landscape",
                     "plot_landscape_pair", "plot_layer_gradients", "plot_learned_vs_exact", "plot_loss",
                     "plot_lr_curves", "plot_one_weight", "plot_predictions", "plot_stability_scan"], "display.plots"),
    **dict.fromkeys(["Feedback", "check_answer", "check_choice", "progress"], "exercises.feedback"),
}

__all__ = [*_MATHS, *_LAZY]


def __getattr__(name: str):
    """Import a display or exercise name on first use (PEP 562)."""
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Every public name, the lazy ones included."""
    return sorted(set(globals()) | set(_LAZY))
