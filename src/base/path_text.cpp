#include "bkcheck/path_text.h"

#include "bytes.h"

#include <algorithm>
#include <type_traits>

namespace bkcheck {
namespace {

// A template, so that only the platform's branch is compiled: POSIX paths are bytes already.
template <typename Native>
std::string text_of_native(const Native& native)
{
    if constexpr (std::is_same_v<typename Native::value_type, char>) {
        return native;
    } else {
        return text_of_wide_path(native);
    }
}

}  // namespace

std::string text_of_wide_path(std::wstring_view units)
{
    std::string bytes;
    bytes.reserve(units.size());
    for (wchar_t unit : units) {
        if (static_cast<std::uint32_t>(unit) > 0xFF) return utf8_from_utf16(units);
        bytes.push_back(static_cast<char>(unit));
    }
    // Bytes that are not UTF-8 were Latin-1 characters of a real UTF-16 name.
    return is_valid_utf8(bytes) ? bytes : utf8_from_utf16(units);
}

std::string path_text(const std::filesystem::path& path)
{
    return text_of_native(path.native());
}

std::string generic_path_text(const std::filesystem::path& path)
{
    std::string text = path_text(path);
    if constexpr (std::filesystem::path::preferred_separator != '/')
        std::replace(text.begin(), text.end(),
                     static_cast<char>(std::filesystem::path::preferred_separator), '/');
    return text;
}

}  // namespace bkcheck
