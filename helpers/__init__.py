"""The backpropagation course's package: datasets, the network's maths, training, and later its views.

    import helpers as hp
    ds = hp.load_students()
    params = hp.init_params([2, 2, 1], weight=1.0, bias=0.0)
    hist = hp.train(params, ds.X, ds.y, lr=0.001, epochs=5)
"""

from .bugs import check_update, step_gradients, train_by_hand
from .chain import ChainRow, ChainTable, chain_rows, chain_table
from .cost import (
    CostRow,
    backprop_mults,
    chain_rule_mults,
    cost_table,
    fd_mults,
    forward_mults,
    n_params,
    time_gradients,
)
from .data import Dataset, load_csv, load_placements, load_students, load_students_large, standardise
from .exercises import Feedback, check_answer
from .gradcheck import GOOD, WRONG, GradCheck, check_gradients, compare_gradients, numerical_gradients, relative_error
from .grids import Grid, decision_grid, evaluate_grid, grid_axes
from .landscape import (
    collapse_linear,
    descent_paths,
    layer_gradient_sizes,
    loss_curve,
    loss_grid,
    loss_slope,
    nonlinearity,
    param_path,
)
from .network import Forward, forward, gradients, init_params, mean_loss, per_sample_loss, predict, sgd_step, sigmoid
from .notation import PARAM_NAMES, as_named, flatten, latex, locate, param_names, unflatten
from .one_weight import one_weight_loss, one_weight_slope, one_weight_step
from .plots import (
    plot_cost,
    plot_decision_boundary,
    plot_dependencies,
    plot_landscape,
    plot_landscape_pair,
    plot_layer_gradients,
    plot_learned_vs_exact,
    plot_loss,
    plot_lr_curves,
    plot_one_weight,
    plot_predictions,
    plot_stability_scan,
)
from .stability import (
    Convergence,
    Edge,
    grad_norm,
    is_stable,
    largest_stable_lr,
    stability_edge,
    stability_scan,
    train_until,
)
from .stepper import Stepper, network_diagram, stepper
from .tables import Table, fmt_number, table
from .training import History, Step, train
from .widgets import init_picker, landscape_explorer, one_weight_slider, symmetry_html, training_sliders

__all__ = [
    "Dataset", "load_csv", "load_placements", "load_students", "load_students_large", "standardise",
    "Feedback", "check_answer",
    "GOOD", "WRONG", "GradCheck", "check_gradients", "compare_gradients", "numerical_gradients",
    "relative_error",
    "Forward", "forward", "gradients", "init_params", "mean_loss", "per_sample_loss", "predict", "sgd_step",
    "sigmoid",
    "PARAM_NAMES", "as_named", "flatten", "latex", "locate", "param_names", "unflatten",
    "History", "Step", "train",
    "Stepper", "network_diagram", "stepper",
    "ChainRow", "ChainTable", "chain_rows", "chain_table",
    "one_weight_loss", "one_weight_slope", "one_weight_step", "one_weight_slider",
    "plot_dependencies", "plot_learned_vs_exact", "plot_one_weight",
    "Table", "fmt_number", "table",
    "check_update", "step_gradients", "train_by_hand",
    "Grid", "decision_grid", "evaluate_grid", "grid_axes",
    "plot_decision_boundary", "plot_loss", "plot_predictions", "training_sliders",
    "CostRow", "backprop_mults", "chain_rule_mults", "cost_table", "fd_mults", "forward_mults", "n_params",
    "time_gradients",
    "collapse_linear", "descent_paths", "layer_gradient_sizes", "loss_curve", "loss_grid",
    "loss_slope", "nonlinearity", "param_path",
    "Convergence", "Edge", "grad_norm", "is_stable", "largest_stable_lr", "stability_edge", "stability_scan",
    "train_until",
    "plot_cost", "plot_landscape", "plot_landscape_pair", "plot_layer_gradients", "plot_lr_curves",
    "plot_stability_scan",
    "init_picker", "landscape_explorer", "symmetry_html",
]
