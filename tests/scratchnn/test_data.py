import numpy as np
import pytest
from sklearn import datasets

from scratchnn.data import SHAPE_CLASSES, load_digits, make_shapes


def test_digits_are_nchw_in_unit_range_with_fixed_split():
    d = load_digits()
    assert d.x_train.shape == (1437, 1, 8, 8) and d.x_test.shape == (360, 1, 8, 8)
    assert d.x_train.dtype == np.float64 and d.y_train.dtype == np.int64
    assert 0.0 <= d.x_train.min() and d.x_train.max() == 1.0
    assert d.class_names == tuple(str(k) for k in range(10))
    again = load_digits()
    np.testing.assert_array_equal(d.y_test, again.y_test)
    np.testing.assert_array_equal(d.x_test, again.x_test)


def test_digits_split_is_a_partition_of_sklearns_images_with_their_labels():
    ref = datasets.load_digits()
    d = load_digits()
    x = np.concatenate([d.x_train, d.x_test])[:, 0] * 16
    y = np.concatenate([d.y_train, d.y_test])
    ours = sorted(zip(map(bytes, x.astype(np.uint8)), y))
    theirs = sorted(zip(map(bytes, ref.images.astype(np.uint8)), ref.target))
    assert ours == theirs
    assert set(d.y_test) == set(range(10))


def test_digits_float32_and_other_test_size():
    d = load_digits(test_size=100, dtype=np.float32)
    assert d.x_test.shape[0] == 100 and d.x_train.shape[0] == 1697 and d.x_test.dtype == np.float32


def test_digits_rejects_a_test_set_as_large_as_the_data():
    with pytest.raises(ValueError, match="load_digits: test_size=1797 must be smaller than the 1797 images"):
        load_digits(test_size=1797)


def test_shapes_are_balanced_seeded_and_in_unit_range():
    s = make_shapes(40, size=20, seed=3)
    assert s.x.shape == (40, 1, 20, 20) and s.class_names == SHAPE_CLASSES
    assert np.bincount(s.y).tolist() == [10, 10, 10, 10]
    assert s.x.min() >= 0.0 and s.x.max() <= 1.0
    np.testing.assert_array_equal(s.x, make_shapes(40, size=20, seed=3).x)
    assert not np.array_equal(s.x, make_shapes(40, size=20, seed=4).x)


def test_shape_areas_differ_by_class_as_drawn():
    # Without noise, a shape of "radius" r covers about pi r^2 (circle), 2 r^2 (square with corners
    # on the circle), 7/4 r^2 (cross: two 2r x r/2 bars overlapping in an r/2 square) and
    # 3 sqrt(3)/4 r^2 ~ 1.3 r^2 (equilateral triangle), so the mean areas are ordered like that.
    s = make_shapes(400, size=40, seed=0, noise=0.0)
    area = (s.x[:, 0] > 0).sum(axis=(1, 2))
    mean = [area[s.y == k].mean() for k in range(4)]
    assert mean[0] > mean[1] > mean[3] > mean[2]


def test_shape_positions_vary():
    s = make_shapes(100, size=28, seed=1, noise=0.0)
    rows = np.arange(28)
    centre_row = (s.x[:, 0].sum(axis=2) * rows).sum(axis=1) / s.x[:, 0].sum(axis=(1, 2))
    assert centre_row.std() > 2.0


@pytest.mark.parametrize("kwargs,match", [
    (dict(n=0), "make_shapes: n=0 must be an integer >= 1"),
    (dict(n=4, size=4), "make_shapes: size=4 must be an integer >= 8"),
    (dict(n=4, noise=-1.0), "make_shapes: noise=-1.0 must be a number >= 0"),
])
def test_shapes_reject_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_shapes(**kwargs)


def test_docstring_examples_run():
    import doctest
    import importlib
    import sys
    importlib.import_module("scratchnn.data")
    result = doctest.testmod(sys.modules["scratchnn.data"], optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_digits_without_scikit_learn_say_what_to_install(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "sklearn", None)          # makes `import sklearn` fail
    with pytest.raises(ImportError, match="load_digits: needs scikit-learn.*pip install scikit-learn"):
        load_digits()
