// The in-place MBFile reader (mbfile_reader.h). It accepts a subset of what libplist 2.2's
// plist_from_bin parses (src/bplist.c of libplist 2.2.0, read rule by rule) and of what
// PlistDocument::parse lets through to it, so that an archive read here is one the libplist decoder
// reads too, to the same fields: every object of the offset table is checked once, whether
// decode_mbfile looks at it or not, because libplist refuses the whole archive for one bad object
// anywhere below the root.
#include "mbfile_reader.h"

#include "plist.h"

#include <array>
#include <bitset>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

namespace bkcheck {
namespace {

// Object markers (the high nibble of an object's first byte).
enum Marker : std::uint8_t {
    k_simple = 0x0,  // only true (0x09) and false (0x08) are read here
    k_integer = 0x1,
    k_data = 0x4,
    k_ascii = 0x5,
    k_utf16 = 0x6,
    k_uid = 0x8,
    k_array = 0xA,
    k_dict = 0xD,
};

bool is_power_of_two_up_to_8(std::size_t width)
{
    return width == 1 || width == 2 || width == 4 || width == 8;
}

// One object of the archive: its marker, its length (bytes, UTF-16 units or entries) or integer
// width, and where its content starts.
// Left uninitialised in the walk's table: only the objects it checked are ever read.
struct Object {
    std::uint8_t marker;
    std::uint64_t length;
    std::size_t content;
    bool is_container() const { return marker == k_array || marker == k_dict; }
    bool is_string() const { return marker == k_ascii || marker == k_utf16; }
};

class Archive {
public:
    explicit Archive(ByteView bytes) : m_bytes(bytes) {}

    // The header and trailer, with libplist's checks (and narrower widths than it takes).
    bool open()
    {
        constexpr std::size_t k_header = 8;
        constexpr std::size_t k_trailer = 32;
        if (m_bytes.size() < k_header + k_trailer) return false;
        if (m_bytes.size() > k_plist_max_bytes) return false;  // PlistDocument refuses it
        if (std::memcmp(m_bytes.data(), "bplist00", k_header) != 0) return false;
        const std::size_t trailer = m_bytes.size() - k_trailer;
        m_offset_size = m_bytes[trailer + 6];
        m_ref_size = m_bytes[trailer + 7];
        if (!is_power_of_two_up_to_8(m_offset_size) || !is_power_of_two_up_to_8(m_ref_size))
            return false;
        m_count = be(trailer + 8, 8);
        m_root = be(trailer + 16, 8);
        const std::uint64_t table = be(trailer + 24, 8);
        if (m_count == 0 || m_count > k_fast_mbfile_max_objects || m_root >= m_count) return false;
        if (table < k_header || table >= trailer) return false;
        m_table = static_cast<std::size_t>(table);
        return m_count <= (trailer - m_table) / m_offset_size;
    }

    std::size_t count() const { return static_cast<std::size_t>(m_count); }
    std::size_t root() const { return static_cast<std::size_t>(m_root); }

    // Object `index` with every check libplist makes on it alone; false when it would refuse it
    // or this reader declines it.
    bool object(std::size_t index, Object& out) const
    {
        const std::uint64_t offset = be(m_table + index * m_offset_size, m_offset_size);
        // libplist accepts an offset into the 8-byte header too; no writer makes one.
        if (offset < 8 || offset >= m_table) return false;
        const std::size_t at = static_cast<std::size_t>(offset);
        out.marker = m_bytes[at] >> 4;
        out.length = m_bytes[at] & 0xFu;
        out.content = at + 1;
        const std::size_t room = m_table - out.content;
        switch (out.marker) {
            case k_simple:
                return out.length == 0x8 || out.length == 0x9;
            case k_integer: {
                if (out.length > 3) return false;  // 16-byte integers are left to libplist
                out.length = std::uint64_t{1} << out.length;
                return out.length <= room;
            }
            case k_uid: {
                out.length += 1;
                if (!is_power_of_two_up_to_8(out.length) || out.length > room) return false;
                return value(out.content, out.length) <= std::numeric_limits<std::uint32_t>::max();
            }
            // One switch per object (a second one on the marker, in a helper, mispredicted as
            // often as this one): each kind checks its own content. The content lies before the
            // offset table; strings hold no NUL (which PlistDocument refuses).
            case k_data:
                return sized(out) && out.length <= m_table - out.content;
            case k_ascii:
                return sized(out) && out.length <= m_table - out.content &&
                       !has_nul(out.content, static_cast<std::size_t>(out.length));
            case k_utf16:
                return sized(out) && utf16_fits(out);
            case k_array:
                return sized(out) && out.length <= (m_table - out.content) / m_ref_size;
            case k_dict:
                return sized(out) && out.length <= (m_table - out.content) / m_ref_size / 2;
            default:
                return false;  // reals, dates, sets and unknown markers
        }
    }

