import numpy as np
import pytest

from scratchnn import gradcheck
from scratchnn.gradcheck import numerical_gradient, relative_error


def test_correct_gradient_of_a_product_has_tiny_error():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    g = rng.normal(size=(3, 2))
    err = gradcheck(lambda a, b: a @ b, [a, b], [g @ b.T, a.T @ g], grad_output=g)
    assert err < 1e-8


def test_wrong_gradient_is_detected():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    g = rng.normal(size=(3, 2))
    wrong = (g @ b.T) * 1.01
    assert gradcheck(lambda a, b: a @ b, [a, b], [wrong, a.T @ g], grad_output=g) > 1e-3


def test_scalar_function_without_grad_output():
    x = np.array([0.5, -1.5, 2.0])
    assert gradcheck(lambda x: np.sum(np.sin(x)), x, np.cos(x)) < 1e-8


def test_inputs_are_restored_after_the_check():
    x = np.arange(6.0).reshape(2, 3)
    before = x.copy()
    numerical_gradient(lambda x: (x ** 3).sum(), [x], 0)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_matches_known_derivative():
    x = np.array([1.0, 2.0, -3.0])
    np.testing.assert_allclose(numerical_gradient(lambda x: x ** 3, [x], 0), 3 * x ** 2, rtol=1e-8)


def test_relative_error_ignores_entries_where_both_are_zero():
    assert relative_error(np.array([0.0, 2.0]), np.array([1e-12, 2.0])) < 1e-10
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_float32_inputs_are_refused():
    with pytest.raises(ValueError, match=r"gradcheck: inputs\[0\] must be a float64"):
        gradcheck(lambda x: x, np.ones(2, dtype=np.float32), np.ones(2, dtype=np.float32))


def test_mismatched_gradient_shape_is_refused():
    with pytest.raises(ValueError, match=r"analytic\[0\] has shape \(3,\) but inputs\[0\] has shape \(2,\)"):
        gradcheck(lambda x: x, np.ones(2), np.ones(3))


def test_mismatched_counts_and_bad_eps_are_refused():
    with pytest.raises(ValueError, match="got 2 inputs but 1 analytic"):
        gradcheck(lambda a, b: a + b, [np.ones(2), np.ones(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="eps=0 must be a positive float"):
        gradcheck(lambda x: x, np.ones(2), np.ones(2), eps=0)


def test_docstring_examples_run():
    import doctest
    import importlib
    import sys
    importlib.import_module("scratchnn.gradcheck")
    result = doctest.testmod(sys.modules["scratchnn.gradcheck"], optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
