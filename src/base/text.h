// Wording shared by the messages of every layer (findings, plans, reports).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

// "1 file", "3 files": the count with the noun in the form it takes (every text report uses it).
std::string count_of(std::uint64_t count, std::string_view one, std::string_view many);

// The parts of a '/'-separated path as written, empty ones included ("a//b/" gives "a", "", "b",
// ""), so a caller can refuse what it must not build a path from.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace bkcheck
