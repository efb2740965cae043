#include "bkcheck/plist.h"

#include <plist/plist.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace bkcheck {
namespace {

// libplist dates count from 2001-01-01 (the Cocoa epoch); Unix time counts from 1970.
constexpr std::int64_t k_cocoa_epoch_offset = 978307200;

// libplist 2.2's parsers recurse without a depth limit and read 32-bit lengths; refusing very large
// documents up front bounds the work hostile input can cause. Real backup plists are a few MB at most
// (Info.plist carries app icons); 256 MiB leaves room for any real one.
constexpr std::size_t k_max_plist_bytes = 256u << 20;

// libplist 2.2 asserts (and Debian builds it with asserts on) when a string or dictionary key holds a
// NUL byte, which a hostile file can encode. No real plist has one, so such files are refused before
// any getter could reach those asserts.

// True when a binary plist's object table holds an ASCII or UTF-16 string with a NUL character.
// Anything malformed here is left for libplist's own parser to reject.
bool binary_plist_has_nul_string(ByteView bytes)
{
    constexpr std::size_t k_header = 8;
    constexpr std::size_t k_trailer = 32;
    if (bytes.size() < k_header + k_trailer) return false;
    ByteView trailer = bytes.subspan(bytes.size() - k_trailer);
    auto read_be = [&](std::size_t offset, std::size_t width) -> std::optional<std::uint64_t> {
        if (width == 0 || width > 8 || offset > bytes.size() || bytes.size() - offset < width) return std::nullopt;
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < width; ++i) value = value << 8 | bytes[offset + i];
        return value;
    };
    std::size_t offset_size = trailer[6];
    std::uint64_t object_count = *read_be(bytes.size() - k_trailer + 8, 8);
    std::uint64_t table_offset = *read_be(bytes.size() - k_trailer + 24, 8);
    if (offset_size == 0 || offset_size > 8 || table_offset >= bytes.size() ||
        object_count > (bytes.size() - table_offset) / offset_size) {
        return false;
    }
    for (std::uint64_t i = 0; i < object_count; ++i) {
        auto object = read_be(static_cast<std::size_t>(table_offset + i * offset_size), offset_size);
        if (!object || *object >= bytes.size()) continue;
        std::size_t at = static_cast<std::size_t>(*object);
        unsigned marker = bytes[at] >> 4;
        if (marker != 0x5 && marker != 0x6) continue;
        std::uint64_t count = bytes[at] & 0xF;
        std::size_t start = at + 1;
        if (count == 0xF) {  // the length follows as an integer object: 0x1N, then 2^N bytes
            if (start >= bytes.size() || (bytes[start] >> 4) != 0x1) continue;
            std::size_t width = std::size_t{1} << (bytes[start] & 0x3);
            auto length = read_be(start + 1, width);
            if (!length) continue;
            count = *length;
            start += 1 + width;
        }
        std::uint64_t unit = marker == 0x6 ? 2 : 1;
        if (start > bytes.size() || count > (bytes.size() - start) / unit) continue;
        for (std::uint64_t k = 0; k < count; ++k) {
            std::size_t pos = static_cast<std::size_t>(start + k * unit);
            if (bytes[pos] == 0 && (unit == 1 || bytes[pos + 1] == 0)) return true;
        }
    }
    return false;
}

// True when XML text holds a raw NUL or a character reference to NUL (&#0; &#x00; ...).
bool xml_plist_has_nul(std::string_view text)
{
    if (text.find('\0') != std::string_view::npos) return true;
    for (std::size_t at = text.find("&#"); at != std::string_view::npos; at = text.find("&#", at + 2)) {
        std::size_t i = at + 2;
        if (i < text.size() && (text[i] == 'x' || text[i] == 'X')) ++i;
        std::size_t digits = i;
        while (i < text.size() && text[i] == '0') ++i;
        if (i > digits && i < text.size() && text[i] == ';') return true;
    }
    return false;
}

}  // namespace

PlistType PlistNode::type() const
{
    if (m_node == nullptr) return PlistType::None;
    switch (plist_get_node_type(m_node)) {
    case PLIST_BOOLEAN: return PlistType::Boolean;
    case PLIST_UINT: return PlistType::Integer;
    case PLIST_REAL: return PlistType::Real;
    case PLIST_STRING: return PlistType::String;
    case PLIST_DATE: return PlistType::Date;
    case PLIST_DATA: return PlistType::Data;
    case PLIST_ARRAY: return PlistType::Array;
    case PLIST_DICT: return PlistType::Dict;
    case PLIST_UID: return PlistType::Uid;
    default: return PlistType::Other;
    }
}

std::optional<std::string> PlistNode::string() const
{
    if (type() != PlistType::String) return std::nullopt;
    // plist_get_string_val asserts (aborts, in Debian's build) on a string holding a NUL byte.
    std::uint64_t length = 0;
    const char* value = plist_get_string_ptr(m_node, &length);
    return value == nullptr ? std::string() : std::string(value, length);
}

std::optional<std::int64_t> PlistNode::integer() const
{
    if (type() == PlistType::Integer) {
        // libplist 2.2 stores every integer as uint64; negative values come back two's complement.
        std::uint64_t value = 0;
        plist_get_uint_val(m_node, &value);
        return static_cast<std::int64_t>(value);
    }
    if (type() == PlistType::Real) {
        double value = 0;
        plist_get_real_val(m_node, &value);
        if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 9.2e18) {
            return static_cast<std::int64_t>(value);
        }
    }
    return std::nullopt;
}

