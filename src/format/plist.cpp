#include "plist.h"

#include <plist/plist.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck {
namespace {

// libplist dates count from 2001-01-01 (the Cocoa epoch); Unix time counts from 1970.
constexpr std::int64_t k_cocoa_epoch_offset = 978307200;

// libplist 2.2 asserts (and Debian builds it with asserts on) when a string or dictionary key holds
// a NUL byte, which a hostile file can encode. No real plist has one, so such files are refused
// before any getter could reach those asserts: binary ones in the walk below, XML ones by
// xml_plist_has_nul.
const char* const k_nul_refusal = "a string in the property list contains a NUL character";

std::string too_deep()
{
    return "the property list nests more than " + std::to_string(k_plist_max_depth) +
           " levels deep (bkcheck's limit)";
}

// Values times levels grow together while a tree is walked, so the counts at the moment of refusal
// are partial: the message names only the limit.
std::string too_deep_and_wide()
{
    return "the property list is both deep and wide: more than " +
           std::to_string(k_plist_max_values_times_depth) +
           " values times levels (bkcheck's limit)";
}

// The layout of a binary plist ("bplist00", objects, offset table, 32-byte trailer), read the way
// libplist 2.2's plist_from_bin reads it, so that what this walk accepts libplist parses the same
// way.
class BinaryPlist {
public:
    explicit BinaryPlist(ByteView bytes) : m_bytes(bytes) {}

    // False when the header or trailer is one libplist refuses too.
    bool read_trailer()
    {
        constexpr std::size_t k_header = 8;
        constexpr std::size_t k_trailer = 32;
        if (m_bytes.size() < k_header + k_trailer) return false;
        std::size_t trailer = m_bytes.size() - k_trailer;
        m_offset_size = m_bytes[trailer + 6];
        m_ref_size = m_bytes[trailer + 7];
        m_object_count = be(trailer + 8, 8);
        m_root = be(trailer + 16, 8);
        std::uint64_t table = be(trailer + 24, 8);
        if (m_object_count == 0 || m_offset_size == 0 || m_ref_size == 0 ||
            m_root >= m_object_count)
            return false;
        if (table < k_header || table >= trailer) return false;
        m_table = static_cast<std::size_t>(table);
        return m_object_count <= (trailer - m_table) / m_offset_size;
    }

    std::uint64_t object_count() const { return m_object_count; }
    std::uint64_t root() const { return m_root; }

    // Where object `index` starts; nullopt when its offset points outside the object area.
    std::optional<std::size_t> object_at(std::uint64_t index) const
    {
        std::uint64_t offset =
            be(m_table + static_cast<std::size_t>(index) * m_offset_size, m_offset_size);
        if (offset >= m_table) return std::nullopt;
        return static_cast<std::size_t>(offset);
    }

    // An object's marker and length (count of characters, bytes or entries) and where its content
    // starts. nullopt when the length does not fit before the offset table.
    struct Header {
        unsigned type = 0;
        std::uint64_t length = 0;
        std::size_t content = 0;
    };
    std::optional<Header> header_at(std::size_t at) const
    {
        Header header{static_cast<unsigned>(m_bytes[at] >> 4), m_bytes[at] & 0xFu, at + 1};
        bool sized = header.type == 0x4 || header.type == 0x5 || header.type == 0x6 ||
                     header.type == 0xA || header.type == 0xC || header.type == 0xD;
        if (sized && header.length ==
                         0xF) {  // the length follows as an integer object: 0x1N, then 2^N bytes
            if (header.content >= m_table || (m_bytes[header.content] >> 4) != 0x1)
                return std::nullopt;
            std::size_t width = std::size_t{1} << (m_bytes[header.content] & 0xF);
            if (m_table - header.content - 1 < width) return std::nullopt;
            header.length = be(header.content + 1, width);
            header.content += 1 + width;
        }
        return header;
    }

    // Number of object references a container holds (a dict: keys and values), with the check that
    // they all lie before the offset table; nullopt otherwise. 0 for any other object.
    std::optional<std::uint64_t> reference_count(const Header& header) const
    {
        if (header.type != 0xA && header.type != 0xC && header.type != 0xD) return 0;
        std::uint64_t count = header.length;
        if (header.type == 0xD) {
            if (count > std::numeric_limits<std::uint64_t>::max() / 2) return std::nullopt;
            count *= 2;
        }
        if (count > (m_table - header.content) / m_ref_size) return std::nullopt;
        return count;
    }

