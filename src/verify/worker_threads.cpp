#include "worker_threads.h"

#include <algorithm>
#include <system_error>

namespace bkcheck::detail {

unsigned worker_count(unsigned requested)
{
    unsigned count = requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
    return std::min(count, k_max_threads);
}

std::vector<std::thread> start_workers(unsigned count, const std::function<void(unsigned)>& work)
{
    std::vector<std::thread> threads;
    threads.reserve(count);
    for (unsigned i = 0; i < count; ++i) {
        try {
            threads.emplace_back(work, i);
        } catch (const std::system_error&) {
            break;
        }
    }
    return threads;
}

}  // namespace bkcheck::detail