std::optional<bool> PlistNode::boolean() const
{
    if (type() != PlistType::Boolean) return std::nullopt;
    std::uint8_t value = 0;
    plist_get_bool_val(m_node, &value);
    return value != 0;
}

std::optional<Bytes> PlistNode::data() const
{
    if (type() != PlistType::Data) return std::nullopt;
    char* value = nullptr;
    std::uint64_t length = 0;
    plist_get_data_val(m_node, &value, &length);
    Bytes bytes(reinterpret_cast<std::uint8_t*>(value), reinterpret_cast<std::uint8_t*>(value) + length);
    std::free(value);
    return bytes;
}

std::optional<std::int64_t> PlistNode::date_unix() const
{
    if (type() != PlistType::Date) return std::nullopt;
    // libplist 2.2 keeps a date as a double but its getter returns 32-bit seconds, so from
    // 2069-01-19 on a date wraps round to 1932. Its binary form holds the double itself: a
    // one-object bplist is "bplist00", then 0x33 and the 8-byte big-endian double.
    char* binary = nullptr;
    std::uint32_t length = 0;
    plist_to_bin(m_node, &binary, &length);
    if (binary != nullptr && length >= 17 && static_cast<unsigned char>(binary[8]) == 0x33) {
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = bits << 8 | static_cast<unsigned char>(binary[9 + i]);
        plist_to_bin_free(binary);
        double seconds = 0;
        std::memcpy(&seconds, &bits, sizeof seconds);
        // Beyond +-2^53 s (285 million years) a date is not a backup's: refused, not converted.
        if (!std::isfinite(seconds) || std::fabs(seconds) > 9.0e15) return std::nullopt;
        return static_cast<std::int64_t>(std::floor(seconds)) + k_cocoa_epoch_offset;
    }
    if (binary != nullptr) plist_to_bin_free(binary);
    std::int32_t seconds = 0;
    std::int32_t microseconds = 0;
    plist_get_date_val(m_node, &seconds, &microseconds);
    return static_cast<std::int64_t>(seconds) + k_cocoa_epoch_offset;
}

std::optional<std::uint64_t> PlistNode::uid() const
{
    if (type() != PlistType::Uid) return std::nullopt;
    std::uint64_t value = 0;
    plist_get_uid_val(m_node, &value);
    return value;
}

PlistNode PlistNode::operator[](const char* key) const
{
    if (type() != PlistType::Dict) return PlistNode();
    return PlistNode(plist_dict_get_item(m_node, key));
}

PlistNode PlistNode::at(std::size_t index) const
{
    if (type() != PlistType::Array || index >= size()) return PlistNode();
    return PlistNode(plist_array_get_item(m_node, static_cast<std::uint32_t>(index)));
}

std::size_t PlistNode::size() const
{
    if (type() == PlistType::Array) return plist_array_get_size(m_node);
    if (type() == PlistType::Dict) return plist_dict_get_size(m_node);
    return 0;
}

std::vector<std::pair<std::string, PlistNode>> PlistNode::items() const
{
    std::vector<std::pair<std::string, PlistNode>> result;
    if (type() != PlistType::Dict) return result;
    plist_dict_iter iterator = nullptr;
    plist_dict_new_iter(m_node, &iterator);
    for (;;) {
        char* key = nullptr;
        plist_t value = nullptr;
        plist_dict_next_item(m_node, iterator, &key, &value);
        if (key == nullptr) break;
        result.emplace_back(key, PlistNode(value));
        std::free(key);
    }
    std::free(iterator);
    return result;
}

void PlistDocument::Free::operator()(void* node) const
{
    plist_free(static_cast<plist_t>(node));
}

Result<PlistDocument> PlistDocument::parse(ByteView bytes, std::string_view path)
{
    std::string where(path);
    if (bytes.empty()) return make_error(ErrorCode::Corrupt, where, "the file is empty");
    if (bytes.size() > k_max_plist_bytes) {
        return make_error(ErrorCode::Corrupt, where, "too large to be a property list");
    }
    const char* text = reinterpret_cast<const char*>(bytes.data());
    auto length = static_cast<std::uint32_t>(bytes.size());
    PlistDocument document;
    document.m_binary = plist_is_binary(text, length) != 0;
    if (document.m_binary ? binary_plist_has_nul_string(bytes) : xml_plist_has_nul(std::string_view(text, length))) {
        return make_error(ErrorCode::Corrupt, where, "a string in the property list contains a NUL character");
    }
    if (!document.m_binary) {
        // libplist 2.2's XML parser walks past the buffer on some malformed input unless it is
        // NUL-terminated; give it a terminated private copy.
        std::string terminated(text, length);
        plist_t root = nullptr;
        plist_from_xml(terminated.c_str(), length, &root);
        document.m_root.reset(root);
    } else {
        plist_t root = nullptr;
        plist_from_bin(text, length, &root);
        document.m_root.reset(root);
    }
    if (!document.m_root) {
        return make_error(ErrorCode::Corrupt, where,
                          document.m_binary ? "not a valid binary property list"
                                            : "not a property list (neither valid XML nor binary)");
    }
    return document;
}

const char* plist_type_name(PlistType type)
{
    switch (type) {
    case PlistType::None: return "nothing";
    case PlistType::Boolean: return "a boolean";
    case PlistType::Integer: return "an integer";
    case PlistType::Real: return "a real number";
    case PlistType::String: return "a string";
    case PlistType::Date: return "a date";
    case PlistType::Data: return "data";
    case PlistType::Array: return "an array";
    case PlistType::Dict: return "a dictionary";
    case PlistType::Uid: return "a UID";
    case PlistType::Other: return "an unknown value";
    }
    return "an unknown value";
}

}  // namespace bkcheck