    // The object the `k`th reference of a container points to; nullopt when out of range.
    std::optional<std::uint64_t> reference(const Header& header, std::uint64_t k) const
    {
        std::uint64_t index =
            be(header.content + static_cast<std::size_t>(k) * m_ref_size, m_ref_size);
        if (index >= m_object_count) return std::nullopt;
        return index;
    }

    // True when an ASCII (0x5) or UTF-16 (0x6) string holds a NUL character; nullopt when its
    // characters do not fit before the offset table.
    std::optional<bool> string_has_nul(const Header& header) const
    {
        std::uint64_t unit = header.type == 0x6 ? 2 : 1;
        if (header.length > (m_table - header.content) / unit) return std::nullopt;
        for (std::uint64_t k = 0; k < header.length; ++k) {
            std::size_t pos = static_cast<std::size_t>(header.content + k * unit);
            if (m_bytes[pos] == 0 && (unit == 1 || m_bytes[pos + 1] == 0)) return true;
        }
        return false;
    }

private:
    // A big-endian number of `width` bytes at `at`; like libplist, only the last 8 of a wider one.
    std::uint64_t be(std::size_t at, std::size_t width) const
    {
        std::size_t skip = width > 8 ? width - 8 : 0;
        std::uint64_t value = 0;
        for (std::size_t i = skip; i < width; ++i) value = value << 8 | m_bytes[at + i];
        return value;
    }

