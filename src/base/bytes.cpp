#include "bytes.h"

#include <algorithm>
#include <initializer_list>

namespace bkcheck {
namespace {

int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is invalid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i)
{
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    std::size_t length = 0;
    std::uint32_t min_code = 0;
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        min_code = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        min_code = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        min_code = 0x10000;
    } else
        return 0;
    if (i + length > text.size()) return 0;
    std::uint32_t code = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        code = code << 6 | (byte(i + k) & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    return length;
}

bool is_valid_utf8(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

std::string to_hex(ByteView bytes)
{
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (std::uint8_t byte : bytes) {
        text.push_back(k_digits[byte >> 4]);
        text.push_back(k_digits[byte & 0xF]);
    }
    return text;
}

std::optional<Bytes> from_hex(std::string_view text)
{
    if (text.size() % 2 != 0) return std::nullopt;
    Bytes bytes(text.size() / 2);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        int high = hex_value(text[2 * i]);
        int low = hex_value(text[2 * i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes[i] = static_cast<std::uint8_t>(high << 4 | low);
    }
    return bytes;
}

bool is_file_id(std::string_view text)
{
    if (text.size() != 40) return false;
    int values = 0;  // the values ORed: negative once any character is not lowercase hex
    for (char c : text) values |= lower_hex_value(c);
    return values >= 0;
}

bool is_blob_folder_name(std::string_view name)
{
    return name.size() == 2 && (lower_hex_value(name[0]) | lower_hex_value(name[1])) >= 0;
}

std::string to_upper_ascii(std::string text)
{
    for (char& c : text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return text;
}

std::string to_lower_ascii(std::string text)
{
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

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

template <typename Unit>
std::string utf8_of_utf16_units(std::basic_string_view<Unit> units)
{
    constexpr char32_t k_replacement = 0xFFFD;
    std::string out;
    out.reserve(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        char32_t unit = units[i];
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < units.size()) {
            char32_t low = units[i + 1];
            if (low >= 0xDC00 && low <= 0xDFFF) {
                append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                ++i;
                continue;
            }
        }
        // (A 32-bit wchar_t, as on Linux, can hold no code point past U+10FFFF either.)
        bool invalid = (unit >= 0xD800 && unit <= 0xDFFF) || unit > 0x10FFFF;
        append_utf8(out, invalid ? k_replacement : unit);
    }
    return out;
}

}  // namespace

std::string utf8_from_utf16(std::u16string_view units)
{
    return utf8_of_utf16_units(units);
}

std::string utf8_from_utf16(std::wstring_view units)
{
    return utf8_of_utf16_units(units);
}

std::string text_file_as_utf8(ByteView bytes)
{
    auto starts_with = [&](std::initializer_list<std::uint8_t> mark) {
        return bytes.size() >= mark.size() && std::equal(mark.begin(), mark.end(), bytes.begin());
    };
    if (starts_with({0xEF, 0xBB, 0xBF})) return std::string(bytes.begin() + 3, bytes.end());
    bool little = starts_with({0xFF, 0xFE});
    if (little || starts_with({0xFE, 0xFF})) {
        std::u16string units;
        for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
            units.push_back(static_cast<char16_t>(little ? bytes[i] | (bytes[i + 1] << 8)
                                                         : (bytes[i] << 8) | bytes[i + 1]));
        }
        return utf8_from_utf16(units);
    }
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace bkcheck
