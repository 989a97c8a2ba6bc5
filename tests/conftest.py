"""Fixtures shared by the test folders."""

import warnings

import pytest


@pytest.fixture
def no_warnings():
    """The test fails on any warning: none may reach a learner from helpers."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
