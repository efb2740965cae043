#include "backups_root.h"
#include "backup_folder.h"

#include "bkcheck/discovery.h"
#include "bkcheck/path_text.h"
#include "bkcheck/quarantine_runs.h"
#include "resolved_path.h"

#include <system_error>

namespace bkcheck::cli {

fs::path normalized_path(const std::string& typed)
{
    std::error_code error;
    fs::path path = absolute_path(typed, error).lexically_normal();
    if (error) path = fs::path(typed).lexically_normal();
    if (path.filename().empty() && path.has_parent_path() && path != path.root_path())
        path = path.parent_path();
    return path;
}

fs::path backups_root(const FileSystem& file_system, const std::string& typed)
{
    fs::path path = normalized_path(typed);
    return looks_like_backup(file_system, path) ? path.parent_path() : path;
}

Result<fs::path> quarantine_root(const FileSystem& file_system, const std::string& typed)
{
    // A path that does not exist is a typing error, not "nothing to do".
    fs::path path = normalized_path(typed);
    auto typed_stat = file_system.stat(path);
    if (!typed_stat) return std::move(typed_stat).error();
    if (typed_stat->type != EntryType::Directory) {
        return make_error(ErrorCode::NotABackup, path_text(path),
                          "not a backup or a folder of backups (a quarantine is a folder beside "
                          "the backups)");
    }
    fs::path root = backups_root(file_system, typed);
    // A folder with neither a quarantine nor a backup is a mistyped path, not "nothing to undo".
    if (file_system.stat(quarantine_dir(root))) return root;
    auto backups = backups_in_named_root(file_system, root);
    if (!backups) return std::move(backups).error();
    return root;
}

Result<std::vector<RunInfo>> runs_named(const FileSystem& file_system, const fs::path& root,
                                        const std::string& typed)
{
    auto runs = list_runs(file_system, root);
    if (!runs) return runs;
    fs::path path = normalized_path(typed);
    if (path == root || !looks_like_backup(file_system, path)) return runs;
    return runs_of_backup(*runs, path_text(path.filename()));
}

}  // namespace bkcheck::cli
