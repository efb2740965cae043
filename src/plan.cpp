#include "bkcheck/plan.h"

namespace bkcheck {

std::uint64_t Plan::bytes() const
{
    std::uint64_t total = 0;
    for (const Action& action : actions) total += action.bytes;
    return total;
}

}  // namespace bkcheck
