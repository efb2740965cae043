// What `bkcheck list` shows: the backups of the places named or the default places, each opened.
#include "bkcheck/discovery.h"
#include "bkcheck/path_text.h"

#include <algorithm>

namespace bkcheck {

Result<std::vector<fs::path>> backups_in_named_root(const FileSystem& file_system,
                                                    const fs::path& root)
{
    auto found = find_backups(file_system, root);
    if (!found) return found;
    if (found->empty()) {
        return make_error(
            ErrorCode::NotABackup, path_text(root),
            "holds no backup (no folder in it has Manifest.plist, Manifest.db, Manifest.mbdb, "
            "Status.plist or Info.plist): nothing was checked");
    }
    return found;
}

bool BackupListing::denied() const
{
    return std::any_of(rows.begin(), rows.end(),
                       [](const ListedBackup& row) { return row.denied; });
}

namespace {

ListedBackup listed_backup(const FileSystem& file_system, const fs::path& path, std::int64_t now)
{
    ListedBackup row;
    row.path = path;
    row.archived_at = parse_backup_folder_name(path_text(path.filename())).archived_at;
    auto backup = open_backup(file_system, path);
    if (!backup) {
        row.problem = backup.error().message;
        row.denied = is_permission_error(backup.error());
        return row;
    }
    row.backup = std::move(*backup);
    row.size = size_on_disk(file_system, path);
    row.in_use = backup_in_use(file_system, *row.backup, now);
    if (std::vector<std::string> names = row.backup->denied_plists(); !names.empty()) {
        row.denied = true;
        for (const std::string& name : names)
            row.problem += (row.problem.empty() ? "" : ", ") + name;
        row.problem += std::string(": this user may not read ") +
                       (names.size() == 1 ? "it" : "them") + " (not damage; ls -l shows the owner)";
    }
    return row;
}

}  // namespace

Result<BackupListing> list_backups(const FileSystem& file_system,
                                   const std::vector<std::string>& named_roots,
                                   const Environment& environment, std::int64_t now)
{
    BackupListing listing;
    std::vector<fs::path> found;
    if (!named_roots.empty()) {
        // Folders the user named must exist: a typo is an error, not "no backups".
        for (const std::string& root : named_roots) {
            listing.searched.push_back(root);
            auto backups = backups_in_named_root(file_system, root);
            if (!backups) return std::move(backups).error();
            found.insert(found.end(), backups->begin(), backups->end());
        }
    } else {
        for (const BackupRoot& root : default_backup_roots(environment)) {
            listing.searched.push_back(path_text(root.path));
            // A default place that does not exist just holds no backups; one this user may not list
            // (macOS without Full Disk Access) may hold many: a row that says so, never "No
            // backups".
            auto backups = find_backups(file_system, root.path);
            if (backups) {
                found.insert(found.end(), backups->begin(), backups->end());
            } else if (backups.error().code != ErrorCode::NotFound) {
                ListedBackup row;
                row.path = root.path;
                row.problem = backups.error().message;
                row.denied = is_permission_error(backups.error());
                row.place = true;
                if (row.denied && !root.access_setting.empty()) {
                    row.fix = "macOS protects this folder: allow your terminal in " +
                              std::string(root.access_setting) + ", then run bkcheck list again";
                }
                listing.rows.push_back(std::move(row));
            }
        }
    }
    for (const fs::path& path : found)
        listing.rows.push_back(listed_backup(file_system, path, now));
    return listing;
}

}  // namespace bkcheck