    // The `k`th reference of a container (a dict's keys first, then its values); false when it
    // names no object.
    bool reference(const Object& container, std::uint64_t k, std::size_t& index) const
    {
        const std::uint64_t value =
            be(container.content + static_cast<std::size_t>(k) * m_ref_size, m_ref_size);
        if (value >= m_count) return false;
        index = static_cast<std::size_t>(value);
        return true;
    }

    // Offsets, references and lengths are 1, 2, 4 or 8 bytes wide (open() and object() check
    // that): one load each, instead of a loop per byte (the loop was 7 % of a verify's
    // instructions, mostly for 1- and 2-byte widths).
    std::uint64_t be(std::size_t at, std::size_t width) const
    {
        const std::uint8_t* p = m_bytes.data() + at;
        switch (width) {
            case 1:
                return p[0];
            case 2:
                return std::uint64_t{p[0]} << 8 | p[1];
            case 4:
                return std::uint64_t{p[0]} << 24 | std::uint64_t{p[1]} << 16 |
                       std::uint64_t{p[2]} << 8 | p[3];
            default:  // 8
                return std::uint64_t{p[0]} << 56 | std::uint64_t{p[1]} << 48 |
                       std::uint64_t{p[2]} << 40 | std::uint64_t{p[3]} << 32 |
                       std::uint64_t{p[4]} << 24 | std::uint64_t{p[5]} << 16 |
                       std::uint64_t{p[6]} << 8 | p[7];
        }
    }

    // An integer's or a UID's 1- to 8-byte big-endian value, without a branch on its width (which
    // varies from object to object, so be()'s switch mispredicted): 8 bytes read from `at`, kept
    // inside the archive by the offset table and 32-byte trailer after every object, then shifted.
    std::uint64_t value(std::size_t at, std::size_t width) const
    {
        return be(at, 8) >> (8 * (8 - width));
    }

    const std::uint8_t* bytes_at(std::size_t at) const { return m_bytes.data() + at; }

private:
    // Reads a length that does not fit the marker's nibble: an integer object follows.
    bool sized(Object& object) const
    {
        if (object.length != 0xF) return true;
        if (object.content >= m_table || (m_bytes[object.content] >> 4) != k_integer) return false;
        const std::size_t width = std::size_t{1} << (m_bytes[object.content] & 0xF);
        if (!is_power_of_two_up_to_8(width) || m_table - object.content - 1 < width) return false;
        object.length = be(object.content + 1, width);
        object.content += 1 + width;
        return true;
    }

    // Whether [at, at + length) holds a 0 byte, for content before the offset table. Up to 16 bytes
    // (every key, most names) with two 8-byte loads rather than a call to memchr per string (3 % of
    // a structural verify): the offset table's references and the 32-byte trailer follow every
    // object, so the 16 bytes read from `at` lie inside the archive however short the string.
    bool has_nul(std::size_t at, std::size_t length) const
    {
        if (length > 16) return std::memchr(bytes_at(at), 0, length) != nullptr;
        if (length == 0) return false;
        // Bytes in reading order, the first the most significant; the bytes past the string masked.
        const std::uint64_t first = be(at, 8);
        const std::uint64_t second = be(at + 8, 8);
        const std::uint64_t head =
            length >= 8 ? ~std::uint64_t{0} : ~(~std::uint64_t{0} >> (8 * length));
        const std::uint64_t tail = length <= 8    ? 0
                                   : length == 16 ? ~std::uint64_t{0}
                                                  : ~(~std::uint64_t{0} >> (8 * (length - 8)));
        return has_zero_byte(first | ~head) || has_zero_byte(second | ~tail);
    }

