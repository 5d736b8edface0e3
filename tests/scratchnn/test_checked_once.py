"""Argument checks that passed are remembered, and nothing a check refuses slips through.

``_memo.checked_once`` lets the second call with the same shapes, dtypes and
arguments skip the checks of ``conv2d``/``conv2d_backward`` and the pooling
functions. These tests pin down that the memo changes speed only: every call
that a fresh check would refuse is still refused with the same error.
"""
import numpy as np
import pytest

import scratchnn.functional as F
from scratchnn.functional import _conv_args, pooling
from scratchnn.functional._memory import set_memory_limit


@pytest.fixture
def x():
    return np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype(np.float32)


@pytest.fixture
def w():
    return np.random.default_rng(1).standard_normal((4, 3, 3, 3)).astype(np.float32)


def _count_calls(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)
    monkeypatch.setattr(module, name, spy)
    return calls


def test_the_same_convolution_is_checked_once_and_a_new_shape_again(monkeypatch, x, w):
    _conv_args.conv_geometry.cache_clear()
    calls = _count_calls(monkeypatch, _conv_args, "window_geometry")
    first = F.conv2d(x, w, None, 1, 1)
    assert np.array_equal(F.conv2d(x, w, None, 1, 1), first)
    assert len(calls) == 1
    F.conv2d(x[:1], w, None, 1, 1)  # another batch size: another geometry check
    F.conv2d(x, w, None, (1, 1), 1)  # a pair instead of an int: checked on its own
    assert len(calls) == 3


def test_pooling_checks_are_remembered_too(monkeypatch, x):
    pooling._pool_geometry.cache_clear()
    calls = _count_calls(monkeypatch, pooling, "window_geometry")
    for _ in range(3):
        F.max_pool2d(x, 2)
    assert len(calls) == 1


@pytest.mark.parametrize("bad", [True, 1.0, "1", [1, True], (1, 1.0)])
def test_a_remembered_stride_of_1_does_not_let_lookalikes_through(x, w, bad):
    F.conv2d(x, w, None, 1)
    F.conv2d(x, w, None, [1, 1])
    with pytest.raises(ValueError, match="stride="):
        F.conv2d(x, w, None, bad)


def test_numpy_integer_arguments_take_the_full_check_and_give_the_same_result(x, w):
    expected = F.conv2d(x, w, None, 2, 1)
    assert np.array_equal(F.conv2d(x, w, None, np.int64(2), np.int32(1)), expected)
    with pytest.raises(ValueError, match="stride="):
        F.conv2d(x, w, None, np.int64(0))


def test_a_remembered_flag_does_not_accept_a_truthy_stand_in(x):
    F.max_pool2d(x, 2, ceil_mode=False)
    with pytest.raises(TypeError, match="ceil_mode"):
        F.max_pool2d(x, 2, ceil_mode=0)


def test_a_remembered_dtype_pair_does_not_cover_a_mixed_one(x, w):
    F.conv2d(x, w)
    with pytest.raises(ValueError, match="dtype"):
        F.conv2d(x, w.astype(np.float64))
    with pytest.raises(ValueError, match="float32 or float64"):
        F.conv2d(x.astype(np.float16), w.astype(np.float16))


def test_a_lower_memory_limit_refuses_a_call_that_passed_before(x, w):
    F.conv2d(x, w)
    F.max_pool2d(x, 2)
    try:
        set_memory_limit(1024)
        with pytest.raises(ValueError, match="limit of 1024 bytes"):
            F.conv2d(x, w)
        with pytest.raises(ValueError, match="limit of 1024 bytes"):
            F.max_pool2d(x, 2)
    finally:
        set_memory_limit(None)
    F.conv2d(x, w)


def test_a_refused_call_is_refused_every_time(x, w):
    for _ in range(2):
        with pytest.raises(ValueError, match="padding="):
            F.conv2d(x, w, padding=-1)


def test_only_the_data_arguments_count_by_shape_an_array_elsewhere_is_checked_in_full():
    from scratchnn.functional._memo import _key
    assert _key(np.ones((2, 3)), array=True) == _key(np.zeros((2, 3)), array=True)
    with pytest.raises(TypeError):  # e.g. padding=np.array([1, 1]): its values matter
        _key(np.ones(2))
    with pytest.raises(TypeError):
        _key((1, np.int64(2)))
    assert _key(1) != _key(True) and _key(1) != _key(1.0) and _key((1, 1)) != _key([1, 1])