    ByteView m_bytes;
    std::size_t m_offset_size = 0;
    std::size_t m_ref_size = 0;
    std::uint64_t m_object_count = 0;
    std::uint64_t m_root = 0;
    std::size_t m_table = 0;
};

// Walks the object graph of a binary plist from its root, depth first with an explicit stack, once
// per object (O(objects + references) time, a few bytes per object), and says why libplist must not
// see the file: malformed where libplist would refuse it anyway, a string with a NUL, an object
// that contains itself, or a tree (shared objects counted once per reference) beyond the bounds.
std::optional<std::string> binary_plist_refusal(ByteView bytes)
{
    const std::string malformed = "not a valid binary property list";
    BinaryPlist plist(bytes);
    if (!plist.read_trailer()) return malformed;
    if (plist.object_count() > k_plist_max_values) {
        return "the property list has " + std::to_string(plist.object_count()) +
               " objects, more than " + std::to_string(k_plist_max_values) + " (bkcheck's limit)";
    }
    enum : std::uint8_t { k_unseen, k_open, k_done };
    std::size_t count = static_cast<std::size_t>(plist.object_count());
    std::vector<std::uint8_t> state(count, k_unseen);
    std::vector<std::uint32_t> values(count, 0);  // values of the expanded tree under each object
    std::vector<std::uint16_t> height(count, 0);  // levels of that tree
    struct Frame {
        std::uint64_t object;
        BinaryPlist::Header header;
        std::uint64_t references;
        std::uint64_t next = 0;
        std::uint64_t values = 1;
        std::uint32_t height = 1;
    };
    std::vector<Frame> stack;
    stack.reserve(k_plist_max_depth);
    std::uint64_t distinct_entries = 0;  // objects reached plus their references, each counted once
    std::string refusal;

    // Opens an object: a leaf is done at once, a container goes on the stack.
    auto open = [&](std::uint64_t object) -> bool {
        auto at = plist.object_at(object);
        std::optional<BinaryPlist::Header> header;
        if (at) header = plist.header_at(*at);
        std::optional<std::uint64_t> references;
        if (header) references = plist.reference_count(*header);
        if (!references) {
            refusal = malformed;
            return false;
        }
        if (header->type == 0x5 || header->type == 0x6) {
            auto nul = plist.string_has_nul(*header);
            if (!nul) {
                refusal = malformed;
                return false;
            }
            if (*nul) {
                refusal = k_nul_refusal;
                return false;
            }
        }
        distinct_entries += 1 + *references;
        if (*references == 0) {
            state[object] = k_done;
            values[object] = 1;
            height[object] = 1;
            return true;
        }
        if (stack.size() >= k_plist_max_depth) {
            refusal = too_deep();
            return false;
        }
        state[object] = k_open;
        stack.push_back(Frame{object, *header, *references});
        return true;
    };
    // Adds a finished child to the container on top of the stack.
    auto add_child = [&](std::uint64_t child) -> bool {
        Frame& frame = stack.back();
        frame.values += values[child];
        frame.height = std::max<std::uint32_t>(frame.height, height[child] + 1u);
        if (frame.values > k_plist_max_values) {
            refusal = "the property list would expand to more than " +
                      std::to_string(k_plist_max_values) + " values (bkcheck's limit)";
            return false;
        }
        if (frame.height > k_plist_max_depth) {
            refusal = too_deep();
            return false;
        }
        if (frame.values * frame.height > k_plist_max_values_times_depth) {
            refusal = too_deep_and_wide();
            return false;
        }
        return true;
    };

    if (!open(plist.root())) return refusal;
    while (!stack.empty()) {
        Frame& frame = stack.back();
        if (frame.next == frame.references) {
            std::uint64_t object = frame.object;
            values[object] = static_cast<std::uint32_t>(frame.values);
            height[object] = static_cast<std::uint16_t>(frame.height);
            state[object] = k_done;
            stack.pop_back();
            if (!stack.empty() && !add_child(object)) return refusal;
            continue;
        }
        auto child = plist.reference(frame.header, frame.next++);
        if (!child) return malformed;
        if (state[*child] == k_open)
            return std::string("an object of the property list contains itself");
        if (state[*child] == k_unseen) {
            if (!open(*child)) return refusal;
            if (state[*child] == k_open) continue;  // a container: its children come first
        }
        if (!add_child(*child)) return refusal;
    }
    std::uint64_t total = values[static_cast<std::size_t>(plist.root())];
    if (total > k_plist_values_per_entry * distinct_entries) {
        return "the property list would expand to " + std::to_string(total) + " values from " +
               std::to_string(distinct_entries) +
               " objects and references, through shared references (bkcheck's limit: " +
               std::to_string(k_plist_values_per_entry) + " per object or reference)";
    }
    return std::nullopt;
}

// True when XML text holds a raw NUL or a character reference to NUL (&#0; &#x00; ...).
bool xml_plist_has_nul(std::string_view text)
{
    if (text.find('\0') != std::string_view::npos) return true;
    for (std::size_t at = text.find("&#"); at != std::string_view::npos;
         at = text.find("&#", at + 2)) {
        std::size_t i = at + 2;
        if (i < text.size() && (text[i] == 'x' || text[i] == 'X')) ++i;
        std::size_t digits = i;
        while (i < text.size() && text[i] == '0') ++i;
        if (i > digits && i < text.size() && text[i] == ';') return true;
    }
    return false;
}

// Scans XML the way libplist 2.2's node_from_xml tokenizes it (same tag, comment, DOCTYPE, CDATA
// and quote rules), without building anything, and says why libplist must not see it: more values
// or more levels than the bounds allow. Every element tag counts as a value (a dict's <key> too,
// which libplist keeps as the entry's name): an upper bound of what libplist builds. Where
// libplist's tokenizer stops with an error the scan stops too and leaves the refusal to it:
// libplist keeps nothing of a document it could not finish, and what it built until then was
// counted.
class XmlScan {
public:
    explicit XmlScan(std::string_view text) : m_text(text) {}

    std::optional<std::string> refusal()
    {
        while (m_pos < m_text.size()) {
            skip_ws();
            if (m_pos >= m_text.size()) break;
            if (m_text[m_pos] != '<' || ++m_pos >= m_text.size()) return std::nullopt;
            if (m_text[m_pos] == '?') {
                find_str("?>", true);
                if (!at("?>")) return std::nullopt;
                m_pos += 2;
            } else if (m_text[m_pos] == '!') {
                if (!special_tag()) return std::nullopt;
            } else {
                auto outcome = element();
                if (outcome != Outcome::Continue) {
                    if (outcome == Outcome::Refused) return m_refusal;
                    return std::nullopt;
                }
            }
        }
        return std::nullopt;
    }

private:
    enum class Outcome { Continue, Stop, Refused };

    bool at(std::string_view what) const { return m_text.substr(m_pos, what.size()) == what; }

