"""VMFMixture as a scikit-learn estimator (issue 10): clone, Pipeline, GridSearchCV and
scikit-learn's own estimator checks. numkit does not import scikit-learn; these tests do."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from numkit.stats import VMFMixture, VonMisesFisher

from .helpers import adjusted_rand_index, random_direction

sklearn = pytest.importorskip("sklearn")
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import Normalizer  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

# check_estimator's checks that do not apply, and why (each is an xfail, strict: if one starts to
# pass, the list is out of date).
SKIPPED_CHECKS = {
    "check_estimators_dtypes": "its integer data has all-zero rows: a zero row has no direction "
    "on the sphere, so numkit raises ValueError instead of guessing one",
    "check_estimator_sparse_tag": "its sparse data (60% zeros, p = 3) has all-zero rows "
    "(no direction); sparse input with non-zero rows is tested in test_sparse.py",
    "check_estimator_sparse_array": "all-zero rows, as check_estimator_sparse_tag",
    "check_estimator_sparse_matrix": "all-zero rows, as check_estimator_sparse_tag",
    "check_complex_data": "numkit raises TypeError (not ValueError) for complex data, the house "
    "rule for a wrong kind of input",
    "check_dtype_object": "numkit refuses object arrays (TypeError naming the dtype) rather than "
    "converting them element by element",
}


def _expected_failures(estimator: object) -> dict[str, str]:
    return SKIPPED_CHECKS


@parametrize_with_checks(
    [VMFMixture(normalize=True, random_state=0)],
    expected_failed_checks=_expected_failures,
    xfail_strict=True,
)
def test_sklearn_check_estimator(estimator: object, check: object) -> None:
    check(estimator)


def clusters(p: int = 20, n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    mus = [random_direction(p, seed + j) for j in range(3)]
    X = np.vstack(
        [VonMisesFisher(m, 200.0).rvs(n, random_state=seed + j) for j, m in enumerate(mus)]
    )
    return X, np.repeat(np.arange(3), n)


def test_clone_get_set_params_and_repr() -> None:
    m = VMFMixture(3, shared_kappa=True, max_kappa=1e6, random_state=4, n_init=2)
    c = clone(m)
    assert c is not m and c.get_params() == m.get_params()
    assert set(m.get_params()) == {
        "n_components",
        "shared_kappa",
        "kappa_prior",
        "assignment",
        "estimator",
        "tol",
        "max_iter",
        "n_init",
        "max_kappa",
        "normalize",
        "random_state",
        "warm_start",
        "verbose",
        "verbose_interval",
    }
    r = repr(m)
    for text in ("n_components=3", "random_state=4", "max_kappa=1000000.0", "normalize=False"):
        assert text in r
    assert m.set_params(n_components=2) is m and m.n_components == 2
    with pytest.raises(ValueError, match="invalid parameter 'n_clusters'"):
        m.set_params(n_clusters=2)


def test_pipeline_with_normalizer() -> None:
    X, y = clusters()
    pipe = Pipeline([("norm", Normalizer()), ("vmf", VMFMixture(3, random_state=0))])
    labels = pipe.fit(3.0 * X).predict(5.0 * X)  # the Normalizer makes the rows unit vectors
    assert adjusted_rand_index(y, labels) == 1.0
    assert pipe.score(X) == pytest.approx(pipe[-1].score(X))
    assert pipe[-1].n_features_in_ == 20


def test_grid_search_over_n_components() -> None:
    X, _ = clusters()
    X = X[np.random.default_rng(0).permutation(len(X))]  # every fold holds every cluster
    grid = GridSearchCV(VMFMixture(random_state=0), {"n_components": [1, 2, 3, 4]}, cv=3)
    grid.fit(X)
    # held-out log-likelihood: 3 true components beat 1 and 2 by far; 4 may tie with 3
    assert grid.best_params_["n_components"] in (3, 4)
    scores = grid.cv_results_["mean_test_score"]
    assert scores[2] > scores[1] + 1 and scores[1] > scores[0] + 1


def test_not_fitted_error_is_sklearns_when_sklearn_is_loaded() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        VMFMixture(2).predict(np.eye(3))


def test_numkit_does_not_import_sklearn() -> None:
    code = (
        "import sys, numpy as np\n"
        "from numkit.stats import VMFMixture\n"
        "m = VMFMixture(2, random_state=0).fit(np.eye(3)[[0, 0, 1, 1]] * 1.0)\n"
        "repr(m); m.get_params(); m.score(np.eye(3))\n"
        "try:\n    VMFMixture(2).predict(np.eye(3))\nexcept ValueError:\n    pass\n"
        "assert 'sklearn' not in sys.modules, 'numkit imported scikit-learn'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
