"""The course's maths, numpy only: data, notation, the network, backpropagation, training, gradient checks.

Importing it never imports matplotlib or ipywidgets. The core, from the bottom up:

- `checks`: input checks with clear messages; `notation`: course names (w11^1 ...) <-> array positions
- `activations`: each activation's value and derivative, written once; `data`: the datasets
- `network`: forward pass, losses, backpropagation, sgd_step
- `history`: a training run's record (`History`, `Step`); `training`: train(); `float_loop`: its loop on floats
- `gradcheck`: finite differences and the gradient-check report
- `chain`: the chain-rule factors of every derivative; `graph`: a computational graph that differentiates itself

`lessons/` holds the computations behind single lessons, built on the core (which never imports them):
`one_weight`, `bugs` (the buggy updates), `gradient_cost` (counting and timing the ways to get gradients),
`stability` (how large a learning rate survives), `landscape` (the loss over one or two parameters),
`grids` (outputs over a grid of inputs), `linear_fit` (least squares, collinearity), `epoch_losses`
(the loss at the end of each epoch), `finite_precision` (the centred difference in float32).
"""

from .chain import ChainRow, Factor, chain_rows
from .data import Dataset, load_csv, load_placements, load_students, load_students_large, load_xor, standardise
from .gradcheck import (
                        GOOD,
                        WRONG,
                        GradCheck,
                        check_gradients,
                        compare_gradients,
                        numerical_gradient,
                        numerical_gradients,
                        relative_error,
)
from .graph import Node, forward_mode, loss_graph, mode_costs, reverse_mode, topological_order, total
from .history import History, Step
from .lessons import bugs  # noqa: F401  (notebook 02 reads the buggy updates as `from helpers.maths import bugs`)
from .lessons.bugs import check_update, step_gradients, train_by_hand
from .lessons.epoch_losses import loss_after_epochs, loss_rows, params_after_epoch, rising_epochs
from .lessons.finite_precision import centred_difference_errors
from .lessons.gradient_cost import (
                        CostRow,
                        backprop_mults,
                        chain_rule_mults,
                        cost_rows,
                        cost_table,
                        fd_mults,
                        forward_memory,
                        forward_mults,
                        time_gradients,
                        timing_rows,
                        timing_summary,
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
                        overshoots,
                        param_path,
)
from .lessons.linear_fit import condition_number, edge_from_curvature, least_squares, mean_predictor_loss
from .lessons.one_weight import one_weight_loss, one_weight_slope, one_weight_step
from .lessons.stability import (
                        Convergence,
                        Edge,
                        full_batch_from,
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
    "centred_difference_errors", "condition_number", "cost_rows", "edge_from_curvature", "full_batch_from",
    "least_squares",
    "loss_after_epochs", "loss_rows", "mean_predictor_loss", "overshoots", "params_after_epoch", "rising_epochs",
    "timing_rows",
    "timing_summary",
    "check_update", "step_gradients", "train_by_hand",
    "ChainRow", "Factor", "chain_rows",
    "CostRow", "backprop_mults", "chain_rule_mults", "cost_table", "fd_mults", "forward_memory", "forward_mults",
    "time_gradients",
    "Dataset", "load_csv", "load_placements", "load_students", "load_students_large", "load_xor", "standardise",
    "GOOD", "WRONG", "GradCheck", "check_gradients", "compare_gradients", "numerical_gradient", "numerical_gradients",
    "relative_error",
    "Node", "forward_mode", "loss_graph", "mode_costs", "reverse_mode", "topological_order", "total",
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