    // Whether any byte of `word` is 0 (exactly: no carry between bytes).
    static bool has_zero_byte(std::uint64_t word)
    {
        constexpr std::uint64_t k_low7 = 0x7F7F7F7F7F7F7F7Full;
        return (~(((word & k_low7) + k_low7) | word | k_low7)) != 0;
    }

    // A UTF-16 string's content lies before the offset table, holds at least one unit (libplist
    // fails on an empty one) and no NUL.
    bool utf16_fits(const Object& object) const
    {
        const std::size_t room = m_table - object.content;
        if (object.length == 0 || object.length > room / 2) return false;
        for (std::size_t k = 0; k < object.length; ++k) {
            const std::size_t unit = object.content + 2 * k;
            if (m_bytes[unit] == 0 && m_bytes[unit + 1] == 0) return false;
        }
        return true;
    }

    ByteView m_bytes;
    std::size_t m_offset_size = 0;
    std::size_t m_ref_size = 0;
    std::uint64_t m_count = 0;
    std::uint64_t m_root = 0;
    std::size_t m_table = 0;
};

// Checks every object of the table once, in table order (Archive::object), and then that the
// arrays and dictionaries form a tree below the root: no container is referenced twice, and the
// root by none. A container reachable from the root then has one parent, so the root reaches no
// cycle (libplist's "recursion"); containers that nothing reachable references may share or loop,
// as neither decoder visits them. The tree PlistDocument would expand has one value per reachable
// reference plus the root, at most k_fast_mbfile_max_objects levels high (every level a distinct
// container): within each of its bounds (plist.h) by k_fast_mbfile_max_references (the
// static_assert below). A dictionary's keys must be strings, as libplist requires. Checking every
// object, reachable or not, declines a little more than libplist refuses (an unreachable bad
// object), which the reference decoder then reads; one pass over the table in order, with no
// stack, costs half of a walk from the root.
bool table_is_sound(const Archive& archive, std::array<Object, k_fast_mbfile_max_objects>& objects)
{
    static_assert((k_fast_mbfile_max_references + 1) * k_fast_mbfile_max_objects <=
                      k_plist_max_values_times_depth,
                  "a tree within the fast reader's bounds must be within PlistDocument's");
    static_assert(k_fast_mbfile_max_objects <= k_plist_max_depth);
    const std::size_t count = archive.count();
    for (std::size_t index = 0; index < count; ++index) {
        if (!archive.object(index, objects[index])) return false;
    }
    std::bitset<k_fast_mbfile_max_objects> referenced;  // containers referenced so far
    referenced.set(archive.root());
    std::uint64_t references = 0;
    for (std::size_t index = 0; index < count; ++index) {
        const Object& container = objects[index];
        if (!container.is_container()) continue;
        const std::uint64_t keys = container.marker == k_dict ? container.length : 0;
        references += keys + container.length;
        if (references > k_fast_mbfile_max_references) return false;
        for (std::uint64_t k = 0; k < keys; ++k) {
            std::size_t key = 0;
            if (!archive.reference(container, k, key) || !objects[key].is_string()) return false;
        }
        for (std::uint64_t k = keys; k < keys + container.length; ++k) {
            std::size_t child = 0;
            if (!archive.reference(container, k, child)) return false;
            if (!objects[child].is_container()) continue;
            if (referenced.test(child)) return false;
            referenced.set(child);
        }
    }
    return true;
}

// A fixed set of ASCII keys, with the keys of each length listed (at most k_per_length of them), so
// that a dictionary's key is compared with the one to three keys of its length rather than all 14:
// the comparisons were 7 % of a structural verify's instructions. Each key is also kept as three
// 8-byte words (first byte most significant, zero-padded), compared with the name a word at a time
// instead of a call to memcmp per key.
template <std::size_t N>
struct KeySet {
    static constexpr std::size_t k_max_length = 24;
    static constexpr std::size_t k_per_length = 3;
    std::array<std::array<std::uint64_t, k_max_length / 8>, N> words{};
    std::array<std::array<std::uint8_t, k_per_length>, k_max_length + 1> of_length{};
    std::array<std::uint8_t, k_max_length + 1> count_of_length{};

