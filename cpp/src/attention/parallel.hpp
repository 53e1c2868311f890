// src/attention/parallel.hpp -- a bounded parallel-for: `workers` threads take items from an
// atomic counter. Every buffer a worker needs is allocated by the caller before the threads start,
// so nothing inside a worker can throw.
#pragma once

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace numkit {
namespace attention {

// fn(worker, item) for item in [0, nitems), on min(workers, nitems) threads (the caller's thread
// is worker 0).
template <class Fn> void parallel_for(int workers, long nitems, Fn&& fn) {
  const int nw = static_cast<int>(workers < 1 ? 1 : (workers > nitems ? nitems : workers));
  std::atomic<long> next{0};
  auto body = [&](int w) {
    for (long it = next.fetch_add(1); it < nitems; it = next.fetch_add(1)) fn(w, it);
  };
  if (nw <= 1) {
    body(0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(nw - 1));
  try {
    for (int w = 1; w < nw; ++w) pool.emplace_back(body, w);
  } catch (...) {
    // No more threads to be had: the ones started and this one finish the items.
  }
  body(0);
  for (auto& t : pool) t.join();
}

}  // namespace attention
}  // namespace numkit
