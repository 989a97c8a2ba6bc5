"""The course's maths, numpy only: data, notation, the network, backpropagation, training, gradient checks.

Importing it never imports matplotlib or ipywidgets. The modules, from the bottom up:

- `checks`: input checks with clear messages; `notation`: course names (w11^1 ...) <-> array positions
- `data`: the datasets; `network`: forward pass, losses, backpropagation, sgd_step
- `training`: train() and its History; `gradcheck`: finite differences and the gradient-check report
- `chain`: the chain-rule factors of every derivative; `graph`: a computational graph that differentiates itself
- `audit`: computations behind single sentences (least squares, collinearity, end-of-epoch loss, ...)
- computations behind single lessons: `one_weight`, `bugs`, `cost`, `stability`, `landscape`, `grids`
"""

from .chain import ChainRow, Factor, chain_rows
from .data import Dataset, load_csv, load_placements, load_students, load_students_large, load_xor, standardise
from .gradcheck import GOOD, WRONG, GradCheck, check_gradients, compare_gradients, numerical_gradients, relative_error
from .graph import Node, loss_graph, topological_order, total
from .history import History, Step
from .lessons import bugs  # noqa: F401  (notebook 02 reads the buggy updates as `from helpers.maths import bugs`)
from .lessons.audit import (
    centred_difference_errors,
    condition_number,
    cost_rows,
    full_batch_from,
    least_squares,
    loss_after_epochs,
    mean_predictor_loss,
    overshoots,
    params_after_epoch,
    timing_rows,
)
from .lessons.bugs import check_update, step_gradients, train_by_hand
from .lessons.gradient_cost import (
    CostRow,
    backprop_mults,
    chain_rule_mults,
    cost_table,
    fd_mults,
    forward_memory,
    forward_mults,
    time_gradients,
)
from .lessons.grids import Grid, accuracy, decision_grid, evaluate_grid, grid_axes, layer_grids
from .lessons.landscape import (
    collapse_linear,
    descent_paths,
    layer_gradient_sizes,
    loss_curve,
    loss_grid,
    loss_slope,
    nonlinearity,
    param_path,
)
from .lessons.one_weight import one_weight_loss, one_weight_slope, one_weight_step
from .lessons.stability import (
    Convergence,
    Edge,
    grad_norm,
    is_stable,
    largest_stable_lr,
    stability_edge,
    stability_scan,
    train_until,
)
from .network import (
    Forward,
    backward,
    forward,
    forward_pass,
    gradients,
    init_params,
    mean_loss,
    output_loss,
    per_sample_loss,
    predict,
    sgd_step,
    sigmoid,
    validate,
)
from .notation import PARAM_NAMES, as_named, flatten, locate, n_params, param_names, unflatten
from .training import train, train_more

__all__ = [
    "centred_difference_errors", "condition_number", "cost_rows", "full_batch_from", "least_squares",
    "loss_after_epochs", "mean_predictor_loss", "overshoots", "params_after_epoch", "timing_rows",
    "check_update", "step_gradients", "train_by_hand",
    "ChainRow", "Factor", "chain_rows",
    "CostRow", "backprop_mults", "chain_rule_mults", "cost_table", "fd_mults", "forward_memory", "forward_mults",
    "time_gradients",
    "Dataset", "load_csv", "load_placements", "load_students", "load_students_large", "load_xor", "standardise",
    "GOOD", "WRONG", "GradCheck", "check_gradients", "compare_gradients", "numerical_gradients", "relative_error",
    "Node", "loss_graph", "topological_order", "total",
    "Grid", "accuracy", "decision_grid", "evaluate_grid", "grid_axes", "layer_grids",
    "collapse_linear", "descent_paths", "layer_gradient_sizes", "loss_curve", "loss_grid", "loss_slope",
    "nonlinearity", "param_path",
    "Forward", "backward", "forward", "forward_pass", "gradients", "init_params", "mean_loss", "output_loss",
    "per_sample_loss", "predict", "sgd_step", "sigmoid", "validate",
    "PARAM_NAMES", "as_named", "flatten", "locate", "n_params", "param_names", "unflatten",
    "one_weight_loss", "one_weight_slope", "one_weight_step",
    "Convergence", "Edge", "grad_norm", "is_stable", "largest_stable_lr", "stability_edge", "stability_scan",
    "train_until",
    "History", "Step", "train", "train_more",
]
