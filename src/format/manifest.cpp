#include "bkcheck/manifest.h"

namespace bkcheck {

std::optional<std::string> blob_relative_path(IndexFormat format, std::string_view file_id)
{
    if (!is_file_id(file_id)) return std::nullopt;
    std::string name(file_id);
    return format == IndexFormat::ManifestMbdb ? name : name.substr(0, 2) + "/" + name;
}

const char* file_kind_name(FileKind kind)
{
    switch (kind) {
    case FileKind::File: return "file";
    case FileKind::Directory: return "directory";
    case FileKind::Symlink: return "symlink";
    case FileKind::Unknown: return "unknown";
    }
    return "unknown";
}

FileKind kind_from_mode(std::uint32_t mode)
{
    switch (mode & k_mode_type_mask) {
    case k_mode_file: return FileKind::File;
    case k_mode_directory: return FileKind::Directory;
    case k_mode_symlink: return FileKind::Symlink;
    default: return FileKind::Unknown;
    }
}

FileKind kind_from_flags(std::int64_t flags)
{
    switch (flags) {
    case k_flags_file: return FileKind::File;
    case k_flags_directory: return FileKind::Directory;
    case k_flags_symlink: return FileKind::Symlink;
    default: return FileKind::Unknown;
    }
}

}  // namespace bkcheck
