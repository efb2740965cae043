// Formatting for people: sizes, dates, yes/no. JSON output uses the library's JsonWriter instead.
#pragma once

#include "text.h"  // count_of

#include <cstdint>
#include <optional>
#include <string>

namespace bkcheck {

// "1.4 GB", "512 KB", "17 bytes" (decimal units, as Finder shows them).
std::string human_bytes(std::uint64_t bytes);
// "2024-05-01 09:30 UTC", or "unknown".
std::string human_time(std::optional<std::int64_t> unix_seconds);
std::string yes_no(std::optional<bool> value);
// The text, or "unknown" when empty.
std::string or_unknown(const std::string& text);

}  // namespace bkcheck
