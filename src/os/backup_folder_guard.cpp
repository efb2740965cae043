// Whether a folder is a backup, and the rule built on it that bkcheck writes nothing inside one. In
// the os layer because the POSIX writable file system enforces that rule for every file it creates.
#include "backup_folder.h"
#include "bkcheck/path_text.h"
#include "resolved_path.h"

#include <vector>

namespace bkcheck {

bool looks_like_backup(const FileSystem& file_system, const fs::path& dir)
{
    auto probe = probe_backup_folder(file_system, dir);
    return probe && *probe;
}

Result<bool> probe_backup_folder(const FileSystem& file_system, const fs::path& dir)
{
    for (const char* name :
         {"Manifest.plist", "Manifest.db", "Manifest.mbdb", "Status.plist", "Info.plist"}) {
        auto stat = file_system.stat(dir / name);
        if (stat) return true;
        // Searching a folder this user may not enter fails the same way for every name.
        if (is_permission_error(stat.error())) {
            return make_error(stat.error().code, path_text(dir), stat.error().message);
        }
    }
    return false;
}

Result<std::optional<fs::path>> backup_holding(const FileSystem& file_system,
                                               const fs::path& folder)
{
    std::error_code error;
    fs::path absolute = absolute_path(folder, error);
    if (error)
        return make_error(ErrorCode::Io, path_text(folder), "cannot resolve: " + error.message());
    fs::path lexical = absolute.lexically_normal();
    if (!lexical.has_filename() && lexical.has_parent_path()) lexical = lexical.parent_path();
    std::vector<fs::path> starts{lexical};
    // The real folder, where a file will actually go: a ".." after a symlink climbs from where the
    // link leads, which the lexical form cannot see. And the disk answers by what it holds, not by
    // how the path was spelt: a disk that folds case (Windows, macOS) finds the backup folder under
    // "c:\USERS\..." too, which no comparison of the texts would.
    fs::path canonical = weakly_canonical_path(absolute, error);
    if (!error && canonical != lexical) starts.push_back(canonical);
    for (const fs::path& start : starts) {
        for (fs::path dir = start;; dir = dir.parent_path()) {
            if (looks_like_backup(file_system, dir)) return std::optional<fs::path>(dir);
            if (dir == dir.parent_path() || dir.empty()) break;
        }
    }
    return std::optional<fs::path>();
}

Status check_outside_backups(const FileSystem& file_system, const fs::path& file)
{
    std::error_code error;
    fs::path absolute = absolute_path(file, error);
    if (error)
        return make_error(ErrorCode::Io, path_text(file), "cannot resolve: " + error.message());
    if (!absolute.has_filename()) absolute = absolute.parent_path();  // "dir/" names dir
    auto holder = backup_holding(file_system, absolute.parent_path());
    if (!holder) return holder.error();
    if (*holder) {
        return make_error(ErrorCode::InvalidArgument, path_text(file),
                          "is inside the backup folder " + path_text(**holder) +
                              ": bkcheck writes nothing into a backup; choose a path outside it");
    }
    return Ok{};
}

}  // namespace bkcheck