    constexpr explicit KeySet(const std::array<std::string_view, N>& keys)
    {
        for (std::size_t i = 0; i < N; ++i) {
            const std::size_t length = keys[i].size();
            // Not a constant expression (so no compile) when a key is empty, too long, or one
            // too many of its length.
            if (length == 0 || length > k_max_length || count_of_length[length] == k_per_length)
                throw "KeySet: a key of no length, too long, or too many of one length";
            of_length[length][count_of_length[length]++] = static_cast<std::uint8_t>(i);
            for (std::size_t b = 0; b < length; ++b) {
                words[i][b / 8] |= std::uint64_t{static_cast<unsigned char>(keys[i][b])}
                                   << (56 - 8 * (b % 8));
            }
        }
    }
};

// Whether the `length` bytes of the archive at `at` (an ASCII key, before the offset table) are
// key `words`: 8 bytes at a time, the last word masked. The up to 24 bytes read from `at` lie
// inside the archive, since the offset table and the 32-byte trailer follow every object.
template <std::size_t Words>
bool is_key(const Archive& archive, std::size_t at, std::size_t length,
            const std::array<std::uint64_t, Words>& words)
{
    for (std::size_t word = 0; word * 8 < length; ++word) {
        const std::size_t left = length - word * 8;
        const std::uint64_t mask =
            left >= 8 ? ~std::uint64_t{0} : ~(~std::uint64_t{0} >> (8 * left));
        if (((archive.value(at + word * 8, 8) ^ words[word]) & mask) != 0) return false;
    }
    return true;
}

// A dictionary's values for a fixed set of ASCII keys, in one pass over its entries. False when a
// key of the set appears twice or any key is spelt in UTF-16 (which libplist would compare after
// converting it). found[i] is the value's object index + 1, or 0 when key i is absent (16 bits: a
// short array is zeroed with a store or two, where 14 words took a `rep stos`, slow to start).
template <std::size_t N>
using Found = std::array<std::uint16_t, N>;
static_assert(k_fast_mbfile_max_objects < 0xFFFF, "an object index + 1 fits Found's 16 bits");
template <std::size_t N>
bool values_of(const Archive& archive, const std::array<Object, k_fast_mbfile_max_objects>& objects,
               const Object& dict, const KeySet<N>& keys, Found<N>& found)
{
    found.fill(0);
    for (std::uint64_t entry = 0; entry < dict.length; ++entry) {
        std::size_t key_index = 0;
        std::size_t value_index = 0;
        if (!archive.reference(dict, entry, key_index) ||
            !archive.reference(dict, dict.length + entry, value_index)) {
            return false;
        }
        const Object& key = objects[key_index];
        if (key.marker != k_ascii) return false;
        if (key.length == 0 || key.length > KeySet<N>::k_max_length) continue;
        const auto length = static_cast<std::size_t>(key.length);
        for (std::size_t c = 0; c < keys.count_of_length[length]; ++c) {
            const std::size_t i = keys.of_length[length][c];
            if (!is_key(archive, key.content, length, keys.words[i])) continue;
            if (found[i] != 0) return false;
            found[i] = static_cast<std::uint16_t>(value_index + 1);
            break;
        }
    }
    return true;
}

// A view of data or ASCII text inside the archive.
struct Span {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
};

class MbfileView {
public:
    MbfileView(const Archive& archive, const std::array<Object, k_fast_mbfile_max_objects>& objects,
               const Object& object_list)
        : m_archive(archive), m_objects(objects), m_list(object_list)
    {
    }

    const Object& at(std::size_t index) const { return m_objects[index]; }