    void skip_ws()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\r' || m_text[m_pos] == '\n')) {
            ++m_pos;
        }
    }

    // After an opening double quote: to its closing one (the end when there is none).
    void skip_quoted()
    {
        ++m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') ++m_pos;
    }

    void find_char(char c)
    {
        while (m_pos < m_text.size() && m_text[m_pos] != c) ++m_pos;
    }

    // libplist's find_str: stops at `what`, looking no further than size - |what| - 1.
    void find_str(std::string_view what, bool skip_quotes)
    {
        while (m_pos + what.size() < m_text.size()) {
            if (at(what)) break;
            if (skip_quotes && m_text[m_pos] == '"') {
                skip_quoted();
                if (m_pos >= m_text.size()) return;
            }
            ++m_pos;
        }
    }

    void find_next(std::string_view stops, bool skip_quotes)
    {
        while (m_pos < m_text.size()) {
            if (skip_quotes && m_text[m_pos] == '"') {
                skip_quoted();
                if (m_pos >= m_text.size()) return;
            }
            if (stops.find(m_text[m_pos]) != std::string_view::npos) return;
            ++m_pos;
        }
    }

    // <!-- comment --> or <!DOCTYPE ...>, after the '<'. False where libplist stops with an error.
    bool special_tag()
    {
        std::size_t left = m_text.size() - m_pos;
        if (left > 3 && at("!--")) {
            m_pos += 3;
            find_str("-->", false);
            if (!at("-->")) return false;
            m_pos += 3;
            return true;
        }
        if (left > 8 && at("!DOCTYPE")) {
            m_pos += 8;
            bool embedded = false;
            while (m_pos < m_text.size()) {
                find_next(" \t\r\n[>", true);
                if (m_pos >= m_text.size()) return false;
                if (m_text[m_pos] == '[') {
                    embedded = true;
                    break;
                }
                if (m_text[m_pos] == '>') {
                    ++m_pos;
                    break;
                }
                skip_ws();
            }
            if (embedded) {
                find_str("]>", true);
                if (!at("]>")) return false;
                m_pos += 2;
            }
            return true;
        }
        return false;
    }

    // The text of a value element up to its closing tag, with comments and CDATA (libplist's
    // get_text_parts). False where libplist stops with an error.
    bool text_until_closing(std::string_view tag)
    {
        for (;;) {
            find_char('<');
            if (m_pos >= m_text.size() || ++m_pos >= m_text.size()) return false;
            if (m_text[m_pos] == '/') break;
            if (m_text[m_pos] != '!' || ++m_pos + 1 >= m_text.size()) return false;
            if (at("--")) {
                m_pos += 2;
                find_str("-->", false);
                if (!at("-->")) return false;
                m_pos += 3;
            } else if (m_text[m_pos] == '[') {
                ++m_pos;
                if (m_pos + 8 >= m_text.size() || !at("CDATA[")) return false;
                m_pos += 6;
                find_str("]]>", false);
                if (!at("]]>")) return false;
                m_pos += 3;
            } else {
                return false;
            }
        }
        ++m_pos;
        if (m_pos + tag.size() >= m_text.size() || !at(tag)) return false;
        m_pos += tag.size();
        skip_ws();
        if (m_pos >= m_text.size() || m_text[m_pos] != '>') return false;
        ++m_pos;
        return true;
    }

    // A tag after its '<': <plist>, a value (counted), or a closing tag.
    Outcome element()
    {
        std::size_t start = m_pos;
        find_next(" \r\n\t<>", false);
        if (m_pos >= m_text.size()) return Outcome::Stop;
        std::string_view tag = m_text.substr(start, m_pos - start);
        std::size_t tag_length = tag.size();
        if (m_text[m_pos] != '>') find_next("<>", true);
        if (m_pos >= m_text.size() || m_text[m_pos] != '>') return Outcome::Stop;
        bool empty = false;
        if (m_text[m_pos - 1] == '/') {
            std::size_t cut = m_pos - start - 1;
            if (cut < tag.size()) tag = tag.substr(0, cut);
            empty = true;
        }
        ++m_pos;
        if (tag == "plist") {
            if (m_path.empty() && m_has_root) return Outcome::Stop;
            if (empty) return Outcome::Stop;
            m_path.push_back('p');
            return Outcome::Continue;
        }
        if (tag == "/plist") {
            if (m_path.empty() || m_path.back() != 'p') return Outcome::Stop;
            m_path.pop_back();
            return Outcome::Continue;
        }
        if (!tag.empty() && tag[0] == '/') {
            char kind = tag == "/dict" ? 'd' : tag == "/array" ? 'a' : '?';
            if (m_path.empty() || m_path.back() != kind) return Outcome::Stop;
            m_path.pop_back();
            --m_open_containers;
            return Outcome::Continue;
        }
        bool container = tag == "dict" || tag == "array";
        bool value = tag == "integer" || tag == "real" || tag == "true" || tag == "false" ||
                     tag == "string" || tag == "key" || tag == "data" || tag == "date";
        if (!container && !value) return Outcome::Stop;
        // This value's level: one below every open dict or array (and below an empty root
        // container, which libplist keeps as the parent of what follows).
        std::size_t level = m_open_containers + (m_root_stays_parent ? 1 : 0) + 1;
        if (level > k_plist_max_depth) {
            m_refusal = too_deep();
            return Outcome::Refused;
        }
        if (++m_values > k_plist_max_values) {
            m_refusal = "the property list has more than " + std::to_string(k_plist_max_values) +
                        " values (bkcheck's limit)";
            return Outcome::Refused;
        }
        m_levels = std::max<std::uint64_t>(m_levels, level);
        if (m_values * m_levels > k_plist_max_values_times_depth) {
            m_refusal = too_deep_and_wide();
            return Outcome::Refused;
        }
        if (value && !empty &&
            !text_until_closing(std::string_view(m_text).substr(start, tag_length))) {
            return Outcome::Stop;
        }
        if (!m_has_root) {
            m_has_root = true;
            if (!container) return Outcome::Stop;  // a lone value is the whole document
            if (empty) m_root_stays_parent = true;
        }
        if (container && !empty) {
            m_path.push_back(tag == "dict" ? 'd' : 'a');
            ++m_open_containers;
        }
        return Outcome::Continue;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::vector<char> m_path;  // open <plist>, <dict> and <array> tags, innermost last
    std::size_t m_open_containers = 0;
    std::uint64_t m_values = 0;
    std::uint64_t m_levels = 0;
    bool m_has_root = false;
    bool m_root_stays_parent = false;
    std::string m_refusal;
};

}  // namespace

