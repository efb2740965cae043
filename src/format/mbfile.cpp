// MBFile records of Manifest.db (format.md §3.4-3.5): NSKeyedArchiver archives. Decoding resolves
// every UID through $objects with a bounds check; since each key is resolved at most one level deep
// (EncryptionKey -> NS.data), a UID cycle cannot make us loop.
#include "mbfile.h"

#include "mbfile_reader.h"
#include "plist.h"

#include <plist/plist.h>

#include <cstdlib>
#include <limits>

namespace bkcheck {
namespace {

Error corrupt(std::string message)
{
    return make_error(ErrorCode::Corrupt, "", std::move(message));
}

class Archive {
public:
    explicit Archive(PlistNode objects) : m_objects(objects) {}

    // The node a value stands for: the $objects entry when it is a UID, else the value itself.
    Result<PlistNode> resolve(PlistNode value, const char* key) const
    {
        auto uid = value.uid();
        if (!uid) return value;
        if (*uid >= m_objects.size()) {
            return corrupt(std::string(key) + " refers to object " + std::to_string(*uid) + " of " +
                           std::to_string(m_objects.size()));
        }
        return m_objects.at(static_cast<std::size_t>(*uid));
    }

private:
    PlistNode m_objects;
};

// An integer key; absent keys read as 0, as Apple's decodeInt...ForKey does.
Result<std::int64_t> integer_of(PlistNode mbfile, const char* key)
{
    PlistNode node = mbfile[key];
    if (!node.is_present()) return std::int64_t{0};
    auto value = node.integer();
    if (!value)
        return corrupt(std::string(key) + " is " + plist_type_name(node.type()) +
                       ", not an integer");
    return *value;
}

// Data held inline, as {NS.data: ...} (NSMutableData), or through a UID to either.
Result<Bytes> data_of(const Archive& archive, PlistNode mbfile, const char* key)
{
    PlistNode node = mbfile[key];
    if (!node.is_present()) return Bytes();
    auto resolved = archive.resolve(node, key);
    if (!resolved) return std::move(resolved).error();
    if (auto bytes = resolved->data()) return std::move(*bytes);
    if (resolved->type() == PlistType::Dict) {
        auto inner = archive.resolve((*resolved)["NS.data"], key);
        if (!inner) return std::move(inner).error();
        if (auto bytes = inner->data()) return std::move(*bytes);
    }
    return corrupt(std::string(key) + " is " + plist_type_name(resolved->type()) + ", not data");
}

Result<std::string> string_of(const Archive& archive, PlistNode mbfile, const char* key)
{
    PlistNode node = mbfile[key];
    if (!node.is_present()) return std::string();
    auto resolved = archive.resolve(node, key);
    if (!resolved) return std::move(resolved).error();
    if (auto text = resolved->string_value()) return std::move(*text);
    return corrupt(std::string(key) + " is " + plist_type_name(resolved->type()) +
                   ", not a string");
}

template <typename T>
Result<T> in_range(std::int64_t value, const char* key)
{
    if (value < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
        static_cast<std::uint64_t>(value) >
            static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        return corrupt(std::string(key) + " is out of range (" + std::to_string(value) + ")");
    }
    return static_cast<T>(value);
}

// User and group IDs: signed or unsigned 32-bit (the mvt iOS 14.3 sample has UserID -2).
Result<std::uint32_t> id_in_range(std::int64_t value, const char* key)
{
    if (value < std::numeric_limits<std::int32_t>::min() ||
        value > std::numeric_limits<std::uint32_t>::max()) {
        return corrupt(std::string(key) + " is out of range (" + std::to_string(value) + ")");
    }
    return static_cast<std::uint32_t>(value);
}

Status decode_attributes(const Archive& archive, PlistNode mbfile, FileRecord& record)
{
    struct Field {
        const char* key;
        std::int64_t value = 0;
    };
    Field fields[] = {{"Mode"},    {"InodeNumber"},  {"UserID"},
                      {"GroupID"}, {"LastModified"}, {"LastStatusChange"},
                      {"Birth"},   {"Size"},         {"ProtectionClass"},
                      {"Flags"}};
    for (Field& field : fields) {
        auto value = integer_of(mbfile, field.key);
        if (!value) return std::move(value).error();
        field.value = *value;
    }
    auto mode = in_range<std::uint32_t>(fields[0].value, "Mode");
    // Real backups store uid/gid "nobody" as -2 (a signed 32-bit value): keep its bit pattern.
    auto user_id = id_in_range(fields[2].value, "UserID");
    auto group_id = id_in_range(fields[3].value, "GroupID");
    auto protection_class = in_range<std::uint32_t>(fields[8].value, "ProtectionClass");
    auto flags = in_range<std::uint32_t>(fields[9].value, "Flags");
    if (!mode) return std::move(mode).error();
    if (!user_id) return std::move(user_id).error();
    if (!group_id) return std::move(group_id).error();
    if (!protection_class) return std::move(protection_class).error();
    if (!flags) return std::move(flags).error();
    if (fields[7].value < 0)
        return corrupt("Size is negative (" + std::to_string(fields[7].value) + ")");
    record.mode = *mode;
    record.inode = static_cast<std::uint64_t>(fields[1].value);
    record.user_id = *user_id;
    record.group_id = *group_id;
    record.modified = fields[4].value;
    record.status_changed = fields[5].value;
    record.born = fields[6].value;
    record.size = static_cast<std::uint64_t>(fields[7].value);
    record.protection_class = *protection_class;
    record.bsd_flags = *flags;

    auto digest = data_of(archive, mbfile, "Digest");
    auto key = data_of(archive, mbfile, "EncryptionKey");
    auto target = string_of(archive, mbfile, "Target");
    auto xattrs = data_of(archive, mbfile, "ExtendedAttributes");
    if (!digest) return std::move(digest).error();
    if (!key) return std::move(key).error();
    if (!target) return std::move(target).error();
    if (!xattrs) return std::move(xattrs).error();
    record.digest = std::move(*digest);
    record.encryption_key = std::move(*key);
    record.target = std::move(*target);
    record.extended_attributes.clear();
    if (!xattrs->empty()) {
        // A binary plist dict name -> data inside the data (§3.4).
        auto document = PlistDocument::parse(*xattrs, "ExtendedAttributes");
        if (!document || document->root().type() != PlistType::Dict) {
            return corrupt("ExtendedAttributes is not a property list dictionary");
        }
        for (auto& [name, value] : document->root().items()) {
            record.extended_attributes.emplace_back(name, value.data().value_or(Bytes()));
        }
    }
    return Ok{};
}

// --- encoding --------------------------------------------------------------------------------

plist_t new_data(ByteView bytes)
{
    return plist_new_data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Serialises and frees `root`.
Bytes to_binary_plist(plist_t root)
{
    char* bytes = nullptr;
    std::uint32_t length = 0;
    plist_to_bin(root, &bytes, &length);
    Bytes out(reinterpret_cast<std::uint8_t*>(bytes),
              reinterpret_cast<std::uint8_t*>(bytes) + length);
    std::free(bytes);
    plist_free(root);
    return out;
}

plist_t new_class(const char* name, std::initializer_list<const char*> classes)
{
    plist_t dict = plist_new_dict();
    plist_dict_set_item(dict, "$classname", plist_new_string(name));
    plist_t array = plist_new_array();
    for (const char* cls : classes) plist_array_append_item(array, plist_new_string(cls));
    plist_dict_set_item(dict, "$classes", array);
    return dict;
}

Bytes xattrs_plist(const FileRecord& record)
{
    plist_t dict = plist_new_dict();
    for (const auto& [name, value] : record.extended_attributes)
        plist_dict_set_item(dict, name.c_str(), new_data(value));
    return to_binary_plist(dict);
}

}  // namespace

Status decode_mbfile(ByteView archive, FileRecord& record)
{
    if (read_mbfile_fast(archive, record)) return Ok{};
    return decode_mbfile_with_libplist(archive, record);
}

Status decode_mbfile_with_libplist(ByteView archive_bytes, FileRecord& record)
{
    // Bounded like every plist (k_plist_max_depth in plist.h); decoding below follows UIDs at most
    // two levels (EncryptionKey -> NS.data), so the archive's object graph is never expanded
    // further.
    auto document = PlistDocument::parse(archive_bytes, "MBFile");
    if (!document) return corrupt(document.error().message);
    PlistNode root = document->root();
    PlistNode objects = root["$objects"];
    if (objects.type() != PlistType::Array)
        return corrupt("no $objects array (not an NSKeyedArchiver archive)");
    Archive archive(objects);
    PlistNode top_root = root["$top"]["root"];
    if (!top_root.uid()) return corrupt("$top has no root UID");
    auto mbfile = archive.resolve(top_root, "$top.root");
    if (!mbfile) return std::move(mbfile).error();
    if (mbfile->type() != PlistType::Dict) return corrupt("the root object is not a dictionary");
    return decode_attributes(archive, *mbfile, record);
}

Bytes encode_mbfile(const FileRecord& record)
{
    // Object order as Apple writes it (§3.4): $null, MBFile, path, [target], [digest],
    // [key dict, NSMutableData class], [xattrs], MBFile class.
    plist_t objects = plist_new_array();
    plist_array_append_item(objects, plist_new_string("$null"));
    plist_t mbfile = plist_new_dict();
    plist_array_append_item(objects, mbfile);
    std::uint64_t next = 2;
    auto add_object = [&](plist_t object) {
        plist_array_append_item(objects, object);
        return plist_new_uid(next++);
    };
    plist_dict_set_item(mbfile, "RelativePath",
                        add_object(plist_new_string(record.relative_path.c_str())));
    if (!record.target.empty())
        plist_dict_set_item(mbfile, "Target", add_object(plist_new_string(record.target.c_str())));
    if (!record.digest.empty())
        plist_dict_set_item(mbfile, "Digest", add_object(new_data(record.digest)));
    if (!record.encryption_key.empty()) {
        plist_t key = plist_new_dict();
        plist_dict_set_item(key, "NS.data", new_data(record.encryption_key));
        plist_dict_set_item(mbfile, "EncryptionKey", add_object(key));
        plist_dict_set_item(
            key, "$class",
            add_object(new_class("NSMutableData", {"NSMutableData", "NSData", "NSObject"})));
    }
    if (!record.extended_attributes.empty()) {
        plist_dict_set_item(mbfile, "ExtendedAttributes",
                            add_object(new_data(xattrs_plist(record))));
    }
    auto set_int = [&](const char* key, std::uint64_t value) {
        plist_dict_set_item(mbfile, key, plist_new_uint(value));
    };
    set_int("Mode", record.mode);
    set_int("InodeNumber", record.inode);
    set_int("UserID", record.user_id);
    set_int("GroupID", record.group_id);
    set_int("LastModified", static_cast<std::uint64_t>(record.modified));
    set_int("LastStatusChange", static_cast<std::uint64_t>(record.status_changed));
    set_int("Birth", static_cast<std::uint64_t>(record.born));
    set_int("Size", record.size);
    set_int("ProtectionClass", record.protection_class);
    set_int("Flags", record.bsd_flags);
    plist_dict_set_item(mbfile, "$class", add_object(new_class("MBFile", {"MBFile", "NSObject"})));

    plist_t root = plist_new_dict();
    plist_dict_set_item(root, "$version", plist_new_uint(100000));
    plist_dict_set_item(root, "$archiver", plist_new_string("NSKeyedArchiver"));
    plist_t top = plist_new_dict();
    plist_dict_set_item(top, "root", plist_new_uid(1));
    plist_dict_set_item(root, "$top", top);
    plist_dict_set_item(root, "$objects", objects);
    return to_binary_plist(root);
}

}  // namespace bkcheck
