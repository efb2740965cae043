// The worker threads of verify's pipeline and of the seal check: how many, and starting them.
#pragma once

#include "bkcheck/verifier.h"

#include <functional>
#include <thread>
#include <vector>

namespace bkcheck::detail {

// `requested`, or one per core for 0; at most k_max_threads (verifier.h).
unsigned worker_count(unsigned requested);

// Starts up to `count` threads running `work(i)` for i = 0, 1, ...; when the system refuses one
// (std::system_error: a thread limit, no memory for a stack), the run goes on with those started.
std::vector<std::thread> start_workers(unsigned count, const std::function<void(unsigned)>& work);

}  // namespace bkcheck::detail
