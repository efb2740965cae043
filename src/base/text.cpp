#include "text.h"

namespace bkcheck {

std::string count_of(std::uint64_t count, std::string_view one, std::string_view many)
{
    return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

}  // namespace bkcheck
