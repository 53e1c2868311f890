# Stubs for numkit's compiled core (one submodule per part). Private: use the public modules.
# Checked against the built extension by mypy.stubtest (tests/test_stubs.py).
from . import attention as attention
from . import hamming as hamming
from . import quadrature as quadrature
from . import special as special
from . import splines as splines
from . import stats as stats
