#include "bkcheck/backup_activity.h"

namespace bkcheck {
namespace {

bool recent(const FileSystem& file_system, const fs::path& path, std::int64_t now)
{
    auto stat = file_system.stat(path);
    return stat && stat->modified > now - k_activity_window_seconds;
}

Status in_use(const fs::path& path, const std::string& why)
{
    return make_error(ErrorCode::InUse, path.string(),
                      why + ": a backup seems to be running; try again when it has finished (or " +
                          std::to_string(k_activity_window_seconds / 60) + " minutes after it stopped)");
}

}  // namespace

Status check_not_in_use(const FileSystem& file_system, const Backup& backup, std::int64_t now)
{
    // Apple's software writes no links: a linked Snapshot, Status.plist or -wal is not a backup being
    // written, and what it points to (anywhere: /tmp changes all the time) is not looked at.
    fs::path snapshot = backup.path / "Snapshot";
    bool linked_snapshot = backup.is_link("Snapshot");
    if (!linked_snapshot) {
        if (recent(file_system, snapshot, now)) return in_use(snapshot, "changed in the last minutes");
        if (auto entries = file_system.list(snapshot)) {
            for (const DirEntry& entry : *entries) {
                if (recent(file_system, snapshot / entry.name, now)) {
                    return in_use(snapshot / entry.name, "changed in the last minutes");
                }
            }
        }
    }
    bool finished = backup.status.ok() && backup.status.value.snapshot_state == "finished";
    if (!finished && !backup.is_link("Status.plist") && recent(file_system, backup.path / "Status.plist", now)) {
        return in_use(backup.path / "Status.plist", "the backup session is not finished and was updated in the last minutes");
    }
    if (!backup.is_link("Manifest.db-wal") && recent(file_system, backup.path / "Manifest.db-wal", now)) {
        return in_use(backup.path / "Manifest.db-wal", "the index was written in the last minutes");
    }
    return Ok{};
}

}  // namespace bkcheck
