#include "bkcheck/manifest.h"
#include "bytes.h"
#include "file_id.h"

#include "crypto.h"

namespace bkcheck {

Sha1Digest file_id_digest(std::string_view domain, std::string_view relative_path)
{
    // One hasher per thread: a verify computes a fileID per record, and a new OpenSSL context for
    // each cost more than the hashing. Not on Windows: MinGW's emulated thread-local storage is
    // freed before the destructors of thread_local objects run, so freeing the context at thread
    // exit read freed memory (verify with several jobs crashed under Wine).
#ifdef _WIN32
    Sha1Hasher hasher;
#else
    thread_local Sha1Hasher hasher;
#endif
    hasher.update(as_bytes(domain));
    hasher.update(as_bytes("-"));
    hasher.update(as_bytes(relative_path));
    return hasher.finish();
}

std::string file_id_for(std::string_view domain, std::string_view relative_path)
{
    return to_hex(file_id_digest(domain, relative_path));
}

std::optional<std::string> blob_relative_path(IndexFormat format, std::string_view file_id)
{
    if (!is_file_id(file_id)) return std::nullopt;
    std::string name(file_id);
    return format == IndexFormat::ManifestMbdb ? name : name.substr(0, 2) + "/" + name;
}

const char* file_kind_name(FileKind kind)
{
    switch (kind) {
        case FileKind::File:
            return "file";
        case FileKind::Directory:
            return "directory";
        case FileKind::Symlink:
            return "symlink";
        case FileKind::Unknown:
            return "unknown";
    }
    return "unknown";
}

FileKind kind_from_mode(std::uint32_t mode)
{
    switch (mode & k_mode_type_mask) {
        case k_mode_file:
            return FileKind::File;
        case k_mode_directory:
            return FileKind::Directory;
        case k_mode_symlink:
            return FileKind::Symlink;
        default:
            return FileKind::Unknown;
    }
}

FileKind kind_from_flags(std::int64_t flags)
{
    switch (flags) {
        case k_flags_file:
            return FileKind::File;
        case k_flags_directory:
            return FileKind::Directory;
        case k_flags_symlink:
            return FileKind::Symlink;
        default:
            return FileKind::Unknown;
    }
}

}  // namespace bkcheck
