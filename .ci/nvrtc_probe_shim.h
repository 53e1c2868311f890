// DIAGNOSTIC ONLY, never part of numkit: the smallest prelude that makes the kernel headers of
// cpp/include/numkit/ compile under NVRTC 12.9 (python .ci/cuda_check.py --only nvrtc --prelude
// .ci/nvrtc_probe_shim.h). It shows which host-header names and GCC builtins the headers still use
// under __CUDACC_RTC__; the fix belongs in the headers (config.hpp and special/), not here.
namespace std {
typedef unsigned long size_t; typedef unsigned long long uint64_t; typedef long long int64_t; typedef unsigned int uint32_t; typedef int int32_t;
template <bool B, class T = void> struct enable_if {};
template <class T> struct enable_if<true, T> { typedef T type; };
template <bool B, class T = void> using enable_if_t = typename enable_if<B, T>::type;
template <class T> struct is_arithmetic { static constexpr bool value = false; };
template <> struct is_arithmetic<double> { static constexpr bool value = true; };
template <> struct is_arithmetic<float> { static constexpr bool value = true; };
template <> struct is_arithmetic<int> { static constexpr bool value = true; };
template <> struct is_arithmetic<long> { static constexpr bool value = true; };
template <> struct is_arithmetic<long long> { static constexpr bool value = true; };
template <> struct is_arithmetic<unsigned> { static constexpr bool value = true; };
template <> struct is_arithmetic<unsigned long> { static constexpr bool value = true; };
template <class T, T... I> struct integer_sequence {};
template <class A, class B> struct is_same { static constexpr bool value = false; };
template <class A> struct is_same<A, A> { static constexpr bool value = true; };
template <size_t... I> using index_sequence = integer_sequence<size_t, I...>;
template <int... I> struct iseq_ {};
template <int N, int... I> struct mk_ : mk_<N - 1, N - 1, I...> {};
template <int... I> struct mk_<0, I...> { typedef iseq_<I...> type; };
template <class T, class S> struct to_;
template <class T, int... I> struct to_<T, iseq_<I...>> { typedef integer_sequence<T, T(I)...> type; };
template <class T, T N> using make_integer_sequence = typename to_<T, typename mk_<int(N)>::type>::type;
template <size_t N> using make_index_sequence = make_integer_sequence<size_t, N>;
}
#define __builtin_huge_val() __longlong_as_double(0x7ff0000000000000ULL)
#define __builtin_huge_valf() __int_as_float(0x7f800000)
#define __builtin_nan(s) __longlong_as_double(0x7ff8000000000000ULL)
#define __builtin_nanf(s) __int_as_float(0x7fc00000)
#define __builtin_fabs(a) fabs(a)
#define __builtin_memcpy(d, s, n) memcpy(d, s, n)
