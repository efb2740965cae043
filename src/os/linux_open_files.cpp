// Open files through /proc (Linux): /proc/<pid>/fd/<n> is a link to the file the descriptor holds.
#include "bkcheck/path_text.h"
#include "open_files.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace bkcheck {
namespace {

// The kernel keeps a process name to 15 bytes; this bounds a fake or odd one.
constexpr std::size_t k_max_process_name = 256;
// How /proc names the target of a descriptor whose file was deleted since it was opened.
constexpr std::string_view k_deleted_suffix = " (deleted)";

bool is_pid(const std::string& name)
{
    return !name.empty() && name.size() < 19 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

// Whether `file` is `folder` or lies inside it; both absolute and without "." or "..".
bool is_inside(const fs::path& file, const fs::path& folder)
{
    auto part = file.begin();
    for (const fs::path& component : folder) {
        if (component.empty()) continue;  // a trailing separator
        if (part == file.end() || *part != component) return false;
        ++part;
    }
    return true;
}

std::string process_name(const FileSystem& file_system, const fs::path& comm)
{
    auto reader =
        file_system.open_read(comm);  // /proc files say size 0: read to the end, not by size
    if (!reader) return "unknown";
    std::array<std::uint8_t, k_max_process_name> buffer{};
    auto read = (*reader)->read(buffer);
    if (!read || *read == 0) return "unknown";
    std::string name(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*read));
    while (!name.empty() && (name.back() == '\n' || name.back() == '\0')) name.pop_back();
    return name.empty() ? "unknown" : name;
}

}  // namespace

Result<std::vector<OpenFileHolder>> processes_holding_files_in_proc(const FileSystem& file_system,
                                                                    const fs::path& proc,
                                                                    const fs::path& folder)
{
    auto pids = file_system.list(proc);
    if (!pids) {
        return make_error(
            ErrorCode::Unsupported, path_text(proc),
            "cannot tell which processes hold files open (" + pids.error().message + ")");
    }
    // The OS names open files with every link resolved: so must the folder, or a Backup folder that
    // is a link to another drive would never match.
    auto resolved = file_system.real_path(folder);
    fs::path wanted = resolved ? *resolved : folder.lexically_normal();
    auto self = file_system.read_link(
        proc / "self");  // "1234"; bkcheck's own descriptors are not a backup writer
    std::vector<OpenFileHolder> holders;
    for (const DirEntry& entry : *pids) {
        if (!is_pid(entry.name) || (self && *self == entry.name)) continue;
        // Another user's process (EACCES) or one that just ended (NotFound): nothing to say about
        // it.
        auto descriptors = file_system.list(proc / entry.name / "fd");
        if (!descriptors) continue;
        for (const DirEntry& descriptor : *descriptors) {
            auto target = file_system.read_link(proc / entry.name / "fd" / descriptor.name);
            // Pipes, sockets and anonymous inodes ("socket:[123]") are not files: their targets are
            // not absolute.
            if (!target || target->empty() || target->front() != '/') continue;
            std::string file = *target;
            if (file.size() > k_deleted_suffix.size() &&
                file.compare(file.size() - k_deleted_suffix.size(), k_deleted_suffix.size(),
                             k_deleted_suffix) == 0) {
                file.resize(file.size() - k_deleted_suffix.size());
            }
            if (!is_inside(fs::path(file), wanted)) continue;
            holders.push_back({std::stoll(entry.name),
                               process_name(file_system, proc / entry.name / "comm"), file});
            break;
        }
    }
    return holders;
}

Result<std::vector<OpenFileHolder>> processes_holding_files_in(const FileSystem& file_system,
                                                               const fs::path& folder)
{
// /proc is files read through the seam, not a Linux-only call: the portable build reads it too.
#ifdef __linux__
    return processes_holding_files_in_proc(file_system, "/proc", folder);
#else
    (void)file_system;
    return make_error(
        ErrorCode::Unsupported, path_text(folder),
        "which processes hold files open is not known on this OS (bkcheck reads it from /proc)");
#endif
}

}  // namespace bkcheck
