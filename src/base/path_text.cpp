#include "bkcheck/path_text.h"

#include "bytes.h"

#include <algorithm>
#include <type_traits>

namespace bkcheck {
namespace {

void append_utf8(std::string& out, char32_t code)
{
    if (code < 0x80) {
        out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
}

std::string utf8_of_utf16(std::wstring_view units)
{
    constexpr char32_t k_replacement = 0xFFFD;
    std::string out;
    out.reserve(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        auto unit = static_cast<char32_t>(units[i]) & 0xFFFF;
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < units.size()) {
            auto low = static_cast<char32_t>(units[i + 1]) & 0xFFFF;
            if (low >= 0xDC00 && low <= 0xDFFF) {
                append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                ++i;
                continue;
            }
        }
        append_utf8(out, unit >= 0xD800 && unit <= 0xDFFF ? k_replacement : unit);
    }
    return out;
}

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
        if (static_cast<std::uint32_t>(unit) > 0xFF) return utf8_of_utf16(units);
        bytes.push_back(static_cast<char>(unit));
    }
    // Bytes that are not UTF-8 were Latin-1 characters of a real UTF-16 name.
    return is_valid_utf8(bytes) ? bytes : utf8_of_utf16(units);
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
