// How many workers verify and the seal check start, and that each runs once with its own index.
#include "worker_threads.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>
#include <thread>

using namespace bkcheck;

TEST_CASE("worker_count: one per core for 0, as asked otherwise, never more than k_max_threads",
          "[verify]")
{
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    CHECK(detail::worker_count(0) == std::min(cores, k_max_threads));
    CHECK(detail::worker_count(1) == 1);
    CHECK(detail::worker_count(3) == 3);
    CHECK(detail::worker_count(k_max_threads) == k_max_threads);
    CHECK(detail::worker_count(k_max_threads + 1) == k_max_threads);
    CHECK(detail::worker_count(4000000000u) == k_max_threads);
}

TEST_CASE("start_workers runs work(i) once for each i below the count", "[verify]")
{
    std::mutex lock;
    std::vector<unsigned> seen;
    std::vector<std::thread> threads = detail::start_workers(k_max_threads, [&](unsigned index) {
        std::lock_guard<std::mutex> guard(lock);
        seen.push_back(index);
    });
    CHECK(threads.size() == k_max_threads);
    for (std::thread& thread : threads) thread.join();
    std::sort(seen.begin(), seen.end());
    REQUIRE(seen.size() == k_max_threads);
    for (unsigned i = 0; i < k_max_threads; ++i) CHECK(seen[i] == i);
    CHECK(detail::start_workers(0, [](unsigned) {}).empty());
}