    // The object a value stands for: the $objects entry a UID names, else the value itself.
    bool resolve(std::size_t value, std::size_t& index) const
    {
        const Object& object = m_objects[value];
        if (object.marker != k_uid) {
            index = value;
            return true;
        }
        const std::uint64_t uid = m_archive.value(object.content, object.length);
        return uid < m_list.length && m_archive.reference(m_list, uid, index);
    }

    // An integer value as libplist keeps it (uint64), read as int64 the way PlistNode::integer
    // does; 0 when absent.
    bool integer(std::size_t found, std::int64_t& value) const
    {
        value = 0;
        if (found == 0) return true;
        const Object& object = m_objects[found - 1];
        if (object.marker != k_integer) return false;  // a real with an integral value included
        value = static_cast<std::int64_t>(m_archive.value(object.content, object.length));
        return true;
    }

    // Data inline, through a UID, or as {NS.data: ...}; empty when absent.
    bool data(std::size_t found, Span& span) const
    {
        span = Span{};
        if (found == 0) return true;
        std::size_t index = 0;
        if (!resolve(found - 1, index)) return false;
        if (m_objects[index].marker == k_dict) {
            static constexpr KeySet<1> k_keys{std::array<std::string_view, 1>{"NS.data"}};
            Found<1> inner;
            if (!values_of(m_archive, m_objects, m_objects[index], k_keys, inner) || inner[0] == 0)
                return false;
            if (!resolve(inner[0] - 1, index)) return false;
        }
        const Object& object = m_objects[index];
        if (object.marker != k_data) return false;
        span = Span{m_archive.bytes_at(object.content), static_cast<std::size_t>(object.length)};
        return true;
    }

    // A string value: its object index + 1 (0 when absent); false when it is no string, or UTF-16
    // with surrogates.
    bool text(std::size_t found, std::size_t& text) const
    {
        text = 0;
        if (found == 0) return true;
        std::size_t index = 0;
        if (!resolve(found - 1, index)) return false;
        const Object& object = m_objects[index];
        text = index + 1;
        if (object.marker == k_ascii) return true;
        if (object.marker != k_utf16) return false;
        const std::uint8_t* bytes = m_archive.bytes_at(object.content);
        for (std::size_t k = 0; k < object.length; ++k) {
            if (bytes[2 * k] >= 0xD8 && bytes[2 * k] <= 0xDF) return false;
        }
        return true;
    }

