# ruff: noqa: E501, UP031  (the C++ text is emitted verbatim: long lines and %-formatting are its own)
"""Generate the Debye polynomials U_k(p) of DLMF 10.41.10 as C++ Horner code.

Exact rationals (fractions.Fraction) rounded once to double. Usage:
``python tests/special/gen_debye.py > cpp/include/numkit/special/debye.hpp``.
"""

from fractions import Fraction as F

K = 21  # U_0 .. U_20


def deriv(c):  # c: dict power->coef
    return {n - 1: a * n for n, a in c.items() if n > 0}


def integ(c):
    return {n + 1: a / (n + 1) for n, a in c.items()}


def mul(a, b):
    out = {}
    for n, x in a.items():
        for m, y in b.items():
            out[n + m] = out.get(n + m, 0) + x * y
    return {k: v for k, v in out.items() if v != 0}


def add(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return {k: v for k, v in out.items() if v != 0}


U = [{0: F(1)}]
for _k in range(K - 1):
    u = U[-1]
    t1 = mul({2: F(1, 2), 4: F(-1, 2)}, deriv(u))  # p^2 (1-p^2)/2 U_k'
    t2 = mul({0: F(1, 8)}, integ(mul({0: F(1), 2: F(-5)}, u)))  # 1/8 int_0^p (1-5t^2) U_k
    U.append(add(t1, t2))

assert U[1] == {1: F(3, 24), 3: F(-5, 24)}
lines = []
for k, u in enumerate(U):
    # U_k(p) = p^k * P_k(p^2),  P_k(q) = sum_j c_j q^j, j = 0..k
    cs = [u.get(k + 2 * j, F(0)) for j in range(k + 1)]
    assert set(u) <= {k + 2 * j for j in range(k + 1)}
    expr = f"{float(cs[-1])!r}"
    for c in reversed(cs[:-1]):
        expr = f"{float(c)!r} + q * ({expr})"
    lines.append((k, expr))

out = []
out.append(
    """// numkit/special/debye.hpp -- the Debye polynomials U_k(p) of the uniform asymptotic expansions
// of I_v and K_v for large order (DLMF 10.41.3, 10.41.4, polynomials 10.41.10 from the recurrence
// 10.41.9):
//
//   I_v(v z) ~ e^{v eta} / ((2 pi v)^{1/2} (1 + z^2)^{1/4}) * sum_k   U_k(p) / v^k
//   K_v(v z) ~ (pi / (2 v))^{1/2} e^{-v eta} / (1 + z^2)^{1/4} * sum_k (-1)^k U_k(p) / v^k
//   p = 1 / sqrt(1 + z^2),  eta = sqrt(1 + z^2) + log(z / (1 + sqrt(1 + z^2))).
//
// U_k(p) = p^k P_k(p^2) with P_k of degree k. The coefficients were generated from exact rational
// arithmetic (the recurrence) and rounded once to double; the generator is tests/special/gen_debye.py.
// debye_series<N>(p, t) returns sum_{k<N} U_k(p) t^k by Horner's rule in w = p t: branch-free with a
// fixed trip count, so that a block of elements vectorizes. Use t = 1/v for I, t = -1/v for K.
#pragma once

#include "numkit/config.hpp"

namespace numkit {
namespace special {
namespace detail {

constexpr int debye_max_terms = %d;

// P_k(q) for k = 0 .. debye_max_terms - 1.
template <class T> NUMKIT_HOST_DEVICE inline T debye_poly(int k, T q) {
  switch (k) {"""
    % K
)
for k, expr in lines:
    out.append(f"    case {k}: return static_cast<T>({expr});")
out.append("""    default: return T(0);
  }
}

// sum_{k=0}^{N-1} U_k(p) t^k.
template <int N, class T> NUMKIT_HOST_DEVICE inline T debye_series(T p, T t) {
  static_assert(N >= 1 && N <= debye_max_terms, "debye_series: 1 <= N <= debye_max_terms");
  const T q = p * p;
  const T w = p * t;
  T s = debye_poly<T>(N - 1, q);
  for (int k = N - 2; k >= 0; --k) s = s * w + debye_poly<T>(k, q);
  return s;
}

// P_K as a compile-time constant polynomial (one specialization per K): used by the vectorized
// block kernels, where a runtime switch would block vectorization.
#if defined(__GNUC__) && !defined(__CUDACC__)
#define NUMKIT_DEBYE_INLINE inline __attribute__((always_inline))
#else
#define NUMKIT_DEBYE_INLINE inline
#endif
template <int K> struct debye_p;
%s
#undef NUMKIT_DEBYE_INLINE

}  // namespace detail
}  // namespace special
}  // namespace numkit
""")
spec = "\n".join(
    f"template <> struct debye_p<{k}> {{\n  template <class T> NUMKIT_HOST_DEVICE NUMKIT_DEBYE_INLINE static T eval(T q) {{\n"
    f"    (void)q;\n    return static_cast<T>({expr});\n  }}\n}};"
    for k, expr in lines
)
out[-1] = out[-1] % spec
print("\n".join(out))
