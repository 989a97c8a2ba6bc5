"""The computations behind single lessons, built on the core of `helpers.maths` (the core never imports them)."""
