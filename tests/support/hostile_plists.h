// Generators of hostile property lists (issue 19): binary plists whose objects share references, so
// that libplist 2.2 would copy each shared object once per reference (n levels of [k+1, k+1] stand
// for 2^n values in a few hundred bytes), and n-deep nested arrays, binary and XML. Also the
// NSKeyedArchiver shape of an MBFile record around such a structure.
#pragma once

#include "bytes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bkcheck::test {

// Writes a binary plist ("bplist00") object by object; references are object indexes.
class BinaryPlistWriter {
public:
    // Every object is added before its references are known, so the reference width is chosen up
    // front from the number of objects the caller will add.
    explicit BinaryPlistWriter(std::size_t object_count) : m_ref_size(width_of(object_count)) {}

    std::uint64_t string(const std::string& text) { return add(header(0x5, text.size()) + text); }
    std::uint64_t integer(std::uint8_t value)
    {
        return add(std::string{'\x10', static_cast<char>(value)});
    }
    // The real 1.0 (8 bytes).
    std::uint64_t real() { return add(std::string{'\x23', '\x3F', '\xF0'} + std::string(6, '\0')); }
    std::uint64_t uid(std::uint8_t value)
    {
        return add(std::string{'\x80', static_cast<char>(value)});
    }
    std::uint64_t array(const std::vector<std::uint64_t>& items)
    {
        return add(header(0xA, items.size()) + refs(items));
    }
    std::uint64_t dict(const std::vector<std::uint64_t>& keys,
                       const std::vector<std::uint64_t>& values)
    {
        return add(header(0xD, keys.size()) + refs(keys) + refs(values));
    }
    // Index the next object added will get.
    std::uint64_t next() const { return m_offsets.size(); }

    Bytes finish(std::uint64_t root) const
    {
        std::string out = "bplist00" + m_objects;
        std::uint64_t table = out.size();
        std::size_t offset_size = width_of(table);
        for (std::uint64_t offset : m_offsets) out += big_endian(offset, offset_size);
        out += std::string(6, '\0');
        out += static_cast<char>(offset_size);
        out += static_cast<char>(m_ref_size);
        out += big_endian(m_offsets.size(), 8) + big_endian(root, 8) + big_endian(table, 8);
        return Bytes(out.begin(), out.end());
    }

private:
    static std::size_t width_of(std::uint64_t largest)
    {
        if (largest < 0x100) return 1;
        if (largest < 0x10000) return 2;
        return largest < 0x100000000 ? 4 : 8;
    }
    static std::string big_endian(std::uint64_t value, std::size_t width)
    {
        std::string out(width, '\0');
        for (std::size_t i = width; i-- > 0; value >>= 8) out[i] = static_cast<char>(value & 0xFF);
        return out;
    }
    // Marker nibble and length: inline below 15, else 0xF and an integer object (8 bytes).
    static std::string header(unsigned type, std::uint64_t length)
    {
        if (length < 15) return std::string(1, static_cast<char>(type << 4 | length));
        return std::string{static_cast<char>(type << 4 | 0xF), '\x13'} + big_endian(length, 8);
    }
    std::string refs(const std::vector<std::uint64_t>& items) const
    {
        std::string out;
        for (std::uint64_t item : items) out += big_endian(item, m_ref_size);
        return out;
    }
    std::uint64_t add(const std::string& object)
    {
        m_offsets.push_back(8 + m_objects.size());
        m_objects += object;
        return m_offsets.size() - 1;
    }

    std::size_t m_ref_size;
    std::string m_objects;
    std::vector<std::uint64_t> m_offsets;
};

// Adds `levels` arrays, each holding the next one twice, ending in a string; returns the first.
inline std::uint64_t add_doubling_chain(BinaryPlistWriter& writer, std::size_t levels)
{
    std::uint64_t first = writer.next();
    for (std::size_t k = 0; k < levels; ++k) writer.array({first + k + 1, first + k + 1});
    writer.string("leaf");
    return first;
}

// Adds `depth` arrays, each holding the next one, ending in a string; returns the outermost.
inline std::uint64_t add_nested_arrays(BinaryPlistWriter& writer, std::size_t depth)
{
    std::uint64_t first = writer.next();
    for (std::size_t k = 0; k < depth; ++k) writer.array({first + k + 1});
    writer.string("leaf");
    return first;
}

// {"Applications": <n-level doubling chain>}: a 2^(n+1)+2-value Info.plist in about 3n+60 bytes.
inline Bytes shared_reference_plist(std::size_t levels)
{
    BinaryPlistWriter writer(levels + 3);
    std::uint64_t key = writer.string("Applications");
    std::uint64_t chain = add_doubling_chain(writer, levels);
    std::uint64_t root = writer.dict({key}, {chain});
    return writer.finish(root);
}

// {"Applications": [[[... "leaf" ...]]]} with `depth` arrays: depth + 2 levels (the dict, the
// string).
inline Bytes nested_arrays_plist(std::size_t depth)
{
    BinaryPlistWriter writer(depth + 3);
    std::uint64_t key = writer.string("Applications");
    std::uint64_t arrays = add_nested_arrays(writer, depth);
    std::uint64_t root = writer.dict({key}, {arrays});
    return writer.finish(root);
}

// The XML form of nested_arrays_plist.
inline std::string nested_arrays_xml(std::size_t depth)
{
    std::string text =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist "
        "version=\"1.0\"><dict><key>Applications</key>";
    for (std::size_t k = 0; k < depth; ++k) text += "<array>";
    text += "<string>leaf</string>";
    for (std::size_t k = 0; k < depth; ++k) text += "</array>";
    return text + "</dict></plist>\n";
}

// An XML array of `count` booleans.
inline std::string wide_xml(std::size_t count)
{
    std::string text = "<plist version=\"1.0\"><array>";
    for (std::size_t k = 0; k < count; ++k) text += "<true/>";
    return text + "</array></plist>";
}

// An NSKeyedArchiver archive of an MBFile (format.md §3.4) whose MBFile dict also holds `extra`
// (built by `add`, e.g. a doubling chain or nested arrays) under the key "Extra".
template <typename AddExtra>
Bytes mbfile_archive_with(std::size_t extra_objects, AddExtra add)
{
    BinaryPlistWriter writer(extra_objects + 20);
    // $objects = ["$null", the MBFile dict, its path]: UIDs 1 and 2 point into it.
    std::uint64_t null_string = writer.string("$null");
    std::uint64_t path = writer.string("Library/x.db");
    std::uint64_t k_path = writer.string("RelativePath");
    std::uint64_t k_mode = writer.string("Mode");
    std::uint64_t mode = writer.integer(0xA4);
    std::uint64_t k_extra = writer.string("Extra");
    std::uint64_t extra = add(writer);
    std::uint64_t mbfile = writer.dict({k_path, k_mode, k_extra}, {writer.uid(2), mode, extra});
    std::uint64_t objects = writer.array({null_string, mbfile, path});
    std::uint64_t k_root = writer.string("root");
    std::uint64_t top = writer.dict({k_root}, {writer.uid(1)});
    std::uint64_t k_archiver = writer.string("$archiver");
    std::uint64_t archiver = writer.string("NSKeyedArchiver");
    std::uint64_t k_top = writer.string("$top");
    std::uint64_t k_objects = writer.string("$objects");
    std::uint64_t root = writer.dict({k_archiver, k_top, k_objects}, {archiver, top, objects});
    return writer.finish(root);
}

}  // namespace bkcheck::test