    // The text `text` names, as libplist gives it: ASCII bytes as stored, UTF-16 as UTF-8.
    void write_text(std::size_t text, std::string& out) const
    {
        out.clear();
        if (text == 0) return;
        const Object& object = m_objects[text - 1];
        const std::uint8_t* bytes = m_archive.bytes_at(object.content);
        if (object.marker == k_ascii) {
            out.assign(reinterpret_cast<const char*>(bytes),
                       static_cast<std::size_t>(object.length));
            return;
        }
        for (std::size_t k = 0; k < object.length; ++k) {
            const unsigned unit = static_cast<unsigned>(bytes[2 * k] << 8 | bytes[2 * k + 1]);
            if (unit >= 0x800) {
                out.push_back(static_cast<char>(0xE0 | (unit >> 12)));
                out.push_back(static_cast<char>(0x80 | ((unit >> 6) & 0x3F)));
                out.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
            } else if (unit >= 0x80) {
                out.push_back(static_cast<char>(0xC0 | (unit >> 6)));
                out.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
            } else {
                out.push_back(static_cast<char>(unit));
            }
        }
    }

private:
    const Archive& m_archive;
    const std::array<Object, k_fast_mbfile_max_objects>& m_objects;
    const Object& m_list;
};

template <typename T>
bool fits(std::int64_t value)
{
    return value >= 0 && static_cast<std::uint64_t>(value) <=
                             static_cast<std::uint64_t>(std::numeric_limits<T>::max());
}

// User and group IDs: signed or unsigned 32-bit, as in mbfile.cpp.
bool fits_id(std::int64_t value)
{
    return value >= std::numeric_limits<std::int32_t>::min() &&
           value <= std::numeric_limits<std::uint32_t>::max();
}

// The MBFile keys read, in FileRecord order.
enum Key : std::size_t {
    k_mode,
    k_inode,
    k_user,
    k_group,
    k_modified,
    k_changed,
    k_birth,
    k_size,
    k_protection,
    k_flags,
    k_digest,
    k_key,
    k_target,
    k_xattrs,
    k_key_count
};

// clang-format off
constexpr KeySet<k_key_count> k_mbfile_keys{std::array<std::string_view, k_key_count>{
    "Mode", "InodeNumber", "UserID", "GroupID", "LastModified", "LastStatusChange", "Birth",
    "Size", "ProtectionClass", "Flags", "Digest", "EncryptionKey", "Target", "ExtendedAttributes"}};
// clang-format on

}  // namespace

bool read_mbfile_fast(ByteView bytes, FileRecord& record)
{
    Archive archive(bytes);
    if (!archive.open()) return false;
    std::array<Object, k_fast_mbfile_max_objects> objects;
    if (!table_is_sound(archive, objects)) return false;

    // The NSKeyedArchiver frame: {$objects: [...], $top: {root: UID}}, the root an MBFile dict.
    const Object& root = objects[archive.root()];
    if (root.marker != k_dict) return false;
    static constexpr KeySet<2> k_root_keys{std::array<std::string_view, 2>{"$objects", "$top"}};
    Found<2> frame;
    if (!values_of(archive, objects, root, k_root_keys, frame)) return false;
    if (frame[0] == 0 || frame[1] == 0) return false;
    const Object& list = objects[frame[0] - 1];
    const Object& top = objects[frame[1] - 1];
    if (list.marker != k_array || top.marker != k_dict) return false;
    static constexpr KeySet<1> k_top_keys{std::array<std::string_view, 1>{"root"}};
    Found<1> top_root;
    if (!values_of(archive, objects, top, k_top_keys, top_root) || top_root[0] == 0) return false;
    if (objects[top_root[0] - 1].marker != k_uid) return false;
    MbfileView view(archive, objects, list);
    std::size_t mbfile_index = 0;
    if (!view.resolve(top_root[0] - 1, mbfile_index)) return false;
    const Object& mbfile = objects[mbfile_index];
    if (mbfile.marker != k_dict) return false;
    Found<k_key_count> found;
    if (!values_of(archive, objects, mbfile, k_mbfile_keys, found)) return false;

    std::int64_t numbers[k_digest];  // each set by integer()
    for (std::size_t key = 0; key < k_digest; ++key) {
        if (!view.integer(found[key], numbers[key])) return false;
    }
    if (!fits<std::uint32_t>(numbers[k_mode]) || !fits_id(numbers[k_user]) ||
        !fits_id(numbers[k_group]) || !fits<std::uint32_t>(numbers[k_protection]) ||
        !fits<std::uint32_t>(numbers[k_flags]) || numbers[k_size] < 0) {
        return false;
    }
    Span digest;
    Span key;
    Span xattrs;
    if (!view.data(found[k_digest], digest) || !view.data(found[k_key], key) ||
        !view.data(found[k_xattrs], xattrs) || xattrs.size != 0) {
        return false;
    }
    std::size_t target = 0;
    if (!view.text(found[k_target], target)) return false;

    record.mode = static_cast<std::uint32_t>(numbers[k_mode]);
    record.inode = static_cast<std::uint64_t>(numbers[k_inode]);
    record.user_id = static_cast<std::uint32_t>(numbers[k_user]);
    record.group_id = static_cast<std::uint32_t>(numbers[k_group]);
    record.modified = numbers[k_modified];
    record.status_changed = numbers[k_changed];
    record.born = numbers[k_birth];
    record.size = static_cast<std::uint64_t>(numbers[k_size]);
    record.protection_class = static_cast<std::uint32_t>(numbers[k_protection]);
    record.bsd_flags = static_cast<std::uint32_t>(numbers[k_flags]);
    record.digest.assign(digest.data, digest.data + digest.size);
    record.encryption_key.assign(key.data, key.data + key.size);
    view.write_text(target, record.target);
    record.extended_attributes.clear();
    return true;
}

}  // namespace bkcheck
