// The hex, UTF-8 and fileID helpers every part of the format needs, over the byte buffers of
// status.h.
#pragma once

#include "bkcheck/status.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

// Lowercase hex of the bytes.
std::string to_hex(ByteView bytes);

// Parses hex (either case); nullopt when the text has odd length or a non-hex character.
std::optional<Bytes> from_hex(std::string_view text);

// Length of the valid UTF-8 sequence starting at text[i] (i < size), or 0 when it is not valid
// UTF-8 (overlong forms, surrogates and values past U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);
bool is_valid_utf8(std::string_view text);
// UTF-16 code units as UTF-8; an unpaired surrogate becomes U+FFFD (as WideCharToMultiByte does).
// The wide form is Windows' UTF-16 (wchar_t), the one converter of every Win32 answer.
std::string utf8_from_utf16(std::u16string_view units);
std::string utf8_from_utf16(std::wstring_view units);
// A text file's bytes as UTF-8, whatever an editor saved them as: a UTF-8 byte order mark is
// dropped, and UTF-16 with its mark (little- or big-endian: Windows PowerShell 5.1's
// `echo secret > file`) is converted. Anything else is taken as it is.
std::string text_file_as_utf8(ByteView bytes);

// Per byte: its value as a lowercase hex digit, -1 for any other byte. A table, because telling
// fileIDs from other text with two range compares per character was 9 % of a structural verify
// (every row's fileID is checked and parsed more than once).
inline constexpr std::array<std::int8_t, 256> k_lower_hex_values = [] {
    std::array<std::int8_t, 256> values{};
    for (auto& value : values) value = -1;
    for (int c = '0'; c <= '9'; ++c)
        values[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c)
        values[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
    return values;
}();

inline int lower_hex_value(char c)
{
    return k_lower_hex_values[static_cast<unsigned char>(c)];
}

// True for exactly 40 lowercase hex characters: the only shape a fileID (and blob name) may have.
bool is_file_id(std::string_view text);

// True for the two lowercase hex digits that name a blob folder ("3d"), as Manifest.db backups use.
bool is_blob_folder_name(std::string_view name);

// ASCII lowercase (UDIDs and hex are compared case-insensitively; other bytes are left alone).
std::string to_lower_ascii(std::string text);
std::string to_upper_ascii(std::string text);

}  // namespace bkcheck
