"""Loading the datasets (helpers/data.py): exact values, names, bad CSV files, and standardising."""

import numpy as np
import pytest

import helpers as hp


def write(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


# ---- the course's datasets ----

def test_load_students_exact():
    ds = hp.load_students()
    assert ds.X.dtype == np.float64 and ds.y.dtype == np.float64
    assert ds.X.shape == (4, 2) and ds.y.shape == (4,)
    np.testing.assert_array_equal(ds.X, [[8, 8], [7, 9], [6, 10], [5, 12]])
    np.testing.assert_array_equal(ds.y, [4, 5, 6, 7])
    assert ds.feature_names == ("cgpa", "profile_score") and ds.target_name == "lpa"
    assert len(ds) == 4
    assert ds.rows()[0] == {"cgpa": 8.0, "profile_score": 8.0, "lpa": 4.0}
    assert ds.rows()[3] == {"cgpa": 5.0, "profile_score": 12.0, "lpa": 7.0}


def test_load_placements_exact():
    ds = hp.load_placements()
    np.testing.assert_array_equal(ds.X, [[8, 8], [7, 9], [6, 10], [5, 5]])
    np.testing.assert_array_equal(ds.y, [1, 1, 0, 0])
    assert ds.feature_names == ("cgpa", "profile_score") and ds.target_name == "placed"
    assert [r["placed"] for r in ds.rows()] == [1.0, 1.0, 0.0, 0.0]


def test_load_students_large():
    ds = hp.load_students_large()
    assert ds.X.shape == (300, 2) and ds.y.shape == (300,)
    assert ds.feature_names == ("cgpa", "iq") and ds.target_name == "lpa"
    assert np.all(np.isfinite(ds.X)) and np.all(np.isfinite(ds.y))
    assert ds.X[:, 1].mean() > 10 * ds.X[:, 0].mean()      # iq is on a much larger scale than cgpa


def test_dataset_arrays_are_independent_copies():
    a, b = hp.load_students(), hp.load_students()
    assert not np.shares_memory(a.X, b.X) and not np.shares_memory(a.X, a.y)


# ---- load_csv ----

def test_load_csv_picks_the_named_columns(tmp_path):
    path = write(tmp_path, "a, b ,c,t\n1,2,3,4\n\n5,6,7,8\n")
    ds = hp.load_csv(path, ["c", "a"], "t")
    np.testing.assert_array_equal(ds.X, [[3, 1], [7, 5]])
    np.testing.assert_array_equal(ds.y, [4, 8])
    assert ds.feature_names == ("c", "a") and ds.target_name == "t"


def test_csv_with_a_missing_column(tmp_path):
    path = write(tmp_path, "cgpa,lpa\n8,4\n")
    with pytest.raises(ValueError, match=r"d.csv: missing column\(s\) \['profile_score'\]; the header has "
                                         r"\['cgpa', 'lpa'\]"):
        hp.load_csv(path, ["cgpa", "profile_score"], "lpa")


def test_csv_with_a_missing_target(tmp_path):
    path = write(tmp_path, "cgpa,profile_score\n8,4\n")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['lpa'\]"):
        hp.load_csv(path, ["cgpa", "profile_score"], "lpa")


def test_csv_with_a_non_numeric_cell(tmp_path):
    path = write(tmp_path, "cgpa,profile_score,lpa\n8,8,4\n7,nine,5\n")
    with pytest.raises(ValueError, match=r"d.csv, line 3, column 'profile_score': 'nine' is not a number"):
        hp.load_csv(path, ["cgpa", "profile_score"], "lpa")


def test_csv_with_an_empty_cell(tmp_path):
    path = write(tmp_path, "cgpa,profile_score,lpa\n8,8,\n")
    with pytest.raises(ValueError, match=r"line 2, column 'lpa': '' is not a number"):
        hp.load_csv(path, ["cgpa", "profile_score"], "lpa")


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf"])
def test_csv_with_a_non_finite_cell(tmp_path, cell):
    path = write(tmp_path, f"cgpa,profile_score,lpa\n8,8,4\n7,9,{cell}\n")
    with pytest.raises(ValueError, match=rf"line 3, column 'lpa': '{cell}' is not a finite number"):
        hp.load_csv(path, ["cgpa", "profile_score"], "lpa")


def test_csv_with_no_rows(tmp_path):
    path = write(tmp_path, "cgpa,profile_score,lpa\n\n")
    with pytest.raises(ValueError, match="d.csv: no data rows after the header; expected at least one row"):
        hp.load_csv(path, ["cgpa", "profile_score"], "lpa")


def test_empty_csv(tmp_path):
    path = write(tmp_path, "")
    with pytest.raises(ValueError, match="d.csv: the file is empty; expected a header row and data rows"):
        hp.load_csv(path, ["cgpa", "profile_score"], "lpa")


def test_csv_row_with_the_wrong_number_of_cells(tmp_path):
    path = write(tmp_path, "cgpa,profile_score,lpa\n8,8,4\n7,9\n")
    with pytest.raises(ValueError, match="d.csv, line 3: 2 cells; expected 3 like the header"):
        hp.load_csv(path, ["cgpa", "profile_score"], "lpa")


def test_csv_that_does_not_exist(tmp_path):
    with pytest.raises(ValueError, match="path: no such file 'nope.csv'; expected a CSV file"):
        hp.load_csv(tmp_path / "nope.csv", ["cgpa"], "lpa")


# ---- standardise ----

def test_standardise_from_the_data():
    X = hp.load_students().X
    Xs, mean, std = hp.standardise(X)
    np.testing.assert_array_equal(mean, [6.5, 9.75])
    np.testing.assert_allclose(std, [np.sqrt(1.25), np.sqrt(((X[:, 1] - 9.75) ** 2).mean())], rtol=1e-15)
    np.testing.assert_allclose(Xs.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(Xs.std(axis=0), 1.0, rtol=1e-14)
    np.testing.assert_allclose(Xs[:, 0], (X[:, 0] - 6.5) / np.sqrt(1.25), rtol=1e-15)


def test_standardise_with_a_given_mean_and_std():
    X = hp.load_students().X
    Xs, mean, std = hp.standardise(X, mean=[1.0, 2.0], std=[2.0, 4.0])
    np.testing.assert_array_equal(Xs, (X - [1.0, 2.0]) / [2.0, 4.0])
    np.testing.assert_array_equal(mean, [1.0, 2.0])
    np.testing.assert_array_equal(std, [2.0, 4.0])
    # new rows are scaled with the training rows' statistics
    _, m, s = hp.standardise(X)
    np.testing.assert_allclose(hp.standardise(X[:1], m, s)[0], hp.standardise(X)[0][:1], rtol=1e-15)


def test_standardise_leaves_X_unchanged():
    X = hp.load_students().X
    X0 = X.copy()
    hp.standardise(X)
    np.testing.assert_array_equal(X, X0)


def test_standardise_a_constant_column():
    with pytest.raises(ValueError, match=r"std: a column is constant \(std 0\); it cannot be standardised"):
        hp.standardise([[1.0, 2.0], [1.0, 3.0]])


def test_standardise_one_dimensional_X():
    with pytest.raises(ValueError, match=r"X: expected a 2-D array.*got shape \(3,\)"):
        hp.standardise([1.0, 2.0, 3.0])


def test_standardise_no_rows():
    with pytest.raises(ValueError, match=r"X: expected a 2-D array .* with at least one row, got shape \(0, 2\)"):
        hp.standardise(np.empty((0, 2)))


def test_standardise_mean_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"mean and std: expected shape \(2,\), got \(3,\) and \(2,\)"):
        hp.standardise(hp.load_students().X, mean=[1.0, 2.0, 3.0], std=[1.0, 1.0])


def test_standardise_nan_in_X():
    with pytest.raises(ValueError, match="X: contains NaN or infinite values; expected finite numbers"):
        hp.standardise([[1.0, np.nan], [2.0, 3.0]])


def test_standardise_inf_in_std():
    with pytest.raises(ValueError, match="std: contains NaN or infinite values"):
        hp.standardise([[1.0, 2.0], [2.0, 3.0]], std=[1.0, np.inf])


def test_standardise_negative_std():
    with pytest.raises(ValueError, match=r"std: expected positive values, got \[1.0, -2.0\]"):
        hp.standardise([[1.0, 2.0], [2.0, 3.0]], std=[1.0, -2.0])


def test_standardise_not_numbers():
    with pytest.raises(TypeError, match="X: expected numbers, got list"):
        hp.standardise([["a", "b"]])


@pytest.mark.parametrize("features", ["cgpa", [], ["cgpa", 2]])
def test_load_csv_features_not_a_list_of_names(tmp_path, features):
    path = write(tmp_path, "cgpa,profile_score,lpa\n8,8,4\n")
    with pytest.raises(TypeError, match="features: expected a list of column names like"):
        hp.load_csv(path, features, "lpa")


def test_load_csv_target_not_a_name(tmp_path):
    path = write(tmp_path, "cgpa,profile_score,lpa\n8,8,4\n")
    with pytest.raises(TypeError, match=r"target: expected a column name like 'lpa', got \['lpa'\]"):
        hp.load_csv(path, ["cgpa"], ["lpa"])
