// Wording shared by the messages of every layer (findings, plans, reports).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bkcheck {

// "1 file", "3 files": the count with the noun in the form it takes (every text report uses it).
std::string count_of(std::uint64_t count, std::string_view one, std::string_view many);

}  // namespace bkcheck