PlistType PlistNode::type() const
{
    if (m_node == nullptr) return PlistType::None;
    switch (plist_get_node_type(m_node)) {
        case PLIST_BOOLEAN:
            return PlistType::Boolean;
        case PLIST_UINT:
            return PlistType::Integer;
        case PLIST_REAL:
            return PlistType::Real;
        case PLIST_STRING:
            return PlistType::String;
        case PLIST_DATE:
            return PlistType::Date;
        case PLIST_DATA:
            return PlistType::Data;
        case PLIST_ARRAY:
            return PlistType::Array;
        case PLIST_DICT:
            return PlistType::Dict;
        case PLIST_UID:
            return PlistType::Uid;
        default:
            return PlistType::Other;
    }
}

std::optional<std::string> PlistNode::string_value() const
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
    Bytes bytes(reinterpret_cast<std::uint8_t*>(value),
                reinterpret_cast<std::uint8_t*>(value) + length);
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
    if (bytes.size() > k_plist_max_bytes) {
        return make_error(ErrorCode::Corrupt, where, "too large to be a property list");
    }
    const char* text = reinterpret_cast<const char*>(bytes.data());
    auto length = static_cast<std::uint32_t>(bytes.size());
    PlistDocument document;
    document.m_binary = plist_is_binary(text, length) != 0;
    // Refused before libplist builds anything: see k_plist_max_depth.
    std::optional<std::string> refusal;
    if (document.m_binary) {
        refusal = binary_plist_refusal(bytes);
    } else if (xml_plist_has_nul(std::string_view(text, length))) {
        refusal = k_nul_refusal;
    } else {
        refusal = XmlScan(std::string_view(text, length)).refusal();
    }
    if (refusal) return make_error(ErrorCode::Corrupt, where, std::move(*refusal));
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
        case PlistType::None:
            return "nothing";
        case PlistType::Boolean:
            return "a boolean";
        case PlistType::Integer:
            return "an integer";
        case PlistType::Real:
            return "a real number";
        case PlistType::String:
            return "a string";
        case PlistType::Date:
            return "a date";
        case PlistType::Data:
            return "data";
        case PlistType::Array:
            return "an array";
        case PlistType::Dict:
            return "a dictionary";
        case PlistType::Uid:
            return "a UID";
        case PlistType::Other:
            return "an unknown value";
    }
    return "an unknown value";
}

}  // namespace bkcheck
