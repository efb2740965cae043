// Manifest.mbdb (format.md §4): "mbdb\x05\x00", then records until end of file, big-endian. Strings
// are u16 length + bytes, 0xFFFF meaning absent. The fixed part between the strings and the
// properties is exactly 40 bytes.
#include "mbdb.h"

#include "byte_reader.h"

namespace bkcheck {
namespace {

constexpr std::uint8_t k_magic[] = {'m', 'b', 'd', 'b', 0x05, 0x00};
constexpr std::uint16_t k_absent = 0xFFFF;

using detail::ByteReader;

// A string field: nullopt when truncated; an empty view for both "absent" and "empty".
std::optional<ByteView> read_field(ByteReader& reader)
{
    auto length = reader.u16();
    if (!length) return std::nullopt;
    if (*length == k_absent) return ByteView();
    return reader.bytes(*length);
}

std::string to_string(ByteView bytes)
{
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::int64_t to_signed32(std::uint32_t value)
{
    return static_cast<std::int32_t>(value);
}

// Reads one record; false when the bytes run out inside it.
bool read_record(ByteReader& reader, FileRecord& record)
{
    auto domain = read_field(reader);
    auto path = domain ? read_field(reader) : std::nullopt;
    auto target = path ? read_field(reader) : std::nullopt;
    auto digest = target ? read_field(reader) : std::nullopt;
    auto key = digest ? read_field(reader) : std::nullopt;
    if (!key) return false;
    auto mode = reader.u16();
    auto inode = reader.u64();
    auto user_id = reader.u32();
    auto group_id = reader.u32();
    auto modified = reader.u32();
    auto status_changed = reader.u32();
    auto born = reader.u32();
    auto size = reader.u64();
    auto protection_class = reader.u8();
    auto property_count = reader.u8();
    // A failed read consumes nothing, so a later, shorter read could still succeed: check them all.
    if (!mode || !inode || !user_id || !group_id || !modified || !status_changed || !born ||
        !size || !protection_class || !property_count) {
        return false;
    }
    record.domain = to_string(*domain);
    record.relative_path = to_string(*path);
    record.target = to_string(*target);
    record.digest.assign(digest->begin(), digest->end());
    record.encryption_key.assign(key->begin(), key->end());
    record.mode = *mode;
    record.inode = *inode;
    record.user_id = *user_id;
    record.group_id = *group_id;
    record.modified = to_signed32(*modified);
    record.status_changed = to_signed32(*status_changed);
    record.born = to_signed32(*born);
    record.size = *size;
    record.protection_class = *protection_class;
    for (unsigned i = 0; i < *property_count; ++i) {
        auto name = read_field(reader);
        auto value = name ? read_field(reader) : std::nullopt;
        if (!value) return false;
        record.extended_attributes.emplace_back(to_string(*name),
                                                Bytes(value->begin(), value->end()));
    }
    record.kind = kind_from_mode(record.mode);
    switch (record.kind) {
        case FileKind::File:
            record.flags = k_flags_file;
            break;
        case FileKind::Directory:
            record.flags = k_flags_directory;
            break;
        case FileKind::Symlink:
            record.flags = k_flags_symlink;
            break;
        case FileKind::Unknown:
            record.flags = 0;
            break;
    }
    record.file_id = file_id_for(record.domain, record.relative_path);
    return true;
}

void put_be(Bytes& out, std::uint64_t value, std::size_t width)
{
    for (std::size_t i = width; i-- > 0;)
        out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

// Absent and empty are written alike as 0xFFFF for optional fields, as Apple's writer does for
// target/digest/key; domain and path are always written with their length.
void put_field(Bytes& out, ByteView value, bool optional)
{
    if (optional && value.empty()) {
        put_be(out, k_absent, 2);
        return;
    }
    put_be(out, value.size(), 2);
    out.insert(out.end(), value.begin(), value.end());
}

}  // namespace

Result<ManifestIndex> parse_mbdb(ByteView bytes, std::string_view path)
{
    if (bytes.size() < sizeof k_magic ||
        !std::equal(std::begin(k_magic), std::end(k_magic), bytes.begin())) {
        return make_error(ErrorCode::Corrupt, std::string(path),
                          "not a Manifest.mbdb (no \"mbdb\\x05\\x00\" header)");
    }
    ManifestIndex index;
    index.format = IndexFormat::ManifestMbdb;
    ByteReader reader(bytes.subspan(sizeof k_magic));
    while (!reader.at_end()) {
        std::size_t start = reader.offset() + sizeof k_magic;
        FileRecord record;
        if (!read_record(reader, record)) {
            index.index_problems.push_back("record " + std::to_string(index.records.size() + 1) +
                                           " at byte " + std::to_string(start) +
                                           " runs past the end of the file (" +
                                           std::to_string(bytes.size() - start) + " bytes left)");
            break;
        }
        index.records.push_back(std::move(record));
    }
    return index;
}

Bytes mbdb_header()
{
    return Bytes(std::begin(k_magic), std::end(k_magic));
}

void append_mbdb_record(const FileRecord& record, Bytes& out)
{
    put_field(out, as_bytes(record.domain), false);
    put_field(out, as_bytes(record.relative_path), false);
    put_field(out, as_bytes(record.target), true);
    put_field(out, record.digest, true);
    put_field(out, record.encryption_key, true);
    put_be(out, record.mode, 2);
    put_be(out, record.inode, 8);
    put_be(out, record.user_id, 4);
    put_be(out, record.group_id, 4);
    put_be(out, static_cast<std::uint32_t>(record.modified), 4);
    put_be(out, static_cast<std::uint32_t>(record.status_changed), 4);
    put_be(out, static_cast<std::uint32_t>(record.born), 4);
    put_be(out, record.size, 8);
    put_be(out, record.protection_class, 1);
    std::size_t count = std::min<std::size_t>(record.extended_attributes.size(), 255);
    put_be(out, count, 1);
    for (std::size_t i = 0; i < count; ++i) {
        put_field(out, as_bytes(record.extended_attributes[i].first), false);
        put_field(out, record.extended_attributes[i].second, false);
    }
}

Bytes serialize_mbdb(const std::vector<FileRecord>& records)
{
    Bytes out = mbdb_header();
    for (const FileRecord& record : records) append_mbdb_record(record, out);
    return out;
}

}  // namespace bkcheck
