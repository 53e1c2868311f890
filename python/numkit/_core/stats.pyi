# numkit._core.stats: the vMF log-normalizer ufuncs.
import numpy as np

vmf_log_normalizer: np.ufunc
vmf_log_normalizer_e: np.ufunc
