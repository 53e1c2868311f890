# numkit._core.special: the log-Bessel ufuncs (re-exported by numkit.special).
import numpy as np

log_iv: np.ufunc
log_kv: np.ufunc
log_ive: np.ufunc
log_kve: np.ufunc
iv_ratio: np.ufunc
log_iv_dx: np.ufunc
log_kv_dx: np.ufunc
log_iv_dv: np.ufunc
log_kv_dv: np.ufunc
