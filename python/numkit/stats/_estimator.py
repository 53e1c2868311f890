"""scikit-learn's estimator protocol without importing scikit-learn at run time.

What sklearn.base.clone, Pipeline, GridSearchCV and check_estimator use: ``get_params`` /
``set_params`` read from the ``__init__`` signature, a repr with every parameter, tags in both
spellings (``__sklearn_tags__`` for scikit-learn >= 1.6, which imports scikit-learn lazily -- it
is only ever called by scikit-learn -- and ``_more_tags`` for older releases) and
``__sklearn_is_fitted__``. ``__init__`` of a subclass stores its arguments and nothing else;
validation happens in ``fit`` (set_params bypasses ``__init__``).
"""

from __future__ import annotations

import inspect
import sys
from typing import Any, ClassVar

__all__ = ["EstimatorProtocol", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """A method that needs a fitted estimator was called before ``fit`` (the same bases as
    scikit-learn's NotFittedError, so code catching either works)."""


def _not_fitted_class() -> type[NotFittedError]:
    """NotFittedError, or, when scikit-learn is already loaded, a subclass that is also
    scikit-learn's NotFittedError (its checks and user code catch that class by name)."""
    global _BOTH
    skl = sys.modules.get("sklearn.exceptions")
    if skl is None:
        return NotFittedError
    if _BOTH is None:
        _BOTH = type("NotFittedError", (NotFittedError, skl.NotFittedError), {})
    return _BOTH


_BOTH: type[NotFittedError] | None = None


class EstimatorProtocol:
    """Mixin: parameters from the ``__init__`` signature, repr, tags and fitted state."""

    _estimator_type: ClassVar[str] = "DensityEstimator"  # scikit-learn < 1.6 reads this
    _fitted_attribute: ClassVar[str] = ""  # an attribute that exists only after fit
    _input_sparse: ClassVar[bool] = True

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            name
            for name, par in sig.parameters.items()
            if name != "self" and par.kind not in (par.VAR_POSITIONAL, par.VAR_KEYWORD)
        ]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters as a dict (``deep`` has no nested estimators to expand)."""
        del deep
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> EstimatorProtocol:
        """Set constructor parameters (checked when ``fit`` runs); returns self."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"invalid parameter {name!r} for {type(self).__name__}; valid parameters "
                    f"are {', '.join(valid)}"
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, self._fitted_attribute)

    def _check_fitted(self) -> None:
        if not self.__sklearn_is_fitted__():
            raise _not_fitted_class()(
                f"this {type(self).__name__} instance is not fitted yet: call fit(X) first"
            )

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(
            estimator_type="density_estimator",
            target_tags=TargetTags(required=False),
            input_tags=InputTags(sparse=self._input_sparse, allow_nan=False),
            requires_fit=True,
        )

    def _more_tags(self) -> dict[str, Any]:
        return {"requires_y": False, "allow_nan": False, "X_types": ["2darray", "sparse"]}
