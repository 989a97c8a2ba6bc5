"""The course notation in code: names, where each parameter lives, flat vectors in the course's order."""

import numpy as np
import pytest

import helpers as hp
from helpers.maths import notation

COURSE_NAMES = ["w11^1", "w12^1", "w21^1", "w22^1", "b11", "b12", "w11^2", "w21^2", "b21"]


def numbered_221():
    """Each parameter holds its position in the course's order (1..9)."""
    return {"W1": np.array([[1.0, 2.0], [3.0, 4.0]]), "b1": np.array([5.0, 6.0]),
            "W2": np.array([[7.0], [8.0]]), "b2": np.array([9.0])}


def test_the_nine_course_names():
    assert hp.PARAM_NAMES == COURSE_NAMES
    assert hp.param_names([2, 2, 1]) == COURSE_NAMES
    assert hp.param_names() == COURSE_NAMES


def test_names_of_other_sizes():
    assert hp.param_names([1, 1]) == ["w11^1", "b11"]
    assert hp.param_names([3, 1]) == ["w11^1", "w21^1", "w31^1", "b11"]
    names = hp.param_names([2, 8, 8, 1])
    assert len(names) == 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1 == len(set(names))
    assert names[-3:] == ["w71^3", "w81^3", "b31"]


def test_names_with_ten_or_more_neurons_stay_unique():
    names = hp.param_names([2, 12, 1])
    assert len(names) == len(set(names)) == 2 * 12 + 12 + 12 + 1
    assert "w1,10^1" in names and "b1,12" in names and "w12,1^2" in names


@pytest.mark.parametrize(("name", "key", "index"), [
    ("w11^1", "W1", (0, 0)), ("w12^1", "W1", (0, 1)), ("w21^1", "W1", (1, 0)), ("w22^1", "W1", (1, 1)),
    ("b11", "b1", (0,)), ("b12", "b1", (1,)), ("w11^2", "W2", (0, 0)), ("w21^2", "W2", (1, 0)), ("b21", "b2", (0,)),
])
def test_locate_every_course_name(name, key, index):
    p = hp.locate(name)
    assert (p.name, p.key, p.index) == (name, key, index)


def test_locate_w21_2():
    assert hp.locate("w21^2")[1:] == ("W2", (1, 0))


def test_locate_unknown_name():
    with pytest.raises(ValueError, match=r"name: unknown parameter 'w31\^1'; expected one of \['w11\^1'"):
        hp.locate("w31^1")


def test_get_by_course_name():
    p = numbered_221()
    assert [notation.get(p, n) for n in COURSE_NAMES] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    assert isinstance(notation.get(p, "b21"), float)
    big = hp.init_params([3, 4, 1], weight=None, seed=0)
    assert notation.get(big, "w34^1") == big["W1"][2, 3]


def test_flatten_in_course_order():
    np.testing.assert_array_equal(hp.flatten(numbered_221()), np.arange(1.0, 10.0))
    assert hp.as_named(numbered_221()) == dict(zip(COURSE_NAMES, range(1, 10)))
    assert list(hp.as_named(numbered_221())) == COURSE_NAMES


def test_unflatten_in_course_order():
    p = hp.unflatten(np.arange(1.0, 10.0), [2, 2, 1])
    assert list(p) == ["W1", "b1", "W2", "b2"]
    for k, v in numbered_221().items():
        np.testing.assert_array_equal(p[k], v)
        assert p[k].shape == v.shape and p[k].dtype == np.float64


@pytest.mark.parametrize("sizes", [[1, 1], [2, 2, 1], [3, 5, 1], [2, 8, 8, 1], [4, 1, 3, 2, 1], [2, 12, 1]])
def test_flatten_unflatten_roundtrip(sizes):
    p = hp.init_params(sizes, weight=None, seed=1)
    v = hp.flatten(p)
    back = hp.unflatten(v, sizes)
    assert set(back) == set(p) and all(np.array_equal(back[k], p[k]) for k in p)
    np.testing.assert_array_equal(hp.flatten(back), v)
    assert notation.layer_sizes_of(p) == sizes
    assert [notation.get(p, n) for n in hp.param_names(sizes)] == v.tolist()


def test_unflatten_copies():
    v = np.arange(1.0, 10.0)
    p = hp.unflatten(v, [2, 2, 1])
    p["W1"][0, 0] = 100.0
    assert v[0] == 1.0


def test_unflatten_wrong_length():
    with pytest.raises(ValueError, match=r"vector: expected shape \(9,\) for layer sizes \[2, 2, 1\], got \(8,\)"):
        hp.unflatten(np.zeros(8), [2, 2, 1])


def test_unflatten_not_a_vector():
    with pytest.raises(ValueError, match=r"vector: expected shape \(9,\).*got \(9, 1\)"):
        hp.unflatten(np.zeros((9, 1)), [2, 2, 1])


def test_param_list():
    pl = notation.param_list([2, 2, 1])
    assert [p.name for p in pl] == COURSE_NAMES
    assert pl[6] == notation.Param("w11^2", "W2", (0, 0))


@pytest.mark.parametrize(("name", "tex"), [("w11^1", "w_{11}^{1}"), ("w21^2", "w_{21}^{2}"), ("b11", "b_{11}"),
                                           ("b21", "b_{21}"), ("w1,10^1", "w_{1,10}^{1}")])
def test_latex(name, tex):
    assert hp.latex(name) == tex


@pytest.mark.parametrize("sizes", [[2, 0, 1], [2, "a", 1], [2.5, 1]])
def test_bad_layer_sizes_are_named(sizes):
    with pytest.raises(ValueError, match="layer_sizes: every size must be a positive integer"):
        hp.param_names(sizes)
    with pytest.raises(ValueError, match="layer_sizes: every size must be a positive integer"):
        hp.unflatten(np.zeros(3), sizes)


def test_layer_sizes_not_a_list_in_param_names():
    with pytest.raises(TypeError, match="layer_sizes: expected a list of positive integers like"):
        hp.param_names(5)
