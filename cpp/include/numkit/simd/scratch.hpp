// numkit/simd/scratch.hpp -- per-thread scratch memory for the CPU block kernels (host only).
//
// The block kernels classify, gather and run chunks of 2048 elements and need a few hundred KB of
// working arrays. On the stack that would crash threads with small stacks (musl's 128 KB default,
// some thread pools); so each kernel keeps its arrays in one struct per thread, allocated on the
// heap at the thread's first call and kept until the thread ends (never freed per call: the
// kernels run once per ufunc inner loop). Allocation failure returns nullptr, never throws; the
// callers then take their scalar path.
#pragma once

#include <new>

namespace numkit {
namespace simd {

// The thread's instance of T (trivially constructible arrays), or nullptr if it cannot be
// allocated. One instance per type: a kernel that calls another kernel uses a different type.
template <class T> inline T* thread_scratch() noexcept {
  struct holder {
    T* p = nullptr;
    ~holder() { delete p; }
  };
  thread_local holder h;
  if (h.p == nullptr) h.p = new (std::nothrow) T;
  return h.p;
}

}  // namespace simd
}  // namespace numkit
