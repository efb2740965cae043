#include "text_format.h"
#include "text.h"

#include <cstdio>
#include <ctime>

namespace bkcheck {

std::string human_bytes(std::uint64_t bytes)
{
    static const char* const k_units[] = {"KB", "MB", "GB", "TB", "PB"};
    if (bytes < 1000) return count_of(bytes, "byte", "bytes");
    double value = static_cast<double>(bytes);
    int unit = -1;
    while (value >= 1000 && unit < 4) {
        value /= 1000;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, value < 10 ? "%.1f %s" : "%.0f %s", value, k_units[unit]);
    return buffer;
}

std::string human_time(std::optional<std::int64_t> unix_seconds)
{
    if (!unix_seconds) return "unknown";
    std::time_t time = static_cast<std::time_t>(*unix_seconds);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &parts);
    return buffer;
}

std::string yes_no(std::optional<bool> value)
{
    if (!value) return "unknown";
    return *value ? "yes" : "no";
}

std::string or_unknown(const std::string& text)
{
    return text.empty() ? "unknown" : text;
}

}  // namespace bkcheck
