"""The "Your turn" cells' checkers: `feedback` (right, close or how far off), then one module a notebook.

    from helpers.exercises import what as ex     # notebook 01; `how` for 02, `why` for 03
"""
