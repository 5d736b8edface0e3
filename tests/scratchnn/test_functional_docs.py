"""The examples in scratchnn.functional's docstrings are true."""
import doctest
import importlib

import pytest

MODULES = ["conv", "columns", "padding", "pooling", "sizes"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"scratchnn.functional.{name}")
    result = doctest.testmod(module, extraglobs={"np": importlib.import_module("numpy")})
    assert result.attempted > 0 and result.failed == 0
